"""Stage 4b, templates: the Jinja environment, and template errors as located errors.

Autoescape is on for every template (HTML, XML and SVG alike): nothing an editor writes
reaches a page unescaped except HTML our own Markdown stage produced.
"""

from __future__ import annotations

import inspect
import os
import traceback
import types
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemLoader, StrictUndefined, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from ..core.errors import Location, SiteError
from ..core.files import why_not_a_file
from ..load.strings import apostrophes


class TrackingLoader(FileSystemLoader):
    """Records which templates a render loaded (incremental rebuilds use this). Looks in
    each folder in turn: a site's own template replaces the theme's of the same name."""

    def __init__(self, searchpath: Sequence[Path]) -> None:
        super().__init__([str(p) for p in searchpath])
        self.used: set[str] = set()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        self.used.add(template)
        for folder in self.searchpath:
            path = Path(folder, *template.split("/"))
            if os.path.lexists(path):
                reason = why_not_a_file(path, Path(folder).parent)  # the rule every input follows
                if reason is not None:
                    raise jinja2.TemplateNotFound(f"{template} (skipped: {reason})")
                break
        return super().get_source(environment, template)


# Modules whose objects a template never needs: files, processes, the interpreter.
_OFF_LIMITS = frozenset({"os", "io", "sys", "subprocess", "shutil", "pathlib", "importlib", "socket", "builtins"})
_PATH_PARTS = frozenset({"name", "stem", "suffix", "suffixes", "parts", "as_posix"})  # read-only, no disk


def _off_limits(value: Any) -> bool:
    """A module, or an object, function or method of one of the modules above."""
    if isinstance(value, types.ModuleType):
        return True
    if isinstance(value, types.BuiltinFunctionType | types.BuiltinMethodType | types.MethodType):
        owner = getattr(value, "__self__", None)  # a bound method is judged by its object
        if owner is not None and not isinstance(owner, types.ModuleType):
            return _off_limits(owner)
    if isinstance(value, types.FunctionType | types.BuiltinFunctionType | type):
        return (getattr(value, "__module__", None) or "").split(".")[0] in _OFF_LIMITS
    return (type(value).__module__ or "").split(".")[0] in _OFF_LIMITS - {"builtins"}


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no `__class__`, `__globals__`, `mro`...: the classic ways out), and
    further: nothing of files, processes or the interpreter, so a template, even a site's
    own in a pull request, can read the site's data and call the theme's helpers, and do
    nothing else (Path objects in the data expose their name, never their methods)."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, PurePath):
            return attr in _PATH_PARTS
        return not _off_limits(obj) and not _off_limits(value)

    def is_safe_callable(self, obj: Any) -> bool:
        return super().is_safe_callable(obj) and not _off_limits(obj)


class TrackingEnvironment(Sandbox):
    """Records every template a render asks for into `loader.used`. The loader alone misses
    templates already compiled (a cached template never reaches the loader again)."""

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        if isinstance(name, str):
            getattr(self.loader, "used", set()).add(self.join_path(name, parent) if parent else name)
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        for name in names if isinstance(names, list | tuple) else ():
            if isinstance(name, str):
                getattr(self.loader, "used", set()).add(self.join_path(name, parent) if parent else name)
        return super().select_template(names, parent, globals)


class TemplateLines:
    """Where in the templates the code running now is, as the template's file and line (a
    link a template writes is checked, and reported there, like one written in Markdown)."""

    def __init__(self, env: Callable[[], Environment], templates: Path | Sequence[Path]) -> None:
        self.env = env  # the environment rendering now (the preview keeps one between renderers)
        self.folders = [d.resolve() for d in _folders(templates)]
        self.templates: dict[str, tuple[Path, jinja2.Template | None]] = {}  # compiled file name -> template
        self.places: dict[tuple[str, int], Location] = {}  # (compiled file name, its line) -> template line

    def here(self, fallback: Location) -> Location:
        frame = inspect.currentframe()
        while frame is not None:
            place = (frame.f_code.co_filename, frame.f_lineno)
            found = self.places.get(place)
            if found is None:
                path, template = self._template(place[0])
                if template is not None:
                    # Jinja reads the template's whole line table on each call: once per line of code.
                    found = self.places[place] = Location(path, template.get_corresponding_lineno(place[1]))
            if found is not None:
                return found
            frame = frame.f_back
        return fallback

    def _template(self, filename: str) -> tuple[Path, jinja2.Template | None]:
        if filename not in self.templates:
            path, found = Path(filename).resolve(), None
            for folder in self.folders if filename.endswith((".html", ".xml", ".svg", ".css")) else ():
                if path.is_relative_to(folder):
                    found = self.env().get_template(path.relative_to(folder).as_posix())
                    break
            self.templates[filename] = (path, found)
        return self.templates[filename]


