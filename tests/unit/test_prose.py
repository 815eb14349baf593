"""The prose the checks read (markdown/prose.py), without a build: Python-Markdown's own
block parse, each number located at its line and column in the text as written."""

from __future__ import annotations

import re
from pathlib import Path

from explainer.core.errors import Location
from explainer.markdown.prose import blocks, plain_text

DOC = """Title 42
========

Text [@a] with `code 5` and
  more 6 lines, https://example.org/7 and [a link](page-8.md).

    code 7

```
fence 8

still fence 9
```

<div class="x">
html 9
</div>

- item 10
  cont 11
- item

    loose 12

> quote 13
>
> quote 14

| a | b 15 |
|---|---|
| c 16 | `x|y 3` |

!!! note "Adm 17"
    body 18

Foot[^1]. A \\19 passed, [[fact:n-20]] a fact.

[^1]: note 19
    more 20

## Head 21 ## {: .fold-22 }
\tcode 23
"""


def numbers(text: str, where: Location) -> list[tuple[str, str, str]]:
    """(block kind, number, where it is) for every number the checks would read."""
    return [
        (b.kind, m.group(0), str(b.locate(m.start()))) for b in blocks(text, where) for m in re.finditer(r"\d+", b.text)
    ]


def test_every_kind_of_block_is_read_where_it_is_written() -> None:
    assert numbers(DOC, Location(Path("p.md"), 5, 1)) == [
        ("heading", "42", "p.md:5:7"),  # setext
        ("paragraph", "6", "p.md:9:8"),  # code span, address and link target blanked
        ("item", "10", "p.md:23:8"),
        ("item", "11", "p.md:24:8"),
        ("item", "12", "p.md:27:11"),  # a loose item's second paragraph is the item's
        ("quote", "13", "p.md:29:9"),  # a blockquote is one block
        ("quote", "14", "p.md:31:9"),
        ("table", "15", "p.md:33:9"),  # a table is one block of cells
        ("table", "16", "p.md:35:5"),
        ("heading", "17", "p.md:37:15"),  # an admonition's title
        ("paragraph", "18", "p.md:38:10"),
        ("heading", "21", "p.md:45:9"),  # ATX, its attribute list blanked
        ("item", "19", "p.md:42:12"),  # footnotes: listed at the end, found where defined
        ("item", "20", "p.md:43:10"),
    ]


def test_a_data_value_keeps_its_column_on_every_line() -> None:
    # A YAML value starting at column 9 of line 3: its later lines start at the same column.
    found = numbers("First 1 line\nand 22 more", Location(Path("d.yaml"), 3, 9))
    assert found == [("paragraph", "1", "d.yaml:3:15"), ("paragraph", "22", "d.yaml:4:13")]


def test_tabs_are_counted_as_the_file_writes_them() -> None:
    assert numbers("- \tone 5", Location(Path("p.md"), 1, 1)) == [("item", "5", "p.md:1:8")]


def test_what_a_reader_reads_of_a_block() -> None:
    (block,) = blocks("Recall rose by [[fact:gain]] [@trial], see `x`.", Location(Path("p.md"), 1, 1))
    assert block.sources == ["trial"] and block.facts == ["gain"]
    assert plain_text(block, {"gain": "12%"}) == "Recall rose by 12% , see ."


# A paragraph line that repeats a line of the code or raw HTML block just before it.
REPEATS = """```python
total = 73 < 80
```

total = 73 < 80
is what the code says.

    cups = 5
    cups = 6

cups = 6

<div class="x">
html 9
</div>

html 9
"""


def test_a_line_repeating_the_code_or_html_block_before_it_is_found_after_the_block() -> None:
    assert numbers(REPEATS, Location(Path("p.md"), 1, 1)) == [
        ("paragraph", "73", "p.md:5:9"),
        ("paragraph", "80", "p.md:5:14"),
        ("paragraph", "6", "p.md:11:8"),
        ("paragraph", "9", "p.md:17:6"),
    ]


def test_a_fenced_block_is_skipped_to_its_closing_fence_whatever_its_code_repeats() -> None:
    # Its code's line is also in the paragraph before: found there, it would end the block early.
    found = numbers("Set n = 5\n\n```\nn = 5\n```\n\nn = 5\n", Location(Path("p.md"), 1, 1))
    assert found == [("paragraph", "5", "p.md:1:9"), ("paragraph", "5", "p.md:7:5")]
