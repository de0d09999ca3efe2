"""korasean cite: the quote, its source and a ready-to-paste citation for a fact."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import complete
from ..options import DataOpt, FormatOpt, JsonOpt, MarkupOpt, finish


def cite(
    fact: Annotated[
        list[str],
        typer.Argument(
            metavar="FACT...", help="A record id, or words describing the fact.", autocompletion=complete.record_ids
        ),
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show the N best matches.")] = 1,
    context: Annotated[int, typer.Option("--context", "-C", help="Show N lines of the seed around each quote.")] = 0,
    style: Annotated[
        Optional[str],
        typer.Option(
            "--style",
            metavar="STYLE",
            help="Print the quote with a reference in plain, apa or chicago style, or the sources as "
            "bibtex or csl-json entries (the quotes in 'annote').",
            show_default=False,
            autocompletion=complete.styles,
        ),
    ] = None,
    markup: MarkupOpt = "plain",
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Quote a fact with its source, location and a citation to paste.

    FACT is a record id or free text. Statements from other sources that corroborate or
    differ are shown with the match.

    Example: korasean cite "AKEC fund initial contribution"

    Example: korasean cite ev-1989-11-sectoral-dialogue --style bibtex >> refs.bib
    """
    from ..actions.cite import run

    finish(
        run(fact=fact, limit=limit, context=context, style=style, fmt=fmt, as_json=as_json, data=data, markup=markup)
    )
