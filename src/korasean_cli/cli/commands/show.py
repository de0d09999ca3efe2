"""korasean show: one record in full."""

from __future__ import annotations

from typing import Annotated

import typer

from ..app import app, dataset, output_format
from ..options import DataOpt, FormatOpt, JsonOpt
from ..views import show_record


@app.command()
def show(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A record id, as printed by the other commands.")],
    context: Annotated[int, typer.Option("--context", "-C", help="Show N lines of the seed around each quote.")] = 0,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """One record with every quote, its location in the seed, and linked records.

    Example: korasean show ev-1989-11-sectoral-dialogue
    """
    from ...core.errors import UsageError
    from ...core.query import related
    from ...core.query import show as query

    if context < 0:
        raise UsageError("--context must be 0 or more")
    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    r = query(ds, record_id.strip())
    show_record(ds, r, fmt, related(ds, r), min(context, 50))
