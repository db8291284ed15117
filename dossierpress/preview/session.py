"""The live preview: watch the source, rebuild what changed, tell every open tab.

Wires three parts that know nothing of each other: the ``ChangeWatcher`` (debounced file
events), the ``IncrementalBuilder`` (the same pipeline as ``build``, reusing what an edit
did not touch) and the ``PreviewServer`` (serves the last complete build from memory and
pushes reload, stylesheet and error events). The preview never touches ``site/``: it
mirrors its output into a temporary folder, or ``--output`` when given (under the same
rules as a build: only files it wrote are replaced, and it holds the folder's lock while
it runs).

No problem of the editor's stops the preview, at start or later: a failed build, and
even an internal error of ours, is shown in every tab until the next save fixes it. The
server serves bytes read when the build ran, never a path opened again at request time
(which might by then be a symbolic link to a file outside the project).
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import tempfile
import threading
import webbrowser
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from dossierpress.content.walk import SourceFile
from dossierpress.engine.build import BuildOptions, output_folder
from dossierpress.engine.incremental import IncrementalBuilder, Outcome
from dossierpress.errors import printable
from dossierpress.interrupt import Interrupted
from dossierpress.output import OutputFolder, OutputProblem
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
    reload: bool = True
    navigate: bool = False
    open_browser: bool = False
    clean: bool = False
    """With ``output``: remove files there that the preview did not write."""


def output_url(output: str, base_path: str = "/") -> str:
    """The URL a browser uses for an output file (``x/index.html`` → ``/x/``)."""
    if output == "index.html" or output.endswith("/index.html"):
        output = output[: -len("index.html")]
    return base_path + output


class PreviewSession:
    """One running preview: server, watcher and builder, started and stopped together."""

    def __init__(self, options: ServeOptions, log: Callable[[str], None] = print) -> None:
        self.options = options
        self.log = log
        self.state = PreviewState()
        self.server = PreviewServer(self.state, options.host, options.port, reload=options.reload)
        self._own_output = options.output is None
        self.output = options.output or Path(tempfile.mkdtemp(prefix="dossier-preview-"))
        self.builder: IncrementalBuilder | None = None
        self.watcher: ChangeWatcher | None = None
        self._epoch = 0
        self._lock = threading.Lock()
        self._folder: OutputFolder | None = None
        self._holding = contextlib.ExitStack()
        self._mirrored = False
        self._copied = _CopiedFiles()
        self.last_outcome: Outcome | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> Outcome:
        """Start serving, build everything once, then watch for changes.

        Raises ``OutputProblem`` before anything starts if ``--output`` may not be used.
        """
        self._folder = output_folder(self.options.source, self.output, self.options.clean)
        self._holding.enter_context(self._folder.locked())  # for as long as the preview runs
        self.server.start()
        build_options = BuildOptions(
            source=self.options.source,
            output=self.output,
            drafts=self.options.drafts,
            base_url=self.server.url,
            preview=True,
        )
        self.builder = IncrementalBuilder(build_options)
        outcome = self.rebuild(frozenset())
        # The preview keeps the whole site in memory; move it out of the cyclic garbage
        # collector's reach so collections during rebuilds do not rescan it (their pauses
        # were the slow tail of save-to-reload times on large archives).
        gc.freeze()
        self.watcher = ChangeWatcher(
            self.options.source,
            self.rebuild,
            output=self.output,
            quiet=DEBOUNCE_SECONDS,
            on_error=lambda exc: self.log(f"error: rebuild failed: {exc}"),
        )
        self.watcher.start()
        if self.options.open_browser:
            webbrowser.open(self.server.url)
        return outcome

    def rebuild(self, changed: frozenset[str]) -> Outcome:
        """Rebuild after ``changed`` (paths relative to the source) and tell the tabs."""
        assert self.builder is not None
        with self._lock:
            outcome = self._build(changed)
            self.last_outcome = outcome
            self._epoch += 1
            errors = tuple(str(e) for e in outcome.errors if not e.is_warning)
            self._report_warnings(outcome)
            files: Mapping[str, bytes] = MappingProxyType({})
            if not errors:
                files, errors = self._publishable(outcome)
            if errors:
                last_good = self.state.current().files
                self.state.publish(Snapshot(self._epoch, last_good, errors))
                self._report_errors(errors)
                return outcome
            navigate = self._navigate_target(changed)
            # A save that changed no output (an unchanged file, a draft with --no-drafts)
            # must not reload every tab: an empty ``changed`` means "every page".
            if not changed or outcome.changed or outcome.removed or navigate or self._failing:
                self.state.publish(
                    Snapshot(self._epoch, files),
                    changed=[output_url(o) for o in outcome.changed],
                    removed={output_url(o): output_url(t) for o, t in outcome.removed.items()},
                    css_only=outcome.css_only,
                    navigate=navigate,
                )
            self.log(
                f"Rebuilt {outcome.rendered} pages in {outcome.seconds * 1000:.0f} ms"
                if changed
                else f"Built {outcome.rendered} pages in {outcome.seconds:.2f} s"
            )
            return outcome

    def _build(self, changed: frozenset[str]) -> Outcome:
        """The builder's outcome; a bug of ours becomes an error the tabs show too."""
        assert self.builder is not None
        try:
            return self.builder.build(changed)
        except (Interrupted, KeyboardInterrupt):
            raise
        except Exception as exc:
            message = f"internal error: {type(exc).__name__}: {exc} (please report it)"
            return Outcome(files={}, errors=(_InternalError(message),))

    def _report_warnings(self, outcome: Outcome) -> None:
        for problem in outcome.errors:
            if problem.is_warning:
                self.log(str(problem))

    @property
    def _failing(self) -> bool:
        """Whether the tabs show the errors of a failed build (so a fix must reach them)."""
        return bool(self.state.current().errors)

    def _report_errors(self, errors: Iterable[str]) -> None:
        for line in errors:
            self.log(line)
        self.log("build failed; still serving the last good build")

    def _navigate_target(self, changed: frozenset[str]) -> str | None:
        """With ``--navigate``, the page of the document the editor just saved."""
        if not self.options.navigate or self.builder is None:
            return None
        pages = self.builder.page_of_sources(changed)
        return output_url(pages[0]) if pages else None

    def _publishable(self, outcome: Outcome) -> tuple[Mapping[str, bytes], tuple[str, ...]]:
        """The bytes to serve, mirrored into the output folder first (so the folder is
        never behind the tabs); or the error line when a file cannot be read or written."""
        try:
            files = self._copied.served(outcome.files)
        except OSError as exc:
            return MappingProxyType({}), (printable(f"error: cannot read a copied file: {exc}"),)
        try:
            self._mirror(outcome, files)
        except (OutputProblem, OSError) as exc:
            self._mirrored = False  # write everything again once the folder is usable
            return files, (printable(f"error: cannot write the preview's copy: {exc}"),)
        return files, ()

    def _mirror(self, outcome: Outcome, files: Mapping[str, bytes]) -> None:
        """Keep the output folder equal to what is served, writing only what changed."""
        assert self._folder is not None
        if not self._mirrored:
            self._folder.replace_all(files.items())
            self._mirrored = True
        else:
            self._folder.update({o: files[o] for o in outcome.changed}, outcome.removed)

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        self.server.stop()
        self._holding.close()
        if self._own_output:
            shutil.rmtree(self.output, ignore_errors=True)


