"""Every bad input gets one clear `path:line:col: error: message`, exit 1, no traceback.

Each case breaks a fresh copy of the fixture site (tests/fixtures/tea) in one way, builds it
through the real command line (in-process, for speed; a few cases also as a subprocess),
and asserts the exact set of errors: the file, the line (and column where it matters) of
the offending key or value, and the message. Asserting the exact set also catches cascades
(one mistake reported as five errors elsewhere), which bury the real one.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TEMPLATES, build

from explainer.cli.main import main

TEA = FIXTURES / "tea"
LINE_RE = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$")

# An edit: new text, new bytes, (old, new) to replace once, or None to delete the file.
Edit = str | bytes | tuple[str, str] | None


@dataclass(frozen=True)
class Expect:
    path: str  # relative to the site folder, or "templates/..." for a template
    line: int
    message: str  # a regular expression, searched in the message
    col: int | None = None


@dataclass(frozen=True)
class Case:
    id: str
    edits: dict[str, Edit]
    errors: tuple[Expect, ...]
    template_edits: dict[str, Edit] = field(default_factory=dict)
    args: tuple[str, ...] = ()


def apply(root: Path, edits: dict[str, Edit]) -> None:
    for rel, edit in edits.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if edit is None:
            path.unlink()
        elif isinstance(edit, bytes):
            path.write_bytes(edit)
        elif isinstance(edit, tuple):
            text = path.read_text(encoding="utf-8")
            assert edit[0] in text, f"the fixture changed: {edit[0]!r} not in {rel}"
            path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
        else:
            path.write_text(edit, encoding="utf-8")


@dataclass
class Run:
    code: int
    lines: list[dict[str, str]]
    err: str

    @property
    def errors(self) -> list[dict[str, str]]:
        return [d for d in self.lines if d["sev"] == "error"]

    @property
    def warnings(self) -> list[dict[str, str]]:
        return [d for d in self.lines if d["sev"] == "warning"]


@pytest.fixture
def broken_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Copy the fixture (and templates, when a case edits them), apply edits, run `build`."""

    def run(edits: dict[str, Edit], template_edits: dict[str, Edit] | None = None, args: tuple[str, ...] = ()) -> Run:
        shutil.copytree(TEA, tmp_path / "src")
        apply(tmp_path / "src", edits)
        templates = TEMPLATES
        if template_edits:
            templates = tmp_path / "templates"
            shutil.copytree(TEMPLATES, templates)
            apply(templates, template_edits)
        monkeypatch.chdir(tmp_path)  # so reported paths read src/... and templates/...
        capsys.readouterr()
        code = main(["build", "--source", "src", "--templates", str(templates), "--out", "out", "--no-search", *args])
        err = capsys.readouterr().err
        lines = [m.groupdict() for line in err.splitlines() if (m := LINE_RE.match(line))]
        return Run(code, lines, err)

    return run


def _matches(found: dict[str, str], want: Expect) -> bool:
    path = found["path"].removeprefix("src/")
    return (
        path == want.path
        and int(found["line"]) == want.line
        and (want.col is None or int(found["col"]) == want.col)
        and re.search(want.message, found["msg"]) is not None
    )


def assert_errors(run: Run, expected: tuple[Expect, ...]) -> None:
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    unmatched = list(run.errors)
    for want in expected:
        hits = [e for e in unmatched if _matches(e, want)]
        assert hits, f"expected {want} in:\n{run.err}"
        unmatched.remove(hits[0])
    assert not unmatched, f"unexpected extra errors (a cascade?):\n{run.err}"
    assert not Path("out").exists()  # nothing was written


EVIDENCE_LINE = "## The trial\n"


def in_evidence(markdown: str) -> dict[str, Edit]:
    """Insert Markdown as line 7 of pages/evidence.md (after its heading and a blank line)."""
    return {"pages/evidence.md": (EVIDENCE_LINE, f"{EVIDENCE_LINE}\n{markdown}\n")}


NEW_SOURCE = '- id: {id}\n  kind: review\n  authors: "A B"\n  title: "T"\n  venue: "V"\n  year: 2000\n  note: "N"\n'
SOURCES = (TEA / "data" / "sources.yaml").read_text(encoding="utf-8")
CLAIMS = (TEA / "data" / "claims.yaml").read_text(encoding="utf-8")
GLOSSARY = (TEA / "data" / "glossary.yaml").read_text(encoding="utf-8")

