"""Issue 16: hostile data, hostile files, hostile terminals.

Each test reproduces one finding of the attack (it failed before the fix) and checks what a
user sees now. Work is bounded by counts and sizes, or by generous timeouts on subprocesses,
never by a stopwatch.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ESC = "\x1b"


@pytest.fixture(autouse=True)
def _warm(module_cache: None) -> None:
    """One cache for this module's runs of the shipped dataset (see conftest.module_cache)."""


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, **kw: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "korasean_cli", *args],
        capture_output=True,
        text=True,
        errors="replace",
        env=env if env is not None else dict(os.environ),
        timeout=timeout,
        **kw,
    )


def tiny(tmp_path: Path, *edits: tuple[str, str], append: str = "", name: str = "good.yaml") -> Path:
    """The tiny valid fixture dataset (and its seed) in tmp_path, with text replaced or appended."""
    shutil.copytree(FIXTURES / "seeds", tmp_path / "seeds", dirs_exist_ok=True)
    text = (FIXTURES / "good.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text + append, encoding="utf-8")
    return path


def seed_dataset(tmp_path: Path, seed_text: str, records: str, sources: int = 1, numbered: bool = False) -> Path:
    """A dataset of `sources` sources on one seed file holding seed_text, then records (YAML)."""
    import hashlib

    (tmp_path / "seeds").mkdir(exist_ok=True)
    seed = tmp_path / "seeds" / "s.txt"
    seed.write_text(seed_text, encoding="utf-8")
    digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    lines = ["schema_version: 1", "sources:"]
    for i in range(sources):
        lines += [
            f"- id: s{i}",
            "  file: seeds/s.txt",
            f"  sha256: {digest}",
            "  kind: report",
            f"  title: Source {i}",
            f"  numbered_paragraphs: {'true' if numbered else 'false'}",
        ]
    path = tmp_path / "d.yaml"
    path.write_text("\n".join(lines) + "\n" + records, encoding="utf-8")
    return path


def event(rid: str, quote: str, source: str = "s0", extra: str = "") -> str:
    return (
        f"- id: {rid}\n  date: '2019'\n  title: An event\n  category: meeting\n{extra}"
        f"  citations:\n  - source: {source}\n    quote: {json.dumps(quote)}\n"
    )


def strict_json(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


# -- files korasean writes (done on main before this branch: verified here) ----------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_export_writes_into_a_fifo_and_a_link_to_a_device_instead_of_replacing_them(tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    p = subprocess.Popen(
        [sys.executable, "-m", "korasean_cli", "export", "-f", "json", "--to", "1991", "-o", str(fifo)],
        stderr=subprocess.PIPE,
    )
    with open(fifo, encoding="utf-8") as reader:
        got = json.load(reader)
    assert p.wait(timeout=120) == 0 and got["count"] > 0
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not a regular file
    link = tmp_path / "null.json"
    link.symlink_to(os.devnull)
    res = cli("export", "-f", "json", "-o", str(link))
    assert res.returncode == 0, res.stderr
    assert os.path.islink(link) and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    # /dev/stdout (a pipe here) is written into; no temporary file is made in /dev
    res = cli("export", "-f", "jsonl", "--to", "1990", "-o", "/dev/stdout")
    assert res.returncode == 0 and strict_json(res.stdout.splitlines()[0])["id"].startswith("ev-")


def test_export_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, run: Any) -> None:
    out = tmp_path / "private.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    assert run("export", "-f", "csv", "-o", str(out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text(encoding="utf-8").startswith("id,")


def test_export_errors_name_the_users_path_not_a_temporary_file(run: Any) -> None:
    res = run("export", "-f", "json", "-o", "/proc/self/korasean-out.json")  # no file can be made there
    assert res.code == 4 and "/proc/self/korasean-out.json" in res.err and ".tmp" not in res.err, res.err


