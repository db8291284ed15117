"""The build as a readable sequence: load → validate → content graph → render → write.

``generate`` does everything up to the bytes of every output file and keeps them in
memory with each page's dependencies; ``build`` writes them. The CLI and the live preview
call the same functions. Every stage's problems are gathered, and the build stops
before writing anything if there are any.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt

from .config import SiteConfig, load_config
from .errors import BuildError, ContentError
from .graph import ContentGraph, build_graph
from .i18n import load_localizers
from .loader import load_content
from .markdown import ParsedBody, make_markdown, parse_body, parse_inline
from .model import Article, Asset, Topic
from .output import OutputClaims, write_tree
from .pages import RenderContext
from .render import PagePlan, RenderedPage, plan_pages, render_page
from .templating import Theme
from .urls import Urls


@dataclass(frozen=True)
class BuildOptions:
    source: Path
    output: Path
    drafts: bool = False
    base_url: str | None = None
    """Overrides ``site.yaml``'s base_url (the live preview serves from its own address)."""
    preview: bool = False


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
    files: tuple[tuple[str, Path], ...]
    """Copied files: content assets and theme static files (output path, source file)."""
    inputs: tuple[str, ...]

    def outputs(self) -> list[tuple[str, bytes | Path]]:
        items: list[tuple[str, bytes | Path]] = [(p.output, p.data) for p in self.pages]
        items.extend(self.files)
        return sorted(items, key=lambda item: item[0])


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    seconds: float
    timings: dict[str, float]
    output: Path


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
        errors: list[ContentError] = [*loaded.errors, *graph_problems, *claims.problems]
        if errors:
            raise BuildError(errors)
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
    return GeneratedSite(config, graph, pages, tuple(sorted(files)), loaded.inputs)


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


def copied_files(source: Path, assets: Iterable[Asset], theme: Theme) -> list[tuple[str, Path]]:
    """Files copied as they are: content assets and the theme's static files."""
    files = [(a.output, source / a.path) for a in assets]
    files += [(f"static/{rel}", path) for rel, path in theme.static_files()]
    return files


def claim_outputs(
    plans: Iterable[PagePlan], files: Iterable[tuple[str, Path]], assets: Iterable[Asset]
) -> OutputClaims:
    """Give every output path one owner; clashes become errors naming both sources."""
    claims = OutputClaims()
    for plan in plans:
        claims.claim(plan.output, plan.source, plan.line)
    asset_sources = {a.output: a.path for a in assets}
    for output, _path in files:
        claims.claim(output, asset_sources.get(output, ""), 1, what="file")
    return claims


def unsafe_output_reason(source: Path, output: Path) -> str | None:
    """Why ``output`` must not be replaced by a build (it would delete the editor's files)."""
    src, out = source.resolve(), output.resolve()
    if out == src or out in src.parents:
        return f"output folder '{output}' contains the source folder"
    for protected in ("content", "layouts"):
        folder = (src / protected).resolve()
        if out == folder or folder in out.parents:
            return f"output folder '{output}' lies inside {protected}/"
    return None


def build(options: BuildOptions) -> BuildReport:
    """Build the site into ``options.output``, replacing it only when everything succeeded."""
    timings = Timings()
    site = generate(options, timings)
    with timings.stage("write"):
        count = write_tree(options.output, site.outputs())
    return BuildReport(
        pages=len(site.pages),
        files=count - len(site.pages),
        seconds=timings.total,
        timings=dict(timings.stages),
        output=options.output,
    )
