"""Reading a walked file for copying: never through a symbolic link swapped in after the walk.

The walk itself is tested through its folders: ``test_loader.py`` (``content/``) and
``test_templating.py`` (``layouts/``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossierpress.content import walk
from dossierpress.content.walk import (
    UnsafeSourceError,
    open_source_file,
    read_source_bytes,
    walk_files,
)
from dossierpress.errors import ErrorList

from .support.files import write_files

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_files(tmp_path, {"layouts/static/style.css": "p{}", "layouts/static/img/a.svg": "<svg/>"})
    return tmp_path / "layouts"


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outside")
    write_files(folder, {"passwd": "root:x:0:0", "css/x.css": "stolen"})
    return folder


def test_a_walked_file_is_read(root: Path) -> None:
    assert read_source_bytes(root, root / "static/style.css") == b"p{}"
    with open_source_file(root, root / "static/img/a.svg") as file:
        assert file.read() == b"<svg/>"


@needs_symlinks
def test_links_inside_the_folder_are_read_as_the_walk_follows_them(root: Path) -> None:
    (root / "static/alias.css").symlink_to("style.css")
    (root / "static/pictures").symlink_to("img", target_is_directory=True)
    errors = ErrorList()
    files = walk_files(root, "layouts", errors)
    assert errors.errors == []
    assert {rel: read_source_bytes(root, path) for rel, path in files} == {
        "layouts/static/alias.css": b"p{}",
        "layouts/static/img/a.svg": b"<svg/>",
        "layouts/static/pictures/a.svg": b"<svg/>",
        "layouts/static/style.css": b"p{}",
    }


@needs_symlinks
def test_a_file_swapped_for_a_link_out_of_the_folder_is_refused(root: Path, outside: Path) -> None:
    path = root / "static/style.css"
    path.unlink()
    path.symlink_to(outside / "passwd")
    with pytest.raises(UnsafeSourceError, match="no longer inside its folder"):
        read_source_bytes(root, path)


@needs_symlinks
def test_a_folder_swapped_for_a_link_out_of_the_folder_is_refused(
    root: Path, outside: Path
) -> None:
    (root / "static/img/a.svg").unlink()
    (root / "static/img").rmdir()
    (root / "static/img").symlink_to(outside / "css", target_is_directory=True)
    with pytest.raises(UnsafeSourceError, match="no longer inside its folder"):
        read_source_bytes(root, root / "static/img/x.css")


@needs_symlinks
@pytest.mark.skipif(not getattr(os, "O_NOFOLLOW", 0), reason="needs O_NOFOLLOW")
def test_a_link_swapped_in_after_the_check_is_not_followed(
    root: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: the link appears after the path was resolved and checked, before it is
    opened. Resolving without following links stands in for that moment."""
    (root / "static/img/a.svg").unlink()
    (root / "static/img").rmdir()
    (root / "static/img").symlink_to(outside / "css", target_is_directory=True)
    (root / "static/style.css").unlink()
    (root / "static/style.css").symlink_to(outside / "passwd")
    monkeypatch.setattr(walk.os.path, "realpath", os.path.abspath)
    with pytest.raises(UnsafeSourceError, match="a symbolic link was swapped in"):
        read_source_bytes(root, root / "static/style.css")
    with pytest.raises(UnsafeSourceError, match="a folder on its way was swapped for a link"):
        read_source_bytes(root, root / "static/img/x.css")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_swapped_in_is_refused_without_blocking(root: Path) -> None:
    path = root / "static/style.css"
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(UnsafeSourceError, match="no longer a regular file"):
        read_source_bytes(root, path)


def test_a_folder_or_the_root_itself_is_not_a_file(root: Path) -> None:
    with pytest.raises(UnsafeSourceError, match="no longer a regular file"):
        read_source_bytes(root, root / "static/img")
    with pytest.raises(UnsafeSourceError, match="no longer inside its folder"):
        read_source_bytes(root, root)


def test_a_path_outside_the_root_is_refused(root: Path) -> None:
    with pytest.raises(UnsafeSourceError, match="no longer inside its folder"):
        read_source_bytes(root / "static/img", root / "static/style.css")


def test_a_file_that_is_gone_is_an_os_error(root: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_source_bytes(root, root / "static/gone.css")
