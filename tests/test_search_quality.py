"""Lookup quality over a question set in users' words (tests/questions.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from search_quality import ranks  # noqa: E402

# Gates on aggregate rates, never on one question's rank: measured on 2026-12-03 and set a little
# below, so a change that costs search quality fails while one unlucky question does not.
TUNING = {"top1": 0.86, "top3": 0.97, "mrr": 0.92}  # tests/questions.yaml: the set rules were tuned on
DEV = {"top1": 0.90, "top3": 0.95, "mrr": 0.93}  # tests/dev/: from the seeds alone; may be tuned on
# tests/heldout/: frozen, never tuned on (measured 92.1 / 97.4% / 0.949 and 94.5 / 97.5% / 0.960)
HELDOUT = {
    "questions.yaml": {"top1": 0.89, "top3": 0.95, "mrr": 0.92},
    "second.yaml": {"top1": 0.92, "top3": 0.95, "mrr": 0.94},
}
KNOWN_MISSES_AT_MOST = 3
ROOT = Path(__file__).resolve().parent.parent


def test_the_tuning_questions_keep_their_rates() -> None:
    results = ranks()
    n = len(results)
    top1 = sum(1 for *_, r in results if r == 1) / n
    top3 = sum(1 for *_, r in results if r is not None and r <= 3) / n
    mrr = sum(1 / r for *_, r in results if r) / n
    assert top1 >= TUNING["top1"] and top3 >= TUNING["top3"] and mrr >= TUNING["mrr"], (
        f"tuning set: top-1 {top1:.1%}, top-3 {top3:.1%}, MRR {mrr:.3f} (gates {TUNING})"
    )
    assert len(ranks(known_misses=True)) <= KNOWN_MISSES_AT_MOST


@pytest.mark.parametrize(
    ("path", "gates", "at_least"),
    [
        (ROOT / "tests" / "dev" / "questions.yaml", DEV, 240),
        *((ROOT / "tests" / "heldout" / name, gates, 180) for name, gates in HELDOUT.items()),
    ],
    ids=["dev", *HELDOUT],
)
def test_the_questions_written_from_the_seeds_keep_their_rates(
    path: Path, gates: dict[str, float], at_least: int
) -> None:
    from heldout_quality import ranks as seed_ranks
    from heldout_quality import rates

    got = rates(seed_ranks(questions=path))
    assert got["n"] >= at_least
    failing = {k: round(got[k], 3) for k, floor in gates.items() if got[k] < floor}
    assert not failing, f"{path.name}: rates fell below their gates {gates}: {failing}"


def test_a_literal_word_outranks_its_synonyms(ds) -> None:
    from korasean_cli.core.query import answer

    def top(q: str, n: int = 1) -> list[str]:
        return [h.record.id for h in answer(ds, q, n)]

    # the word the user typed wins over the concept it shares with other words
    assert all(
        "rohingya" in (ds.get(i).title + " ".join(c.quote for c in ds.get(i).citations)).lower()
        for i in top("rohingya", 3)
    )
    assert top("korean fdi into southeast asia") == ["fig-2022-rok-fdi-to-asean"]
    assert top("ambassador to asean") == ["ev-2012-10-first-resident-ambassador"]
    assert "ev-2004-rok-accedes-tac" in top("when did korea sign the southeast asia peace treaty", 3)


def test_the_issues_paraphrases_find_their_answers(ds) -> None:
    """Issue 13's six questions that avoid the sources' words, gated together: at least five first,
    every one in the top three."""
    from korasean_cli.core.query import answer

    wanted = {
        "dates of the leaders' gathering marking three decades of ties": "ev-2019-11-commemorative-summit-busan",
        "when did meetings between heads of government start": "ev-1997-summit-level",
        "inaugural ministerial on construction and public works": "ev-2018-09-17-1st-infrastructure-ministerial",
        "what did Seoul's leader praise the Southeast Asian bloc for regarding Pyongyang's weapons programmes": (
            "stmt-yoon-asean-one-voice-north-korea"
        ),
        "which new industries does Seoul want to put money into instead of clothing and petrochemicals": (
            "stmt-yoon-clean-energy-investment-diversification"
        ),
        "how much has South Korea invested in ASEAN in total so far": "fig-korea-cumulative-investment-in-asean",
    }
    ranks = {q: [h.record.id for h in answer(ds, q, 3)] for q in wanted}
    assert all(rid in ranks[q] for q, rid in wanted.items()), ranks
    assert sum(ranks[q][0] == rid for q, rid in wanted.items()) >= 5, ranks


def test_what_json_prints_can_be_searched_back(ds) -> None:
    from korasean_cli.core.query import answer

    assert "contrib-akec-initial-2008" in [h.record.id for h in answer(ds, "531915", 2)]
    assert answer(ds, "222800000000", 1)[0].record.id == "fig-2022-asean-rok-trade"
    assert "fig-2022-asean-rok-trade" in [h.record.id for h in answer(ds, "222.8", 2)]
    assert answer(ds, "fig-2022-asean-rok-trade", 1)[0].record.id == "fig-2022-asean-rok-trade"


def test_the_tokeniser_only_normalises_how_words_are_written() -> None:
    from korasean_cli.core.search.words import tokens

    same = [
        ("elevate", "elevated", "elevates"),  # a final -e and -ed meet at one stem
        ("organization", "organisation"),  # -ize is -ise: a rule of spelling
        ("531,915", "531915"),  # a number as the seeds write it and as --json prints it
        ("Korea's", "korea"),
    ]
    for words in same:
        assert len({tuple(tokens(w)) for w in words}) == 1, words
    # meaning is not the tokeniser's business: synonyms stay apart in the index
    for a, b in (("rohingya", "refugee"), ("fdi", "investment"), ("ambassador", "mission"), ("leave", "depart")):
        assert tokens(a) != tokens(b)


def test_the_thesaurus_reads_a_query_as_its_alternatives_at_a_lower_weight(ds) -> None:
    from korasean_cli.core.search.expand import W_SYNONYM, slots
    from korasean_cli.core.search.rank import index_for
    from korasean_cli.core.search.words import tokens

    table = index_for(ds).expansions()
    (slot,) = slots(tokens("heads of government"), table)
    assert slot.readings[0] == (tuple(tokens("heads of government")), 1.0)  # the literal words first
    assert (tuple(tokens("leaders")), W_SYNONYM) in slot.readings
    seoul = slots(tokens("seoul"), table)[0]
    assert any(toks == tuple(tokens("rok")) and w < 1 for toks, w in seoul.readings)


def test_an_alternative_phrase_counts_whole_or_not_at_all(ds) -> None:
    """ "busan" may be read as "korean port city": that reading finds the records holding all three
    words, not every record that says "korean"."""
    from korasean_cli.core.search.rank import _partial, _whole, index_for

    idx = index_for(ds)
    phrase = ("korean", "port", "city")
    whole = _whole(idx, phrase)
    holders = [set(idx.postings(t)[0]) for t in phrase]
    assert whole and set(whole) == set.intersection(*holders)
    assert len(_partial(idx, phrase)) > 10 * max(1, len(whole))  # "korean" alone is in a third of the records


def test_typos_inflections_and_glossary_names_still_find_the_fact(ds) -> None:
    from korasean_cli.core.search.rank import index_for

    idx = index_for(ds)
    assert idx.search("finacial cooperaton centre", 1)[0].record.id == "ev-2022-04-13-fcc-launched"
    assert idx.search("investmnet agreemnt signd", 1)[0].record.id == "ev-2009-06-02-investment-agreement-signed"
    # the glossary's names are alternatives: the byline says "Asia Economy", the question "Asia Business Daily"
    assert idx.search("who wrote the asia business daily article", 1)[0].record.id == "term-ki-min-lee"
    # another ordinal in the headline is not what was asked
    assert idx.search("9th summit", 1)[0].record.id == "ev-2005-12-13-9th-summit"


def test_the_early_stop_is_exact(ds) -> None:
    """The per-record boosts are applied only while a record could still reach the top: the
    first k of a search must be the first k of a search for everything."""
    import yaml

    from korasean_cli.core.search.rank import index_for

    idx = index_for(ds)
    questions = yaml.safe_load((Path(__file__).parent / "questions.yaml").read_text(encoding="utf-8"))
    for item in questions[::3]:
        top = [h.record.id for h in idx.search(item["q"], 3)]
        assert top == [h.record.id for h in idx.search(item["q"], 1000)][:3], item["q"]


def test_where_two_sources_differ_the_answer_shows_both(run) -> None:
    """The overview dates the FTA's entry into force 1 Jan 2010; the Straits Times says 2007."""
    both = {"ev-2010-01-01-akfta-in-effect", "ev-2007-asean-rok-fta-takes-effect"}
    hits = run("search", "When did the ASEAN-Korea Free Trade Agreement enter into force?", "--limit", "2", "--json")
    first, second = hits.json()
    assert second["id"] in first["differs_from"] or first["id"] in second["differs_from"]  # the link, either way
    assert {first["id"], second["id"]} == both
    assert "follows" not in first and second["follows"] == first["id"]  # it says why it is out of score order
    table = run("search", "When did the ASEAN-Korea Free Trade Agreement enter into force?", "--format", "table").out
    assert "* another source differs from the record above" in " ".join(table.split())
    # already next in score order, a contradicting record is not marked as moved
    assert all("follows" not in h for h in run("search", "FTA took effect", "--limit", "4", "--json").json())
    # cite shows the other source under its match (DIFFERS), not as a second match
    cited = run("cite", "When did the ASEAN-Korea FTA take effect?", "--limit", "2", "--json").json()
    differs = {r["id"] for r in cited[0]["related"] if r["relation"] == "differs"}
    assert {cited[0]["id"]} | differs == both and cited[1]["id"] not in both
