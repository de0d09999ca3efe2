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
    StartedOpt,
    StatusOpt,
    ToOpt,
    finish,
)


def timeline(
    from_: FromOpt = None,
    to: ToOpt = None,
    category: CategoryOpt = None,
    source: SourceOpt = None,
    grep: GrepOpt = None,
    status: StatusOpt = None,
    limit: LimitOpt = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")] = False,
    chart: ChartOpt = False,
    started: StartedOpt = False,
    undated: Annotated[
        bool,
        typer.Option(
            "--undated", help="Only the events the sources give no date (a date range always leaves them out)."
        ),
    ] = False,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Dated events, oldest first, at the precision the source gives.

    An event is shown when its dates overlap the range; "since 2011" overlaps every later year
    (--started: only events that began in the range). A range leaves out undated events: their
    number is noted on stderr, and --undated lists them.

    Rows the source speaks of as a plan, a proposal, a hope or a deadline are marked so, with the
    date the source said it ("[planned, as of Oct 2024]").

    Example: korasean timeline --from 1989 --to 2009 --category asean-rok-summit
    """
    from ..actions.timeline import run

    finish(
        run(
            from_=from_,
            to=to,
            category=category,
            source=source,
            grep=grep,
            status=status,
            limit=limit,
            reverse=reverse,
            fmt=fmt,
            as_json=as_json,
            data=data,
            chart=chart,
            started=started,
            undated=undated,
        )
    )


def _categories_help() -> str:
    from ...core.data.model import CATEGORY_MEANINGS

    width = max(len(c) for c in CATEGORY_MEANINGS)
    return "\b\nCategories:\n" + "\n".join(f"  {c:<{width}}  {m}" for c, m in CATEGORY_MEANINGS.items())


timeline.__doc__ = (timeline.__doc__ or "").replace(
    "    Example:", "    " + _categories_help().replace("\n", "\n    ") + "\n\n    Example:", 1
)
