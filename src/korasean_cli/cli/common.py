"""Helpers the command actions share; free of Typer."""

from __future__ import annotations

from typing import Any

from ..core.errors import UsageError


def dataset(path: str | None) -> Any:
    from ..core.load import load_dataset

    return load_dataset(path)


def output_format(fmt: str, as_json: bool) -> str:
    from .render import FORMATS, resolve_format

    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return resolve_format(fmt, as_json)