CASES = [
    # --- YAML syntax -----------------------------------------------------------------
    Case(
        "yaml-bad-indent",
        {"data/sources.yaml": ("  kind: human trial", "   kind: human trial")},
        (Expect("data/sources.yaml", 2, r"YAML syntax error: .*indentation"),),
    ),
    Case(
        "yaml-bad-indent-dedent",
        {"data/glossary.yaml": ("  aliases: [catechins]", " aliases: [catechins]")},
        (Expect("data/glossary.yaml", 3, r"YAML syntax error: .*indentation", col=2),),
    ),
    Case(
        "yaml-tab",
        {"data/sources.yaml": ("  kind: human trial", "\tkind: human trial")},
        (Expect("data/sources.yaml", 2, r"tab character: YAML allows only spaces", col=1),),
    ),
    Case(
        "yaml-unclosed-quote-mid-file",
        {"data/sources.yaml": ('title: "Tea and recall"', 'title: "Tea and recall')},
        (Expect("data/sources.yaml", 4, r"unclosed quote", col=10),),
    ),
    Case(
        "yaml-unclosed-quote-at-end",
        {"data/glossary.yaml": ('definition: "A compound found in tea."', 'definition: "A compound found in tea.')},
        (Expect("data/glossary.yaml", 4, r"unclosed quote: this quoted text never ends", col=15),),
    ),
    Case(
        "yaml-missing-colon",
        {"data/limits.yaml": ('  title: "Small"', '  title "Small"')},
        (Expect("data/limits.yaml", 2, r"without 'key: value'"),),
    ),
    Case(
        "yaml-unclosed-list",
        {"data/claims.yaml": ("limits: [small]", "limits: [small")},
        (Expect("data/claims.yaml", 9, r"the '\[' on line 8 is not closed"),),
    ),
    Case(
        "yaml-control-character",
        {"data/glossary.yaml": ("term: catechin", "term: cate\x00chin")},
        (Expect("data/glossary.yaml", 2, r"character U\+0000 is not allowed", col=13),),
    ),
    Case(
        "yaml-unquoted-star",
        {"data/claims.yaml": ("said_by: The news story", "said_by: *The news story")},
        (Expect("data/claims.yaml", 3, r"'\*' must be in quotes"),),
    ),
    # --- YAML types and keys -----------------------------------------------------------
    Case(
        "yaml-list-where-mapping-expected",
        {"site.yaml": ('publisher: {name: "Fixture editors"}', "publisher: [Fixture editors]")},
        (Expect("site.yaml", 5, r"'publisher' must be a mapping, not a list", col=12),),
    ),
    Case(
        "yaml-entry-is-a-list",
        {"data/sources.yaml": SOURCES + "- [a, b]\n"},
        (Expect("data/sources.yaml", 17, r"source must be a mapping \(key: value\), not a list", col=3),),
    ),
    Case(
        "yaml-file-is-mapping-not-list",
        {"data/glossary.yaml": "id: catechin\nterm: catechin\ndefinition: x\n"},
        (Expect("data/glossary.yaml", 1, r"glossary.yaml must be a list of entries"),),
    ),
    Case(
        "yaml-number-where-text-expected",
        {"data/sources.yaml": ('  venue: "J Fixture Stud"', "  venue: 42")},
        (Expect("data/sources.yaml", 5, r"'venue' must be text, not the number 42", col=10),),
    ),
    Case(
        "yaml-text-where-number-expected",
        {"data/sources.yaml": ("  year: 2020", "  year: twenty")},
        (Expect("data/sources.yaml", 6, r"'year' must be a whole number, not 'twenty'", col=9),),
    ),
    Case(
        "yaml-unknown-key-suggests",
        {"data/sources.yaml": ('  venue: "J Fixture Stud"', '  venue: "J Fixture Stud"\n  detials: "x"')},
        (Expect("data/sources.yaml", 6, r"unknown key 'detials' in source; did you mean 'details'\?", col=3),),
    ),
    Case(
        "yaml-unknown-key-in-site",
        {"site.yaml": ("language: en", "langauge: en")},
        # One typo, one error: not also "missing required key 'language'".
        (Expect("site.yaml", 4, r"unknown key 'langauge' in site.yaml; did you mean 'language'\?"),),
    ),
    Case(
        "yaml-missing-required-key",
        {"data/sources.yaml": ('  title: "Tea and recall"\n', "")},
        (Expect("data/sources.yaml", 1, r"source is missing required key 'title'", col=3),),
    ),
    Case(
        "yaml-required-value-left-out",
        {"data/limits.yaml": ('  title: "Small"', "  title:")},
        (Expect("data/limits.yaml", 2, r"'title' is empty; it needs a value", col=3),),
    ),
    Case(
        "yaml-empty-required-value",
        {"data/limits.yaml": ('  title: "Small"', '  title: ""')},
        (Expect("data/limits.yaml", 2, r"'title' is empty"),),
    ),
    Case(
        "yaml-bad-choice",
        {"data/sources.yaml": ("kind: human trial", "kind: human study")},
        # Source kinds are a vocabulary the site extends (data/source-kinds.yaml): the message lists them.
        (
            Expect(
                "data/sources.yaml", 2, r"unknown kind of source 'human study'.*\(kinds: .*human trial.*source-kinds"
            ),
        ),
    ),
    Case(
        "yaml-duplicate-key",
        {"data/sources.yaml": ('  venue: "J Fixture Stud"\n', '  venue: "J Fixture Stud"\n  venue: "Other"\n')},
        (Expect("data/sources.yaml", 6, r"duplicate key 'venue' \(first defined on line 5\)", col=3),),
    ),
    Case(
        "yaml-duplicate-key-in-site",
        {"site.yaml": ("language: en\n", "language: en\nlanguage: fr\n")},
        (Expect("site.yaml", 5, r"duplicate key 'language' \(first defined on line 4\)"),),
    ),
    Case("yaml-empty-file", {"data/glossary.yaml": ""}, (Expect("data/glossary.yaml", 1, r"file is empty"),)),
    Case(
        "yaml-only-comments",
        {"data/limits.yaml": "# to do\n\n"},
        (Expect("data/limits.yaml", 1, r"file is empty"),),
    ),
    Case("yaml-empty-site", {"site.yaml": "\n"}, (Expect("site.yaml", 1, r"file is empty"),)),
    Case(
        "yaml-not-utf8",
        {
            "data/glossary.yaml": GLOSSARY.replace("A compound", "A caf\udce9 compound").encode(
                "utf-8", "surrogateescape"
            )
        },
        (Expect("data/glossary.yaml", 4, r"not valid UTF-8", col=21),),
    ),
    Case(
        "page-not-utf8",
        {"pages/evidence.md": b"---\ntitle: x\n---\ncaf\xe9\n"},
        (Expect("pages/evidence.md", 4, r"not valid UTF-8", col=4),),
    ),
    Case(
        "yaml-lines-counted-as-editors-do",  # YAML also breaks lines at U+2028; editors do not
        {
            "data/sources.yaml": SOURCES.replace("A made-up trial for", "A made-up trial\u2028for").replace(
                "kind: news article", "kind: news articel"
            ),
            "data/glossary.yaml": ('definition: "A compound', 'definiton: "A\u2028\u2028compound'),
        },
        (
            Expect("data/sources.yaml", 10, r"unknown kind of source 'news articel'", col=9),
            Expect("data/glossary.yaml", 4, r"unknown key 'definiton'"),
        ),
    ),
    Case(
        "markdown-lines-counted-as-editors-do",
        in_evidence("Odd\u2028line breaks\u2028here.\n[@nope]"),
        (Expect("pages/evidence.md", 8, r"unknown source id 'nope'", col=1),),
    ),
    Case(
        "site-base-url-without-slash",
        {"site.yaml": ('base_url: "https://example.com/tea/"', 'base_url: "https://example.com/tea"')},
        (Expect("site.yaml", 3, r"base_url must end with '/'", col=11),),
    ),
    Case(
        "site-bad-date",
        {"site.yaml": ("last_reviewed: 2025-01-31", "last_reviewed: 31/01/2025")},
        (Expect("site.yaml", 6, r"last_reviewed must be a date, YYYY-MM-DD"),),
    ),
    # --- front matter ----------------------------------------------------------------
    Case(
        "front-matter-missing",
        {"pages/evidence.md": "## The trial\n\nText.\n"},
        (Expect("pages/evidence.md", 1, r"front matter missing", col=1),),
    ),
    Case(
        "front-matter-unclosed",
        {"pages/evidence.md": "---\ntitle: The evidence\n\nText.\n"},
        (Expect("pages/evidence.md", 1, r"front matter not closed"),),
    ),
    Case(
        "front-matter-no-title",
        {"pages/evidence.md": ("title: The evidence\n", "")},
        (Expect("pages/evidence.md", 2, r"front matter is missing required key 'title'"),),
    ),
    Case(
        "front-matter-order-not-a-number",
        {"pages/evidence.md": ("order: 2", "order: second")},
        (Expect("pages/evidence.md", 3, r"'order' must be a number, not 'second'", col=8),),
    ),
    Case(
        "front-matter-draft-not-boolean",
        {"pages/evidence.md": ("order: 2", "order: 2\ndraft: maybe")},
        (Expect("pages/evidence.md", 4, r"'draft' must be true or false, not 'maybe'", col=8),),
    ),
    Case(
        "front-matter-unknown-key",
        {"pages/index.md": ("summary: What", "sumary: What")},
        (Expect("pages/index.md", 3, r"unknown key 'sumary' in front matter; did you mean 'summary'\?", col=1),),
    ),
    Case(
        "front-matter-yaml-syntax",
        {"pages/index.md": ("summary: What a made-up study found.", 'summary: "What a made-up study found.')},
        (Expect("pages/index.md", 3, r"unclosed quote"),),
    ),
    Case(
        "front-matter-duplicate-key",
        {"pages/index.md": ("order: 1", "order: 1\norder: 2")},
        (Expect("pages/index.md", 5, r"duplicate key 'order' \(first defined on line 4\)"),),
    ),
    Case(
        "front-matter-not-a-mapping",
        {"pages/evidence.md": "---\n- The evidence\n---\nText.\n"},
        (Expect("pages/evidence.md", 1, r"front matter must be a mapping"),),
    ),
    # --- ids and slugs ----------------------------------------------------------------
    Case(
        "duplicate-claim-id",
        {"data/claims.yaml": CLAIMS + CLAIMS},
        (Expect("data/claims.yaml", 10, r"duplicate claim id 'cure' \(first on line 1\)", col=7),),
    ),
    Case(
        "duplicate-source-id",
        {"data/sources.yaml": SOURCES + NEW_SOURCE.format(id="news")},
        (Expect("data/sources.yaml", 17, r"duplicate source id 'news' \(first on line 9\)", col=7),),
    ),
    Case(
        "duplicate-term-id",
        {"data/glossary.yaml": GLOSSARY + "- id: catechin\n  term: flavanol\n  definition: x\n"},
        (Expect("data/glossary.yaml", 5, r"duplicate glossary term id 'catechin' \(first on line 1\)"),),
    ),
    Case(
        "id-escapes-output-folder",
        {"data/sources.yaml": SOURCES + NEW_SOURCE.format(id="../../etc")},
        (Expect("data/sources.yaml", 17, r"id '\.\./\.\./etc' cannot be used: use letters, digits and '_'", col=7),),
    ),
    Case(
        "id-with-capitals-and-underscore",
        {"data/glossary.yaml": ("- id: catechin", "- id: Catechin_x")},
        (Expect("data/glossary.yaml", 1, r"id 'Catechin_x' may use only a-z, 0-9", col=7),),
    ),
    Case(
        "page-file-name-not-a-slug",
        {"pages/Read_Me.md": "---\ntitle: Read me\n---\nText.\n"},
        (Expect("pages/Read_Me.md", 1, r"page file name 'Read_Me' may use only a-z, 0-9 and hyphens"),),
    ),
    Case(
        "two-pages-same-slug",
        {"pages/evidence/index.md": "---\ntitle: More evidence\n---\nText.\n"},
        (Expect("pages/evidence.md", 1, r"two pages have the URL '/evidence/'.*pages/evidence/index\.md"),),
    ),
    Case(
        "page-takes-a-generated-url",
        {"pages/claims.md": "---\ntitle: Claims\n---\nText.\n"},
        (Expect("pages/claims.md", 1, r"the URL 'claims/' is generated by the site"),),
    ),
    # --- references -------------------------------------------------------------------
    Case(
        "unknown-claim-in-markdown",
        in_evidence("See [[claim:cur]]."),
        (Expect("pages/evidence.md", 7, r"unknown claim id 'cur'; did you mean 'cure'\?", col=5),),
    ),
    Case(
        "unknown-source-in-markdown",
        in_evidence("As shown [@tria]."),
        (Expect("pages/evidence.md", 7, r"unknown source id 'tria' in citation; did you mean 'trial'\?", col=10),),
    ),
    Case(
        "unknown-source-in-yaml-markdown",
        {"data/claims.yaml": ("The trial was small [@trial].", "The trial was small [@trail].")},
        (Expect("data/claims.yaml", 7, r"unknown source id 'trail' in citation; did you mean 'trial'\?", col=25),),
    ),
    Case(
        "unknown-source-in-yaml-list",
        {"data/limits.yaml": ("sources: [trial]", "sources: [tria]")},
        (Expect("data/limits.yaml", 4, r"unknown source id 'tria'; did you mean 'trial'\?", col=13),),
    ),
    Case(
        "unknown-verdict-in-yaml",
        {"data/claims.yaml": ("verdict: overstated", "verdict: overstatd")},
        (Expect("data/claims.yaml", 4, r"unknown verdict id 'overstatd'; did you mean 'overstated'\?", col=12),),
    ),
    Case(
        "unknown-limit-in-yaml",
        {"data/claims.yaml": ("limits: [small]", "limits: [smal]")},
        (Expect("data/claims.yaml", 8, r"unknown limit id 'smal'; did you mean 'small'\?", col=12),),
    ),
    Case(
        "unknown-claim-in-yaml",
        {"data/limits.yaml": ("weakens: [cure]", "weakens: [cures]")},
        (Expect("data/limits.yaml", 5, r"unknown claim id 'cures'; did you mean 'cure'\?", col=13),),
    ),
    Case(
        "unknown-glossary-term-in-markdown",
        in_evidence("See [catechin](/glossary/#term-catechine)."),
        (Expect("pages/evidence.md", 7, r"no such anchor on that page; did you mean '#term-catechin'\?"),),
    ),
    Case(
        "unknown-claims-source-in-site",
        {"site.yaml": ("claims_source: news", "claims_source: newz")},
        (Expect("site.yaml", 8, r"unknown source id 'newz'"),),
    ),
    Case(
        "unknown-figure",
        {"pages/evidence.md": ("[[block:limits]]", "[[figure:results]]")},
        (Expect("pages/evidence.md", 10, r"unknown figure id 'results'"),),
    ),
    Case(
        "unknown-block",
        {"pages/evidence.md": ("[[block:limits]]", "[[block:limit]]")},
        (Expect("pages/evidence.md", 10, r"unknown block 'limit'; blocks are: .*limits"),),
    ),
    Case(
        "link-to-missing-page",
        in_evidence("See [this page](evidense.md)."),
        (
            Expect(
                "pages/evidence.md",
                7,
                r"link to a page that does not exist: evidense\.md; did you mean 'evidence\.md'\?",
            ),
        ),
    ),
    Case(
        "link-to-draft-page",
        in_evidence("See [draft](draft.md)."),
        (Expect("pages/evidence.md", 7, r"link to a draft page: draft\.md .*--drafts"),),
    ),
    Case(
        "link-to-missing-anchor",
        in_evidence("See [home](index.md#nowhere)."),
        (Expect("pages/evidence.md", 7, r"link to '#nowhere' on '/': no such anchor"),),
    ),
    Case(
        "link-to-missing-anchor-on-same-page",
        in_evidence("See [above](#the-trail)."),
        (Expect("pages/evidence.md", 7, r"link to '#the-trail' on '/evidence/'.*did you mean '#the-trial'\?"),),
    ),
    Case(
        "link-to-missing-generated-page",
        in_evidence("See [claim](/claims/cures/)."),
        (Expect("pages/evidence.md", 7, r"link to '/claims/cures/' leads nowhere.*did you mean '/claims/cure/'\?"),),
    ),
    Case(
        "missing-image",
        in_evidence("![A cup of tea](/static/cup.png)"),
        (Expect("pages/evidence.md", 7, r"'/static/cup\.png' leads nowhere"),),
    ),
    Case(
        "missing-static-file",
        in_evidence("Read [the paper](/static/paper.pdf)."),
        (Expect("pages/evidence.md", 7, r"'/static/paper\.pdf' leads nowhere"),),
    ),
    # --- raw HTML that could run script -------------------------------------------------
    Case(
        "raw-html-script-block",
        in_evidence("<script>alert(1)</script>"),
        (Expect("pages/evidence.md", 7, r"raw HTML not allowed: <script>"),),
    ),
    Case(
        "raw-html-script-inline",
        in_evidence("Text <script src=x.js></script> more."),
        (Expect("pages/evidence.md", 7, r"raw HTML not allowed: <script>"),),
    ),
    Case(
        "raw-html-event-handler",
        in_evidence('<div onclick="steal()">Click</div>'),
        (Expect("pages/evidence.md", 7, r"raw HTML not allowed: event handler attribute 'onclick='"),),
    ),
    Case(
        "raw-html-event-handler-inline",
        in_evidence("An <img src=x.png alt=x onerror=steal()> image."),
        (Expect("pages/evidence.md", 7, r"event handler attribute 'onerror='"),),
    ),
    Case(
        "raw-html-javascript-url",
        in_evidence('<a href=" JaVaScRiPt:steal()">x</a>'),
        (Expect("pages/evidence.md", 7, r"a javascript: URL in 'href='"),),
    ),
    Case(
        "attribute-list-event-handler",
        in_evidence('A paragraph.\n{: onclick="steal()" }'),
        (Expect("pages/evidence.md", 8, r"attribute not allowed: event handler attribute 'onclick='", col=4),),
    ),
    Case(
        "attribute-list-javascript-href",
        in_evidence('[x](/){: href="javascript:steal()" }'),
        (Expect("pages/evidence.md", 7, r"links may not run script"),),
    ),
    Case(
        "attribute-list-inline-style",
        in_evidence('A paragraph.\n{: style="color: red" }'),
        (Expect("pages/evidence.md", 8, r"attribute not allowed: inline style attribute"),),
    ),
    Case(
        "markdown-entity-encoded-javascript-url",
        in_evidence("[x](&#106;avascript:steal())"),
        (Expect("pages/evidence.md", 7, r"links may not run script"),),
    ),
    Case(
        "markdown-javascript-url",
        in_evidence("[x](javascript:steal())"),
        (Expect("pages/evidence.md", 7, r"links may not run script"),),
    ),
    Case(
        "raw-html-in-yaml-markdown",
        {
            "data/claims.yaml": (
                "The trial was small [@trial].",
                "The trial was small [@trial]. <b onmouseover=x()>!</b>",
            )
        },
        (Expect("data/claims.yaml", 7, r"event handler attribute 'onmouseover='"),),
    ),
    # --- templates ----------------------------------------------------------------------
    Case(
        "template-syntax-error",
        {},
        (Expect("templates/blocks/limits.html", 2, r"template syntax error"),),
        template_edits={"blocks/limits.html": "{# broken #}\n{% for x in %}\n"},
    ),
    Case(
        "template-undefined-variable",
        {},
        (Expect("templates/claim.html", 3, r"template uses something undefined: 'no_such_thing'"),),
        template_edits={"claim.html": ("{% block main %}\n", "{% block main %}\n{{ no_such_thing }}\n")},
    ),
    Case(
        "template-missing-include",
        {},
        (Expect("templates/glossary.html", 3, r"template not found: parts/nope\.html"),),
        template_edits={"glossary.html": ("{% block main %}\n", '{% block main %}\n{% include "parts/nope.html" %}\n')},
    ),
    Case(
        "template-missing-from-front-matter",
        {"pages/evidence.md": ("order: 2", "order: 2\ntemplate: evidence.html")},
        (Expect("pages/evidence.md", 4, r"template not found: evidence\.html", col=11),),
    ),
    # --- issue 17: every input validated where it enters ---------------------------------
    Case(
        "language-is-a-path",
        {"site.yaml": ("language: en", "language: ../../../elsewhere/evil")},
        (Expect("site.yaml", 4, r"'\.\./\.\./\.\./elsewhere/evil' is not a language tag", col=11),),
    ),
    Case(
        "number-of-309-digits",
        {"data/facts.yaml": ("{value: 40, unit: adults", "{value: " + "9" * 309 + ", unit: adults")},
        (Expect("data/facts.yaml", 15, r"a number of 309 digits is far larger than anything a site holds", col=15),),
    ),
    Case(
        "number-of-5000-digits",  # more than Python turns into an int: once blamed on a '!!' tag
        {"data/facts.yaml": ("{value: 40, unit: adults", "{value: " + "9" * 5000 + ", unit: adults")},
        (Expect("data/facts.yaml", 15, r"^a number of 5000 digits", col=15),),
    ),
    Case(
        "huge-page-order",
        {"pages/index.md": ("order: 1", "order: 99999999999999999999999")},
        (Expect("pages/index.md", 4, r"a number of 23 digits", col=8),),
    ),
    Case(
        "base-url-with-a-quote-and-space",
        {"site.yaml": ('base_url: "https://example.com/tea/"', "base_url: 'https://example.com/t\"e a/'")},
        (Expect("site.yaml", 3, r"base_url holds '\"', which no web address has", col=11),),
    ),
    Case(
        "publisher-url-javascript",
        {"site.yaml": ('publisher: {name: "Fixture editors"}', 'publisher: {name: "F", url: "javascript:alert(1)"}')},
        (Expect("site.yaml", 5, r"url must be a web address starting with https://"),),
    ),
    Case(
        "bidi-override-in-title",
        {"site.yaml": ('title: "Does green', 'title: "Does \u202egreen')},
        (Expect("site.yaml", 1, r"hidden direction control character \(U\+202E\)", col=14),),
    ),
    Case(
        "bidi-isolate-in-front-matter",
        {"pages/index.md": ("title:", "title: Tea \u2066x\u2069")},
        (Expect("pages/index.md", 2, r"U\+2066", col=12),),
    ),
    Case(
        "strings-attribute-placeholder",
        {"strings/en.yaml": 'date: "{date.year}"\n'},
        (Expect("strings/en.yaml", 1, r"'\{date\.year\}' is not a placeholder", col=7),),
    ),
    Case(
        "strings-unknown-placeholder-once",
        {"strings/en.yaml": 'date: "{day} {mois} {year}"\n'},
        (
            Expect(
                "strings/en.yaml", 1, r"unknown placeholder .\{mois\}.: the theme fills in \{day\}, \{month\}, \{year\}"
            ),
        ),
    ),
    Case(
        "a-paragraph-of-a-million-characters",
        in_evidence("*a* " * 250_000),
        (Expect("pages/evidence.md", 7, r"a paragraph of 1,000,001 characters \(the limit is 20,000\)", col=1),),
    ),
    Case(
        "page-template-macros",
        {"pages/evidence.md": ("title:", "template: macros.html\ntitle:")},
        (Expect("pages/evidence.md", 2, r"'macros\.html' is not a page template: use one of .*page\.html"),),
    ),
    Case(
        "page-template-static-file",
        {"pages/evidence.md": ("title:", "template: static/site.js\ntitle:")},
        (Expect("pages/evidence.md", 2, r"'static/site\.js' is not a page template"),),
    ),
]


