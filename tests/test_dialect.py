"""One Markdown dialect (issue 18, item 3): the prose checks read the parse the renderer makes,
so code, raw HTML and attributes are never read as prose, and headings of both kinds are.
Built on the tea fixture with --strict."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, TEMPLATES, build, soup
from test_facts import check, findings

# Every number here but the heading's (41) is in code, raw HTML or an attribute: none is a fact.
PAGE = """---
title: Code and headings
order: 3
---
How to count the cups, in code:

    cups = 37 + 58

```
total = 73
```

<div class="note">
The old figure was 64 cups.
</div>

A paragraph with `n = 92` in a code span and a class.
{: .cups-86 }

Drank tea on 41 days
--------------------

The end.
"""
SETEXT_LINE = PAGE.split("\n").index("Drank tea on 41 days") + 1


def test_code_and_raw_html_are_not_prose_and_a_setext_heading_is(tea_copy: Path, tmp_path: Path) -> None:
    (tea_copy / "pages" / "code.md").write_text(PAGE, encoding="utf-8")
    result = check(tea_copy, "--strict")
    assert result.code == 1, result.err
    errors = findings(result, "error")
    assert [(Path(e["path"]).name, int(e["line"]), int(e["col"]), e["msg"].split(" (")[0]) for e in errors] == [
        ("code.md", SETEXT_LINE, 14, "number not traced to a fact: 41")
    ], result.err
    # What the check skipped, the renderer shows as code and HTML, and the heading as a heading.
    built = build(tea_copy, tmp_path / "out", "--no-search")
    assert built.code == 0, built.err
    page = soup(tmp_path / "out" / "code" / "index.html")
    article = page.select_one("article")
    assert [c.get_text() for c in article.select("pre > code")] == ["cups = 37 + 58\n", "total = 73\n"]
    assert article.select_one("div.note").get_text().strip() == "The old figure was 64 cups."
    assert article.select_one("p.cups-86").get_text() == "A paragraph with n = 92 in a code span and a class."
    assert article.select_one("h2").get_text().startswith("Drank tea on 41 days")


def test_the_same_numbers_in_prose_are_reported_where_they_are(tea_copy: Path) -> None:
    """The control: the numbers the test above expects skipped, written as prose, are each found."""
    prose = "How many cups?\n\nThe cups were 37 and 58, then 73, then 64.\n\n# Drank tea on 41 days\n"
    (tea_copy / "pages" / "code.md").write_text("---\ntitle: Prose\norder: 3\n---\n" + prose, encoding="utf-8")
    errors = findings(check(tea_copy, "--strict"), "error")
    found = [(int(e["line"]), int(e["col"]), re.sub(r" \(.*", "", e["msg"])) for e in errors]
    assert found == [
        (7, 15, "number not traced to a fact: 37"),
        (7, 22, "number not traced to a fact: 58"),
        (7, 31, "number not traced to a fact: 73"),
        (7, 40, "number not traced to a fact: 64"),
        (9, 16, "number not traced to a fact: 41"),
    ]


# --- the theme owns the markup: render hooks (templates/render/) ------------------------------

HOOKS = ("citation", "claim-ref", "fact-ref", "kind-ref", "glossary-tip")


def test_every_render_hook_is_a_template_of_the_theme_and_python_holds_no_words() -> None:
    for name in HOOKS:
        assert (TEMPLATES / "render" / f"{name}.html").is_file(), name
    # The words of cards and citations are the strings files' alone (no English fallback in Python).
    markdown_code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "explainer" / "markdown").glob("*.py"))
    for words in ("Checked against the source", "Our reading, drawn", "Drawn from: {facts}", "Source {number}"):
        assert words not in markdown_code, words


def test_a_site_draws_a_fact_its_own_way_with_its_copy_of_the_hook(tea_copy: Path, tmp_path: Path) -> None:
    own = tea_copy / "templates" / "render" / "fact-ref.html"
    own.parent.mkdir(parents=True)
    own.write_text('<a class="my-fact" href="{{ href }}">{{ fact.says }} ({{ t("fact_" ~ fact.status) }})</a>\n')
    result = build(tea_copy, tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    article = soup(tmp_path / "out" / "index.html").select_one("article")
    mine = article.select("a.my-fact")
    assert [a.get_text() for a in mine] == [
        "12% (Checked against the source)",
        "40 adults (Checked against the source)",
        "about two words (Our reading, drawn from other facts)",
    ]
    assert mine[0]["href"] == "facts/#fact-recall-gain"
    assert not article.select(".fact-card")  # the theme's card is not drawn beside it
    assert article.select("sup.cite a.cite-link")  # the other hooks are still the theme's


def test_a_hook_that_makes_broken_markup_is_a_located_error(tea_copy: Path) -> None:
    own = tea_copy / "templates" / "render" / "glossary-tip.html"
    own.parent.mkdir(parents=True)
    own.write_text('<span class="term"><a href="{{ href }}">{{ shown }}</span>\n')
    errors = findings(check(tea_copy), "error")
    assert errors, "the broken hook was not reported"
    assert {Path(e["path"]).name for e in errors} <= {"index.md", "evidence.md", "claims.yaml", "limits.yaml"}
    assert all(
        "the render hook render/glossary-tip.html made markup that is not one well-formed element" in e["msg"]
        for e in errors
    ), errors


def test_a_hook_asking_for_a_string_the_site_lacks_is_reported_at_its_line(tea_copy: Path) -> None:
    own = tea_copy / "templates" / "render" / "claim-ref.html"
    own.parent.mkdir(parents=True)
    own.write_text('{# mine #}\n<a href="{{ href }}">{{ t("no_such_words") }}</a>\n')
    errors = findings(check(tea_copy), "error")
    assert errors and all(e["path"].endswith("render/claim-ref.html") and e["line"] == "2" for e in errors), errors
    assert "no interface string 'no_such_words'" in errors[0]["msg"]


def test_a_link_a_hook_draws_is_checked_once_where_its_reference_is_written(tea_copy: Path) -> None:
    """A hook's link is recorded for the link check once, at the reference that drew it, not
    again (nor only) at the start of the Markdown: a broken one is one error, located."""
    facts = (TEMPLATES / "facts.html").read_text(encoding="utf-8")
    assert 'id="fact-{{ fact.id }}"' in facts
    own = tea_copy / "templates"
    (own / "render").mkdir(parents=True)
    (own / "facts.html").write_text(facts.replace('id="fact-{{ fact.id }}"', 'id="{{ fact.id }}"'), encoding="utf-8")
    (own / "render" / "claim-ref.html").write_text('<a href="{{ href }}#the-verdict">{{ quote }}</a>\n')
    (own / "render" / "citation.html").write_text(
        '<sup>{% for c in cites %}<a href="#source-{{ c.key }}">[{{ c.number }}]</a>{% endfor %}</sup>\n'
    )
    errors = findings(check(tea_copy), "error")
    found = [
        (int(e["line"]), int(e["col"]), e["msg"].split(": no such anchor")[0])
        for e in errors
        if Path(e["path"]).name == "index.md"
    ]
    assert found == [
        (6, 52, "link to '#source-trial' on '/'"),
        (7, 1, "link to '#source-news' on '/'"),
        (7, 14, "link to '#the-verdict' on '/claims/cure/'"),
        (9, 35, "link to '#fact-recall-gain' on '/facts/'"),
        (9, 62, "link to '#fact-trial-size' on '/facts/'"),
        (10, 4, "link to '#fact-words-per-person' on '/facts/'"),
    ], found
