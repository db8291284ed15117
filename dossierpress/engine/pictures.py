"""The pictures a build publishes: found in the pages' front matter and bodies, each
made once (``pictures.process``) and kept while its file does not change.

Every use of a picture is resolved to a key (a file under ``content/``, or an https URL
taken as it is) and told where it goes wrong at the line that uses it: a missing file, a
file that is no picture, a picture too large or damaged. Each source file becomes one
``Picture`` in the content graph, whichever pages use it, so pages read it (and go stale
with it) like any other entry; its files are copied into the output from the store.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dossierpress.content.model import Document, ImageSpec
from dossierpress.content.walk import SourceFile
from dossierpress.errors import WARNING, ContentError
from dossierpress.fileinfo import FileSignature
from dossierpress.pictures.model import (
    Focus,
    Picture,
    PictureRecord,
    PictureTask,
    focus_of,
    is_drawing,
    is_raster,
    is_url,
    picture_key,
)

CONTENT = "content"


@dataclass(frozen=True)
class PictureUse:
    """One place a page shows a picture."""

    document: str
    spec: ImageSpec
    lead: bool
    """The front matter's ``image`` (else an image in the body)."""
    key: str | None
    problem: str | None = None
    """Why ``spec.src`` names no picture (then ``key`` is None)."""


@dataclass(frozen=True)
class Pictured:
    """What the stage made of the uses: the pictures by key, their files to copy, and
    every problem at the line of the use."""

    pictures: dict[str, Picture]
    copied: list[tuple[str, SourceFile]]
    problems: list[ContentError]
    records: dict[str, PictureRecord]
    unused: list[str]
    """Pictures under ``content/`` no published page uses (``check`` tells)."""
    uses: list[PictureUse]


def uses_of(documents: Iterable[Document], bodies: Mapping[str, object]) -> list[PictureUse]:
    """Every picture the published documents show: lead pictures (articles', topics' and
    authors' ``image``), then body images."""
    uses = []
    for doc in documents:
        image: ImageSpec | None = getattr(doc, "image", None)
        if image is not None:
            key, problem = picture_key(doc.path, image.src, body=False)
            uses.append(PictureUse(doc.path, image, True, key, problem))
        parsed = bodies.get(doc.path)
        for spec in getattr(parsed, "images", ()):
            key, problem = picture_key(doc.path, spec.src, body=True)
            uses.append(PictureUse(doc.path, spec, False, key, problem))
    return uses


def tasks_for(
    uses: Iterable[PictureUse],
    listed: Mapping[str, str],
    records: Mapping[str, PictureRecord],
    store: Path,
) -> tuple[list[PictureTask], dict[str, PictureRecord]]:
    """What must be processed, and the records kept: a picture whose file shows the same
    signature, with the crops wanted, and whose files are all in the store."""
    focuses: dict[str, set[Focus]] = {}
    for use in uses:
        if use.key is not None and use.key in listed and is_raster(use.key):
            wanted = focuses.setdefault(use.key, set())
            if use.lead:
                wanted.add(focus_of(use.spec))
    tasks, kept = [], {}
    for key in sorted(focuses):
        wanted_focuses = tuple(sorted(focuses[key]))
        signature = FileSignature.of(listed[key])
        record = records.get(key)
        if (
            record is not None
            and signature is not None
            and record.signature == signature
            and record.focuses == wanted_focuses
            and _in_store(record, store)
        ):
            kept[key] = record
        else:
            tasks.append(PictureTask(key, wanted_focuses, signature.size if signature else 0))
    return tasks, kept


def _in_store(record: PictureRecord, store: Path) -> bool:
    if record.picture is None:
        return True
    return all((store / Path(v.path).name).is_file() for v in record.picture.files)


