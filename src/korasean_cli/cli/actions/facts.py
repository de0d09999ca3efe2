"""The work behind `korasean facts`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional

from ..common import dataset, output_format
from ..views import record_rows


def run(
    kind: Optional[list[str]],
    source: Optional[str],
    limit: Optional[int],
    fmt: str,
    as_json: bool,
    data: Optional[str],
    speaker: Optional[list[str]] = None,
) -> int | None:
    from ...core.errors import UsageError
    from ...core.query import facts as query

    if limit is not None and limit < 1:
        raise UsageError("--limit must be 1 or more (leave it out to list every record)")
    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    title = f"Statements by {', '.join(speaker)}" if speaker else "Facts"
    record_rows(ds, query(ds, kind, source, limit, speaker), fmt, title=title)
    return None
