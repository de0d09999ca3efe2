"""Properties: any arguments and any broken dataset end in a documented exit code without a
traceback, and what the CLI prints is what the dataset and the seeds say.

Hypothesis runs the CLI in-process through ``main()`` (the real error boundary); examples
are kept few (deadline off) so the whole module stays within seconds.
"""

from __future__ import annotations

import calendar
import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from korasean_cli.core.data.dates import MONTHS_SHORT, display, parse_edtf, parse_user_date
from korasean_cli.core.data.model import EVENT_CATEGORIES, KINDS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "relations.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good.yaml"

FAST = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fold(text: str) -> str:
    return " ".join(text.split())


def clean_end(res: Any, allowed: tuple[int, ...] = (0, 1, 2, 3), report_on_stdout: bool = False) -> None:
    """A documented exit code, no traceback; a failure says why on stderr."""
    assert res.code in allowed, (res.code, res.err[:1500])
    for stream in (res.out, res.err):
        assert "Traceback" not in stream and "internal error" not in stream, stream[:1500]
    if res.code != 0 and not report_on_stdout:
        assert res.err.strip(), "a failure must say why"
        assert "\x1b" not in res.err


@pytest.fixture(autouse=True)
def _warm(module_cache: None) -> None:
    """One cache for this module's runs of the shipped dataset (see conftest.module_cache)."""


# -- any arguments ------------------------------------------------------------------------

COMMANDS = ["timeline", "fund", "trade", "cite", "search", "glossary", "sources", "facts", "show", "validate"]
junk = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30
) | st.sampled_from(["", " ", "-", "--", "-1", "0", "99999", "\udcff", "\x1b[31m", "[bold]", "[/]", "한국", "🇰🇷"])
dates = (
    st.sampled_from(
        [
            "1989",
            "1989-11",
            "Nov 1989",
            "25 Nov 2019",
            "2019-11-25",
            "2024",
            "abc",
            "99999",
            "0000",
            "2019-02-30",
            "",
            "2019-13",
            "31 Feb 2020",
            "1989-11~",
            "..",
            "2011/..",
        ]
    )
    | junk
)
numbers = st.integers(-5, 50).map(str) | st.sampled_from(["abc", "", "1e3", "99999999999999999999"])
words = (
    st.sampled_from(
        [
            "AKCF",
            "akec",
            "fund-akcf",
            "korea",
            "trade 2022",
            "asean-overview",
            "ROK",
            "AKFTA",
            "ev-1989-11-sectoral-dialogue",
            "when did korea open its mission",
            "SCF",
        ]
    )
    | junk
)
fixture_paths = st.sampled_from(
    [str(GOOD), str(FIXTURES / "alias-bomb.yaml"), str(FIXTURES / "empty.yaml"), str(FIXTURES / "nope.yaml"),
     str(FIXTURES), str(FIXTURES / "quote-not-in-seed.yaml")]
)  # fmt: skip
OPTIONS = {
    "--from": dates,
    "--to": dates,
    "--limit": numbers,
    "-n": numbers,
    "--category": st.sampled_from(EVENT_CATEGORIES) | junk,
    "--kind": st.sampled_from(KINDS) | junk,
    "--source": st.sampled_from(["asean-overview", "straits-times-2024", "tiny"]) | junk,
    "--grep": words,
    "--format": st.sampled_from(["auto", "table", "plain", "json", "jsonl", "csv", "md"]) | junk,
    "--year": numbers,
    "--metric": st.sampled_from(["trade", "fdi", "ranking"]) | junk,
    "--context": numbers,
    "--data": fixture_paths,
}
FLAGS = ["--json", "--reverse", "--derived", "-r", "--help"]


@st.composite
def argument_lists(draw: st.DrawFn) -> list[str]:
    args = [draw(st.sampled_from(COMMANDS) | junk)]
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            name = draw(st.sampled_from(sorted(OPTIONS)))
            args += [name, draw(OPTIONS[name])]
        elif choice == 1:
            args.append(draw(st.sampled_from(FLAGS)))
        else:
            args.append(draw(words))
    assume(not any(a.startswith(("--install-completion", "--show-completion")) for a in args))
    return args


