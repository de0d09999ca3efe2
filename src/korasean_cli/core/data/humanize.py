"""Numbers and citations in readable form (pure functions, no terminal code)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .dates import display
from .model import Citation, Record, Source

if TYPE_CHECKING:
    from ..store.dataset import Dataset

_QUALIFIER_WORDS = {
    "about": "about ",
    "more-than": "more than ",
    "nearly": "nearly ",
    "up-to": "up to ",
    "at-least": "at least ",
    "projected": "projected ",
    "projected-more-than": "projected above ",
}


def _num(v: float, places: int | None = None) -> str:
    """A number in words of its scale; places (for computed values) fixes the decimals shown,
    else a stated number keeps the decimals it has (up to 2 in billions and millions)."""
    if places is not None:
        for scale, word in ((1e9, " billion"), (1e6, " million")):
            if v >= scale:
                return f"{v / scale:,.{places}f}".rstrip("0").rstrip(".") + word
        return f"{round(v, places):,}".removesuffix(".0")
    if v >= 1e9 and v % 1e6 == 0:
        return f"{v / 1e9:,.2f}".rstrip("0").rstrip(".") + " billion"
    if v >= 1e6 and v % 1e4 == 0:
        return f"{v / 1e6:,.2f}".rstrip("0").rstrip(".") + " million"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,}"


DERIVED_PLACES = 1  # a computed value: 1 decimal in its scale ("about USD 189.6 billion"), as the sources state theirs


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def amount(
    value: float | None,
    unit: str | None,
    qualifier: str | None = None,
    vmin: Any = None,
    vmax: Any = None,
    places: int | None = None,
) -> str:
    """222800000000 USD -> 'USD 222.8 billion'; 17.5 percent -> '17.5%'; 5 rank -> '5th'.
    places: the decimals of a computed value (DERIVED_PLACES)."""
    unit = unit or ""
    if value is None and vmin is not None and vmax is not None:
        body = f"{_num(vmin)}–{_num(vmax)}"
        value_for_unit = None
    else:
        body = _num(float(value), places) if value is not None else "?"
        value_for_unit = value
    if unit == "percent":
        text = body + "%"
    elif unit == "rank" and isinstance(value_for_unit, (int, float)) and float(value_for_unit).is_integer():
        text = _ordinal(int(value_for_unit))
    elif len(unit) == 3 and unit.isupper():
        text = f"{unit} {body}"
    else:
        text = f"{body} {unit}".strip()
    return _QUALIFIER_WORDS.get(qualifier or "", "") + text


def derived_value(value: float | None, unit: str | None) -> str:
    """A value korasean computed: 'about', at DERIVED_PLACES decimals."""
    return amount(value, unit, "about", places=DERIVED_PLACES)


def figure_value(r: Record) -> str:
    a = r.attrs
    text = amount(a.get("value"), a.get("unit"), a.get("qualifier"), a.get("value_min"), a.get("value_max"))
    alts = [amount(x.get("value"), x.get("unit")) for x in a.get("alt") or [] if isinstance(x, dict)]
    return text + (f" ({', '.join(alts)})" if alts else "")


def contribution_value(r: Record) -> str:
    a = r.attrs
    basis = str(a.get("basis", ""))
    text = amount(a.get("amount"), a.get("currency"))
    label = {"doubled-to": "doubled to ", "increased-to": "increased to "}.get(basis, "")
    # "increased its annual contribution to ... USD 16 million": the quote makes it a yearly amount
    yearly = basis == "annual" or any("annual" in c.quote.lower() for c in r.citations)
    return label + text + ("/year" if yearly else "")


def location(ds: Dataset, c: Citation) -> str:
    """'seeds/x.txt:31 (para 18)': a location that is never ambiguous."""
    src = ds.sources.get(c.source)
    where = f"{src.file if src else c.source}:{c.line}"
    return where + (f" (para {c.para})" if c.para else "")


def source_date(s: Source) -> str:
    """A publication date: an open interval means 'this year or later', not 'since'."""
    if not s.date:
        return "n.d."
    if s.date.endswith("/.."):
        return display(s.date.split("/")[0]) + " or later"
    return display(s.date)


def source_label(s: Source) -> str:
    who = s.publisher or s.author or "unknown publisher"
    when = source_date(s)
    if "date" in s.inferred:
        when = f"{when}, inferred"
    return f"{who}, {when}"


def _end(text: str) -> str:
    """Close an element of a reference with a period unless it already ends in one (or ? ! …)."""
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def plain_citation(ds: Dataset, c: Citation) -> str:
    """A ready-to-paste reference for one quote, stating only what the source states
    and marking what was inferred, with the quote's pinpoint (para. 20, else its line):
    the plain style of core/data/citations.py."""
    from .citations import format_source

    return format_source(ds.sources[c.source], "plain", c)


def date_cell(r: Record) -> str:
    if not r.date:
        return "undated"
    by = "by " if r.attrs.get("status") == "deadline" else ""  # a deadline, not when it happened
    return by + display(r.date) + (" (inferred)" if r.inferred else "")


def sources_cell(r: Record) -> str:
    return ", ".join(dict.fromkeys(c.source for c in r.citations))


EVENT_ROW_KEYS = ("date", "category", "title", "id", "sources")


def status_mark(r: Record) -> str:
    """What the source says of the fact's reality, when it is not plain fact: " [planned, as of Oct 2024]"."""
    status = r.attrs.get("status") or "done"
    if status == "done":
        return ""
    as_of = r.attrs.get("as_of")
    return f" [{status}, as of {display(as_of)}]" if isinstance(as_of, str) else f" [{status}]"


def event_row(r: Record) -> tuple[str, str, str, str, str]:
    """One timeline row, in EVENT_ROW_KEYS order (uncleaned text)."""
    return (date_cell(r), r.category or "", r.title + status_mark(r), r.id, sources_cell(r))


def plain_cells(row: tuple[str, str, str, str, str]) -> tuple[str, str, str, str, str]:
    """An event_row in the plain timeline's column order: Date, Category, Event, Source, ID."""
    return (row[0], row[1], row[2], row[4], row[3])
