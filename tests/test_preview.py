"""The live preview as an editor meets it, without a browser: save a file, ask the server.

Each test runs a real ``PreviewSession`` (watcher, incremental builder and server) on a copy
of ``tests/sites/basic`` and watches what the server serves and what its reload channel
says. The client script itself is driven in Chromium by ``test_preview_browser.py``.
"""

from __future__ import annotations

import html
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from unittest.mock import ANY

import pytest

from dossierpress.cli import main
from dossierpress.preview import session as preview_session
from dossierpress.preview.session import PreviewSession
from tests.support.builds import full_build, record_renders
from tests.support.cli import run_cli
from tests.support.corpus import load_generator
from tests.support.files import REPO, tree_bytes
from tests.support.http import get
from tests.support.pictures import camera_jpeg
from tests.support.preview import (
    ARTICLE,
    ARTICLE_URL,
    Preview,
    eventually,
    start_preview,
    stop_recording,
)

T = TypeVar("T")

DRAFT_URL = "/2024/06/unfinished/"
ARTICLE_OUTPUT = "2024/06/second-meeting/index.html"


@pytest.fixture
def basic(site_copy) -> Path:
    return site_copy("basic")


@pytest.fixture
def preview(basic: Path) -> Iterator[Callable[..., Preview]]:
    """Start a preview of ``basic`` (or another source) with the given ``ServeOptions``."""
    sessions: list[PreviewSession] = []

    def start(source: Path = basic, **options: object) -> Preview:
        return start_preview(source, sessions, **options)

    yield start
    for session in sessions:
        session.stop()
    stop_recording()


# -- What is served ---------------------------------------------------------------------


def test_served_pages_carry_the_client_but_no_written_file_does(preview, basic, tmp_path):
    running = preview()
    for path in ("/", ARTICLE_URL, "/topics/alpha-beta/", "/no/such/page/"):
        assert '<script src="/__dossier/client.js" data-epoch="1" defer>' in running.fetch(path)[1]
    written = tree_bytes(running.session.output)
    assert "2024/06/second-meeting/index.html" in written
    assert not [rel for rel, data in written.items() if b"__dossier" in data]

    assert run_cli("build", "--source", basic, "--output", tmp_path / "built", "--drafts").code == 0
    built = tree_bytes(tmp_path / "built")
    assert not [rel for rel, data in built.items() if b"__dossier" in data]
    assert not [rel for rel, data in built.items() if b'class="preview-note"' in data]


def test_the_temporary_output_folder_goes_with_the_preview(preview):
    running = preview()
    assert running.session.output.is_dir()
    running.session.stop()
    assert not running.session.output.exists()


def test_links_point_at_the_preview_server_whatever_base_url_says(preview, basic, tmp_path):
    running = preview()
    home = running.page("/")
    assert 'href="/topics/alpha-beta/"' in home
    assert "/dossiers/" not in home and "example.org" not in home
    article = running.page(ARTICLE_URL)
    canonical = f'<link rel="canonical" href="{running.session.url}2024/06/second-meeting/">'
    assert canonical in article
    assert "/dossiers/" not in article and "example.org" not in article
    # …while a normal build of the same source uses base_url from site.yaml.
    run_cli("build", "--source", basic, "--output", tmp_path / "built")
    built = (tmp_path / "built" / "index.html").read_text(encoding="utf-8")
    assert 'href="/dossiers/topics/alpha-beta/"' in built


def test_drafts_are_shown_and_marked(preview):
    running = preview()
    assert 'class="draft-marker"' in running.page(DRAFT_URL)
    topic = running.page("/topics/gamma/")
    assert f'href="{DRAFT_URL}">Unfinished piece</a> <span class="badge badge-draft"' in topic
    assert "draft-marker" not in running.page(ARTICLE_URL)


def test_no_drafts_hides_them(preview):
    running = preview(drafts=False)
    assert running.fetch(DRAFT_URL)[0] == 404
    assert "Unfinished piece" not in running.page("/topics/gamma/")


