"""A source as a reference in a citation style: plain, APA, Chicago, BibTeX or CSL-JSON.

Pure functions of a ``Source`` (and optionally the ``Citation`` being quoted). The rule
every style follows: only what the source itself states is given as fact.

* A value the curators supplied (``Source.inferred``) is put in square brackets, the
  bibliographers' mark for information not taken from the work itself, and the entry
  says so: ``[n.d., c. 2023]`` in APA, ``n.d. [c. 2023]`` in Chicago, a ``note`` field in
  BibTeX and CSL-JSON.
* An inferred date never fills a date field as if it were stated: BibTeX leaves ``year``
  and ``month`` out (the note has the date), CSL-JSON marks ``issued`` as ``circa``.
* Nothing is invented: no URL, page, place or author the dataset does not hold.
* APA and Chicago invert an author's name (``Lee, K.-m.``, ``Lee, Ki-min``) when its family
  name is certain from its form: a romanised Korean name of two words, one of them a
  hyphenated given name (``Ki-min Lee``, ``Kim Hae-yong``). Any other name is given as
  printed: korasean does not guess which part is a family name, and some names (Malay
  ones, for instance) have none. BibTeX and CSL-JSON then get family and given parts.
* An organisation is never moved into the author position: a release or report without
  a named author starts with its title, and the organisation is given as the publisher.
* Titles keep the source's capitalisation (an automatic sentence case would break
  names such as ASEAN). Italics are left out of plain text (``markup="plain"``) and
  marked ``*like this*`` with ``markup="md"`` (Markdown; its special characters escaped).
* Quotation marks nested in a quotation alternate: “… ‘…’ …”.
* The pinpoint of a quote is its paragraph as the source numbers it (``para. 20``), else
  its line in the seed; never a repository path.
* ``cite`` gives each fact its own BibTeX key and CSL id (``fact_key``): the record id,
  with ``:source-id`` after it when the record quotes more than one source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import DateError, UsageError
from .dates import Point, display, parse_edtf
from .humanize import source_date
from .model import Citation, Source

STYLES = ("plain", "apa", "chicago", "bibtex", "csl-json")
MARKUPS = ("plain", "md")

MONTHS_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def check_style(style: str) -> str:
    if style not in STYLES:
        raise UsageError(f"unknown --style {style!r}; choose one of: {', '.join(STYLES)}")
    return style


def check_markup(markup: str) -> str:
    if markup not in MARKUPS:
        raise UsageError(f"unknown --markup {markup!r}; choose one of: {', '.join(MARKUPS)}")
    return markup


# -- emphasis, quotation marks, names and pinpoints -------------------------------------------

_EM_OPEN, _EM_CLOSE = "\ue000", "\ue001"  # private-use marks for italics, rendered at the end


def _em(text: str) -> str:
    return f"{_EM_OPEN}{text}{_EM_CLOSE}"


def _render(text: str, markup: str) -> str:
    """The italics marks as Markdown emphasis (other Markdown specials escaped), or dropped."""
    if markup == "md":
        for ch in ("\\", "*", "_", "`"):
            text = text.replace(ch, "\\" + ch)
        return text.replace(_EM_OPEN, "*").replace(_EM_CLOSE, "*")
    return text.replace(_EM_OPEN, "").replace(_EM_CLOSE, "")


_OPENERS = " \t\n([{\u2014\u2013-/" + _EM_OPEN


def nest_quotes(text: str) -> str:
    """Text to be put inside “…”: its own quotation marks alternate, double inside single.

    Straight and curly double quotes inside become ‘…’; single ones within those become
    “…”. Apostrophes (a mark between two letters, or after a letter with no quotation
    open) are left as they are.
    """
    out: list[str] = []
    stack: list[str] = []  # the kind of each open quotation: '"' or "'"
    n = len(text)
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        opening = before in _OPENERS or before in "“‘\"'"
        if ch in '"“”':
            kind = '"'
        elif ch in "'‘’":
            if before.isalnum() and after.isalnum():
                out.append(ch)  # an apostrophe: Biden's, Asean’s
                continue
            kind = "'"
        else:
            out.append(ch)
            continue
        if ch in "“‘" or (ch in "\"'" and opening and not after.isspace()):
            stack.append(kind)
            out.append("‘" if len(stack) % 2 else "“")
        elif stack and stack[-1] == kind:
            out.append("’" if len(stack) % 2 else "”")
            stack.pop()
        elif kind == '"' and '"' in stack:  # a close for an outer quotation: close what is open inside it
            while stack and stack[-1] != kind:
                stack.pop()
            out.append("’" if len(stack) % 2 else "”")
            stack.pop()
        else:
            out.append(ch)  # a stray or plural-possessive mark (partners’) stays as it is
    return "".join(out)


def _quoted(text: str) -> str:
    return f"“{nest_quotes(text)}”"


def name_parts(name: str) -> tuple[str, str] | None:
    """(family, given) when the name's form makes its family name certain, else None.

    Two words, exactly one of them hyphenated: the hyphenated one is the given name of a
    romanised Korean name, in either order (Ki-min Lee, Kim Hae-yong).
    """
    words = name.split()
    if len(words) != 2:
        return None
    hyphenated = ["-" in w.strip("-") for w in words]
    if hyphenated == [True, False]:
        return words[1], words[0]
    if hyphenated == [False, True]:
        return words[0], words[1]
    return None


def _initials(given: str) -> str:
    """APA initials: 'Ki-min' -> 'K.-m.', 'Jane Ann' -> 'J. A.'."""
    return " ".join("-".join(part[0] + "." for part in word.split("-") if part) for word in given.split())


def _apa_name(name: str) -> str:
    parts = name_parts(name)
    return f"{parts[0]}, {_initials(parts[1])}" if parts else name


def _chicago_name(name: str) -> str:
    parts = name_parts(name)
    return f"{parts[0]}, {parts[1]}" if parts else name


def pinpoint(c: Citation) -> str:
    """Where a quote stands in its source: 'para. 20' where the source numbers its paragraphs, else 'line 33'."""
    return f"para. {c.para}" if c.para else f"line {c.line}"


def fact_key(record_id: str, source_id: str, several_sources: bool) -> str:
    """A fact's own BibTeX key and CSL id: the record id, ':source-id' after it when it quotes several."""
    key = record_id + (f":{source_id}" if several_sources else "")
    return "".join(ch if ch.isalnum() or ch in "-_:." else "-" for ch in key) or "fact"


