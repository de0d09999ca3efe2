"""The work behind `korasean show`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional

from ..common import dataset, output_format
from ..views import show_record


def run(record_id: str, context: int, fmt: str, as_json: bool, data: Optional[str]) -> int | None:
    from ...core.errors import UsageError
    from ...core.query import related
    from ...core.query import show as query

    if context < 0:
        raise UsageError("--context must be 0 or more")
    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    r = query(ds, record_id.strip())
    show_record(ds, r, fmt, related(ds, r), min(context, 50))
    return None
