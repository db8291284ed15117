"""From report to draft: text that renders as pasted, slugs, lists, related references the
build resolves, and the language guess."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.utils import escapeHtml

from dossierpress.content.markdown import make_markdown, parse_body
from dossierpress.editing.catalog import read_catalog
from dossierpress.importing.draft import article_slug, body_markdown, escape_markdown
from dossierpress.importing.language import guess_language
from dossierpress.importing.picture import clean_name, find_saved, free_path
from dossierpress.importing.plain import clean_line
from dossierpress.importing.report import Line, Paragraph
from dossierpress.importing.site import SiteIndex

from .support.files import write_files

PARSERS = (make_markdown(html=False), make_markdown(html=True))
MARKDOWN_ISH = st.sampled_from(
    [*"ab1 9.)#>+-=*_`[]<>&;!~|\\:^(){}'\"\t", "&amp;", "&#65;", "[[", "]]", "<br>", "    ", "–"]
)


def renders_as(text: str) -> list[str]:
    return [str(parse_body(md, escape_markdown(text), 1).html) for md in PARSERS]


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(st.lists(MARKDOWN_ISH, min_size=1, max_size=12).map("".join), st.text(min_size=1))
    .map(clean_line)
    .filter(bool)
)
def test_any_line_renders_as_exactly_its_text(text):
    """Whatever Markdown would make of it (with raw HTML allowed or not), it is one
    paragraph of the very text."""
    assert renders_as(text) == [f"<p>{escapeHtml(text)}</p>\n"] * 2


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ('"It\'s done," she said.', '"It\'s done," she said.'),
        ("#SaveOurBuses says no", "\\#SaveOurBuses says no"),
        ("2027. The year", "2027\\. The year"),
        ("1) first", "1\\) first"),
        ("> 60% backed it", "\\> 60% backed it"),
        ("- not a list", "\\- not a list"),
        ("+ not a list", "\\+ not a list"),
        (
            "a *b* _c_ `d` [e] <f> ~~g~~ \\",
            "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\] \\<f> \\~\\~g\\~\\~ \\\\",
        ),
        ("Tom &amp; Jerry & co", "Tom \\&amp; Jerry & co"),
        ("see [[Sanctions]]", "see \\[\\[Sanctions\\]\\]"),
        ("3.5 million - a lot > less", "3\\.5 million - a lot > less"),
    ],
)
def test_markdown_is_escaped_only_where_it_would_be_read(text, markdown):
    assert escape_markdown(text) == markdown


def test_consecutive_items_make_one_list():
    paragraphs = [
        Paragraph(Line("Three parts:")),
        Paragraph(Line("a *tram*"), item=True),
        Paragraph(Line("a depot"), item=True),
        Paragraph(Line("After.")),
    ]
    assert body_markdown(paragraphs) == "Three parts:\n\n- a \\*tram\\*\n- a depot\n\nAfter."


def test_a_long_headline_gives_a_slug_cut_at_a_word():
    slug = article_slug("Council " + "approves the northern tram line " * 5)
    assert len(slug) <= 80 and not slug.endswith("-")
    assert slug.startswith("council-approves-the-northern-tram-line-approves")
    assert article_slug("Putin & Kim: “gifts” – 2024") == "putin-kim-gifts-2024"


def site_with(tmp_path, files: dict[str, str]) -> SiteIndex:
    write_files(tmp_path, {"site.yaml": "title: T\ntimezone: Asia/Jakarta\n", **files})
    catalog, problems = read_catalog(tmp_path)
    assert catalog is not None, problems
    return SiteIndex.of(catalog)


def article(title: str, slug: str = "") -> str:
    return (
        f'---\ntitle: "{title}"\ndate: 2024-05-01\n'
        + (f"slug: {slug}\n" if slug else "")
        + "---\nB.\n"
    )


def topic(title: str, aliases: str = "[]") -> str:
    return f'---\ntitle: "{title}"\naliases: {aliases}\n---\nB.\n'


def test_a_related_headline_is_matched_word_for_word(tmp_path):
    site = site_with(
        tmp_path,
        {
            "content/articles/a.md": article("Flood-barrier test passes, ahead of winter storms!"),
            "content/topics/trams.md": topic("Northern tram line", '["Jalur trem utara"]'),
        },
    )
    assert site.related_ref("flood barrier test passes ahead of winter storms") == "a"
    assert site.related_ref("JALUR TREM — UTARA") == "trams"
    assert site.related_ref("Flood barrier test fails") is None


def test_a_ref_is_a_spelling_the_build_resolves_to_that_document(tmp_path):
    site = site_with(
        tmp_path,
        {
            # the article's slug names a topic too: the build would take the topic
            "content/articles/a.md": article("Sanctions tightened again", slug="sanctions"),
            "content/topics/sanctions.md": topic("Sanctions"),
            # two articles of one title: no ref would say which
            "content/articles/b.md": article("Same title"),
            "content/articles/c.md": article("Same title"),
        },
    )
    assert site.related_ref("Sanctions tightened again") == "Sanctions tightened again"
    assert site.related_ref("Sanctions") == "sanctions"
    assert site.related_ref("Same title") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tanggul baru di tepi Kali Lestari menjalani uji coba pertama pada Senin.", "id"),
        ("Councillors in Riverton voted in favour of the northern tram line.", "en"),
        ("OK", None),
        ("Kota Riverton", None),
    ],
)
def test_the_language_is_guessed_or_not_at_all(text, expected):
    assert guess_language(text, ["en-GB"]) == expected


# -- the lead picture ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "files", "found"),
    [
        ("https://cdn.example.org/a/Ferry.jpg?w=800", ["Ferry.jpg", "ferry.jpg"], "Ferry.jpg"),
        ("https://cdn.example.org/a/FERRY.jpg", ["ferry.jpg", "logo.png"], "ferry.jpg"),
        ("https://cdn.example.org/a/FERRY.jpg", ["Ferry.jpg", "ferry.jpg"], None),  # which?
        ("https://cdn.example.org/a/night%20bus.png", ["night bus.png"], "night bus.png"),
        ("/img/ferry.webp", ["ferry.webp"], "ferry.webp"),
        ("https://cdn.example.org/a/ferry.jpg", ["other.jpg"], None),
        ("https://cdn.example.org/a/picture.php", ["picture.php"], None),  # not a picture
        ("https://cdn.example.org/a/", ["index.jpg"], None),
    ],
)
def test_the_saved_file_is_found_by_the_last_segment_of_its_address(tmp_path, url, files, found):
    for name in files:
        (tmp_path / name).write_bytes(b"\xff\xd8")
    result = find_saved(url, tmp_path)
    assert (result.name if result else None) == found


def test_the_copy_is_named_like_a_slug_and_never_takes_a_name_in_use():
    assert clean_name("Ferry_At-Dawn.JPG") == "ferry-at-dawn.jpg"
    assert clean_name("___.png") == "picture.png"
    taken = {"c/ferry.jpg", "c/ferry-2.jpg"}
    assert free_path("c", "ferry.jpg", taken.__contains__) == "c/ferry-3.jpg"
    assert free_path("c", "boat.jpg", taken.__contains__) == "c/boat.jpg"
