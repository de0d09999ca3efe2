"""korasean timeline: dated events in chronological order."""

from __future__ import annotations

from typing import Annotated

import typer

from ..options import (
    CategoryOpt,
    ChartOpt,
    DataOpt,
    FormatOpt,
    FromOpt,
    GrepOpt,
    JsonOpt,
    LimitOpt,
    SourceOpt,
    ToOpt,
    finish,
)


def timeline(
    from_: FromOpt = None,
    to: ToOpt = None,
    category: CategoryOpt = None,
    source: SourceOpt = None,
    grep: GrepOpt = None,
    limit: LimitOpt = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    chart: ChartOpt = False,
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
            chart=chart,
        )
    )
