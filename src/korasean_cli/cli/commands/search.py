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

    Forgives case, punctuation, plurals and small typos, and knows the seeds' synonyms
    (Korea / ROK / South Korea; ASEAN / the bloc / AMS).

    Example: korasean search "when did korea open its mission in jakarta"
    """
    from ..actions.search import run

    finish(run(query=query, kind=kind, limit=limit, fmt=fmt, as_json=as_json, data=data))
