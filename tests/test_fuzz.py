"""Property-based tests: whatever an editor types, the loaders and our Markdown extensions
either succeed or report a located error; they never raise anything else.

Inputs mix arbitrary text with the syntax each parser cares about (YAML punctuation and
indentation, front matter fences, our `[@id]`, `[[claim:...]]`, shortcodes, links, raw
HTML and attribute lists), so the examples reach deep into the parsers instead of bouncing
off the first character. In CI the examples are fixed (derandomised) so a run is
repeatable; FUZZ_EXAMPLES=20000 FUZZ_RANDOM=1 searches further.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, TEMPLATES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer.core.errors import Diagnostics, Location, SiteError
from explainer.core.yamlio import load_yaml_file, parse_yaml
from explainer.kinds.data import load_data
from explainer.kinds.pages import load_pages, read_page
from explainer.load.config import BuildOptions, load_site_config
from explainer.markdown.sanitise import runs_script
from explainer.markdown.state import PageState
from explainer.render.renderer import Renderer

SCALE = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None


def examples(n: int) -> Any:
    return settings(
        max_examples=SCALE or n,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("FUZZ_RANDOM"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def assert_located(err: SiteError, path: Path, text: str, first_line: int = 1) -> None:
    """The error names the file and a real position in it (or, for a page, its front matter)."""
    assert isinstance(err.location, Location)
    assert err.location.path == path, str(err)
    last_line = first_line + len(re.findall(r"\r\n|\r|\n", text)) + 1  # lines as editors count them
    assert first_line <= err.location.line <= last_line, (str(err), last_line)
    assert err.location.col >= 1, str(err)
    assert err.message.strip(), str(err)
    assert err.severity in ("error", "warning")
    assert "Traceback" not in str(err)


# --- YAML ------------------------------------------------------------------------------------

YAML_TOKENS = [
    "- ", "  ", "    ", "\t", "\n", "\n", "\n  ", "\n- ", ": ", ":", "id", "title", "key", "x",
    '"', "'", "[", "]", "{", "}", ", ", "|", "|-", ">", "&a ", "*a", "!!str ", "!!python/object:os.system ",
    "!tag ", "#", " # c", "---", "...", "? ", "<<: ", "~", "null", "true", "yes", "2020", "-1", "1e400",
    ".nan", ".inf", "0x1F", "2025-01-31", "2025-13-45", "\x00", "\x07", "é", "\u2028", "\ufeff", "\r\n",
    "%YAML 1.1\n", "%TAG ! x\n", "\\", "\\q", "@", "`", "%", "<<: *a", "!!binary aGk=", "!!set {a}",
    "=", "!!timestamp x", "!!int x", "!!float 1", "- [", "- {", "a: b: c",
]  # fmt: skip

yaml_soup = st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=4)), max_size=40).map("".join)
yaml_text = st.one_of(yaml_soup, st.text(max_size=120))


@examples(1500)
@given(yaml_text)
def test_yaml_parser_succeeds_or_gives_a_located_error(text: str) -> None:
    path = Path("data/fuzz.yaml")
    try:
        parse_yaml(text, path)
    except SiteError as err:
        assert_located(err, path, text)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@examples(300)
@given(st.one_of(st.binary(max_size=80), yaml_soup.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_yaml_file_loader_on_any_bytes(scratch: Path, raw: bytes) -> None:
    path = scratch / "any.yaml"
    path.write_bytes(raw)
    try:
        load_yaml_file(path)
    except SiteError as err:
        assert_located(err, path, raw.decode("utf-8", "replace"))


# --- data files: the checkers behind the loader ------------------------------------------------

FIELD_NAMES = {
    "sources": ["id", "kind", "authors", "title", "venue", "year", "note", "details", "doi", "pmid", "url", "status"],
    "verdicts": ["id", "label", "definition", "color", "color_dark", "rating"],
    "claims": ["id", "quote", "said_by", "verdict", "summary", "evidence", "limits", "sources"],
    "limits": ["id", "title", "explanation", "sources", "weakens"],
    "glossary": ["id", "term", "aliases", "definition"],
    "figures": ["id", "kind", "title", "caption", "description", "data", "items", "unit", "axis", "reference", "when"],
    "criteria": ["name", "rating", "reason"],
    "facts": ["id", "statement", "says", "numbers", "source", "words", "noted", "where", "status", "drawn_from"],
}
ID_LIKE = [
    *("trial", "news", "cure", "small", "overstated", "supported", "catechin", "bar", "ladder", "timeline"),
    *("recall-gain", "reading", "checked", "percentage"),
]
scalars = st.one_of(
    st.sampled_from(ID_LIKE),
    st.text(max_size=12),
    st.integers(-5, 3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.sampled_from(["#1b5e20", "human trial", "Satisfactory", "study.chart", "theories", "https://x.org/"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def data_file(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from([*FIELD_NAMES, "theories", "study"]))
    if name in FIELD_NAMES:
        keys = st.one_of(st.sampled_from(FIELD_NAMES[name]), st.text(max_size=6))
        entry = st.dictionaries(keys, values, max_size=len(FIELD_NAMES[name]) + 1)
        doc: Any = draw(st.one_of(st.lists(entry, max_size=3), values))
    elif name == "theories":
        theory = st.dictionaries(
            st.sampled_from(["id", "name", "idea", "steps", "evidence", "missing", "sources", "favoured_by"]), values
        )
        doc = draw(
            st.dictionaries(st.sampled_from(["theories", "tell_apart", "x"]), st.lists(theory, max_size=2) | values)
        )
    else:
        doc = draw(values)
    return name, doc


@pytest.fixture(scope="module")
def data_site(scratch: Path) -> Path:
    return shutil.copytree(FIXTURES / "tea", scratch / "data-site")


@examples(200)
@given(data_file())
def test_data_checkers_never_crash(data_site: Path, file: tuple[str, Any]) -> None:
    name, doc = file
    path = data_site / "data" / f"{name}.yaml"
    original = path.read_bytes() if path.exists() else None
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        diags = Diagnostics()
        load_data(data_site, diags)
        for err in diags.items:
            assert err.location.line >= 1 and err.location.col >= 1, str(err)
            assert err.location.path.is_relative_to(data_site), str(err)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


# --- front matter ------------------------------------------------------------------------------

FRONT_KEYS = ["title: ", "summary: ", "order: ", "draft: ", "template: ", "titel: ", "title:", "order: x"]
front_matter = st.lists(
    st.one_of(st.sampled_from(FRONT_KEYS), st.sampled_from(YAML_TOKENS), st.text(max_size=4)), max_size=20
).map("".join)
page_text = st.one_of(
    st.builds(
        lambda fm, close, body: f"---\n{fm}\n{close}{body}",
        front_matter,
        st.sampled_from(["---\n", "...\n", "--- \n", "", "----\n", "---\r\n"]),
        st.text(max_size=40),
    ),
    st.text(max_size=80),
    st.builds(lambda a, b: a + b, st.sampled_from(["---\n", "\ufeff---\n", "---\r\n", " ---\n"]), st.text(max_size=60)),
)


@examples(800)
@given(page_text)
def test_front_matter_parser_succeeds_or_gives_a_located_error(scratch: Path, text: str) -> None:
    pages = scratch / "pages"
    pages.mkdir(exist_ok=True)
    path = pages / "fuzz.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    diags = Diagnostics()
    page = read_page(path, pages, diags)
    if page is None:
        assert diags.errors, "a page that failed must say why"
    else:
        assert isinstance(page.title, str) and page.title.strip()
        assert page.body_line >= 2
    for err in diags.items:
        assert_located(err, path, text)


# --- our Markdown extensions, through the real renderer -----------------------------------------

MD_TOKENS = [
    "[@trial]", "[@news]", "[@trial; @news]", "[@nope]", "[@", "@", "[@trial;", "; @", "[[claim:cure]]",
    "[[claim:nope]]", "[[claim:", "[[claim:]]", "[[figure:x]]", "[[figure:", "[[block:limits]]",
    "[[block:claims-at-a-glance]]", "[[block:nope]]", "[[block:", "[[", "]]", "]", "[", "(", ")",
    "\n\n", "\n", "  \n", "[x](", "evidence.md", "index.md#x", "draft.md", "#the-trial", "/claims/cure/",
    "/glossary/#term-catechin", "../", "http://a.example/", "https://a.example/", "javascript:x()",
    "&#106;avascript:x", "![a](", "![](", "/static/x.png", "<script>x()</script>", "<div onclick=x>",
    "</div>", "<a href='", "'>", "<b>", "</b>", "<!-- ", " -->", "<style>", "{: ", "{: #id .cls }",
    "onclick=x", 'style="x"', 'href="javascript:x"', "}", "catechin", "Catechin", "catechins",
    "CATECHIN-x", "`", "```\n", "~~~\n", "    ", "> ", "- ", "* ", "1. ", "# ", "## ", "### T {: #t }",
    "| a | b |\n|---|---|\n", "|", "---\n", "*", "_", "**", "&", "&amp;", "<", ">", "\t", "!!! note\n",
    "!!! note \"T\"\n    ", "[^1]", "[^1]: note", "*[HTML]: Hyper", "HTML", "\\", "'", '"', "--", "...",
    "<<", ">>", "\x00", "\u2028", "\x0b", "é", "\ufffd", "[x]: /claims/", "[x][]", "<http://x.example>",
    "\x02", "\x03", "\u0002klzzwxh:0000\u0003", "wzxhzdk:0",
]  # fmt: skip
markdown_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(MD_TOKENS), st.text(max_size=6)), max_size=30).map("".join),
    st.text(max_size=100),
)


class _Unsafe(HTMLParser):
    """Anything in rendered HTML that would run script or be dropped by the CSP."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "iframe", "object", "embed", "base", "meta", "link"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}=")
            if value and runs_script(value):
                self.problems.append(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    """The real renderer over the fixture site (its data, pages and templates)."""
    options = BuildOptions(source=FIXTURES / "tea", templates=TEMPLATES, search=False)
    diags = Diagnostics()
    config = load_site_config(options.source, diags)
    pages = load_pages(options.source, diags)
    data = load_data(options.source, diags)
    assert config is not None and not diags.errors, [str(e) for e in diags.errors]
    return Renderer(config, pages, data, options, diags)


def convert(renderer: Renderer, text: str, first_line: int = 5) -> tuple[str, Diagnostics, Path]:
    diags = Diagnostics()
    renderer.diags = diags
    renderer.markdown.site.diags = diags
    path = FIXTURES / "tea" / "pages" / "evidence.md"
    state = PageState(url="evidence/", location=Location(path, first_line))
    renderer.context(state, "Fuzz", "Fuzz", path)  # blocks render with a page's context
    html, _toc = renderer.markdown.convert(text, state, Location(path, first_line))
    return html, diags, path


@examples(1200)
@given(markdown_text)
def test_markdown_extensions_never_crash_and_never_emit_script(renderer: Renderer, text: str) -> None:
    html, diags, path = convert(renderer, text)
    for err in diags.items:
        if err.location.path == path:
            assert_located(err, path, text, first_line=5)
        else:  # a block's template or the data it renders
            assert err.location.line >= 1 and err.location.path.exists(), str(err)
    finder = _Unsafe()
    finder.feed(html)
    finder.close()
    assert finder.problems == [], (text, html)


@examples(150)
@given(markdown_text)
def test_markdown_in_a_data_file_is_located_inside_the_data_file(renderer: Renderer, text: str) -> None:
    """Markdown from YAML (a claim's evidence) reports problems at its own lines in the data file."""
    diags = Diagnostics()
    renderer.diags = diags
    renderer.markdown.site.diags = diags
    path = FIXTURES / "tea" / "data" / "claims.yaml"
    state = PageState(url="claims/cure/", location=Location(path, 7, 5))
    renderer.context(state, "Fuzz", "Fuzz", path)
    renderer.markdown.convert(text, state, Location(path, 7, 5))
    for err in diags.items:
        if err.location.path == path:
            assert_located(err, path, text, first_line=7)
            assert err.location.col >= 5 or err.location.line > 7, str(err)


# --- whole builds: every later stage (templates, link and reachability checks) too ---------------


@pytest.fixture(scope="module")
def build_source(scratch: Path) -> Path:
    return shutil.copytree(FIXTURES / "tea", scratch / "build-site")


@examples(40)  # whole builds
@given(
    st.one_of(front_matter, st.just("title: Fuzzed page")),
    markdown_text,
    st.sampled_from(["pages/evidence.md", "pages/guides/fuzz.md", "pages/index.md"]),
)
def test_whole_build_succeeds_or_fails_with_located_errors(build_source: Path, fm: str, body: str, where: str) -> None:
    from explainer.core.errors import BuildFailed
    from explainer.site.build import build_site

    path = build_source / where
    original = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{fm}\n---\n{body}", encoding="utf-8", errors="surrogatepass")
    options = BuildOptions(source=build_source, templates=TEMPLATES, search=False)
    try:
        try:
            build = build_site(options, jobs=1)
            items = build.diags.items
        except BuildFailed as failed:
            items = failed.diagnostics.items
            assert failed.diagnostics.errors
        for err in items:
            assert err.location.path.exists(), str(err)
            assert err.location.line >= 1 and err.location.col >= 1, str(err)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


# --- figures and study.yaml, through whole builds ------------------------------------------------

FIGURE_ITEM_KEYS = {
    "bar": ["label", "value", "group", "series", "text", "low", "high"],
    "timeline": ["label", "at", "from", "to"],
    "pathways": ["name", "steps"],
    "ladder": ["label", "sources", "note"],
}
FIGURE_OPTIONS = ["unit", "axis", "reference", "table", "start", "when", "top", "bottom", "data", "items"]
numbers = st.one_of(
    st.integers(-100, 100), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, 1, 0.88])
)
step = st.one_of(
    st.text(max_size=6),
    st.fixed_dictionaries(
        {}, optional={"text": st.text(max_size=6) | numbers, "status": st.sampled_from(["measured", "inferred", "x"])}
    ),
    numbers,
)
figure_values = st.one_of(
    numbers,
    values,
    st.lists(step, max_size=3),
    st.sampled_from(["Year {at}", "{at}", "trial", "study.design", "study.results", "study.results.rows", "theories"]),
)


