"""Lookup quality over a question set in users' words (tests/questions.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from search_quality import ranks  # noqa: E402


def test_every_question_finds_its_fact_in_the_top_three_and_most_first() -> None:
    results = ranks()
    missed = [(q, rid, r) for q, rid, r in results if r is None or r > 3]
    assert missed == []
    top1 = sum(1 for *_, r in results if r == 1) / len(results)
    assert top1 >= 0.65, f"top-1 hit rate fell to {top1:.0%}"


def test_typos_and_synonyms_still_find_the_fact(ds) -> None:  # type: ignore[no-untyped-def]
    from korasean_cli.core.search import index_for

    idx = index_for(ds)
    assert idx.search("finacial cooperaton centre", 1)[0].record.id == "ev-2022-04-13-fcc-launched"
    # Republic of Korea / South Korea / ROK are one concept
    for who in ("South Korea", "Republic of Korea", "ROK"):
        assert idx.search(f"{who} mission to ASEAN Jakarta", 1)[0].record.id == "ev-2012-09-rok-mission-to-asean"
