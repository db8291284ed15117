"""Parsing and rendering over every core: worker processes that share the build's work.

Parsing a document and rendering a page are pure functions of their inputs, so a build
can hand them to other processes and get byte-identical results in any order. A
``Workers`` pool is ``jobs - 1`` processes plus the build's own: each parse or render
batch is split into ``jobs`` shares of about the same size, the workers get theirs, and
this process does its own share meanwhile. A worker is set up once per build with what
does not change between pages (the settings, then the content graph, the render context
and the compiled templates, each pickled once for all workers); what comes back is
small (a parsed body is its HTML with placeholders, a page its bytes and what it read).

Every problem a worker meets is sent back as the same located lines an in-process build
reports, all of them; anything else that goes wrong in a worker stops the build with
that worker's message. Small builds (a few hundred documents or pages) are not worth a
process's start-up and run in-process.

A build that is stopped (``interrupt.StopRequest``, checked before each document and
page, and while waiting for the workers) or fails does not wait for the workers to
finish their shares: they are killed at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from dossierpress.config import SiteConfig
from dossierpress.content.loader import file_digest, parse_document, read_source
from dossierpress.content.markdown import make_markdown
from dossierpress.engine.state import DocumentRecord
from dossierpress.errors import BuildError, ContentError
from dossierpress.fileinfo import FileSignature
from dossierpress.graph.model import ContentGraph
from dossierpress.interrupt import StopRequest
from dossierpress.pages.kinds import BY_NAME
from dossierpress.pages.plan import PagePlan, RenderedPage
from dossierpress.pages.renderer import Renderer
from dossierpress.pictures.model import PictureRecord, PictureTask
from dossierpress.theme.templates import Theme

WORTH_A_PROCESS = 300
"""Fewer documents to parse or pages to render than this are done in-process."""

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ParseItem:
    rel: str
    kind: str
    size: int


class WorkerFailed(RuntimeError):
    """A worker process stopped on something other than a problem of the editor's."""


def parse_items(
    source: Path,
    config: SiteConfig,
    items: Sequence[ParseItem],
    md: Any = None,
    check: Callable[[], None] | None = None,
) -> list[tuple[str, DocumentRecord]]:
    """Read and parse documents: the records a build keeps of them (``check`` is called
    before each, and may raise to stop)."""
    md = md or make_markdown(html=config.markdown_html)
    records = []
    for item in items:
        if check is not None:
            check()
        signature = FileSignature.of(source / item.rel)
        data, problems = read_source(source, item.rel, config.max_file_size)
        if data is None:
            records.append((item.rel, DocumentRecord(signature, "", None, None, tuple(problems))))
            continue
        document, parsed, found = parse_document(item.kind, item.rel, data, config, md)
        record = DocumentRecord(signature, file_digest(data), document, parsed, tuple(found))
        records.append((item.rel, record))
    return records


def render_plans(
    renderer: Renderer,
    graph: ContentGraph,
    plans: Sequence[PagePlan],
    advance: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
) -> tuple[list[RenderedPage], list[ContentError]]:
    """Render pages; every page's problems are collected, not only the first one's
    (``check`` is called before each page, and may raise to stop)."""
    pages: list[RenderedPage] = []
    problems: list[ContentError] = []
    for plan in plans:
        if check is not None:
            check()
        try:
            pages.append(renderer.render(plan, graph))
        except BuildError as exc:
            problems.extend(exc.errors)
        if advance is not None:
            advance(1)
    return pages, problems


def split(items: Sequence[T], shares: int, weight: Callable[[T], int]) -> list[list[T]]:
    """``items`` in ``shares`` lists of about equal total weight, each in the given order
    (a deterministic, greedy split: the heaviest item goes to the lightest share)."""
    buckets: list[list[tuple[int, T]]] = [[] for _ in range(shares)]
    totals = [0] * shares
    order = sorted(range(len(items)), key=lambda i: -weight(items[i]))
    for i in order:
        lightest = totals.index(min(totals))
        buckets[lightest].append((i, items[i]))
        totals[lightest] += weight(items[i])
    return [[item for _i, item in sorted(bucket, key=lambda pair: pair[0])] for bucket in buckets]


