"""Say exactly what the sources say: status, what replaced what, categories, disagreements (issue 14),
and the curators' search aids, the thesaurus and the paraphrases, as part of the data (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_robustness import copy_fixture, succeeded_cleanly


def test_the_2023_timeline_shows_the_akcf_amount_current_then(run) -> None:
    rows = run("timeline", "--from", "2023", "--to", "2023", "-c", "fund", "--json").json()
    titles = " | ".join(r["title"] for r in rows)
    assert "USD 16 million" in titles and "USD 14 million" not in titles
    # the earlier amount still shows for the years it held, and says what replaced it
    old = run("timeline", "--from", "2020", "--to", "2020", "-c", "fund", "--json").json()
    doubled = [r for r in old if "USD 14 million" in r["title"]]
    assert doubled and doubled[0]["superseded_by"] == "ev-2022-akcf-contribution-increased"


def test_a_plan_a_proposal_or_a_deadline_is_marked_with_when_it_was_said(run) -> None:
    rows = run("timeline", "--from", "2024-10", "--to", "2025", "--json").json()
    by_id = {r["id"]: r for r in rows}
    ipef = run("show", "ev-2022-05-24-ipef-launch-summit", "--json").json()
    assert ipef["status"] == "planned" and "will attend" in ipef["title"]
    agency = by_id["ev-2025-singapore-victims-agency-set-up"]
    assert agency["status"] == "deadline" and agency["as_of"] == "2024-10"
    plain = run("timeline", "--from", "2025", "--to", "2025").out
    assert "by 2025" in plain and "[deadline, as of Oct 2024]" in plain
    assert all(r["status"] == "done" for r in run("timeline", "--to", "1991", "--json").json())
    only = run("timeline", "--status", "deadline", "--json").json()
    assert only and all(r["status"] == "deadline" for r in only)
    bad = run("timeline", "--status", "maybe")
    assert bad.code == 2 and "valid statuses" in bad.err


def test_categories_mean_one_thing_and_are_listed_in_help(run) -> None:
    summits = run("timeline", "-c", "asean-rok-summit", "--json").json()
    assert summits and all("ASEAN" in r["title"] or "Summit" in r["title"] for r in summits)
    assert not any("Korea-US" in r["title"] or "IPEF" in r["title"] for r in summits)
    others = {r["id"] for r in run("timeline", "-c", "other-summit", "--json").json()}
    assert "ev-2024-05-ai-seoul-summit" in others
    visits = {r["id"] for r in run("timeline", "-c", "visit", "--json").json()}
    assert "ev-2024-10-yoon-in-manila" in visits
    help_text = run("timeline", "--help").out
    assert "asean-rok-summit" in help_text and "a leader's trip" in help_text


def test_conflicts_lists_every_disagreement_side_by_side(run) -> None:
    items = run("conflicts", "--json").json()
    pairs = [{r["id"] for r in item["records"]} for item in items]
    assert {"ev-2007-asean-rok-fta-takes-effect", "ev-2010-01-01-akfta-in-effect"} in pairs
    assert not any("ev-2022-11-kasi-signed" in p for p in pairs)  # a see-also, not a disagreement
    for item in items:
        a, b = item["records"]
        assert b["id"] in a["differs_from"] or a["id"] in b["differs_from"]
        assert a["citations"] and b["citations"]
    plain = run("conflicts").out.splitlines()
    assert len(plain) == len(items)
    assert any("took effect in 2007" in line and "1 January 2010" in line for line in plain)


def test_validate_warns_of_a_hedged_quote_on_a_record_stated_as_done(tmp_path: Path, run) -> None:
    data = copy_fixture(tmp_path, "good.yaml")
    text = data.read_text(encoding="utf-8")
    seed = tmp_path / "seeds" / "tiny.txt"
    seed_text = seed.read_text(encoding="utf-8")
    assert run("validate", str(data)).err == ""
    # a quote that speaks of a plan, on a record that does not say so
    first_quote_line = next(line for line in text.splitlines() if line.strip().startswith("quote:"))
    quote = first_quote_line.split("quote:", 1)[1].strip().strip("'\"")
    assert quote in " ".join(seed_text.split())
    new_seed = seed_text.replace(quote, quote + " It will expand.", 1)
    seed.write_text(new_seed, encoding="utf-8")
    import hashlib

    old_sha = next(line.split(":", 1)[1].strip() for line in text.splitlines() if "sha256:" in line)
    text = text.replace(old_sha, hashlib.sha256(seed.read_bytes()).hexdigest())
    data.write_text(
        text.replace(first_quote_line, first_quote_line.rstrip("'\"") + " It will expand.", 1), encoding="utf-8"
    )
    res = run("validate", str(data))
    assert res.code == 0, res.err
    assert "warning:" in res.err and "'It will'" not in res.err and "will" in res.err
    assert json.loads(run("validate", str(data), "--json").out)["warnings"]


def test_a_broken_thesaurus_is_a_validation_error(tmp_path: Path, run) -> None:
    data = copy_fixture(tmp_path, "good.yaml")
    thesaurus = data.parent / "thesaurus.yaml"
    thesaurus.write_text("synonyms:\n  - [Summit]\n", encoding="utf-8")
    res = run("validate", str(data))
    assert res.code == 3 and "thesaurus.yaml" in res.err and "lower case" in res.err and "two different" in res.err


def test_the_thesaurus_is_part_of_the_store_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> None:
    data = copy_fixture(tmp_path, "good.yaml")
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(tmp_path / "cache"))
    before = run("search", "zebrafish", "--data", str(data), "--json")
    assert before.code == 1
    thesaurus = data.parent / "thesaurus.yaml"
    thesaurus.write_text("synonyms:\n  - [zebrafish, busan]\n", encoding="utf-8")
    after = run("search", "zebrafish", "--data", str(data), "--json")
    succeeded_cleanly(after)
    assert any("Busan" in r["title"] for r in after.json())


def test_a_broken_paraphrases_file_is_a_validation_error(tmp_path: Path, run) -> None:
    data = copy_fixture(tmp_path, "good.yaml")
    aid = data.parent / "paraphrases.yaml"
    many = ", ".join(f"busan meeting number {n}" for n in range(13))
    aid.write_text(
        "ev-2019-11-25-busan: [Leaders Gather In The Port City]\n"
        "ev-no-such-record: [a meeting]\n"
        "fund-tiny: seven\n"
        f"fig-2022-trade: [{many}]\n"
        f"term-rok: [{'x' * 201}, the rok, the rok]\n",
        encoding="utf-8",
    )
    res = run("validate", str(data))
    assert res.code == 3 and "paraphrases.yaml:1: ev-2019-11-25-busan: write phrases in lower case" in res.err
    assert "paraphrases.yaml:2: ev-no-such-record: no record has this id" in res.err
    assert "paraphrases.yaml:3: fund-tiny: give a list of phrases" in res.err
    assert "fig-2022-trade: 13 phrases; keep at most 12" in res.err
    assert "over 200 characters" in res.err and "a phrase is repeated" in res.err
    # read by the dataset's rules: a key given twice is an error, not a silent overwrite; no aliases
    aid.write_text("ev-2019-11-25-busan: [harbour city]\nev-2019-11-25-busan: [port city]\n", encoding="utf-8")
    res = run("validate", str(data))
    assert res.code == 3 and "duplicate key 'ev-2019-11-25-busan' (first at line 1)" in res.err
    aid.write_text("ev-2019-11-25-busan: &p [harbour city]\nfund-tiny: *p\n", encoding="utf-8")
    res = run("validate", str(data))
    assert res.code == 3 and "anchors and aliases" in res.err
    aid.write_text("# nothing yet\n", encoding="utf-8")
    res = run("validate", str(data))
    assert res.code == 3 and "paraphrases.yaml" in res.err and "empty" in res.err


def test_a_record_with_problems_of_its_own_gets_no_second_error_from_its_paraphrases(tmp_path: Path, run) -> None:
    data = copy_fixture(tmp_path, "good.yaml")
    data.write_text(data.read_text(encoding="utf-8").replace("date: '2019-11-25'", "date: '2019-13-45'"), "utf-8")
    (data.parent / "paraphrases.yaml").write_text("ev-2019-11-25-busan: [harbour city summit]\n", encoding="utf-8")
    res = run("validate", str(data))
    assert res.code == 3 and "2019-13-45" in res.err and "no record has this id" not in res.err


def test_a_paraphrase_never_outweighs_the_records_own_word(tmp_path: Path, run) -> None:
    """Twelve phrases repeating "reached" weigh less than a quote that says it once."""
    data = copy_fixture(tmp_path, "good.yaml")
    phrases = ", ".join(f"what the talks reached in round {n}" for n in range(12))
    (data.parent / "paraphrases.yaml").write_text(f"ev-2019-11-25-busan: [{phrases}]\n", encoding="utf-8")
    hits = run("search", "reached", "--data", str(data), "--json").json()
    assert [h["id"] for h in hits[:2]] == ["fig-2022-trade", "ev-2019-11-25-busan"]


def test_a_paraphrase_does_not_vouch_for_a_claim_the_record_does_not_make(tmp_path: Path, run) -> None:
    """cite finds the record by its paraphrase, but says the record's own words do not say it."""
    data = copy_fixture(tmp_path, "good.yaml")
    (data.parent / "paraphrases.yaml").write_text(
        "ev-2019-11-25-busan: [leaders get-together in the harbour city]\n", encoding="utf-8"
    )
    res = run("cite", "leaders get-together in the harbour city", "--data", str(data), "--json")
    assert res.code == 0 and res.json()[0]["id"] == "ev-2019-11-25-busan"
    assert "weak match" in res.err and "the sources may not say this" in res.err
    # and a script reads how much of the query the record itself says
    assert res.json()[0]["matched"] < 0.5
    own = run("search", "ASEAN and the ROK met in Busan", "--data", str(data), "--json").json()[0]
    assert own["id"] == "ev-2019-11-25-busan" and own["matched"] == 1.0


