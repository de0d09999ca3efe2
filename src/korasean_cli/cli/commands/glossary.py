"""korasean glossary: acronyms, programmes, organisations and people in the seeds."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..app import app, dataset, output_format
from ..options import DataOpt, FormatOpt, JsonOpt


@app.command()
def glossary(
    term: Annotated[Optional[str], typer.Argument(metavar="[TERM]", help="An acronym or name (any case).")] = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Every acronym and named programme, with its expansion and where the seeds spell it out.

    Example: korasean glossary AKFTA
    """
    from ...core.query import glossary as query
    from ...core.serialize import record_dict
    from ..render import Column, emit_rows, plural

    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    terms = query(ds, term)
    rows = [
        {
            "term": r.attrs.get("term", ""),
            "expansion": r.attrs.get("expansion") or "",
            "kind": r.attrs.get("kind", ""),
            "definition": r.attrs.get("definition") or "",
            "id": r.id,
            "where": ", ".join(f"{c.source}:{c.line}" for c in r.citations[:2]),
        }
        for r in terms
    ]
    columns = [
        Column("Term", "term", ratio=2),
        Column("Expansion", "expansion", ratio=4),
        Column("Kind", "kind", ratio=1),
        Column("Where", "where", ratio=2),
    ]
    if term is not None:
        columns.insert(3, Column("Definition", "definition", ratio=4))
    if fmt in ("plain", "csv", "md"):
        columns.append(Column("ID", "id"))
    json_rows = [record_dict(ds, r) for r in terms] if fmt in ("json", "jsonl") else []
    emit_rows(rows, columns, fmt, json_rows, title="Glossary", caption=plural(len(terms), "term"))
