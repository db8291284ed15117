"""Rebuilding after an edit: re-read what changed, re-render only the pages it affects.

The rule this module keeps: after any sequence of edits, the result is byte-identical to
a clean full build of the same content. So the whole content graph is rebuilt every time
(it is cheap next to rendering) and a page is reused only when nothing it read from the
graph gives another value (``deps.PageDeps.stale``), its plan is the same and none of its
templates changed. Anything that changes every page (``site.yaml``, translations) starts
afresh, as Hugo does when in doubt.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt

from dossierpress.config import CONFIG_NAME, SiteConfig
from dossierpress.content.loader import DocumentCache, load_content
from dossierpress.content.markdown import ParsedBody, make_markdown
from dossierpress.content.model import Article, Asset, Document, Topic
from dossierpress.content.walk import SourceFile
from dossierpress.engine.build import (
    BuildOptions,
    claim_outputs,
    copied_files,
    heading_warnings,
    page_languages,
    parse_documents,
    site_config,
    stop_on_errors,
)
from dossierpress.errors import BuildError, ContentError
from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import Entry, ReadIndex
from dossierpress.graph.resolve import build_graph
from dossierpress.pages.builder import RenderContext
from dossierpress.pages.kinds import PagePlan, RenderedPage, plan_pages, render_page
from dossierpress.pages.urls import Urls
from dossierpress.theme.i18n import Localizer, load_localizers
from dossierpress.theme.templates import Theme

LAYOUTS = "layouts/"
I18N = "layouts/i18n/"
STATIC = "layouts/static/"


@dataclass(frozen=True)
class Outcome:
    """The result of one (re)build, as the live preview needs it."""

    files: Mapping[str, bytes | SourceFile]
    """Every output file of the last good build (the previous one when this one failed)."""
    errors: tuple[ContentError, ...] = ()
    """Every problem of this build: errors when it failed, else only warnings."""
    changed: tuple[str, ...] = ()
    """Output paths whose content changed (or appeared)."""
    removed: Mapping[str, str] = field(default_factory=dict)
    """Output path that no longer exists → output path of the nearest page that does."""
    rendered: int = 0
    """Pages rendered by this build (the rest were reused)."""
    seconds: float = 0.0

    @property
    def css_only(self) -> bool:
        return bool(self.changed) and all(p.endswith(".css") for p in self.changed)


@dataclass
class _Good:
    """The last build that succeeded."""

    config: SiteConfig
    graph: ContentGraph
    plans: dict[str, PagePlan]
    pages: dict[str, RenderedPage]
    files: dict[str, bytes | SourceFile]
    copied: list[tuple[str, SourceFile]]


class IncrementalBuilder:
    """Keeps what the last build read and rendered, and rebuilds from a set of changed paths.

    ``changed`` are paths relative to the source (``content/articles/x.md``,
    ``layouts/article.html``, ``site.yaml``; a folder stands for everything below it). Not
    thread-safe: one rebuild at a time (the watcher guarantees it).
    """

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self._documents = DocumentCache()
        self._parsed: dict[str, tuple[object, ParsedBody]] = {}
        self._config: SiteConfig | None = None
        self._theme: Theme | None = None
        self._localizers: dict[str, Localizer] = {}
        self._good: _Good | None = None
        self._readers = ReadIndex()
        self._unbuilt: frozenset[str] = frozenset()
        """Paths changed since the last good build: a failed build's changes still count."""

    def build(self, changed: Iterable[str] = ()) -> Outcome:
        start = time.perf_counter()
        changed = frozenset(changed) | self._unbuilt
        self._unbuilt = changed
        try:
            outcome = self._build(changed)
            self._unbuilt = frozenset()
        except BuildError as exc:
            files = self._good.files if self._good else {}
            outcome = Outcome(files=files, errors=tuple(exc.errors))
        return Outcome(
            outcome.files,
            outcome.errors,
            outcome.changed,
            outcome.removed,
            outcome.rendered,
            time.perf_counter() - start,
        )

    def _update_readers(self, pages: Mapping[str, RenderedPage]) -> None:
        """Keep the index of who read what in step with the pages just committed."""
        before = self._good.pages if self._good else {}
        if not self._good:
            self._readers = ReadIndex()
        for output, page in before.items():
            if pages.get(output) is not page:
                self._readers.remove(output, page.deps)
        for output, page in pages.items():
            if before.get(output) is not page:
                self._readers.add(output, page.deps)

    def page_of_sources(self, sources: Iterable[str]) -> list[str]:
        """Output paths of the article or topic pages made from these source files."""
        if self._good is None:
            return []
        wanted = set(sources)
        return [
            plan.output
            for plan in self._good.plans.values()
            if plan.key in wanted and plan.kind in ("article", "topic")
        ]

    def _build(self, changed: frozenset[str]) -> Outcome:
        source = self.options.source
        fresh = self._forget(changed)
        config = self._load_config() if fresh or self._config is None else self._config
        theme = self._load_theme(changed)
        loaded = load_content(source, config, drafts=self.options.drafts, cache=self._documents)
        md = make_markdown(html=config.markdown_html)
        parsed = self._parse(md, loaded.articles, loaded.topics)
        before = None if fresh or self._good is None else self._good.graph
        graph, graph_problems = build_graph(loaded.articles, loaded.topics, parsed, before)
        urls = Urls(config)
        plans = self._reusable_plans(graph, fresh) or plan_pages(graph, urls, config.language)
        files = copied_files(source, loaded.assets, theme)
        claims = self._claims(plans, files, loaded.assets)
        problems = [*loaded.errors, *graph_problems, *claims, *theme.problems]
        warnings = stop_on_errors([*problems, *heading_warnings(parsed)])
        languages = page_languages(config, plans)
        if (
            fresh
            or self._i18n_changed(changed)
            or not self._localizers
            or not set(languages) <= set(self._localizers)
        ):
            self._localizers = load_localizers(theme.layout_dirs, languages)
        ctx = RenderContext(config, graph, urls, md, self._localizers, self.options.preview)
        templates = _changed_templates(changed)
        previous = None if fresh or self._i18n_changed(changed) else self._good
        suspects = self._readers.suspects(previous.graph, graph) if previous else {}
        pages: dict[str, RenderedPage] = {}
        rendered = 0
        for plan in plans:
            old = previous.pages.get(plan.output) if previous else None
            if old is None or _must_render(plan, old, previous, graph, templates, suspects):
                pages[plan.output] = render_page(plan, ctx, theme)
                rendered += 1
            else:
                pages[plan.output] = old
        outcome = self._commit(config, graph, plans, pages, files, changed, rendered)
        return replace(outcome, errors=warnings)

    def _claims(
        self, plans: list[PagePlan], files: list[tuple[str, SourceFile]], assets: tuple[Asset, ...]
    ) -> list[ContentError]:
        """Output clashes; none when the pages and copied files are those of the last good
        build (its claims succeeded)."""
        good = self._good
        if good is not None and plans == list(good.plans.values()) and files == good.copied:
            return []
        return claim_outputs(plans, files, assets).problems

    def _reusable_plans(self, graph: ContentGraph, fresh: bool) -> list[PagePlan] | None:
        """The last build's page plans, when no document's address, language, error line
        or aliases changed and no page came or went: plans depend on nothing else."""
        good = self._good
        if fresh or good is None:
            return None
        old = good.graph
        for name in ("articles", "topics", "tags"):
            if tuple(getattr(old, name)) != tuple(getattr(graph, name)):
                return None
        for path, article in graph.articles.items():
            was = old.articles[path]
            if was is not article and _plan_key(was) != _plan_key(article):
                return None
        for slug, topic in graph.topics.items():
            was = old.topics[slug]
            if was is not topic and (was.path, was.lang) != (topic.path, topic.lang):
                return None
        return list(good.plans.values())

    def _forget(self, changed: frozenset[str]) -> bool:
        """Drop cached documents for the changed paths; True when everything must be redone."""
        fresh = self._good is None or CONFIG_NAME in changed
        if fresh:
            self._documents.clear()
            self._parsed.clear()
        else:
            self._documents.forget(p for p in changed if _under(p, "content"))
        return fresh

    def _load_config(self) -> SiteConfig:
        self._config = None  # stays unset while site.yaml is broken: read it again next time
        self._config = site_config(self.options)
        return self._config

    def _load_theme(self, changed: frozenset[str]) -> Theme:
        if self._theme is None or any(_under(p, "layouts") for p in changed):
            source = self.options.source
            self._theme = Theme.for_source(source)
        return self._theme

    def _i18n_changed(self, changed: frozenset[str]) -> bool:
        return "layouts" in changed or any(_under(p, I18N) for p in changed)

    def _parse(
        self, md: MarkdownIt, articles: tuple[Article, ...], topics: tuple[Topic, ...]
    ) -> dict[str, ParsedBody]:
        """Parse only documents that changed: an unchanged one is the very same object."""
        parsed: dict[str, ParsedBody] = {}

        def stale(docs: tuple[Document, ...]) -> list:
            todo = []
            for doc in docs:
                cached = self._parsed.get(doc.path)
                if cached is not None and cached[0] is doc:
                    parsed[doc.path] = cached[1]
                else:
                    todo.append(doc)
            return todo

        parsed.update(parse_documents(md, stale(articles), stale(topics)))
        documents = {doc.path: doc for doc in (*articles, *topics)}
        self._parsed = {path: (documents[path], body) for path, body in parsed.items()}
        return parsed

    def _commit(
        self,
        config: SiteConfig,
        graph: ContentGraph,
        plans: list[PagePlan],
        pages: dict[str, RenderedPage],
        copied: list[tuple[str, SourceFile]],
        sources: frozenset[str],
        rendered: int,
    ) -> Outcome:
        files: dict[str, bytes | SourceFile] = {out: page.data for out, page in pages.items()}
        files.update(copied)
        before = self._good.files if self._good else {}
        changed = tuple(
            sorted(
                out
                for out, data in files.items()
                if _differs(out, data, before, sources, self.options.source)
            )
        )
        by_output = {p.output: p for p in plans}
        removed = (
            {
                out: _nearest(out, self._good, by_output, graph)
                for out in sorted(set(before) - set(files))
            }
            if self._good
            else {}
        )
        self._update_readers(pages)
        self._good = _Good(config, graph, by_output, pages, files, copied)
        return Outcome(files=files, changed=changed, removed=removed, rendered=rendered)


