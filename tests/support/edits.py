"""A model of a small site and a state machine that edits it and rebuilds after each edit,
holding every rebuild to a cold build of the same files (the engine's contract)."""

from __future__ import annotations

import copy
import io
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PIL import Image

from dossierpress.content.markdown import normalise_target
from dossierpress.content.writer import Entry, front_matter, scalar
from dossierpress.engine.build import RenderFirst

from .builds import DiskRebuilder, Outcome, Rebuilder, full_build, preview_request, snapshot
from .files import REPO, write_files

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
    "partials/macros.html": "{% macro article_card(card, level=3, date=none, published=none) %}",
}
BREAKAGES = ("unclosed", "yaml", "no title", "bad date")
CORRECTIONS = (
    ("2024-07-05", "An earlier version misspelt a name."),
    ("2024-06-19T18:00:00+07:00", "A date was wrong; see [[Gamma]]."),  # before some articles
    ("2024-07-05T08:00:00Z", "Fixed again."),
)
"""Entries of ``corrections`` (date, text): they move an article up in feeds and sitemaps."""
ABOUTS = (None, "2023-09", "2024-06", "2024-06-19", "2024")
"""Values of an article's ``about``: none, earlier, around or (for some dates) after it."""
EVENT_DATES = ("2023-09", "2024-06-19", "2024", "2024-03-01")
EVENT_TEXTS = ("Kim visits", "Putin arrives, see [[Gamma]]", "A gift")
"""Entries of a topic's ``events`` are made of these, with refs to the site's articles."""
UNKNOWN = "Nowhere"
PICTURES = ("photo", "portrait")
AUTHOR_NAMES = ("Ana Writer", "ana  writer", "Bo", "Cy Stranger")
"""Names a byline or an author file may use: two spellings of one, one no file has yet."""
AUTHOR_SLUGS = ("ana", "bo", "cy")
BIOS = (None, "Ana covers Alpha.", "Writes about [[Gamma]].")
PROFILE_LINKS = ("https://example.org/staff/ana", "https://social.example/@ana")


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
    corrections: list[tuple[str, str]] = field(default_factory=list)
    translation_of: str | None = None
    authors: list[str] = field(default_factory=list)
    image: str | None = None
    """The lead picture, by name (``content/img/<name>.png``)."""
    focus: str | None = None
    about: str | None = None

    def text(self) -> str:
        entries = [Entry("title", self.title), Entry("date", self.date)]
        if self.image is not None:
            lead = {"src": f"/img/{self.image}.png", "alt": "A picture", "credit": "Test Desk"}
            entries.append(Entry("image", lead | ({"focus": self.focus} if self.focus else {})))
        entries += [Entry(key, value) for key, value in self.scalars() if value is not None]
        entries += [Entry(key, items) for key, items in self.lists() if items]
        if self.related:
            entries.append(Entry("related", [{"ref": ref} for ref in self.related]))
        if self.corrections:
            log = [{"date": day, "text": text} for day, text in self.corrections]
            entries.append(Entry("corrections", log))
        if self.draft:
            entries.append(Entry("draft", True))
        return broken_text(entries, "\n\n".join(self.paragraphs), self.broken)

    def scalars(self) -> list[tuple[str, str | None]]:
        return [
            ("summary", self.summary),
            ("slug", self.slug),
            ("lang", self.lang),
            ("translation_of", self.translation_of),
            ("about", self.about),
        ]

    def lists(self) -> list[tuple[str, list[str]]]:
        return [
            ("topics", self.topics),
            ("tags", self.tags),
            ("aliases", self.aliases),
            ("authors", self.authors),
        ]


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
    title_translations: dict[str, str] = field(default_factory=dict)
    weight: int | None = None
    events: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    """(date, text, refs) of each entry of ``events``."""

    def text(self) -> str:
        entries = [Entry("title", self.title)]
        entries += [Entry(k, v) for k, v in (("summary", self.summary), ("lang", self.lang)) if v]
        for key in ("aliases", "related_topics", "key_facts", "pinned"):
            if getattr(self, key):
                entries.append(Entry(key, getattr(self, key)))
        if self.title_translations:
            entries.append(Entry("title_translations", self.title_translations))
        if self.weight is not None:
            entries.append(Entry("weight", self.weight))
        if self.events:
            items = [{"date": d, "text": t, "refs": list(refs)} for d, t, refs in self.events]
            entries.append(Entry("events", items))
        return broken_text(entries, self.body, self.broken)