@pytest.mark.usefixtures("shipped_once")
@FAST
@given(args=argument_lists())
@example(args=["timeline", "--from", "2024", "--to", "1990"])
@example(args=["fund", "AKFC", "--format", "table"])
@example(args=["search", "\udcff korea", "--json"])
@example(args=["cite", "", "--data", str(FIXTURES / "alias-bomb.yaml")])
@example(args=["glossary", " ", "--json"])
def test_any_argument_list_ends_with_a_documented_exit_code_and_no_traceback(run, args: list[str]) -> None:
    res = run(*args)
    clean_end(res, report_on_stdout=args[0] == "validate" and "--json" in args)  # the report is the output
    if res.code == 0 and ("--json" in args or "json" in args) and "--help" not in args:
        if res.out.strip().startswith(("[", "{")):
            json.loads(res.out)


# -- any broken dataset ---------------------------------------------------------------------

GOOD_LINES = GOOD.read_text(encoding="utf-8").splitlines(keepends=True)
VALUE_LINES = [i for i, line in enumerate(GOOD_LINES) if re.match(r"^\s*-?\s*[a-z_0-9]+: ", line)]
yaml_values = st.sampled_from(
    ["123", "-1", "0", ".inf", "-.inf", ".nan", "1.0e+400", "1" + "0" * 30, "true", "null", "~", "''", '""',
     "[]", "{}", "[1, [2, [3]]]", "{a: 1}", "2019-02-30", "2019-11-25", "!!binary aGVsbG8=", "!!set {a, b}",
     '"\\0"', '"\\e[31m"', '"ev-x\\n"', "&a x", "*a", "!!python/name:os.system", "'[bold]'", "lots", "'9999'",
     "'0000'", "'2019/2018'", "'../2010'", "'2011/..'", "'2020-10~'", "'1989-11?'", "seeds/tiny.txt", "USD",
     "'usd'", "fund-tiny", "ev-2009-tiny-fund", "tiny", "| \n  block"]
) | st.text(max_size=12).map(json.dumps)  # fmt: skip


@st.composite
def broken_datasets(draw: st.DrawFn) -> str:
    lines = list(GOOD_LINES)
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.integers(0, 4))
        i = draw(st.sampled_from(VALUE_LINES))
        if how <= 1:  # a new value for a key
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {draw(yaml_values)}\n"
        elif how == 2:  # a line goes
            del lines[i]
            return "".join(lines)
        elif how == 3:  # a line twice
            lines.insert(i, lines[i])
        else:  # a cut anywhere
            text = "".join(lines)
            return text[: draw(st.integers(0, len(text)))]
    return "".join(lines)


@pytest.fixture(scope="module")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    shutil.copytree(FIXTURES / "seeds", folder / "seeds")
    return folder


@settings(FAST, max_examples=35)
@given(text=broken_datasets())
def test_any_broken_dataset_is_exit_3_or_valid_and_then_every_command_works(run, playground: Path, text: str) -> None:
    path = playground / "data.yaml"
    path.write_text(text, encoding="utf-8")
    checked = run("validate", str(path), "--json")
    clean_end(checked, (0, 3), report_on_stdout=True)
    report = json.loads(checked.out)
    assert report["valid"] is (checked.code == 0)
    for args in (["timeline"], ["facts", "--json"], ["search", "fund trade", "--format", "table"]):
        res = run(*args, "--data", str(path))
        if checked.code == 3:
            clean_end(res, (3,))
            assert res.out == ""
        else:
            clean_end(res, (0, 1))
    if checked.code == 0:  # odd but valid: every view of every record still works
        facts = run("facts", "--json", "--data", str(path)).json()
        for rec in facts:
            assert rec["kind"] in KINDS
            clean_end(run("show", rec["id"], "--format", "plain", "--data", str(path)), (0,))
        clean_end(run("cite", "fund", "--limit", "9", "--format", "table", "--data", str(path)), (0, 1))
        for args in (["fund"], ["fund", "AKTF"], ["trade", "--derived"], ["glossary"], ["sources", "tiny"]):
            clean_end(run(*args, "--json", "--data", str(path)), (0, 1))
            clean_end(run(*args, "--format", "plain", "--data", str(path)), (0, 1))
        clean_end(run("fund", "AKTF", "--format", "table", "--data", str(path)), (0, 1))


