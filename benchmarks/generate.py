#!/usr/bin/env python3
"""Generate a korasean dataset of N records, shaped like the shipped one, for benchmarks.

    python benchmarks/generate.py N [OUTDIR] [--seed S] [--template data/relations.yaml]

OUTDIR defaults to benchmarks/generated/n<N> (git-ignored; never commit it). It receives
``relations.yaml``, ``seeds/*.txt`` and the template's search aids (``thesaurus.yaml`` as it is,
``paraphrases.yaml`` with each copy's phrases under its own id), so a search at scale pays for
them as the shipped one does; ``korasean validate OUTDIR/relations.yaml`` passes.

How: the shipped dataset is the template. The output is made of "generations": generation 0
is the shipped records and seeds as they are, generation g >= 1 is a copy with its own ids
(``<id>-g<g>``), its own five sources (``<source>-g<g>``) and its own five seed files (the
shipped seed texts plus a one-line footer, so each file and sha256 differs). Every record of
generation g cites the generation-g seeds, so validation reads, hashes and indexes one real-size
seed per source and finds every quote in it, exactly the work the shipped dataset costs, times
the number of generations. Sections keep the shipped proportions (events ~27%, terms ~43%,
statements ~17%, figures ~11%, contributions and funds ~1% each); dates keep every precision
the shipped data uses (year, month, day, intervals, open ends, ~ and ?) and are shifted by a
few years per record so the timeline is not N/490 identical runs. Fund clones get distinct
acronyms and names (AKCF -> AKCF7, "... Fund No. 7") so ``korasean fund AKCF`` still names
one fund. Cross references (see_also, fund, merged_from/into) point into the same generation
and are dropped when their target is not generated (the last, partial generation).

Deterministic for a given N, --seed and template.
"""

from __future__ import annotations

import argparse
import calendar
import copy
import hashlib
import os
import random
import re
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_TEMPLATE = os.path.join(ROOT, "data", "relations.yaml")
GENERATOR_VERSION = 3  # bump when the output changes, so cached datasets are rebuilt

SECTIONS = ("events", "funds", "contributions", "figures", "statements", "terms")
_POINT = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[~?%]?)$")
MIN_YEAR, MAX_YEAR = 1975, 2026


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - korasean's venv always has it
        sys.exit("generate.py needs PyYAML: run it with korasean's interpreter (.venv/bin/python)")
    return yaml


def section_counts(template: dict[str, list[Any]], n: int) -> dict[str, int]:
    """Records per section for n records, in the template's proportions (largest remainder)."""
    sizes = {s: len(template.get(s) or []) for s in SECTIONS}
    total = sum(sizes.values())
    exact = {s: n * sizes[s] / total for s in SECTIONS}
    counts = {s: int(exact[s]) for s in SECTIONS}
    for s in sorted(SECTIONS, key=lambda s: exact[s] - counts[s], reverse=True)[: n - sum(counts.values())]:
        counts[s] += 1
    # a dataset with no fund cannot answer `korasean fund AKCF`: keep the shipped funds once n allows
    if n >= total and counts["funds"] < sizes["funds"]:
        take = sizes["funds"] - counts["funds"]
        counts["funds"] += take
        counts["terms"] -= take
    return counts


def _shift_point(text: str, delta: int) -> str:
    m = _POINT.match(text)
    if not m:
        return text
    year = min(MAX_YEAR, max(MIN_YEAR, int(m["y"]) + delta))
    out = f"{year:04d}"
    if m["m"]:
        out += f"-{m['m']}"
        if m["d"]:
            day = min(int(m["d"]), calendar.monthrange(year, int(m["m"]))[1])
            out += f"-{day:02d}"
    return out + m["q"]


def shift_date(edtf: Any, delta: int) -> Any:
    """The EDTF date moved by delta years, precision, qualifiers and open ends kept."""
    if not isinstance(edtf, str) or not delta:
        return edtf
    parts = edtf.split("/")
    shifted = "/".join(_shift_point(p, delta) if p not in ("", "..") else p for p in parts)
    if len(parts) == 2 and ".." not in parts and "" not in parts:
        lo, hi = shifted.split("/")
        # clamping may have crossed the ends over; keep a valid interval
        if _POINT.match(lo) and _POINT.match(hi) and lo[:4] > hi[:4]:
            return edtf
    return shifted


def _suffix(g: int) -> str:
    return "" if g == 0 else f"-g{g}"


def _ref(ref: Any, g: int, ids: set[str]) -> Any:
    """A cross reference moved into generation g, or None when its target is not generated."""
    if not isinstance(ref, str):
        return ref
    moved = ref + _suffix(g)
    if moved in ids:
        return moved
    return None


