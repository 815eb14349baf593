"""Nothing the build reads back from disk is code (issue 17: Jinja's bytecode cache under
.cache/explainer/ was loaded, so a planted file ran a command on the next build).

Every file under the cache folder is replaced by a payload that would run a command if it
were unpickled, unmarshalled or loaded as Jinja bytecode, and forged Jinja bytecode entries
(valid for every template, checksum and all) are planted where the bytecode cache was: the
next build runs none of it and still succeeds with the same output as a clean build."""

from __future__ import annotations

import marshal
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TEMPLATES, build
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket
from test_speed_identity import assert_same_tree

from explainer.render.templates import make_environment

PACKAGE = ROOT / "explainer"


class Planted:
    """Unpickling this creates the file named: what a planted pickle could do."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.proof), "w"))


def code_payload(proof: Path) -> bytes:
    return marshal.dumps(compile(f"open({str(proof)!r}, 'w').close()", "<planted>", "exec"))


def forge_bytecode(folder: Path, source_dirs: list[Path], proof: Path) -> int:
    """A Jinja bytecode cache entry for every template, as FileSystemBytecodeCache would
    find it (key and source checksum right): the template's own code, which first creates
    proof (so a build that loaded it would succeed and show nothing)."""
    env = make_environment(source_dirs)
    folder.mkdir(parents=True, exist_ok=True)
    cache = FileSystemBytecodeCache(str(folder))
    names = env.list_templates(extensions=["html", "svg", "xml"])
    for name in names:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        bucket = Bucket(env, cache.get_cache_key(name, filename), cache.get_source_checksum(source))
        real = env.compile(source, name, filename, raw=True)  # the template still works
        bucket.code = compile(f"open({str(proof)!r}, 'w').close()\n{real}", filename or name, "exec")
        cache.dump_bytecode(bucket)
    return len(names)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    src = shutil.copytree(FIXTURES / "tea", tmp_path / "src")
    out = tmp_path / "out"
    page = src / "pages" / "evidence.md"
    for edit in ("", "\nFirst edit.\n"):  # the second build keeps the first's tree as the cache's spare
        page.write_text(page.read_text(encoding="utf-8") + edit, encoding="utf-8")
        result = build(src, out, "--no-search")
        assert result.code == 0, result.err
    return src, out


def test_planted_cache_files_run_nothing_and_the_build_succeeds(built: tuple[Path, Path], tmp_path: Path) -> None:
    src, out = built
    proof = tmp_path / "pwned"
    (folder,) = (src.parent / ".cache" / "explainer").iterdir()
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) >= 3  # the manifest, the details and the spare tree's files
    payloads = [pickle.dumps(Planted(proof)), code_payload(proof)]
    for i, path in enumerate(files):
        path.unlink()  # never written in place: spare files are hard links to the live site
        path.write_bytes(payloads[i % 2])
    assert forge_bytecode(folder / "templates", [src / "templates", TEMPLATES], proof) >= 10
    page = src / "pages" / "evidence.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    result = build(src, out, "--no-search")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert not proof.exists()
    clean = tmp_path / "clean"
    assert build(src, clean, "--no-search", "--no-cache").code == 0
    assert_same_tree(out, clean)
    again = build(src, out, "--no-search")  # and the next build is fine too
    assert again.code == 0 and not proof.exists()


def test_the_forged_bytecode_would_run_if_loaded(tmp_path: Path) -> None:
    """The planted entries are real: an environment that used a bytecode cache runs them."""
    proof = tmp_path / "ran"
    folder = tmp_path / "bc"
    folder.mkdir()
    forge_bytecode(folder, [TEMPLATES], proof)
    env = make_environment([TEMPLATES])
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    env.get_template("macros.html")
    assert proof.exists()


def test_the_generator_reads_no_code_from_disk() -> None:
    """No module loads pickle or marshal, or gives Jinja a bytecode cache."""
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) >= 20
    for module in modules:
        text = module.read_text(encoding="utf-8")
        banned_words = (
            "import pickle",
            "pickle.load",
            "import marshal",
            "marshal.load",
            "BytecodeCache",
            "bytecode_cache",
        )
        for banned in banned_words:
            assert banned not in text, f"{module.relative_to(ROOT)}: {banned}"
