"""YAML is read by libyaml's parser when PyYAML has it (5-10x faster), else by PyYAML's own:
both give the same values at the same positions, and every refusal is told by PyYAML's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from explainer.core import yamlio
from explainer.core.errors import SiteError
from explainer.core.yamlio import FastMarkedLoader, MarkedLoader, TextLines, YMap, YSeq, _load, parse_yaml

GOOD = [
    "title: Tea\norder: 1\nsummary: 'quoted: text'\nnote: \"double\"\n",
    "items:\n  - a\n  - {b: 1, c: [2, 3.5]}\n  -\n    d: null\n",
    "body: |\n    Kept\n      indented\n  \nfolded: >-\n  one\n  two\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
    "when: 2017-05-02\nflag: yes\nbig: 1_000\nhex: 0x1F\n",
    'text: "caf\u00e9 \U0001f375 \u2014 na\u00efve"\nafter: ok\n',
    "# a comment\nkey: value # trailing\n\n\nlast: [a,\n  b]\n",
]
BAD = [
    "title: 'unclosed\nnext: 1\n",
    "a: 1\n\tb: 2\n",
    "a: b: c\n",
    "a: 1\na: 2\n",
    "- [1, 2\n",
    "n: 123456789012345678901234567890\n",
    't: "hidden \u202e text"\n',
    "x: !!int nope\n",
    "? [a, b]\n: c\n",
    "one: 1\n---\ntwo: 2\n",
]


def _shape(value: Any) -> Any:
    if isinstance(value, YMap):
        marks = [
            (k, value.key_marks[k], value.value_marks[k], value.value_styles[k], value.block_indents.get(k))
            for k in value
        ]
        return ("map", value.line, value.col, [(k, _shape(v)) for k, v in value.items()], marks)
    if isinstance(value, YSeq):
        return ("seq", value.line, value.col, [_shape(v) for v in value], value.item_marks)
    return (type(value).__name__, value)


@pytest.mark.skipif(FastMarkedLoader is None, reason="PyYAML without libyaml: only its own parser runs")
@pytest.mark.parametrize("text", GOOD)
def test_both_parsers_give_the_same_values_at_the_same_places(text: str) -> None:
    lines, path = TextLines(text), Path("data/x.yaml")
    assert _shape(_load(FastMarkedLoader, text, path, lines, 1)) == _shape(_load(MarkedLoader, text, path, lines, 1))


@pytest.mark.parametrize("text", BAD)
def test_a_refusal_is_told_as_pyyamls_own_parser_tells_it(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path("data/x.yaml")
    with pytest.raises(SiteError) as got:
        parse_yaml(text, path)
    monkeypatch.setattr(yamlio, "FastMarkedLoader", None)  # PyYAML's parser alone, as without libyaml
    with pytest.raises(SiteError) as alone:
        parse_yaml(text, path)
    assert str(got.value) == str(alone.value)
