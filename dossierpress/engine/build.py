"""The one build: settings → theme → sources → parse → resolve → plan → render.

``Engine.build`` is what ``python build.py``, the live preview and ``check`` run, with
the state it may reuse passed in: nothing (a cold build), the previous build's in memory
(the preview) or one restored from disk (``cache.DiskCache``). Each stage is timed, and
each takes the cheapest safe action for what changed (``changes.Changes``): a file whose
stat signature and digest are those of the last read is not parsed again, a graph entry
equal to the last one is carried over, a page is rendered again only when its plan or
templates changed, or a graph entry it read now gives another value. When in doubt
(settings, engine version) everything starts afresh, as Hugo does. After any sequence
of edits the result is byte-identical to a cold build of the same source; the property
test in ``tests/test_engine.py`` holds the engine to that.

Every problem of every stage is gathered; the build raises ``BuildError`` with all of
them before anything would be written. Writing is the caller's: the command line writes
``BuildResult`` into the output folder, the preview serves it, ``check`` discards it.

A build given a ``StopRequest`` (the preview's: it rebuilds on another thread than the
one signals reach) checks it between stages, documents and pages, and unwinds with
``Interrupted`` once a stop is requested.

A build given ``RenderFirst`` (the preview's: the pages open in a browser) renders those
of its pages to render first and hands their bytes over before it renders the rest, as
Hugo's fast render mode does; its result and state are those of the same build without.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from markdown_it import MarkdownIt

from dossierpress.config import SiteConfig, load_config
from dossierpress.console import NoProgress, Progress
from dossierpress.content.loader import (
    CONTENT,
    content_files,
    file_digest,
    kind_of,
    parse_document,
    read_source,
)
from dossierpress.content.markdown import ParsedBody, make_markdown
from dossierpress.content.model import Article, Asset, Author, Topic
from dossierpress.content.publication import Publication, Window
from dossierpress.content.walk import SourceFile
from dossierpress.engine import reuse
from dossierpress.engine.changes import EVERYTHING, NOTHING, Changes
from dossierpress.engine.pictures import (
    Pictured,
    assemble,
    picture_notes,
    prune_store,
    tasks_for,
    uses_of,
)
from dossierpress.engine.render import ParseItem, Workers
from dossierpress.engine.state import (
    BuildState,
    DocumentRecord,
    PageRecord,
    StateIndex,
)
from dossierpress.errors import BuildError, ContentError
from dossierpress.fileinfo import FileSignature
from dossierpress.graph.lint import heading_warnings, lint, schedule_notes
from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import ReadIndex, SharedReads
from dossierpress.graph.resolve import build_graph
from dossierpress.interrupt import StopRequest
from dossierpress.output import OutputClaims, WriteReport
from dossierpress.pages.builder import RenderContext
from dossierpress.pages.kinds import BY_NAME, page_languages, plan_pages
from dossierpress.pages.plan import PagePlan, RenderedPage
from dossierpress.pages.renderer import Renderer
from dossierpress.pages.urls import Urls
from dossierpress.pictures.model import is_raster
from dossierpress.theme.i18n import Localizer, catalog_digest, load_localizers
from dossierpress.theme.templates import Theme, layout_dirs


@dataclass(frozen=True)
class BuildRequest:
    """What to build; the same request with the same state gives the same bytes."""

    source: Path
    drafts: bool = False
    base_url: str | None = None
    """Overrides ``site.yaml``'s base_url (the live preview serves from its own address)."""
    preview: bool = False
    output: Path | None = None
    """The output folder whose files an unchanged page may be left in (see ``outputs``)."""
    jobs: int = 1
    """Processes that parse and render (see ``render.Workers``); the bytes do not depend
    on it."""
    future: bool = False
    """Publish articles dated after ``now`` all the same, marked as scheduled."""
    now: datetime | None = None
    """The build's time (timezone-aware), which an article's date must have reached for
    it to be published (``content.publication``); None: the clock's, at each build."""
    check: bool = False
    """Also tell what a build keeps quiet: the warnings of ``graph.lint`` and the
    scheduled articles (``dossier check``)."""
    pictures: Path | None = None
    """The picture store (``pictures.process``), kept between runs (the cache's); None:
    a temporary folder for this engine."""


