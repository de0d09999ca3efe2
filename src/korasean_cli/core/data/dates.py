"""EDTF-style partial dates: parse, span, ordering and display.

The dataset stores dates as Library of Congress EDTF strings at the precision the
source gives. This module understands the subset the curators use:

    1989            year            1989-11        month         2004-11-30   day
    2019-11-25/2019-11-26  interval 2021/2025      period        2011/..      open end
    ../2010         open start      2020-10~       approximate   2022-05-18?  uncertain

A span is a pair of proleptic Gregorian day ordinals (first day, last day) that the
date could cover; "year-only" dates therefore span the whole year and are never
pretended to be 1 January.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from ..errors import DateError

OPEN_END = date.max.toordinal()
OPEN_START = date.min.toordinal()


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# ASCII digits only ("١٩٨٩" and "１９８９" are digits to \d), and \Z: "$" would let "1989\n" through
_POINT = re.compile(r"^(?P<y>-?[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?(?P<q>[~?%]?)\Z")


class Point(NamedTuple):
    """One end of a date: year, optional month and day, and the EDTF qualifier."""

    year: int
    month: int | None
    day: int | None
    qualifier: str  # "", "~" approximate, "?" uncertain, "%" both

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def edtf(self) -> str:
        """This point alone as an EDTF string ('2019-11~')."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text + self.qualifier

    def first_day(self) -> int:
        return date(self.year, self.month or 1, self.day or 1).toordinal()

    def last_day(self) -> int:
        month = self.month or 12
        day = self.day or days_in_month(self.year, month)
        return date(self.year, month, day).toordinal()


class Edtf(NamedTuple):
    """A parsed EDTF date: a single point, or an interval whose ends may be open."""

    text: str
    start: Point | None  # None means open ("..")
    end: Point | None
    interval: bool

    def span(self) -> tuple[int, int]:
        lo = self.start.first_day() if self.start else OPEN_START
        hi = self.end.last_day() if self.end else OPEN_END
        return lo, hi

    def sort_key(self) -> tuple[int, int, int, int]:
        """Chronological key that never invents a day.

        Dates sort by year, then month, then day, where a missing part sorts before any
        known one (a year-only "2019" comes before "2019-11"), then single dates before
        intervals starting at the same point.
        """
        p = self.start or self.end
        if p is None:
            return (0, 0, 0, 0)
        return (p.year, p.month or 0, p.day or 0, 1 if self.interval else 0)


def _parse_point(text: str, whole: str) -> Point:
    m = _POINT.match(text)
    if not m:
        raise DateError(f"not an EDTF date: {whole!r} (expected forms like 1989, 1989-11, 2019-11-25, 2011/..)")
    year = int(m["y"])
    month = int(m["m"]) if m["m"] else None
    day = int(m["d"]) if m["d"] else None
    if not 1 <= year <= 9999:
        raise DateError(f"year out of range in {whole!r}")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month out of range in {whole!r}")
    if day is not None:
        assert month is not None
        if not 1 <= day <= days_in_month(year, month):
            raise DateError(f"day out of range in {whole!r}")
    return Point(year, month, day, m["q"])


def parse_edtf(text: str) -> Edtf:
    """Parse the EDTF subset above; raise DateError with a readable message otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise DateError(f"not an EDTF date: {text!r}")
    if text != text.strip():
        raise DateError(f"not an EDTF date: {text!r} (spaces around it)")
    if "/" not in text:
        return Edtf(text, _parse_point(text, text), _parse_point(text, text), False)
    left, _, right = text.partition("/")
    start = None if left in ("..", "") else _parse_point(left, text)
    end = None if right in ("..", "") else _parse_point(right, text)
    if start is None and end is None:
        raise DateError(f"an interval needs at least one known end: {text!r}")
    if start and end and start.first_day() > end.last_day():
        raise DateError(f"interval ends before it starts: {text!r}")

    return Edtf(text, start, end, True)


def span_of(text: str | None) -> tuple[int, int] | None:
    return parse_edtf(text).span() if text else None


def _fmt_point(p: Point, with_year: bool = True) -> str:
    parts = []
    if p.day:
        parts.append(str(p.day))
    if p.month:
        parts.append(MONTHS_SHORT[p.month - 1])
    if with_year:
        parts.append(str(p.year))
    out = " ".join(parts)
    if "~" in p.qualifier or "%" in p.qualifier:
        out = "c. " + out
    if "?" in p.qualifier or "%" in p.qualifier:
        out += "?"
    return out


def display(text: str | None) -> str:
    """Human form at the source's precision: 'Nov 1989', '25–26 Nov 2019', 'since 2011'."""
    if not text:
        return "undated"
    try:
        d = parse_edtf(text)
    except DateError:
        return text
    if not d.interval:
        assert d.start is not None
        return _fmt_point(d.start)
    s, e = d.start, d.end
    if s is None:
        assert e is not None
        return "until " + _fmt_point(e)
    if e is None:
        return "since " + _fmt_point(s)
    if s == e:  # "2019-11-25/2019-11-25" is one day, not "25–25 Nov 2019" (the validator refuses it)
        return _fmt_point(s)
    if s.precision == e.precision == "year":
        return f"{s.year}–{e.year}"
    if s.precision == e.precision == "day" and s.year == e.year and not s.qualifier and not e.qualifier:
        if s.month == e.month:
            return f"{s.day}–{e.day} {MONTHS_SHORT[(s.month or 1) - 1]} {s.year}"
        return f"{_fmt_point(s, with_year=False)} – {_fmt_point(e)}"
    return f"{_fmt_point(s)} – {_fmt_point(e)}"


# English names whatever the locale (calendar.month_name follows LC_TIME, and importing
# calendar costs more than the rest of this module)
_MONTH_NAMES = "january february march april may june july august september october november december".split()
_USER_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
_USER_MONTHS.update({name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)})
_USER_MONTHS["sept"] = 9


def parse_user_date(text: str, *, end: bool = False) -> int:
    """A date a user typed on the command line, as a day ordinal.

    Accepts 1989, 1989-11, 2019-11-25, 'Nov 1989', 'November 1989', '25 Nov 2019'.
    With end=True the last day of the given period is returned (so --to 2019 includes
    all of 2019). Raises DateError for anything else.
    """
    raw = text.strip()
    m = _POINT.match(raw)
    if m and not m["q"]:
        p = _parse_point(raw, raw)
        return p.last_day() if end else p.first_day()
    words = re.split(r"[\s,]+", raw.lower())
    day = month = year = None
    for w in words:
        if w in _USER_MONTHS and month is None:
            month = _USER_MONTHS[w]
        elif re.fullmatch(r"\d{4}", w) and year is None:
            year = int(w)
        elif re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", w) and day is None:
            day = int(re.sub(r"\D", "", w))
        else:
            year = None
            break
    if year is None or (day is not None and month is None):
        raise DateError(f"cannot read the date {text[:40]!r}: use a form like 1989, 1989-11, 'Nov 1989' or 2019-11-25")
    iso = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    p = _parse_point(iso, text)
    return p.last_day() if end else p.first_day()


def span_iso(span: tuple[int, int] | None) -> tuple[str | None, str | None]:
    """First and last day a span can cover, ISO; None for an open end or no date."""
    if span is None:
        return None, None
    lo, hi = span
    return (None if lo == OPEN_START else date.fromordinal(lo).isoformat()), (
        None if hi == OPEN_END else date.fromordinal(hi).isoformat()
    )