# -- Saving a file ----------------------------------------------------------------------


@pytest.mark.smoke
def test_an_edit_shows_up_in_the_served_page(preview):
    running = preview()
    running.edit(ARTICLE, "Details.", "Details, freshly edited.")
    eventually(lambda: "Details, freshly edited." in running.page(ARTICLE_URL))
    assert running.rebuilds()


def test_a_picture_added_while_previewing_is_served_processed(preview, basic):
    running = preview()
    (basic / ARTICLE).with_name("photo.jpg").write_bytes(camera_jpeg((1200, 800), 1))
    running.edit(ARTICLE, "Details.", "Details.\n\n![The hall](photo.jpg)")
    eventually(lambda: 'alt="The hall"' in running.page(ARTICLE_URL))
    html = running.page(ARTICLE_URL)
    webp = re.search(r'type="image/webp" srcset="([^ ]+) ', html)
    assert webp is not None
    status, headers, body = get(running.session.server, webp.group(1))
    assert (status, headers.get("content-type")) == (200, "image/webp")
    assert body[:4] == b"RIFF"


def test_a_save_by_writing_a_temporary_file_and_renaming_it_shows_up(preview, basic):
    running = preview()
    article = basic / ARTICLE
    temporary = article.with_name(article.name + ".tmp")  # as vim, JetBrains and VS Code save
    temporary.write_text(
        article.read_text(encoding="utf-8").replace("Details.", "Renamed in."), "utf-8"
    )
    temporary.replace(article)
    eventually(lambda: "Renamed in." in running.page(ARTICLE_URL))


def test_an_edit_sends_reload_with_the_changed_page(preview):
    running = preview()
    stream = running.events()
    running.edit(ARTICLE, "Details.", "Details, freshly edited.")
    name, data = stream.next_event()
    stream.close()
    assert name == "reload"
    assert ARTICLE_URL in data["changed"]
    assert (data["removed"], data["navigate"]) == ({}, None)


def test_a_save_that_changes_no_page_reloads_no_tab(preview, basic):
    running = preview(drafts=False)
    stream = running.events()
    draft = basic / "content/articles/2024/unfinished.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "More to come.\n", encoding="utf-8")
    eventually(running.rebuilds)  # the hidden draft was re-read: no page changed
    running.edit(ARTICLE, "Details.", "Details, freshly edited.")
    name, data = stream.next_event()  # the first event is the second save's
    stream.close()
    assert name == "reload" and ARTICLE_URL in data["changed"]


# -- The open page first ----------------------------------------------------------------

SUMMARY = ("summary: They met again.", "summary: They met again, and talked.")
"""An edit of the article's summary, which the home page, the archive, its topic, its
tags, the feeds and its neighbour show as well."""


@dataclass
class Published:
    """One snapshot the session published: the pages it named, and the renders by then."""

    changed: list[str]
    renders: int


def record_publishes(running: Preview, rendered: list[str], monkeypatch) -> list[Published]:
    published: list[Published] = []
    publish = running.session.state.publish

    def recording_publish(snapshot, **told) -> None:
        published.append(Published(list(told.get("changed", ())), len(rendered)))
        publish(snapshot, **told)

    monkeypatch.setattr(running.session.state, "publish", recording_publish)
    return published


