"""The search index: postings (word -> records and BM25 scores) and what the final ranking
needs of each record, built once per dataset into the store's search tables."""

from __future__ import annotations

import json
import math
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..compiler.searchaids import EMPTY, SearchAids
from ..data.model import KINDS, Record
from .expand import build_table
from .words import _TOKEN, _date_tokens, normalise, raw_tokens, tokens

# field weights: names and titles say what a record is; quotes say it at length; the curators'
# paraphrases (how users may ask for it, in other words) count less than any of the record's own words
W_TITLE, W_NAME, W_TAG, W_QUOTE, W_ASKED, W_NOTE = 3.0, 2.5, 1.5, 1.0, 0.8, 0.3


# what the final ranking needs of a record: its headline's tokens, its own names, its title
# and quotes normalised, and their tokens in order (stopwords left out)
Entry = tuple[tuple[str, ...], tuple[str, ...], str, tuple[str, ...]]

_KIND_NO = {k: i for i, k in enumerate(KINDS)}
# per-record flags: an amount of money; a percentage, rank or money; a glossary entry for a person
_MONEY_UP, _COUNT_DOWN, _PERSON, _DAY, _MONTH = 1, 2, 4, 8, 16  # _DAY, _MONTH: how precisely dated


def _fields(r: Record) -> list[tuple[float, str]]:
    fields: list[tuple[float, str]] = [(W_TITLE, r.title), (W_TAG, " ".join(r.tags)), (W_TAG, r.id)]
    for key in ("term", "expansion", "name", "acronym", "speaker", "role", "according_to", "subject",
                "place", "recipient", "contributor", "topic", "metric", "basis", "definition"):  # fmt: skip
        v = r.attrs.get(key)
        if isinstance(v, str):
            fields.append((W_NAME, v))
    for key in ("amount", "value", "value_min", "value_max"):
        v = r.attrs.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            # as --json prints it, so a script can search back what it read
            fields.append((W_TAG, str(int(v)) if v == int(v) else repr(v)))
    for key in ("variants", "aliases", "parties"):
        v = r.attrs.get(key)
        if isinstance(v, list):
            fields.append((W_NAME, " ".join(map(str, v))))
    if r.category:
        fields.append((W_TAG, r.category))
    fields.append((W_QUOTE, " ".join(c.quote for c in r.citations)))
    if isinstance(r.attrs.get("text"), str):
        fields.append((W_QUOTE, r.attrs["text"]))
    if r.note:
        fields.append((W_NOTE, r.note))
    return fields


def aliases_of(records: Any) -> list[list[str]]:
    """Each glossary entry's names (term, expansion, variants), where it has more than one: a query
    for "The Asia Business Daily" also reads as "Asia Economy", "AKFTA" as its expansion."""
    out = []
    for r in records:
        if r.kind != "term":
            continue
        names = [str(n) for n in [r.attrs.get("term"), r.attrs.get("expansion"), *(r.attrs.get("variants") or [])] if n]
        if len(names) > 1:
            out.append(names)
    return out


class _Builder:
    """Postings (term -> record positions and weights, as compact arrays) built one record at a time.
    Only the records' own words are indexed: what else a word may mean is read at query time."""

    def __init__(self) -> None:
        self.docs: dict[str, array[int]] = {}
        self.weights: dict[str, array[float]] = {}
        self.lengths: array[float] = array("d")
        self.kinds = bytearray()
        self.flags = bytearray()
        self.surface: dict[str, str] = {}  # every word as the records write it -> its token
        self.name_keys: set[tuple[str, ...]] = set()  # each record name's distinct tokens, sorted
        self.ids: list[str] = []
        # how many records hold each word in their own text (not only in the paraphrases): how rare a
        # word is, so that "seoul", written for the ROK in many paraphrases, stays as rare as the records say
        self.own: dict[str, int] = defaultdict(int)

    def add(self, i: int, r: Record, asked: list[str]) -> Entry:
        """Index record r at position i, with the ways users may ask for it; return what the final
        ranking needs of it."""
        self.ids.append(r.id)
        weights: dict[str, float] = defaultdict(float)
        stated: set[str] = set()  # words the record states (not only its curator's note)
        length = 0.0
        surface = self.surface
        seen: dict[str, list[tuple[str, str]]] = {}  # each field's words, kept for the entry below
        for w, text in _fields(r):
            pairs = seen.get(text)
            if pairs is None:
                pairs = seen[text] = raw_tokens(text)
            surface.update(pairs)
            length += w * len(pairs)
            for _, t in pairs:
                weights[t] += w
            if w > W_NOTE:
                stated.update(t for _, t in pairs)
        for t in _date_tokens(r.date):
            weights[t] += W_TAG
            stated.add(t)
        for t in weights:
            self.own[t] += 1
        if asked:
            # each word once: however many of its phrases repeat a word, it counts less than the
            # record saying it once (W_ASKED < W_QUOTE)
            toks = list(dict.fromkeys(tokens(" ".join(asked))))
            length += W_ASKED * len(toks)
            for t in toks:
                weights[t] += W_ASKED
            stated.update(toks)
        docs, ws = self.docs, self.weights
        for t, w in weights.items():
            d = docs.get(t)
            if d is None:
                d = docs[t] = array("i")
                ws[t] = array("d")
            d.append(i)
            ws[t].append(w if t in stated else -w)  # negative: met only in the note
        self.lengths.append(length or 1.0)
        self.kinds.append(_KIND_NO[r.kind])
        money = str(r.attrs.get("currency") or r.attrs.get("unit") or "")
        unit = str(r.attrs.get("unit") or "")
        flag = _MONEY_UP if len(money) == 3 and money.isupper() else 0
        if unit in ("percent", "rank") or (len(unit) == 3 and unit.isupper()):
            flag |= _COUNT_DOWN
        if r.kind == "term" and r.attrs.get("kind") == "person":
            flag |= _PERSON
        bits = _date_tokens(r.date)
        if len(bits) >= 3:
            flag |= _DAY
        elif len(bits) == 2:
            flag |= _MONTH
        self.flags.append(flag)
        # its own names, as words only ("ASEAN-Korea Centre" is "asean korea centre")
        own = [r.attrs.get(k) for k in ("term", "acronym", "expansion", "name")] + list(r.attrs.get("variants") or [])
        names = tuple(sorted({" ".join(_TOKEN.findall(normalise(str(n)))) for n in own if n}))
        self.name_keys.update(tuple(sorted(set(tokens(n)))) for n in names)
        quotes = " ".join(c.quote for c in r.citations)
        phrase = normalise(r.title + " " + quotes)
        # the headline's words in their order: the first say what the record is about; and the
        # phrase's words in theirs (the title's, then the quotes', as the fields above read them),
        # tokenised here once rather than on every query that meets it
        title = [t for _, t in seen[r.title]]
        return tuple(dict.fromkeys(title)), names, phrase, tuple(title + [t for _, t in seen[quotes]])