DOCS = ROOT / "docs" / "editing.md"


def _normalise(text: str) -> str:
    """Names, files, addresses and numbers vary; the words around them are what the docs explain."""
    text = text.replace("`", "")
    text = re.sub(r"https?://\S+", "URL", text)
    text = re.sub(r"[\w./-]+\.(yaml|md|html)\b", r"x.\1", text)
    text = re.sub(r"'[^'\s]*'", "'x'", text)
    return " ".join(re.sub(r"\d+", "N", text).split())


def _key(message: str) -> str:
    """A message's first words, up to a hint (`;`, ` (`) or a quoted library message."""
    words: list[str] = []
    for word in _normalise(re.split(r";| \(", message)[0]).split()[:4]:
        if words and words[-1].endswith(":") and word[:1].isupper():
            break  # Jinja's or Pagefind's own words follow
        words.append(word)
    return " ".join(words)


def assert_documented(messages: list[str]) -> None:
    """docs/editing.md, "What each error means", explains every message an editor can get."""
    text = DOCS.read_text(encoding="utf-8")
    assert "## What each error means" in text
    section = _normalise(text.split("## What each error means", 1)[1].split("\n## ", 1)[0])
    for message in messages:
        assert _key(message) in section, f"not explained in docs/editing.md: {message} ({_key(message)})"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_one_located_error(case: Case, broken_build: Callable[..., Run]) -> None:
    run = broken_build(case.edits, case.template_edits, case.args)
    assert_errors(run, case.errors)
    assert_documented([e["msg"] for e in run.errors])


