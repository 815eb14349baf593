"""Editors' mistakes are located errors with a fix, never literal text on a page, never
a template error naming a Python object, never "None", and one mistake gives one error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, build
from test_errors import assert_documented

TEA = FIXTURES / "tea"
LINE = 11  # the first line appended to pages/evidence.md (it has 10)


def _run(tmp_path: Path, append: str = "", edit: dict[str, str] | None = None) -> tuple[int, list[tuple[str, str]]]:
    site = tmp_path / "src"
    shutil.copytree(TEA, site)
    assert len((site / "pages" / "evidence.md").read_text().splitlines()) == LINE - 1
    if append:
        with (site / "pages" / "evidence.md").open("a", encoding="utf-8") as f:
            f.write(append)
    for rel, text in (edit or {}).items():
        (site / rel).write_text(text, encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search", "--strict")
    assert "Traceback" not in result.err
    errors = re.findall(r"^(\S+:\d+:\d+): error: (.*)$", result.err, flags=re.M)
    assert_documented([msg for _, msg in errors])
    return result.code, errors


@pytest.mark.parametrize(
    ("text", "col", "message"),
    [
        ("[@ trial]", 1, r"citation not in the form \[@id\]: \[@ trial\] would be shown as it is; write \[@trial\]"),
        ("[@ tri al]", 1, r"write \[@trial\]"),
        # Keys are as the reference manager wrote them (Pandoc's rule): another case is another key.
        ("[@Trial]", 1, r"unknown source id 'Trial' in citation; did you mean 'trial'\?"),
        ("[@trial; @News]", 1, r"unknown source id 'News' in citation; did you mean 'news'\?"),
        (
            "[[claims:cure]]",
            1,
            r"reference not in the form \[\[claim:id\]\]: \[\[claims:cure\]\] .* write \[\[claim:cure\]\]",
        ),
        ("[[claim: cure]]", 1, r"write \[\[claim:cure\]\]"),
        ("[[Claim:Cure]]", 1, r"write \[\[claim:cure\]\]"),
        ("[[claim: cur]]", 1, r"write \[\[claim:cure\]\]"),  # the nearest claim id
        (
            "[[clam:cure]]",
            1,
            r"unknown kind of reference 'clam' in \[\[clam:cure\]\]; did you mean \[\[claim:cure\]\]\?",
        ),
        (
            "See [[figure:chart]] below.",
            5,
            r"a figure must stand alone in its paragraph: \[\[figure:chart\]\] is inside",
        ),
        ("Then [[block:limits]].", 6, r"a block must stand alone in its paragraph"),
    ],
)
def test_a_near_miss_of_the_syntax_is_an_error_with_the_fix(tmp_path: Path, text: str, col: int, message: str) -> None:
    code, errors = _run(tmp_path, f"\n{text}\n")
    assert code == 1
    assert len(errors) == 1, errors
    where, msg = errors[0]
    assert where.endswith(f"pages/evidence.md:{LINE + 1}:{col}"), errors
    assert re.search(message, msg), msg


def test_near_misses_in_data_markdown_are_located_there(tmp_path: Path) -> None:
    claims = (TEA / "data" / "claims.yaml").read_text(encoding="utf-8")
    code, errors = _run(tmp_path, edit={"data/claims.yaml": claims.replace("[@trial]", "[@ trial]", 1)})
    assert code == 1
    assert [(w.split("/")[-1], m.split(":")[0]) for w, m in errors] == [
        ("claims.yaml:7:25", "citation not in the form [@id]")
    ]


def test_the_right_syntax_still_works_and_facts_are_left_to_their_processor(tmp_path: Path) -> None:
    code, errors = _run(tmp_path, "\nSee [[claim:cure]] [@trial; @news].\n\n[[figure:nope]]\n")
    assert code == 1
    assert [m for _, m in errors] == [m for _, m in errors if m.startswith("unknown figure id 'nope'")]
    assert "(there are none yet)" in errors[0][1]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("study-design", r"block 'study-design' needs data/study\.yaml, which the site does not have"),
        ("theories", r"block 'theories' needs data/theories\.yaml"),
        ("tell-apart", r"block 'tell-apart' needs 'tell_apart' in data/theories\.yaml"),
        ("criteria", r"block 'criteria' needs data/criteria\.yaml"),
    ],
)
def test_a_block_without_its_data_names_the_file(tmp_path: Path, block: str, message: str) -> None:
    code, errors = _run(tmp_path, f"\n[[block:{block}]]\n")
    assert code == 1
    assert len(errors) == 1, errors
    assert errors[0][0].endswith(f"pages/evidence.md:{LINE + 1}:1")
    assert re.search(message, errors[0][1]), errors[0][1]
    assert "object" not in errors[0][1] and "undefined" not in errors[0][1]


def test_a_block_without_its_key_names_the_key(tmp_path: Path) -> None:
    # 12: a value of one of the site's facts (a table's numbers are traced too)
    study = "results:\n  columns: [Measure, Change]\n  rows:\n    - {label: x, values: [12]}\n"
    code, errors = _run(tmp_path, "\n[[block:study-design]]\n", {"data/study.yaml": study})
    assert code == 1
    assert [m for _, m in errors] == [
        "block 'study-design' needs 'design' in data/study.yaml: add it, or remove the block"
    ]


def test_unknown_ids_list_the_valid_ones(tmp_path: Path) -> None:
    claims = (TEA / "data" / "claims.yaml").read_text(encoding="utf-8")
    code, errors = _run(tmp_path, edit={"data/claims.yaml": claims.replace("verdict: overstated", "verdict: wrong")})
    assert code == 1
    assert errors[0][1] == "unknown verdict id 'wrong' (known ids: supported, overstated)"


def test_a_misnamed_page_gives_one_error_with_the_name_it_should_have(tmp_path: Path) -> None:
    site = tmp_path / "src"
    shutil.copytree(TEA, site)
    (site / "pages" / "evidence.md").rename(site / "pages" / "Evidence.md")  # index.md links to evidence.md
    result = build(site, tmp_path / "out", "--no-search")
    errors = re.findall(r": error: (.*)", result.err)
    assert errors == [
        "page file name 'Evidence' may use only a-z, 0-9 and hyphens (it becomes the page's URL); "
        "rename it to evidence.md"
    ]
    (site / "pages" / "Evidence.md").rename(site / "pages" / "Tea Évidence.md")
    result = build(site, tmp_path / "out", "--no-search")
    assert "rename it to tea-evidence.md" in result.err
    assert_documented(errors)


def test_one_term_one_glossary_entry(tmp_path: Path) -> None:
    glossary = (TEA / "data" / "glossary.yaml").read_text(encoding="utf-8")
    more = glossary + '- id: tea\n  term: tea\n  aliases: [green tea, Catechins]\n  definition: "A drink."\n'
    code, errors = _run(tmp_path, edit={"data/glossary.yaml": more})
    assert code == 1
    assert len(errors) == 1
    where, msg = errors[0]
    assert where.endswith("data/glossary.yaml:7:24")
    assert msg == (
        "term defined twice in the glossary: the alias 'Catechins' is also a term or alias of 'catechin' (line 3); "
        "keep it in one entry"
    )
