"""What pages draw from data: `[[block:...]]` templates and figures, and the theme's render
hooks of the Markdown stage, each drawn by its template into the page's HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.errors import Location
from ..kinds.figures import FIGURE_KINDS
from ..markdown.hooks import HOOK_DIR
from ..markdown.state import PageState
from .templates import data_needs, template_error

if TYPE_CHECKING:
    from .renderer import Renderer

BLOCK_DIR = "blocks"
FIGURE_DIR = "figures"


class Inserts:
    """What pages draw from data: `[[block:...]]` templates and figures, each rendered by
    its template into the page's HTML (errors located at the shortcode or the figure)."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer

    def shortcode(self, kind: str, name: str, state: PageState, where: Location) -> str:
        """The HTML of `[[figure:id]]` or `[[block:name]]` in a page's Markdown."""
        r = self.renderer
        if kind == "figure":
            return self.figure(name, state, where)
        ctx = r.context_for.get(id(state))
        template = f"{BLOCK_DIR}/{name}.html"
        if ctx is None:
            r.diags.error(where, f"[[block:{name}]] can only be used in a page")
            return ""
        if template not in r.env.list_templates():
            known = sorted(t[len(BLOCK_DIR) + 1 : -5] for t in r.env.list_templates() if t.startswith(BLOCK_DIR))
            r.diags.error(where, f"unknown block '{name}'; blocks are: {', '.join(known)}")
            return ""
        missing = self.missing_data(name, template)
        if missing:
            r.diags.error(where, missing)
            return ""
        ctx["blocks_used"].add(name)
        try:
            return r.env.get_template(template).render(ctx)
        except Exception as exc:  # noqa: BLE001
            r.diags.add(template_error(exc, r.options.template_dirs(), where))
            return ""

    def hook(self, name: str, values: dict[str, Any], where: Location) -> str:
        """The theme's markup of a citation, a reference or a tip (markdown/hooks.py), drawn by
        templates/render/<name>.html with the site's strings (t) and the values."""
        r = self.renderer
        try:
            return r.env.get_template(f"{HOOK_DIR}/{name}.html").render(t=r.config.strings, **values)
        except Exception as exc:  # noqa: BLE001
            r.diags.add(template_error(exc, r.options.template_dirs(), where))
            return ""

    def missing_data(self, block: str, template: str) -> str:
        """What a block needs from the data and the site lacks, as a message ("" if nothing):
        drawn without it, the block would fail in its template or print "None"."""
        view = self.renderer.data_view
        for name, key in data_needs(self.renderer.env, template):
            stem = self.renderer.data.kinds.view_file(name)
            file = f"data/{stem.replace('_', '-')}.yaml"
            value = dict.get(view, name)
            if value is None or (isinstance(value, list | dict | str) and not value):
                if stem == name and stem in self.renderer.data.files:
                    continue  # the file is there: its own errors (or its emptiness) say enough
                where = file if stem == name else f"'{name}' in {file}"
                return f"block '{block}' needs {where}, which the site does not have: add it, or remove the block"
            if key and not (key in value if isinstance(value, dict) else hasattr(value, key)):
                return f"block '{block}' needs '{key}' in {file}: add it, or remove the block"
        return ""

    def figure(self, figure_id: str, state: PageState, where: Location) -> str:
        """A figure drawn as inline SVG by its kind's template, from its kind's layout."""
        r = self.renderer
        fig = r.data.figures.get(figure_id)
        if fig is None:
            from ..core.suggest import suggest_id

            if r.diags.is_broken("figure", figure_id):
                return ""  # reported where it is defined
            r.diags.error(where, f"unknown figure id '{figure_id}'{suggest_id(figure_id, r.data.figures)}")
            return ""
        ctx = dict(r.context_for.get(id(state)) or {})
        ctx.update(fig=fig, layout=FIGURE_KINDS[fig.kind].layout(fig, r.data, r.numbers))
        try:
            return r.env.get_template(f"{FIGURE_DIR}/{fig.kind}.html").render(ctx)
        except Exception as exc:  # noqa: BLE001
            r.diags.add(template_error(exc, r.options.template_dirs(), fig.location))
            return ""