# -- what is stated ----------------------------------------------------------------------


def _is_inferred(s: Source, field: str) -> bool:
    return field in s.inferred


def _stated(s: Source, field: str) -> str | None:
    """The field's value when the source states it; None when absent or inferred."""
    value = getattr(s, field)
    return None if value is None or _is_inferred(s, field) else value


def _supplied(s: Source, field: str) -> str | None:
    """The field's value when the curators supplied it (inferred); None otherwise."""
    value = getattr(s, field)
    return value if value is not None and _is_inferred(s, field) else None


def _is_opinion(s: Source) -> bool:
    return s.kind == "opinion"


# -- dates -------------------------------------------------------------------------------


def _parse(date: str | None) -> Any:
    if not date:
        return None
    try:
        return parse_edtf(date)
    except DateError:
        return None


def _qualify(text: str, p: Point) -> str:
    if "~" in p.qualifier or "%" in p.qualifier:
        text = "c. " + text
    if "?" in p.qualifier or "%" in p.qualifier:
        text += "?"
    return text


def _apa_point(p: Point) -> str:
    """APA order: 2024, October 8 / 2022, May / 2023."""
    text = str(p.year)
    if p.month:
        text += ", " + MONTHS_LONG[p.month - 1]
        if p.day:
            text += f" {p.day}"
    return _qualify(text, p)


