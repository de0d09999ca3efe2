"""Finding the dataset and keeping its compiled store in the user's cache folder.

A dataset is compiled (validated, then written as one SQLite database, search index
included) the first time it is read, and again whenever anything that shapes the store
changes: the YAML or a seed (their identity, then their content), korasean's version, the
code under core/ (its hash) or the Python version. The store is built in memory, copied
to a private temporary file and renamed into place: a reader never sees half a file, a
live file is never changed, and two processes compiling at once each install a whole copy.

A missing, damaged, foreign or unwritable cache only costs speed: the store then lives in
memory for the one command. Cache files are used only when they are regular files owned
by this user and writable by nobody else (as ssh treats its keys).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from time import time_ns
from typing import Any

from .dataset import Dataset

_HERE = os.path.dirname(os.path.abspath(__file__))
_CORE = os.path.dirname(_HERE)
_PREFIX = "korasean-"
_SUFFIX = ".sqlite3"
# A file modified less than this long before the store was built may change again without its
# stat signature moving (coarse mtime ticks): its content decides instead ("racy git").
_RACY_NS = 2_000_000_000
_ABANDONED_NS = 3600 * 10**9  # a temp file this old was left by a process that died writing it
_GONE_NS = 7 * 86400 * 10**9  # a store whose dataset file is gone: kept a week (an unplugged drive)


def packaged_data_path() -> str:
    """The dataset shipped with korasean: inside the wheel, or at the top of a checkout."""
    pkg = os.path.dirname(_CORE)
    wheel = os.path.join(pkg, "_data", "data", "relations.yaml")
    if os.path.isfile(wheel):
        return wheel
    return os.path.join(os.path.dirname(os.path.dirname(pkg)), "data", "relations.yaml")


def resolve_data_path(path: str | None) -> str:
    """--data, else $KORASEAN_DATA, else the packaged dataset. An empty --data is refused: it is a
    mistake (an unset variable in a script), not a request for the shipped data."""
    if path is not None and not path.strip():
        from ..errors import UsageError

        raise UsageError("--data is empty: give a dataset file, or leave --data out for the shipped dataset")
    chosen = path or os.environ.get("KORASEAN_DATA") or packaged_data_path()
    return os.path.abspath(os.path.expanduser(chosen))


def cache_dir() -> str | None:
    """Where compiled datasets are kept; None when caching is switched off."""
    if os.environ.get("KORASEAN_NO_CACHE"):
        return None
    explicit = os.environ.get("KORASEAN_CACHE_DIR")
    if explicit:
        return explicit
    # The platform conventions platformdirs implements, inlined: it would cost an import on every call.
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "korasean", "Cache")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "korasean")
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(home, ".cache")
    # no usable home (HOME='' or relative, no passwd entry): no cache rather than one in the working folder
    return os.path.join(base, "korasean") if os.path.isabs(base) else None


def cache_path(data_path: str) -> str | None:
    folder = cache_dir()
    if not folder:
        return None
    import zlib  # cheaper to import than hashlib; the full path is checked inside the store anyway

    raw = data_path.encode("utf-8", "surrogatepass")
    return os.path.join(folder, f"{_PREFIX}{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}{_SUFFIX}")


_CODE: list[str] = []


def store_key() -> str:
    """What, besides the data, shapes the store: korasean's version, its core code, Python's version."""
    if not _CODE:
        import zlib

        from ... import __version__

        crc = 0
        for folder, dirs, files in sorted(os.walk(_CORE)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    with open(os.path.join(folder, name), "rb") as f:
                        crc = zlib.crc32(f.read(), zlib.crc32(name.encode(), crc))
        _CODE.append(
            f"{__version__}/{crc:08x}/py{sys.version_info[0]}.{sys.version_info[1]}/sqlite{sqlite3.sqlite_version}"
        )
    return _CODE[0]


def _identity(path: str) -> str:
    """A file's identity: any write, copy-over or swap changes it (cp -p and rsync -t keep size and
    mtime, but not the inode or ctime)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "0:0:0:0"  # an optional file (a search aid) that is not there: its arrival is noticed
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _file_part(path: str) -> bytes:
    """A file's share of the content digest: its sha256, or a mark for an optional file not there."""
    import hashlib

    one = hashlib.sha256()
    try:
        # without blocking: a FIFO put in a file's place is not waited on, only marked (the
        # compile that follows says what is wrong with it)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return b"absent"
    except OSError:
        return b"unreadable"
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b"not a regular file"
        for chunk in iter(lambda: f.read(1 << 20), b""):  # in pieces: a seed may be 64 MB
            one.update(chunk)
    return one.digest()


