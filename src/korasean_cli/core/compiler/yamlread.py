"""Safe YAML reading that remembers line numbers and refuses what a dataset never needs.

Only plain data is built (PyYAML's safe constructor: no ``!!python/...`` tags), mappings
remember the line they start on, duplicate keys are errors rather than silently
overwritten, and anchors/aliases are refused, which also defuses "billion laughs" bombs.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from typing import Any

from ..data.text import shown_path
from ..errors import DataError, UsageError

# A dataset of 50,000 records is about 30 MB; anything far larger is a mistake or an attack.
MAX_BYTES = 64 * 1024 * 1024  # the default; $KORASEAN_MAX_BYTES overrides it


def max_bytes() -> int:
    """The size limit: $KORASEAN_MAX_BYTES (read on every call) or MAX_BYTES."""
    raw = os.environ.get("KORASEAN_MAX_BYTES", "").strip()
    if not raw:
        return MAX_BYTES
    # ASCII digits only ('²' is a digit to isdigit() but not to int()), and at most 18 of them
    # (int() refuses 5,000 digits; no file is a quintillion bytes)
    if not (raw.isascii() and raw.isdigit()) or len(raw.lstrip("0")) > 18 or int(raw) < 1:
        raise UsageError(
            f"KORASEAN_MAX_BYTES must be a whole number of bytes from 1 to 18 digits long; found {raw[:40]!r}"
            + ("…" if len(raw) > 40 else "")
        )
    return int(raw)


class LineDict(dict[str, Any]):
    """A mapping that knows the 1-based line it starts on in the YAML file."""

    line: int = 0


def _size_checked(path: str, what: str) -> int:
    """The size limit, once path is known to be a file within it; DataError otherwise."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DataError(f"{what} not found: {shown_path(path)}") from None
    except OSError as e:
        raise DataError(f"cannot read {what} {shown_path(path)}: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise DataError(f"{what} path is a directory, not a file: {shown_path(path)}")
    if not stat.S_ISREG(st.st_mode):
        # a pipe (--data /dev/stdin, <(...)) can be read only once, and its seeds have no folder
        raise DataError(
            f"{what} {shown_path(path)} is not a regular file (a pipe or a device); save it to a file and use that"
        )
    limit = max_bytes()
    if st.st_size > limit:
        raise DataError(f"{what} {shown_path(path)} is {st.st_size:,} bytes, over the {limit:,}-byte limit")
    return limit


def read_text(path: str, what: str = "dataset") -> str:
    """Read a UTF-8 file with size, type and encoding checks, as DataError on failure."""
    limit = _size_checked(path, what)
    try:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise DataError(f"cannot read {what} {shown_path(path)}: {e.strerror}") from None
    if len(raw) > limit:  # a device or a growing file: its size said less
        raise DataError(f"{what} {shown_path(path)} is over the {limit:,}-byte limit")
    if b"\x00" in raw[:8192]:
        raise DataError(f"{what} {shown_path(path)} is a binary file, not UTF-8 text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(f"{shown_path(path)}:{line}: {what} is not valid UTF-8 (byte {e.start})") from None


def scan_file(path: str, what: str = "dataset") -> bytes:
    """Check a YAML file as read_text does, without holding it: its sha256 digest, or DataError.

    One pass in 1 MiB pieces: size limit, binary content, UTF-8 validity, emptiness.
    """
    import codecs
    import hashlib

    limit = _size_checked(path, what)
    h = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    total = 0
    blank = True
    try:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                if total == 0 and b"\x00" in chunk[:8192]:
                    raise DataError(f"{what} {shown_path(path)} is a binary file, not UTF-8 text")
                total += len(chunk)
                if total > limit:  # a device or a growing file: its size said less
                    raise DataError(f"{what} {shown_path(path)} is over the {limit:,}-byte limit")
                h.update(chunk)
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    read_text(path, what)  # reports the exact line and byte
                    raise
                if blank and chunk.strip():
                    blank = False
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        read_text(path, what)
        raise
    except OSError as e:
        raise DataError(f"cannot read {what} {shown_path(path)}: {e.strerror}") from None
    if blank:
        raise DataError(f"{what} {shown_path(path)} is empty")
    return h.digest()


# -- streaming: records one at a time, built straight from libyaml's events -----------------
#
# PyYAML's loader builds a node tree of the whole file, then a second tree of values: at
# 50,000 records that is ~800 MB and most of the compile time. Built from the parser's
# events, each record is plain data as soon as its mapping ends, and can be validated,
# stored and forgotten before the next one is read.

_STR = "tag:yaml.org,2002:str"
_PLAIN_AS_TEXT = {_STR, "tag:yaml.org,2002:timestamp"}  # dates stay EDTF text (see _timestamp_as_text)
_MAX_DEPTH = 64
_MAX_ITEMS = 10_000  # keys of one mapping, or items of one list inside a record (the sections are streamed)
_NUMBERS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# numbers as YAML 1.2 writes them (digits, a point, an exponent, .inf, .nan), underscores allowed
_DECIMAL = re.compile(
    r"[-+]?(?:0|[1-9][0-9_]*|[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))\Z"
)


class _Events:
    """Plain values from a YAML event stream, with the safe loader's rules and ours."""

    def __init__(self, stream: Any) -> None:
        import yaml

        self.yaml = yaml
        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        self.loader = base(stream)
        self.get = self.loader.get_event
        self.ev = yaml.events
        resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
        self.resolvers = {k: [(t, r) for t, r in v] for k, v in resolvers.items()}
        self.ctors = yaml.constructor.SafeConstructor.yaml_constructors

    def error(self, problem: str, mark: Any, context: str | None = None, context_mark: Any = None) -> Exception:
        return self.yaml.constructor.ConstructorError(context, context_mark, problem, mark)

    def scalar(self, e: Any) -> Any:
        value = e.value
        tag = e.tag
        if tag is None or tag == "!":
            if not e.implicit[0] or tag == "!":
                return value  # quoted: always text
            for t, regexp in self.resolvers.get(value[:1], ()):
                if regexp.match(value):
                    tag = t
                    break
            else:
                return value
        if tag in _PLAIN_AS_TEXT:
            return value
        if tag in _NUMBERS and not _DECIMAL.match(value):
            # YAML 1.1 reads 190:20:30 as 685230 (base 60), 0x1F as 31, 017 as 15 and 0b11 as 3;
            # nobody writes an amount that way on purpose: it stays text, which the validator refuses
            return value
        if tag == "tag:yaml.org,2002:merge":
            raise self.error("merge keys (<<) are not allowed in a korasean dataset", e.start_mark)
        ctor = self.ctors.get(tag)
        if ctor is None or tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise self.error(f"could not determine a constructor for the tag {tag!r}", e.start_mark)
        try:
            out = ctor(self.loader, self.yaml.ScalarNode(tag, value, e.start_mark, e.end_mark))
            if hasattr(out, "__next__"):  # a generator constructor (set, omap...): data never needs one
                raise self.error(f"could not determine a constructor for the tag {tag!r}", e.start_mark)
            return out
        except (ValueError, OverflowError, TypeError) as err:  # e.g. an int of 5,000 digits
            raise self.error(f"cannot read this value: {err}", e.start_mark) from None

    def value(self, e: Any) -> Any:
        """The whole value that starts with event e, read iteratively (no recursion)."""
        ev = self.ev
        stack: list[list[Any]] = []  # [container, pending key or _NO_KEY, key lines, start mark]
        while True:
            t = type(e)
            mark = e.start_mark
            if t is ev.ScalarEvent:
                value = self.scalar(e)
            elif t is ev.MappingStartEvent or t is ev.SequenceStartEvent:
                self._check_collection_tag(e)
                if len(stack) >= _MAX_DEPTH:
                    raise self.error("YAML nesting is too deep for a korasean dataset", mark)
                if t is ev.MappingStartEvent:
                    d = LineDict()
                    d.line = mark.line + 1
                    stack.append([d, _NO_KEY, {}, mark])
                else:
                    stack.append([[], None, None, mark])
                e = self.get()
                continue
            elif t is ev.MappingEndEvent or t is ev.SequenceEndEvent:
                value = stack.pop()[0]
                mark = None
            elif t is ev.AliasEvent:
                raise self.error("anchors and aliases (&, *) are not allowed in a korasean dataset", mark)
            else:  # pragma: no cover - the parser never yields these inside a value
                raise self.error(f"unexpected {t.__name__}", mark)
            if not stack:
                return value
            top = stack[-1]
            box = top[0]
            if len(box) >= _MAX_ITEMS:
                raise self.error(
                    f"more than {_MAX_ITEMS:,} {'items in one list' if top[2] is None else 'keys in one mapping'}: "
                    "no korasean record needs that many",
                    mark or top[3],
                )
            if top[2] is None:
                box.append(value)
            elif top[1] is _NO_KEY:
                if not isinstance(value, str):
                    raise self.error(f"mapping keys must be text, found {value!r:.60}", mark or top[3])
                first = top[2].get(value)
                if first is not None:
                    raise self.error(
                        f"duplicate key {value!r} (first at line {first})", mark, "while reading a mapping", top[3]
                    )
                top[2][value] = (mark.line + 1) if mark else 0
                top[1] = value
            else:
                box[top[1]] = value
                top[1] = _NO_KEY
            e = self.get()

    def _check_collection_tag(self, e: Any) -> None:
        if e.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise self.error(f"could not determine a constructor for the tag {e.tag!r}", e.start_mark)


_NO_KEY = object()


def iter_top_level(stream: Any, path: str, streamed: frozenset[str]) -> Iterator[tuple[str | None, Any, bool]]:
    """The dataset's top level as (key, value, is_item) triples.

    For a key in ``streamed`` whose value is a list, each item comes as its own triple
    (is_item True) as soon as it is read; other values come whole. A document that is
    not a mapping comes as one (None, value, False). Errors are DataError 'path:line:col: ...'.
    """
    try:
        yield from _top_level(_Events(stream), streamed)
    except Exception as e:  # noqa: BLE001 - every YAML failure becomes one DataError
        raise _as_data_error(e, path) from None


def _top_level(r: _Events, streamed: frozenset[str]) -> Iterator[tuple[str | None, Any, bool]]:
    ev = r.ev
    get = r.get
    e = get()  # StreamStart
    e = get()
    if type(e) is ev.StreamEndEvent:
        yield None, None, False
        return
    doc_mark = e.start_mark
    e = get()  # the document's root
    if type(e) is not ev.MappingStartEvent:
        yield None, r.value(e), False
        e = get()
    else:
        for key, _, first in _root_entries(r, e, _MAX_ITEMS, "top-level keys: a korasean dataset has eight"):
            if key in streamed and type(first) is ev.SequenceStartEvent:
                r._check_collection_tag(first)
                while True:
                    e = get()
                    if type(e) is ev.SequenceEndEvent:
                        break
                    yield key, r.value(e), True
            else:
                yield key, r.value(first), False
        e = get()  # DocumentEnd
    e = get()
    if type(e) is not ev.StreamEndEvent:
        raise r.yaml.composer.ComposerError(
            "expected a single document in the stream", doc_mark, "but found another document", e.start_mark
        )


def _root_entries(r: _Events, root: Any, most: int, what: str) -> Iterator[tuple[str, int, Any]]:
    """The root mapping's entries as (key, line, the event its value starts with), each key checked:
    text, not repeated, at most ``most`` of them. The caller reads each value before the next."""
    r._check_collection_tag(root)
    seen: dict[str, int] = {}
    while True:
        e = r.get()
        if type(e) is r.ev.MappingEndEvent:
            return
        key = r.value(e)
        if not isinstance(key, str):
            raise r.error(f"mapping keys must be text, found {key!r:.60}", e.start_mark)
        if key in seen:
            raise r.error(
                f"duplicate key {key!r} (first at line {seen[key]})",
                e.start_mark,
                "while reading a mapping",
                root.start_mark,
            )
        if len(seen) >= most:
            raise r.error(f"more than {most:,} {what}", e.start_mark)
        seen[key] = e.start_mark.line + 1
        yield key, seen[key], r.get()


def read_mapping(path: str, what: str, max_keys: int) -> list[tuple[str, Any, int]]:
    """A small YAML file that is one mapping, as (key, value, line) triples, read by the dataset's
    rules (size and encoding checks, no aliases, no duplicate keys): DataError 'path:line:col: ...'
    when it is not."""
    text = read_text(path, what)
    try:
        return list(_mapping(_Events(text), max_keys))
    except Exception as e:  # noqa: BLE001 - every YAML failure becomes one DataError
        raise _as_data_error(e, path) from None


def _mapping(r: _Events, max_keys: int) -> Iterator[tuple[str, Any, int]]:
    ev, get = r.ev, r.get
    get()  # StreamStart
    e = get()
    if type(e) is ev.StreamEndEvent:
        raise r.error("the file is empty: give a mapping", e.start_mark)
    e = get()  # the document's root
    if type(e) is not ev.MappingStartEvent:
        raise r.error("must be a mapping", e.start_mark)
    for key, line, first in _root_entries(r, e, max_keys, "keys"):
        yield key, r.value(first), line
    get()  # DocumentEnd
    e = get()
    if type(e) is not ev.StreamEndEvent:
        raise r.yaml.composer.ComposerError("expected a single document", None, "but found another", e.start_mark)


def _as_data_error(e: Exception, path: str) -> Exception:
    import yaml

    if isinstance(e, DataError):
        return e
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        where = f"{shown_path(path)}:{mark.line + 1}:{mark.column + 1}" if mark else shown_path(path)
        problem = ": ".join(str(p) for p in (e.context, e.problem) if p)
        return DataError(f"{where}: YAML error: {problem}")
    if isinstance(e, yaml.YAMLError):
        return DataError(f"{shown_path(path)}: YAML error: {e}")
    if isinstance(e, RecursionError):
        return DataError(f"{shown_path(path)}: YAML nesting is too deep")
    raise e
