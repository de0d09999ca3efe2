"""The one SQLite schema: the compiled cache every command reads, and `export --format sqlite`.

Every record kind has its table-shaped view over ``records``, so a Datasette user sees each
fact by kind with its own columns; ``citations`` and ``links`` are plain tables. The cache
adds the search index's tables (search/index.py); the export adds full-text search.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable
from typing import Any

from ..data.model import Record, Source

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, file TEXT NOT NULL, sha256 TEXT NOT NULL,
    kind TEXT NOT NULL, title TEXT NOT NULL, publisher TEXT, author TEXT, date TEXT, url TEXT,
    note TEXT, body TEXT NOT NULL
);
CREATE TABLE records (
    pos INTEGER PRIMARY KEY,            -- dataset order: kind, then chronological, then id
    id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, title TEXT NOT NULL,
    date TEXT,                          -- EDTF, at the precision the source gives
    date_display TEXT, date_inferred INTEGER NOT NULL,
    earliest TEXT, latest TEXT,         -- first and last day the date can cover (ISO; empty when open)
    span_lo INTEGER, span_hi INTEGER,   -- the same as day ordinals, for range queries
    category TEXT, note TEXT,
    status TEXT NOT NULL,               -- what the source says of it: done, planned, proposed, ...
    superseded_by TEXT,
    fund TEXT,                          -- a contribution's fund id
    sort_name TEXT,                     -- a glossary entry's name, lower-cased: the glossary's order
    body TEXT NOT NULL,                 -- the whole record as JSON
    crc INTEGER NOT NULL                -- CRC-32 of body: a damaged row is found, never trusted
);
CREATE INDEX records_kind ON records (kind, pos);
CREATE INDEX records_fund ON records (fund) WHERE fund IS NOT NULL;
CREATE INDEX records_sort_name ON records (sort_name, pos) WHERE sort_name IS NOT NULL;
CREATE TABLE citations (
    record_id TEXT NOT NULL REFERENCES records (id), n INTEGER NOT NULL,
    source TEXT NOT NULL REFERENCES sources (id), quote TEXT NOT NULL, line INTEGER NOT NULL, paragraph TEXT,
    PRIMARY KEY (record_id, n)
);
CREATE INDEX citations_source ON citations (source);
CREATE TABLE links (
    from_id TEXT NOT NULL REFERENCES records (id), relation TEXT NOT NULL, to_id TEXT NOT NULL
);
CREATE INDEX links_to ON links (to_id);
CREATE TABLE fund_names (name TEXT PRIMARY KEY, fund_id TEXT NOT NULL);
"""

# column name -> the record field (attrs key) it shows, per kind
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "event": ("place", "parties"),
    "fund": ("name", "acronym", "established", "merged_into", "merged_from", "parties"),
    "contribution": ("fund", "recipient", "contributor", "amount", "currency", "basis"),
    "figure": ("metric", "value", "value_min", "value_max", "unit", "qualifier", "according_to"),
    "statement": ("speaker", "role", "text"),
    "term": ("term", "expansion", "kind", "variants"),
}
VIEW_NAMES = {
    "event": "events",
    "fund": "funds",
    "contribution": "contributions",
    "figure": "figures",
    "statement": "statements",
    "term": "terms",
}


def _views() -> str:
    out = []
    for kind, cols in KIND_COLUMNS.items():
        extra = "".join(f", json_extract(body, '$.attrs.{c}') AS {'term_kind' if c == 'kind' else c}" for c in cols)
        cat = ", category" if kind == "event" else ""
        out.append(
            f"CREATE VIEW {VIEW_NAMES[kind]} AS SELECT id, date, date_display, date_inferred, earliest, latest,"
            f" title{cat}{extra}, status, superseded_by, note,"
            f" (SELECT group_concat(DISTINCT source) FROM citations c WHERE c.record_id = records.id) AS sources"
            f" FROM records WHERE kind = '{kind}' ORDER BY pos;"
        )
    return "\n".join(out)


FTS = """
CREATE VIRTUAL TABLE records_fts USING fts5 (id UNINDEXED, title, quotes, note);
INSERT INTO records_fts (rowid, id, title, quotes, note)
    SELECT r.pos, r.id, r.title, (SELECT group_concat(quote, ' ') FROM citations c WHERE c.record_id = r.id), r.note
    FROM records r;
"""


def create(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA + _views())


def add_fts(conn: sqlite3.Connection) -> None:
    conn.executescript(FTS)


# -- rows -------------------------------------------------------------------------------


def record_body(r: Record) -> str:
    return json.dumps(
        {
            "id": r.id, "kind": r.kind, "title": r.title, "date": r.date, "span": r.span, "category": r.category,
            "citations": r.citations, "inferred": r.inferred, "note": r.note, "tags": r.tags,
            "see_also": r.see_also, "differs_from": r.differs_from, "attrs": r.attrs, "line": r.line,
        },
        ensure_ascii=False,
    )  # fmt: skip


def record_from_body(body: str) -> Record:
    from ..data.model import Citation

    d = json.loads(body)
    span = d["span"]
    return Record(
        d["id"], d["kind"], d["title"], d["date"], tuple(span) if span else None, d["category"],  # type: ignore[arg-type]
        tuple(Citation(*c) for c in d["citations"]), d["inferred"], d["note"], tuple(d["tags"]),
        tuple(d["see_also"]), tuple(d["differs_from"]), d["attrs"], d["line"],
    )  # fmt: skip


