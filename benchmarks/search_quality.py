"""Print the hit rates of tests/questions.yaml: where each expected record ranks.

Usage: python benchmarks/search_quality.py [--data PATH]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from korasean_cli.core.query import answer
from korasean_cli.core.store.cache import load_dataset

ROOT = Path(__file__).resolve().parent.parent


def ranks(data: str | None = None, known_misses: bool = False) -> list[tuple[str, str, int | None]]:
    """(question, wanted id, rank or None) for each question; the known misses only if asked."""
    ds = load_dataset(data)
    out = []
    for item in yaml.safe_load((ROOT / "tests" / "questions.yaml").read_text(encoding="utf-8")):
        if bool(item.get("known_miss")) != known_misses:
            continue
        ids = [h.record.id for h in answer(ds, item["q"], limit=10)]
        out.append((item["q"], item["id"], ids.index(item["id"]) + 1 if item["id"] in ids else None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data")
    args = parser.parse_args()
    results = ranks(args.data)
    n = len(results)
    for q, rid, rank in results:
        if rank != 1:
            print(f"rank {rank or '>10':>4}  {q}  (want {rid})")
    top1 = sum(1 for *_, r in results if r == 1)
    top3 = sum(1 for *_, r in results if r is not None and r <= 3)
    print(f"{n} questions: top-1 {top1}/{n} ({top1 / n:.0%}), top-3 {top3}/{n} ({top3 / n:.0%})")
    misses = ranks(args.data, known_misses=True)
    for q, rid, rank in misses:
        print(f"known miss, rank {rank or '>10'}: {q}  (want {rid})")
    found = sum(1 for *_, r in misses if r is not None and r <= 3)
    print(f"{len(misses)} known misses: {found} now in the top 3")


if __name__ == "__main__":
    main()
