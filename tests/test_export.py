"""korasean export: each format read back by the tool a user would open it with."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from korasean_cli.core.data.dates import span_of
from korasean_cli.core.data.model import Citation, Record, Source
from korasean_cli.core.data.serialize import record_dict
from korasean_cli.core.export import formats as ex
from korasean_cli.core.query import timeline
from korasean_cli.core.store.build import in_memory
from korasean_cli.core.store.dataset import Dataset

STAMP = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
NASTY = '<script>alert("x")</script> & <img src=x onerror=alert(1)> *bold* [link](http://evil.example) ; , \\ | #'


def _event(rid: str, date: str | None, title: str = "An event", quote: str = "A quote.", **kw: Any) -> Record:
    base: dict[str, Any] = {
        "id": rid,
        "kind": "event",
        "title": title,
        "date": date,
        "span": span_of(date),
        "category": "asean-rok-summit",
        "citations": (Citation("src", quote, 7, "3"),),
        "inferred": False,
        "note": None,
        "tags": (),
        "see_also": (),
        "differs_from": (),
        "attrs": {},
        "line": 1,
    }
    base.update(kw)
    return Record(**base)


def _dataset(*records: Record) -> Dataset:
    src = Source(
        "src",
        "seeds/src.txt",
        "0" * 64,
        "report",
        "A Report",
        "An Org",
        None,
        "2020",
        None,
        ("title", "publisher", "date"),
        {},
        (),
        1,
    )
    return in_memory({"src": src}, list(records), ".")


def _by_id(ds: Dataset) -> dict[str, Record]:
    return {r.id: r for r in ds.records}


# -- choosing events: the timeline's filters ---------------------------------------------------------


def test_export_takes_the_same_filters_as_timeline(run) -> None:
    args = ["--from", "2009", "--to", "2019", "-c", "asean-rok-summit", "-c", "agreement", "--grep", "asean"]
    tl = run("timeline", *args, "--json").json()
    doc = run("export", "--format", "json", *args).json()
    assert [e["id"] for e in doc["events"]] == [e["id"] for e in tl] and tl
    assert doc["events"] == tl  # the same records as `timeline --json`
    assert doc["count"] == len(tl) and doc["filters"]["category"] == ["asean-rok-summit", "agreement"]
    assert {s["id"] for s in doc["sources"]} == {c["source"] for e in tl for c in e["citations"]}


def test_jsonl_is_one_timeline_record_per_line(run, ds) -> None:
    res = run("export", "-f", "jsonl", "--source", "straits-times-2024")
    lines = res.out.splitlines()
    expected = [record_dict(ds, r) for r in timeline(ds, source="straits-times-2024")]
    assert [json.loads(x) for x in lines] == expected and len(lines) > 5


def test_csv_rows_carry_quotes_sources_and_the_date_span(run, ds) -> None:
    rows = list(csv.DictReader(io.StringIO(run("export", "-f", "csv").out)))
    events = timeline(ds)
    assert [r["id"] for r in rows] == [e.id for e in events]
    row = next(r for r in rows if r["id"] == "ev-1989-11-sectoral-dialogue")
    assert (row["date"], row["date_display"], row["earliest"], row["latest"]) == (
        "1989-11",
        "Nov 1989",
        "1989-11-01",
        "1989-11-30",
    )
    assert (
        row["quotes"] == "ASEAN and the Republic of Korea (ROK) initiated sectoral dialogue relations in November 1989."
    )
    assert row["locations"] == "seeds/asean-secretariat-overview-asean-rok-relations.txt:5 (para 1)"
    multi = next(e for e in events if len(e.citations) > 1)
    mrow = next(r for r in rows if r["id"] == multi.id)
    assert mrow["quotes"].split("\n") == [" ".join(c.quote.split()) for c in multi.citations]
    assert next(r for r in rows if r["date"].endswith("/.."))["latest"] == ""  # open: no made-up end


def test_csv_and_markdown_never_carry_terminal_escapes_but_keep_the_text() -> None:
    # csv shows them as every text view does (issue 16: one writer for export -f csv and --format csv)
    ds = _dataset(_event("ev-a", "2019-11", title='Red \x1b[31malert\x1b[0m, "quoted"', quote="line one\x07"))
    rows = list(csv.DictReader(io.StringIO(ex.to_csv(ds, list(ds.records)))))
    assert rows[0]["title"] == 'Red \\x1b[31malert\\x1b[0m, "quoted"' and rows[0]["quotes"] == "line one\\x07"
    assert "\x1b" not in ex.to_markdown(ds, list(ds.records))


def test_markdown_escapes_data_and_groups_by_year() -> None:
    ds = _dataset(_event("ev-a", "2019-11", title=NASTY, quote=NASTY), _event("ev-b", "2020"))
    md = ex.to_markdown(ds, list(ds.records))
    assert "## 2019" in md and "## 2020" in md
    # rendered the way a Markdown viewer would, raw HTML allowed: the data stays text
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": True}).render(md)
    page = _parse(rendered)
    assert not {"script", "img", "a"} & set(page.tags)
    assert rendered.count(html.escape(NASTY)) == 2  # the title and the quote, shown literally
    assert page.tags.count("blockquote") == 2 and page.tags.count("h2") == 3  # 2019, 2020, Sources
    assert "— “A Report.” An Org, 2020. Para. 3." in md  # the pinpoint, not a repository path


# -- iCalendar ----------------------------------------------------------------------------------


def _calendar(text: str) -> dict[str, Any]:
    from icalendar import Calendar

    cal = Calendar.from_ical(text)
    return {str(e["UID"]).removesuffix("@korasean"): e for e in cal.walk("VEVENT")}


def test_ics_has_every_dated_event_as_an_all_day_event_and_skips_undated(ds) -> None:
    events = timeline(ds)
    out = ex.to_ics(ds, events, STAMP)
    cal = _calendar(out.text)
    dated = [e.id for e in events if e.date]
    assert sorted(cal) == sorted(dated)
    assert [i for i, _ in out.skipped] == [e.id for e in events if not e.date]
    for uid, ev in cal.items():
        start, end = ev["DTSTART"].dt, ev["DTEND"].dt
        assert type(start) is date and type(end) is date and end > start, uid  # all-day, never a time
        assert ev["DTSTAMP"].dt == STAMP


def test_ics_dates_keep_the_source_precision(ds) -> None:
    rec = _by_id(ds)
    picks = {
        "ev-2004-11-30-8th-summit": ((2004, 11, 30), (2004, 12, 1), None),  # a day: one VALUE=DATE day
        "ev-1989-11-sectoral-dialogue": ((1989, 11, 1), (1989, 12, 1), "only the month"),  # the whole month
        "ev-1990-scf-launched": ((1990, 1, 1), (1991, 1, 1), "only the year"),  # the whole year
        "ev-2019-11-commemorative-summit-busan": ((2019, 11, 25), (2019, 11, 27), None),  # two days, DTEND exclusive
        "ev-2011-akec-fund-annual-contributions": ((2011, 1, 1), (2012, 1, 1), "Ongoing"),  # since 2011: start year
    }
    cal = _calendar(ex.to_ics(ds, [rec[k] for k in picks], STAMP).text)
    for rid, (start, end, says) in picks.items():
        ev = cal[rid]
        assert ev["DTSTART"].dt == date(*start) and ev["DTEND"].dt == date(*end), rid
        assert ev["DTSTART"].params["VALUE"] == "DATE"
        if says:
            assert says in str(ev["DESCRIPTION"]), rid
        assert rec[rid].citations[0].quote.split()[0] in str(ev["DESCRIPTION"])
    assert str(cal["ev-2011-akec-fund-annual-contributions"]["SUMMARY"]).endswith("ongoing)")
    assert str(cal["ev-1990-scf-launched"]["CATEGORIES"].cats[0]) == "fund"


def test_ics_is_rfc5545_text_crlf_folded_at_75_octets_and_escaped(ds) -> None:
    events = timeline(ds)
    raw = ex.to_ics(ds, events, STAMP).text.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(x) for x in lines) <= 75
    assert any(x.startswith(b" ") for x in lines)  # long descriptions were folded
    for x in lines:
        x.decode("utf-8")  # no character was cut in half by the folding
    # the seed's literal backslash ("US\$531,915") survives escaping and unfolding
    akec = next(e for e in events if "US\\$531,915" in e.citations[0].quote)
    desc = str(_calendar(ex.to_ics(ds, [akec], STAMP).text)[akec.id]["DESCRIPTION"])
    assert "US\\$531,915" in desc


@given(st.text(min_size=0, max_size=400))
def test_any_text_survives_ics_escaping_and_folding(text: str) -> None:
    from icalendar import Calendar

    ds = _dataset(_event("ev-x", "2020-05", title=text or "x", quote=text or "x"))
    raw = ex.to_ics(ds, list(ds.records), STAMP).text
    assert all(len(x.encode()) <= 75 for x in raw.split("\r\n"))
    ev = Calendar.from_ical(raw).walk("VEVENT")[0]
    keep = "".join(
        ch
        for ch in (text or "x").replace("\r\n", "\n").replace("\r", "\n")
        if ch in "\t\n" or (ord(ch) >= 32 and ord(ch) != 127)
    )
    assert str(ev["SUMMARY"]) == keep


def test_ics_cli_writes_exact_bytes_and_counts_skipped_on_stderr(tmp_path: Path) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", KORASEAN_CACHE_DIR=str(tmp_path / "cache"))
    exe = [sys.executable, "-m", "korasean_cli", "export", "--format", "ics"]
    p = subprocess.run(exe, capture_output=True, env=env, timeout=120)
    q = subprocess.run(exe, capture_output=True, env=env, timeout=120)
    assert p.returncode == 0 and p.stdout.startswith(b"BEGIN:VCALENDAR\r\n")
    assert p.stdout == q.stdout  # SOURCE_DATE_EPOCH makes the file reproducible
    assert b"DTSTAMP:20231114T221320Z\r\n" in p.stdout
    assert b"undated event" in p.stderr and b"left out (ics needs a date)" in p.stderr


# -- TimelineJS ----------------------------------------------------------------------------------


def test_timelinejs_dates_have_only_the_known_parts(ds) -> None:
    events = timeline(ds)
    out = ex.to_timelinejs(ds, events)
    doc = json.loads(out.text)
    assert doc["title"]["text"]["headline"] == "ASEAN–ROK timeline"
    slides = {s["unique_id"]: s for s in doc["events"]}
    assert list(slides) == [e.id for e in events if e.date]
    assert [i for i, _ in out.skipped] == [e.id for e in events if not e.date]
    assert slides["ev-1989-11-sectoral-dialogue"]["start_date"] == {"year": 1989, "month": 11}
    assert slides["ev-1990-scf-launched"]["start_date"] == {"year": 1990}
    assert slides["ev-2004-11-30-8th-summit"]["start_date"] == {"year": 2004, "month": 11, "day": 30}
    busan = slides["ev-2019-11-commemorative-summit-busan"]
    assert busan["end_date"] == {"year": 2019, "month": 11, "day": 26} and busan["display_date"] == "25–26 Nov 2019"
    since = slides["ev-2011-akec-fund-annual-contributions"]
    assert "end_date" not in since and since["display_date"] == "since 2011" and "Ongoing" in since["text"]["text"]
    for e in events:
        if not e.date:
            continue
        s = slides[e.id]
        assert s["group"] == e.category
        assert set(s["start_date"]) <= {"year", "month", "day"} and isinstance(s["start_date"]["year"], int)
        assert s["media"]["url"].startswith("<blockquote>") and s["media"]["url"].endswith("</blockquote>")
        c = e.citations[0]
        assert s["media"]["credit"].endswith(f" Para. {c.para}." if c.para else f" Line {c.line}.")
        assert s["display_date"].endswith("(inferred)") == e.inferred


def test_timelinejs_escapes_data_since_its_fields_are_html() -> None:
    ds = _dataset(_event("ev-x", "2020-05", title=NASTY, quote=NASTY, note=NASTY))
    slide = json.loads(ex.to_timelinejs(ds, list(ds.records)).text)["events"][0]
    for value in (slide["text"]["headline"], slide["text"]["text"], slide["media"]["url"], slide["media"]["credit"]):
        assert "<script" not in value and "<img" not in value
    assert slide["text"]["headline"].startswith("&lt;script&gt;alert(&quot;x&quot;)")


# -- SQLite + Datasette ---------------------------------------------------------------------------


def test_sqlite_export_has_every_kind_fts_and_datasette_metadata(run, ds, tmp_path: Path) -> None:
    db = tmp_path / "asean.db"
    res = run("export", "-f", "sqlite", "-o", str(db))
    assert res.code == 0 and res.out == "" and "datasette" in res.err
    events = timeline(ds)
    con = sqlite3.connect(db)
    names = {r[0] for r in con.execute("select name from sqlite_master where type in ('table', 'view')")}
    kinds = {"events", "funds", "contributions", "figures", "statements", "terms"}
    assert names >= {"sources", "records", "citations", "links", "records_fts"} | kinds
    # every record of every kind, not only the events, each in its own view with its own columns
    assert con.execute("select count(*) from records").fetchone()[0] == len(ds.records)
    assert [r[0] for r in con.execute("select id from events")] == [e.id for e in events]
    for kind in kinds:
        assert con.execute(f"select count(*) from {kind}").fetchone()[0] == len(ds.of_kind(kind.rstrip("s")))
    amount = con.execute("select amount, currency from contributions where id = 'contrib-akec-annual-2011'").fetchone()
    assert amount == (500000, "USD")
    assert con.execute("select count(*) from citations").fetchone()[0] == sum(len(r.citations) for r in ds.records)
    assert con.execute("select count(*) from links where relation = 'differs'").fetchone()[0] >= 1
    hits = {
        r[0]
        for r in con.execute(
            "select r.id from records_fts f join records r on r.pos = f.rowid where records_fts match 'busan'"
        )
    }
    assert {e.id for e in events if "busan" in (e.title + " ".join(c.quote for c in e.citations)).lower()} <= hits
    row = con.execute(
        "select date, date_display, earliest, latest from events where id='ev-2011-akec-fund-annual-contributions'"
    ).fetchone()
    assert row == ("2011/..", "since 2011", "2011-01-01", None)
    apa = con.execute("select apa from source_references where source_id='asean-overview'").fetchone()[0]
    assert "[ASEAN Secretariat]" in apa
    assert con.execute("pragma foreign_key_check").fetchall() == []
    con.close()
    assert stat.S_IMODE(db.stat().st_mode) & 0o044  # an ordinary readable file, not mkstemp's 0600
    meta = json.loads((tmp_path / "asean.metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] and meta["license"] and "ASEAN Secretariat" in meta["source"]
    tables = meta["databases"]["asean"]["tables"]
    assert all(tables[t]["description"] for t in ("records", "citations", "sources", *kinds))
    assert tables["records"]["fts_table"] == "records_fts" and tables["records"]["fts_pk"] == "pos"
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary files left behind


def test_the_store_and_the_sqlite_export_share_one_schema(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(tmp_path / "cache"))
    assert run("facts", "--json").code == 0
    (store,) = (tmp_path / "cache").glob("korasean-*.sqlite3")
    db = tmp_path / "x.db"
    assert run("export", "-f", "sqlite", "-o", str(db)).code == 0

    def shape(path: Path) -> dict[str, Any]:
        con = sqlite3.connect(path)
        names = [r[0] for r in con.execute("select name from sqlite_master where type in ('table','view')")]
        out = {
            n: [c[1] for c in con.execute(f"pragma table_info({n})")]
            for n in names
            if not n.startswith(("search_", "records_fts", "source_ref"))
        }
        con.close()
        return out

    assert shape(store) == shape(db)


def test_sqlite_needs_an_output_file(run) -> None:
    res = run("export", "--format", "sqlite")
    assert res.code == 2 and res.out == "" and "--output" in res.err


# -- HTML ----------------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.events: list[dict[str, Any]] = []
        self.checkboxes: list[str] = []
        self.csp = ""
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._stack: list[str] = []
        self._text: list[str] = []
        self._in_event = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        self.attrs += attrs
        if tag == "li" and a.get("class") == "event":
            self.events.append(
                {
                    "id": a["id"],
                    "category": a["data-category"],
                    "quotes": [],
                    "h3": "",
                    "text": "",
                    "hidden": "hidden" in a,
                }
            )
            self._in_event = True
        if tag == "input" and a.get("type") == "checkbox":
            self.checkboxes.append(a["value"] or "")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a["content"] or ""
        if tag in ("blockquote", "h3", "script", "style"):
            self._stack.append(tag)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._in_event = False
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
            text = "".join(self._text)
            if tag == "blockquote" and self.events:
                self.events[-1]["quotes"].append(text)
            elif tag == "h3" and self.events:
                self.events[-1]["h3"] = text
            elif tag == "script":
                self.scripts.append(text)
            elif tag == "style":
                self.styles.append(text)

    def handle_data(self, data: str) -> None:
        if self._in_event:
            self.events[-1]["text"] += data
        if self._stack:
            self._text.append(data)


def _parse(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    p.close()
    return p


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_html_page_shows_every_event_with_its_quotes_and_filters(run, ds) -> None:
    html = run("export", "-f", "html").out
    page = _parse(html)
    events = timeline(ds)
    assert [e["id"] for e in page.events] == [e.id for e in events]
    for shown, rec in zip(page.events, events, strict=True):
        assert shown["h3"] == rec.title and shown["category"] == (rec.category or "")
        assert shown["quotes"] == [" ".join(c.quote.split()) for c in rec.citations]
    assert sorted(page.checkboxes) == sorted({e.category or "" for e in events})
    assert 'id="q"' in html and 'type="search"' in html
    # self-contained: nothing is fetched, and the CSP admits exactly the inline style and script
    assert len(page.scripts) == 1 and len(page.styles) == 1
    assert not [v for k, v in page.attrs if k in ("src", "href", "action") and v]
    assert "http://" not in html and "https://" not in html
    assert "default-src 'none'" in page.csp
    assert f"script-src {_sha(page.scripts[0])}" in page.csp and f"style-src {_sha(page.styles[0])}" in page.csp


def test_html_never_turns_data_into_markup() -> None:
    ds = _dataset(_event("ev-x", "2020-05", title=NASTY, quote=NASTY, note=NASTY, category="asean-rok-summit"))
    html = ex.to_html(ds, list(ds.records))
    page = _parse(html)
    assert "img" not in page.tags and page.tags.count("script") == 1
    assert page.events[0]["h3"] == NASTY and page.events[0]["quotes"] == [" ".join(NASTY.split())]


def chromium() -> str:
    """Debian's chromium, which .ci/run installs: under CI=true a missing browser fails the test, elsewhere skips it."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        return browser
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is not installed, and CI must run the browser test: apt-get install -y chromium")
    pytest.skip("chromium not installed (apt-get install chromium to run this test)")


