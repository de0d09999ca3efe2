"""Ranked search over every record: forgiving case, punctuation, plurals, small typos and
the seeds' own synonyms (Korea / ROK / Republic of Korea; ASEAN / the bloc / AMS).

Scoring is BM25 over weighted fields (title and names count more than quotes), with each
query word expanded to its synonyms and, when it is not in the vocabulary, to its
closest spellings. Records matching more of the query's distinct words rank first.
"""

from __future__ import annotations

import heapq
import marshal
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from .dates import MONTHS_SHORT
from .model import KINDS, Dataset, Record

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")

STOPWORDS = frozenset(
    """a an and are as at be been by did do does for from had has have how i in into is it its of on or
    s so than that the their there these they this to was were what when where which who whom why will with
    would whose other others about me tell show give find much many any all stand mean means meaning acronym abbreviation
    year years officially formally fast big large say says said saying between become became""".split()
)

# Each group is one concept; the first word is what every member is indexed and searched as.
_SYNONYMS = [
    "korea rok korean koreans southkorea republic seoul",
    "asean bloc ams southeast aseans",
    "fta freetrade",
    "fund funds funding",
    "contribution contribute contributed donate donation pledge grant give gave",
    "establish establishment open opened opening create created found founded launch launched inaugurate "
    "start started begin began initiate initiated",
    "first inaugural 1st initial maiden",
    "trade trading commerce export import exports imports",
    "invest investment investments investor fdi",
    "summit",
    "meeting meet met consultation consultations",
    "dialogue talk talks talking",
    "author wrote write writer written reporter journalist byline",
    "business company companies enterprise enterprises firm firms",
    "agreement treaty pact accord deal",
    "effect effective force enforce",
    "sign signed signing ink conclude concluded",
    "covid covid19 coronavirus pandemic",
    "elevate upgrade upgraded raise level",
    "culture cultural",
    "hallyu kwave",
    "refugee refugees rohingya resettlement resettle asylum",
    "anniversary jubilee",
    "annual annually yearly",
    "growth grow grew increase increased rise rose",
    "migrate migrated migrant migrants flee fled displaced",
    "join joined participate participation participant confirmed",
    "double doubled twice",
    "president yoon",
    "secretary secretarygeneral head heads headed chief chairman chairperson",
    "minister ministerial ministers",
    "embassy mission ambassador",
    "youth young",
    "digital ict technology tech",
    "environment climate green",
    "disaster humanitarian hadr",
    "largest biggest top",
    "popular popularity",
    "partner partners partnership partnerships",
    "include includes included including cover covers covered contain contains",
    "accompany accompanied accompanies accompanying",
    "infection infections infected infect caught",
    "country countries nation nations",
    "depart departs departed departing departure leave leaves leaving",
]

_MONTHS = {m.lower(): f"m{i + 1:02d}" for i, m in enumerate(MONTHS_SHORT)}
_MONTHS.update(
    {
        name: f"m{i + 1:02d}"
        for i, name in enumerate(
            "january february march april may june july august september october november december".split()
        )
    }
)
_MONTHS["sept"] = "m09"

# American spellings meet the seeds' British ones ("center" / "centre", "organization")
_SPELLING = {
    "center": "centre",
    "centers": "centres",
    "program": "programme",
    "programs": "programmes",
    "defense": "defence",
    "labor": "labour",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "favor": "favour",
    "honor": "honour",
    "color": "colour",
    "traveled": "travelled",
    "traveling": "travelling",
    "travelers": "travellers",
    "dialog": "dialogue",
    "catalog": "catalogue",
    "fulfill": "fulfil",
    "enroll": "enrol",
}
_IZE = re.compile(r"(?<=[a-z]{3})iz(e|es|ed|ing|ation|ations)$")

