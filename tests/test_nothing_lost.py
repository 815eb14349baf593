"""Nothing is lost: a failed, crashed or killed build leaves the previous site exactly as it
was; the next good build leaves no temporary folders behind; builds running at the same
time into one output each swap in a complete site (the later wins), never a mixture; and a
reader never finds the output folder missing, even for a moment.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, TEMPLATES, build
from swallowed_ctrl_c import SWALLOWED_CTRL_C, sent_at

from explainer.output.swap import TMP_MARK, remove_leftovers
from explainer.output.write import write_atomically

TEA = FIXTURES / "tea"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (as None), by path: equal means byte-identical."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))
    }


def leftovers(out: Path) -> list[str]:
    """Temporary folders of builds next to the output (the lock file is not a folder)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.is_dir())


def tea_variant(dest: Path, title: str, extra_pages: int = 0, blobs: int = 0) -> Path:
    """A copy of the fixture site with its own title, optional extra pages and large static files."""
    shutil.copytree(TEA, dest)
    site = dest / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace('title: "Does green tea sharpen memory?"', f'title: "{title}"'),
        encoding="utf-8",
    )
    for i in range(extra_pages):
        (dest / "pages" / f"extra-{i}.md").write_text(
            f"---\ntitle: Extra {i}\norder: {10 + i}\n---\nMore about tea [@trial].\n", encoding="utf-8"
        )
    if blobs:
        (dest / "static").mkdir(exist_ok=True)
        chunk = os.urandom(64 * 1024)
        for i in range(blobs):
            (dest / "static" / f"blob-{i:04d}.bin").write_bytes(chunk[i % 64 :] + chunk[: i % 64])
    return dest


def start_build(source: Path, out: Path, cache: bool = False) -> subprocess.Popen[str]:
    args = ["build", "--source", source, "--templates", TEMPLATES, "--out", out, "--no-search"]
    if not cache:
        args.append("--no-cache")  # every file is written: the longest write phase
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_temp_files(out: Path, proc: subprocess.Popen[str], at_least: int, timeout: float = 60) -> Path:
    """The build's temporary folder once it holds at_least files (the build is mid-write)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the build finished before it could be caught mid-write"
        for tmp in out.parent.glob(f".{out.name}{TMP_MARK}*"):
            static = tmp / "static"
            if static.is_dir() and sum(1 for _ in static.iterdir()) >= at_least:
                return tmp
        time.sleep(0.002)
    raise AssertionError("no temporary folder appeared")


def kill_mid_write(out: Path, proc: subprocess.Popen[str], at_least: int = 100) -> Path:
    """SIGKILL the build once its temporary folder holds at_least files; returns that folder."""
    try:
        tmp = wait_for_temp_files(out, proc, at_least=at_least)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return tmp


# --- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("pages/evidence.md", "order: 2", "order: two"),  # a content error
        ("data/sources.yaml", "  kind: human trial", "\tkind: human trial"),  # a YAML syntax error
        ("pages/index.md", "[[claim:cure]]", "[[claim:nope]]"),  # found only while rendering
    ],
)
def test_failed_build_leaves_previous_output_byte_identical(tmp_path: Path, file: str, old: str, new: str) -> None:
    src = tea_variant(tmp_path / "src", "First")
    out = tmp_path / "out"
    assert build(src, out, "--no-search").code == 0
    before = snapshot(out)
    path = src / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = build(src, out, "--no-search")
    assert result.code == 1 and "Traceback" not in result.err
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_crash_while_writing_leaves_previous_output_and_no_temp_folder(tmp_path: Path) -> None:
    """A failure after files were written (e.g. the search indexer) must not touch the output."""
    out = tmp_path / "out"
    write_atomically(out, {"index.html": b"old", "a/index.html": b"old a"}, {})
    before = snapshot(out)

    def fail(folder: Path) -> None:
        assert (folder / "index.html").read_bytes() == b"new"  # it did write the new site first
        raise RuntimeError("search index failed")

    with pytest.raises(RuntimeError):
        write_atomically(out, {"index.html": b"new", "b/index.html": b"new b"}, {}, finish=fail)
    assert snapshot(out) == before
    assert leftovers(out) == []


def built_and_a_big_next(tmp_path: Path, title: str) -> tuple[Path, Path, dict[str, bytes | None]]:
    """A small site built into out, and a big one (~100 MB of static files) to build over it:
    (the big one's source, out, out's files as the small build left them)."""
    small = tea_variant(tmp_path / "small", "Before")
    big = tea_variant(tmp_path / "big", title, extra_pages=10, blobs=1500)
    out = tmp_path / "out"
    assert build(small, out, "--no-search").code == 0
    return big, out, snapshot(out)


def test_sigkill_mid_write_keeps_previous_output_and_next_build_cleans_up(tmp_path: Path) -> None:
    big, out, before = built_and_a_big_next(tmp_path, "Killed")
    tmp = kill_mid_write(out, start_build(big, out))
    assert tmp.exists(), "the killed build should have left its half-written folder"
    assert snapshot(out) == before  # byte-identical: the half-written site never replaced it

    after = tea_variant(tmp_path / "after", "After")
    assert build(after, out, "--no-search").code == 0
    assert leftovers(out) == []
    assert b"After" in (out / "index.html").read_bytes()


@pytest.mark.parametrize(
    ("signum", "said"), [(signal.SIGINT, "stopped (Ctrl-C)"), (signal.SIGTERM, "stopped (SIGTERM)")]
)
def test_ctrl_c_or_sigterm_mid_write_keeps_previous_output_removes_its_folder_and_prints_no_traceback(
    tmp_path: Path, signum: int, said: str
) -> None:
    big, out, before = built_and_a_big_next(tmp_path, "Stopped")
    proc = start_build(big, out)
    try:
        wait_for_temp_files(out, proc, at_least=100)
        os.kill(proc.pid, signum)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signum, err  # as a shell reports a command the signal ended
    assert "Traceback" not in err and said in err, err
    assert snapshot(out) == before and leftovers(out) == []


def test_ctrl_c_as_the_workers_start_stops_a_parallel_build_at_once_with_no_traceback(tmp_path: Path) -> None:
    """A terminal's Ctrl-C reaches every process of the group: here, the moment the build has
    forked its workers to read the pages. It used to hang the build for good in 6 tries of 10
    (Pool.terminate waiting for a lock a worker it killed held, or for a task a worker that
    died of the Ctrl-C lost), or to print the workers' tracebacks."""
    source = tea_variant(tmp_path / "src", "Parallel", extra_pages=200)
    for attempt in range(5):
        out = tmp_path / f"out{attempt}"
        args = ["build", "--source", source, "--templates", TEMPLATES, "--out", out, "--no-search", "--no-cache"]
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), *map(str, [*args, "--jobs", "2"])],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal gives a command
        )
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 60
        while proc.poll() is None and not children.read_text().split() and time.monotonic() < deadline:
            time.sleep(0.001)
        os.killpg(proc.pid, signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=10)  # the workers too: they hold its output pipes
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
            pytest.fail(f"attempt {attempt}: the build or a worker still ran 10 s after Ctrl-C:\n{err}")
        assert proc.returncode == 130, err
        assert "Traceback" not in err and "stopped (Ctrl-C)" in err, err
        assert not out.exists() and leftovers(out) == []


