"""Tables for people, drawn without Rich.

``draw`` prints what ``rich.table.Table(box=box.SIMPLE_HEAD)`` printed for korasean's tables,
byte for byte (tests/test_table.py compares the two on random tables), at a small fraction
of the cost: Rich measures and renders every cell through several layers of objects, and
importing it costs several times Python's own start-up. Here a row is a few string
operations.

What is reproduced, for the case korasean uses (fixed column widths, ``no_wrap=True``,
``overflow="fold"``, a justify per column, Text cells, never markup):

* the column widths Rich settles on: each column is its width plus one space of padding
  either side, capped at the room there is; if they still do not fit, Rich takes the excess
  off all columns evenly (``ratio_reduce``), and every cell line is cropped to what is left;
* cell lines: the text split on newlines, tabs expanded to 8 (in cells), then cropped or
  padded to the column (``no_wrap`` crops, it does not fold); right and centred cells are
  right-stripped first; a wide character cut in two becomes a space;
* rows as tall as their tallest cell: cells are padded below, header cells above; a
  column left with no room for text (under 3 columns with its padding) has no lines;
* the SIMPLE_HEAD box (spaces, a ``─`` rule under the header), or the ASCII box Rich
  substitutes when the output's encoding is not UTF-8;
* title and caption word-wrapped to the table's width the way Rich wraps text, centred,
  padded with spaces to the full width;
* a table wider than the console (its columns could not shrink enough) cropped line by
  line, piece by piece (edges, padding, cell text) as Rich crops its segments;
* character widths: wide (East Asian W/F) = 2, combining and other zero-width marks = 0,
  the rest 1, matching the Unicode 17 table of Rich 15 for every character this Python's
  ``unicodedata`` knows (a few exceptions are listed in ``_OVERRIDES``), and Rich's way
  of measuring a zero-width joiner (it swallows the character after it).

Known differences, all exotic: characters assigned after this Python's Unicode version
(their width is a guess); emoji with variation selector 16 (Rich widens some of them;
here the selector is zero-width); some nonsense joiner sequences on which Rich 15 raises
an exception; and on a dumb terminal (TERM=dumb with a TTY or FORCE_COLOR) $COLUMNS is
used, where Rich ignored it and took 80.

On a terminal (``styled``) the title is italic, the header bold and the caption dim italic
(the Rich theme's table styles; Rich gave them to the header only, as korasean passed it
the title and caption as Text); never when NO_COLOR is set, TERM is dumb or the output is
not a terminal (FORCE_COLOR and TTY_COMPATIBLE decide what a terminal is, as in Rich).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any

# -- the terminal ---------------------------------------------------------------------


def is_terminal(stream: Any) -> bool:
    """Whether stream is a terminal, by Rich's rules (TTY_COMPATIBLE and FORCE_COLOR decide first)."""
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


def terminal_width(stream: Any) -> int:
    """The width Rich's Console gets from korasean: $COLUMNS (at least 20), else the terminal's, else 80."""
    cols = os.environ.get("COLUMNS", "")
    if cols.isdigit():
        return max(20, int(cols))
    if _dumb() and is_terminal(stream):
        return 80
    width = 0
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd)[0]
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def use_styles(stream: Any) -> bool:
    """Bold and italics only on a terminal that is not dumb, and never with NO_COLOR (clig.dev)."""
    return os.environ.get("NO_COLOR", "") == "" and not _dumb() and is_terminal(stream)


def ascii_only(stream: Any) -> bool:
    """Rich draws an ASCII box when the output's encoding is not a UTF one."""
    return not (getattr(stream, "encoding", "utf-8") or "utf-8").lower().startswith("utf")


# -- character widths -----------------------------------------------------------------