def source_body(s: Source) -> str:
    return json.dumps(s._asdict(), ensure_ascii=False)


def source_from_body(body: str) -> Source:
    from ..data.model import Citation

    d = json.loads(body)
    d["stated"] = tuple(d["stated"])
    d["quotes"] = tuple(Citation(*c) for c in d["quotes"])
    return Source(**d)


def crc(body: str) -> int:
    return zlib.crc32(body.encode("utf-8", "surrogatepass"))


def insert_sources(conn: sqlite3.Connection, sources: Iterable[Source]) -> None:
    conn.executemany(
        "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            (i, s.id, s.file, s.sha256, s.kind, s.title, s.publisher, s.author, s.date, s.url, s.note, source_body(s))
            for i, s in enumerate(sources)
        ),
    )


class RecordWriter:
    """Writes records into the store one at a time, as the compiler checks them (a RecordSink), so
    memory never holds the whole dataset; finish() puts them in dataset order."""

    _PENDING = (
        "CREATE TEMP TABLE pending (k0 INTEGER, k1 INTEGER, k2 INTEGER, k3 INTEGER, k4 INTEGER, id TEXT, kind TEXT,"
        " title TEXT, date TEXT, date_display TEXT, date_inferred INTEGER, earliest TEXT, latest TEXT, span_lo INTEGER,"
        " span_hi INTEGER, category TEXT, note TEXT, status TEXT, superseded_by TEXT, fund TEXT, sort_name TEXT,"
        " body TEXT, crc INTEGER)"
    )

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute(self._PENDING)
        self.names: dict[str, tuple[Any, str]] = {}  # what a fund is called -> (its order, its id)
        self.sources: dict[str, Source] = {}
        self.seeds_dir = ""

    def start(self, sources: dict[str, Source], seeds_dir: str) -> None:
        self.sources, self.seeds_dir = sources, seeds_dir  # stored by finish(), once all is known good

    def add(self, r: Record) -> None:
        from ..compiler.validate import record_order
        from ..data.dates import display, span_iso
        from ..data.model import fund_keys

        order = record_order(r)
        body = record_body(r)
        lo, hi = r.span if r.span else (None, None)
        first, last = span_iso(r.span)
        fund = r.attrs.get("fund") if r.kind == "contribution" and isinstance(r.attrs.get("fund"), str) else None
        self.conn.execute(
            "INSERT INTO pending VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (order[0], *order[1], r.id, r.kind, r.title, r.date, display(r.date) if r.date else None,
             int(r.inferred), first, last, lo, hi, r.category, r.note, str(r.attrs.get("status") or "done"),
             r.attrs.get("superseded_by"), fund, str(r.attrs.get("term", "")).lower() if r.kind == "term" else None,
             body, crc(body)),
        )  # fmt: skip
        self.conn.executemany(
            "INSERT INTO citations VALUES (?,?,?,?,?,?)", ((r.id, n, *c) for n, c in enumerate(r.citations))
        )
        self.conn.executemany(
            "INSERT INTO links VALUES (?,?,?)",
            [*((r.id, "differs", t) for t in r.differs_from), *((r.id, "see also", t) for t in r.see_also)],
        )
        if r.kind == "fund":
            for key in fund_keys(r.id, r.attrs):
                if key not in self.names or self.names[key][0] < order:
                    self.names[key] = (order, r.id)  # the later fund of the same name, in dataset order, wins

    def finish(self) -> None:
        """Number the records in dataset order, and end each record another replaced where its successor starts."""
        from ..data.dates import OPEN_END

        c = self.conn
        insert_sources(c, self.sources.values())
        c.execute(
            "INSERT INTO records SELECT row_number() OVER (ORDER BY k0, k1, k2, k3, k4, id) - 1, id, kind, title, date,"
            " date_display, date_inferred, earliest, latest, span_lo, span_hi, category, note, status, superseded_by,"
            " fund, sort_name, body, crc FROM pending"
        )
        c.execute("DROP TABLE pending")
        c.executemany("INSERT INTO fund_names VALUES (?,?)", ((k, v[1]) for k, v in self.names.items()))
        # the record that replaced an open-ended one holds on in its place (the AKCF's USD 16 million a
        # year from 2022 is the amount in 2023): derived, for choosing rows by date only ...
        successor_start = "(SELECT s.span_lo FROM records s WHERE s.id = records.superseded_by)"
        c.execute(
            "CREATE TEMP TABLE carries AS SELECT superseded_by AS id FROM records"
            " WHERE superseded_by IS NOT NULL AND span_hi = ?",
            (OPEN_END,),
        )
        c.execute(
            f"UPDATE records SET span_hi = ? WHERE span_hi IS NOT NULL AND id IN (SELECT id FROM carries)"
            f" AND (superseded_by IS NULL OR {successor_start} IS NULL)",
            (OPEN_END,),
        )
        c.execute("DROP TABLE carries")
        # ... and one another replaced holds only until its successor starts ("since 2019" stops in 2022)
        c.execute(
            f"UPDATE records SET span_hi = max(span_lo, min(span_hi, {successor_start} - 1))"
            f" WHERE span_hi IS NOT NULL AND {successor_start} IS NOT NULL"
        )
