"""A headless Chromium for the tests that drive a real browser, and a server for built
sites.

Uses Debian's ``chromium`` and ``chromium-driver`` through Selenium; nothing is
downloaded. ``chromium()`` skips the test, saying why, where they are missing. A page can
be sized and coloured through the DevTools protocol (``show_as``): a device-metrics
override (a phone's 390 px, which a desktop window cannot shrink to) and an emulated
``prefers-color-scheme`` or print medium.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

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
SCREENS = {"desktop": (1280, 800), "phone": (390, 844)}


def chromium(profile: Path) -> Iterator[Any]:
    """One headless Chromium with a fresh profile in ``profile``, for a fixture to
    ``yield from``; skips the test where Chromium, chromedriver or selenium is missing."""
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
    options.add_argument(f"--user-data-dir={profile}")
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield browser
    finally:
        browser.quit()


def show_as(browser: Any, screen: str, scheme: str = "light", media: str = "") -> None:
    """Render the next pages on ``screen`` ("desktop" 1280×800, "phone" 390×844) in
    ``scheme`` ("light", "dark"), for ``media`` ("print", or "" for the screen)."""
    width, height = SCREENS[screen]
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve the files under ``root`` as a static host would, on a free port of this
    machine; yields the origin (``http://127.0.0.1:PORT``)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
