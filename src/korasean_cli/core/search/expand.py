"""Query expansion: what else the words of a query may be written as.

The index holds only the records' own words. A query's words are read literally first; a
phrase of the query found in the thesaurus or among a glossary entry's names also reads as
each of its alternatives, at a lower weight (a spelling variant counts as the word itself), so
the literal word always outranks its synonyms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .words import tokens

W_VARIANT = 1.0  # the same word written another way
W_SYNONYM = 0.6  # a thesaurus synonym, metonym or paraphrase
W_ALIAS = 0.6  # another name of the same glossary entry

# phrase (tokens) -> its alternatives (tokens, weight)
Table = dict[tuple[str, ...], list[tuple[tuple[str, ...], float]]]


def build_table(
    variants: Iterable[Sequence[str]],
    synonyms: Iterable[Sequence[str]],
    aliases: Iterable[Sequence[str]],
    too_common: frozenset[str] = frozenset(),
) -> Table:
    """Every group member's alternatives. Names made only of words found nearly everywhere
    ("Korea", "ASEAN") call up nothing: they would pull in every record."""
    found: dict[tuple[str, ...], dict[tuple[str, ...], float]] = {}
    for groups, weight in ((variants, W_VARIANT), (synonyms, W_SYNONYM), (aliases, W_ALIAS)):
        for group in groups:
            seqs = list(dict.fromkeys(tuple(tokens(str(x))) for x in group))
            seqs = [s for s in seqs if s]
            for a in seqs:
                if weight != W_VARIANT and set(a) <= too_common:
                    continue
                for b in seqs:
                    if a != b and found.setdefault(a, {}).get(b, 0.0) < weight:
                        found[a][b] = weight
    return {k: sorted(v.items()) for k, v in found.items()}


class Slot(NamedTuple):
    """A word of the query, or a phrase the table knows, with the ways it may be read."""

    literal: tuple[str, ...]
    readings: list[tuple[tuple[str, ...], float]]  # the literal reading first, at weight 1


def slots(query_tokens: Sequence[str], table: Table) -> list[Slot]:
    """The query's tokens grouped into slots, the longest known phrase first, left to right."""
    longest = max((len(k) for k in table), default=1)
    out: list[Slot] = []
    i = 0
    while i < len(query_tokens):
        for n in range(min(longest, len(query_tokens) - i), 0, -1):
            phrase = tuple(query_tokens[i : i + n])
            alts = table.get(phrase)
            if alts or n == 1:
                out.append(Slot(phrase, [(phrase, 1.0), *(alts or [])]))
                i += n
                break
    return out
