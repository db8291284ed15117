"""The front-matter writer: what it writes reads back as the same values, field by field,
whatever the text holds; comments and examples stay comments; no file is overwritten."""

from __future__ import annotations

import functools
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dossierpress.config import SiteConfig, load_config
from dossierpress.content.frontmatter import parse_article, parse_topic
from dossierpress.content.model import PartialDate
from dossierpress.content.writer import (
    Block,
    Entry,
    Field,
    Remark,
    document,
    front_matter,
    scalar,
    write_new,
)

JAKARTA = timezone(timedelta(hours=7))
TRICKY = [
    "Putin & Kim: <talks> – “gifts”",
    "yes",
    "2024-06-19",
    "123",
    "# not a comment",
    "- not a list",
    "a: b",
    "[not, a, list]",
    "{not: a mapping}",
    'quote " and backslash \\',
    "null",
    "~",
    "tab\there",
    "Rabu (19/6)",
    "'single'",
    "line\u2028separator",
]


@functools.cache
def jakarta_config() -> SiteConfig:
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "site.yaml").write_text(
            "title: T\nbase_url: https://example.org/\ntimezone: Asia/Jakarta\n",
            encoding="utf-8",
        )
        loaded, problems = load_config(Path(root))
    assert problems == [] and loaded is not None
    return loaded


@pytest.fixture
def config() -> SiteConfig:
    return jakarta_config()


def read_article(text: str, config: SiteConfig):
    article, problems = parse_article(text, "content/articles/a.md", config)
    assert problems == [], text
    assert article is not None
    return article


EVERY_ARTICLE_FIELD = [
    Entry("title", "Putin & Kim: <talks> – “gifts”"),
    Entry("date", datetime(2024, 6, 19, 9, 30, tzinfo=JAKARTA)),
    Entry("updated", datetime(2024, 6, 20, 10, 0, tzinfo=JAKARTA)),
    Entry("summary", 'Two leaders; one "agreement" — and a dagger.'),
    Entry("lang", "id"),
    Entry("topics", ["russia-north-korea-relations", "Sanctions"]),
    Entry("tags", ["Vladimir Putin", "Kim Jong-un"]),
    Entry(
        "related",
        [
            {"ref": "aurus-gift", "title": "The Aurus gift"},
            {"title": "A headline not linked yet"},
            {
                "title": "Analysis",
                "url": "https://example.org/a",
                "source": "Example News",
                "date": "2024-06",
                "archive": "https://archive.example/a",
            },
        ],
    ),
    Entry("sources", [{"source": "Tass", "date": "2024-06-19", "title": "Putin in Pyongyang"}]),
    Entry("authors", ["Dossier editors"]),
    Entry("draft", True),
    Entry("slug", "putin-in-pyongyang"),
    Entry("aliases", ["/2024/06/old/"]),
    Entry("translation_of", "putin-arrives"),
    Entry("corrections", [{"date": date(2024, 6, 21), "text": "Fixed: the *right* car."}]),
]


def test_every_article_field_reads_back_as_written(config):
    article = read_article(document(EVERY_ARTICLE_FIELD, "Body."), config)
    assert article.title == "Putin & Kim: <talks> – “gifts”"
    assert article.date == datetime(2024, 6, 19, 9, 30, tzinfo=JAKARTA)
    assert article.date_has_time
    assert article.updated == datetime(2024, 6, 20, 10, 0, tzinfo=JAKARTA)
    assert article.summary == 'Two leaders; one "agreement" — and a dagger.'
    assert article.lang == "id"
    assert [r.text for r in article.topics] == ["russia-north-korea-relations", "Sanctions"]
    assert [r.text for r in article.tags] == ["Vladimir Putin", "Kim Jong-un"]
    ref, headline, analysis = article.related
    assert (ref.ref.text, ref.title) == ("aurus-gift", "The Aurus gift")
    assert (headline.title, headline.url, headline.ref) == ("A headline not linked yet", None, None)
    assert (analysis.url, analysis.source, analysis.archive) == (
        "https://example.org/a",
        "Example News",
        "https://archive.example/a",
    )
    assert analysis.date == PartialDate(2024, 6)
    (source,) = article.sources
    assert (source.source, source.date, source.title) == (
        "Tass",
        PartialDate(2024, 6, 19),
        "Putin in Pyongyang",
    )
    assert article.authors == ("Dossier editors",)
    assert article.draft is True
    assert article.slug == "putin-in-pyongyang"
    assert [r.text for r in article.aliases] == ["2024/06/old/"]  # kept as a site path
    assert article.translation_of is not None and article.translation_of.text == "putin-arrives"
    (correction,) = article.corrections
    assert correction.date == datetime(2024, 6, 21, tzinfo=JAKARTA)
    assert not correction.date_has_time
    assert correction.text == "Fixed: the *right* car."


