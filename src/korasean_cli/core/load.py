"""Finding, loading and caching the dataset: the only place the core touches files.

The first load of a dataset reads the YAML one record at a time, validates it in full and
writes a compiled store (compiled.py, store.py) to the user's cache folder. Later loads
check that the YAML and every seed are unchanged (size and mtime, then a content hash if
those moved) and read from the store only what the command needs. A cache that is
missing, corrupt, truncated, from another version or unwritable is never fatal: the
dataset is then compiled from the YAML as if for the first time (into a private temporary
file when the cache folder cannot be written).
"""

from __future__ import annotations

import os
import re
import sys
from time import time_ns
from typing import IO, Any

from .errors import InvalidData
from .model import Dataset

CACHE_FORMAT = 15  # bump whenever the compiled layout or validation rules change
_MAGIC = "korasean-cache"
_HERE = os.path.dirname(os.path.abspath(__file__))


def packaged_data_path() -> str:
    """The dataset shipped with korasean: inside the wheel, or at the top of a checkout."""
    wheel = os.path.join(os.path.dirname(_HERE), "_data", "data", "relations.yaml")
    if os.path.isfile(wheel):
        return wheel
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(_HERE))), "data", "relations.yaml")


def resolve_data_path(path: str | None) -> str:
    """--data, else $KORASEAN_DATA, else the packaged dataset."""
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


def _cache_file(data_path: str) -> str | None:
    folder = cache_dir()
    if not folder:
        return None
    import zlib  # cheaper to import than hashlib; the full path is checked inside the file anyway

    raw = data_path.encode("utf-8", "surrogatepass")
    tag = f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"
    return os.path.join(folder, f"dataset-{tag}.bin")


def _stat_sig(path: str) -> tuple[str, int, int]:
    st = os.stat(path)
    return (path, st.st_size, st.st_mtime_ns)


def _content_hash(paths: list[str]) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


# A file modified less than this long before the cache was written may be modified again
# without its size or mtime moving (mtime ticks are milliseconds to 2 seconds coarse): its
# stat signature proves nothing, so the content hash decides ("racy git").
_RACY_NS = 2_000_000_000


def _open_cache(cache: str, data_path: str) -> tuple[Dataset | None, bool]:
    """(dataset, fresh) from a cache file; fresh is False when stat signatures moved but content did not."""
    from .compiled import open_dataset
    from .store import CacheDamaged, Store

    try:
        store = Store(cache)
    except CacheDamaged:
        return None, False
    try:
        meta = store.meta
        if (
            not isinstance(meta, dict)
            or meta.get("magic") != _MAGIC
            or meta.get("fmt") != CACHE_FORMAT
            or meta.get("py") != sys.version_info[:2]
            or meta["deps"][0][0] != data_path
        ):
            store.close()
            return None, False
        deps, digest = meta["deps"], meta["digest"]
        paths = [d[0] for d in deps]
        fresh = all(
            _stat_sig(p) == tuple(d) and store.mtime_ns - d[2] > _RACY_NS for p, d in zip(paths, deps, strict=False)
        )
        if fresh or _content_hash(paths) == digest:
            return open_dataset(store, digest), fresh
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt, never trusted
        pass
    store.close()
    return None, False


def _read_cache(cache: str, data_path: str) -> tuple[Dataset | None, bool]:
    """The cached dataset and whether its signatures were fresh (for tests and tools)."""
    return _open_cache(cache, data_path)


def _sidecar_file(ds: Dataset, name: str) -> str | None:
    folder = cache_dir()
    if not folder or not ds.digest:
        return None
    # content-addressed: a sidecar can never belong to another version of the data
    return os.path.join(folder, f"{name}-{ds.digest[:32]}.bin")


def sidecar_path(ds: Dataset, name: str) -> str | None:
    """Where a sidecar store for this exact dataset content lives (None: caching is off)."""
    return _sidecar_file(ds, name)


def write_atomic(path: str, fill: Any) -> bool:
    """fill(file) into a private temp file beside path, then rename it into place.

    Readers never see half a file, and two processes writing at once each replace the
    file with a complete copy. False when the folder cannot be written (that only costs speed).
    """
    import tempfile

    try:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".korasean-", dir=folder)
    except (OSError, ValueError):
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
        os.replace(tmp, path)
        return True
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, (OSError, ValueError)):
            return False
        raise


_ABANDONED_NS = 3600 * 10**9  # a temp file this old was left by a process that died writing it
_SUPERSEDED_NS = 7 * 86400 * 10**9  # an index by other search code: another install may still use it
_OURS = re.compile(r"(dataset-[0-9a-f]{16}|index-[0-9a-f]{8}-[0-9a-f]{32})\.bin|\.korasean-.*")


