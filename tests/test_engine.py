"""Incremental rebuilds: after any edits the preview equals a clean full build, and an edit
re-renders only the pages it affects.

The property test drives a small site through random edit sequences (a model of the site
is turned into files; the files that changed are what the watcher would report) and
compares every rebuild with ``generate`` of the same source, byte for byte. The plain tests
below it pin down *how much* each kind of edit re-renders, as Hugo's ``rebuild_test.go`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from dossierpress.engine import render
from dossierpress.engine.build import BuildRequest, BuildResult, Engine, RenderFirst
from dossierpress.engine.changes import of_batch
from dossierpress.engine.state import BuildState
from dossierpress.errors import BuildError

from .support.builds import (
    Outcome,
    Rebuilder,
    full_build,
    preview_request,
    record_renders,
    snapshot,
)
from .support.edits import EditSequences, run_edit_sequences
from .support.files import REPO, replace_once, write_files


class FromDisk(EditSequences):
    on_disk = True


class AgainstWorkers(EditSequences):
    oracle_jobs = 2


class OpenPagesFirst(EditSequences):
    open_pages = True


@pytest.mark.parametrize(
    ("machine", "examples"),
    # The edits are explored in memory; the other two start from other states and hold
    # the result to another oracle, which fewer sequences of the same edits show.
    [(EditSequences, 35), (FromDisk, 15), (AgainstWorkers, 15), (OpenPagesFirst, 15)],
    ids=[
        "state in memory",
        "state restored from disk",
        "cold build in worker processes",
        "open pages rendered first",
    ],
)
def test_incremental_build_equals_a_full_build_after_any_edits(machine, examples, monkeypatch):
    """The engine's contract, for every state a build may start from: after any
    sequence of edits, renames, deletions, template and settings changes, the result is
    byte-identical to a cold build with ``--jobs 1`` (or ``--jobs 2``), whether some pages
    are rendered first or not."""
    monkeypatch.setattr(render, "WORTH_A_PROCESS", 0)  # workers even for a small site
    run_edit_sequences(machine, max_examples=examples, stateful_step_count=25)


# -- how much an edit re-renders ---------------------------------------------------------------

FIRST = "content/articles/2024/first-meeting.md"
SECOND = "content/articles/2024/second-meeting.md"
PERTEMUAN = "content/articles/2024/pertemuan.md"
DELTA = "content/topics/delta.md"
TAG_PAGES = {
    "tags/aurus/index.html",
    "tags/diplomatic-gifts/index.html",
    "tags/kim-jong-un/index.html",
}
SECOND_PAGE = "2024/06/second-meeting/index.html"
SECOND_FEEDS = {
    "feed.xml",
    "topics/alpha-beta/feed.xml",
    "tags/diplomatic-gifts/feed.xml",
    "tags/kim-jong-un/feed.xml",
}
"""The feeds that carry the full text of the second meeting: the site's, its topic's and
its tags'."""


@dataclass
class Preview:
    """An incremental builder on a copy of tests/sites/basic, noting which pages it renders."""

    source: Path
    builder: Rebuilder
    rendered: list[str]
    first: Outcome

    def edit(self, rel: str, old: str, new: str) -> str:
        replace_once(self.source / rel, old, new)
        return rel

    def write(self, rel: str, text: str) -> str:
        write_files(self.source, {rel: text})
        return rel

    def build(self, *changed: str, first: RenderFirst | None = None) -> Outcome:
        self.rendered.clear()
        return self.builder.build(changed, first)

    def matches_full_build(self, outcome: Outcome) -> bool:
        return snapshot(outcome.files) == full_build(self.builder.request)


@pytest.fixture
def preview(site_copy, monkeypatch) -> Preview:
    source = site_copy("basic")
    rendered = record_renders(monkeypatch)
    builder = Rebuilder(preview_request(source))
    first = builder.build()
    # 18 HTML pages (drafts and the English and Indonesian search pages included), 7 feeds,
    # humans.txt, 2 sitemaps and robots.txt
    assert first.errors == () and len(rendered) == first.rendered == 18 + 11
    return Preview(source, builder, rendered, first)


def test_a_build_with_nothing_changed_renders_nothing(preview):
    outcome = preview.build()
    assert (outcome.rendered, preview.rendered, outcome.changed, outcome.removed) == (0, [], (), {})
    assert outcome.files == preview.first.files


def test_an_edit_below_the_summary_rerenders_only_that_article_and_its_feeds(preview):
    outcome = preview.build(preview.edit(SECOND, "Details.", "More details."))
    assert set(preview.rendered) == set(outcome.changed) == {SECOND_PAGE, *SECOND_FEEDS}
    assert all(b"More details." in outcome.files[out] for out in outcome.changed)
    assert preview.matches_full_build(outcome)


