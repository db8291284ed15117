"""Markdown bodies as readers and editors see them: rendering, link safety, wiki links."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it.utils import read_fixture_file
from markupsafe import escape

from dossierpress.content.markdown import (
    ParsedBody,
    make_markdown,
    normalise_target,
    parse_body,
    parse_inline,
    render_body,
    render_inline,
)
from dossierpress.pages.views import LinkView

from .support.cli import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"

PAGES = {
    # slug: (title, url) — the resolver matches either, like the content graph.
    "russia-north-korea": ("Russia–North Korea relations", "/dossiers/topics/russia-north-korea/"),
    "aurus-deal": ("The Aurus deal", "/dossiers/2024/06/aurus-deal/"),
}
INDEX = {
    normalise_target(key): LinkView(url, title)
    for slug, (title, url) in PAGES.items()
    for key in (slug, title)
}
# A topic alias, as the graph indexes it: another name for the same page.
INDEX[normalise_target("Hubungan Rusia–Korea Utara")] = INDEX[
    normalise_target("russia-north-korea")
]


def resolve(target: str) -> LinkView | None:
    return INDEX.get(normalise_target(target))


MD = make_markdown(html=False)
NO_PICTURES = str  # the placeholder's number: these bodies have no images
MD_HTML = make_markdown(html=True)


def plain_pictures(parsed: ParsedBody, base_path: str) -> Callable[[int], str]:
    """Each image as a plain ``<img>`` under the site prefix: what a body gives the page
    of its images (the build's pictures are tested in test_pictures)."""

    def picture(index: int) -> str:
        spec = parsed.images[index]
        src = base_path + spec.src[1:] if spec.src.startswith("/") else spec.src
        title = "" if spec.caption is None else f' title="{escape(spec.caption)}"'
        return f'<img src="{escape(src)}" alt="{escape(spec.alt)}"{title}>'

    return picture


def render(text: str, *, base_path: str = "/dossiers/", md=MD) -> str:
    parsed = parse_body(md, text, 1)
    picture = plain_pictures(parsed, base_path)
    return str(render_body(md, parsed, resolve=resolve, base_path=base_path, picture=picture))


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"),
    read_fixture_file(FIXTURES / "render.md"),
    ids=[case[1] for case in read_fixture_file(FIXTURES / "render.md")],
)
def test_render_fixture(line: int, title: str, text: str, expected: str) -> None:
    assert render(text) == expected


# Raw HTML ----------------------------------------------------------------------------


def test_raw_html_passes_through_when_the_site_turns_it_on() -> None:
    html = render('<aside class="note">\n\nBox\n\n</aside>\n\nA <kbd>key</kbd>.', md=MD_HTML)
    assert html == '<aside class="note">\n<p>Box</p>\n</aside>\n<p>A <kbd>key</kbd>.</p>\n'


def test_raw_html_script_is_text_by_default_and_markup_with_html_on() -> None:
    text = "<script>alert(1)</script>\n"
    assert soup(render(text)).find("script") is None
    assert soup(render(text, md=MD_HTML)).find("script") is not None


def test_a_wiki_link_inside_a_raw_html_link_is_its_text_as_in_a_markdown_link() -> None:
    html = render('<a href="https://example.org/">see [[aurus-deal|the deal]]</a>', md=MD_HTML)
    assert html == '<p><a href="https://example.org/">see the deal</a></p>\n'


# Link policy -------------------------------------------------------------------------

REFUSED = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "java&#x0A;script:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "%6A%61vascript:alert(1)",
    "java%E2%80%8Bscript:alert(1)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/png;base64,iVBORw0KGgo=",
    "data:image/svg+xml,<svg/onload=alert(1)>",
    "ftp://example.org/x",
    "tel:+62",
]


