"""Shell completion of option and argument values: categories, sources, ids, fund names, styles,
formats, kinds, statuses, metrics and speakers.

Typer calls these only while the shell asks for completions (``korasean --install-completion``);
a normal run never does, and this module imports nothing at load time, so it costs a run nothing.
The dataset is read as the command would read it ($KORASEAN_DATA, else the shipped one; its
cached store when there is one). A completion never fails: on any error it offers nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def _matching(values: Iterable[str], incomplete: str) -> list[str]:
    typed = incomplete.lower()
    return [v for v in dict.fromkeys(values) if v.lower().startswith(typed)]


def _from_dataset(pick: Callable[[Any], Iterable[str]]) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        try:
            from ..core.store.cache import load_dataset

            return _matching(pick(load_dataset(None)), incomplete)
        except Exception:  # noqa: BLE001 - a completion offers nothing rather than break the shell
            return []

    return complete


def categories(incomplete: str) -> list[str]:
    from ..core.data.model import EVENT_CATEGORIES

    return _matching(EVENT_CATEGORIES, incomplete)


def kinds(incomplete: str) -> list[str]:
    from ..core.data.model import KINDS

    return _matching(KINDS, incomplete)


def statuses(incomplete: str) -> list[str]:
    from ..core.data.model import STATUSES

    return _matching(STATUSES, incomplete)


def metrics(incomplete: str) -> list[str]:
    return _matching(("trade", "trade-growth", "investment", "fdi", "fdi-growth", "ranking"), incomplete)


def styles(incomplete: str) -> list[str]:
    return _matching(("plain", "apa", "chicago", "bibtex", "csl-json"), incomplete)


def markups(incomplete: str) -> list[str]:
    return _matching(("plain", "md"), incomplete)


def formats(incomplete: str) -> list[str]:
    return _matching(("auto", "table", "plain", "json", "jsonl", "csv", "md"), incomplete)


def export_formats(incomplete: str) -> list[str]:
    return _matching(("json", "jsonl", "csv", "md", "ics", "timelinejs", "sqlite", "html"), incomplete)


sources = _from_dataset(lambda ds: ds.sources)
record_ids = _from_dataset(lambda ds: ds.ids())
fund_names = _from_dataset(
    lambda ds: [n for f in ds.of_kind("fund") for n in (f.attrs.get("acronym"), f.id) if isinstance(n, str)]
)
speakers = _from_dataset(
    lambda ds: sorted({str(r.attrs["speaker"]) for r in ds.of_kind("statement") if r.attrs.get("speaker")})
)
