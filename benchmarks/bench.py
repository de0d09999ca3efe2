#!/usr/bin/env python3
"""Whole-process timings of korasean against the targets of issue 12. Not a test.

    .venv/bin/python benchmarks/bench.py                # shipped data, then 50,000 records
    .venv/bin/python benchmarks/bench.py --skip-scale   # shipped data only
    .venv/bin/python benchmarks/bench.py --runs 5 --cold-runs 1 --size 5000

What runs is a `git archive` of --ref (default HEAD) unpacked in a scratch folder, by a copy of
the venv's korasean console script that imports it first (--ref worktree: the live checkout), so
edits to src/ during a run cannot break it or mix two versions in one table. Every figure is a
whole process timed from spawn to exit, stdout drained from a pipe, in this environment minus
every PYTHON* and KORASEAN_* variable (and COLUMNS, LINES): .pyc files are written and read as a
user's are; KORASEAN_CACHE_DIR is a scratch folder. Warm: one unmeasured run, then --runs runs
interleaved (A B A B) with a reference: `python -c pass` for shipped data (JSON <= 5x, table
<= 10x), the same command on shipped data for --size records (<= 2x; cut with --limit to the
shipped rows: every listing command takes --limit). Cold: `facts --limit 1
--json --data` with an empty cache folder, interleaved with a child doing only yaml.load(f,
Loader=yaml.CSafeLoader) of the same file (<= 1x); peak RSS (max over runs, /usr/bin/time's %M)
<= 200 MiB. The --size dataset is made by generate.py under benchmarks/generated/ (git-ignored).

Prints figures and exits 0 whatever they are; exits 1 only if a command fails.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TIME = "/usr/bin/time"
T_JSON, T_TABLE, T_SCALE, T_COLD, T_RSS_MIB = 5.0, 10.0, 2.0, 1.0, 200.0
CLOADER = "import sys, yaml\nwith open(sys.argv[1], 'rb') as f:\n    yaml.load(f, Loader=yaml.CSafeLoader)\n"
ABOUT = (
    "import platform, sqlite3, sys, yaml; print(platform.python_implementation(), platform.python_version(),"
    " '| sqlite', sqlite3.sqlite_version, '| PyYAML', yaml.__version__, '(libyaml: %s)' % yaml.__with_libyaml__)"
)


class Cmd(NamedTuple):
    label: str
    args: list[str]
    table: bool = False  # a table (target 10x, COLUMNS=100) rather than JSON (5x)
    cut: bool = False  # has --limit: cut at scale to the shipped row count


COMMANDS = [
    Cmd("timeline --json", ["timeline", "--json"], cut=True),
    Cmd("timeline --format table", ["timeline", "--format", "table"], table=True, cut=True),
    Cmd("search rohingya --json", ["search", "rohingya", "--json"]),
    Cmd("cite busan --json", ["cite", "busan", "--json"]),
    Cmd("fund AKCF --json", ["fund", "AKCF", "--json"]),
    Cmd("show fund-akcf --json", ["show", "fund-akcf", "--json"]),
    Cmd("trade --json", ["trade", "--json"], cut=True),
    Cmd("glossary --json", ["glossary", "--json"], cut=True),
    Cmd("facts --json", ["facts", "--json"], cut=True),
]


class Run(NamedTuple):
    wall: float  # seconds
    rss_kib: int  # wait4's ru_maxrss, or /usr/bin/time's %M (see peak)
    out: bytes


def out(line: str = "") -> None:
    print(line, flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.runs = args.runs
        self.scratch = tempfile.mkdtemp(prefix="korasean-bench-")
        script = os.path.abspath(args.korasean)
        self.ref = args.ref
        self.korasean = script if args.ref == "worktree" else snapshot(args.ref, script, self.scratch)
        self.root = ROOT if args.ref == "worktree" else os.path.dirname(self.korasean)  # its data/ and seeds/
        self.python = os.path.join(os.path.dirname(script), "python3")  # the interpreter of its #! line
        self.python = self.python if os.access(self.python, os.X_OK) else sys.executable
        drop = ("PYTHON", "KORASEAN_", "COLUMNS", "LINES")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
        self.env["KORASEAN_CACHE_DIR"] = os.path.join(self.scratch, "warm")
        self.targets: list[tuple[str, str, bool]] = []

    def spawn(self, argv: list[str], env: dict[str, str], what: str) -> Run:
        """Run argv, stdout drained from a pipe, stderr to a file; exit 1 if it fails."""
        err = os.path.join(self.scratch, "stderr.txt")
        r, w = os.pipe()
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, w, 1),
            (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        ]
        chunks = []
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        os.close(w)
        while chunk := os.read(r, 1 << 20):
            chunks.append(chunk)
        os.close(r)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            with open(err, encoding="utf-8", errors="replace") as f:
                out(f"bench: {what} exited {os.waitstatus_to_exitcode(status)}:\n{f.read()[-2000:]}")
            raise SystemExit(1)
        return Run(wall, ru.ru_maxrss, b"".join(chunks))

    def peak(self, argv: list[str], env: dict[str, str], what: str) -> Run:
        """One run under /usr/bin/time -f %M: its child starts clean, so %M is the command's own peak."""
        if not os.access(TIME, os.X_OK):
            return self.spawn(argv, env, what)
        mem = os.path.join(self.scratch, "maxrss.txt")
        run = self.spawn([TIME, "-f", "%M", "-o", mem, *argv], env, what)
        with open(mem) as f:
            return run._replace(rss_kib=int(f.read().split()[-1]))

    def argv(self, cmd: Cmd, data: str | None, limit: int | None = None) -> list[str]:
        extra = ["--limit", str(limit)] if limit is not None else []
        return [self.korasean, *cmd.args, *extra, *(["--data", data] if data else [])]

    def cmd_env(self, cmd: Cmd) -> dict[str, str]:
        return {**self.env, "COLUMNS": "100"} if cmd.table else self.env

    def pairs(self, a: tuple[list[str], dict[str, str]], b: tuple[list[str], dict[str, str]], cmd: Cmd):
        """One unmeasured run of each (b's output gives its rows), then self.runs interleaved runs of a and b."""
        self.spawn(*a, cmd.label)
        rows = count_rows(self.spawn(*b, cmd.label).out, cmd.table)
        times = [(self.spawn(*a, cmd.label).wall, self.spawn(*b, cmd.label).wall) for _ in range(self.runs)]
        return rows, [t for t, _ in times], [t for _, t in times]

    def row(self, name: str, rows: str, tb: list[float], ta: list[float], limit: float, vs: str, note: str = ""):
        """A table line and a target: median of tb <= limit x median of ta."""
        med, ref = statistics.median(tb), statistics.median(ta)
        ok = med <= limit * ref
        self.targets.append((f"{name} <= {limit:g}x {vs}{note}", f"{med / ref:.2f}x", ok))
        figures = f"{ms(med):>9} {ms(min(tb)):>9} {ms(ref):>9} {med / ref:>6.2f}x {limit:>4g}x"
        out(f"{name.split(': ', 1)[1]:<30} {rows:>9} {figures}  {'pass' if ok else 'FAIL'}{note}")

    def head(self, ref: str) -> None:
        line = f"{'command':<30} {'rows':>9} {'median':>9} {'min':>9} {ref:>9} {'ratio':>7} {'max':>5}  result"
        out(line)
        out("-" * len(line))

    # -- sections ----------------------------------------------------------------------

    def shipped(self) -> dict[str, int]:
        """Warm figures on the shipped data; returns the rows each command prints."""
        base = ([self.python, "-c", "pass"], self.env)
        section(f"Shipped data, warm cache: {self.runs} runs each, interleaved with python -c pass")
        self.head("py -c pass")
        found: dict[str, int] = {}
        all_base: list[float] = []
        for cmd in COMMANDS:
            rows, tp, tc = self.pairs(base, (self.argv(cmd, None), self.cmd_env(cmd)), cmd)
            self.row(f"shipped warm: {cmd.label}", str(rows), tc, tp, T_TABLE if cmd.table else T_JSON, "py -c pass")
            all_base += tp
            found[cmd.label] = rows
        out(f"{'python -c pass (all runs)':<30} {'':>9} {ms(statistics.median(all_base)):>9} {ms(min(all_base)):>9}")
        return found

    def scale(self, data: str, tag: str, shipped: dict[str, int]) -> None:
        section(f"{tag} records, warm cache: {self.runs} runs each, interleaved with the command on shipped data")
        t0 = time.perf_counter()
        self.spawn([self.korasean, "facts", "--limit", "1", "--json", "--data", data], self.env, "compile")
        out(f"(compiled the {tag} store in {time.perf_counter() - t0:.1f} s, unmeasured)")
        self.head("shipped")
        for cmd in COMMANDS:
            want = shipped[cmd.label]
            ship = (self.argv(cmd, None), self.cmd_env(cmd))
            big = (self.argv(cmd, data, want if cmd.cut else None), self.cmd_env(cmd))
            rows, ts, tb = self.pairs(ship, big, cmd)
            name = f"{tag} warm: {cmd.label}" + (f" -n {want}" if cmd.cut else "")
            self.row(
                name, f"{rows}/{want}", tb, ts, T_SCALE, "shipped", "" if rows == want else " (rows differ: no --limit)"
            )

    def cold(self, data: str, tag: str, cold_runs: int) -> None:
        section(f"{tag} records, cold compile: {cold_runs} runs each, interleaved, an empty cache folder every run")
        loader = [self.python, "-c", CLOADER, data]
        compile_ = [self.korasean, "facts", "--limit", "1", "--json", "--data", data]
        loads: list[Run] = []
        compiles: list[Run] = []
        for i in range(cold_runs):
            loads.append(self.peak(loader, self.env, "yaml.load (CSafeLoader)"))
            folder = os.path.join(self.scratch, f"cold-{i}")
            compiles.append(self.peak(compile_, {**self.env, "KORASEAN_CACHE_DIR": folder}, "cold compile"))
            shutil.rmtree(folder, ignore_errors=True)
        line = f"{'process':<44} {'median':>9} {'min':>9} {'peak RSS':>9}"
        out(line)
        out("-" * len(line))
        for name, runs in (
            ("yaml.load(f, Loader=yaml.CSafeLoader)", loads),
            ("facts --limit 1 --json (cold)", compiles),
        ):
            walls = [r.wall for r in runs]
            peak = max(r.rss_kib for r in runs) / 1024
            out(f"{name:<44} {ms(statistics.median(walls)):>9} {ms(min(walls)):>9} {peak:>5.0f} MiB")
        ratio = statistics.median(r.wall for r in compiles) / statistics.median(r.wall for r in loads)
        rss = max(r.rss_kib for r in compiles) / 1024
        out(f"cold compile / C loader: {ratio:.2f}x (max {T_COLD:g}x); compile peak {rss:.0f} MiB (max {T_RSS_MIB:g})")
        self.targets.append((f"{tag} cold compile <= {T_COLD:g}x C loader", f"{ratio:.2f}x", ratio <= T_COLD))
        self.targets.append((f"{tag} cold compile peak RSS <= {T_RSS_MIB:g} MiB", f"{rss:.0f} MiB", rss <= T_RSS_MIB))

    def summary(self) -> None:
        section("Targets")
        width = max(len(name) for name, _, _ in self.targets)
        out(f"{'target':<{width}} | {'measured':>8} | result")
        out(f"{'-' * width}-+-{'-' * 8}-+-------")
        for name, measured, ok in self.targets:
            out(f"{name:<{width}} | {measured:>8} | {'pass' if ok else 'FAIL'}")
        failed = sum(not ok for _, _, ok in self.targets)
        out(f"\n{len(self.targets) - failed} pass, {failed} FAIL")


