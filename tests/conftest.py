"""Fixtures and hooks for every test; the helpers test modules import are in tests/support."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support.files import SITES


@pytest.fixture(autouse=True)
def cache_key(monkeypatch):
    """Builds sign their cache with a key of the tests', not the user's own."""
    monkeypatch.setenv("DOSSIER_CACHE_KEY", "the tests' key")


@pytest.fixture
def site_copy(tmp_path: Path):
    """Copy a fixture site from tests/sites/ into a temporary folder and return its path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        ignore = shutil.ignore_patterns(".dossier-cache", "site")
        shutil.copytree(SITES / name, target, symlinks=True, ignore=ignore)
        return target

    return copy