def test_an_edit_of_the_first_paragraph_rerenders_the_lists_showing_it_as_summary(preview):
    outcome = preview.build(preview.edit(FIRST, "The leaders met", "The two leaders met"))
    rendered = set(preview.rendered)
    assert {"index.html", "archive/index.html", "topics/gamma/index.html"} <= rendered
    assert "tags/aurus/index.html" in rendered
    # "More on this" beside an article shows headlines only: no summary to go stale.
    assert "2024/06/pertemuan/index.html" not in rendered
    assert not rendered & {
        "404.html",
        "tags/index.html",
        "topics/index.html",
        "old/second/index.html",
    }
    assert set(outcome.changed) == rendered
    assert preview.matches_full_build(outcome)


def test_a_topic_title_rerenders_the_pages_that_show_it_and_no_others(preview):
    outcome = preview.build(preview.edit(DELTA, "title: Delta", "title: Delta Land"))
    rendered = set(preview.rendered)
    assert {
        "topics/delta/index.html",
        "2024/06/pertemuan/index.html",
        "topics/alpha-beta/index.html",
        "index.html",
        "topics/index.html",
        "archive/index.html",
        "tags/kim-jong-un/index.html",
    } <= rendered
    untouched = {"404.html", "tags/index.html", "tags/aurus/index.html", "topics/gamma/index.html"}
    assert not rendered & untouched
    assert not rendered & {"2024/06/unfinished/index.html", "old/second/index.html"}
    assert set(outcome.changed) == rendered
    assert all(b"Delta Land" in outcome.files[out] for out in rendered)
    assert preview.matches_full_build(outcome)


ANA = "content/authors/ana.md"
ANA_PAGES = {"authors/ana/index.html", "authors/ana/feed.xml"}


def test_an_authors_bio_rerenders_their_page_and_feed_and_a_name_their_bylines(preview):
    """A new author file links the bylines naming it (here by its slug); its bio shows on
    the author's page and feed only; its name wherever a byline links to it."""
    preview.write(ANA, "---\nname: Ana Writer\nbio: Ana covers Alpha.\n---\n\nLonger.\n")
    preview.edit(SECOND, "title:", "authors: [ana, Bo]\ntitle:")
    outcome = preview.build(ANA, SECOND)
    assert b'href="/authors/ana/"' in outcome.files[SECOND_PAGE]
    assert set(preview.rendered) >= ANA_PAGES
    assert preview.matches_full_build(outcome)

    outcome = preview.build(preview.edit(ANA, "covers Alpha", "covers Beta"))
    assert set(preview.rendered) == set(outcome.changed) == ANA_PAGES
    assert b"Ana covers Beta." in outcome.files["authors/ana/index.html"]
    assert preview.matches_full_build(outcome)

    outcome = preview.build(preview.edit(ANA, "name: Ana Writer", "name: Ana W."))
    rendered = set(preview.rendered)
    assert {SECOND_PAGE, *ANA_PAGES, *SECOND_FEEDS} <= rendered
    assert not rendered & {"404.html", "tags/index.html", "2024/03/first-meeting/index.html"}
    assert b">Ana W.</a> and Bo" in outcome.files[SECOND_PAGE]
    assert preview.matches_full_build(outcome)

    (preview.source / ANA).unlink()
    outcome = preview.build(ANA)
    assert b"By ana and Bo" in outcome.files[SECOND_PAGE]
    assert set(outcome.removed) == ANA_PAGES
    assert preview.matches_full_build(outcome)


def test_a_template_change_rerenders_only_the_pages_using_it(preview):
    tag = (REPO / "layouts/tag.html").read_text(encoding="utf-8")
    marked = tag.replace("{% block main %}", "{% block main %}<p>marker</p>")
    outcome = preview.build(preview.write("layouts/tag.html", marked))
    assert set(preview.rendered) == set(outcome.changed) == TAG_PAGES
    assert all(b"<p>marker</p>" in outcome.files[out] for out in TAG_PAGES)
    assert preview.matches_full_build(outcome)


def test_a_partial_reported_as_its_folder_rerenders_every_page_using_it(preview):
    macros = (REPO / "layouts/partials/macros.html").read_text(encoding="utf-8")
    anchor = "{% macro article_card(card, level=3, date=none, published=none) %}"
    preview.write("layouts/partials/macros.html", macros.replace(anchor, anchor + "<!-- m -->"))
    outcome = preview.build("layouts/partials")
    assert "index.html" in outcome.changed
    assert not {"404.html", "old/second/index.html"} & set(preview.rendered)
    assert preview.matches_full_build(outcome)


