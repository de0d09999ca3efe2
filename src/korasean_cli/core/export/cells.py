"""The one CSV writer and the one Markdown cell escaper: `export -f csv|md` and `--format csv|md` share them.

CSV cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) get a leading ``'``, as OWASP advises against CSV injection;
control characters are made visible (``\\x1b``), as in every text view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..data.text import clean

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One CSV cell: control characters visible, and never a formula."""
    text = clean("" if value is None else value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV document (RFC 4180 quoting, \\n line ends): the header, then one line per row."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([csv_cell(c) for c in row] for row in rows)
    return buf.getvalue()


_MD_SPECIAL = set("\\`*_[]<>|~&#")
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)


def no_controls(text: str) -> str:
    """Text without control, bidi or invisible characters (terminal escapes among them); tabs and newlines kept."""
    return _CONTROLS.sub("", text)


def md_escape(text: Any) -> str:
    """Text that Markdown (CommonMark/GFM) renders literally, on one line: specials
    backslash-escaped (a table's ``|`` among them), whitespace folded."""
    text = " ".join(no_controls(str(text)).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def md_table(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    """A GFM table's lines, every cell escaped by md_escape."""
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return lines
