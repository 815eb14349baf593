"""Faults while writing: a disk that fills up or an output folder that cannot be written
gives one clear error, never a traceback, and the site that was there stays byte-identical.

Two ways: an injected write failure (always runs), and a real small file system (a tmpfs
of a few MB, mounted for the test, then made read-only; needs root, skipped otherwise)."""

from __future__ import annotations

import errno
import os
import pathlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, build, copy_site
from test_errors import assert_documented

from explainer.cli import main as cli


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def one_write_error(stderr: str, reason: str) -> str:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, stderr
    message = errors[0].split(": error: ", 1)[1]
    assert message.startswith(f"could not write the site: {reason}"), message
    assert "the site that was there is unchanged" in message
    assert_documented([message])
    return message


def leftovers(out: Path) -> list[str]:
    return [p.name for p in out.parent.glob(f".{out.name}.tmp-*")]


def test_a_full_disk_mid_write_is_one_error_and_the_site_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = copy_site(tmp_path / "src", FIXTURES / "tea"), tmp_path / "out"
    assert cli.main(["build", "--source", str(src), "--out", str(out)]) == 0
    before = tree(out)
    page = next((src / "pages").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    real, calls = pathlib.Path.write_bytes, [0]

    def fill_up(self: Path, data: bytes) -> int:
        calls[0] += 1
        if calls[0] == 1:  # after the static files are copied and the unchanged pages linked
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", fill_up)
    capsys.readouterr()
    assert cli.main(["build", "--source", str(src), "--out", str(out)]) == 1
    one_write_error(capsys.readouterr().err, "No space left on device")
    assert calls[0] == 1
    assert tree(out) == before
    assert leftovers(out) == []
    monkeypatch.undo()
    assert cli.main(["build", "--source", str(src), "--out", str(out)]) == 0  # the next build is fine
    assert "One more sentence." in "".join(t.decode(errors="replace") for t in tree(out).values())


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system of its own: room for one build of the fixture site and its cache."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_real_full_disk_is_one_error_and_the_site_stays(small_disk: Path, tmp_path: Path) -> None:
    src, out = copy_site(tmp_path / "src", FIXTURES / "tea"), small_disk / "site"
    first = build(src, out)
    assert first.code == 0, first.err
    before = tree(out)
    (src / "static").mkdir(exist_ok=True)
    (src / "static" / "big.bin").write_bytes(os.urandom(1_500_000))  # more than the disk has left
    result = build(src, out)
    assert result.code == 1
    one_write_error(result.err, "No space left on device")
    assert tree(out) == before
    assert leftovers(out) == []


def test_an_output_folder_that_cannot_be_written_is_one_error_and_the_site_stays(
    small_disk: Path, tmp_path: Path
) -> None:
    """Root may write anywhere, so the folder is made unwritable by mounting it read-only."""
    src, out = copy_site(tmp_path / "src", FIXTURES / "tea"), small_disk / "site"
    assert build(src, out).code == 0
    before = tree(out)
    page = next((src / "pages").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = build(src, out)
    assert result.code == 1
    one_write_error(result.err, "Read-only file system")
    assert tree(out) == before
