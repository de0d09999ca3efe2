"""korasean fund: the funds, their lineage and every stated contribution."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import complete
from ..options import ChartOpt, DataOpt, FormatOpt, JsonOpt, finish


def fund(
    name: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="[NAME]",
            help="Acronym, id or name of a fund, any case (e.g. AKCF).",
            autocompletion=complete.fund_names,
        ),
    ] = None,
    chart: ChartOpt = False,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Funds with their start and contributions; with NAME, one fund's whole story.

    Totals are shown only where they are well defined, and are labelled as computed.

    Example: korasean fund AKCF
    """
    from ..actions.fund import run

    finish(run(name=name, fmt=fmt, as_json=as_json, data=data, chart=chart))
