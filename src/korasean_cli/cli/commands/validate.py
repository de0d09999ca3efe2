"""korasean validate: check a dataset file and report every problem."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..options import finish


def validate(
    path: Annotated[
        Optional[str],
        typer.Argument(metavar="[PATH]", help="Dataset YAML; default: --data, $KORASEAN_DATA or the shipped one."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    data: Annotated[Optional[str], typer.Option("--data", metavar="PATH", help="Same as PATH.")] = None,
) -> None:
    """Check schema, ids, references, dates, amounts, every quote against its seed and every seed's sha256.

    Prints each problem as FILE:LINE: message and exits 3 if there are any, 0 if the dataset is clean.

    Example: korasean validate data/relations.yaml
    """
    from ..actions.validate import run

    finish(run(path=path, as_json=as_json, data=data))