def _under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it (a watcher may name either)."""
    folder = folder.rstrip("/")
    return path == folder or path.startswith(folder + "/")


def _plan_key(article: Article) -> tuple[object, ...]:
    return (article.slug, article.date, article.lang, article.title_line, article.aliases)


def _changed_templates(changed: frozenset[str]) -> frozenset[str]:
    """Template names (``article.html``, ``partials/x.html``) of changed layout files, or
    of changed folders (``partials``) standing for every template inside them."""
    return frozenset(
        p[len(LAYOUTS) :] for p in changed if p.startswith(LAYOUTS) and not p.startswith(STATIC)
    )


def _must_render(
    plan: PagePlan,
    old: RenderedPage,
    previous: _Good,
    graph: ContentGraph,
    templates: frozenset[str],
    suspects: Mapping[str, list[Entry]],
) -> bool:
    if previous.plans.get(plan.output) != plan:
        return True
    if any(_under(used, name) for used in old.deps.templates for name in templates):
        return True
    return plan.output in suspects and old.deps.stale(graph, suspects[plan.output])


def _differs(
    output: str,
    data: bytes | SourceFile,
    before: Mapping[str, bytes | SourceFile],
    sources: frozenset[str],
    root: Path,
) -> bool:
    old = before.get(output)
    if old is None or type(old) is not type(data) or old != data:
        return True
    # A copied file keeps its path when edited: it changed when the watcher saw it, or its
    # folder, change. The default theme's own files are not the editor's to change.
    if not isinstance(data, SourceFile):
        return False
    try:
        path = Path(os.path.abspath(data.path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return False
    return any(_under(path, s) for s in sources)


def _nearest(output: str, good: _Good, plans: Mapping[str, PagePlan], graph: ContentGraph) -> str:
    """Where a reader of a vanished page should go: its new place, its topic, or home."""
    old = good.plans.get(output)
    home = "index.html"
    if old is None or not old.key:
        return home
    for plan in plans.values():
        if plan.key == old.key and plan.kind == old.kind:
            return plan.output  # renamed: the same source under a new URL
    for slug in good.graph.article_topics.get(old.key, ()):
        if slug in graph.topics:
            for plan in plans.values():
                if plan.kind == "topic" and plan.key == graph.topics[slug].path:
                    return plan.output
    return home
