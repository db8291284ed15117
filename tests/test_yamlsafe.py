"""Safe YAML: a located node tree, and every hostile or surprising document refused clearly."""

from __future__ import annotations

import time

import pytest

from dossierpress import yamlsafe
from dossierpress.yamlsafe import MAX_DEPTH, Node, YamlProblem, load_yaml


@pytest.fixture(autouse=True, params=["libyaml", "pure"])
def parser(request, monkeypatch):
    """Every test runs with libyaml's fast parser (when installed) and without it."""
    if request.param == "pure":
        monkeypatch.setattr(yamlsafe, "_FAST_LOADER", None)
    elif yamlsafe._FAST_LOADER is None:
        pytest.skip("PyYAML was built without libyaml")


def problem(text: str, first_line: int = 1) -> tuple[int, str]:
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text, first_line)
    return caught.value.line, caught.value.message


def value_of(text: str) -> Node:
    """The node of the single key in ``key: <text>``."""
    root = load_yaml(f"key: {text}")
    assert root is not None
    [(_, node)] = root.items()
    return node


def test_nodes_keep_their_file_lines():
    root = load_yaml("title: x\ntags:\n  - a\n  - b\nmap: {k: v}\n", first_line=2)
    assert root is not None and root.kind == "mapping" and root.line == 2
    (title_key, title), (_, tags), (_, mapping) = root.items()
    assert (title_key.line, title.value, title.line) == (2, "x", 2)
    assert tags.kind == "sequence"
    assert [(n.value, n.line) for n in tags.value] == [("a", 4), ("b", 5)]
    assert mapping.kind == "mapping" and mapping.line == 6


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_an_empty_document_is_none_or_null(text):
    root = load_yaml(text)
    assert root is None or (root.kind == "scalar" and root.value is None)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a: &x [1]\nb: *x\n", 3, "YAML aliases (*x) are not allowed"),
        ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", 3, "YAML aliases (*a) are not allowed"),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            2,
            "YAML tag '!!python/object/apply:os.system'",
        ),
        ("a: !!python/name:os.system ''\n", 2, "YAML tag '!!python/name:os.system' is not allowed"),
        ("a: !!binary aGk=\n", 2, "YAML tag '!!binary' is not allowed"),
        ("a: !!timestamp 2024-06-19\n", 2, "YAML tag '!!timestamp' is not allowed"),
        ("a: !custom x\n", 2, "YAML tag '!custom' is not allowed"),
        ("a: !!set {x}\n", 2, "YAML tag '!!set' is not allowed"),
        ("a: 1\nb: 2\na: 3\n", 4, "duplicate key 'a' (first defined on line 2)"),
        ("1: a\n'1': b\n", 3, "duplicate key '1'"),
        ("<<: {a: 1}\n", 2, "YAML merge keys (<<) are not allowed"),
        ("? [a, b]\n: c\n", 2, "mapping keys must be plain names"),
        ("~: x\n", 2, "mapping keys must be plain names"),
        ("a: 1\n---\nb: 2\n", 3, "more than one YAML document"),
        ("a: [1, 2\n", 3, "invalid YAML: expected ',' or ']'"),
        ("a: b\n\nc: \x01\n", 4, "invalid YAML: control character U+0001 is not allowed"),
        ("a: 1" + "0" * 5000 + "\n", 2, "cannot read '1000000000"),
        ('a: "x\\0y"\n', 2, "text contains the control character U+0000"),
        ('a: ok\nb: "\\x1b[31mred"\n', 3, "text contains the control character U+001B"),
        ('a: "line\\r"\n', 2, "text contains the control character U+000D"),
        ('a: "\\x7f"\n', 2, "text contains the control character U+007F"),
        ('a: "\\N"\n', 2, "text contains the control character U+0085"),
        ('a: "\\x9b"\n', 2, "text contains the control character U+009B"),
        ('"k\\0": x\n', 2, "text contains the control character U+0000"),
        ('a: ["ok", "\\a"]\n', 2, "text contains the control character U+0007"),
    ],
)
def test_refused_documents_name_the_line(text, line, message):
    found_line, found_message = problem(text, first_line=2)
    assert found_line == line
    assert found_message.startswith(message)


