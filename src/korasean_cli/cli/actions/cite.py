"""The work behind `korasean cite`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Any, Optional

from ..common import dataset, styled_format


def run(
    fact: list[str],
    limit: int,
    context: int,
    style: Optional[str],
    fmt: str,
    as_json: bool,
    data: Optional[str],
    markup: str = "plain",
) -> int | None:
    from ...core.data.humanize import plain_citation
    from ...core.data.serialize import record_dict
    from ...core.errors import UsageError
    from ...core.query import related
    from ..render import emit_json, emit_jsonl
    from ..views import show_record
    from ._lookup import not_found, ranked

    if context < 0:
        raise UsageError("--context must be 0 or more")
    if limit < 1:
        raise UsageError("--limit must be 1 or more")
    style = style.lower() if style is not None else None  # names of styles and formats: any case
    fmt = styled_format(style, fmt, as_json, "citation", markup)
    ds = dataset(data)
    text = " ".join(fact).strip()
    exact = ds.get(text)
    if exact is not None:
        hits = [(100.0, exact, 1.0)]
    else:
        found = ranked(ds, text, max(limit, 5), pair=False)  # contradicting records come under each match
        hits = [(h.score, h.record, h.coverage) for h in found]
        if found and found[0].coverage < 0.5:
            import sys

            from ..render import clean

            sys.stderr.write(
                f"korasean: note: weak match: the best record shares only {found[0].coverage:.0%} of the words of "
                f"{clean(text[:60])!r}; the sources may not say this\n"
            )
    if not hits:
        if fmt == "json":  # a script reads an empty list; the message and exit 1 stay
            emit_json([])
        raise not_found(ds, text, "no fact matches")
    hits = hits[: max(1, limit)]
    if style is not None:
        _styled(ds, [r for _, r, _ in hits], style, fmt, markup)
        return None
    if fmt in ("json", "jsonl"):
        out = []
        for score, r, matched in hits:
            d = {"score": score, "matched": matched, **record_dict(ds, r)}
            d["cite_as"] = [plain_citation(ds, c) for c in r.citations]
            d["related"] = [{"relation": rel, **record_dict(ds, x)} for rel, x in related(ds, r)]
            out.append(d)
        emit_json(out) if fmt == "json" else emit_jsonl(out)
        return None
    if fmt in ("csv", "md"):  # one row per match, each followed by the records related to it
        from ..render import Column
        from ..views import detail_row, emit_detail_rows

        rows = []
        for score, r, _ in hits:
            rows.append({"score": f"{score:.2f}", **detail_row(ds, r, "match")})
            rows += [{"score": "", **detail_row(ds, x, rel, r.id)} for rel, x in related(ds, r)]
        emit_detail_rows(rows, fmt, [Column("Score", "score")])
        return None
    for _score, r, _ in hits:
        show_record(ds, r, fmt, related(ds, r), min(context, 50))
    return None


def _styled(ds: Any, records: list[Any], style: str, fmt: str, markup: str) -> None:
    """cite --style: each quote with its reference (plain/apa/chicago), or each fact as its own
    bibtex/csl-json entry (its key the record id; the quotes, with their pinpoints, in 'annote')."""
    from ...core.data.citations import fact_key, format_entries, format_source, nest_quotes
    from ...core.data.humanize import location
    from ..render import emit_blocks, write

    if style in ("bibtex", "csl-json"):
        entries = []
        for r in records:
            by_source: dict[str, list[Any]] = {}
            for c in r.citations:
                by_source.setdefault(c.source, []).append(c)
            for source_id, quotes in by_source.items():
                key = fact_key(r.id, source_id, len(by_source) > 1)
                entries.append((key, ds.sources[source_id], quotes))
        write(format_entries(entries, style, markup))
        return None
    if fmt in ("csv", "md"):  # one row per quote, with its reference in the style asked for
        from ..render import Column, emit_rows

        rows = [
            {
                "id": r.id,
                "title": r.title,
                "quote": f"“{nest_quotes(' '.join(c.quote.split()))}”",
                "at": location(ds, c),
                "reference": format_source(ds.sources[c.source], style, c, markup),
            }
            for r in records
            for c in r.citations
        ]
        columns = [Column("ID", "id"), Column("Title", "title"), Column("Quote", "quote"), Column("At", "at")]
        emit_rows(rows, [*columns, Column(f"Reference ({style})", "reference")], fmt, [])
        return None
    blocks = []
    for r in records:
        lines = [("id", r.id)]
        for c in r.citations:
            lines.append(("quote", f"“{nest_quotes(' '.join(c.quote.split()))}”"))
            lines.append(("  at", location(ds, c)))
            lines.append((f"  {style}", format_source(ds.sources[c.source], style, c, markup)))
        blocks.append((r.title, lines))
    emit_blocks(blocks, fmt)
