"""What a validated dataset becomes on disk, and how it is read back (see store.py for the file).

Sections written for every dataset:

- ``records`` (indexed): every record as a marshalled plain tuple, in dataset order
  (kind, then chronologically, then id); ``meta['kinds']`` gives each kind's range.
- ``ids``: id -> position, for ``show``, ``cite ID`` and links.
- ``links``: id -> ((relation, id), ...) of the records that point at it, so links are
  followed both ways without reading every record.
- ``ev_span`` (int64 pairs), ``ev_cat`` (one byte each), ``ev_src``: what timeline filters on.
- ``ev_row`` (indexed): each event's display cells; ``ev_json`` (indexed): each event's ``--json`` text,
  exactly as ``json.dumps(..., indent=2)`` prints it inside a list, followed by the list's
  separator (so consecutive events are one slice); ``ev_plain`` (indexed): each event's
  plain output line; ``ev_grep`` (indexed): the lower-cased text ``--grep`` searches.
- ``sources`` (indexed): the seed documents, each read when a command cites it.

The writer is a RecordSink (validate.py): records arrive one at a time while the YAML is
read, go to a spool file at once, and are copied into dataset order at the end, so memory
holds a few numbers per record whatever the dataset's size.
"""

from __future__ import annotations

import json
import marshal
from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any, overload

from .humanize import event_row, plain_cells
from .model import EVENT_CATEGORIES, KINDS, Citation, Dataset, Record, Source, fund_keys
from .serialize import record_dict
from .store import CacheDamaged, SectionWriter, Store
from .text import plain_line

# a span of "undated": sorts after every date, matches no range
UNDATED = (1 << 62, -(1 << 62))


def record_plain(r: Record) -> tuple[Any, ...]:
    return (r.id, r.kind, r.title, r.date, r.span, r.category, tuple(tuple(c) for c in r.citations), r.inferred,
            r.note, r.tags, r.see_also, r.differs_from, r.attrs, r.line)  # fmt: skip


def source_plain(s: Source) -> tuple[Any, ...]:
    return (s.id, s.file, s.sha256, s.kind, s.title, s.publisher, s.author, s.date, s.url, s.stated,
            s.inferred, tuple(tuple(c) for c in s.quotes), s.line, s.note)  # fmt: skip


def json_fragment(ds: Dataset, r: Record) -> bytes:
    """r's --json text as an item of a list printed with indent=2, and the list separator after it."""
    return json.dumps([record_dict(ds, r)], ensure_ascii=False, indent=2)[2:-2].encode("utf-8") + b",\n"


def grep_text(r: Record) -> str:
    return (r.title + " " + " ".join(c.quote for c in r.citations)).lower()


