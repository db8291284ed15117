"""Front matter: splitting, reading every key, and the exact `path:line: error:` of each mistake."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dossierpress.config import SiteConfig
from dossierpress.content.fields import DateProblem, parse_date, url_problem
from dossierpress.content.frontmatter import (
    parse_article,
    parse_author,
    parse_topic,
    split_front_matter,
)
from dossierpress.content.model import Event, LinkSpec, PartialDate, Ref
from dossierpress.content.slugs import tag_key

ART = "content/articles/2024/story.md"
TOPIC = "content/topics/sanctions.md"
CONFIG = SiteConfig(timezone="Asia/Jakarta")
JAKARTA = ZoneInfo("Asia/Jakarta")
GOOD = "title: Summit\ndate: 2024-06-19\n"
"""Two valid lines, so the line of anything added after them is 4, 5, ..."""


def article_file(front: str, body: str = "Body.\n") -> str:
    return f"---\n{front}---\n{body}"


def article(front: str, path: str = ART):
    result, errors = parse_article(article_file(front), path, CONFIG)
    assert errors == [], [str(e) for e in errors]
    assert result is not None
    return result


def article_errors(text: str, path: str = ART) -> list[str]:
    result, errors = parse_article(text, path, CONFIG)
    assert result is None
    return [str(e) for e in errors]


# -- every promised mistake: (file text, expected start of the one error) ----------------------

ERRORS = {
    "missing front matter": (
        "Just a story.\n",
        "1: error: no front matter found: did you forget to add `---` at the top?",
    ),
    "front matter not at the top": (
        "\n---\ntitle: x\n---\n",
        "1: error: no front matter found",
    ),
    "unclosed front matter": (
        "---\ntitle: Summit\ndate: 2024-06-19\n\nBody.\n",
        "1: error: front matter opened with `---` on line 1 is never closed: "
        "no closing `---` found",
    ),
    "invalid YAML": (
        article_file("title: [unclosed\ndate: 2024-06-19\n"),
        "3: error: invalid YAML: expected ',' or ']'",
    ),
    "tab indentation": (
        article_file(GOOD + "tags:\n\t- a\n"),
        "5: error: invalid YAML: found character '\\t' that cannot start any token",
    ),
    "front matter is a list": (
        article_file("- a\n- b\n"),
        "2: error: front matter must be a mapping",
    ),
    "mapping where a list belongs": (
        article_file(GOOD + "tags:\n  Aurus: yes\n"),
        "4: error: 'tags' must be a list, found a mapping "
        "(start each entry on its own line with '- ')",
    ),
    "mapping where the related list belongs": (
        article_file(GOOD + "related:\n  url: https://example.org/\n"),
        "4: error: 'related' must be a list, found a mapping",
    ),
    "list where text belongs": (
        article_file("title: [a, b]\ndate: 2024-06-19\n"),
        "2: error: 'title': expected text, found a list",
    ),
    "block list where text belongs": (
        article_file(GOOD + "summary:\n  - a\n"),
        "4: error: 'summary': expected text, found a list",
    ),
    "mapping where text belongs": (
        article_file(GOOD + "lang: {code: id}\n"),
        "4: error: 'lang': expected text, found a mapping",
    ),
    "list where a link belongs": (
        article_file(GOOD + "related:\n  - [https://example.org/]\n"),
        "5: error: entry of 'related' must be a URL or a mapping, found a list",
    ),
    "mapping in a list of names": (
        article_file(GOOD + "topics:\n  - sanctions\n  - {name: x}\n"),
        "6: error: entry of 'topics': expected text, found a mapping",
    ),
    "unknown key": (
        article_file(GOOD + "tittle: x\n"),
        "4: error: unknown key 'tittle' (did you mean 'title'?)",
    ),
    "unknown key, nothing close": (
        article_file(GOOD + "colour: red\n"),
        "4: error: unknown key 'colour'",
    ),
    "topic key in an article": (
        article_file(GOOD + "pinned: [a]\n"),
        "4: error: unknown key 'pinned' ('pinned' is for topics, not articles)",
    ),
    "unknown key in a link": (
        article_file(GOOD + "related:\n  - title: x\n    utl: https://example.org/\n"),
        "6: error: unknown key 'utl' in 'related' (did you mean 'url'?)",
    ),
    "missing title": (article_file("date: 2024-06-19\n"), "1: error: missing required key 'title'"),
    "missing date": (article_file("title: x\n"), "1: error: missing required key 'date'"),
    "empty title": (article_file("title: ''\ndate: 2024-06-19\n"), "2: error: 'title' is empty"),
    "null title": (
        article_file("title:\ndate: 2024-06-19\n"),
        "2: error: 'title': expected text, found nothing",
    ),
    "impossible day": (
        article_file("title: x\ndate: 2024-02-30\n"),
        "3: error: 'date': impossible date '2024-02-30' (day is out of range for month)",
    ),
    "impossible month": (
        article_file("title: x\ndate: 2024-13-01\n"),
        "3: error: 'date': impossible date '2024-13-01' (month must be in 1..12)",
    ),
    "impossible quoted date": (
        article_file("title: x\ndate: '2023-02-29'\n"),
        "3: error: 'date': impossible date '2023-02-29'",
    ),
    "impossible time": (
        article_file("title: x\ndate: 2024-06-19T25:00\n"),
        "3: error: 'date': impossible time in '2024-06-19T25:00' (hour must be in 0..23)",
    ),
    "not a date": (
        article_file("title: x\ndate: June 19\n"),
        "3: error: 'date': expected a date, got 'June 19' (e.g. 2024-06-19 or 2024-06-19T10:30)",
    ),
    "year only": (
        article_file("title: x\ndate: 2024\n"),
        "3: error: 'date': expected a date, got '2024'",
    ),
    "date past year 9999 in UTC": (
        article_file("title: x\ndate: 9999-12-31T23:00:00-14:00\n"),
        "3: error: 'date': date out of range '9999-12-31T23:00:00-14:00'",
    ),
    "date past year 9999 in the site timezone": (
        article_file("title: x\ndate: 9999-12-31T23:00:00Z\n"),
        "3: error: 'date': date out of range '9999-12-31T23:00:00Z'",
    ),
    "date before year 1 in UTC": (
        article_file("title: x\ndate: 0001-01-01\n"),
        "3: error: 'date': date out of range '0001-01-01'",
    ),
    "updated past year 9999": (
        article_file(GOOD + "updated: 9999-12-31T23:00:00-14:00\n"),
        "4: error: 'updated': date out of range '9999-12-31T23:00:00-14:00'",
    ),
    "NUL in a quoted summary": (
        article_file(GOOD + 'summary: "a\\0b"\n'),
        "4: error: text contains the control character U+0000 "
        "(remove it: it is invisible and can break pages)",
    ),
    "terminal escape in a tag": (
        article_file(GOOD + 'tags:\n  - Aurus\n  - "\\e[31mred"\n'),
        "6: error: text contains the control character U+001B",
    ),
    "slug too long": (
        article_file(GOOD + "slug: " + "a" * 201 + "\n"),
        "4: error: slug '" + "a" * 40 + "…' is too long: 201 bytes, at most 200 "
        "(each part of a URL becomes a folder name, which disks limit to 255 bytes)",
    ),
    "long invalid slug": (
        article_file(GOOD + "slug: " + "A" * 300 + "\n"),
        "4: error: invalid slug '" + "A" * 40 + "…'",
    ),
    "tag too long for a page name": (
        article_file(GOOD + "tags: [Aurus, " + "Kim " * 60 + "]\n"),
        "4: error: tag '" + "Kim " * 9 + "Kim…' is too long: its page name would be 239 bytes, "
        "at most 200",
    ),
    "alias with a query": (
        article_file(GOOD + "aliases: ['/old/story?id=3/']\n"),
        "4: error: alias '/old/story?id=3/' contains '?', which a URL path cannot hold "
        "(use letters, digits, '-', '.', '_' and '~' between the slashes)",
    ),
    "alias with a fragment": (
        article_file(GOOD + "aliases: ['/old/#story/']\n"),
        "4: error: alias '/old/#story/' contains '#'",
    ),
    "alias with angle brackets": (
        article_file(GOOD + "aliases: ['/old/<b>/']\n"),
        "4: error: alias '/old/<b>/' contains '<'",
    ),
    "alias with a space": (
        article_file(GOOD + "aliases: ['/old story/']\n"),
        "4: error: alias '/old story/' contains U+0020",
    ),
    "alias with a zero-width space": (
        article_file(GOOD + 'aliases: ["/old\\u200bstory/"]\n'),
        "4: error: alias '/old\u200bstory/' contains U+200B",
    ),
    "alias with a Hangul filler": (
        article_file(GOOD + 'aliases: ["/old\\u3164story/"]\n'),
        "4: error: alias '/old\u3164story/' contains U+3164",
    ),
    "alias with a percent escape": (
        article_file(GOOD + "aliases: ['/caf%C3%A9/']\n"),
        "4: error: alias '/caf%C3%A9/' contains '%', which a URL path cannot hold "
        "(write the characters themselves, e.g. é rather than %C3%A9)",
    ),
    "alias with a hidden folder": (
        article_file(GOOD + "aliases: [/old/.well-known/x/]\n"),
        "4: error: alias '/old/.well-known/x/' has a part starting with '.' "
        "(the build writes no hidden files or folders)",
    ),
    "alias with an empty part": (
        article_file(GOOD + "aliases: ['/old//story/']\n"),
        "4: error: alias '/old//story/' has an empty part (//)",
    ),
    "alias segment too long": (
        article_file(GOOD + "aliases: [/old/" + "é" * 101 + "/]\n"),
        "4: error: alias '/old/" + "é" * 35 + "…' has a part of 202 bytes, at most 200",
    ),
    "alias too long": (
        article_file(GOOD + "aliases: [/" + "/".join(["a" * 100] * 10) + "/]\n"),
        "4: error: alias '/" + "a" * 39 + "…' is too long: 1011 bytes, at most 1000",
    ),
    "updated before date": (
        article_file(GOOD + "updated: 2024-05-01\n"),
        "4: error: 'updated' (2024-05-01) is before 'date' (2024-06-19)",
    ),
    "updated earlier the same day": (
        article_file("title: x\ndate: 2024-06-19T10:00\nupdated: 2024-06-19T09:59\n"),
        "4: error: 'updated' (2024-06-19T09:59) is before 'date' (2024-06-19T10:00)",
    ),
    "slug escaping": (
        article_file(GOOD + "slug: ../x\n"),
        "4: error: invalid slug '../x' (use lowercase letters, digits and single hyphens",
    ),
    "slug in capitals": (article_file(GOOD + "slug: Summit\n"), "4: error: invalid slug 'Summit'"),
    "alias escaping": (
        article_file(GOOD + "aliases:\n  - /old/story/\n  - ../../etc\n"),
        "6: error: alias '../../etc' would escape the output folder",
    ),
    "alias escaping from inside": (
        article_file(GOOD + "aliases: [/a/../../etc/]\n"),
        "4: error: alias '/a/../../etc/' would escape the output folder",
    ),
    "alias that is a URL": (
        article_file(GOOD + "aliases: ['https://example.org/x']\n"),
        "4: error: alias 'https://example.org/x' is a full URL (write only its path, "
        "like /2019/05/x/)",
    ),
    "alias with a backslash": (
        article_file(GOOD + "aliases: ['old\\story']\n"),
        "4: error: alias 'old\\story' contains '\\', which a URL path cannot hold",
    ),
    "empty alias": (
        article_file(GOOD + "aliases: [/]\n"),
        "4: error: alias '/' is empty (write a path like /2019/05/x/)",
    ),
    "URL that is not one (a bracket in its host)": (
        article_file(GOOD + "related:\n  - {title: x, url: 'https://example.co[m/x'}\n"),
        "5: error: 'related.url' is not a valid URL (Invalid IPv6 URL): 'https://example.co[m/x'",
    ),
    "URL with a port out of range": (
        article_file(GOOD + "sources:\n  - https://example.com:99999/x\n"),
        "5: error: entry of 'sources' is not a valid URL (Port out of range 0-65535): "
        "'https://example.com:99999/x'",
    ),
    "javascript: URL": (
        article_file(GOOD + "related:\n  - {title: x, url: 'javascript:alert(1)'}\n"),
        "5: error: 'related.url' uses the 'javascript:' scheme, which is not allowed "
        "(only http, https, mailto)",
    ),
    "javascript: URL in odd case with whitespace": (
        article_file(GOOD + 'related:\n  - title: x\n    url: " JaVa\\tscript:alert(1)"\n'),
        "6: error: 'related.url' uses the 'javascript:' scheme",
    ),
    "javascript: URL split by a newline": (
        article_file(GOOD + 'sources:\n  - "java\\nscript:alert(1)"\n'),
        "5: error: entry of 'sources' uses the 'javascript:' scheme",
    ),
    "data: URL": (
        article_file(GOOD + "sources:\n  - 'data:text/html,<script>x</script>'\n"),
        "5: error: entry of 'sources' uses the 'data:' scheme",
    ),
    "vbscript: archive": (
        article_file(GOOD + "sources:\n  - title: x\n    archive: VBScript:msgbox\n"),
        "6: error: 'sources.archive' uses the 'vbscript:' scheme, which is not allowed "
        "(only http, https)",
    ),
    "mailto: archive": (
        article_file(GOOD + "sources:\n  - {title: x, archive: 'mailto:a@example.org'}\n"),
        "5: error: 'sources.archive' uses the 'mailto:' scheme",
    ),
    "relative URL": (
        article_file(GOOD + "related:\n  - first-meeting\n"),
        "5: error: entry of 'related' must be a full URL starting with https://, "
        "got 'first-meeting' (for an article or topic, use 'ref'; "
        "for a headline not linked yet, 'title')",
    ),
    "URL without a host": (
        article_file(GOOD + "related:\n  - 'https:/x'\n"),
        "5: error: entry of 'related' has no host name",
    ),
    "related with neither url, ref nor title": (
        article_file(GOOD + "related:\n  - source: Wire\n"),
        "5: error: entry of 'related' needs 'url' (a web page), 'ref' (one of ours) "
        "or 'title' (a headline not linked yet)",
    ),
    "correction with an unknown key": (
        article_file(GOOD + "corrections:\n  - date: 2024-06-20\n    txt: Fixed.\n"),
        "6: error: unknown key 'txt' in 'corrections' (did you mean 'text'?)",
    ),
    "correction without text": (
        article_file(GOOD + "corrections:\n  - date: 2024-06-20\n"),
        "5: error: entry of 'corrections' needs 'text'",
    ),
    "correction without a date": (
        article_file(GOOD + "corrections:\n  - text: Fixed.\n"),
        "5: error: entry of 'corrections' needs 'date'",
    ),
    "correction before the article": (
        article_file(GOOD + "corrections:\n  - text: Fixed.\n    date: 2024-06-18\n"),
        "6: error: correction dated 2024-06-18 is before 'date' (2024-06-19)",
    ),
    "correction that is not a mapping": (
        article_file(GOOD + "corrections:\n  - Fixed the date.\n"),
        "5: error: entry of 'corrections' must be a mapping with 'date' and 'text', "
        "found 'Fixed the date.'",
    ),
    "correction with an impossible date": (
        article_file(GOOD + "corrections:\n  - {date: 2024-06-31, text: Fixed.}\n"),
        "5: error: 'corrections.date': impossible date '2024-06-31'",
    ),
    "correction with empty text": (
        article_file(GOOD + "corrections:\n  - {date: 2024-06-20, text: ' '}\n"),
        "5: error: 'corrections.text' is empty",
    ),
    "related with both url and ref": (
        article_file(GOOD + "related:\n  - {ref: x, url: 'https://example.org/'}\n"),
        "5: error: entry of 'related' has both 'url' and 'ref' (keep one of them)",
    ),
    "source with nothing to cite": (
        article_file(GOOD + "sources:\n  - {date: 2024}\n"),
        "5: error: entry of 'sources' needs a 'title' or 'source'",
    ),
    "impossible source date": (
        article_file(GOOD + "sources:\n  - {title: x, date: 2024-02-30}\n"),
        "5: error: 'sources.date': impossible date '2024-02-30'",
    ),
    "malformed source date": (
        article_file(GOOD + "sources:\n  - {title: x, date: June}\n"),
        "5: error: 'sources.date': expected 2024, 2024-06 or 2024-06-19, got 'June'",
    ),
    "YAML alias bomb": (
        article_file(GOOD + "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"),
        "5: error: YAML aliases (*a) are not allowed (write the value out in full;",
    ),
    "50,000-deep nesting": (
        article_file(GOOD + "tags: " + "[" * 50_000 + "]" * 50_000 + "\n"),
        "4: error: YAML nested more than 32 levels deep",
    ),
    "python tag": (
        article_file(GOOD + "summary: !!python/object/apply:os.system [ls]\n"),
        "4: error: YAML tag '!!python/object/apply:os.system' is not allowed",
    ),
    "NO where text is expected": (
        article_file("title: NO\ndate: 2024-06-19\n"),
        "2: error: 'title': 'NO' is read by YAML as the boolean false; "
        'quote it ("NO") if you mean the text',
    ),
    "NO in a list of tags": (
        article_file(GOOD + "tags: [Norway, NO]\n"),
        "4: error: entry of 'tags': 'NO' is read by YAML as the boolean false",
    ),
    "12:30 where text is expected": (
        article_file("title: 12:30\ndate: 2024-06-19\n"),
        "2: error: 'title': '12:30' is read by YAML as the number 750",
    ),
    "duplicate key": (
        article_file(GOOD + "title: Again\n"),
        "4: error: duplicate key 'title' (first defined on line 2)",
    ),
    "empty tag": (article_file(GOOD + "tags: [Aurus, '']\n"), "4: error: entry of 'tags' is empty"),
    "unknown language": (
        article_file(GOOD + "lang: xx\n"),
        "4: error: unknown language 'xx' (a BCP 47 code such as en or id)",
    ),
    "language in a locale's spelling": (
        article_file(GOOD + "lang: en_US.UTF-8\n"),
        "4: error: unknown language 'en_US.UTF-8'",
    ),
    "draft as text": (
        article_file(GOOD + "draft: 'true'\n"),
        "4: error: 'draft' must be true or false",
    ),
    "about that is no date": (
        article_file(GOOD + "about: last winter\n"),
        "4: error: 'about': expected 2024, 2024-06 or 2024-06-19, got 'last winter'",
    ),
    "about on an impossible day": (
        article_file(GOOD + "about: 2024-02-30\n"),
        "4: error: 'about': impossible date '2024-02-30'",
    ),
    "about as a list": (
        article_file(GOOD + "about: [2024-02]\n"),
        "4: error: 'about': expected text, found a list",
    ),
    "events in an article": (
        article_file(GOOD + "events: []\n"),
        "4: error: unknown key 'events' ('events' is for topics, not articles)",
    ),
}


@pytest.mark.parametrize("text, expected", ERRORS.values(), ids=ERRORS.keys())
def test_each_mistake_is_reported_at_its_line(text, expected):
    errors = article_errors(text)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{ART}:{expected}"), errors


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024", PartialDate(2024)),
        ("2024-02", PartialDate(2024, 2)),
        ("'2024-02'", PartialDate(2024, 2)),
        ("2023-09-13", PartialDate(2023, 9, 13)),
    ],
)
def test_about_is_a_date_as_precise_as_known(written, expected):
    found = article(GOOD + f"about: {written}\n")
    assert (found.about, found.about_line) == (expected, 4)


def test_without_about_an_article_is_about_its_publication():
    assert article(GOOD).about is None


def test_deep_nesting_fails_fast():
    text = article_file(GOOD + "tags: " + "[" * 50_000 + "\n")
    started = time.perf_counter()
    errors = article_errors(text)
    assert time.perf_counter() - started < 5
    assert errors == [f"{ART}:4: error: YAML nested more than 32 levels deep"]


def test_every_problem_of_a_file_is_reported_at_once():
    text = article_file(
        "title: NO\ndate: 2024-02-30\ntags: {a: b}\nslug: ../x\ncolour: red\n"
        "related:\n  - 'javascript:x'\n"
    )
    assert [e.split(": error: ")[0] for e in article_errors(text)] == [
        f"{ART}:{line}" for line in (2, 3, 4, 5, 6, 8)
    ]


# -- what a valid file reads as ----------------------------------------------------------------


def test_a_complete_article():
    result = article(
        "title: Putin and Kim sign a pact\n"  # 2
        "date: 2024-06-19T10:30:00+09:00\n"  # 3
        "updated: 2024-06-20\n"  # 4
        "summary: >\n  A mutual defence\n  treaty.\n"  # 5-7
        "topics: [sanctions, Russia–North Korea relations]\n"  # 8
        "tags:\n  - Kim Jong-un\n  - Aurus\n"  # 9-11
        "related:\n"  # 12
        "  - https://example.org/analysis\n"  # 13
        "  - {ref: first-meeting}\n"  # 14
        "  - title: Treaty text\n    url: https://example.org/treaty\n"  # 15-16
        "    source: KCNA\n    date: 2024-06\n    archive: https://archive.example.org/x\n"
        "sources:\n  - {source: TASS, title: Report, date: '2024-06-19'}\n"  # 20-21
        "lang: id\n"  # 22
        "authors: [Desk, Ana]\n"  # 23
        "draft: false\n"  # 24
        "slug: putin-kim-pact\n"  # 25
        "aliases: [/2024/pact/, old/pact.html]\n"  # 26
    )
    assert (result.path, result.slug, result.title, result.title_line) == (
        ART,
        "putin-kim-pact",
        "Putin and Kim sign a pact",
        2,
    )
    assert result.date == datetime(2024, 6, 19, 10, 30, tzinfo=timezone(timedelta(hours=9)))
    assert (result.date_has_time, result.date_line) == (True, 3)
    assert result.updated == datetime(2024, 6, 20, tzinfo=JAKARTA)
    assert result.updated_has_time is False
    assert (result.summary, result.summary_line) == ("A mutual defence treaty.", 5)
    assert result.topics == (Ref("sanctions", 8), Ref("Russia–North Korea relations", 8))
    assert result.tags == (Ref("Kim Jong-un", 10), Ref("Aurus", 11))
    assert result.related == (
        LinkSpec(13, url="https://example.org/analysis"),
        LinkSpec(14, ref=Ref("first-meeting", 14)),
        LinkSpec(
            15,
            title="Treaty text",
            url="https://example.org/treaty",
            source="KCNA",
            date=PartialDate(2024, 6),
            archive="https://archive.example.org/x",
        ),
    )
    assert result.sources == (
        LinkSpec(21, title="Report", source="TASS", date=PartialDate(2024, 6, 19)),
    )
    assert (result.lang, result.authors, result.draft) == ("id", ("Desk", "Ana"), False)
    assert result.aliases == (Ref("2024/pact/", 26), Ref("old/pact.html", 26))
    assert (result.body, result.body_line) == ("Body.\n", 28)


@pytest.mark.parametrize(
    "written, expected, has_time",
    [
        ("2024-06-19", datetime(2024, 6, 19, tzinfo=JAKARTA), False),
        ("'2024-06-19'", datetime(2024, 6, 19, tzinfo=JAKARTA), False),
        ("2024-06-19T10:30", datetime(2024, 6, 19, 10, 30, tzinfo=JAKARTA), True),
        ("2024-06-19 10:30:00+07:00", datetime(2024, 6, 19, 3, 30, tzinfo=UTC), True),
        ("2024-06-19T03:30:00Z", datetime(2024, 6, 19, 3, 30, tzinfo=UTC), True),
        ("2024-06-19T03:30:00.25-0130", datetime(2024, 6, 19, 5, 0, 0, 250000, tzinfo=UTC), True),
    ],
)
def test_dates_are_aware_and_naive_ones_are_in_the_site_timezone(written, expected, has_time):
    result = article(f"title: x\ndate: {written}\n")
    assert result.date == expected
    assert result.date.tzinfo is not None
    assert result.date_has_time is has_time


def test_parse_date_distinguishes_malformed_from_impossible():
    with pytest.raises(DateProblem, match="expected a date"):
        parse_date("19/06/2024", UTC)
    with pytest.raises(DateProblem, match="impossible date"):
        parse_date("2024-04-31", UTC)
    with pytest.raises(DateProblem, match="impossible time"):
        parse_date("2024-04-30T10:00+25:00", UTC)


def test_updated_the_same_day_without_a_time_is_not_before_a_timed_date():
    result = article("title: x\ndate: 2024-06-19T18:00\nupdated: 2024-06-19\n")
    assert result.updated == datetime(2024, 6, 19, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    "file_name, slug",
    [
        ("summit.md", "summit"),
        ("2024 Kim Visit!.md", "2024-kim-visit"),
        ("Ülke_Haber.md", "ulke-haber"),
    ],
)
def test_slug_defaults_to_the_file_name(file_name, slug):
    assert article(GOOD, path=f"content/articles/2024/{file_name}").slug == slug


def test_a_file_name_too_long_for_a_slug_needs_a_slug_key():
    path = "content/articles/" + "北" * 60 + ".md"
    errors = article_errors(article_file(GOOD), path=path)
    assert errors == [
        f"{path}:1: error: the slug made from the file name is too long: 239 bytes, at most 200 "
        "(add a shorter 'slug' key)"
    ]
    assert article(GOOD + "slug: bei\n", path=path).slug == "bei"


def test_unicode_aliases_are_paths():
    result = article(GOOD + "aliases: [/новости/саммит/, /समाचार/, /a~b/c_d.html, /x-é/]\n")
    assert [a.text for a in result.aliases] == [
        "новости/саммит/",
        "समाचार/",
        "a~b/c_d.html",
        "x-é/",
    ]


def test_tags_keep_invisible_characters_as_written_but_compare_without_them():
    persian = "\u06a9\u0627\u0631\u200c\u0647\u0627"  # a zero-width non-joiner is spelling
    result = article(GOOD + f'tags: ["Kim\\u200bJong-un", "{persian}"]\n')
    assert result.tags == (Ref("Kim\u200bJong-un", 4), Ref(persian, 4))
    assert tag_key(result.tags[0].text) == tag_key("KimJong-un")


def test_a_tag_of_invisible_characters_only_is_empty():
    errors = article_errors(article_file(GOOD + 'tags: ["\\u200b\\u2060"]\n'))
    assert errors == [f"{ART}:4: error: entry of 'tags' is empty"]


def test_a_file_name_with_no_slug_in_it_needs_a_slug_key():
    errors = article_errors(article_file(GOOD), path="content/articles/___.md")
    assert errors == [
        "content/articles/___.md:1: error: cannot make a URL slug from the file name '___' "
        "(add a 'slug' key)"
    ]
    assert article(GOOD + "slug: fine\n", path="content/articles/___.md").slug == "fine"


def test_a_single_string_is_a_list_of_one():
    result = article(GOOD + "tags: Aurus\nauthors: Desk\nrelated: https://example.org/\n")
    assert result.tags == (Ref("Aurus", 4),)
    assert result.authors == ("Desk",)
    assert result.related == (LinkSpec(6, url="https://example.org/"),)


def test_keys_left_empty_mean_not_given():
    result = article(GOOD + "tags:\nsummary:\nupdated:\nrelated: []\n")
    assert (result.tags, result.summary, result.updated, result.related) == ((), None, None, ())


def test_numbers_and_quoted_yaml_words_are_text():
    result = article("title: 1984\ndate: 2024-06-19\ntags: ['NO', '12:30', 2024]\n")
    assert result.title == "1984"
    assert [t.text for t in result.tags] == ["NO", "12:30", "2024"]


def test_language_is_kept_as_a_bcp47_tag():
    assert article(GOOD + "lang: pt_BR\n").lang == "pt-BR"
    assert article(GOOD + "lang: zh-Hant-TW\n").lang == "zh-Hant-TW"


def test_mailto_and_url_only_citations_are_accepted():
    result = article(
        GOOD + "sources:\n  - {url: 'mailto:desk@example.org'}\n  - {url: 'HTTPS://X.ORG/'}\n"
    )
    assert [s.url for s in result.sources] == ["mailto:desk@example.org", "HTTPS://X.ORG/"]


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://example.org/a b", None),
        ("javascript:alert(1)", "'javascript:'"),
        ("\x00javascript:alert(1)", "'javascript:'"),
        ("java\nscript:alert(1)", "'javascript:'"),
        ("  JAVASCRIPT:alert(1)", "'javascript:'"),
        ("data:text/html,x", "'data:'"),
        ("vbscript:x", "'vbscript:'"),
        ("file:///etc/passwd", "'file:'"),
        ("https://example.org/\x07", "control characters"),
        ("//example.org/x", "full URL"),
        ("javascript&#58;alert(1)", "full URL"),
    ],
)
def test_url_problem(url, problem):
    found = url_problem(url)
    assert found is None if problem is None else problem in found


def test_drafts_are_read_with_their_flag():
    assert article(GOOD + "draft: true\n").draft is True


# -- splitting -------------------------------------------------------------------------------


def test_split_keeps_file_lines():
    front, errors = split_front_matter("---\ntitle: x\n---\nline four\n", ART)
    assert errors == []
    assert front is not None
    assert (front.yaml, front.yaml_line, front.body, front.body_line) == (
        "title: x",
        2,
        "line four\n",
        4,
    )


@pytest.mark.parametrize(
    "text",
    [
        "---\r\ntitle: x\r\n---\r\nline four\r\n",
        "\ufeff---\ntitle: x\n---\nline four\n",
        "---  \ntitle: x\n...\nline four\n",
    ],
    ids=["CRLF", "BOM", "dots and trailing spaces"],
)
def test_split_tolerates_line_endings_bom_and_yaml_end_marker(text):
    front, errors = split_front_matter(text, ART)
    assert errors == []
    assert front is not None
    assert (front.yaml, front.body, front.body_line) == ("title: x", "line four\n", 4)


def test_errors_in_a_crlf_file_point_at_the_right_line():
    text = "---\r\ntitle: x\r\ndate: 2024-02-30\r\n---\r\n"
    assert article_errors(text) == [
        f"{ART}:3: error: 'date': impossible date '2024-02-30' (day is out of range for month)"
    ]


# -- topics --------------------------------------------------------------------------------


def test_a_complete_topic():
    text = (
        "---\ntitle: Sanctions\nsummary: Measures.\nrelated_topics: [arms-trade]\n"
        "aliases: [Sanksi]\nlang: en\nkey_facts:\n  - '**2006**: first UN sanctions'\n"
        "pinned: [putin-kim-pact]\n---\nIntro.\n"
    )
    topic, errors = parse_topic(text, TOPIC)
    assert errors == []
    assert topic is not None
    assert (topic.slug, topic.title, topic.summary, topic.lang) == (
        "sanctions",
        "Sanctions",
        "Measures.",
        "en",
    )
    assert topic.related_topics == (Ref("arms-trade", 4),)
    assert topic.aliases == (Ref("Sanksi", 5),)
    assert topic.key_facts == (Ref("**2006**: first UN sanctions", 8),)
    assert topic.pinned == (Ref("putin-kim-pact", 9),)
    assert (topic.body, topic.body_line) == ("Intro.\n", 11)


@pytest.mark.parametrize(
    "path, text, expected",
    [
        (TOPIC, "---\nsummary: x\n---\n", f"{TOPIC}:1: error: missing required key 'title'"),
        (
            TOPIC,
            "---\ntitle: x\ndate: 2024-06-19\n---\n",
            f"{TOPIC}:3: error: unknown key 'date' ('date' is for articles, not topics)",
        ),
        (
            TOPIC,
            "---\ntitle: x\nkey_facts:\n  fact: one\n---\n",
            f"{TOPIC}:3: error: 'key_facts' must be a list, found a mapping",
        ),
        (
            "content/topics/Arms Trade.md",
            "---\ntitle: x\n---\n",
            "content/topics/Arms Trade.md:1: error: topic file name 'Arms Trade' is not a valid "
            "slug (rename it to 'arms-trade.md')",
        ),
        (TOPIC, "---\ntitle: [\n---\n", f"{TOPIC}:2: error: invalid YAML"),
        (
            "content/topics/" + "a" * 201 + ".md",
            "---\ntitle: x\n---\n",
            "content/topics/"
            + "a" * 201
            + ".md:1: error: topic file name '"
            + "a" * 40
            + "…' is too long: 201 bytes, at most 200 (rename it)",
        ),
        (
            TOPIC,
            '---\ntitle: x\naliases: ["\\x00"]\n---\n',
            f"{TOPIC}:3: error: text contains the control character U+0000",
        ),
    ],
)
def test_topic_mistakes(path, text, expected):
    topic, errors = parse_topic(text, path)
    assert topic is None
    assert len(errors) == 1
    assert str(errors[0]).startswith(expected)


def test_a_topics_events_keep_their_order_and_lines():
    text = (
        "---\ntitle: Relations\nevents:\n"
        "  - date: 2024-06-19\n    text: Putin visits [[Pyongyang]]\n"
        "    refs: [putin-arrives, Gifts exchanged]\n"
        "  - {date: 2023-09, text: Kim at Vostochny}\n---\nIntro.\n"
    )
    topic, errors = parse_topic(text, TOPIC)
    assert errors == []
    assert topic is not None
    assert topic.events == (
        Event(
            PartialDate(2024, 6, 19),
            "Putin visits [[Pyongyang]]",
            (Ref("putin-arrives", 6), Ref("Gifts exchanged", 6)),
            4,
            5,
        ),
        Event(PartialDate(2023, 9), "Kim at Vostochny", (), 7, 7),
    )


EVENT_ERRORS = {
    "unknown key": (
        "events:\n  - date: 2023-09\n    txt: Kim at Vostochny\n",
        ["5: error: unknown key 'txt' in 'events' (did you mean 'text'?)"],
    ),
    "no date": (
        "events:\n  - text: Kim at Vostochny\n",
        ["4: error: entry of 'events' needs 'date' (e.g. - {date: 2023-09, text: "],
    ),
    "no text": ("events:\n  - {date: 2023}\n", ["4: error: entry of 'events' needs 'text'"]),
    "a bad date": (
        "events:\n  - {date: Sept 2023, text: Kim}\n",
        ["4: error: 'events.date': expected 2024, 2024-06 or 2024-06-19, got 'Sept 2023'"],
    ),
    "an impossible date": (
        "events:\n  - {date: 2023-13, text: Kim}\n",
        ["4: error: 'events.date': impossible date '2023-13'"],
    ),
    "empty text": (
        "events:\n  - {date: 2023, text: ''}\n",
        ["4: error: 'events.text' is empty"],
    ),
    "a line, not a mapping": (
        "events:\n  - 2023-09 Kim at Vostochny\n",
        ["4: error: entry of 'events' must be a mapping with 'date' and 'text', found '2023-09"],
    ),
    "refs as a mapping": (
        "events:\n  - date: 2023\n    text: Kim\n    refs: {a: b}\n",
        ["6: error: 'events.refs' must be a list, found a mapping"],
    ),
    "a mapping, not a list": (
        "events:\n  date: 2023\n",
        ["3: error: 'events' must be a list, found a mapping"],
    ),
    "every entry's problems at once": (
        "events:\n  - {date: 2023}\n  - {date: 2024-02, text: Gift, ref: [x]}\n",
        [
            "4: error: entry of 'events' needs 'text'",
            "5: error: unknown key 'ref' in 'events' (did you mean 'refs'?)",
        ],
    ),
    "about in a topic": (
        "about: 2024\n",
        ["3: error: unknown key 'about' ('about' is for articles, not topics)"],
    ),
}


@pytest.mark.parametrize(("front", "expected"), EVENT_ERRORS.values(), ids=EVENT_ERRORS.keys())
def test_each_mistake_in_events_is_reported_at_its_line(front, expected):
    topic, errors = parse_topic(f"---\ntitle: Relations\n{front}---\n", TOPIC)
    assert topic is None
    assert len(errors) == len(expected), [str(e) for e in errors]
    for error, start in zip(errors, expected, strict=True):
        assert str(error).startswith(f"{TOPIC}:{start}"), str(error)


# -- author files ------------------------------------------------------------------------------

AUTHOR = "content/authors/ana-writer.md"

AUTHOR_ERRORS = {
    "no name": ("role: Correspondent\n", "1: error: missing required key 'name'"),
    "an empty name": ("name: ''\n", "2: error: 'name' is empty"),
    "a title instead of a name": (
        "name: Ana\ntitle: Ana\n",
        "3: error: unknown key 'title' (an author file takes 'name' and 'bio')",
    ),
    "an unknown key": ("name: Ana\nemail: a@example.org\n", "3: error: unknown key 'email'"),
    "a link that is no URL": (
        "name: Ana\nlinks:\n  - example.org/ana\n",
        "4: error: entry of 'links' must be a full URL starting with https://, "
        "got 'example.org/ana' (e.g. https://example.org/staff/jane-doe)",
    ),
    "a javascript link": (
        "name: Ana\nlinks:\n  - {title: Me, url: 'javascript:alert(1)'}\n",
        "4: error: 'links.url' uses the 'javascript:' scheme, which is not allowed",
    ),
    "a link without url": (
        "name: Ana\nlinks:\n  - {title: Me}\n",
        "4: error: entry of 'links' needs 'url'",
    ),
    "a misspelt link key": (
        "name: Ana\nlinks:\n  - {title: Me, ulr: 'https://example.org/'}\n",
        "4: error: unknown key 'ulr' in 'links' (did you mean 'url'?)",
    ),
    "links as a mapping": (
        "name: Ana\nlinks: {url: 'https://example.org/'}\n",
        "3: error: 'links' must be a list, found a mapping",
    ),
    "a role that is a list": ("name: Ana\nrole: [a, b]\n", "3: error: 'role': expected text"),
    "an unknown language": ("name: Ana\nlang: xx-nowhere-9\n", "3: error: unknown language"),
}


@pytest.mark.parametrize(("front", "expected"), AUTHOR_ERRORS.values(), ids=AUTHOR_ERRORS.keys())
def test_each_mistake_in_an_author_file_is_reported_at_its_line(front, expected):
    result, errors = parse_author(article_file(front), AUTHOR)
    assert result is None
    assert len(errors) == 1, [str(e) for e in errors]
    assert str(errors[0]).startswith(f"{AUTHOR}:{expected}"), str(errors[0])


def test_an_author_file_name_must_be_a_slug():
    result, errors = parse_author(article_file("name: Ana\n"), "content/authors/Ana W.md")
    assert result is None
    assert [str(e) for e in errors] == [
        "content/authors/Ana W.md:1: error: author file name 'Ana W' is not a valid slug "
        "(rename it to 'ana-w.md')"
    ]


def test_a_complete_author():
    text = article_file(
        "name: Ana Writer\nrole: Correspondent in Seoul\nbio: Ana covers the peninsula.\n"
        "links:\n  - https://social.example/@ana\n"
        "  - {title: Profile, url: 'https://example.org/staff/ana'}\nlang: id\n",
        "She has reported since 2019.\n",
    )
    author, errors = parse_author(text, AUTHOR)
    assert errors == [] and author is not None
    assert (author.slug, author.title, author.title_line) == ("ana-writer", "Ana Writer", 2)
    assert (author.role, author.summary, author.summary_line) == (
        "Correspondent in Seoul",
        "Ana covers the peninsula.",
        4,
    )
    assert author.links == (
        LinkSpec(6, url="https://social.example/@ana"),
        LinkSpec(7, title="Profile", url="https://example.org/staff/ana"),
    )
    assert (author.lang, author.body, author.body_line) == (
        "id",
        "She has reported since 2019.\n",
        10,
    )


def test_an_empty_bio_and_role_mean_none():
    author, errors = parse_author(article_file("name: Ana\nrole: ''\nbio: ''\n"), AUTHOR)
    assert errors == [] and author is not None
    assert (author.role, author.summary, author.summary_line) == (None, None, None)


def test_an_articles_authors_keep_their_lines():
    result = article(GOOD + "authors:\n  - Ana Writer\n  - Bo\n")
    assert (result.authors, result.author_lines) == (("Ana Writer", "Bo"), (5, 6))
