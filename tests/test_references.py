"""Sources from a reference manager: BibTeX or CSL-JSON beside sources.yaml (which keeps
the site's own fields by id), and the bibliography in the style the site names."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import FIXTURES, build, soup
from test_errors import assert_documented

TEA = FIXTURES / "tea"

# sources.yaml keeps only what the site says: kind, note, status; the rest comes from the export.
OWN_FIELDS = """\
- id: trial
  kind: randomised trial
  note: "A made-up trial for tests."
- id: news
  kind: news article
  authors: "A Reporter"
  title: "Tea cures forgetting"
  venue: "Daily Fixture"
  year: 2021
  url: "https://example.com/news"
  note: "A made-up news story."
"""

BIB = """\
% Exported from a reference manager.
@article{trial,
  author = {Doe, Jane and R{\\"o}e, Richard Paul},
  title = {Tea and {Recall}: a randomised trial},
  journal = {J Fixture Stud},
  year = {2020},
  volume = {12},
  number = {3},
  pages = {45--67},
  doi = {10.0000/fixture.1},
}
"""

CSL = [
    {
        "id": "trial",
        "type": "article-journal",
        "title": "Tea and Recall: a randomised trial",
        "container-title": "J Fixture Stud",
        "author": [{"family": "Doe", "given": "Jane"}, {"family": "Röe", "given": "Richard Paul"}],
        "issued": {"date-parts": [[2020, 5]]},
        "volume": "12",
        "issue": "3",
        "page": "45-67",
        "DOI": "10.0000/fixture.1",
    }
]


def _site(tmp_path: Path, bib: str | None = BIB, csl: list | None = None, style: str = "") -> Path:
    site = tmp_path / "src"
    shutil.copytree(TEA, site)
    (site / "data" / "sources.yaml").write_text(OWN_FIELDS, encoding="utf-8")
    if bib is not None:
        (site / "data" / "sources.bib").write_text(bib, encoding="utf-8")
    if csl is not None:
        (site / "data" / "sources.json").write_text(json.dumps(csl, indent=2, ensure_ascii=False), encoding="utf-8")
    if style:
        with (site / "site.yaml").open("a", encoding="utf-8") as f:
            f.write(f"citation_style: {style}\n")
    return site


def _entry(out: Path, source_id: str) -> str:
    item = soup(out / "sources" / "index.html").select_one(f"#src-{source_id}")
    return " ".join(item.get_text(" ").split())


def test_bibtex_gives_the_fields_the_yaml_leaves_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(_site(tmp_path), out, "--no-search", "--strict")
    assert result.code == 0, result.err
    text = _entry(out, "trial")
    assert "Doe J, Röe RP (2020). Tea and Recall: a randomised trial. J Fixture Stud. 12(3):45-67." in text
    assert "https://doi.org/10.0000/fixture.1" in text
    assert "Randomised trial" in text and "A made-up trial for tests." in text


def test_csl_json_reads_the_same(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(_site(tmp_path, bib=None, csl=CSL), out, "--no-search", "--strict")
    assert result.code == 0, result.err
    assert "Doe J, Röe RP (2020). Tea and Recall: a randomised trial. J Fixture Stud. 12(3):45-67." in _entry(
        out, "trial"
    )


def test_vancouver_style(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(_site(tmp_path, style="vancouver"), out, "--no-search", "--strict")
    assert result.code == 0, result.err
    assert "Doe J, Röe RP. Tea and Recall: a randomised trial. J Fixture Stud. 2020;12(3):45-67." in _entry(
        out, "trial"
    )
    assert "A Reporter. Tea cures forgetting. Daily Fixture. 2021." in _entry(out, "news")
    # The page's own reference list is written the same way.
    refs = soup(out / "index.html").select_one("#ref-trial").get_text(" ")
    assert "Doe J, Röe RP. Tea and Recall" in " ".join(refs.split())


def test_a_bad_bibtex_entry_is_an_error_at_its_line(tmp_path: Path) -> None:
    bib = (
        BIB + "\n@article{broken,\n  author = {Bad, Entry\n  title = {No closing brace},\n}\n\n@misc{x, year = 2020}\n"
    )
    result = build(_site(tmp_path, bib=bib), tmp_path / "out", "--no-search")
    assert result.code == 1
    errors = re.findall(r"(\S+):(\d+):\d+: error: (.*)", result.err)
    assert [(p.split("/")[-1], int(line)) for p, line, _ in errors] == [("sources.bib", 13), ("sources.bib", 18)]
    assert errors[0][2].startswith("BibTeX entry could not be read: ")
    assert errors[1][2] == "BibTeX entry 'x' has no title: add title = {...}"
    assert "Traceback" not in result.err
    assert_documented([m for _, _, m in errors])


def test_an_exported_source_needs_its_own_fields_in_yaml(tmp_path: Path) -> None:
    bib = BIB + "\n@book{extra,\n  title = {A book},\n  publisher = {P},\n  year = 1999,\n}\n"
    result = build(_site(tmp_path, bib=bib), tmp_path / "out", "--no-search")
    assert result.code == 1
    errors = re.findall(r"(\S+):(\d+):\d+: error: (.*)", result.err)
    assert len(errors) == 1
    path, line, message = errors[0]
    assert path.endswith("data/sources.bib") and line == "13"
    assert message.startswith("source 'extra' has no entry in sources.yaml")
    assert_documented([message])


def test_bad_csl_json_is_located(tmp_path: Path) -> None:
    site = _site(tmp_path, bib=None, csl=CSL)
    (site / "data" / "sources.json").write_text('[\n  {"id": "trial",\n   "title": "x",}\n]\n', encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert re.search(r"data/sources\.json:3:\d+: error: CSL-JSON could not be read: ", result.err), result.err
    no_title = [{"id": "trial", "type": "book"}]
    (site / "data" / "sources.json").write_text(json.dumps(no_title, indent=1), encoding="utf-8")
    result = build(site, tmp_path / "out", "--no-search")
    assert re.search(r"data/sources\.json:3:1: error: CSL-JSON entry 'trial' has no title", result.err), result.err
    assert_documented(re.findall(r": error: (.*)", result.err))
