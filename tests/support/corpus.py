"""The benchmark's corpus generator (``bench/generate_corpus.py``, a script, not a module of
the package), loaded for the tests that need a large archive."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from .files import REPO


def load_generator() -> ModuleType:
    path = REPO / "bench" / "generate_corpus.py"
    spec = importlib.util.spec_from_file_location("generate_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module
