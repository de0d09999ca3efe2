"""Tables for people, in the look of Rich's SIMPLE_HEAD box, drawn by a small printer of our own.

A header row, a ``─`` rule under it and the rows; one space of padding either side of each
cell and a space between columns (an ASCII box when the output is not UTF-8); the title and
caption centred over and under the table. Cells are word-wrapped (a word is folded only when
it is wider than its column); when the widths do not fit the terminal the widest column gives
way first, and lines are cropped only when one-character columns would not fit either. Widths
are terminal cells: East Asian wide characters take 2, combining marks 0. Styles (italic title,
bold header, dim italic caption) only on a terminal. Rich is not imported: it is slow to import.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from typing import Any

MAX_WIDTH = 1000  # a huge $COLUMNS must not make huge lines


# -- the terminal ---------------------------------------------------------------------


def is_terminal(stream: Any) -> bool:
    """Whether stream is a terminal; TTY_COMPATIBLE and FORCE_COLOR decide first, as they did with Rich."""
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "1"
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _dumb() -> bool:
    return os.environ.get("TERM", "").lower() in ("dumb", "unknown")


def columns_env() -> int | None:
    """$COLUMNS as a width between 20 and MAX_WIDTH, or None when it is not a number."""
    cols = os.environ.get("COLUMNS", "")
    if not (cols.isascii() and cols.isdigit()):
        return None
    return MAX_WIDTH if len(cols.lstrip("0")) > 4 else min(MAX_WIDTH, max(20, int(cols)))


def terminal_width(stream: Any) -> int:
    """$COLUMNS (20 to 1,000), else 80 on a dumb terminal, else the terminal's width, else 80."""
    cols = columns_env()
    if cols is not None:
        return cols
    if _dumb() and is_terminal(stream):
        return 80
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd)[0]
        except (AttributeError, ValueError, OSError):
            continue
        return min(MAX_WIDTH, width) if width > 0 else 80
    return 80


def use_styles(stream: Any) -> bool:
    """Bold and italics only on a terminal that is not dumb, and never with NO_COLOR (clig.dev)."""
    return os.environ.get("NO_COLOR", "") == "" and not _dumb() and is_terminal(stream)


def ascii_only(stream: Any) -> bool:
    """An ASCII box when the output's encoding is not a UTF one."""
    return not (getattr(stream, "encoding", "utf-8") or "utf-8").lower().startswith("utf")


# -- character widths -------------------------------------------------------------------


class _Widths(dict):
    """Each character's width, worked out once."""

    def __missing__(self, ch: str) -> int:
        import unicodedata

        if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc") and ch != "\xad" or "\u1160" <= ch <= "\u11ff":
            width = 0  # combining marks, joiners, controls; Hangul jamo vowels and finals join the syllable before
        else:
            width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        self[ch] = width
        return width


_WIDTH = _Widths()


def cell_len(text: str) -> int:
    """Columns the text takes on a terminal."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(_WIDTH.__getitem__, text))


def set_cell_size(text: str, width: int) -> str:
    """Text cropped or padded with spaces to exactly width columns (a wide character cut in two becomes a space)."""
    pos = 0
    for i, ch in enumerate(text):
        if pos + _WIDTH[ch] > width:
            return text[:i] + " " * (width - pos)
        pos += _WIDTH[ch]
    return text + " " * (width - pos)


# -- word wrap --------------------------------------------------------------------------

_CHUNKS = re.compile(r" +|[^ ]+")
_BLANKS = re.compile(r"[ \t\n]+")


@functools.cache
def _lines(width: int) -> re.Pattern[str]:
    return re.compile(f"(.{{1,{width}}})(?: |$)")  # as many words as fit, then a space or the end


def _fold(word: str, width: int) -> list[str]:
    """A word wider than width cut into pieces of at most width columns, after a hyphen where there is one."""
    pieces, start, n = [], 0, len(word)
    while start < n:
        end, size = start, 0
        while end < n and size + _WIDTH[word[end]] <= width:
            size += _WIDTH[word[end]]
            end += 1
        if end == n:
            pieces.append(word[start:])
            break
        hyphen = word.rfind("-", start + width // 2, end)
        end = hyphen + 1 if hyphen > start else max(end, start + 1)
        pieces.append(word[start:end])
        start = end
    return pieces


def wrap_lines(text: str, width: int) -> list[str]:
    """Text's lines word-wrapped to width columns: words whole, unless a word is wider than a line."""
    if len(text) <= width and text.isascii() and text.isprintable():
        return [text]
    width = max(1, width)
    lines: list[str] = []
    for para in text.split("\n"):
        para = para.expandtabs(8)
        if cell_len(para) <= width:
            lines.append(para)
            continue
        if para.isascii() and para.isprintable() and "  " not in para and " " != para[0] != para[-1]:
            found = _lines(width).findall(para)  # the quick way, for words and single spaces
            if sum(map(len, found)) + len(found) - 1 == len(para):  # unless a word is wider than a line
                lines += found
                continue
        line, size, start = "", 0, len(lines)
        for chunk in _CHUNKS.findall(para):
            w = cell_len(chunk)
            if size + w <= width:
                line, size = line + chunk, size + w
                continue
            if line.strip():
                lines.append(line.rstrip(" "))
            if chunk[0] == " ":  # the spaces at a break are dropped
                line, size = "", 0
            else:
                pieces = [chunk] if w <= width else _fold(chunk, width)
                lines += pieces[:-1]
                line, size = pieces[-1], cell_len(pieces[-1])
        if line.strip() or len(lines) == start:
            lines.append(line.rstrip(" "))
    return lines