def clone_record(rec: dict[str, Any], section: str, g: int, ids: set[str], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(dict(rec))
    if g == 0:
        # generation 0 is the shipped record; only references to records not generated are dropped
        pass
    else:
        out["id"] = rec["id"] + _suffix(g)
        delta = rng.randint(-3, 3)
        for key in ("date", "established"):
            if key in out:
                out[key] = shift_date(out[key], delta)
        if section == "funds":
            if out.get("acronym"):
                out["acronym"] = f"{out['acronym']}{g}"
            out["name"] = f"{out['name']} No. {g}"
            if out.get("aliases"):
                out["aliases"] = [f"{a} No. {g}" for a in out["aliases"]]
        for c in out.get("citations") or []:
            if isinstance(c, dict) and "source" in c:
                c["source"] = c["source"] + _suffix(g)
    for key in ("see_also", "differs_from", "merged_from"):
        if isinstance(out.get(key), list):
            kept = [r for r in (_ref(x, g, ids) for x in out[key]) if r is not None]
            if kept:
                out[key] = kept
            else:
                del out[key]
    for key in ("merged_into", "fund"):
        if key in out:
            moved = _ref(out[key], g, ids)
            if moved is None:
                del out[key]
                if key == "fund" and not out.get("recipient"):
                    out["recipient"] = "ASEAN Secretariat"
            else:
                out[key] = moved
    return out


def generate(n: int, outdir: str, template_path: str = DEFAULT_TEMPLATE, seed: int = 1989) -> dict[str, Any]:
    yaml = _yaml()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with open(template_path, encoding="utf-8") as f:
        template = yaml.load(f, Loader=loader)
    template_dir = os.path.dirname(os.path.abspath(template_path))
    counts = section_counts(template, n)
    rng = random.Random(f"{seed}:{n}")

    # (section, generation, template record) for every output record, and the ids they will have
    plan: list[tuple[str, int, dict[str, Any]]] = []
    for s in SECTIONS:
        items = template.get(s) or []
        for j in range(counts[s]):
            plan.append((s, j // len(items), items[j % len(items)]))
    ids = {t["id"] + _suffix(g) for _, g, t in plan}
    generations = max(g for _, g, _ in plan) + 1

    # seeds: one copy of the shipped seeds per generation
    seeds_out = os.path.join(outdir, "seeds")
    os.makedirs(seeds_out, exist_ok=True)
    sources: list[dict[str, Any]] = []
    seed_bytes = 0
    for g in range(generations):
        for src in template["sources"]:
            rel = src["file"]
            found = None
            for root in (template_dir, os.path.dirname(template_dir)):
                if os.path.isfile(os.path.join(root, rel)):
                    found = os.path.join(root, rel)
                    break
            if found is None:
                sys.exit(f"seed {rel} of {template_path} not found")
            with open(found, "rb") as f:
                blob = f.read()
            if g:
                if not blob.endswith(b"\n"):
                    blob += b"\n"
                blob += f"[Archived copy {g} of this document for the korasean benchmarks.]\n".encode()
            stem, ext = os.path.splitext(os.path.basename(rel))
            name = f"{stem}{_suffix(g)}{ext}"
            path = os.path.join(seeds_out, name)
            old = None
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    old = f.read()
            if old != blob:  # keep mtimes of unchanged seeds
                with open(path, "wb") as f:
                    f.write(blob)
            seed_bytes += len(blob)
            out = copy.deepcopy(dict(src))
            out["id"] = src["id"] + _suffix(g)
            out["file"] = f"seeds/{name}"
            out["sha256"] = hashlib.sha256(blob).hexdigest()
            sources.append(out)

    data: dict[str, Any] = {"schema_version": template.get("schema_version", 1), "sources": sources}
    for s in SECTIONS:
        data[s] = []
    for s, g, t in plan:
        data[s].append(clone_record(t, s, g, ids, rng))

    text = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    header = (
        f"# korasean benchmark dataset: {n} records generated by benchmarks/generate.py "
        f"(v{GENERATOR_VERSION}, seed {seed}) from {os.path.relpath(template_path, ROOT)}. Do not commit.\n"
    )
    path = os.path.join(outdir, "relations.yaml")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(header)
        f.write(text)
    os.replace(tmp, path)
    _copy_search_aids(os.path.dirname(template_path), outdir, [(t["id"], t["id"] + _suffix(g)) for _, g, t in plan])
    return {
        "path": path,
        "records": len(plan),
        "counts": counts,
        "generations": generations,
        "sources": len(sources),
        "yaml_bytes": os.path.getsize(path),
        "seed_bytes": seed_bytes,
        "quotes": sum(len(r.get("citations") or []) for _, _, r in plan),
    }


def _copy_search_aids(template_dir: str, outdir: str, copies: list[tuple[str, str]]) -> None:
    """The thesaurus as it is, and each generated record's paraphrases: its template record's."""
    yaml = _yaml()
    thesaurus = os.path.join(template_dir, "thesaurus.yaml")
    if os.path.isfile(thesaurus):
        with open(thesaurus, "rb") as f, open(os.path.join(outdir, "thesaurus.yaml"), "wb") as out:
            out.write(f.read())
    paraphrases = os.path.join(template_dir, "paraphrases.yaml")
    if os.path.isfile(paraphrases):
        with open(paraphrases, encoding="utf-8") as f:
            phrases = yaml.safe_load(f) or {}
        mapped = {new: list(phrases[old]) for old, new in copies if old in phrases}  # no shared lists: no aliases
        with open(os.path.join(outdir, "paraphrases.yaml"), "w", encoding="utf-8") as f:
            yaml.safe_dump(mapped, f, sort_keys=False, allow_unicode=True, width=120)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of records")
    ap.add_argument("outdir", nargs="?", help="output folder (default benchmarks/generated/n<N>)")
    ap.add_argument("--seed", type=int, default=1989, help="random seed for date shifts (default 1989)")
    ap.add_argument("--template", default=DEFAULT_TEMPLATE, help="dataset to copy (default data/relations.yaml)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    outdir = args.outdir or os.path.join(HERE, "generated", f"n{args.n}")
    info = generate(args.n, outdir, args.template, args.seed)
    counts = ", ".join(f"{v} {k}" for k, v in info["counts"].items())
    print(
        f"wrote {info['path']}: {info['records']} records ({counts}), {info['quotes']} quotes, "
        f"{info['sources']} sources in {info['generations']} generation(s); "
        f"YAML {info['yaml_bytes'] / 1e6:.1f} MB, seeds {info['seed_bytes'] / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