def test_a_tab_gets_its_page_before_the_rest_of_the_rebuild_is_rendered(preview, monkeypatch):
    rendered = record_renders(monkeypatch)
    running = preview()
    published = record_publishes(running, rendered, monkeypatch)
    tab = running.events(page=ARTICLE_URL)
    rendered.clear()
    running.edit(ARTICLE, *SUMMARY)
    name, data = tab.next_event()
    assert (name, data["changed"]) == ("reload", [ARTICLE_URL])
    assert "They met again, and talked." in running.page(ARTICLE_URL)
    name, rest = tab.next_event()
    tab.close()
    assert name == "reload" and ARTICLE_URL not in rest["changed"]
    assert {"/", "/archive/", "/topics/alpha-beta/", "/tags/kim-jong-un/"} <= set(rest["changed"])
    # When the tab was told, its page was the only one rendered; the rest came after.
    assert published[0] == Published([ARTICLE_URL], 1)
    assert len(rendered) >= 1 + len(rest["changed"]) and rendered.count(ARTICLE_OUTPUT) == 1
    assert running.session.last is not None
    assert running.session.last.first == (ARTICLE_OUTPUT,)
    assert running.rebuilds() and len(running.rebuilds()) == 1
    # The complete build replaced the page served first: what a build without gives.
    served = dict(running.session.state.current().files)
    assert served == full_build(running.session.engine.request)


def test_a_tab_on_a_page_the_save_does_not_touch_gets_one_event_as_before(preview, monkeypatch):
    rendered = record_renders(monkeypatch)
    running = preview()
    published = record_publishes(running, rendered, monkeypatch)
    tab = running.events(page="/topics/delta/")
    running.edit(ARTICLE, *SUMMARY)
    name, data = tab.next_event()
    tab.close()
    assert name == "reload" and ARTICLE_URL in data["changed"]
    assert "/topics/delta/" not in data["changed"]
    assert len(published) == 1
    assert running.session.last is not None and running.session.last.first == ()


FAILING_TAG_LAYOUT = (
    '{% extends "base.html" %}\n{% block main %}\n'
    '{% if "Kaboom" in page.articles|map(attribute="summary")|join(" ") %}'
    "{{ no_such_thing.x }}{% endif %}\n{% endblock %}\n"
)
"""A tag page that fails to render once an article of it says "Kaboom" in its summary:
the article's own page renders all the same."""


def test_a_rebuild_failing_after_the_open_page_shows_its_errors_over_the_last_good_build(
    preview, basic
):
    (basic / "layouts").mkdir()
    (basic / "layouts" / "tag.html").write_text(FAILING_TAG_LAYOUT, encoding="utf-8")
    running = preview()
    before = dict(running.session.state.current().files)
    tab = running.events(page=ARTICLE_URL)
    running.edit(ARTICLE, "They met again.", "They met again. Kaboom.")
    assert tab.next_event() == ("reload", ANY)  # the article rendered, shown first
    name, data = tab.next_event()
    assert name == "errors"
    assert [line.partition(" error: ")[0] for line in data["errors"]] == ["layouts/tag.html:3:"]
    assert dict(running.session.state.current().files) == before
    running.edit(ARTICLE, "They met again. Kaboom.", "They met again, fixed.")
    name, data = tab.next_event()
    tab.close()
    assert name == "ok"
    assert "They met again, fixed." in running.page(ARTICLE_URL)


def test_a_broken_front_matter_shows_errors_until_it_is_fixed(preview, basic):
    running = preview()
    original = (basic / ARTICLE).read_text(encoding="utf-8")
    stream = running.events()
    running.edit(ARTICLE, "date: 2024-06-19T09:00:00+07:00", "date: 2024-13-45")
    name, data = stream.next_event()
    assert name == "errors"
    [line] = data["errors"]
    assert line.startswith(f"{ARTICLE}:3: error: ")
    assert "2024-13-45" in line
    assert line in running.logs  # the terminal prints the same text
    for path in (ARTICLE_URL, "/", "/no/such/page/"):
        served = running.fetch(path)[1]
        assert 'id="__dossier-overlay"' in served
        assert html.escape(line) in served
    assert "Details." in running.page(ARTICLE_URL)  # still the last good build

    (basic / ARTICLE).write_text(original.replace("Details.", "Details, fixed."), "utf-8")
    name, data = stream.next_event()
    stream.close()
    assert name == "ok"
    assert ARTICLE_URL in data["changed"]
    served = running.page(ARTICLE_URL)
    assert "__dossier-overlay" not in served and "Details, fixed." in served