@dataclass
class AuthorSpec:
    name: str
    role: str | None = None
    bio: str | None = None
    lang: str | None = None
    links: list[str] = field(default_factory=list)
    body: str = "About the author."
    broken: str | None = None

    def text(self) -> str:
        entries = [Entry("name", self.name)]
        scalars = (("role", self.role), ("bio", self.bio), ("lang", self.lang))
        entries += [Entry(key, value) for key, value in scalars if value]
        if self.links:
            entries.append(Entry("links", self.links))
        text = broken_text(entries, self.body, self.broken)
        return text.replace("title: [unclosed", "name: [unclosed")


def broken_text(entries: list[Entry], body: str, broken: str | None) -> str:
    """The file, written by the package's writer, then broken as ``broken`` says."""
    front = front_matter(entries).splitlines()[1:-1]
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
            about="2024-06",
            related=["first-meeting"],
            aliases=["/old/second/"],
            authors=["Ana Writer", "Bo"],
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
            events=[("2023-09", "Kim visits", ("first-meeting",))],
        ),
        "delta": TopicSpec("Delta", lang="id", body="Pengantar topik Delta."),
        "gamma": TopicSpec("Gamma", summary="The third country.", body="Gamma's introduction."),
    }


def picture(marker: int) -> bytes:
    """A small PNG, another one for each marker (its colour and width)."""
    out = io.BytesIO()
    colour = (marker * 37 % 256, marker * 91 % 256, 120)
    Image.new("RGB", (40 + marker % 7, 30), colour).save(out, "PNG")
    return out.getvalue()


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
    authors: dict[str, AuthorSpec] = field(
        default_factory=lambda: {"ana": AuthorSpec("Ana Writer", bio="Ana covers Alpha.")}
    )
    title: str = "Basic Test Site"
    timezone: str = "Asia/Jakarta"
    broken: bool = False
    templates: dict[str, int] = field(default_factory=dict)
    """Project overrides of default templates, by name → marker."""
    css: int | None = None
    wording: int | None = None
    """A project translation file rewording "Tags" (on every page), by marker."""
    assets: dict[str, int] = field(default_factory=lambda: {"content/img/map.svg": 0})
    pictures: dict[str, int] = field(default_factory=dict)
    """Pictures (``content/img/<name>.png``) by name → marker: each marker another picture."""

    def files(self) -> dict[str, str | bytes]:
        site = f"title: {scalar(self.title)}\ntimezone: {self.timezone}\n"
        site += "colour: red\n" if self.broken else ""
        files: dict[str, str | bytes] = {"site.yaml": site}
        files.update({path: spec.text() for path, spec in self.articles.items()})
        files.update({f"content/topics/{s}.md": t.text() for s, t in self.topics.items()})
        files.update({f"content/authors/{s}.md": a.text() for s, a in self.authors.items()})
        for name, marker in self.templates.items():
            default = (REPO / "layouts" / name).read_text(encoding="utf-8")
            anchor = TEMPLATES[name]
            assert anchor in default, f"{name} no longer has {anchor}"
            files[f"layouts/{name}"] = default.replace(anchor, f"{anchor}<!-- m{marker} -->", 1)
        if self.css is not None:
            css = (REPO / "layouts/static/style.css").read_text(encoding="utf-8")
            files["layouts/static/style.css"] = f"{css}\n/* m{self.css} */\n"
        if self.wording is not None:
            files["layouts/i18n/en.po"] = f'msgid "Tags"\nmsgstr "Labels {self.wording}"\n'
        files.update({path: f'<svg id="m{n}"/>' for path, n in self.assets.items()})
        files.update({f"content/img/{name}.png": picture(n) for name, n in self.pictures.items()})
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


ORACLE_BUILDS: dict[tuple[int, tuple[tuple[str, str], ...]], dict[str, bytes] | list[str]] = {}
"""Cold builds by (processes, source files), shared by the examples of one test only
(``run_edit_sequences``): a test may patch what a build makes of the same files."""


def run_edit_sequences(machine: type[EditSequences], **options: Any) -> None:
    """Run ``machine`` as a test with hypothesis ``settings(**options)``, derandomised and
    without an example database, its oracle's builds remembered for this run only."""
    ORACLE_BUILDS.clear()
    try:
        run_state_machine_as_test(
            machine,
            settings=settings(derandomize=True, database=None, deadline=None, **options),
        )
    finally:
        ORACLE_BUILDS.clear()