def assemble(
    uses: list[PictureUse],
    listed: Mapping[str, str],
    records: Mapping[str, PictureRecord],
    store: Path,
    told: Collection[str] = (),
) -> Pictured:
    """The pictures, their files and the problems of every use (but for files whose
    problem is ``told`` already: a link out of ``content/``, which the walk refused)."""
    pictures: dict[str, Picture] = {}
    problems: list[ContentError] = []
    for use in uses:
        picture, problem = _picture_of(use, listed, records)
        if problem is not None and use.key in told:
            continue
        if problem is not None:
            where = "'image.src'" if use.lead else f"image '{use.spec.src}'"
            problems.append(ContentError(use.document, use.spec.line, f"{where}: {problem}"))
        elif picture is not None and use.key is not None:
            pictures[use.key] = picture
    copied: dict[str, SourceFile] = {}
    for key in sorted(pictures):
        for variant in pictures[key].files:
            copied[variant.path] = SourceFile(store / Path(variant.path).name, store)
    used = {use.key for use in uses}
    unused = [rel for rel in listed if is_raster(rel) and rel not in used]
    kept = {key: records[key] for key in sorted(records) if key in used}
    return Pictured(pictures, sorted(copied.items()), problems, kept, unused, uses)


LEAD_WIDTH = 1200
"""The narrowest lead picture link previews and Google's article results show large."""


def picture_notes(pictured: Pictured) -> list[ContentError]:
    """What ``check`` warns about: a lead picture without a credit or too narrow for a
    large preview, a picture no page uses (and so not published)."""
    notes = []
    for use in pictured.uses:
        if not use.lead:
            continue
        line = use.spec.key_line or use.spec.line
        if use.spec.credit is None:
            notes.append(_warning(use.document, line, "lead picture has no 'credit'", CREDIT_HINT))
        picture = pictured.pictures.get(use.key or "")
        if picture is not None and picture.processed and picture.width < LEAD_WIDTH:
            message = (
                f"lead picture is {picture.width} px wide: link previews and search results "
                f"show it large from {LEAD_WIDTH} px"
            )
            notes.append(_warning(use.document, use.spec.line, message))
    for rel in pictured.unused:
        notes.append(_warning(rel, 1, "picture used by no page: it is not published"))
    return notes


CREDIT_HINT = "say who made it, e.g. credit: Photo: Jane Doe / Example Agency"


def _warning(path: str, line: int, message: str, hint: str | None = None) -> ContentError:
    return ContentError(path, line, message, hint=hint, severity=WARNING)


def _picture_of(
    use: PictureUse, listed: Mapping[str, str], records: Mapping[str, PictureRecord]
) -> tuple[Picture | None, str | None]:
    key = use.key
    if key is None:
        return None, use.problem
    if is_url(key):
        if not key.lower().startswith(("https:", "http:")):
            return None, f"'{use.spec.src}' is not a web address (https://…) or a file"
        return Picture(key, src=key), None
    if key not in listed:
        return None, f"no such file '{use.spec.src}' (looked for {key})"
    if is_drawing(key):
        return Picture(key, src=key.removeprefix(CONTENT + "/")), None
    if not is_raster(key):
        return None, f"'{use.spec.src}' is not a picture (JPEG, PNG, WebP, GIF or SVG)"
    record = records[key]
    if record.picture is None:
        return None, record.problem
    return record.picture, None


SPARED_SECONDS = 7 * 24 * 3600
"""How long a picture's files no build uses are kept in the store: an editor who puts a
replaced picture back within a week gets its files without encoding them again."""


def prune_store(store: Path, used: Iterable[str], now: float) -> int:
    """Remove the store's files that ``used`` (output paths) does not name and that were
    made more than ``SPARED_SECONDS`` before ``now``; how many. A store would otherwise
    keep every picture ever replaced. Nothing is lost: a build whose record names a file
    that is gone makes it again (``tasks_for``)."""
    kept = {Path(path).name for path in used}
    removed = 0
    try:
        entries = list(os.scandir(store))
    except OSError:
        return 0
    for entry in entries:
        if entry.name in kept or not entry.is_file(follow_symlinks=False):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime > SPARED_SECONDS:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue  # gone already, or not ours to remove: left as it is
    return removed
