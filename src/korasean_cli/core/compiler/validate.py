"""Check raw dataset data and compile it into a Dataset, reporting every problem found.

``compile_stream`` never stops at the first problem: the curator sees them all, each
as ``file:line: message``. A Dataset is returned only when there are none.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Iterable
from typing import Any, NamedTuple, Protocol

from ..data.dates import parse_edtf
from ..data.model import EVENT_CATEGORIES, SECTIONS, STATUSES, Citation, Record, Source, fund_names
from ..data.text import UNSAFE
from ..errors import DateError
from .seeds import MAX_LINES, SeedText

SCHEMA_VERSION = 1
_UNSAFE_TEXT = re.compile(f"[{UNSAFE}\r]")
_BREAK = re.compile(r"[\t\n]")
# fields whose text may run over several lines (a note, a quote, what was said)
_PROSE = frozenset({"note", "quote", "text", "definition", "purpose"})
_ID = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*\Z")  # \Z: "$" would let "ev-x\n" through
_CURRENCY = re.compile(r"^[A-Z]{3}\Z")
_PREFIX = {
    "event": "ev-",
    "fund": "fund-",
    "contribution": "contrib-",
    "figure": "fig-",
    "statement": "stmt-",
    "term": "term-",
}

SOURCE_KINDS = ("newspaper-article", "opinion", "press-release", "report", "other")
CONTRIBUTION_BASES = ("initial", "annual", "one-off", "doubled-to", "increased-to", "total-budget", "other")
FIGURE_METRICS = (
    "trade",
    "trade-growth",
    "investment",
    "fdi",
    "fdi-growth",
    "ranking",
    "count",
    "money",
    "share",
    "health",
    "other",
)
QUALIFIERS = ("exact", "about", "more-than", "nearly", "up-to", "at-least", "projected", "projected-more-than")
TERM_KINDS = (
    "acronym",
    "programme",
    "organisation",
    "agreement",
    "document",
    "initiative",
    "meeting",
    "person",
    "place",
    "concept",
)

STR, NUM, BOOL, LIST, MAP = "text", "number", "true/false", "list", "mapping"

# field -> (type, required, allowed values or None), per record kind
_COMMON: dict[str, tuple[str, bool, tuple[str, ...] | None]] = {
    "id": (STR, True, None),
    "citations": (LIST, True, None),
    "note": (STR, False, None),
    "tags": (LIST, False, None),
    "see_also": (LIST, False, None),
    "differs_from": (LIST, False, None),
    "date_inferred": (BOOL, False, None),
}
FIELDS: dict[str, dict[str, tuple[str, bool, tuple[str, ...] | None]]] = {
    "event": {
        "date": (STR, False, None),
        "title": (STR, True, None),
        "category": (STR, True, EVENT_CATEGORIES),
        "place": (STR, False, None),
        "parties": (LIST, False, None),
    },
    "fund": {
        "name": (STR, True, None),
        "acronym": (STR, False, None),
        "aliases": (LIST, False, None),
        "established": (STR, False, None),
        "established_by": (STR, False, None),
        "administered_by": (STR, False, None),
        "purpose": (STR, False, None),
        "merged_from": (LIST, False, None),
        "merged_into": (STR, False, None),
        "title": (STR, False, None),
    },
    "contribution": {
        "title": (STR, True, None),
        "fund": (STR, False, None),
        "recipient": (STR, False, None),
        "contributor": (STR, True, None),
        "amount": (NUM, True, None),
        "currency": (STR, True, None),
        "date": (STR, False, None),
        "basis": (STR, True, CONTRIBUTION_BASES),
    },
    "figure": {
        "title": (STR, True, None),
        "metric": (STR, True, FIGURE_METRICS),
        "value": (NUM, False, None),
        "value_min": (NUM, False, None),
        "value_max": (NUM, False, None),
        "unit": (STR, True, None),
        "qualifier": (STR, False, QUALIFIERS),
        "date": (STR, False, None),
        "according_to": (STR, True, None),
        "alt": (LIST, False, None),
        "subject": (STR, False, None),
    },
    "statement": {
        "speaker": (STR, True, None),
        "role": (STR, True, None),
        "date": (STR, False, None),
        "text": (STR, True, None),
        "topic": (STR, False, None),
        "title": (STR, False, None),
    },
    "term": {
        "term": (STR, True, None),
        "expansion": (STR, False, None),
        "kind": (STR, True, TERM_KINDS),
        "variants": (LIST, False, None),
        "definition": (STR, False, None),
    },
}
# what a source says of the fact's reality, and what replaced it: on every kind
_REALITY: dict[str, tuple[str, bool, tuple[str, ...] | None]] = {
    "status": (STR, False, STATUSES),
    "as_of": (STR, False, None),
    "superseded_by": (STR, False, None),
}
for _spec in FIELDS.values():
    _spec.update(_REALITY)

# words by which a quote speaks of a plan, a hope or a deadline rather than a fact
_HEDGE = re.compile(
    r"\b((?i:will|would|to be|plans? to|planned|could|might|expected|expects?|propos\w*|hopes?|aims? to)|may|"
    r"by (?:the end of )?(?:19|20)\d\d)\b"  # "may", not the month
)

SOURCE_FIELDS: dict[str, tuple[str, bool, tuple[str, ...] | None]] = {
    "id": (STR, True, None),
    "file": (STR, True, None),
    "sha256": (STR, True, None),
    "kind": (STR, True, SOURCE_KINDS),
    "title": (STR, True, None),
    "publisher": (STR, False, None),
    "author": (STR, False, None),
    "date": (STR, False, None),
    "url": (STR, False, None),
    "numbered_paragraphs": (BOOL, False, None),
    "stated": (LIST, False, None),
    "inferred": (MAP, False, None),
    "citations": (LIST, False, None),
    "note": (STR, False, None),
}


class Problem(NamedTuple):
    line: int
    message: str


def _number_hint(text: str) -> str:
    """Why a number written as YAML 1.1 reads it (base 60, hexadecimal, octal, binary) is refused."""
    t = text.strip().lstrip("+-")
    if re.fullmatch(r"[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?", t):
        how = "a base-60 number (190:20:30 is 685230)"
    elif re.fullmatch(r"0[xX][0-9a-fA-F_]+", t):
        how = "a hexadecimal number"
    elif re.fullmatch(r"0[bB][01_]+", t):
        how = "a binary number"
    elif re.fullmatch(r"0[oO]?[0-7_]+", t):
        how = "an octal number"
    else:
        return ""
    return f" (YAML 1.1 would read it as {how}; write the number in plain decimal digits)"


def _short(value: Any, keep: int = 80) -> str:
    """repr(value), cut to keep characters: a message never repeats a megabyte of data."""
    text = repr(value) if not isinstance(value, str) or len(value) <= keep else repr(value[:keep])
    return text if len(text) <= keep else text[: keep - 1] + "…"


def _type_ok(value: Any, kind: str) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == NUM:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == LIST:
        return isinstance(value, list)
    return isinstance(value, dict)


def _line(obj: Any, default: int) -> int:
    return getattr(obj, "line", 0) or default


def _items(value: Any) -> list[Any]:
    """A list field's items; anything else (already reported by fields()) counts as empty."""
    return value if isinstance(value, list) else []


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int too large for a float
        return False


