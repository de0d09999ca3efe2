"""korasean facts: every record, for scripts."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..app import app, dataset, output_format
from ..options import DataOpt, FormatOpt, JsonOpt, LimitOpt, SourceOpt
from ..views import record_rows


@app.command()
def facts(
    kind: Annotated[
        Optional[list[str]],
        typer.Option("--kind", "-k", help="event, fund, contribution, figure, statement or term (repeatable)."),
    ] = None,
    source: SourceOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Every record of the dataset, optionally of some kinds or from one source.

    Example: korasean facts --kind figure --json
    """
    from ...core.errors import UsageError
    from ...core.query import facts as query

    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 or more")
    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    records = query(ds, kind, source)
    record_rows(ds, records[:limit] if limit is not None else records, fmt, title="Facts")