def test_every_topic_field_reads_back_as_written():
    text = document(
        [
            Entry("title", "Russia–North Korea relations"),
            Entry("summary", "Two isolated states."),
            Entry("lang", "en"),
            Entry("aliases", ["Hubungan Rusia–Korea Utara"]),
            Entry("related_topics", ["russia", "north-korea"]),
            Entry("key_facts", ["**24 years** between visits"]),
            Entry("pinned", ["putin-arrives"]),
            Entry("title_translations", {"id": "Hubungan Rusia–Korea Utara"}),
            Entry("weight", 1),
        ],
        "Introduction.",
    )
    topic, problems = parse_topic(text, "content/topics/russia-north-korea-relations.md")
    assert problems == [] and topic is not None
    assert topic.title == "Russia–North Korea relations"
    assert topic.summary == "Two isolated states."
    assert [r.text for r in topic.aliases] == ["Hubungan Rusia–Korea Utara"]
    assert [r.text for r in topic.related_topics] == ["russia", "north-korea"]
    assert [r.text for r in topic.key_facts] == ["**24 years** between visits"]
    assert [r.text for r in topic.pinned] == ["putin-arrives"]
    assert topic.title_translations == (("id", "Hubungan Rusia–Korea Utara"),)
    assert topic.weight == 1


@pytest.mark.parametrize("title", TRICKY)
def test_a_title_that_looks_like_yaml_stays_the_same_text(config, title):
    article = read_article(
        document([Entry("title", title), Entry("date", date(2024, 6, 19))]), config
    )
    assert article.title == title


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1)
    .map(str.strip)
    .filter(bool)
)
def test_any_printable_title_summary_and_name_read_back(text):
    """Any text without control characters, less the outer spaces the reader trims."""
    entries = [
        Entry("title", text),
        Entry("date", date(2024, 6, 19)),
        Entry("summary", text),
        Entry("authors", [text]),
    ]
    article = read_article(front_matter(entries), jakarta_config())
    assert (article.title, article.summary, article.authors) == (text, text, (text,))


def test_notes_and_examples_are_comments_the_reader_ignores(config):
    text = document(
        [
            Entry("title", "T", note="Imported from a pasted report.\nDropped: a line."),
            Entry("date", date(2024, 6, 19)),
            Entry("sources", [], example='sources:\n  - {title: "…", url: "https://…"}'),
        ]
    )
    assert "# Imported from a pasted report.\n# Dropped: a line.\ntitle:" in text
    assert '# sources:\n#   - {title: "…", url: "https://…"}\n---' in text
    article = read_article(text, config)
    assert (article.title, article.sources) == ("T", ())


BLOCK = Block(
    (
        Field("src", "ferry.jpg"),
        Field("alt", None, "describe the picture"),
        Remark("credit: who took it"),
        Field("caption", "# not a comment: it is quoted"),
    )
)


def test_a_block_is_one_key_a_line_with_its_comments_and_reads_back():
    text = front_matter([Entry("image", BLOCK)])
    assert text == (
        "---\n"
        "image:\n"
        '  src: "ferry.jpg"\n'
        "  alt: # describe the picture\n"
        "  # credit: who took it\n"
        '  caption: "# not a comment: it is quoted"\n'
        "---\n"
    )
    assert yaml.safe_load(text.strip("-\n")) == {
        "image": {"src": "ferry.jpg", "alt": None, "caption": "# not a comment: it is quoted"}
    }


def test_a_commented_entry_builds_as_is_and_reads_back_once_uncommented(config):
    entries = [Entry("title", "T"), Entry("date", date(2024, 6, 19))]
    text = document([*entries, Entry("image", BLOCK, note="Fill it in.", commented=True)])
    assert "# Fill it in.\n# image:\n#   src:" in text
    assert read_article(text, config).title == "T"
    block = text.split("# Fill it in.\n")[1].split("---")[0]
    uncommented = "\n".join(line.removeprefix("# ") for line in block.splitlines())
    assert yaml.safe_load(uncommented) == yaml.safe_load(
        front_matter([Entry("image", BLOCK)])[4:-4]
    )


def test_a_value_of_another_type_is_refused():
    with pytest.raises(TypeError):
        scalar(1.5)


def test_write_new_never_replaces_a_file(tmp_path):
    path = tmp_path / "content" / "articles" / "2024" / "06" / "a.md"
    write_new(path, "first\n")
    with pytest.raises(FileExistsError):
        write_new(path, "second\n")
    assert path.read_text(encoding="utf-8") == "first\n"