def _folders(templates: Path | Sequence[Path]) -> list[Path]:
    return [templates] if isinstance(templates, Path) else list(templates)


def make_environment(templates: Path | Sequence[Path]) -> Environment:
    """templates: the theme's folder, or the folders to look in, first match wins."""
    env = TrackingEnvironment(
        loader=TrackingLoader(_folders(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=_typography,
    )
    return env


def _typography(value: Any) -> Any:
    """Every plain text a template prints (a YAML title, label, summary) with the apostrophes
    Markdown gives pages (strings.apostrophes); HTML we made (Markup) is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return apostrophes(value)
    return value


def template_error(exc: Exception, templates: Path | Sequence[Path], fallback: Location) -> SiteError:
    """Turn a Jinja exception into an error at the template's file and line."""
    folders = _folders(templates)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = Path(exc.filename) if exc.filename else folders[-1] / (exc.name or "?")
        return SiteError(Location(path, exc.lineno or 1), f"template syntax error: {exc.message}")
    where = fallback
    roots = tuple(str(d.resolve()) for d in folders)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(roots):
            where = Location(Path(frame.filename), frame.lineno or 1)
    if isinstance(exc, jinja2.TemplateNotFound):
        # `where` is the {% extends/include/import %} line, or the page that asked for it.
        known = ", ".join(sorted({t for d in folders for t in _names(d) if "/" not in t}))
        where_from = " or ".join(str(d) for d in folders if d.is_dir())
        return SiteError(where, f"template not found: {exc.name} (templates in {where_from}: {known})")
    if isinstance(exc, SecurityError):
        return SiteError(
            where,
            f"template {Path(where.path).name} does something unsafe: {str(exc).rstrip('.')}; "
            "templates may read the site's data and call the theme's helpers (t, md, ...), "
            "nothing of Python's internals, files or processes",
        )
    if isinstance(exc, jinja2.UndefinedError):
        return SiteError(where, f"template uses something undefined: {exc.message}")
    return SiteError(where, f"template failed: {type(exc).__name__}: {exc}")


def _names(templates_dir: Path) -> list[str]:
    if not templates_dir.is_dir():
        return []
    return [p.relative_to(templates_dir).as_posix() for p in templates_dir.rglob("*.html")]


def data_needs(env: Environment, name: str) -> list[tuple[str, str | None]]:
    """What a template reads from the site's data, from its source: `data.limits` gives
    ("limits", None), `data.study.design` ("study", "design"). A block drawn without its
    data is then an editor's error naming the file and key, not a template failure."""
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return []  # rendering it reports the error at its line
    needs: list[tuple[str, str | None]] = []
    for node in tree.find_all(nodes.Getattr):
        inner = node.node
        if isinstance(inner, nodes.Name) and inner.name == "data":
            need: tuple[str, str | None] = (node.attr, None)
        elif isinstance(inner, nodes.Getattr) and isinstance(inner.node, nodes.Name) and inner.node.name == "data":
            need = (inner.attr, node.attr)
        else:
            continue
        if need not in needs:
            needs.append(need)
    return needs


def page_template_problem(env: Environment, name: str) -> str | None:
    """Why a page's `template:` cannot draw a page, or None: a page template is a template
    of the top folder that extends another (base.html), never a macro file, a block, a
    figure or a static file."""
    if "/" not in name and name.endswith(".html") and _extends(env, name) is not False:
        return None
    pages = sorted(t for t in env.list_templates(extensions=["html"]) if "/" not in t and _extends(env, t))
    return f"'{name}' is not a page template: use one of {', '.join(pages)}"


def _extends(env: Environment, name: str) -> bool | None:
    """Whether the template extends another; None when it cannot be read (its own error)."""
    try:
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        return any(True for _ in env.parse(source).find_all(nodes.Extends))
    except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
        return None

