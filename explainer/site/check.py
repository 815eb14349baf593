"""The checks after rendering, the same for a build and a preview rebuild: every link, the
prose, sources never cited and terms never used, and what `--strict` does; and what
site.yaml names in the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import cancel
from ..core.errors import BuildFailed, Diagnostics, SiteError
from ..incremental.graph import Fingerprints, digest
from ..incremental.hashes import generator_fingerprint
from ..kinds.data import SiteData
from ..kinds.pages import Page
from ..load.config import BuildOptions, SiteConfig
from ..load.series import EXPLAINERS
from ..render.uses import RenderedFile

if TYPE_CHECKING:
    from ..checks.numbers import FactCheck
    from ..checks.reading import Scores

# A part of the prose checks (a page; the data) -> the key of what it read, and what it found.
Found = dict[str, tuple[str, list[SiteError]]]
CONTEXT = ("facts", "sources", "wording")  # the data every text's check reads (values, words, rules)


@dataclass
class Prose:
    """What the prose checks read besides the data: the source folder, the config, the
    pages, the reading scores known (the build cache's); and, to check only what changed,
    the findings of each part from the last time (found, updated in place) and what the
    sources are now (now: their keys, incremental/graph.py)."""

    source: Path
    config: SiteConfig
    pages: list[Page]
    scores: Scores | None = None
    now: Fingerprints | None = None
    found: Found = field(default_factory=dict)


def own_scope(options: BuildOptions) -> Path | None:
    """In a series, the folder whose sources and terms this part reports unused (the front
    door's data is the series' shared entries: series.py checks them over every explainer);
    None outside a series (check_site then checks the links too)."""
    series = options.series
    if series is None:
        return None
    return options.source / (EXPLAINERS if series.slug_of(options.source) == "" else "")


def check_site(
    rendered: list[RenderedFile],
    targets: set[str],
    data: SiteData,
    cited: set[str],
    diags: Diagnostics,
    strict: bool,
    ids: dict[str, set[str]],
    prose: Prose | None = None,
    own: Path | None = None,
) -> list[SiteError]:
    """The checks after rendering, the same for a build and a preview rebuild: every link
    (ids: anchors already parsed, by output), the prose (numbers traced to facts, quotations,
    reading grade, wording: see Prose), then sources never cited and
    terms never used (not after an error: they are usually its echo), then --strict. Returns
    what was reported before --strict (the cache replays it); raises BuildFailed on any error.
    own: in a series, the folder whose sources and terms are this build's to report unused."""
    cancel.check()  # a stop was asked for: the checks are not wanted
    from ..checks.links import check_links

    if own is None:  # a series checks its parts' links at once (series.py): a link may lead into another part
        check_links(rendered, targets, diags, ids)
    if prose is not None:
        check_prose(prose, data, diags)
    if not diags.errors:
        warn_unused(data, cited, rendered, diags, own)
    cancel.check()  # a stop asked for during the checks: nothing is written
    reported = list(diags.items)
    if strict:
        diags.promote_warnings()
    if diags.errors:
        raise BuildFailed(diags)
    return reported


def check_config_refs(config: SiteConfig | None, data: SiteData, diags: Diagnostics) -> None:
    """What site.yaml names in the data (the live preview runs this again after a data edit)."""
    claims_source = config.claims_source if config is not None else None
    if claims_source and claims_source not in data.sources and not diags.is_broken("source", claims_source):
        assert config is not None and config.raw is not None
        diags.error(config.raw.value_loc("claims_source"), f"unknown source id '{claims_source}'")


def check_prose(prose: Prose, data: SiteData, diags: Diagnostics) -> None:
    """The prose checks: numbers traced to facts, quotations exact, reading grade, the site's
    wording rules; each page's texts and the data's checked as a part of their own, whose
    findings are those of the last time when nothing it reads changed (prose.now)."""
    from ..checks.numbers import FactCheck, FactTally, reading_of
    from ..checks.reading import check_reading_grade
    from ..checks.wording import check_wording

    config, source = prose.config, prose.source
    reading = reading_of(config)
    check_reading_grade(config, prose.pages, data, diags, prose.scores)
    facts = FactCheck(source, data, diags, config.claims_source, reading)
    if facts.off or not facts.facts:  # one finding for the whole site, or none: not in parts
        facts.whole(prose.pages, data, diags)
        check_wording(source, prose.pages, data, diags, reading)
        prose.found.clear()  # no parts this time
        return
    context = _context(prose, facts, diags)
    for name in set(prose.found) - {"data", *(f"page:{page.source}" for page in prose.pages)}:
        del prose.found[name]  # a page no longer there
    for page in prose.pages:

        def check_page(found: Diagnostics, page: Page = page) -> None:
            facts.pages([page], found, FactTally())
            check_wording(source, [page], data, found, reading, of_data=False)

        base = digest(context, "page", str(page.source), _sha(prose.now, page.source))
        _part(prose, f"page:{page.source}", base, CONTEXT, check_page, diags)

    def check_data(found: Diagnostics) -> None:
        facts.data(data, found, FactTally())
        check_wording(source, [], data, found, reading)

    _part(prose, "data", digest(context, "data"), (*CONTEXT, *sorted(data.files)), check_data, diags)


def _context(prose: Prose, facts: FactCheck, diags: Diagnostics) -> str:
    """What every part's findings depend on beyond the data files they read: the source
    folder (rules skip files by their place in it), the language and its marks, the claims'
    source, the sources' words (their texts are not data files) and what failed to load."""
    if prose.now is None:
        return ""
    strings = prose.config.strings
    reading = (prose.config.language, strings.pattern("quote"), repr(strings.texts.get("months")))
    words = [f"{k}={v}" for k, v in sorted(facts.words.items())]
    broken = [f"{kind}:{name}" for kind, name in sorted(diags.broken)]
    code = generator_fingerprint()  # the build cache keeps findings across runs of other code
    return digest(code, str(prose.source), *reading, str(prose.config.claims_source), *words, "|", *broken)


def _sha(now: Fingerprints | None, path: Path) -> str:
    return now.sha_of(path) if now is not None else ""


def _part(
    prose: Prose, name: str, base: str, uses: tuple[str, ...], check: Callable[[Diagnostics], None], diags: Diagnostics
) -> None:
    """One part's findings into diags: those of the last time if its key (base and the
    hashes of its uses) is the same, else the part checked again (and kept, with prose.now)."""
    key = prose.now.key_of(base, uses) if prose.now is not None else ""
    known = prose.found.get(name)
    if known is not None and prose.now is not None and known[0] == key:
        diags.items.extend(known[1])
        return
    found = Diagnostics(broken=diags.broken)  # read only: the checks mark nothing broken
    check(found)
    diags.items.extend(found.items)
    if prose.now is not None:
        prose.found[name] = (key, list(found.items))


def warn_unused(
    data: SiteData, cited: set[str], rendered: list[RenderedFile], diags: Diagnostics, own: Path | None = None
) -> None:
    """Sources never cited and terms never used. own: the source folder; an entry written
    outside it (a series' shared one) is the series' to check, over all its explainers."""

    def mine(entry: Any) -> bool:
        return own is None or entry.location.path.is_relative_to(own)

    for source in data.sources.values():
        if source.id not in cited and mine(source):
            diags.warning(source.location, f"source '{source.id}' is never cited")
    used = set().union(*(f.state.terms_used for f in rendered if f.state)) if rendered else set()
    for term in data.glossary.values():
        if term.id not in used and mine(term):
            diags.warning(term.location, f"glossary term '{term.id}' is never used on any page")
