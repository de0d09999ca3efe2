"""The compiled store: a validated dataset on disk, read a piece at a time.

One file of named sections followed by a footer (header, its length, a magic word), as
zip does it, so a reader needs two reads before it knows where everything is:

    [section][section]...[header: marshal of (meta, {name: (offset, length, crc32)})][len: 8][magic: 8]

A section is one ``marshal`` blob (plain data only: no code can be loaded from it), raw
bytes (arrays, JSON text), or an *indexed* section: items laid end to end plus
``name:off`` (their offsets) and ``name:crc`` (the running CRC-32 at each item boundary),
so item i, or a run of items, is read and checked without the others. Every read is checked against a CRC-32 (the section's, or each item's); a
damaged or truncated file raises CacheDamaged, which the CLI answers by rebuilding the
cache and running the command again.

This keeps a warm command's cost in proportion to what it prints, not to the dataset:
``fund AKCF`` reads the fund and contribution records only, a search reads the postings
of the query's words, and the JSON timeline copies pre-serialised JSON.
"""

from __future__ import annotations

import marshal
import os
import zlib
from array import array
from collections.abc import Iterable
from typing import Any, BinaryIO

_MAGIC = b"KORSTOR2"
_TAIL = 16


class CacheDamaged(Exception):
    """A compiled store could not be read back: it is rebuilt, never trusted."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path


class SectionWriter:
    """Writes sections to an open binary file, then the footer."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.pos = 0
        self.sections: dict[str, tuple[int, int, int]] = {}

    def raw(self, name: str, data: bytes) -> None:
        self.f.write(data)
        self.sections[name] = (self.pos, len(data), zlib.crc32(data))
        self.pos += len(data)

    def obj(self, name: str, value: Any) -> None:
        self.raw(name, marshal.dumps(value))

    def indexed(self, name: str, items: Iterable[bytes]) -> None:
        offsets = array("q", [0])
        # the running CRC at every item boundary: any run of items is checked by one crc32
        # call over just its bytes, started from the CRC before it
        crcs = array("I", [0])
        start = self.pos
        crc = 0
        for item in items:
            self.f.write(item)
            crc = zlib.crc32(item, crc)
            crcs.append(crc)
            self.pos += len(item)
            offsets.append(self.pos - start)
        self.sections[name] = (start, self.pos - start, crc)
        self.raw(name + ":off", offsets.tobytes())
        self.raw(name + ":crc", crcs.tobytes())

    def hashed(self, name: str, mapping: dict[str, Any], per_bucket: int = 8) -> None:
        """A str-keyed mapping as buckets of a few keys each: one key is found by reading one bucket."""
        n = max(1, len(mapping) // per_bucket)
        buckets: list[dict[str, Any]] = [{} for _ in range(n)]
        for k, v in mapping.items():
            buckets[_bucket(k, n)][k] = v
        self.indexed(name, (marshal.dumps(b) for b in buckets))

    def finish(self, meta: Any) -> None:
        header = marshal.dumps((meta, self.sections))
        self.f.write(header)
        self.f.write(len(header).to_bytes(8, "little"))
        self.f.write(_MAGIC)


def _bucket(key: str, n: int) -> int:
    # a hash that is the same in every process (str hashes are salted per process)
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % n


class Store:
    """Read access to a file written by SectionWriter."""

    def __init__(self, path: str, fd: int | None = None) -> None:
        self.path = path
        self._memo: dict[str, Any] = {}
        self._map: memoryview | None = None
        self._indexes: dict[str, tuple[int, Any, Any]] = {}  # name -> (start, offsets, running CRCs)
        if fd is not None:
            self.fd = fd
        else:
            try:
                self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            except OSError as e:
                raise CacheDamaged(path, f"cannot open: {e.strerror}") from None
        try:
            st = os.fstat(self.fd)
            self.size = st.st_size
            self.mtime_ns = st.st_mtime_ns
            if self.size < _TAIL:
                raise CacheDamaged(path, "too short")
            tail = os.pread(self.fd, _TAIL, self.size - _TAIL)
            if tail[8:] != _MAGIC:
                raise CacheDamaged(path, "not a korasean store")
            hlen = int.from_bytes(tail[:8], "little")
            if not 0 < hlen <= self.size - _TAIL:
                raise CacheDamaged(path, "bad header length")
            self.meta, self.sections = marshal.loads(os.pread(self.fd, hlen, self.size - _TAIL - hlen))
            body = self.size - _TAIL - hlen
            if not isinstance(self.sections, dict) or any(
                not (isinstance(v, tuple) and len(v) == 3 and 0 <= v[0] and v[0] + v[1] <= body)
                for v in self.sections.values()
            ):
                raise CacheDamaged(path, "bad section table")
        except CacheDamaged:
            os.close(self.fd)
            raise
        except Exception as e:  # noqa: BLE001 - any unreadable header means a damaged file
            os.close(self.fd)
            raise CacheDamaged(path, f"unreadable header ({type(e).__name__})") from None

    def close(self) -> None:
        os.close(self.fd)

    def __contains__(self, name: str) -> bool:
        return name in self.sections

    def raw(self, name: str) -> bytes:
        """A whole section, checked against its CRC."""
        try:
            off, length, crc = self.sections[name]
        except KeyError:
            raise CacheDamaged(self.path, f"no section {name!r}") from None
        data = os.pread(self.fd, length, off)
        if len(data) != length or zlib.crc32(data) != crc:
            raise CacheDamaged(self.path, f"section {name!r} is damaged")
        return data

    def obj(self, name: str) -> Any:
        """A marshalled section, decoded once per process."""
        if name not in self._memo:
            self._memo[name] = self.decode(self.raw(name), name)
        return self._memo[name]

    def decode(self, blob: bytes | memoryview, what: str) -> Any:
        import gc

        # marshal builds thousands of containers at once; the cyclic GC would run many full
        # passes over them looking for cycles that cannot exist
        was = gc.isenabled()
        gc.disable()
        try:
            return marshal.loads(blob)
        except Exception:  # noqa: BLE001 - EOFError, ValueError, TypeError: all mean damage
            raise CacheDamaged(self.path, f"{what} cannot be decoded") from None
        finally:
            if was:
                gc.enable()

    def array(self, name: str, code: str) -> array[Any]:
        key = f"{name}@{code}"
        if key not in self._memo:
            a = array(code)
            data = self.raw(name)
            if len(data) % a.itemsize:
                raise CacheDamaged(self.path, f"section {name!r} has a bad size")
            a.frombytes(data)
            self._memo[key] = a
        return self._memo[key]  # type: ignore[no-any-return]

    def count(self, name: str) -> int:
        return len(self.array(name + ":off", "q")) - 1

    def _index_of(self, name: str) -> tuple[int, Any, Any]:
        """(where the section starts, its item offsets, its running CRCs), checked once."""
        got = self._indexes.get(name)
        if got is None:
            offs = self.array(name + ":off", "q")
            crcs = self.array(name + ":crc", "I")
            if len(crcs) != len(offs) or not offs or offs[-1] != self.sections[name][1]:
                raise CacheDamaged(self.path, f"section {name!r} has a bad index")
            got = self._indexes[name] = (self.sections[name][0], offs, crcs)
        return got

    def items(self, name: str, start: int = 0, end: int | None = None) -> list[memoryview]:
        """Items start..end-1 of an indexed section, as views of the mapped file (no copies)."""
        base, offs, crcs = self._index_of(name)
        n = len(offs) - 1
        end = n if end is None else end
        if not 0 <= start <= end <= n:
            raise CacheDamaged(self.path, f"{name}: items {start}..{end} out of range")
        first = offs[start]
        data = self._mapped()[base + first : base + offs[end]]
        if zlib.crc32(data, crcs[start]) != crcs[end]:
            raise CacheDamaged(self.path, f"section {name!r} is damaged")
        return [data[offs[i] - first : offs[i + 1] - first] for i in range(start, end)]

    def _check_run(self, name: str, start: int, end: int, data: bytes | memoryview) -> None:
        _, offs, crcs = self._index_of(name)
        if len(data) != offs[end] - offs[start] or zlib.crc32(data, crcs[start]) != crcs[end]:
            raise CacheDamaged(self.path, f"section {name!r} is damaged")

    def span(self, name: str, start: int, end: int) -> memoryview:
        """Items start..end-1 of an indexed section as one piece, checked by their running CRC.

        A view of the file mapped into memory: a timeline of any length goes from the page
        cache to the output without a copy of its own. (Cache files are only ever replaced
        by a rename, never rewritten in place, so a mapped file cannot shrink under a reader.)
        """
        offs = self.array(name + ":off", "q")
        n = len(offs) - 1
        if not 0 <= start <= end <= n:
            raise CacheDamaged(self.path, f"{name}: items {start}..{end} out of range")
        base = self.sections[name][0]
        view = self._mapped()[base + offs[start] : base + offs[end]]
        self._check_run(name, start, end, view)
        return view

    def _mapped(self) -> memoryview:
        if self._map is None:
            import mmap

            try:
                self._map = memoryview(mmap.mmap(self.fd, 0, access=mmap.ACCESS_READ))
            except (OSError, ValueError) as e:
                raise CacheDamaged(self.path, f"cannot map: {e}") from None
        return self._map

    def item(self, name: str, i: int) -> memoryview:
        base, offs, crcs = self._index_of(name)
        if not 0 <= i < len(offs) - 1:
            raise CacheDamaged(self.path, f"{name}: item {i} out of range")
        data = self._mapped()[base + offs[i] : base + offs[i + 1]]
        if zlib.crc32(data, crcs[i]) != crcs[i + 1]:
            raise CacheDamaged(self.path, f"section {name!r} is damaged")
        return data

    def lookup(self, name: str, key: str) -> Any:
        """The value of key in a section written by SectionWriter.hashed, or None."""
        n = self.count(name)
        bucket = self.decode(self.item(name, _bucket(key, n)), name)
        if not isinstance(bucket, dict):
            raise CacheDamaged(self.path, f"section {name!r} is damaged")
        return bucket.get(key)