def _chicago_point(p: Point) -> str:
    """Chicago order: October 8, 2024 / May 2022 / 2023."""
    if p.month and p.day:
        text = f"{MONTHS_LONG[p.month - 1]} {p.day}, {p.year}"
    elif p.month:
        text = f"{MONTHS_LONG[p.month - 1]} {p.year}"
    else:
        text = str(p.year)
    return _qualify(text, p)


def _date_words(date: str | None, fmt_point: Any) -> str | None:
    """A date in a style's word order; open intervals read '2023 or later'."""
    d = _parse(date)
    if d is None:
        return None
    if not d.interval:
        return fmt_point(d.start)
    if d.start is not None and d.end is None:
        return f"{fmt_point(d.start)} or later"
    if d.start is None and d.end is not None:
        return f"{fmt_point(d.end)} or earlier"
    return f"{fmt_point(d.start)}–{fmt_point(d.end)}"


def _estimate(words: str) -> str:
    """'c. 2023' for an estimated date; ranges ('2023 or later') already say how sure they are."""
    if words.startswith("c. ") or " or " in words or "–" in words:
        return words
    return "c. " + words


def inferred_date_text(s: Source) -> str | None:
    """The inferred date in words ('c. 8 Oct 2024', '2023 or later'); None when stated or absent."""
    supplied = _supplied(s, "date")
    return estimated_date(supplied) if supplied else None


def estimated_date(date: str) -> str:
    """An estimated EDTF date in words: 'c. 8 Oct 2024', 'c. 2023', '2023 or later'."""
    d = _parse(date)
    if d is not None and d.interval and (d.start is None or d.end is None):
        p = d.start or d.end
        assert p is not None
        return display(p.edtf()) + (" or later" if d.end is None else " or earlier")
    return _estimate(display(date))


# -- the note on supplied and missing fields ---------------------------------------------------


def inferred_note(s: Source) -> str:
    """One or two sentences saying which fields the source does not state.

    Empty when the source states everything the entry gives.
    """
    parts = []
    for field in ("title", "author", "publisher", "date"):
        if field not in s.inferred:
            continue
        value = getattr(s, field)
        if value is None:
            parts.append(f"No {field} is stated in the source.")
        elif field == "title":
            parts.append("Title not stated in the source; the bracketed title was supplied by the korasean curators.")
        elif field == "date":
            parts.append(f"Date not stated in the source; inferred: {inferred_date_text(s)}.")
        elif field == "publisher":
            parts.append(f"Publisher not stated in the source; attributed to {value}.")
        else:
            parts.append(f"Author not stated in the source; attributed to {value}.")
    for field in s.inferred:
        if field not in ("title", "author", "publisher", "date"):
            parts.append(f"{field.capitalize()} inferred, not stated in the source.")
    return " ".join(parts)


def _locator(c: Citation) -> str:
    where = pinpoint(c)
    return where[0].upper() + where[1:] + "."


def _quote_annotation(c: Citation | str) -> str:
    text = " ".join((c.quote if isinstance(c, Citation) else c).split())
    if isinstance(c, Citation):
        return f"{_quoted(text)} ({pinpoint(c)})"
    return _quoted(text)


def _end(text: str) -> str:
    """Close a bibliographic element with a period unless it already ends in punctuation."""
    return text if text.endswith((".", "?", "!", "…")) else text + "."


# -- plain ----------------------------------------------------------------------------------


def _plain(s: Source, quote: Citation | None) -> str:
    # The same reference korasean prints as 'cite as' (humanize.plain_citation), plus the
    # mark on an attributed author, which that form has never needed for this dataset.
    parts = []
    if s.author:
        parts.append(_end(s.author + (" [attributed]" if _is_inferred(s, "author") else "")))
    title = s.title if not _is_inferred(s, "title") else f"[{s.title}]"
    parts.append(_quoted(f"{title}."))
    if s.publisher:
        parts.append(s.publisher + ("" if not _is_inferred(s, "publisher") else " [attributed]") + ",")
    date = source_date(s)
    parts.append(_end(date + (" [date inferred]" if _is_inferred(s, "date") else "")))  # "n.d.", not "n.d.."
    if quote is not None:
        parts.append(_locator(quote))
    return " ".join(parts)


