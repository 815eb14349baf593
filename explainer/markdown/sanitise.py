"""Raw HTML in Markdown, by allow-list: what an editor may write, checked and sanitised.

Two halves, one table. `html_problems` reads an editor's raw HTML as a tokenizer does and
names each element or attribute outside the allow-list (located errors and warnings for
the editor); `sanitise` then passes the whole converted fragment through nh3 (the Ammonia
sanitiser, which parses as browsers do, so mutation tricks such as markup hidden in a
`<noscript>` attribute cannot come back to life), keeping only the same allow-list. The
report tells the editor; the sanitiser is what keeps readers safe, whatever the report missed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

# What editors' raw HTML may use: the text-level and block elements of Markdown's own
# output and a little more (details, figures, media of the site's own files).
TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
        "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "source", "span", "strong",
        "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "track", "u", "ul", "var", "wbr", "video", "audio",
    }
)  # fmt: skip
# data-pagefind-ignore: text the search index leaves out (citation marks, cards); it runs nothing.
GLOBAL_ATTRIBUTES = frozenset(
    {"id", "class", "title", "lang", "dir", "role", "hidden", "translate", "data-pagefind-ignore"}
)
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang", "rel", "download"}),
    "img": frozenset({"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"}),
    "source": frozenset({"src", "srcset", "sizes", "type", "media", "width", "height"}),
    "track": frozenset({"src", "kind", "srclang", "label", "default"}),
    "video": frozenset({"src", "poster", "controls", "width", "height", "loop", "muted", "playsinline", "preload"}),
    "audio": frozenset({"src", "controls", "loop", "muted", "preload"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "del": frozenset({"datetime", "cite"}),
    "ins": frozenset({"datetime", "cite"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "details": frozenset({"open"}),
}
ARIA_PREFIX = "aria-"
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Attributes whose URL the browser fetches by itself: only the site's own files.
FETCHED = frozenset({"src", "srcset", "poster", "ping", "action", "formaction", "data", "background", "xlink:href"})
URL_ATTRIBUTES = FETCHED | {"href", "cite"}
# Elements that run script, load another document, or change how the rest of the page is
# parsed (the mutation-XSS family): errors, not just removed.
DANGEROUS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
        "link", "form", "noscript", "noembed", "noframes", "template", "textarea", "title", "xmp",
        "plaintext", "listing", "svg", "math", "portal", "input", "button", "select", "option",
    }
)  # fmt: skip


def allowed_attribute(tag: str, name: str) -> bool:
    return name in GLOBAL_ATTRIBUTES or name.startswith(ARIA_PREFIX) or name in ATTRIBUTES.get(tag, ())


def runs_script(url: str) -> bool:
    """A URL a browser would run as script. Browsers decode entities in attributes and drop
    control characters and spaces around the scheme, so `&#106;avascript:` counts too."""
    plain = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    return plain.startswith(("javascript:", "vbscript:", "data:text/html", "data:image/svg"))


def other_origin(value: str, name: str) -> str | None:
    """The first URL in value (srcset: each) that is not the site's own file, or None."""
    urls = [part.strip().split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
    for url in urls:
        plain = re.sub(r"[\x00-\x20]", "", html.unescape(url))
        parts = urlsplit(plain.replace("\\", "/"))
        if parts.scheme or parts.netloc or plain.startswith("//"):
            return url
    return None


def url_problem(name: str, value: str) -> str | None:
    """Why a URL attribute may not stay (a located error), or None."""
    if runs_script(value):
        return f"a javascript: URL in '{name}=' (links go to pages or https:// addresses)"
    if name in FETCHED:
        far = other_origin(value, name)
        if far is not None:
            return (
                f"'{name}=' loads {far} from another site (published pages load only the site's own files): "
                "put the file in static/ and use /static/<name>"
            )
    return None


@dataclass(frozen=True)
class Problem:
    line: int  # where in the raw HTML: 1-based line, 0-based column
    col: int
    message: str
    error: bool  # else a warning: the thing is removed, and --strict refuses it


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[Problem] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS:
            self.report("", f"<{tag}> elements (write Markdown, or ask a developer for a template)", True)
        elif tag not in TAGS:
            self.report("", f"<{tag}> is not an element pages may use; it was removed", False)
        for name, value in attrs:  # on any tag: <body onload=...> would land on the page's body
            if name.startswith("on"):
                self.report(name, f"event handler attribute '{name}=' (the site runs only its own scripts)", True)
            elif name in URL_ATTRIBUTES and value and (problem := url_problem(name, value)):
                self.report(name, problem, True)
            elif name == "style" and re.search(r"url\(|expression\(|script:|@import", value or "", re.I):
                self.report(name, "a style attribute that loads or runs something", True)
            elif tag not in TAGS or tag in DANGEROUS:
                continue  # the element goes, with its attributes
            elif name == "style":
                self.report(name, "inline style attribute (the security policy drops it; use a class); removed", False)
            elif not allowed_attribute(tag, name):
                self.report(name, f"attribute '{name}=' is not allowed on <{tag}>; it was removed", False)

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        # Comments are dropped from the page; but browsers end `<!-->` at once, where this
        # parser reads on, so markup inside a comment may be live markup to a browser.
        if "<" in data or data.startswith((">", "->")):
            self.report("", "markup inside a comment (browsers may read it as live markup)", True)

    def report(self, attribute: str, message: str, error: bool) -> None:
        """At the tag, or at the attribute inside it."""
        line, col = self.getpos()
        text = self.get_starttag_text() or ""
        found = re.search(rf"\s({re.escape(attribute)})\s*(=|\s|/?>|$)", text, re.I) if attribute else None
        if found:
            before = text[: found.start(1)]
            line, col = (
                (line + before.count("\n"), col + len(before))
                if "\n" not in before
                else (
                    line + before.count("\n"),
                    len(before) - before.rfind("\n") - 1,
                )
            )
        self.problems.append(Problem(line, col, message, error))


def html_problems(raw: str) -> list[Problem]:
    checker = _Checker()
    checker.feed(raw)
    checker.close()
    return checker.problems


def _keep_url(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: a URL attribute that would fetch from elsewhere goes."""
    if name in URL_ATTRIBUTES and url_problem(name, value):
        return None
    return value


_TAG_ATTRIBUTES = {tag: set(GLOBAL_ATTRIBUTES) | set(ATTRIBUTES.get(tag, ())) for tag in TAGS}


def sanitise(fragment: str, keep: dict[str, str]) -> str:
    """fragment with everything outside the allow-list removed. keep: tokens (each an empty
    `<span data-keep="N">` or `<div ...>` in fragment) -> trusted HTML put back after."""
    values: dict[str, dict[str, set[str]]] = {}
    if keep:
        ids = {re.search(r'data-keep="([0-9]+)"', token).group(1) for token in keep}  # type: ignore[union-attr]
        values = {"span": {"data-keep": ids}, "div": {"data-keep": ids}}
    clean = nh3.clean(
        fragment,
        tags=set(TAGS),
        attributes=_TAG_ATTRIBUTES,
        attribute_filter=_keep_url,
        generic_attribute_prefixes={ARIA_PREFIX},
        tag_attribute_values=values,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    for token, trusted in keep.items():
        clean = clean.replace(token, trusted)
    return clean