# -- what is printed is what the dataset and the seeds say ------------------------------------


def seed_text(ds: Any, source_id: str) -> str:
    src = ds.sources[source_id]
    return (DATA.parent.parent / src.file).read_text(encoding="utf-8")


def stands_at(seed: str, quote: str, line: int) -> bool:
    """The folded quote starts on 1-based ``line`` of the seed (an oracle independent of core.compiler.seeds)."""
    lines = seed.split("\n")
    if not 1 <= line <= len(lines):
        return False
    head = fold(lines[line - 1])
    tail = fold(" ".join(lines[line - 1 :]))
    return 0 <= tail.find(fold(quote)) < len(head)


def test_facts_json_round_trips_to_the_dataset_and_every_quote_is_in_its_seed(run, ds) -> None:
    from korasean_cli.core.data.serialize import record_dict

    res = run("facts", "--json")
    assert res.code == 0 and res.err == ""
    printed = json.loads(res.out)
    assert [r["id"] for r in printed] == [r.id for r in ds.records]
    seeds = {sid: seed_text(ds, sid) for sid in ds.sources}
    folded = {sid: fold(t) for sid, t in seeds.items()}
    for rec, r in zip(printed, ds.records, strict=True):
        assert rec == record_dict(ds, r)
        assert rec["kind"] == r.kind and rec["date"] == r.date  # a term's own kind is term_kind
        if r.date:
            assert rec["date_display"] == display(r.date)
        assert len(rec["citations"]) == len(r.citations) >= 1
        for c, rc in zip(rec["citations"], r.citations, strict=True):
            assert (c["source"], c["quote"], c["line"]) == (rc.source, rc.quote, rc.line)
            assert c["file"] == ds.sources[c["source"]].file
            assert fold(c["quote"]) in folded[c["source"]], (r.id, c["quote"])
            assert stands_at(seeds[c["source"]], c["quote"], c["line"]), (r.id, c["quote"], c["line"])
    for s in ds.sources.values():
        for c in s.quotes:
            assert stands_at(seeds[s.id], c.quote, c.line), (s.id, c.quote)


@pytest.mark.usefixtures("shipped_once")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_quote_show_prints_is_verbatim_from_its_seed(run, ds, data: st.DataObject) -> None:
    r = data.draw(st.sampled_from(ds.records))
    fmt = data.draw(st.sampled_from(["plain", "table"]))
    res = run("show", r.id, "--format", fmt)
    assert res.code == 0, res.err
    if fmt == "plain":
        quotes = re.findall(r"^\s+quote\s+“(.*)”$", res.out, flags=re.MULTILINE)
        assert len(quotes) >= len(r.citations)
        for q in quotes:
            assert any(fold(q) in fold(seed_text(ds, sid)) for sid in ds.sources), q
    shown = run("show", r.id, "--json").json()
    assert shown["id"] == r.id and [c["quote"] for c in shown["citations"]] == [c.quote for c in r.citations]


@pytest.mark.usefixtures("shipped_once")
def test_cite_json_quotes_and_locations_match_the_dataset(run, ds) -> None:
    for rid in [r.id for r in ds.records][::25]:
        out = run("cite", rid, "--json").json()
        assert out[0]["id"] == rid
        want = ds.get(rid)
        assert [(c["source"], c["quote"], c["line"]) for c in out[0]["citations"]] == [
            (c.source, c.quote, c.line) for c in want.citations
        ]


