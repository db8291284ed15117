"""``site.yaml``: defaults, every setting, and each mistake reported at its line, all at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossierpress.config import SiteConfig, load_config, normalise_language


def load(tmp_path: Path, text: str | bytes) -> tuple[SiteConfig, list[str]]:
    path = tmp_path / "site.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    config, errors = load_config(tmp_path)
    return config, [str(e) for e in errors]


def test_no_site_yaml_means_defaults(tmp_path):
    assert load_config(tmp_path) == (SiteConfig(), [])


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "~\n"])
def test_an_empty_site_yaml_means_defaults(tmp_path, text):
    assert load(tmp_path, text) == (SiteConfig(), [])


def test_every_setting(tmp_path):
    config, errors = load(
        tmp_path,
        "title: Dossier Korea\n"
        "base_url: https://example.org/dossiers\n"
        "language: id\n"
        "timezone: Asia/Jakarta\n"
        "description: Curated news\n"
        "markdown: {html: true}\n"
        "max_file_size: 5 MB\n"
        "links: {concurrency: 4, timeout: 2.5}\n",
    )
    assert errors == []
    assert config == SiteConfig(
        title="Dossier Korea",
        base_url="https://example.org/dossiers/",
        language="id",
        timezone="Asia/Jakarta",
        description="Curated news",
        markdown_html=True,
        max_file_size=5_000_000,
        links_concurrency=4,
        links_timeout=2.5,
    )
    assert config.base_path == "/dossiers/"
    assert config.zone.key == "Asia/Jakarta"


def test_a_byte_order_mark_is_fine(tmp_path):
    config, errors = load(tmp_path, "\ufefftitle: x\n".encode())
    assert (config.title, errors) == ("x", [])


def test_language_is_kept_as_a_bcp47_tag(tmp_path):
    assert load(tmp_path, "language: pt_BR\n")[0].language == "pt-BR"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "title: x\nbase_ulr: https://example.org/\n",
            "site.yaml:2: error: unknown setting 'base_ulr' (did you mean 'base_url'?)",
        ),
        ("colour: red\n", "site.yaml:1: error: unknown setting 'colour'"),
        (
            "markdown: {htlm: true}\n",
            "site.yaml:1: error: unknown setting 'markdown.htlm' (did you mean 'html'?)",
        ),
        ("markdown: true\n", "site.yaml:1: error: 'markdown' must be a mapping, e.g. {html: true}"),
        ("markdown: {html: 'yes'}\n", "site.yaml:1: error: 'markdown.html' must be true or false"),
        (
            "links: {timeuot: 5}\n",
            "site.yaml:1: error: unknown setting 'links.timeuot' (did you mean 'timeout'?)",
        ),
        ("links: 5\n", "site.yaml:1: error: 'links' must be a mapping, e.g. {timeout: 20}"),
        (
            "links: {concurrency: 0}\n",
            "site.yaml:1: error: 'links.concurrency' must be a whole number, 1 or more",
        ),
        (
            "links: {timeout: fast}\n",
            "site.yaml:1: error: 'links.timeout' must be seconds, more than 0",
        ),
        (
            "title: [a, b]\n",
            "site.yaml:1: error: 'title' must be a string: expected text, found a list",
        ),
        (
            "\nlanguage: no\n",
            "site.yaml:2: error: 'language' must be a string: 'no' is read by YAML as the "
            'boolean false; quote it ("no") if you mean the text',
        ),
        ("language: xx\n", "site.yaml:1: error: unknown language 'xx' (e.g. en or id)"),
        ("language: en_US.UTF-8\n", "site.yaml:1: error: unknown language 'en_US.UTF-8'"),
        (
            "timezone: asia/jakarta\n",
            "site.yaml:1: error: unknown timezone 'asia/jakarta' (did you mean 'Asia/Jakarta'?)",
        ),
        ("timezone: Mars/Olympus\n", "site.yaml:1: error: unknown timezone 'Mars/Olympus'"),
        ("timezone: ../../etc/passwd\n", "site.yaml:1: error: unknown timezone '../../etc/passwd'"),
        (
            "timezone: " + "a/" * 3000 + "b\n",
            "site.yaml:1: error: unknown timezone 'a/a/a/",
        ),
        (
            "base_url: example.org\n",
            "site.yaml:1: error: base_url must be an absolute http(s) URL, got 'example.org'",
        ),
        (
            "base_url: 'javascript:x'\n",
            "site.yaml:1: error: base_url must be an absolute http(s) URL",
        ),
        (
            "base_url: https://example.org/?v=1\n",
            "site.yaml:1: error: base_url must not have a query or fragment",
        ),
        (
            'base_url: "http://[::1/"\n',
            "site.yaml:1: error: base_url is not a valid URL: 'http://[::1/' (Invalid IPv6 URL)",
        ),
        (
            "base_url: https://exa_mple.org/\n",
            "site.yaml:1: error: base_url has an invalid host name 'exa_mple.org' "
            "(letters, digits, hyphens and dots, or an IP address)",
        ),
        (
            "base_url: https://-example.org/\n",
            "site.yaml:1: error: base_url has an invalid host name '-example.org'",
        ),
        (
            "base_url: https://example..org/\n",
            "site.yaml:1: error: base_url has an invalid host name 'example..org'",
        ),
        (
            "base_url: https://300.1.2.3/\n",
            "site.yaml:1: error: base_url has an invalid host name '300.1.2.3'",
        ),
        (
            "base_url: 'https://[::1%25eth0]/'\n",
            "site.yaml:1: error: base_url has an invalid host name '[::1%25eth0]'",
        ),
        (
            "base_url: https://example.org:99999/\n",
            "site.yaml:1: error: base_url has an invalid port '99999' (a number from 1 to 65535)",
        ),
        (
            "base_url: https://example.org:0/\n",
            "site.yaml:1: error: base_url has an invalid port '0'",
        ),
        (
            "base_url: https://example.org:8o/\n",
            "site.yaml:1: error: base_url has an invalid port '8o'",
        ),
        (
            "base_url: https://example.org:/\n",
            "site.yaml:1: error: base_url has an invalid port ''",
        ),
        (
            "base_url: https://editor:secret@example.org/\n",
            "site.yaml:1: error: base_url must not contain a user name or password: it would be "
            "copied into every canonical link",
        ),
        (
            "base_url: https://@example.org/\n",
            "site.yaml:1: error: base_url must not contain a user name or password",
        ),
        (
            "base_url: https://example.org//evil.example/\n",
            "site.yaml:1: error: base_url must not have '//' in its path: links would lead to "
            "another host",
        ),
        (
            "base_url: 'https://example.org/\\evil.example/'\n",
            "site.yaml:1: error: base_url must not contain a backslash",
        ),
        (
            "base_url: https://example.org/a/../b/\n",
            "site.yaml:1: error: base_url must not have '.' or '..' segments in its path",
        ),
        (
            "base_url: https://example.org/my dossiers/\n",
            "site.yaml:1: error: base_url must not contain whitespace or control characters "
            "(found U+0020)",
        ),
        (
            'base_url: "https://example.org/\\tx/"\n',
            "site.yaml:1: error: base_url must not contain whitespace or control characters "
            "(found U+0009)",
        ),
        (
            "base_url: https://example.org/#top\n",
            "site.yaml:1: error: base_url must not have a query or fragment",
        ),
        (
            "base_url: https://example.org/?\n",
            "site.yaml:1: error: base_url must not have a query or fragment",
        ),
        (
            "timezone: localtime\n",
            "site.yaml:1: error: unknown timezone 'localtime' (an IANA time zone name",
        ),
        ("timezone: Factory\n", "site.yaml:1: error: unknown timezone 'Factory'"),
        ("timezone: posixrules\n", "site.yaml:1: error: unknown timezone 'posixrules'"),
        (
            "timezone: posix/Asia/Jakarta\n",
            "site.yaml:1: error: unknown timezone 'posix/Asia/Jakarta' "
            "(did you mean 'Asia/Jakarta'?)",
        ),
        ("timezone: right/UTC\n", "site.yaml:1: error: unknown timezone 'right/UTC'"),
        ("timezone: zone.tab\n", "site.yaml:1: error: unknown timezone 'zone.tab'"),
        (
            "max_file_size: lots\n",
            "site.yaml:1: error: max_file_size must be a number of bytes or a size such as "
            "'2 MB' or '500 kB', got 'lots'",
        ),
        ("max_file_size: 2 XB\n", "site.yaml:1: error: max_file_size must be a number"),
        ("max_file_size: 1.5\n", "site.yaml:1: error: max_file_size must be a number"),
        ("max_file_size: 0\n", "site.yaml:1: error: max_file_size must be more than 0"),
        ("max_file_size: -5\n", "site.yaml:1: error: max_file_size must be more than 0"),
        ("max_file_size: 0.4 B\n", "site.yaml:1: error: max_file_size must be more than 0"),
        ("max_file_size: true\n", "site.yaml:1: error: max_file_size must be a number"),
        ("max_file_size: [2 MB]\n", "site.yaml:1: error: max_file_size must be a number"),
        (
            'title: "Dossier\\0"\n',
            "site.yaml:1: error: text contains the control character U+0000",
        ),
        (
            '"ti\\x1btle": x\n',
            "site.yaml:1: error: text contains the control character U+001B",
        ),
        ("- title\n", "site.yaml:1: error: site.yaml must be a mapping of settings"),
        (
            "title: x\ntitle: y\n",
            "site.yaml:2: error: duplicate key 'title' (first defined on line 1)",
        ),
        ("title: [x\n", "site.yaml:2: error: invalid YAML"),
        ("a: &a [x]\nb: *a\n", "site.yaml:2: error: YAML aliases (*a) are not allowed"),
        ("title: !!python/object/apply:os.system [ls]\n", "site.yaml:1: error: YAML tag"),
    ],
)
def test_each_mistake_is_reported_at_its_line(tmp_path, text, expected):
    config, errors = load(tmp_path, text)
    assert config == SiteConfig()
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected)


def test_invalid_utf8_is_reported_at_its_line(tmp_path):
    _, errors = load(tmp_path, b"title: x\ndescription: caf\xe9\n")
    assert errors == ["site.yaml:2: error: not valid UTF-8 (save the file as UTF-8)"]


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/",
        "https://example.org",
        "https://news.example.co.id/dossiers/rusia-korea/",
        "https://EXAMPLE.org:443/a~b/c.d/",
        "http://127.0.0.1:8080/",
        "http://[::1]:8000/",
        "https://bücher.example/",
        "https://example.org/d%C3%BCsseldorf/",
    ],
)
def test_good_base_urls_are_accepted(tmp_path, url):
    config, errors = load(tmp_path, f"base_url: '{url}'\n")
    assert errors == []
    assert config.base_url == url.rstrip("/") + "/"


@pytest.mark.parametrize(
    "written, size",
    [
        ("500", 500),
        ("2000000", 2_000_000),
        ("'2 MB'", 2_000_000),
        ("2MB", 2_000_000),
        ("1.5MB", 1_500_000),
        ("500 kB", 500_000),
        ("500 KB", 500_000),
        ("1 GB", 1_000_000_000),
        ("64 KiB", 65_536),
        ("2 MiB", 2_097_152),
        ("300 B", 300),
        ("300 bytes", 300),
    ],
)
def test_max_file_size_takes_bytes_or_a_size_with_a_unit(tmp_path, written, size):
    config, errors = load(tmp_path, f"max_file_size: {written}\n")
    assert errors == []
    assert config.max_file_size == size


def test_max_file_size_defaults_to_2_mb():
    assert SiteConfig().max_file_size == 2_000_000


@pytest.mark.parametrize("make", ["folder", "pipe"])
def test_a_site_yaml_that_is_not_a_file_is_an_error(tmp_path, make):
    path = tmp_path / "site.yaml"
    if make == "folder":
        path.mkdir()
        expected = "site.yaml:1: error: site.yaml is a folder, not a settings file"
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("needs named pipes")
        os.mkfifo(path)
        expected = "site.yaml:1: error: site.yaml is not a regular file"
    config, errors = load_config(tmp_path)
    assert config == SiteConfig()
    assert [str(e) for e in errors] == [expected]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_site_yaml_that_is_a_broken_link_is_an_error(tmp_path):
    (tmp_path / "site.yaml").symlink_to("nowhere.yaml")
    _, errors = load_config(tmp_path)
    assert [str(e) for e in errors] == [
        "site.yaml:1: error: site.yaml is a broken symbolic link: its target does not exist"
    ]


def test_all_problems_are_reported_at_once(tmp_path):
    _, errors = load(tmp_path, "titel: x\nlanguage: xx\ntimezone: Nowhere\n")
    assert [e.split(": error: ")[0] for e in errors] == [
        "site.yaml:1",
        "site.yaml:2",
        "site.yaml:3",
    ]


def test_with_base_url_keeps_everything_else():
    config = SiteConfig(
        title="x", language="id", base_url="https://example.org/a/", max_file_size=5
    )
    moved = config.with_base_url("http://localhost:8000")
    assert moved == SiteConfig(
        title="x", language="id", base_url="http://localhost:8000/", max_file_size=5
    )
    assert moved.base_path == "/"


@pytest.mark.parametrize(
    "text, tag",
    [
        ("en", "en"),
        ("id", "id"),
        ("en-GB", "en-GB"),
        ("en_GB", "en-GB"),
        ("zh-Hant-TW", "zh-Hant-TW"),
        (" id ", "id"),
        ("xx", None),
        ("", None),
        ("en@euro", None),
        ("../en", None),
    ],
)
def test_normalise_language(text, tag):
    assert normalise_language(text) == tag


def test_the_sites_strings_take_translations_by_language(tmp_path):
    config, errors = load(
        tmp_path,
        "title: Korea Dossier\n"
        "description: Curated news\n"
        "footer: Published by the desk\n"
        "translations:\n"
        "  id: {title: Dossier Korea, description: Berita pilihan}\n"
        "  pt_BR: {footer: Publicado}\n",
    )
    assert errors == []
    assert config.strings("id").title == "Dossier Korea"
    assert config.strings("id-ID").description == "Berita pilihan", "a region of a language"
    assert config.strings("id").footer == "Published by the desk", "untranslated: the site's own"
    assert config.strings("pt-BR").footer == "Publicado"
    assert config.strings("en").title == config.strings("").title == "Korea Dossier"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "translations: [id]\n",
            "site.yaml:1: error: 'translations' must be a mapping of languages",
        ),
        (
            "translations:\n  klingon: {title: x}\n",
            "site.yaml:2: error: unknown language 'klingon' (e.g. id)",
        ),
        (
            "translations:\n  id:\n    titel: x\n",
            "site.yaml:3: error: 'titel' cannot be translated (did you mean 'title'?)",
        ),
        (
            "translations:\n  id:\n    base_url: https://example.org/id/\n",
            "site.yaml:3: error: 'base_url' cannot be translated "
            "(translations take title, description, footer)",
        ),
        (
            "translations:\n  id: Dossier\n",
            "site.yaml:2: error: 'translations.id' must be a mapping of title, description, footer",
        ),
        (
            "translations:\n  id: {title: [x]}\n",
            "site.yaml:2: error: 'translations.id.title' must be a string",
        ),
        (
            "translations:\n  id: {title: x}\n  id_ID: {title: y}\n  ID: {title: z}\n",
            "site.yaml:4: error: language 'ID' is translated twice",
        ),
    ],
)
def test_a_mistake_in_translations_is_reported_at_its_line(tmp_path, text, expected):
    config, errors = load(tmp_path, text)
    assert config == SiteConfig()
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected)


def test_the_archive_asked_for_dead_sources_is_a_setting(tmp_path):
    assert SiteConfig().archive_endpoint == "https://archive.org/wayback/available"
    config, errors = load(
        tmp_path, "links:\n  archive_endpoint: https://archive.newsroom.example/available\n"
    )
    assert errors == []
    assert config.archive_endpoint == "https://archive.newsroom.example/available"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("links: https://x.example/\n", "site.yaml:1: error: 'links' must be a mapping"),
        (
            "links:\n  archive: https://x.example/\n",
            "site.yaml:2: error: unknown setting 'links.archive' (did you mean",
        ),
        (
            "links:\n  archive_endpoint: ftp://x.example/\n",
            "site.yaml:2: error: 'links.archive_endpoint' must be an absolute http(s) URL",
        ),
        (
            "links:\n  archive_endpoint: [https://x.example/]\n",
            "site.yaml:2: error: 'links.archive_endpoint' must be a string",
        ),
        (
            "links: {archive_endpoint: 'https://x.example/a b'}\n",
            "site.yaml:1: error: 'links.archive_endpoint' must not contain whitespace",
        ),
    ],
)
def test_a_wrong_links_setting_is_reported_at_its_line(tmp_path, text, message):
    config, errors = load(tmp_path, text)
    assert config == SiteConfig()
    assert len(errors) == 1
    assert errors[0].startswith(message)
