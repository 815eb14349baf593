"""What a changed file is (explainer/incremental/changes.py), the one answer the build cache
and the live preview both act on; and errors that cross processes whole."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from explainer.core.errors import Location, SiteError
from explainer.incremental.changes import ChangeKind, Roots, classify, source_kind, theme_kind

ROOTS = Roots(Path("/site/src"), Path("/site/tpl"))


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/site/src/pages/index.md", ChangeKind.PAGE),
        ("/site/src/pages/guides/diet.md", ChangeKind.PAGE),
        ("/site/src/pages/notes.txt", ChangeKind.IGNORE),
        ("/site/src/data/claims.yaml", ChangeKind.DATA),
        ("/site/src/data/old/claims.yaml", ChangeKind.IGNORE),  # data files are not read from subfolders
        ("/site/src/data/claims.yml", ChangeKind.IGNORE),
        ("/site/src/site.yaml", ChangeKind.CONFIG),
        ("/site/src/templates/claim.html", ChangeKind.CONFIG),  # the site's own templates over the theme's
        ("/site/src/strings/en.yaml", ChangeKind.CONFIG),  # the site's own interface texts
        ("/site/src/static/logo.svg", ChangeKind.STATIC),
        ("/site/src/static/css/x.css", ChangeKind.STATIC),
        ("/site/tpl/claim.html", ChangeKind.TEMPLATE),
        ("/site/tpl/blocks/limits.html", ChangeKind.TEMPLATE),
        ("/site/tpl/static/site.css", ChangeKind.STATIC),
        ("/site/src/README.md", ChangeKind.IGNORE),
        ("/elsewhere/pages/index.md", ChangeKind.IGNORE),
        # Editors' temp files, wherever they are.
        ("/site/src/pages/.index.md.swp", ChangeKind.IGNORE),
        ("/site/src/pages/index.md~", ChangeKind.IGNORE),
        ("/site/src/data/#claims.yaml#", ChangeKind.IGNORE),
        ("/site/tpl/4913", ChangeKind.IGNORE),
        ("/site/tpl/claim.html.tmp", ChangeKind.IGNORE),
    ],
)
def test_classify(path: str, kind: ChangeKind) -> None:
    assert classify(Path(path), ROOTS) is kind


@pytest.mark.parametrize("path", ["index.md", "pages/a.md", "pages/.a.md.swp", "data/x.yaml", "data/a/x.yaml",
                                  "site.yaml", "static/x.css", "templates/x.html", "strings/fr.yaml", "notes.txt"])
def test_source_kind_is_classify_below_the_source(path: str) -> None:
    """The build cache sorts a whole tree with source_kind (no Path per file): same answers."""
    assert source_kind(path.split("/")) is classify(ROOTS.source / path, ROOTS)
    assert theme_kind(path.split("/")) is classify(ROOTS.templates / path, ROOTS)


def test_classify_reads_no_file() -> None:
    # None of these paths exist: the answer comes from the path alone.
    assert not Path("/site").exists()
    assert classify(Path("/site/src/pages/a.md"), ROOTS) is ChangeKind.PAGE


def test_site_errors_pickle_whole() -> None:
    err = SiteError(Location(Path("data/claims.yaml"), 4, 12), "unknown verdict id 'x'", "warning")
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, SiteError)
    assert (back.location, back.message, back.severity) == (err.location, err.message, err.severity)
    assert str(back) == str(err) and back == err
