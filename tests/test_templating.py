"""The default theme renders every page kind as valid, accessible HTML; template mistakes
are reported at ``layouts/<file>:<line>``; a project's own layouts override file by file."""

from __future__ import annotations

import itertools
import os
import pickle
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from dossierpress.content.model import PartialDate
from dossierpress.errors import BuildError
from dossierpress.pages import views as v
from dossierpress.theme.i18n import Localizer, load_localizers
from dossierpress.theme.templates import Theme, default_layouts_dir, layout_dirs

from .support.builds import Rebuilder, preview_request
from .support.cli import run_cli

EN = Localizer("en")
JUNE = v.DateView("2024-06-19", "June 19, 2024")


# -- small, valid views ---------------------------------------------------------------


def site(**changes: object) -> v.SiteView:
    view = v.SiteView(
        title="Dossier",
        description="Russia and North Korea, followed",
        language="en",
        home_url="/",
        topics_url="/topics/",
        tags_url="/tags/",
        archive_url="/archive/",
        static_url="/static/",
    )
    return replace(view, **changes)


def meta(kind: str, title: str, url: str = "/x/", lang: str = "en") -> v.PageMeta:
    return v.PageMeta(kind, lang, title, url, f"https://example.org{url}", f"About {title}")


def link(title: str, url: str | None = None) -> v.LinkView:
    return v.LinkView(url or f"/{title.lower().replace(' ', '-')}/", title)


def card(title: str = "Treaty signed", **changes: object) -> v.ArticleCard:
    view = v.ArticleCard(
        url="/2024/06/treaty/",
        title=title,
        summary="A mutual defence pact.",
        date=JUNE,
        lang=None,
        topics=(link("Sanctions"),),
    )
    return replace(view, **changes)


def year_groups() -> tuple[v.YearGroup, ...]:
    june = v.MonthGroup("June 2024", "2024-06", (card(), card("Putin visits Pyongyang")))
    may = v.MonthGroup("May 2024", "2024-05", (card("Earlier"),))
    old = v.MonthGroup("May 2023", "2023-05", (card("Long ago"),))
    return (v.YearGroup("2024", (june, may)), v.YearGroup("2023", (old,)))


def timeline_groups() -> tuple[v.YearGroup, ...]:
    """``year_groups`` as a dossier's timeline holds them: each article an entry."""
    return tuple(
        replace(
            year,
            months=tuple(
                replace(
                    m, articles=(), entries=tuple(v.TimelineEntry(c.date, c) for c in m.articles)
                )
                for m in year.months
            ),
        )
        for year in year_groups()
    )


def article_page(**changes: object) -> v.ArticlePage:
    view = v.ArticlePage(
        meta=meta("article", "Treaty signed", "/2024/06/treaty/"),
        title="Treaty signed",
        summary="A mutual defence pact.",
        published=JUNE,
        updated=v.DateView("2024-06-20", "June 20, 2024"),
        authors=(v.Byline("A. Writer", "/authors/a-writer/"), v.Byline("B. Editor")),
        body_html=Markup("<p>Body text.</p>\n<h2 id='context'>Context</h2>"),
        topics=(link("Sanctions"), link("Arms trade")),
        tags=(link("Aurus"),),
        sources=(
            v.CitationView(
                "Treaty text", "https://kcna.kp/x", False, "KCNA", JUNE, None, "external"
            ),
            v.CitationView("Interview", None, False, "Radio", None, None, "external"),
        ),
        related=(
            v.CitationView("Sanctions", "/topics/sanctions/", True, None, None, None, "topic"),
            v.CitationView(
                "Analysis",
                "https://example.com/a",
                False,
                "Example News",
                JUNE,
                "https://web.archive.org/x",
                "external",
            ),
        ),
        more_on_this=(v.RankedArticle(card("Aurus gift"), "shared topic Sanctions, tag Aurus"),),
        mentioned_in=(link("Putin visits Pyongyang"),),
        neighbours=(
            v.TopicNeighbours(link("Sanctions"), link("Earlier"), None),
            v.TopicNeighbours(link("Lonely"), None, None),
        ),
        draft=False,
    )
    return replace(view, **changes)


