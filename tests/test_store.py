"""The compiled store in the cache folder: never stale, never trusted when it cannot be read back,
never taken from another user; a damaged or missing cache only costs speed."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from test_robustness import copy_fixture, succeeded_cleanly

ROOT = Path(__file__).resolve().parent.parent


def _store(folder: Path) -> Path:
    (path,) = folder.glob("korasean-*.sqlite3")
    return path


def _titles(res: Any) -> list[str]:
    return [r["title"] for r in json.loads(res.out)]


@pytest.fixture
def warmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> tuple[str, Path, str]:
    """A small dataset, its warm store, and what `facts --json` prints for it."""
    data = str(copy_fixture(tmp_path, "good.yaml"))
    cache = tmp_path / "cache"
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(cache))
    first = run("facts", "--json", "--data", data)
    succeeded_cleanly(first)
    return data, cache, first.out


def _is_good_store(path: Path, data: str) -> bool:
    from korasean_cli.core.store import cache as load

    opened = load._open_private(str(path))
    if opened is None:
        return False
    conn, fd = opened
    try:
        return load._usable(conn, data) is not None
    finally:
        conn.close()
        os.close(fd)


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "header-byte", "record-byte", "other-key"])
def test_a_damaged_store_is_detected_and_rebuilt(warmed, run, damage: str) -> None:
    data, cache, first = warmed
    path = _store(cache)
    blob = path.read_bytes()
    if damage == "truncated":
        damaged = blob[: len(blob) // 2]
    elif damage == "empty":
        damaged = b""
    elif damage == "garbage":
        damaged = os.urandom(4096) * 8
    elif damage == "header-byte":  # SQLite's own header: the page size
        damaged = blob[:16] + bytes([blob[16] ^ 0x01]) + blob[17:]
    elif damage == "record-byte":  # one byte of a record's JSON: its checksum no longer agrees
        at = blob.index(b'"title": "') + 12
        damaged = blob[:at] + bytes([blob[at] ^ 0x20]) + blob[at + 1 :]
    else:  # a store by other code (another korasean version)
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE meta SET value = 'other' WHERE key = 'key'")
        conn.close()
        damaged = path.read_bytes()
    assert damaged != blob
    path.write_bytes(damaged)
    second = run("facts", "--json", "--data", data)
    succeeded_cleanly(second)
    assert second.out == first
    assert _is_good_store(_store(cache), data), "the store was rebuilt"


def test_a_store_truncated_while_a_command_reads_it_is_never_half_printed(warmed, run, monkeypatch) -> None:
    from korasean_cli.core.store.dataset import Dataset

    data, cache, first = warmed
    real = Dataset.select
    done: list[bool] = []

    def select(self: Dataset, *args: Any) -> Any:
        if not done and self.path:
            done.append(True)
            os.truncate(self.path, 4096)  # another program cuts the file under the reader
        return real(self, *args)

    monkeypatch.setattr(Dataset, "select", select)
    res = run("facts", "--json", "--data", data)
    succeeded_cleanly(res)
    assert done and res.out == first


def test_a_fifo_in_place_of_the_store_is_skipped_not_waited_on(warmed, run) -> None:
    data, cache, first = warmed
    path = _store(cache)
    path.unlink()
    os.mkfifo(path)
    env = dict(os.environ, KORASEAN_CACHE_DIR=str(cache))
    p = subprocess.run(
        [sys.executable, "-m", "korasean_cli", "facts", "--json", "--data", data],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert p.returncode == 0 and p.stdout == first


def test_a_fifo_in_place_of_a_search_aid_is_refused_not_waited_on(warmed) -> None:
    """With a warm store, checking the aids' content must not open a FIFO put in their place."""
    data, cache, _ = warmed
    os.mkfifo(Path(data).parent / "paraphrases.yaml")
    env = dict(os.environ, KORASEAN_CACHE_DIR=str(cache))
    p = subprocess.run(
        [sys.executable, "-m", "korasean_cli", "search", "busan", "--json", "--data", data],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert p.returncode == 3 and "paraphrases" in p.stderr and "not a regular file" in p.stderr


def test_a_damaged_word_rarity_is_detected_and_rebuilt(warmed, run) -> None:
    data, cache, _ = warmed
    first = run("search", "busan", "--json", "--data", data)
    conn = sqlite3.connect(_store(cache))
    with conn:
        conn.execute("UPDATE search_terms SET rarity_df = -1 WHERE term = 'busan'")
    conn.close()
    second = run("search", "busan", "--json", "--data", data)
    succeeded_cleanly(second)
    assert second.out == first.out


@pytest.mark.parametrize("how", ["writable-by-others", "another-owner"])
def test_a_store_another_user_could_have_written_is_never_used(warmed, run, how: str) -> None:
    data, cache, first = warmed
    path = _store(cache)
    conn = sqlite3.connect(path)
    from korasean_cli.core.store.schema import crc

    with conn:  # a poisoned copy, checksums and all
        for pos, body in conn.execute("SELECT pos, body FROM records").fetchall():
            forged = body.replace('"title": "', '"title": "ROK CLOSES its Mission: ', 1)
            conn.execute("UPDATE records SET body = ?, crc = ? WHERE pos = ?", (forged, crc(forged), pos))
    conn.close()
    if how == "writable-by-others":
        path.chmod(0o666)
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a file to another user")
        os.chown(path, 65534, 65534)
    cache.chmod(0o777)
    res = run("facts", "--json", "--data", data)
    succeeded_cleanly(res)
    assert "CLOSES" not in res.out and res.out == first


def test_a_swap_with_the_same_size_and_mtime_is_noticed(warmed, run) -> None:
    data, cache, first = warmed
    before = os.stat(data)
    text = Path(data).read_text(encoding="utf-8")
    assert "meet in Busan" in text
    swapped = Path(data + ".new")
    swapped.write_text(text.replace("meet in Busan", "MEET in Busan", 1), encoding="utf-8")
    os.utime(swapped, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p, rsync -t or tar x leave it
    os.replace(swapped, data)
    assert os.stat(data).st_size == before.st_size and os.stat(data).st_mtime_ns == before.st_mtime_ns
    res = run("facts", "--json", "--data", data)
    succeeded_cleanly(res)
    assert "MEET in Busan" in res.out


def test_a_dataset_saved_during_a_cold_compile_is_not_cached_as_the_old_content(tmp_path, monkeypatch, run) -> None:
    from korasean_cli.core.store import build

    data = copy_fixture(tmp_path, "good.yaml")
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(tmp_path / "cache"))
    real = build.compile_or_raise

    def compile_then_edit(*args: Any) -> Any:
        got = real(*args)
        time.sleep(0.01)
        text = data.read_text(encoding="utf-8")
        data.write_text(text.replace("meet in Busan", "meet in Busan (saved)", 1), encoding="utf-8")
        return got

    monkeypatch.setattr(build, "compile_or_raise", compile_then_edit)
    first = run("facts", "--json", "--data", str(data))
    succeeded_cleanly(first)  # (what it printed was compiled again from the saved file, in memory)
    monkeypatch.setattr(build, "compile_or_raise", real)
    new = run("facts", "--json", "--data", str(data))
    succeeded_cleanly(new)
    assert "(saved)" in new.out


def test_the_store_follows_a_change_of_korasean_code_at_once(tmp_path: Path) -> None:
    """The store holds what code made of the data: edited code (an upgrade without a version bump)
    never meets a store the old code built."""
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "src" / "korasean_cli", pkg / "korasean_cli", ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(
        os.environ,
        PYTHONPATH=str(pkg),
        KORASEAN_CACHE_DIR=str(tmp_path / "cache"),
        KORASEAN_DATA=str(ROOT / "data" / "relations.yaml"),
    )

    def titles() -> list[str]:
        p = subprocess.run(
            [sys.executable, "-m", "korasean_cli", "facts", "-k", "event", "--json"],
            capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
        )  # fmt: skip
        assert p.returncode == 0, p.stderr
        return [r["title"] for r in json.loads(p.stdout)]

    before = titles()
    assert titles() == before  # warm
    validate = pkg / "korasean_cli" / "core" / "compiler" / "validate.py"
    text = validate.read_text(encoding="utf-8")
    marker = "def _title(kind: str, rec: dict[str, Any]) -> str:\n"
    assert marker in text
    validate.write_text(text.replace(marker, marker + "    return 'EDITED'\n", 1), encoding="utf-8")
    assert set(titles()) == {"EDITED"}


def test_no_cache_writes_nothing_and_an_unwritable_folder_only_costs_speed(tmp_path: Path, monkeypatch, run) -> None:
    data = str(copy_fixture(tmp_path, "good.yaml"))
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KORASEAN_NO_CACHE", "1")
    first = run("facts", "--json", "--data", data)
    succeeded_cleanly(first)
    assert not (tmp_path / "cache").exists()
    monkeypatch.delenv("KORASEAN_NO_CACHE")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(blocker / "cache"))
    res = run("facts", "--json", "--data", data)
    succeeded_cleanly(res)
    assert res.out == first.out


