"""The live preview in a real browser: an editor saves files, the open tab follows by itself.

Runs ``serve`` (a ``PreviewSession`` on a free port) on a copy of ``tests/sites/basic`` and
drives headless Chromium from Debian's ``chromium`` and ``chromium-driver`` packages through
Selenium; nothing is downloaded. The tests skip, saying why, where those are missing.

Whether the tab patched the page in place or reloaded it shows in ``window.marker``: set
before a save, it survives a patch and is gone after a reload.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dossierpress.preview.session import PreviewSession
from tests.support.browser import chromium
from tests.support.files import REPO
from tests.support.preview import (
    ARTICLE,
    ARTICLE_URL,
    Preview,
    eventually,
    start_preview,
    stop_recording,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    """One headless Chromium for the module, with a fresh profile."""
    yield from chromium(tmp_path_factory.mktemp("chromium-profile"))


@pytest.fixture
def tab(driver):
    """The browser, left on a blank page afterwards so no test's tab outlives its preview."""
    yield driver
    driver.get("about:blank")


@pytest.fixture
def preview(site_copy) -> Iterator[Callable[..., Preview]]:
    """Start a preview of a fresh copy of ``basic``; ``prepare(source)`` runs before it."""
    sessions: list[PreviewSession] = []

    def start(prepare: Callable[[Path], None] | None = None, **options: object) -> Preview:
        source = site_copy("basic")
        if prepare:
            prepare(source)
        return start_preview(source, sessions, **options)

    yield start
    for session in sessions:
        session.stop()
    stop_recording()


def until(driver, condition: str, timeout: float = 10) -> None:
    """Wait, without touching the page, until the JavaScript ``condition`` holds."""
    from selenium.common.exceptions import JavascriptException
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(
        driver, timeout, poll_frequency=0.05, ignored_exceptions=(JavascriptException,)
    ).until(lambda d: d.execute_script(f"return {condition}"), f"never true: {condition}")


def open_page(driver, running: Preview, path: str) -> None:
    driver.get(running.session.url + path.lstrip("/"))
    until(driver, "document.readyState === 'complete'")


def shows(text: str) -> str:
    return f"document.body.innerText.includes({text!r})"


OVERLAY = "document.getElementById('__dossier-overlay')"


def test_an_open_article_follows_edits_errors_fixes_and_its_deletion(tab, preview):
    running = preview()
    article = running.source / ARTICLE
    original = article.read_text(encoding="utf-8")
    open_page(tab, running, ARTICLE_URL)

    article.write_text(original.replace("Details.", "Details, freshly edited."), encoding="utf-8")
    until(tab, shows("Details, freshly edited."))

    article.write_text(
        original.replace("date: 2024-06-19T09:00:00+07:00", "date: 2024-13-45"), encoding="utf-8"
    )
    until(tab, f"{OVERLAY} !== null")
    overlay = tab.execute_script(f"return {OVERLAY}.innerText")
    assert f"{ARTICLE}:3: error: 'date': impossible date '2024-13-45'" in overlay

    article.write_text(original.replace("Details.", "Details, fixed."), encoding="utf-8")
    until(tab, f"{OVERLAY} === null && {shows('Details, fixed.')}")

    article.unlink()
    until(tab, "location.pathname === '/topics/alpha-beta/'")
    assert tab.current_url.endswith("/topics/alpha-beta/")
    assert tab.find_element("css selector", "h1").text == "Alpha–Beta relations"


def test_the_server_knows_which_page_the_tab_shows(tab, preview):
    running = preview()
    server = running.session.server
    open_page(tab, running, ARTICLE_URL)
    eventually(lambda: server.open_pages() == {"2024/06/second-meeting/index.html"})
    open_page(tab, running, "/topics/alpha-beta/")
    eventually(lambda: server.open_pages() == {"topics/alpha-beta/index.html"})
    tab.get("about:blank")
    eventually(lambda: not server.open_pages())


def lengthen(source: Path) -> None:
    """Make the article long enough to scroll: 120 paragraphs after its body."""
    with (source / ARTICLE).open("a", encoding="utf-8") as file:
        file.writelines(f"\nParagraph {i} of a long article.\n" for i in range(120))