def test_a_paraphrase_finds_its_record_and_is_part_of_the_store_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run
) -> None:
    data = copy_fixture(tmp_path, "good.yaml")
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(tmp_path / "cache"))
    assert run("search", "harbour city get-together", "--data", str(data), "--json").code == 1
    (data.parent / "paraphrases.yaml").write_text(
        "ev-2019-11-25-busan: [leaders get-together in the harbour city]\n", encoding="utf-8"
    )
    after = run("search", "harbour city get-together", "--data", str(data), "--json")
    succeeded_cleanly(after)
    assert after.json()[0]["id"] == "ev-2019-11-25-busan"
    # searched, never shown: the paraphrase is no fact of the record, in any output
    found = run("search", "get-together", "--data", str(data), "--json")
    assert found.json()[0]["id"] == "ev-2019-11-25-busan"
    shown = [
        found.out,
        run("search", "get-together", "--data", str(data), "--format", "table").out,
        run("cite", "get-together", "--data", str(data)).out,
        run("search", "harbor", "--data", str(data)).err,  # the closest words the sources use
        run("export", "-f", "json", "--kind", "all", "--data", str(data)).out,
    ]
    assert not any("harbour" in text for text in shown)


def test_the_facts_an_independent_reader_found_in_the_seeds_are_quoted(ds) -> None:
    """Completeness: of the 430 facts a helper who never saw the data extracted from the seeds, the
    dataset quotes all but two (a section heading of the Straits Times article, and the overview's own
    title, which its source entry cites)."""
    import sys

    import yaml

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from heldout_quality import overlaps

    files = {s.id: Path(s.file).name for s in ds.sources.values()}
    quotes = [(files.get(c.source), c.quote) for r in ds.records for c in r.citations]
    quotes += [(Path(s.file).name, c.quote) for s in ds.sources.values() for c in s.quotes]
    facts = yaml.safe_load((Path(__file__).parent / "coverage" / "facts.yaml").read_text(encoding="utf-8"))
    missing = [
        f["quote"] for f in facts if not any(name == f["seed"] and overlaps(q, f["quote"]) for name, q in quotes)
    ]
    assert len(facts) >= 400 and len(missing) <= 1, missing


