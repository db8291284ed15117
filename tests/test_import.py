"""``dossier import``: a report in, the exact draft out, and a site that builds with it.

Each fixture in ``tests/fixtures/import/`` is a report (pasted text in English and
Indonesian, a saved page) next to the draft it must become (``<name>.expected.md``); the
test site (``site/``) has the article and topics their related boxes should point at,
spelt differently.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup

from dossierpress.cli import main

from .support.cli import run_cli
from .support.files import TESTS, tree_bytes, write_files

FIXTURES = TESTS / "fixtures" / "import"
IMPORT_DAY = "2026-12-02"  # a Wednesday
TRAM = (
    "content/articles/2024/06/"
    "riverton-council-approves-northern-tram-line-after-a-decade-of-delays.md"
)
FLOOD = "content/articles/2026/11/tanggul-baru-kali-lestari-lolos-uji-coba-jelang-musim-hujan.md"
BUSES = "content/articles/2024/06/riverton-launches-its-first-night-bus-network.md"

CASES = [
    ("tram-en.txt", ["--topic", "northern tram line", "--tag", "Mara Quill"], TRAM),
    ("flood-id.txt", ["--topic", "Pertahanan banjir"], FLOOD),
    ("night-buses-en.html", ["--tag", "Buses"], BUSES),
]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the test site in ``site/``, and the reports beside it, the current folder."""
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    for report in FIXTURES.glob("*.*"):
        if not report.name.endswith(".expected.md"):
            shutil.copy(report, tmp_path / report.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "site"


def import_(*args: str | Path):
    return run_cli("import", *args, "--source", "site")


def stdin_holds(monkeypatch: pytest.MonkeyPatch, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def front_matter(text: str) -> str:
    return text.split("\n---\n", 1)[0]


# -- the fixtures, file for file --------------------------------------------------------------


@pytest.mark.smoke
@pytest.mark.parametrize(("report", "options", "written"), CASES, ids=[c[0] for c in CASES])
def test_a_report_becomes_exactly_the_expected_draft(site, report, options, written):
    result = import_(report, "--date", IMPORT_DAY, *options)
    assert (result.code, result.err) == (0, "")
    assert result.out == f"site/{written}\n"
    expected = (FIXTURES / report).with_suffix(".expected.md").read_text(encoding="utf-8")
    assert (site / written).read_text(encoding="utf-8") == expected


def test_the_drafts_build_and_read_as_the_report_was_written(site, tmp_path):
    for report, options, _written in CASES:
        assert import_(report, "--date", IMPORT_DAY, *options).code == 0
    out = tmp_path / "out"
    result = run_cli("--source", site, "--drafts", "--no-search", "--output", out, "-q")
    assert (result.code, result.err) == (0, "")
    page = BeautifulSoup(
        (out / "2024/06" / Path(TRAM).stem / "index.html").read_text(), "html.parser"
    )
    paragraphs = [p.get_text() for p in page.select("article p")]
    assert "#SaveOurBuses, the campaign that collected 4,000 signatures" in " ".join(paragraphs)
    for literal in (
        "eight new stops*, and",
        "2027. That is the year",
        "the bus_priority scheme",
        "> 60% of the residents",
        "at <riverton.example.org/tram> or by email to tram_consultation@riverton.example.org",
        "the reference [NT-2024].",
        '"This is a line people have asked for since 2014," said',
    ):
        assert any(literal in text for text in paragraphs), literal
    links = {a.get_text(strip=True): a["href"] for a in page.select("a[href]")}
    assert links["Flood barrier test passes ahead of winter storms"].endswith(
        "/2024/05/flood-barrier-test-passes/"
    )
    assert links["Northern Tram Line"].endswith("/topics/northern-tram-line/")


@pytest.mark.smoke
def test_the_drafts_pass_check_but_for_what_is_left_to_the_editor(site):
    for report, options, _written in CASES:
        assert import_(report, "--date", IMPORT_DAY, *options).code == 0
    result = run_cli("check", "--source", site, "--drafts", "--no-cache", "--format", "json")
    assert result.code == 0, result.out
    problems = [json.loads(line) for line in result.out.splitlines()]
    assert all(p["severity"] != "error" for p in problems), problems
    imported = {written for _report, _options, written in CASES}
    # What is left to the editor: the related headlines the site does not have yet, a
    # topic for the report imported without --topic, and the saved page's reporters, whom
    # the site has no author file for (credit them with one, or name the site's own).
    left = {(p["path"], p["message"].split(" '")[0].split(":")[0]) for p in problems}
    assert {msg for path, msg in left if path in imported} == {
        "related headline",
        "article is in no topic",
        "unknown author",
    }
    assert (BUSES, "article is in no topic") in left


def test_without_drafts_the_site_builds_as_before(site, tmp_path):
    before = run_cli("--source", site, "--no-search", "--output", tmp_path / "before", "-q")
    assert import_("tram-en.txt", "--date", IMPORT_DAY).code == 0
    after = run_cli("--source", site, "--no-search", "--output", tmp_path / "after", "-q")
    assert before.code == after.code == 0
    assert tree_bytes(tmp_path / "before").keys() == tree_bytes(tmp_path / "after").keys()


# -- where it writes ---------------------------------------------------------------------------


def test_an_existing_file_is_never_overwritten(site):
    assert import_("tram-en.txt", "--date", IMPORT_DAY).code == 0
    (site / TRAM).write_text("the editor's work\n", encoding="utf-8")
    result = import_("tram-en.txt", "--date", IMPORT_DAY)
    assert result.code == 1 and result.out == ""
    assert result.err == (
        f"error: {TRAM} exists already; nothing written (was this report imported before? "
        "edit that file, or move it away and import again)\n"
    )
    assert (site / TRAM).read_text(encoding="utf-8") == "the editor's work\n"


def test_an_article_at_the_same_address_elsewhere_is_refused(site):
    write_files(
        site,
        {
            "content/articles/misc/tram.md": '---\ntitle: "Tram"\ndate: 2024-06-02\n'
            "slug: riverton-council-approves-northern-tram-line-after-a-decade-of-delays\n---\nB.\n"
        },
    )
    result = import_("tram-en.txt", "--date", IMPORT_DAY)
    assert result.code == 1
    assert result.err.splitlines() == [
        "error: content/articles/misc/tram.md has the address 2024/06/riverton-council-approves-"
        "northern-tram-line-after-a-decade-of-delays/ already; nothing written (edit that "
        "article, or change the headline)"
    ]
    assert not (site / TRAM).exists()


def test_quiet_still_prints_the_path_of_the_draft(site):
    result = import_("flood-id.txt", "--date", IMPORT_DAY, "-q")
    assert (result.code, result.out, result.err) == (0, f"site/{FLOOD}\n", "")


# -- topics and tags ---------------------------------------------------------------------------


def test_topics_are_checked_and_written_by_slug(site):
    result = import_(
        "tram-en.txt", "--date", IMPORT_DAY, "--topic", "CITY BUDGET", "--topic", "city-budget",
        "--topic", "Jalur trem utara", "--tag", "Trams", "--tag", "trams",
    )  # fmt: skip
    assert result.code == 0, result.err
    text = (site / TRAM).read_text(encoding="utf-8")
    assert '\ntopics: ["city-budget", "northern-tram-line"]\ntags: ["Trams"]\n' in text


def test_an_unknown_topic_says_which_one_was_meant_and_writes_nothing(site):
    before = tree_bytes(site)
    result = import_("tram-en.txt", "--topic", "City budjet", "--topic", "Weather")
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines() == [
        "error: unknown topic 'City budjet' given with --topic (did you mean 'City budget'?)",
        "error: unknown topic 'Weather' given with --topic "
        "(name a topic by its slug, title or an alias (see content/topics/))",
    ]
    assert tree_bytes(site) == before


def test_every_problem_is_told_at_once(site):
    (site.parent / "empty.txt").write_text("\n  \n", encoding="utf-8")
    result = import_("empty.txt", "--topic", "Sanctions", "--tag", "!!!", "--date", "tomorrow")
    assert result.code == 1
    assert result.err.splitlines() == [
        "error: unknown topic 'Sanctions' given with --topic "
        "(name a topic by its slug, title or an alias (see content/topics/))",
        "error: tag '!!!' given with --tag has no letters or digits",
        "error: --date: expected a date, got 'tomorrow' (e.g. 2024-06-19 or 2024-06-19T10:30)",
        "empty.txt:1: error: the report is empty",
    ]


# -- standard input and dates ------------------------------------------------------------------

WEEKDAY_REPORT = """\
Warga Riverton antre tiket trem perdana
Ratusan warga sudah antre sejak subuh di Stasiun Northgate pada {day}, menurut Harian Contoh.
"""


@pytest.mark.parametrize(
    ("day", "expected", "folder"),
    [
        ("Rabu (19/6)", "2024-06-19", "2024/06"),  # 19 June 2026 is a Friday, 2025 a Thursday
        ("Jumat (19/6)", "2026-06-19", "2026/06"),  # the year of the import itself
        ("Rabu (2/12)", "2026-12-02", "2026/12"),  # the day of the import
        ("Rabu (19/6/2024)", "2024-06-19", "2024/06"),
    ],
)
def test_a_pasted_report_is_dated_from_its_weekday(site, monkeypatch, day, expected, folder):
    stdin_holds(monkeypatch, WEEKDAY_REPORT.format(day=day))
    result = import_("-", "--date", IMPORT_DAY)
    path = f"content/articles/{folder}/warga-riverton-antre-tiket-trem-perdana.md"
    assert (result.code, result.out) == (0, f"site/{path}\n"), result.err
    text = (site / path).read_text(encoding="utf-8")
    assert f"# date: from '{day}' in the text\n" in text
    assert f"\ndate: {expected}\n" in text
    assert text.startswith("---\n# Imported from standard input: check it against the report")


def test_a_weekday_date_says_how_it_was_counted(site, monkeypatch):
    stdin_holds(monkeypatch, WEEKDAY_REPORT.format(day="Rabu (19/6)"))
    assert import_("-", "--date", IMPORT_DAY).code == 0
    text = (
        site / "content/articles/2024/06/warga-riverton-antre-tiket-trem-perdana.md"
    ).read_text()
    assert (
        "# date: from 'Rabu (19/6)' in the text\n"
        "# (the latest Wednesday 19 June on or before 2026-12-02, the day of the import)\n"
        "date: 2024-06-19\n"
    ) in text


def test_a_report_stating_no_date_takes_the_day_given(site, monkeypatch):
    stdin_holds(monkeypatch, "Trem perdana\nRatusan warga sudah antre sejak subuh.\n")
    assert import_("-", "--date", IMPORT_DAY).code == 0
    text = (site / "content/articles/2026/12/trem-perdana.md").read_text(encoding="utf-8")
    assert (
        "# date: the day of the import (--date); the text gives none\ndate: 2026-12-02\n"
    ) in text


def test_a_report_stating_no_date_takes_the_time_of_the_import(site, monkeypatch):
    stdin_holds(monkeypatch, "Trem perdana\nRatusan warga sudah antre sejak subuh.\n")
    zone = ZoneInfo("Asia/Jakarta")
    before = datetime.now(zone).replace(second=0, microsecond=0)
    result = import_("-")
    after = datetime.now(zone)
    assert result.code == 0, result.err
    path = next((site / "content/articles").glob("*/*/trem-perdana.md"))
    text = path.read_text(encoding="utf-8")
    match = re.search(r"# date: the time of the import; the text gives none\ndate: (\S+)\n", text)
    assert match, text
    written = datetime.fromisoformat(match[1])
    assert match[1].endswith(":00+07:00")  # in the site timezone, to the minute
    assert before <= written <= after + timedelta(minutes=1)


def test_a_date_after_the_import_is_not_the_reports(site, monkeypatch):
    report = "Trem perdana\nUji coba dijadwalkan 19 Januari 2027; tiket dijual sejak Rabu (19/6).\n"
    stdin_holds(monkeypatch, report)
    assert import_("-", "--date", IMPORT_DAY).code == 0
    assert (site / "content/articles/2024/06/trem-perdana.md").is_file()


def test_a_page_read_from_standard_input_is_read_as_a_page(site, monkeypatch):
    stdin_holds(monkeypatch, (site.parent / "night-buses-en.html").read_bytes())
    result = import_("-", "--date", IMPORT_DAY, "--tag", "Buses")
    assert (result.code, result.out) == (0, f"site/{BUSES}\n"), result.err
    expected = (FIXTURES / "night-buses-en.expected.md").read_text(encoding="utf-8")
    written = (site / BUSES).read_text(encoding="utf-8")
    assert written == expected.replace("from night-buses-en.html:", "from standard input:")


# -- language ----------------------------------------------------------------------------------


def test_lang_is_written_only_when_it_is_not_the_sites(site):
    assert import_("tram-en.txt", "--date", IMPORT_DAY).code == 0
    assert import_("flood-id.txt", "--date", IMPORT_DAY).code == 0
    assert "\nlang:" not in front_matter((site / TRAM).read_text())  # en is the site's en-GB
    assert '\nlang: "id"\n' in front_matter((site / FLOOD).read_text())
    (site / "site.yaml").write_text("title: T\nlanguage: id\ntimezone: Asia/Jakarta\n")
    (site / FLOOD).unlink()
    (site / TRAM).unlink()
    assert import_("flood-id.txt", "--date", IMPORT_DAY).code == 0
    assert import_("tram-en.txt", "--date", IMPORT_DAY).code == 0
    assert "\nlang:" not in front_matter((site / FLOOD).read_text())
    assert '\nlang: "en"\n' in front_matter((site / TRAM).read_text())


# -- what cannot be imported -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        (
            "missing.txt",
            None,
            "missing.txt:1: error: cannot read this file: No such file or directory",
        ),
        ("folder.txt", "folder", "folder.txt:1: error: cannot read this file: it is a folder"),
        ("empty.txt", b"", "empty.txt:1: error: the report is empty"),
        (
            "latin1.txt",
            "Headline\nDek\n\nCaf\xe9 owners protest\n".encode("latin-1"),
            "latin1.txt:4: error: not valid UTF-8 (save the report with UTF-8 encoding)",
        ),
        (
            "related.txt",
            b"\n- Other story one\n- Other story two\nHeadline\nBody.\n",
            "related.txt:2: error: no headline: the report starts with a list of other stories' "
            "headlines (put the story's headline on the first line)",
        ),
        (
            "symbols.txt",
            b"***\nBody text.\n",
            "symbols.txt:1: error: no headline: the first line has no words",
        ),
        (
            "headline.txt",
            b"Only a headline\nOnly a headline\n",
            "headline.txt:1: error: the report has no story after its headline",
        ),
        (
            "page.html",
            b"<html><head><title> </title></head><body><p>Hi</p></body></html>",
            "page.html:1: error: no headline: "
            "the page has no JSON-LD headline, og:title or <title>",
        ),
        (
            "page.htm",
            b"<html><head><title>A headline</title></head><body></body></html>",
            "page.htm:1: error: no story found in the page: it has a headline but no article text",
        ),
        (
            "cp.html",
            b'<html><head><meta charset="utf-8"><title>Caf\xe9</title></head></html>',
            "cp.html:1: error: not valid UTF-8 (save the page again, as UTF-8)",
        ),
    ],
)
def test_a_report_that_cannot_be_imported_is_one_line(site, name, content, error):
    target = site.parent / name
    if content == "folder":
        target.mkdir()
    elif content is not None:
        target.write_bytes(content)
    before = tree_bytes(site)
    result = import_(name)
    assert (result.code, result.out, result.err) == (1, "", error + "\n")
    assert tree_bytes(site) == before


