"""The Typer app and the one place where errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any, Optional

import typer

from .. import __version__
from ..core.errors import EXIT_DATA, EXIT_INTERRUPTED, EXIT_USAGE, InvalidData, KoraseanError, NotFound, UsageError

EXIT_INTERNAL = 4

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


def dataset(path: str | None) -> Any:
    from ..core.load import load_dataset

    return load_dataset(path)


def output_format(fmt: str, as_json: bool) -> str:
    from .render import FORMATS, resolve_format

    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return resolve_format(fmt, as_json)


def _report(e: KoraseanError) -> int:
    from .render import clean, error

    if isinstance(e, NotFound):
        hint = f"did you mean: {', '.join(e.suggestions)}?" if e.suggestions else None
        error(str(e), hint)
    elif isinstance(e, InvalidData):
        error(str(e))
        for p in e.problems[:5]:
            sys.stderr.write(f"  {clean(p)}\n")
        if len(e.problems) > 5:
            sys.stderr.write(f"  ... and {len(e.problems) - 5} more\n")
    elif isinstance(e, UsageError):
        error(str(e), "run with --help for usage")
    else:
        error(str(e), "check --data / $KORASEAN_DATA, or run 'korasean validate PATH'")
    return e.exit_code


def _quiet_stdout() -> None:
    # stdout's reader went away (`| head -1`): drop what is still buffered, quietly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _devnull_for_closed_streams() -> None:
    # `korasean ... >&-` leaves sys.stdout (or sys.stderr) None: write into the void instead of crashing.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _output_failed(e: OSError) -> int:
    # a full disk or a dead terminal: say so once, and drop what is still buffered
    _quiet_stdout()
    from .render import error

    error(f"cannot write the output: {e.strerror or e}")
    return EXIT_INTERNAL


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code. Never lets a traceback reach the user."""
    _devnull_for_closed_streams()
    code = _run(argv)
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _quiet_stdout()
    except OSError as e:
        code = _output_failed(e)
    return code


def _run(argv: list[str] | None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    try:
        app(args=argv, prog_name="korasean", standalone_mode=True)
        return 0
    except SystemExit as e:
        code = e.code
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            # click's answer to EPIPE (`korasean ... | head -1`) is exit 1, which means "not found" here
            sys.stdout = getattr(sys.stdout, "wrapped", sys.stdout)
            _quiet_stdout()
            return 0
        if code is None:
            return 0
        return code if isinstance(code, int) else EXIT_USAGE
    except KoraseanError as e:
        return _report(e)
    except KeyboardInterrupt:
        sys.stderr.write("korasean: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except OSError as e:
        if e.filename is None:
            return _output_failed(e)
        from .render import error

        error(f"{e.strerror or e}: {e.filename}")  # the system said no (permissions, a vanished file): not a bug
        return EXIT_INTERNAL
    except RecursionError:
        from .render import error

        error("input is nested too deeply to process")
        return EXIT_DATA
    except MemoryError:
        from .render import error

        error("out of memory: the dataset or the query is too large")
        return EXIT_DATA
    except Exception as e:  # noqa: BLE001 - the one boundary: a bug, reported without a traceback
        if os.environ.get("KORASEAN_DEBUG"):
            raise
        from .render import error

        error(
            f"internal error: {type(e).__name__}: {e}",
            "this is a bug in korasean; rerun with KORASEAN_DEBUG=1 for details and report it",
        )
        return EXIT_INTERNAL


from .commands import (  # noqa: E402  - commands register themselves on `app`
    cite,
    export,
    facts,
    fund,
    glossary,
    search,
    show,
    sources,
    timeline,
    trade,
    validate,
)

__all__ = [
    "app",
    "main",
    "cite",
    "export",
    "facts",
    "fund",
    "glossary",
    "search",
    "show",
    "sources",
    "timeline",
    "trade",
    "validate",
]
