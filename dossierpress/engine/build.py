"""The build as a readable sequence: load → validate → content graph → render → write.

``generate`` does everything up to the bytes of every output file and keeps them in
memory with each page's dependencies; ``build`` writes them. The CLI and the live preview
call the same functions. Every stage's problems are gathered, and the build stops
before writing anything if there are any.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt

from dossierpress.config import CONFIG_NAME, SiteConfig, load_config
from dossierpress.content.loader import CONTENT, load_content
from dossierpress.content.markdown import ParsedBody, make_markdown, parse_body, parse_inline
from dossierpress.content.model import Article, Asset, Topic
from dossierpress.content.walk import SourceFile
from dossierpress.errors import BuildError, ContentError, ErrorList
from dossierpress.graph.model import ContentGraph
from dossierpress.graph.resolve import build_graph
from dossierpress.output import OutputClaims, OutputFolder, WriteReport, refuse_unsafe_target
from dossierpress.pages.builder import RenderContext
from dossierpress.pages.kinds import PagePlan, RenderedPage, plan_pages, render_page
from dossierpress.pages.urls import Urls
from dossierpress.theme.i18n import load_localizers
from dossierpress.theme.templates import LAYOUTS_DIR, Theme, default_layouts_dir


@dataclass(frozen=True)
class BuildOptions:
    source: Path
    output: Path
    drafts: bool = False
    base_url: str | None = None
    """Overrides ``site.yaml``'s base_url (the live preview serves from its own address)."""
    preview: bool = False
    clean: bool = False
    """Remove files in the output folder that the build did not write (``--clean``)."""


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
class GeneratedSite:
    """Every output file of a build, in memory, with what each page depended on."""

    config: SiteConfig
    graph: ContentGraph
    pages: tuple[RenderedPage, ...]
    files: tuple[tuple[str, SourceFile], ...]
    """Copied files: content assets and theme static files (output path, source file)."""
    inputs: tuple[str, ...]
    warnings: tuple[ContentError, ...] = ()

    def outputs(self) -> list[tuple[str, bytes | SourceFile]]:
        items: list[tuple[str, bytes | SourceFile]] = [(p.output, p.data) for p in self.pages]
        items.extend(self.files)
        return sorted(items, key=lambda item: item[0])


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    seconds: float
    timings: dict[str, float]
    output: Path
    written: WriteReport
    warnings: tuple[ContentError, ...] = ()


def generate(options: BuildOptions, timings: Timings | None = None) -> GeneratedSite:
    """Read and render the whole site into memory; raises ``BuildError`` with every problem."""
    timings = timings or Timings()
    source = options.source
    with timings.stage("load"):
        config = site_config(options)
        loaded = load_content(source, config, drafts=options.drafts)
        md = make_markdown(html=config.markdown_html)
        parsed = parse_documents(md, loaded.articles, loaded.topics)
    with timings.stage("graph"):
        graph, graph_problems = build_graph(loaded.articles, loaded.topics, parsed)
        urls = Urls(config)
        theme = Theme.for_source(source)
        plans = plan_pages(graph, urls, config.language)
        files = copied_files(source, loaded.assets, theme)
        claims = claim_outputs(plans, files, loaded.assets)
        problems = [*loaded.errors, *graph_problems, *claims.problems, *theme.problems]
        warnings = stop_on_errors([*problems, *heading_warnings(parsed)])
    with timings.stage("render"):
        ctx = RenderContext(
            config=config,
            graph=graph,
            urls=urls,
            md=md,
            localizers=load_localizers(theme.layout_dirs, page_languages(config, plans)),
            preview=options.preview,
        )
        pages = tuple(render_page(plan, ctx, theme) for plan in plans)
    return GeneratedSite(config, graph, pages, tuple(sorted(files)), loaded.inputs, warnings)