def test_sigterm_while_writing_removes_the_temporary_file_and_the_journal(tmp_path: Path) -> None:
    # a writer that holds an open SQLite transaction on its temporary file, then waits to be killed
    script = f"""
import sqlite3, sys, time
from korasean_cli.cli.boundary import guarded
from korasean_cli.core.files import write_atomically
def fill(tmp):
    con = sqlite3.connect(tmp)
    con.execute("CREATE TABLE t (x)")
    con.execute("BEGIN")
    con.execute("INSERT INTO t VALUES (1)")
    print("writing", flush=True)
    time.sleep(60)
sys.exit(guarded(lambda: write_atomically({str(tmp_path / "out.db")!r}, fill)))
"""
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline() == "writing\n"
    assert any(n.endswith("-journal") for n in os.listdir(tmp_path))
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=60) == 143
    assert os.listdir(tmp_path) == []


def test_the_sqlite_export_never_overwrites_a_metadata_file_it_did_not_write(tmp_path: Path, run: Any) -> None:
    meta = tmp_path / "k.metadata.json"
    meta.write_text('{"title": "my own notes"}', encoding="utf-8")
    res = run("export", "-f", "sqlite", "-o", str(tmp_path / "k.db"))
    assert res.code == 2 and "was not written by korasean" in res.err
    assert meta.read_text(encoding="utf-8") == '{"title": "my own notes"}'


def test_a_full_disk_during_the_sqlite_export_is_exit_4_not_a_missing_fts5(
    tmp_path: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from korasean_cli.core.store import schema

    def full(conn: sqlite3.Connection) -> None:  # what SQLite's FTS5 says when the disk fills up
        raise sqlite3.OperationalError(
            "fts5: error creating shadow table records_fts_content: database or disk is full"
        )

    monkeypatch.setattr(schema, "add_fts", full)
    res = run("export", "-f", "sqlite", "-o", str(tmp_path / "k.db"))
    assert res.code == 4, res.err
    assert "disk is full" in res.err and "lacks FTS5" not in res.err
    assert os.listdir(tmp_path) == []  # neither the database nor its temporary file


# -- resource bounds on datasets ---------------------------------------------------------------


def _limited(gib: float = 1.0) -> Any:
    def limit() -> None:
        import resource

        size = int(gib * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


@pytest.mark.skipif(sys.platform != "linux", reason="sparse files and RLIMIT_AS")
def test_a_huge_sparse_seed_is_refused_by_its_size_before_it_is_read(tmp_path: Path) -> None:
    path = seed_dataset(tmp_path, "A seed.\n", event("ev-a", "A seed."))
    with open(tmp_path / "seeds" / "s.txt", "r+b") as f:
        f.truncate(4 << 30)  # 4 GiB of nothing, on disk
    res = cli("validate", str(path), preexec_fn=_limited(1.0))
    assert res.returncode == 3, res.stderr
    assert "seeds/s.txt is 4,294,967,296 bytes, over the 67,108,864-byte limit" in res.stderr
    assert "out of memory" not in res.stderr and "Traceback" not in res.stderr


def test_a_seed_named_by_twenty_sources_is_read_and_indexed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from korasean_cli.core.compiler import seeds
    from korasean_cli.core.store.cache import compile_file

    records = "events:\n" + "".join(event(f"ev-{i}", "A seed for twenty sources.", f"s{i}") for i in range(20))
    path = seed_dataset(tmp_path, "A seed for twenty sources.\n", records, sources=20)
    built = []
    real = seeds.SeedText.__init__

    def counting(self: Any, *a: Any, **k: Any) -> None:
        built.append(1)
        real(self, *a, **k)

    monkeypatch.setattr(seeds.SeedText, "__init__", counting)
    ds, problems = compile_file(str(path))
    assert problems == [] and len(ds.records) == 20
    assert len(built) == 1


def test_a_quote_that_occurs_everywhere_is_followed_over_a_bounded_number_of_lines(tmp_path: Path, run: Any) -> None:
    path = seed_dataset(tmp_path, "a a a a\n" * 200_000, "events:\n" + event("ev-a", "a a a"))
    res = run("validate", str(path))
    assert res.code == 3
    assert "quote occurs on lines [1, 2, 3," in res.err and ", ...]" in res.err
    assert len(res.err) < 2_000  # not 200,000 line numbers
    # and the search itself stops: at most MAX_LINES hits are mapped back to their lines
    from korasean_cli.core.compiler.seeds import MAX_LINES, SeedText

    seed = SeedText("a " * 1_000_000)  # one line of a million words
    calls: list[int] = []
    real = seed.line_of

    def counted(o: int) -> int:
        calls.append(o)
        return real(o)

    seed.line_of = counted  # type: ignore[method-assign]
    assert [f.line for f in seed.occurrences("a a a")] == [1]
    assert len(calls) <= MAX_LINES
    assert seed.work < 10 * len(seed.folded)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(["a", "b", " ", "\n", "\t", "ab", "\n\n", "  "]), max_size=60).map("".join),
    quote=st.sampled_from(["a", "a b", "b a", "ab", "a a", "b\nb", "ba b"]),
    step=st.sampled_from([3, 5, 8, 64]),
)
def test_quote_search_in_pieces_agrees_with_the_whole_text(text: str, quote: str, step: int) -> None:
    from korasean_cli.core.compiler import seeds

    old = seeds._STEP
    seeds._STEP = step
    try:
        seed = seeds.SeedText(text)
    finally:
        seeds._STEP = old
    assert seed.folded == seeds.fold(text)
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    starts, pos = [], 0
    for o, w in words:
        starts.append((pos, o))
        pos += len(w) + 1
    expected: dict[int, int] = {}
    i = seed.folded.find(seeds.fold(quote))
    while i >= 0:
        fp, o = max(x for x in starts if x[0] <= i)
        orig = o + i - fp
        expected.setdefault(text.count("\n", 0, orig) + 1, orig)
        i = seed.folded.find(seeds.fold(quote), i + 1)
    got = [(f.line, f.offset) for f in seed.occurrences(quote, most=10_000)]
    assert got == sorted(expected.items())
    lines = text.split("\n")
    for n in range(1, len(lines) + 1):
        assert seed.context(n, 1) == [(k, lines[k - 1]) for k in range(max(1, n - 1), min(len(lines), n + 1) + 1)]


