"""Shared checks for the free-text commands (search, cite)."""

from __future__ import annotations

from typing import Any

MAX_QUERY = 1000  # characters; longer queries are cut, not refused


def ranked(ds: Any, text: str, limit: int | None, kinds: list[str] | None = None, pair: bool = True) -> list[Any]:
    """The hits for text; with pair, a record another source contradicts is shown beside it
    (search.answer); cite shows those itself, under each match."""
    from ...core.data.model import KINDS
    from ...core.errors import UsageError
    from ...core.query import answer
    from ...core.search.rank import index_for

    if not text.strip():
        raise UsageError("the query is empty: give some words to look for")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be 1 or more")
    for k in kinds or []:
        if k not in KINDS:
            raise UsageError(f"unknown kind {k!r}; valid kinds: {', '.join(KINDS)}")
    query, want, only = text[:MAX_QUERY], limit or 10, tuple(kinds) if kinds else None
    return answer(ds, query, want, only) if pair else index_for(ds).search(query, want, only)


def not_found(ds: Any, text: str, what: str) -> Exception:
    """NotFound for a query that matched nothing, saying what is nearest: the closest words
    the sources use (in the message) and the records those words find (as suggestions)."""
    from ...core.errors import NotFound
    from ...core.search.rank import index_for

    words, hits = index_for(ds).nearest(text) if text.strip() else ([], [])
    if words:
        why = f"; the closest words in the sources: {', '.join(words[:6])}"
    else:
        why = "; none of its words is in the sources (browse with 'korasean glossary' or 'korasean timeline')"
    return NotFound(f"{what} {text[:80]!r}{why}", [h.record.id for h in hits])
