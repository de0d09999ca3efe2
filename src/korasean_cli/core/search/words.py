"""Search words: the tokeniser every record and query goes through.

It only normalises how a word is written: case, Unicode forms, apostrophes and possessives,
-ize as -ise, month names, and a light stemmer for inflections. What a word may *mean*
(synonyms, metonyms, spelling variants, paraphrases) is data, not code: the curators'
thesaurus (data/thesaurus.yaml) and the glossary, applied to queries only (search/expand.py).
"""

from __future__ import annotations

import re
import unicodedata

from ..data.dates import MONTHS_SHORT

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")

STOPWORDS = frozenset(
    """a an and are as at be been by did do does for from had has have how i in into is it its of on or
    s so than that the their there these they this to was were what when where which who whom why will with
    would whose other others about me tell show give find much many any all stand mean means meaning acronym abbreviation
    year years officially formally fast big large say says said saying between become became""".split()
)

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

# American -ize spellings meet the seeds' British -ise ones: a rule of spelling, not a list
_IZE = re.compile(r"(?<=[a-z]{3})iz(e|es|ed|ing|ation|ations)$")


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


_POSSESSIVE = re.compile(r"'s\b")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def normalise(text: str) -> str:
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    text = text.lower().replace("’", "'").replace("‘", "'").replace("\\$", "$")
    if "'" in text:
        text = _POSSESSIVE.sub("", text)
    if "," in text:  # 531,915 is the number JSON prints as 531915
        text = _THOUSANDS.sub("", text)
    return text


# raw word -> (is a stopword, (raw word, canonical token)): the pair is made once and shared
_WORDS: dict[str, tuple[bool, tuple[str, str]]] = {}


def _canonical(raw: str) -> tuple[bool, tuple[str, str]]:
    word = raw.replace(".", "") if not raw.replace(".", "").isdigit() else raw
    w = _MONTHS.get(word, word)
    return word in STOPWORDS, (raw, _stem(_IZE.sub(r"is\1", w)))


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