def test_the_list_of_problems_is_capped_with_a_count_of_the_rest(tmp_path: Path, run: Any) -> None:
    fields = "".join(f"  junk{i}: 1\n" for i in range(4_000))
    path = tiny(tmp_path, ("  category: meeting\n", "  category: meeting\n" + fields))
    res = run("validate", str(path))
    assert res.code == 3
    lines = res.err.splitlines()
    assert len(lines) <= 1_002
    assert "... and 3,000 more problems not listed" in res.err
    assert lines[-1] == f"4,000 problems in {path}"
    res = run("timeline", "--data", str(path))
    assert res.code == 3 and "(4,000 problems)" in res.err and "and 3,995 more" in res.err
    as_json = run("validate", str(path), "--json").json()
    assert as_json["problem_count"] == 4_000 and len(as_json["problems"]) == 1_001


def test_a_mapping_with_a_million_keys_is_refused_while_it_is_read(tmp_path: Path, run: Any) -> None:
    fields = "".join(f"  junk{i}: 1\n" for i in range(10_001))
    path = tiny(tmp_path, ("  category: meeting\n", "  category: meeting\n" + fields))
    res = run("validate", str(path))
    assert res.code == 3 and "more than 10,000 keys in one mapping" in res.err


def test_one_huge_field_is_refused_not_indexed(tmp_path: Path, run: Any) -> None:
    path = tiny(tmp_path, ("  category: meeting\n", "  category: meeting\n  note: " + "word " * 40_000 + "\n"))
    res = run("validate", str(path))
    assert res.code == 3 and "field 'note' is 199,999 characters long, over the 10,000-character limit" in res.err
    assert len(res.err) < 2_000