def seed_root(yaml_path: str) -> list[str]:
    """Folders a source's ``file`` may be found in: the YAML's folder, then its parent."""
    here = os.path.dirname(os.path.abspath(yaml_path))
    return [here, os.path.dirname(here)]


def resolve_seed(yaml_path: str, rel: str) -> tuple[str | None, str | None]:
    """(absolute path, None) for a safe relative seed path, or (None, reason)."""
    if re.search(r"[\x00-\x1f\x7f]", rel):
        return None, f"source file {_short(rel)} contains a control character (a NUL, a newline...)"
    if os.path.isabs(rel) or rel.startswith("~") or ".." in re.split(r"[\\/]", rel):
        return (
            None,
            f"source file {_short(rel)} must be a relative path inside the dataset's folder (no '..', not absolute)",
        )
    for root in seed_root(yaml_path):
        real_root = os.path.realpath(root)
        cand = os.path.realpath(os.path.join(root, rel))
        if not cand.startswith(real_root + os.sep):
            return None, f"source file {_short(rel)} leads outside the dataset's folder"
        if os.path.isfile(cand):
            return cand, None
        if os.path.exists(cand):
            return None, f"source file {_short(rel)} is not a regular file (a pipe, a device or a folder)"
    return None, f"source file {_short(rel)} not found next to the dataset or in its parent folder"