# -- APA (7th edition) -------------------------------------------------------------------------


def _apa_date(s: Source) -> str:
    words = _date_words(_supplied(s, "date"), _apa_point)
    if words:
        return f"[n.d., {_estimate(words)}]."
    stated = _date_words(_stated(s, "date"), _apa_point)
    return f"({stated})." if stated else "(n.d.)."


def _apa_title(s: Source, italic: bool) -> str:
    if _is_inferred(s, "title"):
        title = f"[{s.title}]"  # APA: a work without a title is described in square brackets
    else:
        title = _em(s.title) if italic else s.title
    if _is_opinion(s) and not s.title.lower().startswith("opinion"):
        title += " [Opinion]"
    elif s.kind == "press-release":
        title += " [Press release]"
    return _end(title)


def _apa(s: Source, quote: Citation | None) -> str:
    author = _stated(s, "author") or _supplied(s, "author")
    author_part = (_apa_name(author) + (" [attributed]" if _supplied(s, "author") else "")) if author else None
    publisher = _stated(s, "publisher")
    pub_supplied = _supplied(s, "publisher")
    newspaper = s.kind in ("newspaper-article", "opinion") and (publisher or pub_supplied)
    # Newspaper and opinion titles are plain, the paper is italic; stand-alone works
    # (reports, releases) have the title in italics.
    title = _apa_title(s, italic=not newspaper)
    date = _apa_date(s)
    parts = [_end(author_part), date, title] if author_part else [title, date]
    if publisher:
        parts.append(_em(publisher) + "." if newspaper else _end(publisher))
    elif pub_supplied:
        parts.append(f"[{pub_supplied}].")
    if s.url and not _is_inferred(s, "url"):
        parts.append(s.url)
    if quote is not None:
        parts.append(_locator(quote))
    return " ".join(parts)


# -- Chicago (17th edition, bibliography entry) -----------------------------------------------


def _chicago_date(s: Source) -> str:
    words = _date_words(_supplied(s, "date"), _chicago_point)
    if words:
        return f"n.d. [{_estimate(words)}]"
    return _date_words(_stated(s, "date"), _chicago_point) or "n.d."


def _chicago(s: Source, quote: Citation | None) -> str:
    parts = []
    author = _stated(s, "author") or _supplied(s, "author")
    if author:
        parts.append(_end(_chicago_name(author) + (" [attributed]" if _supplied(s, "author") else "")))
    if _is_inferred(s, "title"):
        title = _end(f"[{s.title}]")  # a descriptive title: no quotation marks, no italics
    elif s.kind in ("newspaper-article", "opinion"):
        title = _quoted(_end(s.title))
    else:
        title = _end(_em(s.title))
    parts.append(title)
    publisher = _stated(s, "publisher")
    pub_supplied = _supplied(s, "publisher")
    pub = _em(publisher) if publisher and s.kind in ("newspaper-article", "opinion") else publisher
    if pub is None and pub_supplied:
        pub = f"[{pub_supplied}]"
    date = _chicago_date(s)
    if s.kind == "press-release":
        parts.append("Press release.")
    elif _is_opinion(s) and not s.title.lower().startswith("opinion"):
        parts.append("Opinion.")
    if pub:
        parts.append(_end(f"{pub}, {date}"))
    else:
        parts.append(_end(date[0].upper() + date[1:]))  # 'N.d.' opens a sentence
    if s.url and not _is_inferred(s, "url"):
        parts.append(_end(s.url))
    if quote is not None:
        parts.append(_locator(quote))
    return " ".join(parts)


# -- CSL-JSON ---------------------------------------------------------------------------------

_CSL_TYPES = {
    "newspaper-article": "article-newspaper",
    "opinion": "article-newspaper",
    "press-release": "report",
    "report": "report",
}