def topic_page(**changes: object) -> v.TopicPage:
    view = v.TopicPage(
        meta=meta("topic", "Sanctions", "/topics/sanctions/"),
        title="Sanctions",
        summary="Who sanctions whom.",
        intro_html=Markup("<p>Intro.</p>"),
        key_facts=(Markup("Signed <strong>19 June 2024</strong>"),),
        pinned=(card("Essential"),),
        timeline=timeline_groups(),
        related_topics=(v.RelatedTopic(link("Arms trade"), 3, True),),
        top_tags=(v.TagCount(link("Aurus"), 2),),
        mentioned_in=(link("Treaty signed"),),
        article_count=4,
    )
    return replace(view, **changes)


def topic_card() -> v.TopicCard:
    return v.TopicCard(link("Sanctions"), "Who sanctions whom.", 4, JUNE)


PAGES: dict[str, object] = {
    "article.html": article_page(),
    "topic.html": topic_page(),
    "tag.html": v.TagPage(
        meta("tag", "Aurus", "/tags/aurus/"), "Aurus", (card(),), (v.TagCount(link("X"), 1),), 1
    ),
    "topics.html": v.TopicIndexPage(meta("topics", "Topics", "/topics/"), (topic_card(),)),
    "tags.html": v.TagIndexPage(meta("tags", "Tags", "/tags/"), (v.TagCount(link("Aurus"), 2),)),
    "home.html": v.HomePage(meta("home", "Dossier", "/"), (card(),), (topic_card(),)),
    "archive.html": v.ArchivePage(meta("archive", "Archive", "/archive/"), year_groups(), 5),
    "404.html": v.NotFoundPage(meta("404", "Page not found", "/404.html")),
    "redirect.html": v.RedirectPage(meta("redirect", "Treaty signed", "/old/"), "/2024/06/treaty/"),
}


def render(
    name: str,
    page: object | None = None,
    *,
    theme: Theme | None = None,
    localizer: Localizer = EN,
    site_view: v.SiteView | None = None,
) -> BeautifulSoup:
    theme = theme or Theme([default_layouts_dir()])
    page = page if page is not None else PAGES[name]
    html = theme.render(name, site=site_view or site(), page=page, localizer=localizer)
    return BeautifulSoup(html, "html5lib")


def texts(soup: BeautifulSoup, selector: str) -> list[str]:
    return [" ".join(el.get_text(" ", strip=True).split()) for el in soup.select(selector)]


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build_error(call) -> str:
    with pytest.raises(BuildError) as caught:
        call()
    return str(caught.value)


