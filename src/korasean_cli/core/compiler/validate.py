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
from ..data.model import EVENT_CATEGORIES, SECTIONS, STATUSES, Citation, Record, Source
from ..errors import DateError
from .seeds import SeedText

SCHEMA_VERSION = 1
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
        return None, f"source file {rel!r} contains a control character (a NUL, a newline...)"
    if os.path.isabs(rel) or rel.startswith("~") or ".." in re.split(r"[\\/]", rel):
        return None, f"source file {rel!r} must be a relative path inside the dataset's folder (no '..', not absolute)"
    for root in seed_root(yaml_path):
        real_root = os.path.realpath(root)
        cand = os.path.realpath(os.path.join(root, rel))
        if not cand.startswith(real_root + os.sep):
            return None, f"source file {rel!r} leads outside the dataset's folder"
        if os.path.isfile(cand):
            return cand, None
    return None, f"source file {rel!r} not found next to the dataset or in its parent folder"


class _Checker:
    def __init__(self, yaml_path: str) -> None:
        self.path = yaml_path
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # what validate reports without failing

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(line, message))

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def fields(self, rec: dict[str, Any], spec: dict[str, tuple[str, bool, tuple[str, ...] | None]], what: str) -> None:
        line = _line(rec, 0)
        for key in rec:
            if key not in spec:
                self.add(line, f"{what}: unknown field {key!r} (allowed: {', '.join(sorted(spec))})")
        for key, (typ, required, allowed) in spec.items():
            if key not in rec or rec[key] is None:
                if required:
                    self.add(line, f"{what}: missing required field {key!r}")
                continue
            value = rec[key]
            if not _type_ok(value, typ):
                hint = " (put it in quotes)" if typ == STR and isinstance(value, (int, float)) else ""
                self.add(line, f"{what}: field {key!r} must be {typ}, found {type(value).__name__} {value!r:.40}{hint}")
            elif allowed is not None and value not in allowed:
                self.add(line, f"{what}: {key} {value!r} is not one of: {', '.join(allowed)}")
            elif typ == LIST and key not in ("citations", "alt") and not all(isinstance(x, str) for x in value):
                self.add(line, f"{what}: every item of {key!r} must be text")

    def date(self, value: Any, line: int, what: str) -> tuple[int, int] | None:
        if value is None:
            return None
        if not isinstance(value, str):
            return None  # reported by fields()
        try:
            return parse_edtf(value).span()
        except DateError as e:
            self.add(line, f"{what}: {e}")
            return None


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
    for key, value, is_item in pairs:
        if key is None:
            ck.add(1, "the dataset must be a YAML mapping with 'sources' and record lists (events, funds, ...)")
            return ck.problems
        if key not in allowed_top:
            ck.add(1, f"unknown top-level key {key!r} (allowed: {', '.join(sorted(allowed_top))})")
        elif key == "schema_version":
            if value != SCHEMA_VERSION:
                ck.add(1, f"schema_version {value!r} is not supported (this korasean reads version {SCHEMA_VERSION})")
        elif key == "sources":
            state.set_sources(value)
        elif is_item:
            state.record(key, value)
        elif value not in (None, []):
            ck.add(_line(value, 1), f"{key!r} must be a list of records")
    if state.sources is None:
        state.set_sources(None)
    state.finish()
    ck.problems.sort(key=lambda p: p.line)
    if hasattr(sink, "warnings"):
        sink.warnings = sorted(ck.warnings, key=lambda p: p.line)
    return ck.problems


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
            self.pending.append((section, rec))
            return
        kind = SECTIONS[section]
        i = self.counts.get(section, 0)
        self.counts[section] = i + 1
        r = _compile_record(self.ck, rec, kind, f"{section}[{i}]", self.sources, self.texts, self.seen)
        if r is None:
            return
        self.kinds[r.id] = r.kind
        for ref in (*r.see_also, *r.differs_from):
            self.refs.append((r.line, r.kind, r.id, ref, False))
        for key in ("fund", "merged_into", "superseded_by"):
            if isinstance(r.attrs.get(key), str):
                self.refs.append((r.line, r.kind, r.id, r.attrs[key], key == "fund" and r.kind == "contribution"))
        for x in _items(r.attrs.get("merged_from")):
            if isinstance(x, str):
                self.refs.append((r.line, r.kind, r.id, x, False))
        if r.inferred and not r.note:
            self.ck.add(r.line, f"{r.kind} {r.id!r}: date_inferred needs a note saying how the date was inferred")
        if r.attrs.get("superseded_by") == r.id:
            self.ck.add(r.line, f"{r.kind} {r.id!r}: superseded_by names the record itself")
        if isinstance(r.attrs.get("as_of"), str):
            self.ck.date(r.attrs["as_of"], r.line, f"{r.kind} {r.id!r}: as_of")
        if r.attrs.get("status", "done") == "done" and not r.note:
            hedged = [m.group(0) for c in r.citations for m in [_HEDGE.search(c.quote)] if m]
            if hedged:
                self.ck.warn(
                    r.line,
                    f"{r.kind} {r.id!r}: the quote says {hedged[0]!r}; give a status (planned, proposed, expected, "
                    "hoped, deadline) or a note saying why it is done",
                )
        if not self.ck.problems:
            self.sink.add(r)  # once anything is wrong nothing will be stored: stop the work

    def finish(self) -> None:
        for line, kind, rid, ref, fund_link in self.refs:
            target = self.kinds.get(ref)
            if target is None:
                self.ck.add(line, f"{kind} {rid!r}: refers to unknown id {ref!r}")
            elif fund_link and target != "fund":
                self.ck.add(line, f"contribution {rid!r}: fund {ref!r} is a {target}, not a fund")


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
    from .yamlread import read_text

    for i, src in enumerate(items):
        if not isinstance(src, dict):
            ck.add(1, f"sources[{i}] must be a mapping")
            continue
        line = _line(src, 1)
        what = f"source {src.get('id', i)!r}"
        ck.fields(src, SOURCE_FIELDS, what)
        sid = src.get("id")
        if not isinstance(sid, str) or not _ID.match(sid):
            ck.add(line, f"{what}: id must be lowercase letters, digits and dashes")
            continue
        if sid in sources:
            ck.add(line, f"{what}: duplicate source id")
            continue
        ck.date(src.get("date"), line, what)
        rel = src.get("file")
        text = None
        if isinstance(rel, str):
            full, why = resolve_seed(yaml_path, rel)
            if why:
                ck.add(line, f"{what}: {why}")
            elif full:
                try:
                    with open(full, "rb") as f:
                        blob = f.read()
                    digest = hashlib.sha256(blob).hexdigest()
                    if isinstance(src.get("sha256"), str) and digest != src["sha256"].lower():
                        ck.add(
                            line,
                            f"{what}: seed file {rel} has changed (sha256 {digest[:12]}…, dataset says "
                            f"{src['sha256'][:12]}…); restore it or re-check every quote and update sha256",
                        )
                    text = read_text(full, "seed file")
                except Exception as e:  # noqa: BLE001 - any read failure is one reported problem
                    ck.add(line, f"{what}: cannot read seed file {rel}: {e}")
        seed = SeedText(text, bool(src.get("numbered_paragraphs"))) if text is not None else None
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
                ck.add(cline, f"{what}: unknown citation field {key!r} (allowed: source, quote, line)")
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
            ck.add(cline, f"{what}: citation source {src!r} is not in 'sources'")
            continue
        seed = texts.get(src)
        if seed is None:
            continue  # the source's own problem is already reported
        hits = seed.occurrences(quote)
        if not hits:
            ck.add(cline, f"{what}: quote not found in seed {src!r}: {quote[:70]!r}")
            continue
        if at is None and len(set(hits)) > 1:
            ck.add(cline, f"{what}: quote occurs on lines {sorted(set(hits))} of {src!r}; add 'line:' to say which")
            continue
        use = at if at is not None else hits[0]
        if use not in hits:
            ck.add(cline, f"{what}: quote is not on line {at} of {src!r} (found on {sorted(set(hits))})")
            continue
        out.append(Citation(src, quote, use, seed.para_of_quote(quote, use)))
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
    what = f"{kind} {rid!r}" if isinstance(rid, str) else where
    spec = {**_COMMON, **FIELDS[kind]}
    ck.fields(rec, spec, what)
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
        if isinstance(v, (int, float)) and not isinstance(v, bool) and (not _finite(v) or v < 0):
            ck.add(line, f"{what}: {key} must be a finite non-negative number, found {v!r:.40}")
    attrs = {k: v for k, v in rec.items() if k not in _COMMON and k not in ("title", "date", "category")}
    if kind == "contribution":
        cur = rec.get("currency")
        if isinstance(cur, str) and not _CURRENCY.match(cur):
            ck.add(line, f"{what}: currency must be an ISO 4217 code such as USD, found {cur!r}")
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
                    f"{what}: unknown alt field {sorted(set(alt) - {'value', 'unit'})[0]!r} (allowed: unit, value)",
                )
            elif not _finite(alt["value"]) or alt["value"] < 0:
                ck.add(line, f"{what}: alt value must be a finite non-negative number, found {alt['value']!r:.40}")
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
