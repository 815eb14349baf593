"""Screenshots of the real site, for the README and for checking the look.

Builds site_src/ into a temporary folder, serves it on 127.0.0.1 under its base path, and
writes with the machine's Chromium (viewport only, so the files stay small):

  docs/screenshots/{home,claim,claims,limits,study,people}-{desktop,360}-{light,dark}.png
  site_src/static/share.png   the 1200x630 share card (og:image) of this site
  templates/static/share.png  the theme's neutral card, for sites without their own

Run it again whenever the look changes:  python scripts/screenshots.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from site_server import base_path, launch_chromium, serve  # noqa: E402 - after the path is set

SITE_SRC = ROOT / "site_src"
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1280, 800), "360": (360, 780)}
SCHEMES = ("light", "dark")


def pages() -> dict[str, str]:
    """Name -> address below the site root: the home page, the first claim, the claims by
    verdict, the limits matrix, the study page and the people page."""
    claims = yaml.safe_load((SITE_SRC / "data" / "claims.yaml").read_text(encoding="utf-8"))
    return {
        "home": "",
        "claim": f"claims/{claims[0]['id']}/",
        "claims": "claims/",
        "limits": "limits/",
        "study": "study/",
        "people": "people/",
    }


def build(out: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--out", str(out)], check=True, cwd=ROOT)


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")


def screenshots(browser, root: str) -> list[Path]:  # type: ignore[no-untyped-def]
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for name, address in pages().items():
        for size, (width, height) in SIZES.items():
            for scheme in SCHEMES:
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                page = context.new_page()
                page.goto(root + address)
                settle(page)
                target = OUT / f"{name}-{size}-{scheme}.png"
                page.screenshot(path=str(target))
                written.append(target)
                context.close()
    return written


CARD_SCRIPT = """
([title, line, footer]) => {
  // Built with DOM calls and CSSOM styles: the page's Content-Security-Policy forbids style attributes.
  const card = document.createElement("div");
  const set = (el, styles) => { for (const [k, v] of Object.entries(styles)) el.style.setProperty(k, v); return el; };
  set(card, {position: "fixed", inset: "0", background: "#0b57a4", color: "#fff", display: "flex",
    "flex-direction": "column", "justify-content": "center", padding: "70px 80px", gap: "28px",
    "font-family": getComputedStyle(document.body).fontFamily, "z-index": "100"});
  const logo = document.createElement("img");
  logo.src = document.querySelector("link[rel=icon]").href;
  set(logo, {width: "96px", height: "96px", border: "3px solid #fff", "border-radius": "16px"});
  const heading = set(document.createElement("p"),
    {margin: "0", "font-size": "68px", "font-weight": "700", "line-height": "1.1"});
  heading.textContent = title;
  const text = set(document.createElement("p"),
    {margin: "0", "font-size": "32px", "line-height": "1.35", "max-width": "30em"});
  text.textContent = line;
  const small = set(document.createElement("p"), {margin: "0", "font-size": "24px", opacity: "0.9"});
  small.textContent = footer;
  card.append(logo, heading);
  if (line) card.append(text);
  if (footer) card.append(small);
  document.body.append(card);
}
"""


def share_cards(browser, root: str) -> None:  # type: ignore[no-untyped-def]
    site = yaml.safe_load((SITE_SRC / "site.yaml").read_text(encoding="utf-8"))
    home = yaml.safe_load((SITE_SRC / "pages" / "index.md").read_text(encoding="utf-8").split("---")[1])
    cards = {
        SITE_SRC / "static" / "share.png": (
            site["title"],
            home.get("summary") or site["description"],
            f"Every claim checked against the evidence \u00b7 {site['publisher']['name']}",
        ),
        ROOT / "templates" / "static" / "share.png": ("An explainer", "", ""),
    }
    for target, texts in cards.items():
        context = browser.new_context(viewport={"width": 1200, "height": 630}, color_scheme="light")
        page = context.new_page()
        page.goto(root)
        settle(page)
        page.evaluate(CARD_SCRIPT, list(texts))
        page.wait_for_timeout(100)
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target))
        context.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "_site"
        build(site)
        with serve(site, base_path(SITE_SRC / "site.yaml")) as served, sync_playwright() as pw:
            browser = launch_chromium(pw)
            written = screenshots(browser, served.root)
            share_cards(browser, served.root)
            browser.close()
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