# -- every page ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_has_the_head_and_landmarks_a_reader_needs(name: str) -> None:
    page = PAGES[name]
    soup = render(name)
    meta_view = page.meta  # type: ignore[attr-defined]
    assert soup.html["lang"] == "en"
    assert len(soup.find_all("h1")) == 1
    title = soup.title.get_text()
    assert title.endswith("Dossier")
    if meta_view.title != "Dossier":
        assert title == f"{meta_view.title} · Dossier"
    assert soup.select_one('link[rel="canonical"]')["href"] == meta_view.canonical
    assert soup.select_one('meta[name="description"]')["content"]
    assert "width=device-width" in soup.select_one('meta[name="viewport"]')["content"]
    assert soup.select_one('link[rel="stylesheet"]')["href"] == "/static/style.css"
    assert soup.select_one('link[rel="icon"]')["href"] == "/static/favicon.svg"
    skip = soup.select_one("a.skip-link")
    assert skip["href"] == "#main" and soup.select_one("main#main") is not None
    assert soup.select_one("body > header") and soup.select_one("body > footer")
    assert all(nav.get("aria-label") for nav in soup.find_all("nav"))
    loaded = soup.select('link[rel="stylesheet"], link[rel="icon"], script[src], img[src]')
    assert not [el for el in loaded if "//" in (el.get("href") or el.get("src"))], "all offline"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_headings_never_skip_a_level_and_ids_are_unique(name: str) -> None:
    soup = render(name)
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    ids = [el["id"] for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_page_language_comes_from_the_page_and_ui_strings_from_the_localizer() -> None:
    indonesian = load_localizers([default_layouts_dir()], ["id"])["id"]
    page = article_page(meta=meta("article", "Perjanjian", lang="id"))
    soup = render("article.html", page, localizer=indonesian)
    assert soup.html["lang"] == "id"
    assert soup.select_one("a.skip-link").get_text() == "Langsung ke konten"
    assert texts(soup, ".dates span:not(.sep)")[0].startswith("Terbit ")
    assert "Baca juga" in texts(soup, "h2")
    assert texts(soup, ".authors") == ["Oleh A. Writer dan B. Editor"]


# -- article ---------------------------------------------------------------------------


def test_a_byline_escapes_names_linked_or_not() -> None:
    bylines = (v.Byline("Bo & <Editor>", "/authors/bo/"), v.Byline("<i>Cy</i>"))
    soup = render("article.html", article_page(authors=bylines))
    assert texts(soup, ".authors") == ["By Bo & <Editor> and <i>Cy</i>"]
    assert soup.select_one(".authors i") is None
    assert [a["href"] for a in soup.select(".authors a")] == ["/authors/bo/"]


def test_article_page_shows_everything_about_the_article() -> None:
    soup = render("article.html")
    assert soup.h1.get_text() == "Treaty signed"
    assert texts(soup, ".dek") == ["A mutual defence pact."]
    assert [t["datetime"] for t in soup.select(".dates time")] == ["2024-06-19", "2024-06-20"]
    assert texts(soup, ".authors") == ["By A. Writer and B. Editor"]
    links = [(a.get_text(), a["href"], a["rel"]) for a in soup.select(".authors a")]
    assert links == [("A. Writer", "/authors/a-writer/", ["author"])]
    assert soup.select_one(".prose h2#context") is not None, "body HTML is not escaped"
    assert texts(soup, ".kicker a") == ["Sanctions", "Arms trade"]
    assert texts(soup, ".tags a") == ["Aurus"]
    assert texts(soup, ".sources li") == [
        "KCNA : Treaty text , June 19, 2024",
        "Radio : Interview",
    ]
    archived = soup.select_one('.related a[href="https://web.archive.org/x"]')
    assert archived.get_text() == "archived copy"
    assert texts(soup, ".related h3") == ["On this site", "Elsewhere"]
    assert soup.select_one('.related a[href="/topics/sanctions/"]').get("rel") is None
    assert texts(soup, ".more .why") == ["Why: shared topic Sanctions, tag Aurus"]
    assert texts(soup, ".mentioned a") == ["Putin visits Pyongyang"]
    assert texts(soup, ".pager h3") == ["Sanctions"], "a topic with no neighbours is left out"
    assert texts(soup, ".pager-previous") == ["Previous Earlier"]
    assert soup.select_one(".draft-marker") is None


def test_draft_articles_are_visibly_marked() -> None:
    soup = render("article.html", article_page(draft=True))
    assert "Draft" in texts(soup, ".draft-marker")[0]
    soup = render("home.html", v.HomePage(meta("home", "Dossier", "/"), (card(draft=True),), ()))
    assert texts(soup, ".badge-draft") == ["Draft"]


def test_empty_sections_render_no_headings() -> None:
    bare = article_page(
        summary="",
        updated=None,
        authors=(),
        topics=(),
        tags=(),
        sources=(),
        related=(),
        more_on_this=(),
        mentioned_in=(),
        neighbours=(v.TopicNeighbours(link("Lonely"), None, None),),
    )
    soup = render("article.html", bare)
    assert [h.name for h in soup.find_all(["h2", "h3"])] == ["h2"]  # the body's own heading
    assert soup.find("aside") is None and soup.select_one(".article-footer") is None
    assert soup.select_one(".dek, .authors, .kicker") is None
    empty_topic = topic_page(
        summary="",
        intro_html=Markup(""),
        key_facts=(),
        pinned=(),
        timeline=(),
        related_topics=(),
        top_tags=(),
        mentioned_in=(),
        article_count=0,
    )
    soup = render("topic.html", empty_topic)
    assert soup.find_all(["h2", "h3", "h4"]) == []
    assert soup.find("aside") is None


def test_cards_in_another_language_carry_a_lang_attribute() -> None:
    page = v.HomePage(meta("home", "Dossier", "/"), (card(lang="id"), card("Plain")), ())
    soup = render("home.html", page)
    cards = soup.select("article.card")
    assert cards[0]["lang"] == "id"
    assert cards[0].select_one(".card-meta")["lang"] == "en", "the date is in the page language"
    assert not cards[1].has_attr("lang")


# -- topic, lists, archive, redirect ---------------------------------------------------


def test_topic_page_groups_the_timeline_by_year_then_month() -> None:
    soup = render("topic.html")
    assert soup.h1.get_text() == "Sanctions"
    assert texts(soup, ".topic-stats") == ["4 articles"]
    facts = soup.select(".key-facts li")
    assert facts[0].strong.get_text() == "19 June 2024", "key facts are Markdown-rendered HTML"
    assert texts(soup, ".pinned h2") == ["Essential reading"]
    assert texts(soup, ".timeline h2") == ["Timeline"]
    assert texts(soup, ".timeline h3") == ["2024", "2023"]
    assert texts(soup, ".timeline h4") == ["June 2024", "May 2024", "May 2023"]
    june = soup.select_one('section[aria-labelledby="m-2024-06"]')
    assert [a.get_text() for a in june.select(".card-title a")] == [
        "Treaty signed",
        "Putin visits Pyongyang",
    ]
    assert texts(soup, ".topic-aside li")[0] == "Arms trade 3 shared articles"
    assert texts(soup, ".topic-aside .chips li") == ["Aurus 2 articles"]


def test_archive_lists_years_and_months_with_a_year_index() -> None:
    soup = render("archive.html")
    assert texts(soup, "h2") == ["2024", "2023"]
    assert texts(soup, "h3") == ["June 2024", "May 2024", "May 2023"]
    assert [a["href"] for a in soup.select(".year-nav a")] == ["#y-2024", "#y-2023"]
    assert soup.select("time[datetime]"), "dates are machine-readable"


def pages_of(first: str, number: int, count: int) -> v.Pagination:
    def url(n: int) -> str:
        return first if n == 1 else f"{first}page/{n}/"

    newer = url(number - 1) if number > 1 else None
    older = url(number + 1) if number < count else None
    return v.Pagination(number, count, first, newer, older)


def paged_meta(kind: str, title: str, first: str, number: int, count: int) -> v.PageMeta:
    url = first if number == 1 else f"{first}page/{number}/"
    return replace(meta(kind, title, url), pagination=pages_of(first, number, count))


LATER_PAGES: dict[str, object] = {
    "archive.html": v.ArchivePage(
        paged_meta("archive", "Archive — page 2", "/archive/", 2, 3), year_groups(), 250
    ),
    "tag.html": v.TagPage(
        paged_meta("tag", "Tag: Aurus — page 2", "/tags/aurus/", 2, 3), "Aurus", (card(),), (), 120
    ),
    "topic.html": topic_page(
        meta=paged_meta("topic", "Sanctions — page 3", "/topics/sanctions/", 3, 7),
        summary="",
        intro_html=Markup(""),
        key_facts=(),
        pinned=(),
        related_topics=(),
        top_tags=(),
        mentioned_in=(),
        article_count=340,
    ),
}


@pytest.mark.parametrize("name", sorted(LATER_PAGES))
def test_a_page_of_a_long_list_links_its_neighbours_in_the_head_and_below_the_list(name) -> None:
    page = LATER_PAGES[name]
    pages = page.meta.pagination  # type: ignore[attr-defined]
    soup = render(name, page)
    assert soup.select_one('link[rel="prev"]')["href"] == pages.previous
    assert soup.select_one('link[rel="next"]')["href"] == pages.next
    robots = soup.select_one('meta[name="robots"]')["content"]
    assert "noindex" not in robots, "later pages are real pages"
    nav = soup.select_one("main nav.pagination")
    assert nav["aria-label"] == "Pages"
    assert [(a.get_text(" ", strip=True), a["href"], a["rel"]) for a in nav.find_all("a")] == [
        ("← Newer", pages.previous, ["prev"]),
        ("Older →", pages.next, ["next"]),
    ]
    assert texts(nav, ".pagination-status") == [f"Page {pages.number} of {pages.count}"]
    assert soup.select(".pagination ~ *, .pagination ~ * .card") == [], "the nav comes last"
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_the_first_and_last_pages_link_only_one_way() -> None:
    first = v.ArchivePage(paged_meta("archive", "Archive", "/archive/", 1, 3), year_groups(), 9)
    soup = render("archive.html", first)
    assert soup.select_one('link[rel="prev"]') is None
    assert soup.select_one('link[rel="next"]')["href"] == "/archive/page/2/"
    assert texts(soup, ".pagination a") == ["Older →"]
    assert texts(soup, ".topic-stats") == ["9 articles · Page 1 of 3"]
    last = v.ArchivePage(paged_meta("archive", "Archive", "/archive/", 3, 3), year_groups(), 9)
    soup = render("archive.html", last)
    assert soup.select_one('link[rel="next"]') is None
    assert texts(soup, ".pagination a") == ["← Newer"]


def test_a_list_on_one_page_has_no_pagination() -> None:
    for name in ("archive.html", "tag.html", "topic.html"):
        soup = render(name)
        assert soup.select('.pagination, link[rel="prev"], link[rel="next"]') == [], name
        assert soup.select_one(".back-link") is None


def test_a_later_page_of_a_topic_shows_its_title_a_way_back_and_its_timeline() -> None:
    soup = render("topic.html", LATER_PAGES["topic.html"])
    assert soup.h1.get_text() == "Sanctions"
    assert soup.title.get_text() == "Sanctions — page 3 · Dossier"
    assert texts(soup, ".topic-stats") == ["340 articles · Page 3 of 7"]
    assert soup.select_one(".back-link a")["href"] == "/topics/sanctions/"
    assert texts(soup, ".back-link") == ["← Back to the dossier"]
    assert texts(soup, "h2") == ["Timeline"]
    assert soup.select(".key-facts, .pinned, .prose, .dek, aside") == []


def test_home_shows_latest_articles_and_the_topic_directory() -> None:
    soup = render("home.html")
    assert soup.h1.get_text() == "Dossier"
    assert texts(soup, "h2") == ["Topics", "Latest"]
    assert texts(soup, ".topic-card .card-meta") == ["4 articles · updated June 19, 2024"]


def test_list_pages() -> None:
    assert texts(render("topics.html"), "h2") == ["Sanctions"]
    assert texts(render("tags.html"), ".chips li") == ["Aurus 2 articles"]
    tag = render("tag.html")
    assert tag.h1.get_text() == "Aurus" and texts(tag, "h2") == ["In topics", "Articles"]
    assert render("404.html").h1.get_text() == "Page not found"


def test_redirect_page_refreshes_to_the_new_address() -> None:
    soup = render("redirect.html")
    assert soup.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=/2024/06/treaty/"
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    assert soup.select_one('main a[href="/2024/06/treaty/"]').get_text() == "Treaty signed"


def test_text_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    page = article_page(title=hostile, summary=hostile, meta=meta("article", hostile))
    soup = render("article.html", page)
    assert soup.find("script") is None
    assert soup.h1.get_text() == hostile
    assert soup.title.get_text().startswith(hostile)


# -- project layouts and errors --------------------------------------------------------


def test_a_project_template_overrides_the_default_one_file_by_file(tmp_path: Path) -> None:
    lost = "{% extends 'base.html' %}{% block main %}<h1>Lost</h1>{% endblock %}"
    write(tmp_path, {"layouts/404.html": lost})
    theme = Theme.for_source(tmp_path)
    assert theme.layout_dirs == (tmp_path / "layouts", default_layouts_dir().absolute())
    assert render("404.html", theme=theme).h1.get_text() == "Lost"
    assert render("tags.html", theme=theme).h1.get_text() == "Tags"


def test_layout_dirs_without_project_layouts_is_just_the_default(tmp_path: Path) -> None:
    assert layout_dirs(tmp_path) == (default_layouts_dir(),)
    assert (default_layouts_dir() / "base.html").is_file()


def test_an_undefined_value_names_the_template_line(tmp_path: Path) -> None:
    write(tmp_path, {"layouts/x.html": "<p>\n{{ page.meta.title }}\n{{ page.nope }}\n</p>\n"})
    theme = Theme.for_source(tmp_path)
    message = build_error(lambda: render("x.html", PAGES["404.html"], theme=theme))
    assert message.startswith("layouts/x.html:3: error: ")
    assert "nope" in message


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("missing_name", "'missing_name' is undefined"),
        ("site.title.__class__", "the template reached for '__class__', which themes may not use"),
    ],
    ids=["undefined", "sandbox"],
)
def test_an_error_in_an_included_template_names_that_template(
    tmp_path: Path, expression: str, message: str
) -> None:
    write(
        tmp_path,
        {
            "layouts/x.html": "{% include 'partials/y.html' %}\n",
            "layouts/partials/y.html": "ok\nok\n{{ " + expression + " }}\n",
        },
    )
    found = build_error(
        lambda: render("x.html", PAGES["404.html"], theme=Theme.for_source(tmp_path))
    )
    assert found == f"layouts/partials/y.html:3: error: {message}"


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, {"layouts/404.html": "line one\n{% if page %}\n{{ page.meta.title }\n"})
    theme = Theme.for_source(tmp_path)
    message = build_error(lambda: render("404.html", theme=theme))
    assert message.startswith("layouts/404.html:3: error: template syntax error: ")
    assert build_error(lambda: theme.templates_used("404.html")) == message