def test_a_hostile_dataset_under_the_size_limit_is_answered_within_a_gigabyte(tmp_path: Path) -> None:
    # 20 sources on a 20 MB seed, a quote found on every line, 500 unknown fields, a 1 MB note
    text = "ASEAN and Korea met again.\n" * 800_000
    records = "events:\n" + "".join(event(f"ev-{i}", "Korea met again", f"s{i % 20}") for i in range(50))
    records += event("ev-big", "ASEAN and Korea", extra="  note: " + "x" * 1_000_000 + "\n")
    records += "".join(f"  junk{i}: 1\n" for i in range(500))
    path = seed_dataset(tmp_path, text, records, sources=20)
    res = cli("validate", str(path), preexec_fn=_limited(1.0), timeout=300)
    assert res.returncode == 3, res.stderr[-2000:]
    assert "Traceback" not in res.stderr and "out of memory" not in res.stderr
    assert "over the 10,000-character limit" in res.stderr and "occurs on lines" in res.stderr


# -- terminals and other readers ---------------------------------------------------------------

INVISIBLE = ["\u009b", "\u202e", "\u200b", "\ufeff", "\u2066", "\u00ad", "\x1b", "\ud800"]


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_control_bidi_and_invisible_characters_are_refused_by_validate(tmp_path: Path, run: Any, ch: str) -> None:
    escaped = json.dumps(f"DSU {ch}0001")  # YAML reads JSON's \\u escapes
    path = tiny(tmp_path, ("title: ASEAN and the ROK meet in Busan", f"title: {escaped}"))
    res = run("validate", str(path))
    assert res.code == 3
    assert ch not in res.err and ch not in res.out
    if ch == "\ud800":  # a lone surrogate: YAML itself refuses it
        assert "YAML error" in res.err
        return
    assert f"U+{ord(ch):04X}" in res.err and "control or invisible character" in res.err


def test_line_breaks_are_refused_outside_prose(tmp_path: Path, run: Any) -> None:
    path = tiny(tmp_path, ("title: ASEAN and the ROK meet in Busan", 'title: "two\\nlines"'))
    res = run("validate", str(path))
    assert res.code == 3 and "holds a line break or tab" in res.err


def _unvalidated(title: str, note: str | None = None) -> Any:
    """A dataset built without the validator: what every view must still print safely."""
    from korasean_cli.core.data.dates import span_of
    from korasean_cli.core.data.model import Citation, Record, Source
    from korasean_cli.core.store.build import in_memory

    src = Source("src", "seeds/src.txt", "0" * 64, "report", "A Report", "An Org", None, "2020", None, (), {}, (), 1)
    r = Record(
        "ev-a", "event", title, "2019-11", span_of("2019-11"), "summit", (Citation("src", "q", 1, None),),
        False, note, (), (), (), {}, 1,
    )  # fmt: skip
    return in_memory({"src": src}, [r], ".")


@pytest.mark.parametrize("ch", ["\u009b", "\u202e", "\u200b"])
@pytest.mark.parametrize("fmt", ["json", "jsonl", "plain", "table", "csv", "md"])
def test_no_view_prints_control_or_bidi_characters_raw(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, ch: str, fmt: str
) -> None:
    from korasean_cli.cli import views

    ds = _unvalidated(f"DSU {ch}0001")
    capsys.readouterr()
    views.event_rows(ds, list(ds.records), fmt, "T")
    views.record_rows(ds, list(ds.records), fmt, "T")
    if fmt != "jsonl":
        views.show_record(ds, ds.records[0], fmt, [])
    out = capsys.readouterr().out
    assert ch not in out, out
    if fmt == "json":
        assert f"\\u{ord(ch):04x}" in out
    elif fmt in ("plain", "table", "csv"):
        assert f"\\u{ord(ch):04x}" in out or f"\\x{ord(ch):02x}" in out


