"""The work behind `korasean validate`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional


def run(path: Optional[str], as_json: bool, data: Optional[str]) -> int | None:
    import sys

    from ...core.data.text import one_line, shown_path
    from ...core.errors import EXIT_DATA, DataError
    from ...core.store.cache import compile_file, resolve_data_path
    from ..render import emit_json

    target = resolve_data_path(path if path is not None else data)
    warnings: list[str] = []
    try:
        ds, problems = compile_file(target, warnings)
    except DataError as e:
        ds, problems = None, [str(e)]
    total = getattr(problems, "total", 0) or len(problems)
    if as_json:
        emit_json(
            {
                "path": target,
                "valid": not problems,
                "problems": list(problems),
                "problem_count": total,
                "warnings": warnings,
                "records": len(ds.records) if ds else None,
                "sources": len(ds.sources) if ds else None,
            }
        )
    else:
        for p in problems:
            sys.stderr.write(one_line(p) + "\n")
        for w in warnings:
            sys.stderr.write("warning: " + one_line(w) + "\n")
        if ds is not None:
            kinds: dict[str, int] = {}
            for r in ds.records:
                kinds[r.kind] = kinds.get(r.kind, 0) + 1
            quotes = sum(len(r.citations) for r in ds.records)
            summary = ", ".join(f"{n} {k}s" for k, n in kinds.items())
            sys.stdout.write(
                f"ok: {shown_path(target)}: {len(ds.records)} records ({summary}), {quotes} quotes found in "
                f"{len(ds.sources)} seeds, every checksum matches\n"
            )
        else:
            sys.stderr.write(f"{total:,} problem{'s' if total != 1 else ''} in {shown_path(target)}\n")
    if problems:
        return EXIT_DATA
    return None