@st.composite
def figure_file(draw: st.DrawFn) -> list[Any]:
    """figures.yaml with one figure of a kind (used by the page), its options and items fuzzed."""
    kind = draw(st.sampled_from([*FIGURE_ITEM_KEYS, "pie"]))
    keys = st.one_of(st.sampled_from(FIGURE_ITEM_KEYS.get(kind, ["x"])), st.text(max_size=5))
    item = st.dictionaries(keys, figure_values, max_size=5)
    entry: dict[str, Any] = {"id": "fig", "kind": kind, "title": "T", "caption": "C", "description": "D"}
    entry["items"] = draw(st.lists(item, max_size=4) | figure_values)
    entry.update(draw(st.dictionaries(st.sampled_from(FIGURE_OPTIONS), figure_values, max_size=3)))
    return [entry]


table = st.fixed_dictionaries(
    {},
    optional={
        "caption": values,
        "columns": st.lists(st.text(max_size=4), max_size=3) | values,
        "rows": st.lists(
            st.fixed_dictionaries({}, optional={"label": values, "values": st.lists(scalars, max_size=3) | values}),
            max_size=3,
        )
        | values,
        "note": values,
    },
)
study_file = (
    st.fixed_dictionaries(
        {},
        optional={"citation": st.sampled_from(["trial", "nope"]) | values, "design": table | values, "results": table},
    )
    | values
)