def test_other_errors_while_rendering_name_the_line(tmp_path: Path) -> None:
    write(tmp_path, {"layouts/x.html": "a\n{{ 1 // 0 }}\n"})
    message = build_error(
        lambda: render("x.html", PAGES["404.html"], theme=Theme.for_source(tmp_path))
    )
    assert message.startswith("layouts/x.html:2: error: ZeroDivisionError")


def test_a_missing_template_is_reported(tmp_path: Path) -> None:
    write(tmp_path, {"layouts/x.html": "a\n{% include 'nothing.html' %}\n"})
    theme = Theme.for_source(tmp_path)
    message = build_error(lambda: render("x.html", PAGES["404.html"], theme=theme))
    assert message == "layouts/x.html:2: error: template 'nothing.html' not found"
    message = build_error(lambda: render("nowhere.html", PAGES["404.html"], theme=theme))
    assert message.startswith("layouts/nowhere.html:1: error: template 'nowhere.html' not found")


def test_errors_in_the_default_theme_say_so() -> None:
    message = build_error(lambda: render("article.html", PAGES["404.html"]))
    assert message.startswith("layouts/article.html:")
    assert message.endswith("(in the default theme)")


def test_templates_used_follows_extends_imports_and_includes(tmp_path: Path) -> None:
    theme = Theme([default_layouts_dir()])
    used = theme.templates_used("article.html")
    assert {"article.html", "base.html", "partials/macros.html"} <= used
    write(tmp_path, {"layouts/x.html": "{% include page.meta.kind ~ '.html' %}"})
    dynamic = Theme.for_source(tmp_path).templates_used("x.html")
    assert {"x.html", "topic.html", "base.html"} <= dynamic, "unknowable: assume all"


