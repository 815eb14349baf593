"""Stage 4a, Markdown: links and attributes. `page.md#anchor` and `/generated/url/` become
relative URLs, recorded for the link check; attribute lists may not add script, inline
styles or files from another origin."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor

from ..core.errors import Location
from ..core.suggest import did_you_mean
from .sanitise import URL_ATTRIBUTES, runs_script, url_problem
from .state import Stateful, StateHolder, relative_url


class LinkProcessor(Stateful, Treeprocessor):
    """Rewrites internal links to relative URLs and records them for the link check, each
    once: the processors that draw links (render hooks) leave the recording to this pass."""

    def __init__(self, md: markdown.Markdown, holder: StateHolder) -> None:
        super().__init__(md)
        self.holder = holder

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            # Drawn by a render hook: at the reference that drew it (hooks.py), else where its URL is written.
            written = self.holder.drawn.get(id(el))
            if el.tag == "a" and el.get("href") is not None:
                el.set("href", self.rewrite(el.get("href", ""), written))
            elif el.tag == "img":
                src = el.get("src", "")
                el.set("src", self.rewrite(src, written))
                if not el.get("alt"):
                    self.site.diags.warning(
                        self.at(src, written),
                        f"image '{src}' has no alt text: describe it in the [brackets] of ![...](...)",
                    )

    def at(self, href: str, written: Location | None) -> Location:
        return written if written is not None else self.state.locate(href)

    def rewrite(self, href: str, written: Location | None) -> str:
        lowered = href.strip().lower()
        if runs_script(href):
            self.site.diags.error(self.at(href, written), "links may not run script (javascript: URL)")
            return "#"
        if lowered.startswith("http://"):
            self.site.diags.warning(
                self.at(href, written), f"link over plain http: {href} (use https where the site offers it)"
            )
            return href
        if re.match(r"^[a-z][a-z0-9+.-]*:", lowered) or href.startswith(("#", "//")):
            if href.startswith("#"):
                self.state.links.append((self.state.url, href[1:], self.at(href, written)))
            return href
        path, _, anchor = href.partition("#")
        where = self.at(href, written)
        if path.endswith(".md"):
            source_dir = posixpath.dirname(self.page_source_path())
            target_source = posixpath.normpath(posixpath.join(source_dir, path))
            target_url = self.site.page_urls.get(target_source)
            if target_url is None:
                diags = self.site.diags
                if diags.is_broken("draft", target_source):
                    diags.error(where, f"link to a draft page: {path} is left out unless the build uses --drafts")
                elif not diags.is_broken("page", target_source):  # else its own error says why
                    diags.error(
                        where,
                        f"link to a page that does not exist: {path}{did_you_mean(target_source, self.site.page_urls)}",
                    )
                return href
        elif path.startswith("/"):
            target_url = path.lstrip("/")
        else:
            # Relative to this page's own URL, as a browser would read it.
            target_url = posixpath.normpath(posixpath.join(self.state.url, path))
            target_url = "" if target_url == "." else target_url + ("/" if path.endswith("/") else "")
        self.state.links.append((target_url, anchor, where))
        return relative_url(self.state.url, target_url) + (f"#{anchor}" if anchor else "")

    def page_source_path(self) -> str:
        return self.site.source_of_url().get(self.state.url, "")


class SafeAttributes(Stateful, Treeprocessor):
    """Markdown's attribute lists (`{: onclick=...}`) can put any attribute on any element:
    refuse event handlers, inline styles (the site's CSP would drop them), script URLs and
    files fetched from another origin (the same URL rules as raw HTML, sanitise.url_problem)."""

    def __init__(self, md: markdown.Markdown, holder: StateHolder) -> None:
        super().__init__(md)
        self.holder = holder

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            for name in list(el.keys()):
                value = el.get(name, "")
                if name.lower().startswith("on"):
                    problem = f"event handler attribute '{name}=' (the site runs only its own scripts)"
                elif name.lower() == "style":
                    problem = "inline style attribute (the site's security policy would drop it; use a class)"
                elif name.lower() in URL_ATTRIBUTES and (found := url_problem(name.lower(), value)):
                    problem = found
                else:
                    continue
                self.site.diags.error(self.state.locate(name), f"attribute not allowed: {problem}")
                del el.attrib[name]