# Bounds: whatever a dataset under the size limit holds, it is answered or refused in seconds
# and well under a gigabyte.
MAX_PROBLEMS = 1000  # problems listed; the rest are counted
MAX_FIELD = 10_000  # characters in one text field (the longest in the shipped data: about 1,000)
MAX_NUMBER = 10**18  # amounts and values: far above any real one, and totals of them stay finite
QUOTE_WORK = 4 << 30  # characters of seed text scanned, over all quotes, before giving up
# records in one dataset: far above what the sources give (about 500) and what more sources would
# (thousands), and low enough that any dataset is answered or refused in about half a minute
MAX_RECORDS = 100_000


class Problems(list[Problem]):
    """The problems found (at most MAX_PROBLEMS), and how many more there were (``more``)."""

    more: int = 0


class _Checker:
    def __init__(self, yaml_path: str) -> None:
        self.path = yaml_path
        self.problems = Problems()
        self.warnings: list[Problem] = []  # what validate reports without failing
        self.seeds: list[SeedText] = []
        self.over_budget = False
        self.work_total = 0
        self._last_search: tuple[SeedText, int] | None = None

    @property
    def full(self) -> bool:
        """Whether the list of problems is full: from then on problems are only counted."""
        return len(self.problems) >= MAX_PROBLEMS

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(line, message))

    def add(self, line: int, message: str) -> None:
        if self.full:
            self.problems.more += 1
        else:
            self.problems.append(Problem(line, message))

    def may_search(self, seed: SeedText) -> bool:
        """Whether there is budget left to look for one more quote (False once it is spent)."""
        if self.over_budget:
            return False
        # the work of the search before this one, added now: a running total, not a sum over every seed
        if self._last_search is not None:
            last, before = self._last_search
            self.work_total += last.work - before
        self._last_search = (seed, seed.work)
        if self.work_total > QUOTE_WORK:
            self.over_budget = True
            self.add(
                0,
                f"checking the quotes would take too long: the seeds are too large for this many quotes "
                f"(stopped after {QUOTE_WORK:,} characters of seed text); split the seeds or the dataset",
            )
            return False
        return True

    def strings(self, rec: Any, line: int, what: str) -> None:
        """Every text in a record (keys among them): not too long, and free of control and invisible
        characters; line breaks and tabs only in prose (notes, quotes, statements, definitions)."""
        stack: list[tuple[str, Any]] = [("", rec)]
        while stack:
            key, value = stack.pop()
            if isinstance(value, dict):
                for k, v in value.items():
                    self._text(k, "", line, what, key_of=True)
                    stack.append((k if isinstance(k, str) else key, v))
            elif isinstance(value, list):
                stack.extend((key, v) for v in value)
            elif isinstance(value, str):
                self._text(value, key, line, what)

    def _text(self, text: Any, key: str, line: int, what: str, key_of: bool = False) -> None:
        if not isinstance(text, str):
            return
        where = "a field name" if key_of else f"field {_short(key)}" if key else "a value"
        if len(text) > MAX_FIELD:
            self.add(line, f"{what}: {where} is {len(text):,} characters long, over the {MAX_FIELD:,}-character limit")
            return
        if text.isprintable():
            return
        bad = _UNSAFE_TEXT.search(text)
        if bad is None and not key_of and key in _PROSE:
            return
        if bad is None:
            bad = _BREAK.search(text)
            if bad is None:
                return  # only spaces such as U+00A0
            self.add(line, f"{what}: {where} holds a line break or tab; write it on one line: {text[:60]!r}")
            return
        import unicodedata

        ch = bad.group()
        name = unicodedata.name(ch, "a control character")
        self.add(
            line,
            f"{what}: {where} holds U+{ord(ch):04X} ({name}) at character {bad.start() + 1}, a control or "
            f"invisible character a reader would not see; remove it",
        )

    def fields(self, rec: dict[str, Any], spec: dict[str, tuple[str, bool, tuple[str, ...] | None]], what: str) -> None:
        line = _line(rec, 0)
        for key in rec:
            if key not in spec:
                self.add(line, f"{what}: unknown field {_short(key)} (allowed: {', '.join(sorted(spec))})")
        for key, (typ, required, allowed) in spec.items():
            if key not in rec or rec[key] is None:
                if required:
                    self.add(line, f"{what}: missing required field {_short(key)}")
                continue
            value = rec[key]
            if not _type_ok(value, typ):
                hint = " (put it in quotes)" if typ == STR and isinstance(value, (int, float)) else ""
                if typ == NUM and isinstance(value, str):
                    hint = _number_hint(value)
                self.add(
                    line, f"{what}: field {_short(key)} must be {typ}, found {type(value).__name__} {value!r:.40}{hint}"
                )
            elif allowed is not None and value not in allowed:
                self.add(line, f"{what}: {key} {_short(value)} is not one of: {', '.join(allowed)}")
            elif typ == LIST and key not in ("citations", "alt") and not all(isinstance(x, str) for x in value):
                self.add(line, f"{what}: every item of {_short(key)} must be text")

    def date(self, value: Any, line: int, what: str) -> tuple[int, int] | None:
        if value is None:
            return None
        if not isinstance(value, str):
            return None  # reported by fields()
        try:
            d = parse_edtf(value)
        except DateError as e:
            self.add(line, f"{what}: {e}")
            return None
        if d.interval and d.start is not None and d.start == d.end:
            self.add(
                line, f"{what}: interval {_short(value)} starts and ends on the same date: write {d.start.edtf()!r}"
            )
        return d.span()