def test_static_files_merge_with_the_project_overriding(tmp_path: Path) -> None:
    write(tmp_path, {"layouts/static/style.css": "body{}", "layouts/static/img/a.png": "x"})
    write(tmp_path, {"layouts/static/.DS_Store": "x", "layouts/static/style.css~": "x"})
    files = dict(Theme.for_source(tmp_path).static_files())
    assert files["style.css"].path == tmp_path / "layouts/static/style.css"
    assert files["style.css"].root == tmp_path / "layouts"
    assert files["favicon.svg"].path.parent == default_layouts_dir().absolute() / "static"
    assert "img/a.png" in files
    assert not any(name.startswith(".") or name.endswith("~") for name in files)
    default = Theme([default_layouts_dir()]).static_files()
    assert [name for name, _path in default] == sorted(name for name, _path in default)


def test_a_theme_pickles_for_worker_processes(tmp_path: Path) -> None:
    theme = pickle.loads(pickle.dumps(Theme.for_source(tmp_path)))
    assert render("tags.html", theme=theme).h1.get_text() == "Tags"


def test_dates_in_views_come_from_the_localizer() -> None:
    # The renderer fills DateView with Localizer.date; check the pair renders as expected.
    indonesian = load_localizers([default_layouts_dir()], ["id"])["id"]
    when = indonesian.date(datetime(2024, 6, 19), has_time=False)
    soup = render("topic.html", topic_page(pinned=(card(date=when),)), localizer=indonesian)
    assert texts(soup, ".pinned time") == ["19 Juni 2024"]
    assert indonesian.partial_date(PartialDate(2024, 6)).text == "Juni 2024"


