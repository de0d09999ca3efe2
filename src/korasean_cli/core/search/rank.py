"""Ranked search over every record: forgiving case, punctuation, plurals, small typos and
the seeds' own synonyms (Korea / ROK / Republic of Korea; ASEAN / the bloc / AMS).

Scoring is BM25 over weighted fields (title and names count more than quotes), with each
query word expanded to its synonyms and, when it is not in the vocabulary, to its
closest spellings. Records matching more of the query's distinct words rank first.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..data.model import KINDS, Record
from .expand import Slot, Table, slots
from .index import _COUNT_DOWN, _DAY, _KIND_NO, _MONEY_UP, _MONTH, _PERSON, W_NOTE, Entry, _fields, rarity
from .words import _TOKEN, _date_tokens, normalise, raw_tokens, tokens

if TYPE_CHECKING:
    from ..store.dataset import Dataset


def _add_up_slots(
    idx: SearchIndex, q_slots: list[Slot], readings_of: list[list[tuple[tuple[str, ...], float]]]
) -> tuple[dict[int, float], dict[int, float]]:
    """Each record's BM25 score summed over the query's slots, and how many query words it matched.

    A slot counts, per record, its best reading: the literal words (weight 1) or an alternative
    (a lower weight), each reading scoring the sum of its words' scores. A word met only in a
    curator's note (which discusses other records) adds to the score but matches nothing."""
    # each slot as parallel lists (records, scores, words matched), the longest summed first in C
    lists: list[tuple[Sequence[int], Sequence[float], Sequence[float]]] = []
    for slot, readings in zip(q_slots, readings_of, strict=True):
        size = len(slot.literal)
        if len(readings) == 1 and len(readings[0][0]) == 1:  # the usual case: one word, read as itself
            (tok,), weight = readings[0]
            docs, pre = idx.postings(tok)
            lists.append((docs, [weight * abs(p) for p in pre], [size if p > 0 else 0.0 for p in pre]))
            continue
        best: dict[int, tuple[float, float]] = {}  # record -> (score, words matched)
        concept = idx.concept_idf(readings) if len(readings) > 1 else None
        for toks, weight in readings:
            if concept is not None:
                # a meaning found everywhere counts as little however rarely this spelling of it is
                # written ("southeast asia" is ASEAN here): each reading at most as rare as its meaning
                written = sum(idx._idf(t) for t in toks) / len(toks)
                weight *= min(1.0, concept / written) if written > 0 else 1.0
            acc = _partial(idx, toks) if toks == slot.literal or len(toks) == 1 else _whole(idx, toks)
            for i, (v, n) in acc.items():
                value = weight * v
                if value > best.get(i, (0.0, 0.0))[0]:
                    best[i] = (value, size * n / len(toks))
        lists.append((list(best), [v for v, _ in best.values()], [m for _, m in best.values()]))
    if not lists:
        return {}, {}
    lists.sort(key=lambda x: -len(x[0]))
    first_docs, first_values, first_hits = lists[0]
    scores = dict(zip(first_docs, first_values, strict=True))
    matched = dict(zip(first_docs, first_hits, strict=True))
    get_score, get_matched = scores.get, matched.get
    for more_docs, values, hits in lists[1:]:
        for i, v, h in zip(more_docs, values, hits, strict=True):
            scores[i] = get_score(i, 0.0) + v
            matched[i] = get_matched(i, 0.0) + h
    return scores, matched


def _partial(idx: SearchIndex, toks: tuple[str, ...]) -> dict[int, list[float]]:
    """Each record holding any of the words: their summed score and how many it states."""
    acc: dict[int, list[float]] = {}
    for t in toks:
        for i, p in zip(*idx.postings(t), strict=True):
            got = acc.get(i)
            if got is None:
                got = acc[i] = [0.0, 0.0]
            got[0] += abs(p)
            if p > 0:
                got[1] += 1.0
    return acc


