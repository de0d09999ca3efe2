"""Safe YAML reading that remembers line numbers and refuses what a dataset never needs.

Only plain data is built (PyYAML's safe constructor: no ``!!python/...`` tags), mappings
remember the line they start on, duplicate keys are errors rather than silently
overwritten, and anchors/aliases are refused, which also defuses "billion laughs" bombs.
"""

from __future__ import annotations

import os
from typing import Any

from .errors import DataError, UsageError

# A dataset of 50,000 records is about 30 MB; anything far larger is a mistake or an attack.
MAX_BYTES = 64 * 1024 * 1024  # the default; $KORASEAN_MAX_BYTES overrides it


def max_bytes() -> int:
    """The size limit: $KORASEAN_MAX_BYTES (read on every call) or MAX_BYTES."""
    raw = os.environ.get("KORASEAN_MAX_BYTES", "").strip()
    if not raw:
        return MAX_BYTES
    if not raw.isdigit() or int(raw) < 1:
        raise UsageError(f"KORASEAN_MAX_BYTES must be a whole number of bytes, 1 or more; found {raw[:40]!r}")
    return int(raw)


class LineDict(dict[str, Any]):
    """A mapping that knows the 1-based line it starts on in the YAML file."""

    line: int = 0


def read_text(path: str, what: str = "dataset") -> str:
    """Read a UTF-8 file with size, type and encoding checks, as DataError on failure."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DataError(f"{what} not found: {path}") from None
    except OSError as e:
        raise DataError(f"cannot read {what} {path}: {e.strerror}") from None
    if os.path.isdir(path):
        raise DataError(f"{what} path is a directory, not a file: {path}")
    limit = max_bytes()
    if st.st_size > limit:
        raise DataError(f"{what} {path} is {st.st_size:,} bytes, over the {limit:,}-byte limit")
    try:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise DataError(f"cannot read {what} {path}: {e.strerror}") from None
    if len(raw) > limit:  # a device or a growing file: its size said less
        raise DataError(f"{what} {path} is over the {limit:,}-byte limit")
    if b"\x00" in raw[:8192]:
        raise DataError(f"{what} {path} is a binary file, not UTF-8 text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: {what} is not valid UTF-8 (byte {e.start})") from None


def _loader_class() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, "anchors and aliases (&, *) are not allowed in a korasean dataset", node.start_mark
                )
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, OverflowError, TypeError) as e:  # e.g. an int of 5,000 digits
                raise yaml.constructor.ConstructorError(
                    None, None, f"cannot read this value: {e}", node.start_mark
                ) from None

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    raise yaml.constructor.ConstructorError(
                        None, None, f"mapping keys must be text, found {key!r}", key_node.start_mark
                    )
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"duplicate key {key!r} (first at line {seen[key].start_mark.line + 1})",
                        key_node.start_mark,
                    )
                seen[key] = key_node
            # Keys were constructed above; forget them so the alias check does not trip.
            for key_node, _ in node.value:
                self.constructed_objects.pop(key_node, None)
            out = LineDict(super().construct_mapping(node, deep=deep))
            out.line = node.start_mark.line + 1
            return out

    def _map(loader: Any, node: Any) -> Any:
        return loader.construct_mapping(node, deep=True)

    def _timestamp_as_text(loader: Any, node: Any) -> Any:
        # dates are EDTF text, checked by the validator with the record's line: an unquoted
        # 2019-11-25 stays '2019-11-25', and 2019-02-30 is reported rather than crashing PyYAML
        return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:map", _map)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
    return Loader


def load_yaml(text: str, path: str) -> Any:
    """Parse YAML text into plain data; raise DataError 'path:line:col: problem'."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader_class())  # noqa: S506 - the loader is a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        problem = ": ".join(str(p) for p in (e.context, e.problem) if p)
        raise DataError(f"{where}: YAML error: {problem}") from None
    except yaml.YAMLError as e:
        raise DataError(f"{path}: YAML error: {e}") from None
    except RecursionError:
        raise DataError(f"{path}: YAML nesting is too deep") from None
