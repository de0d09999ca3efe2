"""Terminal charts (`fund NAME --chart`, `trade --chart`, `timeline --chart`): plain text that fits
the terminal, drawn at year resolution, honest about dates that are uncertain, open or ranges."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest

from korasean_cli.cli.charts import ASCII, UNICODE, bar, year_date

pytestmark = pytest.mark.usefixtures("shipped_once")

BLOCKS = "█▏▎▍▌▋▊▉"


def bar_len(line: str) -> float:
    """Cells of bar in a chart line, eighths counted."""
    body = line.split("│", 1)[1]
    return body.count("█") + sum((i + 1) / 8 * body.count(ch) for i, ch in enumerate("▏▎▍▌▋▊▉"))


def plain(res: Any, width: int = 80) -> list[str]:
    assert res.code == 0, res.err
    assert res.err == "" and "\x1b" not in res.out
    lines = res.out.splitlines()
    assert max(len(line) for line in lines) <= width, max(lines, key=len)
    return lines


def test_year_dates_are_drawn_at_their_first_year_and_marked() -> None:
    assert year_date("2019-11-25") == (2019, None, "")  # a day is drawn at its year
    assert year_date("2011/..") == (2011, None, "+")  # since 2011: open-ended
    assert year_date("2011/2015") == (2011, 2015, ">")  # a range over several years
    assert year_date("2019-11-25/2019-11-26") == (2019, None, "")  # a range within one year is that year
    assert year_date("2020-10~") == (2020, None, "~")
    assert year_date("2023?", inferred=True) == (2023, None, "~?")
    assert year_date(None) == (None, None, "")


def test_bars_are_to_scale_and_a_small_value_is_never_invisible() -> None:
    assert bar(1, 2, 10, UNICODE) == "█" * 5
    assert bar(2, 2, 10, UNICODE) == "█" * 10
    assert bar(1, 16, 10, UNICODE) == "▋"  # 0.625 of a cell: five eighths
    assert bar(1, 1000, 10, UNICODE) == "▏" and bar(1, 1000, 10, ASCII) == "#"
    assert bar(0, 10, 10, UNICODE) == ""


def test_fund_chart_draws_each_stated_contribution_at_its_year(run) -> None:
    lines = plain(run("fund", "AKCF", "--chart"))
    assert lines[0] == "AKCF: ASEAN-ROK Cooperation Fund: stated contributions by year"
    rows = [line for line in lines if "│" in line]
    assert [row[:6] for row in rows] == ["2019 +", "2022  "]  # "since 2019" is marked as open-ended
    assert rows[0].endswith("doubled to USD 14 million") and rows[1].endswith("increased to USD 16 million/year")
    assert bar_len(rows[0]) / bar_len(rows[1]) == pytest.approx(14 / 16, abs=0.02)
    text = "\n".join(lines)
    assert "+  open-ended" in text and "not added up" in text
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", text)  # no day or month made up


def test_fund_chart_of_every_fund_and_of_a_fund_with_no_stated_contribution(run) -> None:
    text = "\n".join(plain(run("fund", "--chart")))
    assert re.sub(r"\s+", " ", text).count("stated contributions by year") == 5
    assert "(no contribution to this fund is stated in the sources)" in text  # SCF, FOCF
    assert "2008   │" in text and "USD 531,915" in text


def test_trade_chart_says_whose_figure_each_is_and_marks_what_is_derived_or_inferred(run) -> None:
    lines = plain(run("trade", "--chart", "--derived"))
    keys = dict(re.findall(r"^  \[([A-Z])\] (.+)$", "\n".join(lines), flags=re.MULTILINE))
    assert keys["A"] == "The Straits Times" and "ASEAN statistics" in keys.values()
    rows = [line for line in lines if "│" in line]
    assert all(re.search(r"\[[A-Z]\]$", row) for row in rows)
    derived = [row for row in rows if "about USD 189.6 billion" in row]
    assert len(derived) == 1 and derived[0].startswith("  2021    d")
    assert keys[derived[0][-2]] == "computed by korasean"
    fdi = next(row for row in rows if "USD 12.1 billion" in row)
    assert fdi.startswith("  2022    ?") and keys[fdi[-2]] == "ASEAN statistics"  # the year is inferred
    tripled = next(row for row in rows if "more than 3 times" in row)
    assert tripled.startswith("  2007    +")  # "since the FTA took effect in 2007"
    ranks = [row for row in rows if re.search(r"│ +[56]th +\[C\]$", row)]
    assert len(ranks) == 2 and all(bar_len(row) == 0 for row in ranks)  # a rank is not a quantity to draw
    text = "\n".join(lines)
    for mark in ("+  open-ended", "?  date inferred", "d  derived"):
        assert mark in text


def test_timeline_chart_counts_every_dated_event_once_by_category(run) -> None:
    events = run("timeline", "--json").json()
    lines = plain(run("timeline", "--chart"))
    rows = {int(m[1]): (int(m[2] or 0), m[3]) for m in (re.match(r"^(\d{4}) +(\d*) │ ?(.*)$", x) for x in lines) if m}
    dated = [e for e in events if e["date"]]
    assert sum(n for n, _ in rows.values()) == len(dated)
    assert list(rows) == list(range(1989, max(rows) + 1))  # every year, empty ones too: the axis is linear
    by_year = Counter(int(e["date"][:4]) for e in dated)
    assert {y: n for y, (n, _) in rows.items() if n} == dict(by_year)
    assert rows[1989][1] == "R"  # sectoral dialogue relations, Nov 1989: a relations event
    assert rows[2011][1].startswith("M D>F+")  # the 2011-2015 plan of action; AKEC's "since 2011"
    assert all("──" in rows[y][1] for y in range(2012, 2016))  # the range's later years
    text = "\n".join(lines)
    undated = len(events) - len(dated)
    assert f"{undated} undated events are not drawn." in text and f"{len(dated)} dated events" in text
    assert "Categories: R relations, S asean-rok-summit" in text and "?  date inferred" in text


def test_timeline_chart_of_a_range_draws_earlier_starts_at_its_first_year_marked(run) -> None:
    lines = plain(run("timeline", "--chart", "--from", "2019", "--to", "2020"))
    rows = [line for line in lines if "│" in line]
    assert [row[:4] for row in rows] == ["2019", "2020"]
    assert "R<" in rows[0] and "<  began before the first year asked for" in "\n".join(lines)


@pytest.mark.parametrize("width", ["40", "50", "80", "100"])
@pytest.mark.parametrize(
    "argv", [["timeline", "--chart"], ["trade", "--chart", "--derived"], ["fund", "AKEC", "--chart"]]
)
def test_charts_fit_the_terminal(run, monkeypatch: pytest.MonkeyPatch, width: str, argv: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", width)
    plain(run(*argv), int(width))


@pytest.mark.parametrize(
    "argv",
    [
        ["timeline", "--chart", "--json"],
        ["fund", "AKCF", "--chart", "--json"],
        ["trade", "--chart", "--format", "json"],
        ["trade", "--chart", "-f", "csv"],
    ],
)
def test_chart_with_a_data_format_is_a_usage_error_saying_what_to_do(run, argv: list[str]) -> None:
    res = run(*argv)
    assert res.code == 2 and res.out == ""
    assert "--chart" in res.err and "drop --chart" in res.err and "Traceback" not in res.err


def test_a_chart_on_an_output_that_is_not_utf8_is_ascii() -> None:
    env = dict(os.environ, PYTHONIOENCODING="latin-1", COLUMNS="80")
    for argv in (["timeline", "--chart"], ["fund", "AKCF", "--chart"], ["trade", "--chart"]):
        res = subprocess.run([sys.executable, "-m", "korasean_cli", *argv], capture_output=True, env=env, timeout=120)
        assert res.returncode == 0, res.stderr
        assert res.stdout.isascii(), res.stdout
        assert b" |#" in res.stdout or b" | " in res.stdout  # bars of '#' on a '|' axis
        assert b'"since"' in res.stdout or b"2011-2015" in res.stdout or b"[A]" in res.stdout  # quotes, dashes kept


def test_charts_are_not_imported_unless_asked_for() -> None:
    code = (
        "import sys; from korasean_cli.__main__ import main\n"
        "for argv in (['timeline', '--json'], ['fund'], ['trade', '--format', 'plain']):\n"
        "    sys.argv = ['korasean', *argv]\n"
        "    try: main()\n"
        "    except SystemExit: pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.endswith(('.charts', '.citations')))))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.stderr.endswith("[]"), res.stderr[-500:]