@pytest.mark.parametrize("reported", ["layouts/static/style.css", "layouts/static", "layouts"])
def test_a_stylesheet_change_reports_only_the_stylesheet(preview, reported):
    css = (REPO / "layouts/static/style.css").read_text(encoding="utf-8")
    preview.write("layouts/static/style.css", css + "\n.x { color: red; }\n")
    added = preview.build(reported)
    preview.write("layouts/static/style.css", css + "\n.x { color: blue; }\n")
    edited = preview.build(reported)  # same file, same output path: only its bytes differ
    for outcome in (added, edited):
        assert outcome.changed == ("static/style.css",)
        assert outcome.css_only
    if reported != "layouts":  # the whole layouts folder may hold translations: all is redone
        assert (added.rendered, edited.rendered) == (0, 0)
    assert snapshot(edited.files)["static/style.css"].endswith(b"color: blue; }\n")


@pytest.mark.parametrize("reported", ["content/img/map.svg", "content/img"])
def test_an_edited_asset_is_reported_changed(preview, reported):
    preview.write("content/img/map.svg", "<svg/>")
    outcome = preview.build(reported)
    assert (outcome.changed, outcome.rendered) == (("img/map.svg",), 0)


def test_an_edited_article_reported_as_its_folder_is_rebuilt(preview):
    preview.edit(SECOND, "Details.", "More details.")
    outcome = preview.build("content/articles/2024")
    assert set(outcome.changed) == {SECOND_PAGE, *SECOND_FEEDS}
    assert preview.matches_full_build(outcome)


def test_a_deleted_article_sends_its_readers_to_its_topic(preview):
    (preview.source / SECOND).unlink()
    outcome = preview.build(SECOND)
    assert outcome.errors == ()
    assert outcome.removed == {
        "2024/06/second-meeting/index.html": "topics/alpha-beta/index.html",
        "old/second/index.html": "topics/alpha-beta/index.html",
        "tags/diplomatic-gifts/index.html": "index.html",
        "tags/diplomatic-gifts/feed.xml": "index.html",
    }
    assert preview.matches_full_build(outcome)


def test_a_deleted_article_without_a_topic_sends_its_readers_home(preview):
    loose = preview.write("content/articles/loose.md", "---\ntitle: Loose\ndate: 2024-05-01\n---\n")
    assert "2024/05/loose/index.html" in preview.build(loose).changed
    (preview.source / loose).unlink()
    assert preview.build(loose).removed == {"2024/05/loose/index.html": "index.html"}


def test_a_new_slug_sends_readers_of_the_old_address_to_the_new_one(preview):
    outcome = preview.build(preview.edit(SECOND, "summary:", "slug: second-encounter\nsummary:"))
    assert outcome.removed == {
        "2024/06/second-meeting/index.html": "2024/06/second-encounter/index.html"
    }
    assert "2024/06/second-encounter/index.html" in outcome.changed
    assert preview.matches_full_build(outcome)


def test_a_broken_file_reports_errors_and_keeps_the_previous_site_until_fixed(preview):
    good = (preview.source / PERTEMUAN).read_text(encoding="utf-8")
    broken = preview.build(preview.edit(PERTEMUAN, "---\n\nKedua", "\nKedua"))
    assert [str(e) for e in broken.errors] == [
        f"{PERTEMUAN}:1: error: front matter opened with `---` on line 1 is never closed: "
        "no closing `---` found"
    ]
    assert broken.files == preview.first.files
    assert (broken.changed, broken.removed, broken.rendered) == ((), {}, 0)
    fixed = preview.build(preview.write(PERTEMUAN, good))
    assert fixed.errors == ()
    assert fixed.changed == ()
    assert preview.matches_full_build(fixed)


def test_changes_made_while_the_build_is_failing_are_not_lost(preview):
    """Settings, templates and styles edited while an article is broken show once it is fixed."""
    good = (preview.source / PERTEMUAN).read_text(encoding="utf-8")
    assert preview.build(preview.edit(PERTEMUAN, "lang: id\n", "lang: [id\n")).errors
    assert preview.build(preview.edit("site.yaml", "Basic Test Site", "Renamed Site")).errors
    tag = (REPO / "layouts/tag.html").read_text(encoding="utf-8")
    marked = tag.replace("{% block main %}", "{% block main %}<p>marker</p>")
    assert preview.build(preview.write("layouts/tag.html", marked)).errors
    fixed = preview.build(preview.write(PERTEMUAN, good))
    assert fixed.errors == ()
    pages = [out for out in preview.rendered if out.endswith(".html")]  # not robots.txt…
    assert all(b"Renamed Site" in fixed.files[out] for out in pages)
    assert b"<p>marker</p>" in fixed.files["tags/aurus/index.html"]
    assert preview.matches_full_build(fixed)


