"""Compiling a dataset into its store: validate the YAML, then write every table in one transaction."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from ..data.model import SECTIONS, Record, Source
from ..errors import InvalidData
from . import schema


class _Collect:
    """A RecordSink (compiler/validate.py): the records, to be sorted into dataset order."""

    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.seeds_dir = ""
        self.records: list[Record] = []
        self.thesaurus: Any = None
        self.warnings: list[Any] = []  # validate shows them; they fail nothing

    def start(self, sources: dict[str, Source], seeds_dir: str) -> None:
        self.sources, self.seeds_dir = sources, seeds_dir

    def add(self, record: Record) -> None:
        self.records.append(record)


def compile_yaml(data_path: str) -> tuple[_Collect | None, list[str]]:
    """Read and validate a dataset: (its records and sources, []) or (None, ['file:line: message', ...])."""
    from ..compiler.thesaurus import read_thesaurus
    from ..compiler.validate import compile_stream
    from ..compiler.yamlread import iter_top_level

    sink = _Collect()
    with open(data_path, "rb") as f:
        problems = compile_stream(iter_top_level(f, data_path, frozenset(SECTIONS)), data_path, sink)
    name = os.path.basename(data_path)
    found = [f"{name}:{p.line}: {p.message}" for p in problems]
    sink.thesaurus, thesaurus_problems = read_thesaurus(data_path)
    found += thesaurus_problems
    return (None, found) if found else (sink, [])


def compile_or_raise(data_path: str) -> _Collect:
    got, problems = compile_yaml(data_path)
    if got is None:
        raise InvalidData(
            f"dataset {data_path} is invalid ({len(problems)} problem{'s' if len(problems) != 1 else ''}); "
            f"run 'korasean validate {data_path}' for the list",
            problems,
        )
    return got


def write_store(
    conn: sqlite3.Connection,
    sources: dict[str, Source],
    records: list[Record],
    meta: dict[str, str],
    search: bool = True,
    thesaurus: Any = None,
) -> None:
    """Every table of the store, in one transaction: readers see all of it or none."""
    from ..compiler.validate import SCHEMA_VERSION, record_order

    ordered = sorted(records, key=record_order)
    with conn:
        schema.create(conn)
        schema.insert_sources(conn, sources.values())
        schema.insert_records(conn, enumerate(ordered))
        if search:
            from ..compiler.thesaurus import EMPTY
            from ..search.index import write_index

            write_index(conn, ordered, thesaurus or EMPTY)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", {**meta, "schema_version": str(SCHEMA_VERSION)}.items())


def in_memory(sources: dict[str, Source], records: list[Record], seeds_dir: str = "", thesaurus: Any = None) -> Any:
    """A Dataset of the given records, in a private in-memory store (for tests and tools)."""
    from .dataset import Dataset

    conn = sqlite3.connect(":memory:")
    meta = {"seeds_dir": seeds_dir, "digest": ""}
    write_store(conn, sources, records, meta, thesaurus=thesaurus)
    return Dataset(conn, "", meta)
