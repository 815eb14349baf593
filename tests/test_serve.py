"""The live preview: incremental rebuilds equal full builds; the server, driven by a real
Chromium, shows edits, templates and CSS at once, shows errors and recovers, refuses paths
outside its folder and stops cleanly."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, PATIENCE, ROOT, build, html_pages, run_cli
from playwright.sync_api import Browser, Page
from preview_server import Preview, Sources, copy_sources, free_port, start_preview, stop_preview
from swallowed_ctrl_c import SWALLOWED_CTRL_C, sent_at

from explainer.core.errors import BuildFailed, Diagnostics
from explainer.output.write import write_atomically
from explainer.serve.rebuild import Rebuilder
from explainer.serve.server import EventWatcher
from explainer.site.build import build_site

# --- the rebuild engine, without a server --------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def full_build(sources: Sources) -> dict[str, bytes]:
    """What a from-scratch build of the same sources writes."""
    out = sources.root / f"full-{uuid.uuid4().hex[:6]}"
    build = build_site(sources.options(out))
    write_atomically(out, build.files, build.statics)
    return tree(out)


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def assert_same_as_full_build(sources: Sources, out: Path) -> None:
    got, want = tree(out), full_build(sources)
    assert sorted(got) == sorted(want)
    differ = [p for p in want if got[p] != want[p]]
    assert not differ, f"incremental output differs from a full build in {differ}"


@pytest.fixture
def real_copy(tmp_path: Path) -> Sources:
    return copy_sources(tmp_path)


def test_incremental_rebuilds_redo_only_what_changed_and_equal_a_full_build(real_copy: Sources) -> None:
    s = real_copy
    out = s.root / "preview"
    rebuilder = Rebuilder(s.options(out))
    assert rebuilder.full().ok
    rebuilder.warm()
    claim_pages = {p for p in tree(out) if p.startswith("claims/") and p.count("/") == 2}
    assert len(claim_pages) > 5

    def step(path: Path, check: Callable[[list[str], list[str]], None]) -> None:
        outcome = rebuilder.update([path])
        assert outcome.ok, [str(e) for e in outcome.diags.errors]
        assert not outcome.full, outcome.reason
        check(outcome.rendered, outcome.written)
        assert_same_as_full_build(s, out)

    # A page's text: that page only.
    edit(s.src / "pages" / "study.md", "\n## ", "\nA sentence added in the preview.\n\n## ")
    step(s.src / "pages" / "study.md", lambda r, w: (r == w == ["study/index.html"]) or pytest.fail(f"{r} {w}"))
    # A page's title: the page and every output with the menu (not the CSS).
    edit(s.src / "pages" / "limits.md", "title: Limits", "title: Its limits")
    step(
        s.src / "pages" / "limits.md",
        lambda r, w: ("claims/weeks/index.html" in w and "static/verdicts.css" not in r) or pytest.fail(f"{r}"),
    )
    # A data file: only the outputs that read it (criteria: the method page's block).
    edit(s.src / "data" / "criteria.yaml", "reason: ", "reason: Edited. ")
    step(
        s.src / "data" / "criteria.yaml",
        lambda r, w: (w == ["method/index.html"] and not claim_pages & set(r)) or pytest.fail(f"{r} {w}"),
    )
    # A template: only the outputs that used it (claim.html: the claim pages).
    edit(s.tpl / "claim.html", "</article>", "<p>Template edited.</p>\n</article>")
    step(s.tpl / "claim.html", lambda r, w: (set(r) == set(w) == claim_pages) or pytest.fail(f"{r}"))
    # A block template used from Markdown (the tracking sees templates drawn inside Markdown).
    block = next(p for p in (s.tpl / "blocks").glob("*.html") if p.name == "limits.html")
    edit(block, "\n", "\n<!-- block edited -->\n")
    step(block, lambda r, w: ("limits/index.html" in w and not claim_pages & set(r)) or pytest.fail(f"{r}"))
    # A colour in verdicts.yaml: the generated stylesheet changes.
    edit(s.src / "data" / "verdicts.yaml", 'color: "#0b69c2"', 'color: "#0b69c3"')
    step(s.src / "data" / "verdicts.yaml", lambda r, w: ("static/verdicts.css" in w) or pytest.fail(f"{w}"))
    # A static file: copied, nothing rendered.
    css = s.tpl / "static" / "site.css"
    css.write_text(css.read_text() + "\n.preview-test { color: red; }\n")
    step(css, lambda r, w: (r == [] and w == ["static/site.css"]) or pytest.fail(f"{r} {w}"))


def test_structural_changes_fall_back_to_a_full_build(real_copy: Sources) -> None:
    s = real_copy
    out = s.root / "preview"
    rebuilder = Rebuilder(s.options(out))
    assert rebuilder.full().ok
    new_page = s.src / "pages" / "extra.md"
    new_page.write_text("---\ntitle: Extra\norder: 9\n---\nA new page.\n")
    outcome = rebuilder.update([new_page])
    assert outcome.ok and outcome.full and "added" in outcome.reason
    assert (out / "extra" / "index.html").is_file()
    assert_same_as_full_build(s, out)
    edit(s.src / "site.yaml", "title: ", "title: Renamed ")
    outcome = rebuilder.update([s.src / "site.yaml"])
    assert outcome.ok and outcome.full and "site.yaml" in outcome.reason
    assert_same_as_full_build(s, out)


def test_citing_a_new_source_updates_the_bibliography(tmp_path: Path) -> None:
    s = copy_sources(tmp_path, FIXTURES / "tea")
    out = tmp_path / "preview"
    rebuilder = Rebuilder(s.options(out))
    assert rebuilder.full().ok
    sources = s.src / "data" / "sources.yaml"
    sources.write_text(
        sources.read_text()
        + '- id: extra\n  kind: review\n  authors: "X Y"\n  title: "An extra review"\n'
        + '  venue: "J Extra"\n  year: 2022\n  note: "Added in a test."\n'
    )
    outcome = rebuilder.update([sources])
    assert outcome.ok and not outcome.full
    assert any("never cited" in str(w) for w in outcome.diags.warnings)
    assert b"An extra review" not in (out / "sources" / "index.html").read_bytes()
    page = edit(s.src / "pages" / "evidence.md", "[@trial; @news]", "[@trial; @news; @extra]")
    outcome = rebuilder.update([page])
    assert outcome.ok and not outcome.full
    assert "sources/index.html" in outcome.written and "evidence/index.html" in outcome.written
    assert b"An extra review" in (out / "sources" / "index.html").read_bytes()
    assert_same_as_full_build(s, out)


def test_an_error_keeps_the_last_good_site_and_pending_edits_survive_it(real_copy: Sources) -> None:
    s = real_copy
    out = s.root / "preview"
    rebuilder = Rebuilder(s.options(out))
    assert rebuilder.full().ok
    before = tree(out)
    study = edit(s.src / "pages" / "study.md", "title: The study", "title: [The study")
    outcome = rebuilder.update([study])
    assert not outcome.ok
    [error] = outcome.diags.errors
    assert error.location.path.name == "study.md" and 2 <= error.location.line <= 4  # in the front matter
    assert tree(out) == before
    # Another page is edited while study.md is still broken: nothing is written...
    limits = edit(s.src / "pages" / "limits.md", "\n## ", "\nEdited while another page was broken.\n\n## ")
    assert not rebuilder.update([limits]).ok
    assert tree(out) == before
    # ...and once study.md is fixed, both edits are in.
    edit(study, "title: [The study", "title: The study")
    outcome = rebuilder.update([study])
    assert outcome.ok and not outcome.full
    assert b"Edited while another page was broken." in (out / "limits" / "index.html").read_bytes()
    assert_same_as_full_build(s, out)


def test_a_burst_of_saves_gives_one_rebuild(tmp_path: Path) -> None:
    watched = tmp_path / "watched"
    watched.mkdir()
    calls: list[list[str]] = []
    done = threading.Event()

    def task(paths: list[str]) -> list[str]:
        calls.append(paths)
        done.set()
        return []

    watcher = EventWatcher()
    watcher.watch(str(watched), task)
    watcher.start(lambda: None)
    try:
        started = time.monotonic()
        for i in range(5):  # an editor's "save all"
            (watched / f"page{i}.md").write_text(f"page {i}\n")
        assert done.wait(PATIENCE)
        reacted = time.monotonic() - started
        time.sleep(0.5)  # any late second rebuild would have come by now
        assert len(calls) == 1
        assert {Path(p).name for p in calls[0]} == {f"page{i}.md" for i in range(5)}
        assert reacted < 0.5, f"file events took {reacted:.2f} s to trigger a rebuild"
        done.clear()
        (watched / "page0.md").write_text("again\n")  # a later save is a new batch
        assert done.wait(PATIENCE)
        assert len(calls) == 2
    finally:
        watcher.stop(time.monotonic() + PATIENCE)


def test_published_build_has_no_reload_script_and_keeps_its_csp(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(FIXTURES / "tea", out, "--no-search").code == 0
    for page in html_pages(out):
        html = page.read_text(encoding="utf-8")
        assert "livereload" not in html, page
        assert 'http-equiv="Content-Security-Policy"' in html, page


def test_a_port_in_use_is_a_clear_usage_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--source", FIXTURES / "tea", "--port", str(port), cwd=tmp_path, timeout=PATIENCE)
    assert result.code == 2
    assert f"port {port} is already in use" in result.err and "--port" in result.err
    assert "Traceback" not in result.err


def test_a_missing_source_folder_is_a_located_error_not_a_server(tmp_path: Path) -> None:
    env_tmp = tmp_path / "tmp"
    env_tmp.mkdir()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", "--source", "nowhere", "--port", str(free_port())],
        cwd=tmp_path,
        env=dict(os.environ, TMPDIR=str(env_tmp)),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 1
    assert "nowhere:1:1: error: source folder not found" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(env_tmp.iterdir()) == []


# --- the server: one preview per module (`preview` in conftest.py; tests/preview_server.py) ---


@pytest.fixture
def tab(browser: Browser, preview: Preview) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    # livereload.js fires this once its WebSocket is up and the server knows the page.
    page.add_init_script("document.addEventListener('LiveReloadConnect', () => { window.__reloadReady = true; });")
    yield page
    context.close()


def open_live(tab: Page, url: str) -> None:
    tab.goto(url)
    tab.wait_for_function("window.__reloadReady === true", timeout=PATIENCE * 1000)


@pytest.mark.browser
def test_markdown_edit_appears_in_place_without_a_reload(preview: Preview, tab: Page) -> None:
    """The page shown is updated in place (serve/swap.js): what the page holds survives (a
    window property, the scroll position, the site's script's work on what did not change)."""
    open_live(tab, preview.url + "study/")
    tab.evaluate("window.__samePage = 'still the same page'")
    tab.evaluate("window.scrollTo(0, 600)")
    enhanced = tab.locator("article .cite-item").count()  # citations site.js gave a card
    assert enhanced > 0
    page_md = preview.sources.src / "pages" / "study.md"
    original = page_md.read_text(encoding="utf-8")
    words = f"Freshly typed words {uuid.uuid4().hex[:8]}"
    try:
        edit(page_md, "\n## ", f"\n{words}.\n\n## ")
        tab.get_by_text(words).wait_for(timeout=PATIENCE * 1000)
        assert tab.url == preview.url + "study/"
        assert tab.evaluate("window.__samePage") == "still the same page"
        assert tab.evaluate("window.scrollY") == 600
        assert tab.locator("article .cite-item").count() == enhanced
        # Two paragraphs far apart changed in one save: each is put in on its own, so the
        # citations' cards between them stay.
        text = page_md.read_text(encoding="utf-8")
        one, two = f"here {uuid.uuid4().hex[:8]}", f"there {uuid.uuid4().hex[:8]}"
        text = text.replace("The study was done by", f"The study was done ({one}) by", 1)
        page_md.write_text(text.replace("The authors read the", f"The authors ({two}) read the", 1), encoding="utf-8")
        tab.get_by_text(two).wait_for(state="attached", timeout=PATIENCE * 1000)  # in a folded section
        assert tab.get_by_text(one).count() == 1
        assert tab.evaluate("window.__samePage") == "still the same page"
        assert tab.locator("article .cite-item").count() == enhanced
    finally:
        page_md.write_text(original, encoding="utf-8")
        preview.wait_until_served("/study/", lambda body: words.encode() not in body)
    tab.get_by_text(words).wait_for(state="detached", timeout=PATIENCE * 1000)
    assert tab.evaluate("window.__samePage") == "still the same page"


@pytest.mark.browser
def test_a_changed_head_reloads_the_page(preview: Preview, tab: Page) -> None:
    open_live(tab, preview.url + "study/")
    tab.evaluate("window.__samePage = 'still the same page'")
    template = preview.sources.tpl / "base.html"
    original = template.read_text(encoding="utf-8")
    try:
        edit(template, "</head>", '<meta name="preview-test" content="head edited">\n</head>')
        tab.locator("meta[name=preview-test]").wait_for(state="attached", timeout=PATIENCE * 1000)
        assert tab.evaluate("window.__samePage") is None  # a new page: the reload loaded it
    finally:
        template.write_text(original, encoding="utf-8")
        preview.wait_until_served("/study/", lambda body: b"preview-test" not in body)


@pytest.mark.browser
def test_template_edit_appears(preview: Preview, tab: Page) -> None:
    open_live(tab, preview.url + "limits/")
    template = preview.sources.tpl / "page.html"
    original = template.read_text(encoding="utf-8")
    try:
        edit(template, "</article>", '<p id="template-edit">Added by a template edit.</p>\n</article>')
        tab.locator("#template-edit").wait_for(timeout=PATIENCE * 1000)
        assert tab.locator("#template-edit").inner_text() == "Added by a template edit."
    finally:
        template.write_text(original, encoding="utf-8")
        preview.wait_until_served("/limits/", lambda body: b"template-edit" not in body)


@pytest.mark.browser
def test_css_edit_applies_without_a_full_page_reload(preview: Preview, tab: Page) -> None:
    open_live(tab, preview.url + "study/")
    tab.evaluate("window.__marker = 'still the same page'")
    border = "getComputedStyle(document.body).borderTopColor"
    assert tab.evaluate(border) != "rgb(1, 2, 3)"
    css = preview.sources.tpl / "static" / "site.css"
    original = css.read_text(encoding="utf-8")
    try:
        css.write_text(original + "\nbody { border-top: 3px solid rgb(1, 2, 3); }\n", encoding="utf-8")
        tab.wait_for_function(f"{border} === 'rgb(1, 2, 3)'", timeout=PATIENCE * 1000)
        assert tab.evaluate("window.__marker") == "still the same page"
    finally:
        css.write_text(original, encoding="utf-8")
        preview.wait_until_served("/static/site.css", lambda body: b"rgb(1, 2, 3)" not in body)


@pytest.mark.browser
def test_broken_front_matter_shows_an_error_page_then_recovers(preview: Preview, tab: Page) -> None:
    open_live(tab, preview.url + "study/")
    page_md = preview.sources.src / "pages" / "study.md"
    original = page_md.read_text(encoding="utf-8")
    try:
        edit(page_md, "title: The study", "title: [The study")
        errors = tab.locator("#build-errors li")
        errors.first.wait_for(timeout=PATIENCE * 1000)
        # The same file:line:col as `build` reports for these sources.
        with pytest.raises(BuildFailed) as failed:
            build_site(preview.sources.options(preview.sources.root / "check"))
        [error] = failed.value.diagnostics.errors
        where = f"study.md:{error.location.line}:{error.location.col}: {error.message}"
        assert where in errors.first.inner_text()
        assert errors.count() == 1
        # Other files are still served from the last good build meanwhile.
        assert preview.get("/static/site.css")[0] == 200
    finally:
        page_md.write_text(original, encoding="utf-8")
    tab.locator("article h1").wait_for(timeout=PATIENCE * 1000)
    assert tab.locator("article h1").inner_text() == "The study"
    assert tab.locator("#build-errors").count() == 0


def test_paths_outside_the_output_folder_are_refused(preview: Preview) -> None:
    secret = preview.tmpdir / "secret.txt"  # beside the preview's temp folder
    secret.write_text("not for the browser")
    (preview.sources.root / "pyproject.toml").write_text("[project]\nname = 'secret'\n")
    for path in (
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E/%2e%2e/%2e%2e/pyproject.toml",
        "/..%2f..%2fsecret.txt",
        "/../../secret.txt",
        "/static/../../../secret.txt",
        "//etc/passwd",
    ):
        status, body = preview.get(path)
        assert status == 403, (path, status)
        assert b"not for the browser" not in body and b"secret" not in body, path
    assert preview.get("/static/site.css")[0] == 200


def test_only_the_preview_s_own_pages_may_listen_for_reloads(preview: Preview) -> None:
    host = preview.url.split("/")[2]

    def handshake(origin: str) -> int:
        conn = http.client.HTTPConnection(host, timeout=PATIENCE)
        try:
            conn.request(
                "GET",
                "/livereload",
                headers={
                    "Upgrade": "websocket",
                    "Connection": "Upgrade",
                    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version": "13",
                    "Origin": origin,
                },
            )
            return conn.getresponse().status
        finally:
            conn.close()

    assert handshake(f"http://{host}") == 101
    assert handshake("https://another-site.example") == 403


def test_the_reload_script_is_added_only_to_served_preview_pages(preview: Preview) -> None:
    status, body = preview.get("/study/")
    assert status == 200 and b"livereload.js" in body
    assert b"Content-Security-Policy" not in body  # the preview build drops it for the script
    on_disk = next(preview.tmpdir.glob("explainer-preview-*")) / "site" / "study" / "index.html"
    assert b"livereload" not in on_disk.read_bytes()


def test_public_host_warns_and_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    running = start_preview(tmp_path, "--host", "0.0.0.0")
    assert list(running.tmpdir.glob("explainer-preview-*"))
    code, err = stop_preview(running)
    assert code == 130  # as a shell reports a command Ctrl-C ended
    assert "warning: --host 0.0.0.0" in err
    assert "Traceback" not in err
    assert list(running.tmpdir.iterdir()) == [], "the preview left files in its temp folder"


def test_printing_a_fact_updates_the_facts_page_and_a_made_up_number_warns(tmp_path: Path) -> None:
    """Issue 11: the Facts page lists where each fact is printed, in the preview too; the
    preview reports an untraced number as the build does."""
    s = copy_sources(tmp_path, FIXTURES / "tea")
    out = tmp_path / "preview"
    rebuilder = Rebuilder(s.options(out))
    assert rebuilder.full().ok

    def uses() -> list[str]:
        page = BeautifulSoup((out / "facts" / "index.html").read_text(encoding="utf-8"), "html.parser")
        return [a["href"] for a in page.select("#fact-recall-p .fact-uses a")]

    assert uses() == []
    page = edit(
        s.src / "pages" / "evidence.md", "Catechin is the tea compound studied.", "Recall rose [[fact:recall-p]]."
    )
    outcome = rebuilder.update([page])
    assert outcome.ok and not outcome.full
    assert "facts/index.html" in outcome.written and "evidence/index.html" in outcome.written
    assert uses() == ["../evidence/"]
    assert_same_as_full_build(s, out)
    edit(page, "Recall rose [[fact:recall-p]].", "Recall rose by 37%.")
    outcome = rebuilder.update([page])
    assert outcome.ok
    assert [w.message[:31] for w in outcome.diags.warnings] == ["number not traced to a fact: 37"]
    assert uses() == []
    assert_same_as_full_build(s, out)


def findings(diags: Diagnostics) -> list[str]:
    return [str(e) for e in diags.sorted()]


def test_the_preview_s_findings_equal_a_full_build_s_after_each_edit(tmp_path: Path) -> None:
    """The prose checks of a page or of the data are redone only when what they read changed
    (site/check.py): a number a data edit leaves untraced is found on a page that was not
    edited, and found no more once the data is fixed, with or without --strict."""
    s = copy_sources(tmp_path, FIXTURES / "tea")
    evidence, index, facts = (s.src / name for name in ("pages/evidence.md", "pages/index.md", "data/facts.yaml"))
    edit(evidence, "Catechin is", "Recall rose by 12% [@trial]. Catechin is")  # traced: a value of trial's fact
    lax, strict = Rebuilder(s.options(tmp_path / "lax")), Rebuilder(replace(s.options(tmp_path / "st"), strict=True))
    assert lax.full().ok and strict.full().ok

    def same_as_full_build(*untraced_at: str) -> None:
        outcome = lax.update([changed])
        assert outcome.ok and not outcome.full, outcome.reason
        assert findings(outcome.diags) == findings(build_site(s.options(tmp_path / "full")).diags)
        untraced = [w.split("/")[-1].split(": warning")[0] for w in findings(outcome.diags) if "not traced" in w]
        assert untraced == list(untraced_at)
        outcome = strict.update([changed])  # each untraced number an error, as build --strict has it
        with pytest.raises(BuildFailed) if untraced_at else contextlib.nullcontext() as failed:
            want = build_site(replace(s.options(tmp_path / "full"), strict=True)).diags
        assert outcome.ok is (failed is None)
        assert findings(outcome.diags) == findings(failed.value.diagnostics if failed else want)

    changed = edit(index, "A small trial", "A small trial of 77 people")  # an untraced number on one page
    same_as_full_build("index.md:6:18")
    twelve, thirteen = 'says: "12%"\n  numbers:\n    - {value: 12,', 'says: "13%"\n  numbers:\n    - {value: 13,'
    changed = edit(facts, twelve, thirteen)  # evidence.md's 12% is untraced now
    same_as_full_build("evidence.md:7:62", "index.md:6:18")
    changed = edit(facts, thirteen, twelve)
    same_as_full_build("index.md:6:18")
    changed = edit(index, "A small trial of 77 people", "A small trial")
    same_as_full_build()


STOP_WITHIN = 2.0  # seconds from Ctrl-C to the process gone, whatever the preview is doing
SWALLOWED = "a Ctrl-C that lxml's import swallows"


def _stopped(proc: subprocess.Popen[str], by_itself: bool = False) -> tuple[float, str]:
    """Seconds from the Ctrl-C (sent now, or by the preview itself: swallowed_ctrl_c.py) to the
    process gone, and what it printed. A preview still running long after is ended: a failure."""
    sent = time.monotonic()
    if not by_itself:
        proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=5 * STOP_WITHIN)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"the preview was still running {5 * STOP_WITHIN:.0f} s after Ctrl-C:\n{err}")
    return time.monotonic() - (sent_at(err) if by_itself else sent), err


@pytest.mark.parametrize("busy_with", ["the first build", SWALLOWED, "a full rebuild", "the search index"])
def test_ctrl_c_stops_the_preview_within_two_seconds_whatever_it_is_doing(tmp_path: Path, busy_with: str) -> None:
    """Issue 18: the preview stops within 2 s of Ctrl-C, leaving its temp folder removed, even
    in the middle of a build of the real site or of a Pagefind run, and even when the
    KeyboardInterrupt is lost in a library (swallowed_ctrl_c.py: seen in the first build)."""
    if busy_with in ("the first build", SWALLOWED):
        sources = copy_sources(tmp_path)
        (tmp_path / "tmp").mkdir()
        env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"), PYTHONUNBUFFERED="1")
        cmd = [*(SWALLOWED_CTRL_C if busy_with == SWALLOWED else [sys.executable]), str(ROOT / "build.py")]
        proc = subprocess.Popen(
            [*cmd, "serve", "--source", "src", "--templates", "tpl", "--port", str(free_port())],
            cwd=tmp_path,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        tmpdir = tmp_path / "tmp"
        assert sources.src.is_dir()
        if busy_with == SWALLOWED:  # the preview sends itself the Ctrl-C
            elapsed, err = _stopped(proc, by_itself=True)
        else:
            deadline = time.monotonic() + PATIENCE
            while not list(tmpdir.glob("explainer-preview-*")) and time.monotonic() < deadline:
                time.sleep(0.02)  # the temp folder exists: the first build has begun
    else:
        running = start_preview(tmp_path, search=busy_with == "the search index")
        proc, tmpdir = running.proc, running.tmpdir
        if busy_with == "a full rebuild":
            config = running.sources.src / "site.yaml"  # site.yaml changed: everything is rebuilt
            config.write_text(config.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
            time.sleep(0.3)  # past the 15 ms quiet time: the rebuild (seconds long) has begun
        else:
            time.sleep(1.2)  # the index is refreshed one second after the first good build
    if busy_with != SWALLOWED:
        assert proc.poll() is None, "the preview stopped before it was asked to"
        elapsed, err = _stopped(proc)
    assert elapsed < STOP_WITHIN, f"stopping took {elapsed:.2f} s during {busy_with}"
    assert "Traceback" not in err and "preview stopped" in err, err
    assert proc.returncode == 130, err  # as a shell reports a command Ctrl-C ended
    assert list(tmpdir.iterdir()) == [], "the preview left files in its temp folder"


def test_an_emptied_kind_leaves_the_menu_everywhere(tmp_path: Path) -> None:
    """The menu lists the glossary only when there are terms: emptying it changes the menu
    of every output with one, not only of the outputs that read the glossary."""
    s = copy_sources(tmp_path, FIXTURES / "tea")
    out = tmp_path / "preview"
    rebuilder = Rebuilder(s.options(out))
    assert rebuilder.full().ok
    assert b">Glossary<" in (out / "sources" / "index.html").read_bytes()
    glossary = s.src / "data" / "glossary.yaml"
    glossary.write_text("[]\n", encoding="utf-8")
    outcome = rebuilder.update([glossary])
    assert outcome.ok and not outcome.full, outcome.reason
    assert b">Glossary<" not in (out / "sources" / "index.html").read_bytes()
    assert_same_as_full_build(s, out)
