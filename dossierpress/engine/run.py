"""One build run, whatever the command: the settings read once, the cache's summary asked
first, the engine's build, the search index, the write, the state saved.

``dossier build`` and ``dossier check`` each make one ``BuildRun`` and only parse their
arguments and report what it did (MkDocs' commands calling one ``build()`` are the
model). A run with a cache asks the cache's small summary whether anything changed
before it reads the whole state: on a commit that changed nothing a run reads a few
kilobytes. The live preview keeps one ``Engine`` across saves and serves from memory
instead (``preview.session``); it builds through the same engine.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dossierpress.config import SiteConfig, load_config
from dossierpress.console import Progress
from dossierpress.content.fields import DateProblem, parse_date
from dossierpress.content.loader import content_files, kind_of
from dossierpress.engine.build import BuildRequest, BuildResult, Engine, Settings, Timings
from dossierpress.engine.cache import DiskCache
from dossierpress.engine.search import SEARCH_DIR, SearchFiles, index_for_search, plan_search
from dossierpress.errors import ERROR, WARNING, BuildError, ContentError
from dossierpress.output import OutputFolder, WriteReport


class OptionProblem(ValueError):
    """An option's value the run cannot use; the message names the option."""


def read_settings(source: Path) -> Settings:
    """``site.yaml`` and its problems, read once for the whole run (the engine reports the
    problems; an option such as ``--now`` needs the timezone before that)."""
    return load_config(source)


def build_time(text: str | None, config: SiteConfig) -> datetime | None:
    """``--now`` as a timezone-aware time, read as front matter dates are (a time without
    an offset is in the site's timezone); None without it."""
    if text is None:
        return None
    try:
        moment, _has_time = parse_date(text, config.zone)
    except DateProblem as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        raise OptionProblem(f"--now: {exc.message}{hint}") from None
    return moment


@dataclass(frozen=True)
class Built:
    """What a build run did."""

    pages: int
    files: int
    timings: Timings
    result: BuildResult | None = None
    """None when the cache's summary showed nothing changed (nothing else was read)."""
    written: WriteReport | None = None
    warnings: tuple[ContentError, ...] = ()


@dataclass(frozen=True)
class Checked:
    """What a check found: every problem and note, sorted, and how many content
    documents (articles and topics) it read."""

    problems: tuple[ContentError, ...]
    documents: int

    def count(self, severity: str) -> int:
        return sum(p.severity == severity for p in self.problems)

    def failed(self, *, strict: bool) -> bool:
        return self.count(ERROR) > 0 or (strict and self.count(WARNING) > 0)


class BuildRun:
    """One run of the engine for a command: a build into an output folder, or a check.

    The state is the cache's (``cache``; None: a cold run that keeps nothing); it is saved
    after a build that changed something, and after a failed one too (what was read and
    parsed still saves the next run's time).
    """

    def __init__(
        self,
        request: BuildRequest,
        cache: DiskCache | None,
        progress: Progress | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.cache = cache
        self.engine = Engine(request, progress=progress, settings=settings)

    def build_into(self, folder: OutputFolder, *, search: bool = False) -> Built:
        """Build into ``folder``, with the search index when ``search``. Raises
        ``BuildError`` or ``OutputProblem``."""
        timings = Timings()
        cache, engine = self.cache, self.engine
        if cache is not None:
            with timings.stage("check"):
                index = cache.load_index()
                if (
                    index is not None
                    and not (search and index.search_owed)
                    and engine.unchanged_since(index)
                ):
                    pages, files = len(index.pages), len(index.copied)
                    return Built(pages, files, timings, warnings=index.warnings)
            engine.resume(cache.load())
        owed = engine.state.search_owed
        try:
            result = engine.build()
        except BuildError:
            engine.owe_search(owed)  # the state may be a new one (settings changed)
            self._save()
            raise
        timings = Timings({**timings.stages, **result.timings})
        written = None
        warnings = result.warnings
        plan = plan_search(result, folder)
        stale = owed or plan.owed  # the index lags, or would, the pages
        indexing = search and stale
        if not result.up_to_date or indexing:  # else the folder holds it already
            with ExitStack() as scope:
                search_files = None
                if indexing:
                    with timings.stage("search"):
                        search_files, problems = index_for_search(
                            scope, plan, result, folder, engine.request.jobs
                        )
                    warnings = (*warnings, *problems)
                with timings.stage("write"):
                    written = write(folder, result, search_files)
            engine.remember_written(result, written)
            if search_files is not None:
                engine.remember_read_for_search(result, folder.path, search_files.read)
            # Pages written without an index of them are remembered as such: the next
            # build that indexes does so even when it finds nothing else changed.
            engine.owe_search(stale and search_files is None)
            self._save()
            if engine.request.pictures is not None:  # a store kept between runs
                engine.prune_pictures(result)
        return Built(len(result.pages), len(result.copied), timings, result, written, warnings)

    def check(self) -> Checked:
        """The build of a ``check`` request, its result discarded."""
        cache, engine = self.cache, self.engine
        if cache is not None:
            index = cache.load_index()
            if index is not None and engine.unchanged_since(index):
                return Checked(tuple(index.warnings), len(index.files))
            engine.resume(cache.load())
        try:
            result = engine.build()
        except BuildError as exc:
            self._save()
            return Checked(tuple(exc.errors), self._documents())
        if not result.up_to_date:
            self._save()
        return Checked(tuple(result.warnings), self._documents())

    def _save(self) -> None:
        if self.cache is not None:
            self.cache.save(self.engine.state)

    def _documents(self) -> int:
        """The articles and topics among the content files the build listed (walked again
        when it stopped before listing them: a broken ``site.yaml``)."""
        listing = self.engine.state.listing
        if listing is None:
            listing, _problems = content_files(self.engine.request.source)
        return sum(kind_of(rel) != "asset" for rel, _path in listing)


def write(
    folder: OutputFolder, result: BuildResult, index: SearchFiles | None = None
) -> WriteReport:
    """Write what the build rendered and copied, and the search ``index`` when there is a
    new one (its shards made anew; it keeps the others); leave what the build kept (and
    the index the folder had, when there is none)."""
    files = result.files()
    if index is None:
        return folder.replace_all(
            files.items(), keep=result.kept | folder.recorded_under(SEARCH_DIR)
        )
    return folder.replace_all({**files, **index.files}.items(), keep=result.kept | index.keep)
