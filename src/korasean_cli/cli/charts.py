"""Terminal charts for `fund NAME --chart`, `trade --chart` and `timeline --chart`.

Plain text, never colour: block characters on a UTF-8 output, ``#`` and ``-`` otherwise.
The resolution is a year, so every fact is drawn at its year, never at a day it does not
state; a date the source hedges or the curators inferred is marked, and so is one that runs
on ("since 2011") or spans years (2011–2015). A footer says what each mark means.

Nothing here is imported unless --chart is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ..core.data.dates import Edtf, parse_edtf
from ..core.data.humanize import amount, derived_value
from ..core.data.model import EVENT_CATEGORIES, Record
from ..core.errors import DateError, UsageError

# how sure a date is, in the order a single mark is chosen
MARK_BEFORE = "<"  # began before the first year asked for, drawn there
MARK_OPEN = "+"  # open-ended: "since 2011"
MARK_RANGE = ">"  # a range over several years: "2011–2015"
MARK_APPROX = "~"  # approximate or uncertain as the source gives it (EDTF ~ ? %)
MARK_INFERRED = "?"  # inferred by the curators, not stated in the source
MARK_DERIVED = "d"  # computed by korasean from other figures

MARK_MEANINGS = {
    MARK_BEFORE: "began before the first year asked for (--from), drawn at that year",
    MARK_OPEN: "open-ended (\u201csince\u201d the year drawn; no end stated)",
    MARK_RANGE: "a range over several years, drawn at its first year",
    MARK_APPROX: "date approximate or uncertain in the source",
    MARK_INFERRED: "date inferred by the curators, not stated in the source",
    MARK_DERIVED: "derived: computed by korasean from other figures, not stated",
}

CHART_FORMATS = ("auto", "table", "plain")


def check_chart_format(fmt: str, as_json: bool) -> None:
    """--chart draws for people: JSON and the other data formats are a usage error (exit 2)."""
    if as_json or fmt not in CHART_FORMATS:
        asked = "--json" if as_json else f"--format {fmt}"
        raise UsageError(
            f"--chart draws a text chart and cannot be combined with {asked}: "
            f"drop --chart to get the data as {'JSON' if as_json else fmt}, or drop {asked.split()[0]} to see the chart"
        )


class Glyphs(NamedTuple):
    full: str
    eighths: str  # partial blocks, 1/8 to 7/8; empty on ASCII
    axis: str
    dash: str
    dot: str


UNICODE = Glyphs("█", "▏▎▍▌▋▊▉", "│", "─", "·")
ASCII = Glyphs("#", "", "|", "-", ".")


def glyphs(out: Any) -> Glyphs:
    from .table import ascii_only

    return ASCII if ascii_only(out) else UNICODE


def bar(value: float, scale: float, width: int, g: Glyphs) -> str:
    """A horizontal bar of value/scale of width cells; a value above zero is never drawn as nothing."""
    if scale <= 0 or value <= 0:
        return ""
    cells = max(0.0, min(1.0, value / scale)) * width
    whole = int(cells)
    rest = cells - whole
    text = g.full * whole
    if g.eighths:
        eighth = int(rest * 8)
        if eighth:
            text += g.eighths[eighth - 1]
    elif rest >= 0.5:
        text += g.full
    return text or (g.eighths[0] if g.eighths else g.full)


# -- dates at a year's resolution ---------------------------------------------------------------


class YearDate(NamedTuple):
    year: int | None  # the year drawn: the first year the date can be (None: undated)
    last: int | None  # the last year a closed range reaches; None when open or a single year
    marks: str  # MARK_* characters that apply, most important first


def year_date(date: str | None, inferred: bool = False) -> YearDate:
    """Where a date is drawn on a chart of years, and how sure it is."""
    if not date:
        return YearDate(None, None, "")
    try:
        d: Edtf = parse_edtf(date)
    except DateError:
        return YearDate(None, None, "")
    points = [p for p in (d.start, d.end) if p is not None]
    marks = ""
    year = d.start.year if d.start else points[0].year
    last = None
    if d.interval and (d.start is None or d.end is None):
        marks += MARK_OPEN
    elif d.interval and d.end is not None and d.end.year > year:
        marks += MARK_RANGE
        last = d.end.year
    if any(p.qualifier for p in points):
        marks += MARK_APPROX
    if inferred:
        marks += MARK_INFERRED
    return YearDate(year, last, marks)


def _footer(used: set[str], extra: Sequence[str] = ()) -> list[str]:
    lines = [f"  {m.ljust(2)} {meaning}" for m, meaning in MARK_MEANINGS.items() if m in used]
    return (["Marks:", *lines] if lines else []) + list(extra)


def _fit(text: str, width: int) -> str:
    from .table import cell_len, set_cell_size

    return text if cell_len(text) <= width else set_cell_size(text, max(1, width - 1)).rstrip() + "…"


# -- timeline --chart ---------------------------------------------------------------------------

CATEGORY_LETTERS = {
    "relations": "R",
    "asean-rok-summit": "S",
    "other-summit": "U",
    "visit": "V",
    "meeting": "M",
    "agreement": "A",
    "document": "D",
    "institution": "I",
    "fund": "F",
    "programme": "P",
    "policy": "Y",
    "bilateral": "B",
    "other": "O",
}


def timeline_chart(
    events: Sequence[Record], width: int, g: Glyphs, title: str, first: int | None = None, last: int | None = None
) -> str:
    """Events per year, one cell per event (its category's letter and its date's mark).

    An event is counted once, at the first year its date can be (or at ``first``, marked,
    when it began before the years asked for); a range over several years also leaves a
    span cell in each later year it reaches, up to ``last``.
    """
    per_year: dict[int, list[tuple[str, str, str]]] = {}  # year -> (category, letter, mark)
    spans: dict[int, int] = {}  # year -> ranges from earlier years still running
    undated = 0
    used: set[str] = set()
    for r in events:
        yd = year_date(r.date, r.inferred)
        if yd.year is None:
            undated += 1
            continue
        year, marks = yd.year, yd.marks
        if first is not None and year < first:
            year, marks = first, MARK_BEFORE + marks
        mark = marks[:1]
        used.update(mark)
        cat = r.category or "other"
        per_year.setdefault(year, []).append((cat, CATEGORY_LETTERS.get(cat, "O"), mark))
        if yd.last is not None:
            for y in range(year + 1, min(yd.last, last if last is not None else yd.last) + 1):
                spans[y] = spans.get(y, 0) + 1
    lines = [title, ""]
    if not per_year:
        lines.append("(no dated event to draw)")
    else:
        years = range(min(per_year), max(max(per_year), max(spans, default=0)) + 1)
        order = {c: i for i, c in enumerate(EVENT_CATEGORIES)}
        cells_max = max(len(per_year.get(y, [])) + spans.get(y, 0) for y in years)
        count_w = max(len(str(max(len(v) for v in per_year.values()))), 1)
        room = max(10, width - 4 - 1 - count_w - 3)  # 'year count | bar'
        per_cell = 2 if cells_max * 2 <= room else 1
        span_cell = (g.dash * 2) if per_cell == 2 else g.dash
        if per_cell == 1:
            used.clear()  # one character an event: the marks are left out, and the footer says so
        for y in years:
            cells = sorted(per_year.get(y, []), key=lambda c: (order.get(c[0], 99), c[2]))
            text = "".join(letter + (mark or " ") if per_cell == 2 else letter for _, letter, mark in cells)
            text = text.rstrip() if not spans.get(y) else text + span_cell * spans[y]
            count = str(len(cells)) if cells else ""
            lines.append(f"{y} {count.rjust(count_w)} {g.axis} {_fit(text, room)}".rstrip())
    shown = {c for v in per_year.values() for c, _, _ in v}
    legend = ", ".join(f"{CATEGORY_LETTERS.get(c, 'O')} {c}" for c in EVENT_CATEGORIES if c in shown)
    dated = sum(len(v) for v in per_year.values())
    lines += [
        "",
        f"{dated} dated event{'s' if dated != 1 else ''}, counted once each, at the first year its date can be.",
    ]
    if legend:
        lines.append(f"Categories: {legend}.")
    extra = []
    if any(spans.values()):
        extra.append(
            f"  {span_cell.ljust(2)} a later year of a range drawn above (a plan of action for 2011–2015, say)"
        )
    if used:
        extra.append("One mark an event, the first of these that applies.")
    elif per_cell == 1 and per_year:
        extra.append("Too narrow to mark uncertain dates: widen the terminal (or set COLUMNS) to see the marks.")
    lines += _footer(used, extra)
    if undated:
        lines.append(f"{undated} undated event{'s are' if undated != 1 else ' is'} not drawn.")
    return "\n".join(_rewrap(lines, width))


def _wrap(text: str, width: int) -> list[str]:
    from .table import wrap_lines

    return wrap_lines(text, max(10, width))


# -- fund NAME --chart ------------------------------------------------------------------------


def fund_chart(fund: Record, contributions: Sequence[Record], width: int, g: Glyphs) -> str:
    """A fund's stated contributions by year, a bar each, scaled per currency."""
    from ..core.data.humanize import contribution_value

    name = fund.attrs.get("name") or fund.title
    acronym = fund.attrs.get("acronym")
    lines = [f"{acronym + ': ' if acronym else ''}{name}: stated contributions by year", ""]
    rows = []
    used: set[str] = set()
    for c in contributions:
        yd = year_date(c.date, c.inferred)
        used.update(yd.marks)
        rows.append((yd, c))
    rows.sort(key=lambda row: (row[0].year is None, row[0].year or 0))
    if not rows:
        lines.append("(no contribution to this fund is stated in the sources)")
        return "\n".join(_rewrap(lines, width))
    by_currency: dict[str, float] = {}
    for _, c in rows:
        cur = str(c.attrs.get("currency") or "")
        by_currency[cur] = max(by_currency.get(cur, 0.0), float(c.attrs.get("amount") or 0))
    labels = [contribution_value(c) for _, c in rows]
    label_w = min(max(len(x) for x in labels), width // 2)
    date_w = max(len(_year_label(yd)) for yd, _ in rows)
    room = max(8, width - date_w - 5 - label_w)  # 'year mk|bar label'
    for (yd, c), label in zip(rows, labels, strict=True):
        cur = str(c.attrs.get("currency") or "")
        drawn = bar(float(c.attrs.get("amount") or 0), by_currency[cur], room, g)
        lines.append(
            f"{_year_label(yd).ljust(date_w)} {yd.marks[:2].ljust(2)}{g.axis}{drawn.ljust(room)} {_fit(label, label_w)}"
        )
    scales = "; ".join(f"{amount(v, k)}" for k, v in by_currency.items() if k)
    footer = [
        "",
        f"Bars are to scale within a currency (the longest: {scales}); years without a stated contribution are not drawn.",
    ]
    notes = []
    if any(MARK_OPEN in yd.marks for yd, _ in rows):
        notes.append(
            f"An amount marked {MARK_OPEN} is stated from that year on, for years not given: it is drawn once, not added up."
        )
    return "\n".join(_rewrap(lines + footer + _footer(used) + notes, width))


def _year_label(yd: YearDate) -> str:
    if yd.year is None:
        return "undated"
    return f"{yd.year}–{yd.last}" if yd.last else str(yd.year)


def _rewrap(lines: list[str], width: int) -> list[str]:
    """Lines longer than width wrapped (the chart's rows are made to fit; titles and notes are wrapped)."""
    from .table import cell_len

    out: list[str] = []
    for line in lines:
        if cell_len(line) <= width:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        hang = indent + 3 if indent else 0  # a mark's meaning goes on under itself; prose starts at the margin
        parts = _wrap(line.strip(), width - max(indent, hang))
        out += [" " * (hang if n else indent) + part for n, part in enumerate(parts)]
    return out


# -- trade --chart ----------------------------------------------------------------------------

_UNIT_WORDS = {"percent": "%", "times": "times", "rank": "rank"}


def trade_chart(found: Sequence[dict[str, Any]], width: int, g: Glyphs) -> str:
    """Economic figures by year, one group per metric and unit, each bar keyed to whose figure it is."""
    from ..core.data.humanize import figure_value

    groups: dict[tuple[str, str], list[tuple[YearDate, float | None, str, str, str]]] = {}
    whose: dict[str, str] = {}  # according to -> key letter
    used: set[str] = set()
    for row in found:
        r = row["record"]
        if row["derived"]:
            yd = year_date(row["date"])
            yd = yd._replace(marks=MARK_DERIVED + yd.marks)
            metric, unit, value = row["metric"], row["unit"], row["value"]
            label = derived_value(value, unit)
            who = "computed by korasean"
        else:
            yd = year_date(r.date, r.inferred)
            metric, unit = str(r.attrs.get("metric", "")), str(r.attrs.get("unit") or "")
            value = r.attrs.get("value")
            if value is None and r.attrs.get("value_max") is not None:
                value = r.attrs.get("value_max")
            label = figure_value(r)
            who = str(r.attrs.get("according_to") or "not stated")
        key = whose.setdefault(who, chr(ord("A") + len(whose)) if len(whose) < 26 else "*")
        used.update(yd.marks)
        groups.setdefault((metric, unit), []).append(
            (yd, float(value) if value is not None else None, label, key, row.get("id") or r.id)
        )
    lines = ["Trade and investment: values by year, and whose figure each is", ""]
    if not groups:
        lines.append("(no figure to draw)")
        return "\n".join(_rewrap(lines, width))
    all_rows = [x for rows in groups.values() for x in rows]
    date_w = max(len(_year_label(yd)) for yd, *_ in all_rows)
    label_w = min(max(len(label) for _, _, label, _, _ in all_rows), max(14, width // 2 - 6))
    room = max(8, width - 2 - date_w - 1 - 2 - 1 - 1 - label_w - 4)  # '  year mk|bar label [K]'
    for (metric, unit), rows in groups.items():
        rows.sort(key=lambda x: (x[0].year is None, x[0].year or 0))
        is_rank = unit == "rank"
        unit_word = _UNIT_WORDS.get(unit, unit)
        heading = f"{metric} ({unit_word})" + (": ranks, 1st is highest; not drawn as bars" if is_rank else "")
        lines.append(heading)
        scale = max((v for _, v, *_ in rows if v is not None), default=0.0)
        for yd, value, label, key, _id in rows:
            drawn = "" if is_rank or value is None else bar(value, scale, room, g)
            cell = f"{_fit(label, label_w).ljust(label_w)} [{key}]"
            lines.append(
                f"  {_year_label(yd).ljust(date_w)} {yd.marks[:2].ljust(2)}{g.axis}{drawn.ljust(room)} {cell}".rstrip()
            )
    lines += ["", "Bars are to scale within each metric. Whose figure:"]
    lines += [f"  [{k}] {who}" for who, k in whose.items()]
    return "\n".join(_rewrap(lines + _footer(used), width))


_ASCII_TEXT = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "·": "."})


def emit(text: str, g: Glyphs) -> None:
    """The chart to stdout, through the pager on a terminal shorter than it, as tables are;
    on an output that is not UTF-8, its punctuation in ASCII."""
    import sys

    from .pager import show

    if g is ASCII:
        text = text.translate(_ASCII_TEXT)
    show(text if text.endswith("\n") else text + "\n", sys.stdout)


def width_and_glyphs() -> tuple[int, Glyphs]:
    import sys

    from .table import terminal_width

    return max(40, terminal_width(sys.stdout)), glyphs(sys.stdout)
