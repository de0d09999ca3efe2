"""Text made safe to print: the same rules for every output, so stored lines match live ones.

Control characters (C0, DEL, C1: U+009B starts a command on xterm), bidirectional overrides
and isolates (Trojan Source) and invisible format characters (zero-width space, joiner,
BOM, soft hyphen) never reach a reader raw: text views show them as escapes (``\\x1b``,
``\\u202e``) and JSON escapes them (``\\u009b``). The validator refuses them in datasets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# what a terminal (or an editor showing the JSON) could act on or hide: C0 but tab and newline,
# DEL, C1, bidi marks/embeddings/overrides/isolates, zero-width and other invisible format
# characters, line/paragraph separators, interlinear annotation marks, lone surrogates
UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff"
)
_CONTROL = re.compile(f"[{UNSAFE}]")
_CONTROL_OR_BREAK = re.compile(f"[{UNSAFE}\t\n\r]")
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: Any) -> str:
    """Text safe for a terminal: control and invisible characters (ANSI escapes among them) made visible."""
    text = "" if text is None else str(text)
    if text.isprintable():  # no control character at all: the common case, and 10x cheaper
        return text
    return _CONTROL.sub(_visible, text)


def one_line(text: Any) -> str:
    """clean(), and tabs and line breaks shown as \\t, \\n, \\r: a message that cannot forge a second line."""
    text = "" if text is None else str(text)
    if text.isprintable():
        return text
    return _CONTROL_OR_BREAK.sub(_visible, text)


def shown_path(path: Any) -> str:
    """A file name as `ls -b` shows it: anything unprintable (and a backslash) escaped, the rest as is.

    A name that is printable and has no backslash is returned unchanged. Bytes that were not
    UTF-8 (kept by Python as lone surrogates) show as the byte, \\xNN.
    """
    text = str(path)
    if text.isprintable() and "\\" not in text:
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


def plain_cell(value: Any) -> str:
    """One cell of a plain (tab-separated) line: cleaned, with tabs and newlines as spaces."""
    text = "" if value is None else str(value)
    if text.isprintable():  # neither controls nor tabs and newlines
        return text
    return clean(text.replace("\r\n", " ").replace("\t", " ").replace("\n", " ").replace("\r", " "))


def plain_line(cells: Sequence[Any]) -> str:
    """gh-style: the cells of one row, tab-separated, nothing to strip."""
    try:
        as_is = "".join(cells).isprintable()  # all text, no tab, newline or control
    except TypeError:  # a number or None among the cells
        as_is = False
    return "\t".join(cells) if as_is else "\t".join([plain_cell(c) for c in cells])


# -- JSON ---------------------------------------------------------------------------------------

_JSON_UNSAFE = re.compile(f"[{UNSAFE.replace(chr(0x0B) + '-' + chr(0x1F), '')}\u2028\u2029]")


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def to_json(obj: Any, *, indent: int | None = None, ascii_only: bool = False) -> str:
    """Strict JSON (RFC 8259: no NaN or Infinity), with control, bidi and invisible characters
    written as \\u escapes so that no reader's terminal or editor acts on them."""
    import json

    try:
        text = (
            _pretty(obj, ascii_only)
            if indent == 2
            else json.dumps(obj, ensure_ascii=ascii_only, indent=indent, allow_nan=False)
        )
    except ValueError as e:
        from ..errors import DataError

        raise DataError(
            f"cannot write strict JSON: a number is not finite ({e}); the dataset holds too large a value"
        ) from None
    if ascii_only or text.isascii():
        return text
    # these characters can only stand inside strings, where a \\u escape means the same
    return _JSON_UNSAFE.sub(_json_escape, text)


class _NotPlain(Exception):
    """A value _pretty does not write itself (a non-string key, another type): json.dumps does."""


def _pretty(obj: Any, ascii_only: bool) -> str:
    """What json.dumps(obj, indent=2, allow_nan=False) writes, byte for byte, at about twice its speed:
    with an indent, CPython's json falls back to its pure-Python encoder; strings here still go
    through json's C escaping. Raises ValueError on a number that is not finite, as json.dumps does."""
    import json
    from json.encoder import encode_basestring, encode_basestring_ascii

    quote = encode_basestring_ascii if ascii_only else encode_basestring
    out: list[str] = []
    add = out.append

    def enc(o: Any, nl: str) -> None:
        t = type(o)
        if t is str:
            add(quote(o))
        elif o is None:
            add("null")
        elif o is True:
            add("true")
        elif o is False:
            add("false")
        elif t is int:
            add(int.__repr__(o))
        elif t is float:
            if o != o or o in (float("inf"), float("-inf")):
                raise ValueError(f"Out of range float values are not JSON compliant: {o!r}")
            add(float.__repr__(o))
        elif t is dict:
            if not o:
                add("{}")
                return
            inner = nl + "  "
            sep = "{" + inner
            for k, v in o.items():
                if type(k) is not str:
                    raise _NotPlain
                add(sep)
                add(quote(k))
                add(": ")
                if type(v) is str:  # most values: no call
                    add(quote(v))
                else:
                    enc(v, inner)
                sep = "," + inner
            add(nl + "}")
        elif t is list or t is tuple:
            if not o:
                add("[]")
                return
            inner = nl + "  "
            sep = "[" + inner
            for v in o:
                add(sep)
                if type(v) is str:
                    add(quote(v))
                else:
                    enc(v, inner)
                sep = "," + inner
            add(nl + "]")
        else:
            raise _NotPlain

    try:
        enc(obj, "\n")
    except _NotPlain:
        return json.dumps(obj, ensure_ascii=ascii_only, indent=2, allow_nan=False)
    return "".join(out)
