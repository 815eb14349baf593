"""The build cache keeps plain data (JSON) only: a damaged or foreign cache file is ignored
with one warning and the build renders everything, never a traceback, never code run."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, build
from test_speed_identity import assert_same_tree

from explainer.core.errors import Location
from explainer.incremental import cachefile


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    src = shutil.copytree(FIXTURES / "tea", tmp_path / "src")
    out = tmp_path / "out"
    result = build(src, out, "--no-search")
    assert result.code == 0, result.err
    return src, out


def cache_folder(src: Path) -> Path:
    (folder,) = (src.parent / ".cache" / "explainer").iterdir()
    return folder


class Boom:
    """Unpickling this would run a command: what a planted cache file could do with pickle."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("PWNED",))


FOREIGN = {
    "not JSON": b"\x00\x01garbage",
    "a pickle": pickle.dumps(Boom()),
    "another type": b'{"@": "Popen", "v": {"args": "touch pwned"}}',
    "a missing field": b'{"@": "Manifest", "v": {"format": 4}}',
    "wrong shapes": cachefile.dumps(None).encode().replace(b"null", b'{"@":"dict","v":{}}'),
}


@pytest.mark.parametrize("file", ["manifest.json", "details.json"])
@pytest.mark.parametrize("what", sorted(FOREIGN))
def test_a_foreign_cache_file_is_one_warning_and_a_full_build(
    site: tuple[Path, Path], tmp_path: Path, file: str, what: str
) -> None:
    src, out = site
    (cache_folder(src) / file).write_bytes(FOREIGN[what])
    page = src / "pages" / "evidence.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    result = build(src, out, "--no-search")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err and "PWNED" not in result.out + result.err
    warnings = [line for line in result.err.splitlines() if "warning: ignored the build cache" in line]
    assert len(warnings) == 1, result.err
    assert "0 unchanged output(s) reused" in result.out
    clean = tmp_path / "clean"
    assert build(src, clean, "--no-search", "--no-cache").code == 0
    assert_same_tree(out, clean)
    assert not (tmp_path / "pwned").exists()
    again = build(src, out, "--no-search")  # the cache was written afresh: no warning now
    assert again.code == 0 and "warning" not in again.err and "nothing changed" in again.out


def test_cache_files_are_json_that_round_trips_our_records(site: tuple[Path, Path]) -> None:
    src, _ = site
    folder = cache_folder(src)
    for name in ("manifest.json", "details.json"):
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith('{"@":')
    value = {"a": (1, "x"), "b": {Path("p"), "q"}, "c": [Location(Path("f.md"), 3, 4)], "d": b"\x00"}
    assert cachefile.loads(cachefile.dumps(value), {}) == value
    with pytest.raises(cachefile.Unreadable):
        cachefile.loads('{"@": "Location", "v": {"path": {"@": "path", "v": "x"}}}', {})  # fields missing


def test_a_build_that_fails_after_its_details_are_written_leaves_the_last_cache_whole(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The details are written while the index is made, before the swap (cache.stage): a
    build that fails after that must not leave the last build's manifest naming them."""
    from explainer.cli import main as cli
    from explainer.output import write

    src, out = site
    args = ["build", "--source", str(src), "--out", str(out), "--no-search"]
    page = src / "pages" / "evidence.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEdited once.\n", encoding="utf-8")

    def full_disk(tmp: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(write, "swap", full_disk)
        assert cli.main(args) == 1
    assert [p.name for p in cache_folder(src).glob(".details-*")], "the failed build staged no details"
    capsys.readouterr()
    page.write_text(page.read_text(encoding="utf-8") + "\nEdited twice.\n", encoding="utf-8")
    assert cli.main(args) == 0
    said = capsys.readouterr()
    assert "warning" not in said.err, said.err
    reused = re.search(r"(\d+) unchanged output\(s\) reused", said.out)
    assert reused is not None and int(reused.group(1)) > 0, said.out  # the last good build's cache was used
    assert not list(cache_folder(src).glob(".details-*"))
    assert "Edited twice." in (out / "evidence" / "index.html").read_text(encoding="utf-8")
