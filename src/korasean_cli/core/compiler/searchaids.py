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


class SearchAids(NamedTuple):
    variants: list[list[str]]
    synonyms: list[list[str]]
    paraphrases: dict[str, list[str]]


EMPTY = SearchAids([], [], {})


def aid_paths(data_path: str) -> list[str]:
    """The search aids' files beside a dataset (each optional): part of its store's key."""
    folder = os.path.dirname(data_path)
    return [os.path.join(folder, THESAURUS_FILE), os.path.join(folder, PARAPHRASES_FILE)]


def _load(path: str, what: str) -> tuple[Any, list[str]]:
    """A search aid's YAML (None when the file is not there) and its problem, if it is not YAML."""
    if not os.path.exists(path):
        return None, []
    import yaml

    from .yamlread import read_text

    try:
        # libyaml's safe loader: the pure-Python one takes a tenth of a second over a thousand groups
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(read_text(path, what), Loader=loader), []  # noqa: S506 - a safe loader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, [f"{os.path.basename(path)}:{line}: not valid YAML ({getattr(e, 'problem', e)})"]


def read_search_aids(data_path: str, known_ids: Callable[[Iterable[str]], set[str]]) -> tuple[SearchAids, list[str]]:
    """The search aids beside a dataset (empty where there are none) and their problems, as
    'file:where: message'. known_ids tells which of some record ids the dataset has."""
    thesaurus_file, paraphrases_file = aid_paths(data_path)
    raw, problems = _load(thesaurus_file, "thesaurus")
    groups = _groups(raw, problems) if raw is not None else {}
    raw, more = _load(paraphrases_file, "paraphrases")
    problems += more
    paraphrases = _paraphrases(raw, known_ids, problems) if raw is not None else {}
    return SearchAids(groups.get("variants", []), groups.get("synonyms", []), paraphrases), problems


def _groups(raw: Any, problems: list[str]) -> dict[str, list[list[str]]]:
    name = THESAURUS_FILE
    if not isinstance(raw, dict) or set(raw) - {"variants", "synonyms"}:
        problems.append(f"{name}:1: must be a mapping with 'variants' and 'synonyms' (lists of groups)")
        return {}
    out: dict[str, list[list[str]]] = {}
    for section in ("variants", "synonyms"):
        groups = raw.get(section) or []
        if not isinstance(groups, list):
            problems.append(f"{name}: {section}: must be a list of groups")
            continue
        kept = []
        for n, group in enumerate(groups, 1):
            where = f"{name}: {section}[{n}]"
            if not isinstance(group, list) or not all(isinstance(x, (str, int)) and str(x).strip() for x in group):
                problems.append(f"{where}: a group is a list of words or phrases, e.g. [summit, leaders meeting]")
                continue
            entries = [" ".join(str(x).split()) for x in group]
            if any(e != e.lower() for e in entries):
                problems.append(
                    f"{where}: write entries in lower case ({', '.join(e for e in entries if e != e.lower())})"
                )
            if len(set(entries)) < 2:
                problems.append(f"{where}: a group needs at least two different entries")
            elif len(set(entries)) != len(entries):
                problems.append(f"{where}: an entry is repeated")
            kept.append([e.lower() for e in dict.fromkeys(entries)])
        out[section] = kept
    return out


def _paraphrases(raw: Any, known_ids: Callable[[Iterable[str]], set[str]], problems: list[str]) -> dict[str, list[str]]:
    name = PARAPHRASES_FILE
    if not isinstance(raw, dict):
        problems.append(f"{name}:1: must be a mapping from record id to a list of phrases")
        return {}
    out: dict[str, list[str]] = {}
    for rid, phrases in raw.items():
        where = f"{name}: {rid}"
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            problems.append(f"{where}: give a list of phrases, e.g. [heads of government meetings started]")
            continue
        if len(phrases) > MAX_PARAPHRASES:
            problems.append(f"{where}: {len(phrases)} phrases; keep at most {MAX_PARAPHRASES} of the likeliest")
        if any(p != p.lower() for p in phrases):
            problems.append(f"{where}: write phrases in lower case")
        out[str(rid)] = [" ".join(p.split()).lower() for p in phrases]
    unknown = set(out) - known_ids(list(out))
    problems += [f"{name}: {rid}: no record has this id (fix it or remove it)" for rid in sorted(unknown)]
    return out