def test_control_characters_get_a_hint_to_remove_them():
    with pytest.raises(YamlProblem) as caught:
        load_yaml('a: "x\\0"\n')
    assert caught.value.hint == "remove it: it is invisible and can break pages"


def test_tabs_and_newlines_are_text():
    assert value_of('"a\\tb\\nc"').value == "a\tb\nc"


@pytest.mark.parametrize(
    "text", ["- **2006**: first sanctions\n", "- *bold* fact\n", "- `code`\n", "- !important\n"]
)
def test_markdown_that_yaml_misreads_gets_a_quoting_hint(text):
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text)
    assert caught.value.hint is not None and "in quotes" in caught.value.hint


def test_long_values_are_shortened_in_messages():
    _, message = problem("a: 1" + "0" * 5000)
    assert len(message) < 100


@pytest.mark.parametrize("opening", ["[", "{", "- ", "[\n"])
def test_50000_levels_of_nesting_fail_fast(opening):
    started = time.perf_counter()
    line, message = problem(opening * 50_000)
    assert time.perf_counter() - started < 5
    assert message == f"YAML nested more than {MAX_DEPTH} levels deep"
    assert line >= 1


def test_nesting_up_to_the_limit_is_fine():
    depth = MAX_DEPTH - 1  # plus the top-level mapping
    root = load_yaml("a: " + "[" * depth + "]" * depth)
    assert root is not None


def test_an_anchor_without_an_alias_is_harmless():
    assert value_of("&x hello").value == "hello"


@pytest.mark.parametrize(
    "written, value",
    [
        ("hello", "hello"),
        ("'NO'", "NO"),
        ('"12:30"', "12:30"),
        ("2024-06-19", "2024-06-19"),
        ("2024-06-19 10:30:00+07:00", "2024-06-19 10:30:00+07:00"),
        ("2024-02-30", "2024-02-30"),
        ("=", "="),
        ("<<", "<<"),
        ("yes", True),
        ("NO", False),
        ("~", None),
        ("", None),
        ("42", 42),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("12:30", 750),
        ("!!str 12", "12"),
    ],
)
def test_scalars_resolve_like_yaml_but_timestamps_stay_text(written, value):
    node = value_of(written)
    assert node.value == value
    assert type(node.value) is type(value)


@pytest.mark.parametrize(
    "written, text, problem",
    [
        ("Summit", "Summit", None),
        ("'NO'", "NO", None),
        ("1984", "1984", None),
        ("0x1F", "0x1F", None),
        ("2024-06-19", "2024-06-19", None),
        ("NO", None, "'NO' is read by YAML as the boolean false; quote it (\"NO\") if you mean"),
        ("on", None, "'on' is read by YAML as the boolean true"),
        ("12:30", None, "'12:30' is read by YAML as the number 750"),
        ("1:30.5", None, "'1:30.5' is read by YAML as the number 90.5"),
        ("", None, "expected text, found nothing"),
        ("[a]", None, "expected text, found a list"),
        ("{a: b}", None, "expected text, found a mapping"),
    ],
)
def test_as_string_and_string_problem(written, text, problem):
    node = value_of(written)
    assert node.as_string() == text
    found = node.string_problem()
    assert found is None if problem is None else found.startswith(problem)


def test_a_byte_order_mark_is_ignored():
    root = load_yaml("\ufeffa: 1\n")
    assert root is not None
    [(key, value)] = root.items()
    assert (key.value, value.value) == ("a", 1)


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure"])
def test_nodes_know_their_place_in_the_text(monkeypatch, fast):
    if not fast:
        monkeypatch.setattr(yamlsafe, "_FAST_LOADER", None)
    text = "title: 'Ünï ☃'\r\nlist:\r\n  - a  # c\r\n  - {k: \"v\"}\r\nflow: [x, y]\r\n"
    root = load_yaml(text)
    assert root is not None
    shown = {
        str(key.value): (text[key.start : key.end], text[value.start : value.end], value.flow)
        for key, value in root.items()
    }
    assert shown["title"] == ("title", "'Ünï ☃'", False)
    assert shown["flow"] == ("flow", "[x, y]", True)
    entries = next(node for key, node in root.items() if key.value == "list").value
    assert [text[e.start : e.end] for e in entries] == ["a", '{k: "v"}']
    assert [e.flow for e in entries] == [False, True]
