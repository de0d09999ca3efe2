"""The validated dataset, read from its SQLite store: what every command asks its questions of.

Records are decoded when first asked for and kept for the rest of the command. A row whose
checksum does not match raises CacheDamaged: a damaged cache is rebuilt, never trusted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from ..data.model import ID_PREFIXES, KINDS, Record, Source
from .schema import crc, record_from_body, source_from_body


class CacheDamaged(Exception):
    """A store that cannot be read back correctly: it is rebuilt, never trusted."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path


class Dataset:
    """The whole validated dataset, over one SQLite connection."""

    def __init__(self, conn: sqlite3.Connection, path: str, meta: dict[str, str]) -> None:
        self.conn = conn
        self.path = path  # the database file ("" in memory), for messages and rebuilds
        self.schema_version = int(meta.get("schema_version", "1"))
        self.seed_texts_path = meta.get("seeds_dir", "")
        self.digest = meta.get("digest", "")
        self._kinds: dict[str, tuple[Record, ...]] = {}
        self._by_pos: dict[int, Record] = {}
        self._sources: _Sources | None = None
        self._all: Records | None = None

    # -- reading rows ---------------------------------------------------------------------

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        """Rows of a query; any SQLite error means the store is damaged."""
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as e:
            raise CacheDamaged(self.path, f"cannot be read ({e})") from None

    def _decode(self, pos: int, body: str, check: int) -> Record:
        r = self._by_pos.get(pos)
        if r is None:
            if crc(body) != check:
                raise CacheDamaged(self.path, f"record {pos} is damaged")
            try:
                r = record_from_body(body)
            except Exception:  # noqa: BLE001 - a row of the wrong shape means damage
                raise CacheDamaged(self.path, f"record {pos} has the wrong shape") from None
            self._by_pos[pos] = r
        return r

    def select(
        self, where: str = "1", args: Sequence[Any] = (), limit: int | None = None, order: str = "pos"
    ) -> list[Record]:
        """Records matching an SQL condition on the records table, in dataset order (or order), at most limit."""
        sql = f"SELECT pos, body, crc FROM records WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [self._decode(*row) for row in self.rows(sql, args)]

    # -- the dataset's questions ----------------------------------------------------------

    @property
    def sources(self) -> Mapping[str, Source]:
        if self._sources is None:
            self._sources = _Sources(self)
        return self._sources

    @property
    def records(self) -> Records:
        """Every record, in dataset order (by kind, then chronologically, then id)."""
        if self._all is None:
            self._all = Records(self)
        return self._all

    def of_kind(self, kind: str) -> tuple[Record, ...]:
        got = self._kinds.get(kind)
        if got is None:
            got = self._kinds[kind] = tuple(self.select("kind = ?", (kind,)))
        return got

    def get(self, record_id: str) -> Record | None:
        """The record with this id, or None."""
        if not isinstance(record_id, str) or not record_id.startswith(tuple(ID_PREFIXES)):
            return None
        found = self.select("id = ?", (record_id,))
        return found[0] if found else None

    def at(self, pos: int) -> Record:
        r = self._by_pos.get(pos)
        if r is None:
            found = self.select("pos = ?", (pos,))
            if not found:
                raise CacheDamaged(self.path, f"no record at {pos}")
            r = found[0]
        return r

    def count(self) -> int:
        return int(self.rows("SELECT count(*) FROM records")[0][0])

    def ids(self) -> list[str]:
        return [x for (x,) in self.rows("SELECT id FROM records ORDER BY pos")]

    def linking_to(self, record_id: str) -> list[tuple[str, str]]:
        """(relation, from id) of every link that points at record_id, in dataset order."""
        return [
            (rel, src)
            for rel, src in self.rows(
                "SELECT l.relation, l.from_id FROM links l JOIN records r ON r.id = l.from_id"
                " WHERE l.to_id = ? ORDER BY r.pos",
                (record_id,),
            )
        ]

    def contributions_to(self, fund_id: str) -> list[Record]:
        return self.select("fund = ?", (fund_id,))

    def fund_named(self, key: str) -> Record | None:
        """The fund a user may call key (id, acronym, name, alias; lower-cased and space-folded)."""
        found = self.rows("SELECT fund_id FROM fund_names WHERE name = ?", (key,))
        return self.get(found[0][0]) if found else None


class Records(Sequence[Record]):
    """Every record of a dataset, decoded on first use."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self._n: int | None = None

    def __len__(self) -> int:
        if self._n is None:
            self._n = self.ds.count()
        return self._n

    @overload
    def __getitem__(self, i: int) -> Record: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Record]: ...
    def __getitem__(self, i: int | slice) -> Record | Sequence[Record]:
        if isinstance(i, slice):
            return tuple(self)[i]
        if i < 0:
            i += len(self)
        return self.ds.at(i)

    def __iter__(self) -> Iterator[Record]:
        for kind in KINDS:
            yield from self.ds.of_kind(kind)


class _Sources(Mapping[str, Source]):
    """The seed documents: one read when a command cites it, all when a command lists them
    (a big dataset may have hundreds; a lookup cites a few)."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self._one: dict[str, Source | None] = {}
        self._all: dict[str, Source] | None = None

    def _decode(self, body: str) -> Source:
        try:
            return source_from_body(body)
        except Exception:  # noqa: BLE001
            raise CacheDamaged(self.ds.path, "a source has the wrong shape") from None

    def _everything(self) -> dict[str, Source]:
        if self._all is None:
            self._all = {
                sid: self._decode(body) for sid, body in self.ds.rows("SELECT id, body FROM sources ORDER BY pos")
            }
        return self._all

    def __getitem__(self, key: str) -> Source:
        if self._all is not None:
            return self._all[key]
        if key not in self._one:
            found = self.ds.rows("SELECT body FROM sources WHERE id = ?", (key,)) if isinstance(key, str) else []
            self._one[key] = self._decode(found[0][0]) if found else None
        got = self._one[key]
        if got is None:
            raise KeyError(key)
        return got

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())
