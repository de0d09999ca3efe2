"""Citation styles: what a user pastes into a paper must state only what the source states."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from korasean_cli.core.data.citations import (
    STYLES,
    bibtex_entry,
    csl_item,
    format_source,
    format_sources,
    tex_escape,
)
from korasean_cli.core.data.humanize import plain_citation
from korasean_cli.core.data.model import Citation, Source

SCHEMA = Path(__file__).parent / "data" / "csl-data.json"


def _source(**kw: Any) -> Source:
    base: dict[str, Any] = {
        "id": "test-source",
        "file": "seeds/test.txt",
        "sha256": "0" * 64,
        "kind": "newspaper-article",
        "title": "Leaders Meet in Busan",
        "publisher": "The Daily Example",
        "author": "Jane Roe",
        "date": "2019-11-25",
        "url": None,
        "stated": ("title", "publisher", "author", "date"),
        "inferred": {},
        "quotes": (),
        "line": 1,
    }
    base.update(kw)
    return Source(**base)


def _bib(text: str) -> Any:
    import bibtexparser

    lib = bibtexparser.parse_string(text)
    assert lib.failed_blocks == [], [b.error for b in lib.failed_blocks]
    return lib


def _fields(entry: Any) -> dict[str, str]:
    return {f.key: f.value for f in entry.fields}


def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


# -- plain: the 'cite as' line korasean has always printed ------------------------------------------


def test_plain_style_is_the_cite_as_line_for_every_quote_in_the_dataset(ds) -> None:
    quotes = [c for r in ds.records for c in r.citations]
    assert quotes
    for c in quotes:
        assert format_source(ds.sources[c.source], "plain", c) == plain_citation(ds, c)


# -- the five real sources, one per type ---------------------------------------------------------------


def five_sources(ds):
    ids = ("straits-times-2024", "asia-business-daily-2022", "nsp-opinion-2020", "akc-asean-day-2023", "asean-overview")
    return tuple(ds.sources[k] for k in ids)


def test_apa_entries_per_type_bracket_what_the_curators_supplied(ds) -> None:
    st, abd, nsp, akc, ov = five_sources(ds)
    # newspaper article, no byline, headline supplied: the bracketed description leads; its date is printed
    assert format_source(st, "apa", markup="md") == f"[{st.title}]. (2024, October 8). *The Straits Times*."
    # newspaper article with a stated headline and byline: author inverted, headline plain, newspaper italic
    assert format_source(abd, "apa", markup="md") == (
        f"Lee, K.-m. [n.d., c. 2022, May]. {abd.title}. *The Asia Business Daily*."
    )
    # opinion piece whose venue is not stated: nothing is made up for it; a Malay name has no family name to invert
    assert format_source(nsp, "apa", markup="md") == f"Siti Atiqah Mokhter. [n.d., c. 2020]. [{nsp.title}]."
    # an organisation's release: the organisation is the publisher, never moved into the author slot
    assert format_source(akc, "apa", markup="md") == (
        f"[{akc.title}] [Press release]. [n.d., c. 2023]. ASEAN-Korea Centre."
    )
    # a report whose publisher is attributed, dated only "2023 or later"
    assert format_source(ov, "apa", markup="md") == f"*{ov.title}*. [n.d., 2023 or later]. [ASEAN Secretariat]."
    # plain text (the default) has no emphasis marks at all
    assert format_source(ov, "apa") == f"{ov.title}. [n.d., 2023 or later]. [ASEAN Secretariat]."


def test_chicago_entries_per_type(ds) -> None:
    st, abd, nsp, akc, ov = five_sources(ds)
    md = {s.id: format_source(s, "chicago", markup="md") for s in (st, abd, nsp, akc, ov)}
    assert md[st.id] == f"[{st.title}]. *The Straits Times*, October 8, 2024."
    assert md[abd.id] == f"Lee, Ki-min. “{abd.title}.” *The Asia Business Daily*, n.d. [c. May 2022]."
    assert md[nsp.id] == f"Siti Atiqah Mokhter. [{nsp.title}]. N.d. [c. 2020]."
    assert md[akc.id] == f"[{akc.title}]. Press release. ASEAN-Korea Centre, n.d. [c. 2023]."
    assert md[ov.id] == f"*{ov.title}*. [ASEAN Secretariat], n.d. [2023 or later]."
    for s in (st, abd, nsp, akc, ov):
        assert format_source(s, "chicago") == md[s.id].replace("*", "")


def test_each_style_writes_a_stated_date_its_own_way(ds) -> None:
    st = ds.sources["straits-times-2024"]
    assert "(2024, October 8)" in format_source(st, "apa")
    assert "October 8, 2024" in format_source(st, "chicago")
    assert "8 Oct 2024" in format_source(st, "plain")
    f = _fields(_bib(format_source(st, "bibtex")).entries[0])
    assert (f["year"], f["month"], f["day"]) == ("2024", "oct", "8")
    assert csl_item(st)["issued"] == {"date-parts": [[2024, 10, 8]]}


@pytest.mark.parametrize(
    ("name", "apa", "chicago"),
    [
        ("Ki-min Lee", "Lee, K.-m.", "Lee, Ki-min."),  # a romanised Korean name, given name first
        ("Kim Hae-yong", "Kim, H.-y.", "Kim, Hae-yong."),  # and family name first
        ("Siti Atiqah Mokhter", "Siti Atiqah Mokhter.", "Siti Atiqah Mokhter."),  # no family name to invert
        ("Jane Roe", "Jane Roe.", "Jane Roe."),  # which part is the family name is not certain: as printed
    ],
)
def test_apa_and_chicago_invert_a_name_only_when_its_family_name_is_certain(name: str, apa: str, chicago: str) -> None:
    s = _source(author=name)
    assert format_source(s, "apa").startswith(apa + " (2019, November 25).")
    assert format_source(s, "chicago").startswith(chicago + " “Leaders Meet in Busan.”")


@pytest.mark.parametrize("style", ["apa", "chicago", "bibtex", "csl-json"])
def test_an_attributed_publisher_only_ever_appears_in_brackets(ds, style: str) -> None:
    ov = ds.sources["asean-overview"]
    assert "publisher" in ov.inferred and "publisher" not in ov.stated
    text = format_source(ov, style)
    if style == "csl-json":
        item = json.loads(text)[0]
        assert item["publisher"] == "[ASEAN Secretariat]" and "attributed to ASEAN Secretariat" in item["note"]
        return
    if style == "bibtex":
        assert "attributed to ASEAN Secretariat" in _fields(_bib(text).entries[0])["note"]
        text = text.replace("attributed to ASEAN Secretariat", "")
    assert "ASEAN Secretariat" in text
    assert "ASEAN Secretariat" not in text.replace("[ASEAN Secretariat]", "")


def test_bibtex_for_all_sources_parses_and_never_states_an_inferred_date(ds, run) -> None:
    res = run("sources", "--style", "bibtex")
    assert res.code == 0
    lib = _bib(res.out)
    entries = {e.key: e for e in lib.entries}
    assert set(entries) == set(ds.sources)
    assert {k: e.entry_type for k, e in entries.items()} == {
        "straits-times-2024": "article",
        "asia-business-daily-2022": "article",
        "nsp-opinion-2020": "misc",
        "akc-asean-day-2023": "misc",
        "asean-overview": "techreport",
    }
    for key, e in entries.items():
        s, f = ds.sources[key], _fields(e)
        if "date" in s.inferred:
            assert not {"year", "month", "day", "date"} & set(f), key  # the date is in the note, not a field
            assert "Date not stated in the source; inferred:" in f["note"], key
        if "title" in s.inferred:
            assert f["title"].startswith("{[") and "title was supplied by the korasean curators" in f["note"]
        assert "url" not in f and "pages" not in f  # nothing invented
    assert _fields(entries["asia-business-daily-2022"])["journal"] == "The Asia Business Daily"
    assert "c. May 2022" in _fields(entries["asia-business-daily-2022"])["note"]


def test_bibtex_and_csl_split_a_name_only_when_its_family_name_is_certain(ds) -> None:
    import bibtexparser
    from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

    nsp, abd = ds.sources["nsp-opinion-2020"], ds.sources["asia-business-daily-2022"]
    text = format_sources([(nsp, []), (abd, [])], "bibtex")
    lib = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    names = [e.fields_dict["author"].value[0] for e in lib.entries]
    # a Malay name has no family name to invert, and korasean does not guess one; the Korean one is certain
    assert [(n.first, n.last) for n in names] == [([], ["{Siti Atiqah Mokhter}"]), (["Ki-min"], ["Lee"])]
    assert csl_item(nsp)["author"] == [{"literal": "Siti Atiqah Mokhter"}]
    assert csl_item(abd)["author"] == [{"family": "Lee", "given": "Ki-min"}]


def test_bibtex_escapes_latex_specials_so_no_field_swallows_the_next() -> None:
    s = _source(title="R&D: 100% {growth} for $5 #1 a_b ~x^2 back\\slash")
    lib = _bib(bibtex_entry(s, [Citation(s.id, "costs 50% less } than {", 3, None)]))
    f = _fields(lib.entries[0])
    assert f["title"] == (
        "{R\\&D: 100\\% \\{growth\\} for \\$5 \\#1 a\\_b "
        "\\textasciitilde{}x\\textasciicircum{}2 back\\textbackslash{}slash}"
    )
    assert f["annote"] == "“costs 50\\% less \\} than \\{” (line 3)"
    assert f["journal"] == "The Daily Example" and f["year"] == "2019" and f["month"] == "nov" and f["day"] == "25"
    assert tex_escape("a\nb") == "a b"


def test_cite_bibtex_puts_the_real_quote_in_annote_escaped(run) -> None:
    # the seed prints the amount as "US\$531,915", backslash included
    res = run("cite", "contrib-akec-initial-2008", "--style", "bibtex")
    assert res.code == 0
    e = _bib(res.out).entries[0]
    assert e.key == "contrib-akec-initial-2008"  # the fact's own key, not its source's
    annote = _fields(e)["annote"]
    assert "US\\textbackslash{}\\$531,915" in annote and annote.endswith("(para. 20)") and "seeds/" not in annote


# -- CSL-JSON ------------------------------------------------------------------------------------


def test_csl_json_for_all_sources_validates_against_the_csl_schema(run) -> None:
    res = run("sources", "--style", "csl-json")
    assert res.code == 0
    items = json.loads(res.out)
    errors = sorted(_validator().iter_errors(items), key=str)
    assert errors == []
    by_id = {i["id"]: i for i in items}
    assert by_id["straits-times-2024"]["type"] == "article-newspaper"
    assert by_id["straits-times-2024"]["container-title"] == "The Straits Times"
    assert "author" not in by_id["straits-times-2024"] and "No author is stated" in by_id["straits-times-2024"]["note"]
    assert by_id["akc-asean-day-2023"]["genre"] == "Press release"
    assert by_id["asean-overview"]["type"] == "report"
    assert by_id["asia-business-daily-2022"]["author"] == [{"family": "Lee", "given": "Ki-min"}]
    for item in items:
        # an inferred date is marked circa and explained; a stated one (the Straits Times prints its own) is plain
        inferred = item["id"] != "straits-times-2024"
        assert item["issued"].get("circa", False) is inferred
        assert ("Date not stated in the source" in item["note"]) is inferred
        assert "URL" not in item and "page" not in item


def test_csl_json_with_everything_stated_has_no_note_and_a_plain_date() -> None:
    s = _source(url="https://example.org/busan")
    item = csl_item(s, [Citation(s.id, "Leaders met.", 4, "2")])
    assert list(_validator().iter_errors([item])) == []
    assert item["issued"] == {"date-parts": [[2019, 11, 25]]}
    assert item["URL"] == "https://example.org/busan" and "note" not in item
    assert item["annote"] == "“Leaders met.” (para. 2)"


def test_stated_fields_are_printed_plainly_and_an_inferred_url_never() -> None:
    s = _source(url="https://example.org/busan")
    assert format_source(s, "apa", markup="md") == (
        "Jane Roe. (2019, November 25). Leaders Meet in Busan. *The Daily Example*. https://example.org/busan"
    )
    assert format_source(s, "chicago", markup="md") == (
        "Jane Roe. “Leaders Meet in Busan.” *The Daily Example*, November 25, 2019. https://example.org/busan."
    )
    guessed = s._replace(inferred={"url": "looked up by hand"})
    for style in STYLES:
        assert "example.org" not in format_source(guessed, style).replace('"url": "looked up by hand"', ""), style
    opinion = s._replace(kind="opinion")
    assert format_source(opinion, "apa") == (
        "Jane Roe. (2019, November 25). Leaders Meet in Busan [Opinion]. The Daily Example. https://example.org/busan"
    )


@pytest.mark.parametrize("style", STYLES)
def test_every_style_formats_every_source_with_a_quote(ds, style: str) -> None:
    for s in ds.sources.values():
        c = s.quotes[0]
        text = format_source(s, style, c)
        where = f"para. {c.para}" if c.para else f"line {c.line}"  # the pinpoint, never a repository path
        if style in ("plain", "apa", "chicago"):
            assert text.endswith(" " + where.capitalize() + ".")
            assert "\n" not in text and "*" not in text and s.file not in text
        elif style == "csl-json":
            assert json.loads(text)[0]["annote"].endswith(f"({where})")
        else:
            assert _fields(_bib(text).entries[0])["annote"].endswith(f"({where})")


# -- the CLI -------------------------------------------------------------------------------------


def test_sources_id_style_prints_the_reference(run) -> None:
    res = run("sources", "asean-overview", "--style", "chicago")
    assert res.code == 0
    assert res.out.strip() == (
        "Overview of ASEAN-Republic of Korea Dialogue Relations. [ASEAN Secretariat], n.d. [2023 or later]."
    )
    res = run("sources", "asean-overview", "--style", "chicago", "--markup", "md")
    assert res.code == 0
    assert res.out.strip() == (
        "*Overview of ASEAN-Republic of Korea Dialogue Relations*. [ASEAN Secretariat], n.d. [2023 or later]."
    )


def test_cite_style_apa_shows_quote_location_and_reference(run) -> None:
    res = run("cite", "ev-1989-11-sectoral-dialogue", "--style", "apa", "--format", "plain")
    assert res.code == 0
    assert "“ASEAN and the Republic of Korea (ROK) initiated sectoral dialogue relations in November 1989.”" in res.out
    assert (
        "Overview of ASEAN-Republic of Korea Dialogue Relations. [n.d., 2023 or later]. [ASEAN Secretariat]. "
        "Para. 1.\n" in res.out
    )
    assert "*" not in res.out


def test_cite_without_style_is_unchanged(run) -> None:
    res = run("cite", "ev-1989-11-sectoral-dialogue", "--format", "plain")
    assert res.code == 0 and "cite as" in res.out and "see also" in res.out


@pytest.mark.parametrize(
    "args",
    [
        ["sources", "--style", "mla"],
        ["cite", "ev-1989-11-sectoral-dialogue", "--style", "harvard"],
        ["sources", "asean-overview", "--style", "apa", "--json"],
        ["cite", "ev-1989-11-sectoral-dialogue", "--style", "apa", "--format", "json"],
    ],
)
def test_bad_or_conflicting_style_is_a_usage_error(run, args: list[str]) -> None:
    res = run(*args)
    assert res.code == 2 and res.out == "" and "--style" in res.err and "Traceback" not in res.err


# -- citations that paste: a key per fact, nested quotation marks, markup ------------------------


def test_a_file_of_many_cites_has_a_key_per_fact_and_no_duplicate(run) -> None:
    # two facts from one source, then a fact quoting two sources, then five matches at once: as `>> refs.bib` would
    calls = [
        ["cite", "contrib-akec-initial-2008", "--style", "bibtex"],
        ["cite", "contrib-akec-annual-2011", "--style", "bibtex"],
        ["cite", "ev-2019-11-commemorative-summit-busan", "--style", "bibtex"],
        ["cite", "busan", "-n", "5", "--style", "bibtex"],
    ]
    outputs = []
    for argv in calls:
        res = run(*argv)
        assert res.code == 0, res.err
        outputs.append(res.out)
    import bibtexparser

    lib = bibtexparser.parse_string("\n".join(outputs[:3]))
    assert lib.failed_blocks == []  # bibtexparser puts a duplicate key there
    keys = [e.key for e in lib.entries]
    assert keys == [
        "contrib-akec-initial-2008",
        "contrib-akec-annual-2011",
        "ev-2019-11-commemorative-summit-busan:asean-overview",
        "ev-2019-11-commemorative-summit-busan:nsp-opinion-2020",
    ]
    assert {e.entry_type for e in lib.entries[:2]} == {"techreport"}  # both from the ASEAN overview
    many = _bib(outputs[3])
    assert len(many.entries) >= 5 and len({e.key for e in many.entries}) == len(many.entries)


def test_cite_csl_json_gives_each_fact_its_own_valid_item(run) -> None:
    res = run("cite", "busan", "-n", "5", "--style", "csl-json")
    assert res.code == 0
    items = json.loads(res.out)
    assert list(_validator().iter_errors(items)) == []
    ids = [i["id"] for i in items]
    assert len(ids) >= 5 and len(set(ids)) == len(ids)
    assert all(i["annote"].endswith(")") and "seeds/" not in i["annote"] for i in items)


def test_quotation_marks_inside_a_quotation_alternate(run) -> None:
    res = run("cite", "stmt-2022-05-18-kim-tae-hyo-minimize-ideological-relationships", "--style", "apa")
    assert res.code == 0
    assert (
        "“He particularly added, ‘We will minimize relationships based on “socialism versus liberal democracy” "
        "or “discomfort due to participation by certain countries,”’”" in res.out
    )
    annote = _fields(_bib(run("cite", "stmt-yoon-singapore-cultural-diversity", "--style", "bibtex").out).entries[0])
    assert "Singapore’s ‘cultural diversity and dynamism’" in annote["annote"]  # an apostrophe stays one
    s = _source(kind="opinion", title='Why "Busan" Matters', publisher=None)
    assert format_source(s, "plain").startswith("Jane Roe. “Why ‘Busan’ Matters.”")


def test_markdown_markup_marks_italics_and_escapes_the_rest() -> None:
    s = _source(kind="report", title="R_and_D *notes*", publisher="Example Institute")
    assert format_source(s, "apa") == "Jane Roe. (2019, November 25). R_and_D *notes*. Example Institute."
    assert format_source(s, "apa", markup="md") == (
        "Jane Roe. (2019, November 25). *R\\_and\\_D \\*notes\\**. Example Institute."
    )


def test_an_unknown_markup_is_a_usage_error(run) -> None:
    for argv in (["cite", "AKCF", "--style", "apa", "--markup", "html"], ["sources", "--markup", "rst"]):
        res = run(*argv)
        assert res.code == 2 and res.out == "" and "--markup" in res.err and "plain, md" in res.err