def test_pruning_touches_only_korasean_files_that_nothing_can_use(tmp_path: Path, monkeypatch, run) -> None:
    from korasean_cli.core.store import cache as load

    cache = tmp_path / "cache"
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(cache))
    kept = copy_fixture(tmp_path / "kept", "good.yaml")
    gone = copy_fixture(tmp_path / "gone", "good.yaml")
    for data in (kept, gone):
        succeeded_cleanly(run("facts", "--json", "--data", str(data)))
    assert len(list(cache.glob("korasean-*.sqlite3"))) == 2
    week_ago = time.time() - 8 * 86400
    old = {
        ".korasean-abandoned.tmp": time.time() - 7200,  # a temp file a killed process left
        "dataset-0123456789abcdef.bin": week_ago,  # the earlier cache format
        "index-01234567-0123456789abcdef0123456789abcdef.bin": week_ago,
    }
    for name, when in old.items():
        (cache / name).write_bytes(b"old")
        os.utime(cache / name, (when, when))
    foreign = [cache / "firmware.bin", cache / "my-backup.sqlite3", cache / "dataset-notours.bin"]
    for f in foreign:
        f.write_bytes(b"not ours")
    recent_old = cache / "dataset-fedcba9876543210.bin"  # another install may still use it
    recent_old.write_bytes(b"old")
    gone_store = Path(load.cache_path(str(gone)) or "")
    gone.unlink()
    os.utime(gone_store, (week_ago, week_ago))
    text = kept.read_text(encoding="utf-8")
    kept.write_text(text.replace("meet in Busan", "meet in Busan again", 1), encoding="utf-8")
    succeeded_cleanly(run("facts", "--json", "--data", str(kept)))  # a store is written: the folder is pruned
    assert not any((cache / name).exists() for name in old)
    assert not gone_store.exists()
    assert all(f.exists() for f in foreign) and recent_old.exists()
    assert list(cache.glob("korasean-*.sqlite3")) == [Path(load.cache_path(str(kept)) or "")]
