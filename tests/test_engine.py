"""Incremental rebuilds: after any edits the preview equals a clean full build, and an edit
re-renders only the pages it affects.

The property test drives a small site through random edit sequences (a model of the site
is turned into files; the files that changed are what the watcher would report) and
compares every rebuild with ``generate`` of the same source, byte for byte. The plain tests
below it pin down *how much* each kind of edit re-renders, as Hugo's ``rebuild_test.go`` does.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from dossierpress.content.markdown import normalise_target
from dossierpress.engine.build import BuildRequest, BuildResult, Engine
from dossierpress.errors import BuildError
from dossierpress.pages import kinds

from .conftest import REPO, write_files
from .support.builds import Outcome, Rebuilder, full_build, preview_request, snapshot

# -- the site model ------------------------------------------------------------------------

DATES = (
    "2024-03-01",
    "2024-06-19T09:00:00+07:00",
    "2024-06-30T20:00:00Z",  # June in UTC, July in Jakarta
    "2024-07-02",
    "2023-12-31T23:30:00-05:00",
)
TIMEZONES = ("Asia/Jakarta", "UTC", "America/New_York")
TAGS = ("Aurus", "aurus", "Kim Jong-un", "kim jong-un", "Diplomatic gifts", "Solo")
ARTICLE_TITLES = ("First meeting", "Second meeting", "Summit", "Talks resume", "Gamma")
TOPIC_TITLES = ("Gamma", "Delta", "Alpha–Beta relations", "Epsilon", "Zeta talks")
SLUGS = ("first-meeting", "summit", "talks", "encounter")
ALIASES = ("/old/a/", "/old/b/", "/2024/06/summit/")
SUMMARIES = (None, "They met again.", "A short note.")
STEMS = ("first-meeting", "second-meeting", "pertemuan", "summit", "talks", "gifts")
FOLDERS = ("2024", "2025", "archive/old")
TOPIC_SLUGS = ("alpha-beta", "gamma", "delta", "epsilon", "zeta")
TEMPLATES = {
    "tag.html": "{% block main %}",
    "article.html": "{% block main %}",
    "base.html": "{% block main %}{% endblock %}",
    "partials/macros.html": "{% macro article_card(card, level=3) %}",
}
BREAKAGES = ("unclosed", "yaml", "no title", "bad date")
UNKNOWN = "Nowhere"


def q(text: str | list[str]) -> str:
    """A YAML scalar or flow list (JSON is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass
class ArticleSpec:
    title: str
    date: str
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    related: list[str] = field(default_factory=list)
    draft: bool = False
    slug: str | None = None
    aliases: list[str] = field(default_factory=list)
    lang: str | None = None
    paragraphs: list[str] = field(default_factory=lambda: ["Intro.", "Details."])
    broken: str | None = None

    def text(self) -> str:
        front = [f"title: {q(self.title)}", f"date: {self.date}"]
        front += [f"{key}: {q(value)}" for key, value in self.scalars() if value is not None]
        front += [f"{key}: {q(items)}" for key, items in self.lists() if items]
        if self.related:
            front += ["related:", *(f"  - ref: {q(ref)}" for ref in self.related)]
        if self.draft:
            front.append("draft: true")
        return broken_text(front, "\n\n".join(self.paragraphs), self.broken)

    def scalars(self) -> list[tuple[str, str | None]]:
        return [("summary", self.summary), ("slug", self.slug), ("lang", self.lang)]

    def lists(self) -> list[tuple[str, list[str]]]:
        return [("topics", self.topics), ("tags", self.tags), ("aliases", self.aliases)]


@dataclass
class TopicSpec:
    title: str
    summary: str | None = None
    lang: str | None = None
    aliases: list[str] = field(default_factory=list)
    related_topics: list[str] = field(default_factory=list)
    key_facts: list[str] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    body: str = "Introduction."
    broken: str | None = None

    def text(self) -> str:
        front = [f"title: {q(self.title)}"]
        front += [f"{k}: {q(v)}" for k, v in (("summary", self.summary), ("lang", self.lang)) if v]
        for key in ("aliases", "related_topics", "key_facts", "pinned"):
            if getattr(self, key):
                front.append(f"{key}: {q(getattr(self, key))}")
        return broken_text(front, self.body, self.broken)


def broken_text(front: list[str], body: str, broken: str | None) -> str:
    if broken == "no title":
        front = [line for line in front if not line.startswith("title:")] or ["lang: en"]
    elif broken == "yaml":
        front = ["title: [unclosed", *front[1:]]
    elif broken == "bad date":
        front = [*front, "updated: 2024-02-30"]
    closing = [] if broken == "unclosed" else ["---"]
    return "\n".join(["---", *front, *closing, "", body, ""])


def initial_articles() -> dict[str, ArticleSpec]:
    """The shape of tests/sites/basic: topics, tags in two spellings, links both ways."""
    return {
        "content/articles/2024/first-meeting.md": ArticleSpec(
            "First meeting",
            "2024-03-01",
            topics=["alpha-beta", "Gamma"],
            tags=["Aurus", "Kim Jong-un"],
            paragraphs=["The leaders met. See [[alpha-beta|the dossier]].", "![map](/img/map.svg)"],
        ),
        "content/articles/2024/pertemuan.md": ArticleSpec(
            "Pertemuan ketiga",
            "2024-06-19T15:00:00+07:00",
            topics=["alpha-beta", "delta"],
            tags=["Kim Jong-un"],
            lang="id",
        ),
        "content/articles/2024/second-meeting.md": ArticleSpec(
            "Second meeting",
            "2024-06-19T09:00:00+07:00",
            topics=["alpha-beta"],
            tags=["kim jong-un", "Diplomatic gifts"],
            summary="They met again.",
            related=["first-meeting"],
            aliases=["/old/second/"],
            paragraphs=["A second meeting followed [[First Meeting]].", "## Gifts", "Details."],
        ),
        "content/articles/2024/unfinished.md": ArticleSpec(
            "Unfinished piece", "2024-06-21", topics=["gamma"], draft=True
        ),
    }


def initial_topics() -> dict[str, TopicSpec]:
    return {
        "alpha-beta": TopicSpec(
            "Alpha–Beta relations",
            summary="How Alpha and Beta get along.",
            aliases=["Hubungan Alpha–Beta"],
            related_topics=["gamma"],
            key_facts=["**Two** countries, one [[gamma|neighbour]]"],
            pinned=["first-meeting"],
            body="The introduction links to [[Gamma]] and to [[first meeting]].",
        ),
        "delta": TopicSpec("Delta", lang="id", body="Pengantar topik Delta."),
        "gamma": TopicSpec("Gamma", summary="The third country.", body="Gamma's introduction."),
    }


def pick(options: list[str] | tuple[str, ...], index: int) -> str:
    return options[index % len(options)]


def toggle(items: list[str], item: str) -> None:
    if item in items:
        items.remove(item)
    else:
        items.append(item)


def folders(paths: set[str], depth: int | None) -> set[str]:
    """What a watcher reporting folders instead of files would say: each file's own folder
    (``depth`` None) or its folder that many levels below the source (``content``)."""
    reported = set()
    for path in paths:
        parts = PurePosixPath(path).parts
        keep = len(parts) - 1 if depth is None else min(depth, len(parts) - 1)
        reported.add("/".join(parts[:keep]) if keep else path)
    return reported


@dataclass
class SiteModel:
    """Everything an editor can change; ``files()`` is the source tree it stands for."""

    articles: dict[str, ArticleSpec] = field(default_factory=initial_articles)
    topics: dict[str, TopicSpec] = field(default_factory=initial_topics)
    title: str = "Basic Test Site"
    timezone: str = "Asia/Jakarta"
    broken: bool = False
    templates: dict[str, int] = field(default_factory=dict)
    """Project overrides of default templates, by name → marker."""
    css: int | None = None
    wording: int | None = None
    """A project translation file rewording "Tags" (on every page), by marker."""
    assets: dict[str, int] = field(default_factory=lambda: {"content/img/map.svg": 0})

    def files(self) -> dict[str, str]:
        site = f"title: {q(self.title)}\ntimezone: {self.timezone}\n"
        files = {"site.yaml": site + ("colour: red\n" if self.broken else "")}
        files.update({path: spec.text() for path, spec in self.articles.items()})
        files.update({f"content/topics/{s}.md": t.text() for s, t in self.topics.items()})
        for name, marker in self.templates.items():
            default = (REPO / "layouts" / name).read_text(encoding="utf-8")
            anchor = TEMPLATES[name]
            files[f"layouts/{name}"] = default.replace(anchor, f"{anchor}<!-- m{marker} -->", 1)
        if self.css is not None:
            css = (REPO / "layouts/static/style.css").read_text(encoding="utf-8")
            files["layouts/static/style.css"] = f"{css}\n/* m{self.css} */\n"
        if self.wording is not None:
            files["layouts/i18n/en.po"] = f'msgid "Tags"\nmsgstr "Labels {self.wording}"\n'
        files.update({path: f'<svg id="m{n}"/>' for path, n in self.assets.items()})
        return files

    def article_names(self) -> list[str]:
        articles = sorted(self.articles.items())
        slugs = [spec.slug or PurePosixPath(path).stem for path, spec in articles]
        return [*slugs, *(spec.title for _, spec in articles)]

    def topic_names(self) -> list[str]:
        topics = sorted(self.topics.items())
        aliases = [alias for _, topic in topics for alias in topic.aliases]
        return [*(slug for slug, _ in topics), *(topic.title for _, topic in topics), *aliases]

    def link_targets(self) -> list[str]:
        return [*self.article_names(), *self.topic_names(), UNKNOWN]


IDX = st.integers(0, 40)
HEAL_AFTER = 2
BUILD = st.sampled_from(("later", "files", "folders", "top folders"))
"""After an edit: keep editing (one rebuild for several edits), or rebuild, told the
touched files, their folders (as a watcher may report a created folder) or only the top
folders (``content``, ``layouts``, as after a ``git checkout``)."""


class EditSequences(RuleBasedStateMachine):
    """Edits a site model, writes the files that changed and rebuilds, against the oracle."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="dossier-incremental-"))
        self.source = self.root / "site"
        self.request = preview_request(self.source)
        self.builder = Rebuilder(self.request)
        self.site = SiteModel()
        self.saved = copy.deepcopy(self.site)
        self.history: list[SiteModel] = []
        self.good = self.saved
        """The model of the last build that succeeded."""
        self.on_disk: dict[str, str] = {}
        self.pending: set[str] = set()
        self.counter = 0
        self.heal_in: int | None = None
        """Steps until the content is put right after a failed build: an editor who sees
        the errors fixes them a few saves later (other changes made meanwhile stay)."""
        self.last: Outcome | None = None
        self.served: dict[str, bytes] = {}

    def teardown(self) -> None:
        try:
            if self.pending:
                self.rebuild("files")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- files and builds ------------------------------------------------------------------

    def sync(self) -> None:
        """Write what the model says, remember which paths were touched."""
        wanted = self.site.files()
        for path in set(self.on_disk) - set(wanted):
            (self.source / path).unlink()
            self.pending.add(path)
        changed = {p: text for p, text in wanted.items() if self.on_disk.get(p) != text}
        write_files(self.source, changed)
        self.pending |= set(changed)
        self.on_disk = wanted

    def step(self, build: str) -> None:
        """Every rule ends here: the edit is written, remembered for undo, maybe built."""
        self.counter += 1
        if self.heal_in is not None:
            self.heal_in -= 1
            if self.heal_in < 0:
                self.restore_content()
        self.history.append(self.saved)
        self.saved = copy.deepcopy(self.site)
        self.sync()
        if build != "later":
            self.rebuild(build)

    def rebuild(self, build: str) -> None:
        changed = {
            "files": self.pending,
            "folders": folders(self.pending, None),
            "top folders": folders(self.pending, 1),
        }[build]
        self.pending = set()
        self.check(self.builder.build(changed))

    @initialize()
    def first_build(self) -> None:
        self.sync()
        self.pending.clear()
        self.check(self.builder.build())

    def check(self, outcome: Outcome) -> None:
        expected = full_build(self.request)
        errors = [str(e) for e in outcome.errors]
        if isinstance(expected, list):
            assert errors == expected
            assert self.last is not None and dict(outcome.files) == dict(self.last.files)
            assert (outcome.changed, outcome.removed) == ((), {})
            self.heal_in = HEAL_AFTER if self.heal_in is None else self.heal_in
            return
        assert errors == []
        served = snapshot(outcome.files)
        assert sorted(served) == sorted(expected), "not the same output files"
        wrong = [out for out in expected if served[out] != expected[out]]
        assert not wrong, f"stale or wrong output: {wrong}"
        visible = {out for out, data in served.items() if self.served.get(out) != data}
        assert visible <= set(outcome.changed), "a changed output was not reported"
        assert set(outcome.removed) == set(self.served) - set(served)
        assert set(outcome.removed.values()) <= set(served)
        self.last, self.served, self.good = outcome, served, copy.deepcopy(self.site)

    # -- undoing -----------------------------------------------------------------------------

    @precondition(lambda self: self.history)
    @rule(build=BUILD)
    def undo(self, build: str) -> None:
        self.site = self.history.pop()
        self.saved = copy.deepcopy(self.site)
        self.sync()
        if build != "later":
            self.rebuild(build)

    def content_changed(self) -> bool:
        good = self.good
        return (self.site.articles, self.site.topics) != (good.articles, good.topics)

    def restore_content(self) -> None:
        """Put articles and topics back as they were at the last good build (and fix
        ``site.yaml``), keeping every other change made since."""
        good = copy.deepcopy(self.good)
        self.site.articles, self.site.topics, self.site.broken = good.articles, good.topics, False
        self.heal_in = None

    @precondition(lambda self: self.content_changed() or self.site.broken)
    @rule(build=BUILD)
    def repair_content(self, build: str) -> None:
        self.restore_content()
        self.step(build)

    # -- articles ----------------------------------------------------------------------------

    def article(self, which: int) -> ArticleSpec:
        return self.site.articles[pick(sorted(self.site.articles), which)]

    @precondition(lambda self: self.site.articles)
    @rule(
        which=IDX, what=st.sampled_from(["text", "lead", "link", "unlink"]), link=IDX, build=BUILD
    )
    def edit_body(self, which: int, what: str, link: int, build: str) -> None:
        spec = self.article(which)
        if what == "text":
            spec.paragraphs[-1] = f"Edited {self.counter}."
        elif what == "lead":
            spec.paragraphs[0] = f"A new first paragraph {self.counter}."
        elif what == "link":
            spec.paragraphs[-1] += f" See [[{pick(self.site.link_targets(), link)}]]."
        else:
            spec.paragraphs = [p.split("[[")[0] or "Plain." for p in spec.paragraphs]
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(which=IDX, title=st.sampled_from(ARTICLE_TITLES), build=BUILD)
    def set_title(self, which: int, title: str, build: str) -> None:
        self.article(which).title = title
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(which=IDX, date=st.sampled_from(DATES), build=BUILD)
    def set_date(self, which: int, date: str, build: str) -> None:
        self.article(which).date = date
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(
        which=IDX,
        what=st.sampled_from(["tags", "topics", "related", "aliases"]),
        item=IDX,
        build=BUILD,
    )
    def toggle_list(self, which: int, what: str, item: int, build: str) -> None:
        choices = {
            "tags": TAGS,
            "topics": [*self.site.topic_names(), UNKNOWN],
            "related": [*self.site.article_names(), *self.site.topic_names()],
            "aliases": ALIASES,
        }[what]
        toggle(getattr(self.article(which), what), pick(choices, item))
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(which=IDX, what=st.sampled_from(["summary", "slug", "draft"]), value=IDX, build=BUILD)
    def set_field(self, which: int, what: str, value: int, build: str) -> None:
        spec = self.article(which)
        if what == "summary":
            spec.summary = pick(SUMMARIES, value)
        elif what == "slug":
            spec.slug = pick((None, *SLUGS), value)
        else:
            spec.draft = not spec.draft
        self.step(build)

    @rule(
        stem=st.sampled_from(STEMS),
        folder=st.sampled_from(FOLDERS),
        date=st.sampled_from(DATES),
        topic=IDX,
        build=BUILD,
    )
    def add_article(self, stem: str, folder: str, date: str, topic: int, build: str) -> None:
        names = self.site.topic_names()
        topics = [pick(names, topic)] if names and topic % 3 else []
        spec = ArticleSpec(f"New {self.counter}", date, topics=topics)
        self.site.articles[f"content/articles/{folder}/{stem}.md"] = spec
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(which=IDX, build=BUILD)
    def delete_article(self, which: int, build: str) -> None:
        del self.site.articles[pick(sorted(self.site.articles), which)]
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(which=IDX, stem=st.sampled_from(STEMS), folder=st.sampled_from(FOLDERS), build=BUILD)
    def rename_article(self, which: int, stem: str, folder: str, build: str) -> None:
        spec = self.site.articles.pop(pick(sorted(self.site.articles), which))
        self.site.articles[f"content/articles/{folder}/{stem}.md"] = spec
        self.step(build)

    @rule(
        which=IDX,
        what=st.sampled_from(["article", "topic", "site.yaml"]),
        how=st.sampled_from((None, *BREAKAGES)),
        build=BUILD,
    )
    def break_or_fix(self, which: int, what: str, how: str | None, build: str) -> None:
        """Break a file (or fix it: ``how`` None) as an editor halfway through a change."""
        documents: Mapping[str, ArticleSpec | TopicSpec]
        documents = {"article": self.site.articles, "topic": self.site.topics}.get(what, {})
        if documents:
            documents[pick(sorted(documents), which)].broken = how
        elif what == "site.yaml":
            self.site.broken = how is not None
        self.step(build)

    # -- topics ------------------------------------------------------------------------------

    @precondition(lambda self: self.site.topics)
    @rule(
        which=IDX,
        what=st.sampled_from(
            ["title", "summary", "aliases", "related_topics", "key_facts", "pinned", "body"]
        ),
        value=IDX,
        build=BUILD,
    )
    def edit_topic(self, which: int, what: str, value: int, build: str) -> None:
        spec = self.site.topics[pick(sorted(self.site.topics), which)]
        if what == "title":
            spec.title = pick(TOPIC_TITLES, value)
        elif what == "summary":
            spec.summary = pick(SUMMARIES, value)
        elif what == "aliases":
            toggle(spec.aliases, pick(("Hubungan Alpha–Beta", "The Gamma", "AB"), value))
        elif what == "related_topics":
            toggle(spec.related_topics, pick(self.site.topic_names(), value))
        elif what == "key_facts":
            toggle(spec.key_facts, f"Fact with [[{pick(self.site.link_targets(), value)}]]")
        elif what == "pinned":
            toggle(spec.pinned, pick(self.site.article_names(), value))
        else:
            spec.body = f"Intro {self.counter} with [[{pick(self.site.link_targets(), value)}]]."
        self.step(build)

    @rule(slug=st.sampled_from(TOPIC_SLUGS), title=st.sampled_from(TOPIC_TITLES), build=BUILD)
    def add_topic(self, slug: str, title: str, build: str) -> None:
        self.site.topics[slug] = TopicSpec(title)
        self.step(build)

    @precondition(lambda self: self.site.topics)
    @rule(which=IDX, unlink=st.booleans(), build=BUILD)
    def delete_topic(self, which: int, unlink: bool, build: str) -> None:
        """Delete a topic, and maybe its articles' references to it (else they break)."""
        slug = pick(sorted(self.site.topics), which)
        topic = self.site.topics.pop(slug)
        if unlink:
            names = {normalise_target(n) for n in (slug, topic.title, *topic.aliases)}
            for spec in self.site.articles.values():
                spec.topics = [t for t in spec.topics if normalise_target(t) not in names]
        self.step(build)

    # -- settings, theme and assets ----------------------------------------------------------

    @rule(
        title=st.sampled_from(["Basic Test Site", "Renamed"]),
        timezone=st.sampled_from(TIMEZONES),
        build=BUILD,
    )
    def edit_site(self, title: str, timezone: str, build: str) -> None:
        self.site.title, self.site.timezone = title, timezone
        self.step(build)

    @rule(name=st.sampled_from(sorted(TEMPLATES)), remove=st.booleans(), build=BUILD)
    def override_template(self, name: str, remove: bool, build: str) -> None:
        if remove:
            self.site.templates.pop(name, None)
        else:
            self.site.templates[name] = self.counter
        self.step(build)

    @rule(remove=st.booleans(), build=BUILD)
    def edit_css(self, remove: bool, build: str) -> None:
        self.site.css = None if remove else self.counter
        self.step(build)

    @rule(remove=st.booleans(), build=BUILD)
    def edit_wording(self, remove: bool, build: str) -> None:
        self.site.wording = None if remove else self.counter
        self.step(build)

    @rule(name=st.sampled_from(["map", "chart"]), remove=st.booleans(), build=BUILD)
    def edit_asset(self, name: str, remove: bool, build: str) -> None:
        path = f"content/img/{name}.svg"
        if remove:
            self.site.assets.pop(path, None)
        else:
            self.site.assets[path] = self.counter
        self.step(build)


def test_incremental_build_equals_a_full_build_after_any_edits():
    run_state_machine_as_test(
        EditSequences,
        settings=settings(
            max_examples=35,
            stateful_step_count=25,
            derandomize=True,
            database=None,
            deadline=None,
        ),
    )


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


@dataclass
class Preview:
    """An incremental builder on a copy of tests/sites/basic, noting which pages it renders."""

    source: Path
    builder: Rebuilder
    rendered: list[str]
    first: Outcome

    def edit(self, rel: str, old: str, new: str) -> str:
        path = self.source / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return rel

    def write(self, rel: str, text: str) -> str:
        write_files(self.source, {rel: text})
        return rel

    def build(self, *changed: str) -> Outcome:
        self.rendered.clear()
        return self.builder.build(changed)

    def matches_full_build(self, outcome: Outcome) -> bool:
        return snapshot(outcome.files) == full_build(self.builder.request)


@pytest.fixture
def preview(site_copy, monkeypatch) -> Preview:
    source = site_copy("basic")
    rendered: list[str] = []
    render = kinds.Renderer.render

    def recording_render(self, plan, graph):
        rendered.append(plan.output)
        return render(self, plan, graph)

    monkeypatch.setattr(kinds.Renderer, "render", recording_render)
    builder = Rebuilder(preview_request(source))
    first = builder.build()
    assert first.errors == () and len(rendered) == first.rendered == 16
    return Preview(source, builder, rendered, first)


def test_a_build_with_nothing_changed_renders_nothing(preview):
    outcome = preview.build()
    assert (outcome.rendered, preview.rendered, outcome.changed, outcome.removed) == (0, [], (), {})
    assert outcome.files == preview.first.files


def test_an_edit_below_the_summary_rerenders_only_that_article(preview):
    outcome = preview.build(preview.edit(SECOND, "Details.", "More details."))
    assert preview.rendered == ["2024/06/second-meeting/index.html"]
    assert outcome.changed == ("2024/06/second-meeting/index.html",)
    assert b"More details." in outcome.files["2024/06/second-meeting/index.html"]
    assert preview.matches_full_build(outcome)


def test_an_edit_of_the_first_paragraph_rerenders_the_lists_showing_it_as_summary(preview):
    outcome = preview.build(preview.edit(FIRST, "The leaders met", "The two leaders met"))
    rendered = set(preview.rendered)
    assert {"index.html", "archive/index.html", "topics/gamma/index.html"} <= rendered
    assert {"tags/aurus/index.html", "2024/06/second-meeting/index.html"} <= rendered
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


def test_a_template_change_rerenders_only_the_pages_using_it(preview):
    tag = (REPO / "layouts/tag.html").read_text(encoding="utf-8")
    marked = tag.replace("{% block main %}", "{% block main %}<p>marker</p>")
    outcome = preview.build(preview.write("layouts/tag.html", marked))
    assert set(preview.rendered) == set(outcome.changed) == TAG_PAGES
    assert all(b"<p>marker</p>" in outcome.files[out] for out in TAG_PAGES)
    assert preview.matches_full_build(outcome)


def test_a_partial_reported_as_its_folder_rerenders_every_page_using_it(preview):
    macros = (REPO / "layouts/partials/macros.html").read_text(encoding="utf-8")
    anchor = "{% macro article_card(card, level=3) %}"
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
    assert outcome.changed == ("2024/06/second-meeting/index.html",)
    assert preview.matches_full_build(outcome)


def test_a_deleted_article_sends_its_readers_to_its_topic(preview):
    (preview.source / SECOND).unlink()
    outcome = preview.build(SECOND)
    assert outcome.errors == ()
    assert outcome.removed == {
        "2024/06/second-meeting/index.html": "topics/alpha-beta/index.html",
        "old/second/index.html": "topics/alpha-beta/index.html",
        "tags/diplomatic-gifts/index.html": "index.html",
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
    assert all(b"Renamed Site" in fixed.files[out] for out in preview.rendered)
    assert b"<p>marker</p>" in fixed.files["tags/aurus/index.html"]
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
        "partials/macros.html",
    }
    assert cold.pages["404.html"].templates == {"404.html", "base.html"}
    assert "redirect.html" in cold.pages["old/a/index.html"].templates


def test_every_stage_is_timed(cold):
    stages = ["settings", "theme", "sources", "parse", "resolve", "plan", "render"]
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
