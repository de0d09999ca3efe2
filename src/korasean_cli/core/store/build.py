"""Compiling a dataset into its store: validate the YAML, then write every table in one transaction."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from ..data.model import SECTIONS, Record, Source
from ..data.text import shown_path
from ..errors import InvalidData
from . import schema


class Compiled:
    """What a compile gives besides the store itself: the sources and the warnings."""

    def __init__(self, writer: schema.RecordWriter, warnings: list[Any]) -> None:
        self.sources = writer.sources
        self.seeds_dir = writer.seeds_dir
        self.warnings = warnings


def compile_into(conn: sqlite3.Connection, data_path: str, meta_for: Any) -> tuple[Compiled | None, list[str]]:
    """Read, validate and store a dataset in one pass, each record written as soon as it is checked
    (memory never holds the whole dataset): (what was compiled, []) or (None, ['file:line: message', ...]),
    in which case the store is incomplete and must be thrown away."""
    from ..compiler.searchaids import read_search_aids
    from ..compiler.validate import compile_stream
    from ..compiler.yamlread import iter_top_level

    with conn:
        schema.create(conn)
        writer = schema.RecordWriter(conn)
        writer.warnings = []  # type: ignore[attr-defined]  # compile_stream fills them in
        with open(data_path, "rb") as f:
            problems = compile_stream(iter_top_level(f, data_path, frozenset(SECTIONS)), data_path, writer)
        name = shown_path(os.path.basename(data_path))
        report = ProblemList(f"{name}:{p.line}: {p.message}" for p in problems)
        more = getattr(problems, "more", 0)
        report.total = len(problems) + more
        if more:
            report.append(
                f"{name}: ... and {more:,} more problem{'s' if more != 1 else ''} not listed (fix these first)"
            )
        # a record with problems of its own is not stored: its paraphrases' id is not checked then
        aids, aid_problems = read_search_aids(data_path, None if report else lambda ids: _known_ids(conn, ids))
        report += aid_problems
        report.total += len(aid_problems)
        if report:
            return None, report
        # the store's meta: what it was built from (meta_for is given the sources the YAML names)
        meta = {**meta_for(writer.sources), "seeds_dir": writer.seeds_dir}
        _finish(conn, writer, meta, aids, search=True)
    return Compiled(writer, writer.warnings), []  # type: ignore[attr-defined]


def _known_ids(conn: sqlite3.Connection, ids: Any) -> set[str]:
    """Which of ids the records being compiled (still in the writer's pending table) have."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS asked (id TEXT PRIMARY KEY)")
    conn.executemany("INSERT OR IGNORE INTO asked VALUES (?)", ((i,) for i in ids))
    found = {i for (i,) in conn.execute("SELECT id FROM asked WHERE id IN (SELECT id FROM pending)")}
    conn.execute("DROP TABLE asked")
    return found


class ProblemList(list[str]):
    """'file:line: message' lines; total counts the problems, listed or not."""

    total: int = 0


def problem_count(problems: list[str]) -> int:
    return getattr(problems, "total", 0) or len(problems)


def compile_or_raise(conn: sqlite3.Connection, data_path: str, meta_for: Any) -> Compiled:
    got, problems = compile_into(conn, data_path, meta_for)
    if got is None:
        n = problem_count(problems)
        shown = shown_path(data_path)
        raise InvalidData(
            f"dataset {shown} is invalid ({n:,} problem{'s' if n != 1 else ''}); run 'korasean validate {shown}' for the list",
            problems,
        )
    return got


def _finish(
    conn: sqlite3.Connection, writer: schema.RecordWriter, meta: dict[str, str], aids: Any, search: bool
) -> None:
    from ..compiler.validate import SCHEMA_VERSION

    writer.finish()
    if search:
        from ..compiler.searchaids import EMPTY
        from ..search.index import write_index

        def in_order() -> Any:
            for (body,) in conn.execute("SELECT body FROM records ORDER BY pos"):
                yield schema.record_from_body(body)

        write_index(conn, in_order(), aids or EMPTY)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", {**meta, "schema_version": str(SCHEMA_VERSION)}.items())


def write_store(
    conn: sqlite3.Connection,
    sources: dict[str, Source],
    records: list[Record],
    meta: dict[str, str],
    search: bool = True,
    aids: Any = None,
) -> None:
    """A store of the given records (already checked), in one transaction."""
    with conn:
        schema.create(conn)
        writer = schema.RecordWriter(conn)
        writer.start(sources, meta.get("seeds_dir", ""))
        for r in records:
            writer.add(r)
        _finish(conn, writer, meta, aids, search)


def in_memory(sources: dict[str, Source], records: list[Record], seeds_dir: str = "", aids: Any = None) -> Any:
    """A Dataset of the given records, in a private in-memory store (for tests and tools)."""
    from .dataset import Dataset

    conn = sqlite3.connect(":memory:")
    meta = {"seeds_dir": seeds_dir, "digest": ""}
    write_store(conn, sources, records, meta, aids=aids)
    return Dataset(conn, "", meta)