@dataclass(frozen=True)
class RenderFirst:
    """Pages to render before the others, and what to do with them meanwhile.

    The preview names the pages open in a tab, so a save shows there as soon as they are
    rendered rather than once every page the save touched is (20 and more: topics, tags,
    lists, feeds). Only the order of the work changes: the build's result and state are
    byte for byte those of the same build without it.
    """

    outputs: frozenset[str]
    """Output paths; those the build does not render (untouched by the changes) are
    ignored."""
    ready: Callable[[Mapping[str, bytes]], None]
    """Called once with the bytes of those of ``outputs`` the build rendered, by output
    path, where they differ from the last successful build's, before the other pages are
    rendered. Not called when none differ, when the build renders nothing else, or when
    one of them failed to render (the build then fails as it would have)."""


@dataclass
class Timings:
    """Seconds spent per stage, in order, for ``--verbose`` and benchmarks."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.stages.values())


@dataclass(frozen=True)
class BuildResult:
    """Every output of a successful build, and how it differs from the build before."""

    config: SiteConfig
    graph: ContentGraph
    pages: Mapping[str, PageRecord]
    """Every page, in plan order; ``data`` is set for those rendered (in memory: all)."""
    copied: Mapping[str, SourceFile]
    """Files copied as they are (content assets, theme static files), by output path."""
    rendered: frozenset[str]
    changed: tuple[str, ...]
    """Output paths whose bytes changed or are new since the last successful build."""
    removed: Mapping[str, str]
    """Output path that no longer exists → output path of the nearest page that does."""
    warnings: tuple[ContentError, ...]
    timings: dict[str, float]
    inputs: tuple[str, ...]
    """Every content file, sorted."""
    up_to_date: bool = False
    """Nothing changed since the last build: the output folder holds this result."""

    def files(self) -> dict[str, bytes | SourceFile]:
        """Every output whose bytes this result holds, and every copied file."""
        found: dict[str, bytes | SourceFile] = {
            out: record.data for out, record in self.pages.items() if record.data is not None
        }
        found.update(self.copied)
        return dict(sorted(found.items()))

    @property
    def kept(self) -> frozenset[str]:
        """Pages not rendered whose bytes are only in the output folder."""
        return frozenset(out for out, record in self.pages.items() if record.data is None)

    @property
    def css_only(self) -> bool:
        return bool(self.changed) and all(p.endswith(".css") for p in self.changed)

    def page_of_sources(self, sources: Iterable[str]) -> list[str]:
        """Output paths of the article or topic pages made from these source files."""
        wanted = set(sources)
        return [
            out
            for out, record in self.pages.items()
            if record.plan.key in wanted and BY_NAME[record.plan.kind].document_page
        ]


@dataclass
class Collected:
    """The content a build publishes, as ``collect`` finds it in the files' records."""

    articles: list[Article] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    parsed: dict[str, ParsedBody] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)
    scheduled: list[Article] = field(default_factory=list)
    """Every article considered whose date is still to come (left out or, with
    ``future``, marked scheduled)."""


@dataclass(frozen=True)
class Sources:
    """What the first phase (``Engine._process``) read: the settings, the theme and every
    content file, and whether anything the last build used changed at all."""

    config: SiteConfig
    changes: Changes
    """The changes this build acts on (everything, when the settings started afresh)."""
    theme: Theme
    templates: dict[str, str]
    md: MarkdownIt
    listing: list[tuple[str, str]]
    walk_problems: list[ContentError]
    collected: Collected
    window: Window
    copied: list[tuple[str, SourceFile]]
    unchanged: bool
    """Nothing changed: the last result is this build's."""
    pictured: Pictured


@dataclass(frozen=True)
class Site:
    """What the second phase (``Engine._assemble``) made of the sources: the content
    graph, every page's plan, the warnings, and the translations pages are rendered in."""

    graph: ContentGraph
    urls: Urls
    plans: list[PagePlan]
    warnings: tuple[ContentError, ...]
    catalogs: dict[str, str]
    localizers: dict[str, Localizer]


@dataclass(frozen=True)
class Rendered:
    """What the third phase (``Engine._render``) gave: every page's record, and which of
    them were rendered now."""

    pages: dict[str, PageRecord]
    rendered: frozenset[str]
    moved: reuse.Outputs
    """Kept pages whose files moved with the same bytes, with their new signatures."""