def serve(options: ServeOptions, log: Callable[[str], None] = print) -> int:
    """Run the preview until Ctrl-C."""
    session = PreviewSession(options, log)
    try:  # stop() also when the first build is interrupted or the port is taken
        session.start()
        log(f"Serving at {session.url}")
        log("Press Ctrl-C to stop.")
        threading.Event().wait()
    except (KeyboardInterrupt, Interrupted):
        log("Stopping.")
    finally:
        session.stop()
    return 0


@dataclass(frozen=True)
class _InternalError:
    """An unexpected exception, shaped like a ``ContentError`` for the overlay."""

    message: str
    is_warning: bool = False

    def __str__(self) -> str:
        return printable(f"error: {self.message}")


class _CopiedFiles:
    """The bytes of copied files (assets, theme static files), read when a build ran.

    Read again only when a file's signature changes, so a rebuild costs one ``stat`` per
    copied file; read through ``SourceFile``, which refuses a link swapped in since.
    """

    def __init__(self) -> None:
        self._cache: dict[SourceFile, tuple[tuple[int, ...], bytes]] = {}

    def served(self, files: Mapping[str, bytes | SourceFile]) -> Mapping[str, bytes]:
        result: dict[str, bytes] = {}
        seen: dict[SourceFile, tuple[tuple[int, ...], bytes]] = {}
        for output, value in files.items():
            if isinstance(value, bytes):
                result[output] = value
                continue
            entry = seen[value] = self._read(value)
            result[output] = entry[1]
        self._cache = seen
        return MappingProxyType(result)

    def _read(self, file: SourceFile) -> tuple[tuple[int, ...], bytes]:
        info = os.stat(file.path)
        signature = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        cached = self._cache.get(file)
        if cached is not None and cached[0] == signature:
            return cached
        return signature, file.read()
