"""Options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

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
    ),
]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", "-n", help="Show at most N results.", show_default=False)]
SourceOpt = Annotated[
    Optional[str], typer.Option("--source", "-s", help="Only records citing this source id (see 'korasean sources').")
]
