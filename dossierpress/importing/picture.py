"""A saved page's lead picture, brought beside the draft, and the draft's ``image`` key.

A browser's "Save page, complete" writes ``Page.html`` and a folder ``Page_files/`` with
the page's pictures, each named after the last segment of its address (without the
query). The picture the page states as its lead (``page``: JSON-LD, ``og:image``,
``twitter:image``) is looked for there by that name, exactly first, then ignoring case
when only one file matches: no file is better than somebody else's photo under the
story. Nothing is ever fetched over the network: a picture not saved with the page is
named in the draft, commented out, for the editor to download by hand.

The copy is named like a slug (``Ferry_At-Dawn.JPG`` → ``ferry-at-dawn.jpg``), never
over a file already there, and is written before the draft and removed if the draft
cannot be, so an import writes both or neither.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from dossierpress.content.slugs import article_slug
from dossierpress.content.writer import Block, Entry, Field, Remark
from dossierpress.errors import printable
from dossierpress.importing.report import LeadPicture

PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"})
"""The files taken for a picture: what browsers show and the build can resize."""
SAVED_FOLDER_SUFFIX = "_files"
"""``Page.html`` is saved with ``Page_files/`` (Chrome, Edge, Firefox)."""
ALT_PROMPT = "describe the picture for readers who cannot see it"
NO_CREDIT = "credit: who took it — the page does not say"
DEFAULT_STEM = "picture"
"""The copy's name when the saved file's has no letters or digits."""


@dataclass(frozen=True)
class PictureCopy:
    """A file saved with the page, to copy beside the draft."""

    saved: Path
    """The file in ``Page_files/``."""
    path: str
    """Where it goes, relative to the site's folder, like ``Draft.path``."""


def saved_folder(page: Path) -> Path | None:
    """The folder a browser saved the page's files in, beside it, if there is one."""
    folder = page.with_name(page.stem + SAVED_FOLDER_SUFFIX)
    return folder if folder.is_dir() else None


def find_saved(url: str, folder: Path) -> Path | None:
    """The file in ``folder`` the browser saved the picture at ``url`` as, or None.

    By the last segment of the address (as written, then with ``%20`` and the like
    decoded), case-sensitively first; ignoring case only when that names a single file.
    A file that is not a picture (by its suffix) is not taken.
    """
    try:
        segment = PurePosixPath(urlsplit(url).path).name
        files = [path for path in folder.iterdir() if path.is_file()]
    except (ValueError, OSError):
        return None
    names = [name for name in dict.fromkeys((segment, unquote(segment))) if name]
    found = next((f for name in names for f in files if f.name == name), None)
    if found is None:
        for name in names:
            folded = [f for f in files if f.name.casefold() == name.casefold()]
            if len(folded) == 1:
                found = folded[0]
                break
    if found is None or found.suffix.lower() not in PICTURE_SUFFIXES:
        return None
    return found


def clean_name(name: str) -> str:
    """A file name for the copy: the slug of the stem, the suffix in lower case."""
    path = PurePosixPath(name)
    return (article_slug(path.stem) or DEFAULT_STEM) + path.suffix.lower()


def free_path(folder: str, name: str, exists: Callable[[str], bool]) -> str:
    """``folder/name``, or ``folder/name-2``, ``-3``… the first that ``exists`` says is
    free: an editor's file is never replaced."""
    stem, suffix = os.path.splitext(name)
    candidate, number = name, 1
    while exists(f"{folder}/{candidate}"):
        number += 1
        candidate = f"{stem}-{number}{suffix}"
    return f"{folder}/{candidate}"


def image_entry(picture: LeadPicture, copy: PictureCopy | None, saved: Path | None) -> Entry:
    """The draft's ``image``: the copy and what the page says of it; commented out, with
    the picture's address, when it was not saved with the page (``saved``: the folder).

    Alt text the page does not give is left empty, with a prompt: an empty string would
    declare the picture decorative, and an empty key makes the build ask for it."""
    if copy is not None:
        saved_as = printable(f"{copy.saved.parent.name}/{copy.saved.name}")
        note = f"image: the page's lead picture ({picture.stated_in}), copied from {saved_as}"
        return Entry("image", _block(picture, PurePosixPath(copy.path).name), note=note)
    where = "among the files saved with it" if saved is not None else "saved with the page"
    name = clean_name(PurePosixPath(_path_of(picture.url)).name or DEFAULT_STEM)
    if PurePosixPath(name).suffix not in PICTURE_SUFFIXES:
        name = f"{PurePosixPath(name).stem}.jpg"
    note = (
        f"image: the page's lead picture ({picture.stated_in}) was not {where}. Download\n"
        f"  {printable(picture.url)}\n"
        f"beside this file as {name}, then remove the '# ' before the lines below."
    )
    return Entry("image", _block(picture, name), note=note, commented=True)


def example_entry() -> Entry:
    """A commented ``image`` to copy, for a report that names no picture."""
    note = (
        "image: a picture for the top of the article, a file beside this one. To add one,\n"
        "remove the '# ' before the lines below and fill them in."
    )
    example = Block(
        (
            Field("src", "picture.jpg"),
            Field("alt", None, ALT_PROMPT),
            Field("caption", "What it shows, in a sentence"),
            Field("credit", "Photo: who took it"),
        )
    )
    return Entry("image", example, note=note, commented=True)


def copy_new(saved: Path, destination: Path) -> None:
    """Copy ``saved`` to ``destination``, never over a file (``FileExistsError``), and
    never leaving half of one: a failed copy is removed."""
    with open(saved, "rb") as source, open(destination, "xb") as target:
        try:
            shutil.copyfileobj(source, target)
            target.flush()
            os.fsync(target.fileno())
        except BaseException:
            destination.unlink(missing_ok=True)
            raise


def _block(picture: LeadPicture, src: str) -> Block:
    items: list[Field | Remark] = [Field("src", src)]
    if picture.alt is None:
        items.append(Field("alt", None, ALT_PROMPT))
    elif picture.alt_from_caption:
        items.append(Field("alt", picture.alt, "the page's caption: say what the picture shows"))
    else:
        items.append(Field("alt", picture.alt))
    if picture.caption is not None:
        items.append(Field("caption", picture.caption))
    items.append(Field("credit", picture.credit) if picture.credit else Remark(NO_CREDIT))
    if picture.licence is not None:
        items.append(Field("licence", picture.licence))
    return Block(tuple(items))


def _path_of(url: str) -> str:
    try:
        return unquote(urlsplit(url).path)
    except ValueError:
        return ""