def test_a_template_error_names_the_template_line_until_it_is_fixed(preview, basic):
    (basic / "layouts").mkdir()
    running = preview()
    stream = running.events()
    template = basic / "layouts" / "article.html"
    template.write_text(
        '{% extends "base.html" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock %}\n',
        encoding="utf-8",
    )
    name, data = stream.next_event()
    assert name == "errors"
    assert [line.partition(" error: ")[0] for line in data["errors"]] == ["layouts/article.html:3:"]
    template.unlink()
    assert stream.next_event()[0] == "ok"
    stream.close()


PLURAL_BY_ZERO = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n/0);\\n"\n'
)


@pytest.mark.parametrize(
    ("rel", "text", "where"),
    [
        ("site.yaml", 'base_url: "http://[::1/"\n', "site.yaml:1: error: base_url "),
        ("site.yaml", "timezone: localtime\n", "site.yaml:1: error: unknown timezone"),
        ("layouts/i18n/en.po", PLURAL_BY_ZERO, "layouts/i18n/en.po:4: error: "),
        (ARTICLE, "---\ntitle: x\ndate: 9999-12-31T23:00:00-14:00\n---\n", f"{ARTICLE}:3: "),
    ],
    ids=["base_url", "timezone", "plural forms", "date overflow"],
)
def test_a_problem_at_start_is_served_as_the_overlay_until_it_is_fixed(
    preview, basic, rel, text, where
):
    original = (basic / rel).read_bytes() if (basic / rel).exists() else None
    (basic / rel).parent.mkdir(parents=True, exist_ok=True)
    (basic / rel).write_text(text, encoding="utf-8")
    running = preview()  # starts, serves, does not exit
    status, served = running.fetch("/")
    assert status == 404 and 'id="__dossier-overlay"' in served
    [line] = [line for line in running.logs if ": error: " in line]
    assert line.startswith(where)
    assert html.escape(line) in served
    stream = running.events()
    if original is None:
        (basic / rel).unlink()
    else:
        (basic / rel).write_bytes(original)
    assert stream.next_event()[0] == "ok"
    stream.close()
    assert "__dossier-overlay" not in running.page("/")


def test_an_internal_error_is_served_as_the_overlay_and_the_preview_goes_on(
    preview, basic, monkeypatch
):
    running = preview()
    stream = running.events()
    engine = running.session.engine
    build = engine.build
    monkeypatch.setattr(engine, "build", lambda changes, **options: 1 / 0)
    running.edit(ARTICLE, "Details.", "Details, again.")
    name, data = stream.next_event()
    assert name == "errors"
    assert data["errors"] == [
        "error: internal error: ZeroDivisionError: division by zero (please report it)"
    ]
    monkeypatch.setattr(engine, "build", build)
    running.edit(ARTICLE, "Details, again.", "Details, fixed.")
    assert stream.next_event()[0] == "ok"
    stream.close()
    assert "Details, fixed." in running.page(ARTICLE_URL)


