"""Text made safe to print: the same rules for every output, so stored lines match live ones."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: Any) -> str:
    """Text safe for a terminal: control characters (ANSI escapes among them) made visible."""
    text = "" if text is None else str(text)
    if text.isprintable():  # no control character at all: the common case, and 10x cheaper
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def plain_cell(value: Any) -> str:
    """One cell of a plain (tab-separated) line: cleaned, with tabs and newlines as spaces."""
    text = "" if value is None else str(value)
    if text.isprintable():  # neither controls nor tabs and newlines
        return text
    return clean(text).replace("\t", " ").replace("\n", " ")


def plain_line(cells: Sequence[Any]) -> str:
    """gh-style: the cells of one row, tab-separated, nothing to strip."""
    try:
        as_is = "".join(cells).isprintable()  # all text, no tab, newline or control
    except TypeError:  # a number or None among the cells
        as_is = False
    return "\t".join(cells) if as_is else "\t".join([plain_cell(c) for c in cells])