def _fit(line: str, width: int, justify: str) -> str:
    """A line justified in exactly width columns (cropped if it is wider)."""
    if justify != "left":
        line = line.rstrip()
    size = cell_len(line)
    if size >= width:
        return line if size == width else set_cell_size(line, width)
    gap = width - size
    before = gap if justify == "right" else gap // 2 if justify == "center" else 0
    return " " * before + line + " " * (gap - before)


# -- the table --------------------------------------------------------------------------

# each a left edge, a fill, a divider between columns and a right edge: the top, a row,
# the rule under the header and the bottom
SIMPLE_HEAD = ("    ", "    ", " ── ", "    ")
ASCII = ("+--+", "| ||", "|-+|", "+--+")

BOLD, ITALIC, DIM_ITALIC, RESET = "\x1b[1m", "\x1b[3m", "\x1b[2;3m", "\x1b[0m"


def fit_widths(widths: Sequence[int], cells: Sequence[Sequence[str]], room: int) -> list[int]:
    """Column widths that add up to at most room (if they can): the widest column gives way first,
    down to the longest word in its cells (the header among them), then down to 1."""
    widths = [max(1, w) for w in widths]
    excess = sum(widths) - room
    if excess <= 0:
        return widths
    longest = [max(map(cell_len, _BLANKS.split(" ".join(column))), default=1) for column in zip(*cells, strict=True)]
    for floors in (longest, [1] * len(widths)):
        while excess > 0:
            shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
            if not shrinkable:
                break
            i = max(shrinkable, key=widths.__getitem__)  # the widest, leftmost first
            level = max((widths[k] for k in shrinkable if k != i), default=0)  # down to the next widest
            new = min(widths[i] - 1, max(floors[i], widths[i] - excess, level))
            excess -= widths[i] - new
            widths[i] = new
    return widths


def draw(
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[str]],
    total: int,
    justify: Sequence[str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    box: Sequence[str] = SIMPLE_HEAD,
    styled: bool = False,
) -> str:
    """The table as text, every line ending in a newline: headers and rows are cell texts (already safe
    for a terminal), widths the columns' text widths (cells are word-wrapped to them), total the terminal's."""
    n = len(headers)
    justify = list(justify or ["left"] * n)
    widths = fit_widths(widths, [headers, *rows], total - 3 * n - 1)
    table_width = sum(widths) + 3 * n + 1
    top, row, rule, bottom = box
    left, inner, right = row[0], f" {row[2]} ", row[3]

    def line(chars: str) -> str:
        return chars[0] + chars[2].join(chars[1] * (w + 2) for w in widths) + chars[3]

    def lines_of(cells: Sequence[str], bottom_aligned: bool = False) -> list[str]:
        joined = "".join(cells)
        plain = joined.isascii() and joined.isprintable()  # a character is a column, no line is too wide
        columns = [[t] if plain and len(t) <= w else wrap_lines(t, w) for t, w in zip(cells, widths, strict=True)]
        height = max(map(len, columns), default=1)
        if height > 1:
            columns = [
                [""] * (height - len(c)) + c if bottom_aligned else c + [""] * (height - len(c)) for c in columns
            ]
        out = []
        for texts in zip(*columns, strict=True):
            parts = [
                t.ljust(w) if plain and j == "left" else _fit(t, w, j)
                for t, w, j in zip(texts, widths, justify, strict=True)
            ]
            out.append(f"{left} {inner.join(parts)} {right}")
        return out

    head = lines_of(headers, bottom_aligned=True)
    body = [line(top), *head, line(rule)]
    for cells in rows:
        body += lines_of(cells)
    body.append(line(bottom))
    if table_width > total:  # the columns could not give way enough: the last resort
        body = [set_cell_size(text, total) for text in body]
    if styled:
        body[1 : 1 + len(head)] = [BOLD + text + RESET for text in body[1 : 1 + len(head)]]

    def centred(text: str | None, sgr: str) -> list[str]:
        room = min(table_width, total)
        lines = [_fit(t, room, "center") for t in wrap_lines(text, room)] if text else []
        return [sgr + t + RESET for t in lines] if styled else lines

    return "\n".join([*centred(title, ITALIC), *body, *centred(caption, DIM_ITALIC), ""])
