"""korasean cite: the quote, its source and a ready-to-paste citation for a fact."""

from __future__ import annotations

from typing import Annotated

import typer

from ..app import app, dataset, output_format
from ..options import DataOpt, FormatOpt, JsonOpt


@app.command()
def cite(
    fact: Annotated[list[str], typer.Argument(metavar="FACT...", help="A record id, or words describing the fact.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show the N best matches.")] = 1,
    context: Annotated[int, typer.Option("--context", "-C", help="Show N lines of the seed around each quote.")] = 0,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Quote a fact with its source, location and a citation to paste.

    FACT is a record id or free text. Statements from other sources that corroborate or
    differ are shown with the match.

    Example: korasean cite "AKEC fund initial contribution"
    """
    from ...core.errors import NotFound, UsageError
    from ...core.humanize import plain_citation
    from ...core.query import related
    from ...core.serialize import record_dict
    from ..render import emit_json
    from ..views import show_record
    from ._lookup import ranked

    if context < 0:
        raise UsageError("--context must be 0 or more")
    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    text = " ".join(fact).strip()
    exact = ds.get(text)
    if exact is not None:
        hits = [(100.0, exact)]
    else:
        hits = [(h.score, h.record) for h in ranked(ds, text, max(limit, 5))]
    if not hits:
        nearest = [h.record.id for h in ranked(ds, text, 3)] if text else []
        raise NotFound(f"no fact matches {text[:80]!r}", nearest)
    hits = hits[: max(1, limit)]
    if fmt in ("json", "jsonl"):
        out = []
        for score, r in hits:
            d = {"score": score, **record_dict(ds, r)}
            d["cite_as"] = [plain_citation(ds, c) for c in r.citations]
            d["related"] = [{"relation": rel, **record_dict(ds, x)} for rel, x in related(ds, r)]
            out.append(d)
        emit_json(out)
        return
    for _score, r in hits:
        show_record(ds, r, fmt, related(ds, r), min(context, 50))
