"""What a build may reuse from the builds before it: every such decision, in one place.

A build reuses what it can prove unchanged, on one kind of evidence: a file's stat
signature (``fileinfo.FileSignature``), backed where it matters by a digest of the bytes.
A content file whose signature is the one it was read with is not read again; a page
whose plan, templates, translations and graph reads are those of the last build, and
whose bytes are still in the output folder as written, is not rendered again; and when
nothing at all changed, nothing is resolved, planned, rendered or written. When in
doubt (another engine version, other settings or options) nothing is reused: a state is
kept under the key of what made it (``state_key``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from dossierpress.config import SiteConfig
from dossierpress.content.loader import file_digest
from dossierpress.content.walk import SourceFile
from dossierpress.engine.changes import Changes
from dossierpress.engine.state import BuildState, DocumentRecord, PageRecord, StateIndex
from dossierpress.fileinfo import FileSignature
from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import changed_entries, stale
from dossierpress.pages import paging
from dossierpress.pages.plan import PagePlan
from dossierpress.pictures.settings import encoder_settings
from dossierpress.theme.i18n import catalog_digest
from dossierpress.theme.templates import Theme

Listing = list[tuple[str, str]]
"""Every file of ``content/``: path relative to the source, path on disk."""
Copied = list[tuple[str, SourceFile]]
"""Files copied as they are, by output path."""


@cache
def engine_version() -> str:
    """A digest of the engine's own code: a state made by other code is never reused."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def state_key(config: SiteConfig, options: tuple[object, ...]) -> str:
    """What a reusable state must have been made under: the engine's code, the effective
    settings, the picture encoders' (another Pillow makes other bytes) and the ``options``
    that change what is read or rendered."""
    text = repr((engine_version(), encoder_settings(), config, *options))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# -- content files --------------------------------------------------------------------------


def unchanged_documents(
    old: Mapping[str, DocumentRecord], listing: Listing, changes: Changes, *, trusted: bool
) -> dict[str, DocumentRecord]:
    """The records of files untouched since they were read: those the watcher did not
    name while no file came or went (``trusted``), else those whose stat signature is
    unchanged; the others are read again (and parsed if their bytes changed).

    A signature can hide a change only when two writes of a file of the same size fall
    in one clock tick of the file system; the watcher names every file it saw change, so
    the preview re-reads such a file all the same.
    """
    kept: dict[str, DocumentRecord] = {}
    for rel, path in listing:
        record = old.get(rel)
        if record is None or changes.names(rel):
            continue
        if trusted or FileSignature.of(path) == record.signature:
            kept[rel] = record
    return kept


def same_records(
    state: BuildState,
    before: tuple[dict[str, DocumentRecord], Listing | None, list],
) -> bool:
    """Whether this build's walk and records are the last build's: the same listing and
    walk problems, and the very same record of every file (none read again)."""
    documents, listing, listing_problems = before
    if listing is None or state.listing != listing or state.listing_problems != listing_problems:
        return False
    return state.documents.keys() == documents.keys() and all(
        record is documents[rel] for rel, record in state.documents.items()
    )


# -- the theme, copied files and outputs ------------------------------------------------


def same_theme_and_outputs(
    index: StateIndex,
    templates: Mapping[str, str],
    copied: Copied,
    theme: Theme,
    output: Path | None,
) -> bool:
    """Whether the theme, translations and copied files are those the state was made
    with, and every output is still in ``output`` as it was written."""
    if dict(templates) != index.templates or theme.problems:
        return False
    if any(catalog_digest(theme.layout_dirs, lang) != d for lang, d in index.catalogs.items()):
        return False
    if [(out, f) for out, (f, _sig) in index.copied.items()] != copied:
        return False
    if any(FileSignature.of(f.path) != signature for f, signature in index.copied.values()):
        return False
    outputs = index.outputs
    return all(written(output, out, outputs, None) for out in (*index.pages, *index.copied))


Outputs = dict[str, tuple[str, FileSignature]]
"""Where each output was written: the digest of its bytes and its file's signature then."""