def test_a_note_with_newlines_cannot_forge_a_citation_in_plain_views(tmp_path: Path, run: Any) -> None:
    forged = "A note.\\n  quote     “FORGED QUOTE”\\n    at      seeds/s.txt:1"
    path = tiny(
        tmp_path,
        ("title: ASEAN and the ROK meet in Busan", f'title: ASEAN and the ROK meet in Busan\n  note: "{forged}"'),
        ("acronym: AKTF\n", f'acronym: AKTF\n  note: "{forged}"\n'),
        ("  publisher: Robustness Tests\n", f'  publisher: Robustness Tests\n  note: "{forged}"\n'),
    )
    for args in (
        ["show", "ev-2019-11-25-busan"],
        ["cite", "ev-2019-11-25-busan"],
        ["fund", "AKTF"],
        ["sources", "tiny"],
    ):
        res = run(*args, "--data", str(path), "--format", "plain")
        assert res.code == 0, res.err
        assert "FORGED QUOTE" in res.out
        assert not any(line.lstrip().startswith("quote     “FORGED") for line in res.out.splitlines()), res.out


def test_file_paths_are_printed_escaped(tmp_path: Path, run: Any) -> None:
    folder = tmp_path / "x\x1b]0;pwned\x07\nkorasean: error: forged"
    folder.mkdir()
    path = tiny(folder)
    res = run("validate", str(path))
    assert res.code == 0 and ESC not in res.out and "\x07" not in res.out
    assert len(res.out.splitlines()) == 1 and "x\\x1b]0;pwned\\x07\\nkorasean: error: forged" in res.out
    out = folder / "t\nkorasean: error: forged.json"
    res = run("export", "--data", str(path), "-o", str(out))
    assert res.code == 0 and len(res.err.splitlines()) == 1 and "t\\nkorasean: error: forged.json" in res.err
    res = run("timeline", "--data", str(folder / "nope\nkorasean: error: forged.yaml"))
    assert res.code == 3 and len(res.err.splitlines()) == 2  # the message and its hint
    assert sum(line.startswith("korasean: error:") for line in res.err.splitlines()) == 1
    broken = tiny(folder, ("category: meeting", "category: nope"), name="bad\x1b[31m.yaml")
    res = run("validate", str(broken))
    assert res.code == 3 and ESC not in res.err and "bad\\x1b[31m.yaml:" in res.err


FORMULAS = ['=HYPERLINK(\\"http://evil.example\\",\\"x\\")', "+1+2", "-2+3", "@SUM(A1)", "\\tleading tab"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_are_never_formulas_in_the_export_and_in_format_csv(tmp_path: Path, run: Any, formula: str) -> None:
    path = tiny(tmp_path, ("title: ASEAN and the ROK meet in Busan", f'title: "{formula}"'))
    if "\\t" in formula:  # a tab is refused by validate: the writer is checked on its own
        from korasean_cli.core.export.cells import csv_text

        # a tab starts a formula cell: prefixed; a carriage return is shown as \\r, as in every view
        assert list(csv.reader(io.StringIO(csv_text(["a"], [["\tx"], ["\rx"]]))))[1:] == [["'\tx"], ["\\rx"]]
        return
    title = json.loads(f'"{formula}"')
    exported = list(csv.DictReader(io.StringIO(run("export", "-f", "csv", "--data", str(path)).out)))
    listed = list(csv.DictReader(io.StringIO(run("timeline", "--data", str(path), "-f", "csv").out)))
    assert [r["title"] for r in exported if "Busan" not in r["title"]][-1] == "'" + title
    assert "'" + title in [r["Event"] for r in listed]


def test_timeline_md_escapes_like_the_md_export(tmp_path: Path, run: Any) -> None:
    nasty = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) | *b*"
    path = tiny(tmp_path, ("title: ASEAN and the ROK meet in Busan", f"title: '{nasty}'"))
    table = run("timeline", "--data", str(path), "-f", "md").out
    export = run("export", "-f", "md", "--data", str(path)).out
    from korasean_cli.core.export.cells import md_escape

    assert md_escape(nasty) in table and md_escape(nasty) in export
    assert not re.search(r"(?<!\\)<img", table) and not re.search(r"(?<!\\)\]\(javascript:", table)


