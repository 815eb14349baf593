"""The rest of the surface, fuzzed (issue 17; tests/test_fuzz.py covers YAML, front matter,
data kinds, Markdown and whole builds): strings files, the command line and a running
preview's HTTP requests. Whatever comes in: a located error or success, never a traceback
or a hang, no file outside the output touched, never a 500 from the preview."""

from __future__ import annotations

import http.client
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
from conftest import FIXTURES, TEMPLATES
from hypothesis import given
from hypothesis import strategies as st
from preview_server import Preview
from test_fuzz import examples

from explainer.cli.main import main
from explainer.core.errors import Diagnostics, SiteError
from explainer.load.config import BuildOptions, load_site_config
from explainer.load.strings import placeholders

THEME_KEYS = ["date", "months", "search_count", "nav_home", "cite_label", "no_such_key", "facts_unused"]
text_bits = st.sampled_from(
    ["{count}", "{day}", "{x.y}", "{0}", "{}", "{", "}", "{{", "}}", "{count!r}", "\u202e", "é"]
)
strings_value = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.lists(st.one_of(text_bits, st.text(max_size=5)), max_size=6).map("".join),
    st.lists(st.text(max_size=8), max_size=13),
    st.fixed_dictionaries({"one": st.text(max_size=10), "other": st.text(max_size=10)}),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.none(),
)


def yaml_quote(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


@pytest.fixture(scope="module")
def strings_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = shutil.copytree(FIXTURES / "tea", tmp_path_factory.mktemp("strings") / "src")
    (site / "strings").mkdir()
    return site


@examples(150)
@given(st.dictionaries(st.sampled_from(THEME_KEYS), strings_value, max_size=4), st.sampled_from(["en", "fr", "de"]))
def test_strings_files_load_or_give_located_errors(strings_site: Path, entries: dict, language: str) -> None:
    path = strings_site / "strings" / f"{language}.yaml"
    path.write_text("".join(f"{k}: {yaml_quote(v)}\n" for k, v in entries.items()) or "{}\n", encoding="utf-8")
    site_yaml = strings_site / "site.yaml"
    site_yaml.write_text(
        "\n".join(
            line if not line.startswith("language:") else f"language: {language}"
            for line in site_yaml.read_text(encoding="utf-8").splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    diags = Diagnostics()
    try:
        config = load_site_config(strings_site, diags, BuildOptions(source=strings_site, templates=TEMPLATES))
    except SiteError as exc:  # pragma: no cover - loaders report, never raise
        pytest.fail(f"raised instead of reporting: {exc}")
    if config is None:
        assert diags.errors
    for err in diags.items:
        assert err.location.path.name in (f"{language}.yaml", "site.yaml", "en.yaml", "fr.yaml"), str(err)
        assert err.location.line >= 1 and err.message.strip()
    if config is not None:  # every text can be filled in
        for key in entries:
            if key in config.strings.texts and key not in ("months",):
                value = config.strings.texts[key]
                for text in value.values() if isinstance(value, dict) else [value]:
                    if isinstance(text, str):
                        text.format_map(dict.fromkeys(placeholders(text), 1))


# --- the command line -------------------------------------------------------------------

FLAGS = ["--source", "--out", "--templates", "--strict", "--drafts", "--no-search", "--no-cache", "--jobs", "--help"]
VALUES = ["site_src", ".", "", "..", "docs", "FILE", "out", "out/deeper", "site_src/static/x", "/", "~", "-1", "0",
          "3", "9" * 40, "nowhere", "\u202e", "a b", "--out"]  # fmt: skip
argv = st.tuples(
    st.sampled_from(["build", "check", "new", "bogus", ""]),
    st.lists(st.one_of(st.sampled_from(FLAGS), st.sampled_from(VALUES)), max_size=6),
)


def tree(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() and not p.is_symlink() else None)
        for p in sorted(folder.rglob("*"))
    }


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "project"
    root.mkdir()
    shutil.copytree(FIXTURES / "tea", root / "site_src")
    (root / "docs").mkdir()
    (root / "docs" / "notes.txt").write_text("mine\n", encoding="utf-8")
    (root / "FILE").write_text("a file\n", encoding="utf-8")
    return root


@examples(25)
@given(argv)
def test_any_command_line_is_an_exit_code_and_touches_nothing_else(project: Path, args: tuple) -> None:
    command, rest = args
    outside = project.parent
    before = {rel: data for rel, data in tree(outside).items()}
    with inside(project), redirect_stdout(StringIO()), redirect_stderr(StringIO()) as err:
        code = main([c for c in [command] if c] + list(rest))
    assert code in (0, 1, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()
    after = tree(outside)
    for rel, data in before.items():
        if rel.startswith(("project/.cache", "project/._")):
            continue  # the build cache and temp folders beside outputs: the generator's own
        changed = after.get(rel, "gone") != data
        if changed:
            # Only inside an output folder of ours (it carries the marker) may a file change.
            top = Path(outside / rel)
            owners = [p for p in top.parents if (p / ".explainer-output").is_file()]
            assert owners, f"{rel} changed: {args}"
    for rel in after.keys() - before.keys():
        parent = Path(outside / rel)
        ours = any((p / ".explainer-output").is_file() for p in [parent, *parent.parents]) or "site_src/" in rel
        assert ours or rel.startswith(("project/.cache", "project/._")) or "/site_src" in rel, f"{rel} appeared"


# --- a running preview ------------------------------------------------------------------


PATH_BITS = ["/", "index.html", "%00", "%ff", "%2e%2e/", "..", "static/", "site.css", "?q=1", "#x", "livereload",
             "forcereload", "livereload.js", "%", "%zz", "\\", "a" * 300, "%C3%A9", "//", "%ed%a0%80"]  # fmt: skip
path_bits = st.sampled_from(PATH_BITS)
host = st.sampled_from(
    ["127.0.0.1:{port}", "localhost:{port}", "evil.example", "", "127.0.0.1", "[::1]:{port}", "x" * 300]
)


@examples(120)
@given(
    st.sampled_from(["GET", "HEAD", "POST", "PUT", "OPTIONS", "DELETE"]),
    st.lists(path_bits, min_size=1, max_size=5).map(lambda parts: "/" + "".join(parts).lstrip("/")),
    host,
    st.one_of(st.none(), st.sampled_from(["http://evil.example", "null", "http://127.0.0.1:{port}"])),
)
def test_the_preview_never_answers_500(preview: Preview, method: str, path: str, host: str, origin: str | None) -> None:
    port = preview.port
    conn = http.client.HTTPConnection(preview.address, timeout=20)
    try:
        conn.putrequest(method, path.replace(" ", "%20"), skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host.format(port=port))
        if origin is not None:
            conn.putheader("Origin", origin.format(port=port))
        conn.endheaders()
        status = conn.getresponse().status
    finally:
        conn.close()
    assert status < 500, (method, path, host, status)
    assert preview.proc.poll() is None
