"""Tables drawn by cli/table.py look exactly like the Rich tables they replace.

Rich stays installed (the detail views' panels use it), so it is the reference here: the
same cells and widths go through ``rich.table.Table(box=SIMPLE_HEAD)`` the way
render.emit_rows drew tables before, and the two outputs must be the same bytes. On a
terminal the two must give every character the same bold/italic/dim.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st

from korasean_cli.cli import render, table, views
from korasean_cli.cli.render import Column, clean, column_widths, emit_rows, emit_table

ROOT = Path(__file__).resolve().parent.parent

# -- the reference: Rich, as render.emit_rows used it ------------------------------------


class Out(io.StringIO):
    """A captured stdout that is not a terminal, with a chosen encoding."""

    def __init__(self, encoding: str = "utf-8", tty: bool = False) -> None:
        super().__init__()
        self._encoding, self._tty = encoding, tty

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        return self._tty


def rich_draw(
    headers: list[str],
    widths: list[int],
    rows: list[list[str]],
    total: int,
    justify: list[str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    encoding: str = "utf-8",
    styled: bool = False,
) -> str:
    """What render.emit_rows printed with Rich: each cell wrapped to its width, then a Table of fixed widths."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = Out(encoding)
    con = Console(
        file=out,
        width=total,
        highlight=False,
        soft_wrap=False,
        force_terminal=styled,
        color_system="standard" if styled else None,
    )
    # Rich gives a Text title no style of its own; on a terminal korasean shows the theme's
    tab = Table(
        title=Text(title, style="table.title" if styled else "") if title else None,
        caption=Text(caption, style="table.caption" if styled else "") if caption else None,
        box=box.SIMPLE_HEAD,
        expand=False,
        show_lines=False,
    )
    for h, w, j in zip(headers, widths, justify or ["left"] * len(headers), strict=True):
        tab.add_column(Text(old_wrap(h, w)), width=w, no_wrap=True, justify=j, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        tab.add_row(*(Text(old_wrap(v, w)) for v, w in zip(row, widths, strict=True)))
    con.print(tab)
    return out.getvalue()


def old_wrap(text: str, width: int) -> str:
    """render.wrap before cli/table.py: textwrap."""
    if len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def rich_emit_rows(rows: list[dict[str, Any]], columns: list[Column], total: int, **kw: Any) -> str:
    """render.emit_rows' table branch before cli/table.py, for a console of `total` columns."""
    if total < render.NARROW:
        columns = [c for c in columns if not c.optional]
    grid = [[clean(r.get(c.key, "")) for c in columns] for r in rows]
    widths = column_widths(columns, grid, total)
    while any(
        w < 16 < n for w, n, c in zip(widths, render._natural(columns, grid), columns, strict=True) if not c.no_wrap
    ):
        drop = [i for i, c in enumerate(columns) if c.optional]
        if not drop:
            break
        del columns[drop[-1]]
        for row in grid:
            del row[drop[-1]]
        widths = column_widths(columns, grid, total)
    title, caption = kw.get("title"), kw.get("caption")
    return rich_draw(
        [c.header for c in columns],
        widths,
        grid,
        total,
        [c.justify for c in columns],
        clean(title) if title else None,
        clean(caption) if caption else None,
    )


def old_column_widths(columns: list[Column], cells: list[list[str]], total: int) -> list[int]:
    """render.column_widths before cli/table.py."""
    natural = render._natural(columns, cells)
    words = [
        max([len(c.header)] + [len(w) for row in cells for w in row[i].split()[:50]]) for i, c in enumerate(columns)
    ]
    widths = list(natural)
    room = max(len(columns) * 4, total - 3 * len(columns) - 1)
    for floor in ([max(8, min(w, 24)) for w in words], [6] * len(columns)):
        while sum(widths) > room:
            shrinkable = [i for i, c in enumerate(columns) if not c.no_wrap and widths[i] > floor[i]]
            if not shrinkable:
                break
            i = max(shrinkable, key=lambda k: widths[k])
            widths[i] -= 1
    return widths


# -- strategies ----------------------------------------------------------------------------

# what korasean's data looks like, and what a user may type into a query that becomes a title
COMMON = list("abcdefghij ABC 0123-./()[]:,'") + ["  ", "ASEAN", "Korea", "–", "“", "”", "é", "ü"]
WIDE = ["한", "국", "字", "Ａ", "😀", "アプリ"]
ZERO = ["\u0301", "\u0308", "\u200b", "\u200d", "\u1160", "\u0903"]
ODD = ["\t", "\n", "\xa0", "\u3000", "\u2028", "\x1b[31m", "\r"]
# every character this Python knows, but the emoji variation selector (Rich widens some
# emoji before it; table.py does not) and characters newer than its Unicode database
ANY = st.characters(blacklist_categories=("Cs", "Cn"), blacklist_characters="\ufe0f")

pieces = st.sampled_from(COMMON) | st.sampled_from(WIDE) | st.sampled_from(ZERO) | st.sampled_from(ODD)
cell_text = st.lists(pieces, max_size=40).map("".join) | st.text(ANY, max_size=30) | st.text("ab ", max_size=120)


@st.composite
def tables(draw: Any, max_cols: int = 5) -> dict[str, Any]:
    n = draw(st.integers(1, max_cols))
    return {
        "headers": [clean(h) for h in draw(st.lists(cell_text.filter(bool), min_size=n, max_size=n))],
        "widths": draw(st.lists(st.integers(1, 30), min_size=n, max_size=n)),
        "rows": [
            [clean(v) for v in row] for row in draw(st.lists(st.lists(cell_text, min_size=n, max_size=n), max_size=6))
        ],
        "justify": draw(st.lists(st.sampled_from(["left", "right", "center"]), min_size=n, max_size=n)),
        "title": draw(st.none() | cell_text.filter(bool).map(clean)),
        "caption": draw(st.none() | cell_text.filter(bool).map(clean)),
    }


def ours(t: dict[str, Any], total: int, encoding: str = "utf-8", styled: bool = False) -> str:
    box = table.ASCII if not encoding.startswith("utf") else table.SIMPLE_HEAD
    return table.draw(
        t["headers"],
        t["widths"],
        t["rows"],
        total,
        justify=t["justify"],
        title=t["title"],
        caption=t["caption"],
        box=box,
        styled=styled,
    )


def theirs(t: dict[str, Any], total: int, encoding: str = "utf-8", styled: bool = False) -> str:
    try:
        return rich_draw(
            t["headers"], t["widths"], t["rows"], total, t["justify"], t["title"], t["caption"], encoding, styled
        )
    except (ZeroDivisionError, IndexError):  # Rich 15 fails on some nonsense joiner sequences: no reference
        reject()


# -- byte for byte ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t=tables(), total=st.integers(1, 130), encoding=st.sampled_from(["utf-8", "utf-8", "latin-1"]))
@example(
    t={
        "headers": ["Date", "Title"],
        "widths": [8, 10],
        "rows": [["13 Mar 2009", "ASEAN-ROK 한국 Centre (AKC) established"], ["", "a\tb\nc"]],
        "justify": ["right", "left"],
        "title": "Search: 한국 korea [bold]x[/bold]",
        "caption": "2 records",
    },
    total=20,
    encoding="utf-8",
)
@example(  # columns that cannot shrink enough: every line is cropped to the console, piece by piece
    t={
        "headers": ["0"] * 5,
        "widths": [4, 2, 4, 1, 1],
        "rows": [["\u200d", "", "", "", ""]],
        "justify": ["right", "left", "left", "left", "left"],
        "title": "a title",
        "caption": None,
    },
    total=12,
    encoding="utf-8",
)
def test_random_tables_are_drawn_as_rich_draws_them(t: dict[str, Any], total: int, encoding: str) -> None:
    assert ours(t, total, encoding) == theirs(t, total, encoding)


words = st.lists(st.sampled_from(["ASEAN", "ROK", "Korea–ASEAN", "summit", "a", "fund", "2019", "한국어", "x" * 30]))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],  # used as a context
)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "date": st.sampled_from(["Nov 1989", "since 1994", "13 Mar 2009", "", "2019/.."]),
                "kind": st.sampled_from(["event", "figure", "term"]),
                "title": words.map(" ".join) | cell_text,
                "value": st.sampled_from(["", "US$1 million", "USD 222.8 billion (derived)"]),
                "id": st.text("abc-0123", min_size=1, max_size=40),
                "score": st.sampled_from(["10.86", "0.40"]),
            }
        ),
        max_size=8,
    ),
    total=st.integers(20, 220),
)
def test_emit_rows_prints_what_it_printed_with_rich(rows: list[dict[str, Any]], total: int, monkeypatch: Any) -> None:
    columns = [
        Column("Score", "score", justify="right"),
        Column("Kind", "kind", optional=True),
        Column("Date", "date", no_wrap=True),
        Column("Title", "title"),
        Column("Value", "value"),
        Column("ID", "id", no_wrap=True, optional=True),
    ]
    out = Out()
    with monkeypatch.context() as m:
        m.setenv("COLUMNS", str(total))
        m.setattr(sys, "stdout", out)
        emit_rows(rows, list(columns), "table", [], title="Search: korea", caption=f"{len(rows)} records")
    assert out.getvalue() == rich_emit_rows(
        rows, list(columns), total, title="Search: korea", caption=f"{len(rows)} records"
    )


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize(
    "args",
    [
        ["timeline"],
        ["search", "korea fund"],
        ["facts", "--kind", "contribution"],
        ["fund"],
        ["glossary", "akfta"],
        ["sources"],
        ["trade", "--derived"],
    ],
)
def test_every_table_command_matches_rich(run: Any, monkeypatch: Any, args: list[str]) -> None:
    """The shipped dataset's tables, each command that prints one, at the widths people use."""
    calls: list[dict[str, Any]] = []

    def spy(rows: list[dict[str, Any]], columns: list[Column], *a: Any, **kw: Any) -> None:
        calls.append({"rows": rows, "columns": list(columns), "kw": kw})
        emit_rows(rows, columns, *a, **kw)

    def table_spy(grid: list[list[str]], columns: list[Column], title: Any = None, caption: Any = None) -> None:
        # (a timeline's table is drawn from its cells directly, without a row dictionary)
        rows = [dict(zip((c.key for c in columns), row, strict=True)) for row in grid]
        calls.append({"rows": rows, "columns": list(columns), "kw": {"title": title, "caption": caption}})
        emit_table(grid, columns, title, caption)

    monkeypatch.setattr(render, "emit_rows", spy)  # the actions import it when they run
    monkeypatch.setattr(views, "emit_rows", spy)
    monkeypatch.setattr(views, "emit_table", table_spy)
    for total in (20, 40, 64, 80, 100, 120, 200):
        monkeypatch.setenv("COLUMNS", str(total))
        calls.clear()
        res = run(*args, "--format", "table")
        assert res.code == 0 and len(calls) == 1
        (call,) = calls
        assert res.out == rich_emit_rows(call["rows"], call["columns"], total, **call["kw"]), total


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.text("Hd", min_size=1, max_size=12), st.booleans(), st.lists(words.map(" ".join), max_size=5)),
        min_size=1,
        max_size=6,
    ),
    total=st.integers(1, 220),
)
def test_column_widths_are_what_they_were(data: list[tuple[str, bool, list[str]]], total: int) -> None:
    """column_widths looks for the longest words only when it needs them, with the same result."""
    columns = [Column(header, f"k{i}", no_wrap=no_wrap) for i, (header, no_wrap, _) in enumerate(data)]
    height = max(len(texts) for _, _, texts in data)
    cells = [[texts[r] if r < len(texts) else "" for _, _, texts in data] for r in range(height)]
    assert column_widths(columns, cells, total) == old_column_widths(columns, cells, total)