def test_totals_that_overflow_are_refused_and_json_is_always_strict(tmp_path: Path, run: Any) -> None:
    second = """- id: contrib-tiny-second
  title: Second contribution
  fund: fund-tiny
  contributor: ROK
  amount: 1.0e+308
  currency: USD
  date: '2010'
  basis: one-off
  citations:
  - source: tiny
    quote: with an initial USD 5 million
figures:
"""
    path = tiny(tmp_path, ("  amount: 5000000\n", "  amount: 1.0e+308\n"), ("figures:\n", second))
    res = run("fund", "AKTF", "--json", "--data", str(path))
    assert res.code == 3 and "at most 1e18" in res.err and res.out == ""
    from korasean_cli.core.data.text import to_json
    from korasean_cli.core.errors import DataError

    with pytest.raises(DataError, match="not finite"):
        to_json({"amount": float("inf")})
    strict_json(run("fund", "AKCF", "--json").out)


# -- exit codes and inputs ---------------------------------------------------------------------


@pytest.mark.parametrize("args", [["show", "fund-akcf"], ["cite", "AKEC fund"], ["fund", "AKCF"]])
def test_a_detail_table_piped_into_head_exits_0(args: list[str]) -> None:
    p = subprocess.Popen(
        [sys.executable, "-m", "korasean_cli", *args, "-f", "table"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, COLUMNS="80"),
    )
    assert p.stdout is not None
    p.stdout.readline()
    p.stdout.close()  # `| head -n1`
    assert p.wait(timeout=120) == 0
    assert p.stderr is not None and b"Traceback" not in p.stderr.read()


@pytest.mark.parametrize("value", ["9" * 5000, "²", "1" * 19])
def test_a_bad_size_limit_is_a_usage_error(tmp_path: Path, value: str) -> None:
    env = dict(os.environ, KORASEAN_MAX_BYTES=value, KORASEAN_CACHE_DIR=str(tmp_path))
    res = cli("timeline", env=env)
    assert res.returncode == 2 and res.stderr.startswith("korasean: error: KORASEAN_MAX_BYTES must be"), res.stderr
    assert len(res.stderr) < 600


def test_an_empty_data_option_is_a_usage_error(run: Any) -> None:
    for args in (["timeline", "--data", ""], ["fund", "--data", " "], ["validate", ""], ["validate", "--data", ""]):
        res = run(*args)
        assert res.code == 2 and "--data is empty" in res.err and res.out == "", args


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_stdin_as_the_dataset_is_refused_clearly_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "d.yaml"
    os.mkfifo(fifo)
    res = cli("timeline", "--data", str(fifo), timeout=60)  # nobody writes to it: it must not hang
    assert res.returncode == 3 and "is not a regular file" in res.stderr
    res = cli("validate", "/dev/stdin", input=(FIXTURES / "good.yaml").read_text(encoding="utf-8"), timeout=60)
    assert res.returncode == 3 and "is not a regular file" in res.stderr and "YAML mapping" not in res.stderr


@pytest.mark.parametrize("fast", ["", "1"])
@pytest.mark.parametrize("year", ["-1", "0", "10000", "9" * 30])
def test_a_trade_year_outside_1_to_9999_is_a_usage_error(tmp_path: Path, fast: str, year: str) -> None:
    env = dict(os.environ, KORASEAN_NO_FAST_PATH=fast)
    res = cli("trade", "--year", year, env=env)
    assert res.returncode == 2 and "year out of range" in res.stderr and res.stdout == "", res.stderr


