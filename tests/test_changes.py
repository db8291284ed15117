"""What a changed path is to the build: the one classification the watcher and the
engine share."""

from __future__ import annotations

import pytest

from dossierpress.engine.changes import EVERYTHING, ChangeKind, Changes, classify


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("site.yaml", ChangeKind.SETTINGS),
        ("content", ChangeKind.CONTENT),
        ("content/articles/x.md", ChangeKind.CONTENT),
        ("content/images/map.png", ChangeKind.CONTENT),
        ("layouts", ChangeKind.TEMPLATES),
        ("layouts/article.html", ChangeKind.TEMPLATES),
        ("layouts/i18n/id.po", ChangeKind.TRANSLATIONS),
        ("layouts/static/style.css", ChangeKind.STATIC),
        ("README.md", ChangeKind.IGNORED),
        ("site/index.html", ChangeKind.IGNORED),
        ("content/site.yaml", ChangeKind.CONTENT),
        ("sub/site.yaml", ChangeKind.IGNORED),
        (".", ChangeKind.IGNORED),
        ("content/.git/HEAD", ChangeKind.IGNORED),
        ("content/articles/.x.md.swp", ChangeKind.IGNORED),
        ("layouts/article.html~", ChangeKind.IGNORED),
        ("layouts/static/4913", ChangeKind.IGNORED),
    ],
)
def test_classify(path: str, kind: ChangeKind) -> None:
    assert classify(path) is kind


def test_changes_of_sorts_paths_by_kind_and_drops_the_rest() -> None:
    changes = Changes.of(
        ["site.yaml", "content/articles/x.md", "layouts/i18n/id.po", "README.md", "content/.x.swp"]
    )
    assert changes.settings and changes.translations and not changes.everything
    assert changes.content == {"content/articles/x.md"}
    assert changes.layouts == {"layouts/i18n/id.po"}
    assert Changes.of(["layouts"]).translations  # the folder stands for all below it
    assert not Changes.of(["README.md", "content/.git/HEAD"])
    assert EVERYTHING.theme
