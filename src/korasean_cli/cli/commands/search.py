"""korasean search: ranked search over every record."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import complete
from ..options import DataOpt, FormatOpt, JsonOpt, LimitOpt, finish


def search(
    query: Annotated[list[str], typer.Argument(metavar="QUERY...", help="Words to look for; quotes optional.")],
    kind: Annotated[
        Optional[list[str]],
        typer.Option("--kind", "-k", help="Only this kind of record (repeatable).", autocompletion=complete.kinds),
    ] = None,
    limit: LimitOpt = 10,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Search every record, its quotes, the glossary and names, best match first.

    Forgives case, punctuation, plurals and small typos. Your own words count first, then
    the curators' synonyms (Seoul / ROK; the bloc / ASEAN; heads of government / summit)
    and their everyday phrasings of each record, so a question need not use the sources' words.

    Example: korasean search "when did meetings between heads of government start"
    """
    from ..actions.search import run

    finish(run(query=query, kind=kind, limit=limit, fmt=fmt, as_json=as_json, data=data))