def test_a_figure_dated_0001_with_derived_values(tmp_path: Path, run: Any) -> None:
    growth = """- id: fig-0001-growth
  title: growth
  metric: trade-growth
  value: 10
  unit: percent
  date: '0001'
  according_to: the tiny seed
  citations:
  - source: tiny
    quote: Trade between them reached USD 200 billion in 2022
terms:
"""
    path = tiny(tmp_path, ("  date: '2022'\n  according_to", "  date: '0001'\n  according_to"), ("terms:\n", growth))
    for year in ("1", "2"):
        res = run("trade", "--derived", "--year", year, "--json", "--data", str(path))
        assert res.code == 0, res.err
    assert [r["id"] for r in run("trade", "--derived", "--year", "1", "--json", "--data", str(path)).json()] == [
        "fig-0001-growth",
        "fig-2022-trade",
    ]


def test_install_completion_for_a_named_shell_installs_that_shell(tmp_path: Path) -> None:
    env = dict(os.environ, HOME=str(tmp_path), SHELL="/bin/bash", KORASEAN_NO_FAST_PATH="1")
    res = cli("--install-completion", "fish", env=env)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / ".config" / "fish" / "completions" / "korasean.fish").is_file()
    assert not (tmp_path / ".bashrc").exists()
    assert cli("--install-completion", "tcsh", env=env).returncode == 2


@pytest.mark.parametrize("fmt", ["JSON", "Json", "PLAIN"])
def test_format_names_are_read_in_any_case(run: Any, fmt: str) -> None:
    assert run("fund", "-f", fmt).out == run("fund", "-f", fmt.lower()).out
    assert run("sources", "asean-overview", "--style", "APA").code == 0


# -- validation gaps ----------------------------------------------------------------------------


def test_a_fund_name_shared_by_two_funds_is_refused(tmp_path: Path, run: Any) -> None:
    second = """- id: fund-other
  name: Another Fund
  aliases: [AKTF]
  citations:
  - source: tiny
    quote: The ASEAN-Korea Tiny Fund was set up in 2009
- id: fund-third
  name: Third Fund
  aliases: [fund-tiny]
  citations:
  - source: tiny
    quote: The ASEAN-Korea Tiny Fund was set up in 2009
contributions:
"""
    path = tiny(tmp_path, ("contributions:\n", second))
    res = run("validate", str(path))
    assert res.code == 3
    assert "its alias 'aktf' is also the acronym of fund 'fund-tiny'" in res.err
    assert "its alias 'fund-tiny' is also the id of fund 'fund-tiny'" in res.err


@pytest.mark.parametrize("field", ["see_also", "differs_from", "merged_from", "merged_into"])
def test_a_record_that_refers_to_itself_is_refused(tmp_path: Path, run: Any, field: str) -> None:
    value = "fund-tiny" if field == "merged_into" else "[fund-tiny]"
    path = tiny(tmp_path, ("  acronym: AKTF\n", f"  acronym: AKTF\n  {field}: {value}\n"))
    res = run("validate", str(path))
    assert res.code == 3 and f"fund 'fund-tiny': {field} refers to the record itself" in res.err


@pytest.mark.parametrize("date", ["١٩٨٩-١١", "１９８９", " 2019", "2019 ", "2019\\n"])
def test_dates_with_other_digits_or_spaces_are_refused(tmp_path: Path, run: Any, date: str) -> None:
    path = tiny(tmp_path, ("date: '2019-11-25'", f'date: "{date}"'))
    res = run("validate", str(path))
    assert res.code == 3 and "not an EDTF date" in res.err


def test_a_one_day_interval_is_refused_and_shown_as_that_day(tmp_path: Path, run: Any) -> None:
    path = tiny(tmp_path, ("date: '2019-11-25'", "date: '2019-11-25/2019-11-25'"))
    res = run("validate", str(path))
    assert res.code == 3 and "starts and ends on the same date: write '2019-11-25'" in res.err
    from korasean_cli.core.data.dates import display

    assert display("2019-11-25/2019-11-25") == "25 Nov 2019"