def test_template_edits_apply_to_their_line() -> None:
    """The template cases insert after `{% block main %}`: check the line numbers they assume."""
    for name, line in (("claim.html", 2), ("glossary.html", 2)):
        lines = (TEMPLATES / name).read_text(encoding="utf-8").splitlines()
        assert lines[line - 1] == "{% block main %}", (name, lines[:3])


# --- warnings: reported, and errors under --strict -------------------------------------

WARNINGS = [
    Case(
        "source-never-cited",
        {"data/sources.yaml": SOURCES + NEW_SOURCE.format(id="unused")},
        (Expect("data/sources.yaml", 17, r"source 'unused' is never cited"),),
    ),
    Case(
        "term-never-used",
        {"data/glossary.yaml": GLOSSARY + "- id: zebra\n  term: zebra\n  definition: x\n"},
        (Expect("data/glossary.yaml", 5, r"glossary term 'zebra' is never used"),),
    ),
    Case(
        "image-without-alt",
        in_evidence("![](/static/favicon.svg)"),
        (Expect("pages/evidence.md", 7, r"image '/static/favicon\.svg' has no alt text"),),
    ),
    Case(
        "external-link-over-http",
        in_evidence("See [the maker](http://example.com/tea)."),
        (Expect("pages/evidence.md", 7, r"link over plain http: http://example\.com/tea"),),
    ),
]