class RecordSink(Protocol):
    """Where compiled records go as they are read: a list in memory, or the compiled store."""

    def start(self, sources: dict[str, Source], seeds_dir: str) -> None: ...

    def add(self, record: Record) -> None: ...


def compile_stream(pairs: Iterable[tuple[str | None, Any, bool]], yaml_path: str, sink: RecordSink) -> list[Problem]:
    """Validate a dataset read as (top-level key, value, is list item) triples, record by record.

    Every good record goes to ``sink`` as soon as it is checked, so a dataset of any size
    is held in memory one record at a time; the problems of all records are returned,
    sorted by line. Records that come before 'sources' wait for it.
    """
    ck = _Checker(yaml_path)
    allowed_top = {"schema_version", "sources", *SECTIONS}
    state = _StreamState(ck, yaml_path, sink)
    records = 0
    for key, value, is_item in pairs:
        if key is None:
            ck.add(1, "the dataset must be a YAML mapping with 'sources' and record lists (events, funds, ...)")
            return ck.problems
        if is_item:
            records += 1
            if records > MAX_RECORDS:
                ck.add(
                    _line(value, 1),
                    f"more than {MAX_RECORDS:,} records: korasean reads datasets of up to {MAX_RECORDS:,} "
                    "records; split this one (each part with its sources) and read each with --data",
                )
                break
        if key not in allowed_top:
            ck.add(1, f"unknown top-level key {_short(key)} (allowed: {', '.join(sorted(allowed_top))})")
        elif key == "schema_version":
            if value != SCHEMA_VERSION:
                ck.add(
                    1, f"schema_version {_short(value)} is not supported (this korasean reads version {SCHEMA_VERSION})"
                )
        elif key == "sources":
            state.set_sources(value)
        elif is_item:
            state.record(key, value)
        elif value not in (None, []):
            ck.add(_line(value, 1), f"{_short(key)} must be a list of records")
    if state.sources is None:
        state.set_sources(None)
    state.finish()
    ck.problems.sort(key=lambda p: p.line)
    if hasattr(sink, "warnings"):
        sink.warnings = sorted(ck.warnings, key=lambda p: p.line)
    return ck.problems


MAX_PENDING = 50_000  # records read before 'sources' that wait for it