def test_the_timeline_is_chronological_stable_and_undated_last(run, ds) -> None:
    events = run("timeline", "--json").json()
    assert len(events) == sum(1 for r in ds.records if r.kind == "event")
    keys = [parse_edtf(e["date"]).sort_key() if e["date"] else None for e in events]
    dated = [(k, e["id"]) for k, e in zip(keys, events, strict=True) if k is not None]
    assert dated == sorted(dated), "by date, then by id when dates are equal"
    assert all(k is not None for k in keys[: len(dated)]), "undated events come last"
    starts = [ds.get(i).span[0] for _, i in dated]
    assert starts == sorted(starts)
    again = run("timeline", "--json").json()
    assert [e["id"] for e in again] == [e["id"] for e in events]
    rev = run("timeline", "--reverse", "--json").json()
    n = len(dated)
    assert [e["id"] for e in rev] == [e["id"] for e in events[:n][::-1]] + [e["id"] for e in events[n:]]


user_dates = st.one_of(
    st.integers(1985, 2026).map(str),
    st.tuples(st.integers(1985, 2026), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.tuples(st.integers(1985, 2026), st.integers(1, 12)).map(lambda t: f"{MONTHS_SHORT[t[1] - 1]} {t[0]}"),
    st.dates(date(1985, 1, 1), date(2026, 12, 31)).map(date.isoformat),
)


@pytest.mark.usefixtures("shipped_once")
@FAST
@given(start=st.none() | user_dates, end=st.none() | user_dates)
def test_timeline_ranges_keep_exactly_the_overlapping_events(run, ds, start: str | None, end: str | None) -> None:
    args = ["timeline", "--json"]
    if start:
        args += ["--from", start]
    if end:
        args += ["--to", end]
    res = run(*args)
    lo = parse_user_date(start) if start else None
    hi = parse_user_date(end, end=True) if end else None
    if lo is not None and hi is not None and lo > hi:
        assert res.code == 2 and "--from is after --to" in res.err
        return
    assert res.code == 0, res.err
    got = [e["id"] for e in res.json()]
    assert got == [r.id for r in ds.records if r.kind == "event" and _overlaps(ds, r, lo, hi)]


def _overlaps(ds: Any, r: Any, lo: int | None, hi: int | None) -> bool:
    """Whether an event belongs in a timeline from lo to hi: its span, where a record another replaced
    ends the day before its successor starts, and the successor of an open-ended one holds on."""
    from korasean_cli.core.data.dates import OPEN_END

    if r.span is None:
        return lo is None and hi is None
    first, last = r.span
    successor = ds.get(r.attrs.get("superseded_by") or "")
    if successor is not None and successor.span:
        last = max(first, min(last, successor.span[0] - 1))
    elif any(p.attrs.get("superseded_by") == r.id and p.span and p.span[1] == OPEN_END for p in ds.of_kind(r.kind)):
        last = OPEN_END
    return (lo is None or last >= lo) and (hi is None or first <= hi)


# -- dates: sort keys and display ---------------------------------------------------------------


@st.composite
def points(draw: st.DrawFn) -> tuple[str, int, int | None, int | None, str]:
    y = draw(st.integers(1000, 2999))
    m = draw(st.none() | st.integers(1, 12))
    d = draw(st.none() | st.integers(1, calendar.monthrange(y, m)[1])) if m else None
    q = draw(st.sampled_from(["", "", "~", "?", "%"]))
    text = f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "") + q
    return text, y, m, d, q


@st.composite
def edtf_dates(draw: st.DrawFn) -> str:
    a = draw(points())
    shape = draw(st.integers(0, 3))
    if shape == 0:
        return a[0]
    if shape == 1:
        return f"{a[0]}/.."
    b = draw(points())
    lo, hi = sorted([a, b], key=lambda p: (p[1], p[2] or 1, p[3] or 1))
    start = date(lo[1], lo[2] or 1, lo[3] or 1)
    end = date(hi[1], hi[2] or 12, hi[3] or calendar.monthrange(hi[1], hi[2] or 12)[1])
    assume(start <= end)
    return f"{lo[0]}/{hi[0]}"


DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


