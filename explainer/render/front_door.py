"""A series' own pages (site/series.py): its front door (the explainers, newest first), a
page per topic (the tags of the explainers' settings), the list of topics, and the archive
(every explainer, by year), each drawn by its theme template from the explainers' cards
(load.config.Card). Their addresses are url_for's (core.urls.SERIES_PAGES).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from ..core.errors import Location
from ..core.urls import output_path
from ..load.series import Card
from ..markdown.state import PageState
from .uses import RenderedFile

if TYPE_CHECKING:
    from .renderer import Renderer

# The series' pages: url_for's name -> (template, its title's string; "": the site's title).
FRONT_DOOR = {
    "series": ("series-home.html", ""),
    "archive": ("series-archive.html", "series_archive_title"),
    "topics": ("series-topics.html", "series_topics_title"),
    "topic": ("series-topic.html", "series_topic_title"),
}


def newest_first(cards: tuple[Card, ...]) -> list[Card]:
    """The explainers as the front door lists them: newest first, then by address."""
    return sorted(sorted(cards, key=lambda c: c.slug), key=lambda c: c.published, reverse=True)


def by_year(cards: tuple[Card, ...]) -> list[tuple[str, list[Card]]]:
    """The archive: (year, its explainers newest first), newest year first."""
    years: dict[str, list[Card]] = {}
    for card in newest_first(cards):
        years.setdefault(card.published[:4], []).append(card)
    return list(years.items())


def topics(cards: tuple[Card, ...]) -> list[tuple[str, list[Card]]]:
    """(tag, its explainers newest first), by tag."""
    found: dict[str, list[Card]] = {}
    for card in newest_first(cards):
        for tag in card.tags:
            found.setdefault(tag, []).append(card)
    return sorted(found.items())


def front_door_jobs(renderer: Renderer, cards: tuple[Card, ...]) -> dict[str, Callable[[], RenderedFile | None]]:
    """The series' pages by output path, for Renderer.jobs()."""
    url_for = renderer.urls.url_for
    listed = newest_first(cards)
    jobs = {
        output_path(url_for("series")): partial(_page, renderer, "series", explainers=listed, topics=topics(cards)),
        output_path(url_for("archive")): partial(_page, renderer, "archive", years=by_year(cards)),
        output_path(url_for("topics")): partial(_page, renderer, "topics", topics=topics(cards)),
    }
    for tag, tagged in topics(cards):
        jobs[output_path(url_for("topic", tag))] = partial(_page, renderer, "topic", tag, topic=tag, explainers=tagged)
    return jobs


def _page(renderer: Renderer, name: str, ident: str = "", **lists: Any) -> RenderedFile | None:
    template, title_key = FRONT_DOOR[name]
    url = renderer.urls.url_for(name, ident)
    config = renderer.config
    title = config.strings.text(title_key, topic=ident) if title_key else config.title
    renderer.begin_output()
    state = PageState(url=url, location=Location(config.path))
    ctx = renderer.context(state, title, config.description, config.path)
    ctx.update(lists)
    return renderer.finish(output_path(url), template, ctx, state, state.location)
