"""Templates render in a sandbox (issue 17: a site template ran `os.popen` through Jinja's
globals, in `check` too, so a pull request touching only site_src/ ran commands in CI).
Every way out we know of is a located error naming the template, in build and check, and
nothing runs; the theme renders the same in the sandbox (its cost was measured: none)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

PROOF = "SANDBOX-ESCAPED"

ESCAPES = {
    "globals-of-cycler": "{{ cycler.__init__.__globals__.os.popen('touch PROOF').read() }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "joiner-globals": "{{ joiner.__init__.__globals__['os'].system('touch PROOF') }}",
    "namespace-builtins": "{{ namespace.__init__.__globals__.__builtins__['open']('PROOF', 'w') }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].popen('touch PROOF') }}",
    "self-module": "{{ self._TemplateReference__context.environment }}",
    "page-path-write": "{{ page.source.write_text('x') }}",
    "page-path-unlink": "{{ page.source.unlink() }}",
    "page-path-parent": "{{ page.source.parent.joinpath('PROOF').touch() }}",
    "format-string": "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
    "attr-filter": "{{ cycler|attr('__init__')|attr('__globals__') }}",
    "func-globals": "{{ t.__globals__ }}",
    "func-code": "{{ md.__code__ }}",
    "range-class": "{{ range.__class__.__base__ }}",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return shutil.copytree(FIXTURES / "tea", tmp_path / "src")


def plant(site: Path, expression: str, proof: Path) -> Path:
    """A site template replacing the theme's page.html, with the expression in it."""
    theme = (Path(__file__).resolve().parent.parent / "templates" / "page.html").read_text(encoding="utf-8")
    (site / "templates").mkdir(exist_ok=True)
    path = site / "templates" / "page.html"
    path.write_text(theme.replace("<h1>", expression.replace("PROOF", str(proof)) + "\n<h1>", 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_a_way_out_is_a_located_error_naming_the_template(site: Path, tmp_path: Path, name: str) -> None:
    proof = tmp_path / PROOF
    template = plant(site, ESCAPES[name], proof)
    pages_before = {p.name: p.read_bytes() for p in (site / "pages").iterdir()}
    commands = [("check",)]
    if name in ("globals-of-cycler", "page-path-unlink"):  # and through a whole build
        commands.append(("build", "--out", str(tmp_path / "out"), "--no-search"))
    for command in commands:
        result = run_cli(command[0], "--source", site, *command[1:])
        assert result.code == 1, (name, result.err)
        assert "Traceback" not in result.err
        located = [line for line in result.err.splitlines() if "templates/page.html:" in line and "error" in line]
        assert located, (name, result.err)
        assert "page.html" in located[0] and ("unsafe" in located[0] or "undefined" in located[0]), located[0]
        assert not proof.exists()
    assert {p.name: p.read_bytes() for p in (site / "pages").iterdir()} == pages_before
    assert template.exists()


def test_what_templates_need_still_works(site: Path, tmp_path: Path) -> None:
    """Reading data, paths' names, strings' and dicts' methods, the theme's helpers."""
    plant(
        site, "<p id=probe>{{ page.title|upper }} {{ 'a,b'.split(',')|join('+') }} {{ page.slug }}</p>", tmp_path / "x"
    )
    result = run_cli("build", "--source", site, "--out", tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    html = (tmp_path / "out" / "evidence" / "index.html").read_text(encoding="utf-8")
    assert "<p id=probe>" in html and "a+b evidence" in html
