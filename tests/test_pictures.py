"""End to end: news pictures, as readers, link previews, feeds and editors meet them.

Every picture here is made by Pillow for the test (``support.pictures``); the built site
is read as a browser and a feed reader would (HTML parsed, files opened with Pillow).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from .support import pictures as made
from .support.cli import run_cli
from .support.files import replace_once, tree_bytes, write_files
from .support.quiet_build import build_site, page_soup

ARTICLE = "content/articles/2024/second-meeting.md"
PAGE = "2024/06/second-meeting/index.html"
LEAD = """image:
  src: photo.jpg
  alt: Two delegations at a long table
  caption: The second meeting began in the morning.
  credit: "Photo: Test Agency / A. Photographer"
  focus: 30% 40%
"""


@pytest.fixture
def basic(site_copy) -> Path:
    return site_copy("basic")


def with_lead(source: Path, picture: bytes = b"", front: str = LEAD) -> None:
    """Give the second meeting a lead picture (``photo.jpg`` beside it)."""
    if picture:
        (source / ARTICLE).with_name("photo.jpg").write_bytes(picture)
    replace_once(source / ARTICLE, "aliases: [/old/second/]\n", f"aliases: [/old/second/]\n{front}")


build = build_site


def soup(out: Path, page: str = PAGE) -> BeautifulSoup:
    return page_soup(out, page)


def srcset(attribute: str) -> list[tuple[str, int]]:
    """``url 480w, url 800w`` as (url, width) pairs."""
    pairs = [part.strip().rsplit(" ", 1) for part in attribute.split(",")]
    return [(url, int(width.removesuffix("w"))) for url, width in pairs]


def published(out: Path, url: str) -> Path:
    """The output file of a root-relative URL of the basic site (``/dossiers/...``)."""
    return out / url.removeprefix("/dossiers/")


def no_metadata(image: Image.Image) -> bool:
    info = {key for key in image.info if key not in ("jfif", "jfif_version", "jfif_unit")}
    info -= {"jfif_density", "progressive", "progression", "loop", "background", "dpi"}
    return not image.getexif() and not info


# -- the lead picture -------------------------------------------------------------------


def test_a_camera_photo_is_published_upright_in_every_width_with_no_metadata(basic):
    with_lead(basic, made.camera_jpeg((3000, 2000), orientation=6))
    out = build(basic)
    figure = soup(out).select_one("figure.lead-picture")
    assert figure is not None
    img = figure.select_one("picture > img")
    webp = figure.select_one('picture > source[type="image/webp"]')
    assert img["alt"] == "Two delegations at a long table"
    assert img["fetchpriority"] == "high" and not img.has_attr("loading")
    # Turned upright: the 3000×2000 file is shown 2000 wide and 3000 high.
    assert (img["width"], img["height"]) == ("800", "1200")
    for attribute, mime in ((webp["srcset"], "WEBP"), (img["srcset"], "JPEG")):
        files = srcset(attribute)
        assert [width for _url, width in files] == [480, 800, 1200, 1600]
        for url, width in files:
            with Image.open(published(out, url)) as shown:
                assert shown.format == mime
                assert shown.size == (width, width * 3 // 2)
                assert no_metadata(shown), shown.info
                top = shown.convert("RGB").getpixel((width // 2, 2))
                right = shown.convert("RGB").getpixel((width - 3, shown.height // 2))
                assert top[2] > 150 > top[0], "the blue band, the picture's left, is on top"
                assert right[0] > 150 > right[2], "the red band, its top, is on the right"
    caption = figure.select_one("figcaption")
    assert caption.select_one(".caption").get_text() == "The second meeting began in the morning."
    assert caption.select_one(".credit").get_text() == "Photo: Test Agency / A. Photographer"
    # The camera's own file, with its GPS position, is published nowhere.
    source = (basic / ARTICLE).with_name("photo.jpg").read_bytes()
    assert source not in tree_bytes(out).values()
    assert not list(out.rglob("photo.jpg"))


def test_the_share_card_and_structured_data_crops_are_cut_around_the_focus(basic):
    with_lead(basic, made.camera_jpeg((3000, 2000), orientation=1))
    out = build(basic)
    page = soup(out)
    card = page.select_one('meta[property="og:image"]')["content"]
    assert page.select_one('meta[name="twitter:image"]')["content"] == card
    assert page.select_one('meta[property="og:image:alt"]')["content"].startswith("Two delegations")
    assert page.select_one('meta[name="robots"]')["content"] == "max-image-preview:large"
    assert card.startswith("https://example.org/dossiers/pictures/")
    with Image.open(published(out, card.removeprefix("https://example.org"))) as shown:
        assert shown.size == (1200, 630)
        assert no_metadata(shown)
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    sizes = []
    for url in data["image"]:
        with Image.open(published(out, url.removeprefix("https://example.org"))) as shown:
            sizes.append(shown.size)
    assert sizes == [(1200, 675), (1200, 900), (1200, 1200)]


def test_a_page_without_a_picture_keeps_the_sites_share_image(basic):
    out = build(basic)
    page = soup(out)
    assert page.select_one('meta[property="og:image"]')["content"].endswith("/static/share.png")
    assert page.select_one("figure") is None


def test_the_focus_moves_the_crop(basic):
    with_lead(basic, made.camera_jpeg((3000, 1000), orientation=1), LEAD.replace("30% 40%", "left"))
    out = build(basic)
    card = soup(out).select_one('meta[property="og:image"]')["content"]
    with Image.open(published(out, card.removeprefix("https://example.org"))) as shown:
        left = shown.convert("RGB").getpixel((5, shown.height // 2))
    assert left[2] > 150 > left[0], "cut from the left edge, where the blue band is"


@pytest.mark.parametrize(
    ("name", "data", "fallback", "widths"),
    [
        ("alpha.png", made.png_with_alpha((900, 600)), "PNG", [480, 800, 900]),
        ("print.jpg", made.cmyk_jpeg((1400, 900)), "JPEG", [480, 800, 1200, 1400]),
        ("moving.gif", made.animated_gif((300, 200)), "JPEG", [300]),
        ("dot.png", made.tiny_png(), "JPEG", [1]),
    ],
)
def test_every_kind_of_picture_gets_its_widths_in_webp_and_a_fallback(
    basic, name, data, fallback, widths
):
    (basic / ARTICLE).with_name(name).write_bytes(data)
    with_lead(basic, front=LEAD.replace("photo.jpg", name))
    out = build(basic)
    picture = soup(out).select_one("figure.lead-picture picture")
    files = srcset(picture.select_one("img")["srcset"])
    assert [width for _url, width in files] == widths
    for url, _width in files:
        with Image.open(published(out, url)) as shown:
            assert shown.format == fallback
            assert shown.mode == ("RGBA" if name == "alpha.png" else "RGB")
            assert getattr(shown, "n_frames", 1) == 1
            assert no_metadata(shown)


def test_a_drawing_and_a_picture_on_the_web_are_used_as_they_are(basic):
    (basic / ARTICLE).with_name("chart.svg").write_text(made.SVG)
    with_lead(basic, front=LEAD.replace("photo.jpg", "chart.svg"))
    article = basic / ARTICLE
    replace_once(article, "Details.", "Details.\n\n![A web picture](https://example.com/p.jpg)")
    out = build(basic)
    page = soup(out)
    lead = page.select_one("figure.lead-picture img")
    assert lead["src"] == "/dossiers/articles/2024/chart.svg"
    assert (out / "articles/2024/chart.svg").read_text() == made.SVG
    assert page.select_one('figure.picture img[src="https://example.com/p.jpg"]') is not None
    assert page.select_one('meta[property="og:image"]')["content"].endswith("/static/share.png")


# -- pictures in a body -----------------------------------------------------------------


def test_an_image_alone_in_its_paragraph_is_a_figure_and_one_in_text_stays_inline(basic):
    folder = (basic / ARTICLE).parent
    (folder / "route.jpg").write_bytes(made.camera_jpeg((1000, 600), orientation=1))
    body = (
        'Details.\n\n![The route, drawn](route.jpg "The route taken | Map: Test Desk")\n\n'
        "Seen here ![a small copy](route.jpg) in the text.\n"
    )
    replace_once(basic / ARTICLE, "Details.", body)
    out = build(basic)
    prose = soup(out).select_one(".prose")
    figure = prose.select_one("figure.picture")
    assert figure.parent is prose, "not inside a paragraph"
    img = figure.select_one("img")
    assert img["alt"] == "The route, drawn" and img["loading"] == "lazy"
    assert figure.select_one(".caption").get_text() == "The route taken"
    assert figure.select_one(".credit").get_text() == "Map: Test Desk"
    inline = prose.select_one("p picture img")
    assert inline["alt"] == "a small copy"
    assert [width for _url, width in srcset(inline["srcset"])] == [480, 800, 1000]


# -- feeds and lists --------------------------------------------------------------------


def test_feeds_carry_the_lead_picture_with_its_credit(basic):
    with_lead(basic, made.camera_jpeg((3000, 2000), orientation=1))
    out = build(basic)
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Second meeting")
    media = entry.media_content[0]
    assert media["url"].startswith("https://example.org/dossiers/pictures/")
    assert (media["width"], media["height"], media["medium"]) == ("1200", "800", "image")
    assert entry.media_credit[0]["content"] == "Photo: Test Agency / A. Photographer"
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.href == media["url"]
    others = [e for e in feed.entries if e.title != "Second meeting"]
    assert others and not any("media_content" in e for e in others)


def test_cards_show_a_thumbnail_where_the_article_has_a_picture(basic):
    with_lead(basic, made.camera_jpeg((3000, 2000), orientation=1))
    out = build(basic)
    for page in ("index.html", "topics/alpha-beta/index.html", "archive/index.html"):
        cards = soup(out, page).select(".card, .lead-card")
        with_thumbnail = [c for c in cards if c.select_one("img.thumbnail")]
        titles = [c.select_one("a").get_text() for c in with_thumbnail]
        assert titles == ["Second meeting"], page
        thumbnail = with_thumbnail[0].select_one("img.thumbnail")
        assert thumbnail["alt"] == "" and thumbnail["loading"] == "lazy"


# -- bad pictures -----------------------------------------------------------------------


def test_every_bad_picture_is_an_error_at_its_line_and_the_site_is_left_as_it_was(basic):
    out = build(basic)
    before = tree_bytes(out)
    folder = (basic / ARTICLE).parent
    write_files(
        folder,
        {
            "bomb.png": made.decompression_bomb(),
            "cut.jpg": made.truncated_jpeg(),
            "notes.jpg": "these are notes, not a photo\n",
            "huge.jpg": made.camera_jpeg((1200, 800), orientation=1),
        },
    )
    (basic / "site.yaml").write_text((basic / "site.yaml").read_text() + "max_image_size: 300 kB\n")
    (folder / "huge.jpg").write_bytes(b"\xff" * 400_000)
    body = "Details.\n\n![a](bomb.png)\n\n![b](cut.jpg)\n\n![c](notes.jpg)\n\n![d](gone.jpg)\n"
    replace_once(basic / ARTICLE, "Details.", body)
    with_lead(basic, front=LEAD.replace("photo.jpg", "huge.jpg"))
    result = run_cli("--source", basic, "--output", out, "-q", "--no-search")
    assert result.code == 1
    assert "Traceback" not in result.err
    lines = result.error_lines
    text = (basic / ARTICLE).read_text().splitlines()

    def line_of(needle: str) -> int:
        return next(n for n, line in enumerate(text, 1) if needle in line)

    expected = [
        f"{ARTICLE}:{line_of('src: huge.jpg')}: error: 'image.src': picture is 400.0 kB, "
        "over the 300 kB limit",
        f"{ARTICLE}:{line_of('(bomb.png)')}: error: image 'bomb.png': picture has more pixels "
        "than 89,478,485 (a decompression bomb?)",
        f"{ARTICLE}:{line_of('(cut.jpg)')}: error: image 'cut.jpg': the picture is damaged or cut",
        f"{ARTICLE}:{line_of('(notes.jpg)')}: error: image 'notes.jpg': not a picture Pillow can "
        "read (JPEG, PNG, WebP, GIF)",
        f"{ARTICLE}:{line_of('(gone.jpg)')}: error: image 'gone.jpg': no such file 'gone.jpg' "
        "(looked for content/articles/2024/gone.jpg)",
    ]
    assert len(lines) == len(expected), result.err
    for line, start in zip(sorted(lines), sorted(expected), strict=True):
        assert line.startswith(start), (line, start)
    assert tree_bytes(out) == before


@pytest.mark.parametrize(
    ("front", "at", "message"),
    [
        ("image:\n  src: photo.jpg\n", "image:", "'image' needs 'alt'"),
        ("image:\n  src: a.jpg\n  alt: A\n  credits: X\n", "credits:", "unknown key 'credits' in"),
        (
            "image:\n  src: http://example.com/p.jpg\n  alt: A\n",
            "src:",
            "'image.src' uses the 'http:'",
        ),
        ("image:\n  src: a.jpg\n  alt: A\n  focus: middle\n", "focus:", "'image.focus' is not a"),
        ("image: photo.jpg\n", "image:", "'image' must be a mapping with 'src' and 'alt'"),
        ("image:\n  src: ../../../site.yaml\n  alt: A\n", "src:", "'image.src': '../../../site.y"),
    ],
)
def test_a_mistaken_image_key_is_an_error_at_its_line(basic, front, at, message):
    """``at``: the start of the line the error points at."""
    with_lead(basic, made.tiny_png(), front)
    result = run_cli("--source", basic, "-q", "--no-search")
    assert result.code == 1
    (line,) = result.error_lines
    text = (basic / ARTICLE).read_text().splitlines()
    wanted = next(n for n, t in enumerate(text, 1) if t.strip().startswith(at))
    assert line.startswith(f"{ARTICLE}:{wanted}: error: {message}"), line


def test_a_decorative_picture_says_so_with_an_empty_alt(basic):
    with_lead(
        basic,
        made.camera_jpeg((1600, 900), orientation=1),
        LEAD.replace("alt: Two delegations at a long table", 'alt: ""'),
    )
    out = build(basic)
    assert soup(out).select_one("figure.lead-picture img")["alt"] == ""


# -- what check tells ---------------------------------------------------------------------


def test_check_warns_of_a_missing_credit_a_narrow_lead_and_an_unused_picture(basic):
    front = "image:\n  src: photo.jpg\n  alt: A meeting room\n"
    with_lead(basic, made.camera_jpeg((800, 500), orientation=1), front)
    (basic / "content/img/spare.jpg").write_bytes(made.tiny_png())
    result = run_cli("check", "--source", basic)
    text = (basic / ARTICLE).read_text().splitlines()
    key = next(n for n, t in enumerate(text, 1) if t == "image:")
    src = key + 1
    assert f"{ARTICLE}:{key}: warning: lead picture has no 'credit'" in result.out + result.err
    assert (
        f"{ARTICLE}:{src}: warning: lead picture is 800 px wide: link previews and search "
        "results show it large from 1200 px"
    ) in result.out + result.err
    assert "content/img/spare.jpg:1: warning: picture used by no page: it is not published" in (
        result.out + result.err
    )


# -- made once, the same every time ---------------------------------------------------------


def test_a_warm_build_encodes_nothing_and_an_edit_only_the_picture_it_replaced(basic):
    with_lead(basic, made.camera_jpeg((2000, 1500), orientation=1))
    folder = (basic / ARTICLE).parent
    (folder / "route.jpg").write_bytes(made.camera_jpeg((1000, 600), orientation=1))
    replace_once(basic / ARTICLE, "Details.", "Details.\n\n![The route](route.jpg)\n")
    out = build(basic)
    store = basic / ".dossier-cache" / "pictures"
    first = {p.name: p.stat().st_mtime_ns for p in store.iterdir()}
    (folder / "second-meeting.md").write_text(
        (folder / "second-meeting.md").read_text() + "\nMore.\n"
    )
    build(basic)
    assert {p.name: p.stat().st_mtime_ns for p in store.iterdir()} == first
    (folder / "route.jpg").write_bytes(made.camera_jpeg((1100, 600), orientation=1))
    build(basic)
    now = {p.name: p.stat().st_mtime_ns for p in store.iterdir()}
    new = sorted(set(now) - set(first))
    assert new and all(name.startswith("route-") for name in new)
    assert {name: now[name] for name in first} == first
    cold = basic.parent / "cold"
    assert run_cli("--source", basic, "--output", cold, "-q", "--no-search", "--no-cache").code == 0
    assert tree_bytes(cold) == {k: v for k, v in tree_bytes(out).items() if k in tree_bytes(cold)}
    assert set(tree_bytes(cold)) == set(tree_bytes(out))


def test_pictures_are_byte_identical_with_one_or_two_processes(basic, tmp_path):
    folder = (basic / ARTICLE).parent
    for n in range(3):
        (folder / f"p{n}.jpg").write_bytes(made.camera_jpeg((1200 + 100 * n, 900), orientation=1))
    body = "".join(f"\n\n![Picture {n}](p{n}.jpg)" for n in range(3))
    replace_once(basic / ARTICLE, "Details.", "Details." + body)
    with_lead(basic, front=LEAD.replace("photo.jpg", "p0.jpg"))
    builds = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        options = ("--output", out, "-q", "--no-search", "--no-cache", "--jobs", jobs)
        assert run_cli("--source", basic, *options).code == 0
        builds.append(tree_bytes(out))
    assert builds[0] == builds[1]
    # p0: 3 widths in two formats and 4 crops; p1 and p2: 4 widths in two formats.
    assert len([name for name in builds[0] if name.startswith("pictures/")]) == 10 + 8 + 8


def test_an_authors_picture_is_on_their_page_and_in_their_structured_data(basic):
    folder = basic / "content/authors"
    folder.mkdir()
    (folder / "ana-field.jpg").write_bytes(made.camera_jpeg((1600, 1600), orientation=1))
    (folder / "ana-field.md").write_text(
        "---\nname: Ana Field\nrole: Correspondent\nimage:\n  src: ana-field.jpg\n"
        '  alt: Ana Field\n  credit: "Photo: Test Desk"\n---\n\nShe reports.\n'
    )
    out = build(basic)
    page = soup(out, "authors/ana-field/index.html")
    assert page.select_one("figure.side-picture img")["alt"] == "Ana Field"
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    square = data["mainEntity"]["image"]
    with Image.open(published(out, square.removeprefix("https://example.org"))) as shown:
        assert shown.size == (1200, 1200)
    assert page.select_one('meta[property="og:image"]')["content"].startswith(
        "https://example.org/dossiers/pictures/ana-field-"
    )


def test_the_store_forgets_a_replaced_picture_a_week_later(basic):
    original = made.camera_jpeg((1000, 700), orientation=1)
    with_lead(basic, original)
    photo = (basic / ARTICLE).with_name("photo.jpg")
    build(basic)
    store = basic / ".dossier-cache" / "pictures"
    first = sorted(p.name for p in store.iterdir())
    photo.write_bytes(made.camera_jpeg((1100, 700), orientation=1))
    build(basic)
    second = sorted(p.name for p in store.iterdir() if p.name not in first)
    assert second and set(first) < {p.name for p in store.iterdir()}, "kept for a week"
    week_ago = time.time() - 8 * 24 * 3600
    for name in first:
        os.utime(store / name, (week_ago, week_ago))
    replace_once(basic / ARTICLE, "Details.", "Details, again.")  # a build that writes
    build(basic)
    assert sorted(p.name for p in store.iterdir()) == second
    photo.write_bytes(original)  # put back: made again
    out = build(basic)
    assert set(first) <= {p.name for p in store.iterdir()}
    assert soup(out).select_one("figure.lead-picture img")["width"] == "800"
