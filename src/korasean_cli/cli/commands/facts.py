"""korasean facts: every record, for scripts."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import complete
from ..options import DataOpt, FormatOpt, JsonOpt, LimitOpt, SourceOpt, finish


def facts(
    kind: Annotated[
        Optional[list[str]],
        typer.Option(
            "--kind",
            "-k",
            help="event, fund, contribution, figure, statement or term (repeatable).",
            autocompletion=complete.kinds,
        ),
    ] = None,
    speaker: Annotated[
        Optional[list[str]],
        typer.Option(
            "--speaker",
            help="Only statements by this speaker: the words of a name, any case ('yoon' is Yoon Suk Yeol; repeatable).",
            autocompletion=complete.speakers,
        ),
    ] = None,
    source: SourceOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Every record of the dataset, optionally of some kinds or from one source.

    Example: korasean facts --kind figure --json

    Example: korasean facts --speaker yoon
    """
    from ..actions.facts import run

    finish(run(kind=kind, source=source, limit=limit, fmt=fmt, as_json=as_json, data=data, speaker=speaker))