def test_an_edit_is_patched_in_keeping_the_scroll_position_and_the_focus(tab, preview):
    running = preview(lengthen)
    open_page(tab, running, ARTICLE_URL)
    # The browser's own scroll restoration off: the preview has to keep the place itself.
    tab.execute_script("history.scrollRestoration = 'manual'; window.scrollTo(0, 1500)")
    tab.execute_script(
        "window.marker = 1; window.focused = document.querySelector('.prose a');"
        "window.focused.focus({preventScroll: true})"
    )
    running.edit(ARTICLE, "Details.", "Details, edited.")
    until(tab, shows("Details, edited."))
    assert tab.execute_script("return window.marker") == 1  # patched, not reloaded
    until(tab, "Math.abs(window.scrollY - 1500) <= 2")
    # The link's paragraph did not change: it is the same element, and still focused.
    assert tab.execute_script("return document.activeElement === window.focused")

    # A new paragraph: the body's paragraphs are new elements, and the focus moves to the
    # link in the same place.
    running.edit(ARTICLE, "Paragraph 119 of a long article.", "Paragraph 119.\n\nOne more.")
    until(tab, shows("One more."))
    assert tab.execute_script("return window.marker") == 1
    assert tab.execute_script(
        "return document.activeElement !== window.focused"
        " && document.activeElement.textContent === window.focused.textContent"
    )
    until(tab, "Math.abs(window.scrollY - 1500) <= 2")


def test_a_burst_of_saves_ends_on_the_last_one(tab, preview):
    running = preview()
    article = running.source / ARTICLE
    original = article.read_text(encoding="utf-8")
    open_page(tab, running, ARTICLE_URL)
    tab.execute_script("window.marker = 1")
    for i in range(6):  # a little longer apart than the watcher's quiet time
        article.write_text(original.replace("Details.", f"Details, take {i}."), encoding="utf-8")
        time.sleep(0.07)
    until(tab, shows("Details, take 5."))
    assert tab.execute_script("return window.marker") == 1
    time.sleep(0.3)  # nothing late overwrites the last version
    assert tab.execute_script(f"return {shows('Details, take 5.')}")


def test_title_summary_and_language_are_patched_into_head_and_html(tab, preview):
    running = preview()
    open_page(tab, running, ARTICLE_URL)
    tab.execute_script("window.marker = 1")
    running.edit(
        ARTICLE,
        "title: Second meeting\n",
        "title: Pertemuan kedua\nlang: id\n",
    )
    running.edit(ARTICLE, "summary: They met again.", "summary: Mereka bertemu lagi.")
    until(tab, "document.title.startsWith('Pertemuan kedua')")
    until(tab, "document.documentElement.lang === 'id'")
    assert tab.find_element("css selector", "h1").text == "Pertemuan kedua"
    description = "document.querySelector('meta[name=description]').content"
    until(tab, f"{description} === 'Mereka bertemu lagi.'")
    assert tab.execute_script("return document.querySelectorAll('title').length") == 1
    assert tab.execute_script("return window.marker") == 1


def test_a_topic_page_follows_an_edit_of_one_of_its_articles_in_place(tab, preview):
    running = preview()
    open_page(tab, running, "/topics/alpha-beta/")
    tab.execute_script("window.marker = 1")
    running.edit(ARTICLE, "title: Second meeting", "title: The second meeting, retitled")
    until(tab, shows("The second meeting, retitled"))
    assert tab.execute_script("return window.marker") == 1
    assert tab.find_element("css selector", "h1").text == "Alpha–Beta relations"


def test_a_broken_build_shows_the_overlay_and_the_fix_removes_it_in_place(tab, preview):
    running = preview()
    article = running.source / ARTICLE
    original = article.read_text(encoding="utf-8")
    broken = original.replace("date: 2024-06-19T09:00:00+07:00", "date: 2024-13-45")
    error = f"{ARTICLE}:3: error: 'date': impossible date '2024-13-45'"
    open_page(tab, running, ARTICLE_URL)
    tab.execute_script("window.marker = 1")

    article.write_text(broken, encoding="utf-8")
    until(tab, f"{OVERLAY} !== null")
    assert error in tab.execute_script(f"return {OVERLAY}.innerText")
    # Fixed back to the last good version, which the tab shows: nothing else to change.
    article.write_text(original, encoding="utf-8")
    until(tab, f"{OVERLAY} === null")
    time.sleep(0.5)  # time enough for a reload, if there were one
    assert tab.execute_script("return window.marker") == 1

    # A page loaded while the build is broken carries the overlay from the server.
    article.write_text(broken, encoding="utf-8")
    until(tab, f"{OVERLAY} !== null")
    open_page(tab, running, ARTICLE_URL)
    assert error in tab.execute_script(f"return {OVERLAY}.innerText")
    tab.execute_script("window.marker = 2")
    article.write_text(original.replace("Details.", "Details, fixed again."), encoding="utf-8")
    until(tab, f"{OVERLAY} === null && {shows('Details, fixed again.')}")
    assert tab.execute_script("return window.marker") == 2
    scripts = "script:not([type='application/ld+json'])"  # the client's, not the metadata
    assert tab.execute_script(f"return document.querySelectorAll({scripts!r}).length") == 1


def own_base_template(source: Path, extra_head: str = "") -> Path:
    """Give the site its own copy of the theme's ``base.html`` (plus ``extra_head``)."""
    text = (REPO / "layouts/base.html").read_text(encoding="utf-8")
    assert "</head>" in text
    base = source / "layouts/base.html"
    base.parent.mkdir(parents=True, exist_ok=True)
    base.write_text(text.replace("</head>", extra_head + "</head>", 1), encoding="utf-8")
    return base


