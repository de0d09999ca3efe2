"""The one place where errors become messages and exit codes; free of Typer.

Both entry paths, the Typer app (app.py) and the fast path (fast.py), run inside
``guarded``: no exception reaches the user as a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from ..core.errors import (
    EXIT_BUG,
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    EXIT_USAGE,
    InvalidData,
    KoraseanError,
    NotFound,
    UsageError,
)
from ..core.files import Terminated
from ..core.store.dataset import CacheDamaged


def _report(e: KoraseanError) -> int:
    from .render import error, one_line

    if isinstance(e, NotFound):
        hint = f"did you mean: {', '.join(e.suggestions)}?" if e.suggestions else None
        error(str(e), hint)
    elif isinstance(e, InvalidData):
        error(str(e))
        for p in e.problems[:5]:
            sys.stderr.write(f"  {one_line(p)}\n")
        total = getattr(e.problems, "total", 0) or len(e.problems)
        if total > 5:
            sys.stderr.write(f"  ... and {total - 5:,} more\n")
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
    return EXIT_OUTPUT


def guarded(work: Callable[[], int | None]) -> int:
    """Run work(); return the exit code. Never lets a traceback reach the user."""
    _devnull_for_closed_streams()
    code = _run(work)
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _quiet_stdout()
    except OSError as e:
        code = _output_failed(e)
    return code


def _discard_damaged(path: str) -> bool:
    """Remove a damaged cache file (only ever one inside the cache folder); False if there is none."""
    from ..core.store.cache import cache_dir

    folder = cache_dir()
    if not folder or not os.path.isfile(path):
        return False
    if os.path.dirname(os.path.realpath(path)) != os.path.realpath(folder):
        return False
    try:
        os.unlink(path)
    except OSError:
        return False
    return True


def _run(work: Callable[[], int | None], retry: bool = True) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    try:
        return work() or 0
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
    except CacheDamaged as e:
        # commands read what they need before printing, so the second run starts on a clean page
        if retry and _discard_damaged(e.path):
            return _run(work, retry=False)
        from .render import error

        error(f"the compiled cache cannot be read ({e})", "delete it, or set KORASEAN_NO_CACHE=1")
        return EXIT_DATA
    except KeyboardInterrupt:
        sys.stderr.write("korasean: interrupted\n")
        return EXIT_INTERRUPTED
    except Terminated:  # SIGTERM while a file was written: it was cleaned up
        sys.stderr.write("korasean: terminated\n")
        return 143
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except OSError as e:
        if e.filename is None:
            return _output_failed(e)
        from .render import error

        error(f"{e.strerror or e}: {e.filename}")  # the system said no (permissions, a vanished file): not a bug
        return EXIT_OUTPUT
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
        return EXIT_BUG