def written(
    folder: Path | None,
    output: str,
    outputs: Mapping[str, tuple[str, FileSignature]],
    digest: str | None,
    moved: Outputs | None = None,
) -> bool:
    """Whether ``output`` is in ``folder`` as it was written (with ``digest``, unless
    None), or there is no output folder to look at (the preview, ``check``).

    A page whose signature moved but whose bytes are still the ones written (a folder
    restored from a CI cache, a checkout, a copy: new inodes and times, the same pages)
    is as written: its bytes are read and compared by digest rather than rendered again,
    and its new signature goes into ``moved``, for the state to remember.
    """
    if folder is None:
        return True
    found = outputs.get(output)
    if found is None or (digest is not None and found[0] != digest):
        return False
    path = os.path.join(folder, output)
    now = FileSignature.of(path)
    if now == found[1]:
        return True
    if now is None or digest is None or not same_bytes(path, digest):
        return False
    if moved is not None:
        moved[output] = (digest, now)
    return True


def same_bytes(path: str | Path, digest: str) -> bool:
    """Whether the file at ``path`` (not followed through a link) holds bytes of
    ``digest``."""
    try:
        with open(path, "rb", opener=_no_follow) as handle:
            return file_digest(handle.read()) == digest
    except OSError:
        return False


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


def intact(
    record: PageRecord,
    outputs: Mapping[str, tuple[str, FileSignature]],
    folder: Path | None,
    moved: Outputs | None = None,
) -> bool:
    """Whether an unchanged page's bytes are still where it was written."""
    if record.data is not None:
        return True
    return written(folder, record.plan.output, outputs, record.digest, moved)


# -- plans and pages ----------------------------------------------------------------------


def plans_key(graph: ContentGraph, config: SiteConfig) -> object:
    """Everything plans depend on (documents' addresses and languages, which tags,
    topics and authors exist and how long their lists are (a dossier's with its events),
    the page sizes): while it is
    the same, the last build's plans serve, and a save of a body re-plans nothing."""
    return (
        config,
        (paging.ARCHIVE_PAGE_SIZE, paging.TAG_PAGE_SIZE, paging.TIMELINE_PAGE_SIZE),
        [
            (a.path, a.slug, a.date, a.lang, a.title_line, a.aliases)
            for a in graph.articles.values()
        ],
        [(t.path, t.slug, t.lang) for t in graph.topics.values()],
        [len(members) for members in graph.topic_articles.values()],
        [len(events) for events in graph.events.values()],
        [(key, len(tag.articles)) for key, tag in graph.tags.items()],
        [(a.path, a.slug, a.lang) for a in graph.authors.values()],
        [len(members) for members in graph.author_articles.values()],
    )


def same_claims(state: BuildState, plans: list[PagePlan], copied: Copied) -> bool:
    """Whether the pages and copied files are those of the last successful build (whose
    claims on output paths succeeded, so there is no clash to look for)."""
    outputs = {p.output for p in plans}  # two plans for one output: a clash to report
    same_pages = len(plans) == len(state.pages) == len(outputs) and all(
        state.pages.get(p.output) is not None and state.pages[p.output].plan == p for p in plans
    )
    return same_pages and [(out, f) for out, (f, _sig) in state.copied.items()] == copied


def pages_to_render(
    state: BuildState,
    plans: list[PagePlan],
    graph: ContentGraph,
    templates: Mapping[str, str],
    catalogs: Mapping[str, str],
    folder: Path | None,
) -> tuple[dict[str, PageRecord], list[PagePlan], Outputs]:
    """The last record of each page nothing it shows changed in, and the plans of the
    pages to render again: new, re-planned, rendered by a changed template or in a
    language whose translations changed, reading a graph entry that now gives another
    value, or no longer in the output folder as written. And the kept pages whose files
    moved with the same bytes, with their new signatures (see ``written``)."""
    before = state.graph
    changed_templates = {
        name
        for name in templates.keys() | state.templates.keys()
        if templates.get(name) != state.templates.get(name)
    }
    changed_langs = {lang for lang, d in catalogs.items() if state.catalogs.get(lang) != d}
    suspects = state.suspects(changed_entries(before, graph)) if before is not None else {}
    kept: dict[str, PageRecord] = {}
    todo: list[PagePlan] = []
    moved: Outputs = {}
    for plan in plans:
        record = state.pages.get(plan.output)
        if (
            record is None
            or before is None
            or record.plan != plan
            or not record.templates.isdisjoint(changed_templates)
            or plan.lang in changed_langs
            or (
                plan.output in suspects
                and stale(record.reads, before, graph, suspects[plan.output])
            )
            or not intact(record, state.outputs, folder, moved)
        ):
            todo.append(plan)
        else:
            kept[plan.output] = record
    return kept, todo, moved
