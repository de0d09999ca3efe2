"""Timeline events as files for other tools: JSON, JSON Lines, CSV, Markdown, iCalendar,
TimelineJS, SQLite (with a Datasette metadata file) and a self-contained HTML page.

Every function takes the dataset and the events to export (already filtered, see
``query.timeline``) and returns text, except ``write_sqlite``, which writes a file.
Dates are never made more precise than the source gives them:

* iCalendar: all-day events. A day is a ``VALUE=DATE`` event; a month or a year spans the
  whole month or year and its DESCRIPTION says the source gives only the month or year.
  An open interval ("since 2011") is one all-day event on its start period (the whole
  year 2011), its SUMMARY and DESCRIPTION saying it is ongoing. Undated events cannot be
  placed in a calendar: they are skipped, and returned in ``Export.skipped``.
* TimelineJS: date objects hold only the parts the source gives ({year} or {year, month});
  undated events are skipped the same way.

Data is text everywhere: it is escaped for the format it lands in (iCalendar TEXT,
CSV quoting, Markdown, LaTeX-free JSON, HTML), so a quote can never become markup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timezone
from typing import Any, NamedTuple

from ..data.dates import Edtf, Point, display, parse_edtf
from ..data.humanize import plain_citation
from ..data.model import Record, Source
from ..data.serialize import JSON_SCHEMA_VERSION, record_dict, source_dict
from ..data.text import shown_path
from ..data.text import to_json as json_text
from ..store.dataset import Dataset
from .cells import csv_text, md_escape

FORMATS = ("json", "jsonl", "csv", "md", "ics", "timelinejs", "sqlite", "html")
FILE_ONLY = ("sqlite",)  # formats that need --output

TITLE = "ASEAN–ROK timeline"


class Export(NamedTuple):
    """An export's text and the events it had to leave out, as (id, reason)."""

    text: str
    skipped: list[tuple[str, str]]


def _version() -> str:
    from ... import __version__

    return __version__


def cited_sources(ds: Dataset, events: Sequence[Record]) -> list[Source]:
    """The sources the events quote, in the dataset's order."""
    used = {c.source for r in events for c in r.citations}
    return [s for k, s in ds.sources.items() if k in used]


def describe_filters(filters: dict[str, Any] | None) -> str:
    """'from 1989 to 2009; category summit': the selection in words ('' for everything)."""
    if not filters:
        return ""
    parts = []
    if filters.get("from"):
        parts.append(f"from {filters['from']}")
    if filters.get("to"):
        parts.append(f"to {filters['to']}")
    words = [" ".join(parts) + (", started in that range" if filters.get("started") else "")] if parts else []
    cats = filters.get("category") or []
    if cats:
        words.append(("categories " if len(cats) > 1 else "category ") + ", ".join(cats))
    if filters.get("source"):
        words.append(f"source {filters['source']}")
    if filters.get("grep"):
        words.append(f"containing “{filters['grep']}”")
    return "; ".join(words)


# -- dates ---------------------------------------------------------------------------------


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def span_iso(r: Record) -> tuple[str | None, str | None]:
    """First and last day the date can cover, ISO; None for an open end or no date."""
    from ..data.dates import span_iso as iso

    return iso(r.span)


def _precision_words(p: Point) -> str:
    return {"day": "day", "month": "month", "year": "year"}[p.precision]


