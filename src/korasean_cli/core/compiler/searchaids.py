"""The curators' search aids, two files beside the dataset: read and checked.

thesaurus.yaml, what a query's words may also be read as:

    variants:  [[centre, center], ...]      the same word written another way
    synonyms:  [[summit, heads of government meeting], ...]   words that may stand for each other

Both are lists of groups; a group is a list of at least two distinct lower-case words or phrases.

paraphrases.yaml, how users may ask for a record in words its quotes do not use (hand-written
"doc2query"): a mapping from record id to a list of lower-case phrases. They are searched at a
low weight and never shown as facts.

    ev-1997-summit-level:
      - heads of government meetings started
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

THESAURUS_FILE = "thesaurus.yaml"
PARAPHRASES_FILE = "paraphrases.yaml"
MAX_PARAPHRASES = 12  # per record: a few ways of asking, not a second quote
MAX_PHRASE_CHARS = 200  # a phrase is what a user types, not a paragraph
MAX_AID_PROBLEMS = 1000  # listed; the rest are counted


class SearchAids(NamedTuple):
    variants: list[list[str]]
    synonyms: list[list[str]]
    paraphrases: dict[str, list[str]]


EMPTY = SearchAids([], [], {})


def aid_paths(data_path: str) -> list[str]:
    """The search aids' files beside a dataset (each optional): part of its store's key."""
    folder = os.path.dirname(data_path)
    return [os.path.join(folder, THESAURUS_FILE), os.path.join(folder, PARAPHRASES_FILE)]


def _load(path: str, what: str, max_keys: int) -> tuple[list[tuple[str, Any, int]] | None, list[str]]:
    """A search aid's entries as (key, value, line) (None when the file is not there), read by the
    dataset's own rules, or the problem that stops it being read."""
    if not os.path.lexists(path):
        return None, []
    from ..errors import DataError
    from .yamlread import read_mapping

    try:
        return read_mapping(path, what, max_keys), []
    except DataError as e:
        return None, [str(e)]


def read_search_aids(
    data_path: str, known_ids: Callable[[Iterable[str]], set[str]] | None
) -> tuple[SearchAids, list[str]]:
    """The search aids beside a dataset (empty where there are none) and their problems, as
    'file:line: message'. known_ids tells which of some record ids the dataset has (None: the
    dataset has problems of its own, so its ids are not all known and are not checked)."""
    from .validate import MAX_RECORDS

    thesaurus_file, paraphrases_file = aid_paths(data_path)
    entries, problems = _load(thesaurus_file, "thesaurus", 10)
    groups = _groups(entries, problems) if entries is not None else {}
    entries, more = _load(paraphrases_file, "paraphrases", MAX_RECORDS)
    problems += more
    paraphrases = _paraphrases(entries, known_ids, problems) if entries is not None else {}
    if len(problems) > MAX_AID_PROBLEMS:
        rest = len(problems) - MAX_AID_PROBLEMS
        problems[MAX_AID_PROBLEMS:] = [
            f"... and {rest:,} more problems in the search aids not listed (fix these first)"
        ]
    return SearchAids(groups.get("variants", []), groups.get("synonyms", []), paraphrases), problems


def _entry(x: Any) -> str | None:
    """A word or phrase as written (a number counts as its digits), or None when it is not one."""
    if isinstance(x, bool) or not isinstance(x, (str, int)) or not str(x).strip():
        return None
    return " ".join(str(x).split())


def _groups(entries: list[tuple[str, Any, int]], problems: list[str]) -> dict[str, list[list[str]]]:
    name = THESAURUS_FILE
    out: dict[str, list[list[str]]] = {}
    for section, groups, line in entries:
        if section not in ("variants", "synonyms"):
            problems.append(f"{name}:{line}: unknown key {section!r}: the thesaurus has 'variants' and 'synonyms'")
            continue
        if not isinstance(groups, list):
            problems.append(f"{name}:{line}: {section}: must be a list of groups")
            continue
        kept = []
        for n, group in enumerate(groups, 1):
            where = f"{name}:{line}: {section}[{n}]"
            words = [_entry(x) for x in group] if isinstance(group, list) else [None]
            if None in words:
                problems.append(f"{where}: a group is a list of words or phrases, e.g. [summit, leaders meeting]")
                continue
            members = [w for w in words if w is not None]
            if any(e != e.lower() for e in members):
                problems.append(
                    f"{where}: write entries in lower case ({', '.join(e for e in members if e != e.lower())})"
                )
            if len(set(members)) < 2:
                problems.append(f"{where}: a group needs at least two different entries")
            elif len(set(members)) != len(members):
                problems.append(f"{where}: an entry is repeated")
            kept.append([e.lower() for e in dict.fromkeys(members)])
        out[section] = kept
    return out


def _paraphrases(
    entries: list[tuple[str, Any, int]], known_ids: Callable[[Iterable[str]], set[str]] | None, problems: list[str]
) -> dict[str, list[str]]:
    name = PARAPHRASES_FILE
    out: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    for rid, phrases, line in entries:
        where = f"{name}:{line}: {rid}"
        got = [_entry(p) for p in phrases] if isinstance(phrases, list) and phrases else [None]
        if None in got:
            problems.append(f"{where}: give a list of phrases, e.g. [heads of government meetings started]")
            continue
        kept = [p for p in got if p is not None]
        if len(kept) > MAX_PARAPHRASES:
            problems.append(f"{where}: {len(kept)} phrases; keep at most {MAX_PARAPHRASES} of the likeliest")
        if any(len(p) > MAX_PHRASE_CHARS for p in kept):
            problems.append(f"{where}: a phrase is over {MAX_PHRASE_CHARS} characters; write what a user would type")
        if any(p != p.lower() for p in kept):
            problems.append(f"{where}: write phrases in lower case")
        if len(set(kept)) != len(kept):
            problems.append(f"{where}: a phrase is repeated")
        out[rid], lines[rid] = [p.lower() for p in kept], line
    if known_ids is not None:
        unknown = set(out) - known_ids(list(out))
        problems += [
            f"{name}:{lines[rid]}: {rid}: no record has this id (a record removed or renamed? fix it or remove it)"
            for rid in sorted(unknown, key=lines.__getitem__)
        ]
    return out