# -- the sandbox: a theme cannot run code on the machine that builds it ----------------

PAYLOAD = "cycler.__init__.__globals__.os.popen('touch MARKER').read()"
REFUSED = "which themes may not use"

SANDBOX_CASES = [
    ("cycler", PAYLOAD, f"the template reached for '__init__', {REFUSED}"),
    (
        "joiner",
        PAYLOAD.replace("cycler", "joiner"),
        f"the template reached for '__init__', {REFUSED}",
    ),
    (
        "namespace",
        PAYLOAD.replace("cycler", "namespace"),
        f"the template reached for '__init__', {REFUSED}",
    ),
    ("lipsum", "lipsum.__globals__.os.popen('touch MARKER').read()", "'lipsum' is undefined"),
    ("lipsum text", "lipsum(1)", "'lipsum' is undefined"),
    (
        "mro",
        "''.__class__.__mro__[1].__subclasses__()",
        f"the template reached for '__class__', {REFUSED}",
    ),
    (
        "subclasses",
        "cycler.__subclasses__()[0].__init__.__globals__.os.popen('touch MARKER')",
        f"the template reached for '__subclasses__', {REFUSED}",
    ),
    ("type mro", "cycler.mro()", f"the template reached for 'mro', {REFUSED}"),
    ("format", "'{0.__class__}'.format(page)", f"the template reached for '__class__', {REFUSED}"),
    (
        "format_map",
        "'{p.__init__.__globals__}'.format_map({'p': cycler})",
        f"the template reached for '__init__', {REFUSED}",
    ),
    (
        "attr filter",
        "(cycler|attr('__init__')).__globals__",
        f"the template reached for '__init__', {REFUSED}",
    ),
    (
        "range",
        "range(10**9)|list|length",
        f"the template asked for a range of more than 100000 numbers, {REFUSED}",
    ),
    (
        "mutation",
        "[].append('x')",
        "the template tried to change a list with 'append', which themes may not do",
    ),
    (
        "huge string",
        "('x' * 10**10)|length",
        "the template made a value too big with '*' (more than 1000000 items or bits), "
        "which themes may not do",
    ),
    (
        "huge power",
        "(2**10000000)|string|length",
        "the template made a value too big with '**' (more than 1000000 items or bits), "
        "which themes may not do",
    ),
]