class _StreamState:
    def __init__(self, ck: _Checker, yaml_path: str, sink: RecordSink) -> None:
        self.ck, self.path, self.sink = ck, yaml_path, sink
        self.sources: dict[str, Source] | None = None
        self.texts: dict[str, SeedText] = {}
        self.pending: list[tuple[str, Any]] = []
        self.counts: dict[str, int] = {}
        self.seen: dict[str, int] = {}
        self.kinds: dict[str, str] = {}
        self.refs: list[tuple[int, str, str, str, bool]] = []  # line, kind, id, target, is a fund link
        self.names: dict[str, tuple[str, str]] = {}  # a fund's name as looked up -> (fund id, which name)

    def set_sources(self, items: Any) -> None:
        if self.sources is not None:
            return
        self.sources, self.texts = _compile_sources(self.ck, items, self.path)
        self.sink.start(self.sources, seed_root(self.path)[0])
        for section, rec in self.pending:
            self.record(section, rec)
        self.pending = []

    def record(self, section: str, rec: Any) -> None:
        if self.sources is None:
            if len(self.pending) == MAX_PENDING:
                self.ck.add(1, f"more than {MAX_PENDING:,} records come before 'sources': put 'sources' first")
            if len(self.pending) < MAX_PENDING:
                self.pending.append((section, rec))
            return
        kind = SECTIONS[section]
        i = self.counts.get(section, 0)
        self.counts[section] = i + 1
        # once the list of problems is full, records are still checked one by one (to count the
        # problems) but no longer remembered for the checks across records
        full = self.ck.full
        seen = {} if full else self.seen
        r = _compile_record(self.ck, rec, kind, f"{section}[{i}]", self.sources, self.texts, seen)
        if r is None or full:
            return
        self.kinds[r.id] = r.kind
        links = [("see_also", x) for x in r.see_also] + [("differs_from", x) for x in r.differs_from]
        for key in ("fund", "merged_into", "superseded_by"):
            if isinstance(r.attrs.get(key), str):
                links.append((key, r.attrs[key]))
        links += [("merged_from", x) for x in _items(r.attrs.get("merged_from")) if isinstance(x, str)]
        for key, ref in links:
            if ref == r.id:
                self.ck.add(r.line, f"{r.kind} {_short(r.id)}: {key} refers to the record itself")
            else:
                self.refs.append((r.line, r.kind, r.id, ref, key == "fund" and r.kind == "contribution"))
        if r.kind == "fund":
            self._fund_names(r)
        if r.inferred and not r.note:
            self.ck.add(r.line, f"{r.kind} {_short(r.id)}: date_inferred needs a note saying how the date was inferred")
        if isinstance(r.attrs.get("as_of"), str):
            self.ck.date(r.attrs["as_of"], r.line, f"{r.kind} {_short(r.id)}: as_of")
        if r.attrs.get("status", "done") == "done" and not r.note:
            hedged = [m.group(0) for c in r.citations for m in [_HEDGE.search(c.quote)] if m]
            if hedged:
                self.ck.warn(
                    r.line,
                    f"{r.kind} {_short(r.id)}: the quote says {hedged[0]!r}; give a status (planned, proposed, expected, "
                    "hoped, deadline) or a note saying why it is done",
                )
        if not self.ck.problems:
            self.sink.add(r)  # once anything is wrong nothing will be stored: stop the work

    def _fund_names(self, r: Record) -> None:
        """A name a user may call a fund by (id, acronym, name, alias) belongs to one fund only."""
        for what, name in fund_names(r.id, r.attrs):
            if not name:
                continue
            other = self.names.get(name)
            if other is None:
                self.names[name] = (r.id, what)
            elif other[0] != r.id:
                self.ck.add(
                    r.line,
                    f"fund {_short(r.id)}: its {what} {_short(name)} is also the {other[1]} of fund "
                    f"{_short(other[0])}; 'korasean fund {name}' could not tell them apart",
                )

    def finish(self) -> None:
        for line, kind, rid, ref, fund_link in self.refs:
            target = self.kinds.get(ref)
            if target is None:
                self.ck.add(line, f"{kind} {_short(rid)}: refers to unknown id {_short(ref)}")
            elif fund_link and target != "fund":
                self.ck.add(line, f"contribution {_short(rid)}: fund {_short(ref)} is a {target}, not a fund")


def record_order(r: Record) -> tuple[int, tuple[int, int, int, int], str]:
    """Dataset order: by kind (KINDS order), then chronologically, then by id."""
    return (_KIND_ORDER[r.kind], _sort_key(r), r.id)


_KIND_ORDER = {k: i for i, k in enumerate(SECTIONS.values())}


def _sort_key(r: Record) -> tuple[int, int, int, int]:
    return parse_edtf(r.date).sort_key() if r.date else (99999, 0, 0, 0)


