from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from korasean_cli.core.errors import DataError
from korasean_cli.core.store.cache import compile_file

SEED = "ASEAN and the ROK met in Busan on 25 November 2019.\nThe fund got USD 5 million.\n"


def tiny(tmp_path: Path, records: str, seed: str = SEED, sha: str | None = None, file: str = "seeds/s.txt") -> Path:
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "s.txt").write_text(seed, encoding="utf-8")
    digest = sha or hashlib.sha256(seed.encode()).hexdigest()
    text = f"""schema_version: 1
sources:
  - id: src
    file: {file}
    sha256: "{digest}"
    kind: report
    title: A test source
events:
{records}
"""
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_EVENT = """  - id: ev-busan
    date: "2019-11-25"
    title: Meeting in Busan
    category: meeting
    citations:
      - source: src
        quote: ASEAN and the ROK met in Busan on 25 November 2019.
"""


def test_a_clean_tiny_dataset_compiles_with_the_quote_located(tmp_path: Path) -> None:
    ds, problems = compile_file(str(tiny(tmp_path, GOOD_EVENT)))
    assert problems == []
    assert ds is not None
    (rec,) = ds.records
    assert rec.citations[0].line == 1


def test_shipped_dataset_is_valid_and_large(ds) -> None:
    assert len(ds.records) >= 400
    assert set(ds.sources) == {
        "straits-times-2024",
        "akc-asean-day-2023",
        "asia-business-daily-2022",
        "nsp-opinion-2020",
        "asean-overview",
    }


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (GOOD_EVENT.replace("met in Busan", "met in Seoul"), "quote not found in seed 'src'"),
        (GOOD_EVENT.replace('"2019-11-25"', "123"), "field 'date' must be text"),
        (GOOD_EVENT.replace('"2019-11-25"', '"2019-13"'), "month out of range"),
        (GOOD_EVENT.replace("category: meeting", "category: party"), "category 'party' is not one of"),
        (GOOD_EVENT.replace("id: ev-busan", "id: Busan Event"), "id must be lowercase"),
        (GOOD_EVENT + GOOD_EVENT, "duplicate id"),
        (GOOD_EVENT.replace("source: src", "source: nowhere"), "citation source 'nowhere' is not in 'sources'"),
        (GOOD_EVENT + "    see_also: [ev-missing]\n", "refers to unknown id 'ev-missing'"),
        (GOOD_EVENT + "    date_inferred: true\n", "date_inferred needs a note"),
        (GOOD_EVENT.replace("    title: Meeting in Busan\n", ""), "missing required field 'title'"),
        (GOOD_EVENT + "    colour: red\n", "unknown field 'colour'"),
    ],
)
def test_each_broken_record_is_reported_with_its_line(tmp_path: Path, records: str, message: str) -> None:
    ds, problems = compile_file(str(tiny(tmp_path, records)))
    assert ds is None
    assert any(message in p for p in problems), problems
    assert all(p.startswith("data.yaml:") and p.split(":")[1].isdigit() for p in problems)


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    broken = GOOD_EVENT.replace("met in Busan", "met in Seoul").replace("category: meeting", "category: x")
    _, problems = compile_file(str(tiny(tmp_path, broken + "    colour: red\n")))
    assert len(problems) == 3


def test_an_edited_seed_is_caught_by_its_checksum(tmp_path: Path) -> None:
    _, problems = compile_file(str(tiny(tmp_path, GOOD_EVENT, sha="0" * 64)))
    assert any("has changed" in p for p in problems)


def test_a_seed_path_outside_the_dataset_folder_is_refused(tmp_path: Path) -> None:
    _, problems = compile_file(str(tiny(tmp_path, GOOD_EVENT, file="../../etc/passwd")))
    assert any("must be a relative path inside the dataset" in p for p in problems)


def test_an_ambiguous_quote_needs_a_line(tmp_path: Path) -> None:
    seed = "The ROK signed.\nThe ROK signed.\n"
    rec = """  - id: ev-x
    date: "2019"
    title: Signed
    category: agreement
    citations:
      - source: src
        quote: The ROK signed.
"""
    _, problems = compile_file(str(tiny(tmp_path, rec, seed=seed)))
    assert any("occurs on lines [1, 2]" in p for p in problems)
    ds, problems = compile_file(str(tiny(tmp_path, rec + "        line: 2\n", seed=seed)))
    assert problems == [] and ds is not None and ds.records[0].citations[0].line == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("a: !!python/object/apply:os.system ['echo hacked']\n", "YAML error"),
        ("a: [1, 2\n", "YAML error"),
    ],
)
def test_unsafe_or_broken_yaml_is_a_one_line_data_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        compile_file(str(path))
    assert message in str(info.value)
    assert str(info.value).startswith(str(path) + ":")


def test_shipped_overview_quotes_carry_printed_paragraph_labels(ds) -> None:
    # the overview prints paragraphs 28-30 twice; the line keeps the location unambiguous
    rec = ds.get("fig-2022-asean-rok-trade")
    c = rec.citations[0]
    assert (c.line, c.para) == (30, "17")
    labels = {(c.line, c.para) for r in ds.records for c in r.citations if c.source == "asean-overview"}
    assert (50, "28") in labels and (44, "28") in labels
