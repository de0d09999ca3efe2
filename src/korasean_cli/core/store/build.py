"""Compiling a dataset into its store: validate the YAML, then write every table in one transaction."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from ..data.model import SECTIONS, Record, Source
from ..data.text import shown_path
from ..errors import InvalidData
from . import schema


class _Collect:
    """A RecordSink (compiler/validate.py): the records, to be sorted into dataset order."""

    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.seeds_dir = ""
        self.records: list[Record] = []

    def start(self, sources: dict[str, Source], seeds_dir: str) -> None:
        self.sources, self.seeds_dir = sources, seeds_dir

    def add(self, record: Record) -> None:
        self.records.append(record)


def compile_yaml(data_path: str) -> tuple[_Collect | None, list[str]]:
    """Read and validate a dataset: (its records and sources, []) or (None, ['file:line: message', ...])."""
    from ..compiler.validate import compile_stream
    from ..compiler.yamlread import iter_top_level

    sink = _Collect()
    with open(data_path, "rb") as f:
        problems = compile_stream(iter_top_level(f, data_path, frozenset(SECTIONS)), data_path, sink)
    name = shown_path(os.path.basename(data_path))
    if problems:
        report = ProblemList(f"{name}:{p.line}: {p.message}" for p in problems)
        more = getattr(problems, "more", 0)
        report.total = len(problems) + more
        if more:
            report.append(
                f"{name}: ... and {more:,} more problem{'s' if more != 1 else ''} not listed (fix these first)"
            )
        return None, report
    return sink, []


class ProblemList(list[str]):
    """'file:line: message' lines; total counts the problems, listed or not."""

    total: int = 0


def problem_count(problems: list[str]) -> int:
    return getattr(problems, "total", 0) or len(problems)


def compile_or_raise(data_path: str) -> _Collect:
    got, problems = compile_yaml(data_path)
    if got is None:
        n = problem_count(problems)
        shown = shown_path(data_path)
        raise InvalidData(
            f"dataset {shown} is invalid ({n:,} problem{'s' if n != 1 else ''}); run 'korasean validate {shown}' for the list",
            problems,
        )
    return got


def write_store(
    conn: sqlite3.Connection,
    sources: dict[str, Source],
    records: list[Record],
    meta: dict[str, str],
    search: bool = True,
) -> None:
    """Every table of the store, in one transaction: readers see all of it or none."""
    from ..compiler.validate import SCHEMA_VERSION, record_order

    ordered = sorted(records, key=record_order)
    with conn:
        schema.create(conn)
        schema.insert_sources(conn, sources.values())
        schema.insert_records(conn, enumerate(ordered))
        if search:
            from ..search.index import write_index

            write_index(conn, ordered)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", {**meta, "schema_version": str(SCHEMA_VERSION)}.items())


def in_memory(sources: dict[str, Source], records: list[Record], seeds_dir: str = "") -> Any:
    """A Dataset of the given records, in a private in-memory store (for tests and tools)."""
    from .dataset import Dataset

    conn = sqlite3.connect(":memory:")
    meta = {"seeds_dir": seeds_dir, "digest": ""}
    write_store(conn, sources, records, meta)
    return Dataset(conn, "", meta)
