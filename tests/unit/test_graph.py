"""The dependency graph's rules on made-up outputs and data (no build): what a use is, what it
holds, and which outputs a change makes stale."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from explainer.core.errors import Location
from explainer.incremental.graph import Fingerprints, stale, uses_of
from explainer.kinds.data import SiteData
from explainer.render.uses import NAV_USE, RenderedFile


@dataclass
class Term:
    id: str
    names: tuple[str, ...]
    location: Location = field(default_factory=lambda: Location(Path("x")))


def _site(tmp_path: Path, glossary: str) -> SiteData:
    path = tmp_path / "glossary.yaml"
    path.write_text(glossary, encoding="utf-8")
    data = SiteData()
    data.files = {"glossary": path}
    terms = {}
    for number, line in enumerate(glossary.splitlines(), start=1):
        if line.startswith("- id: "):
            term_id = line.split(": ")[1]
            terms[term_id] = Term(term_id, (term_id,), Location(path, number))
    data.glossary = terms
    return data


def _output(path: str, *uses: str, templates: tuple[str, ...] = ()) -> RenderedFile:
    return RenderedFile(path, b"", Location(Path(path)), templates=set(templates), data=set(uses))


GLOSSARY = "- id: alpha\n  definition: first\n- id: beta\n  definition: second\n"


def _digest(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_an_entry_edited_makes_stale_only_the_outputs_that_read_it(tmp_path: Path) -> None:
    data = _site(tmp_path, GLOSSARY)
    files = {
        "a.html": _output("a.html", "glossary@index", "glossary#alpha"),
        "b.html": _output("b.html", "glossary@index", "glossary#beta"),
        "all.html": _output("all.html", "glossary"),
    }
    before = Fingerprints(data, [], _digest).table(files.values())
    data.files["glossary"].write_text(GLOSSARY.replace("second", "changed"), encoding="utf-8")
    assert stale(files, before, Fingerprints(data, [], _digest)) == {"b.html", "all.html"}


def test_a_name_changed_makes_stale_every_output_that_matches_names(tmp_path: Path) -> None:
    data = _site(tmp_path, GLOSSARY)
    files = {"a.html": _output("a.html", "glossary@index"), "t.html": _output("t.html", templates=("t.html",))}
    before = Fingerprints(data, [], _digest).table(files.values())
    data.glossary["beta"] = Term("beta", ("beta", "b"), data.glossary["beta"].location)
    assert stale(files, before, Fingerprints(data, [], _digest)) == {"a.html"}


def test_a_template_is_hashed_where_the_loader_finds_it_first(tmp_path: Path) -> None:
    site, theme = tmp_path / "site", tmp_path / "theme"
    site.mkdir(), theme.mkdir()
    (theme / "page.html").write_text("theme", encoding="utf-8")
    data = _site(tmp_path, GLOSSARY)
    files = {"p.html": _output("p.html", templates=("page.html",))}
    before = Fingerprints(data, [site, theme], _digest).table(files.values())
    assert stale(files, before, Fingerprints(data, [site, theme], _digest)) == set()
    (site / "page.html").write_text("site's own", encoding="utf-8")  # the site overrides it
    assert stale(files, before, Fingerprints(data, [site, theme], _digest)) == {"p.html"}


def test_site_wide_uses_are_not_data_and_templates_are_named_apart() -> None:
    uses = uses_of(_output("x.html", NAV_USE, "glossary#a", templates=("glossary",)), {"glossary"})
    assert uses == ["glossary#a", "template:glossary"]