def _content_digest(paths: list[str]) -> str:
    import hashlib

    return hashlib.sha256(b"".join(_file_part(p) for p in paths)).hexdigest()


def _open_private(path: str) -> tuple[sqlite3.Connection, int] | None:
    """A read-only connection to path, if it is a regular file of ours that nobody else can write.

    The file is opened without following links or blocking (a FIFO is refused, not waited on),
    and SQLite reads the very file that was checked, through its descriptor.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        uid = os.geteuid() if hasattr(os, "geteuid") else st.st_uid
        if not stat.S_ISREG(st.st_mode) or st.st_uid != uid or st.st_mode & 0o022:
            raise OSError("not a private regular file")
        where = f"/dev/fd/{fd}" if os.path.exists(f"/dev/fd/{fd}") else path
        # immutable: store files are replaced by a rename, never written in place
        conn = sqlite3.connect(f"file:{where}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        return conn, fd
    except (OSError, sqlite3.Error):
        os.close(fd)
        return None


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _usable(conn: sqlite3.Connection, data_path: str) -> dict[str, str] | None:
    """The store's meta if it is a complete store of this data, built by this code, and still current."""
    try:
        meta = _meta(conn)
        if meta.get("key") != store_key() or meta.get("data_path") != data_path:
            return None
        deps = meta["deps"].split("\n")
        built = int(meta["built_ns"])
        paths = [d.split("\t")[0] for d in deps]
        fresh = True
        for dep in deps:
            p, ident = dep.split("\t")
            mtime = int(ident.split(":")[2])
            if _identity(p) != ident or built - mtime <= _RACY_NS:
                fresh = False
                break
        if fresh or _content_digest(paths) == meta["digest"]:
            return meta
    except (sqlite3.Error, OSError, KeyError, ValueError, IndexError):
        pass
    return None


def load_dataset(path: str | None = None) -> Dataset:
    """The validated dataset: from its store in the cache when that is still good, else compiled."""
    data_path = resolve_data_path(path)
    target = cache_path(data_path)
    if target and os.path.isfile(data_path):
        opened = _open_private(target)
        if opened is not None:
            conn, fd = opened
            meta = _usable(conn, data_path)
            if meta is not None:
                ds = Dataset(conn, target, meta)
                ds.fd = fd  # type: ignore[attr-defined]  # kept open for the connection's life
                return ds
            conn.close()
            os.close(fd)
    return compile_dataset(data_path, target)


def compile_dataset(data_path: str, target: str | None) -> Dataset:
    """Compile the dataset into its store: into the cache at target when it can, else in memory."""
    import hashlib

    from ..compiler.searchaids import aid_paths
    from ..compiler.validate import resolve_seed
    from ..compiler.yamlread import scan_file
    from .build import compile_or_raise

    try:
        before = _identity(data_path)
    except OSError:
        before = ""  # scan_file says what is wrong with the path
    yaml_sha = scan_file(data_path)
    made: dict[str, Any] = {}

    def meta_for(sources: dict[str, Any]) -> dict[str, str]:
        """What the store is built from: the YAML, every seed and the search aids, their identities
        taken now, their content as read (the seeds' checksums were verified against the YAML)."""
        deps, parts = [data_path], [yaml_sha]
        for s in sources.values():
            full, _ = resolve_seed(data_path, s.file)
            if full and full not in deps:  # a seed named by twenty sources is hashed once
                deps.append(full)
                parts.append(bytes.fromhex(s.sha256))
        for aid in aid_paths(data_path):
            deps.append(aid)
            parts.append(_file_part(aid))
        made["deps"] = deps
        made["digest"] = hashlib.sha256(b"".join(parts)).hexdigest()
        made["idents"] = [f"{p}\t{_identity(p)}" for p in deps]
        made["meta"] = {
            "key": store_key(),
            "data_path": data_path,
            "deps": "\n".join(made["idents"]),
            "digest": made["digest"],
            "built_ns": str(time_ns()),
        }
        return dict(made["meta"])

    def unchanged() -> bool:
        """The files are what was read: unchanged from before the compile to now."""
        return before == made["idents"][0].split("\t")[1] and _content_digest(made["deps"]) == made["digest"]

    def build(conn: sqlite3.Connection) -> None:
        made["seeds_dir"] = compile_or_raise(conn, data_path, meta_for).seeds_dir

    def meta() -> dict[str, str]:
        return {**made["meta"], "seeds_dir": made["seeds_dir"]}

    if target:
        ds = _install(target, build, unchanged, meta)
        if ds is not None:
            return ds
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    build(conn)
    return Dataset(conn, "", meta())


