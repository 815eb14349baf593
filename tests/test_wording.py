"""The wording check: a site's `data/wording.yaml` lists phrasings it never wants, each with
the wording to use instead; every hit in its pages and data is a warning at its line and
column, an error under --strict; a bad rules file is a located error."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, build
from test_facts import check, edit, findings

RULES = """\
- avoid: "tea compound"
  use: "\\"catechin\\""
  why: "name the compound"
- avoid: "was small|small trial"
  use: "the number of people"
- avoid: "remarkable"
  use: "what was found"
"""


def where(site: Path, rel: str, phrase: str, *, after: str = "") -> tuple[str, str]:
    """The line and column (1-based) of phrase in a file, as an editor's editor shows them."""
    text = (site / rel).read_text(encoding="utf-8")
    index = text.index(phrase, text.index(after) if after else 0)
    line = text.count("\n", 0, index) + 1
    return str(line), str(index - (text.rfind("\n", 0, index) + 1) + 1)


def site_path(site: Path, printed: str) -> str:
    return (ROOT / printed).resolve().relative_to(site.resolve()).as_posix()


def rules(site: Path, text: str = RULES) -> None:
    (site / "data" / "wording.yaml").write_text(text, encoding="utf-8")


def test_each_hit_is_a_warning_at_its_line_and_column_in_pages_and_data(tea_copy: Path) -> None:
    rules(tea_copy)
    result = check(tea_copy)
    assert result.code == 0, result.err
    hits = [(site_path(tea_copy, w["path"]), w["line"], w["col"]) for w in findings(result, "warning")]
    assert hits == [
        ("data/claims.yaml", *where(tea_copy, "data/claims.yaml", "small trial")),  # a plain text value
        ("data/claims.yaml", *where(tea_copy, "data/claims.yaml", "was small")),  # Markdown in data
        ("pages/evidence.md", *where(tea_copy, "pages/evidence.md", "tea compound")),  # a page
        ("pages/index.md", *where(tea_copy, "pages/index.md", "small trial")),
    ], result.err
    message = next(w["msg"] for w in findings(result, "warning") if "compound" in w["msg"])
    assert message == (
        "wording this site avoids: 'tea compound'; write \"catechin\" (name the compound) (a rule of data/wording.yaml)"
    )


def test_under_strict_a_hit_is_an_error_and_nothing_is_written(tea_copy: Path, tmp_path: Path) -> None:
    rules(tea_copy)
    result = build(tea_copy, tmp_path / "out", "--strict", "--no-search")
    assert result.code == 1
    line, col = where(tea_copy, "pages/evidence.md", "tea compound")
    assert re.search(rf"evidence\.md:{line}:{col}: error: wording this site avoids: 'tea compound'", result.err)
    assert not (tmp_path / "out").exists()


def test_quoted_words_are_a_sources_own_and_never_hits(tea_copy: Path) -> None:
    # The claim's evidence quotes the news story: "a remarkable result" [@news].
    assert '"a remarkable result"' in (tea_copy / "data" / "claims.yaml").read_text(encoding="utf-8")
    rules(tea_copy, '- avoid: "remarkable"\n  use: "what was found"\n')
    assert findings(check(tea_copy), "warning") == []
    edit(tea_copy, "pages/evidence.md", "Catechin is the tea compound studied.", "A remarkable compound.")
    hits = findings(check(tea_copy), "warning")
    assert [(h["line"], h["col"]) for h in hits] == [where(tea_copy, "pages/evidence.md", "remarkable")]


def test_whole_words_any_case_and_a_rule_skips_what_it_names(tea_copy: Path) -> None:
    edit(tea_copy, "pages/evidence.md", "Catechin is the tea compound studied.", "Tea Compounds, and a Tea compound.")
    rules(tea_copy, '- avoid: "tea compound"\n  use: "catechin"\n')
    hits = findings(check(tea_copy), "warning")
    assert [(h["line"], h["col"]) for h in hits] == [where(tea_copy, "pages/evidence.md", "Tea compound.")]
    rules(tea_copy, '- avoid: "tea compound"\n  use: "catechin"\n  skip: [pages/evidence.md]\n')
    assert findings(check(tea_copy), "warning") == []
    # One key of a data file: the claim's summary is skipped, its evidence is not.
    rules(tea_copy, '- avoid: "was small|small trial"\n  use: "the number"\n  skip: ["data/claims.yaml#summary"]\n')
    hits = [(site_path(tea_copy, h["path"]), h["line"], h["col"]) for h in findings(check(tea_copy), "warning")]
    assert hits == [
        ("data/claims.yaml", *where(tea_copy, "data/claims.yaml", "was small")),
        ("pages/index.md", *where(tea_copy, "pages/index.md", "small trial")),
    ]


def test_a_site_without_rules_has_no_wording_check(tea_copy: Path) -> None:
    assert not (tea_copy / "data" / "wording.yaml").exists()
    result = check(tea_copy, "--strict")
    assert result.code == 0, result.err
    assert "wording" not in result.err


def test_a_bad_rules_file_is_a_located_error(tea_copy: Path) -> None:
    rules(
        tea_copy,
        '- avoids: "tea"\n  use: "catechin"\n'  # a misspelt key
        '- avoid: "(tea"\n  use: "catechin"\n'  # not a pattern
        '- avoid: "x?"\n  use: "y"\n'  # matches empty text
        '- avoid: "tea"\n'  # no wording to use instead
        '- avoid: "tea"\n  use: "catechin"\n  skip: [../site.yaml]\n',  # not a file of the site
    )
    result = check(tea_copy)
    assert result.code == 1
    assert "Traceback" not in result.err
    errors = [(e["line"], e["col"], e["msg"]) for e in findings(result, "error")]
    assert all(re.search(r"data/wording\.yaml:\d+:\d+: error", line) for line in result.err.splitlines()[:-1])
    expected = [
        ("1", "3", r"unknown key 'avoids' in wording rule; did you mean 'avoid'\?"),
        ("3", "10", r"'avoid' is not a valid pattern: missing \), unterminated subpattern"),
        ("5", "10", r"'avoid' matches empty text"),
        ("7", "3", r"wording rule is missing required key 'use'"),
        ("10", "9", r"'skip' lists files by their path in the source folder"),
    ]
    assert len(errors) == len(expected), result.err
    for (line, col, msg), (want_line, want_col, pattern) in zip(errors, expected, strict=True):
        assert (line, col) == (want_line, want_col) and re.match(pattern, msg), (line, col, msg)
