"""korasean glossary: acronyms, programmes, organisations and people in the seeds."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..options import DataOpt, FormatOpt, JsonOpt, LimitOpt, finish


def glossary(
    term: Annotated[Optional[str], typer.Argument(metavar="[TERM]", help="An acronym or name (any case).")] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Every acronym and named programme, with its expansion and where the seeds spell it out.

    Example: korasean glossary AKFTA
    """
    from ..actions.glossary import run

    finish(run(term=term, fmt=fmt, as_json=as_json, data=data, limit=limit))
