"""korasean timeline: dated events in chronological order."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..app import app, finish
from ..options import DataOpt, FormatOpt, JsonOpt, LimitOpt, SourceOpt


@app.command()
def timeline(
    from_: Annotated[
        Optional[str], typer.Option("--from", metavar="DATE", help="Start: 1989, 1989-11, 'Nov 1989' or 2019-11-25.")
    ] = None,
    to: Annotated[Optional[str], typer.Option("--to", metavar="DATE", help="End, same forms; inclusive.")] = None,
    category: Annotated[
        Optional[list[str]], typer.Option("--category", "-c", help="Only this category (repeatable).")
    ] = None,
    source: SourceOpt = None,
    grep: Annotated[
        Optional[str], typer.Option("--grep", "-g", help="Only events whose title or quote contains TEXT.")
    ] = None,
    limit: LimitOpt = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Dated events, oldest first, at the precision the source gives.

    An event is shown when its dates overlap the range; "since 2011" overlaps every later year.

    Example: korasean timeline --from 1989 --to 2009 --category summit
    """
    from ..actions.timeline import run

    finish(
        run(
            from_=from_,
            to=to,
            category=category,
            source=source,
            grep=grep,
            limit=limit,
            reverse=reverse,
            fmt=fmt,
            as_json=as_json,
            data=data,
        )
    )