# (first, last, width): where Rich 15's Unicode 17 table and the rules below disagree for
# characters that Python's Unicode 14 database knows: prepended concatenation marks are
# visible, line/paragraph separators, Hangul fillers and skin-tone modifiers are not, and
# Unicode 16 made the trigrams, hexagrams and counting rods wide
_OVERRIDES = (
    (0x0600, 0x0605, 1),
    (0x06DD, 0x06DD, 1),
    (0x070F, 0x070F, 1),
    (0x0890, 0x0891, 1),
    (0x08E2, 0x08E2, 1),
    (0x2028, 0x2029, 0),
    (0x2630, 0x2637, 2),
    (0x268A, 0x268F, 2),
    (0x3164, 0x3164, 0),
    (0x4DC0, 0x4DFF, 2),
    (0xFFA0, 0xFFA0, 0),
    (0x110BD, 0x110BD, 1),
    (0x110CD, 0x110CD, 1),
    (0x1D300, 0x1D356, 2),
    (0x1D360, 0x1D376, 2),
    (0x1F3FB, 0x1F3FF, 0),
)


def _char_width(ch: str) -> int:
    import unicodedata

    o = ord(ch)
    if o < 0x20 or 0x7F <= o < 0xA0:
        return 0
    for first, last, width in _OVERRIDES:
        if first <= o <= last:
            return width
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me", "Mc"):
        return 0
    if cat == "Cf":
        return 1 if ch == "\xad" else 0
    if cat == "Cn":  # unknown to this Python: planes 2 and 3 are for ideographs
        return 2 if 0x20000 <= o <= 0x3FFFD else 1
    if 0x1160 <= o <= 0x11FF or 0xD7B0 <= o <= 0xD7FF:  # Hangul jamo vowels and finals join the syllable
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class _Widths(dict):  # type: ignore[type-arg]
    def __missing__(self, ch: str) -> int:
        width = self[ch] = _char_width(ch)
        return width


_WIDTH = _Widths()
_ZWJ = "\u200d"


def cell_len(text: str) -> int:
    """Columns the text takes on a terminal."""
    if text.isascii() and text.isprintable():
        return len(text)
    if _ZWJ not in text:
        return sum(map(_WIDTH.__getitem__, text))
    total = 0
    skip = False
    for ch in text:
        if skip:
            skip = False
        elif ch == _ZWJ:
            skip = True  # a joiner and the character it joins add nothing
        else:
            total += _WIDTH[ch]
    return total


