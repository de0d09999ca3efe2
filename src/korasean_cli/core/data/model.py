"""Immutable, typed records: what the dataset holds once loaded and validated.

NamedTuples rather than dataclasses: cheap to build from the store's rows, and immutable.
"""

from __future__ import annotations

from typing import Any, NamedTuple

KINDS = ("event", "fund", "contribution", "figure", "statement", "term")

# YAML section name -> record kind, in the order the file lists them.
SECTIONS = {
    "events": "event",
    "funds": "fund",
    "contributions": "contribution",
    "figures": "figure",
    "statements": "statement",
    "terms": "term",
}

# event category -> what it means (shown by --help and the README)
CATEGORY_MEANINGS = {
    "relations": "a step in ASEAN-ROK dialogue relations as a whole (partnership levels, anniversaries)",
    "asean-rok-summit": "an ASEAN-ROK Summit or Commemorative Summit",
    "other-summit": "another summit (ASEAN's own, Korea-US, IPEF launch, AI Seoul Summit)",
    "visit": "a leader's trip or one leg of it",
    "meeting": "a ministerial, senior officials' or other meeting that is no summit",
    "agreement": "an agreement, treaty or protocol signed or in force",
    "document": "a declaration, plan of action, work plan or message issued",
    "institution": "a body, centre, mission or post set up",
    "fund": "a fund set up, merged or changed",
    "programme": "a programme, project, survey or series of events",
    "policy": "a policy, strategy, initiative or law announced",
    "bilateral": "Korea and one ASEAN member state",
    "other": "anything else",
}
EVENT_CATEGORIES = tuple(CATEGORY_MEANINGS)

# what a source says of a fact's reality -> its meaning; "done" is the default
STATUS_MEANINGS = {
    "done": "happened, or holds, as the source says",
    "ongoing": "under way when the source was written",
    "planned": "the source says it will happen (will, to be, plans to)",
    "proposed": "proposed or suggested, not agreed",
    "expected": "expected, likely, could or may happen",
    "hoped": "hoped for or aimed at",
    "deadline": "to happen by a date (by 2025): the date is a deadline, not when it happened",
}
STATUSES = tuple(STATUS_MEANINGS)


class Citation(NamedTuple):
    """Where a fact is stated: a verbatim quote and its unambiguous location."""

    source: str
    quote: str
    line: int  # 1-based line of the seed where the quote starts
    para: str | None  # paragraph label as printed in the seed, if it numbers them


class Record(NamedTuple):
    """One fact of any kind. Kind-specific fields live in ``attrs``."""

    id: str
    kind: str
    title: str
    date: str | None  # EDTF, at the source's precision
    span: tuple[int, int] | None  # first and last day ordinal the date can cover
    category: str | None
    citations: tuple[Citation, ...]
    inferred: bool  # the date (or another field) is inferred, not stated; see note
    note: str | None
    tags: tuple[str, ...]
    see_also: tuple[str, ...]
    differs_from: tuple[str, ...]
    attrs: dict[str, Any]
    line: int  # line of the record in the YAML file


class Source(NamedTuple):
    """One seed document and what is known about it."""

    id: str
    file: str  # path relative to the dataset's folder
    sha256: str
    kind: str  # newspaper-article | opinion | press-release | report
    title: str
    publisher: str | None
    author: str | None
    date: str | None  # EDTF
    url: str | None
    stated: tuple[str, ...]  # fields the seed itself states
    inferred: dict[str, str]  # field -> how it was inferred
    quotes: tuple[Citation, ...]  # where the seed states its own metadata
    line: int
    note: str | None = None


# id prefix -> kind; the validator makes every id start with its kind's prefix
ID_PREFIXES = {
    "ev-": "event",
    "fund-": "fund",
    "contrib-": "contribution",
    "fig-": "figure",
    "stmt-": "statement",
    "term-": "term",
}


def fund_names(fund_id: str, attrs: dict[str, Any]) -> list[tuple[str, str]]:
    """(which, key) for what a user may call a fund (id, short id, acronym, name, aliases),
    each key lower-cased and space-folded as lookups compare them."""
    names = [("id", fund_id), ("id", fund_id.removeprefix("fund-")), ("acronym", attrs.get("acronym"))]
    names += [("name", attrs.get("name"))] + [("alias", a) for a in attrs.get("aliases") or []]
    return [(which, " ".join(n.lower().split())) for which, n in names if isinstance(n, str)]


def fund_keys(fund_id: str, attrs: dict[str, Any]) -> list[str]:
    """What a user may call a fund (id, short id, acronym, name, aliases), lower-cased and space-folded."""
    return [key for _, key in fund_names(fund_id, attrs)]