@pytest.mark.parametrize("url", REFUSED)
def test_links_and_images_with_other_schemes_are_not_made(url: str) -> None:
    text = f"[link](<{url}>) ![image](<{url}>) [ref]\n\n[ref]: <{url}>\n"
    page = soup(render(text))
    assert page.find("a") is None
    assert page.find("img") is None


def test_autolinks_with_other_schemes_are_not_made() -> None:
    assert soup(render("<javascript:alert(1)> <VBSCRIPT:x>")).find("a") is None


ALLOWED = [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("HTTP://example.org/", "HTTP://example.org/"),
    ("mailto:desk@example.org", "mailto:desk@example.org"),
    ("#background", "#background"),
    ("../2023/05/summit/", "../2023/05/summit/"),
    ("notes/a:b.html", "notes/a:b.html"),
    ("?page=2", "?page=2"),
    ("/topics/russia/", "/dossiers/topics/russia/"),
]


@pytest.mark.parametrize(("url", "href"), ALLOWED)
def test_http_mailto_and_relative_links_are_made(url: str, href: str) -> None:
    link = soup(render(f"[x]({url})")).find("a")
    assert link is not None
    assert link["href"] == href


# Root-relative links under the site prefix ------------------------------------------


@pytest.mark.parametrize(
    ("base_path", "href", "src"),
    [
        ("/", "/topics/russia/", "/img/map.png"),
        ("/dossiers/", "/dossiers/topics/russia/", "/dossiers/img/map.png"),
        ("/a/b/", "/a/b/topics/russia/", "/a/b/img/map.png"),
    ],
)
def test_root_relative_links_and_images_follow_the_base_path(
    base_path: str, href: str, src: str
) -> None:
    page = soup(render("[Russia](/topics/russia/) ![Map](/img/map.png)", base_path=base_path))
    assert page.find("a")["href"] == href
    assert page.find("img")["src"] == src


def test_one_parsed_body_renders_under_several_bases_without_changing() -> None:
    parsed = parse_body(MD, "![Map](/img/map.png) [[aurus-deal]]", 1)
    before = pickle.dumps(parsed)

    def under(base: str) -> str:
        picture = plain_pictures(parsed, base)
        return render_body(MD, parsed, resolve=resolve, base_path=base, picture=picture)

    preview, site, again = under("/"), under("/dossiers/"), under("/")
    assert 'src="/img/map.png"' in preview
    assert 'src="/dossiers/img/map.png"' in site
    assert again == preview
    assert pickle.dumps(parsed) == before


def test_base_path_must_be_a_path_prefix() -> None:
    parsed = parse_body(MD, "text", 1)
    with pytest.raises(ValueError, match="base_path"):
        render_body(MD, parsed, resolve=resolve, base_path="dossiers", picture=NO_PICTURES)


# Heading anchors and footnotes -------------------------------------------------------


def test_headings_are_listed_with_their_anchor_and_file_line() -> None:
    parsed = parse_body(MD, "Intro.\n\n## Russia–North Korea\n\n## Russia–North Korea\n", 4)
    assert [(h.level, h.id, h.text, h.line) for h in parsed.headings] == [
        (2, "russia-north-korea", "Russia–North Korea", 6),
        (2, "russia-north-korea-1", "Russia–North Korea", 8),
    ]


def test_level_one_headings_are_moved_down_and_their_file_lines_recorded() -> None:
    body = "Intro.\n\n# Background\n\n## Sanctions\n\nTimeline\n========\n"
    parsed = parse_body(MD, body, 4)
    assert parsed.level_one_lines == (6, 10)
    assert [(h.level, h.id, h.line) for h in parsed.headings] == [
        (2, "background", 6),
        (3, "sanctions", 8),
        (2, "timeline", 10),
    ]
    assert parse_body(MD, "## Sanctions\n", 4).level_one_lines == ()


def test_headings_move_down_only_in_the_body_that_has_a_level_one_heading() -> None:
    assert render("# One\n\n## Two\n") == '<h2 id="one">One</h2>\n<h3 id="two">Two</h3>\n'
    assert render("## Two\n") == '<h2 id="two">Two</h2>\n'