_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "fifth": "5th",
    "sixth": "6th",
    "second": "2nd",
    "third": "3rd",
    "fitfth": "5th",
}
_COMPOUNDS = [
    ("south korea", "korea"),
    # titles that open with "first" are not an ordinal: "First Lady" is no first-time event
    ("first lady", "firstlady"),
    ("first deputy", "firstdeputy"),
    ("republic of korea", "korea"),
    ("free trade", "fta"),
    ("south-east asia", "asean"),
    ("southeast asia", "asean"),
    ("k-wave", "kwave"),
    ("korean wave", "kwave"),
    ("covid-19", "covid"),
    ("secretary-general", "secretarygeneral"),
    ("secretary general", "secretarygeneral"),
    ("set up", "establish"),
    ("each year", "annual"),
    ("every year", "annual"),
    ("per year", "annual"),
    ("a year", "annual"),
    ("took effect", "effect"),
    ("travelled with", "accompanied"),
    ("travelling with", "accompanied"),
    ("traveled with", "accompanied"),
    ("traveling with", "accompanied"),
    ("went with", "accompanied"),
    ("came with", "accompanied"),
    ("member states", "member countries"),
    ("catching on", "popular"),
    ("catches on", "popular"),
    ("caught on", "popular"),
    ("take part", "participate"),
    ("takes part", "participate"),
    ("took part", "participate"),
    ("taking part", "participate"),
    ("taken part", "participate"),
    # leave as time off work is no departure
    ("childcare leave", "childcare leaveofabsence"),
    ("parental leave", "parental leaveofabsence"),
    ("maternity leave", "maternity leaveofabsence"),
    ("paternity leave", "paternity leaveofabsence"),
    ("engage in", "participate"),
    ("engages in", "participate"),
    ("engaged in", "participate"),
    ("engaging in", "participate"),
    ("came into effect", "effect"),
    ("came into force", "effect"),
    ("entered into force", "effect"),
]

# whole words only: "a year" is no part of "data year"
_COMPOUND_RES: dict[str, re.Pattern[str]] = {}

# field weights: names and titles say what a record is; quotes say it at length
W_TITLE, W_NAME, W_TAG, W_QUOTE, W_NOTE = 3.0, 2.5, 1.5, 1.0, 0.3


def _stem(w: str) -> str:
    """A light English stemmer: plurals, -es, -ed and -ing, then a final -e, applied alike to
    text and queries ("elevate", "elevated" and "elevates" all become "elevat")."""
    if w.isdigit() or len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    elif (w.endswith("ed") and len(w) >= 6) or (w.endswith("ing") and len(w) >= 7):
        w = w[:-2] if w.endswith("ed") else w[:-3]
        if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in "aeiou":
            w = w[:-1]  # "planned" -> "plan", as "plan"
    if w.endswith("ment") and len(w) >= 10:
        w = w[:-4]  # "management" meets "manage", "development" "develop" (not "implement", "moment")
    if w.endswith("e") and not w.endswith("ee") and len(w) >= 5:
        w = w[:-1]
    return w


_CANON: dict[str, str] = {}
for _group in _SYNONYMS:
    _words = _group.split()
    for _w in _words:
        _CANON.setdefault(_w, _words[0])
    for _w in _words:  # and the stem of each, so that every inflection finds its group
        _CANON.setdefault(_stem(_w), _words[0])


_POSSESSIVE = re.compile(r"'s\b")


def normalise(text: str) -> str:
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    text = text.lower().replace("’", "'").replace("‘", "'").replace("\\$", "$")
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    for phrase, token in _COMPOUNDS:
        if phrase in text:
            pattern = _COMPOUND_RES.get(phrase)
            if pattern is None:  # compiled when first met: most never are, and imports stay quick
                pattern = _COMPOUND_RES[phrase] = re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])")
            text = pattern.sub(f" {token} ", text)
    return text


_WORDS: dict[str, tuple[bool, str]] = {}  # raw word -> (is a stopword, canonical token)