class _Changed(Exception):
    """A dataset file changed while it was compiled: what was built is not installed."""


def _install(target: str, build: Any, unchanged: Any, meta: Any) -> Dataset | None:
    """Build the store straight into a private temporary file beside target and rename it into
    place (memory holds the records, not a second copy of the database); None when it cannot."""
    from ..files import write_atomically

    def fill(tmp: str) -> None:
        conn = sqlite3.connect(tmp)
        try:
            # a file nobody reads until it is complete and renamed: no journal, no syncs
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            build(conn)
        finally:
            conn.close()
        if not unchanged():
            raise _Changed

    try:
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        write_atomically(target, fill, private=True, special=False)
    except (OSError, sqlite3.Error, ValueError, _Changed):
        return None  # an unwritable cache folder only costs speed
    prune_cache(target)
    opened = _open_private(target)
    if opened is None:
        return None
    ds = Dataset(opened[0], target, meta())
    ds.fd = opened[1]  # type: ignore[attr-defined]
    return ds


def prune_cache(written: str) -> None:
    """After installing a store: remove what no command can use any more.

    Only files with the names korasean gives them are touched: temporary files a dead process
    left (after an hour), stores whose dataset file has been gone for a week, and the files of
    korasean's earlier cache format (after a week). Errors are ignored: pruning only saves space.
    """
    folder = os.path.dirname(written)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    import re

    old_format = re.compile(r"(dataset-[0-9a-f]{16}|index-[0-9a-f]{8}-[0-9a-f]{32})\.bin")
    ours = re.compile(re.escape(_PREFIX) + r"[0-9a-f]{16}" + re.escape(_SUFFIX))
    now = time_ns()
    for name in names:
        path = os.path.join(folder, name)
        if path == written:
            continue
        try:
            st = os.lstat(path)
        except OSError:
            continue
        age = now - st.st_mtime_ns
        if name.startswith(f".{_PREFIX}") and name.endswith(".tmp"):
            if age > _ABANDONED_NS:
                _remove(path)
        elif old_format.fullmatch(name):
            if age > _GONE_NS:
                _remove(path)
        elif ours.fullmatch(name) and age > _GONE_NS:
            opened = _open_private(path)
            if opened is None:
                continue
            conn, fd = opened
            try:
                data = _meta(conn).get("data_path")
            except sqlite3.Error:
                data = None
            finally:
                conn.close()
                os.close(fd)
            if data and not os.path.exists(data):
                _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def compile_file(data_path: str, warnings: list[str] | None = None) -> tuple[Any, list[str]]:
    """Validate a dataset file: (its Dataset, []) or (None, ['file:line: message', ...]). Never cached.
    Warnings (a hedged quote on a record stated as done) are added to ``warnings`` when given."""
    from ..compiler.yamlread import scan_file
    from .build import compile_into

    scan_file(data_path)
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    got, problems = compile_into(conn, data_path, lambda sources: {"digest": ""})
    if got is None:
        conn.close()
        return None, problems
    if warnings is not None:
        name = os.path.basename(data_path)
        warnings.extend(f"{name}:{w.line}: {w.message}" for w in got.warnings)
    return Dataset(conn, "", {"seeds_dir": got.seeds_dir, "digest": ""}), []
