"""The line a new site's CI installs Dossier with: the source Dossier was installed from,
as its PEP 610 record tells, or a comment where pip could not repeat that install."""

from __future__ import annotations

import json

import pytest

from dossierpress.installation import requirement_for

from .support.requirements import installable_lines


def test_a_release_from_an_index_is_pinned_by_version():
    pin = requirement_for("1.4.2", None)
    (line,) = installable_lines(pin.text)
    assert (line.name, str(line.specifier), line.url) == ("dossierpress", "==1.4.2", None)
    assert pin.problem is None


def test_a_repository_install_is_pinned_to_its_commit():
    record = {
        "url": "https://github.com/newsroom/dossier.git",
        "vcs_info": {"vcs": "git", "commit_id": "a" * 40, "requested_revision": "main"},
    }
    pin = requirement_for("0.1.0", json.dumps(record))
    (line,) = installable_lines(pin.text)
    assert line.url == f"git+https://github.com/newsroom/dossier.git@{'a' * 40}"
    assert pin.problem is None


def test_a_subdirectory_of_a_repository_is_kept():
    record = {
        "url": "ssh://git@example.org/tools.git",
        "vcs_info": {"vcs": "git", "commit_id": "b" * 40},
        "subdirectory": "dossier",
    }
    (line,) = installable_lines(requirement_for("0.1.0", json.dumps(record)).text)
    assert line.url == f"git+ssh://git@example.org/tools.git@{'b' * 40}#subdirectory=dossier"


def test_an_archive_on_a_server_is_pinned_by_its_hash():
    record = {
        "url": "https://files.example.org/dossierpress-0.1.0-py3-none-any.whl",
        "archive_info": {"hashes": {"sha256": "c" * 64}},
    }
    (line,) = installable_lines(requirement_for("0.1.0", json.dumps(record)).text)
    assert line.url == f"{record['url']}#sha256={'c' * 64}"


@pytest.mark.parametrize(
    ("record", "said"),
    [
        ({"url": "file:///home/ed/dossier", "dir_info": {"editable": True}}, "an editable install"),
        ({"url": "file:///home/ed/dossier", "dir_info": {}}, "a local install"),
        ({"url": "file:///tmp/dossierpress-0.1.0.whl", "archive_info": {}}, "a local install"),
        (
            {"url": "file:///home/ed/dossier", "vcs_info": {"vcs": "git", "commit_id": "d" * 40}},
            "a local install",
        ),
        ({"url": "https://example.org/x"}, "cannot repeat"),
        ("not json", "does not tell"),
        ([1, 2], "does not tell"),
    ],
)
def test_what_pip_cannot_install_elsewhere_becomes_a_comment_and_a_problem(record, said):
    pin = requirement_for("0.1.0", record if isinstance(record, str) else json.dumps(record))
    assert installable_lines(pin.text) == []
    assert said in pin.text
    assert "dossierpress==VERSION" in pin.text and "git+https://" in pin.text
    assert pin.problem is not None and "requirements.txt" in pin.problem