def heading_warnings(parsed: Mapping[str, ParsedBody]) -> list[ContentError]:
    """A ``#`` heading in a body is shown one level down (``md_plugins.heading_levels``);
    tell the editor, who may have meant a section."""
    warnings = ErrorList()
    for path, body in parsed.items():
        for line in body.level_one_lines:
            warnings.warn(
                path,
                line,
                "level-1 heading in the body, shown as a level-2 heading: the headline is "
                "the page's one level-1 heading",
                hint="start sections with ##",
            )
    return warnings.errors


def stop_on_errors(problems: list[ContentError]) -> tuple[ContentError, ...]:
    """Raise ``BuildError`` (warnings included) if any problem is an error; else give the
    warnings, which the build reports and goes on."""
    if any(not p.is_warning for p in problems):
        raise BuildError(problems)
    return tuple(sorted(problems))


def site_config(options: BuildOptions) -> SiteConfig:
    """``site.yaml`` as this build sees it (the preview serves from its own address)."""
    config, problems = load_config(options.source)
    if problems:
        raise BuildError(problems)
    return config.with_base_url(options.base_url) if options.base_url else config


def page_languages(config: SiteConfig, plans: Iterable[PagePlan]) -> list[str]:
    """Every language a page is rendered in: the site's and each page's own."""
    return sorted({config.language, *(p.lang for p in plans)})


def parse_documents(
    md: MarkdownIt, articles: Iterable[Article], topics: Iterable[Topic]
) -> dict[str, ParsedBody]:
    """Parse every body once; a topic's key facts count as part of its body for wiki links."""
    parsed = {a.path: parse_body(md, a.body, a.body_line) for a in articles}
    for topic in topics:
        body = parse_body(md, topic.body, topic.body_line)
        fact_links = tuple(
            use
            for fact in topic.key_facts
            for use in parse_inline(md, fact.text, fact.line).wikilinks
        )
        parsed[topic.path] = replace(body, wikilinks=body.wikilinks + fact_links)
    return parsed


def copied_files(
    source: Path, assets: Iterable[Asset], theme: Theme
) -> list[tuple[str, SourceFile]]:
    """Files copied as they are: content assets and the theme's static files."""
    content = source / CONTENT
    files = [(a.output, SourceFile(source / a.path, content)) for a in assets]
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


def protected_paths(source: Path) -> dict[str, Path]:
    """What no output folder may contain or lie in, however the paths are spelt."""
    paths = {
        "the source folder": source,
        "content/": source / CONTENT,
        "layouts/": source / LAYOUTS_DIR,
        CONFIG_NAME: source / CONFIG_NAME,
        "the default theme": default_layouts_dir(),
    }
    return {label: path for label, path in paths.items() if path.exists()}


CLOSED_FOLDERS = ("content/", "layouts/", "the default theme")
"""Folders no output may lie in (an output inside the source, like ``site/``, is fine)."""


def output_folder(source: Path, output: Path, clean: bool = False) -> OutputFolder:
    """The output folder of a build of ``source``, refused at once (``OutputProblem``) if
    it is unsafe or holds files the build did not write."""
    refuse_unsafe_target(output, protected_paths(source), CLOSED_FOLDERS, clean)
    folder = OutputFolder(output, clean=clean)
    folder.check()
    return folder


def build(options: BuildOptions) -> BuildReport:
    """Build the site into ``options.output``, changing it only when everything succeeded.

    The output folder is checked before anything is read, so a refusal costs nothing;
    raises ``OutputProblem`` for the folder, ``BuildError`` for the content.
    """
    timings = Timings()
    folder = output_folder(options.source, options.output, options.clean)
    site = generate(options, timings)
    with timings.stage("write"):
        written = folder.replace_all(site.outputs())
    return BuildReport(
        pages=len(site.pages),
        files=len(site.files),
        seconds=timings.total,
        timings=dict(timings.stages),
        output=options.output,
        written=written,
        warnings=site.warnings,
    )