def _compile_sources(ck: _Checker, items: Any, yaml_path: str) -> tuple[dict[str, Source], dict[str, SeedText]]:
    sources: dict[str, Source] = {}
    texts: dict[str, SeedText] = {}
    if not isinstance(items, list) or not items:
        ck.add(1, "'sources' must be a non-empty list of the seed documents")
        return sources, texts
    seeds = _Seeds(ck)
    for i, src in enumerate(items):
        if not isinstance(src, dict):
            ck.add(1, f"sources[{i}] must be a mapping")
            continue
        line = _line(src, 1)
        what = f"source {_short(src.get('id', i))}"
        ck.fields(src, SOURCE_FIELDS, what)
        ck.strings(src, line, what)
        sid = src.get("id")
        if not isinstance(sid, str) or not _ID.match(sid):
            ck.add(line, f"{what}: id must be lowercase letters, digits and dashes")
            continue
        if sid in sources:
            ck.add(line, f"{what}: duplicate source id")
            continue
        ck.date(src.get("date"), line, what)
        rel = src.get("file")
        seed = None
        if isinstance(rel, str):
            full, why = resolve_seed(yaml_path, rel)
            if why:
                ck.add(line, f"{what}: {why}")
            elif full:
                seed = seeds.read(full, rel, bool(src.get("numbered_paragraphs")), src.get("sha256"), line, what)
        if seed is not None:
            texts[sid] = seed
        quotes = _citations(ck, src.get("citations") or [], line, what, {sid: seed} if seed else {}, default_source=sid)
        inferred = src.get("inferred") or {}
        sources[sid] = Source(
            id=sid,
            file=rel if isinstance(rel, str) else "",
            sha256=str(src.get("sha256", "")),
            kind=str(src.get("kind", "other")),
            title=str(src.get("title", "")),
            publisher=src.get("publisher"),
            author=src.get("author"),
            date=src.get("date"),
            url=src.get("url"),
            stated=tuple(_items(src.get("stated"))),
            inferred={str(k): str(v) for k, v in inferred.items()} if isinstance(inferred, dict) else {},
            quotes=tuple(quotes),
            line=line,
            note=src.get("note") if isinstance(src.get("note"), str) else None,
        )
    return sources, texts


class _Seeds:
    """Seed files, each read, hashed and indexed once however many sources name it, after its
    size (and the size of all seeds together) is checked against the limit."""

    def __init__(self, ck: _Checker) -> None:
        from .yamlread import max_bytes

        self.ck = ck
        self.limit = max_bytes()
        self.total = 0
        self.files: dict[str, tuple[str | None, str | None]] = {}  # real path -> (text, sha256), None if unreadable
        self.indexed: dict[tuple[str, bool], SeedText] = {}

    def read(self, full: str, rel: str, numbered: bool, sha256: Any, line: int, what: str) -> SeedText | None:
        ck = self.ck
        if full not in self.files:
            self.files[full] = self._load(full, rel, line, what)
        text, digest = self.files[full]
        if digest is None:
            return None
        if isinstance(sha256, str) and digest != sha256.lower():
            ck.add(
                line,
                f"{what}: seed file {rel} has changed (sha256 {digest[:12]}…, dataset says "
                f"{_short(sha256[:12])[1:-1]}…); restore it or re-check every quote and update sha256",
            )
        if text is None:
            return None
        key = (full, numbered)
        if key not in self.indexed:
            self.indexed[key] = SeedText(text, numbered)
            ck.seeds.append(self.indexed[key])
        return self.indexed[key]

    def _load(self, full: str, rel: str, line: int, what: str) -> tuple[str | None, str | None]:
        import stat

        ck = self.ck
        try:
            # without blocking: a FIFO put in place of a seed is refused, not waited on
            fd = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            with open(fd, "rb") as f:
                st = os.fstat(f.fileno())
                if not stat.S_ISREG(st.st_mode):
                    ck.add(line, f"{what}: seed file {rel} is not a regular file")
                    return None, None
                if st.st_size > self.limit:  # checked before reading: a sparse 4 GiB file costs nothing
                    ck.add(line, f"{what}: seed file {rel} is {st.st_size:,} bytes, over the {self.limit:,}-byte limit")
                    return None, None
                if self.total + st.st_size > self.limit:
                    ck.add(
                        line,
                        f"{what}: seed file {rel} would bring the seeds to {self.total + st.st_size:,} bytes, over "
                        f"the {self.limit:,}-byte limit for all seeds together",
                    )
                    return None, None
                blob = f.read(self.limit + 1)
        except OSError as e:
            ck.add(line, f"{what}: cannot read seed file {rel}: {e.strerror or e}")
            return None, None
        if len(blob) > self.limit - self.total:  # it grew while being read
            ck.add(line, f"{what}: seed file {rel} is over the {self.limit:,}-byte limit")
            return None, None
        self.total += len(blob)
        digest = hashlib.sha256(blob).hexdigest()
        if b"\x00" in blob[:8192]:
            ck.add(line, f"{what}: cannot read seed file {rel}: it is a binary file, not UTF-8 text")
            return None, digest
        try:
            text = blob.decode("utf-8")
        except UnicodeDecodeError as e:
            where = blob[: e.start].count(b"\n") + 1
            ck.add(line, f"{what}: cannot read seed file {rel}: line {where} is not valid UTF-8 (byte {e.start})")
            return None, digest
        return text, digest


