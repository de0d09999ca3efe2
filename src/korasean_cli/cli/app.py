"""The Typer app and the one place where errors become messages and exit codes."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .. import __version__
from .boundary import guarded
from .commands import cite, conflicts, export, facts, fund, glossary, search, show, sources, timeline, trade, validate

app = typer.Typer(
    name="korasean",
    help=(
        "Dates, money and figures on ASEAN–Republic of Korea relations, each traced to a verbatim "
        "quote in one of five source documents.\n\n"
        "Example: korasean timeline --from 1989"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"korasean {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """Dates, money and figures on ASEAN–Republic of Korea relations, traced to their sources."""


_COMPLETION = ("--install-completion", "--show-completion")


def _names_a_shell(argv: list[str]) -> bool:
    """Whether --install-completion/--show-completion is given a shell ('fish'), not left to detect it."""
    for i, arg in enumerate(argv):
        if arg.startswith(tuple(o + "=" for o in _COMPLETION)):
            return True
        if arg in _COMPLETION:
            return i + 1 < len(argv) and not argv[i + 1].startswith("-")
    return False


def main(argv: list[str] | None = None) -> int:
    """Run the Typer CLI; return the exit code. Never lets a traceback reach the user."""
    args = list(sys.argv[1:] if argv is None else argv)
    if _names_a_shell(args):
        # Typer's detecting form takes no value, so 'fish' was dropped and bash installed:
        # its other form takes the shell's name (and refuses one it does not know)
        import os

        os.environ["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    return guarded(lambda: app(args=args, prog_name="korasean", standalone_mode=True))


# the commands, registered here: they import nothing from this module
for _command in (
    cite.cite,
    conflicts.conflicts,
    export.export,
    facts.facts,
    fund.fund,
    glossary.glossary,
    search.search,
    show.show,
    sources.sources,
    timeline.timeline,
    trade.trade,
    validate.validate,
):
    app.command()(_command)
