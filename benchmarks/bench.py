#!/usr/bin/env python3
"""Whole-process benchmarks for korasean: start-up, scale, peers, memory, imports, profiles.

    .venv/bin/python benchmarks/bench.py            # full run: 15 interleaved pairs per figure
    .venv/bin/python benchmarks/bench.py --quick    # smoke run: 5 pairs (2 for slow commands)

Every figure is a whole process started the way a shell starts it, timed from spawn to exit
(stdout drained through a pipe), interleaved with ``python -c pass`` run by korasean's own
interpreter: A B A B ... and the medians of both are printed with their ratio. Peak memory is
each process's max RSS from ``os.wait4`` (per-child rusage). Each scenario gets its own
temporary KORASEAN_CACHE_DIR: "warm" scenarios prime it with one unmeasured run, "cold" ones
give every run a fresh, empty one.

Commands whose first measured run exceeds --slow-seconds (default 10 s: cold runs at 50,000
records, search/cite/table at 50,000 warm) use --slow-pairs pairs (default 5): 15 pairs of a
40-second process would take an hour and add nothing to a median that varies by a few percent.
The n column says how many pairs each median is of.

Generated datasets (5,000 and 50,000 records) and the peers' SQLite/JSON copies are kept under
benchmarks/generated/ between runs and rebuilt when the generator or the template changes.
What is measured is a `git archive` snapshot of --ref (default HEAD) under benchmarks/generated/,
run by the venv's interpreter, so edits to the work tree during an hour-long run cannot mix two
versions of the code in one table (--ref worktree measures the live checkout instead). An
interrupted run can be finished with --resume OUTPUT, which reuses the rows it already printed.
Run one bench at a time: concurrent runs share benchmarks/generated/ and the machine's 2 cores.

Nothing here is a test: it prints figures and PASS/FAIL against the targets of issue 5.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(HERE, "generated")
sys.path.insert(0, HERE)
import generate  # noqa: E402

SHIPPED = os.path.join(ROOT, "data", "relations.yaml")
SIZES = (5000, 50000)
JQ = "/usr/bin/jq"
TIME = "/usr/bin/time"

# targets of issue 5
T_JSON_X_PY = 7.0
T_TABLE_X_PY = 11.0
T_X_SQLITE_UTILS = 0.6
T_WARM50K_X_SHIPPED = 1.5
T_COLD50K_X_CLOADER = 1.3
T_RSS_MIB_50K = 150.0

CLOADER_SRC = "import sys, yaml\nwith open(sys.argv[1], 'rb') as f:\n    yaml.load(f, Loader=yaml.CSafeLoader)\n"


class Cmd(NamedTuple):
    key: str  # short name used to match figures across scenarios
    label: str
    args: list[str]  # korasean arguments
    env: dict[str, str]
    json: bool


COMMANDS = [
    Cmd("timeline-json", "timeline --from 1989 --json", ["timeline", "--from", "1989", "--json"], {}, True),
    Cmd("fund-json", "fund AKCF --json", ["fund", "AKCF", "--json"], {}, True),
    Cmd("cite-json", 'cite "AKEC fund" --json', ["cite", "AKEC fund", "--json"], {}, True),
    Cmd("search-json", "search trade --json", ["search", "trade", "--json"], {}, True),
    Cmd("timeline-plain", "timeline --from 1989 | (plain)", ["timeline", "--from", "1989"], {}, False),
    Cmd(
        "timeline-table",
        "timeline --from 1989 --format table (COLUMNS=100)",
        ["timeline", "--from", "1989", "--format", "table"],
        {"COLUMNS": "100"},
        False,
    ),
]


def table_cut_to(rows: int) -> Cmd:
    """Measured warm at scale only, for information (no target): the 50,000-record timeline table
    prints ~90 times the shipped table's rows; the same command cut to the shipped table's rows
    tells the cost of the dataset's size apart from the cost of the output's size."""
    return Cmd(
        "timeline-table-cut",
        f"timeline --from 1989 --format table --limit {rows} (COLUMNS=100)",
        ["timeline", "--from", "1989", "--format", "table", "--limit", str(rows)],
        {"COLUMNS": "100"},
        False,
    )


class Sample(NamedTuple):
    wall: float  # seconds
    rss_kib: int
    rc: int
    out_bytes: int


class Figure(NamedTuple):
    section: str
    key: str
    label: str
    n: int
    median: float  # seconds
    base: float  # median of the interleaved python -c pass, seconds
    rss_mib: float  # max RSS of one run under /usr/bin/time
    out_bytes: int


def out(line: str = "") -> None:
    print(line, flush=True)


# -- running processes ---------------------------------------------------------------


class Runner:
    def __init__(self, scratch: str) -> None:
        self.scratch = scratch
        self.err_path = os.path.join(scratch, "stderr.txt")

    def spawn(self, argv: list[str], env: dict[str, str]) -> Sample:
        """Run argv with stdout into a pipe this process drains; wall time, max RSS, exit code."""
        r, w = os.pipe()  # both non-inheritable: the child only keeps w as its fd 1
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, w, 1),
            (os.POSIX_SPAWN_OPEN, 2, self.err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        ]
        n = 0
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        os.close(w)
        try:
            while True:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                n += len(chunk)
        finally:
            os.close(r)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        return Sample(wall, ru.ru_maxrss, os.waitstatus_to_exitcode(status), n)

    def with_peak_rss(self, argv: list[str], env: dict[str, str]) -> tuple[Sample, int | None]:
        """One run under /usr/bin/time -f %M: (sample, max RSS in KiB); plain run without it.

        Not os.wait4's ru_maxrss of our own child: Linux carries the high-water mark of the
        address space a child execs from into its ru_maxrss, so every child of this (larger)
        process would show at least this process's peak. /usr/bin/time is a small C program
        whose child starts clean.
        """
        if not os.access(TIME, os.X_OK):
            return self.spawn(argv, env), None
        mem = os.path.join(self.scratch, "maxrss.txt")
        s = self.spawn([TIME, "-f", "%M", "-o", mem, *argv], env)
        try:
            with open(mem) as f:
                return s, int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            return s, None

    def stderr_text(self) -> str:
        try:
            with open(self.err_path, encoding="utf-8", errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return ""


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.scratch = tempfile.mkdtemp(prefix="korasean-bench-")
        self.runner = Runner(self.scratch)
        self.korasean = os.path.abspath(args.korasean)
        self.python = interpreter_of(self.korasean)
        self.base_argv = [self.python, "-c", "pass"]
        self.base_env = clean_env()
        self.figures: list[Figure] = []
        self.notes: list[str] = []

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)

    def cache_dir(self) -> str:
        return tempfile.mkdtemp(prefix="cache-", dir=self.scratch)

    def run_checked(self, argv: list[str], env: dict[str, str], what: str, quiet_ok: bool = False) -> Sample:
        s = self.runner.spawn(argv, env)
        if s.rc != 0:
            raise SystemExit(f"bench: {what} exited {s.rc}:\n{self.runner.stderr_text()}")
        if s.out_bytes == 0 and not quiet_ok:
            raise SystemExit(f"bench: {what} printed nothing:\n{self.runner.stderr_text()}")
        return s

    def primed_cache(self, data: str | None) -> str:
        """A cache folder holding the compiled dataset and search index, made by untimed runs."""
        folder = self.cache_dir()
        # fund fills the compiled dataset, search the search index kept beside it (when the code has one)
        for args in (["fund", "--json"], ["search", "trade", "--json"]):
            argv = [self.korasean, *args, *(["--data", data] if data else [])]
            self.run_checked(argv, {**self.base_env, "KORASEAN_CACHE_DIR": folder}, f"priming the cache for {data}")
        return folder

    def measure(
        self,
        section: str,
        key: str,
        label: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        cache: str | None = None,
        quiet_ok: bool = False,
    ) -> Figure:
        """Interleaved python -c pass / command pairs: medians, ratio and peak RSS.

        cache: None runs without KORASEAN_CACHE_DIR (peers); "cold" gives every run a new,
        empty folder; a folder path (from primed_cache) is copied into this scenario's own
        folder, so the scenario runs warm and isolated.

        The first run of the command goes through /usr/bin/time for its peak RSS and is a
        warm-up. When it is slower than --slow-seconds the scenario is "slow": it gets
        --slow-pairs pairs and that first run counts as a sample (time's ~1 ms is then noise).
        """
        done = self.get(section, key)
        if done is not None:
            self.print_row(done, " (resumed)")
            return done
        full_env = {**self.base_env, **(env or {})}
        own_dir = None
        if cache and cache != "cold":
            own_dir = os.path.join(self.scratch, f"warm-{len(self.figures)}")
            shutil.copytree(cache, own_dir)
            full_env["KORASEAN_CACHE_DIR"] = own_dir

        def run(memory: bool = False) -> tuple[Sample, int | None]:
            run_env = full_env
            cold_dir = None
            if cache == "cold":
                cold_dir = self.cache_dir()
                run_env = {**full_env, "KORASEAN_CACHE_DIR": cold_dir}
            try:
                if memory:
                    return self.runner.with_peak_rss(argv, run_env)
                return self.run_checked(argv, run_env, f"{section} / {label}", quiet_ok), None
            finally:
                if cold_dir:
                    shutil.rmtree(cold_dir, ignore_errors=True)

        a: list[Sample] = []
        b: list[Sample] = []
        self.runner.spawn(self.base_argv, self.base_env)  # warm-up of the interpreter
        base0 = self.runner.spawn(self.base_argv, self.base_env)
        first, rss = run(memory=True)
        if first.rc != 0 or (first.out_bytes == 0 and not quiet_ok):
            raise SystemExit(f"bench: {section} / {label} exited {first.rc}:\n{self.runner.stderr_text()}")
        target = self.args.pairs
        if first.wall > self.args.slow_seconds:
            target = min(target, self.args.slow_pairs)
            a.append(base0)
            b.append(first)
        while len(b) < target:
            a.append(self.runner.spawn(self.base_argv, self.base_env))
            b.append(run()[0])
        fig = Figure(
            section,
            key,
            label,
            len(b),
            statistics.median(x.wall for x in b),
            statistics.median(x.wall for x in a),
            (rss if rss is not None else max(x.rss_kib for x in b)) / 1024,
            b[-1].out_bytes,
        )
        if own_dir:
            shutil.rmtree(own_dir, ignore_errors=True)
        self.figures.append(fig)
        self.print_row(fig)
        return fig

    def korasean_argv(self, cmd: Cmd, data: str | None) -> list[str]:
        argv = [self.korasean, *cmd.args]
        if data:
            argv += ["--data", data]
        return argv

    # -- output --------------------------------------------------------------------

    HEAD = f"{'scenario':<14} {'command':<50} {'n':>3} {'median':>9} {'py -c pass':>10} {'ratio':>7} {'peak RSS':>9}"

    def print_head(self, title: str) -> None:
        out()
        out(f"## {title}")
        out()
        out(f"(load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
        out(self.HEAD)
        out("-" * len(self.HEAD))

    def print_row(self, f: Figure, suffix: str = "") -> None:
        out(
            f"{f.section:<14} {f.label[:50]:<50} {f.n:>3} {ms(f.median):>9} {ms(f.base):>10} "
            f"{f.median / f.base:>6.1f}x {f.rss_mib:>5.0f} MiB{suffix}"
        )

    def resume(self, path: str) -> int:
        """Take the figures already printed in an earlier (interrupted) run's output."""
        row = re.compile(
            r"^(?P<section>.{14}) (?P<label>.{50}) +(?P<n>\d+) +(?P<median>[\d,.]+ m?s) +(?P<base>[\d,.]+ m?s) "
            r"+[\d.]+x +(?P<rss>\d+) MiB"
        )
        found = 0
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = row.match(line.rstrip("\n"))
                if not m:
                    continue
                label = m["label"].strip()
                key = next((c.key for c in COMMANDS if c.label[:50] == label), None)
                for prefix, k in (("sqlite-utils", "sqlite-utils"), ("jq", "jq"), ("yaml.load", "cloader")):
                    if label.startswith(prefix):
                        key = k
                if key is None or self.get(m["section"].strip(), key) is not None:
                    continue
                self.figures.append(
                    Figure(
                        m["section"].strip(),
                        key,
                        label,
                        int(m["n"]),
                        seconds(m["median"]),
                        seconds(m["base"]),
                        float(m["rss"]),
                        0,
                    )
                )
                found += 1
        return found

    def get(self, section: str, key: str) -> Figure | None:
        for f in self.figures:
            if f.section == section and f.key == key:
                return f
        return None


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def seconds(text: str) -> float:
    value, unit = text.replace(",", "").split()
    return float(value) / 1000 if unit == "ms" else float(value)


def size_tag(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def interpreter_of(script: str) -> str:
    """The interpreter a console script runs with (its #! line), else this one."""
    try:
        with open(script, "rb") as f:
            first = f.readline().decode("utf-8", "replace").strip()
        if first.startswith("#!"):
            parts = shlex.split(first[2:])
            if (
                parts
                and os.path.isabs(parts[0])
                and os.access(parts[0], os.X_OK)
                and "env" not in os.path.basename(parts[0])
            ):
                return parts[0]
    except OSError:
        pass
    return sys.executable


def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    for k in (
        "KORASEAN_DATA",
        "KORASEAN_NO_CACHE",
        "KORASEAN_CACHE_DIR",
        "KORASEAN_DEBUG",
        "COLUMNS",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUNBUFFERED",
    ):
        env.pop(k, None)
    return env


# -- datasets --------------------------------------------------------------------------


def file_digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def ensure_dataset(n: int, korasean: str) -> str:
    """benchmarks/generated/n<N>-<template>/relations.yaml, generated (and validated) when missing or stale.

    The folder is named after the template's digest: runs of different refs (or of two sessions
    at once) never regenerate each other's datasets under their feet.
    """
    template_sha = file_digest(SHIPPED)
    outdir = os.path.join(GEN, f"n{n}-{template_sha[:10]}")
    path = os.path.join(outdir, "relations.yaml")
    stamp_path = os.path.join(outdir, "stamp.json")
    stamp = {
        "n": n,
        "generator": generate.GENERATOR_VERSION,
        "generator_sha": file_digest(generate.__file__),
        "template_sha": template_sha,
    }
    try:
        with open(stamp_path) as f:
            if json.load(f) == stamp and os.path.isfile(path):
                return path
    except (OSError, ValueError):
        pass
    t0 = time.perf_counter()
    info = generate.generate(n, outdir, SHIPPED)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    env = {**clean_env(), "KORASEAN_NO_CACHE": "1"}
    r = subprocess.run([korasean, "validate", path], env=env, capture_output=True, text=True)
    val_s = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"bench: generated dataset {path} does not validate:\n{r.stderr[-3000:]}")
    out(
        f"generated {path}: {info['records']} records, YAML {info['yaml_bytes'] / 1e6:.1f} MB, "
        f"{info['sources']} seeds, in {gen_s:.1f} s; korasean validate ok in {val_s:.1f} s"
    )
    with open(stamp_path, "w") as f:
        json.dump(stamp, f)
    return path


def peer_copies(yaml_path: str, name: str) -> tuple[str, str]:
    """An SQLite copy (events: id, date, title, category) and a JSON copy of a dataset."""
    folder = os.path.join(GEN, "peers")
    os.makedirs(folder, exist_ok=True)
    stamp = file_digest(yaml_path)
    name = f"{name}-{stamp[:10]}"  # per content, like the datasets: concurrent runs do not collide
    db = os.path.join(folder, f"{name}.sqlite")
    js = os.path.join(folder, f"{name}.json")
    stamp_path = os.path.join(folder, f"{name}.stamp")
    try:
        with open(stamp_path) as f:
            if f.read() == stamp and os.path.isfile(db) and os.path.isfile(js):
                return db, js
    except OSError:
        pass
    import yaml

    with open(yaml_path, "rb") as f:
        data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    with open(js, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    if os.path.exists(db):
        os.unlink(db)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE events (id TEXT PRIMARY KEY, date TEXT, title TEXT, category TEXT)")
    con.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?)",
        [(e["id"], e.get("date"), e["title"], e.get("category")) for e in data.get("events") or []],
    )
    con.commit()
    con.close()
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return db, js


