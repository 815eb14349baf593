"""The published site runs only its own code and loads nothing from other origins.

Checked on the real site build (with the Pagefind search bundle): a Content-Security-Policy
on every page that allows only the site's own origin (plus 'wasm-unsafe-eval', which
Pagefind's WebAssembly needs); no inline event handlers or inline script (JSON-LD data
blocks aside, which CSP does not run); no URL of another origin that a browser would fetch,
in any HTML, CSS, JS or SVG file; and source links over https wherever a checked https
address exists. A real Chromium then confirms the policy blocks nothing the site needs and
that no page asks another origin for anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import SITE_SRC, html_pages, soup

CSP_ALLOWED_SOURCES = {"'self'", "'none'", "'wasm-unsafe-eval'", "data:"}
CSP_REQUIRED = {
    "default-src": {"'self'"},
    "script-src": {"'self'", "'wasm-unsafe-eval'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
}


def parse_csp(policy: str) -> dict[str, set[str]]:
    directives: dict[str, set[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = set(words[1:])
    return directives


def csp_of(page: BeautifulSoup) -> str | None:
    metas = page.select('head meta[http-equiv="Content-Security-Policy" i]')
    return metas[0]["content"] if len(metas) == 1 else None


def csp_problems(policy: str | None) -> list[str]:
    if policy is None:
        return ["no Content-Security-Policy meta (or more than one)"]
    directives = parse_csp(policy)
    problems = []
    for name, sources in directives.items():
        extra = sources - CSP_ALLOWED_SOURCES
        if extra:
            problems.append(f"{name} allows {sorted(extra)}")
    for name, wanted in CSP_REQUIRED.items():
        if directives.get(name) != wanted:
            problems.append(f"{name} is {sorted(directives.get(name, []))}, want {sorted(wanted)}")
    return problems


def test_csp_checker_catches_loose_policies() -> None:
    assert (
        csp_problems("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'")
        == []
    )
    assert csp_problems(None)
    for loose in (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; object-src 'none'",
        "default-src 'self' https://cdn.example; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
        "default-src *; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'self'; object-src 'none'",
    ):
        assert csp_problems(loose), loose


def test_every_page_has_a_strict_csp_before_anything_it_loads(real_site: Path) -> None:
    pages = html_pages(real_site)
    assert len(pages) >= 15
    for path in pages:
        page = soup(path)
        assert csp_problems(csp_of(page)) == [], path
        # A meta CSP governs only what comes after it in the document.
        head = list(page.head.find_all(True))
        csp_index = next(
            i for i, el in enumerate(head) if el.get("http-equiv", "").lower() == "content-security-policy"
        )
        loaders = [i for i, el in enumerate(head) if el.name in ("link", "script", "style", "base")]
        assert all(i > csp_index for i in loaders), path


def test_no_inline_handlers_scripts_styles_or_script_urls(real_site: Path) -> None:
    for path in html_pages(real_site):
        page = soup(path)
        for el in page.find_all(True):
            handlers = [a for a in el.attrs if a.lower().startswith("on")]
            assert not handlers, (path, el.name, handlers)
            # The CSP (style-src 'self') would silently drop inline styles: none may exist.
            assert "style" not in el.attrs, (path, el.name)
            for attr in ("href", "src", "action", "formaction", "xlink:href", "data"):
                value = re.sub(r"[\s\x00-\x1f]", "", str(el.get(attr, ""))).lower()
                assert not value.startswith(("javascript:", "vbscript:", "data:text/html")), (path, attr, value)
        assert not page.find_all("style"), path
        for script in page.find_all("script"):
            if script.get("src"):
                assert not script.string or not script.string.strip(), path
                continue
            # Inline script is allowed only as data CSP does not execute: JSON-LD.
            assert script.get("type") == "application/ld+json", (path, str(script)[:120])
            json.loads(script.string or "")


def test_published_build_has_no_preview_reload_script(real_site: Path) -> None:
    for path in html_pages(real_site):
        text = path.read_text(encoding="utf-8")
        assert "livereload" not in text.lower(), path
        assert "35729" not in text, path  # livereload's port


# --- no URL of another origin anywhere a browser would fetch it ----------------------------

CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE | re.DOTALL)
JS_FETCH_RE = re.compile(
    r"""(?:\bimport\s*\(|\bimportScripts\s*\(|\bWorker\s*\(|\bfetch\s*\(|\bsendBeacon\s*\(|\bEventSource\s*\("""
    r"""|\bWebSocket\s*\(|\bfrom\s*|\bimport\s+)\s*(["'`])((?:https?:|wss?:)?//[^"'`]*)\1"""
)
FETCHED_ATTRS = {
    # element -> attributes a browser fetches (or navigates a frame to) without a click
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "form": ("action",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}
# <link rel=...> that are fetched (stylesheet, icon, preload, manifest, ...); canonical and
# alternate only name the page's address.
LINK_NOT_FETCHED = {"canonical", "alternate", "author", "license", "help", "search", "next", "prev"}


def other_origin(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = urlparse(url).scheme.lower()
    return scheme not in ("", "data", "blob")  # http, https, ws, ftp, ...


def css_other_origin_urls(text: str) -> list[str]:
    found = []
    for m in CSS_URL_RE.finditer(text):
        url = m.group(2) if m.group(2) is not None else m.group(4)
        if url and other_origin(url):
            found.append(url)
    return found


def js_other_origin_urls(text: str) -> list[str]:
    return [m.group(2) for m in JS_FETCH_RE.finditer(text)]


def html_other_origin_urls(page: BeautifulSoup) -> list[str]:
    found = []
    for el in page.find_all(True):
        attrs = list(FETCHED_ATTRS.get(el.name.lower(), ()))
        if el.name == "link" and not set(el.get("rel", [])) & LINK_NOT_FETCHED:
            attrs.append("href")
        if el.name == "meta" and el.get("http-equiv", "").lower() == "refresh":
            attrs.append("content")
        for attr in attrs:
            value = el.get(attr)
            if not value:
                continue
            urls = [part.split()[0] for part in value.split(",") if part.strip()] if attr == "srcset" else [value]
            if attr == "content":
                urls = [value.split("url=", 1)[-1]]
            found += [u for u in urls if other_origin(u)]
        if el.get("style"):
            found += css_other_origin_urls(el["style"])
    for style in page.find_all("style"):
        found += css_other_origin_urls(style.get_text())
    return found


def test_scanners_find_other_origins() -> None:
    """The scanners below must be able to fail, or the site test proves nothing."""
    assert css_other_origin_urls("a{background:url( 'https://cdn.example/x.png' )}") == ["https://cdn.example/x.png"]
    assert css_other_origin_urls('@import "//fonts.example/css";') == ["//fonts.example/css"]
    assert (
        css_other_origin_urls("a{background:url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>\")}")
        == []
    )
    assert css_other_origin_urls("a{background:url(../img/x.png)}") == []
    assert js_other_origin_urls('import x from "https://cdn.example/m.js"; fetch(`//api.example/q`)') == [
        "https://cdn.example/m.js",
        "//api.example/q",
    ]
    assert js_other_origin_urls('const u = new URL(`https://example.com${path}`); import("./x.js")') == []
    page = BeautifulSoup(
        '<link rel="stylesheet" href="https://cdn.example/a.css"><link rel="canonical" href="https://me.example/">'
        '<img src="x.png" srcset="y.png 1x, https://cdn.example/z.png 2x"><svg><use href="https://e.example/s.svg#i"/>'
        '</svg><a href="https://elsewhere.example/">fine</a><p style="background:url(http://t.example/p)">',
        "html5lib",
    )
    assert html_other_origin_urls(page) == [
        "https://cdn.example/a.css",
        "https://cdn.example/z.png",
        "https://e.example/s.svg#i",
        "http://t.example/p",
    ]


def test_no_file_fetches_from_another_origin(real_site: Path) -> None:
    counts = {".html": 0, ".css": 0, ".js": 0, ".svg": 0}
    problems = []
    files = sorted(p for p in real_site.rglob("*") if p.suffix.lower() in counts and p.is_file())
    assert files, f"no files under {real_site}"
    for path in files:
        suffix = path.suffix.lower()
        counts[suffix] += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(real_site).as_posix()
        if suffix == ".html":
            problems += [(rel, u) for u in html_other_origin_urls(BeautifulSoup(text, "html5lib"))]
        elif suffix == ".css":
            problems += [(rel, u) for u in css_other_origin_urls(text)]
        elif suffix == ".js":
            problems += [(rel, u) for u in js_other_origin_urls(text)]
        else:  # SVG is XML: its href/xlink:href and style url() fetch like HTML's
            problems += [(rel, u) for u in html_other_origin_urls(BeautifulSoup(text, "html.parser"))]
    assert problems == []
    # The scan must have seen the theme, the search bundle and the icons.
    assert counts[".html"] >= 15 and counts[".css"] >= 2 and counts[".js"] >= 2 and counts[".svg"] >= 1, counts
    assert (real_site / "pagefind").is_dir()


# --- links to sources: https wherever a checked https address exists ------------------------


def source_addresses() -> dict[str, str]:
    """Source id -> the one address sources.yaml gives it: its DOI link (https) or else its url."""
    addresses = {}
    for source in yaml.safe_load((SITE_SRC / "data" / "sources.yaml").read_text(encoding="utf-8")):
        if source.get("doi"):
            addresses[source["id"]] = f"https://doi.org/{source['doi']}"
        elif source.get("url"):
            addresses[source["id"]] = source["url"]
    return addresses


def test_source_links_use_https_where_a_checked_https_url_exists(real_site: Path) -> None:
    """A source's DOI (https) wins over a plain http page; http only where it is all there is."""
    addresses = source_addresses()
    assert len(addresses) >= 10  # the project's own sources were read
    sources = {s["id"]: s for s in yaml.safe_load((SITE_SRC / "data" / "sources.yaml").read_text(encoding="utf-8"))}
    bib = soup(real_site / "sources" / "index.html")
    https_linked = 0
    for li in bib.select("li[id^=src-]"):
        source_id = li["id"].removeprefix("src-")
        link = li.select_one("a.source-link")
        if link is None:
            assert source_id not in addresses, source_id  # a known address is always linked
            continue
        href = link["href"]
        assert href == addresses[source_id], (source_id, href)
        if href.startswith("https://"):
            https_linked += 1
        else:
            # Plain http only where the source has no DOI and its only address is http.
            assert href.startswith("http://") and not sources[source_id].get("doi"), (source_id, href)
    assert https_linked >= 5
    # Every other <a> to another origin anywhere in the site is https, or one of those sources' http links.
    http_ok = {u for u in addresses.values() if u.startswith("http://")}
    for path in html_pages(real_site):
        for a in soup(path).select("a[href]"):
            if a["href"].startswith("http://"):
                assert a["href"] in http_ok, (path, a["href"])


# --- a real browser: the policy blocks nothing the site uses, and nothing leaves the origin ---


@pytest.mark.browser
def test_browser_sees_no_csp_violation_and_no_other_origin_request(real_site: Path, served, browser) -> None:
    """The site served under its base_url's path (the 404 page links from there)."""
    served_site = served.root
    urls = [served.url(p) for p in html_pages(real_site)]
    origin = urlparse(served_site).netloc
    context = browser.new_context()
    try:
        foreign: list[str] = []
        failed: list[str] = []
        context.on(
            "request",
            lambda r: (
                foreign.append(r.url)
                if urlparse(r.url).scheme in ("http", "https", "ws", "wss") and urlparse(r.url).netloc != origin
                else None
            ),
        )
        # ERR_ABORTED: a favicon still loading when the test moves to the next page.
        context.on(
            "requestfailed",
            lambda r: failed.append(f"{r.url} {r.failure}") if "ERR_ABORTED" not in str(r.failure) else None,
        )
        # Record violations from the first moment of every document.
        context.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        for url in urls:
            page.goto(url, wait_until="load")
            assert page.evaluate("window.__csp") == [], url
            # The site's own script ran under the policy (it is the only script tag).
            assert page.evaluate("document.querySelectorAll('script[src]').length") >= 1
        # Pagefind's script and WebAssembly run under the policy (it allows 'wasm-unsafe-eval', nothing looser).
        page.goto(served_site, wait_until="load")
        hits = page.evaluate(
            """async () => {
                const pagefind = await import('./pagefind/pagefind.js');
                await pagefind.init();
                const search = await pagefind.search('mice');
                return search.results.length;
            }"""
        )
        assert hits > 0
        assert page.evaluate("window.__csp") == []
        assert console == []
        assert foreign == []
        assert failed == []
    finally:
        context.close()