# -- styles on a terminal ------------------------------------------------------------------

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def attributes(text: str) -> list[tuple[str, frozenset[str]]]:
    """Each printed character with the attributes it is shown with."""
    names = {"1": "bold", "2": "dim", "3": "italic"}
    on: set[str] = set()
    chars = []
    pos = 0
    for m in SGR.finditer(text):
        chars += [(ch, frozenset(on)) for ch in text[pos : m.start()]]
        for code in m.group(1).split(";"):
            if code in ("", "0"):
                on.clear()
            else:
                on.add(names[code])
        pos = m.end()
    chars += [(ch, frozenset(on)) for ch in text[pos:]]
    return chars


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t=tables(max_cols=4), total=st.integers(1, 120))
def test_styles_on_a_terminal_are_rich_styles(t: dict[str, Any], total: int) -> None:
    """Bold header, italic title, dim italic caption; the text itself unchanged."""
    # (a styled Text with a tab is split into pieces, which Rich then crops one by one: the
    # reference would differ from the unstyled title Rich printed, in the way it crops)
    for key in ("title", "caption"):
        t[key] = t[key] and t[key].replace("\t", " ")
    styled = ours(t, total, styled=True)
    assert SGR.sub("", styled) == ours(t, total)
    assert attributes(styled) == attributes(theirs(t, total, styled=True))