class Workers:
    """``jobs - 1`` worker processes and this one, for the parse and render stages."""

    def __init__(self, jobs: int, source: Path, stop: StopRequest | None = None) -> None:
        self.jobs = max(1, jobs)
        self.source = source
        self.check = stop.check if stop is not None else None
        self._connections: list[Connection] = []
        self._processes: list[Any] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self.close(at_once=exc_type is not None)  # a stopped build waits for no share

    def worth_it(self, count: int) -> bool:
        return self.jobs > 1 and count >= WORTH_A_PROCESS

    # -- the stages ---------------------------------------------------------------------

    def parse(
        self, config: SiteConfig, items: Sequence[ParseItem], md: Any
    ) -> list[tuple[str, DocumentRecord]]:
        if not self.worth_it(len(items)):
            return parse_items(self.source, config, items, md, self.check)
        shares = split(items, self.jobs, lambda item: item.size + 512)
        self._start()
        for connection, share in zip(self._connections, shares[1:], strict=True):
            connection.send(("parse", (config, share)))
        mine = parse_items(self.source, config, shares[0], md, self.check)
        found = {rel: record for rel, record in mine}
        for connection in self._connections:
            found.update(self._answer(connection))
        return [(item.rel, found[item.rel]) for item in items]

    def render(
        self,
        renderer: Renderer,
        graph: ContentGraph,
        plans: Sequence[PagePlan],
        bytecode: dict[str, bytes],
        advance: Callable[[int], None] | None = None,
    ) -> list[RenderedPage]:
        """Render ``plans`` (raises ``BuildError`` with the problems of every page)."""
        pages, problems = self.render_collecting(renderer, graph, plans, bytecode, advance)
        if problems:
            raise BuildError(problems)
        return pages

    def render_collecting(
        self,
        renderer: Renderer,
        graph: ContentGraph,
        plans: Sequence[PagePlan],
        bytecode: dict[str, bytes],
        advance: Callable[[int], None] | None = None,
    ) -> tuple[list[RenderedPage], list[ContentError]]:
        """Render ``plans`` and give their problems back rather than raise them: a build
        that renders its pages in two batches (some first, ``build.RenderFirst``) reports
        the problems of both together, as one batch would."""
        if not self.worth_it(len(plans)):
            return render_plans(renderer, graph, plans, advance, self.check)
        return self._render_shared(renderer, graph, plans, bytecode, advance)

    def _render_shared(
        self,
        renderer: Renderer,
        graph: ContentGraph,
        plans: Sequence[PagePlan],
        bytecode: dict[str, bytes],
        advance: Callable[[int], None] | None,
    ) -> tuple[list[RenderedPage], list[ContentError]]:
        shares = split(plans, self.jobs, _render_weight)
        self._start()
        what = (graph, renderer.ctx, renderer.theme.layout_dirs, bytecode, renderer.md.options)
        setup = pickle.dumps(("setup", what), protocol=pickle.HIGHEST_PROTOCOL)
        for connection, share in zip(self._connections, shares[1:], strict=True):
            connection.send_bytes(setup)
            connection.send(("render", share))
        pages, problems = render_plans(renderer, graph, shares[0], advance, self.check)
        for connection, share in zip(self._connections, shares[1:], strict=True):
            theirs, their_problems = self._answer(connection)
            pages.extend(theirs)
            problems.extend(their_problems)
            if advance is not None:
                advance(len(share))
        order = {plan.output: i for i, plan in enumerate(plans)}
        pages.sort(key=lambda page: order[page.output])
        return pages, problems

    def pictures(
        self, tasks: Sequence[PictureTask], store: Path, max_size: int
    ) -> list[tuple[str, PictureRecord]]:
        """Process pictures (see ``pictures.process``): each is worth a process of its own,
        a camera's picture costing about a second."""
        from dossierpress.pictures.process import process_all  # Pillow: only when needed

        if self.jobs == 1 or len(tasks) < 2:
            return process_all(self.source, tasks, store, max_size, self.check)
        shares = split(tasks, self.jobs, lambda task: task.size + 100_000)
        self._start()
        for connection, share in zip(self._connections, shares[1:], strict=True):
            connection.send(("pictures", (share, store, max_size)))
        found = dict(process_all(self.source, shares[0], store, max_size, self.check))
        for connection in self._connections:
            found.update(self._answer(connection))
        return [(task.rel, found[task.rel]) for task in tasks]

    # -- the processes ------------------------------------------------------------------

    def _start(self) -> None:
        if self._processes:
            return
        context = _context()
        for _ in range(self.jobs - 1):
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs, self.source), daemon=True, name="dossier-worker"
            )
            process.start()
            theirs.close()
            self._connections.append(mine)
            self._processes.append(process)

    def _answer(self, connection: Connection) -> Any:
        try:
            while self.check is not None and not connection.poll(0.1):
                self.check()
            kind, payload = connection.recv()
        except (EOFError, OSError) as exc:
            raise WorkerFailed(f"a worker process stopped unexpectedly ({exc!r})") from None
        if kind == "failed":
            raise WorkerFailed(f"a worker process failed: {payload}")
        return payload

    def close(self, *, at_once: bool = False) -> None:
        """Stop the workers: told to, or ``at_once`` killed (their work is abandoned)."""
        for connection in self._connections:
            if not at_once:
                with contextlib.suppress(OSError):
                    connection.send(("stop", None))
            connection.close()
        for process in self._processes:
            if at_once:
                process.kill()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        self._connections, self._processes = [], []


def _render_weight(plan: PagePlan) -> int:
    """Lists cost more than single pages; a rough guess is enough to balance the shares."""
    return BY_NAME[plan.kind].render_cost


def _context() -> Any:
    """Fork where it is safe and fast (Linux, no other thread running), else spawn."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _serve(connection: Connection, source: Path) -> None:
    """A worker's life: answer parse and render requests until told to stop."""
    renderer: Renderer | None = None
    graph: ContentGraph | None = None
    while True:
        try:
            kind, payload = connection.recv()
            if kind == "setup":  # what every page of this build shares
                graph, ctx, layout_dirs, bytecode, options = payload
                md = make_markdown(html=bool(options.get("html")))
                theme = Theme(layout_dirs, source, bytecode=dict(bytecode))
                renderer = Renderer(ctx, theme, md)
            elif kind == "stop":
                return
            if kind == "parse":
                config, items = payload
                md = make_markdown(html=config.markdown_html)
                connection.send(("ok", parse_items(source, config, items, md)))
            elif kind == "pictures":
                from dossierpress.pictures.process import process_all

                share, store, max_size = payload
                connection.send(("ok", process_all(source, share, store, max_size)))
            elif kind == "render":
                assert renderer is not None and graph is not None
                connection.send(("ok", render_plans(renderer, graph, payload)))
        except (EOFError, OSError):
            return
        except BaseException:  # a bug of ours: tell the build, which stops with it
            try:
                connection.send(("failed", traceback.format_exc(limit=8)))
            except OSError:
                return
