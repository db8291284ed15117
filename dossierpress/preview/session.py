"""The live preview: watch the source, rebuild what changed, tell every open tab.

Wires three parts that know nothing of each other: the ``ChangeWatcher`` (debounced file
events), the ``Engine`` (the same build as ``python build.py``, with its state kept in
memory, so a save costs what it changed) and the ``PreviewServer`` (serves the last
complete build from memory and pushes reload, stylesheet and error events). The pages
open in a tab are rendered first: a rebuild serves them and tells their tabs before it
renders the rest of what the save touched (``_show_first``). The preview
never touches ``site/``: it mirrors its output into a temporary folder, or ``--output``
when given (under the same rules as a build: only files it wrote are replaced, and it
holds the folder's lock while it runs).

No problem of the editor's stops the preview, at start or later: a failed build, and
even an internal error of ours, is shown in every tab until the next save fixes it. The
server serves bytes read when the build ran, never a path opened again at request time
(which might by then be a symbolic link to a file outside the project).

Ctrl-C or SIGTERM stops it at once, even in the middle of a rebuild of thousands of
pages: the rebuild runs on the watcher's thread, which the signal does not reach, so it
is asked to stop (``interrupt.StopRequest``, checked between pages and between files
written) and abandoned, then the temporary folder is removed; the process exits with
130 or 143, as a signalled process does.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import tempfile
import threading
import time
import webbrowser
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from dossierpress.console import NOTICE, get_logger
from dossierpress.content.walk import SourceFile
from dossierpress.engine.build import BuildRequest, BuildResult, Engine, RenderFirst
from dossierpress.engine.cache import CACHE_DIR
from dossierpress.engine.changes import Changes, of_batch
from dossierpress.errors import BuildError, printable
from dossierpress.fileinfo import FileSignature
from dossierpress.interrupt import Interrupted, StopRequest, signals_ignored
from dossierpress.output import OutputFolder, OutputProblem, output_folder
from dossierpress.pages.urls import url_of
from dossierpress.pictures.model import PICTURES_DIR
from dossierpress.preview.server import PreviewServer, PreviewState, Snapshot
from dossierpress.preview.watcher import ChangeWatcher

DEBOUNCE_SECONDS = 0.05
"""Quiet time after the last file event before rebuilding: long enough to gather an
editor's write-then-rename or a ``git checkout``'s burst into one rebuild, short enough
to keep a save-to-reload under a tenth of a second."""


@dataclass(frozen=True)
class ServeOptions:
    source: Path
    output: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = True
    future: bool = True
    """Show scheduled articles (dated after ``now``), marked, as drafts are."""
    now: datetime | None = None
    """The time articles are scheduled against; None: the clock's, at each rebuild."""
    reload: bool = True
    navigate: bool = False
    open_browser: bool = False
    clean: bool = False
    """With ``output``: remove files there that the preview did not write."""


log = get_logger("preview")


@dataclass(frozen=True)
class Rebuild:
    """What one rebuild did, for the log, the tabs and benchmarks."""

    result: BuildResult | None
    """None when the build failed."""
    errors: tuple[str, ...]
    seconds: float
    first: tuple[str, ...] = ()
    """Output paths of the open pages served, and their tabs told, before the rest of the
    rebuild was rendered."""

    @property
    def rendered(self) -> int:
        return len(self.result.rendered) if self.result else 0


