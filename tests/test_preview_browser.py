"""The live preview in a real browser: an editor saves files, the open tab follows by itself.

Runs ``serve`` (a ``PreviewSession`` on a free port) on a copy of ``tests/sites/basic`` and
drives headless Chromium from Debian's ``chromium`` and ``chromium-driver`` packages through
Selenium; nothing is downloaded. The tests skip, saying why, where those are missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dossierpress.preview.session import PreviewSession
from tests.conftest import REPO
from tests.support.preview import ARTICLE, ARTICLE_URL, Preview, start_preview, stop_recording

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MISSING = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1024,768",
)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    """One headless Chromium for the module, with a fresh profile."""
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.skip(MISSING)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip(f"{MISSING}, and selenium (pip install selenium)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    yield browser
    browser.quit()


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


def test_a_reload_keeps_the_readers_scroll_position(tab, preview):
    def lengthen(source: Path) -> None:
        with (source / ARTICLE).open("a", encoding="utf-8") as file:
            file.writelines(f"\nParagraph {i} of a long article.\n" for i in range(120))

    running = preview(lengthen)
    open_page(tab, running, ARTICLE_URL)
    # The browser's own scroll restoration off: the preview has to keep the place itself.
    tab.execute_script("history.scrollRestoration = 'manual'; window.scrollTo(0, 1500)")
    tab.execute_script("window.marker = 1")
    running.edit(ARTICLE, "Details.", "Details, edited.")
    until(tab, f"window.marker === undefined && {shows('Details, edited.')}")
    until(tab, "Math.abs(window.scrollY - 1500) <= 2")


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


def test_with_navigate_the_tab_follows_the_article_being_edited(tab, preview):
    running = preview(navigate=True)
    open_page(tab, running, "/2024/03/first-meeting/")
    running.edit("content/articles/2024/pertemuan.md", "bulan Juni.", "bulan Juni lalu.")
    until(tab, f"location.pathname === '/2024/06/pertemuan/' && {shows('bulan Juni lalu.')}")