@pytest.mark.parametrize("case", WARNINGS, ids=[c.id for c in WARNINGS])
def test_warning_then_error_under_strict(case: Case, broken_build: Callable[..., Run], tmp_path: Path) -> None:
    run = broken_build(case.edits)
    assert run.code == 0, run.err
    assert not run.errors
    for want in case.errors:
        assert [w for w in run.warnings if _matches(w, want)], f"expected warning {want} in:\n{run.err}"
    shutil.rmtree(tmp_path / "out")
    shutil.rmtree(tmp_path / "src")
    assert_errors(broken_build(case.edits, args=("--strict",)), case.errors)
    assert_documented([w["msg"] for w in run.warnings])


def test_nested_page_linked_from_a_page_is_reachable(broken_build: Callable[..., Run]) -> None:
    """The reachability check must not fire once a reachable page links to the nested page."""
    edits = {
        "pages/guides/brewing.md": "---\ntitle: Brewing\n---\nHow to brew. See [steeping](steeping.md).\n",
        "pages/guides/steeping.md": "---\ntitle: Steeping\n---\nHow long.\n",
        **in_evidence("How to [brew](guides/brewing.md)."),
    }
    run = broken_build(edits, args=("--strict",))
    assert run.code == 0, run.err


def test_all_errors_of_a_run_are_reported_together(broken_build: Callable[..., Run]) -> None:
    edits: dict[str, Edit] = {
        "data/sources.yaml": ('  venue: "J Fixture Stud"', '  venu: "J Fixture Stud"'),
        "data/glossary.yaml": ("term: catechin", "term: 'catechin"),
        "pages/evidence.md": ("order: 2", "order: two"),
        "pages/index.md": ("See [[claim:cure]]", "See [[claim:cured]]"),
        "data/limits.yaml": ("weakens: [cure]", "weakens: [cure, nope]"),
    }
    run = broken_build(edits)
    assert_errors(
        run,
        (
            Expect("data/sources.yaml", 5, r"unknown key 'venu' in source; did you mean 'venue'"),
            Expect("data/glossary.yaml", 2, r"unclosed quote"),
            Expect("pages/evidence.md", 3, r"'order' must be a number"),
            Expect("pages/index.md", 7, r"unknown claim id 'cured'"),
            Expect("data/limits.yaml", 5, r"unknown claim id 'nope'"),
        ),
    )
    # Sorted by file, then line, so an editor can work down the list.
    keys = [(e["path"], int(e["line"])) for e in run.errors]
    assert keys == sorted(keys)
    assert "build failed: 5 error(s)" in run.err