def _graphemes(text: str) -> list[tuple[int, int, int]]:
    """(start, end, width) of each character with the zero-width ones that follow it."""
    spans: list[tuple[int, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == _ZWJ and spans:
            end = i + 2 if i < n - 1 else i + 1
            start, _, width = spans[-1]
            spans[-1] = (start, end, width)
            i = end
            continue
        width = _WIDTH[ch] if ch != _ZWJ else 0
        if width or not spans:
            spans.append((i, i + 1, width))
        else:
            start, _, w = spans[-1]
            spans[-1] = (start, i + 1, w)
        i += 1
    return spans


def set_cell_size(text: str, total: int) -> str:
    """Text cropped or padded with spaces to exactly total columns; a wide character cut in two becomes a space."""
    if text.isascii() and text.isprintable():
        return text[:total] if len(text) >= total else text + " " * (total - len(text))
    if total <= 0:
        return ""
    size = cell_len(text)
    if size <= total:
        return text + " " * (total - size)
    pos = 0
    for start, _end, width in _graphemes(text):
        if pos + width > total:
            return text[:start] + " " if pos < total else text[:start]
        pos += width
    return text


def _chop_cells(text: str, width: int) -> list[str]:
    """Rich's chop_cells: text cut into pieces of at most width columns."""
    if text.isascii() and text.isprintable():
        return [text[i : i + width] for i in range(0, len(text), width)]
    lines: list[str] = []
    size = offset = 0
    for start, _, cells in _graphemes(text):
        if size + cells > width:
            lines.append(text[offset:start])
            offset, size = start, 0
        size += cells
    if size:
        lines.append(text[offset:])
    return lines


def expand_tabs(line: str) -> str:
    """Tabs to spaces, tab stops every 8 columns (counted in cells), as Rich's Text.expand_tabs."""
    if line.isascii():
        return line.expandtabs(8)
    out = []
    pos = 0
    parts = line.split("\t")
    for part in parts[:-1]:
        part += " "  # the tab, measured with its part (a joiner at its end swallows it)
        pos += cell_len(part)
        pad = (8 - pos % 8) % 8
        out.append(part + " " * pad)
        pos += pad
    out.append(parts[-1])
    return "".join(out)


# -- word wrap ------------------------------------------------------------------------

_ODD_SPACE = re.compile(r"[^\S ]")  # any whitespace but the plain space
_SPACES = re.compile(" +")
_MUNGE = str.maketrans("\t\n\x0b\x0c\r", "     ")
_LINES: dict[int, re.Pattern[str]] = {}


def wrap_words(text: str, width: int) -> list[str]:
    """textwrap.wrap(text, width, break_on_hyphens=False), line for line, a line at a time.

    Greedy, like textwrap: as many whole words as fit, a word longer than a line is cut,
    the spaces at a break are dropped (the text's leading spaces are kept, and so are the
    spaces before a cut word that fill a line exactly, as textwrap does). Words with single
    spaces between them, none longer than a line, are wrapped by one regular expression;
    other text a line at a time with str.rfind; text with whitespace other than spaces,
    tabs and newlines (no-break or ideographic spaces, which textwrap treats in its own
    way) is handed to textwrap itself. tests/test_table.py checks all three against textwrap.
    """
    if width <= 0:
        raise ValueError(f"invalid width {width!r} (must be > 0)")
    printable = text.isprintable()  # every whitespace character but " " is unprintable
    if printable and text[:1] != " " and text[-1:] != " " and "  " not in text:
        # words and single spaces: each line is the longest run of words that fits, found by a
        # regular expression, unless a word fits no line (then the lines do not cover the text)
        pattern = _LINES.get(width)
        if pattern is None:
            pattern = _LINES[width] = re.compile(f"(.{{1,{width}}})(?: |$)")
        lines: list[str] = pattern.findall(text)
        if sum(map(len, lines)) + len(lines) - 1 == len(text):
            return lines
    if not printable and _ODD_SPACE.search(text):  # every space but " " is unprintable
        text = text.expandtabs(8).translate(_MUNGE)
        if _ODD_SPACE.search(text):
            import textwrap

            return textwrap.wrap(text, width, break_on_hyphens=False)
    n = len(text)
    lines = []
    append, rfind, find = lines.append, text.rfind, text.find
    p = 0
    while p < n:
        if text[p] == " " and lines:
            p = _SPACES.match(text, p).end()  # type: ignore[union-attr]
            if p >= n:
                break
        e = p + width
        if e >= n:
            line = text[p:]
            if line[-1] == " ":
                line = line.rstrip(" ")
            if line:
                append(line)
            break
        # b: where the chunks (words, runs of spaces) that fit whole on this line end
        if text[e] != " ":
            r = rfind(" ", p, e)
            if r > p and text[r - 1] != " " and find(" ", r + 1, r + width + 2) >= 0:
                append(text[p:r])  # the usual case: the words up to the space r fit, the next word fits a line
                p = r + 1
                continue
            b = r + 1 if r >= 0 else p
            long = b + width < n and find(" ", b, b + width + 1) < 0  # the word at b fits no line
        else:
            b = e if text[e - 1] != " " else p + len(text[p:e].rstrip(" "))
            long = text.startswith(" " * (width + 1), b)
        if long:  # cut the chunk at b to fill the line; a cut run of spaces is dropped
            line = text[p:b] if (b == e or text[b] == " ") else text[p:e]
            p = e
        else:
            line = text[p:b]
            if line and line[-1] == " ":
                line = line.rstrip(" ")
            p = b
        if line:
            append(line)
    return lines


def wrap(text: str, width: int) -> str:
    """Cell text broken into lines of at most width characters (textwrap's rules, without hyphen breaks)."""
    if len(text) <= width:
        return text
    return "\n".join(wrap_words(text, width)) or text


def cell_lines(text: str, width: int) -> list[str]:
    """wrap(text, width) as a list of lines."""
    if len(text) <= width:
        return text.split("\n") if "\n" in text else [text]
    return wrap_words(text, width) or text.split("\n")


# -- Rich's text wrapping, for the title and the caption --------------------------------

_WORD = re.compile(r"\s*\S+\s*")


def _divide_line(text: str, width: int) -> list[int]:
    """Offsets to break text at so that each piece fits width (rich._wrap.divide_line, fold=True)."""
    breaks: list[int] = []
    offset = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group()
        word_length = cell_len(word.rstrip())
        if width - offset >= word_length:
            offset += cell_len(word)
        elif word_length > width:
            pieces = _chop_cells(word, width)
            for i, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if i == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def centred(text: str, width: int) -> list[str]:
    """Text word-wrapped to width and each line centred in width, as Rich prints a table's title."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            line = expand_tabs(line)
        edges = [0, *_divide_line(line, width), len(line)]
        for start, end in zip(edges, edges[1:], strict=False):
            piece = line[start:end].rstrip()
            size = cell_len(piece)
            if size > width:
                piece = set_cell_size(piece, width)
                size = cell_len(piece)
            left = (width - size) // 2
            out.append(" " * left + piece + " " * (width - size - left))
    return out


# -- the table --------------------------------------------------------------------------

# the eight rows of a Rich box: top, head, head row, mid, row, foot row, foot, bottom
SIMPLE_HEAD = ("    ", "    ", " ── ", "    ", "    ", "    ", "    ", "    ")
ASCII = ("+--+", "| ||", "|-+|", "| ||", "|-+|", "|-+|", "| ||", "+--+")

BOLD, ITALIC, DIM_ITALIC, RESET = "\x1b[1m", "\x1b[3m", "\x1b[2;3m", "\x1b[0m"


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def frame_widths(widths: Sequence[int], total: int) -> list[int]:
    """Each column's width with its padding, as Rich fits columns of fixed width into total columns."""
    room = max(0, total - len(widths) - 1)  # an edge either side, a divider between columns
    framed = [min(w + 2, room) or 1 for w in widths]
    if sum(framed) > room:
        framed = _ratio_reduce(sum(framed) - room, [1] * len(framed), framed, framed)
        framed = [w if w >= 1 else 0 for w in framed]
    return framed


def _adjust(segments: list[str], length: int) -> list[str]:
    """Rich's Segment.adjust_line_length: pieces of a line padded or cropped to length columns, as measured."""
    size = sum(map(cell_len, segments))
    if size < length:
        return [*segments, " " * (length - size)]
    if size == length:
        return segments
    out = []
    pos = 0
    for piece in segments:
        width = cell_len(piece)
        if pos + width < length:
            out.append(piece)
            pos += width
        else:
            out.append(set_cell_size(piece, length - pos))
            break
    return out


def _justified(line: str, room: int, justify: str) -> str:
    """A cell's line cropped and padded to room columns, step by step as Rich's Text does it."""
    if "\t" in line:
        line = expand_tabs(line)
    if justify in ("right", "center"):
        line = line.rstrip()
        if cell_len(line) > room:
            line = set_cell_size(line, room)
        if justify == "center":
            line = " " * ((room - cell_len(line)) // 2) + line
            line += " " * (room - cell_len(line))
        else:
            line = " " * (room - cell_len(line)) + line
    else:
        size = cell_len(line)
        if size > room:
            line = set_cell_size(line, room)
        elif size < room:
            line += " " * (room - size)
    if cell_len(line) > room:
        line = set_cell_size(line, room)
    return line


def _framed(line: str, room: int) -> list[str]:
    """The pieces of a justified line with its padding, as Rich measures and adjusts them."""
    pieces = _adjust([line], room)
    return _adjust(_adjust([" ", *pieces, " "], room + 2), room + 2)


def _fitter(width: int, frame: int, justify: str, before: str = "", after: str = "") -> Callable[[str], list[str]]:
    """A function: cell text -> its lines, each padded and cropped to the column's frame.

    before and after are put around every line (the table's edges, for the first and last
    columns), so that joining a row's lines with the dividers makes the whole table line.
    """
    room = frame - 2
    if room < 1:  # no room for text: Rich renders nothing, the row's other cells give it its height

        def nothing(text: str) -> list[str]:
            return []

        return nothing
    pre, post = before + " ", " " + after

    def fit_any(line: str) -> str:  # the general case, step by step as Rich does it
        line = _justified(line, room, justify)
        if _ZWJ in line:  # Rich measures the line and its padding again: a joiner swallows a space
            return before + "".join(_framed(line, room)) + after
        return pre + line + post

    if justify == "left" and room >= width:  # the usual case: every line fits, pad it

        def fit(text: str) -> list[str]:
            if text.isascii() and text.isprintable():  # no tab, no newline: a character is a column
                if len(text) <= width:
                    return [pre + text.ljust(room) + post]
                return [pre + line.ljust(room) + post for line in wrap_words(text, width)] or [fit_any(text)]
            return [
                pre + line.ljust(room) + post if line.isascii() and line.isprintable() else fit_any(line)
                for line in cell_lines(text, width)
            ]

        return fit

    if justify == "right":

        def fit_plain(line: str) -> str:
            return pre + line.rstrip()[:room].rjust(room) + post

    elif justify == "center":

        def fit_plain(line: str) -> str:
            line = line.rstrip()[:room]
            gap = room - len(line)
            return f"{pre}{' ' * (gap // 2)}{line}{' ' * (gap - gap // 2)}{post}"

    else:

        def fit_plain(line: str) -> str:
            return pre + line[:room].ljust(room) + post

    def fit_other(text: str) -> list[str]:
        return [
            fit_plain(line) if line.isascii() and line.isprintable() else fit_any(line)
            for line in cell_lines(text, width)
        ]

    return fit_other


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
    """The table as text, every line ending in a newline.

    headers and rows are cell texts (already safe for a terminal), widths the columns'
    text widths (cells are word-wrapped to them), total the console's width.
    """
    n = len(headers)
    justify = justify or ["left"] * n
    frames = frame_widths(widths, total)
    table_width = sum(frames) + n + 1
    if table_width > total:  # the columns cannot shrink enough: Rich crops every line to the console
        return _draw_cropped(headers, widths, rows, total, justify, title, caption, box, styled, frames)
    blanks = [" " * f for f in frames]
    top, head, head_row, _, _, _, _, bottom = box
    left, vertical, right = head[0], head[2], head[3]  # SIMPLE_HEAD and ASCII: the same for every row
    join = vertical.join

    def rule(chars: str) -> str:
        return chars[0] + chars[2].join(chars[1] * f for f in frames) + chars[3]

    def annotation(text: str, sgr: str) -> list[str]:
        lines = centred(text, table_width)
        return [f"{sgr}{line}{RESET}" for line in lines] if styled else lines

    out: list[str] = annotation(title, ITALIC) if title else []
    add = out.append
    add(rule(top))

    # the header: a row like the others, but aligned to the bottom, bold on a terminal
    cells = [_fitter(w, f, j)(h) for w, f, j, h in zip(widths, frames, justify, headers, strict=True)]
    height = max(map(len, cells))
    bold = styled and height > 0  # a header with no room for any text is a blank line, not bold
    height = max(1, height)
    cells = [[blank] * (height - len(c)) + c for c, blank in zip(cells, blanks, strict=True)]
    for parts in zip(*cells, strict=True):
        if bold:
            parts = tuple(f"{BOLD}{p}{RESET}" for p in parts)
        add(left + join(parts) + right)
    add(rule(head_row))

    # the rows: each column's fitter puts the table's edge or the divider's spaces around its lines
    edged = min(frames) >= 3  # else a cell may have no lines, and the edges must not go with it
    last = n - 1
    fits = [
        _fitter(w, f, j, left if edged and k == 0 else "", right if edged and k == last else "")
        for k, (w, f, j) in enumerate(zip(widths, frames, justify, strict=True))
    ]
    if edged:
        blanks = [(left if k == 0 else "") + " " * f + (right if k == last else "") for k, f in enumerate(frames)]
    for row in rows:
        cells = [fit(v) for fit, v in zip(fits, row, strict=True)]
        height = max(map(len, cells))
        if height > 1 or not edged:  # shorter cells are padded below
            height = max(1, height)
            cells = [c if len(c) == height else c + [b] * (height - len(c)) for c, b in zip(cells, blanks, strict=True)]
        if edged:
            for parts in zip(*cells, strict=True):
                add(join(parts))
        else:
            for parts in zip(*cells, strict=True):
                add(left + join(parts) + right)
    add(rule(bottom))

    if caption:
        out += annotation(caption, DIM_ITALIC)
    out.append("")
    return "\n".join(out)


def _draw_cropped(
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[str]],
    total: int,
    justify: Sequence[str],
    title: str | None,
    caption: str | None,
    box: Sequence[str],
    styled: bool,
    frames: list[int],
) -> str:
    """draw() for a console narrower than the table: every line cropped piece by piece, as Rich does.

    Slow, and only for terminals with fewer columns than some tables have borders and padding.
    """
    table_width = sum(frames) + len(frames) + 1
    top, head, head_row, _, _, _, _, bottom = box
    left, vertical, right = head[0], head[2], head[3]

    def show(pieces: list[tuple[str, str]]) -> str:
        """Pieces (text, SGR) cropped to the console as Rich crops segments, styled on a terminal."""
        if sum(cell_len(text) for text, _ in pieces) > total:
            cropped = []
            pos = 0
            for text, sgr in pieces:
                width = cell_len(text)
                if pos + width < total:
                    cropped.append((text, sgr))
                    pos += width
                else:
                    cropped.append((set_cell_size(text, total - pos), sgr))
                    break
            pieces = cropped
        return "".join(f"{sgr}{text}{RESET}" if sgr and styled and text else text for text, sgr in pieces)

    def rule(chars: str) -> str:
        return show([(chars[0] + chars[2].join(chars[1] * f for f in frames) + chars[3], "")])

    def cell(text: str, width: int, frame: int, justify: str) -> list[list[str]]:
        if frame < 3:
            return []
        return [_framed(_justified(line, frame - 2, justify), frame - 2) for line in cell_lines(text, width)]

    def rows_of(texts: Sequence[str], sgr: str, bottom_aligned: bool) -> list[str]:
        cells = [cell(t, w, f, j) for t, w, f, j in zip(texts, widths, frames, justify, strict=True)]
        height = max(map(len, cells))
        sgr = sgr if height else ""
        lines = []
        for i in range(max(1, height)):
            pieces = [(left, "")]
            for k, (c, frame) in enumerate(zip(cells, frames, strict=True)):
                if k:
                    pieces.append((vertical, ""))
                j = i - (height - len(c)) if bottom_aligned else i
                pieces += [(p, sgr) for p in c[j]] if 0 <= j < len(c) else [(" " * frame, sgr)]
            pieces.append((right, ""))
            lines.append(show(pieces))
        return lines

    out = [show([(line, ITALIC)]) for line in centred(title, table_width)] if title else []
    out.append(rule(top))
    out += rows_of(headers, BOLD, bottom_aligned=True)
    out.append(rule(head_row))
    for row in rows:
        out += rows_of(row, "", bottom_aligned=False)
    out.append(rule(bottom))
    if caption:
        out += [show([(line, DIM_ITALIC)]) for line in centred(caption, table_width)]
    out.append("")
    return "\n".join(out)
