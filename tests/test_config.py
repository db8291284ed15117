"""``site.yaml``: defaults, every setting, and each mistake reported at its line, all at once."""

from __future__ import annotations

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
        "markdown: {html: true}\n",
    )
    assert errors == []
    assert config == SiteConfig(
        title="Dossier Korea",
        base_url="https://example.org/dossiers/",
        language="id",
        timezone="Asia/Jakarta",
        description="Curated news",
        markdown_html=True,
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


def test_all_problems_are_reported_at_once(tmp_path):
    _, errors = load(tmp_path, "titel: x\nlanguage: xx\ntimezone: Nowhere\n")
    assert [e.split(": error: ")[0] for e in errors] == [
        "site.yaml:1",
        "site.yaml:2",
        "site.yaml:3",
    ]


def test_with_base_url_keeps_everything_else():
    config = SiteConfig(title="x", language="id", base_url="https://example.org/a/")
    moved = config.with_base_url("http://localhost:8000")
    assert moved == SiteConfig(title="x", language="id", base_url="http://localhost:8000/")
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