def _citations(
    ck: _Checker,
    items: Any,
    line: int,
    what: str,
    texts: dict[str, SeedText],
    default_source: str | None = None,
    known_sources: dict[str, Source] | None = None,
) -> list[Citation]:
    out: list[Citation] = []
    if not isinstance(items, list):
        return out
    for c in items:
        cline = _line(c, line)
        if not isinstance(c, dict):
            ck.add(cline, f"{what}: each citation must be a mapping with source and quote")
            continue
        for key in c:
            if key not in ("source", "quote", "line"):
                ck.add(cline, f"{what}: unknown citation field {_short(key)} (allowed: source, quote, line)")
        src = c.get("source", default_source)
        quote = c.get("quote")
        at = c.get("line")
        if not isinstance(src, str):
            ck.add(cline, f"{what}: citation needs a source id")
            continue
        if not isinstance(quote, str) or not quote.strip():
            ck.add(cline, f"{what}: citation needs a non-empty quote")
            continue
        if at is not None and (not isinstance(at, int) or isinstance(at, bool) or at < 1):
            ck.add(cline, f"{what}: citation line must be a positive whole number")
            continue
        if known_sources is not None and src not in known_sources:
            ck.add(cline, f"{what}: citation source {_short(src)} is not in 'sources'")
            continue
        seed = texts.get(src)
        if seed is None:
            continue  # the source's own problem is already reported
        if not ck.may_search(seed):
            continue  # over the budget: reported once
        hits = seed.occurrences(quote, at)
        if not hits:
            ck.add(cline, f"{what}: quote not found in seed {_short(src)}: {quote[:70]!r}")
            continue
        lines = [h.line for h in hits]
        if at is None and len(hits) > 1:
            more = ", ..." if len(hits) >= MAX_LINES else ""
            shown = ", ".join(map(str, lines)) + more
            ck.add(cline, f"{what}: quote occurs on lines [{shown}] of {_short(src)}; add 'line:' to say which")
            continue
        use = at if at is not None else lines[0]
        if lines[-1] != use:
            ck.add(cline, f"{what}: quote is not on line {at} of {_short(src)} (found on {lines})")
            continue
        out.append(Citation(src, quote, use, seed.para_at(hits[-1].offset)))
    return out