def test_an_empty_paste_is_one_line(site, monkeypatch):
    stdin_holds(monkeypatch, "\n\n")
    result = import_("-")
    assert (result.code, result.err) == (1, "<stdin>:1: error: the report is empty\n")


def test_a_report_larger_than_an_article_may_be_is_refused(site):
    (site / "site.yaml").write_text("title: T\nmax_file_size: 1 kB\n", encoding="utf-8")
    (site.parent / "long.txt").write_text("Headline\n" + "Word " * 400 + "\n", encoding="utf-8")
    result = import_("long.txt")
    assert result.err.splitlines() == [
        "long.txt:1: error: a report of more than 1 kB is not imported (max_file_size in site.yaml)"
    ]


def test_without_content_folder_nothing_is_read(tmp_path):
    result = run_cli("import", "-", "--source", tmp_path)
    assert result.code == 2
    assert result.err == f"error: no content/ folder in '{tmp_path}'\n"


def test_help_explains_the_command_with_examples(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["import", "--help"])
    assert stopped.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: dossier import [-h] [--topic T] [--tag X] [--date D]")
    for part in ("FILE", "- to read standard input", "Rabu (19/6)", "examples:", "--source"):
        assert part in shown, part


def test_a_draft_the_build_would_refuse_as_too_big_is_not_written(site):
    (site / "site.yaml").write_text("title: T\nmax_file_size: 1 kB\n", encoding="utf-8")
    (site.parent / "long.txt").write_text("Headline\n" + "*Word* " * 120 + "\n", encoding="utf-8")
    result = import_("long.txt", "--date", IMPORT_DAY)
    assert result.code == 1
    assert re.fullmatch(
        r"error: the draft would be 1\.\d+ kB, over the 1 kB limit of the build "
        r"\(max_file_size in site.yaml\)\n",
        result.err,
    ), result.err
    assert not (site / "content/articles/2026").exists()