def find_sqlite_utils(python: str) -> tuple[str | None, str]:
    """(path to sqlite-utils, how it was found) or (None, why it is skipped)."""
    on_path = shutil.which("sqlite-utils")
    if on_path:
        return on_path, f"on PATH: {on_path}"
    venv = os.path.join(GEN, "peer-venv")
    exe = os.path.join(venv, "bin", "sqlite-utils")
    if os.access(exe, os.X_OK):
        return exe, f"benchmarks/generated/peer-venv ({peer_version(venv)})"
    out(f"installing sqlite-utils into {venv} (pip install sqlite-utils) ...")
    try:
        subprocess.run([python, "-m", "venv", venv], check=True, capture_output=True, text=True)
        subprocess.run(
            [os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", "sqlite-utils"],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        return None, f"could not install sqlite-utils: {detail.strip().splitlines()[-1] if detail.strip() else e}"
    if os.access(exe, os.X_OK):
        return exe, f"benchmarks/generated/peer-venv ({peer_version(venv)}), installed now"
    return None, "pip install sqlite-utils gave no sqlite-utils executable"


def peer_version(venv: str) -> str:
    r = subprocess.run([os.path.join(venv, "bin", "sqlite-utils"), "--version"], capture_output=True, text=True)
    return r.stdout.strip() or "sqlite-utils"


# -- scenarios -----------------------------------------------------------------------


def run_shipped(b: Bench) -> None:
    b.print_head("Shipped dataset, warm cache, against python -c pass")
    resumed = all(b.get("shipped warm", c.key) for c in COMMANDS)
    primed = b.scratch if resumed else b.primed_cache(None)
    for cmd in COMMANDS:
        b.measure("shipped warm", cmd.key, cmd.label, b.korasean_argv(cmd, None), cmd.env, primed)
    if not resumed:
        shutil.rmtree(primed, ignore_errors=True)
    b.print_head("Shipped dataset, cold cache (empty KORASEAN_CACHE_DIR every run), for reference")
    for cmd in COMMANDS[:1]:
        b.measure("shipped cold", cmd.key, cmd.label, b.korasean_argv(cmd, None), cmd.env, "cold")


def run_peers(b: Bench, sizes: list[int], datasets: dict[int, str]) -> None:
    b.print_head("Peers: the timeline query (events with date >= '1989': date, title) by other tools")
    su, how = find_sqlite_utils(b.python)
    out(f"sqlite-utils: {how}")
    out(f"jq: {JQ if os.access(JQ, os.X_OK) else 'not found: skipped'}")
    sql = "select date, title from events where date >= '1989' order by date"
    jq_filter = '[.events[] | select(.date != null and .date >= "1989") | {date, title}]'
    for name, path in [("shipped", SHIPPED)] + [(size_tag(n), datasets[n]) for n in sizes]:
        db, js = peer_copies(path, name)
        section = f"{name} peer"
        if su:
            b.measure(section, "sqlite-utils", f'sqlite-utils query DB "{sql[:24]}..."', [su, "query", db, sql])
        else:
            b.notes.append(f"sqlite-utils peer skipped: {how}")
        if os.access(JQ, os.X_OK):
            b.measure(section, "jq", "jq '[.events[] | select(.date >= \"1989\")...]'", [JQ, jq_filter, js])
    if not su:
        out(f"sqlite-utils: skipped ({how})")


def run_scale(b: Bench, sizes: list[int], datasets: dict[int, str]) -> None:
    for n in sizes:
        path = datasets[n]
        size_mb = os.path.getsize(path) / 1e6
        tag = size_tag(n)
        b.print_head(f"{n:,} records ({size_mb:.1f} MB YAML) with --data: warm, then cold")
        if all(b.get(f"{tag} warm", c.key) for c in COMMANDS):
            primed = b.scratch  # every warm figure was resumed: nothing to prime
        else:
            primed = b.primed_cache(path)
        for cmd in COMMANDS:
            b.measure(f"{tag} warm", cmd.key, cmd.label, b.korasean_argv(cmd, path), cmd.env, primed)
        shipped_rows = subprocess.run(
            b.korasean_argv(COMMANDS[4], None),
            env={**b.base_env, "KORASEAN_CACHE_DIR": b.cache_dir()},
            capture_output=True,
            text=True,
        ).stdout.count("\n")  # the plain timeline: a line per event
        cmd = table_cut_to(shipped_rows)
        if b.get(f"{tag} warm", cmd.key) is None:  # (not resumed: an interrupted run does not keep it)
            if primed == b.scratch:
                primed = b.primed_cache(path)
            b.measure(f"{tag} warm", cmd.key, cmd.label, b.korasean_argv(cmd, path), cmd.env, primed)
        whole, cut = b.get(f"{tag} warm", "timeline-table"), b.get(f"{tag} warm", cmd.key)
        shipped = b.get("shipped warm", "timeline-table")
        if whole and cut and shipped:
            b.notes.append(
                f"{tag} timeline table: all rows {ms(whole.median)}, {whole.out_bytes / 1e6:.1f} MB of output; "
                f"cut to the shipped table's {shipped_rows} rows {ms(cut.median)} = {cut.median / shipped.median:.2f}x "
                f"the shipped table ({ms(shipped.median)}): the rest is the output's size, not the dataset's"
            )
        if primed != b.scratch:
            shutil.rmtree(primed, ignore_errors=True)
        for cmd in COMMANDS:
            b.measure(f"{tag} cold", cmd.key, cmd.label, b.korasean_argv(cmd, path), cmd.env, "cold")
        b.measure(
            f"{tag} C loader",
            "cloader",
            "yaml.load(f, Loader=yaml.CSafeLoader) alone",
            [b.python, "-c", CLOADER_SRC, path],
            quiet_ok=True,
        )


# -- targets -------------------------------------------------------------------------


def targets(b: Bench, big: int | None) -> list[tuple[str, str, str, bool | None]]:
    """(what, figure, target, ok) rows; ok None when a figure is missing (skipped)."""
    rows: list[tuple[str, str, str, bool | None]] = []
    for cmd in COMMANDS:
        f = b.get("shipped warm", cmd.key)
        if f is None:
            continue
        if cmd.json:
            rows.append(
                (
                    f"{cmd.label} (shipped)",
                    f"{f.median / f.base:.1f}x python -c pass",
                    f"<= {T_JSON_X_PY:g}x",
                    f.median / f.base <= T_JSON_X_PY,
                )
            )
        elif cmd.key == "timeline-table":
            rows.append(
                (
                    f"{cmd.label} (shipped)",
                    f"{f.median / f.base:.1f}x python -c pass",
                    f"<= {T_TABLE_X_PY:g}x",
                    f.median / f.base <= T_TABLE_X_PY,
                )
            )
    kt, su = b.get("shipped warm", "timeline-json"), b.get("shipped peer", "sqlite-utils")
    if kt is not None:
        if su is not None:
            rows.append(
                (
                    "timeline --from 1989 --json vs sqlite-utils query (shipped)",
                    f"{ms(kt.median)} / {ms(su.median)} = {kt.median / su.median:.2f}x",
                    f"<= {T_X_SQLITE_UTILS:g}x",
                    kt.median / su.median <= T_X_SQLITE_UTILS,
                )
            )
        else:
            rows.append(
                (
                    "timeline --from 1989 --json vs sqlite-utils query (shipped)",
                    "sqlite-utils skipped",
                    f"<= {T_X_SQLITE_UTILS:g}x",
                    None,
                )
            )
    if big is None:
        return rows
    tag = size_tag(big)
    loader = b.get(f"{tag} C loader", "cloader")
    for cmd in COMMANDS:
        w, s = b.get(f"{tag} warm", cmd.key), b.get("shipped warm", cmd.key)
        if w is not None and s is not None:
            rows.append(
                (
                    f"{cmd.label}: warm {tag} vs shipped",
                    f"{ms(w.median)} / {ms(s.median)} = {w.median / s.median:.2f}x",
                    f"<= {T_WARM50K_X_SHIPPED:g}x",
                    w.median / s.median <= T_WARM50K_X_SHIPPED,
                )
            )
    for cmd in COMMANDS:
        c = b.get(f"{tag} cold", cmd.key)
        if c is not None and loader is not None:
            rows.append(
                (
                    f"{cmd.label}: cold {tag} vs C loader alone",
                    f"{ms(c.median)} / {ms(loader.median)} = {c.median / loader.median:.2f}x",
                    f"<= {T_COLD50K_X_CLOADER:g}x",
                    c.median / loader.median <= T_COLD50K_X_CLOADER,
                )
            )
    for temp in ("warm", "cold"):
        for cmd in COMMANDS:
            f = b.get(f"{tag} {temp}", cmd.key)
            if f is not None:
                rows.append(
                    (
                        f"{cmd.label}: peak RSS, {temp} {tag}",
                        f"{f.rss_mib:.0f} MiB",
                        f"<= {T_RSS_MIB_50K:g} MiB",
                        f.rss_mib <= T_RSS_MIB_50K,
                    )
                )
    return rows


def print_targets(rows: list[tuple[str, str, str, bool | None]]) -> None:
    out()
    out("## Targets")
    out()
    w = max(len(r[0]) for r in rows) if rows else 10
    v = max(len(r[1]) for r in rows) if rows else 10
    for what, fig, target, ok in rows:
        verdict = "skipped" if ok is None else "PASS" if ok else "FAIL"
        out(f"{what:<{w}}  {fig:<{v}}  {target:<12} {verdict}")
    fails = sum(1 for r in rows if r[3] is False)
    out()
    out(
        f"{len(rows) - fails - sum(1 for r in rows if r[3] is None)} PASS, {fails} FAIL"
        f"{', ' + str(sum(1 for r in rows if r[3] is None)) + ' skipped' if any(r[3] is None for r in rows) else ''}"
    )


# -- import times and profiles ---------------------------------------------------------


def import_times(b: Bench, cmd: Cmd, runs: int) -> None:
    """python -X importtime, median over runs: the 10 costliest imports by self and cumulative time."""
    self_us: dict[str, list[int]] = {}
    cum_us: dict[str, list[int]] = {}
    totals = []
    cache = b.cache_dir()
    env = {**b.base_env, "KORASEAN_CACHE_DIR": cache}
    subprocess.run([b.korasean, *cmd.args], env=env, capture_output=True)  # prime the cache
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(
            [b.python, "-X", "importtime", b.korasean, *cmd.args], env=env, capture_output=True, text=True
        )
        totals.append(time.perf_counter() - t0)
        top_level = 0
        for line in r.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            s, c, name = line[len("import time:") :].split("|", 2)
            mod = name.rstrip()
            depth = (len(mod) - len(mod.lstrip(" "))) // 2
            mod = mod.strip()
            self_us.setdefault(mod, []).append(int(s))
            cum_us.setdefault(mod, []).append(int(c))
            if depth == 0:
                top_level += int(c)
    shutil.rmtree(cache, ignore_errors=True)
    med_self = {m: statistics.median(v) for m, v in self_us.items()}
    med_cum = {m: statistics.median(v) for m, v in cum_us.items()}
    all_imports = sum(statistics.median(v) for m, v in self_us.items())
    out()
    out(f"### korasean {cmd.label}: -X importtime, median of {runs} runs (shipped data, warm cache)")
    out(
        f"process wall (with importtime's own overhead): {ms(statistics.median(totals))}; "
        f"{len(med_self)} modules imported, sum of self times {all_imports / 1000:.1f} ms"
    )
    out()
    out(f"{'by cumulative time':<44} {'cum':>8} {'self':>8}    {'by self time':<38} {'self':>8}")
    by_cum = sorted(med_cum, key=lambda m: -med_cum[m])[:10]
    by_self = sorted(med_self, key=lambda m: -med_self[m])[:10]
    for i in range(10):
        left = by_cum[i] if i < len(by_cum) else ""
        right = by_self[i] if i < len(by_self) else ""
        out(
            f"{left[:44]:<44} {med_cum.get(left, 0) / 1000:>6.1f}ms {med_self.get(left, 0) / 1000:>6.1f}ms    "
            f"{right[:38]:<38} {med_self.get(right, 0) / 1000:>6.1f}ms"
        )


def profile(b: Bench, cmd: Cmd, data: str, top: int = 15) -> None:
    """cProfile of one warm run, top functions by cumulative time."""
    import io
    import pstats

    cache = b.cache_dir()
    env = {**b.base_env, "KORASEAN_CACHE_DIR": cache, **cmd.env}
    argv = [*cmd.args, "--data", data]
    subprocess.run([b.korasean, *argv], env=env, capture_output=True)  # prime the cache
    prof = os.path.join(b.scratch, "profile.out")
    t0 = time.perf_counter()
    r = subprocess.run(
        [b.python, "-m", "cProfile", "-o", prof, b.korasean, *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - t0
    shutil.rmtree(cache, ignore_errors=True)
    out()
    out(
        f"### cProfile: korasean {cmd.label} --data <{os.path.basename(os.path.dirname(data))}>, warm cache "
        f"({ms(wall)} under the profiler, exit {r.returncode})"
    )
    st = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        rows.append((ct, tt, nc, _where(file, line, func)))
    total = max((r[0] for r in rows), default=0.0)
    out(
        f"{len(rows)} functions, {total:.2f} s in the profiled process. Top {top} by cumulative time, leaving out "
        "pure wrappers (importlib's bootstrap frames, exec, the console script, typer/click's invoke chain):"
    )
    out()
    out(f"{'cumtime':>8} {'tottime':>8} {'ncalls':>9}  function")
    shown = 0
    for ct, tt, nc, where in sorted(rows, key=lambda r: -r[0]):
        if _WRAPPERS.search(where):
            continue
        out(f"{ct:>7.3f}s {tt:>7.3f}s {nc:>9}  {where}")
        shown += 1
        if shown == top:
            break
    out()
    out("Top 10 by own time (tottime):")
    out()
    out(f"{'tottime':>8} {'cumtime':>8} {'ncalls':>9}  function")
    for ct, tt, nc, where in sorted(rows, key=lambda r: -r[1])[:10]:
        out(f"{tt:>7.3f}s {ct:>7.3f}s {nc:>9}  {where}")


_WRAPPERS = re.compile(
    r"<frozen importlib\._bootstrap|builtins\.exec>|bin/korasean:\d+\(<module>\)|__main__\.py:\d+\(main\)"
    r"|cli/app\.py:\d+\((main|_run)\)|typer/main\.py:\d+\((__call__|wrapper)\)"
    r"|typer/core\.py:\d+\((main|_main|invoke)\)|_click/core\.py:\d+\((__call__|invoke)\)"
)


def _where(file: str, line: int, func: str) -> str:
    if file == "~":
        return f"{{{func}}}"
    file = re.sub(r"^.*/benchmarks/generated/snapshot-[0-9a-f]+/", "", file)
    file = file.replace(ROOT + "/", "")
    file = file.replace(".venv/lib/python3.11/site-packages/", "")
    stdlib = os.path.dirname(os.__file__) + "/"
    file = file.replace(stdlib, "<stdlib>/")
    return f"{file}:{line}({func})"


# -- main ------------------------------------------------------------------------------


def snapshot(ref: str) -> tuple[str, str, str]:
    """(korasean launcher, shipped dataset, description) for a git ref, extracted once.

    The work tree may change while a run takes an hour (it did); a `git archive` of the ref
    under benchmarks/generated/ does not. The launcher runs the snapshot's code with the
    venv's interpreter, exactly as the console script does.
    """
    sha = subprocess.run(
        ["git", "-C", ROOT, "rev-parse", "--short", ref], capture_output=True, text=True, check=True
    ).stdout.strip()
    folder = os.path.join(GEN, f"snapshot-{sha}")
    launcher = os.path.join(folder, "bin", "korasean")
    if not os.path.isfile(launcher):
        tmp = folder + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(os.path.join(tmp, "bin"))
        archive = subprocess.run(
            ["git", "-C", ROOT, "archive", sha, "src", "data", "seeds"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        python = interpreter_of(os.path.join(ROOT, ".venv", "bin", "korasean"))
        with open(os.path.join(tmp, "bin", "korasean"), "w") as f:
            f.write(
                f"#!{python}\n"
                "import sys\n"
                f"sys.path.insert(0, {os.path.join(folder, 'src')!r})\n"
                "from korasean_cli.__main__ import main\n"
                "if __name__ == '__main__':\n"
                "    sys.exit(main())\n"
            )
        os.chmod(os.path.join(tmp, "bin", "korasean"), 0o755)
        os.replace(tmp, folder)
    return launcher, os.path.join(folder, "data", "relations.yaml"), f"git archive of {ref} = {sha}, in {folder}"


def machine() -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", ROOT, "status", "--porcelain", "--", "src", "data", "seeds"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit, dirty = "?", ""
    return commit + (" (src/data modified)" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 5 pairs (2 for slow commands)")
    ap.add_argument("--pairs", type=int, help="interleaved pairs per figure (default 15; 5 with --quick)")
    ap.add_argument(
        "--slow-pairs", type=int, help="pairs for commands slower than --slow-seconds (default 5; 2 with --quick)"
    )
    ap.add_argument("--slow-seconds", type=float, default=10.0, help="what counts as slow (default 10 s)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="generated dataset sizes (default 5000,50000)")
    ap.add_argument(
        "--ref",
        default="HEAD",
        help="git ref to benchmark, from a snapshot under benchmarks/generated/ (default HEAD); "
        "'worktree' runs the live checkout through .venv/bin/korasean",
    )
    ap.add_argument("--korasean", help="benchmark this korasean executable instead (its shipped data)")
    ap.add_argument(
        "--only",
        default="shipped,peers,scale,imports,profile",
        help="sections to run (default all: shipped,peers,scale,imports,profile)",
    )
    ap.add_argument("--importtime-runs", type=int, default=5)
    ap.add_argument("--resume", metavar="OUTPUT", help="reuse the figures printed by an interrupted run's output")
    args = ap.parse_args(argv)
    args.pairs = args.pairs or (5 if args.quick else 15)
    args.slow_pairs = args.slow_pairs or (2 if args.quick else 5)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    only = set(args.only.split(","))
    global SHIPPED
    if args.korasean:
        what = f"{args.korasean} (as installed)"
    elif args.ref == "worktree":
        args.korasean = os.path.join(ROOT, ".venv", "bin", "korasean")
        what = f"the work tree at {machine()}, through {args.korasean}"
    else:
        args.korasean, SHIPPED, what = snapshot(args.ref)
    if not os.access(args.korasean, os.X_OK):
        ap.error(f"korasean not found at {args.korasean}: create the venv first (pip install -e .)")

    b = Bench(args)
    started = time.time()
    try:
        out("# korasean benchmarks")
        out()
        out(f"date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
        out(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
            f"{platform.system()} {platform.release()}"
        )
        ver = subprocess.run(
            [
                b.python,
                "-c",
                "import sys, yaml; print(sys.version.split()[0], yaml.__version__, yaml.__with_libyaml__)",
            ],
            capture_output=True,
            text=True,
        ).stdout.split()
        out(
            f"python: {b.python} = CPython {ver[0] if ver else '?'}; PyYAML {ver[1] if len(ver) > 1 else '?'} "
            f"(libyaml: {ver[2] if len(ver) > 2 else '?'})"
        )
        out(f"korasean: {what}")
        out(f"command: {' '.join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])}")
        mem_how = (
            f"{TIME} -f %M on one extra run per figure"
            if os.access(TIME, os.X_OK)
            else "ru_maxrss from os.wait4 (no /usr/bin/time: includes the bench process's own peak)"
        )
        out(
            f"pairs: {args.pairs} (commands slower than {args.slow_seconds:g} s: {args.slow_pairs}); "
            f"peak memory: {mem_how}"
        )
        out("ratio = median(command) / median(python -c pass) of the same interleaved pairs")
        out(
            f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
            "(other sessions may share this machine's 2 cores; interleaving keeps ratios fair)"
        )
        if args.resume:
            out(f"resumed: {b.resume(args.resume)} figures taken from {args.resume} (marked '(resumed)')")
        datasets = {n: ensure_dataset(n, b.korasean) for n in sizes} if ({"peers", "scale", "profile"} & only) else {}
        if "shipped" in only:
            run_shipped(b)
        if "peers" in only:
            run_peers(b, sizes, datasets)
        if "scale" in only:
            run_scale(b, sizes, datasets)
        big = max(sizes) if sizes and "scale" in only else None
        print_targets(targets(b, big))
        for note in dict.fromkeys(b.notes):
            out(f"note: {note}")
        if "imports" in only:
            out()
            out("## Import times")
            for cmd in (COMMANDS[0], COMMANDS[2]):
                import_times(b, cmd, args.importtime_runs)
        if "profile" in only and sizes:
            out()
            out(f"## Profiles at {max(sizes):,} records")
            for cmd in (COMMANDS[0], COMMANDS[3]):
                profile(b, cmd, datasets[max(sizes)])
        out()
        out(
            f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
            f"total bench time: {(time.time() - started) / 60:.1f} min"
        )
    finally:
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