class EditSequences(RuleBasedStateMachine):
    """Edits a site model, writes the files that changed and rebuilds, against the oracle.

    ``on_disk``: every build restores its state from a cache on disk and writes an output
    folder, as ``python build.py`` does (else the state stays in memory, as in the
    preview); ``oracle_jobs``: the processes of the cold build every rebuild is held to;
    ``open_pages``: every rebuild renders some pages first, as the preview does those
    open in a tab, and what it hands over must be what the whole build gives them.
    """

    on_disk = False
    oracle_jobs = 1
    open_pages = False

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="dossier-incremental-"))
        self.source = self.root / "site"
        self.request = preview_request(self.source)
        self.builder = (
            DiskRebuilder(self.request, self.root) if self.on_disk else Rebuilder(self.request)
        )
        self.site = SiteModel()
        self.saved = copy.deepcopy(self.site)
        self.history: list[SiteModel] = []
        self.good = self.saved
        """The model of the last build that succeeded."""
        self.on_disk: dict[str, str | bytes] = {}
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
        if not self.open_pages:
            self.check(self.builder.build(changed))
            return
        handed: list[Mapping[str, bytes]] = []
        open_pages = frozenset(sorted(out for out in self.served if out.endswith(".html"))[::3])
        assert isinstance(self.builder, Rebuilder)
        outcome = self.builder.build(changed, first=RenderFirst(open_pages, handed.append))
        self.check(outcome)
        assert len(handed) <= 1
        if handed and outcome.result is not None:
            final = snapshot(outcome.files)
            assert set(handed[0]) <= open_pages & set(outcome.changed)
            assert all(final[out] == data for out, data in handed[0].items())

    @initialize()
    def first_build(self) -> None:
        self.sync()
        self.pending.clear()
        self.check(self.builder.build())

    def oracle(self) -> dict[str, bytes] | list[str]:
        """The cold build of the files as they are now. A cold build is a function of
        its files (two of them are byte-identical, ``test_site``), and undo, repair and
        every example's first build bring back sources seen before: each is built once."""
        key = (self.oracle_jobs, tuple(sorted(self.on_disk.items())))
        if key not in ORACLE_BUILDS:
            ORACLE_BUILDS[key] = full_build(replace(self.request, jobs=self.oracle_jobs))
        return ORACLE_BUILDS[key]

    def check(self, outcome: Outcome) -> None:
        expected = self.oracle()
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

    @precondition(lambda self: self.last is not None and not self.pending and self.heal_in is None)
    @rule()
    def build_with_nothing_changed(self) -> None:
        """A build with nothing changed since the last one does nothing, whatever that
        build did: it renders no page and writes (or removes) no file."""
        assert self.last is not None
        outcome = self.builder.build()
        assert outcome.errors == self.last.errors
        assert (outcome.rendered, outcome.written) == (0, 0)
        assert (outcome.changed, outcome.removed) == ((), {})

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
        good, site = self.good, self.site
        shown = (site.articles, site.topics, site.authors, site.assets, site.pictures)
        return shown != (good.articles, good.topics, good.authors, good.assets, good.pictures)

    def restore_content(self) -> None:
        """Put articles, topics, authors and the files they show (a body's missing picture
        is an error) back as they were at the last good build (and fix ``site.yaml``),
        keeping every other change made since."""
        good = copy.deepcopy(self.good)
        self.site.articles, self.site.topics, self.site.broken = good.articles, good.topics, False
        self.site.authors, self.site.assets = good.authors, good.assets
        self.site.pictures = good.pictures
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
        what=st.sampled_from(["tags", "topics", "related", "aliases", "authors"]),
        item=IDX,
        build=BUILD,
    )
    def toggle_list(self, which: int, what: str, item: int, build: str) -> None:
        choices = {
            "authors": [*AUTHOR_NAMES, *AUTHOR_SLUGS],
            "tags": TAGS,
            "topics": [*self.site.topic_names(), UNKNOWN],
            "related": [*self.site.article_names(), *self.site.topic_names()],
            "aliases": ALIASES,
        }[what]
        toggle(getattr(self.article(which), what), pick(choices, item))
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(which=IDX, about=st.sampled_from(ABOUTS), build=BUILD)
    def set_about(self, which: int, about: str | None, build: str) -> None:
        """Say (or stop saying) when what an article reports happened: it moves in its
        dossiers' timelines, and only there."""
        self.article(which).about = about
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(which=IDX, item=IDX, build=BUILD)
    def toggle_correction(self, which: int, item: int, build: str) -> None:
        toggle(self.article(which).corrections, pick(CORRECTIONS, item))
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(which=IDX, other=IDX, lang=st.sampled_from((None, "id", "en")), build=BUILD)
    def set_translation(self, which: int, other: int, lang: str | None, build: str) -> None:
        """Name (or stop naming) another version of an article; often in the same
        language or itself, which the build refuses."""
        spec = self.article(which)
        names = self.site.article_names()
        spec.translation_of = pick(names, other) if other % 4 else None
        spec.lang = lang
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
        what=st.sampled_from(["article", "topic", "author", "site.yaml"]),
        how=st.sampled_from((None, *BREAKAGES)),
        build=BUILD,
    )
    def break_or_fix(self, which: int, what: str, how: str | None, build: str) -> None:
        """Break a file (or fix it: ``how`` None) as an editor halfway through a change."""
        documents: Mapping[str, ArticleSpec | TopicSpec | AuthorSpec]
        kinds = {"article": self.site.articles, "topic": self.site.topics}
        documents = {**kinds, "author": self.site.authors}.get(what, {})
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
            [
                "title",
                "summary",
                "aliases",
                "related_topics",
                "key_facts",
                "pinned",
                "body",
                "title_translations",
                "weight",
                "events",
            ]
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
            names = self.site.article_names()
            if names:  # every article deleted: nothing left to pin
                toggle(spec.pinned, pick(names, value))
        elif what == "title_translations":
            lang = pick(("id", "en", "fr"), value)
            if spec.title_translations.pop(lang, None) is None:
                spec.title_translations[lang] = f"{spec.title} ({lang} {self.counter})"
        elif what == "weight":
            spec.weight = (None, 1, 2, -1)[value % 4]
        elif what == "events":
            self.edit_events(spec, value)
        else:
            spec.body = f"Intro {self.counter} with [[{pick(self.site.link_targets(), value)}]]."
        self.step(build)

    def edit_events(self, spec: TopicSpec, value: int) -> None:
        """Add an event, redate or reword one, give it another ref (an unknown one now
        and then, which the build refuses), or remove one."""
        how = value % 4
        if how == 0 or not spec.events:
            names = self.site.article_names()
            refs = (pick(names, value),) if names and value % 3 else ()
            spec.events.append((pick(EVENT_DATES, value), pick(EVENT_TEXTS, value), refs))
        elif how == 1:
            date, text, refs = spec.events[value % len(spec.events)]
            spec.events[value % len(spec.events)] = (pick(EVENT_DATES, value + 1), text, refs)
        elif how == 2:
            index = value % len(spec.events)
            date, text, _refs = spec.events[index]
            names = [*self.site.article_names(), UNKNOWN]
            spec.events[index] = (date, f"{pick(EVENT_TEXTS, value)} {self.counter}",
                                  (pick(names, value),))  # fmt: skip
        else:
            spec.events.pop(value % len(spec.events))

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

    # -- authors -----------------------------------------------------------------------------

    @precondition(lambda self: self.site.authors)
    @rule(
        which=IDX,
        what=st.sampled_from(["name", "role", "bio", "links", "body", "lang"]),
        value=IDX,
        build=BUILD,
    )
    def edit_author(self, which: int, what: str, value: int, build: str) -> None:
        spec = self.site.authors[pick(sorted(self.site.authors), which)]
        if what == "name":
            spec.name = pick(AUTHOR_NAMES, value)
        elif what == "role":
            spec.role = pick((None, "Correspondent", f"Editor {self.counter}"), value)
        elif what == "bio":
            spec.bio = pick(BIOS, value)
        elif what == "links":
            toggle(spec.links, pick(PROFILE_LINKS, value))
        elif what == "lang":
            spec.lang = pick((None, "id"), value)
        else:
            spec.body = f"About {self.counter}, see [[{pick(self.site.link_targets(), value)}]]."
        self.step(build)

    @rule(slug=st.sampled_from(AUTHOR_SLUGS), name=st.sampled_from(AUTHOR_NAMES), build=BUILD)
    def add_author(self, slug: str, name: str, build: str) -> None:
        self.site.authors[slug] = AuthorSpec(name)
        self.step(build)

    @precondition(lambda self: self.site.authors)
    @rule(which=IDX, build=BUILD)
    def delete_author(self, which: int, build: str) -> None:
        del self.site.authors[pick(sorted(self.site.authors), which)]
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

    @rule(name=st.sampled_from(PICTURES), remove=st.booleans(), build=BUILD)
    def edit_picture(self, name: str, remove: bool, build: str) -> None:
        """Add, replace or remove a picture (a page showing a removed one fails)."""
        if remove:
            self.site.pictures.pop(name, None)
        else:
            self.site.pictures[name] = self.counter
        self.step(build)

    @precondition(lambda self: self.site.articles)
    @rule(
        which=IDX,
        name=st.sampled_from((None, *PICTURES)),
        focus=st.sampled_from((None, "left", "30% 70%")),
        build=BUILD,
    )
    def set_lead_picture(self, which: int, name: str | None, focus: str | None, build: str) -> None:
        spec = self.article(which)
        spec.image, spec.focus = name, focus
        if name is not None and name not in self.site.pictures:
            self.site.pictures[name] = self.counter
        self.step(build)

    @rule(name=st.sampled_from(["map", "chart"]), remove=st.booleans(), build=BUILD)
    def edit_asset(self, name: str, remove: bool, build: str) -> None:
        path = f"content/img/{name}.svg"
        if remove:
            self.site.assets.pop(path, None)
        else:
            self.site.assets[path] = self.counter
        self.step(build)
