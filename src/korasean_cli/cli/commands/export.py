"""korasean export: the timeline as a file for other tools (calendar, TimelineJS, SQLite, a web page...)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import complete
from ..options import CategoryOpt, DataOpt, FromOpt, GrepOpt, SourceOpt, StartedOpt, ToOpt, finish


def export(
    fmt: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json, jsonl, csv, md, ics, timelinejs, sqlite or html. "
            "Default: from the --output file's extension, else json.",
            show_default=False,
            autocompletion=complete.export_formats,
        ),
    ] = None,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (replaced if it exists) instead of stdout; required for sqlite.",
            show_default=False,
        ),
    ] = None,
    from_: FromOpt = None,
    to: ToOpt = None,
    category: CategoryOpt = None,
    source: SourceOpt = None,
    grep: GrepOpt = None,
    kind: Annotated[
        Optional[list[str]],
        typer.Option(
            "--kind",
            "-k",
            help="Also the records of this kind (repeatable): fund, contribution, figure, statement, term, "
            "or all; json, jsonl, csv, md and html carry them (sqlite always has every kind).",
        ),
    ] = None,
    started: StartedOpt = False,
    data: DataOpt = None,
) -> None:
    """Export timeline events, with their quotes and sources, for other tools.

    Takes the same filters as 'timeline' (--started: only events that began in the range). Dates keep the source's precision: in ics a
    month- or year-only date is an all-day event over the whole month or year, and
    "since 2011" is one event on 2011 marked ongoing. Undated events cannot go into
    ics or timelinejs; they are left out and counted on stderr. sqlite writes FILE
    and FILE's-name.metadata.json for Datasette.

    Example: korasean export --format ics --from 2019 -o asean-rok.ics

    Example: korasean export --format sqlite -o korasean.db && datasette korasean.db -m korasean.metadata.json

    Example: korasean export --kind all -f html -o asean-rok.html
    """
    from ..actions.export import run

    finish(
        run(
            fmt=fmt,
            output=output,
            from_=from_,
            to=to,
            category=category,
            source=source,
            grep=grep,
            data=data,
            kind=kind,
            started=started,
        )
    )
