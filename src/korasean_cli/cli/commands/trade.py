"""korasean trade: trade, investment and FDI figures, growth rates and rankings."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import complete
from ..options import ChartOpt, DataOpt, FormatOpt, JsonOpt, LimitOpt, finish


def trade(
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="Only figures for this year.")] = None,
    metric: Annotated[
        Optional[str],
        typer.Option(
            "--metric",
            "-m",
            help="trade, trade-growth, investment, fdi, fdi-growth or ranking (any case).",
            autocompletion=complete.metrics,
        ),
    ] = None,
    derived: Annotated[
        bool, typer.Option("--derived", help="Add values implied by others (e.g. 2021 trade from 2022 and its growth).")
    ] = False,
    chart: ChartOpt = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Economic figures, each saying whose figure it is (ASEAN statistics, an interview...).

    Example: korasean trade --year 2022 --derived
    """
    from ..actions.trade import run

    finish(
        run(year=year, metric=metric, derived=derived, fmt=fmt, as_json=as_json, data=data, chart=chart, limit=limit)
    )
