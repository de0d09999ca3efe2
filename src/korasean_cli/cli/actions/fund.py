"""The work behind `korasean fund`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional

from ..common import dataset, output_format


def run(name: Optional[list[str]], fmt: str, as_json: bool, data: Optional[str], chart: bool = False) -> int | None:
    from ...core.data.dates import display
    from ...core.data.humanize import amount, contribution_value
    from ...core.data.serialize import record_dict
    from ...core.query import contributions_to, fund_story, funds
    from ..render import Column, emit_json, emit_jsonl, emit_rows, plural
    from ..views import date_cell, detail_lines

    if chart:
        from ..charts import check_chart_format

        check_chart_format(fmt, as_json)
    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    if chart:
        from ..charts import emit, fund_chart, width_and_glyphs

        width, glyphs = width_and_glyphs()
        chosen = [fund_story(ds, " ".join(name)).fund] if name else funds(ds)
        emit("\n\n".join(fund_chart(f, contributions_to(ds, f.id), width, glyphs) for f in chosen), glyphs)
        return None
    if not name:
        all_funds = funds(ds)
        rows, json_rows = [], []
        for f in all_funds:
            contribs = contributions_to(ds, f.id)
            rows.append(
                {
                    "acronym": f.attrs.get("acronym") or "",
                    "name": f.attrs.get("name", ""),
                    "since": display(f.date) if f.date else "",
                    "contributions": "; ".join(
                        f"{contribution_value(c)} ({date_cell(c)})" if c.date else contribution_value(c)
                        for c in contribs
                    ),
                    "lineage": (f"merged into {f.attrs['merged_into']}" if f.attrs.get("merged_into") else ""),
                    "id": f.id,
                }
            )
            json_rows.append({**record_dict(ds, f), "contributions": [record_dict(ds, c) for c in contribs]})
        columns = [
            Column("Acronym", "acronym"),
            Column("Fund", "name"),
            Column("Since", "since", optional=True),
            Column("Stated contributions", "contributions"),
        ]
        if fmt in ("plain", "csv", "md"):
            columns.append(Column("ID", "id"))
        emit_rows(rows, columns, fmt, json_rows, title="Funds", caption=plural(len(all_funds), "fund"))
        return None
    story = fund_story(ds, " ".join(name))
    f = story.fund
    if fmt in ("json", "jsonl"):
        obj = {
            **record_dict(ds, f),
            "lineage": {
                "merged_from": [record_dict(ds, p) for p in story.predecessors],
                "merged_into": record_dict(ds, story.successor) if story.successor else None,
            },
            "contributions": [record_dict(ds, c) for c in story.contributions],
            "totals": story.totals,
        }
        emit_json(obj) if fmt == "json" else emit_jsonl([obj])
        return None
    if fmt in ("csv", "md"):  # one row per record the view shows: the fund, its lineage, its contributions
        from ..views import detail_row, emit_detail_rows

        rows = [detail_row(ds, f, "fund")]
        rows += [detail_row(ds, p, "merged from", f.id) for p in story.predecessors]
        rows += [detail_row(ds, story.successor, "merged into", f.id)] if story.successor else []
        rows += [detail_row(ds, c, "contribution", f.id) for c in story.contributions]
        for t in story.totals:
            rows.append(
                {
                    "shown_as": "computed total",
                    "of": f.id,
                    "kind": "derived",
                    "title": "Computed total (derived, not stated in any source)",
                    "value": amount(t["amount"], t["currency"]),
                    "text": t["how"],
                    "note": "of " + ", ".join(t["of"]),
                }
            )
        emit_detail_rows(rows, fmt)
        return None
    from ..render import emit_blocks

    lines = detail_lines(ds, f)
    if story.predecessors or story.successor:
        chain = " + ".join(
            f"{p.attrs.get('acronym') or p.id} ({display(p.date) if p.date else 'undated'})" for p in story.predecessors
        )
        me = f"{f.attrs.get('acronym') or f.id} ({display(f.date) if f.date else 'undated'})"
        lineage = f"{chain} → {me}" if chain else me
        if story.successor:
            s = story.successor
            lineage += f" → {s.attrs.get('acronym') or s.id} ({display(s.date) if s.date else 'undated'})"
        lines.insert(2, ("lineage", lineage))
    blocks = [(f.title, lines)]
    for c in story.contributions:
        blocks.append((f"Contribution: {contribution_value(c)}, {date_cell(c)}", detail_lines(ds, c)))
    for t in story.totals:
        blocks.append(
            ("Computed total (derived, not stated in any source)",
             [("amount", amount(t["amount"], t["currency"])), ("of", ", ".join(t["of"])), ("how", t["how"])])
        )  # fmt: skip
    if not story.contributions:
        blocks.append(("Contributions", [("", "no contribution to this fund is stated in the sources")]))
    emit_blocks(blocks, fmt)
    return None
