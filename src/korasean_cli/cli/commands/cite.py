"""korasean cite: the quote, its source and a ready-to-paste citation for a fact."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..app import app, dataset, output_format
from ..options import DataOpt, FormatOpt, JsonOpt


@app.command()
def cite(
    fact: Annotated[list[str], typer.Argument(metavar="FACT...", help="A record id, or words describing the fact.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show the N best matches.")] = 1,
    context: Annotated[int, typer.Option("--context", "-C", help="Show N lines of the seed around each quote.")] = 0,
    style: Annotated[
        Optional[str],
        typer.Option(
            "--style",
            metavar="STYLE",
            help="Print the quote with a reference in plain, apa or chicago style, or the sources as "
            "bibtex or csl-json entries (the quotes in 'annote').",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Quote a fact with its source, location and a citation to paste.

    FACT is a record id or free text. Statements from other sources that corroborate or
    differ are shown with the match.

    Example: korasean cite "AKEC fund initial contribution"

    Example: korasean cite ev-1989-11-sectoral-dialogue --style bibtex >> refs.bib
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
    if limit < 1:
        raise UsageError("--limit must be 1 or more")
    if style is not None:
        from ...core.citations import check_style

        check_style(style)
    fmt = output_format(fmt, as_json)
    if style is not None and fmt in ("json", "jsonl"):
        raise UsageError("--style prints the citation itself: drop --json/--format json, or use --style csl-json")
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
    if style is not None:
        _styled(ds, [r for _, r in hits], style, fmt)
        return
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


def _styled(ds: object, records: list, style: str, fmt: str) -> None:
    """cite --style: each quote with its reference (plain/apa/chicago), or the cited
    sources as a bibliography (bibtex/csl-json) with the quotes in 'annote'."""
    from ...core.citations import format_source, format_sources
    from ...core.humanize import location
    from ..render import emit_blocks, write

    if style in ("bibtex", "csl-json"):
        by_source: dict[str, list] = {}
        for r in records:
            for c in r.citations:
                by_source.setdefault(c.source, []).append(c)
        write(format_sources([(ds.sources[k], v) for k, v in by_source.items()], style))  # type: ignore[attr-defined]
        return
    blocks = []
    for r in records:
        lines = [("id", r.id)]
        for c in r.citations:
            lines.append(("quote", f"“{' '.join(c.quote.split())}”"))
            lines.append(("  at", location(ds, c)))  # type: ignore[arg-type]
            lines.append((f"  {style}", format_source(ds.sources[c.source], style, c)))  # type: ignore[attr-defined]
        blocks.append((r.title, lines))
    emit_blocks(blocks, fmt)