def test_a_draft_is_not_written_through_a_link_out_of_content(site, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (site / "content/articles/2024/06").symlink_to(outside, target_is_directory=True)
    result = import_("tram-en.txt", "--date", IMPORT_DAY)
    assert result.code == 1
    assert result.err == (
        f"error: {TRAM} would be written outside content/ (a symbolic link); nothing written\n"
    )
    assert list(outside.iterdir()) == []


# -- pages built to break a reader ---------------------------------------------------------


def test_json_ld_nested_too_deeply_is_skipped_with_a_warning_and_the_page_imports(site):
    page = (site.parent / "night-buses-en.html").read_text(encoding="utf-8")
    deep = '<script type="application/ld+json">' + "[" * 100_000 + "</script>\n"
    (site.parent / "deep.html").write_text(deep + page, encoding="utf-8")
    result = import_("deep.html", "--tag", "Buses", "--date", IMPORT_DAY)
    assert result.code == 0
    assert result.err == "deep.html:1: warning: JSON-LD skipped: it nests too deeply to be read\n"
    # The page's own JSON-LD, after the broken block, is still what the draft is made of.
    expected = (FIXTURES / "night-buses-en.expected.md").read_text(encoding="utf-8")
    expected = expected.replace("Imported from night-buses-en.html", "Imported from deep.html")
    assert (site / BUSES).read_text(encoding="utf-8") == expected


def test_a_page_nested_deeper_than_it_can_be_read_says_so_where(site):
    story = "<p>" + "The council approved the northern tram line after a long debate. " * 5
    page = (
        "<html><head><title>Tram line approved</title></head><body>\n"
        + "<div>" * 100_000
        + "\n<article><h1>Tram line approved</h1>"
        + (story + "</p>") * 4
        + "</article>"
        + "</div>" * 100_000
        + "</body></html>\n"
    )
    (site.parent / "nested.html").write_text(page, encoding="utf-8")
    result = import_("nested.html", "--date", IMPORT_DAY)
    assert result.code == 1
    assert result.err == (
        "nested.html:3: error: no story found in the page: its elements nest 100004 levels "
        "deep here, and a page is read only 255 levels deep (save the story again from the "
        "browser's reader view, or paste its text)\n"
    )


# -- the lead picture of a saved page ----------------------------------------------------------

FERRY = "content/articles/2024/06/riverton-ferry-makes-its-first-dawn-crossing.md"
FERRY_PICTURE = "content/articles/2024/06/ferry-at-dawn.jpg"
FERRY_URL = "https://cdn.example.org/images/2024/06/Ferry_At-Dawn.jpg?w=1200&q=80"


def save_picture(path: Path, colour: str = "teal") -> bytes:
    """A small JPEG where the browser would have saved the page's picture."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 6), colour).save(path, "JPEG")
    return path.read_bytes()


def image_of(path: Path) -> dict | None:
    """The draft's ``image``, as YAML reads its front matter."""
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return data.get("image")


def test_a_saved_pages_picture_is_copied_beside_the_draft(site):
    saved = save_picture(site.parent / "ferry-en_files" / "Ferry_At-Dawn.jpg")
    result = import_("ferry-en.html", "--date", IMPORT_DAY)
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        f"site/{FERRY}\n"
        f"site/{FERRY_PICTURE}: the page's picture, copied from ferry-en_files/Ferry_At-Dawn.jpg\n"
    )
    assert (site / FERRY_PICTURE).read_bytes() == saved
    assert image_of(site / FERRY) == {
        "src": "ferry-at-dawn.jpg",
        "alt": "A white ferry leaves the harbour under an orange sky",
        "caption": "The Eastbank ferry on its first crossing, on Friday.",
        "credit": "Photo: Example Daily / Tomas Vell",
    }


