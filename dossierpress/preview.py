"""The live preview: watch the source, rebuild what changed, tell every open tab.

Wires three parts that know nothing of each other: the ``ChangeWatcher`` (debounced file
events), the ``IncrementalBuilder`` (the same pipeline as ``build``, reusing what an edit
did not touch) and the ``PreviewServer`` (serves the last complete build from memory and
pushes reload, stylesheet and error events). The preview never touches ``site/``: it
mirrors its output into a temporary folder, or ``--output`` when given.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import threading
import webbrowser
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .incremental import IncrementalBuilder, Outcome
from .output import sync_tree, write_tree
from .pipeline import BuildOptions
from .server import PreviewServer, PreviewState, Snapshot
from .watcher import ChangeWatcher

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
        self._mirrored = False
        self.last_outcome: Outcome | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> Outcome:
        """Start serving, build everything once, then watch for changes."""
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
            outcome = self.builder.build(changed)
            self.last_outcome = outcome
            self._epoch += 1
            errors = tuple(str(e) for e in outcome.errors)
            files = MappingProxyType(dict(outcome.files))
            if errors:
                self.state.publish(Snapshot(self._epoch, files, errors))
                self._report_errors(errors)
                return outcome
            self._mirror(outcome)  # before the tabs are told, so the folder is never behind
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

    def _mirror(self, outcome: Outcome) -> None:
        """Keep the output folder equal to what is served, writing only what changed."""
        if not self._mirrored:
            write_tree(self.output, sorted(outcome.files.items()))
            self._mirrored = True
        else:
            changed: Mapping[str, bytes | Path] = {o: outcome.files[o] for o in outcome.changed}
            sync_tree(self.output, changed, outcome.removed)

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        self.server.stop()
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
    except KeyboardInterrupt:
        log("Stopping.")
    finally:
        session.stop()
    return 0