def test_a_new_stylesheet_in_head_reloads_the_page_keeping_its_scroll(tab, preview):
    def prepare(source: Path) -> None:
        lengthen(source)
        own_base_template(source)
        (source / "layouts/static").mkdir(parents=True)
        (source / "layouts/static/extra.css").write_text("h1 { color: rgb(4, 5, 6) }\n")

    running = preview(prepare)
    open_page(tab, running, ARTICLE_URL)
    tab.execute_script("history.scrollRestoration = 'manual'; window.scrollTo(0, 1500)")
    tab.execute_script("window.marker = 1")
    color = "getComputedStyle(document.querySelector('h1')).color"
    assert tab.execute_script(f"return {color}") != "rgb(4, 5, 6)"
    base = running.source / "layouts/base.html"
    text = base.read_text(encoding="utf-8")
    link = '<link rel="stylesheet" href="{{ site.static_url }}extra.css">\n'
    base.write_text(text.replace("</head>", link + "</head>", 1), encoding="utf-8")
    until(tab, f"window.marker === undefined && {color} === 'rgb(4, 5, 6)'")
    until(tab, "Math.abs(window.scrollY - 1500) <= 2")


def test_a_page_with_scripts_of_its_own_is_reloaded(tab, preview):
    def prepare(source: Path) -> None:
        own_base_template(source, '<script src="{{ site.static_url }}theme.js" defer></script>\n')
        (source / "layouts/static").mkdir(parents=True)
        (source / "layouts/static/theme.js").write_text("window.themeRuns = 1;\n")

    running = preview(prepare)
    open_page(tab, running, ARTICLE_URL)
    assert tab.execute_script("return window.themeRuns") == 1
    tab.execute_script("window.marker = 1")
    running.edit(ARTICLE, "Details.", "Details, edited.")
    until(tab, f"window.marker === undefined && {shows('Details, edited.')}")
    assert tab.execute_script("return window.themeRuns") == 1  # ran again on the new page


def test_a_stylesheet_edit_restyles_the_page_without_reloading_it(tab, preview):
    def own_stylesheet(source: Path) -> None:
        (source / "layouts" / "static").mkdir(parents=True)
        shutil.copyfile(REPO / "layouts/static/style.css", source / "layouts/static/style.css")

    running = preview(own_stylesheet)
    open_page(tab, running, ARTICLE_URL)
    color = "getComputedStyle(document.querySelector('h1')).color"
    assert tab.execute_script(f"return {color}") != "rgb(1, 2, 3)"
    tab.execute_script("window.marker = 42")
    css = running.source / "layouts/static/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: rgb(1, 2, 3) !important }\n")
    until(tab, f"{color} === 'rgb(1, 2, 3)'")
    until(tab, "document.querySelectorAll('link[rel=stylesheet]').length === 1")
    assert tab.execute_script("return window.marker") == 42  # swapped, not reloaded
    # The swapped stylesheet is the page's own as written: a later edit is patched in.
    running.edit(ARTICLE, "Details.", "Details, edited.")
    until(tab, shows("Details, edited."))
    assert tab.execute_script("return window.marker") == 42
    assert tab.execute_script(f"return {color}") == "rgb(1, 2, 3)"


def test_a_page_saved_with_its_stylesheet_is_reloaded_with_both(tab, preview):
    def own_stylesheet(source: Path) -> None:
        (source / "layouts" / "static").mkdir(parents=True)
        shutil.copyfile(REPO / "layouts/static/style.css", source / "layouts/static/style.css")

    running = preview(own_stylesheet)
    open_page(tab, running, ARTICLE_URL)
    tab.execute_script("window.marker = 1")
    css = running.source / "layouts/static/style.css"
    rule = "\nh1 { color: rgb(7, 8, 9) !important }\n"
    # One save of both (a checkout): a patch would keep the old stylesheet.
    css.write_text(css.read_text(encoding="utf-8") + rule, encoding="utf-8")
    running.edit(ARTICLE, "Details.", "Details, restyled.")
    color = "getComputedStyle(document.querySelector('h1')).color"
    until(tab, f"window.marker === undefined && {shows('Details, restyled.')}")
    until(tab, f"{color} === 'rgb(7, 8, 9)'")


def test_with_navigate_the_tab_follows_the_article_being_edited(tab, preview):
    running = preview(navigate=True)
    open_page(tab, running, "/2024/03/first-meeting/")
    running.edit("content/articles/2024/pertemuan.md", "bulan Juni.", "bulan Juni lalu.")
    until(tab, f"location.pathname === '/2024/06/pertemuan/' && {shows('bulan Juni lalu.')}")
