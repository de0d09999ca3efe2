"""The fast path: well-formed calls of the lookup commands, run without importing Typer.

Importing Typer costs about five times Python's own start-up, more than everything else
korasean does for a JSON answer. A CLI called in loops should not pay that when the
arguments are ordinary, so this module parses the common, unambiguous forms itself
and calls the same actions as the Typer commands. Anything else (help, completion,
an unknown or malformed option, a missing argument, any doubt at all) returns None and
the Typer app takes over, so its messages and exit codes stay the single reference.

tests/test_fast_path.py checks that SPECS matches the Typer declarations option by
option, and that both paths print the same bytes and exit codes for many argument lists.
"""

from __future__ import annotations

import os
from typing import Any

# option kinds: "flag" (no value), "str", "int", "multi" (repeatable str)
# positional kinds: "one" (required), "opt" (optional), "many" (one or more), "any" (zero or more)
_COMMON: dict[str, tuple[str, str]] = {
    "--format": ("fmt", "str"),
    "-f": ("fmt", "str"),
    "--json": ("as_json", "flag"),
    "--data": ("data", "str"),
}
_COMMON_DEFAULTS: dict[str, Any] = {"fmt": "auto", "as_json": False, "data": None}


class Spec:
    def __init__(
        self,
        positional: tuple[str, str] | None,
        options: dict[str, tuple[str, str]],
        defaults: dict[str, Any],
    ) -> None:
        self.positional = positional
        self.options = {**options, **_COMMON}
        self.defaults = {**defaults, **_COMMON_DEFAULTS}


SPECS: dict[str, Spec] = {
    "timeline": Spec(
        None,
        {
            "--from": ("from_", "str"),
            "--to": ("to", "str"),
            "--category": ("category", "multi"),
            "-c": ("category", "multi"),
            "--source": ("source", "str"),
            "-s": ("source", "str"),
            "--grep": ("grep", "str"),
            "-g": ("grep", "str"),
            "--status": ("status", "multi"),
            "--limit": ("limit", "int"),
            "-n": ("limit", "int"),
            "--reverse": ("reverse", "flag"),
            "-r": ("reverse", "flag"),
            "--chart": ("chart", "flag"),
            "--started": ("started", "flag"),
            "--undated": ("undated", "flag"),
        },
        {
            "from_": None,
            "to": None,
            "category": None,
            "source": None,
            "grep": None,
            "status": None,
            "limit": None,
            "reverse": False,
            "chart": False,
            "started": False,
            "undated": False,
        },
    ),
    "fund": Spec(("name", "any"), {"--chart": ("chart", "flag")}, {"name": None, "chart": False}),
    "cite": Spec(
        ("fact", "many"),
        {
            "--limit": ("limit", "int"),
            "-n": ("limit", "int"),
            "--context": ("context", "int"),
            "-C": ("context", "int"),
            "--style": ("style", "str"),
            "--markup": ("markup", "str"),
        },
        {"limit": 1, "context": 0, "style": None, "markup": "plain"},
    ),
    "search": Spec(
        ("query", "many"),
        {"--kind": ("kind", "multi"), "-k": ("kind", "multi"), "--limit": ("limit", "int"), "-n": ("limit", "int")},
        {"kind": None, "limit": 10},
    ),
    "facts": Spec(
        None,
        {
            "--kind": ("kind", "multi"),
            "-k": ("kind", "multi"),
            "--source": ("source", "str"),
            "-s": ("source", "str"),
            "--limit": ("limit", "int"),
            "-n": ("limit", "int"),
            "--speaker": ("speaker", "multi"),
        },
        {"kind": None, "source": None, "limit": None, "speaker": None},
    ),
    "show": Spec(("record_id", "one"), {"--context": ("context", "int"), "-C": ("context", "int")}, {"context": 0}),
    "glossary": Spec(
        ("term", "opt"), {"--limit": ("limit", "int"), "-n": ("limit", "int")}, {"term": None, "limit": None}
    ),
    "sources": Spec(
        ("source_id", "opt"),
        {"--style": ("style", "str"), "--markup": ("markup", "str")},
        {"source_id": None, "style": None, "markup": "plain"},
    ),
    "trade": Spec(
        None,
        {
            "--year": ("year", "int"),
            "-y": ("year", "int"),
            "--metric": ("metric", "str"),
            "-m": ("metric", "str"),
            "--derived": ("derived", "flag"),
            "--chart": ("chart", "flag"),
            "--limit": ("limit", "int"),
            "-n": ("limit", "int"),
        },
        {"year": None, "metric": None, "derived": False, "chart": False, "limit": None},
    ),
}

_BAIL = {"--help", "-h", "--version", "-V", "--install-completion", "--show-completion"}


def parse(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """(command, keyword arguments) for an ordinary call, or None to let Typer handle it."""
    if not argv or argv[0] not in SPECS:
        return None
    spec = SPECS[argv[0]]
    values: dict[str, Any] = dict(spec.defaults)
    positional: list[str] = []
    multi: dict[str, list[str]] = {}
    args = argv[1:]
    i = 0
    only_positional = False
    while i < len(args):
        tok = args[i]
        i += 1
        if only_positional or not tok.startswith("-") or tok == "-":
            positional.append(tok)
            continue
        if tok == "--":
            only_positional = True
            continue
        if tok in _BAIL:
            return None
        name, eq, attached = tok.partition("=") if tok.startswith("--") else (tok, "", "")
        opt = spec.options.get(name)
        if opt is None:
            return None  # unknown, bundled (-rn3) or attached (-n3) short options: Typer decides
        param, kind = opt
        if kind == "flag":
            if eq:
                return None
            values[param] = True
            continue
        if eq:
            value = attached
        elif i < len(args):
            value = args[i]
            i += 1
        else:
            return None  # a missing value is Typer's error to report
        if kind == "int":
            try:
                values[param] = int(value)
            except ValueError:
                return None
        elif kind == "multi":
            multi.setdefault(param, []).append(value)
        else:
            values[param] = value
    values.update(multi)
    if spec.positional is None:
        if positional:
            return None
    else:
        param, kind = spec.positional
        if kind == "one":
            if len(positional) != 1:
                return None
            values[param] = positional[0]
        elif kind == "opt":
            if len(positional) > 1:
                return None
            values[param] = positional[0] if positional else None
        elif kind == "many":
            if not positional:
                return None
            values[param] = positional
        else:
            values[param] = positional or None
    return argv[0], values


def try_fast(argv: list[str]) -> int | None:
    """Run an ordinary call without Typer and return its exit code; None when Typer must run it."""
    if os.environ.get("KORASEAN_NO_FAST_PATH") or any(k.endswith("_COMPLETE") for k in os.environ):
        return None
    parsed = parse(argv)
    if parsed is None:
        return None
    command, kwargs = parsed
    from importlib import import_module

    from .boundary import guarded

    return guarded(lambda: import_module(f"korasean_cli.cli.actions.{command}").run(**kwargs))