def _csl_date(date: str, circa: bool) -> dict[str, Any] | None:
    d = _parse(date)
    if d is None:
        return {"literal": date}
    points = [p for p in (d.start, d.end) if p is not None]

    def parts(p: Point) -> list[int]:
        return [x for x in (p.year, p.month, p.day) if x]

    out: dict[str, Any]
    if d.interval and (d.start is None or d.end is None):
        # CSL has no open range: keep the known end, say which way it is open.
        out = {"date-parts": [parts(points[0])], "literal": display(date)}
    elif d.interval:
        out = {"date-parts": [parts(p) for p in points]}
    else:
        out = {"date-parts": [parts(points[0])]}
    if circa or any(p.qualifier for p in points):
        out["circa"] = True
    if "literal" in out:
        # citeproc prints a literal as is: make it carry the same warning as the note.
        out["literal"] = ("n.d. [" + estimated_date(date) + "]") if circa else out["literal"]
    return out


def csl_item(s: Source, quotes: Sequence[Citation | str] = (), key: str | None = None) -> dict[str, Any]:
    """One CSL-JSON item (https://citationstyles.org, csl-data.json schema v1.0); its id is key, else the source id."""
    item: dict[str, Any] = {"id": key or s.id, "type": _CSL_TYPES.get(s.kind, "document")}
    title = s.title if not _is_inferred(s, "title") else f"[{s.title}]"
    item["title"] = title
    author = s.author
    if author:
        parts = name_parts(author) if not _is_inferred(s, "author") else None
        if parts:
            item["author"] = [{"family": parts[0], "given": parts[1]}]
        else:
            item["author"] = [{"literal": author if not _is_inferred(s, "author") else f"[{author}]"}]
    if s.publisher:
        pub = s.publisher if not _is_inferred(s, "publisher") else f"[{s.publisher}]"
        if item["type"] == "article-newspaper":
            item["container-title"] = pub
        else:
            item["publisher"] = pub
    if s.kind == "press-release":
        item["genre"] = "Press release"
    elif _is_opinion(s):
        item["genre"] = "Opinion"
        if not s.publisher:
            item["type"] = "article"  # no stated newspaper to be an article of
    if s.date:
        issued = _csl_date(s.date, circa=_is_inferred(s, "date"))
        if issued:
            item["issued"] = issued
    if s.url and not _is_inferred(s, "url"):
        item["URL"] = s.url
    note = inferred_note(s)
    if note:
        item["note"] = note
    if quotes:
        item["annote"] = "\n".join(_quote_annotation(q) for q in quotes)
    item["custom"] = {
        "korasean": {
            "file": s.file,
            "sha256": s.sha256,
            "stated": list(s.stated),
            "inferred": dict(s.inferred),
        }
    }
    return item


# -- BibTeX -----------------------------------------------------------------------------------

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def tex_escape(text: str) -> str:
    """Text for a BibTeX field: LaTeX specials escaped, braces balanced, one line."""
    text = " ".join(str(text).split())
    return "".join(_TEX_SPECIALS.get(ch, ch) for ch in text)


def bibtex_key(s: Source) -> str:
    """The source id, which is already a valid, stable BibTeX key."""
    key = "".join(ch if ch.isalnum() or ch in "-_:." else "-" for ch in s.id)
    return key or "source"


