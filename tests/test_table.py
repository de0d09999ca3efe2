"""cli/table.py: korasean's own table printer, checked against hand-checked expected output.

The expected tables below are written between bars (``|...|``) so that their leading and
trailing spaces show; ``golden`` takes the bars off.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from korasean_cli.cli import render, table
from korasean_cli.cli.render import Column, emit_rows
from korasean_cli.cli.table import cell_len, draw

ROOT = Path(__file__).resolve().parent.parent
SGR = re.compile(r"\x1b\[([0-9;]*)m")


class Out(io.StringIO):
    """A captured stdout with a chosen encoding, a terminal or not."""

    def __init__(self, encoding: str = "utf-8", tty: bool = False) -> None:
        super().__init__()
        self._encoding, self._tty = encoding, tty

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        return self._tty


def golden(text: str) -> str:
    """The lines between the bars, each line ending in a newline."""
    lines = [line.strip() for line in text.strip().split("\n")]
    assert all(line[0] == line[-1] == "|" for line in lines)
    return "".join(line[1:-1] + "\n" for line in lines)


# -- hand-checked tables -----------------------------------------------------------------


def test_a_table_that_fits_keeps_its_widths_and_centres_title_and_caption() -> None:
    text = draw(
        ["Year", "Event", "US$ m"],
        [4, 12, 5],
        [["1990", "SCF launched", "1.0"], ["2019", "AKCF", "14.0"]],
        80,
        justify=["left", "left", "right"],
        title="Funds",
        caption="2 funds",
    )
    assert text == golden(
        """
        |             Funds             |
        |                               |
        |  Year   Event          US$ m  |
        | ───────────────────────────── |
        |  1990   SCF launched     1.0  |
        |  2019   AKCF            14.0  |
        |                               |
        |            2 funds            |
        """
    )


ROWS = [
    ["Nov 1989", "ASEAN and the ROK initiate sectoral dialogue relations", "asean-overview"],
    ["2019", "SCF and FOCF merged into the ASEAN-ROK Cooperation Fund (AKCF)", "asean-overview"],
]


def test_columns_give_way_to_the_terminal_widest_first_without_breaking_words() -> None:
    assert draw(["Date", "Event", "Source"], [8, 62, 14], ROWS, 80) == golden(
        """
        |                                                                                |
        |  Date       Event                                              Source          |
        | ────────────────────────────────────────────────────────────────────────────── |
        |  Nov 1989   ASEAN and the ROK initiate sectoral dialogue       asean-overview  |
        |             relations                                                          |
        |  2019       SCF and FOCF merged into the ASEAN-ROK             asean-overview  |
        |             Cooperation Fund (AKCF)                                            |
        |                                                                                |
        """
    )
    assert draw(["Date", "Event", "Source"], [8, 62, 14], ROWS, 50) == golden(
        """
        |                                                  |
        |  Date       Event                Source          |
        | ──────────────────────────────────────────────── |
        |  Nov 1989   ASEAN and the ROK    asean-overview  |
        |             initiate sectoral                    |
        |             dialogue relations                   |
        |  2019       SCF and FOCF         asean-overview  |
        |             merged into the                      |
        |             ASEAN-ROK                            |
        |             Cooperation Fund                     |
        |             (AKCF)                               |
        |                                                  |
        """
    )


def test_at_30_columns_short_columns_wrap_at_spaces_and_long_words_fold_after_a_hyphen() -> None:
    # 4 + 11 + 14 columns of longest words do not fit in 30 - 10: some word must be cut
    assert draw(["Date", "Event", "Source"], [8, 62, 14], ROWS[:1], 30) == golden(
        """
        |                              |
        |  Date   Event      Source    |
        | ──────────────────────────── |
        |  Nov    ASEAN      asean-    |
        |  1989   and the    overview  |
        |         ROK                  |
        |         initiate             |
        |         sectoral             |
        |         dialogue             |
        |         relation             |
        |         s                    |
        |                              |
        """
    )


def test_wide_characters_take_two_columns_and_combining_marks_none() -> None:
    assert cell_len("한국") == 4 and cell_len("Ｘ") == 2 and cell_len("e\u0301") == 1 and cell_len("ASEAN") == 5
    text = draw(
        ["이름", "Note"], [4, 14], [["한국", "ASEAN–Korea 센터"], ["Ｘ", "café e\u0301"]], 40, ["center", "left"]
    )
    assert text == golden(
        """
        |                         |
        |  이름   Note            |
        | ─────────────────────── |
        |  한국   ASEAN–Korea     |
        |         센터            |
        |   Ｘ    café e\u0301          |
        |                         |
        """
    )
    assert {cell_len(line) for line in text.splitlines()} == {25}


def test_an_ascii_box_when_the_output_is_not_utf8() -> None:
    assert table.ascii_only(Out("latin-1")) and not table.ascii_only(Out("utf-8"))
    text = draw(["Date", "Event"], [8, 12], [["Nov 1989", "AKC opens"]], 40, box=table.ASCII, title="T")
    assert text == golden(
        """
        |             T             |
        |+-------------------------+|
        || Date     | Event        ||
        ||----------+--------------||
        || Nov 1989 | AKC opens    ||
        |+-------------------------+|
        """
    )


def test_an_empty_table_has_its_header_and_caption() -> None:
    assert draw(["Date", "Event"], [4, 5], [], 40, caption="0 events") == golden(
        """
        |                |
        |  Date   Event  |
        | ────────────── |
        |                |
        |    0 events    |
        """
    )


def test_styles_italic_title_bold_header_dim_caption_and_never_the_data() -> None:
    def table(styled: bool = False) -> str:
        return draw(["Date", "Event"], [4, 9], [["1990", "AKC"]], 40, title="T", caption="C", styled=styled)

    styled = table(styled=True)
    assert styled == golden(
        """
        |\x1b[3m         T          \x1b[0m|
        |                    |
        |\x1b[1m  Date   Event      \x1b[0m|
        | ────────────────── |
        |  1990   AKC        |
        |                    |
        |\x1b[2;3m         C          \x1b[0m|
        """
    )
    assert SGR.sub("", styled) == table()
    assert "\x1b" not in table(styled=False)


def test_a_title_wider_than_the_table_is_wrapped_and_centred() -> None:
    text = draw(["Date", "Event"], [4, 9], [["1990", "SCF launched in a long title"]], 20, title="A title much longer")
    assert text == golden(
        """
        |A title much longer |
        |                    |
        |  Date   Event      |
        | ────────────────── |
        |  1990   SCF        |
        |         launched   |
        |         in a long  |
        |         title      |
        |                    |
        """
    )


def test_cropping_is_the_last_resort() -> None:
    # six one-character columns need 25 columns: the lines are cut at 20
    text = draw(list("ABCDEF"), [5] * 6, [list("abcdef")], 20)
    assert text == golden(
        """
        |                    |
        |  A   B   C   D   E |
        | ───────────────────|
        |  a   b   c   d   e |
        |                    |
        """
    )


def test_cells_keep_their_line_breaks_and_right_justified_columns_line_up() -> None:
    text = draw(["N", "Text"], [3, 10], [["7", "one\ntwo three"], ["123", ""]], 40, ["right", "left"])
    assert text == golden(
        """
        |                    |
        |    N   Text        |
        | ────────────────── |
        |    7   one         |
        |        two three   |
        |  123               |
        |                    |
        """
    )


def test_wrap_keeps_words_whole_when_they_fit() -> None:
    assert render.wrap("ASEAN-ROK Commemorative Summit held", 13) == "ASEAN-ROK\nCommemorative\nSummit held"
    assert render.wrap("short", 10) == "short"
    assert render.wrap("asia-business-daily-2022:6", 21) == "asia-business-daily-\n2022:6"
    assert render.wrap("한국어 문장", 6) == "한국어\n문장"
    assert render.wrap("abcdefgh", 3) == "abc\ndef\ngh"


# -- properties ----------------------------------------------------------------------------

WORDS = ["ASEAN", "ROK", "Korea–ASEAN", "a", "fund", "2019", "한국어", "센터", "e\u0301te\u0301", "Ｆ", "x" * 15]
WORDS += ["sustainable-development", "(AKCF)", "US$1"]
cell_text = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)


@st.composite
def tables(draw_: Any) -> dict[str, Any]:
    n = draw_(st.integers(1, 5))
    return {
        "headers": draw_(st.lists(cell_text.filter(bool), min_size=n, max_size=n)),
        "rows": draw_(st.lists(st.lists(cell_text, min_size=n, max_size=n), max_size=6)),
        "justify": draw_(st.lists(st.sampled_from(["left", "right", "center"]), min_size=n, max_size=n)),
        "title": draw_(st.none() | cell_text.filter(bool)),
        "caption": draw_(st.none() | cell_text.filter(bool)),
    }


def words_of(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t=tables(), total=st.integers(20, 200))
@example(t={"headers": ["x" * 15] * 5, "rows": [], "justify": ["left"] * 5, "title": None, "caption": None}, total=20)
def test_any_table_fits_its_width_and_keeps_every_word(t: dict[str, Any], total: int) -> None:
    headers, rows = t["headers"], t["rows"]
    n = len(headers)
    columns = [[h, *(row[k] for row in rows)] for k, h in enumerate(headers)]
    natural = [max(map(cell_len, column)) for column in columns]
    text = draw(headers, natural, rows, total, t["justify"], t["title"], t["caption"], box=table.ASCII)
    lines = text.splitlines()
    assert all(cell_len(line) <= total for line in lines)
    longest = [max(map(cell_len, words_of(column)), default=0) for column in columns]
    if sum(longest) + 3 * n + 1 > total:
        return  # some word must be folded (or cut): nothing more to check
    # every cell's words come out whole and in order, in their column
    rules = [i for i, line in enumerate(lines) if line[:1] == "+" or line[:2] == "|-"]
    top, rule, bottom = rules
    for part, expected in ((lines[top + 1 : rule], [headers]), (lines[rule + 1 : bottom], rows)):
        cells = [line[2:-2].split(" | ") for line in part]
        assert all(len(c) == n for c in cells)
        for k in range(n):
            assert words_of([c[k] for c in cells]) == words_of([row[k] for row in expected])
    for shown, given_ in ((lines[:top], t["title"]), (lines[bottom + 1 :], t["caption"])):
        if max(map(cell_len, words_of([given_ or ""])), default=0) <= cell_len(lines[top]):
            assert words_of(shown) == words_of([given_ or ""])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "date": st.sampled_from(["Nov 1989", "25–26 Nov 2019 (inferred)", ""]),
                "title": cell_text,
                "id": cell_text,
            }
        ),
        max_size=6,
    ),
    total=st.integers(20, 200),
)
def test_emit_rows_fits_any_terminal(rows: list[dict[str, Any]], total: int, monkeypatch: Any) -> None:
    columns = [
        Column("Date", "date", no_wrap=True),
        Column("Title", "title"),
        Column("ID", "id", no_wrap=True, optional=True),
    ]
    out = Out()
    with monkeypatch.context() as m:
        m.setenv("COLUMNS", str(total))
        m.setattr(sys, "stdout", out)
        emit_rows(rows, columns, "table", [], title="Search: korea", caption=f"{len(rows)} records")
    assert all(cell_len(line) <= total for line in out.getvalue().splitlines())
    assert "Search: korea" in out.getvalue()


@pytest.mark.parametrize("total", [80, 50, 30])
def test_a_shipped_table_at_80_50_and_30_columns_breaks_no_word(run: Any, monkeypatch: Any, total: int) -> None:
    monkeypatch.setenv("COLUMNS", str(total))
    res = run("timeline", "--to", "2000", "--format", "table")
    assert res.code == 0
    lines = res.out.splitlines()
    assert all(cell_len(line) <= total for line in lines)
    events = run("timeline", "--to", "2000", "--json").json()
    # even at 30 columns the events' longest words (Cooperation, Ministerial) fit their column
    expected = Counter(words_of([f"{e['date_display']} {e['title']}" for e in events]))
    assert expected - Counter(words_of(lines)) == Counter()


# -- the terminal ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # no-color.org: set and not empty
        ({"TERM": "dumb"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        ({"TTY_COMPATIBLE": "0"}, True, False),
    ],
)
def test_styles_only_on_a_terminal_without_no_color(
    monkeypatch: Any, env: dict[str, str], tty: bool, expected: bool
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = Out(tty=tty)
    assert table.use_styles(out) is expected
    monkeypatch.setattr(sys, "stdout", out)
    emit_rows([{"a": "[bold]x[/bold] \x1b[31m"}], [Column("A", "a")], "table", [], title="T", caption="C")
    assert ("\x1b[" in out.getvalue()) is expected
    assert "[bold]x[/bold] \\x1b[31m" in out.getvalue()  # data: literal, escapes made visible


@pytest.mark.parametrize(
    ("columns", "width"),
    [("5", 20), ("133", 133), ("1000", 1000), ("1001", 1000), ("99999999999", 1000), ("9" * 5000, 1000), ("00042", 42)],
)
def test_width_comes_from_columns_between_20_and_1000(monkeypatch: Any, columns: str, width: int) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert table.terminal_width(Out()) == width


@pytest.mark.parametrize("columns", ["abc", "", "²", "-5", "1e9"])
def test_a_columns_that_is_not_a_number_is_ignored(monkeypatch: Any, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert 0 < table.terminal_width(Out()) <= table.MAX_WIDTH


@pytest.mark.parametrize("args", [["timeline", "--to", "1991"], ["fund", "AKCF"]])  # a table, a Rich panel
def test_a_huge_columns_draws_at_most_1000_columns(run: Any, monkeypatch: Any, args: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", "9" * 5000)  # more digits than int() takes
    res = run(*args, "--format", "table")
    assert res.code == 0 and max(map(cell_len, res.out.splitlines())) <= 1000


def _pty_run(args: list[str], env: dict[str, str]) -> str:
    """Run korasean with its stdout on a pseudo-terminal; what it printed."""
    import pty

    leader, follower = pty.openpty()
    try:
        p = subprocess.Popen(
            [sys.executable, "-m", "korasean_cli", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        p.wait(timeout=60)
        assert p.returncode == 0, p.stderr.read() if p.stderr else ""
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_real_terminal_the_header_is_bold_unless_no_color(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(COLUMNS="80", TERM="xterm", KORASEAN_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    shown = _pty_run(["timeline", "--to", "1991", "--format", "table"], env)
    assert f"{table.BOLD}  Date" in shown and table.ITALIC in shown and table.DIM_ITALIC in shown
    plain = _pty_run(["timeline", "--to", "1991", "--format", "table"], dict(env, NO_COLOR="1"))
    assert "\x1b" not in plain
    assert SGR.sub("", shown) == plain


# -- the pager ---------------------------------------------------------------------------------


def _pager_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "LESS")}
    env.update(COLUMNS="80", TERM="xterm", KORASEAN_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    env.pop("KORASEAN_PAGER", None)
    env.update(extra)
    return env


def _recording_pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that keeps what it was given (and the LESS it saw) in a file."""
    got = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(
        "import os, sys\n"
        f"with open({str(got)!r}, 'wb') as f:\n"
        "    f.write(os.environ.get('LESS', '-').encode() + b'\\n' + sys.stdin.buffer.read())\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}", got


# the timeline table ends with the shipped dataset's event count (not a fixed number: curators merge and add events)
EVENTS_FOOTER = f"{len(re.findall(r'^- id: ev-', (Path(__file__).parents[1] / 'data' / 'relations.yaml').read_text(encoding='utf-8'), re.M))} events"


def footer(text: str) -> str:
    """A table's last line, the caption (which may go on to name the columns left out at that width)."""
    return text.rstrip().splitlines()[-1].strip()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_table_taller_than_the_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    pager, got = _recording_pager(tmp_path)
    shown = _pty_run(["timeline", "--format", "table"], _pager_env(tmp_path, LINES="20", KORASEAN_PAGER=pager))
    assert shown == ""  # the pager had it all, not the terminal
    less, _, paged = got.read_bytes().decode("utf-8").partition("\n")
    paged = SGR.sub("", paged)
    assert less == "FRX" and "ASEAN–ROK timeline" in paged and footer(paged).startswith(EVENTS_FOOTER)
    assert paged.count("\n") > 20


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(
    "extra",
    [
        {"LINES": "2000"},  # it fits
        {"LINES": "20", "KORASEAN_PAGER": "cat"},  # switched off
        {"LINES": "20", "KORASEAN_PAGER": ""},
        {"LINES": "20", "PAGER": "cat"},
        {"LINES": "20", "KORASEAN_PAGER": "no-such-pager-here --flag"},  # not installed: never swallow the output
        {"LINES": "20", "TERM": "dumb"},  # no pager on a dumb terminal (less would warn and misdraw)
    ],
)
def test_no_pager_when_the_table_fits_or_the_user_says_so(tmp_path: Path, extra: dict[str, str]) -> None:
    pager, got = _recording_pager(tmp_path)
    env = _pager_env(tmp_path, PAGER=pager)
    env.update(extra)
    shown = SGR.sub("", _pty_run(["timeline", "--format", "table"], env))
    assert "ASEAN–ROK timeline" in shown and footer(shown).startswith(EVENTS_FOOTER)
    assert not got.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_pager_that_fails_does_not_lose_the_table(tmp_path: Path) -> None:
    # `false` is there and exits 1 without reading a line: the table is printed after it
    shown = SGR.sub("", _pty_run(["timeline", "--format", "table"], _pager_env(tmp_path, LINES="20", PAGER="false")))
    assert "ASEAN–ROK timeline" in shown and footer(shown).startswith(EVENTS_FOOTER)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the signal mask from /proc")
def test_the_pager_can_be_interrupted(tmp_path: Path) -> None:
    """korasean ignores Ctrl-C while the pager runs; the pager must not inherit that."""
    mask = tmp_path / "mask.txt"
    pager = f"cat >/dev/null; grep SigIgn /proc/self/status > {mask}"
    _pty_run(["timeline", "--format", "table"], _pager_env(tmp_path, LINES="20", KORASEAN_PAGER=pager))
    ignored = int(mask.read_text().split()[1], 16)
    assert not ignored & (1 << (signal.SIGINT - 1))


@pytest.mark.parametrize(("lines", "rows"), [("24", 24), ("0042", 42), ("9" * 5000, sys.maxsize)])
def test_lines_gives_the_terminal_height(monkeypatch: Any, lines: str, rows: int) -> None:
    from korasean_cli.cli import pager

    monkeypatch.setenv("LINES", lines)
    assert pager._terminal_height(Out(tty=True)) == rows


def test_no_pager_into_a_pipe(tmp_path: Path) -> None:
    pager, got = _recording_pager(tmp_path)
    p = subprocess.run(
        [sys.executable, "-m", "korasean_cli", "timeline", "--format", "table"],
        env=_pager_env(tmp_path, LINES="5", KORASEAN_PAGER=pager),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0 and "ASEAN–ROK timeline" in p.stdout and not got.exists()


def test_a_table_does_not_import_rich(tmp_path: Path) -> None:
    code = (
        "import sys; from korasean_cli.cli.fast import try_fast; "
        "rc = try_fast(['timeline', '--from', '1989', '--format', 'table']); "
        "sys.stderr.write(repr((rc, [m for m in sys.modules if m.split('.')[0] in ('rich', 'textwrap')])))"
    )
    env = dict(os.environ, KORASEAN_CACHE_DIR=str(tmp_path), COLUMNS="100")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert res.stderr.endswith("(0, [])")  # after the note on the undated events the range leaves out
    assert "ASEAN–ROK timeline" in res.stdout