def rarity(n: int, df: int) -> float:
    """How rare a word in df of n records is (BM25's inverse document frequency)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class _BM25:
    """Each posting's BM25 term score, worked out once when the index is built: it depends only
    on the word's frequency in the record, the record's length and the word's rarity, none of
    which a query changes (a query only weighs its words)."""

    K1, B = 1.2, 0.5

    def __init__(self, lengths: array[float]) -> None:
        self.lengths = lengths
        self.n = len(lengths)
        avg = sum(lengths) / max(1, self.n)
        self.c0, self.c1 = self.K1 * (1 - self.B), self.K1 * self.B / (avg or 1.0)  # (no records: avg 0)

    def scores(self, docs: array[int], tfs: array[float], df: int) -> array[float]:
        """Scores of one word's postings (df: how many records hold it); negative where its weight is
        (met only in a note)."""
        scale, c0, c1, lengths = rarity(self.n, df) * (self.K1 + 1), self.c0, self.c1, self.lengths
        return array(
            "d",
            (
                scale * tf / (tf + c0 + c1 * lengths[i]) if tf > 0 else scale * tf / (c0 + c1 * lengths[i] - tf)
                for i, tf in zip(docs, tfs, strict=True)
            ),
        )


def _ubiquitous(dfs: dict[str, int], n: int) -> list[str]:
    """Words in more than a third of the records (ASEAN, Korea): no help in telling records apart."""
    return sorted(t for t, df in dfs.items() if df * 3 > n)


SEARCH_SCHEMA = """
CREATE TABLE search_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL, docs BLOB NOT NULL, scores BLOB NOT NULL,
                           rarity_df INTEGER NOT NULL);
CREATE TABLE search_entries (entry INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE search_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE search_expansions (phrase TEXT PRIMARY KEY, alternatives TEXT NOT NULL);
"""


def write_index(conn: sqlite3.Connection, records: Iterable[Record], aids: SearchAids = EMPTY) -> None:
    """Index records (in dataset order: their positions are the store's) and the curators' paraphrases
    of them into the search tables, with the query expansions the thesaurus and the glossary give."""
    b = _Builder()
    conn.executescript(SEARCH_SCHEMA)
    seen: dict[str, int] = {}  # each distinct entry is stored once (copies share their boosts)
    entry_of = array("i")
    terms: list[Record] = []  # the glossary's names are query expansions
    for i, r in enumerate(records):
        if r.kind == "term":
            terms.append(r)
        body = json.dumps(b.add(i, r, aids.paraphrases.get(r.id, [])), ensure_ascii=False)
        k = seen.get(body)
        if k is None:
            k = seen[body] = len(seen)
        entry_of.append(k)
    conn.executemany("INSERT INTO search_entries VALUES (?, ?)", ((k, body) for body, k in seen.items()))
    bm25 = _BM25(b.lengths)
    # a word's rarity counts the records that say it; one found only in paraphrases, those that ask it
    dfs = {t: b.own.get(t) or len(d) for t, d in b.docs.items()}
    conn.executemany(
        "INSERT INTO search_terms VALUES (?, ?, ?, ?, ?)",
        ((t, len(d), d.tobytes(), bm25.scores(d, b.weights[t], dfs[t]).tobytes(), dfs[t]) for t, d in b.docs.items()),
    )
    ubiquitous = _ubiquitous(dfs, len(b.lengths))
    meta: dict[str, Any] = {
        "kinds": bytes(b.kinds),
        "flags": bytes(b.flags),
        "entry_of": entry_of.tobytes(),
        "surface": json.dumps(b.surface, ensure_ascii=False),
        "names": json.dumps(sorted(b.name_keys), ensure_ascii=False),
        "ubiquitous": json.dumps(ubiquitous),
    }
    # a query looks up only its own phrases: the table can grow with the thesaurus at no cost to a search
    table = build_table(aids.variants, aids.synonyms, aliases_of(terms), frozenset(ubiquitous))
    conn.executemany(
        "INSERT INTO search_expansions VALUES (?, ?)",
        ((" ".join(k), json.dumps(v, ensure_ascii=False)) for k, v in table.items()),
    )
    meta["longest_phrase"] = str(max((len(k) for k in table), default=1))
    conn.executemany("INSERT INTO search_meta VALUES (?, ?)", meta.items())
