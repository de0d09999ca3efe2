"""Issue 15, part B: every format everywhere, long views that page, ids in sight, undated and
ongoing events, lists you can narrow, and the small things a user hit."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cogdocs import read_terminal
from korasean_cli.cli.fast import SPECS
from korasean_cli.cli.render import FORMATS

ROOT = Path(__file__).resolve().parent.parent
SGR = re.compile(r"\x1b\[[0-9;]*m")

# one ordinary call of every command that takes --format
CALLS = {
    "timeline": ["timeline", "--from", "2019", "--to", "2019"],
    "fund": ["fund"],
    "fund NAME": ["fund", "AKCF"],
    "cite": ["cite", "busan", "-n", "2"],
    "cite --style": ["cite", "busan", "--style", "apa"],
    "search": ["search", "busan"],
    "facts": ["facts", "--kind", "fund"],
    "show": ["show", "fund-akcf"],
    "glossary": ["glossary"],
    "glossary TERM": ["glossary", "AKFTA"],
    "sources": ["sources"],
    "sources ID": ["sources", "asean-overview"],
    "sources --style": ["sources", "--style", "chicago"],
    "trade": ["trade", "--derived"],
    "conflicts": ["conflicts"],
}


def test_every_command_with_a_format_is_called_here() -> None:
    assert {argv[0] for argv in CALLS.values()} == set(SPECS) | {"conflicts"}


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "auto"])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_format_a_command_lists_works(run: Any, name: str, fmt: str) -> None:
    res = run(*CALLS[name], "--format", fmt)
    assert "Traceback" not in res.err
    if res.code == 2:  # refused, saying which formats the command takes
        assert name.endswith("--style") and res.out == "" and "takes --format auto, table" in res.err
        return
    assert res.code == 0, res.err
    if fmt == "jsonl":
        lines = res.out.splitlines()
        assert lines and all(isinstance(json.loads(line), dict) for line in lines)
    elif fmt == "json":
        json.loads(res.out)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(res.out)))
        assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)
        assert rows[0][0] and not rows[0][0][0].islower()  # a header row, then the records
    elif fmt == "md":
        lines = res.out.splitlines()
        assert lines[0].startswith("| ") and lines[1].startswith("|---")
        assert all(line.startswith("|") and line.endswith("|") for line in lines)


@pytest.mark.usefixtures("shipped_once")
def test_detail_views_write_one_row_or_line_per_record_shown(run: Any) -> None:
    cited = run("cite", "busan", "-n", "2", "--json").json()
    shown = sum(1 + len(m["related"]) for m in cited)
    rows = list(csv.DictReader(io.StringIO(run("cite", "busan", "-n", "2", "--format", "csv").out)))
    assert len(rows) == shown and [r["ID"] for r in rows if r["Shown as"] == "match"] == [m["id"] for m in cited]
    assert all(r["Quote"].startswith("“") and r["Cite as"] for r in rows)
    # `cite ... --format jsonl | wc -l` counts matches: one object a line, as --json's array holds them
    lines = run("cite", "busan", "-n", "2", "--format", "jsonl").out.splitlines()
    assert [json.loads(line) for line in lines] == cited

    story = run("fund", "AKCF", "--json").json()
    rows = list(csv.DictReader(io.StringIO(run("fund", "AKCF", "--format", "csv").out)))
    expected = 1 + len(story["lineage"]["merged_from"]) + bool(story["lineage"]["merged_into"])
    expected += len(story["contributions"]) + len(story["totals"])
    assert len(rows) == expected and rows[0]["ID"] == "fund-akcf"
    assert {r["Shown as"] for r in rows} >= {"fund", "merged from", "contribution"}

    one = run("show", "fund-akcf", "--json").json()
    assert json.loads(run("show", "fund-akcf", "--format", "jsonl").out) == one
    md = run("show", "fund-akcf", "--format", "md").out.splitlines()
    assert len(md) == 2 + 1 + len(one["related"])
    source = run("sources", "asean-overview", "--format", "jsonl").out.splitlines()
    assert len(source) == 1 and json.loads(source[0]) == run("sources", "asean-overview", "--json").json()


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize("fmt", ["csv", "md", "json", "jsonl"])
def test_a_style_refuses_the_formats_it_cannot_print(run: Any, fmt: str) -> None:
    res = run("cite", "busan", "--style", "bibtex", "--format", fmt)
    assert res.code == 2 and res.out == ""
    assert "takes --format auto, table or plain" in res.err
    if fmt in ("csv", "md"):  # plain, apa and chicago references do go in rows
        rows = run("cite", "busan", "--style", "apa", "--format", fmt)
        assert rows.code == 0 and "Reference (apa)" in rows.out.splitlines()[0]
    else:
        res = run("sources", "--style", "apa", "--format", fmt)
        assert res.code == 2 and "takes --format auto, table, plain, csv, md" in res.err


# -- long record views page as tables do ------------------------------------------------------


def _pty(args: list[str], env: dict[str, str], expect: int = 0) -> tuple[str, str]:
    """korasean's stdout on a pseudo-terminal: what it printed there, and its stderr."""
    import pty

    leader, follower = pty.openpty()
    try:
        p = subprocess.Popen(
            [sys.executable, "-m", "korasean_cli", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # a pager that sends Ctrl-C reaches korasean, not the tests
        )
        os.close(follower)
        out = read_terminal(leader)
        p.wait(timeout=60)
        err = p.stderr.read().decode("utf-8") if p.stderr else ""
        assert p.returncode == expect, err
    finally:
        os.close(leader)
    return out, err


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "LESS")}
    env.update(COLUMNS="80", LINES="24", TERM="xterm", KORASEAN_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    env.pop("KORASEAN_PAGER", None)
    env.pop("PAGER", None)
    env.update(extra)
    return env


def _recording_pager(tmp_path: Path) -> tuple[str, Path]:
    got = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(f"import sys\nopen({str(got)!r}, 'wb').write(sys.stdin.buffer.read())\n", encoding="utf-8")
    return f"{sys.executable} {script}", got


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(
    ("argv", "title"),
    [
        (["fund", "AKCF"], "ASEAN-ROK Cooperation Fund (AKCF)"),
        (["show", "fund-akcf"], "ASEAN-ROK Cooperation Fund (AKCF)"),
        (["cite", "AKEC fund initial contribution"], "ROK's initial contribution to the AKEC Fund"),
    ],
)
def test_a_record_view_taller_than_the_terminal_opens_the_pager(tmp_path: Path, argv: list[str], title: str) -> None:
    pager, got = _recording_pager(tmp_path)
    shown, _ = _pty(argv, _env(tmp_path, KORASEAN_PAGER=pager))
    assert shown == ""  # all of it went to the pager, the matched record's title among it
    paged = SGR.sub("", got.read_text(encoding="utf-8"))
    assert title in paged.splitlines()[0] and paged.count("\n") > 24
    # as for tables: not on a dumb terminal, not when switched off, never into a pipe
    for extra in ({"TERM": "dumb"}, {"KORASEAN_PAGER": "cat"}, {"LINES": "1000"}):
        got.unlink(missing_ok=True)
        shown, _ = _pty(argv, _env(tmp_path, PAGER=pager, **extra))
        assert title in SGR.sub("", shown) and not got.exists()
    piped = subprocess.run(
        [sys.executable, "-m", "korasean_cli", *argv, "--format", "table"],
        env=_env(tmp_path, KORASEAN_PAGER=pager),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert piped.returncode == 0 and title in piped.stdout and not got.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal and process groups")
def test_ctrl_c_while_the_pager_runs_exits_130(tmp_path: Path) -> None:
    # the terminal sends Ctrl-C to the foreground process group: the pager and korasean
    pager = (
        f'{sys.executable} -c "import os, signal, sys; sys.stdin.read(); '
        'signal.signal(signal.SIGINT, signal.SIG_DFL); os.killpg(0, signal.SIGINT)"'
    )
    _, err = _pty(["timeline", "--format", "table"], _env(tmp_path, KORASEAN_PAGER=pager), expect=130)
    assert err == "korasean: interrupted\n"


# -- record ids in sight ---------------------------------------------------------------------


def _table(run: Any, monkeypatch: Any, width: int, *argv: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    res = run(*argv, "--format", "table")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert max(map(len, lines)) <= width
    return lines


def _header(lines: list[str]) -> list[str]:
    rule = next(i for i, line in enumerate(lines) if "────" in line)
    return re.split(r"\s{2,}", " ".join(lines[2:rule]).strip())


@pytest.mark.usefixtures("shipped_once")
def test_the_timeline_shows_record_ids_from_100_columns(run: Any, monkeypatch: Any) -> None:
    ids = [e["id"] for e in run("timeline", "--from", "2019", "--to", "2019", "--json").json()]
    for width in (100, 140, 200):
        lines = _table(run, monkeypatch, width, "timeline", "--from", "2019", "--to", "2019")
        assert "ID" in _header(lines)
        text = "\n".join(lines)
        # ids of up to 40 characters stand whole on one line, ready to copy into show or cite
        assert all(i in text for i in ids if len(i) <= 40)
    assert "ID" not in _header(_table(run, monkeypatch, 99, "timeline", "--from", "2019", "--to", "2019"))


@pytest.mark.usefixtures("shipped_once")
def test_timeline_from_2022_keeps_its_source_column_at_80_columns(run: Any, monkeypatch: Any) -> None:
    lines = _table(run, monkeypatch, 80, "timeline", "--from", "2022")
    assert _header(lines) == ["Date", "Event", "Source"]
    assert "left out at this width: Category" in lines[-1]
    # a date wraps before its "(inferred)", never inside itself
    dates = [line[:16].strip() for line in lines[4:]]
    assert "(inferred)" in dates and "6–11 Oct 2024" in dates and "2021–2025" in dates


@pytest.mark.usefixtures("shipped_once")
def test_search_keeps_its_id_column_and_no_empty_value_column(run: Any, monkeypatch: Any) -> None:
    lines = _table(run, monkeypatch, 100, "search", "when did korea open its mission in jakarta", "-n", "3")
    # no row has a value: no Value column; the kind gives way to the id
    assert _header(lines) == ["Score", "Date", "Title", "ID"] and "Kind" in lines[-1]
    assert "ev-2012-09-rok-mission-to-asean" in "\n".join(lines)
    lines = _table(run, monkeypatch, 100, "search", "AKCF contribution", "-n", "4")
    assert "ID" in _header(lines) and "Value" in _header(lines)


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize(
    "argv",
    [["timeline"], ["timeline", "--from", "2022"], ["trade", "--derived"], ["search", "korea south"], ["facts"]],
)
def test_at_50_columns_no_word_that_fits_is_cut(run: Any, monkeypatch: Any, argv: list[str]) -> None:
    lines = _table(run, monkeypatch, 50, *argv)
    rule = next(i for i, line in enumerate(lines) if "────" in line)
    known = set(run(*argv, "--format", "plain").out.split())  # every word of the rows, whole
    bottom = max(i for i, line in enumerate(lines) if not line.strip())  # the caption follows it
    body = {w for line in lines[rule + 1 : bottom] for w in line.split()}
    # "ASEAN–Sout" / "h Korea" would leave two pieces that are no word of the rows
    assert body <= known, body - known


# -- undated and ongoing events --------------------------------------------------------------


@pytest.mark.usefixtures("shipped_once")
def test_timeline_says_how_many_undated_events_a_range_leaves_out(run: Any) -> None:
    undated = run("timeline", "--undated", "--json").json()
    assert undated and all(e["date"] is None for e in undated)
    res = run("timeline", "--from", "1989")
    assert f"korasean: note: {len(undated)} undated events left out by the date range" in res.err
    assert "--undated" in res.err and res.code == 0
    # the note counts what the other filters let through
    summits = run("timeline", "--undated", "-c", "asean-rok-summit", "--json").json()
    res = run("timeline", "--from", "1989", "-c", "asean-rok-summit")
    assert f"{len(summits)} undated event" in res.err
    assert run("timeline", "--undated", "--from", "2020").code == 2


@pytest.mark.usefixtures("shipped_once")
def test_started_lists_only_what_began_in_the_range(run: Any) -> None:
    overlapping = run("timeline", "--from", "2024", "-n", "3", "--json").json()
    assert overlapping[0]["date_display"] == "since 1994"  # ongoing since 1994 overlaps 2024
    started = run("timeline", "--from", "2024", "--started", "--json").json()
    assert started and all(e["date"][:4] >= "2024" for e in started)
    assert {e["id"] for e in started} < {e["id"] for e in run("timeline", "--from", "2024", "--json").json()}


@pytest.mark.usefixtures("shipped_once")
def test_export_follows_started(run: Any, tmp_path: Path) -> None:
    import icalendar

    def years(*extra: str) -> list[int]:
        out = tmp_path / "x.ics"
        assert run("export", "-f", "ics", "--from", "2019", "--to", "2019", *extra, "-o", str(out)).code == 0
        cal = icalendar.Calendar.from_ical(out.read_bytes())
        return [ev.decoded("DTSTART").year for ev in cal.walk("VEVENT")]

    assert min(years()) < 2017  # "since 1994" and the like overlap 2019
    assert set(years("--started")) == {2019}
    assert '"started": true' in run("export", "-f", "json", "--from", "2019", "--started").out


# -- lists you can narrow ---------------------------------------------------------------------


@pytest.mark.usefixtures("shipped_once")
def test_facts_by_speaker(run: Any) -> None:
    statements = run("facts", "--kind", "statement", "--json").json()
    yoon = [s["id"] for s in statements if s["speaker"] == "Yoon Suk Yeol"]
    assert [s["id"] for s in run("facts", "--speaker", "yoon", "--json").json()] == yoon
    assert run("facts", "--speaker", "Kim Tae", "--json").json()[0]["speaker"] == "Kim Tae-hyo"
    res = run("facts", "--speaker", "yon")
    assert res.code == 1 and "did you mean" in res.err and "Yoon Suk Yeol" in res.err
    assert run("facts", "--speaker", "yoon", "--kind", "figure").code == 2


@pytest.mark.usefixtures("shipped_once")
def test_category_and_source_forgive_case_and_plurals(run: Any) -> None:
    meetings = run("timeline", "-c", "meeting", "--json").json()
    assert run("timeline", "-c", "Meetings", "--json").json() == meetings
    st = run("timeline", "-s", "straits-times-2024", "--json").json()
    assert run("timeline", "-s", "Straits-Times-2024", "--json").json() == st
    res = run("timeline", "-c", "summits")
    assert res.code == 2 and "did you mean: asean-rok-summit, other-summit?" in res.err
    res = run("facts", "-s", "straits")
    assert res.code == 2 and "did you mean: straits-times-2024?" in res.err


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("korasean timeline --category as", {"asean-rok-summit"}),
        ("korasean timeline --source st", {"straits-times-2024"}),
        ("korasean show ev-2019-11-25", {"ev-2019-11-25-1st-smart-city-ministerial"}),
        ("korasean fund AK", {"AKEC", "AKCF"}),
        ("korasean cite x --style c", {"chicago", "csl-json"}),
        ("korasean facts --format j", {"json", "jsonl"}),
        ("korasean export --format s", {"sqlite"}),
        ("korasean facts --speaker Yo", {"Yoon Suk Yeol"}),
    ],
)
def test_shell_completion_offers_values(tmp_path: Path, words: str, offered: set[str]) -> None:
    env = dict(
        os.environ,
        _KORASEAN_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        KORASEAN_CACHE_DIR=str(tmp_path),
    )
    res = subprocess.run(
        [sys.executable, "-c", "from korasean_cli.__main__ import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert set(res.stdout.splitlines()) == offered, res.stderr


def test_completion_code_is_not_imported_by_a_normal_run(tmp_path: Path) -> None:
    code = (
        "import sys; from korasean_cli.cli.fast import try_fast; try_fast(['fund', '--json']); "
        "sys.stderr.write(repr([m for m in sys.modules if m.endswith('.complete')]))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, KORASEAN_CACHE_DIR=str(tmp_path)),
    )
    assert res.stderr.endswith("[]")


# -- small things a user hit -----------------------------------------------------------------


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize("command", ["search", "cite"])
def test_no_match_in_json_is_an_empty_list(run: Any, command: str) -> None:
    res = run(command, "zzzqqqx", "--json")
    assert res.code == 1 and res.out == "[]\n" and "korasean: error:" in res.err


@pytest.mark.usefixtures("shipped_once")
def test_empty_fund_name_and_unwritable_export_path(run: Any) -> None:
    assert run("fund", "").code == 2
    res = run("export", "-o", "/proc/x.csv")
    assert res.code in (2, 4) and "/proc/x.csv" in res.err and ".korasean-" not in res.err


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize("record", ["term-akfta", "fig-2022-asean-rok-trade", "fig-asean-rok-trade-tripled-since-2007"])
def test_a_record_view_shows_each_field_once(run: Any, record: str) -> None:
    lines = run("show", record, "--format", "plain").out.split("\n\n")[0].splitlines()[1:]
    labels = [re.split(r"\s{2,}", line.strip())[0] for line in lines if not line.startswith("    ")]
    repeated = {"quote"}  # one a citation
    assert len(labels) == len(set(labels)) + sum(labels.count(x) - 1 for x in repeated if x in labels), labels


@pytest.mark.usefixtures("shipped_once")
def test_derived_values_keep_one_decimal(run: Any) -> None:
    rows = [line.split("\t") for line in run("trade", "--derived", "--format", "plain").out.splitlines()]
    derived = [row[3] for row in rows if row[0].endswith("(derived)")]
    assert "about USD 189.6 billion (derived)" in derived and "about USD 7.1 billion (derived)" in derived
    assert all(re.search(r"\d+(\.\d)? (billion|million)", v) for v in derived)


class _FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_first_compile_says_so_on_a_terminal(monkeypatch: Any) -> None:
    import time

    from korasean_cli.cli import common

    err = _FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    with common.CompileNotice(after=0.05):
        time.sleep(0.3)
    assert err.getvalue().startswith("korasean: compiling the dataset (first run")
    assert re.search(r"korasean: compiled in \d+\.\d s\n$", err.getvalue())
    err.truncate(0)
    err.seek(0)
    with common.CompileNotice(after=1.0):  # a load that ends sooner says nothing
        pass
    assert err.getvalue() == ""


def test_a_first_compile_says_nothing_into_a_pipe(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "korasean_cli", "fund", "--json"],
        env=dict(os.environ, KORASEAN_CACHE_DIR=str(tmp_path / "fresh")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0 and res.stderr == ""


def test_the_html_search_box_shows_its_whole_placeholder(ds: Any, tmp_path: Path) -> None:
    from korasean_cli.core.export import formats as ex
    from korasean_cli.core.query import timeline
    from test_export import chromium

    browser = chromium()
    html = ex.to_html(ds, timeline(ds))
    # measure in the page: the placeholder's text width against the box's room for text
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    probe = (
        "<script>addEventListener('load', () => { const q = document.getElementById('q'); "
        "const s = getComputedStyle(q); const c = document.createElement('canvas').getContext('2d'); "
        "c.font = s.font; const room = q.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); "
        "document.body.setAttribute('data-fit', c.measureText(q.placeholder).width <= room ? 'yes' : 'no'); });</script>"
    )
    page = tmp_path / "page.html"
    page.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    for width in (1280, 800):
        out = subprocess.run(
            [
                browser,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--window-size={width},900",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        assert 'data-fit="yes"' in out.stdout
