"""The one way korasean writes a file: complete or not at all, and never more than was asked."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable


def write_atomically(path: str, fill: Callable[[str], None], *, private: bool = False, special: bool = True) -> None:
    """Have fill(tmp) write a temporary file beside path, then rename it over path.

    - A path that exists and is not a regular file (a FIFO, a device, a link to /dev/stdout)
      is written straight into when ``special`` (what the user asked for), never replaced;
      with ``special`` False it is refused.
    - A file being replaced keeps its permissions; a new one gets 0666 less the umask
      (0600 when ``private``).
    - The temporary file (and SQLite's journal beside it) goes on any error, Ctrl-C or SIGTERM.
    - Errors name path, not the temporary file.
    """
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OSError(e.errno, e.strerror, path) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "Is a directory", path)
        if not special:
            raise OSError(17, "not a regular file; refusing to replace it", path)
        fill(path)
        return
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise OSError(e.errno, e.strerror, path) from None
    os.close(fd)
    with _terminate_as_interrupt():
        try:
            fill(tmp)
            if st is not None:
                mode = stat.S_IMODE(st.st_mode)
            elif private:
                mode = 0o600
            else:
                mask = os.umask(0)
                os.umask(mask)
                mode = 0o666 & ~mask
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except OSError as e:
            raise OSError(e.errno, e.strerror, path) from None
        finally:
            for leftover in (tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass


class _terminate_as_interrupt:
    """While writing, SIGTERM unwinds like Ctrl-C (so the temporary file is removed), then exits 143."""

    def __enter__(self) -> None:
        import signal
        import threading

        self.old = None
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGTERM, _raise_terminated)

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            import signal

            signal.signal(signal.SIGTERM, self.old)


class Terminated(BaseException):
    """SIGTERM arrived while a file was being written."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()
