"""Record -> display rows and detail blocks, shared by the commands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from ..core.data.dates import display
from ..core.data.humanize import (
    EVENT_ROW_KEYS,
    contribution_value,
    date_cell,
    event_row,
    figure_value,
    location,
    plain_cells,
    plain_citation,
    source_label,
    sources_cell,
    status_mark,
)
from ..core.data.model import Record
from ..core.data.serialize import record_dict
from ..core.store.dataset import Dataset
from .render import Column, clean_grid, emit_blocks, emit_plain, emit_rows, emit_table, plural


def value_cell(r: Record) -> str:
    if r.kind == "figure":
        return figure_value(r)
    if r.kind == "contribution":
        return contribution_value(r)
    return ""


ID_COLUMNS_FROM = 100  # terminal columns from which the timeline table shows record ids


def date_width(dates: Iterable[str]) -> int:
    """The widest date of a column without its " (inferred)": the width a date column keeps, so
    that "6–11 Oct 2024 (inferred)" wraps before "(inferred)" and never inside the date (or the mark)."""
    from .table import cell_len

    marks = (" (inferred)", " (derived)")
    shown = set(dates)
    widest = max((cell_len(d.removesuffix(marks[0]).removesuffix(marks[1])) for d in shown), default=0)
    for mark in marks:  # the mark, on its line, whole
        if any(d.endswith(mark) for d in shown):
            widest = max(widest, len(mark) - 1)
    return widest


def id_width(ids: Iterable[str]) -> int:
    """The width an id column keeps: its longest id, up to 40 (longer ones wrap at a hyphen)."""
    return min(40, max(map(len, ids), default=0))


def event_rows(ds: Dataset, events: Sequence[Record], fmt: str, title: str) -> None:
    cells = [event_row(r) for r in events] if fmt not in ("json", "jsonl") else []  # JSON needs no display cells
    if fmt == "plain":
        emit_plain([plain_cells(c) for c in cells])
        return
    columns = [
        Column("Date", "date", no_wrap=True),
        Column("Category", "category", optional=True),
        Column("Event", "title"),
        Column("Source", "sources", optional=True, keep=1),
    ]
    caption = plural(len(events), "event")
    if fmt == "table":  # straight from the cells: a long timeline is thousands of rows
        import sys

        from .table import terminal_width

        # a date may wrap before its "(inferred)", never inside itself
        columns[0] = Column("Date", "date", min_width=date_width(c[0] for c in cells))
        if terminal_width(sys.stdout) >= ID_COLUMNS_FROM:  # the ids that show and cite take
            columns.append(Column("ID", "id", optional=True, keep=2, min_width=id_width(c[3] for c in cells)))
        pick = itemgetter(*(EVENT_ROW_KEYS.index(c.key) for c in columns))
        emit_table(clean_grid(map(pick, cells)), columns, title=title, caption=caption)
        return
    rows = [dict(zip(EVENT_ROW_KEYS, row, strict=True)) for row in cells]
    if fmt in ("plain", "csv", "md"):
        columns.append(Column("ID", "id"))
    json_rows = [record_dict(ds, r) for r in events] if fmt in ("json", "jsonl") else []
    emit_rows(rows, columns, fmt, json_rows, title=title, caption=caption)


def record_rows(
    ds: Dataset,
    records: list[Record],
    fmt: str,
    title: str,
    scores: list[float] | None = None,
    follows: list[str | None] | None = None,
    matched: list[float] | None = None,
) -> None:
    """Records as a list; follows[i], where set, is the id of the record above that records[i]
    differs from (it is shown there out of score order: where sources differ, both are shown);
    matched[i], the share of the query's words records[i] states itself (JSON only)."""
    follows = follows or [None] * len(records)
    rows = []
    for i, r in enumerate(records if fmt not in ("json", "jsonl") else ()):  # JSON needs no display cells
        row = {
            "kind": r.kind,
            "date": date_cell(r) if r.date else "",
            "title": r.title + status_mark(r),
            "value": value_cell(r),
            "id": r.id,
            "sources": sources_cell(r),
        }
        if scores is not None:
            row["score"] = ("*" if follows[i] and fmt == "table" else "") + f"{scores[i]:.2f}"  # digits aligned
        rows.append(row)
    columns = [
        Column("Kind", "kind", optional=True),
        Column("Date", "date", min_width=date_width(row["date"] for row in rows)),
        Column("Title", "title"),
    ]
    if any(row["value"] for row in rows):  # no empty Value column
        columns.append(Column("Value", "value", optional=True, keep=2))
    # an id is copied whole: it wraps (at a hyphen) only when it must; where space is short, the
    # kind and then the value give way to it (a title mostly says the value)
    columns.append(Column("ID", "id", optional=True, keep=1, min_width=id_width(row["id"] for row in rows)))
    if scores is not None:
        columns.insert(0, Column("Score", "score", justify="right"))
    json_rows = []
    if fmt in ("json", "jsonl"):
        for i, r in enumerate(records):
            d = record_dict(ds, r)
            if scores is not None:
                found = {"matched": matched[i]} if matched is not None else {}
                d = {"score": scores[i], **found, **({"follows": follows[i]} if follows[i] else {}), **d}
            json_rows.append(d)
    caption = plural(len(records), "record")
    if any(follows) and fmt == "table":
        caption += "; * another source differs from the record above: shown beside it, out of score order"
    emit_rows(rows, columns, fmt, json_rows, title=title, caption=caption)


