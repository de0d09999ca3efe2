"""The work behind `korasean conflicts`, free of Typer."""

from __future__ import annotations

from typing import Any, Optional

from ..common import dataset, output_format


def run(fmt: str, as_json: bool, data: Optional[str]) -> int | None:
    from ...core.data.humanize import date_cell, location, sources_cell, status_mark
    from ...core.data.serialize import record_dict
    from ...core.query import conflicts
    from ..render import Column, emit_rows, plural

    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    pairs = conflicts(ds)

    def side(r: Any, tag: str) -> dict[str, str]:
        quotes = " / ".join(f"“{' '.join(c.quote.split())}” ({location(ds, c)})" for c in r.citations)
        return {
            f"{tag}_id": r.id,
            f"{tag}_date": date_cell(r),
            f"{tag}_source": sources_cell(r),
            f"{tag}_says": f"{r.title}{status_mark(r)}: {quotes}",
        }

    rows = [{**side(a, "a"), **side(b, "b")} for a, b in pairs]
    columns = [
        Column("Date", "a_date", no_wrap=True),
        Column("One source says", "a_says"),
        Column("Source", "a_source", optional=True),
        Column("Date", "b_date", no_wrap=True),
        Column("The other says", "b_says"),
        Column("Source", "b_source", optional=True),
    ]
    if fmt in ("plain", "csv", "md"):
        columns += [Column("ID", "a_id"), Column("Other ID", "b_id")]
    json_rows = [{"records": [record_dict(ds, a), record_dict(ds, b)]} for a, b in pairs]
    emit_rows(
        rows, columns, fmt, json_rows, title="Where the sources disagree", caption=plural(len(pairs), "disagreement")
    )
    return None
