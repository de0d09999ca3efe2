"""The work behind `korasean trade`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional

from ..common import dataset, output_format


def run(
    year: Optional[int],
    metric: Optional[str],
    derived: bool,
    fmt: str,
    as_json: bool,
    data: Optional[str],
    chart: bool = False,
    limit: Optional[int] = None,
) -> int | None:
    from ...core.data.humanize import derived_value
    from ...core.data.serialize import record_dict
    from ...core.query import trade as query
    from ..render import Column, emit_rows, plural
    from ..views import date_cell, value_cell

    if chart:
        from ..charts import check_chart_format

        check_chart_format(fmt, as_json)
    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    found = query(ds, year, metric, derived, limit)
    if chart:
        from ..charts import emit, trade_chart, width_and_glyphs

        width, glyphs = width_and_glyphs()
        emit(trade_chart(found, width, glyphs), glyphs)
        return None
    rows, json_rows = [], []
    for row in found:
        r = row["record"]
        if row["derived"]:
            rows.append(
                {
                    "date": row["date"] + " (derived)",
                    "metric": row["metric"],
                    "title": row["title"],
                    "value": derived_value(row["value"], row["unit"]) + " (derived)",
                    "according_to": "computed by korasean: " + row["how"],
                    "id": row["id"],
                }
            )
            json_rows.append({k: v for k, v in row.items() if k != "record"} | {"kind": "derived"})
        else:
            rows.append(
                {
                    "date": date_cell(r),
                    "metric": r.attrs.get("metric", ""),
                    "title": r.title,
                    "value": value_cell(r),
                    "according_to": r.attrs.get("according_to", ""),
                    "id": r.id,
                }
            )
            json_rows.append(record_dict(ds, r))
    from ..views import date_width

    columns = [
        Column("Date", "date", min_width=date_width(row["date"] for row in rows)),
        Column("Metric", "metric", optional=True),
        Column("Figure", "title"),
        Column("Value", "value"),
        Column("According to", "according_to", optional=True, keep=1),  # left out only below 64 columns
    ]
    if fmt in ("plain", "csv", "md"):
        columns.append(Column("ID", "id"))
    emit_rows(rows, columns, fmt, json_rows, title="Trade and investment", caption=plural(len(found), "figure"))
    return None
