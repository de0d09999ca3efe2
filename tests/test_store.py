"""The compiled store answers exactly as the dataset compiled in memory does.

Every command reads the store (the cache, or a private temporary copy); the tests and the
validator compile in memory. Both must give the same records, the same order, the same
links, the same search ranking and the same --json bytes, or a fast answer could be a wrong one.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from korasean_cli.core import query
from korasean_cli.core.compiled import json_fragment
from korasean_cli.core.humanize import event_row, plain_cells
from korasean_cli.core.load import load_dataset
from korasean_cli.core.search import SearchIndex, index_for
from korasean_cli.core.serialize import record_dict
from korasean_cli.core.text import plain_line

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Any:
    mp = pytest.MonkeyPatch()
    mp.setenv("KORASEAN_CACHE_DIR", str(tmp_path_factory.mktemp("store-cache")))
    ds = load_dataset()
    yield ds
    mp.undo()


def test_the_store_holds_the_same_records_in_the_same_order(ds: Any, stored: Any) -> None:
    assert stored.store is not None and ds.store is None
    assert len(stored.records) == len(ds.records)
    assert list(stored.records) == list(ds.records)
    assert [stored.records[i] for i in range(0, len(ds.records), 7)] == list(ds.records)[::7]
    assert stored.sources == ds.sources
    for r in ds.records:
        assert stored.get(r.id) == r
    assert stored.get("ev-no-such-thing") is None and stored.get("") is None


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"start": 726000},
        {"end": 730000},
        {"start": 727000, "end": 738000, "reverse": True},
        {"categories": ["summit", "fund"]},
        {"source": "nsp-opinion-2020"},
        {"grep": "busan"},
        {"grep": "ASEAN", "limit": 5, "reverse": True},
        {"limit": 1},
    ],
)
def test_timeline_queries_agree(ds: Any, stored: Any, args: dict[str, Any]) -> None:
    mem = query.timeline(ds, **args)
    fast = query.timeline(stored, **args)
    assert [r.id for r in fast] == [r.id for r in mem]
    assert fast.rows() == [event_row(r) for r in mem]
    pieces = fast.json_text()
    assert pieces is not None
    printed = b"".join(pieces).decode("utf-8")
    assert printed == json.dumps([record_dict(ds, r) for r in mem], ensure_ascii=False, indent=2) + "\n"
    plain = fast.plain_text()
    assert plain is not None
    assert b"".join(plain).decode("utf-8") == "".join(plain_line(plain_cells(event_row(r))) + "\n" for r in mem)


def test_every_event_fragment_is_its_record_dict(ds: Any, stored: Any) -> None:
    for r in ds.of_kind("event"):
        text = json_fragment(stored, r)
        assert text.endswith(b",\n")
        assert json.loads(text[:-2]) == record_dict(ds, r)


def test_funds_contributions_and_links_agree(ds: Any, stored: Any) -> None:
    for f in ds.of_kind("fund"):
        for name in (f.id, f.attrs.get("acronym"), f.attrs.get("name")):
            if name:
                assert query.find_fund(stored, name) == query.find_fund(ds, name)
        assert query.contributions_to(stored, f.id) == query.contributions_to(ds, f.id)
    for r in ds.records:
        assert query.related(stored, r) == query.related(ds, r)


def test_search_ranks_identically_from_the_store(ds: Any, stored: Any) -> None:
    mem = SearchIndex(ds)
    disk = index_for(stored)
    assert disk.store is not None
    questions = [q["q"] for q in yaml.safe_load((ROOT / "tests" / "questions.yaml").read_text(encoding="utf-8"))]
    words = " ".join(questions).split()
    rng = random.Random(7)
    queries = questions + [" ".join(rng.sample(words, rng.randint(1, 6))) for _ in range(150)]
    for q in queries:
        for limit in (1, 5):
            want = [(h.score, h.record.id, h.coverage) for h in mem.search(q, limit)]
            assert [(h.score, h.record.id, h.coverage) for h in disk.search(q, limit)] == want, q
    assert [h.record.id for h in disk.search("AKEC", 5, ("fund",))] == [
        h.record.id for h in mem.search("AKEC", 5, ("fund",))
    ]