@pytest.fixture(scope="module")
def figure_site(scratch: Path) -> Path:
    site = shutil.copytree(FIXTURES / "tea", scratch / "figure-site")
    (site / "pages" / "figs.md").write_text(
        "---\ntitle: Figures\n---\n[[figure:fig]]\n\n[[block:study-design]]\n\n[[block:study-results]]\n",
        encoding="utf-8",
    )
    return site


@examples(60)  # each example is a whole build: FUZZ_EXAMPLES for more
@given(figure_file(), study_file)
def test_figure_and_study_data_build_or_give_located_errors(figure_site: Path, figures: Any, study: Any) -> None:
    from explainer.core.errors import BuildFailed
    from explainer.site.build import build_site

    for name, doc in (("figures", figures), ("study", study)):
        text = yaml.safe_dump(doc, allow_unicode=True)
        (figure_site / "data" / f"{name}.yaml").write_text(text, encoding="utf-8")
    options = BuildOptions(source=figure_site, templates=TEMPLATES, search=False)
    try:
        items = build_site(options, jobs=1).diags.items
    except BuildFailed as failed:
        items = failed.diagnostics.items
    for err in items:
        assert err.location.path.exists(), str(err)
        assert err.location.line >= 1 and err.location.col >= 1, str(err)
        assert "Traceback" not in err.message and "object" not in err.message, str(err)
