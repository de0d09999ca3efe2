from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from korasean_cli.core.data.serialize import record_dict

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schema" / "record.schema.json").read_text(encoding="utf-8"))


def check_contract(records: list[dict[str, Any]]) -> None:
    for rec in records:
        jsonschema.validate(rec, SCHEMA)


def test_timeline_json_is_the_documented_contract_and_chronological(run, ds) -> None:
    res = run("timeline", "--from", "1989", "--json")
    assert res.code == 0 and res.err.startswith("korasean: note: ") and res.err.count("\n") == 1
    events = res.json()
    check_contract(events)
    assert events[0]["id"] == "ev-1989-11-sectoral-dialogue"
    assert events[0]["date"] == "1989-11" and events[0]["date_display"] == "Nov 1989"
    starts = [ds.get(e["id"]).span[0] for e in events]
    assert starts == sorted(starts)
    # JSON equals the core's answer
    assert events == [record_dict(ds, ds.get(e["id"])) for e in events]


def test_timeline_range_keeps_overlapping_events_only(run) -> None:
    events = run("timeline", "--from", "Nov 2019", "--to", "2019-11", "--json").json()
    ids = {e["id"] for e in events}
    assert "ev-2019-11-commemorative-summit-busan" in ids
    assert "ev-1991-07-full-dialogue-partner" not in ids
    assert all(e["date"] for e in events)


def test_timeline_filters_by_category_source_grep_and_limit(run) -> None:
    summits = run("timeline", "--category", "asean-rok-summit", "--json").json()
    assert summits and all(e["category"] == "asean-rok-summit" for e in summits)
    st = run("timeline", "--source", "straits-times-2024", "--json").json()
    assert st and all(any(c["source"] == "straits-times-2024" for c in e["citations"]) for e in st)
    grep = run("timeline", "--grep", "jeju", "--json").json()
    assert grep and all("jeju" in (e["title"] + json.dumps(e["citations"])).lower() for e in grep)
    assert len(run("timeline", "--limit", "3", "--json").json()) == 3
    rev = run("timeline", "--from", "2020", "--reverse", "--limit", "1", "--json").json()
    assert rev[0]["date"] >= "2024"


def test_plain_output_into_a_pipe_has_no_colour_and_one_line_per_event(run) -> None:
    res = run("timeline", "--from", "1989", "--to", "1991")
    assert res.code == 0
    lines = res.out.splitlines()
    assert lines[0].split("\t")[0] == "Nov 1989"
    assert "\x1b" not in res.out
    assert all(len(line.split("\t")) == 5 for line in lines)


@pytest.mark.parametrize("fmt", ["csv", "md", "jsonl"])
def test_other_formats(run, fmt: str) -> None:
    res = run("timeline", "--to", "1991", "--format", fmt)
    assert res.code == 0
    if fmt == "jsonl":
        assert [json.loads(line)["id"] for line in res.out.splitlines()][0] == "ev-1989-11-sectoral-dialogue"
    elif fmt == "csv":
        assert res.out.splitlines()[0] == "Date,Category,Event,Source,ID"
    else:
        assert res.out.startswith("| Date | Category | Event |")


def test_fund_akcf_tells_its_lineage_and_contributions(run) -> None:
    res = run("fund", "akcf", "--json")
    assert res.code == 0
    f = res.json()
    assert f["id"] == "fund-akcf" and f["date"] == "2019"
    assert {p["acronym"] for p in f["lineage"]["merged_from"]} == {"SCF", "FOCF"}
    amounts = {(c["amount"], c["basis"], c["date"]) for c in f["contributions"]}
    assert (14000000, "doubled-to", "2019/..") in amounts
    assert (16000000, "increased-to", "2022") in amounts
    text = run("fund", "AKCF").out
    assert "SCF (1990) + FOCF (1996) → AKCF (2019)" in text


def test_fund_list_and_typo_suggestion(run) -> None:
    funds = run("fund", "--json").json()
    assert {f.get("acronym") for f in funds} >= {"SCF", "FOCF", "AKCF", "AKEC"}
    akec = next(f for f in funds if f.get("acronym") == "AKEC")
    assert {c["amount"] for c in akec["contributions"]} == {531915, 500000}
    res = run("fund", "AKFC")
    assert res.code == 1 and "did you mean" in res.err and "AKCF" in res.err and res.out == ""


@pytest.mark.parametrize(
    ("name", "fund"),
    [
        ("ASEAN-Korea Cooperation Fund", "fund-akcf"),  # Korea for ROK, as in search
        ("asean korea special cooperation fund", "fund-scf"),
        ("Future Oriented Cooperation Fund", "fund-focf"),  # all of its words are in one fund's name
        ("covid fund", "fund-covid19-asean-response"),
    ],
)
def test_a_fund_is_found_by_the_words_of_its_name(run, name: str, fund: str) -> None:
    assert run("fund", name, "--json").json()["id"] == fund


def test_a_fund_name_that_fits_several_asks_which(run) -> None:
    res = run("fund", "cooperation fund")  # in the names of AKCF, SCF, FOCF and AKEC: not a guess
    assert res.code == 1 and res.out == "" and "did you mean" in res.err


def test_trade_figures_say_whose_figure_and_derive_only_on_request(run) -> None:
    figs = run("trade", "--year", "2022", "--json").json()
    trade = next(f for f in figs if f["id"] == "fig-2022-asean-rok-trade")
    assert trade["value"] == 222800000000 and trade["unit"] == "USD"
    assert trade["according_to"] == "ASEAN statistics"
    assert not any(f.get("kind") == "derived" for f in figs)
    derived = [f for f in run("trade", "--derived", "--json").json() if f.get("kind") == "derived"]
    d2021 = next(d for d in derived if d["metric"] == "trade")
    assert d2021["date"] == "2021" and d2021["derived"] is True
    assert abs(d2021["value"] - 222.8e9 / 1.175) < 1e9


