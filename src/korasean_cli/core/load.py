"""Finding, loading and caching the dataset: the only place the core touches files.

The first load of a dataset parses the YAML, validates it in full and writes a compiled
copy (``marshal`` of plain tuples: no code can be loaded from it) to the user's cache
folder. Later loads check that the YAML and every seed are unchanged (size and mtime,
then a content hash if those moved) and rebuild the records from the compiled copy.
A cache that is missing, corrupt, truncated, from another version or unwritable is
never fatal: the dataset is then compiled from the YAML as if for the first time.
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any

from .errors import DataError, InvalidData
from .model import Citation, Dataset, LazyRecords, Record, Source

CACHE_FORMAT = 6  # bump whenever the compiled layout or validation rules change
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


def _unmarshal(f: Any) -> Any:
    # marshal builds thousands of containers at once; the cyclic GC would otherwise run
    # dozens of full passes over them (10x the load itself) to find cycles that cannot exist.
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(f.read())  # one read: marshal.load(file) reads in tiny pieces, 5x slower
    finally:
        if was:
            gc.enable()


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


# -- compiled form: plain tuples that marshal can store ------------------------------


def _to_plain(ds: Dataset) -> tuple[Any, ...]:
    sources = tuple(_source_plain(s) for s in ds.sources.values())
    by_kind: dict[str, list[Any]] = {}
    for r in ds.records:
        by_kind.setdefault(r.kind, []).append(
            (r.id, r.kind, r.title, r.date, r.span, r.category, tuple(tuple(c) for c in r.citations), r.inferred,
             r.note, r.tags, r.see_also, r.differs_from, r.attrs, r.line)
        )  # fmt: skip
    # one marshalled blob per kind, decoded only when a command asks for that kind
    blobs = {kind: (len(items), marshal.dumps(tuple(items))) for kind, items in by_kind.items()}
    return (ds.schema_version, sources, blobs, ds.seed_texts_path)


def _source_plain(s: Source) -> tuple[Any, ...]:
    return (s.id, s.file, s.sha256, s.kind, s.title, s.publisher, s.author, s.date, s.url, s.stated,
            s.inferred, tuple(tuple(c) for c in s.quotes), s.line, s.note)  # fmt: skip


def _decode_records(blob: bytes) -> tuple[Record, ...]:
    import gc

    cit = Citation._make
    rec = Record._make
    was = gc.isenabled()
    gc.disable()
    try:
        return tuple(rec((*r[:6], tuple(cit(c) for c in r[6]), *r[7:])) for r in marshal.loads(blob))
    finally:
        if was:
            gc.enable()


def _from_plain(plain: Any) -> Dataset:
    version, sources, blobs, seeds_path = plain
    if not isinstance(blobs, dict) or not all(
        isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], bytes) for v in blobs.values()
    ):
        raise ValueError("not a compiled dataset")
    src = {}
    for s in sources:
        src[s[0]] = Source._make((*s[:11], tuple(Citation._make(c) for c in s[11]), s[12], s[13]))
    return Dataset(version, src, LazyRecords(blobs, _decode_records), seeds_path)


# A file modified less than this long before the cache was written may be modified again
# without its size or mtime moving (mtime ticks are milliseconds to 2 seconds coarse): its
# stat signature proves nothing, so the content hash decides ("racy git").
_RACY_NS = 2_000_000_000


def _read_cache(cache: str, data_path: str) -> tuple[Dataset | None, bool]:
    """(dataset, fresh): fresh is False when the stat signatures moved but content did not."""
    ds, fresh, _ = _read_cache_digest(cache, data_path)
    return ds, fresh


def _read_cache_digest(cache: str, data_path: str) -> tuple[Dataset | None, bool, str]:
    try:
        with open(cache, "rb") as f:
            written = os.fstat(f.fileno()).st_mtime_ns
            blob = _unmarshal(f)
        magic, fmt, py, deps, digest, plain = blob
        if magic != _MAGIC or fmt != CACHE_FORMAT or py != sys.version_info[:2] or deps[0][0] != data_path:
            return None, False, ""
        paths = [d[0] for d in deps]
        if all(_stat_sig(p) == tuple(d) and written - d[2] > _RACY_NS for p, d in zip(paths, deps, strict=False)):
            return _from_plain(plain), True, digest
        if _content_hash(paths) == digest:
            return _from_plain(plain), False, digest
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt, never trusted
        return None, False, ""
    return None, False, ""


def _compiled_digest(ds: Dataset, data_path: str, yaml_text: str) -> tuple[list[str], str]:
    """The cache's dependencies and the hash of what was compiled (not of what is on disk now).

    Seeds are hashed as the sha256 the validator checked them against.
    """
    import hashlib

    from .validate import resolve_seed

    h = hashlib.sha256(hashlib.sha256(yaml_text.encode("utf-8")).digest())
    deps = [data_path]
    for s in ds.sources.values():
        full, _ = resolve_seed(data_path, s.file)
        if full:
            deps.append(full)
            h.update(bytes.fromhex(s.sha256))
    return deps, h.hexdigest()


def _write_cache(cache: str, ds: Dataset, deps: list[str], digest: str) -> None:
    try:
        folder = os.path.dirname(cache)
        os.makedirs(folder, exist_ok=True)
        blob = (_MAGIC, CACHE_FORMAT, sys.version_info[:2], tuple(_stat_sig(p) for p in deps),
                digest, _to_plain(ds))  # fmt: skip
        # Write a private temp file then rename: readers never see half a file, and two
        # processes writing at once each replace the file with a complete copy.
        _atomic_write(cache, blob)
    except (OSError, ValueError):
        pass  # a read-only or missing cache folder only costs speed


def _atomic_write(path: str, blob: Any) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".korasean-", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "wb") as f:
            marshal.dump(blob, f)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _sidecar_file(ds: Dataset, name: str) -> str | None:
    folder = cache_dir()
    if not folder or not ds.digest:
        return None
    # content-addressed: a sidecar can never belong to another version of the data
    return os.path.join(folder, f"{name}-{ds.digest[:32]}.bin")


def read_sidecar(ds: Dataset, name: str) -> Any:
    """Plain data stored beside the cache for this exact dataset content, or None."""
    path = _sidecar_file(ds, name)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            magic, fmt, py, digest, plain = _unmarshal(f)
        if magic == _MAGIC and fmt == CACHE_FORMAT and py == sys.version_info[:2] and digest == ds.digest:
            return plain
    except Exception:  # noqa: BLE001 - a missing or unreadable sidecar is rebuilt, never trusted
        return None
    return None


def write_sidecar(ds: Dataset, name: str, plain: Any) -> None:
    path = _sidecar_file(ds, name)
    if path is None:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _atomic_write(path, (_MAGIC, CACHE_FORMAT, sys.version_info[:2], ds.digest, plain))
    except (OSError, ValueError):
        pass


def _seed_paths(ds: Dataset, data_path: str) -> list[str]:
    from .validate import resolve_seed

    out = []
    for s in ds.sources.values():
        full, _ = resolve_seed(data_path, s.file)
        if full:
            out.append(full)
    return out


def compile_file(data_path: str) -> tuple[Dataset | None, list[str]]:
    """Parse and validate a YAML dataset: (Dataset, []) or (None, ['file:line: message', ...])."""
    from .yamlread import read_text

    return _compile_text(read_text(data_path), data_path)


def _compile_text(text: str, data_path: str) -> tuple[Dataset | None, list[str]]:
    from .validate import compile_dataset
    from .yamlread import load_yaml

    if not text.strip():
        raise DataError(f"dataset {data_path} is empty")
    raw = load_yaml(text, data_path)
    ds, problems = compile_dataset(raw, data_path)
    name = os.path.basename(data_path)
    return ds, [f"{name}:{p.line}: {p.message}" for p in problems]


def load_dataset(path: str | None = None) -> Dataset:
    """The validated dataset, from the cache when it is still good."""
    data_path = resolve_data_path(path)
    cache = _cache_file(data_path)
    if cache and os.path.isfile(data_path):
        ds, fresh, digest = _read_cache_digest(cache, data_path)
        if ds is not None:
            if not fresh:
                _write_cache(cache, ds, [data_path, *_seed_paths(ds, data_path)], digest)
            return ds._replace(digest=digest)
    from .yamlread import read_text

    text = read_text(data_path)
    ds, problems = _compile_text(text, data_path)
    if ds is None:
        raise InvalidData(
            f"dataset {data_path} is invalid ({len(problems)} problem{'s' if len(problems) != 1 else ''}); "
            f"run 'korasean validate {data_path}' for the list",
            problems,
        )
    if cache:
        deps, digest = _compiled_digest(ds, data_path, text)
        _write_cache(cache, ds, deps, digest)
        ds = ds._replace(digest=digest)
    return ds
