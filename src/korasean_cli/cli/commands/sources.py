"""korasean sources: the five seed documents and what is known about each."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import complete
from ..options import DataOpt, FormatOpt, JsonOpt, MarkupOpt, finish


def sources(
    source_id: Annotated[
        Optional[str], typer.Argument(metavar="[ID]", help="One source id.", autocompletion=complete.sources)
    ] = None,
    style: Annotated[
        Optional[str],
        typer.Option(
            "--style",
            metavar="STYLE",
            help="Print the reference(s) in plain, apa, chicago, bibtex or csl-json style.",
            show_default=False,
            autocompletion=complete.styles,
        ),
    ] = None,
    markup: MarkupOpt = "plain",
    fmt: FormatOpt = "auto",
    as_json: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """The seed documents: title, publisher, author, date, file and checksum.

    Fields the document does not state are marked as inferred, with the reasoning.

    Example: korasean sources asean-overview

    Example: korasean sources --style bibtex > korasean.bib
    """
    from ..actions.sources import run

    finish(run(source_id=source_id, style=style, fmt=fmt, as_json=as_json, data=data, markup=markup))
