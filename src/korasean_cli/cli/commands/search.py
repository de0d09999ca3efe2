"""korasean search: ranked search over every record."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..app import app, dataset, output_format
from ..options import DataOpt, FormatOpt, JsonOpt, LimitOpt


@app.command()
def search(
    query: Annotated[list[str], typer.Argument(metavar="QUERY...", help="Words to look for; quotes optional.")],
    kind: Annotated[
        Optional[list[str]], typer.Option("--kind", "-k", help="Only this kind of record (repeatable).")
    ] = None,
    limit: LimitOpt = 10,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Search every record, its quotes, the glossary and names, best match first.

    Forgives case, punctuation, plurals and small typos, and knows the seeds' synonyms
    (Korea / ROK / South Korea; ASEAN / the bloc / AMS).

    Example: korasean search "when did korea open its mission in jakarta"
    """
    from ...core.errors import NotFound
    from ..views import record_rows
    from ._lookup import ranked

    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    text = " ".join(query)
    hits = ranked(ds, text, limit, kind)
    if not hits:
        raise NotFound(f"nothing matches {text[:80]!r}", [])
    record_rows(ds, [h.record for h in hits], fmt, title=f"Search: {text[:60]}", scores=[h.score for h in hits])