def test_quiet_prints_only_the_drafts_path_when_a_picture_comes_with_it(site):
    save_picture(site.parent / "ferry-en_files" / "Ferry_At-Dawn.jpg")
    result = import_("ferry-en.html", "--date", IMPORT_DAY, "-q")
    assert (result.code, result.out, result.err) == (0, f"site/{FERRY}\n", "")
    assert (site / FERRY_PICTURE).exists()


def test_a_picture_saved_under_another_case_is_found(site):
    saved = save_picture(site.parent / "ferry-en_files" / "ferry_at-dawn.JPG")
    assert import_("ferry-en.html", "--date", IMPORT_DAY).code == 0
    assert (site / FERRY_PICTURE).read_bytes() == saved
    assert image_of(site / FERRY)["src"] == "ferry-at-dawn.jpg"


def test_without_the_saved_folder_the_image_is_commented_out_with_its_address(site):
    result = import_("ferry-en.html", "--date", IMPORT_DAY)
    assert result.code == 0
    assert f"the page's picture {FERRY_URL} was not saved with it" in result.out
    text = (site / FERRY).read_text(encoding="utf-8")
    assert image_of(site / FERRY) is None  # the draft builds as it is
    assert f"#   {FERRY_URL}\n# beside this file as ferry-at-dawn.jpg," in text
    assert '# image:\n#   src: "ferry-at-dawn.jpg"\n' in text
    assert not list((site / FERRY).parent.glob("*.jpg"))