# -- helpers ---------------------------------------------------------------------------


def section(title: str) -> None:
    out()
    out(f"## {title}")
    out(f"(load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.2f} s"


def count_rows(output: bytes, table: bool) -> int:
    """JSON: items of a list, 1 for an object; table: the "N events" of its footer, else its lines."""
    if not table:
        value = json.loads(output)
        return len(value) if isinstance(value, list) else 1
    text = output.decode("utf-8", "replace")
    found = re.findall(r"\b(\d+) events?\b", text[-400:])
    return int(found[-1]) if found else len(text.splitlines())


def snapshot(ref: str, script: str, scratch: str) -> str:
    """`git archive REF` unpacked in scratch, and a copy of the console script that imports it first."""
    snap = os.path.join(scratch, "snapshot")
    os.makedirs(snap)
    tar = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", snap], input=tar, check=True)
    with open(script, encoding="utf-8") as f:
        text = f.read()
    at = text.index("from korasean_cli")
    path = os.path.join(snap, "korasean")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{text[:at]}sys.path.insert(0, {os.path.join(snap, 'src')!r})\n{text[at:]}")
    os.chmod(path, 0o755)
    return path


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine(b: Bench) -> None:
    with open("/proc/cpuinfo" if os.path.exists("/proc/cpuinfo") else os.devnull, errors="replace") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    about = subprocess.run([b.python, "-c", ABOUT], env=b.env, capture_output=True, text=True).stdout.strip()
    dirty = len(git("status", "--porcelain", "--", "src").splitlines())
    out("# korasean benchmarks (issue 12 targets)\n")
    out(f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}")
    what = f"the work tree ({dirty} uncommitted file(s) in src/)" if b.ref == "worktree" else "a git archive of it"
    out(f"commit: {git('rev-parse', '--short', 'HEAD' if b.ref == 'worktree' else b.ref)}, {what}")
    out(f"machine: {platform.machine()}, {cpu}, {os.cpu_count()} cores ({usable} usable), {platform.platform()}")
    out(f"python: {b.python} = {about}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15, help="runs per warm figure (default 15)")
    ap.add_argument("--cold-runs", type=int, default=3, help="runs per cold figure (default 3)")
    ap.add_argument("--size", type=int, default=50000, help="records of the generated dataset (default 50000)")
    ap.add_argument("--skip-scale", action="store_true", help="shipped data only")
    ap.add_argument("--ref", default="HEAD", help="commit to measure (a snapshot), or 'worktree' (default HEAD)")
    ap.add_argument("--korasean", default=os.path.join(ROOT, ".venv", "bin", "korasean"), help="the CLI to measure")
    args = ap.parse_args()
    b = Bench(args)
    try:
        machine(b)
        shipped = b.shipped()
        if not args.skip_scale:
            template = os.path.join(b.root, "data", "relations.yaml")
            argv = [b.python, os.path.join(HERE, "generate.py"), str(args.size), "--template", template]
            gen = subprocess.run(argv, capture_output=True, text=True)
            if gen.returncode != 0:
                out(f"bench: generate.py failed:\n{gen.stderr[-2000:]}")
                return 1
            out()
            out(gen.stdout.strip())
            data = os.path.join(HERE, "generated", f"n{args.size}", "relations.yaml")
            tag = f"{args.size // 1000}k" if args.size % 1000 == 0 else str(args.size)
            b.scale(data, tag, shipped)
            b.cold(data, tag, args.cold_runs)
        b.summary()
    finally:
        shutil.rmtree(b.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
