"""Dates, lists and UI strings in the reader's language; catalogues complete and overridable."""

from __future__ import annotations

import ast
import pickle
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from dossierpress import pages
from dossierpress.content.model import PartialDate
from dossierpress.errors import BuildError
from dossierpress.theme.i18n import PYTHON_MESSAGES, Localizer, load_localizers
from dossierpress.theme.templates import default_layouts_dir, extract_messages

DEFAULT = default_layouts_dir()
LOCALIZERS = load_localizers([DEFAULT], ["en", "id", "en-GB", "fr", "id-ID", "tlh"])
EN, ID = LOCALIZERS["en"], LOCALIZERS["id"]
JUNE_19 = datetime(2024, 6, 19, tzinfo=UTC)


def catalogue(lang: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    with (DEFAULT / "i18n" / f"{lang}.po").open(encoding="utf-8") as fp:
        return {m.id: m.string for m in read_po(fp) if m.id}


def template_messages() -> set[str | tuple[str, str]]:
    return {message for _path, _line, message in extract_messages(DEFAULT)}  # type: ignore[misc]


def po(*entries: str, header: str = "") -> str:
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + header + "\n"
    return head + "\n".join(entries)


def write_po(root: Path, lang: str, text: str) -> Path:
    path = root / "layouts" / "i18n" / f"{lang}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return root / "layouts"


# -- dates -----------------------------------------------------------------------------


def test_dates_are_long_and_localised() -> None:
    assert ID.date(JUNE_19, has_time=False).text == "19 Juni 2024"
    assert EN.date(JUNE_19, has_time=False).text == "June 19, 2024"
    assert LOCALIZERS["en-GB"].date(JUNE_19, has_time=False).text == "19 June 2024"
    assert ID.date(JUNE_19, has_time=False).iso == "2024-06-19"


def test_a_time_is_shown_with_its_zone_when_the_editor_gave_one() -> None:
    jakarta = datetime(2024, 6, 19, 14, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    view = ID.date(jakarta, has_time=True)
    assert view.iso == "2024-06-19T14:30:00+07:00"
    assert view.text == "19 Juni 2024 14.30 UTC+7", "the zone is written the same in every language"
    assert EN.date(jakarta, has_time=True).text == "June 19, 2024, 2:30\u202fPM UTC+7"
    assert EN.date(JUNE_19.replace(hour=9), has_time=True).text.endswith("9:00\u202fAM UTC")


def test_partial_dates_are_as_precise_as_the_source() -> None:
    assert ID.partial_date(PartialDate(2024)).text == "2024"
    assert ID.partial_date(PartialDate(2024, 6)).text == "Juni 2024"
    assert ID.partial_date(PartialDate(2024, 6, 19)).text == "19 Juni 2024"
    assert EN.partial_date(PartialDate(2024, 6)).text == "June 2024"
    assert EN.partial_date(PartialDate(2024, 6)).iso == "2024-06"


def test_month_labels_and_names() -> None:
    assert ID.month_label(2024, 6) == "Juni 2024"
    assert EN.month_label(2024, 6) == "June 2024"
    assert ID.month_name(8) == "Agustus"
    assert EN.month_name(8) == "August"


def test_a_language_without_a_catalogue_keeps_english_strings_but_its_own_dates() -> None:
    french = LOCALIZERS["fr"]
    assert french("Topics") == "Topics"
    assert french.date(JUNE_19, has_time=False).text == "19 juin 2024"
    unknown = LOCALIZERS["tlh"]
    assert unknown.locale == "en" and unknown("Topics") == "Topics"
    assert unknown.date(JUNE_19, has_time=False).text == "June 19, 2024"


def test_a_regional_language_uses_the_general_catalogue() -> None:
    assert LOCALIZERS["id-ID"]("Topics") == "Topik"
    assert LOCALIZERS["id-ID"].date(JUNE_19, has_time=False).text == "19 Juni 2024"


# -- strings, plurals, lists, reasons --------------------------------------------------


def test_ui_strings_translate_and_fall_back_to_the_message_id() -> None:
    assert ID("Skip to content") == "Langsung ke konten"
    assert ID("More on this") == "Baca juga"
    assert ID("Not in any catalogue") == "Not in any catalogue"
    assert ID("By %(names)s", names="Ani") == "Oleh Ani"
    assert EN("Topics") == "Topics"


def test_plurals_follow_each_language() -> None:
    assert EN("%(num)d article", "%(num)d articles", 1) == "1 article"
    assert EN("%(num)d article", "%(num)d articles", 3) == "3 articles"
    assert ID("%(num)d article", "%(num)d articles", 1) == "1 artikel"
    assert ID("%(num)d article", "%(num)d articles", 3) == "3 artikel"
    assert Localizer("en").ngettext("a cat", "cats", 2) == "cats"


def test_lists_are_joined_in_the_language() -> None:
    assert EN.join(["A", "B", "C"]) == "A, B, and C"
    assert ID.join(["A", "B"]) == "A dan B"
    assert ID.join([]) == ""


def test_reasons_say_why_an_article_is_suggested() -> None:
    assert EN.reasons(["Sanctions"], ["Aurus"]) == "shared topic Sanctions, tag Aurus"
    assert ID.reasons(["Sanksi"], ["Aurus"]) == "topik yang sama Sanksi, tag Aurus"
    assert EN.reasons(["Sanctions", "Arms"], []) == "shared topics Sanctions and Arms"
    assert ID.reasons([], ["Aurus", "Kim Jong-un"]) == "tag Aurus dan Kim Jong-un"
    assert EN.reasons([], []) == ""


def test_a_localizer_is_plain_picklable_data() -> None:
    assert pickle.loads(pickle.dumps(ID)) == ID
    assert hash(ID) == hash(pickle.loads(pickle.dumps(ID)))


# -- the catalogues themselves ---------------------------------------------------------


def test_every_template_string_is_a_literal() -> None:
    dynamic = [(path, line) for path, line, message in extract_messages(DEFAULT) if not message]
    assert dynamic == [], "_() needs a literal string so it can be translated"


@pytest.mark.parametrize("message", sorted(template_messages() | set(PYTHON_MESSAGES), key=str))
def test_every_ui_string_has_an_indonesian_translation(message: str | tuple[str, str]) -> None:
    translation = catalogue("id").get(message)
    assert translation, f"layouts/i18n/id.po lacks {message!r}"
    assert all(translation) if isinstance(translation, tuple) else True


def test_the_english_catalogue_lists_every_string() -> None:
    assert template_messages() | set(PYTHON_MESSAGES) <= set(catalogue("en"))


def page_messages() -> set[str]:
    """What the pages translate themselves: page titles (``loc.gettext("Archive")``,
    ``loc("Tag: %(name)s", name=…)``), read from the source of every module of
    ``dossierpress.pages`` (the view builder, each page kind, the metadata) as the
    templates' are."""
    sources = sorted(Path(pages.__file__).parent.rglob("*.py"))
    trees = [ast.parse(Path(source).read_text(encoding="utf-8")) for source in sources]
    return {
        node.args[0].value
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("gettext", "loc")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_page_titles_made_in_python_are_in_both_catalogues() -> None:
    messages = page_messages()
    assert {"Archive", "Tag: %(name)s", "%(title)s — page %(num)d", "Corrections"} <= messages
    english, indonesian = catalogue("en"), catalogue("id")
    assert [m for m in sorted(messages) if m not in english] == []
    assert [m for m in sorted(messages) if not indonesian.get(m)] == []


def test_a_later_page_of_a_list_is_titled_in_the_page_language() -> None:
    assert EN("%(title)s — page %(num)d", title="Archive", num=2) == "Archive — page 2"
    assert ID("%(title)s — page %(num)d", title="Arsip", num=2) == "Arsip — halaman 2"
    assert ID("Page %(num)d of %(count)d", num=2, count=7) == "Halaman 2 dari 7"
    assert (ID("Newer"), ID("Older"), ID("Pages")) == ("Lebih baru", "Lebih lama", "Halaman")


def test_a_project_catalogue_overrides_entries_of_the_default(tmp_path: Path) -> None:
    layouts = write_po(tmp_path, "id", po('msgid "Topics"\nmsgstr "Rubrik"\n'))
    indonesian = load_localizers([layouts, DEFAULT], ["id"])["id"]
    assert indonesian("Topics") == "Rubrik"
    assert indonesian("Archive") == "Arsip", "the rest still comes from the default theme"
    assert indonesian("%(num)d article", "%(num)d articles", 2) == "2 artikel"


def test_a_project_catalogue_can_add_a_language(tmp_path: Path) -> None:
    layouts = write_po(
        tmp_path,
        "fr",
        po(
            'msgid "Topics"\nmsgstr "Sujets"\n',
            '#, fuzzy\nmsgid "Tags"\nmsgstr "Mots-clés"\n',
            'msgid "%(num)d article"\nmsgid_plural "%(num)d articles"\n'
            'msgstr[0] "%(num)d article"\nmsgstr[1] "%(num)d articles (fr)"\n',
            header='"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n',
        ),
    )
    french = load_localizers([layouts, DEFAULT], ["fr"])["fr"]
    assert french("Topics") == "Sujets"
    assert french("Tags") == "Tags", "fuzzy entries are not used"
    assert french("%(num)d article", "%(num)d articles", 1) == "1 article"
    assert french("%(num)d article", "%(num)d articles", 0) == "0 article", "French: 0 is one"
    assert french("%(num)d article", "%(num)d articles", 2) == "2 articles (fr)"


def test_a_broken_catalogue_is_reported_at_its_line(tmp_path: Path) -> None:
    layouts = write_po(tmp_path, "id", po('msgid "Topics"\nmsgstr "Topik"\nnonsense here\n'))
    with pytest.raises(BuildError) as caught:
        load_localizers([layouts, DEFAULT], ["id"])
    assert str(caught.value).startswith("layouts/i18n/id.po:7: error: invalid PO file")


def test_a_translation_with_a_wrong_placeholder_is_reported_at_its_line(tmp_path: Path) -> None:
    layouts = write_po(tmp_path, "id", po('msgid "By %(names)s"\nmsgstr "Oleh %(nama)s"\n'))
    with pytest.raises(BuildError) as caught:
        load_localizers([layouts, DEFAULT], ["id"])
    message = str(caught.value)
    assert message.startswith("layouts/i18n/id.po:5: error: translation of 'By %(names)s'")
    assert "%(names)s" in message


def test_a_catalogue_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    layouts = write_po(tmp_path, "id", "")
    (layouts / "i18n" / "id.po").write_bytes(b'msgid "A"\nmsgstr "\xff"\n')
    with pytest.raises(BuildError) as caught:
        load_localizers([layouts, DEFAULT], ["id"])
    assert str(caught.value) == "layouts/i18n/id.po:2: error: not valid UTF-8"


def test_a_translation_may_not_use_a_placeholder_its_message_lacks(tmp_path: Path) -> None:
    layouts = write_po(tmp_path, "id", po('msgid "Topics"\nmsgstr "Topik %(x)s"\n'))
    with pytest.raises(BuildError) as caught:
        load_localizers([layouts, DEFAULT], ["id"])
    assert str(caught.value) == (
        "layouts/i18n/id.po:5: error: translation of 'Topics' uses %(x)s, "
        "which its message does not provide (the message has no placeholders)"
    )


def test_a_plural_translation_may_use_num_and_the_message_placeholders(tmp_path: Path) -> None:
    layouts = write_po(
        tmp_path,
        "id",
        po(
            'msgid "an article"\nmsgid_plural "articles"\nmsgstr[0] "%(num)d artikel"\n',
            'msgid "tag %(names)s"\nmsgid_plural "tags %(names)s"\n'
            'msgstr[0] "tag %(names)s %(extra)s"\n',
            header='"Plural-Forms: nplurals=1; plural=0;\\n"\n',
        ),
    )
    with pytest.raises(BuildError) as caught:
        load_localizers([layouts, DEFAULT], ["id"])
    assert str(caught.value) == (
        "layouts/i18n/id.po:10: error: translation of 'tag %(names)s' uses %(extra)s, "
        "which its message does not provide (it may use %(names)s, %(num)s)"
    )


@pytest.mark.parametrize(
    "plural_forms, message",
    [
        (
            "nplurals=2; plural=(n/0);",
            "invalid Plural-Forms: plural=(n/0) divides by zero for n = 0",
        ),
        (
            "nplurals=2; plural=(n%(n-1));",
            "invalid Plural-Forms: plural=(n%(n-1)) divides by zero for n = 1",
        ),
        (
            "nplurals=2; plural=(n!=;",
            "invalid Plural-Forms: cannot read plural=(n!= (unexpected end of plural form)",
        ),
        (
            "nplurals=2; plural=(n);",
            "invalid Plural-Forms: plural=(n) gives 2 for n = 2, but nplurals=2 allows 0 to 1",
        ),
        (
            "nplurals=3; plural=(n-1);",
            "invalid Plural-Forms: plural=(n-1) gives -1 for n = 0, but nplurals=3 allows 0 to 2",
        ),
        ("nplurals=x; plural=0;", "invalid Plural-Forms: nplurals must be a whole number, got 'x'"),
        ("nplurals=0; plural=0;", "invalid Plural-Forms: nplurals must be at least 1"),
        ("nplurals=1; plural=" + "(" * 600 + "0" + ")" * 600 + ";", "invalid Plural-Forms: "),
    ],
)
def test_a_broken_plural_forms_header_is_reported_at_its_line(
    tmp_path: Path, plural_forms: str, message: str
) -> None:
    header = f'"Plural-Forms: {plural_forms}\\n"\n'
    layouts = write_po(tmp_path, "fr", po('msgid "Topics"\nmsgstr "Sujets"\n', header=header))
    with pytest.raises(BuildError) as caught:
        load_localizers([layouts, DEFAULT], ["fr"])
    assert str(caught.value).startswith(f"layouts/i18n/fr.po:4: error: {message}")
    assert len(caught.value.errors) == 1


def test_a_plural_forms_header_for_many_forms_is_accepted(tmp_path: Path) -> None:
    russian = (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    )
    layouts = write_po(
        tmp_path,
        "ru",
        po(
            'msgid "%(num)d article"\nmsgid_plural "%(num)d articles"\n'
            'msgstr[0] "%(num)d статья"\nmsgstr[1] "%(num)d статьи"\nmsgstr[2] "%(num)d статей"\n',
            header=f'"Plural-Forms: {russian}\\n"\n',
        ),
    )
    ru = load_localizers([layouts, DEFAULT], ["ru"])["ru"]
    assert [ru("%(num)d article", "%(num)d articles", n) for n in (1, 3, 5, 21)] == [
        "1 статья",
        "3 статьи",
        "5 статей",
        "21 статья",
    ]