def test_an_asset_swapped_for_a_link_out_of_the_site_is_never_served(preview, basic, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    svg = basic / "content" / "img" / "map.svg"
    built = svg.read_bytes()
    running = preview()
    stream = running.events()
    svg.unlink()
    svg.symlink_to(secret)  # after the build: the snapshot holds the bytes it read
    assert running.fetch("/img/map.svg")[1].encode() == built
    name, data = stream.next_event()
    stream.close()
    assert name == "errors"
    assert data["errors"] == [
        "content/img/map.svg:1: error: symbolic link points outside content/; it is not followed"
    ]
    assert "root:x" not in running.fetch("/img/map.svg")[1]


def test_deleting_an_article_sends_its_tabs_to_its_topic(preview, basic):
    running = preview()
    stream = running.events()
    (basic / ARTICLE).unlink()
    name, data = stream.next_event()
    stream.close()
    assert name == "reload"
    assert data["removed"][ARTICLE_URL] == "/topics/alpha-beta/"
    assert running.fetch(ARTICLE_URL)[0] == 404


def test_a_stylesheet_edit_swaps_styles_without_a_reload(preview, basic):
    css = basic / "layouts" / "static" / "style.css"
    css.parent.mkdir(parents=True)
    shutil.copyfile(REPO / "layouts" / "static" / "style.css", css)
    running = preview()
    stream = running.events()
    epoch = running.session.state.current().epoch
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: teal }\n", encoding="utf-8")
    assert stream.next_event() == ("css", {"epoch": epoch + 1})
    stream.close()
    assert running.page("/static/style.css").endswith("h1 { color: teal }\n")


def test_an_edited_asset_reloads_even_when_serving_the_current_folder(
    preview, basic, tmp_path, monkeypatch
):
    monkeypatch.chdir(basic)  # `dossier serve` run inside the project: --source is "."
    mirror = tmp_path / "mirror"
    running = preview(Path("."), output=mirror)
    stream = running.events()
    svg = basic / "content" / "img" / "map.svg"
    svg.write_bytes(svg.read_bytes().replace(b"<svg", b'<svg data-edited="yes"', 1))
    name, data = stream.next_event()
    stream.close()
    assert name == "reload" and "/img/map.svg" in data["changed"]
    assert b'data-edited="yes"' in (mirror / "img" / "map.svg").read_bytes()


def test_output_mirrors_what_is_served_and_site_is_never_touched(preview, basic, tmp_path):
    mirror = tmp_path / "mirror"
    running = preview(output=mirror)

    def served() -> dict[str, bytes]:
        return dict(running.session.state.current().files)

    def mirrored() -> dict[str, bytes]:
        return {rel: data for rel, data in tree_bytes(mirror).items() if not rel.startswith(".")}

    assert mirrored() == served()
    stream = running.events()
    running.edit(ARTICLE, "Details.", "Details, mirrored.")
    assert stream.next_event()[0] == "reload"
    (basic / "content/articles/2024/pertemuan.md").unlink()
    assert stream.next_event()[0] == "reload"
    stream.close()
    assert mirrored() == served()
    assert b"Details, mirrored." in (mirror / "2024/06/second-meeting/index.html").read_bytes()
    assert not (mirror / "2024/06/pertemuan").exists()
    running.session.stop()
    assert (mirror / "index.html").is_file()  # the editor's folder stays
    assert not (basic / "site").exists()


def test_a_burst_of_writes_gives_one_rebuild(preview, basic, tmp_path, monkeypatch):
    # A quiet time well above the scheduler's pauses on a busy machine, and files written
    # beforehand and moved in (as a checkout does), so the burst is one burst whatever
    # else runs: the test is about batching, not about how fast this machine writes.
    monkeypatch.setattr(preview_session, "DEBOUNCE_SECONDS", 0.3)
    running = preview()
    folder = basic / "content" / "articles" / "2024"
    for i in range(200):
        (tmp_path / f"bulk-{i:03}.md").write_text(
            f"---\ntitle: Bulk {i}\ndate: 2024-07-01\ntopics: [gamma]\n---\n\nBody {i}.\n",
            encoding="utf-8",
        )
    for i in range(200):
        os.replace(tmp_path / f"bulk-{i:03}.md", folder / f"bulk-{i:03}.md")
    eventually(running.rebuilds)
    time.sleep(1.0)  # longer than the debounce: a second rebuild would have come by now
    assert len(running.rebuilds()) == 1
    assert "Body 199." in running.page("/2024/07/bulk-199/")


# -- Safe by default --------------------------------------------------------------------