class CompiledWriter:
    """A RecordSink that spools records, then writes the store in dataset order."""

    def __init__(self) -> None:
        import tempfile  # only a compile needs it: importing it costs a warm run ~5 ms

        self.spool: IO[bytes] = tempfile.TemporaryFile(prefix="korasean-")
        self.pos = 0
        # per record: (order key, id, spool offset, lengths of its parts: the plain record, and
        # for events their JSON, grep text, timeline extras and plain line); the rest waits in the spool
        self.entries: list[tuple[Any, ...]] = []
        self.links: list[tuple[str, str, str]] = []  # (target id, relation, from id)
        self.acronyms: dict[str, str] = {}  # for the search index (search.acronyms_of)
        self.aliases: dict[tuple[str, ...], None] = {}  # and search.aliases_of, each list once
        self.ds = Dataset(0, {}, (), "")

    def start(self, sources: dict[str, Source], seeds_dir: str) -> None:
        from .validate import SCHEMA_VERSION

        self.ds = Dataset(SCHEMA_VERSION, sources, (), seeds_dir)

    def add(self, r: Record) -> None:
        from .validate import record_order

        parts = [marshal.dumps(record_plain(r))]
        if r.kind == "event":
            cat = EVENT_CATEGORIES.index(r.category) if r.category in EVENT_CATEGORIES else 255
            parts.append(json_fragment(self.ds, r))
            parts.append(grep_text(r).encode("utf-8"))
            sources = tuple(dict.fromkeys(c.source for c in r.citations))
            row = event_row(r)
            parts.append(marshal.dumps((r.span or UNDATED, cat, sources, row)))
            parts.append((plain_line(plain_cells(row)) + "\n").encode("utf-8"))
        for p in parts:
            self.spool.write(p)
        if len(self.entries) % 256 == 255:
            # json.dumps with indent builds closures that refer to each other: a few dozen
            # objects of cyclic garbage per event. The CLI runs with the cyclic GC off, so sweep
            # the young generation now and then (50,000 records: 144 -> ~100 MiB at the peak).
            import gc

            gc.collect(0)
        self.entries.append((record_order(r), r.id, self.pos, *(len(p) for p in parts)))
        self.pos += sum(len(p) for p in parts)
        if r.kind == "term":
            if r.attrs.get("expansion"):
                self.acronyms[str(r.attrs.get("term", "")).lower()] = str(r.attrs["expansion"])
            from .search import aliases_of

            for names in aliases_of([r]):
                self.aliases.setdefault(tuple(names), None)
        for target in r.differs_from:
            self.links.append((target, "differs", r.id))
        for target in r.see_also:
            self.links.append((target, "see also", r.id))

    def _read(self, off: int, n: int) -> bytes:
        self.spool.seek(off)
        return self.spool.read(n)

    def write(self, f: IO[bytes], meta: dict[str, Any]) -> None:
        """The store, in dataset order, to the open file f."""
        order = sorted(range(len(self.entries)), key=lambda i: self.entries[i][0])
        w = SectionWriter(f)  # type: ignore[arg-type]
        kinds: dict[str, list[int]] = {}
        for pos, i in enumerate(order):
            kind = KINDS[self.entries[i][0][0]]
            kinds.setdefault(kind, [pos, pos])[1] = pos + 1
        w.indexed("records", (self._read(self.entries[i][2], self.entries[i][3]) for i in order))
        w.hashed("ids", {self.entries[i][1]: pos for pos, i in enumerate(order)})
        back: dict[str, list[tuple[str, str]]] = {}
        for target, rel, src in self.links:
            back.setdefault(target, []).append((rel, src))
        w.hashed("links", {k: tuple(v) for k, v in back.items()})
        w.obj("acronyms", self.acronyms)
        w.obj("aliases", [list(names) for names in self.aliases])
        w.indexed("sources", (marshal.dumps(source_plain(s)) for s in self.ds.sources.values()))
        self._fund_indexes(w, order, kinds)
        events = [i for i in order if len(self.entries[i]) > 4]

        def part(i: int, k: int) -> bytes:
            e = self.entries[i]
            return self._read(e[2] + sum(e[3 : 3 + k]), e[3 + k])

        extras = [marshal.loads(part(i, 3)) for i in events]  # (span, category, sources, row)
        spans = array("q")
        for x in extras:
            spans.extend(x[0])
        w.raw("ev_span", spans.tobytes())
        w.raw("ev_cat", bytes(x[1] for x in extras))
        w.obj("ev_src", tuple(x[2] for x in extras))
        w.indexed("ev_row", (marshal.dumps(x[3]) for x in extras))
        del extras
        w.indexed("ev_json", (part(i, 1) for i in events))
        w.indexed("ev_grep", (part(i, 2) for i in events))
        w.indexed("ev_plain", (part(i, 4) for i in events))
        w.finish(
            {
                **meta,
                "schema": self.ds.schema_version,
                "source_ids": tuple(self.ds.sources),
                "seeds_dir": self.ds.seed_texts_path,
                "kinds": {k: tuple(v) for k, v in kinds.items()},
                "n": len(order),
            }
        )

    def _fund_indexes(self, w: SectionWriter, order: list[int], kinds: dict[str, list[int]]) -> None:
        """What a fund is called -> its position; fund id -> its contributions' positions."""
        names: dict[str, int] = {}
        lo, hi = kinds.get("fund", (0, 0))
        for pos in range(lo, hi):
            e = self.entries[order[pos]]
            r = marshal.loads(self._read(e[2], e[3]))
            for key in fund_keys(r[0], r[12]):
                names[key] = pos  # a later fund of the same name wins, as in query.find_fund
        by_fund: dict[str, list[int]] = {}
        lo, hi = kinds.get("contribution", (0, 0))
        for pos in range(lo, hi):
            e = self.entries[order[pos]]
            fund = marshal.loads(self._read(e[2], e[3]))[12].get("fund")
            if isinstance(fund, str):
                by_fund.setdefault(fund, []).append(pos)
        w.hashed("fund_names", names)
        w.hashed("by_fund", {k: tuple(v) for k, v in by_fund.items()})

    def close(self) -> None:
        self.spool.close()