def date_explanation(r: Record) -> str:
    """How precise the date is and what the export did with it, in one or two sentences."""
    if not r.date:
        return "The source gives no date."
    d = parse_edtf(r.date)
    shown = display(r.date)
    out = []
    if not d.interval:
        assert d.start is not None
        if d.start.precision != "day":
            out.append(f"The source gives only the {_precision_words(d.start)} ({shown}).")
    elif d.start is not None and d.end is None:
        out.append("Ongoing: the source gives no end.")
        if d.start.precision != "day":
            out.append(f"The start is given only as a {_precision_words(d.start)}.")
    elif d.start is None and d.end is not None:
        out.append("The source gives no beginning.")
    else:
        assert d.start is not None and d.end is not None
        if d.start.precision == d.end.precision != "day":
            out.append(f"The source gives only the {_precision_words(d.start)}s ({shown}).")
        elif "day" not in (d.start.precision, d.end.precision) or d.start.precision != d.end.precision:
            out.append(f"The source gives the period {shown} without its exact days.")
    quals = "".join(p.qualifier for p in (d.start, d.end) if p is not None)
    if "~" in quals or "%" in quals:
        out.append("The date is approximate.")
    if "?" in quals or "%" in quals:
        out.append("The date is uncertain.")
    if r.inferred:
        out.append("The date is inferred, not stated in the source.")
    return " ".join(out)


# -- JSON, JSON Lines, CSV ---------------------------------------------------------------------------


def to_json(
    ds: Dataset, events: Sequence[Record], filters: dict[str, Any] | None = None, others: Sequence[Record] = ()
) -> str:
    """One document: the events (the `timeline --json` records), the other records asked for (funds,
    contributions, figures, statements, terms: one list each) and the sources they cite."""
    doc: dict[str, Any] = {
        "korasean": _version(),
        "json_schema_version": JSON_SCHEMA_VERSION,
        "title": TITLE,
        "filters": {k: v for k, v in (filters or {}).items() if v},
        "count": len(events),
        "events": [record_dict(ds, r) for r in events],
    }
    for kind, records in _by_kind(others).items():
        doc[_PLURAL[kind]] = [record_dict(ds, r) for r in records]
    doc["sources"] = [source_dict(s) for s in cited_sources(ds, [*events, *others])]
    return json_text(doc, indent=2) + "\n"


_PLURAL = {k: f"{k}s" for k in ("event", "fund", "contribution", "figure", "statement", "term")}


