"""Immutable, typed records: what the dataset holds once loaded and validated.

NamedTuples rather than dataclasses: they are built from the compiled cache with one
cheap call each (``Record._make``), which keeps start-up flat as the dataset grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

KINDS = ("event", "fund", "contribution", "figure", "statement", "term")

# YAML section name -> record kind, in the order the file lists them.
SECTIONS = {
    "events": "event",
    "funds": "fund",
    "contributions": "contribution",
    "figures": "figure",
    "statements": "statement",
    "terms": "term",
}

EVENT_CATEGORIES = (
    "relations",
    "summit",
    "meeting",
    "agreement",
    "document",
    "institution",
    "fund",
    "programme",
    "policy",
    "bilateral",
    "other",
)


class Citation(NamedTuple):
    """Where a fact is stated: a verbatim quote and its unambiguous location."""

    source: str
    quote: str
    line: int  # 1-based line of the seed where the quote starts
    para: str | None  # paragraph label as printed in the seed, if it numbers them


class Record(NamedTuple):
    """One fact of any kind. Kind-specific fields live in ``attrs``."""

    id: str
    kind: str
    title: str
    date: str | None  # EDTF, at the source's precision
    span: tuple[int, int] | None  # first and last day ordinal the date can cover
    category: str | None
    citations: tuple[Citation, ...]
    inferred: bool  # the date (or another field) is inferred, not stated; see note
    note: str | None
    tags: tuple[str, ...]
    see_also: tuple[str, ...]
    differs_from: tuple[str, ...]
    attrs: dict[str, Any]
    line: int  # line of the record in the YAML file


class Source(NamedTuple):
    """One seed document and what is known about it."""

    id: str
    file: str  # path relative to the dataset's folder
    sha256: str
    kind: str  # newspaper-article | opinion | press-release | report
    title: str
    publisher: str | None
    author: str | None
    date: str | None  # EDTF
    url: str | None
    stated: tuple[str, ...]  # fields the seed itself states
    inferred: dict[str, str]  # field -> how it was inferred
    quotes: tuple[Citation, ...]  # where the seed states its own metadata
    line: int
    note: str | None = None


# id prefix -> kind; the validator makes every id start with its kind's prefix
ID_PREFIXES = {
    "ev-": "event",
    "fund-": "fund",
    "contrib-": "contribution",
    "fig-": "figure",
    "stmt-": "statement",
    "term-": "term",
}


class Dataset(NamedTuple):
    """The whole validated dataset."""

    schema_version: int
    sources: dict[str, Source]
    records: Sequence[Record]  # by kind (KINDS order), then chronologically, then id
    # (a tuple when compiled in memory; compiled.StoredRecords, read on demand, from the cache)
    seed_texts_path: str  # folder the source files are relative to
    digest: str = ""  # content hash of the YAML and seeds it was compiled from ("" if unknown)

    def of_kind(self, kind: str) -> tuple[Record, ...]:
        """The records of one kind, in dataset order, without decoding the others."""
        recs = self.records
        if hasattr(recs, "of_kind"):
            return recs.of_kind(kind)  # type: ignore[no-any-return]
        return tuple(r for r in recs if r.kind == kind)

    @property
    def store(self) -> Any:
        """The compiled store the records are read from, or None for an in-memory dataset."""
        return getattr(self.records, "store", None)

    def get(self, record_id: str) -> Record | None:
        """The record with this id, or None."""
        store = self.store
        if store is not None:
            i = store.lookup("ids", record_id) if isinstance(record_id, str) and record_id else None
            return None if i is None else self.records[i]
        for prefix, kind in ID_PREFIXES.items():
            if record_id.startswith(prefix):
                return _index(self, kind).get(record_id)
        return None


_INDEXES: dict[tuple[int, str], tuple[tuple[Record, ...], dict[str, Record]]] = {}


def _index(ds: Dataset, kind: str) -> dict[str, Record]:
    # Built on first use: the JSON timeline path never needs it. The records are kept with
    # their index: once freed, their id() could be reused by another dataset's records.
    recs = ds.of_kind(kind)
    key = (id(ds.records), kind)
    hit = _INDEXES.get(key)
    if hit is None or hit[0] is not recs:
        hit = (recs, {r.id: r for r in recs})
        if len(_INDEXES) > 12:
            _INDEXES.clear()
        _INDEXES[key] = hit
    return hit[1]


def fund_keys(fund_id: str, attrs: dict[str, Any]) -> list[str]:
    """What a user may call a fund (id, short id, acronym, name, aliases), lower-cased and space-folded."""
    names = [fund_id, fund_id.removeprefix("fund-"), attrs.get("acronym"), attrs.get("name")]
    names += list(attrs.get("aliases") or [])
    return [" ".join(n.lower().split()) for n in names if isinstance(n, str)]