def _bibtex_fields(s: Source, quotes: Sequence[Citation | str]) -> tuple[str, list[tuple[str, str]]]:
    fields: list[tuple[str, str]] = []
    author = s.author
    if author:
        parts = name_parts(author) if not _is_inferred(s, "author") else None
        if parts:
            fields.append(("author", tex_escape(f"{parts[0]}, {parts[1]}")))  # family, given
        else:
            name = author if not _is_inferred(s, "author") else f"[{author}]"
            fields.append(("author", "{" + tex_escape(name) + "}"))  # as printed: never split into parts
    title = s.title if not _is_inferred(s, "title") else f"[{s.title}]"
    fields.append(("title", "{" + tex_escape(title) + "}"))  # inner braces keep 'ASEAN' capitalised
    publisher = s.publisher if not _is_inferred(s, "publisher") or not s.publisher else f"[{s.publisher}]"
    if s.kind == "newspaper-article" or (_is_opinion(s) and s.publisher):
        entry_type = "article"
        if publisher:
            fields.append(("journal", tex_escape(publisher)))
    elif s.kind == "report":
        entry_type = "techreport"
        if publisher:
            fields.append(("institution", tex_escape(publisher)))
    else:
        entry_type = "misc"
        how = {"press-release": "Press release", "opinion": "Opinion piece"}.get(s.kind)
        if how:
            fields.append(("howpublished", how + (f", {tex_escape(publisher)}" if publisher else "")))
        if publisher:
            fields.append(("organization", tex_escape(publisher)))
    if _is_opinion(s) and entry_type == "article":
        fields.append(("type", "Opinion"))
    d = _parse(_stated(s, "date"))
    if d is not None and not d.interval and d.start is not None and not d.start.qualifier:
        fields.append(("year", str(d.start.year)))
        if d.start.month:
            fields.append(("month", BIBTEX_MONTHS[d.start.month - 1]))
        if d.start.day:
            fields.append(("day", str(d.start.day)))
    elif _stated(s, "date"):
        fields.append(("date", tex_escape(str(s.date))))  # biblatex reads EDTF-style dates
    if s.url and not _is_inferred(s, "url"):
        fields.append(("url", tex_escape(s.url)))
    note = inferred_note(s)
    if note:
        fields.append(("note", tex_escape(note)))
    if quotes:
        fields.append(("annote", tex_escape(" ".join(_quote_annotation(q) for q in quotes))))
    return entry_type, fields


def bibtex_entry(s: Source, quotes: Sequence[Citation | str] = (), key: str | None = None) -> str:
    """One BibTeX entry; its key is key, else the source's (bibtex_key)."""
    entry_type, fields = _bibtex_fields(s, quotes)
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key or bibtex_key(s)},\n{body}\n}}"


# -- entry points -----------------------------------------------------------------------------


def format_source(source: Source, style: str, quote: Citation | None = None, markup: str = "plain") -> str:
    """One source as a reference in ``style``; with ``quote``, where that quote stands.

    plain/apa/chicago: one line (the quote's pinpoint appended; italics per ``markup``).
    bibtex: one entry (the quote in ``annote``). csl-json: a CSL-JSON array holding one item.
    """
    return format_sources([(source, [quote] if quote is not None else [])], style, markup)


def format_sources(items: Iterable[tuple[Source, Sequence[Citation]]], style: str, markup: str = "plain") -> str:
    """A bibliography: one reference per source, in the order given, keyed by the source ids.

    For the one-line styles a source quoted several times gets one line per quote.
    """
    return format_entries([(None, s, q) for s, q in items], style, markup)


def format_entries(
    items: Iterable[tuple[str | None, Source, Sequence[Citation]]], style: str, markup: str = "plain"
) -> str:
    """References as (key, source, quotes): bibtex and csl-json entries use key (the source id
    when None); the one-line styles give one line per quote."""
    check_style(style)
    check_markup(markup)
    items = list(items)
    if style == "csl-json":
        from .text import to_json

        return to_json([csl_item(s, q, key) for key, s, q in items], indent=2)
    if style == "bibtex":
        return "\n\n".join(bibtex_entry(s, q, key) for key, s, q in items)
    fmt = {"plain": _plain, "apa": _apa, "chicago": _chicago}[style]
    lines: list[str] = []
    for _key, s, quotes in items:
        if quotes:
            lines.extend(fmt(s, q) for q in quotes)
        else:
            lines.append(fmt(s, None))
    return _render("\n".join(lines), markup)


__all__ = [
    "MARKUPS",
    "STYLES",
    "bibtex_entry",
    "bibtex_key",
    "check_markup",
    "check_style",
    "csl_item",
    "estimated_date",
    "fact_key",
    "format_entries",
    "format_source",
    "format_sources",
    "inferred_note",
    "name_parts",
    "nest_quotes",
    "pinpoint",
    "tex_escape",
]