def _whole(idx: SearchIndex, toks: tuple[str, ...]) -> dict[int, list[float]]:
    """Each record holding every one of the words (an alternative phrase counts whole or not at
    all: "korean port city" for Busan is not "korean"), found from the rarest word's records."""
    lists = sorted((idx.postings(t) for t in dict.fromkeys(toks)), key=lambda x: len(x[0]))
    acc: dict[int, list[float]] = {}
    for i, p in zip(*lists[0], strict=True):
        v, n = abs(p), float(p > 0)
        for docs, scores in lists[1:]:
            j = bisect_left(docs, i)
            if j == len(docs) or docs[j] != i:
                break
            v += abs(scores[j])
            n += scores[j] > 0
        else:
            acc[i] = [v, n]
    return acc


def _own_coverage(
    r: Record, q_slots: list[Slot], readings_of: list[list[tuple[tuple[str, ...], float]]], n_q: int
) -> float:
    """The share of the query's words that the record's own text states (not its note, not its
    paraphrases), read as the ranking reads them: the literal words one by one, an alternative whole."""
    own = {t for w, text in _fields(r) if w > W_NOTE for t in tokens(text)}
    own.update(_date_tokens(r.date))
    matched = 0.0
    for slot, readings in zip(q_slots, readings_of, strict=True):
        best = 0.0
        for toks, _ in readings:
            held = sum(t in own for t in toks) / len(toks)
            best = max(best, held if toks == slot.literal or len(toks) == 1 else float(held == 1.0))
        matched += len(slot.literal) * best
    return matched / n_q


class Hit(NamedTuple):
    score: float
    record: Record
    coverage: float = 1.0  # share of the query's words the record matched
    follows: str | None = None  # shown right after this record, which another source contradicts


# the most the per-record boosts (phrase, headline, own name) can multiply a score by
MATCH_NOTED = 0.0  # a query word met only in a curator's note (which discusses other records) covers nothing
W_DAY, W_MONTH = 1.2, 1.1  # "when" questions: events dated to the day, to the month
_ORDINAL = re.compile(r"^(first|\d+(st|nd|rd|th))$")
W_OTHER_ORDINAL = 0.6  # a penalty (below 1, so the bounds below still bound the boosts)
PHRASE_MIN = 3  # the whole query as one phrase counts from three words on (two are a pair)
W_TYPE = 1.3  # "which X / what X": a record whose headline opens with X, or of kind X
W_PAIR = 0.5  # the most the query's adjacent word pairs, all found side by side, add
W_PREC = 0.15  # the most a headline about nothing but what was asked adds
# Each boost rule of _boost and the most it can multiply a score by: the early stop's bound is
# the product of the rules that can apply to a query, so a rule and its bound are one entry.
BOOST_BOUNDS = {
    "phrase": 1.5,  # the whole query, as written, in the record's title and quotes
    "pairs": 1 + W_PAIR,  # the query's adjacent word pairs side by side in the record
    "headline": 1.5,  # the headline holds what is asked
    "precision": 1 + W_PREC,  # the headline is about nothing else
    "type": W_TYPE,  # "which summit": a record that is one
    "own_name": 2.0,  # asking for a name or acronym by itself finds its own entry
}


