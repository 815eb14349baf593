"""The command line: `build`, `check`, `serve`, `new`, `theme list|copy`, `--version`.

Exit status: 0 success, 1 content errors, 2 usage errors. Errors print one per line as
`path:line:col: error: message`, all of them, never a traceback for a content problem.
"""

from __future__ import annotations

import argparse
import gc
import shlex
import shutil
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import cancel
from ..core.errors import BuildFailed, Diagnostics, Location, SiteError
from ..load.config import BuildOptions, builtin_theme

if TYPE_CHECKING:
    from ..incremental.cache import BuildCache

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _common(parser: argparse.ArgumentParser, out: bool = True) -> None:
    parser.add_argument("--source", type=Path, default=Path("site_src"), help="content folder (default: site_src)")
    parser.add_argument(
        "--templates",
        type=Path,
        default=None,
        help="a theme folder to use instead of the built-in theme (a site changes single templates in "
        "its own templates/ folder instead)",
    )
    if out:
        parser.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default: _site)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--drafts", action="store_true", help="include pages marked draft: true")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build a static explainer site.")
    parser.add_argument("--version", action="version", version=f"explainer {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="build the site into the output folder")
    _common(build)
    build.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="render every page again (default: reuse unchanged ones, kept in .cache/ beside the source folder)",
    )
    build.add_argument(
        "--jobs", type=int, metavar="N", help="render with N processes (default: one per core when worth it)"
    )
    check = commands.add_parser("check", help="validate everything, write nothing")
    _common(check, out=False)
    serve = commands.add_parser("serve", help="build, serve and rebuild on change, with live reload")
    _common(serve, out=False)  # the preview builds into a temp folder, never into _site
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    new = commands.add_parser(
        "new", help="start a new explainer in DIR, or add one to a series (--explainer SLUG): a complete example"
    )
    new.add_argument("dir", type=Path, nargs="?")
    new.add_argument("--explainer", metavar="SLUG", help="add an explainer to the series in --source, at /SLUG/")
    new.add_argument("--source", type=Path, default=Path("site_src"), help="the series' folder (default: site_src)")
    theme = commands.add_parser("theme", help="the built-in theme's files: list them, copy one into the site to edit")
    theme_commands = theme.add_subparsers(dest="theme_command", required=True, metavar="ACTION")
    theme_commands.add_parser("list", help="list the theme's files")
    copy = theme_commands.add_parser(
        "copy", help="copy one theme file (e.g. base.html, static/site.css) into the site, for editing"
    )
    copy.add_argument("name", help="the file, as `theme list` shows it")
    copy.add_argument("--source", type=Path, default=Path("site_src"), help="content folder (default: site_src)")
    return parser