class PreviewSession:
    """One running preview: server, watcher and engine, started and stopped together."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.state = PreviewState()
        self.server = PreviewServer(self.state, options.host, options.port, reload=options.reload)
        self._own_output = options.output is None
        self.output = options.output or Path(tempfile.mkdtemp(prefix="dossier-preview-"))
        self.engine: Engine | None = None
        self.watcher: ChangeWatcher | None = None
        self.stopping = StopRequest()
        """Made when the preview stops: a rebuild under way is abandoned, not waited for."""
        self._epoch = 0
        self._lock = threading.Lock()
        self._folder: OutputFolder | None = None
        self._holding = contextlib.ExitStack()
        self._mirrored = False
        self._copied = _CopiedFiles()
        self._served: dict[str, bytes] | None = None
        self._good: Mapping[str, bytes] = MappingProxyType({})
        """What the last successful rebuild serves: a failed one shows its errors over it."""
        self._shown_first: Mapping[str, bytes] = MappingProxyType({})
        """The open pages the rebuild under way served before rendering the rest."""
        self._started = 0.0
        self.last: Rebuild | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> Rebuild:
        """Start serving, build everything once, then watch for changes.

        Raises ``OutputProblem`` before anything starts if ``--output`` may not be used.
        """
        self._folder = output_folder(self.options.source, self.output, self.options.clean)
        self._holding.enter_context(self._folder.locked())  # for as long as the preview runs
        self.server.start()
        request = BuildRequest(
            source=self.options.source,
            drafts=self.options.drafts,
            future=self.options.future,
            now=self.options.now,
            base_url=self.server.url,
            preview=True,
            pictures=self.options.source / CACHE_DIR / PICTURES_DIR,
        )
        self.engine = Engine(request, stop=self.stopping)
        rebuild = self.rebuild(frozenset())
        # The preview keeps the whole site in memory; move it out of the cyclic garbage
        # collector's reach so collections during rebuilds do not rescan it (their pauses
        # were the slow tail of save-to-reload times on large archives).
        gc.freeze()
        self.watcher = ChangeWatcher(
            self.options.source,
            self.rebuild,
            output=self.output,
            quiet=DEBOUNCE_SECONDS,
            on_error=lambda exc: log.error(f"error: rebuild failed: {exc}"),
        )
        self.watcher.start()
        if self.options.open_browser:
            webbrowser.open(self.server.url)
        return rebuild

    def rebuild(self, changed: frozenset[str]) -> Rebuild:
        """Rebuild after ``changed`` (paths relative to the source) and tell the tabs;
        an empty ``changed`` means everything (the first build: ``changes.of_batch``)."""
        changes = of_batch(changed)
        with self._lock:
            started = self._started = time.perf_counter()
            self._shown_first = MappingProxyType({})
            result, errors = self._build(changes)
            self.stopping.check()  # stopped meanwhile: nobody is left to show it to
            self._epoch += 1
            files: Mapping[str, bytes] = MappingProxyType({})
            if result is not None:
                for warning in result.warnings:
                    log.warning(str(warning))
                files, errors = self._publishable(result)
            seconds = time.perf_counter() - started
            shown = self._shown_first
            self.last = Rebuild(result if not errors else None, errors, seconds, tuple(shown))
            if errors:
                self.state.publish(Snapshot(self._epoch, self._good, errors))
                self._report_errors(errors)
                return self.last
            assert result is not None
            self._good = files
            navigate = self._navigate_target(result, changed)
            # The open pages shown first are served and announced already, with the bytes
            # they have now.
            unannounced = [url_of(o) for o in result.changed if o not in shown]
            # A save that changed no output (an unchanged file, a draft with --no-drafts),
            # or none but the pages shown first, is not published: publishing no changed
            # page tells every tab to reload (``PreviewState.publish``), and what is
            # served already holds every change.
            everything = changes.everything and not shown
            if everything or unannounced or result.removed or navigate or self._failing:
                self.state.publish(
                    Snapshot(self._epoch, files),
                    changed=unannounced,
                    removed={url_of(o): url_of(t) for o, t in result.removed.items()},
                    css_only=result.css_only,
                    navigate=navigate,
                )
            self._report(result, changes, seconds)
            return self.last

    def _build(self, changes: Changes) -> tuple[BuildResult | None, tuple[str, ...]]:
        """The engine's result, or the error lines; a bug of ours becomes an error the
        tabs show too, and the next save tries again."""
        assert self.engine is not None
        try:
            return self.engine.build(changes, first=self._render_first()), ()
        except BuildError as exc:
            return None, tuple(str(e) for e in exc.errors if not e.is_warning)
        except (Interrupted, KeyboardInterrupt):
            raise
        except Exception as exc:
            message = f"error: internal error: {type(exc).__name__}: {exc} (please report it)"
            return None, (printable(message),)

    def _render_first(self) -> RenderFirst | None:
        """The pages open in a tab, for the engine to render before the others. None
        before the first complete build (there is nothing to serve the others from) and
        while the tabs show a failed build's errors (the fix is shown all at once)."""
        if self._served is None or self._failing:
            return None
        pages = self.server.open_pages()
        return RenderFirst(pages, self._show_first) if pages else None

    def _show_first(self, pages: Mapping[str, bytes]) -> None:
        """Serve the open pages the rebuild rendered first, and tell their tabs, before
        the rest of the rebuild is rendered.

        Until the rest is done the server serves these pages over the last complete
        build: a tab that follows a link meanwhile gets the last build's page for a
        moment (the not-found page, for a page the rebuild adds), and then the complete
        build's event, which updates it. The complete build replaces this one as soon as
        it is rendered, and announces only what was not announced here. A rebuild that
        then fails shows its errors over the last complete build, as every failed rebuild
        does (a tab already showing a new page keeps it under the errors until they are
        fixed). The output folder only ever takes complete builds.
        """
        assert self._served is not None
        self._epoch += 1
        self.state.publish(
            Snapshot(self._epoch, MappingProxyType({**self._served, **pages})),
            changed=[url_of(out) for out in pages],
        )
        self._shown_first = pages
        after = (time.perf_counter() - self._started) * 1000
        log.debug(f"Showed {', '.join(map(url_of, pages))} first, {after:.0f} ms in")

    def _report(self, result: BuildResult, changes: Changes, seconds: float) -> None:
        rendered, reused = len(result.rendered), len(result.pages) - len(result.rendered)
        if changes.everything:
            log.info(f"Built {rendered} pages in {seconds:.2f} s")
        else:
            log.info(f"Rebuilt {rendered} pages in {seconds * 1000:.0f} ms ({reused} reused)")
        for stage, spent in result.timings.items():
            log.debug(f"  {stage:<8} {spent * 1000:8.1f} ms")

    @property
    def _failing(self) -> bool:
        """Whether the tabs show the errors of a failed build (so a fix must reach them)."""
        return bool(self.state.current().errors)

    def _report_errors(self, errors: Iterable[str]) -> None:
        for line in errors:
            log.error(line)
        log.error("build failed; still serving the last good build")

    def _navigate_target(self, result: BuildResult, changed: frozenset[str]) -> str | None:
        """With ``--navigate``, the page of the document the editor just saved."""
        if not self.options.navigate:
            return None
        pages = result.page_of_sources(changed)
        return url_of(pages[0]) if pages else None

    def _publishable(self, result: BuildResult) -> tuple[Mapping[str, bytes], tuple[str, ...]]:
        """The bytes to serve, mirrored into the output folder first (so the folder is
        never behind the complete builds the tabs are shown; the open pages shown first are
        ahead of it until the rest is rendered); or the error line when a file cannot be
        read or written."""
        try:
            files = self._served_after(result)
        except OSError as exc:
            self._served = None
            return MappingProxyType({}), (printable(f"error: cannot read a copied file: {exc}"),)
        try:
            self._mirror(result, files)
        except (OutputProblem, OSError) as exc:
            self._mirrored = False  # write everything again once the folder is usable
            return files, (printable(f"error: cannot write the preview's copy: {exc}"),)
        return files, ()

    def _served_after(self, result: BuildResult) -> Mapping[str, bytes]:
        """What to serve after ``result``: what was served, with the outputs it changed or
        removed replaced (a save changes a page or two of tens of thousands)."""
        previous = self._served
        if previous is None:
            served = dict(self._copied.served(result.files()))
        else:
            served = dict(previous)
            changed = {out: _value(result, out) for out in result.changed}
            served.update(self._copied.served(changed, keep=True))
            for out in result.removed:
                served.pop(out, None)
        self._served = served
        return MappingProxyType(served)

    def _mirror(self, result: BuildResult, files: Mapping[str, bytes]) -> None:
        """Keep the output folder equal to what is served, writing only what changed."""
        assert self._folder is not None
        check = self.stopping.check
        if not self._mirrored:
            self._folder.replace_all(files.items(), check=check)
            self._mirrored = True
        else:
            self._folder.update({o: files[o] for o in result.changed}, result.removed, check=check)

    def stop(self, signum: int = signal.SIGINT) -> None:
        """Stop watching and serving, abandoning a rebuild under way (as ``signum`` would
        stop a build), and remove the temporary folder."""
        self.stopping.request(signum)
        try:
            if self.watcher is not None:
                self.watcher.stop()  # returns once the rebuild has seen the request
            self.server.stop()
            self._holding.close()
        finally:
            if self._own_output:
                shutil.rmtree(self.output, ignore_errors=True)