def test_cli_subprocess_exit_1_located_lines_and_no_traceback(tmp_path: Path) -> None:
    """The real command, as an editor runs it: exit status, every line located, nothing written."""
    src = shutil.copytree(TEA, tmp_path / "src")
    apply(src, {"data/glossary.yaml": ("  term: catechin", "\tterm: catechin"), **in_evidence("[@nope]")})
    result = build(src, tmp_path / "out", "--no-search")
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert lines[-1] == "build failed: 2 error(s); nothing was written"
    assert all(LINE_RE.match(line) for line in lines[:-1]), result.err
    assert re.search(r"glossary\.yaml:2:1: error: YAML syntax error: a tab character", result.err)
    assert re.search(r"evidence\.md:7:1: error: unknown source id 'nope'", result.err)
    assert not (tmp_path / "out").exists()


def test_check_command_reports_the_same_errors(tmp_path: Path) -> None:
    from conftest import run_cli

    src = shutil.copytree(TEA, tmp_path / "src")
    apply(src, {"pages/evidence.md": ("order: 2", "order: two")})
    result = run_cli("check", "--source", src, "--templates", TEMPLATES, cwd=tmp_path)
    assert result.code == 1 and "Traceback" not in result.err
    assert "src/pages/evidence.md:3:8: error: 'order' must be a number, not 'two'" in result.err
