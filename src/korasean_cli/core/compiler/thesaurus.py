"""The curators' search thesaurus (thesaurus.yaml beside the dataset): read and checked.

    variants:  [[centre, center], ...]      the same word written another way
    synonyms:  [[summit, heads of government meeting], ...]   words that may stand for each other

Both are lists of groups; a group is a list of at least two distinct lower-case words or phrases.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

THESAURUS_FILE = "thesaurus.yaml"


class Thesaurus(NamedTuple):
    variants: list[list[str]]
    synonyms: list[list[str]]


EMPTY = Thesaurus([], [])


def thesaurus_path(data_path: str) -> str:
    return os.path.join(os.path.dirname(data_path), THESAURUS_FILE)


def read_thesaurus(data_path: str) -> tuple[Thesaurus, list[str]]:
    """The thesaurus beside a dataset (empty when there is none) and its problems, as 'file:where: message'."""
    path = thesaurus_path(data_path)
    if not os.path.exists(path):
        return EMPTY, []
    import yaml

    from .yamlread import read_text

    name = os.path.basename(path)
    try:
        # libyaml's safe loader: the pure-Python one takes a tenth of a second over a thousand groups
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw: Any = yaml.load(read_text(path, "thesaurus"), Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return EMPTY, [f"{name}:{mark.line + 1 if mark else 1}: not valid YAML ({getattr(e, 'problem', e)})"]
    if not isinstance(raw, dict) or set(raw) - {"variants", "synonyms"}:
        return EMPTY, [f"{name}:1: must be a mapping with 'variants' and 'synonyms' (lists of groups)"]
    problems: list[str] = []
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
    return Thesaurus(out.get("variants", []), out.get("synonyms", [])), problems
