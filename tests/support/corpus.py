"""The benchmark's scripts (``bench/generate_corpus.py``, ``bench/hugo.py``: scripts, not
modules of the package), loaded for the tests that need a large archive or its Hugo
version."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from .files import REPO


def load_bench(name: str) -> ModuleType:
    """``bench/<name>.py`` as the module ``name``, as the benchmark's scripts import it."""
    path = REPO / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def load_generator() -> ModuleType:
    return load_bench("generate_corpus")