def _canonical(raw: str) -> tuple[bool, str]:
    raw = raw.replace(".", "") if not raw.replace(".", "").isdigit() else raw
    w = _NUMBER_WORDS.get(raw, raw)
    w = _IZE.sub(r"is\1", _SPELLING.get(w, w))
    w = _MONTHS.get(w, w)
    w = _CANON.get(w, w)
    w = _stem(w)
    return raw in STOPWORDS, _CANON.get(w, w)


def tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Canonical search tokens of a text."""
    return [t for _, t in raw_tokens(text, keep_stopwords=keep_stopwords)]


def raw_tokens(text: str, *, keep_stopwords: bool = False) -> list[tuple[str, str]]:
    """Each word of a text as written (after normalise) with its canonical search token."""
    out = []
    words = _WORDS
    for raw in _TOKEN.findall(normalise(text)):
        # the same few thousand words recur across records: canonicalise each once
        hit = words.get(raw)
        if hit is None:
            hit = words[raw] = _canonical(raw)
        if hit[0] and not keep_stopwords:
            continue
        out.append((raw, hit[1]))
    return out


def _phrase_tokens(phrase: str, leave_out: frozenset[str]) -> list[str]:
    """tokens() of a text normalise() has already seen, less the words in leave_out: quicker."""
    out = []
    words = _WORDS
    for raw in _TOKEN.findall(phrase):
        hit = words.get(raw)
        if hit is None:
            hit = words[raw] = _canonical(raw)
        if not hit[0] and hit[1] not in leave_out:
            out.append(hit[1])
    return out


def _add_up(lists: list[tuple[Sequence[int], Sequence[float], float]]) -> tuple[dict[int, float], dict[int, float]]:
    """Each record's BM25 score summed over the query's words, and how many of them it matched
    (a word met only in a curator's note, which discusses other records, adds to the score but
    matches nothing: MATCH_NOTED)."""
    if not lists:
        return {}, {}
    lists = sorted(lists, key=lambda x: -len(x[0]))
    # the longest list makes the dictionaries in one go; only the shorter ones are added one by one
    docs, pre, qw = lists[0]
    scores = dict(zip(docs, map(abs, pre) if qw == 1.0 else [qw * abs(p) for p in pre], strict=True))
    matched = dict(zip(docs, [1.0 if p > 0 else MATCH_NOTED for p in pre], strict=True))
    get_score, get_matched = scores.get, matched.get
    for docs, pre, qw in lists[1:]:
        for i, p in zip(docs, pre, strict=True):
            if p > 0:
                scores[i] = get_score(i, 0.0) + qw * p
                matched[i] = get_matched(i, 0.0) + 1.0
            else:
                scores[i] = get_score(i, 0.0) - qw * p
                matched[i] = get_matched(i, 0.0) + MATCH_NOTED
    return scores, matched


def _ubiquitous(vocab: dict[str, tuple[int, int]], n: int) -> frozenset[str]:
    return frozenset(t for t, (_, df) in vocab.items() if df * 3 > n)


def _date_tokens(edtf: str | None) -> list[str]:
    if not edtf:
        return []
    out = []
    for part in edtf.replace("~", "").replace("?", "").split("/"):
        bits = part.split("-")
        if bits and bits[0].isdigit():
            out.append(bits[0])
            if len(bits) > 1:
                out.append(f"m{bits[1]}")
            if len(bits) > 2:
                out.append(str(int(bits[2])))
    return out


# what the final ranking needs of a record: its headline's tokens, its own names, its title
# and quotes normalised, and their tokens in order (stopwords left out)
Entry = tuple[tuple[str, ...], tuple[str, ...], str, tuple[str, ...]]


class Hit(NamedTuple):
    score: float
    record: Record
    coverage: float = 1.0  # share of the query's words the record matched
    follows: str | None = None  # shown right after this record, which another source contradicts


_KIND_NO = {k: i for i, k in enumerate(KINDS)}
# per-record flags: an amount of money; a percentage, rank or money; a glossary entry for a person
_MONEY_UP, _COUNT_DOWN, _PERSON, _DAY, _MONTH = 1, 2, 4, 8, 16  # _DAY, _MONTH: how precisely dated
# the most the per-record boosts (phrase, headline, own name) can multiply a score by
MATCH_NOTED = 0.0  # a query word met only in a curator's note (which discusses other records) covers nothing
W_DAY, W_MONTH = 1.2, 1.1  # "when" questions: events dated to the day, to the month
_ORDINAL = re.compile(r"^(first|\d+(st|nd|rd|th))$")
W_OTHER_ORDINAL = 0.6  # a penalty (below 1, so _MAX_BOOST still bounds the boosts)
PHRASE_MIN = 3  # the whole query as one phrase counts from three words on (two are a pair)
W_TYPE = 1.3  # "which X / what X": a record whose headline opens with X, or of kind X
W_PAIR = 0.5  # the most the query's adjacent word pairs, all found side by side, add
W_PREC = 0.15  # the most a headline about nothing but what was asked adds
_MAX_BOOST = 1.5 * (1 + W_PAIR) * 1.5 * (1 + W_PREC) * W_TYPE * 2.0


def _fields(r: Record) -> list[tuple[float, str]]:
    fields: list[tuple[float, str]] = [(W_TITLE, r.title), (W_TAG, " ".join(r.tags)), (W_TAG, r.id)]
    for key in ("term", "expansion", "name", "acronym", "speaker", "role", "according_to", "subject",
                "place", "recipient", "contributor", "topic", "metric", "basis", "definition"):  # fmt: skip
        v = r.attrs.get(key)
        if isinstance(v, str):
            fields.append((W_NAME, v))
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


def acronyms_of(records: Any) -> dict[str, str]:
    """Glossary acronym (lower case) -> expansion: a quote saying 'AKFTA' also matches its words."""
    return {
        str(r.attrs.get("term", "")).lower(): str(r.attrs.get("expansion"))
        for r in records
        if r.kind == "term" and r.attrs.get("expansion")
    }


def aliases_of(records: Any) -> list[list[str]]:
    """Each glossary entry's names (term, expansion, variants), where it has more than one:
    a record that says "Asia Economy" also matches "The Asia Business Daily", "Laos" "Lao PDR"."""
    out = []
    for r in records:
        if r.kind != "term":
            continue
        names = [str(n) for n in [r.attrs.get("term"), r.attrs.get("expansion"), *(r.attrs.get("variants") or [])] if n]
        if len(names) > 1:
            out.append(names)
    return out


_PARTIES = frozenset({"korea", "asean"})  # named in nearly every record: they call up no aliases


class _Builder:
    """Postings (term -> record positions and weights, as compact arrays) built one record at a time."""

    def __init__(self, acronyms: dict[str, str], aliases: list[list[str]] | None = None) -> None:
        self.acronyms = acronyms
        # an alias's first token -> its tokens -> the tokens of all its entries' names; one
        # entry per alias however many glossary entries repeat it, so the work per word stays flat
        merged: dict[tuple[str, ...], set[str]] = {}
        for names in aliases or []:
            seqs = [tuple(tokens(n)) for n in names]
            every = {t for seq in seqs for t in seq}
            for seq in set(seqs):
                if seq and not set(seq) <= _PARTIES:
                    merged.setdefault(seq, set()).update(every)
        self.aliases: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = defaultdict(list)
        for seq, every in merged.items():
            self.aliases[seq[0]].append((seq, frozenset(every)))
        self.alias_keys = frozenset(self.aliases)
        self.acronym_keys = frozenset(t for t, exp in acronyms.items() if exp)
        self._expansions: dict[str, list[str]] = {}
        self.docs: dict[str, array[int]] = {}
        self.weights: dict[str, array[float]] = {}
        self.lengths: array[float] = array("d")
        self.kinds = bytearray()
        self.flags = bytearray()
        self.surface: dict[str, str] = {}  # every word as the records write it -> its token
        self.name_keys: set[tuple[str, ...]] = set()  # each record name's distinct tokens, sorted
        self.ids: list[str] = []

    def _expansion_tokens(self, acronym: str) -> list[str]:
        found = self._expansions.get(acronym)
        if found is None:
            found = self._expansions[acronym] = tokens(self.acronyms[acronym])
        return found

    def add(self, i: int, r: Record) -> Entry:
        """Index record r at position i; return what the final ranking needs of it."""
        self.ids.append(r.id)
        weights: dict[str, float] = defaultdict(float)
        stated: set[str] = set()  # words the record states (not only its curator's note)
        length = 0.0
        surface = self.surface
        for w, text in _fields(r):
            pairs = raw_tokens(text)
            toks = [t for _, t in pairs]
            surface.update(pairs)
            length += w * len(toks)
            for t in toks:
                weights[t] += w
            if w >= W_QUOTE:
                # an acronym also stands for its expansion's words, each time it is written (the
                # weights of these fields are multiples of 1/4: the order of the sums changes nothing)
                for t in self.acronym_keys.intersection(toks):
                    times = toks.count(t)
                    for t2 in self._expansion_tokens(t):
                        weights[t2] += 0.5 * w * times
                        stated.add(t2)
            if w >= W_QUOTE and self.aliases:
                # the other names of whatever glossary entry the text names, once each
                starts = self.alias_keys.intersection(toks)
                extra: set[str] = set()
                if starts:
                    for j, t in enumerate(toks):
                        if t in starts:
                            for seq, every in self.aliases[t]:
                                if tuple(toks[j : j + len(seq)]) == seq:
                                    extra |= every
                for t2 in extra.difference(toks):
                    weights[t2] += 0.5 * w
                    stated.add(t2)
            if w > W_NOTE:
                stated.update(toks)
        for t in _date_tokens(r.date):
            weights[t] += W_TAG
            stated.add(t)
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
        # phrase's words in theirs, tokenised here once rather than on every query that meets it
        return tuple(dict.fromkeys(tokens(r.title))), names, phrase, tuple(_phrase_tokens(phrase, frozenset()))


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

    def scores(self, docs: array[int], tfs: array[float]) -> array[float]:
        """Scores of one word's postings; negative where its weight is (met only in a note)."""
        scale, c0, c1, lengths = rarity(self.n, len(docs)) * (self.K1 + 1), self.c0, self.c1, self.lengths
        return array(
            "d",
            (
                scale * tf / (tf + c0 + c1 * lengths[i]) if tf > 0 else scale * tf / (c0 + c1 * lengths[i] - tf)
                for i, tf in zip(docs, tfs, strict=True)
            ),
        )


