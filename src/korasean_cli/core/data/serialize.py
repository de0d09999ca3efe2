"""Records as JSON-ready dicts: the stable contract of ``--json`` (see README, 'JSON output')."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .dates import display
from .model import Record, Source

if TYPE_CHECKING:
    from ..store.dataset import Dataset

JSON_SCHEMA_VERSION = 2  # 2: categories split (summit -> asean-rok-summit, other-summit, visit); status


def citation_dict(ds: Dataset, source: str, quote: str, line: int, para: str | None) -> dict[str, Any]:
    src = ds.sources.get(source)
    out: dict[str, Any] = {"source": source, "quote": quote, "file": src.file if src else None, "line": line}
    if para is not None:
        out["paragraph"] = para
    return out


def record_dict(ds: Dataset, r: Record) -> dict[str, Any]:
    """Every fact record: id, kind, date, date_display, title, citations, then its own fields."""
    out: dict[str, Any] = {
        "id": r.id,
        "kind": r.kind,
        "date": r.date,
        "date_display": display(r.date) if r.date else None,
        "date_inferred": r.inferred,
        "title": r.title,
    }
    if r.category:
        out["category"] = r.category
    for key, value in r.attrs.items():
        # a term's own `kind` (acronym, programme...) must not overwrite the record kind
        out["term_kind" if key == "kind" else key] = value
    out.setdefault("status", "done")
    out["citations"] = [citation_dict(ds, *c) for c in r.citations]
    out["note"] = r.note
    out["tags"] = list(r.tags)
    out["see_also"] = list(r.see_also)
    out["differs_from"] = list(r.differs_from)
    return out


def source_dict(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind,
        "title": s.title,
        "publisher": s.publisher,
        "author": s.author,
        "date": s.date,
        "date_display": display(s.date) if s.date else None,
        "url": s.url,
        "file": s.file,
        "sha256": s.sha256,
        "stated": list(s.stated),
        "inferred": dict(s.inferred),
        "note": s.note,
        "citations": [{"source": s.id, "quote": c.quote, "file": s.file, "line": c.line} for c in s.quotes],
    }
