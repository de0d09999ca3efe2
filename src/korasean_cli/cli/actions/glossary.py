"""The work behind `korasean glossary`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional

from ..common import dataset, output_format


def run(term: Optional[str], fmt: str, as_json: bool, data: Optional[str], limit: Optional[int] = None) -> int | None:
    from ...core.data.serialize import record_dict
    from ...core.query import glossary as query
    from ..render import Column, emit_rows, plural

    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    terms = query(ds, term, limit)
    rows = [
        {
            "term": r.attrs.get("term", ""),
            "expansion": r.attrs.get("expansion") or "",
            "kind": r.attrs.get("kind", ""),
            "definition": r.attrs.get("definition") or "",
            "id": r.id,
            "where": ", ".join(dict.fromkeys(f"{c.source}:{c.line}" for c in r.citations)),  # each place once
        }
        for r in terms
    ]
    columns = [
        Column("Term", "term"),
        Column("Expansion", "expansion"),
        Column("Kind", "kind", optional=True),
        Column("Where", "where", optional=True),
    ]
    if term is not None:
        columns.insert(3, Column("Definition", "definition"))
    if fmt in ("plain", "csv", "md"):
        columns.append(Column("ID", "id"))
    json_rows = [record_dict(ds, r) for r in terms] if fmt in ("json", "jsonl") else []
    emit_rows(rows, columns, fmt, json_rows, title="Glossary", caption=plural(len(terms), "term"))
    return None
