"""Helpers the command actions share; free of Typer."""

from __future__ import annotations

from typing import Any

from ..core.errors import UsageError


def dataset(path: str | None) -> Any:
    from ..core.store.cache import load_dataset

    return load_dataset(path)


def output_format(fmt: str, as_json: bool) -> str:
    from .render import FORMATS, resolve_format

    fmt = fmt.lower()  # one rule for every format name: any case (as export -f SQLITE)
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return resolve_format(fmt, as_json)


def styled_format(style: str | None, fmt: str, as_json: bool, what: str, markup: str = "plain") -> str:
    """The output format for a command that takes --style: a style prints the citation itself."""
    if style is not None or markup != "plain":
        from ..core.data.citations import check_markup, check_style

        check_markup(markup)
        if style is not None:
            check_style(style.lower())
    resolved = output_format(fmt, as_json)
    if style is not None and resolved in ("json", "jsonl"):
        raise UsageError(f"--style prints the {what} itself: drop --json/--format json, or use --style csl-json")
    return resolved