def test_html_filters_in_a_real_browser(ds, tmp_path: Path) -> None:
    browser = chromium()
    page = tmp_path / "timeline.html"
    events = timeline(ds)
    page.write_text(ex.to_html(ds, events), encoding="utf-8")

    def dom(fragment: str) -> str:
        out = subprocess.run(
            [
                str(browser),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--dump-dom",
                page.as_uri() + fragment,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout

    html_all = dom("")
    everything = _parse(html_all)
    assert len(everything.events) == len(events) and not any(e["hidden"] for e in everything.events)
    assert '<form id="controls">' in html_all  # the script ran: the page's CSP admitted it
    assert f"Showing {len(events)} of {len(events)} events" in html_all
    static = _parse(page.read_text(encoding="utf-8"))
    expected = [e["id"] for e in static.events if "busan" in e["text"].lower() and "summit" in e["text"].lower()]
    assert 0 < len(expected) < len(events)
    filtered = dom("#q=Busan%20summit")  # two words, any case: both must appear
    shown = [e["id"] for e in _parse(filtered).events if not e["hidden"]]
    assert shown == expected
    assert f"Showing {len(expected)} of {len(events)} events" in filtered


@pytest.mark.parametrize(("ci", "outcome"), [("true", "failed"), ("", "skipped")])
def test_without_chromium_the_browser_test_fails_under_ci_and_skips_elsewhere(
    tmp_path: Path, ci: str, outcome: str
) -> None:
    env = dict(os.environ, PATH=str(tmp_path), CI=ci)  # a PATH with no chromium on it
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rfs",
            f"{__file__}::test_html_filters_in_a_real_browser",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert f"1 {outcome}" in res.stdout, res.stdout[-2000:]
    assert "apt-get install" in res.stdout


# -- the command ---------------------------------------------------------------------------------


def test_output_file_format_from_extension_and_stdout_left_clean(run, tmp_path: Path) -> None:
    target = tmp_path / "t.ics"
    res = run("export", "-o", str(target), "--from", "2019", "--to", "2019")
    assert res.code == 0 and res.out == "" and "wrote" in res.err
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert run("export", "-o", str(tmp_path / "t.xyz")).code == 2
    assert run("export", "-f", "csv", "-o", str(tmp_path)).code == 2  # a folder
    assert run("export", "-f", "pdf").code == 2
    assert run("export", "-f", "csv", "--from", "2020", "--to", "2010").code == 2