def test_a_saved_folder_without_the_picture_copies_nothing(site):
    save_picture(site.parent / "ferry-en_files" / "logo.jpg")
    save_picture(site.parent / "ferry-en_files" / "Ferry_At-Dawn.gif.jpg")
    assert import_("ferry-en.html", "--date", IMPORT_DAY).code == 0
    text = (site / FERRY).read_text(encoding="utf-8")
    assert "was not among the files saved with it" in text
    assert image_of(site / FERRY) is None
    assert not list((site / FERRY).parent.glob("*.jpg"))


def test_what_the_page_does_not_say_is_left_for_the_editor(site):
    page = (site.parent / "ferry-en.html").read_text(encoding="utf-8")
    page = page.replace(',\n    "creditText": "Photo: Example Daily / Tomas Vell"', "")
    page = re.sub(r'<meta property="og:image:alt"[^>]*>', "", page)
    page = page.replace(
        '"caption": "The Eastbank ferry on its first crossing, on Friday."', '"name": "x"'
    )
    (site.parent / "ferry-en.html").write_text(page, encoding="utf-8")
    save_picture(site.parent / "ferry-en_files" / "Ferry_At-Dawn.jpg")
    assert import_("ferry-en.html", "--date", IMPORT_DAY).code == 0
    text = (site / FERRY).read_text(encoding="utf-8")
    assert (
        'image:\n  src: "ferry-at-dawn.jpg"\n'
        "  alt: # describe the picture for readers who cannot see it\n"
        "  # credit: who took it — the page does not say\n---\n"
    ) in text
    # alt is there, empty, not "" (which would say the picture is decoration).
    assert image_of(site / FERRY) == {"src": "ferry-at-dawn.jpg", "alt": None}