def sandboxed_article(expression: str) -> str:
    return '{% extends "base.html" %}\n{% block main %}\n{{ ' + expression + " }}\n{% endblock %}\n"


@pytest.mark.parametrize(
    ("expression", "message"),
    [case[1:] for case in SANDBOX_CASES],
    ids=[case[0] for case in SANDBOX_CASES],
)
def test_a_template_that_reaches_out_of_the_sandbox_is_a_located_error_and_runs_nothing(
    site_copy, tmp_path: Path, expression: str, message: str
) -> None:
    project, marker = site_copy("basic"), tmp_path / "pwned"
    template = sandboxed_article(expression.replace("MARKER", str(marker)))
    write(project, {"layouts/article.html": template})
    result = run_cli("--source", project)
    assert result.code == 1
    assert result.error_lines == [f"layouts/article.html:3: error: {message}"]
    assert "Traceback" not in result.err
    assert not marker.exists()
    assert not (project / "site").exists()


def test_the_payload_does_run_commands_outside_the_sandbox(tmp_path: Path) -> None:
    """What the sandbox stops: in a plain Jinja environment the payload runs a command."""
    from jinja2 import Environment

    marker = tmp_path / "pwned"
    payload = PAYLOAD.replace("MARKER", str(marker)).replace(".read()", ".close()")
    Environment().from_string("{{ " + payload + " }}").render()
    assert marker.exists()


# -- layouts/ walked like content/: no symbolic link out of it -------------------------

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
OUTSIDE = "symbolic link points outside layouts/; it is not followed"


@needs_symlinks
def test_a_symlink_out_of_layouts_is_refused_and_nothing_is_published(
    site_copy, tmp_path_factory
) -> None:
    project, outside = site_copy("basic"), tmp_path_factory.mktemp("outside")
    write(
        outside,
        {
            "passwd": "root:x:0:0",
            "article.html": "{% extends 'base.html' %}{% block main %}stolen{% endblock %}",
            "id.po": 'msgid "Topics"\nmsgstr "Stolen"\n',
            "css/more.css": "body{}",
        },
    )
    layouts = project / "layouts"
    write(layouts, {"static/own.css": "p{}", "i18n/README": "catalogues"})
    (layouts / "static/passwd").symlink_to(outside / "passwd")
    (layouts / "static/css").symlink_to(outside / "css", target_is_directory=True)
    (layouts / "article.html").symlink_to(outside / "article.html")
    (layouts / "i18n/id.po").symlink_to(outside / "id.po")
    (layouts / "static/up.css").symlink_to(os.path.relpath(outside / "passwd", layouts / "static"))
    result = run_cli("--source", project)
    assert result.code == 1
    assert result.error_lines == [
        f"layouts/{path}:1: error: {OUTSIDE}"
        for path in ("article.html", "i18n/id.po", "static/css", "static/passwd", "static/up.css")
    ]
    assert not (project / "site").exists()


