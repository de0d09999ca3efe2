"""Ranked search over every record: forgiving case, punctuation, plurals, small typos and
the seeds' own synonyms (Korea / ROK / Republic of Korea; ASEAN / the bloc / AMS).

Scoring is BM25 over weighted fields (title and names count more than quotes), with each
query word expanded to its synonyms and, when it is not in the vocabulary, to its
closest spellings. Records matching more of the query's distinct words rank first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from typing import Any, NamedTuple

from .dates import MONTHS_SHORT
from .model import Dataset, Record

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")

STOPWORDS = frozenset(
    """a an and are as at be been by did do does for from had has have how i in into is it its of on or
    s so than that the their there these they this to was were what when where which who whom why will with
    would about me tell show give find much many any all stand mean means meaning acronym abbreviation
    year years officially formally fast big large""".split()
)

# Each group is one concept; the first word is what every member is indexed and searched as.
_SYNONYMS = [
    "korea rok korean koreans southkorea republic seoul",
    "asean bloc ams southeast aseans",
    "fta akfta freetrade",
    "fund funds funding",
    "contribution contribute contributed donate donation pledge grant give gave",
    "establish establishment open opened opening set create created found founded launch launched inaugurate "
    "start started begin began initiate initiated",
    "first inaugural 1st initial maiden",
    "trade trading commerce export import exports imports",
    "invest investment investments investor fdi",
    "summit leaders",
    "meeting meet met consultation consultations",
    "dialogue talk talks talking",
    "author wrote write writer written",
    "business company companies enterprise enterprises firm firms",
    "agreement treaty pact accord deal",
    "effect force enforce",
    "sign signed signing ink conclude concluded",
    "covid covid19 coronavirus pandemic",
    "elevate upgrade upgraded raise level",
    "culture cultural hallyu kwave",
    "refugee refugees rohingya resettlement resettle asylum",
    "anniversary jubilee",
    "annual annually yearly",
    "growth grow grew increase increased rise rose",
    "migrate migrated migrant migrants flee fled displaced",
    "join joined participate participation participant confirmed",
    "double doubled twice",
    "president yoon",
    "secretary secretarygeneral",
    "minister ministerial ministers",
    "embassy mission ambassador",
    "youth young",
    "digital ict technology tech",
    "environment climate green",
    "disaster humanitarian hadr",
    "largest biggest top",
]
_CANON: dict[str, str] = {}
for _group in _SYNONYMS:
    _words = _group.split()
    for _w in _words:
        _CANON.setdefault(_w, _words[0])

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
    ("came into effect", "effect"),
    ("came into force", "effect"),
    ("entered into force", "effect"),
]

# field weights: names and titles say what a record is; quotes say it at length
W_TITLE, W_NAME, W_TAG, W_QUOTE, W_NOTE = 3.0, 2.5, 1.5, 1.0, 0.3


def _stem(w: str) -> str:
    """A light English stemmer: plurals, -es, -ed and -ing, applied alike to text and queries."""
    if w.isdigit() or len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    if w.endswith("ed") and len(w) >= 6:
        return w[:-2]
    if w.endswith("ing") and len(w) >= 7:
        return w[:-3]
    return w


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("\\$", "$")
    text = re.sub(r"'s\b", "", text)
    for phrase, token in _COMPOUNDS:
        if phrase in text:
            text = text.replace(phrase, f" {token} ")
    return text


_WORDS: dict[str, tuple[bool, str]] = {}  # raw word -> (is a stopword, canonical token)


def _canonical(raw: str) -> tuple[bool, str]:
    raw = raw.replace(".", "") if not raw.replace(".", "").isdigit() else raw
    w = _NUMBER_WORDS.get(raw, raw)
    w = _MONTHS.get(w, w)
    w = _CANON.get(w, w)
    w = _stem(w)
    return raw in STOPWORDS, _CANON.get(w, w)


def tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Canonical search tokens of a text."""
    out = []
    words = _WORDS
    for raw in _TOKEN.findall(normalise(text)):
        # the same few thousand words recur across records: canonicalise each once
        hit = words.get(raw)
        if hit is None:
            hit = words[raw] = _canonical(raw)
        if hit[0] and not keep_stopwords:
            continue
        out.append(hit[1])
    return out


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


class Hit(NamedTuple):
    score: float
    record: Record
    coverage: float = 1.0  # share of the query's words the record matched