# -- the open pages first ---------------------------------------------------------------------

FIRST_PAGE = "2024/03/first-meeting/index.html"
SUMMARY_EDIT = ("The leaders met", "The two leaders met")
"""An edit of the first meeting's first paragraph: its summary, shown by the home page,
the archive, its topic and tag pages, its neighbours and the feeds."""


@dataclass
class HandedOver:
    """What ``RenderFirst.ready`` was given, and the pages rendered by then."""

    pages: dict[str, bytes]
    rendered: list[str]


def render_first(outputs: set[str], rendered: list[str], calls: list[HandedOver]) -> RenderFirst:
    def ready(pages: Mapping[str, bytes]) -> None:
        calls.append(HandedOver(dict(pages), list(rendered)))

    return RenderFirst(frozenset(outputs), ready)


def test_the_pages_named_first_are_rendered_and_handed_over_before_the_others(preview):
    calls: list[HandedOver] = []
    first = render_first({FIRST_PAGE, "no/such/page/index.html"}, preview.rendered, calls)
    outcome = preview.build(preview.edit(FIRST, *SUMMARY_EDIT), first=first)
    assert outcome.errors == ()
    assert [call.rendered for call in calls] == [[FIRST_PAGE]]
    assert calls[0].pages == {FIRST_PAGE: snapshot(outcome.files)[FIRST_PAGE]}
    assert b"The two leaders met" in calls[0].pages[FIRST_PAGE]
    assert preview.rendered[0] == FIRST_PAGE and preview.rendered.count(FIRST_PAGE) == 1
    assert len(preview.rendered) > 10  # the lists, tags and feeds came after
    assert preview.matches_full_build(outcome)


def test_pages_named_first_that_the_edit_does_not_touch_change_nothing(preview):
    calls: list[HandedOver] = []
    first = render_first({"topics/delta/index.html", "404.html"}, preview.rendered, calls)
    preview.build(preview.edit(FIRST, *SUMMARY_EDIT))
    plain = list(preview.rendered)
    edit = preview.edit(FIRST, "The two leaders met", "The three leaders met")
    outcome = preview.build(edit, first=first)
    assert calls == []
    assert preview.rendered == plain  # the same pages in the same order as without
    assert preview.matches_full_build(outcome)


def test_nothing_is_handed_over_when_the_first_pages_are_all_there_is(preview):
    calls: list[HandedOver] = []
    first = render_first({SECOND_PAGE, *SECOND_FEEDS}, preview.rendered, calls)
    outcome = preview.build(preview.edit(SECOND, "Details.", "More details."), first=first)
    assert set(preview.rendered) == {SECOND_PAGE, *SECOND_FEEDS}
    assert calls == []  # the complete build comes as soon
    assert preview.matches_full_build(outcome)


@pytest.mark.parametrize("jobs", [1, 2])
def test_rendering_some_pages_first_gives_the_same_build_as_without(site_copy, monkeypatch, jobs):
    """Same pages, same bytes, same records and the same state to go on from: only the
    order of the renders differs."""
    monkeypatch.setattr(render, "WORTH_A_PROCESS", 0)  # with jobs 2: worker processes
    source = site_copy("basic")
    request = replace(preview_request(source), jobs=jobs)
    plain, prioritised = Engine(request), Engine(request)
    plain.build()
    prioritised.build()
    replace_once(source / FIRST, *SUMMARY_EDIT)
    calls: list[HandedOver] = []
    first = render_first({FIRST_PAGE, "topics/gamma/index.html"}, [], calls)
    expected = plain.build(of_batch([FIRST]))
    result = prioritised.build(of_batch([FIRST]), first=first)
    assert [sorted(call.pages) for call in calls] == [[FIRST_PAGE, "topics/gamma/index.html"]]
    assert snapshot(result.files()) == snapshot(expected.files())
    assert list(result.pages.items()) == list(expected.pages.items())
    assert (result.rendered, result.changed, result.removed, result.warnings) == (
        expected.rendered, expected.changed, expected.removed, expected.warnings,
    )  # fmt: skip
    assert comparable(prioritised.state) == comparable(plain.state)


def comparable(state: BuildState) -> tuple[BuildState, dict]:
    """A state as two builds of the same site can share it (compiled templates aside)."""
    assert state.readers is not None
    return replace(state, bytecode={}, readers=None), state.readers.readers


