"""One output dispatcher: rows + columns + format -> table | plain | JSON | JSONL | CSV | Markdown.

Data goes to stdout, messages to stderr. Tables are drawn by cli/table.py, without Rich;
Rich is imported only for the panels of detail views. Cell text is never markup: '[bold]'
prints literally, and escape sequences in data or queries are made visible by clean() first.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from ..core.data.text import clean, one_line, plain_cell, plain_line, to_json

FORMATS = ("auto", "table", "plain", "json", "jsonl", "csv", "md")


class Column(NamedTuple):
    header: str
    key: str
    no_wrap: bool = False
    justify: str = "left"
    optional: bool = False  # dropped from tables narrower than NARROW columns, or when space is short
    keep: int = 0  # among optional columns, the lowest is given up first (then the rightmost)
    min_width: int = 0  # a wrapped column is never narrower, from MIN_WIDTH_FROM columns (a date keeps whole)


NARROW = 64
MAIN_WIDTH = 30  # columns the main text of a table keeps on a terminal of 80 or more
MIN_WIDTH_FROM = 40  # below this, every column breaks at any space, dates too (Column.min_width is not kept)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def resolve_format(fmt: str, as_json: bool) -> str:
    if as_json:
        return "json"
    if fmt == "auto":
        return "table" if sys.stdout.isatty() else "plain"
    return fmt


def write(text: str) -> None:
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")


def utf8_stdout() -> bool:
    return (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "") == "utf8"


def emit_json(obj: Any) -> None:
    write(to_json(obj, ascii_only=not utf8_stdout(), indent=2))


def emit_jsonl(objs: Iterable[Any]) -> None:
    """JSON Lines: one object per line (a list's items; a single record is one line)."""
    for obj in objs:
        write(to_json(obj))


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    from .table import columns_env

    # Rich would read $COLUMNS and $LINES with int() (a number of 5,000 digits raises): the width is given
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    con = Console(
        file=sys.stderr if stderr else sys.stdout,
        width=columns_env(),
        highlight=False,
        soft_wrap=False,
        _environ=environ,
    )
    con.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    return con


def _broken_pipe() -> None:
    # Rich's own answer to `| head -1` is SystemExit(1), which means "not found" here: let the
    # error boundary end quietly with 0, as it does for every other output
    raise BrokenPipeError()


def emit_plain(rows: Any) -> None:
    """gh-style rows: one line each, tab-separated, no header, nothing to strip."""
    lines = [plain_line(cells) for cells in rows]
    if lines:
        write("\n".join(lines))


def emit_rows(
    rows: list[dict[str, Any]],
    columns: list[Column],
    fmt: str,
    json_rows: list[dict[str, Any]],
    title: str | None = None,
    caption: str | None = None,
) -> None:
    """Emit a list: json/jsonl use json_rows, the others the display columns of rows."""
    if fmt == "json":
        emit_json(json_rows)
    elif fmt == "jsonl":
        emit_jsonl(json_rows)
    elif fmt == "csv":  # the csv export's writer: never a formula, controls visible
        from ..core.export.cells import csv_text

        sys.stdout.write(csv_text([c.header for c in columns], ([r.get(c.key, "") for c in columns] for r in rows)))
    elif fmt == "md":  # the md export's escaping: the data stays text
        from ..core.export.cells import md_table

        write("\n".join(md_table([c.header for c in columns], ([r.get(c.key, "") for c in columns] for r in rows))))
    elif fmt == "plain":
        keys = [c.key for c in columns]
        emit_plain([[r.get(k, "") for k in keys] for r in rows])
    else:
        keys = [c.key for c in columns]
        emit_table(clean_grid([r.get(k, "") for k in keys] for r in rows), columns, title, caption)


def emit_table(
    grid: list[list[str]], columns: list[Column], title: str | None = None, caption: str | None = None
) -> None:
    """A table for people: grid holds each row's cells (clean_grid's output), in the order of columns."""
    from . import table

    out = sys.stdout
    width = table.terminal_width(out)
    columns = list(columns)
    grid = [list(row) for row in grid]
    left_out: list[str] = []

    def drop(i: int) -> None:
        left_out.append(columns[i].header)
        del columns[i]
        for row in grid:
            del row[i]

    if width < NARROW:
        for i in reversed(range(len(columns))):
            if columns[i].optional:
                drop(i)
    # rather than squeeze the text to a sliver or cut words in two, give up optional columns
    # (the least kept first, then the rightmost): the main text keeps 30 columns on a terminal of
    # 80 or more (16 below), and no column is narrower than its longest word (up to 24)
    while True:
        widths = column_widths(columns, grid, width, squeeze=True)
        natural = _natural(columns, grid)
        wrapped = [i for i, c in enumerate(columns) if not c.no_wrap]
        if not wrapped:
            break
        main = max(wrapped, key=lambda i: natural[i])
        short = widths[main] < min(natural[main], MAIN_WIDTH if width >= 80 else 16)
        cut = any(
            widths[i] < min(natural[i], _longest_word(columns[i].header, map(itemgetter(i), grid), 24)) for i in wrapped
        )
        optional = [i for i, c in enumerate(columns) if c.optional]
        if not (short or cut) or not optional:
            break
        drop(min(optional, key=lambda i: (columns[i].keep, -i)))
    if left_out:  # said, not silently dropped
        caption = (f"{caption}; " if caption else "") + f"left out at this width: {', '.join(left_out)}"
    from .pager import show

    show(
        table.draw(
            [c.header for c in columns],
            widths,
            grid,
            width,
            justify=[c.justify for c in columns],
            title=clean(title) if title else None,
            caption=clean(caption) if caption else None,
            box=table.ASCII if table.ascii_only(out) else table.SIMPLE_HEAD,
            styled=table.use_styles(out),
        ),
        out,
    )


def clean_grid(rows: Iterable[Sequence[Any]]) -> list[list[str]]:
    """Rows of cells as clean text; a row of printable strings is checked in one go."""
    grid = []
    for row in rows:
        cells = list(row)
        try:
            printable = "".join(cells).isprintable()
        except TypeError:  # not all strings
            printable = False
        grid.append(cells if printable else [clean(v) for v in cells])
    return grid


def wrap(text: str, width: int) -> str:
    """Cell text word-wrapped to lines of at most width terminal columns."""
    from .table import wrap_lines

    return "\n".join(wrap_lines(text, width))


def _widest(texts: Sequence[str]) -> int:
    """The width of the widest of texts, in terminal columns (ASCII text: its length, measured quickly)."""
    from itertools import filterfalse

    from .table import cell_len

    return max(
        max(map(len, filter(str.isascii, texts)), default=0),
        max(map(cell_len, filterfalse(str.isascii, texts)), default=0),
    )


def _natural(columns: list[Column], cells: list[list[str]]) -> list[int]:
    """Each column's widest cell (the header among them), in terminal columns."""
    return [_widest([c.header, *map(itemgetter(i), cells)]) for i, c in enumerate(columns)]


def _longest_word(header: str, texts: Iterable[str], enough: int = 24) -> int:
    """The width of the longest of the header and the first 50 words of each text, or enough if that is less."""
    from .table import cell_len

    longest = cell_len(header)
    short = []  # texts of at most 100 characters have at most 50 words: split all of them in one go
    for text in set(texts):
        if longest >= enough:
            return enough
        if len(text) <= longest and (text.isascii() or cell_len(text) <= longest):  # no longer word in there
            continue
        if len(text) <= 100:
            short.append(text)
        else:
            longest = max(longest, _widest(text.split()[:50]))
    return min(enough, max(longest, _widest(" ".join(short).split())))


def column_widths(columns: list[Column], cells: list[list[str]], total: int, squeeze: bool = False) -> list[int]:
    """Column widths (in terminal columns) that fit the terminal.

    The widest wrappable columns give way first, down to their longest word (at most 24),
    then (if squeeze) no_wrap columns down to theirs, then wrappable columns down to 6;
    short columns keep their natural width. table.draw shrinks any column further if that
    is not enough.
    """
    natural = _natural(columns, cells)
    # each column has one space of padding either side, one divider between columns, one edge each side
    room = max(len(columns) * 4, total - 3 * len(columns) - 1)
    if sum(natural) <= room:
        return natural
    if total < MIN_WIDTH_FROM:
        columns = [c._replace(min_width=0) for c in columns]
    # a column with a min_width (a date) gives way to it first: "(inferred)" goes to a line of its own
    widths = [min(n, c.min_width) if c.min_width else n for n, c in zip(natural, columns, strict=True)]
    # the other wrapped columns give way before the main text (the widest wrapped column), widest
    # first, down to their longest word (at most 24) or their min_width, until the main text can keep
    # half the room
    wrapped = [i for i, c in enumerate(columns) if not c.no_wrap]
    if wrapped and sum(widths) > room:
        main = max(wrapped, key=lambda k: natural[k])
        others = [i for i in wrapped if i != main]
        floors = {
            i: max(
                columns[i].min_width, _longest_word(columns[i].header, map(itemgetter(i), cells), min(widths[i], 24))
            )
            for i in others
        }
        # as far as the main text needs to keep half the room (or MAIN_WIDTH), at most its natural width
        keep_main = min(natural[main], max(MAIN_WIDTH if total >= 80 else 16, room // 2))
        excess = sum(widths) - widths[main] + keep_main - room
        while excess > 0:
            shrinkable = [i for i in others if widths[i] > floors[i]]
            if not shrinkable:
                break
            i = max(shrinkable, key=lambda k: widths[k])
            widths[i] -= 1
            excess -= 1
    # then the wide columns give way down to their longest word (but at most to 24), then to
    # a narrow minimum; the widest column gives way first, so the longest words are looked for
    # only once no column wider than 24 is left to give way
    floor = [max(24, c.min_width) for c in columns]
    exact = False
    while sum(widths) > room:
        shrinkable = [i for i, c in enumerate(columns) if not c.no_wrap and widths[i] > floor[i]]
        if not shrinkable:
            if exact:
                break
            floor = [
                max(8, c.min_width, _longest_word(c.header, map(itemgetter(i), cells))) for i, c in enumerate(columns)
            ]
            exact = True
            continue
        i = max(shrinkable, key=lambda k: widths[k])
        widths[i] -= 1
    if squeeze and sum(widths) > room:  # rather than cut words in two, no_wrap columns (dates) break at spaces
        floor = [
            _longest_word(c.header, map(itemgetter(i), cells), widths[i]) if c.no_wrap else widths[i]
            for i, c in enumerate(columns)
        ]
        while sum(widths) > room:
            shrinkable = [i for i in range(len(columns)) if widths[i] > floor[i]]
            if not shrinkable:
                break
            i = max(shrinkable, key=lambda k: widths[k])
            widths[i] -= 1
    while sum(widths) > room:
        shrinkable = [i for i, c in enumerate(columns) if not c.no_wrap and widths[i] > max(6, c.min_width)]
        if not shrinkable:
            break
        i = max(shrinkable, key=lambda k: widths[k])
        widths[i] -= 1
    return widths


def emit_blocks(blocks: list[tuple[str, list[tuple[str, str]]]], fmt: str) -> None:
    """Detail views (show, cite, fund NAME) for people: titled blocks of label/value lines.

    Only the table and plain formats: csv, md, json and jsonl are rows or objects, which each
    command builds (views.emit_detail_rows); a view taller than the terminal opens in the pager,
    as tables do."""
    if fmt not in ("table", "plain"):  # a bug: the caller must have turned the view into rows
        raise ValueError(f"emit_blocks cannot write {fmt}")
    if fmt == "table":
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        from .pager import show

        con = console()
        with con.capture() as captured:  # the styles are kept: the console decides them for stdout
            for title, lines in blocks:
                grid = Table.grid(padding=(0, 1))
                grid.add_column(style="bold", no_wrap=True)
                grid.add_column(overflow="fold")
                for label, value in lines:
                    grid.add_row(Text(clean(label)), Text(clean(value)))
                con.print(Panel(grid, title=Text(plain_cell(title)), title_align="left", expand=True))
        show(captured.get(), sys.stdout)
        return
    # one line per label: a newline in the data must not forge a line of its own ("  quote ...")
    out = []
    for title, lines in blocks:
        out.append(plain_cell(title))
        width = max((len(label) for label, _ in lines), default=0)
        for label, value in lines:
            out.append(f"  {plain_cell(label).ljust(width)}  {plain_cell(value)}")
        out.append("")
    write("\n".join(out).rstrip("\n"))


def _shorten(message: str, keep: int = 600) -> str:
    # a message that quotes a 100 KB argument keeps its head and its tail (the list of valid values)
    return message if len(message) <= keep else f"{message[: keep // 2]} … {message[-keep // 3 :]}"


def error(message: str, hint: str | None = None) -> None:
    sys.stderr.write(f"korasean: error: {_shorten(one_line(message))}\n")
    if hint:
        sys.stderr.write(f"{_shorten(one_line(hint))}\n")