def test_header_title_and_caption_styles() -> None:
    text = table.draw(["Date", "Event"], [8, 10], [["1990", "fund"]], 40, title="T", caption="C", styled=True)
    lines = text.splitlines()
    assert lines[0].startswith(table.ITALIC) and lines[0].endswith(table.RESET)
    assert f"{table.BOLD} Date     {table.RESET}" in lines[2]
    assert lines[-1].startswith(table.DIM_ITALIC) and lines[-1].endswith(table.RESET)
    assert "\x1b" not in "".join(lines[3:-1])  # data is never styled


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # no-color.org: set and not empty
        ({"TERM": "dumb"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),  # as Rich did
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
    assert f"{table.BOLD} Date" in shown and f"{table.ITALIC}" in shown and table.DIM_ITALIC in shown
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


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_table_taller_than_the_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    pager, got = _recording_pager(tmp_path)
    shown = _pty_run(["timeline", "--format", "table"], _pager_env(tmp_path, LINES="20", KORASEAN_PAGER=pager))
    assert shown == ""  # the pager had it all, not the terminal
    less, _, paged = got.read_bytes().decode("utf-8").partition("\n")
    paged = SGR.sub("", paged)
    assert less == "FRX" and "ASEAN–ROK timeline" in paged and paged.rstrip().endswith(EVENTS_FOOTER)
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
    assert "ASEAN–ROK timeline" in shown and shown.rstrip().endswith(EVENTS_FOOTER)
    assert not got.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_pager_that_fails_does_not_lose_the_table(tmp_path: Path) -> None:
    # `false` is there and exits 1 without reading a line: the table is printed after it
    shown = SGR.sub("", _pty_run(["timeline", "--format", "table"], _pager_env(tmp_path, LINES="20", PAGER="false")))
    assert "ASEAN–ROK timeline" in shown and shown.rstrip().endswith(EVENTS_FOOTER)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the signal mask from /proc")
def test_the_pager_can_be_interrupted(tmp_path: Path) -> None:
    """korasean ignores Ctrl-C while the pager runs; the pager must not inherit that."""
    mask = tmp_path / "mask.txt"
    pager = f"cat >/dev/null; grep SigIgn /proc/self/status > {mask}"
    _pty_run(["timeline", "--format", "table"], _pager_env(tmp_path, LINES="20", KORASEAN_PAGER=pager))
    ignored = int(mask.read_text().split()[1], 16)
    assert not ignored & (1 << (signal.SIGINT - 1))


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


# -- the word wrap -----------------------------------------------------------------------------

wrap_text = st.lists(
    st.sampled_from(
        ["a", "b", "-", "ab", "abcdefghijkl", " ", " ", "  ", "\t", "\n", "\xa0", "\u3000", "\r", "é", "字"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(text=wrap_text | st.text(max_size=40), width=st.integers(1, 25))
@example(text="ab   cdefghij", width=5)  # spaces that fill a line before a cut word stay
@example(text="     abc", width=3)  # leading spaces longer than a line
@example(text="a\u3000\u3000b", width=1)  # only-whitespace words are dropped at breaks (textwrap does it)
def test_wrap_words_breaks_lines_where_textwrap_does(text: str, width: int) -> None:
    assert table.wrap_words(text, width) == textwrap.wrap(text, width, break_on_hyphens=False)
    assert render.wrap(text, width) == old_wrap(text, width)


def test_wrap_refuses_a_width_below_one_like_textwrap() -> None:
    with pytest.raises(ValueError):
        table.wrap_words("abc", 0)


# -- cells, widths and the terminal -------------------------------------------------------------


def test_character_widths_agree_with_rich_for_every_known_character() -> None:
    import unicodedata

    from rich.cells import get_character_cell_size

    differ = [
        hex(o)
        for o in range(0x20, 0x110000)
        if not 0xD800 <= o <= 0xDFFF
        and unicodedata.category(chr(o)) != "Cn"
        and table.cell_len(chr(o)) != get_character_cell_size(chr(o))
    ]
    assert differ == []


@settings(max_examples=500, deadline=None)
@given(text=st.lists(pieces | st.text(ANY, max_size=3), max_size=20).map("".join), total=st.integers(0, 30))
def test_cropping_and_padding_agree_with_rich(text: str, total: int) -> None:
    from rich.cells import cell_len, set_cell_size

    text = text.replace("\t", " ").replace("\n", " ")
    assert table.cell_len(text) == cell_len(text)
    assert table.set_cell_size(text, total) == set_cell_size(text, total)


def test_width_comes_from_columns_at_least_20(monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "5")
    assert table.terminal_width(Out()) == 20
    monkeypatch.setenv("COLUMNS", "133")
    assert table.terminal_width(Out()) == 133
    monkeypatch.setenv("COLUMNS", "abc")
    assert table.terminal_width(Out()) > 0


def test_a_table_does_not_import_rich(tmp_path: Path) -> None:
    code = (
        "import sys; from korasean_cli.cli.fast import try_fast; "
        "rc = try_fast(['timeline', '--from', '1989', '--format', 'table']); "
        "sys.stderr.write(repr((rc, [m for m in sys.modules if m.split('.')[0] in ('rich', 'textwrap')])))"
    )
    env = dict(os.environ, KORASEAN_CACHE_DIR=str(tmp_path), COLUMNS="100")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert res.stderr == "(0, [])"
    assert "ASEAN–ROK timeline" in res.stdout
