from __future__ import annotations

from datetime import date

import pytest

from korasean_cli.core.data.dates import display, parse_edtf, parse_user_date
from korasean_cli.core.errors import DateError


@pytest.mark.parametrize(
    ("edtf", "shown"),
    [
        ("1989", "1989"),
        ("1989-11", "Nov 1989"),
        ("2004-11-30", "30 Nov 2004"),
        ("2019-11-25/2019-11-26", "25–26 Nov 2019"),
        ("2021/2025", "2021–2025"),
        ("2011/..", "since 2011"),
        ("../2010", "until 2010"),
        ("2020-10~", "c. Oct 2020"),
        ("2022-05-18?", "18 May 2022?"),
        ("2024-10-06/2024-10-11", "6–11 Oct 2024"),
    ],
)
def test_dates_display_at_the_precision_the_source_gives(edtf: str, shown: str) -> None:
    assert display(edtf) == shown


def test_year_only_date_spans_the_whole_year_not_1_january() -> None:
    lo, hi = parse_edtf("2009").span()
    assert date.fromordinal(lo) == date(2009, 1, 1)
    assert date.fromordinal(hi) == date(2009, 12, 31)
    assert "Jan" not in display("2009")


def test_open_interval_runs_to_the_end_of_time() -> None:
    lo, hi = parse_edtf("2011/..").span()
    assert date.fromordinal(lo) == date(2011, 1, 1)
    assert hi == date.max.toordinal()


@pytest.mark.parametrize("bad", ["", "abc", "1989-13", "2019-02-30", "2020/2019", "../..", "19899"])
def test_invalid_edtf_is_refused(bad: str) -> None:
    with pytest.raises(DateError):
        parse_edtf(bad)


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("1989", date(1989, 1, 1), date(1989, 12, 31)),
        ("1989-11", date(1989, 11, 1), date(1989, 11, 30)),
        ("Nov 1989", date(1989, 11, 1), date(1989, 11, 30)),
        ("November 1989", date(1989, 11, 1), date(1989, 11, 30)),
        ("2019-11-25", date(2019, 11, 25), date(2019, 11, 25)),
        ("25 Nov 2019", date(2019, 11, 25), date(2019, 11, 25)),
        ("Nov 25, 2019", date(2019, 11, 25), date(2019, 11, 25)),
    ],
)
def test_user_dates_cover_the_period_they_name(typed: str, start: date, end: date) -> None:
    assert parse_user_date(typed) == start.toordinal()
    assert parse_user_date(typed, end=True) == end.toordinal()


@pytest.mark.parametrize("bad", ["abc", "99999", "Nov", "32 Nov 2019", "2019-11-31", "1989-1-1x"])
def test_unreadable_user_dates_raise_a_date_error(bad: str) -> None:
    with pytest.raises(DateError):
        parse_user_date(bad)


def test_sort_keys_put_less_precise_dates_first_within_their_period() -> None:
    dates = ["2019-11-25", "2019", "2019-11", "2018-12-31", "2019/..", "2020"]
    ordered = sorted(dates, key=lambda d: parse_edtf(d).sort_key())
    assert ordered == ["2018-12-31", "2019", "2019/..", "2019-11", "2019-11-25", "2020"]


def test_month_lengths_match_the_calendar_module() -> None:
    # dates.py keeps its own month lengths (importing calendar costs every command its locale module)
    import calendar

    from korasean_cli.core.data.dates import days_in_month

    assert [days_in_month(y, m) for y in range(1, 2501) for m in range(1, 13)] == [
        calendar.monthrange(y, m)[1] for y in range(1, 2501) for m in range(1, 13)
    ]


@pytest.mark.parametrize("typed", ["29 February 2000", "29 feb 2000", "2000-02-29"])
def test_leap_days_are_dates_and_non_leap_ones_are_not(typed: str) -> None:
    assert parse_user_date(typed) == date(2000, 2, 29).toordinal()
    with pytest.raises(DateError):
        parse_user_date(typed.replace("2000", "1900"))
