"""How editors' names are compared: case, dashes, Unicode forms and invisible characters."""

from __future__ import annotations

import pytest

from dossierpress.content.names import comparable, normalise_target, without_ignorables


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Russia–North Korea", "russia-north  korea"),
        ("Kim\u200bJong-un", "KimJong-un"),
        ("Sank\u00adsi", "Sanksi"),
        ("\ufeffAurus", "Aurus"),
        ("Hubungan\u2060 Rusia", "hubungan rusia"),
        ("ﬁnance", "finance"),
    ],
)
def test_look_alike_names_are_one_name(a, b):
    assert normalise_target(a) == normalise_target(b)


def test_different_names_stay_different():
    assert normalise_target("Kim Jong-un") != normalise_target("KimJong-un")


@pytest.mark.parametrize(
    "char",
    [
        "\u00ad",
        "\u034f",
        "\u061c",
        "\u115f",
        "\u1160",
        "\u17b4",
        "\u17b5",
        "\u180b",
        "\u180f",
        "\u200b",
        "\u200d",
        "\u200f",
        "\u202a",
        "\u202e",
        "\u2060",
        "\u206f",
        "\u3164",
        "\ufe00",
        "\ufe0f",
        "\ufeff",
        "\uffa0",
        "\ufff0",
        "\ufff8",
        "\U0001bca0",
        "\U0001bca3",
        "\U0001d173",
        "\U0001d17a",
        "\U000e0000",
        "\U000e0fff",
    ],
)
def test_every_default_ignorable_code_point_is_removed(char):
    assert without_ignorables(f"a{char}b") == "ab"


@pytest.mark.parametrize("char", ["\u00ac", "\u17b6", "\u2010", "\u2070", "\ufff9", "\u0301"])
def test_visible_characters_stay(char):
    assert without_ignorables(f"a{char}b") == f"a{char}b"


def test_comparable_is_nfkc_without_ignorables():
    assert comparable("Ｋｉｍ\u200b") == "Kim"
