"""The preview's watcher: editors' save patterns give one batch of the right paths."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossierpress.preview.watcher import ChangeWatcher, Debouncer

ARTICLE = "content/articles/x.md"


class Calls:
    """Records on_change batches; lets a test wait for them without long sleeps."""

    def __init__(self) -> None:
        self.batches: list[frozenset[str]] = []
        self.cond = threading.Condition()
        self.running = 0
        self.overlapped = False
        self.delay = 0.0

    def __call__(self, paths: frozenset[str]) -> None:
        with self.cond:
            self.running += 1
            self.overlapped |= self.running > 1
        time.sleep(self.delay)
        with self.cond:
            self.running -= 1
            self.batches.append(paths)
            self.cond.notify_all()

    def wait(self, count: int = 1, timeout: float = 3.0) -> list[frozenset[str]]:
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.batches) >= count, timeout), self.batches
            return list(self.batches)

    def settle(self, seconds: float = 0.35) -> list[frozenset[str]]:
        """The batches after a quiet moment long enough for any late one to arrive."""
        time.sleep(seconds)
        with self.cond:
            return list(self.batches)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "layouts").mkdir()
    (tmp_path / "site.yaml").write_text("title: Test\n")
    (tmp_path / ARTICLE).write_text("---\ntitle: X\n---\nBody\n")
    return tmp_path


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def watching(source: Path, calls: Calls) -> Iterator[ChangeWatcher]:
    with ChangeWatcher(source, calls, output=source / "content" / "_site") as watcher:
        yield watcher


# -- Debouncer: no file system, explicit times ------------------------------------------


def test_debouncer_waits_for_a_quiet_moment() -> None:
    debouncer = Debouncer(quiet=0.1, longest=1.0)
    assert debouncer.wait_time(0.0) is None
    debouncer.add(["a"], now=10.0)
    assert debouncer.wait_time(10.05) == pytest.approx(0.05)
    debouncer.add(["b"], now=10.08)  # another event restarts the quiet period
    assert debouncer.wait_time(10.1) == pytest.approx(0.08)
    assert debouncer.wait_time(10.18) == 0.0
    assert debouncer.take() == {"a", "b"}
    assert debouncer.wait_time(11.0) is None


def test_debouncer_delivers_after_at_most_longest_during_continuous_events() -> None:
    debouncer = Debouncer(quiet=0.1, longest=1.0)
    now = 0.0
    while debouncer.wait_time(now) != 0.0:
        debouncer.add([f"f{now:.2f}"], now)
        now += 0.05
    assert now == pytest.approx(1.0, abs=0.06)
    assert len(debouncer.take()) == 20


def test_debouncer_ignores_empty_additions_and_merges_repeats() -> None:
    debouncer = Debouncer()
    debouncer.add([], now=0.0)
    assert debouncer.wait_time(5.0) is None
    debouncer.add(["a", "a"], now=1.0)
    debouncer.add(["a"], now=1.01)
    assert debouncer.take() == {"a"}


@pytest.mark.parametrize(
    "name", [".x.md.swp", "x.md.swx", "x.md~", ".#x.md", "#x.md#", "4913", "x.md.tmp", ".DS_Store"]
)
def test_editor_scratch_files_are_not_relevant(source: Path, name: str) -> None:
    watcher = ChangeWatcher(source, print)
    assert not watcher.relevant(f"content/articles/{name}")
    assert not watcher.relevant(f"layouts/{name}")
    assert watcher.relevant("content/articles/x.md")


def test_relevant_paths(source: Path) -> None:
    watcher = ChangeWatcher(source, print, output=source / "content" / "_site")
    assert watcher.relevant(ARTICLE)
    assert watcher.relevant("layouts/static/style.css")
    assert watcher.relevant("site.yaml")
    assert not watcher.relevant("README.md")
    assert not watcher.relevant("site/index.html")
    assert not watcher.relevant("content/_site/index.html")
    assert not watcher.relevant("content/.git/HEAD")


# -- The real watcher on a temporary source folder --------------------------------------


def test_write_in_place_gives_one_batch(source: Path, calls: Calls, watching: object) -> None:
    (source / ARTICLE).write_text("---\ntitle: X\n---\nNew body\n")
    assert calls.wait() == [{ARTICLE}]
    assert calls.settle() == [{ARTICLE}]


def test_write_to_temp_then_rename_reports_only_the_real_file(
    source: Path, calls: Calls, watching: object
) -> None:
    folder = source / "content" / "articles"
    (folder / "4913").write_text("")  # vim's probe
    (folder / "4913").unlink()
    (folder / "x.md.tmp").write_text("---\ntitle: X\n---\nSaved atomically\n")
    os.replace(folder / "x.md.tmp", folder / "x.md")
    assert calls.wait() == [{ARTICLE}]
    assert calls.settle() == [{ARTICLE}]


def test_swap_and_backup_files_are_ignored(source: Path, calls: Calls, watching: object) -> None:
    folder = source / "content" / "articles"
    for name in (".x.md.swp", "x.md~", ".#x.md", "#x.md#", "x.md.tmp", ".DS_Store"):
        (folder / name).write_text("scratch")
    (source / "README.md").write_text("not part of the site")
    (source / "content" / "_site").mkdir()
    (source / "content" / "_site" / "index.html").write_text("output")
    assert calls.settle(0.4) == []


def test_a_burst_of_500_files_gives_one_batch(source: Path, calls: Calls, watching: object) -> None:
    folder = source / "content" / "articles" / "2024"
    folder.mkdir()
    for i in range(500):
        (folder / f"a{i:03d}.md").write_text(f"---\ntitle: A{i}\n---\n")
    (batch,) = calls.wait()
    assert {f"content/articles/2024/a{i:03d}.md" for i in range(500)} <= batch
    assert len(calls.settle()) == 1


def test_delete_and_rename_report_both_sides(source: Path, calls: Calls, watching: object) -> None:
    (source / ARTICLE).unlink()
    assert calls.wait() == [{ARTICLE}]
    (source / "layouts" / "base.html").write_text("<html></html>")
    calls.wait(2)
    os.rename(source / "layouts" / "base.html", source / "layouts" / "page.html")
    batches = calls.wait(3)
    assert batches[2] == {"layouts/base.html", "layouts/page.html"}


def test_site_yaml_is_watched(source: Path, calls: Calls, watching: object) -> None:
    (source / "site.yaml").write_text("title: Changed\n")
    assert calls.wait() == [{"site.yaml"}]


def test_a_folder_created_after_start_is_watched(tmp_path: Path, calls: Calls) -> None:
    (tmp_path / "content").mkdir()
    with ChangeWatcher(tmp_path, calls):
        (tmp_path / "layouts").mkdir()
        assert calls.wait() == [{"layouts"}]
        (tmp_path / "layouts" / "base.html").write_text("<html></html>")
        assert calls.wait(2)[1] == {"layouts/base.html"}


def test_callbacks_never_overlap_and_later_events_wait_for_the_next_one(
    source: Path, calls: Calls, watching: object
) -> None:
    calls.delay = 0.3
    (source / ARTICLE).write_text("first")
    time.sleep(0.2)  # the first batch is being handled now
    (source / "site.yaml").write_text("title: Second\n")
    assert calls.wait(2) == [{ARTICLE}, {"site.yaml"}]
    assert not calls.overlapped


def test_a_failing_callback_does_not_stop_the_watching(source: Path) -> None:
    errors: list[BaseException] = []
    calls = Calls()

    def fail_once(paths: frozenset[str]) -> None:
        if not errors:
            raise RuntimeError("build crashed")
        calls(paths)

    with ChangeWatcher(source, fail_once, on_error=errors.append):
        (source / ARTICLE).write_text("first")
        time.sleep(0.3)
        (source / ARTICLE).write_text("second")
        assert calls.wait() == [{ARTICLE}]
    assert [str(e) for e in errors] == ["build crashed"]


def test_stop_is_safe_before_start_and_twice(source: Path) -> None:
    watcher = ChangeWatcher(source, print)
    watcher.stop()
    with ChangeWatcher(source, print) as started:
        pass
    started.stop()
