"""Search words: the tokeniser every record and query goes through (case, punctuation,
plurals, spellings, number words and the seeds' own synonyms)."""

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