def test_a_body_heading_never_gives_the_page_a_second_h1(site_copy) -> None:
    project = site_copy("basic")
    article = project / "content/articles/2024/first-meeting.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n# Aftermath\n\n## Reactions\n")
    assert run_cli("--source", project, "-q").code == 0
    page = BeautifulSoup(
        (project / "site/2024/03/first-meeting/index.html").read_text(encoding="utf-8"),
        "html5lib",
    )
    assert len(page.find_all("h1")) == 1
    assert [h.get_text() for h in page.select(".prose h2, .prose h3")] == [
        "Aftermath",
        "Reactions",
    ]
    assert page.select_one(".prose h2")["id"] == "aftermath"


def test_anchors_and_footnotes_restart_for_every_document() -> None:
    text = "## Sanctions\n\nA claim.[^n]\n\n[^n]: A note.\n"
    first, second = render(text), render(text)
    assert first == second
    assert 'id="sanctions"' in second
    assert 'id="fn:1"' in second


# Wiki links --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Russia–North Korea relations", "russia-north korea relations"),
        ("Russia-North Korea Relations", "russia-north korea relations"),
        ("russia-north-korea", "russia-north-korea"),
        ("RUSSIA—NORTH KOREA RELATIONS", "russia-north korea relations"),
        ("Russia\u2212North\u00a0Korea   relations", "russia-north korea relations"),
        ("  Kerja sama\tmiliter ", "kerja sama militer"),
        ("Straße", "strasse"),
        ("Ｋｉｍ Ｊｏｎｇ－ｕｎ", "kim jong-un"),
        ("Kim Jong\u2011un", "kim jong-un"),
        ("Cafe\u0301", "café"),
    ],
)
def test_normalise_target(written: str, key: str) -> None:
    assert normalise_target(written) == key


def test_wiki_links_are_recorded_with_target_label_and_file_line() -> None:
    body = "Intro with [[Aurus deal]].\n\nSee [[russia-north-korea|the ties]] and\nthen [[Kim]].\n"
    parsed = parse_body(MD, body, body_line=6)
    assert [(w.target, w.label, w.line) for w in parsed.wikilinks] == [
        ("Aurus deal", None, 6),
        ("russia-north-korea", "the ties", 8),
        ("Kim", None, 9),
    ]


WIKILINK_LINES = [
    ("in a list", "Intro.\n\n- one\n- two [[x]]\n", 4),
    ("in a nested list", "- one\n  - two\n    [[x]]\n", 3),
    ("in a blockquote", "> one\n> [[x]]\n", 2),
    ("in a heading", "Intro.\n\n## On [[x]]\n", 3),
    ("in a setext heading", "One\n[[x]]\n---\n", 2),
    ("in a table cell", "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | [[x]] |\n", 4),
    ("in a footnote", "Claim.[^n]\n\nMore.\n\n[^n]: Note\n    on [[x]].\n", 6),
    ("in an inline footnote", "One\ntwo^[note\non [[x]]] three.\n", 3),
    ("after a code block", "```\n[[not]]\n```\n\n[[x]]\n", 5),
]


@pytest.mark.parametrize(
    ("where", "body", "line"), WIKILINK_LINES, ids=[case[0] for case in WIKILINK_LINES]
)
def test_wiki_link_line_is_its_file_line(where: str, body: str, line: int) -> None:
    front_matter_lines = 10
    parsed = parse_body(MD, body, body_line=front_matter_lines + 1)
    assert [(w.target, w.line) for w in parsed.wikilinks] == [("x", front_matter_lines + line)]


def test_wiki_links_in_code_are_not_recorded() -> None:
    parsed = parse_body(MD, "`[[a]]`\n\n```\n[[b]]\n```\n\n    [[c]]\n", 1)
    assert parsed.wikilinks == ()


