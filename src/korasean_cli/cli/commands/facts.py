"""korasean facts: every record, for scripts."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..options import DataOpt, FormatOpt, JsonOpt, LimitOpt, SourceOpt, finish


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
    from ..actions.facts import run

    finish(run(kind=kind, source=source, limit=limit, fmt=fmt, as_json=as_json, data=data))