def detail_lines(ds: Dataset, r: Record, context: int = 0) -> list[tuple[str, str]]:
    """Label/value lines that show one record with its quotes and where they stand."""
    lines: list[tuple[str, str]] = [("id", r.id), ("kind", r.kind + (f" / {r.category}" if r.category else ""))]
    if r.date:
        shown = date_cell(r)
        lines.append(("date", shown if shown == r.date else f"{shown}  [EDTF {r.date}]"))
    skip = {"text", "citations"}
    # each field once: a figure's number is shown as its value ("USD 222.8 billion"), where the
    # number stands; a term's own kind (acronym, person...) is its "term kind"
    numbers = {"value", "value_min", "value_max"} if r.kind == "figure" else set()
    for key, value in r.attrs.items():
        if key in skip or value in (None, [], ""):
            continue
        if key in numbers:
            lines.append(("value", value_cell(r)))
            skip |= numbers
            continue
        if isinstance(value, list):
            value = ", ".join((figure_value_alt(v) if isinstance(v, dict) else str(v)) for v in value)
        elif key == "as_of" and isinstance(value, str):
            value = display(value)
        label = "term kind" if key == "kind" else key.replace("_", " ")
        lines.append((label, str(value)))
    if r.kind == "contribution" or (r.kind == "figure" and not numbers & skip):
        lines.append(("value", value_cell(r)))
    if isinstance(r.attrs.get("text"), str):
        lines.append(("said", f"“{r.attrs['text']}”"))
    for c in r.citations:
        lines.append(("quote", f"“{' '.join(c.quote.split())}”"))
        lines.append(("  from", f"{ds.sources[c.source].title} ({source_label(ds.sources[c.source])})"))
        lines.append(("  at", location(ds, c)))
        lines.append(("  cite as", plain_citation(ds, c)))
        if context > 0:
            for n, text in seed_context(ds, c.source, c.line, context):
                lines.append((f"  {n:>4}{'>' if n == c.line else ' '}", text))
    if r.note:
        lines.append(("note", r.note))
    return lines


def figure_value_alt(v: dict[str, Any]) -> str:
    from ..core.data.humanize import amount

    return amount(v.get("value"), v.get("unit"))


def seed_context(ds: Dataset, source: str, line: int, around: int) -> list[tuple[int, str]]:
    import os

    from ..core.compiler.seeds import SeedText
    from ..core.compiler.validate import resolve_seed

    src = ds.sources[source]
    full, _ = resolve_seed(os.path.join(ds.seed_texts_path, "x.yaml"), src.file)
    if not full:
        return []
    with open(full, encoding="utf-8", errors="replace") as f:
        return SeedText(f.read()).context(line, around)


# csv and md of the detail views (show, cite, fund NAME): one row per record shown
DETAIL_COLUMNS = [
    Column("Shown as", "shown_as"),
    Column("Of", "of"),
    Column("ID", "id"),
    Column("Kind", "kind"),
    Column("Category", "category"),
    Column("Date", "date"),
    Column("Title", "title"),
    Column("Value", "value"),
    Column("Text", "text"),
    Column("Quote", "quote"),
    Column("Source", "source"),
    Column("At", "at"),
    Column("Cite as", "cite_as"),
    Column("Note", "note"),
]


def detail_row(ds: Dataset, r: Record, shown_as: str, of: str = "") -> dict[str, str]:
    """One record as a row of DETAIL_COLUMNS; a record quoted twice has its quotes on separate
    lines of one cell (as in the csv export)."""
    a = r.attrs
    if r.kind == "statement":
        text = str(a.get("text") or "")
    elif r.kind == "term":
        text = " — ".join(str(x) for x in (a.get("expansion"), a.get("definition")) if x)
    else:
        text = str(a.get("purpose") or "")
    return {
        "shown_as": shown_as,
        "of": of,
        "id": r.id,
        "kind": r.kind,
        "category": r.category or "",
        "date": date_cell(r) if r.date else "",
        "title": r.title + status_mark(r),
        "value": value_cell(r),
        "text": text,
        "quote": "\n".join(f"“{' '.join(c.quote.split())}”" for c in r.citations),
        "source": "\n".join(c.source for c in r.citations),
        "at": "\n".join(location(ds, c) for c in r.citations),
        "cite_as": "\n".join(plain_citation(ds, c) for c in r.citations),
        "note": r.note or "",
    }


def emit_detail_rows(rows: list[dict[str, str]], fmt: str, first: list[Column] | None = None) -> None:
    """csv or md of a detail view: a header row, then one row per record shown."""
    emit_rows(rows, [*(first or []), *DETAIL_COLUMNS], fmt, [])


def show_record(ds: Dataset, r: Record, fmt: str, related: list[tuple[str, Record]], context: int = 0) -> None:
    if fmt in ("json", "jsonl"):
        from .render import emit_json, emit_jsonl

        d = record_dict(ds, r)
        d["related"] = [{"relation": rel, "id": x.id, "title": x.title} for rel, x in related]
        emit_json(d) if fmt == "json" else emit_jsonl([d])
        return
    if fmt in ("csv", "md"):
        rows = [detail_row(ds, r, "record"), *(detail_row(ds, x, rel, r.id) for rel, x in related)]
        emit_detail_rows(rows, fmt)
        return
    blocks = [(r.title, detail_lines(ds, r, context))]
    for rel, x in related:
        label = "DIFFERS" if rel == "differs" else "see also"
        blocks.append((f"{label}: {x.title}", detail_lines(ds, x)))
    emit_blocks(blocks, fmt)