# -- reading ----------------------------------------------------------------------------


def decode_record(store: Store, blob: bytes | memoryview) -> Record:
    r = store.decode(blob, "a record")
    try:
        cits = tuple(Citation._make(c) for c in r[6])
        rec = Record._make((*r[:6], cits, *r[7:]))
        if not (isinstance(rec.id, str) and isinstance(rec.attrs, dict)):
            raise TypeError
        return rec
    except Exception:  # noqa: BLE001 - a record of the wrong shape means a damaged store
        raise CacheDamaged(store.path, "a record has the wrong shape") from None


class StoredRecords(Sequence[Record]):
    """All records of a store, decoded when first asked for: by kind, by position, or all."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.kinds: dict[str, tuple[int, int]] = store.meta["kinds"]
        self.n: int = store.meta["n"]
        self._kinds: dict[str, tuple[Record, ...]] = {}
        self._one: dict[int, Record] = {}

    def of_kind(self, kind: str) -> tuple[Record, ...]:
        got = self._kinds.get(kind)
        if got is None:
            lo, hi = self.kinds.get(kind, (0, 0))
            got = self.decode_range(lo, hi)
            self._kinds[kind] = got
        return got

    def decode_range(self, lo: int, hi: int) -> tuple[Record, ...]:
        import gc

        was = gc.isenabled()
        gc.disable()
        try:
            return tuple(decode_record(self.store, b) for b in self.store.items("records", lo, hi))
        finally:
            if was:
                gc.enable()

    def at(self, i: int) -> Record:
        for kind, (lo, hi) in self.kinds.items():
            if lo <= i < hi and kind in self._kinds:
                return self._kinds[kind][i - lo]
        r = self._one.get(i)
        if r is None:
            r = self._one[i] = decode_record(self.store, self.store.item("records", i))
        return r

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, i: int) -> Record: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Record]: ...
    def __getitem__(self, i: int | slice) -> Record | Sequence[Record]:
        if isinstance(i, slice):
            return tuple(self)[i]
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError(i)
        return self.at(i)

    def __iter__(self) -> Iterator[Record]:
        for kind in KINDS:
            yield from self.of_kind(kind)

    def stream(self, chunk: int = 2000) -> Iterator[Record]:
        """Every record in order, decoded a chunk at a time and not kept (for whole-dataset passes)."""
        for lo in range(0, self.n, chunk):
            yield from self.decode_range(lo, min(self.n, lo + chunk))


class StoredSources(Mapping[str, Source]):
    """The sources of a store: their ids from the header, each source read when first needed
    (a dataset may have a seed per few records: a lookup reads only the sources it cites)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids: tuple[str, ...] = tuple(store.meta["source_ids"])
        self._pos: dict[str, int] | None = None
        self._read: dict[str, Source] = {}

    def __contains__(self, key: object) -> bool:
        return key in self.ids

    def __getitem__(self, key: str) -> Source:
        s = self._read.get(key)
        if s is None:
            if self._pos is None:
                self._pos = {k: i for i, k in enumerate(self.ids)}
            s = self._read[key] = self._decode(self.store.item("sources", self._pos[key]))
        return s

    def _decode(self, blob: memoryview) -> Source:
        s = self.store.decode(blob, "a source")
        try:
            return Source._make((*s[:11], tuple(Citation._make(c) for c in s[11]), s[12], s[13]))
        except Exception:  # noqa: BLE001
            raise CacheDamaged(self.store.path, "bad sources") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __eq__(self, other: object) -> bool:
        return dict(self.items()) == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


def open_dataset(store: Store, digest: str) -> Dataset:
    meta = store.meta
    try:
        sources = StoredSources(store)
        return Dataset(meta["schema"], sources, StoredRecords(store), meta["seeds_dir"], digest)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001
        raise CacheDamaged(store.path, "bad header") from None