def test_every_thesaurus_group_speaks_of_the_dataset(ds) -> None:
    """Built from the dataset's own vocabulary: each group has a member the records write."""
    import yaml

    from korasean_cli.core.search.rank import index_for
    from korasean_cli.core.search.words import tokens

    idx = index_for(ds)
    raw = yaml.safe_load((Path(__file__).resolve().parent.parent / "data" / "thesaurus.yaml").read_text("utf-8"))
    orphans = [
        group
        for section in ("variants", "synonyms")
        for group in raw[section]
        if not any(all(idx.known(t) for t in tokens(str(x))) and tokens(str(x)) for x in group)
    ]
    assert orphans == []


def test_exports_carry_the_other_kinds_when_asked(run, tmp_path: Path) -> None:
    doc = run("export", "--kind", "all", "-f", "json").json()
    assert len(doc["statements"]) > 50 and len(doc["figures"]) > 20 and doc["funds"] and doc["terms"]
    assert run("export", "-f", "json").json().keys() == {
        "korasean", "json_schema_version", "title", "filters", "count", "events", "sources"
    }  # fmt: skip
    lines = run("export", "-k", "statement", "-k", "figure", "-f", "jsonl").out.splitlines()
    assert {json.loads(line)["kind"] for line in lines} == {"event", "statement", "figure"}
    csv_text = run("export", "-k", "figures", "-f", "csv").out
    assert ",figure,USD 222.8 billion" in csv_text  # kind and value columns
    html = tmp_path / "page.html"
    assert run("export", "-k", "all", "-f", "html", "-o", str(html)).code == 0
    page = html.read_text(encoding="utf-8")
    assert 'id="statements"' in page and 'href="#figures"' in page and "stmt-yoon-key-partner-digital" in page
    assert run("export", "-k", "all", "-f", "ics").code == 2
    assert run("export", "-k", "nonsense").code == 2
