"""Stage 4a, Markdown: `[[word:id]]` for every kind that declares its reference word
(`Kind.reference`, `Registry.references`) and has no processor of its own (claims' and
facts' draw more than a link: references.py). A link to the entry's page, or to its place
on its kind's page (`url_for`), with the entry's title as its text, as the theme's render
hook `kind-ref` draws it (hooks.py); checked after the build like every link, at the place
it is written; an unknown id is a located error with "did you mean".
"""

from __future__ import annotations

import re
from typing import Any

from markdown.inlinepatterns import InlineProcessor

from ..core.suggest import suggest_id
from ..load.strings import apostrophes
from .hooks import KIND_REF, hook_element
from .state import Stateful, StateHolder, relative_url

OWN_PROCESSORS = ("claim", "fact")  # the reference words references.py's own processors take


class KindRefProcessor(Stateful, InlineProcessor):
    def __init__(self, pattern: str, holder: StateHolder) -> None:
        super().__init__(pattern)
        self.holder = holder

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:
        word, ident = m.group(1), m.group(2)
        kind = self.site.data.kinds.references.get(word)
        if kind is None or word in OWN_PROCESSORS:
            return None, None, None  # not a kind's word: the near-miss checks read it
        table = getattr(self.site.data, kind.name)
        entry = table.get(ident)
        where = self.state.locate(m.group(0))
        if entry is None:
            if not self.site.diags.is_broken(kind.what, ident):  # else reported where it is defined
                self.site.diags.error(where, f"unknown {kind.what} id '{ident}'{suggest_id(ident, table)}")
            return "", m.start(0), m.end(0)
        values = {
            "href": relative_url(self.state.url, self.site.data.kinds.urls.url_for(kind.name, ident)),
            "title": apostrophes(kind.title_of(entry, self.site.strings.quote)),
            "kind": kind.name,
            "word": word,
            "id": ident,
            "entry": entry,
        }
        element = hook_element(self.site, KIND_REF, where, values, self.holder.drawn)
        return (element if element is not None else ""), m.start(0), m.end(0)  # None: the hook failed (reported)
