"""How this copy of Dossier was installed, as a line a site's CI can give to pip.

A new site's workflow runs ``pip install -r requirements.txt`` on a machine that has
never seen the editor's. Writing ``dossierpress==<our version>`` works only for a release
that an index serves; a copy installed from a repository, an archive or a local folder
says where it came from in the file PEP 610 puts beside its metadata
(``direct_url.json``). That record is read here, and turned into the same source for the
site's CI where pip can reach it, or into a comment saying what to write instead where it
cannot (an editable checkout, a local folder or file), because a line pip cannot resolve
would only fail the site's first CI run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from typing import Any

DISTRIBUTION = "dossierpress"
REMOTE_SCHEMES = ("https://", "http://", "ssh://", "git://")


@dataclass(frozen=True)
class Requirement:
    """The text of a site's ``requirements.txt``; ``problem`` says why it installs
    nothing yet (the editor has to name a source pip can reach), else ``None``."""

    text: str
    problem: str | None = None


def installed_requirement() -> Requirement:
    """The requirement for the Dossier running this code, as it was installed."""
    try:
        found = distribution(DISTRIBUTION)
    except PackageNotFoundError:
        return _local("running from a source folder that is not installed")
    return requirement_for(found.version, found.read_text("direct_url.json"))


def requirement_for(version: str, direct_url: str | None) -> Requirement:
    """The requirement for Dossier ``version`` installed as PEP 610's ``direct_url``
    record says (``None``: from an index, which serves that version by name)."""
    header = "# The Dossier this site was made with; its CI installs it from here.\n"
    if direct_url is None:
        return Requirement(f"{header}{DISTRIBUTION}=={version}\n")
    try:
        record = json.loads(direct_url)
    except ValueError:
        record = None
    url = record.get("url") if isinstance(record, dict) else None
    if not isinstance(record, dict) or not isinstance(url, str):
        return _local("a method its installation record (direct_url.json) does not tell")
    if not url.startswith(REMOTE_SCHEMES):
        how = "an editable install" if _editable(record) else "a local install"
        return _local(f"{how} from {url}")
    line = _remote_line(url, record)
    if line is None:
        return _local(f"an install from {url} that pip cannot repeat")
    return Requirement(f"{header}{line}\n")


def _remote_line(url: str, record: dict[str, Any]) -> str | None:
    """``dossierpress @ <url>`` pinned to the commit or archive hash the record names."""
    fragment = ""
    subdirectory = record.get("subdirectory")
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        kind = vcs.get("vcs")
        if not (isinstance(commit, str) and isinstance(kind, str)):
            return None
        source = f"{kind}+{url}@{commit}"
    elif isinstance(record.get("archive_info"), dict):
        source = url
        hashes = record["archive_info"].get("hashes")
        if isinstance(hashes, dict) and isinstance(hashes.get("sha256"), str):
            fragment = f"sha256={hashes['sha256']}"
    else:
        return None
    if isinstance(subdirectory, str) and subdirectory:
        fragment = "&".join(part for part in (fragment, f"subdirectory={subdirectory}") if part)
    return f"{DISTRIBUTION} @ {source}" + (f"#{fragment}" if fragment else "")


def _editable(record: dict[str, Any]) -> bool:
    dir_info = record.get("dir_info")
    return isinstance(dir_info, dict) and dir_info.get("editable") is True


def _local(how: str) -> Requirement:
    text = (
        f"# Dossier was installed here by {how},\n"
        "# which pip cannot install on another machine. Replace this comment with the\n"
        "# Dossier the site's CI should install, in one of these forms:\n"
        f"#   {DISTRIBUTION}==VERSION                              (a release on an index)\n"
        f"#   {DISTRIBUTION} @ git+https://HOST/OWNER/REPO@COMMIT  (a repository at a commit)\n"
    )
    problem = (
        "requirements.txt names no Dossier yet: this one is a local install "
        "(see the comment in the file before the site's CI runs)"
    )
    return Requirement(text, problem)
