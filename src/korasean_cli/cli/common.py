"""Helpers the command actions share; free of Typer."""

from __future__ import annotations

from typing import Any

from ..core.errors import UsageError


def dataset(path: str | None) -> Any:
    import sys

    from ..core.store.cache import load_dataset

    try:
        on_terminal = sys.stderr.isatty()
    except (AttributeError, ValueError, OSError):
        on_terminal = False
    if not on_terminal:  # never a word of progress into a pipe or a log
        return load_dataset(path)
    with CompileNotice():
        return load_dataset(path)


class CompileNotice:
    """On a terminal, a load still running after `after` seconds is a compile (a cached store opens
    in milliseconds): say so on stderr, and how long it took when it ends. A timer thread, started
    only when stderr is a terminal; nothing is printed for a load that ends sooner."""

    def __init__(self, after: float = 1.0) -> None:
        self.after = after
        self.shown = False

    def _show(self) -> None:
        import sys

        with self.lock:
            if self.done:
                return
            self.shown = True
            sys.stderr.write("korasean: compiling the dataset (first run on it; later runs read the cache)…\n")
            sys.stderr.flush()

    def __enter__(self) -> CompileNotice:
        import threading
        import time

        self.lock = threading.Lock()
        self.done = False
        self.started = time.monotonic()
        self.timer = threading.Timer(self.after, self._show)
        self.timer.daemon = True
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        import sys
        import time

        self.timer.cancel()
        with self.lock:
            self.done = True
        if self.shown and exc[0] is None:
            sys.stderr.write(f"korasean: compiled in {time.monotonic() - self.started:.1f} s\n")


def output_format(fmt: str, as_json: bool) -> str:
    from .render import FORMATS, resolve_format

    fmt = fmt.lower()  # one rule for every format name: any case (as export -f SQLITE)
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return resolve_format(fmt, as_json)


def styled_format(style: str | None, fmt: str, as_json: bool, what: str, markup: str = "plain") -> str:
    """The output format for a command that takes --style: a style prints the citation itself.

    plain, apa and chicago go in a table, plain lines, or csv/md rows (one per reference);
    bibtex and csl-json are formats of their own, printed as they are (table or plain alike)."""
    if style is not None or markup != "plain":
        from ..core.data.citations import check_markup, check_style

        check_markup(markup)
        if style is not None:
            check_style(style.lower())
    resolved = output_format(fmt, as_json)
    if style is None:
        return resolved
    style = style.lower()
    if style in ("bibtex", "csl-json") and resolved not in ("table", "plain"):
        raise UsageError(
            f"--style {style} prints {style} entries as they are, so it takes --format auto, table or plain: drop "
            f"--json/--format {resolved} (plain, apa and chicago also take csv and md)"
        )
    if resolved not in STYLED_FORMATS:
        raise UsageError(
            f"--style prints the {what} itself, so it takes --format {', '.join(STYLED_FORMATS)}: drop "
            f"--json/--format {resolved}, or use --style csl-json for JSON"
        )
    return resolved


STYLED_FORMATS = ("auto", "table", "plain", "csv", "md")
