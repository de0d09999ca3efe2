"""korasean show: one record in full."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import complete
from ..options import DataOpt, FormatOpt, JsonOpt, finish


def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A record id, as printed by the other commands.", autocompletion=complete.record_ids
        ),
    ],
    context: Annotated[int, typer.Option("--context", "-C", help="Show N lines of the seed around each quote.")] = 0,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """One record with every quote, its location in the seed, and linked records.

    Example: korasean show ev-1989-11-sectoral-dialogue
    """
    from ..actions.show import run

    finish(run(record_id=record_id, context=context, fmt=fmt, as_json=as_json, data=data))
