"""The work behind `korasean search`, free of Typer so that cli/fast.py can call it too."""

from __future__ import annotations

from typing import Optional

from ..common import dataset, output_format


def run(
    query: list[str], kind: Optional[list[str]], limit: Optional[int], fmt: str, as_json: bool, data: Optional[str]
) -> int | None:
    from ..views import record_rows
    from ._lookup import not_found, ranked

    fmt = output_format(fmt, as_json)
    ds = dataset(data)
    text = " ".join(query)
    hits = ranked(ds, text, limit, kind)
    if not hits:
        if fmt == "json":  # a script reads an empty list; the message and exit 1 stay
            from ..render import emit_json

            emit_json([])
        raise not_found(ds, text, "nothing matches")
    record_rows(
        ds,
        [h.record for h in hits],
        fmt,
        title=f"Search: {text[:60]}",
        scores=[h.score for h in hits],
        follows=[h.follows for h in hits],
        matched=[h.coverage for h in hits],
    )
    return None