def prune_cache(written: str) -> None:
    """After writing a cache file: remove what no command can use any more.

    Search indexes are named by the content they index, so every edit of a dataset leaves the
    old one behind, and a compiled dataset whose YAML file is gone will never be read again.
    Only files with the names korasean gives them are touched. An index built by other search
    code (another version of korasean, which may share the folder) goes only after a week; so does
    any index when some compiled dataset in the folder cannot be read here (it may be that one's).
    Errors are ignored: another process may be pruning too, and pruning only saves space.
    """
    folder = os.path.dirname(written)
    try:
        names = [n for n in os.listdir(folder) if _OURS.fullmatch(n)]
    except OSError:
        return
    from .store import Store

    live: set[str] = set()
    unreadable = False
    for name in names:
        if not name.startswith("dataset-"):
            continue
        path = os.path.join(folder, name)
        try:
            store = Store(path)
            try:
                data, digest = store.meta["deps"][0][0], str(store.meta["digest"])
            finally:
                store.close()
        except Exception:  # noqa: BLE001 - another version's or a damaged cache: it keeps its indexes
            unreadable = True
            continue
        if isinstance(data, str) and not os.path.exists(data) and _age(path) > _SUPERSEDED_NS:
            _remove(path)  # its data file is gone, for a week now (not a drive unplugged for a day)
        else:
            live.add(digest[:32])
    kind, _, rest = os.path.basename(written).partition("-")
    tag = rest.split("-")[0] if kind == "index" else None  # the search code that wrote it, if an index
    now = time_ns()
    for name in names:
        path = os.path.join(folder, name)
        if name.startswith("dataset-") or path == written:
            continue
        try:
            age = now - os.stat(path).st_mtime_ns
        except OSError:
            continue
        if name.startswith(".korasean-"):
            if age > _ABANDONED_NS:
                _remove(path)
            continue
        _, its_tag, its_digest = name[: -len(".bin")].split("-")
        if its_digest not in live:
            stale = not unreadable or age > _SUPERSEDED_NS
        else:  # this data's index, by other search code
            stale = tag is not None and its_tag != tag and age > _SUPERSEDED_NS
        if stale:
            _remove(path)


def _age(path: str) -> int:
    try:
        return time_ns() - os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def compile_file(data_path: str) -> tuple[Dataset | None, list[str]]:
    """Parse and validate a YAML dataset in memory: (Dataset, []) or (None, ['file:line: message', ...])."""
    from .validate import compile_dataset
    from .yamlread import iter_top_level, scan_file

    scan_file(data_path)
    from .model import SECTIONS

    with open(data_path, "rb") as f:
        raw: dict[str, Any] = {}
        for key, value, is_item in iter_top_level(f, data_path, frozenset(SECTIONS)):
            if key is None:
                ds, problems = compile_dataset(value, data_path)
                break
            if is_item:
                raw.setdefault(key, []).append(value)
            else:
                raw[key] = value
        else:
            ds, problems = compile_dataset(raw, data_path)
    name = os.path.basename(data_path)
    return ds, [f"{name}:{p.line}: {p.message}" for p in problems]


def _compile_to_store(data_path: str, yaml_sha: bytes) -> tuple[Any, str, list[str]]:
    """Stream-compile the YAML: (CompiledWriter, digest, deps), or InvalidData."""
    import hashlib

    from .compiled import CompiledWriter
    from .model import SECTIONS
    from .validate import compile_stream, resolve_seed
    from .yamlread import iter_top_level

    writer = CompiledWriter()
    try:
        with open(data_path, "rb") as f:
            problems = compile_stream(iter_top_level(f, data_path, frozenset(SECTIONS)), data_path, writer)
    except BaseException:
        writer.close()
        raise
    if problems:
        writer.close()
        name = os.path.basename(data_path)
        raise InvalidData(
            f"dataset {data_path} is invalid ({len(problems)} problem{'s' if len(problems) != 1 else ''}); "
            f"run 'korasean validate {data_path}' for the list",
            [f"{name}:{p.line}: {p.message}" for p in problems],
        )
    h = hashlib.sha256(yaml_sha)
    deps = [data_path]
    for s in writer.ds.sources.values():
        full, _ = resolve_seed(data_path, s.file)
        if full:
            deps.append(full)
            h.update(bytes.fromhex(s.sha256))
    return writer, h.hexdigest(), deps


def load_dataset(path: str | None = None) -> Dataset:
    """The validated dataset, from the cache when it is still good."""
    data_path = resolve_data_path(path)
    cache = _cache_file(data_path)
    if cache and os.path.isfile(data_path):
        ds, fresh = _open_cache(cache, data_path)
        if ds is not None:
            if not fresh:  # same content, new signatures: record them so the next call skips the hash
                _refresh_signatures(cache, ds)
            return ds
    from .yamlread import scan_file

    yaml_sha = scan_file(data_path)
    writer, digest, deps = _compile_to_store(data_path, yaml_sha)
    try:
        meta = {"magic": _MAGIC, "fmt": CACHE_FORMAT, "py": sys.version_info[:2], "digest": digest}

        def fill(f: IO[bytes]) -> None:
            writer.write(f, {**meta, "deps": tuple(_stat_sig(p) for p in deps)})

        if cache and write_atomic(cache, fill):
            prune_cache(cache)
            ds, _ = _open_cache(cache, data_path)
            if ds is not None:
                return ds
        return _private_store(fill, digest)
    finally:
        writer.close()


def _private_store(fill: Any, digest: str) -> Dataset:
    """The store in an unnamed temporary file, for when the cache folder cannot be used."""
    import tempfile

    from .compiled import open_dataset
    from .store import Store

    tmp = tempfile.TemporaryFile(prefix="korasean-")
    fill(tmp)
    tmp.flush()
    store = Store(f"/dev/fd/{tmp.fileno()}", fd=os.dup(tmp.fileno()))
    tmp.close()  # the duplicated descriptor keeps the unnamed file alive
    return open_dataset(store, digest)


def _refresh_signatures(cache: str, ds: Dataset) -> None:
    store = ds.store
    meta = dict(store.meta)
    try:
        meta["deps"] = tuple(_stat_sig(d[0]) for d in meta["deps"])
    except OSError:
        return

    def fill(f: IO[bytes]) -> None:
        from .store import SectionWriter

        w = SectionWriter(f)  # type: ignore[arg-type]
        for name, (off, length, _crc) in store.sections.items():
            w.raw(name, os.pread(store.fd, length, off))
        w.finish(meta)

    write_atomic(cache, fill)
