"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from . import complete

DataOpt = Annotated[
    Optional[str],
    typer.Option(
        "--data",
        metavar="PATH",
        help="Dataset YAML to read instead of the shipped one (also $KORASEAN_DATA).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON only (same as --format json).")]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="auto (table on a terminal, plain text in a pipe), table, plain, json, jsonl, csv or md.",
        autocompletion=complete.formats,
    ),
]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", "-n", help="Show at most N results.", show_default=False)]
SourceOpt = Annotated[
    Optional[str],
    typer.Option(
        "--source",
        "-s",
        help="Only records citing this source id (see 'korasean sources'; any case).",
        autocompletion=complete.sources,
    ),
]
FromOpt = Annotated[
    Optional[str], typer.Option("--from", metavar="DATE", help="Start: 1989, 1989-11, 'Nov 1989' or 2019-11-25.")
]
ToOpt = Annotated[Optional[str], typer.Option("--to", metavar="DATE", help="End, same forms; inclusive.")]
CategoryOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--category",
        "-c",
        help="Only this category (repeatable; listed above; any case, 'meetings' for meeting).",
        autocompletion=complete.categories,
    ),
]
StatusOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--status",
        help="Only records the source states with this status (repeatable): done, ongoing, planned, proposed, "
        "expected, hoped or deadline.",
        autocompletion=complete.statuses,
    ),
]
ChartOpt = Annotated[
    bool,
    typer.Option(
        "--chart",
        help="Draw a text chart (at year resolution; uncertain dates marked, the marks explained below it).",
    ),
]
MarkupOpt = Annotated[
    str,
    typer.Option(
        "--markup",
        metavar="MARKUP",
        help="plain (no emphasis marks) or md (titles in *Markdown italics*) for apa and chicago references.",
        autocompletion=complete.markups,
    ),
]
StartedOpt = Annotated[
    bool,
    typer.Option(
        "--started",
        help="Only events that began in the range (at the source's precision): not those ongoing "
        "since earlier, such as 'since 1994'.",
    ),
]
GrepOpt = Annotated[Optional[str], typer.Option("--grep", "-g", help="Only events whose title or quote contains TEXT.")]


def finish(code: int | None) -> None:
    """End a command with the exit code its action returned."""
    if code:
        raise typer.Exit(code)