def test_cite_finds_the_fact_with_quote_location_and_citation(run) -> None:
    res = run("cite", "AKEC fund initial contribution", "--json")
    assert res.code == 0
    best = res.json()[0]
    assert best["id"] == "contrib-akec-initial-2008"
    c = best["citations"][0]
    assert "US\\$531,915" in c["quote"] and c["line"] == 33 and c["paragraph"] == "20"
    assert "Overview of ASEAN-Republic of Korea Dialogue Relations" in best["cite_as"][0]
    check_contract(res.json())


def test_cite_shows_sources_that_differ(run) -> None:
    res = run("cite", "ev-2007-asean-rok-fta-takes-effect", "--json")
    best = res.json()[0]
    related = {r["id"]: r["relation"] for r in best["related"]}
    assert related, "the 2007 FTA claim must be linked to the overview's dates"
    assert "differs" in related.values()


def test_cite_with_context_prints_seed_lines(run) -> None:
    res = run("cite", "ev-2012-09-rok-mission-to-asean", "--context", "1", "--format", "plain")
    assert res.code == 0
    assert "The ROK established its Mission to ASEAN in Jakarta in September 2012" in res.out
    assert "   9>" in res.out


def test_cite_without_a_match_exits_1(run) -> None:
    res = run("cite", "zzzz qqqq")
    assert res.code == 1 and res.err.startswith("korasean: error: no fact matches")


def test_search_ranks_and_scores(run) -> None:
    res = run("search", "trade", "--json")
    hits = res.json()
    assert res.code == 0 and len(hits) == 10
    ranked = [h["score"] for h in hits if "follows" not in h]  # (a record placed beside one it differs from)
    assert ranked == sorted(ranked, reverse=True)
    for above, h in zip(hits, hits[1:], strict=False):
        assert "follows" not in h or h["follows"] == above["id"]
    check_contract(hits)


def test_glossary_sources_facts_show(run, ds) -> None:
    akfta = run("glossary", "akfta", "--json").json()
    assert akfta[0]["expansion"] == "ASEAN-ROK Free Trade Agreement"
    sources = run("sources", "--json").json()
    assert len(sources) == 5 and all(len(s["sha256"]) == 64 for s in sources)
    overview = run("sources", "asean-overview", "--json").json()
    assert overview["title"] == "Overview of ASEAN-Republic of Korea Dialogue Relations"
    assert "publisher" in overview["inferred"]
    figures = run("facts", "--kind", "figure", "--json").json()
    assert len(figures) == sum(1 for r in ds.records if r.kind == "figure")
    shown = run("show", "fund-akcf", "--json").json()
    assert shown["id"] == "fund-akcf"
    missing = run("show", "fund-akfc")
    assert missing.code == 1 and "fund-akcf" in missing.err


def test_validate_shipped_and_broken(run, dataset_copy: Path) -> None:
    ok = run("validate")
    assert ok.code == 0 and ok.out.startswith("ok:")
    text = dataset_copy.read_text(encoding="utf-8")
    dataset_copy.write_text(text.replace("initiated sectoral dialogue relations", "began sectoral talks", 1), "utf-8")
    bad = run("validate", str(dataset_copy))
    assert bad.code == 3
    assert "relations.yaml:" in bad.err and "quote not found" in bad.err
    assert run("timeline", "--data", str(dataset_copy)).code == 3


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["timeline", "--from", "abc"], 2),
        (["timeline", "--from", "2024", "--to", "1990"], 2),
        (["timeline", "--category", "parties"], 2),
        (["timeline", "--bogus"], 2),
        (["timeline", "--format", "xml"], 2),
        (["search", ""], 2),
        (["glossary", "NOPE-NOT-A-TERM"], 1),
        (["timeline", "--data", "/nonexistent/x.yaml"], 3),
    ],
)
def test_documented_exit_codes(run, args: list[str], code: int) -> None:
    res = run(*args)
    assert res.code == code
    assert "Traceback" not in res.err and res.err.strip()
    assert res.out == ""


def test_every_command_has_help_with_an_example(run) -> None:
    from typer.main import get_command

    from korasean_cli.cli.app import app

    names = sorted(get_command(app).commands)  # type: ignore[attr-defined]
    assert {"timeline", "fund", "trade", "cite", "search", "glossary", "sources", "facts", "show", "validate"} <= set(
        names
    )
    for name in names:
        res = run(name, "--help")
        assert res.code == 0 and "Example: korasean" in res.out, name


def test_version(run) -> None:
    from korasean_cli import __version__

    res = run("--version")
    assert res.code == 0 and res.out.strip() == f"korasean {__version__}"


def test_table_snapshot_at_80_columns(run, snapshot) -> None:
    res = run("timeline", "--to", "1997", "--format", "table")
    assert res.code == 0
    assert max(len(line) for line in res.out.splitlines()) <= 80
    assert res.out == snapshot


def test_table_wraps_down_to_40_columns(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    res = run("fund", "--format", "table")
    assert res.code == 0
    assert max(len(line) for line in res.out.splitlines()) <= 40
    assert "AKCF" in res.out


def test_cache_is_used_and_survives_corruption(run, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(tmp_path))
    first = run("fund", "AKCF", "--json").out
    (cache,) = list(tmp_path.glob("korasean-*.sqlite3"))
    cache.write_bytes(cache.read_bytes()[:100])
    assert run("fund", "AKCF", "--json").out == first
    assert cache.stat().st_size > 1000  # rebuilt
