"""The Typer-free fast path must agree with the Typer app, option by option and byte by byte."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from korasean_cli.cli.fast import SPECS, parse, try_fast


def click_commands() -> dict[str, Any]:
    from typer.main import get_command

    from korasean_cli.cli.app import app

    return get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_matches_the_typer_declaration(name: str) -> None:
    cmd = click_commands()[name]
    spec = SPECS[name]
    declared: dict[str, tuple[str, str]] = {}
    positional = None
    for p in cmd.params:
        if p.param_type_name == "argument":
            required = p.required
            positional = (p.name, ("many" if required else "any") if p.nargs == -1 else ("one" if required else "opt"))
            assert spec.defaults.get(p.name) == (p.default if p.default != () else None)
            continue
        if p.name == "help":
            continue
        kind = (
            "flag"
            if p.is_flag
            else "multi"
            if p.multiple
            else "int"
            if "int" in type(p.type).__name__.lower()
            else "str"
        )
        for opt in [*p.opts, *p.secondary_opts]:
            declared[opt] = (p.name, kind)
        assert spec.defaults.get(p.name, "missing") == p.default, p.name
    assert spec.options == declared
    assert spec.positional == positional


ARGVS = [
    ["timeline", "--from", "1989", "--json"],
    ["timeline", "--from=1989", "--to", "Nov 1991"],
    ["timeline", "-c", "summit", "--category", "meeting", "-n", "3", "-r", "--format", "csv"],
    ["timeline", "--from", "abc"],
    ["timeline", "--from", "2024", "--to", "1990"],
    ["timeline", "--limit", "-1"],
    ["timeline", "--category", "nope"],
    ["timeline", "--format", "table"],
    ["timeline", "--grep", "[bold red]x[/]"],
    ["fund"],
    ["fund", "AKCF", "--json"],
    ["fund", "asean-rok", "cooperation", "fund"],
    ["fund", "AKFC"],
    ["fund", "AKCF", "--chart"],
    ["fund", "--chart", "--json"],
    ["timeline", "--chart", "--from", "2019"],
    ["trade", "--chart", "--derived"],
    ["cite", "AKEC", "fund", "--limit", "2", "--json"],
    ["cite", "ev-2012-09-rok-mission-to-asean", "-C", "1", "--format", "plain"],
    ["cite", "--style", "apa", "AKCF"],
    ["cite", "--style", "chicago", "--markup", "md", "busan", "-n", "2"],
    ["cite", "AKCF", "--markup", "rst"],
    ["cite", ""],
    ["search", "trade", "--json"],
    ["search", "--kind", "figure", "-n", "3", "korea", "investment"],
    ["search", "--", "-x"],
    ["facts", "--kind", "fund", "-s", "asean-overview", "--format", "md"],
    ["show", "fund-akcf", "--json"],
    ["show", "nope"],
    ["glossary", "AKFTA"],
    ["glossary"],
    ["sources", "asean-overview", "--style", "bibtex"],
    ["sources", "--style", "apa", "--markup=md"],
    ["trade", "--year", "2022", "--derived", "--json"],
    ["trade", "-m", "fdi", "--format", "jsonl"],
]


def both(run: Any, capsys: Any, argv: list[str]) -> tuple[Any, Any]:
    capsys.readouterr()
    code = try_fast(list(argv))
    out, err = capsys.readouterr()
    fast = None if code is None else (code, out, err)
    return fast, run(*argv)


@pytest.mark.parametrize("argv", ARGVS, ids=[" ".join(a) for a in ARGVS])
def test_fast_path_prints_what_typer_prints(run: Any, capsys: Any, argv: list[str]) -> None:
    fast, slow = both(run, capsys, argv)
    assert fast is not None, "an ordinary call must take the fast path"
    assert fast == (slow.code, slow.out, slow.err)


@pytest.mark.parametrize(
    "argv",
    [
        ["timeline", "--help"],
        ["timeline", "--bogus"],
        ["timeline", "--json=1"],
        ["timeline", "-rn3"],
        ["timeline", "--limit", "x"],
        ["timeline", "--from"],
        ["timeline", "extra"],
        ["show"],
        ["show", "a", "b"],
        ["cite"],
        ["validate"],
        ["--version"],
        [],
    ],
)
def test_unusual_calls_are_left_to_typer(argv: list[str]) -> None:
    assert parse(argv) is None


words = st.sampled_from(
    ["timeline", "fund", "cite", "search", "facts", "show", "glossary", "sources", "trade", "--from", "--to",
     "1989", "Nov 1991", "-c", "summit", "-n", "2", "-1", "--json", "--format", "plain", "md", "--limit", "--kind",
     "figure", "AKCF", "korea", "--", "-r", "--derived", "--year", "2022", "abc", "--style", "apa", "-C", "=", "",
     "--markup", "md", "--chart"]
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(words, min_size=1, max_size=6))
def test_generated_calls_agree_whichever_path_they_take(run: Any, capsys: Any, argv: list[str]) -> None:
    fast, slow = both(run, capsys, argv)
    if fast is not None:
        assert fast == (slow.code, slow.out, slow.err)


def test_the_fast_path_never_imports_typer_or_rich() -> None:
    code = (
        "import sys; from korasean_cli.cli.fast import try_fast; "
        "rc = try_fast(['timeline', '--from', '1989', '--json']); "
        "sys.stderr.write(repr((rc, [m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'yaml')])))"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # fills the cache
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # after the note on the undated events the range leaves out
    assert res.stderr.endswith("(0, [])") and "Traceback" not in res.stderr
