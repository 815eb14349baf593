"""The checks after rendering, the same for a build and a preview rebuild: every link, the
prose, sources never cited and terms never used, and what `--strict` does; and what
site.yaml names in the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import cancel
from ..core.errors import BuildFailed, Diagnostics, SiteError
from ..kinds.data import SiteData
from ..kinds.pages import Page
from ..load.config import BuildOptions, SiteConfig
from ..load.series import EXPLAINERS
from ..render.uses import RenderedFile

if TYPE_CHECKING:
    from ..checks.reading import Scores


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
    prose: tuple[Path, SiteConfig, list[Page], Scores | None] | None = None,
    own: Path | None = None,
) -> list[SiteError]:
    """The checks after rendering, the same for a build and a preview rebuild: every link
    (ids: anchors already parsed, by output), the prose (prose: the source folder, config and
    pages, and the reading scores known: numbers traced to facts, quotations, reading grade),
    then sources never cited and
    terms never used (not after an error: they are usually its echo), then --strict. Returns
    what was reported before --strict (the cache replays it); raises BuildFailed on any error.
    own: in a series, the folder whose sources and terms are this build's to report unused."""
    cancel.check()  # the preview is stopping: the checks are not wanted
    from ..checks.links import check_links

    if own is None:  # a series checks its parts' links at once (series.py): a link may lead into another part
        check_links(rendered, targets, diags, ids)
    if prose is not None:
        check_prose(*prose, data, diags)
    if not diags.errors:
        warn_unused(data, cited, rendered, diags, own)
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


def check_prose(
    source: Path, config: SiteConfig, pages: list[Page], scores: Scores | None, data: SiteData, diags: Diagnostics
) -> None:
    """The prose checks: numbers traced to facts, quotations exact, reading grade (scores:
    those known, e.g. the build cache's), the site's wording rules."""
    from ..checks.numbers import check_facts, reading_of
    from ..checks.reading import check_reading_grade
    from ..checks.wording import check_wording

    reading = reading_of(config)
    check_facts(source, pages, data, diags, config.claims_source, reading)
    check_reading_grade(config, pages, data, diags, scores)
    check_wording(source, pages, data, diags, reading)


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