class Engine:
    """Builds a site, again and again, reusing what each build leaves (``state``).

    Not thread-safe: one build at a time (the preview's watcher calls it from one thread).
    """

    def __init__(
        self,
        request: BuildRequest,
        state: BuildState | None = None,
        *,
        progress: Progress | None = None,
        stop: StopRequest | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.request = request
        self.state = state or BuildState()
        self.progress = progress or NoProgress()
        self.stop = stop
        self._given = settings
        """``site.yaml`` as the run read it (``run.read_settings``): what the first build
        uses instead of reading the file again."""
        self._config: SiteConfig | None = None
        self._theme: Theme | None = None
        self._md: MarkdownIt | None = None
        self._localizers: dict[str, Localizer] = {}
        self._planned: tuple[object, list[PagePlan]] | None = None
        self._before: BuildState | None = None
        """The last successful build's state, kept while settings made the state start
        afresh: what changed and what went are still told against it."""
        self._store: Path | None = request.pictures

    def build(
        self, changes: Changes = EVERYTHING, *, first: RenderFirst | None = None
    ) -> BuildResult:
        """Build after ``changes``; raises ``BuildError`` with every problem found.

        ``EVERYTHING`` (the default) checks every file by its signature and digest; named
        changes (the watcher's) make the named files be read again and trust the rest.
        ``first``: pages to render, and hand over, before the others (see ``RenderFirst``).
        """
        timings = Timings()
        changes = self.state.pending | changes
        self.state.pending = changes
        try:
            result = self._build(changes, timings, first)
        except BaseException:
            self.state.failed = True
            raise
        finally:
            self._given = None  # a later build (the preview's) reads the file again
        self.state.pending = NOTHING
        self.state.failed = False
        return result

    def resume(self, state: BuildState | None) -> None:
        """Go on from ``state`` (restored from the cache; None: nothing to go on from)."""
        self.state = state or BuildState()

    # -- what the output folder holds, which only the run that writes it knows ----------

    def remember_written(self, result: BuildResult, written: WriteReport) -> None:
        """Where each page's bytes now lie, so the next build can leave unchanged ones
        there."""
        outputs = self.state.outputs
        for out, record in result.pages.items():
            signature = written.signatures.get(out)
            if signature is not None:
                outputs[out] = (record.digest, signature)
        for out in result.copied:
            signature = written.signatures.get(out)
            if signature is not None:
                outputs[out] = ("", signature)

    def remember_read_for_search(
        self, result: BuildResult, folder: Path, read: Iterable[str]
    ) -> None:
        """Pagefind read the pages kept in the folder (among those it ``read``) through
        hard links, made and removed again (``search.search_index``), which moved their
        change time: record the signature each has now where its bytes are still those
        written (``reuse.written`` with its digest), so the next build does not take it
        for changed and render it again. A page whose bytes changed keeps its old record
        (the next build renders it again)."""
        outputs = self.state.outputs
        moved: reuse.Outputs = {}
        for out in read:
            record = result.pages[out]
            if record.data is None:
                reuse.written(folder, out, outputs, record.digest, moved)
        outputs.update(moved)

    def owe_search(self, owed: bool) -> None:
        """Whether the output folder's search index lags its pages (``search_owed``)."""
        self.state.search_owed = owed

    # -- the phases ---------------------------------------------------------------------

    def _build(self, changes: Changes, timings: Timings, first: RenderFirst | None) -> BuildResult:
        with Workers(self.request.jobs, self.request.source, self.stop) as workers:
            sources = self._process(changes, timings, workers)
            if sources.unchanged:
                return self._unchanged(sources, timings)
            self._check_stop()
            site = self._assemble(sources, timings)
            self._check_stop()
            with timings.stage("render"):
                rendered = self._render(sources, site, workers, first)
        self.state.window = sources.window  # the choice of articles holds while time does
        return self._commit(sources, site, rendered, timings)

    def _process(self, changes: Changes, timings: Timings, workers: Workers) -> Sources:
        """Settings, theme and every content file, read (and parsed) where they changed."""
        with timings.stage("settings"):
            config = self._settings(changes)
            key = self._state_key(config)
            if self.state.key != key:
                if self._before is None and self.state.graph is not None:
                    self._before = self.state  # what this build's changes are told against
                self.state = BuildState(key=key, bytecode=self.state.bytecode)
                self._localizers = {}
                changes = EVERYTHING
        state = self.state
        with timings.stage("theme"):
            theme = self._theme_for(changes)
            templates = theme.template_digests()
        with timings.stage("sources"):
            listing, walk_problems, walked = self._listing(changes)
            old = state.documents
            kept = reuse.unchanged_documents(old, listing, changes, trusted=not walked)
        self._check_stop()
        with timings.stage("parse"):
            md = self._markdown(config)
            before = (state.documents, state.listing, state.listing_problems)
            documents = self._parse(listing, kept, config, md, workers)
            state.documents, state.listing = documents, listing
            state.listing_problems = walk_problems
        publication = self._publication()
        collected = collect(listing, documents, publication)
        window = publication.window([*collected.articles, *collected.scheduled])
        self._check_stop()
        with timings.stage("pictures"):
            told = {problem.path for problem in walk_problems}
            pictured = self._pictures(collected, listing, config, workers, told)
        copied = copied_files(self.request.source, collected.assets, theme) + pictured.copied
        unchanged = state.window == window and self._up_to_date(before, templates, copied, theme)
        return Sources(
            config, changes, theme, templates, md, listing, walk_problems, collected, window,
            copied, unchanged, pictured,
        )  # fmt: skip

    def _pictures(
        self,
        collected: Collected,
        listing: list[tuple[str, str]],
        config: SiteConfig,
        workers: Workers,
        told: set[str],
    ) -> Pictured:
        """Every picture the published pages use, processed where its file changed
        (a file the walk refused, ``told``, is not told of again where it is used)."""
        documents = [*collected.articles, *collected.topics, *collected.authors]
        uses = uses_of(documents, collected.parsed)
        listed = dict(listing)
        store = self.picture_store()
        tasks, kept = tasks_for(uses, listed, self.state.pictures, store)
        made = dict(workers.pictures(tasks, store, config.max_image_size))
        pictured = assemble(uses, listed, {**kept, **made}, store, told)
        self.state.pictures = pictured.records
        return pictured

    def prune_pictures(self, result: BuildResult) -> int:
        """Remove from the picture store the files no page of ``result`` uses and no
        build made in the last week (``pictures.prune_store``); how many."""
        store = self.picture_store()
        used = [out for out, file in result.copied.items() if file.root == store]
        return prune_store(store, used, time.time())

    def picture_store(self) -> Path:
        """Where processed pictures are kept: the request's store, or a temporary folder
        that goes with the engine."""
        if self._store is None:
            self._store = Path(tempfile.mkdtemp(prefix="dossier-pictures-"))
            weakref.finalize(self, shutil.rmtree, self._store, True)
        return self._store

    def _assemble(self, sources: Sources, timings: Timings) -> Site:
        """The content graph, every page's plan, and every problem: raises ``BuildError``
        here, before anything is rendered, when one of them is an error."""
        config, theme, collected = sources.config, sources.theme, sources.collected
        with timings.stage("resolve"):
            graph, graph_problems = build_graph(
                collected.articles,
                collected.topics,
                collected.parsed,
                self.state.graph,
                site_lang=config.language,
                authors=collected.authors,
            )
            graph = replace(graph, pictures=sources.pictured.pictures)
        self._check_stop()
        with timings.stage("plan"):
            urls = Urls(config)
            plans = self._plans(graph, urls, config)
            claims = self._claims(plans, sources.copied, collected.assets)
            every_problem = [
                *sources.walk_problems, *collected.problems, *graph_problems, *claims,
                *theme.problems, *sources.pictured.problems,
            ]  # fmt: skip
            told = self._told(graph, config, collected.scheduled, sources.pictured)
            headings = heading_warnings(collected.parsed)
            warnings = stop_on_errors([*every_problem, *headings, *told])
            languages = page_languages(config.language, plans)
            catalogs = {lang: catalog_digest(theme.layout_dirs, lang) for lang in languages}
            localizers = self._localizers_for(theme, languages, catalogs, config.language)
        return Site(graph, urls, plans, warnings, catalogs, localizers)

    def _check_stop(self) -> None:
        if self.stop is not None:
            self.stop.check()

    def _publication(self) -> Publication:
        request = self.request
        return Publication.at(request.now, drafts=request.drafts, future=request.future)

    def _state_key(self, config: SiteConfig) -> str:
        request = self.request
        options = (request.drafts, request.preview, request.future, request.check)
        return reuse.state_key(config, options)

    def _told(
        self, graph: ContentGraph, config: SiteConfig, scheduled: list[Article], pictured: Pictured
    ) -> list[ContentError]:
        """What ``check`` tells besides what every build does: lint, scheduled articles,
        pictures to look at."""
        if not self.request.check:
            return []
        shown = self.request.future
        return [
            *lint(graph, config.zone),
            *schedule_notes(scheduled, config.zone, shown=shown),
            *picture_notes(pictured),
        ]

    def _up_to_date(
        self,
        before: tuple[dict[str, DocumentRecord], list[tuple[str, str]] | None, list],
        templates: Mapping[str, str],
        copied: list[tuple[str, SourceFile]],
        theme: Theme,
    ) -> bool:
        """Whether nothing the last successful build used has changed: the same records
        of the same files (none read again), the same theme, translations and copied
        files, and every output still where it was written. Then there is nothing to
        resolve, plan, render or write, and the result is the last one."""
        state = self.state
        if state.graph is None or state.failed or self._before is not None:
            return False
        if not reuse.same_records(state, before):
            return False
        output = self.request.output
        return reuse.same_theme_and_outputs(state.index(), templates, copied, theme, output)

    def unchanged_since(self, index: StateIndex) -> bool:
        """Whether a build now would find nothing changed since the one ``index`` sums
        up: what a build run asks before reading the whole state (see ``cache``)."""
        try:
            config = self._settings(EVERYTHING)
        except BuildError:
            return False
        if index.failed or self._state_key(config) != index.key:
            return False
        if not index.window.holds(self._publication().now):
            return False  # an article's time has come (or a --now went back before one)
        theme = self._theme_for(EVERYTHING)
        source = self.request.source
        listing, problems = content_files(source)
        if tuple(listing) != index.listing or tuple(problems) != index.listing_problems:
            return False
        for rel, path in listing:
            if rel in index.files and FileSignature.of(path) != index.files[rel]:
                return False
        if any(FileSignature.of(source / rel) != sig for rel, sig in index.pictures.items()):
            return False
        store = self.picture_store()
        assets = [asset_of(rel) for rel, _path in listing if rel not in index.files]
        copied = copied_files(source, assets, theme) + [
            (out, file) for out, (file, _sig) in index.copied.items() if file.root == store
        ]
        templates = theme.template_digests()
        return reuse.same_theme_and_outputs(index, templates, copied, theme, self.request.output)

    def _unchanged(self, sources: Sources, timings: Timings) -> BuildResult:
        state = self.state
        assert state.graph is not None
        return BuildResult(
            config=sources.config,
            graph=state.graph,
            pages=state.pages,
            copied={out: file for out, (file, _sig) in state.copied.items()},
            rendered=frozenset(),
            changed=(),
            removed={},
            warnings=state.warnings,
            timings=dict(timings.stages),
            inputs=tuple(rel for rel, _ in sources.listing),
            up_to_date=True,
        )

    def _plans(self, graph: ContentGraph, urls: Urls, config: SiteConfig) -> list[PagePlan]:
        """Every page's plan; the last build's while nothing plans depend on changed
        (documents' addresses and languages, which tags and topics exist and how long
        their lists are, the page sizes): a save of a body re-plans nothing."""
        key = reuse.plans_key(graph, config)
        if self._planned is not None and self._planned[0] == key:
            return self._planned[1]
        plans = plan_pages(graph, urls, config.language)
        self._planned = (key, plans)
        return plans

    def _settings(self, changes: Changes) -> SiteConfig:
        config = self._config
        if config is None or changes.settings or changes.everything or self._given is not None:
            self._config = None  # stays unset while site.yaml is broken: read it next time
            config = self._config = site_config(self.request, self._given)
        return config

    def _theme_for(self, changes: Changes) -> Theme:
        if self._theme is None or changes.theme:
            source = self.request.source
            self._theme = Theme(layout_dirs(source), source, bytecode=self.state.bytecode)
        return self._theme

    def _markdown(self, config: SiteConfig) -> MarkdownIt:
        if self._md is None or self._md.options.get("html") != config.markdown_html:
            self._md = make_markdown(html=config.markdown_html)
        return self._md

    def _listing(self, changes: Changes) -> tuple[list[tuple[str, str]], list[ContentError], bool]:
        """The files of ``content/``, their walk's problems, and whether it was walked
        now: the last walk serves while the watcher names only files it found (an edit,
        the common case, needs no walk of 10,000 files)."""
        state, source = self.state, self.request.source
        if state.listing is not None and not changes.everything:
            known = {rel for rel, _ in state.listing}
            if all(
                rel in known and (source / rel).is_file() and not (source / rel).is_symlink()
                for rel in changes.content
            ):
                return state.listing, state.listing_problems, False
        files, problems = content_files(source)
        return files, problems, True

    def _parse(
        self,
        listing: list[tuple[str, str]],
        kept: dict[str, DocumentRecord],
        config: SiteConfig,
        md: MarkdownIt,
        workers: Workers,
    ) -> dict[str, DocumentRecord]:
        """Every document's record: kept, or read again (and parsed when its bytes changed)."""
        records: dict[str, DocumentRecord] = {}
        old = self.state.documents
        todo: list[ParseItem] = []
        for rel, path in listing:
            kind = kind_of(rel)
            if kind == "asset":
                continue
            if rel in kept:
                records[rel] = kept[rel]
                continue
            previous = old.get(rel)
            if previous is not None and previous.digest:  # touched: but are its bytes new?
                data, _problems = read_source(self.request.source, rel, config.max_file_size)
                if data is not None and file_digest(data) == previous.digest:
                    records[rel] = replace(previous, signature=FileSignature.of(path))
                    continue
            todo.append(ParseItem(rel, kind, _size(path)))
        records.update(workers.parse(config, todo, md))
        return {rel: records[rel] for rel, _path in listing if rel in records}

    def _claims(
        self, plans: list[PagePlan], copied: list[tuple[str, SourceFile]], assets: list[Asset]
    ) -> list[ContentError]:
        """Output clashes; none when the pages and copied files are those of the last
        successful build (its claims succeeded)."""
        if reuse.same_claims(self.state, plans, copied):
            return []
        return claim_outputs(plans, copied, assets).problems

    def _localizers_for(
        self, theme: Theme, languages: list[str], catalogs: Mapping[str, str], site_lang: str
    ) -> dict[str, Localizer]:
        current = self._localizers
        if not set(languages) <= set(current) or any(
            self.state.catalogs.get(lang) != digest for lang, digest in catalogs.items()
        ):
            current = load_localizers(theme.layout_dirs, languages, site_lang)
        self._localizers = current
        return current

    def _render(
        self, sources: Sources, site: Site, workers: Workers, first: RenderFirst | None
    ) -> Rendered:
        """Every page's record: the last one where nothing it shows changed, else new
        (``first``'s pages rendered, and handed over, before the others)."""
        state, request = self.state, self.request
        kept, todo, moved = reuse.pages_to_render(
            state, site.plans, site.graph, sources.templates, site.catalogs, request.output
        )
        context = RenderContext(sources.config, site.urls, site.localizers, request.preview)
        renderer = Renderer(context, sources.theme, sources.md)
        graph = self._with_html(site.graph, todo, renderer.md)
        fresh = {p.output: p for p in self._render_all(todo, graph, renderer, workers, first)}
        pages: dict[str, PageRecord] = {}
        same = SharedReads()
        for plan in site.plans:
            page = fresh.get(plan.output)
            if page is None:
                pages[plan.output] = kept[plan.output]
            else:
                digest = file_digest(page.data)
                reads = same.of(page.reads)
                pages[plan.output] = PageRecord(plan, reads, page.templates, digest, page.data)
        return Rendered(pages, frozenset(fresh), moved)

    def _with_html(
        self, graph: ContentGraph, plans: list[PagePlan], md: MarkdownIt
    ) -> ContentGraph:
        """The graph with the HTML of every body a page to render shows: a state restored
        from disk keeps it in the cache's body store (or, missing there, the file is
        parsed again). Parsed bodies compare by digest: no page's reads change."""
        wanted = {
            path: graph.parsed[path]
            for plan in plans
            for path in BY_NAME[plan.kind].bodies(graph, plan)
            if path in graph.parsed and graph.parsed[path].html is None
        }
        if not wanted:
            return graph
        stored = self.state.bodies.fill(wanted.values()) if self.state.bodies else {}
        found: dict[str, ParsedBody] = {}
        for path, body in wanted.items():
            self._check_stop()
            again = stored.get(body.digest) or self._parse_again(path, md)
            if again is not None:
                found[path] = replace(body, html=again.html, links=again.links)
        return replace(graph, parsed={**graph.parsed, **found})

    def _parse_again(self, rel: str, md: MarkdownIt) -> ParsedBody | None:
        assert self._config is not None
        data, _problems = read_source(self.request.source, rel, self._config.max_file_size)
        if data is None:
            return None
        document, parsed, _found = parse_document(kind_of(rel), rel, data, self._config, md)
        return parsed if document is not None else None

    def _render_all(
        self,
        plans: list[PagePlan],
        graph: ContentGraph,
        renderer: Renderer,
        workers: Workers,
        first: RenderFirst | None,
    ) -> list[RenderedPage]:
        """Render ``plans``: in one batch, or ``first``'s among them in a batch of their
        own, handed over before the others are rendered. The problems of both batches are
        raised together, as one batch raises them; pages render alike in any order."""
        progress, bytecode = self.progress, self.state.bytecode
        soon, later = _first_and_rest(plans, first)
        progress.start("render", len(plans))
        try:
            if first is None or not soon or not later:
                return workers.render(renderer, graph, plans, bytecode, progress.advance)
            pages, problems = workers.render_collecting(
                renderer, graph, soon, bytecode, progress.advance
            )
            if not problems:
                self._hand_over(pages, first)
            rest, more = workers.render_collecting(
                renderer, graph, later, bytecode, progress.advance
            )
            if problems or more:
                raise BuildError([*problems, *more])
            return [*pages, *rest]
        finally:
            progress.finish()

    def _hand_over(self, pages: list[RenderedPage], first: RenderFirst) -> None:
        """Give ``first.ready`` the pages rendered first whose bytes differ from the last
        successful build's (the pages a browser has to be told about)."""
        self._check_stop()  # stopped meanwhile: nobody is left to show them to
        before = (self._before or self.state).pages
        differ = {
            page.output: page.data
            for page in pages
            if page.output not in before or before[page.output].digest != file_digest(page.data)
        }
        if differ:
            first.ready(MappingProxyType(differ))

    def _commit(
        self, sources: Sources, site: Site, rendered: Rendered, timings: Timings
    ) -> BuildResult:
        """Keep this build as the state the next one starts from, and tell how its
        outputs differ from the last successful build's."""
        state = self.state
        before = self._before or state
        self._before = None
        source, graph, pages = self.request.source, site.graph, rendered.pages
        copied = {out: (file, FileSignature.of(file.path)) for out, file in sources.copied}
        changed = [
            out
            for out, record in pages.items()
            if out not in before.pages or before.pages[out].digest != record.digest
        ]
        changed += [
            out
            for out, (file, signature) in copied.items()
            if before.copied.get(out) != (file, signature)
            or sources.changes.copied_changed(_relative(file.path, source))
        ]
        gone = (before.pages.keys() | before.copied.keys()) - (pages.keys() | copied.keys())
        removed = {out: _nearest(out, before, pages, graph) for out in sorted(gone)}
        if self.request.preview:
            state.readers = _updated_readers(state, pages)
        state.graph, state.pages, state.copied = graph, pages, copied
        state.templates, state.catalogs = sources.templates, site.catalogs
        state.warnings = site.warnings
        state.outputs.update(rendered.moved)
        for out in gone:
            state.outputs.pop(out, None)
        return BuildResult(
            config=sources.config,
            graph=graph,
            pages=pages,
            copied={out: file for out, (file, _sig) in copied.items()},
            rendered=rendered.rendered,
            changed=tuple(sorted(changed)),
            removed=removed,
            warnings=site.warnings,
            timings=dict(timings.stages),
            inputs=tuple(rel for rel, _ in sources.listing),
        )


# -- small pieces shared by the stages --------------------------------------------------


Settings = tuple[SiteConfig, list[ContentError]]
"""``site.yaml`` as read (``config.load_config``): the settings and their problems."""


def site_config(request: BuildRequest, given: Settings | None = None) -> SiteConfig:
    """``site.yaml`` (as ``given``, else read now) as this build sees it (the preview
    serves from its own address); its problems raise ``BuildError``."""
    config, problems = given if given is not None else load_config(request.source)
    if problems:
        raise BuildError(problems)
    return config.with_base_url(request.base_url) if request.base_url else config


def _first_and_rest(
    plans: list[PagePlan], first: RenderFirst | None
) -> tuple[list[PagePlan], list[PagePlan]]:
    """``plans`` split into those ``first`` names and the others, each in plan order."""
    if first is None or not first.outputs:
        return [], plans
    wanted = first.outputs
    return [p for p in plans if p.output in wanted], [p for p in plans if p.output not in wanted]


def _size(path: str | Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _relative(path: Path, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return ""  # the default theme's own files are not the editor's to change


def _updated_readers(state: BuildState, pages: Mapping[str, PageRecord]) -> ReadIndex:
    """The index of who read what, in step with the pages about to be kept."""
    if state.readers is None:
        return ReadIndex.of((out, record.reads) for out, record in pages.items())
    readers = state.readers
    for out, record in state.pages.items():
        if pages.get(out) is not record:
            readers.remove(out, record.reads)
    for out, record in pages.items():
        if state.pages.get(out) is not record:
            readers.add(out, record.reads)
    return readers


def _nearest(
    output: str, state: BuildState, pages: Mapping[str, PageRecord], graph: ContentGraph
) -> str:
    """Where a reader of a vanished page should go: its new place, the last page of its
    list, its topic, or home."""
    old = state.pages.get(output)
    home = "index.html"
    if old is None or not (old.plan.key or old.plan.page > 1):
        return home
    same = [
        record.plan
        for record in pages.values()
        if record.plan.key == old.plan.key and record.plan.kind == old.plan.kind
    ]
    if same:
        # Renamed (the same source under a new URL): the same page of it. A list that
        # shrank (page 7 of an archive or tag now of 6): its last page, the nearest.
        at = [plan for plan in same if plan.page == old.plan.page]
        return (at[0] if at else max(same, key=lambda plan: plan.page)).output
    previous = state.graph
    for slug in previous.article_topics.get(old.plan.key, ()) if previous else ():
        if slug in graph.topics:
            for record in pages.values():
                plan = record.plan
                if plan.key == graph.topics[slug].path and BY_NAME[plan.kind].document_page:
                    return plan.output
    return home


def stop_on_errors(problems: list[ContentError]) -> tuple[ContentError, ...]:
    """Raise ``BuildError`` (warnings included) if any problem is an error; else give the
    warnings (and ``check``'s info lines), which the build reports and goes on."""
    if any(p.is_error for p in problems):
        raise BuildError(problems)
    return tuple(sorted(problems))


def copied_files(
    source: Path, assets: Iterable[Asset], theme: Theme
) -> list[tuple[str, SourceFile]]:
    """Files copied as they are: content assets and the theme's static files. Pictures
    are not: they are published as the pictures stage made them (``engine.pictures``)."""
    content = source / CONTENT
    files = [
        (a.output, SourceFile(source / a.path, content)) for a in assets if not is_raster(a.path)
    ]
    files += [(f"static/{rel}", found) for rel, found in theme.static_files()]
    return files


def claim_outputs(
    plans: Iterable[PagePlan], files: Iterable[tuple[str, SourceFile]], assets: Iterable[Asset]
) -> OutputClaims:
    """Give every output path one owner; clashes become errors naming both sources."""
    claims = OutputClaims()
    for plan in plans:
        claims.claim(plan.output, plan.source, plan.line)
    asset_sources = {a.output: a.path for a in assets}
    for output, _path in files:
        claims.claim(output, asset_sources.get(output, ""), 1, what="file")
    return claims


def asset_of(rel: str) -> Asset:
    """A content file that is no article, topic or author: copied as it is."""
    return Asset(rel, rel.removeprefix(CONTENT + "/"))


def collect(
    listing: list[tuple[str, str]],
    records: Mapping[str, DocumentRecord],
    publication: Publication,
) -> Collected:
    """The documents this build publishes, the assets, and every article it considered
    whose date is still to come (left out or, with ``future``, marked scheduled)."""
    found = Collected()
    for rel, _path in listing:
        record = records.get(rel)
        if record is None:
            found.assets.append(asset_of(rel))
            continue
        found.problems.extend(record.problems)
        document = record.document
        if document is None or record.parsed is None:
            continue
        if isinstance(document, Topic):
            found.topics.append(document)
        elif isinstance(document, Author):
            found.authors.append(document)
        else:
            if publication.considers(document) and publication.is_scheduled(document):
                found.scheduled.append(document)
            published = publication.admit(document)
            if published is None:
                continue
            found.articles.append(published)
        found.parsed[document.path] = record.parsed
    return found