class SearchIndex:
    """An inverted index over one Dataset."""

    postings: dict[str, dict[int, float]]
    lengths: list[float]
    phrases: list[str]
    title_tokens: list[frozenset[str]]
    names: list[frozenset[str]]
    avg_len: float
    n: int

    def __init__(self, ds: Dataset, plain: tuple[Any, ...] | None = None) -> None:
        self.ds = ds
        self.records = tuple(ds.records)
        if plain is not None:
            self.postings, self.lengths, self.phrases, self.title_tokens, self.names, self.avg_len, self.n = plain
            return
        self._build(ds)

    def to_plain(self) -> tuple[Any, ...]:
        """The index as plain data that marshal can store."""
        return (self.postings, self.lengths, self.phrases, self.title_tokens, self.names, self.avg_len, self.n)

    def _build(self, ds: Dataset) -> None:
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.lengths = []
        acronyms = {
            r.attrs.get("term", "").lower(): r.attrs.get("expansion") or ""
            for r in ds.records
            if r.kind == "term" and r.attrs.get("expansion")
        }
        self.phrases = []
        self.title_tokens = []
        self.names = []
        for i, r in enumerate(ds.records):
            self.title_tokens.append(frozenset(tokens(r.title)))
            self.names.append(
                frozenset(
                    normalise(str(n)).strip()
                    for n in [r.attrs.get("term"), r.attrs.get("acronym"), *(r.attrs.get("variants") or [])]
                    if n
                )
            )
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
            quotes = " ".join(c.quote for c in r.citations)
            fields.append((W_QUOTE, quotes))
            if isinstance(r.attrs.get("text"), str):
                fields.append((W_QUOTE, r.attrs["text"]))
            if r.note:
                fields.append((W_NOTE, r.note))
            weights: dict[str, float] = defaultdict(float)
            length = 0.0
            for w, text in fields:
                toks = tokens(text)
                length += w * len(toks)
                for t in toks:
                    weights[t] += w
                    exp = acronyms.get(t)
                    if exp and w >= W_QUOTE:
                        for t2 in tokens(exp):
                            weights[t2] += 0.5 * w
            for t in _date_tokens(r.date):
                weights[t] += W_TAG
            for t, w in weights.items():
                postings[t][i] = w
            self.lengths.append(length or 1.0)
            self.phrases.append(normalise(r.title + " " + quotes))
        self.postings = dict(postings)
        self.avg_len = sum(self.lengths) / max(1, len(self.lengths))
        self.n = len(ds.records)

    def _idf(self, token: str) -> float:
        df = len(self.postings.get(token, ()))
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def _expand(self, token: str) -> list[tuple[str, float]]:
        if token in self.postings:
            return [(token, 1.0)]
        if len(token) < 4 or token.isdigit():
            return []
        # an unknown word: the closest spellings in the vocabulary stand in for it
        from rapidfuzz import fuzz, process

        found = process.extract(token, list(self.postings), scorer=fuzz.ratio, limit=3, score_cutoff=80)
        return [(w, 0.8 * score / 100) for w, score, _ in found]

    def search(self, query: str, limit: int = 10, kinds: tuple[str, ...] | None = None) -> list[Hit]:
        q_tokens = list(dict.fromkeys(tokens(query)))
        if not q_tokens:
            q_tokens = list(dict.fromkeys(tokens(query, keep_stopwords=True)))
        if not q_tokens:
            return []
        prior = _intent(query)
        count = "how many" in query.lower()
        money = bool(re.search(r"\b(how much|how big|how large|worth|value of|amount)\b", query.lower()))
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        k1, b = 1.2, 0.5
        for qt in q_tokens:
            best: dict[int, float] = {}
            for tok, qw in self._expand(qt):
                idf = self._idf(tok)
                for i, tf in self.postings[tok].items():
                    norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * self.lengths[i] / self.avg_len))
                    s = qw * idf * norm
                    if s > best.get(i, 0.0):
                        best[i] = s
            for i, s in best.items():
                scores[i] += s
                matched[i] += 1
        phrase = normalise(query).strip()
        q_words = set(_TOKEN.findall(phrase))
        q_set = set(q_tokens)
        hits = []
        for i, s in scores.items():
            r = self.records[i]
            if kinds and r.kind not in kinds:
                continue
            coverage = matched[i] / len(q_tokens)
            s *= 0.25 + 0.75 * coverage * coverage
            s *= prior.get(r.kind, 1.0)
            if len(phrase) > 8 and phrase in self.phrases[i]:
                s *= 1.5
            # a record whose headline says everything asked beats one that mentions it in passing
            s *= 1 + 0.5 * len(q_set & self.title_tokens[i]) / len(q_set)
            # asking for a name or acronym by itself ("AKFTA") finds its own entry first
            if any(
                (n in q_words or (" " in n and n in phrase)) and len(set(tokens(n))) >= len(q_set)
                for n in self.names[i]
            ):
                s *= 2.0
            if money and r.kind in ("figure", "contribution"):
                # "how much" asks for an amount of money, not a rank or a growth rate
                unit = str(r.attrs.get("currency") or r.attrs.get("unit") or "")
                s *= 1.4 if len(unit) == 3 and unit.isupper() else 0.8
            elif count and r.kind == "figure":
                unit = str(r.attrs.get("unit") or "")
                s *= 0.8 if unit in ("percent", "rank") or (len(unit) == 3 and unit.isupper()) else 1.3
            hits.append(Hit(round(s, 4), r, round(coverage, 3)))
        hits.sort(key=lambda h: (-h.score, h.record.id))
        return hits[:limit]


def _intent(query: str) -> dict[str, float]:
    """Kind priors from the way the question is asked."""
    q = query.lower()
    prior = {"term": 0.7}
    if re.search(r"\b(when|what year|which year|date|since)\b", q):
        prior.update(event=1.4, contribution=1.2)
    if re.search(
        r"\b(how much|how many|how big|how large|amount|usd|us\$|\$|million|billion|per ?cent|%|value|rank)", q
    ):
        prior.update(figure=1.4, contribution=1.4)
    if re.search(r"\b(stand for|stands for|acronym|mean|meaning|abbreviation|what is|who is)\b", q):
        prior.update(term=1.3)
    if re.search(r"\b(said|say|says|quote|according to|statement|told|words)\b", q):
        prior.update(statement=1.4)
    if re.search(r"\bfund\b", q) and not re.search(r"\b(contribut|how much)", q):
        prior.setdefault("fund", 1.3)
    return prior


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
    if idx is not None and idx.ds.records is ds.records:
        return idx
    from .load import read_sidecar, write_sidecar

    name = "index-" + _code_tag()
    plain = read_sidecar(ds, name)
    idx = None
    if plain is not None:
        try:
            idx = SearchIndex(ds, plain)
            if idx.n != len(ds.records):
                idx = None
        except (TypeError, ValueError):
            idx = None
    if idx is None:
        idx = SearchIndex(ds)
        write_sidecar(ds, name, idx.to_plain())
    _INDEX_CACHE.clear()
    _INDEX_CACHE[id(ds.records)] = idx
    return idx