OUTSIDE = {
    "/../site.yaml": 400,
    "/%2e%2e/content/articles/2024/second-meeting.md": 400,
    "/2024/..%2f..%2fsite.yaml": 400,
    "/content/articles/2024/second-meeting.md": 404,  # sources are not served
}


def test_the_running_preview_serves_nothing_outside_the_site(preview):
    running = preview()
    for path, expected in OUTSIDE.items():
        status, _, body = get(running.session.server, path)
        assert status == expected, path
        assert b"Second meeting" not in body and b"base_url" not in body


def test_the_running_preview_refuses_a_foreign_host(preview):
    running = preview()
    port = running.session.server.port
    assert get(running.session.server, "/", host=f"evil.example:{port}")[0] == 403
    assert get(running.session.server, "/", host=f"localhost:{port}")[0] == 200


# -- The command ------------------------------------------------------------------------


def ended(process: subprocess.Popen[str], reader: threading.Thread) -> str:
    """Kill ``process`` if it is still running, once its output is read: its stderr."""
    process.kill()
    reader.join()
    err = process.stderr.read() if process.stderr else ""
    for stream in (process.stderr, process.stdout):
        if stream:
            stream.close()
    return err


def test_serve_prints_its_address_and_stops_cleanly_on_ctrl_c(basic):
    process = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--source", str(basic), "--port", "0",
         "--no-drafts"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout])
    reader.start()
    try:
        while not (line := lines.get(timeout=20)).startswith("Serving at "):
            pass
        url = line.split()[-1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("GET", DRAFT_URL)
        assert connection.getresponse().status == 404  # --no-drafts
        connection.close()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 130
    finally:
        err = ended(process, reader)
    assert "Traceback" not in err
    assert err == ""
    assert "Stopping.\n" in list(lines.queue)
    assert not (basic / "site").exists()


SLOW_PAGES = "{% for i in range(3000) %}{% for j in range(2000) %}{% endfor %}{% endfor %}"
"""Six million turns of a theme's loop on every page: a fraction of a second each, so that
a rebuild of a small archive takes as long as one of a large archive (about 20 s here)."""


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_serve_stops_at_once_in_the_middle_of_a_rebuild_and_leaves_nothing_behind(
    tmp_path, signum, status
):
    source = tmp_path / "archive"
    load_generator().generate_corpus(source, articles=40)
    (source / "layouts").mkdir()
    temporary = tmp_path / "tmp"  # where the preview makes its folder
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--source", str(source), "--port", "0"],
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout])
    reader.start()
    try:
        while not lines.get(timeout=60).startswith("Serving at "):
            pass
        assert [p.name[:16] for p in temporary.iterdir()] == ["dossier-preview-"]
        base = (REPO / "layouts" / "base.html").read_text(encoding="utf-8")
        (source / "layouts" / "base.html").write_text(SLOW_PAGES + base, encoding="utf-8")
        time.sleep(1.5)  # the rebuild of every page is under way
        signalled = time.monotonic()
        process.send_signal(signum)
        code = process.wait(timeout=60)
        took = time.monotonic() - signalled
    finally:
        err = ended(process, reader)
    printed = list(lines.queue)
    assert (code, err) == (status, "")
    assert took < 5, f"stopped {took:.1f} s after the signal"
    assert "Stopping.\n" in printed
    assert not [line for line in printed if line.startswith("Rebuilt")], "it was abandoned"
    assert list(temporary.iterdir()) == []


def test_serve_on_a_taken_port_says_so_and_leaves_no_temporary_folder(basic, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--source", basic, "--port", str(port))
    assert result.code == 1
    assert result.err.startswith(f"error: cannot serve on 127.0.0.1:{port}: ")
    assert [p.name for p in tmp_path.iterdir()] == ["basic"]


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_serve_refuses_a_port_out_of_range(basic, port, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--source", str(basic), f"--port={port}"])
    assert exit_info.value.code == 2
    assert f"argument --port: '{port}' is not a port number (0 to 65535)" in capsys.readouterr().err