def test_a_ctrl_c_that_a_library_swallows_still_stops_the_build(tmp_path: Path) -> None:
    """The Ctrl-C arrives while lxml's import swallows its KeyboardInterrupt (swallowed_ctrl_c.py):
    the build still stops, at its next stage, and writes nothing."""
    out = tmp_path / "out"
    args = ["build", "--source", TEA, "--templates", TEMPLATES, "--out", out, "--no-search"]
    proc = subprocess.run(
        [*SWALLOWED_CTRL_C, str(ROOT / "build.py"), *map(str, args)], capture_output=True, text=True, timeout=120
    )
    sent_at(proc.stderr)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr and "stopped (Ctrl-C)" in proc.stderr, proc.stderr
    assert not out.exists() and leftovers(out) == []


def test_sigkill_while_reusing_the_cached_tree_keeps_previous_output(tmp_path: Path) -> None:
    """With the build cache, a build starts from the tree the last swap replaced, whose files
    are hard links shared with the live output: killing it mid-write must still leave the
    live output byte-identical, and the next build must equal a clean one."""
    out = tmp_path / "out"
    first = tea_variant(tmp_path / "one", "One")
    second = tea_variant(tmp_path / "two", "One")  # same title: most pages stay, hard-linked
    evidence = second / "pages" / "evidence.md"
    evidence.write_text(evidence.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    for src in (first, second):
        assert build(src, out, "--no-search").code == 0
    before = snapshot(out)

    big = tea_variant(tmp_path / "big", "Killed", extra_pages=10, blobs=1500)  # every page changes
    kill_mid_write(out, start_build(big, out, cache=True))
    assert snapshot(out) == before

    final = tea_variant(tmp_path / "final", "Final", extra_pages=2)
    assert build(final, out, "--no-search").code == 0
    assert build(final, tmp_path / "clean", "--no-search", "--no-cache").code == 0
    assert snapshot(out) == snapshot(tmp_path / "clean")
    assert leftovers(out) == []


def test_build_killed_between_two_renames_gets_its_site_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The swap is two renames; a kill between them leaves the old site in an `.old-`
    folder, and the next build puts it back first."""
    out = tmp_path / "out"
    write_atomically(out, {"index.html": b"previous"}, {})
    before = snapshot(out)
    real_rename = os.rename

    def killed_after_first_rename(src: str | Path, dst: str | Path) -> None:
        if Path(src) == out.resolve():  # the first rename (out -> .old-); the process dies right after
            real_rename(src, dst)
            raise KeyboardInterrupt  # stands in for SIGKILL
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", killed_after_first_rename)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, {"index.html": b"next"}, {})
    monkeypatch.setattr(os, "rename", real_rename)
    assert not out.exists()  # the state a kill there leaves
    remove_leftovers(out)  # what the next build does first
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_readers_find_a_whole_file_of_one_site(tmp_path: Path) -> None:
    """Readers of the output during swaps find the previous site's file or the next one's,
    whole, never half written (at most, between the two renames of a swap, none for a moment)."""
    out = tmp_path / "out"
    sites = [
        {"index.html": letter * 20_000, **{f"p{i}/index.html": b"page" for i in range(5)}} for letter in (b"A", b"B")
    ]
    write_atomically(out, sites[0], {})
    stop = threading.Event()
    seen: set[bytes] = set()
    reads = [0]

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.add((out / "index.html").read_bytes())
            except FileNotFoundError:
                continue
            reads[0] += 1

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for k in range(60):
            write_atomically(out, sites[(k + 1) % 2], {})
    finally:
        stop.set()
        thread.join()
    assert reads[0] > 1000
    assert seen == {b"A" * 20_000, b"B" * 20_000}
    assert leftovers(out) == []


# --- concurrent builds --------------------------------------------------------------------------


def test_concurrent_builds_later_one_wins_with_a_complete_site(tmp_path: Path) -> None:
    slow = tea_variant(tmp_path / "slow", "Slow site", extra_pages=5, blobs=400)
    fast = tea_variant(tmp_path / "fast", "Fast site", extra_pages=2)
    refs = {name: tmp_path / f"ref-{name}" for name in ("slow", "fast")}
    for name, src in (("slow", slow), ("fast", fast)):
        assert build(src, refs[name], "--no-search").code == 0
    out = tmp_path / "out"
    assert build(fast, out, "--no-search").code == 0  # an earlier site to replace

    slow_proc = start_build(slow, out, cache=True)  # as editors run it: with the build cache
    try:
        wait_for_temp_files(out, slow_proc, at_least=20)  # the slow build is writing...
        os.kill(slow_proc.pid, signal.SIGSTOP)  # ...and stays mid-write while the other runs
        fast_proc = start_build(fast, out, cache=True)
        _, fast_err = fast_proc.communicate(timeout=60)
        assert fast_proc.returncode == 0, fast_err
        assert snapshot(out) == snapshot(refs["fast"])  # complete, whatever the slow one is doing
        os.kill(slow_proc.pid, signal.SIGCONT)
        _, slow_err = slow_proc.communicate(timeout=60)
        assert slow_proc.returncode == 0, slow_err
    finally:
        if slow_proc.poll() is None:
            os.kill(slow_proc.pid, signal.SIGCONT)
            slow_proc.kill()
            slow_proc.communicate()
    assert snapshot(out) == snapshot(refs["slow"])  # the later swap wins, whole
    assert leftovers(out) == []


def test_builds_started_together_leave_one_complete_site(tmp_path: Path) -> None:
    # Same title and pages, a few page texts differ: the cached builds hard-link most of
    # their files from the live output, which the others are swapping at the same time.
    sources = []
    for i in range(3):
        src = tea_variant(tmp_path / f"src-{i}", "Same site", extra_pages=12)
        for j in (i, i + 3):
            page = src / "pages" / f"extra-{j}.md"
            page.write_text(page.read_text(encoding="utf-8") + f"\nOnly in variant {i}.\n", encoding="utf-8")
        sources.append(src)
    refs = []
    for i, src in enumerate(sources):
        assert build(src, tmp_path / f"ref-{i}", "--no-search", "--no-cache").code == 0
        refs.append(snapshot(tmp_path / f"ref-{i}"))
    out = tmp_path / "out"
    for _ in range(3):
        procs = [start_build(src, out, cache=True) for src in sources]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        final = snapshot(out)
        assert any(final == ref for ref in refs), "the output mixes files of different builds"
        assert leftovers(out) == []


def test_a_stop_asked_for_while_the_output_is_written_swaps_nothing_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C whose KeyboardInterrupt a library swallowed while the files were written
    leaves only cancel.STOP set: the new output is not swapped in, nothing is left behind."""
    from explainer.cli import main as cli
    from explainer.core import cancel
    from explainer.output import write

    out = tmp_path / "out"
    first, second = tea_variant(tmp_path / "one", "One"), tea_variant(tmp_path / "two", "Two")
    args = ["build", "--out", str(out), "--no-search", "--templates", str(TEMPLATES), "--source"]
    assert cli.main([*args, str(first)]) == 0
    before = snapshot(out)
    real = write._write_files

    def swallowed_ctrl_c(*a: object, **k: object) -> None:
        real(*a, **k)
        cancel.STOP.set()  # what the signal handler does before its KeyboardInterrupt is lost

    monkeypatch.setattr(write, "_write_files", swallowed_ctrl_c)
    try:
        with pytest.raises(cancel.Cancelled):
            cli.main([*args, str(second)])
    finally:
        cancel.STOP.clear()
    assert snapshot(out) == before and leftovers(out) == []