def test_a_picture_never_replaces_a_file_beside_the_draft(site):
    saved = save_picture(site.parent / "ferry-en_files" / "Ferry_At-Dawn.jpg")
    mine = save_picture(site / FERRY_PICTURE, colour="red")
    assert mine != saved
    result = import_("ferry-en.html", "--date", IMPORT_DAY)
    assert result.code == 0
    assert (site / FERRY_PICTURE).read_bytes() == mine
    assert (site / FERRY_PICTURE.replace(".jpg", "-2.jpg")).read_bytes() == saved
    assert image_of(site / FERRY)["src"] == "ferry-at-dawn-2.jpg"


def test_a_picture_is_not_copied_for_a_draft_that_is_not_written(site):
    save_picture(site.parent / "ferry-en_files" / "Ferry_At-Dawn.jpg")
    (site / FERRY).parent.mkdir(parents=True, exist_ok=True)
    (site / FERRY).write_text("mine\n", encoding="utf-8")
    result = import_("ferry-en.html", "--date", IMPORT_DAY)
    assert result.code == 1
    assert "exists already; nothing written" in result.err
    assert not (site / FERRY_PICTURE).exists()


def test_a_failed_copy_writes_neither_picture_nor_draft(site, monkeypatch):
    save_picture(site.parent / "ferry-en_files" / "Ferry_At-Dawn.jpg")

    def fail(source, target):
        target.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", fail)
    result = import_("ferry-en.html", "--date", IMPORT_DAY)
    assert result.code == 1
    assert result.err == (
        "error: cannot copy the page's picture ferry-en_files/Ferry_At-Dawn.jpg: "
        "No space left on device; nothing written\n"
    )
    assert not (site / FERRY_PICTURE).exists()
    assert not (site / FERRY).exists()


def test_a_draft_that_cannot_be_written_takes_its_picture_back(site, monkeypatch):
    save_picture(site.parent / "ferry-en_files" / "Ferry_At-Dawn.jpg")

    def fail(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("dossierpress.commands.import_.write_new", fail)
    result = import_("ferry-en.html", "--date", IMPORT_DAY)
    assert result.code == 1
    assert result.err == f"error: cannot write {FERRY}: No space left on device\n"
    assert not (site / FERRY_PICTURE).exists()
    assert not (site / FERRY).exists()


def test_a_pasted_report_gets_a_commented_image_to_fill_in(site):
    assert import_("tram-en.txt", "--date", IMPORT_DAY).code == 0
    text = (site / TRAM).read_text(encoding="utf-8")
    assert '# image:\n#   src: "picture.jpg"\n#   alt: # describe the picture' in text
    assert image_of(site / TRAM) is None