def _compile_record(
    ck: _Checker,
    rec: Any,
    kind: str,
    where: str,
    sources: dict[str, Source],
    texts: dict[str, SeedText],
    seen: dict[str, int],
) -> Record | None:
    if not isinstance(rec, dict):
        ck.add(1, f"{where}: each record must be a mapping")
        return None
    line = _line(rec, 1)
    rid = rec.get("id")
    what = f"{kind} {_short(rid)}" if isinstance(rid, str) else where
    spec = {**_COMMON, **FIELDS[kind]}
    ck.fields(rec, spec, what)
    ck.strings(rec, line, what)
    if not isinstance(rid, str):
        return None
    if not _ID.match(rid):
        ck.add(line, f"{what}: id must be lowercase letters, digits and dashes")
    elif not rid.startswith(_PREFIX[kind]):
        ck.add(line, f"{what}: {kind} ids start with {_PREFIX[kind]!r}")
    if rid in seen:
        ck.add(line, f"{what}: duplicate id (first at line {seen[rid]})")
        return None
    seen[rid] = line
    cits = rec.get("citations")
    if isinstance(cits, list) and not cits:
        ck.add(line, f"{what}: needs at least one citation")
    citations = _citations(ck, cits or [], line, what, texts, known_sources=sources)
    date = rec.get("date") if kind != "fund" else rec.get("established")
    span = ck.date(date, line, what)
    for key in ("value", "value_min", "value_max", "amount"):
        v = rec.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and (not _finite(v) or not 0 <= v <= MAX_NUMBER):
            ck.add(line, f"{what}: {key} must be a finite non-negative number of at most 1e18, found {v!r:.40}")
    attrs = {k: v for k, v in rec.items() if k not in _COMMON and k not in ("title", "date", "category")}
    if kind == "contribution":
        cur = rec.get("currency")
        if isinstance(cur, str) and not _CURRENCY.match(cur):
            ck.add(line, f"{what}: currency must be an ISO 4217 code such as USD, found {_short(cur)}")
        if not rec.get("fund") and not rec.get("recipient"):
            ck.add(line, f"{what}: give a fund id or a recipient")
    if kind == "figure":
        has_value = rec.get("value") is not None
        has_range = rec.get("value_min") is not None and rec.get("value_max") is not None
        if not has_value and not has_range:
            ck.add(line, f"{what}: give value, or value_min and value_max")
        vmin, vmax = rec.get("value_min"), rec.get("value_max")
        if (
            _type_ok(vmin, NUM)
            and _type_ok(vmax, NUM)
            and _finite(vmin)
            and _finite(vmax)
            and float(vmin) > float(vmax)  # type: ignore[arg-type]
        ):
            ck.add(line, f"{what}: value_min {vmin} is larger than value_max {vmax}")
        for alt in _items(rec.get("alt")):
            if not (isinstance(alt, dict) and _type_ok(alt.get("value"), NUM) and isinstance(alt.get("unit"), str)):
                ck.add(line, f"{what}: each alt must be a mapping with a number value and a unit")
            elif set(alt) - {"value", "unit"}:
                ck.add(
                    line,
                    f"{what}: unknown alt field {_short(sorted(set(alt) - {'value', 'unit'})[0])} (allowed: unit, value)",
                )
            elif not _finite(alt["value"]) or not 0 <= alt["value"] <= MAX_NUMBER:
                ck.add(
                    line,
                    f"{what}: alt value must be a finite non-negative number of at most 1e18, found {alt['value']!r:.40}",
                )
        attrs = {k: (list(v) if isinstance(v, list) else v) for k, v in attrs.items()}
        if isinstance(attrs.get("alt"), list):
            attrs["alt"] = [dict(a) for a in attrs["alt"] if isinstance(a, dict)]
    title = _title(kind, rec)
    return Record(
        id=rid,
        kind=kind,
        title=title,
        date=date if isinstance(date, str) else None,
        span=span,
        category=rec.get("category") if kind == "event" else None,
        citations=tuple(citations),
        inferred=bool(rec.get("date_inferred")),
        note=rec.get("note"),
        tags=tuple(str(t) for t in _items(rec.get("tags"))),
        see_also=tuple(str(t) for t in _items(rec.get("see_also"))),
        differs_from=tuple(str(t) for t in _items(rec.get("differs_from"))),
        attrs={k: (dict(v) if isinstance(v, dict) else v) for k, v in attrs.items()},
        line=line,
    )


def _title(kind: str, rec: dict[str, Any]) -> str:
    if isinstance(rec.get("title"), str):
        return str(rec["title"])
    if kind == "fund":
        name, acr = rec.get("name", ""), rec.get("acronym")
        return f"{name} ({acr})" if acr else str(name)
    if kind == "term":
        term, exp = rec.get("term", ""), rec.get("expansion")
        return f"{term}: {exp}" if exp else str(term)
    if kind == "statement":
        return f"{rec.get('speaker', '')}: {str(rec.get('text', ''))[:80]}"
    return str(rec.get("id", ""))