def _by_kind(records: Sequence[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for r in records:
        out.setdefault(r.kind, []).append(r)
    return out


def to_jsonl(ds: Dataset, events: Sequence[Record], others: Sequence[Record] = ()) -> str:
    """One record per line, the same object as `timeline --format jsonl` (events first, then the others)."""
    return "".join(json_text(record_dict(ds, r)) + "\n" for r in [*events, *others])


CSV_COLUMNS = (
    "id",
    "date",
    "date_display",
    "date_inferred",
    "earliest",
    "latest",
    "category",
    "title",
    "quotes",
    "sources",
    "locations",
    "note",
    "kind",
    "value",
)


def to_csv(ds: Dataset, events: Sequence[Record], others: Sequence[Record] = ()) -> str:
    """One row per event. ``date`` is EDTF at the source's precision; ``earliest`` and
    ``latest`` are the first and last day it can cover (for sorting, not a stated day).
    An event quoted twice has its quotes on separate lines of one cell."""
    from ..data.humanize import contribution_value, figure_value, location

    rows = []
    for r in [*events, *others]:
        lo, hi = span_iso(r)
        value = figure_value(r) if r.kind == "figure" else contribution_value(r) if r.kind == "contribution" else ""
        rows.append(
            [
                r.id,
                r.date or "",
                display(r.date) if r.date else "",
                "yes" if r.inferred else "no",
                lo or "",
                hi or "",
                r.category or "",
                r.title,
                "\n".join(" ".join(c.quote.split()) for c in r.citations),
                "\n".join(c.source for c in r.citations),
                "\n".join(location(ds, c) for c in r.citations),
                r.note or "",
                r.kind,
                value,
            ]
        )
    return csv_text(CSV_COLUMNS, rows)


# -- Markdown --------------------------------------------------------------------------------


def _year_of(r: Record) -> str:
    if not r.date:
        return "Undated"
    d = parse_edtf(r.date)
    p = d.start or d.end
    assert p is not None
    return str(p.year)


def to_markdown(
    ds: Dataset, events: Sequence[Record], filters: dict[str, Any] | None = None, others: Sequence[Record] = ()
) -> str:
    lines = [f"# {TITLE}", ""]
    sel = describe_filters(filters)
    lines.append(
        f"{len(events)} event{'s' if len(events) != 1 else ''}"
        + (f" ({md_escape(sel)})" if sel else "")
        + f", each with the verbatim quote it rests on. Exported by korasean {_version()}. "
        "Dates are given at the precision of the source; *inferred* marks a date the source does not state."
    )
    year = None
    for r in events:
        y = _year_of(r)
        if y != year:
            while lines and lines[-1] == "":
                lines.pop()
            lines += ["", f"## {y}", ""]
            year = y
        when = display(r.date) if r.date else "undated"
        cat = f" · {md_escape(r.category)}" if r.category else ""
        inferred = " · *inferred*" if r.inferred else ""
        lines.append(f"- **{md_escape(when)}**{inferred}{cat} — {md_escape(r.title)} `{r.id}`")
        for c in r.citations:
            lines.append(f"  > {md_escape(c.quote)}")
            lines.append("")
            lines.append(f"  — {md_escape(plain_citation(ds, c))}")
        if r.note:
            lines.append("")
            lines.append(f"  *Note:* {md_escape(r.note)}")
        lines.append("")
    for kind, records in _by_kind(others).items():
        while lines and lines[-1] == "":
            lines.pop()
        lines += ["", f"## {_PLURAL[kind].capitalize()}", ""]
        for r in records:
            when = display(r.date) if r.date else "undated"
            lines.append(f"- **{md_escape(when)}** — {md_escape(r.title)} `{r.id}`")
            for c in r.citations:
                lines += [f"  > {md_escape(c.quote)}", "", f"  — {md_escape(plain_citation(ds, c))}"]
            lines.append("")
    sources = cited_sources(ds, [*events, *others])
    if sources:
        while lines and lines[-1] == "":
            lines.pop()
        lines += ["", "## Sources", ""]
        for s in sources:
            from ..data.citations import format_source

            lines.append(f"- `{s.id}`: {md_escape(format_source(s, 'plain'))}")
            for field, why in s.inferred.items():
                lines.append(f"  - *{md_escape(field)} inferred:* {md_escape(why)}")
    return "\n".join(lines).rstrip("\n") + "\n"


# -- iCalendar (RFC 5545) -----------------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped; no control characters."""
    out = []
    for ch in str(text).replace("\r\n", "\n").replace("\r", "\n"):
        if ch == "\\":
            out.append("\\\\")
        elif ch in ";,":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t" or ord(ch) >= 0x20 and ord(ch) != 0x7F:
            out.append(ch)
    return "".join(out)


def ics_fold(line: str) -> str:
    """Fold a content line to 75 octets per physical line (RFC 5545 §3.1), never
    splitting a UTF-8 character; continuation lines start with one space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts = []
    limit = 75
    start = 0
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a multi-byte character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
        limit = 74  # the leading space counts
    return "\r\n ".join(parts)


def _ics_date(ordinal: int) -> str:
    return date.fromordinal(ordinal).strftime("%Y%m%d")


def ics_period(d: Edtf) -> tuple[int, int]:
    """All-day period for a date: first day and the day after the last (DTEND is exclusive).

    An open interval is placed on its known end's own period (the year, month or day).
    """
    if d.start is not None and d.end is not None:
        return d.start.first_day(), d.end.last_day() + 1
    p = d.start or d.end
    assert p is not None
    return p.first_day(), p.last_day() + 1


def to_ics(ds: Dataset, events: Sequence[Record], stamp: datetime | None = None) -> Export:
    """An iCalendar file with one all-day VEVENT per dated event."""
    stamp = (stamp or datetime.now(timezone.utc)).astimezone(timezone.utc)
    dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//korasean//korasean {ics_escape(_version())}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(TITLE)}",
    ]
    dated, skipped = _dated(events)
    for r, d in dated:
        first, after = ics_period(d)
        summary = r.title
        open_ended = d.interval and (d.start is None or d.end is None)
        if open_ended:
            shown = display(r.date)
            mark = "ongoing" if d.end is None else shown
            summary += f" ({mark})" if shown.lower() in r.title.lower() or d.end is not None else f" ({shown}, ongoing)"
        desc = [f"Date: {display(r.date)}" + (" (inferred)" if r.inferred else "") + "."]
        explained = date_explanation(r)
        if explained:
            desc.append(explained)
        if open_ended:
            known = d.start or d.end
            assert known is not None
            which = "its start" if d.start else "its end"
            desc.append(f"In this calendar it covers only {which}, {display(known.edtf())}.")
        desc.append("")
        for c in r.citations:
            desc.append(f"“{' '.join(c.quote.split())}”")
            desc.append(f"— {plain_citation(ds, c)}")
            desc.append("")
        if r.note:
            desc.append(f"Note: {r.note}")
        event = [
            "BEGIN:VEVENT",
            f"UID:{ics_escape(r.id)}@korasean",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(first)}",
            f"DTEND;VALUE=DATE:{_ics_date(after)}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(chr(10).join(desc).strip())}",
        ]
        if r.category:
            event.append(f"CATEGORIES:{ics_escape(r.category)}")
        event += ["TRANSP:TRANSPARENT", "END:VEVENT"]
        lines += event
    lines.append("END:VCALENDAR")
    return Export("".join(ics_fold(line) + "\r\n" for line in lines), skipped)


# -- TimelineJS -----------------------------------------------------------------------------------


def _tl_date(p: Point) -> dict[str, int]:
    """A TimelineJS date object with only the parts the source gives."""
    out = {"year": p.year}
    if p.month:
        out["month"] = p.month
        if p.day:
            out["day"] = p.day
    return out


def to_timelinejs(ds: Dataset, events: Sequence[Record], filters: dict[str, Any] | None = None) -> Export:
    """TimelineJS 3 JSON (timeline.knightlab.com/docs/json-format.html).

    Each slide: start_date (and end_date for a closed period) at the source's precision,
    display_date as korasean shows it, headline and text (HTML, every value escaped),
    group = category, and media = the first quote as a TimelineJS blockquote, credited
    to its source. Further quotes and their sources follow in the text.
    """
    from html import escape

    slides = []
    dated, skipped = _dated(events)
    for r, d in dated:
        start = d.start or d.end
        assert start is not None
        slide: dict[str, Any] = {"unique_id": r.id, "start_date": _tl_date(start)}
        if d.interval and d.start is not None and d.end is not None:
            slide["end_date"] = _tl_date(d.end)
        slide["display_date"] = display(r.date) + (" (inferred)" if r.inferred else "")
        body = []
        explained = date_explanation(r)
        if explained:
            body.append(f"<p><em>{escape(explained)}</em></p>")
        for c in r.citations[1:]:
            body.append(f"<blockquote>{escape(' '.join(c.quote.split()))}</blockquote>")
            body.append(f"<p>— {escape(plain_citation(ds, c))}</p>")
        if r.note:
            body.append(f"<p>Note: {escape(r.note)}</p>")
        slide["text"] = {"headline": escape(r.title), "text": "".join(body)}
        if r.citations:
            first = r.citations[0]
            slide["media"] = {
                "url": f"<blockquote>{escape(' '.join(first.quote.split()))}</blockquote>",
                "credit": escape(plain_citation(ds, first)),
            }
        if r.category:
            slide["group"] = r.category
        slides.append(slide)
    sel = describe_filters(filters)
    intro = (
        f"{len(slides)} events" + (f" ({sel})" if sel else "") + ", each with the verbatim quote it rests on, "
        f"at the precision the source gives. Exported by korasean {_version()}."
    )
    doc = {"title": {"text": {"headline": escape(TITLE), "text": f"<p>{escape(intro)}</p>"}}, "events": slides}
    return Export(json_text(doc, indent=2) + "\n", skipped)


# -- SQLite + Datasette metadata -----------------------------------------------------------------------

_COLUMN_DOCS = {
    "id": "Stable record id (korasean show ID)",
    "date": "EDTF date at the precision the source gives (1989-11; 2011/.. = since 2011)",
    "date_inferred": "1 when the date is inferred by the curators, not stated in the source",
    "title": "What the record says, in the curators' words",
    "note": "Curators' note: how a date was inferred, caveats",
    "sources": "Ids of the cited sources, comma-separated",
}


def _metadata(
    db_name: str, counts: dict[str, int], sources: list[Source], filters: dict[str, Any] | None
) -> dict[str, Any]:
    from ..store.schema import VIEW_NAMES

    sel = describe_filters(filters)
    tables: dict[str, Any] = {
        VIEW_NAMES[kind]: {
            "description": f"{n} {VIEW_NAMES[kind]}"
            + (f" ({sel})" if sel and kind == "event" else "")
            + ", each traced to verbatim quotes (see citations).",
            "columns": _COLUMN_DOCS,
        }
        for kind, n in counts.items()
    }
    tables.update(
        {
            "records": {
                "description": "Every record of every kind, in dataset order (pos); body is the whole record as JSON. "
                "Search covers titles, quotes and notes.",
                "sort": "pos",
                "fts_table": "records_fts",
                "fts_pk": "pos",
            },
            "citations": {
                "description": "Each quote with its source and its line (and paragraph) in the source file.",
                "columns": {
                    "quote": "Verbatim text of the source",
                    "line": "1-based line of the source file where the quote starts",
                    "paragraph": "Paragraph number as printed in the source, if it numbers them",
                },
            },
            "links": {"description": "differs: the two records' sources disagree; see also: related records."},
            "sources": {
                "description": "The source documents; body holds which fields each states and how the rest were inferred."
            },
            "source_references": {"description": "Ready-to-paste references to each source, per citation style."},
            "records_fts": {"hidden": True},
            "meta": {"hidden": True},
            "fund_names": {"hidden": True},
        }
    )
    return {
        "title": f"korasean: {TITLE}",
        "description": (
            f"{sum(counts.values())} records on ASEAN–Republic of Korea relations, each traced to a verbatim quote "
            "in its source document. Dates are EDTF at the source's precision; date_inferred marks a date the "
            "source does not state. Exported by korasean " + _version() + "."
        ),
        "license": "MIT (korasean and its curated dataset); quoted passages remain the work of their publishers",
        "source": "; ".join(f"{s.publisher or s.author or s.id}: {s.title}" for s in sources),
        "databases": {db_name: {"tables": tables}},
    }


def write_sqlite(
    ds: Dataset, events: Sequence[Record], path: str, filters: dict[str, Any] | None = None
) -> tuple[str, str]:
    """Write the chosen events and every other record, with their citations, links and sources,
    to a new SQLite database at ``path`` (replacing it) in the store's own schema, with full-text
    search, and ``<name>.metadata.json`` next to it for Datasette.

    Returns (database path, metadata path). The files appear only once complete.
    """
    import errno
    import os
    import sqlite3

    from ..data.citations import format_source
    from ..errors import DataError, UsageError
    from ..files import write_atomically
    from ..store import schema
    from ..store.build import write_store

    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    meta_path = os.path.join(folder, stem + ".metadata.json")
    records = [*events, *(r for r in ds.records if r.kind != "event")]
    sources = dict(ds.sources)
    counts: dict[str, int] = {}
    for r in records:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    if os.path.exists(meta_path) and not _ours(meta_path):
        raise UsageError(
            f"{shown_path(meta_path)} exists and was not written by korasean; move it away or choose another "
            "--output name"
        )

    def fill(tmp: str) -> None:
        con = sqlite3.connect(tmp)
        try:
            write_store(con, sources, records, {"exported_by": "korasean " + _version()}, search=False)
            with con:
                try:
                    schema.add_fts(con)
                except sqlite3.OperationalError as e:
                    # only a missing module means "no FTS5": "fts5: error creating shadow table ...:
                    # database or disk is full" is a full disk (exit 4), like any other write error
                    if "no such module" in str(e).lower():
                        raise DataError(f"cannot build the SQLite export: {e} (this SQLite lacks FTS5)") from e
                    raise
                con.execute(
                    "CREATE TABLE source_references (source_id TEXT PRIMARY KEY REFERENCES sources (id),"
                    " plain TEXT, apa TEXT, chicago TEXT, bibtex TEXT)"
                )
                con.executemany(
                    "INSERT INTO source_references VALUES (?,?,?,?,?)",
                    [
                        (s.id, *(format_source(s, style) for style in ("plain", "apa", "chicago", "bibtex")))
                        for s in sources.values()
                    ],
                )
        except sqlite3.DatabaseError as e:  # a full disk, an unwritable folder: the system said no
            full = "full" in str(e).lower() or getattr(e, "sqlite_errorname", "") == "SQLITE_FULL"
            raise OSError(errno.ENOSPC if full else errno.EIO, f"cannot write the database ({e})") from e
        finally:
            con.close()

    def fill_meta(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json_text(_metadata(stem, counts, list(sources.values()), filters), indent=2))
            f.write("\n")

    write_atomically(path, fill, special=False)
    write_atomically(meta_path, fill_meta, special=False)
    return path, meta_path


def _ours(meta_path: str) -> bool:
    """Whether a Datasette metadata file is one korasean wrote (so it may be replaced)."""
    try:
        with open(meta_path, encoding="utf-8") as f:
            return str(json.load(f).get("title", "")).startswith("korasean:")
    except (OSError, ValueError, AttributeError):
        return False


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
:root{--fg:#1d232a;--muted:#5b6570;--line:#d9dee3;--accent:#0b5cad;--bg:#fff;--quote:#f4f6f8}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ec;--muted:#a3adb8;--line:#3a424b;--accent:#7db7ff;
--bg:#15191d;--quote:#1f252b}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{position:sticky;top:0;background:var(--bg);border-bottom:1px solid var(--line);padding:.75rem 1rem;z-index:1}
h1{font-size:1.35rem;margin:0 0 .25rem}
.lede{margin:0;color:var(--muted);font-size:.9rem}
#controls{margin-top:.5rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
#controls fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
#controls legend{font-weight:600;margin-right:.5rem;float:left}
#controls label{font-size:.9rem;white-space:nowrap}
#q{font:inherit;padding:.3rem .5rem;width:22rem;max-width:100%;box-sizing:border-box;border:1px solid var(--line);border-radius:4px;
background:var(--bg);color:var(--fg)}
button{font:inherit;font-size:.85rem;padding:.15rem .5rem;border:1px solid var(--line);border-radius:4px;
background:var(--quote);color:var(--fg);cursor:pointer}
#count{color:var(--muted);font-size:.9rem}
main{max-width:60rem;margin:0 auto;padding:0 1rem 3rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
ol{list-style:none;margin:0;padding:0}
li.event{padding:.6rem 0 .8rem;border-bottom:1px solid var(--line)}
.when{font-weight:600;margin-right:.5rem}
.inferred{font-size:.8rem;color:var(--muted);font-style:italic}
.cat{display:inline-block;font-size:.75rem;padding:0 .4rem;border:1px solid var(--line);border-radius:999px;
color:var(--muted)}
h3{font-size:1rem;margin:.2rem 0 .4rem}
blockquote{margin:.3rem 0;padding:.4rem .75rem;background:var(--quote);border-left:3px solid var(--accent)}
.src,.note,.why{font-size:.85rem;color:var(--muted);margin:.2rem 0}
.id{font-family:ui-monospace,monospace;font-size:.8rem;color:var(--muted)}
#sources li{margin:.5rem 0}
"""

_JS = """
(function () {
  "use strict";
  var controls = document.getElementById("controls");
  controls.hidden = false;
  var boxes = Array.prototype.slice.call(controls.querySelectorAll("input[type=checkbox]"));
  var q = document.getElementById("q");
  var count = document.getElementById("count");
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event"));
  var years = Array.prototype.slice.call(document.querySelectorAll("section.year"));
  var texts = events.map(function (li) { return li.textContent.toLowerCase(); });
  function apply() {
    var off = {};
    boxes.forEach(function (b) { if (!b.checked) { off[b.value] = true; } });
    var words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    events.forEach(function (li, i) {
      var ok = !off[li.getAttribute("data-category")] && words.every(function (w) {
        return texts[i].indexOf(w) !== -1;
      });
      li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    years.forEach(function (sec) { sec.hidden = !sec.querySelector("li.event:not([hidden])"); });
    count.textContent = "Showing " + shown + " of " + events.length + " events";
  }
  function setAll(value) { boxes.forEach(function (b) { b.checked = value; }); apply(); }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  q.addEventListener("input", apply);
  controls.addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("all").addEventListener("click", function () { setAll(true); });
  document.getElementById("none").addEventListener("click", function () { setAll(false); });
  if (location.hash.indexOf("#q=") === 0) {
    q.value = decodeURIComponent(location.hash.slice(3));
  }
  apply();
})();
"""


def _csp_hash(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _time_attr(r: Record) -> str | None:
    """A valid HTML datetime for the event's (first) point: 1989, 1989-11 or 2004-11-30."""
    if not r.date:
        return None
    d = parse_edtf(r.date)
    p = d.start or d.end
    assert p is not None
    return p._replace(qualifier="").edtf()


def to_html(
    ds: Dataset, events: Sequence[Record], filters: dict[str, Any] | None = None, others: Sequence[Record] = ()
) -> str:
    """One self-contained page: inline CSS and JS (pinned by a Content-Security-Policy that
    allows nothing else, so the page never touches the network), category checkboxes, a
    search box, and every event with its quotes and sources. Every value is escaped with
    html.escape; the page works without JavaScript (everything is shown). Opening it as
    page.html#q=WORDS starts with that search."""
    from html import escape

    def e(text: Any) -> str:
        return escape(str(text), quote=True)

    sel = describe_filters(filters)
    cats: dict[str, int] = {}
    for r in events:
        cats[r.category or ""] = cats.get(r.category or "", 0) + 1
    csp = (
        f"default-src 'none'; style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_JS)}; "
        "base-uri 'none'; form-action 'none'"
    )
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="korasean {e(_version())}">',
        f"<title>{e(TITLE)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(TITLE)}</h1>",
        f'<p class="lede">{len(events)} event{"s" if len(events) != 1 else ""}'
        + (f" ({e(sel)})" if sel else "")
        + ", each with the verbatim quote it rests on. Dates are given at the precision of the source; "
        f"<em>inferred</em> marks a date the source does not state. Exported by korasean {e(_version())}.</p>",
        '<form id="controls" hidden>',
        "<fieldset><legend>Categories</legend>",
    ]
    for cat in sorted(cats):
        label = cat or "uncategorised"
        out.append(f'<label><input type="checkbox" value="{e(cat)}" checked> {e(label)} ({cats[cat]})</label>')
    out += [
        "</fieldset>",
        '<button type="button" id="all">All</button><button type="button" id="none">None</button>',
        '<input type="search" id="q" placeholder="Search titles, quotes and sources" aria-label="Search">',
        f'<output id="count" aria-live="polite">Showing {len(events)} of {len(events)} events</output>',
        "</form>",
        "</header>",
        "<main>",
    ]
    year = None
    for r in events:
        y = _year_of(r)
        if y != year:
            if year is not None:
                out.append("</ol></section>")
            out.append(f'<section class="year"><h2>{e(y)}</h2><ol>')
            year = y
        when = display(r.date) if r.date else "undated"
        dt = _time_attr(r)
        time = f'<time datetime="{e(dt)}">{e(when)}</time>' if dt else e(when)
        item = [
            f'<li class="event" id="{e(r.id)}" data-category="{e(r.category or "")}">',
            f'<span class="when">{time}</span>',
        ]
        if r.inferred:
            item.append('<span class="inferred">inferred</span> ')
        if r.category:
            item.append(f'<span class="cat">{e(r.category)}</span>')
        item.append(f"<h3>{e(r.title)}</h3>")
        for c in r.citations:
            item.append(f"<blockquote>{e(' '.join(c.quote.split()))}</blockquote>")
            item.append(f'<p class="src">— {e(plain_citation(ds, c))}</p>')
        explained = date_explanation(r)
        if explained:
            item.append(f'<p class="why">{e(explained)}</p>')
        if r.note:
            item.append(f'<p class="note">Note: {e(r.note)}</p>')
        item.append(f'<p class="id">{e(r.id)}</p>')
        item.append("</li>")
        out.append("".join(item))
    if year is not None:
        out.append("</ol></section>")
    grouped = _by_kind(others)
    if grouped:
        # the other records, reachable from the timeline: one section per kind
        out.append('<section id="other-records"><h2>Funds, contributions, figures, statements and terms</h2>')
        out.append(
            "<p>"
            + ", ".join(f'<a href="#{e(_PLURAL[k])}">{len(v)} {e(_PLURAL[k])}</a>' for k, v in grouped.items())
            + "</p>"
        )
        for kind, records in grouped.items():
            out.append(f'<section id="{e(_PLURAL[kind])}"><h3>{e(_PLURAL[kind].capitalize())}</h3><ol>')
            for r in records:
                when = display(r.date) if r.date else "undated"
                bits = [
                    f'<li class="record" id="{e(r.id)}"><span class="when">{e(when)}</span> <strong>{e(r.title)}</strong>'
                ]
                for c in r.citations:
                    bits.append(f"<blockquote>{e(' '.join(c.quote.split()))}</blockquote>")
                    bits.append(f'<p class="src">— {e(plain_citation(ds, c))}</p>')
                bits.append(f'<p class="id">{e(r.id)}</p></li>')
                out.append("".join(bits))
            out.append("</ol></section>")
        out.append("</section>")
    sources = cited_sources(ds, [*events, *others])
    if sources:
        from ..data.citations import format_source

        out.append('<section id="sources"><h2>Sources</h2><ul>')
        for s in sources:
            bits = [f'<li id="source-{e(s.id)}"><span class="id">{e(s.id)}</span> {e(format_source(s, "plain"))}']
            for field, why in s.inferred.items():
                bits.append(f'<p class="note">{e(field)} inferred: {e(why)}</p>')
            bits.append("</li>")
            out.append("".join(bits))
        out.append("</ul></section>")
    out += ["</main>", f"<script>{_JS}</script>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _dated(events: Sequence[Record]) -> tuple[list[tuple[Record, Edtf]], list[tuple[str, str]]]:
    """Events with their parsed dates, and the (id, reason) of those a calendar cannot place."""
    dated: list[tuple[Record, Edtf]] = []
    skipped: list[tuple[str, str]] = []
    for r in events:
        if r.date:
            dated.append((r, parse_edtf(r.date)))
        else:
            skipped.append((r.id, "undated"))
    return dated, skipped