def test_wiki_links_in_link_text_or_image_descriptions_are_not_recorded() -> None:
    body = "[see [[a]]](https://example.org/x) ![map of [[b|B]]](/m.png) [![[[c]]](/i.png)](/y/)\n"
    assert parse_body(MD, body, 1).wikilinks == ()
    assert [w.target for w in parse_body(MD, "[see [[a]]] [[b]](/x/)\n", 1).wikilinks] == ["a", "b"]


# First paragraph ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        ("Plain lede.\n\nSecond.", "Plain lede."),
        (
            "## Heading\n\nThe *lede* with `code`\nand a [link](/x/).",
            "The lede with code and a link.",
        ),
        ("AT&amp;T &mdash; \\*not emphasis\\*.", "AT&T — *not emphasis*."),
        ("See [[aurus-deal]] and [[x|the talks]].", "See aurus-deal and the talks."),
        ("Claim.[^n] Next.\n\n[^n]: Footnote text.", "Claim. Next."),
        ("> A quote.\n\nThe lede.", "The lede."),
        ("- only\n- a list", "only"),
        ("```\ncode\n```", ""),
        ("<b>Bold</b> text", "<b>Bold</b> text"),
    ],
)
def test_first_paragraph_is_plain_text(body: str, summary: str) -> None:
    assert parse_body(MD, body, 1).first_paragraph == summary


def test_first_paragraph_drops_raw_html_tags_when_html_is_on() -> None:
    assert parse_body(MD_HTML, "<b>Bold</b> text", 1).first_paragraph == "Bold text"


# Inline Markdown (key facts) ---------------------------------------------------------


def test_render_inline_has_no_paragraph_and_resolves_links() -> None:
    html = render_inline(
        MD,
        "Signed **June 2024** in [[the aurus deal]]; map: ![m](/img/m.png)",
        resolve=resolve,
        base_path="/dossiers/",
    )
    assert html == (
        "Signed <strong>June 2024</strong> in "
        '<a class="wikilink" href="/dossiers/2024/06/aurus-deal/">The Aurus deal</a>; '
        "map: m"  # a line of text shows a picture's words: pictures belong in bodies
    )


def test_render_inline_does_not_make_blocks() -> None:
    assert render_inline(MD, "# not a heading", resolve=resolve, base_path="/") == (
        "# not a heading"
    )


def test_parse_inline_records_wiki_links_at_the_given_line() -> None:
    parsed = parse_inline(MD, "Signed in [[Pyongyang]]", 14)
    assert [(w.target, w.line) for w in parsed.wikilinks] == [("Pyongyang", 14)]


# Caching and parallel rendering ------------------------------------------------------


def test_parsed_bodies_survive_pickling() -> None:
    body = (
        "## Talks\n\n| a |\n|---|\n| [[aurus-deal]] |\n\n"
        "Claim[^n] ^[inline] ~~old~~ ![m](/img/m.png)\n\n[^n]: Note.\n"
    )
    parsed = parse_body(MD, body, 3)
    restored = pickle.loads(pickle.dumps(parsed))
    assert restored.wikilinks == parsed.wikilinks
    base = "/dossiers/"
    shown = render_body(
        MD, restored, resolve=resolve, base_path=base, picture=plain_pictures(restored, base)
    )
    assert shown == render_body(
        MD, parsed, resolve=resolve, base_path=base, picture=plain_pictures(parsed, base)
    )


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("[[russia-north-korea]]", "Russia–North Korea relations"),  # a slug shows the title
        ("[[russia-north korea relations]]", "Russia–North Korea relations"),  # a variant too
        ("[[Hubungan Rusia-Korea Utara]]", "Hubungan Rusia-Korea Utara"),  # an alias as written
        ("[[aurus-deal|the deal]]", "the deal"),  # a label always wins
    ],
)
def test_wiki_link_text(written: str, shown: str) -> None:
    assert soup(render(written)).a.get_text() == shown