class SearchIndex:
    """An inverted index over one Dataset, in memory or read piece by piece from a store."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.records = ds.records
        meta = dict(ds.rows("SELECT key, value FROM search_meta WHERE key IN ('kinds', 'flags', 'names')"))
        self.kinds, self.flags = bytes(meta.get("kinds", b"")), bytes(meta.get("flags", b""))
        self.n = len(self.kinds)
        if self.n != len(ds.records) or len(self.flags) != self.n or "names" not in meta:
            from ..store.dataset import CacheDamaged

            raise CacheDamaged(ds.path, "search index does not match the dataset")
        self.name_keys: set[tuple[str, ...]] = {tuple(k) for k in json.loads(meta["names"])}
        # how many records say the word (its rarity), its records, its scores
        self._terms: dict[str, tuple[int, array[int], array[float]] | None] = {}
        self._vocab: list[str] | None = None  # every indexed word: read only for a misspelt query word
        self._entry_of: array[int] | None = None
        self._entries: dict[int, Entry] = {}
        self._ids: dict[int, str] = {}
        self._ubiquitous: frozenset[str] | None = None
        self._surface: dict[str, str] | None = None
        self._idfs: dict[str, float] = {}

    def _term(self, token: str) -> tuple[int, array[int], array[float]] | None:
        if token not in self._terms:
            got = self.ds.rows("SELECT df, docs, scores, rarity_df FROM search_terms WHERE term = ?", (token,))
            if got:
                docs, ws = array("i"), array("d")
                docs.frombytes(got[0][1])
                ws.frombytes(got[0][2])
                if (
                    len(docs) != len(ws)
                    or len(docs) != got[0][0]
                    or (docs and not 0 <= docs[-1] < self.n)
                    or not 1 <= got[0][3] <= self.n
                ):
                    from ..store.dataset import CacheDamaged

                    raise CacheDamaged(self.ds.path, "search index is damaged")
                self._terms[token] = (got[0][3], docs, ws)
            else:
                self._terms[token] = None
        return self._terms[token]

    def known(self, token: str) -> bool:
        return self._term(token) is not None

    def vocab(self) -> list[str]:
        if self._vocab is None:
            self._vocab = [t for (t,) in self.ds.rows("SELECT term FROM search_terms")]
        return self._vocab

    def postings(self, token: str) -> tuple[array[int], array[float]]:
        """The records that hold token (positions ascending) and its BM25 score in each,
        negative where the word is met only in the record's note."""
        got = self._term(token)
        if got is None:
            return array("i"), array("d")
        return got[1], got[2]

    def record_id(self, i: int) -> str:
        """The id of record i, without building the record (ties in score are broken by id)."""
        rid = self._ids.get(i)
        if rid is None:
            found = self.ds.rows("SELECT id FROM records WHERE pos = ?", (i,))
            rid = self._ids[i] = found[0][0] if found else ""
        return rid

    def doc_entry(self, i: int) -> int:
        """The number of record i's ranking entry (each distinct entry is stored once)."""
        if self._entry_of is None:
            self._entry_of = array("i")
            self._entry_of.frombytes(self._meta("entry_of"))
            if len(self._entry_of) != self.n:
                from ..store.dataset import CacheDamaged

                raise CacheDamaged(self.ds.path, "search index does not match the dataset")
        return self._entry_of[i]

    def decode_entry(self, entry: int) -> Entry:
        got = self._entries.get(entry)
        if got is None:
            rows = self.ds.rows("SELECT body FROM search_entries WHERE entry = ?", (entry,))
            if not rows:
                from ..store.dataset import CacheDamaged

                raise CacheDamaged(self.ds.path, "search index is damaged")
            t, names, phrase, seq = json.loads(rows[0][0])
            got = self._entries[entry] = (tuple(t), tuple(names), phrase, tuple(seq))
        return got

    def _meta(self, key: str) -> Any:
        rows = self.ds.rows("SELECT value FROM search_meta WHERE key = ?", (key,))
        if not rows:
            from ..store.dataset import CacheDamaged

            raise CacheDamaged(self.ds.path, f"search index has no {key}")
        return rows[0][0]

    def _idf(self, token: str) -> float:
        idf = self._idfs.get(token)
        if idf is None:
            got = self._term(token)
            idf = self._idfs[token] = rarity(self.n, got[0] if got else 0)
        return idf

    def ubiquitous(self) -> frozenset[str]:
        """Words in more than a third of the records (ASEAN, Korea): no help in telling records apart."""
        if self._ubiquitous is None:
            self._ubiquitous = frozenset(json.loads(self._meta("ubiquitous")))
        return self._ubiquitous

    def surface(self) -> dict[str, str]:
        """Every word as the records write it, with its search token."""
        if self._surface is None:
            self._surface = json.loads(self._meta("surface"))
        return self._surface

    def concept_idf(self, readings: list[tuple[tuple[str, ...], float]]) -> float:
        """How rare a meaning is: the rarity of the records holding any of its readings' words."""
        holders: set[int] = set()
        for toks, _ in readings:
            common = set(self.postings(toks[0])[0])
            for t in toks[1:]:
                common.intersection_update(self.postings(t)[0])
            holders |= common
        return rarity(self.n, len(holders))

    def expansions(self, words: Sequence[str] | None = None) -> Table:
        """What a query's words and phrases may also be read as (search/expand.py), from the store:
        for the phrases of ``words`` only (one indexed look-up each), or the whole table."""
        if words is None:
            rows = self.ds.rows("SELECT phrase, alternatives FROM search_expansions")
        else:
            longest = int(self._meta("longest_phrase"))
            phrases = {
                " ".join(words[i : i + n])
                for i in range(len(words))
                for n in range(1, longest + 1)
                if i + n <= len(words)
            }
            if not phrases:
                return {}
            marks = ",".join("?" * len(phrases))
            rows = self.ds.rows(
                f"SELECT phrase, alternatives FROM search_expansions WHERE phrase IN ({marks})", list(phrases)
            )
        return {tuple(k.split(" ")): [(tuple(toks), w) for toks, w in json.loads(alts)] for k, alts in rows}

    def _closest(self, token: str, raws: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """An unknown word's closest spellings, with their weights."""
        if len(token) < 4 or token.isdigit():
            return []
        # an unknown word: the closest spellings stand in for it, among the index's tokens and
        # among the words as written ("investmnet" ~ "investment", whose token is "invest")
        from rapidfuzz import fuzz, process

        best: dict[str, float] = {}
        for w, score, _ in process.extract(token, self.vocab(), scorer=fuzz.ratio, limit=3, score_cutoff=80):
            best[w] = score
        surface = self.surface()
        for raw in raws:
            for w, score, _ in process.extract(raw, list(surface), scorer=fuzz.ratio, limit=3, score_cutoff=80):
                t = surface[w]
                if self.known(t) and score > best.get(t, 0.0):
                    best[t] = score
        found = sorted(best.items(), key=lambda x: (-x[1], x[0]))[:3]
        return [(w, 0.8 * score / 100) for w, score in found]

    def nearest(self, query: str, limit: int = 3) -> tuple[list[str], list[Hit]]:
        """For a query that matched nothing: the words the records use that are closest to its
        unknown words (a looser match than search allows itself), and what the query finds with
        each unknown word read as the closest one."""
        from rapidfuzz import fuzz, process

        surface = list(self.surface())
        words: list[str] = []
        fixed: list[str] = []
        for raw, tok in raw_tokens(query[:1000]):
            if self.known(tok):
                fixed.append(raw)
                continue
            found = process.extract(raw, surface, scorer=fuzz.ratio, limit=2, score_cutoff=60)
            words.extend(w for w, _, _ in found)
            if found:
                fixed.append(found[0][0])
        hits = self.search(" ".join(fixed), limit) if words else []
        return list(dict.fromkeys(words)), hits

    def search(self, query: str, limit: int = 10, kinds: tuple[str, ...] | None = None) -> list[Hit]:
        q_tokens = list(dict.fromkeys(tokens(query)))
        if not q_tokens:
            q_tokens = list(dict.fromkeys(tokens(query, keep_stopwords=True)))
        if not q_tokens:
            return []
        prior = _intent(query)
        count = "how many" in query.lower()
        # "who wrote / heads / is ..." asks for a person (but "who said" for a statement)
        who = bool(re.search(r"\bwho\b", query.lower())) and prior.get("statement", 1.0) == 1.0
        money = bool(re.search(r"\b(how much|how big|how large|worth|value of|amount|money)\b", query.lower()))
        raws: dict[str, tuple[str, ...]] = defaultdict(tuple)
        for raw, qt in raw_tokens(query, keep_stopwords=True):
            raws[qt] += (raw,)
        # the query's words and known phrases, each read literally first, then as its alternatives
        # (thesaurus, glossary names) at a lower weight, or, when unknown, as its closest spellings
        q_slots = slots(q_tokens, self.expansions(q_tokens))
        readings_of: list[list[tuple[tuple[str, ...], float]]] = []
        for slot in q_slots:
            readings = [r for r in slot.readings if all(self.known(t) for t in r[0])]
            if len(slot.literal) == 1 and not self.known(slot.literal[0]):
                readings += [((t,), w) for t, w in self._closest(slot.literal[0], raws[slot.literal[0]])]
            readings_of.append(readings)
        held: dict[str, array[int]] = {}  # each literal query word's records (in order), for the pair check
        for qt in q_tokens:
            if self.known(qt):
                held[qt] = self.postings(qt)[0]
        scores, matched = _add_up_slots(self, q_slots, readings_of)
        wanted = {_KIND_NO[k] for k in kinds} if kinds else None
        kind_prior = [prior.get(k, 1.0) for k in KINDS]
        fig, con, ev = _KIND_NO["figure"], _KIND_NO["contribution"], _KIND_NO["event"]
        when = prior.get("event", 1.0) > 1.0
        n_q = sum(len(slot.literal) for slot in q_slots) or 1
        # first what the compact arrays can tell, then the per-record boosts, best first,
        # until no record left could reach the last place even with every boost
        cheap: list[tuple[float, int, float]] = []
        for i, s in scores.items():
            kind = self.kinds[i]
            if wanted is not None and kind not in wanted:
                continue
            coverage = matched[i] / n_q
            s *= 0.25 + 0.75 * coverage * coverage
            s *= kind_prior[kind]
            if money and (kind == fig or kind == con):
                # "how much" asks for an amount of money, not a rank or a growth rate
                s *= 1.4 if self.flags[i] & _MONEY_UP else 0.8
            elif count and kind == fig:
                s *= 0.8 if self.flags[i] & _COUNT_DOWN else 1.3
            if who and self.flags[i] & _PERSON:
                s *= 2.0
            if when and kind == ev:
                # "when" is best answered by the record that gives the day, then the month
                s *= W_DAY if self.flags[i] & _DAY else W_MONTH if self.flags[i] & _MONTH else 1.0
            cheap.append((s, i, coverage))
        cheap.sort(key=lambda x: -x[0])
        phrase = normalise(query).strip()
        q_line = " " + " ".join(_TOKEN.findall(phrase)) + " "
        q_set = set(q_tokens)
        all_seq = tokens(query)
        ubiquitous = self.ubiquitous() if len(all_seq) > 1 else frozenset()
        q_seq = [t for t in all_seq if t not in ubiquitous]
        # each pair counted by its rarer word: "asean korea" says little, "climate change" much
        q_pairs = {(a, b): min(self._idf(a), self._idf(b)) for a, b in zip(q_seq, q_seq[1:], strict=False) if a != b}
        pair_sum = sum(q_pairs.values()) or 1.0
        # what each query slot stands for in the index (its words, their alternatives) and its weight
        q_stands = [
            (max(w * self._idf(t) for toks, w in rs for t in toks), [(w, set(toks)) for toks, w in rs])
            for rs in readings_of
            if rs
        ]
        q_weight = sum(w for w, _ in q_stands) or 1.0
        q_all = {t for _, rs in q_stands for _, ts in rs for t in ts}
        q_ordinals = {t for t in q_set if _ORDINAL.match(t)}
        answer_type = _answer_type(query)
        # the most the boosts below can give this query: the early stop's bound, the product of the
        # bounds of the rules that can apply (each rule declares its own in BOOST_BOUNDS)
        with_phrase = len(q_seq) >= PHRASE_MIN and len(phrase) > 8
        can_apply = {
            "phrase": with_phrase,
            "pairs": bool(q_pairs),
            "headline": True,
            "precision": True,
            "type": bool(answer_type),
            # the own-name boost needs a name whose words are all the query's words
            "own_name": tuple(sorted(q_set)) in self.name_keys,
        }
        bound = math.prod(b for rule, b in BOOST_BOUNDS.items() if can_apply[rule])
        evaluated: list[tuple[float, int, float]] = []  # (rounded score, position, coverage)
        leaders: list[float] = []  # a min-heap of the `limit` best scores so far: leaders[0] is the floor
        # A record's boost depends only on its stored entry, its kind and whether it holds a
        # query pair's words: records with the same of all three (copies) share one computation.
        boosts: dict[tuple[Any, int, bool], float] = {}
        # the records that hold both words of some query pair (only they can hold the pair side by side)
        pair_holders: set[int] = set()
        for a, b2 in q_pairs:
            if a in held and b2 in held:
                pair_holders.update(set(held[a]).intersection(held[b2]))
        for s, i, coverage in cheap:
            if len(leaders) >= limit and s * bound < leaders[0] - 1e-4:
                break
            entry = self.doc_entry(i)
            kind = self.kinds[i]
            holds = i in pair_holders
            key = (entry, kind, holds)
            boost = boosts.get(key)
            if boost is None:
                boost = boosts[key] = self._boost(
                    self.decode_entry(entry), kind, holds, with_phrase, phrase, q_pairs, pair_sum, ubiquitous,
                    q_stands, q_weight, q_all, answer_type, q_ordinals, q_line, q_set,
                )  # fmt: skip
            s *= boost
            score = round(s, 4)
            evaluated.append((score, i, coverage))
            if len(leaders) < limit:
                heapq.heappush(leaders, score)
            elif score > leaders[0]:
                heapq.heapreplace(leaders, score)
        # the answer: the best `limit` by score, then id; ids are read only where scores tie
        floor = leaders[0] if len(leaders) >= limit else -math.inf
        chosen = [e for e in evaluated if e[0] >= floor]
        ties = Counter(score for score, _, _ in chosen)
        chosen.sort(key=lambda e: (-e[0], self.record_id(e[1]) if ties[e[0]] > 1 else ""))
        # a hit's coverage is what the record itself says of the query, its curators' paraphrases aside:
        # cite's "the sources may not say this" must not be silenced by how users may ask
        out = []
        for score, i, _ in chosen[:limit]:
            r = self.records[i]
            out.append(Hit(score, r, round(_own_coverage(r, q_slots, readings_of, n_q), 3)))
        return out

    def _boost(
        self, doc: Entry, kind: int, holds: bool, with_phrase: bool,
        phrase: str, q_pairs: dict[tuple[str, str], float], pair_sum: float, ubiquitous: frozenset[str],
        q_stands: list[tuple[float, list[tuple[float, set[str]]]]], q_weight: float, q_all: set[str], answer_type: str | None,
        q_ordinals: set[str], q_line: str, q_set: set[str],
    ) -> float:  # fmt: skip
        """What one record's own text multiplies its score by, for this query."""
        title_tokens, names, doc_phrase, doc_seq = doc
        s = 1.0
        if with_phrase and phrase in doc_phrase:
            s *= BOOST_BOUNDS["phrase"]
        if holds:
            # words side by side as asked ("disaster management", "climate change") beat
            # the same words scattered over a record; words in nearly every record (ASEAN,
            # Korea) do not part them ("9th ASEAN-ROK Summit" has "9th summit")
            seq = [t for t in doc_seq if t not in ubiquitous]
            found = {p for p in zip(seq, seq[1:], strict=False) if p in q_pairs}
            s *= 1 + W_PAIR * sum(q_pairs[p] for p in found) / pair_sum
        # a record whose headline says everything asked beats one that mentions it in passing
        # (each query word counted by its weight: the rare words say what is asked; a word's
        # alternative counts as much less as its reading weighs)
        said = sum(w * max((rw for rw, ts in rs if not ts.isdisjoint(title_tokens)), default=0.0) for w, rs in q_stands)
        s *= 1 + (BOOST_BOUNDS["headline"] - 1) * said / q_weight
        if W_PREC and title_tokens:
            # and one whose headline is about nothing else beats one that adds what was not asked
            # ("people who fled Myanmar": the total, not the figure for Bangladesh)
            t_idf = [self._idf(t) for t in title_tokens]
            s *= 1 + W_PREC * sum(x for t, x in zip(title_tokens, t_idf, strict=True) if t in q_all) / (
                sum(t_idf) or 1.0
            )
        if answer_type:
            # "which summit ...": a record that is a summit, not one that mentions one
            head = [t for t in title_tokens if t not in ubiquitous and not _ORDINAL.match(t) and not t.isdigit()]
            if answer_type in head[:3] or answer_type == KINDS[kind]:
                s *= BOOST_BOUNDS["type"]
        if q_ordinals and not q_ordinals.intersection(title_tokens):
            # "the first summit" is not the 8th: a headline with another ordinal is less likely
            if any(_ORDINAL.match(t) for t in title_tokens):
                s *= W_OTHER_ORDINAL
        # asking for a name or acronym by itself ("AKFTA") finds its own entry first
        if any(f" {n} " in q_line and len(set(tokens(n))) >= len(q_set) for n in names):
            s *= BOOST_BOUNDS["own_name"]
        return s


def _answer_type(query: str) -> str | None:
    """The thing a "which X" / "what X" question asks for, as a token ("which fund" -> fund)."""
    m = re.search(r"\b(?:which|what)\s+([a-z][a-z-]*)", normalise(query))
    if m is None:
        return None
    found = tokens(m.group(1))
    return found[0] if found else None


def _intent(query: str) -> dict[str, float]:
    """Kind priors from the way the question is asked."""
    q = query.lower()
    prior = {"term": 0.7}
    if re.search(r"\b(when|what year|which year|date|since)\b", q):
        prior.update(event=1.4, contribution=1.2)
    if re.search(
        r"\b(how much|how many|how big|how large|amount|money|usd|us\$|\$|million|billion|per ?cent|%|value|rank)", q
    ):
        prior.update(figure=1.4, contribution=1.4)
    elif not re.search(
        r"\b(how long|how fast|how old|number|total|count|share|percent|growth|grow|rose|rise|times|figures?|statistics?)\b|\d",
        q,
    ):
        prior.update(figure=0.9)  # nothing quantitative asked: a figure is less likely the answer
    if re.search(r"\b(stand for|stands for|acronym|mean|meaning|abbreviation|what is|who is)\b", q):
        prior.update(term=1.3)
    if re.search(r"\b(said|say|says|quote|according to|statement|told|words)\b", q):
        prior.update(statement=1.4)
    if re.search(r"\bfund\b", q) and not re.search(r"\b(contribut|how much)", q):
        prior.setdefault("fund", 1.3)
    if re.search(r"\bcontributions?\b", q):
        prior.setdefault("contribution", 1.2)
    return prior


_INDEX_CACHE: dict[int, SearchIndex] = {}


def index_for(ds: Dataset) -> SearchIndex:
    """The search index of ds, read from its store (once per dataset in a process)."""
    idx = _INDEX_CACHE.get(id(ds))
    if idx is None or idx.ds is not ds:
        _INDEX_CACHE.clear()
        idx = _INDEX_CACHE[id(ds)] = SearchIndex(ds)
    return idx