def _value(result: BuildResult, output: str) -> bytes | SourceFile:
    record = result.pages.get(output)
    if record is not None and record.data is not None:
        return record.data
    return result.copied[output]


def serve(options: ServeOptions) -> int:
    """Run the preview until Ctrl-C or SIGTERM; the exit status is then 130 or 143."""
    session = PreviewSession(options)
    signum: int = signal.SIGINT
    try:  # stop() also when the first build is interrupted or the port is taken
        session.start()
        log.log(NOTICE, f"Serving at {session.url}")
        log.info("Press Ctrl-C to stop.")
        threading.Event().wait()
    except (KeyboardInterrupt, Interrupted) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        log.info("Stopping.")
    finally:
        with signals_ignored():  # a second Ctrl-C must not leave the clean-up half done
            session.stop(signum)
    return 128 + signum


class _CopiedFiles:
    """The bytes of copied files (assets, theme static files), read when a build ran.

    Read again only when a file's signature changes, so a rebuild costs one ``stat`` per
    copied file; read through ``SourceFile``, which refuses a link swapped in since.
    """

    def __init__(self) -> None:
        self._cache: dict[SourceFile, tuple[FileSignature, bytes]] = {}

    def served(
        self, files: Mapping[str, bytes | SourceFile], *, keep: bool = False
    ) -> Mapping[str, bytes]:
        """The bytes of ``files``; ``keep``: these are some of the files, not all (the
        others' bytes stay remembered)."""
        result: dict[str, bytes] = {}
        seen: dict[SourceFile, tuple[FileSignature, bytes]] = dict(self._cache) if keep else {}
        for output, value in files.items():
            if isinstance(value, bytes):
                result[output] = value
                continue
            entry = seen[value] = self._read(value)
            result[output] = entry[1]
        self._cache = seen
        return MappingProxyType(result)

    def _read(self, file: SourceFile) -> tuple[FileSignature, bytes]:
        info = os.stat(file.path)
        signature = FileSignature.of_stat(info)
        cached = self._cache.get(file)
        if cached is not None and cached[0] == signature:
            return cached
        return signature, file.read()
