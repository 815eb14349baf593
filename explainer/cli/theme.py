"""`theme list` and `theme copy NAME`: the built-in theme's files, and one of them copied
into the site to edit. A site's copy replaces the theme's file of the same name: templates
in `site_src/templates/`, static files in `site_src/static/`, interface texts in
`site_src/strings/`. Never overwrites: the copy may already hold the editor's changes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..load.config import SITE_TEMPLATES, builtin_theme
from ..load.strings import STRINGS_DIR

STATIC = "static"
# Python's caches are not the theme's files (a checkout may have them).
SKIP = ("__pycache__", "__init__.py")


class ThemeCopyError(Exception):
    """A usage problem of `theme copy`: printed as `error: ...`, exit status 2."""


def theme_files() -> list[str]:
    """Every file of the built-in theme, as a path inside it (`base.html`, `static/site.css`)."""
    root = builtin_theme()
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not any(part in SKIP or part.endswith(".pyc") for part in p.relative_to(root).parts)
    )


def site_path(name: str, source: Path) -> Path:
    """Where a theme file goes in a site to replace the theme's."""
    first = name.split("/", 1)[0]
    if first in (STATIC, STRINGS_DIR):
        return source / name
    return source / SITE_TEMPLATES / name


def copy_theme_file(name: str, source: Path) -> str:
    """Copy the theme's file `name` into the site; what to tell the user. A bare file name
    that is one file's (`limits.html` for `blocks/limits.html`) is that file."""
    files = theme_files()
    wanted = name.strip().replace("\\", "/").removeprefix("templates/")
    if wanted not in files:
        same_name = [f for f in files if f.rsplit("/", 1)[-1] == wanted]
        if len(same_name) != 1:
            listed = "\n  ".join(files)
            raise ThemeCopyError(f"the theme has no file '{name}'; its files are:\n  {listed}")
        wanted = same_name[0]
    if not source.is_dir():
        raise ThemeCopyError(f"no site folder {source}: run this where your site_src/ is, or give --source DIR")
    target = site_path(wanted, source)
    if target.exists():
        raise ThemeCopyError(
            f"{target} already exists (it may hold your changes): edit it there, or delete it first "
            "to copy the theme's again"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(builtin_theme() / wanted, target)
    return f"copied the theme's {wanted} to {target}: edit it there; it replaces the theme's file in every build"
