"""Long tables on a terminal go through a pager, as git and gh do (clig.dev: "use a pager if
you are outputting a lot of text").

Only when stdout is a terminal (not a dumb one) and the text is taller than it; never into a
pipe or a file. A pager that fails (exits with an error) gets the text printed after it.
The pager is $KORASEAN_PAGER, else $PAGER, else ``less``; an empty value or ``cat`` turns it
off. ``less`` gets LESS=FRX unless LESS is set: it quits by itself when the text fits, keeps
the colours and leaves the text on the screen afterwards.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def pager_command(text: str, out: Any) -> str | None:
    """The shell command to page text through, or None to write it straight to out."""
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError, OSError):
        return None
    command = os.environ.get("KORASEAN_PAGER")
    if command is None:
        command = os.environ.get("PAGER", "less")
    command = command.strip()
    if not command or command == "cat" or os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return None
    if text.count("\n") < _terminal_height(out):
        return None
    import shlex
    import shutil

    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    # a pager that is not there would swallow the output: write it out instead
    return command if shutil.which(program) else None


def _terminal_height(out: Any) -> int:
    """Rows of the terminal ($LINES first, as for $COLUMNS); a huge number when unknown."""
    lines = os.environ.get("LINES", "").lstrip("0")
    if lines.isascii() and lines.isdigit():
        return int(lines) if len(lines) < 10 else sys.maxsize  # (int() refuses numbers of 4,300 digits)
    try:
        rows = os.get_terminal_size(out.fileno()).lines
    except (AttributeError, ValueError, OSError):
        rows = 0
    return rows if rows > 0 else sys.maxsize


def show(text: str, out: Any) -> None:
    """Write text to out, through a pager when out is a terminal shorter than the text."""
    command = pager_command(text, out)
    if command is None:
        out.write(text)
        return
    import signal
    import subprocess

    out.flush()
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")  # lv, the pager some systems default to, keeps colours with -c
    try:  # through the shell, as git runs $PAGER: it may hold options or a pipeline
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        out.write(text)
        return
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search), as in git: here it
    # is only noted, and once the pager has ended korasean stops as Ctrl-C stops it (exit 130). A
    # handler, not SIG_IGN, so that the pager (started before it anyway) never inherits an ignored signal
    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(1))
    try:
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode(getattr(out, "encoding", None) or "utf-8", "replace"))
            pager.stdin.close()
        except (BrokenPipeError, OSError):  # the user quit before the end
            pass
        code = pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted or code in (-signal.SIGINT, 128 + signal.SIGINT):
        raise KeyboardInterrupt  # the error boundary: "korasean: interrupted", exit 130
    # quit, or stopped with Ctrl-C (less -K exits 2), or its reader gone (SIGPIPE, 13; not on Windows)
    quit_early = {0, 2, -13, 128 + 13}
    if code not in quit_early:
        # the pager failed (a bad option, not a pager at all): the text must not be lost
        sys.stderr.write(f"korasean: note: the pager {command!r} failed (exit {code}); printing instead\n")
        out.write(text)
