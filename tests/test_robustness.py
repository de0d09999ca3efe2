"""Issue 6: never a traceback, never a wrong answer.

Bad arguments, broken datasets and hostile environments must each end with the
documented exit code (0 ok, 1 not found, 2 usage, 3 dataset problem, 130 interrupted),
one clear message on stderr, no traceback, and nothing half-written on stdout.

Most cases run in-process through ``main()`` (the real error boundary, fast); those that
need a real process (closed pipes, signals, concurrent cache builds, closed streams)
run ``python -m korasean_cli``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "relations.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good.yaml"
ESC = "\x1b"


# -- helpers ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _warm(module_cache: None) -> None:
    """One cache for this module's runs of the shipped dataset (see conftest.module_cache)."""


class Proc:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, memory_limit: int | None = None, **kw: Any
) -> Proc:
    """Run ``python -m korasean_cli`` in a real process (the timeout is a guard against a hang, not a
    measure of speed); memory_limit caps its address space in bytes."""

    def limit() -> None:
        import resource

        assert memory_limit is not None
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    p = subprocess.run(
        [sys.executable, "-m", "korasean_cli", *args],
        capture_output=True,
        env=env if env is not None else dict(os.environ),
        timeout=timeout,
        preexec_fn=limit if memory_limit is not None else None,
        **kw,
    )
    return Proc(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


def peak_memory(call: Any) -> tuple[Any, int]:
    """call()'s result and the most memory Python had allocated while it ran, in bytes."""
    import tracemalloc

    tracemalloc.start()
    try:
        return call(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# the temporary files korasean writes before renaming them into place (core/files.py): the cache's
# '.korasean-<hash>.sqlite3.<random>.tmp', an export's '.<name>.<random>.tmp', and SQLite's journals beside them
_TEMP = re.compile(r"\..+\.[^.]+\.tmp(-journal|-wal|-shm)?")


def leftover_temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if _TEMP.fullmatch(p.name))


def no_traceback(res: Any) -> None:
    for stream in (res.out, res.err):
        assert "Traceback" not in stream, stream
        assert "internal error" not in stream, stream


def failed_cleanly(res: Any, code: int, *needles: str, max_lines: int = 8) -> None:
    """Exit code as documented, nothing on stdout, one pointed message on stderr."""
    assert res.code == code, (res.code, res.out[:500], res.err[:2000])
    no_traceback(res)
    assert res.out == "", res.out[:500]
    lines = res.err.splitlines()
    assert lines, "an error must say something"
    assert lines[0].startswith(("korasean: error: ", "Usage: ")), res.err
    assert len(lines) <= max_lines, res.err
    assert ESC not in res.err
    for needle in needles:
        assert needle in res.err, (needle, res.err)


def succeeded_cleanly(res: Any) -> None:
    assert res.code == 0, (res.code, res.err[:2000])
    no_traceback(res)
    assert res.err == "", res.err
    assert ESC not in res.out


# -- arguments -------------------------------------------------------------------------

BAD_ARGS = [
    (["timeline", "--from", "abc"], 2, ["cannot read the date 'abc'"]),
    (["timeline", "--from", "99999"], 2, ["cannot read the date '99999'"]),
    (["timeline", "--from", "0000"], 2, ["year out of range"]),
    (["timeline", "--to", "2019-13"], 2, ["month out of range"]),
    (["timeline", "--from", "31 Feb 2020"], 2, ["day out of range"]),
    (["timeline", "--from", ""], 2, ["cannot read the date ''"]),
    (["timeline", "--from", "2024", "--to", "1990"], 2, ["--from is after --to"]),
    (["timeline", "--limit", "-1"], 2, ["--limit must be 1 or more"]),
    (["facts", "--limit", "-1"], 2, ["--limit must be 1 or more"]),
    (["search", "korea", "--limit", "0"], 2, ["--limit must be 1 or more"]),
    (["search", "korea", "--limit", "-1"], 2, ["--limit must be 1 or more"]),
    (["cite", "AKCF", "--limit", "0"], 2, ["--limit must be 1 or more"]),
    (["cite", "AKCF", "--limit", "-3"], 2, ["--limit must be 1 or more"]),
    (["cite", "AKCF", "--context", "-1"], 2, ["--context must be 0 or more"]),
    (["show", "fund-akcf", "-C", "-1"], 2, ["--context must be 0 or more"]),
    (
        ["timeline", "--category", "nope"],
        2,
        ["unknown category 'nope'", "valid categories:", "summit", "relations", "agreement"],
    ),
    (["timeline", "--category", ""], 2, ["unknown category ''"]),
    (["timeline", "--source", "nope"], 2, ["unknown source 'nope'", "asean-overview"]),
    (["facts", "--kind", "nope"], 2, ["unknown kind 'nope'", "event", "term"]),
    (["facts", "--source", "nope"], 2, ["unknown source 'nope'"]),
    (["search", "korea", "--kind", "nope"], 2, ["unknown kind 'nope'"]),
    (["trade", "--metric", "nope"], 2, ["unknown metric 'nope'", "trade-growth"]),
    (["trade", "--year", "abc"], 2, ["'abc' is not a valid int"]),
    (["timeline", "--format", "bogus"], 2, ["unknown --format 'bogus'", "json"]),
    (["timeline", "--nosuch"], 2, ["No such option"]),
    (["nosuchcommand"], 2, ["No such command"]),
    (["show"], 2, ["Missing argument"]),
    (["cite", ""], 2, ["the query is empty"]),
    (["cite", "   "], 2, ["the query is empty"]),
    (["search", ""], 2, ["the query is empty"]),
    (["glossary", ""], 2, ["empty"]),
    (["glossary", "  "], 2, ["empty"]),
    (["fund", "AKFC"], 1, ["no fund called 'AKFC'", "did you mean:", "AKCF"]),
    (["fund", "nothing-like-it"], 1, ["no fund called 'nothing-like-it'", "AKCF", "AKEC"]),
    (["show", "ev-1989-11-sectoral-dialogu"], 1, ["no record", "did you mean:", "ev-1989-11-sectoral-dialogue"]),
    (["show", ""], 2, ["the record id is empty"]),
    (["show", "  "], 2, ["the record id is empty"]),
    (["fund", ""], 2, ["the fund name is empty"]),
    (["fund", " "], 2, ["the fund name is empty"]),
    (["sources", "asean-overveiw"], 1, ["no source 'asean-overveiw'", "asean-overview"]),
    (["glossary", "zzzz-nothing"], 1, ["no glossary entry for 'zzzz-nothing'"]),
    (["search", "zzzzqqqxxx"], 1, ["nothing matches 'zzzzqqqxxx'"]),
    (["cite", "zzzzqqqxxx"], 1, ["no fact matches 'zzzzqqqxxx'", "none of its words is in the sources"]),
    # a query too misspelt to match says which words of the sources are closest, and what they find
    (
        ["cite", "cooporashun finanshal"],
        1,
        ["closest words in the sources: cooperation", "financial", "ev-2022-04-13-fcc"],
    ),
    (["search", "cooporashun finanshal"], 1, ["nothing matches", "financial", "did you mean:"]),
]


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize(("args", "code", "needles"), BAD_ARGS, ids=[" ".join(a)[:40] for a, _, _ in BAD_ARGS])
def test_bad_arguments_get_one_message_and_the_documented_exit_code(run, args, code, needles) -> None:
    failed_cleanly(run(*args), code, *needles)


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize("command", ["timeline", "facts"])
@pytest.mark.parametrize("fmt", ["json", "plain", "table"])
def test_limit_zero_is_refused_not_read_as_none_or_as_all(run, command, fmt) -> None:
    # a user who types --limit 0 may mean "no limit" (many tools) or "none" (head -n 0): say so
    failed_cleanly(run(command, "--limit", "0", "--format", fmt), 2, "--limit must be 1 or more", "leave it out")
    assert len(run(command, "--limit", "1", "--format", "json").json()) == 1


@pytest.mark.usefixtures("shipped_once")
def test_glossary_with_a_blank_term_is_refused_not_a_partial_list(run) -> None:
    # regression: '' matched every term without an expansion, a silent wrong answer
    failed_cleanly(run("glossary", "", "--json"), 2, "empty")
    whole = run("glossary", "--json").json()
    assert len(whole) == len({t["id"] for t in whole}) > 100
    # regression: a term's own `kind: acronym` overwrote the record kind in JSON
    assert {t["kind"] for t in whole} == {"term"}
    assert {t["term_kind"] for t in whole} >= {"acronym", "programme"}


BIG = "korea " * 17_000  # ~100 KB
BIG_JUNK = "x" * 100_000


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize(
    "args",
    [
        ["search", BIG],
        ["search", BIG_JUNK],
        ["cite", BIG],
        ["cite", BIG_JUNK],
        ["fund", BIG_JUNK],
        ["show", BIG_JUNK],
        ["glossary", BIG_JUNK],
        ["sources", BIG_JUNK],
        ["timeline", "--grep", BIG_JUNK],
        ["timeline", "--category", BIG_JUNK],
        ["timeline", "--source", BIG_JUNK],
        ["timeline", "--from", BIG_JUNK],
        ["facts", "--kind", BIG_JUNK],
        ["facts", "--source", BIG_JUNK],
        ["trade", "--metric", BIG_JUNK],
        ["search", "korea", "--kind", BIG_JUNK],
    ],
    ids=lambda a: " ".join(x[:12] for x in a),
)
def test_a_100kb_argument_is_handled_in_bounded_memory_and_never_echoed_whole(run, args) -> None:
    run(*("korea" if a in (BIG, BIG_JUNK) else a for a in args))  # the dataset and its index loaded first
    res, peak = peak_memory(lambda: run(*args))
    # a 100 KB argument may be copied a few times, never turned into a table of its pairs of words
    assert peak < 16 * 1024 * 1024, f"{peak:,} bytes allocated at the peak"
    no_traceback(res)
    assert res.code in (0, 1, 2), res.err[:300]
    assert len(res.err) < 2_000, f"the message echoes the whole argument ({len(res.err):,} characters)"
    assert len(res.out) < 50_000
    if res.code:
        failed_cleanly(res, res.code)
    if args[:2] == ["timeline", "--category"]:
        assert "valid categories: relations, asean-rok-summit" in res.err  # the useful tail survives the cut


SCRIPTS = [
    "한국 아세안 관계",
    "ความสัมพันธ์อาเซียน",
    "🇰🇷🤝🌏",
    "Hàn Quốc",
    "كوريا",
    "\u202egnirts desrever",
    "korea\u00a0fund",
]


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize("query", SCRIPTS)
@pytest.mark.parametrize("command", ["search", "cite", "fund", "glossary", "show", "sources"])
def test_queries_in_other_scripts_answer_or_say_nothing_matches(run, command, query) -> None:
    res = run(command, query)
    no_traceback(res)
    assert res.code in (0, 1), res.err
    if res.code == 1:
        failed_cleanly(res, 1)
        word = query.split()[0]
        # echoed intact, or escaped when it is not printable (a right-to-left override)
        assert (word if word.isprintable() else word.encode("unicode_escape").decode()) in res.err
    else:
        # at most the weak-match note that cite adds when few of the words were found
        assert res.err == "" or (command == "cite" and res.err.startswith("korasean: note: weak match"))


@pytest.mark.usefixtures("shipped_once")
def test_korean_grep_on_the_timeline_is_an_empty_answer_not_an_error(run) -> None:
    res = run("timeline", "--grep", "한국", "--json")
    assert res.code == 0 and res.json() == []


HOSTILE = [
    "\x1b[31m korea \x1b[0m",
    "\x1b]0;pwned\x07 korea",
    "[bold red]korea[/]",
    "[/] fund",
    "[link=http://evil.example]korea[/link]",
    "korea\r\x08\x08\x08\x08\x08fund",
    ":smile: korea",
]


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("fmt", ["table", "plain", "md", "json"])
def test_escapes_and_markup_in_queries_are_printed_literally_never_interpreted(run, query, fmt) -> None:
    res = run("search", query, "--format", fmt, "--limit", "3")
    no_traceback(res)
    assert res.code in (0, 1)
    assert ESC not in res.out and ESC not in res.err
    assert "\x07" not in res.out + res.err and "\r" not in res.out + res.err
    if res.code == 0 and fmt == "table" and query.startswith("["):
        # the title repeats the query as typed: Rich markup must show, not style
        assert query[:8] in res.out
    if res.code == 0 and fmt == "json":
        json.loads(res.out)


@pytest.mark.usefixtures("shipped_once")
@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("command", ["cite", "show", "glossary", "fund", "sources"])
def test_escapes_and_markup_in_messages_are_made_visible(run, command, query) -> None:
    res = run(command, query, "--format", "table")
    no_traceback(res)
    assert ESC not in res.out + res.err and "\x07" not in res.out + res.err
    if res.code == 1 and query.startswith("["):
        assert query[:6] in res.err  # markup is shown as typed


def test_markup_and_escapes_inside_the_dataset_are_shown_literally(tmp_path: Path, run) -> None:
    # Rich markup is text; escape sequences are refused by the validator (issue 16), with the line
    data = copy_fixture(tmp_path, "good.yaml")
    text = data.read_text(encoding="utf-8")
    data.write_text(
        text.replace("title: ASEAN and the ROK meet in Busan", 'title: "[bold red]Busan[/] :smile:"'), "utf-8"
    )
    for fmt in ("table", "plain", "csv", "md"):
        res = run("timeline", "--data", str(data), "--format", fmt)
        succeeded_cleanly(res)
        assert "[bold red]Busan[/]" in res.out.replace("\\", "")
    shown = run("show", "ev-2019-11-25-busan", "--data", str(data), "--format", "table")
    succeeded_cleanly(shown)
    assert "[bold red]Busan[/] :smile:" in shown.out
    assert run("timeline", "--data", str(data), "--json").json()[-1]["title"] == "[bold red]Busan[/] :smile:"
    data.write_text(
        text.replace("title: ASEAN and the ROK meet in Busan", 'title: "\\e[31mred\\e[0m \\e]0;x\\a"'), "utf-8"
    )
    res = run("timeline", "--data", str(data), "--format", "plain")
    failed_cleanly(res, 3, "U+001B", "control or invisible character")
    assert "\x07" not in res.err


# -- datasets ----------------------------------------------------------------------------


def copy_fixture(tmp_path: Path, name: str) -> Path:
    """A fixture and the tiny seed folder next to it, in tmp_path."""
    shutil.copytree(FIXTURES / "seeds", tmp_path / "seeds", dirs_exist_ok=True)
    shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path / name


BROKEN = {
    "empty.yaml": ["is empty"],
    "binary.yaml": ["binary file, not UTF-8 text"],
    "invalid-utf8.yaml": ["invalid-utf8.yaml:8: dataset is not valid UTF-8"],
    "syntax-error.yaml": ["syntax-error.yaml:13:12: YAML error", "did not find expected"],
    "duplicate-key.yaml": ["duplicate-key.yaml:20:3:", "duplicate key 'category' (first at line 19)"],
    "not-a-mapping.yaml": ["must be a YAML mapping"],
    "wrong-date-type.yaml": ["field 'date' must be text", "123"],
    "wrong-amount-type.yaml": ["field 'amount' must be number", "'lots'"],
    "impossible-date.yaml": ["day out of range", "2019-02-30"],
    "infinite-amount.yaml": ["amount must be a finite"],
    "huge-amount.yaml": ["amount must be a finite"],
    "alt-extra-field.yaml": ["'when'"],
    "newline-id.yaml": ["id must be lowercase letters"],
    "quote-not-in-seed.yaml": ["quote not found in seed 'tiny'", "met in Seoul"],
    "bad-sha256.yaml": ["seed file seeds/tiny.txt has changed", "update sha256"],
    "path-traversal.yaml": ["'../../etc/passwd' must be a relative path inside the dataset's folder"],
    "nul-in-seed-path.yaml": ["NUL"],
    "python-tag.yaml": ["python-tag.yaml:8:10:", "could not determine a constructor", "python/object/apply:os.system"],
    "alias-bomb.yaml": ["anchors and aliases (&, *) are not allowed"],
}


def test_every_fixture_is_listed_and_good_yaml_is_valid(run) -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.yaml")} - {"good.yaml"}
    assert on_disk == set(BROKEN)
    res = run("validate", str(GOOD))
    assert res.code == 0 and res.out.startswith("ok: "), res.err


@pytest.mark.parametrize("name", sorted(BROKEN))
@pytest.mark.parametrize("how", ["--data", "KORASEAN_DATA", "validate", "validate --json"])
def test_a_broken_dataset_is_exit_3_with_a_pointed_message(tmp_path, monkeypatch, run, name, how) -> None:
    path = str(copy_fixture(tmp_path, name))
    needles = BROKEN[name]
    if how == "--data":
        res = run("timeline", "--data", path)
        failed_cleanly(res, 3, *needles)
        assert res.err.startswith("korasean: error: ")
    elif how == "KORASEAN_DATA":
        monkeypatch.setenv("KORASEAN_DATA", path)
        res = run("facts", "--json")
        failed_cleanly(res, 3, *needles)
    elif how == "validate":
        res = run("validate", path)
        assert res.code == 3 and res.out == ""
        no_traceback(res)
        assert re.search(r"^\d+ problems? in ", res.err.splitlines()[-1]), res.err
        for needle in needles:
            assert needle in res.err
    else:
        res = run("validate", path, "--json")
        assert res.code == 3
        no_traceback(res)
        report = res.json()
        assert report["valid"] is False and report["records"] is None
        assert all(any(n in p for p in report["problems"]) for n in needles), report["problems"]
    assert len(res.err) < 20_000 and len(res.out) < 20_000  # a broken file gets a report, not a flood


def test_a_yaml_python_tag_executes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    path = copy_fixture(tmp_path, "python-tag.yaml")
    called: list[tuple[Any, ...]] = []

    def system(*a: Any) -> int:
        called.append(a)
        return 0

    monkeypatch.setattr(os, "system", system)
    failed_cleanly(run("timeline", "--data", str(path)), 3, "python/object/apply")
    assert called == []
    # and in a real process, where os.system would print to the real stdout
    res = cli("validate", str(path))
    assert res.code == 3 and "hacked" not in res.out.replace("echo hacked", "")
    no_traceback(res)


def test_a_billion_laughs_bomb_is_refused_in_bounded_time_and_memory(tmp_path: Path) -> None:
    path = copy_fixture(tmp_path, "alias-bomb.yaml")
    # a bomb expanded would need gigabytes: the process gets 1 GiB of address space, and a timeout as a guard
    res = cli("timeline", "--data", str(path), timeout=120, memory_limit=1024 * 1024 * 1024)
    failed_cleanly(res, 3, "anchors and aliases")


def test_missing_path_and_directory_are_exit_3(tmp_path: Path, run) -> None:
    failed_cleanly(run("timeline", "--data", str(tmp_path / "nope.yaml")), 3, "dataset not found", "nope.yaml")
    failed_cleanly(run("timeline", "--data", str(tmp_path)), 3, "is a directory")
    res = run("validate", str(tmp_path / "nope.yaml"))
    assert res.code == 3 and "dataset not found" in res.err and res.out == ""


def test_a_seed_that_is_missing_binary_or_a_symlink_out_is_reported(tmp_path: Path, run) -> None:
    path = copy_fixture(tmp_path, "good.yaml")
    seed = tmp_path / "seeds" / "tiny.txt"
    seed.unlink()
    failed_cleanly(run("timeline", "--data", str(path)), 3, "'seeds/tiny.txt' not found next to the dataset")
    seed.write_bytes(b"\x00\x01binary")
    failed_cleanly(run("timeline", "--data", str(path)), 3, "seeds/tiny.txt has changed", "binary file")
    seed.unlink()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_bytes((FIXTURES / "seeds" / "tiny.txt").read_bytes())
    seed.symlink_to(outside)
    failed_cleanly(run("timeline", "--data", str(path)), 3, "leads outside the dataset's folder")


def test_deeply_nested_yaml_is_exit_3(tmp_path: Path, run) -> None:
    for name, text in (
        ("flow.yaml", "[" * 50_000 + "]" * 50_000),
        ("block.yaml", "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 3_000))),
        ("mapping.yaml", "{a: " * 20_000 + "1" + "}" * 20_000),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        failed_cleanly(run("timeline", "--data", str(tmp_path / name)), 3, "YAML")


def test_an_edited_seed_is_caught_even_when_the_dataset_was_cached(dataset_copy: Path, run) -> None:
    assert run("timeline", "--data", str(dataset_copy), "--json").code == 0  # cache written
    seed = dataset_copy.parent.parent / "seeds" / "2020-opinion-new-southern-policy.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("ASEAN", "ASEAM", 1), encoding="utf-8")
    res = run("timeline", "--data", str(dataset_copy), "--json")
    failed_cleanly(res, 3, "nsp-opinion-2020", "has changed", "update sha256")
    res = run("validate", str(dataset_copy))
    assert res.code == 3 and "2020-opinion-new-southern-policy.txt has changed" in res.err


def test_a_dataset_edited_after_caching_is_read_again(dataset_copy: Path, run) -> None:
    before = run("show", "ev-1989-11-sectoral-dialogue", "--data", str(dataset_copy), "--json").json()
    text = dataset_copy.read_text(encoding="utf-8")
    dataset_copy.write_text(text.replace(before["title"], before["title"].upper(), 1), encoding="utf-8")
    after = run("show", "ev-1989-11-sectoral-dialogue", "--data", str(dataset_copy), "--json").json()
    assert after["title"] == before["title"].upper()


def test_a_100mb_dataset_is_refused_quickly(tmp_path: Path, run) -> None:
    big = tmp_path / "big.yaml"
    block = ("- id: ev-x\n  title: " + "x" * 1000 + "\n").encode() * 1024
    with open(big, "wb") as f:
        f.write(b"schema_version: 1\nevents:\n")
        for _ in range(100 * 1024 * 1024 // len(block) + 1):
            f.write(block)
    assert big.stat().st_size >= 100 * 1024 * 1024
    res, peak = peak_memory(lambda: run("timeline", "--data", str(big)))
    failed_cleanly(res, 3, "over the 67,108,864-byte limit")
    assert peak < 8 * 1024 * 1024, f"{peak:,} bytes allocated: the file was read before its size was checked"
    res, peak = peak_memory(lambda: run("validate", str(big)))
    assert res.code == 3 and "over the" in res.err
    assert peak < 8 * 1024 * 1024, f"{peak:,} bytes allocated: the file was read before its size was checked"


def test_the_size_limit_comes_from_the_environment_and_is_checked(tmp_path: Path) -> None:
    env = dict(os.environ, KORASEAN_MAX_BYTES="1000", KORASEAN_CACHE_DIR=str(tmp_path / "c"))
    failed_cleanly(cli("timeline", env=env), 3, "over the 1,000-byte limit")
    for junk in ("abc", "1e9", "-5", "0"):
        env["KORASEAN_MAX_BYTES"] = junk
        failed_cleanly(cli("timeline", env=env), 2, "KORASEAN_MAX_BYTES")


# -- environment ----------------------------------------------------------------------


ODD_ENVIRONMENTS = [
    ({"NO_COLOR": "1"}, ["timeline", "--format", "table", "--limit", "5"]),
    ({"TERM": "dumb"}, ["fund", "AKCF", "--format", "table"]),
    ({"COLUMNS": "20"}, ["timeline", "--format", "table", "--limit", "5"]),
    ({"COLUMNS": "20"}, ["fund", "AKCF", "--format", "table"]),
    ({"COLUMNS": "0"}, ["search", "korea fund", "--format", "table", "--limit", "2"]),
    ({"COLUMNS": "abc"}, ["sources", "--format", "table"]),
    ({"LANG": "C", "LC_ALL": "C"}, ["search", "한국 korea", "--format", "table", "--limit", "2"]),
    ({"PYTHONIOENCODING": "latin-1"}, ["timeline", "--format", "table", "--limit", "5"]),
]


def test_odd_terminals_and_locales_still_give_clean_output() -> None:
    pending = list(ODD_ENVIRONMENTS)
    while pending:  # two at a time: each run is mostly start-up
        batch, pending = pending[:2], pending[2:]
        procs = [
            (extra, subprocess.Popen(
                [sys.executable, "-m", "korasean_cli", *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=dict(os.environ, **extra),
            ))
            for extra, args in batch
        ]  # fmt: skip
        for extra, p in procs:
            out, err = p.communicate(timeout=60)
            res = Proc(p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
            succeeded_cleanly(res)
            assert res.out.strip(), extra
            if extra.get("COLUMNS") == "20":
                assert max(len(line) for line in res.out.splitlines()) <= 20, res.out


def test_an_ascii_only_terminal_gets_replacement_characters_not_a_crash() -> None:
    env = dict(os.environ, LANG="C", LC_ALL="C", PYTHONIOENCODING="ascii")
    res = cli("search", "한국", env=env)
    failed_cleanly(res, 1, "nothing matches")
    res = cli("facts", "--json", "--limit", "2", env=env)
    succeeded_cleanly(res)
    assert json.loads(res.out)[0]["id"]


@pytest.mark.parametrize("fmt", ["json", "plain", "table", "csv", "md", "jsonl"])
def test_a_reader_that_goes_away_early_is_not_an_error(fmt: str) -> None:
    # korasean facts --format X | head -1
    p = subprocess.Popen(
        [sys.executable, "-m", "korasean_cli", "facts", "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, COLUMNS="80"),
    )
    assert p.stdout is not None and p.stderr is not None
    first = p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode("utf-8", "replace")
    code = p.wait(timeout=60)
    assert first
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err == ""
    assert code == 0


def test_a_closed_stdout_or_stderr_is_not_a_crash() -> None:
    def run_closed(fd: int, *args: str) -> tuple[int, str]:
        p = subprocess.run(
            [sys.executable, "-m", "korasean_cli", *args],
            stdout=subprocess.PIPE if fd == 2 else None,
            stderr=subprocess.PIPE if fd == 1 else None,
            preexec_fn=lambda: os.close(fd),  # the point of the test
            timeout=60,
        )
        stream = p.stderr if fd == 1 else p.stdout
        return p.returncode, (stream or b"").decode("utf-8", "replace")

    code, err = run_closed(1, "facts", "--json")
    assert code == 0 and "Traceback" not in err, err
    code, err = run_closed(1, "validate")
    assert code == 0 and "Traceback" not in err, err
    code, out = run_closed(2, "timeline", "--from", "abc")
    assert code == 2 and out == ""
    code, out = run_closed(2, "timeline", "--limit", "1")
    assert code == 0 and out.startswith("Nov 1989")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_reported_as_such_not_as_a_bug() -> None:
    with open("/dev/full", "wb") as full:
        p = subprocess.run(
            [sys.executable, "-m", "korasean_cli", "facts", "--json"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    err = p.stderr.decode()
    assert p.returncode == 4
    assert "Traceback" not in err and "bug" not in err
    assert err.startswith("korasean: error: cannot write the output") and "No space left" in err
    assert len(err.splitlines()) == 1


def test_sigint_while_printing_exits_130_without_a_traceback() -> None:
    p = subprocess.Popen(
        [sys.executable, "-m", "korasean_cli", "facts", "--format", "table"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, COLUMNS="80"),
    )
    assert p.stdout is not None
    p.stdout.read(100)  # it is printing, and blocked on the full pipe
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    text = err.decode("utf-8", "replace")
    assert p.returncode == 130, (p.returncode, text)
    assert "Traceback" not in text and "KeyboardInterrupt" not in text


@pytest.mark.parametrize("delay", [0.15, 0.3, 0.6])
def test_sigint_while_starting_up_exits_130_without_a_traceback(delay: float, tmp_path: Path) -> None:
    # a fresh cache folder: the interrupt may land in the import, the YAML parse or the validation
    env = dict(os.environ, KORASEAN_CACHE_DIR=str(tmp_path / "cache"))
    p = subprocess.Popen(
        [sys.executable, "-m", "korasean_cli", "facts", "--format", "table"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    time.sleep(delay)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    text = err.decode("utf-8", "replace")
    assert p.returncode in (130, -signal.SIGINT), (p.returncode, text)
    if "Traceback" in text:
        # on a loaded machine the signal can still land in Python's own start-up (site, runpy),
        # before korasean runs at all; once korasean_cli's code runs, no traceback may get out
        assert "korasean_cli" not in text, text
        assert p.returncode == -signal.SIGINT


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    expected = cli("timeline", "--json", env=dict(os.environ, KORASEAN_NO_CACHE="1"))
    succeeded_cleanly(expected)
    res = cli("timeline", "--json", env=dict(os.environ, KORASEAN_CACHE_DIR=str(blocker / "cache")))
    succeeded_cleanly(res)
    assert res.out == expected.out
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        try:
            res = cli("timeline", "--json", env=dict(os.environ, KORASEAN_CACHE_DIR=str(ro)))
            succeeded_cleanly(res)
            assert res.out == expected.out
        finally:
            ro.chmod(0o700)


def test_a_missing_or_odd_home_is_fine_and_never_caches_into_the_working_folder(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("HOME", "KORASEAN_CACHE_DIR", "XDG_CACHE_HOME")}
    work = tmp_path / "work"
    work.mkdir()
    for extra in (
        {"XDG_CACHE_HOME": str(tmp_path / "xdg")},  # no HOME at all
        {"HOME": str(tmp_path / "no" / "such" / "home")},
        {"HOME": "relative-home"},
        {"HOME": str(tmp_path / "h"), "XDG_CACHE_HOME": "relative/cache"},
    ):
        res = cli("timeline", "--limit", "1", env={**base, **extra}, cwd=str(work))
        succeeded_cleanly(res)
        assert res.out.startswith("Nov 1989")
    assert list(work.iterdir()) == [], "a relative HOME or XDG_CACHE_HOME must not put a cache in the working folder"


def test_two_processes_building_the_cache_at_once_agree(tmp_path: Path) -> None:
    env = dict(os.environ, KORASEAN_CACHE_DIR=str(tmp_path / "cache"))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "korasean_cli", "facts", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    assert all(err == b"" for _, err in results)
    assert len({out for out, _ in results}) == 1
    files = list((tmp_path / "cache").iterdir())
    assert leftover_temp_files(tmp_path / "cache") == []
    assert len([f for f in files if f.name.endswith(".sqlite3")]) == 1
    again = cli("facts", "--json", env=env)
    succeeded_cleanly(again)
    assert again.out.encode() == results[0][0]


def test_the_leftover_check_sees_the_temp_files_korasean_writes(tmp_path: Path, run) -> None:
    from korasean_cli.core.files import write_atomically

    seen: list[list[str]] = []

    def fill(tmp: str) -> None:
        seen.append(leftover_temp_files(tmp_path))  # the temp file exists while it is filled
        Path(tmp).write_text("x", encoding="utf-8")

    write_atomically(str(tmp_path / "korasean-0123456789abcdef.sqlite3"), fill, private=True, special=False)
    write_atomically(str(tmp_path / "timeline.csv"), fill)
    assert [len(names) for names in seen] == [1, 1], seen
    assert seen[0][0].startswith(".korasean-0123456789abcdef.sqlite3.") and seen[0][0].endswith(".tmp")
    assert seen[1][0].startswith(".timeline.csv.") and seen[1][0].endswith(".tmp")
    assert leftover_temp_files(tmp_path) == []  # and both were renamed into place
    # a real export, to a file and then to a folder it cannot replace, leaves none either
    assert run("export", "-f", "csv", "-o", str(tmp_path / "t.csv")).code == 0
    assert run("export", "-f", "sqlite", "-o", str(tmp_path / "t.db")).code == 0
    assert leftover_temp_files(tmp_path) == []


@pytest.mark.usefixtures("shipped_once")
def test_a_bug_is_exit_5_and_says_how_to_report_it(run, monkeypatch: pytest.MonkeyPatch) -> None:
    from korasean_cli.core import query

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(query, "timeline", broken)
    res = run("timeline", "--json")
    assert res.code == 5 and res.out == ""
    assert res.err.startswith("korasean: error: internal error: ZeroDivisionError: division by zero")
    assert "KORASEAN_DEBUG=1" in res.err and "report it" in res.err and "Traceback" not in res.err
    monkeypatch.setenv("KORASEAN_DEBUG", "1")  # and the traceback is there for whoever reports it
    with pytest.raises(ZeroDivisionError):
        run("timeline", "--json")