def test_a_build_failing_after_the_first_pages_fails_as_it_would_without(preview):
    """The first pages rendered, the tag pages did not: every problem is raised, as by a
    build in one batch, and the next build goes on from the last successful one."""
    calls: list[HandedOver] = []
    first = render_first({FIRST_PAGE}, preview.rendered, calls)
    tag = (REPO / "layouts/tag.html").read_text(encoding="utf-8")
    broken = tag.replace("{% block main %}", "{% block main %}{{ no_such_thing.x }}")
    preview.write("layouts/tag.html", broken)
    preview.edit(FIRST, *SUMMARY_EDIT)
    outcome = preview.build(FIRST, "layouts/tag.html", first=first)
    assert [call.rendered for call in calls] == [[FIRST_PAGE]]
    assert sorted({e.path for e in outcome.errors}) == ["layouts/tag.html"]
    assert len(outcome.errors) == 1 and "'no_such_thing' is undefined" in str(outcome.errors[0])
    assert outcome.files == preview.first.files
    fixed = preview.build(preview.write("layouts/tag.html", tag))
    assert fixed.errors == ()
    assert b"The two leaders met" in snapshot(fixed.files)[FIRST_PAGE]
    assert preview.matches_full_build(fixed)


# -- a cold build, as every command runs it --------------------------------------------------


def story(title: str, front: str = "", body: str = "Body.\n") -> str:
    return f"---\ntitle: {title}\ndate: 2024-06-19\n{front}---\n\n{body}"


A = "content/articles/a.md"
B = "content/articles/b.md"
C = "content/articles/c.md"
SMALL_SITE = {
    A: story("A story", "topics: [alpha]\naliases: [/old/a/]\n", "See [[B story]].\n"),
    B: story("B story"),
    C: story("C story", "topics: [gamma]\ntags: [Solo]\n"),
    "content/topics/alpha.md": "---\ntitle: Alpha\n---\nIntro.\n",
    "content/topics/beta.md": "---\ntitle: Beta\n---\nIntro.\n",
    "content/topics/gamma.md": "---\ntitle: Gamma\n---\nIntro.\n",
    "content/img/map.svg": "<svg/>",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("small")
    write_files(root, SMALL_SITE)
    return root


@pytest.fixture(scope="module")
def cold(small) -> BuildResult:
    return Engine(BuildRequest(source=small)).build()


def test_a_build_writes_nothing(cold, small):
    assert not (small / "site").exists()
    assert set(cold.inputs) == {p for p in SMALL_SITE}


def test_every_page_and_copied_file_is_in_the_result_once_in_path_order(cold):
    outputs = list(cold.files())
    assert outputs == sorted(set(outputs))
    assert {"index.html", "img/map.svg", "static/style.css", "2024/06/c/index.html"} <= set(outputs)
    assert cold.rendered == frozenset(cold.pages)


def test_each_page_knows_the_templates_that_rendered_it(cold):
    assert cold.pages["2024/06/a/index.html"].templates == {
        "article.html",
        "base.html",
        "partials/alternates.html",
        "partials/corrections.html",
        "partials/macros.html",
        "partials/pictures.html",
        "partials/search.html",
    }
    assert cold.pages["feed.xml"].templates == {"feed.xml"}
    assert cold.pages["404.html"].templates == {
        "404.html",
        "base.html",
        "partials/alternates.html",
        "partials/search.html",
    }
    assert "redirect.html" in cold.pages["old/a/index.html"].templates


def test_every_stage_is_timed(cold):
    stages = ["settings", "theme", "sources", "parse", "pictures", "resolve", "plan", "render"]
    assert list(cold.timings) == stages
    assert all(seconds >= 0 for seconds in cold.timings.values())


def test_the_base_url_can_be_overridden_for_a_preview(small):
    request = BuildRequest(source=small, base_url="http://127.0.0.1:8123/pv/")
    html = Engine(request).build().pages["2024/06/a/index.html"].data.decode()
    assert 'href="/pv/2024/06/b/"' in html
    assert 'rel="canonical" href="http://127.0.0.1:8123/pv/2024/06/a/"' in html


def test_problems_of_every_stage_are_raised_together(tmp_path):
    write_files(
        tmp_path,
        {
            "site.yaml": "title: x\n",
            A: story("A", "topics: [nowhere]\n"),
            B: "---\ntitle: B\n---\n",
        },
    )
    with pytest.raises(BuildError) as caught:
        Engine(BuildRequest(source=tmp_path)).build()
    assert [f"{e.path}:{e.line}" for e in caught.value.errors] == [
        "content/articles/a.md:4",
        "content/articles/b.md:1",
    ]
