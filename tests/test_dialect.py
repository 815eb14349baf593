"""One Markdown dialect (issue 18, item 3): the prose checks read the parse the renderer makes,
so code, raw HTML and attributes are never read as prose, and headings of both kinds are.
Built on the tea fixture with --strict."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import build, soup
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