@settings(max_examples=300, deadline=None)
@given(p=points())
def test_a_point_spans_its_precision_and_displays_no_more_than_it_knows(p: tuple[str, int, int | None, int | None, str]) -> None:  # fmt: skip
    text, y, m, d, q = p
    e = parse_edtf(text)
    lo, hi = e.span()
    first = date(y, m or 1, d or 1)
    last = date(y, m or 12, d or calendar.monthrange(y, m or 12)[1])
    assert (lo, hi) == (first.toordinal(), last.toordinal())
    shown = display(text)
    assert str(y) in shown
    assert len(DAY_NUMBER.findall(shown)) == (1 if d else 0), shown  # never invents a day
    assert sum(mon in shown for mon in MONTHS_SHORT) == (1 if m else 0), shown  # nor a month
    if m:
        assert MONTHS_SHORT[m - 1] in shown
    if d:
        assert re.search(rf"(?<!\d){d}(?!\d)", shown)
    assert ("c. " in shown) == (q in ("~", "%")) and shown.endswith("?") == (q in ("?", "%"))


@settings(max_examples=300, deadline=None)
@given(a=edtf_dates(), b=edtf_dates())
def test_sort_keys_agree_with_span_starts(a: str, b: str) -> None:
    """sort_key(a) < sort_key(b) whenever a's span starts earlier: a year-only date is never
    placed as if it were a later day, and ties in start go by precision (year, month, day)."""
    ea, eb = parse_edtf(a), parse_edtf(b)
    (sa, _), (sb, _) = ea.span(), eb.span()
    if sa < sb:
        assert ea.sort_key() < eb.sort_key(), (a, b)
    if ea.sort_key() < eb.sort_key():
        assert sa <= sb, (a, b)


@settings(max_examples=300, deadline=None)
@given(text=edtf_dates())
def test_intervals_span_both_ends_and_display_only_the_days_they_have(text: str) -> None:
    e = parse_edtf(text)
    lo, hi = e.span()
    assert lo <= hi
    ends = [p for p in (e.start, e.end) if p is not None]
    if e.start is not None and e.start == e.end:
        ends = [e.start]  # a one-day interval shows as that day, not "25–25 Nov 2019" (issue 16)
    if e.interval:
        shown = display(text)
        days = sum(1 for p in ends if p.day)
        assert len(DAY_NUMBER.findall(shown)) == days, (text, shown)
        assert all(str(p.year) in shown for p in ends)


@settings(max_examples=100, deadline=None)
@given(dates_=st.lists(edtf_dates(), min_size=2, max_size=12))
def test_sorting_mixed_precisions_is_chronological_and_stable(dates_: list[str]) -> None:
    order = sorted(dates_, key=lambda t: parse_edtf(t).sort_key())
    starts = [parse_edtf(t).span()[0] for t in order]
    assert starts == sorted(starts)
    # the same multiset in any order sorts the same way (a total, stable key)
    assert [parse_edtf(t).sort_key() for t in sorted(reversed(dates_), key=lambda t: parse_edtf(t).sort_key())] == [
        parse_edtf(t).sort_key() for t in order
    ]


@settings(max_examples=200, deadline=None)
@given(p=points())
def test_a_user_date_covers_the_whole_period_it_names(p: tuple[str, int, int | None, int | None, str]) -> None:
    text, y, m, d, q = p
    assume(not q)
    lo, hi = parse_edtf(text).span()
    assert (parse_user_date(text), parse_user_date(text, end=True)) == (lo, hi)
    if m and not d:
        assert (parse_user_date(f"{MONTHS_SHORT[m - 1]} {y}"), parse_user_date(f"{calendar.month_name[m]} {y}", end=True)) == (lo, hi)  # fmt: skip


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES, ascii_only=st.booleans())
def test_the_json_writer_prints_what_json_dumps_prints(value: Any, ascii_only: bool) -> None:
    """--json is pretty-printed by a faster writer of our own: it must print exactly what json.dumps would."""
    import json

    from korasean_cli.core.data.text import _pretty

    assert _pretty(value, ascii_only) == json.dumps(value, ensure_ascii=ascii_only, indent=2, allow_nan=False)