def version() -> str:
    """The installed package's version (pyproject.toml's, as pip recorded it)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("explainer")
    except PackageNotFoundError:  # a checkout that was never installed
        return "(not installed)"


def print_diagnostics(diags: Diagnostics) -> None:
    for item in diags.sorted():
        print(item, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if args.command == "new":
        return _new(args)
    if args.command == "theme":
        from .theme import ThemeCopyError, copy_theme_file, theme_files

        if args.theme_command == "list":
            print("\n".join(theme_files()))
            return EXIT_OK
        try:
            print(copy_theme_file(args.name, args.source))
        except ThemeCopyError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    options = BuildOptions(
        source=args.source,
        templates=args.templates or builtin_theme(),
        out=getattr(args, "out", Path("_site")),
        strict=args.strict,
        drafts=args.drafts,
        preview=args.command == "serve",
        search=not getattr(args, "no_search", True) if args.command != "check" else False,
    )
    if args.command == "serve":
        from ..load.series import is_series
        from ..serve.server import serve
        from ..site.series import series_of

        if is_series(options.source):
            slugs = sorted(p.name for p in (options.source / "explainers").iterdir() if p.is_dir())
            print(
                f"error: {options.source} is a series: the preview shows one explainer of it at a time, e.g."
                f" serve --source {options.source / 'explainers' / (slugs[0] if slugs else 'SLUG')}"
                f" (its explainers: {', '.join(slugs) or 'none yet'}); build shows the whole site",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if options.source.parent.name == "explainers" and is_series(options.source.parent.parent):
            options = replace(options, series=series_of(options.source.parent.parent, options.kinds))
        return serve(options, args.host, args.port)
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        print("error: --jobs must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    return run_build(options, write=args.command == "build", use_cache=not getattr(args, "no_cache", True), jobs=jobs)


def _new(args: argparse.Namespace) -> int:
    from .scaffold import next_steps, scaffold, scaffold_explainer

    if (args.dir is None) == (args.explainer is None):
        print(
            "error: new DIR starts a new site; new --explainer SLUG [--source DIR] adds one to a series",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        if args.explainer is not None:
            print(scaffold_explainer(args.source, args.explainer, _program()))
            return EXIT_OK
        scaffold(args.dir)
    except SiteError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    print(next_steps(args.dir, _program()))
    return EXIT_OK


def run_build(options: BuildOptions, write: bool, use_cache: bool = False, jobs: int | None = None) -> int:
    from ..load.series import is_series

    started = time.perf_counter()
    search = None
    cache = None
    if write:
        from ..output.guard import guard_output

        refused = guard_output(options.out, (options.source, options.templates))
        if refused is not None:  # before anything is read or made: nothing is touched
            print(f"{Location(options.out)}: error: {refused}", file=sys.stderr)
            print("build failed: nothing was written", file=sys.stderr)
            return EXIT_USAGE
    series = is_series(options.source)
    try:
        if write and use_cache and not series:  # a series: site/series.py
            from ..incremental.cache import BuildCache

            cache = BuildCache(options)
            if cache.unchanged():  # told before the stages are imported (they take 0.15 s)
                diags = cache.replay(options.strict)
                up_to_date = f"nothing changed: the {cache.old.page_count} pages in {options.out} are up to date"
                return _done(diags, up_to_date, [], started)
        from ..site.build import build_site, open_search
        from ..site.series import build_series
        from ..site.series_site import write_series
        from ..site.write import write_site

        if write:
            search = open_search(options)  # starts Pagefind only when a page is rendered
        if series:
            build = build_series(options, jobs=jobs, search=search, use_cache=write and use_cache)
            for note in build.notes:
                print(f"warning: {note}", file=sys.stderr)
            if write:
                write_series(build, options)
        else:
            build = build_site(options, cache, jobs=jobs, search=search)
            if write:
                write_site(build, options)
    except BuildFailed as failed:
        _cache_warning(cache)
        print_diagnostics(failed.diagnostics)
        errors = len(failed.diagnostics.errors)
        print(
            f"build failed: {errors} error(s); nothing was written" if write else f"check failed: {errors} error(s)",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    _cache_warning(cache)
    verb = f"wrote {build.page_count} pages to {options.out}" if write else f"checked {build.page_count} pages"
    notes = []
    if build.cache is not None:
        notes.append(f"{build.cached} unchanged output(s) reused from the cache")
    elif getattr(build, "reused", None):  # a series: explainers whose inputs did not change
        notes.append(f"{len(build.reused)} unchanged explainer(s), {build.cached} file(s) reused from the last build")
    return _done(build.diags, verb, notes, started)


def _done(diags: Diagnostics, verb: str, notes: list[str], started: float) -> int:
    """Print the warnings and the one line that says what the build did."""
    print_diagnostics(diags)
    took = time.perf_counter() - started
    notes = ([f"{len(diags.warnings)} warning(s)"] if diags.warnings else []) + notes
    print(f"{verb} in {took:.2f} s" + (f" ({'; '.join(notes)})" if notes else ""))
    return EXIT_OK


def _program() -> str:
    """How to run this program again from any folder (`new` prints `cd DIR` first), as the
    user ran it: `explainer` when that name is on the PATH, the command's full path when they
    ran it by a path (a venv's bin/ not activated), this interpreter with `-m explainer` or
    with the checkout's build.py."""
    ran = Path(sys.argv[0])
    if ran.name == "explainer":
        on_path = shutil.which("explainer")
        if ran.parent == Path() or (on_path and Path(on_path).resolve() == ran.resolve()):
            return "explainer"
        return shlex.quote(str(ran.resolve()))
    python = _interpreter()
    if ran.name == "build.py":  # a checkout: its build.py, wherever the user goes next
        return f"{python} {shlex.quote(str(ran.resolve()))}"
    return f"{python} -m explainer"


def _interpreter() -> str:
    """This Python as the user can type it: its bare name when the PATH finds this same one."""
    name = Path(sys.executable).name
    found = shutil.which(name)
    if found and Path(found).resolve() == Path(sys.executable).resolve():
        return name
    return shlex.quote(sys.executable)


def _cache_warning(cache: BuildCache | None) -> None:
    """One warning when the cache on disk was not ours to trust (the build rendered everything)."""
    if cache is not None and cache.problem:
        where = Location(cache.dir)
        print(
            f"{where.display_path()}: warning: ignored the build cache ({cache.problem}); "
            "every page was rendered again",
            file=sys.stderr,
        )


def entry_point() -> None:
    """The `explainer` console script, and `python build.py`."""
    cancel.stop_on_signals()
    try:
        code = main()
    except (KeyboardInterrupt, cancel.Cancelled):
        # Ctrl-C or SIGTERM: a build removes its unfinished folder on the way out, untouched output.
        signum = cancel.stopped_by()
        said = "Ctrl-C" if signum in (0, signal.SIGINT) else signal.Signals(signum).name
        print(f"stopped ({said})", file=sys.stderr)
        cancel.exit_now(cancel.exit_status())
    # The build's objects die with the process: frozen, they are spared the collector's last
    # pass over each of them at exit (0.07-0.1 s after a 1,000-page build).
    gc.freeze()
    sys.exit(code)