@needs_symlinks
def test_a_symlink_inside_layouts_is_followed(site_copy) -> None:
    project = site_copy("basic")
    lost = "{% extends 'base.html' %}{% block main %}<h1>Lost</h1>{% endblock %}"
    write(project, {"layouts/partials/lost.html": lost, "layouts/static/own.css": "p{}"})
    layouts = project / "layouts"
    (layouts / "404.html").symlink_to("partials/lost.html")
    (layouts / "static/alias.css").symlink_to("own.css")
    (layouts / "static/more").symlink_to("../partials", target_is_directory=True)
    assert run_cli("--source", project, "-q").code == 0
    site = project / "site"
    assert BeautifulSoup((site / "404.html").read_text(), "html5lib").h1.get_text() == "Lost"
    assert (site / "static/alias.css").read_text() == "p{}"
    assert (site / "static/more/lost.html").read_text() == lost


@needs_symlinks
def test_symlink_loops_and_broken_links_in_layouts_are_reported(site_copy) -> None:
    project = site_copy("basic")
    static = project / "layouts/static"
    static.mkdir(parents=True)
    (static / "up").symlink_to("..", target_is_directory=True)
    (static / "self.css").symlink_to("self.css")
    (static / "gone.css").symlink_to("nothing-here.css")
    result = run_cli("--source", project)
    assert result.code == 1
    assert result.error_lines == [
        "layouts/static/gone.css:1: error: broken symbolic link: its target does not exist",
        "layouts/static/self.css:1: error: symbolic link loop: it points back at itself",
        "layouts/static/up:1: error: symbolic link loop: leads back to a parent folder",
    ]


@needs_symlinks
def test_the_preview_reports_a_symlink_out_of_layouts_and_does_not_serve_it(
    site_copy, tmp_path: Path, tmp_path_factory
) -> None:
    project, outside = site_copy("basic"), tmp_path_factory.mktemp("outside")
    (outside / "passwd").write_text("root:x:0:0")
    builder = Rebuilder(preview_request(project))
    assert builder.build().errors == ()
    (project / "layouts/static").mkdir(parents=True)
    (project / "layouts/static/passwd").symlink_to(outside / "passwd")
    outcome = builder.build({"layouts/static/passwd"})
    assert [str(e) for e in outcome.errors] == [f"layouts/static/passwd:1: error: {OUTSIDE}"]
    assert "static/passwd" not in outcome.files


def test_templates_load_only_from_files_the_walk_found(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "layouts/x.html": "{% include '.drafts/y.html' %}",
            "layouts/.drafts/y.html": "hidden",
            "layouts/z.html": "{% include 'partials/../../secret.html' %}",
            "secret.html": "secret",
        },
    )
    theme = Theme.for_source(tmp_path)
    assert theme.problems == []
    message = build_error(lambda: render("x.html", PAGES["404.html"], theme=theme))
    assert message == "layouts/x.html:1: error: template '.drafts/y.html' not found"
    message = build_error(lambda: render("z.html", PAGES["404.html"], theme=theme))
    assert message == "layouts/z.html:1: error: template 'partials/../../secret.html' not found"


@needs_symlinks
def test_a_template_swapped_for_a_symlink_after_the_walk_is_not_read(
    tmp_path: Path, tmp_path_factory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.html").write_text("secret")
    write(tmp_path, {"layouts/x.html": "own"})
    theme = Theme.for_source(tmp_path)
    (tmp_path / "layouts/x.html").unlink()
    (tmp_path / "layouts/x.html").symlink_to(outside / "secret.html")
    message = build_error(lambda: render("x.html", PAGES["404.html"], theme=theme))
    assert (
        message == "layouts/x.html:1: error: cannot read this template: no longer inside its folder"
    )


def test_the_default_theme_walks_clean() -> None:
    assert Theme([default_layouts_dir()]).problems == []