@pytest.mark.parametrize(("amount", "how"), [("190:20:30", "base-60"), ("0x1F", "hexadecimal"), ("017", "octal")])
def test_amounts_in_base_60_or_hex_are_refused(tmp_path: Path, run: Any, amount: str, how: str) -> None:
    path = tiny(tmp_path, ("  amount: 5000000\n", f"  amount: {amount}\n"))
    res = run("validate", str(path))
    assert res.code == 3 and "field 'amount' must be number" in res.err and how in res.err


def test_an_undated_sources_citation_ends_with_one_period(tmp_path: Path, run: Any) -> None:
    path = tiny(tmp_path, ("  date: '2023'\n", ""))
    got = run("cite", "ev-2019-11-25-busan", "--json", "--data", str(path)).json()
    assert got[0]["cite_as"][0].endswith("Robustness Tests, n.d. Line 3.")
    for style in ("plain", "chicago"):
        out = run("sources", "tiny", "--style", style, "--data", str(path)).out
        assert "n.d.." not in out and "n.d." in out


# -- beyond the list --------------------------------------------------------------------------


def test_more_records_before_sources_than_can_wait_are_refused(tmp_path: Path, run: Any, monkeypatch: Any) -> None:
    from korasean_cli.core.compiler import validate

    monkeypatch.setattr(validate, "MAX_PENDING", 3)
    text = (FIXTURES / "good.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("events:\n")
    sources_part = head.split("sources:\n", 1)[1]
    path = tmp_path / "late.yaml"
    shutil.copytree(FIXTURES / "seeds", tmp_path / "seeds")
    events = "".join(f"- id: ev-{i}\n  title: x\n  category: meeting\n  citations: []\n" for i in range(5))
    path.write_text("schema_version: 1\nevents:\n" + events + "sources:\n" + sources_part, encoding="utf-8")
    res = run("validate", str(path))
    assert res.code == 3 and "records come before 'sources': put 'sources' first" in res.err


def test_a_huge_key_or_id_is_never_repeated_whole_in_a_message(tmp_path: Path, run: Any) -> None:
    path = tiny(tmp_path, ("  category: meeting\n", "  category: meeting\n  " + "k" * 9_000 + ": 1\n"))
    res = run("validate", str(path))
    assert res.code == 3 and len(res.err) < 2_000
    path = tiny(tmp_path, ("id: ev-2019-11-25-busan", "id: EV-" + "X" * 9_000))
    res = run("validate", str(path))
    assert res.code == 3 and len(res.err) < 3_000


def test_a_seed_replaced_by_a_fifo_is_reported_not_waited_on(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (tmp_path / "seeds" / "tiny.txt").unlink()
    os.mkfifo(tmp_path / "seeds" / "tiny.txt")
    res = cli("validate", str(path), timeout=60)
    assert res.returncode == 3 and "is not a regular file" in res.stderr


def test_a_lookup_imports_nothing_heavy() -> None:
    code = (
        "import sys; from korasean_cli.cli.fast import try_fast; try_fast(['fund', 'AKCF', '--json']);"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('typer', 'rich', 'yaml', 'unicodedata', 'csv', 'dateutil', 'hashlib'))))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.stderr.strip() == ""


def test_a_dataset_over_the_record_cap_is_refused_while_it_is_read(
    tmp_path: Path, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dataset of hundreds of thousands of tiny records (60 MB, 422,000 of them took 74 s to
    compile) is refused once it passes the cap, without reading the rest: answered or refused
    in about half a minute, whatever the file. The cap is lowered here to keep the test small."""
    from korasean_cli.core.compiler import validate

    monkeypatch.setattr(validate, "MAX_RECORDS", 2)
    path = tiny(tmp_path, ("", ""))
    res = run("validate", str(path))
    assert res.code == 3 and "more than 2 records" in res.err and "split this one" in res.err
    monkeypatch.setattr(validate, "MAX_RECORDS", 100)
    assert run("validate", str(path)).code == 0
