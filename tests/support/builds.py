"""Driving the engine as the preview does, and the cold build every result is held to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dossierpress.content.walk import SourceFile
from dossierpress.engine.build import BuildRequest, BuildResult, Engine, RenderFirst
from dossierpress.engine.changes import of_batch
from dossierpress.engine.state import BuildState
from dossierpress.errors import BuildError, ContentError
from dossierpress.pages import renderer

PREVIEW_BASE = "http://127.0.0.1:8000/"


def preview_request(source: Path) -> BuildRequest:
    return BuildRequest(source=source, drafts=True, preview=True, base_url=PREVIEW_BASE)


def snapshot(files: Mapping[str, bytes | SourceFile]) -> dict[str, bytes]:
    """Output path → the bytes a reader gets (copied files read from their source)."""
    return {out: d if isinstance(d, bytes) else d.read() for out, d in sorted(files.items())}


SHARED_BYTECODE: dict[str, bytes] = {}
"""Compiled templates shared by the oracle's cold builds (Jinja checks each against its
source, so sharing them changes no byte and saves a compile per build)."""


def full_build(request: BuildRequest) -> dict[str, bytes] | list[str]:
    """The oracle: a cold build's bytes, or its problem lines when it fails."""
    engine = Engine(request, BuildState(bytecode=SHARED_BYTECODE))
    try:
        return snapshot(engine.build().files())
    except BuildError as exc:
        return [str(e) for e in exc.errors]


@dataclass
class Outcome:
    """One build as the preview sees it: every file of the last good build, and what
    this build changed (nothing when it failed)."""

    files: Mapping[str, bytes | SourceFile]
    errors: tuple[ContentError, ...] = ()
    changed: tuple[str, ...] = ()
    removed: Mapping[str, str] = field(default_factory=dict)
    rendered: int = 0
    written: int = 0
    """Files written into the output folder (only a build into one writes any)."""
    result: BuildResult | None = None

    @property
    def css_only(self) -> bool:
        return self.result is not None and self.result.css_only


def record_renders(monkeypatch) -> list[str]:
    """The output path of every page rendered from now on, in order: the renderer is
    patched (for the test) to note each, so a test sees how much an edit re-renders."""
    rendered: list[str] = []
    render = renderer.Renderer.render

    def recording_render(self, plan, graph):
        rendered.append(plan.output)
        return render(self, plan, graph)

    monkeypatch.setattr(renderer.Renderer, "render", recording_render)
    return rendered


class Rebuilder:
    """An engine kept between builds, told the changed paths as the watcher tells it."""

    def __init__(self, request: BuildRequest) -> None:
        self.request = request
        self.engine = Engine(request)
        self._files: Mapping[str, bytes | SourceFile] = {}

    def build(self, changed: Iterable[str] = (), first: RenderFirst | None = None) -> Outcome:
        try:
            result = self.engine.build(of_batch(changed), first=first)
        except BuildError as exc:
            return Outcome(self._files, errors=tuple(exc.errors))
        self._files = result.files()
        return Outcome(
            self._files,
            errors=result.warnings,
            changed=result.changed,
            removed=result.removed,
            rendered=len(result.rendered),
            result=result,
        )


class DiskRebuilder:
    """Builds as ``python build.py`` does, a new process each time: the state restored
    from the cache on disk, the result written into an output folder, which is what a
    reader gets."""

    def __init__(self, request: BuildRequest, root: Path) -> None:
        from dossierpress.engine.cache import DiskCache
        from dossierpress.output import OutputFolder

        self.output = root / "out"
        self.request = request
        self.folder = OutputFolder(self.output)
        self.cache = DiskCache(root / "cache", "edits")
        self.engine: Engine | None = None

    def build(self, changed: Iterable[str] = ()) -> Outcome:
        from dossierpress.engine.run import BuildRun

        before = self.files()
        request = BuildRequest(
            self.request.source,
            drafts=self.request.drafts,
            base_url=self.request.base_url,
            preview=self.request.preview,
            output=self.output,
        )
        try:
            built = BuildRun(request, self.cache).build_into(self.folder)
        except BuildError as exc:
            return Outcome(before, errors=tuple(exc.errors))
        after = self.files()
        changed = tuple(sorted(out for out, data in after.items() if before.get(out) != data))
        removed = {out: "index.html" for out in sorted(set(before) - set(after))}
        rendered = len(built.result.rendered) if built.result else 0
        written = built.written.written + built.written.removed if built.written else 0
        return Outcome(after, errors=built.warnings, changed=changed, removed=removed,
                       rendered=rendered, written=written)  # fmt: skip

    def files(self) -> dict[str, bytes]:
        if not self.output.is_dir():
            return {}
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(self.output).parts)
        }