class SearchIndex:
    """An inverted index over one Dataset, in memory or read piece by piece from a store."""

    def __init__(self, ds: Dataset, store: Any = None) -> None:
        self.ds = ds
        self.records = ds.records
        self.store = store
        if store is not None:
            self.vocab: dict[str, tuple[int, int]] = store.obj("vocab")  # term -> (postings item, df)
            self.kinds = store.raw("kinds")
            self.flags = store.raw("flags")
            self.n = len(self.kinds)
            if self.n != len(ds.records) or len(self.flags) != self.n:
                from .store import CacheDamaged

                raise CacheDamaged(store.path, "search index does not match the dataset")
            self._docs: list[Any] | None = None
            self._ids: list[str] = []
            self._entry_of: Any = None
            self._post: list[tuple[array[int], array[float]]] | None = None
            self._surface: dict[str, str] | None = None  # read when a query has an unknown word
            self.name_keys: set[tuple[str, ...]] = set(store.obj("names"))
        else:
            terms = ds.of_kind("term")
            b = _Builder(acronyms_of(terms), aliases_of(terms))
            self._docs = [b.add(i, r) for i, r in enumerate(ds.records)]
            self._ids = b.ids
            self._surface = b.surface
            self.name_keys = b.name_keys
            self._post = []
            self.vocab = {}
            bm25 = _BM25(b.lengths)
            for t, d in b.docs.items():
                self.vocab[t] = (len(self._post), len(d))
                self._post.append((d, bm25.scores(d, b.weights[t])))
            self.kinds, self.flags, self.n = bytes(b.kinds), bytes(b.flags), len(b.lengths)
        self._ubiquitous: frozenset[str] | None = None
        self._idfs: dict[str, float] = {}

    def postings(self, token: str) -> tuple[array[int], array[float]]:
        """The records that hold token (positions ascending) and its BM25 score in each,
        negative where the word is met only in the record's note."""
        k = self.vocab[token][0]
        if self._post is not None:
            return self._post[k]
        blob = self.store.item("postings", k)
        docs, ws = array("i"), array("d")
        half = len(blob) // 3  # 4-byte positions then 8-byte scores
        docs.frombytes(blob[:half])
        ws.frombytes(blob[half:])
        return docs, ws

    def record_id(self, i: int) -> str:
        """The id of record i, without building the record (ties in score are broken by id)."""
        if self._docs is not None:
            return self._ids[i]
        return str(self.store.item("rid", i), "utf-8")

    def doc_entry(self, i: int) -> Any:
        """A key for record i's ranking entry, equal for equal entries: the tuple itself in
        memory; in a store, the number of its entry (each distinct entry is stored once)."""
        if self._docs is not None:
            return self._docs[i]
        if self._entry_of is None:
            self._entry_of = self.store.array("entry_of", "i")
            if len(self._entry_of) != self.n:
                from .store import CacheDamaged

                raise CacheDamaged(self.store.path, "search index does not match the dataset")
        return self._entry_of[i]

    def decode_entry(self, entry: Any) -> Entry:
        if self._docs is not None:
            return entry  # type: ignore[no-any-return]
        return self.store.decode(self.store.item("docs", entry), "a search entry")  # type: ignore[no-any-return]

    def _idf(self, token: str) -> float:
        idf = self._idfs.get(token)
        if idf is None:
            idf = self._idfs[token] = rarity(self.n, self.vocab[token][1] if token in self.vocab else 0)
        return idf

    def ubiquitous(self) -> frozenset[str]:
        """Words in more than a third of the records (ASEAN, Korea): no help in telling records apart."""
        if self._ubiquitous is None:
            if self.store is not None:
                self._ubiquitous = frozenset(self.store.obj("ubiquitous"))
            else:
                self._ubiquitous = _ubiquitous(self.vocab, self.n)
        return self._ubiquitous

    def surface(self) -> dict[str, str]:
        """Every word as the records write it, with its search token."""
        if self._surface is None:
            self._surface = self.store.obj("surface")
        return self._surface

    def _expand(self, token: str, raws: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        if token in self.vocab:
            return [(token, 1.0)]
        if len(token) < 4 or token.isdigit():
            return []
        # an unknown word: the closest spellings stand in for it, among the index's tokens and
        # among the words as written ("investmnet" ~ "investment", whose token is "invest")
        from rapidfuzz import fuzz, process

        best: dict[str, float] = {}
        for w, score, _ in process.extract(token, list(self.vocab), scorer=fuzz.ratio, limit=3, score_cutoff=80):
            best[w] = score
        surface = self.surface()
        for raw in raws:
            for w, score, _ in process.extract(raw, list(surface), scorer=fuzz.ratio, limit=3, score_cutoff=80):
                t = surface[w]
                if t in self.vocab and score > best.get(t, 0.0):
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
            if tok in self.vocab:
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
        expansions = {qt: self._expand(qt, raws[qt]) for qt in q_tokens}
        held: dict[str, array[int]] = {}  # each query word's records (in order), for the pair check
        # each query word's postings: (records, BM25 scores, the word's weight in the query)
        lists: list[tuple[Sequence[int], Sequence[float], float]] = []
        for qt in q_tokens:
            exps = expansions[qt]
            if len(exps) == 1:  # the usual case: the word itself
                tok, qw = exps[0]
                docs, pre = self.postings(tok)
                held[qt] = docs
                lists.append((docs, pre, qw))
                continue
            # a word read as its closest spellings: each record counts the best of them
            best: dict[int, float] = {}
            for tok, qw in exps:
                for i, p in zip(*self.postings(tok), strict=True):
                    if abs(qw * p) > abs(best.get(i, 0.0)):
                        best[i] = qw * p
            if best:
                lists.append((list(best), list(best.values()), 1.0))
        scores, matched = _add_up(lists)
        wanted = {_KIND_NO[k] for k in kinds} if kinds else None
        kind_prior = [prior.get(k, 1.0) for k in KINDS]
        fig, con, ev = _KIND_NO["figure"], _KIND_NO["contribution"], _KIND_NO["event"]
        when = prior.get("event", 1.0) > 1.0
        n_q = len(q_tokens)
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
        # what each query word stands for in the index (itself, or its closest spellings) and its weight
        q_stands = [(max(qw * self._idf(t) for t, qw in ex), {t for t, _ in ex}) for ex in expansions.values() if ex]
        q_weight = sum(w for w, _ in q_stands) or 1.0
        q_all = set().union(*(ts for _, ts in q_stands)) if q_stands else set()
        q_ordinals = {t for t in q_set if _ORDINAL.match(t)}
        answer_type = _answer_type(query)
        # the most the boosts below can give this query (at most _MAX_BOOST): the early stop's bound
        with_phrase = len(q_seq) >= PHRASE_MIN and len(phrase) > 8
        bound = _MAX_BOOST / (1.5 if not with_phrase else 1.0) / (1 + W_PAIR if not q_pairs else 1.0)
        bound /= W_TYPE if not answer_type else 1.0
        # the own-name boost needs a name whose words are all the query's words
        bound /= 2.0 if tuple(sorted(q_set)) not in self.name_keys else 1.0
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
        return [Hit(score, self.records[i], round(cov, 3)) for score, i, cov in chosen[:limit]]

    def _boost(
        self, doc: Entry, kind: int, holds: bool, with_phrase: bool,
        phrase: str, q_pairs: dict[tuple[str, str], float], pair_sum: float, ubiquitous: frozenset[str],
        q_stands: list[tuple[float, set[str]]], q_weight: float, q_all: set[str], answer_type: str | None,
        q_ordinals: set[str], q_line: str, q_set: set[str],
    ) -> float:  # fmt: skip
        """What one record's own text multiplies its score by, for this query."""
        title_tokens, names, doc_phrase, doc_seq = doc
        s = 1.0
        if with_phrase and phrase in doc_phrase:
            s *= 1.5
        if holds:
            # words side by side as asked ("disaster management", "climate change") beat
            # the same words scattered over a record; words in nearly every record (ASEAN,
            # Korea) do not part them ("9th ASEAN-ROK Summit" has "9th summit")
            seq = [t for t in doc_seq if t not in ubiquitous]
            found = {p for p in zip(seq, seq[1:], strict=False) if p in q_pairs}
            s *= 1 + W_PAIR * sum(q_pairs[p] for p in found) / pair_sum
        # a record whose headline says everything asked beats one that mentions it in passing
        # (each query word counted by its weight: the rare words say what is asked)
        s *= 1 + 0.5 * sum(w for w, ts in q_stands if not ts.isdisjoint(title_tokens)) / q_weight
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
                s *= W_TYPE
        if q_ordinals and not q_ordinals.intersection(title_tokens):
            # "the first summit" is not the 8th: a headline with another ordinal is less likely
            if any(_ORDINAL.match(t) for t in title_tokens):
                s *= W_OTHER_ORDINAL
        # asking for a name or acronym by itself ("AKFTA") finds its own entry first
        if any(f" {n} " in q_line and len(set(tokens(n))) >= len(q_set) for n in names):
            s *= 2.0
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


def answer(ds: Dataset, query: str, limit: int = 10, kinds: tuple[str, ...] | None = None) -> list[Hit]:
    """What `search` shows: the best `limit` hits, and where two sources differ, both: a record
    another source contradicts is followed directly by that source's record (out of score order;
    its Hit's `follows` names the record it differs from), when the query finds it at all (a few
    more hits than asked are ranked to look for it)."""
    from .query import with_differing_next

    hits = index_for(ds).search(query, limit + DIFFERING_ROOM, kinds)
    paired = with_differing_next(ds, hits, lambda h: h.record)
    return [h._replace(follows=follows) if follows else h for h, follows in paired[:limit]]


DIFFERING_ROOM = 5

_INDEX_CACHE: dict[int, SearchIndex] = {}


def _code_tag() -> str:
    # The index depends on this module's tokeniser and weights as much as on the data:
    # a changed search.py must never meet an index built by the old one.
    import zlib

    with open(__file__, "rb") as f:
        return f"{zlib.crc32(f.read()):08x}"


def index_for(ds: Dataset) -> SearchIndex:
    """The search index of ds: from memory, from the cache folder, or built (and cached)."""
    idx = _INDEX_CACHE.get(id(ds.records))
    if idx is not None and idx.records is ds.records:
        return idx
    idx = _stored_index(ds) if ds.store is not None else None
    if idx is None:
        idx = SearchIndex(ds)
    _INDEX_CACHE.clear()
    _INDEX_CACHE[id(ds.records)] = idx
    return idx


def _stored_index(ds: Dataset) -> SearchIndex | None:
    """The index of a stored dataset, as a store of its own beside the cache (built on first use)."""
    from .load import prune_cache, sidecar_path, write_atomic
    from .store import CacheDamaged, Store

    path = sidecar_path(ds, "index-" + _code_tag())
    if path is None:
        return None
    for attempt in (1, 2):
        try:
            return SearchIndex(ds, Store(path))
        except CacheDamaged:
            if attempt == 2 or not write_atomic(path, lambda f: write_index(ds, f)):
                return None
            prune_cache(path)
    return None


def write_index(ds: Dataset, f: Any) -> None:
    """Build ds's search index straight into the open file f, one record at a time."""
    from .store import SectionWriter

    store = ds.store
    terms = store.obj("acronyms") if store is not None else acronyms_of(ds.of_kind("term"))
    aliases = store.obj("aliases") if store is not None else aliases_of(ds.of_kind("term"))
    b = _Builder(terms, aliases)
    w = SectionWriter(f)
    records = ds.records.stream() if hasattr(ds.records, "stream") else iter(ds.records)
    # the per-record entries are written (each distinct one once) while the postings fill up
    # in memory as compact arrays
    import hashlib

    seen: dict[bytes, int] = {}  # an entry's 128-bit digest -> its number
    entry_of = array("i")

    def entries() -> Any:
        for i, r in enumerate(records):
            blob = marshal.dumps(b.add(i, r))
            digest = hashlib.blake2b(blob, digest_size=16).digest()
            k = seen.get(digest)
            if k is None:
                k = seen[digest] = len(seen)
                yield blob
            entry_of.append(k)

    w.indexed("docs", entries())
    seen.clear()
    w.raw("entry_of", entry_of.tobytes())
    vocab = {t: (k, len(d)) for k, (t, d) in enumerate(b.docs.items())}

    bm25 = _BM25(b.lengths)

    def postings() -> Any:
        for t in list(b.docs):  # freed as written: the arrays are most of the build's memory
            d = b.docs.pop(t)
            yield d.tobytes() + bm25.scores(d, b.weights.pop(t)).tobytes()

    w.indexed("postings", postings())
    w.indexed("rid", (x.encode("utf-8") for x in b.ids))
    w.obj("vocab", vocab)
    w.raw("kinds", bytes(b.kinds))
    w.raw("flags", bytes(b.flags))
    w.obj("surface", b.surface)
    w.obj("names", sorted(b.name_keys))
    w.obj("ubiquitous", sorted(_ubiquitous(vocab, len(b.lengths))))
    w.finish({"n": len(b.lengths)})
