"""korasean validate: check a dataset file and report every problem."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..app import app


@app.command()
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
    import sys

    from ...core.errors import EXIT_DATA, DataError
    from ...core.load import compile_file, resolve_data_path
    from ..render import clean, emit_json

    target = resolve_data_path(path or data)
    try:
        ds, problems = compile_file(target)
    except DataError as e:
        ds, problems = None, [str(e)]
    if as_json:
        emit_json(
            {
                "path": target,
                "valid": not problems,
                "problems": problems,
                "records": len(ds.records) if ds else None,
                "sources": len(ds.sources) if ds else None,
            }
        )
    else:
        for p in problems:
            sys.stderr.write(clean(p) + "\n")
        if ds is not None:
            kinds: dict[str, int] = {}
            for r in ds.records:
                kinds[r.kind] = kinds.get(r.kind, 0) + 1
            quotes = sum(len(r.citations) for r in ds.records)
            summary = ", ".join(f"{n} {k}s" for k, n in kinds.items())
            sys.stdout.write(
                f"ok: {target}: {len(ds.records)} records ({summary}), {quotes} quotes found in "
                f"{len(ds.sources)} seeds, every checksum matches\n"
            )
        else:
            sys.stderr.write(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {target}\n")
    if problems:
        raise typer.Exit(EXIT_DATA)
