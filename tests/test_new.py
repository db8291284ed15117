"""``dossier new``: a file with complete front matter where the build finds it, topics
checked as the build checks them, and never a file replaced."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from dossierpress.config import load_config
from dossierpress.content.frontmatter import parse_article, parse_author, parse_topic
from dossierpress.content.model import PartialDate

from .support.cli import run_cli
from .support.files import write_files

JAKARTA = timezone(timedelta(hours=7))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_files(
        tmp_path,
        {
            "site.yaml": "title: T\nbase_url: https://example.org/\ntimezone: Asia/Jakarta\n",
            "content/topics/russia-north-korea-relations.md": (
                "---\ntitle: Russia–North Korea relations\naliases: [RNK]\n---\n"
            ),
            "content/topics/sanctions.md": "---\ntitle: Sanctions\n---\n",
        },
    )
    return tmp_path


def new(site: Path, *args: str):
    return run_cli("new", "--source", site, *args)


@pytest.mark.smoke
def test_an_article_is_written_with_complete_front_matter_and_its_path_printed(site):
    result = new(
        site,
        "article",
        "Putin arrives in Pyongyang",
        "--topic", "RNK",
        "--topic", "sanctions",
        "--tag", "Vladimir Putin",
        "--date", "2024-06-19T09:30",
    )  # fmt: skip
    assert (result.code, result.err) == (0, "")
    rel = "content/articles/2024/06/putin-arrives-in-pyongyang.md"
    assert result.out.strip() == str(site / rel)
    text = (site / rel).read_text(encoding="utf-8")
    assert text.startswith(
        "---\n"
        'title: "Putin arrives in Pyongyang"\n'
        "date: 2024-06-19T09:30:00+07:00\n"
        "# One or two sentences, shown under the headline and in lists.\n"
        'summary: ""\n'
        "# The kind of work: news, analysis, opinion, explainer or background.\n"
        '# genre: "news"\n'
        "# When what it reports happened (2023-09), where not on its date.\n"
        "# about: 2024-06-19\n"
        "# Names or slugs of content/authors/ files.\n"
        "# authors: []\n"
        'topics: ["russia-north-korea-relations", "sanctions"]\n'
        'tags: ["Vladimir Putin"]\n'
        "sources: []\n"
        "# sources:\n"
    )
    uncommented = text.replace("# genre:", "genre:").replace("# about:", "about:")
    article, problems = parse_article(uncommented, rel, load_config(site)[0])
    assert problems == [] and article is not None, "the commented keys are valid as they are"
    assert (article.genre, article.about) == ("news", PartialDate(2024, 6, 19))
    assert "\nrelated: []\n# related:\n#   - {ref: " in text
    assert "\ncorrections: []\n# corrections:\n" in text
    assert text.endswith("draft: true\n---\n")
    config, _ = load_config(site)
    article, problems = parse_article(text, rel, config)
    assert problems == [] and article is not None
    assert article.date == datetime(2024, 6, 19, 9, 30, tzinfo=JAKARTA)
    assert article.draft and article.summary is None
    assert run_cli("--source", site, "--drafts", "-q", "--no-search").code == 0
    assert (site / "site/2024/06/putin-arrives-in-pyongyang/index.html").is_file()


def test_without_a_date_it_is_now_in_the_site_timezone(site):
    before = datetime.now(JAKARTA).replace(second=0, microsecond=0)
    assert new(site, "article", "Kim visits Vostochny").code == 0
    (path,) = (site / "content/articles").rglob("*.md")
    config, _ = load_config(site)
    article, _ = parse_article(path.read_text(encoding="utf-8"), "a.md", config)
    assert article is not None and article.date_has_time
    assert before <= article.date <= datetime.now(JAKARTA)
    assert article.date.utcoffset() == timedelta(hours=7)
    assert path.parent.relative_to(site) == Path(f"content/articles/{article.date:%Y/%m}")


def test_a_language_other_than_the_sites_is_written(site):
    assert (
        new(site, "article", "Putin tiba di Pyongyang", "--lang", "id", "--date", "2024-06-19").code
        == 0
    )
    text = (site / "content/articles/2024/06/putin-tiba-di-pyongyang.md").read_text("utf-8")
    assert "\ndate: 2024-06-19\n" in text and '\nlang: "id"\n' in text


def test_an_unknown_topic_is_refused_with_did_you_mean(site):
    result = new(site, "article", "A", "--topic", "Sanction")
    assert result.code == 1
    assert result.err.strip() == "error: unknown topic 'Sanction'; did you mean 'sanctions'?"
    assert not (site / "content/articles").exists()


def test_an_existing_file_is_never_replaced(site):
    args = ("article", "Putin arrives", "--date", "2024-06-19")
    assert new(site, *args).code == 0
    path = site / "content/articles/2024/06/putin-arrives.md"
    path.write_text(path.read_text("utf-8") + "\nThe editor's text.\n", encoding="utf-8")
    mine = path.read_bytes()
    result = new(site, *args)
    assert result.code == 1
    assert "content/articles/2024/06/putin-arrives.md exists already" in result.err
    assert path.read_bytes() == mine


def test_an_article_elsewhere_at_the_same_address_is_named(site):
    write_files(
        site,
        {"content/articles/old/putin-arrives.md": "---\ntitle: Old\ndate: 2024-06-02\n---\n"},
    )
    result = new(site, "article", "Putin arrives", "--date", "2024-06-19")
    assert result.code == 1
    assert "content/articles/old/putin-arrives.md has the same address" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("article", "!!!"), "gives no file name"),
        (("article", "\x1b\x07\t "), "the title is empty"),
        (("article", "A", "--date", "19/06/2024"), "--date: expected a date"),
        (("article", "A", "--lang", "xx-nope-nope"), "unknown language"),
        (("topic", "T", "--tag", "x"), "are for articles"),
    ],
)
def test_bad_arguments_are_one_line_and_write_nothing(site, args, message):
    result = new(site, *args)
    assert result.code == 1
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert not (site / "content/articles").exists()


def test_a_topic_is_written_and_an_existing_one_refused(site):
    result = new(site, "topic", "War in Ukraine")
    assert result.code == 0
    rel = "content/topics/war-in-ukraine.md"
    topic, problems = parse_topic((site / rel).read_text("utf-8"), rel)
    assert problems == [] and topic is not None and topic.title == "War in Ukraine"
    text = (site / rel).read_text("utf-8")
    assert "\nevents: []\n# events:\n#   - {date: 2023-09, text: " in text
    example = text.replace("events: []\n# events:\n#   - {", "events:\n  - {")
    example = example.replace("refs: [an-article-slug]", "refs: []")
    topic, problems = parse_topic(example, rel)
    assert problems == [] and topic is not None and len(topic.events) == 1, "the example is valid"
    again = new(site, "topic", "sanctions")
    assert again.code == 1
    assert "content/topics/sanctions.md is this topic already" in again.err


def test_a_site_with_broken_settings_is_reported(site):
    (site / "site.yaml").write_text("title: T\ntimezone: Mars/Olympus\n", encoding="utf-8")
    result = new(site, "article", "A")
    assert result.code == 1
    assert "site.yaml:2: error: unknown timezone" in result.err


def test_a_folder_without_content_is_a_usage_error_and_gets_nothing(tmp_path):
    result = run_cli("new", "--source", tmp_path, "article", "A")
    assert result.code == 2
    assert "no content/ folder" in result.err
    assert list(tmp_path.iterdir()) == []


def test_control_characters_are_taken_out_as_import_takes_them_out(site):
    result = new(
        site, "article", "\x1b[31mPutin\u2028arrives", "--tag", "\x07Kim", "--date", "2024-06-19"
    )
    assert result.code == 0
    rel = "content/articles/2024/06/31mputin-arrives.md"
    assert result.out.strip().endswith(rel)
    config, _ = load_config(site)
    article, problems = parse_article((site / rel).read_text("utf-8"), rel, config)
    assert problems == [] and article is not None
    assert article.title == "[31mPutin arrives"
    assert [tag.text for tag in article.tags] == ["Kim"]
    assert run_cli("check", "--source", site, "--drafts").code == 0


def test_a_very_long_title_gets_a_file_name_cut_at_a_word(site):
    title = "Putin and Kim sign a pact " * 200
    result = new(site, "article", title, "--date", "2024-06-19")
    assert (result.code, result.err) == (0, "")
    (written,) = (site / "content/articles/2024/06").iterdir()
    assert (
        written.name
        == "putin-and-kim-sign-a-pact-putin-and-kim-sign-a-pact-putin-and-kim-sign-a-pact.md"
    )
    assert run_cli("check", "--source", site, "--drafts").code == 0


def test_an_author_is_written_with_the_name_and_commented_keys(site):
    result = new(site, "author", "Ana  Writer")
    assert (result.code, result.err) == (0, "")
    rel = "content/authors/ana-writer.md"
    assert result.out.strip() == str(site / rel)
    text = (site / rel).read_text(encoding="utf-8")
    assert 'name: "Ana Writer"\n' in text
    assert "#   - https://example.org/staff/jane-doe\n" in text
    author, errors = parse_author(text, rel)
    assert errors == [] and author is not None
    assert (author.title, author.role, author.summary, author.links) == (
        "Ana Writer",
        None,
        None,
        (),
    )
    check = run_cli("check", "--source", site, "--no-cache")
    assert ": error: " not in check.err


@pytest.mark.parametrize("again", ["Ana Writer", "ana writer", "ana-writer"])
def test_an_author_already_there_is_never_replaced(site, again):
    assert new(site, "author", "Ana Writer").code == 0
    path = site / "content/authors/ana-writer.md"
    path.write_text(path.read_text(encoding="utf-8") + "Her biography.\n", encoding="utf-8")
    before = path.read_bytes()
    result = new(site, "author", again)
    assert result.code == 1
    assert result.err == (
        "error: content/authors/ana-writer.md is this author already ('Ana Writer')\n"
    )
    assert path.read_bytes() == before


def test_an_author_file_of_another_name_at_the_same_path_is_not_replaced(site):
    write_files(site, {"content/authors/ana-writer.md": "---\nname: Someone Else\n---\n"})
    result = new(site, "author", "Ana Writer")
    assert result.code == 1
    assert "content/authors/ana-writer.md exists already" in result.err
