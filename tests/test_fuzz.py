"""Fuzzing an article: whatever an editor (or a paste) makes of it, the build answers with
pages or with located error lines, never a traceback, and never hangs.

Hypothesis mutates the front matter and the body of a sample article that uses every
feature, with the characters that break parsers: YAML indicators, control and invisible
characters, line separators, Markdown and wiki-link brackets, long runs. Deterministic
(``derandomize``) and bounded, so it costs the same on every run.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .support.cli import run_cli
from .support.files import SITES

ARTICLE = "content/articles/2024/second-meeting.md"
SAMPLE = (SITES / "basic" / ARTICLE).read_text(encoding="utf-8")
FRONT, BODY = SAMPLE.split("\n---\n", 1)
ERROR_LINE = re.compile(r"^[^:\n]+:\d+: error: ")
WARNING_LINE = re.compile(r"^[^:\n]+:\d+: warning: ")

TRICKY = [
    *"\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u200b\u200d\u2028\u2029\u202e\ufeff\ud7ff\uffff",
    *":-?[]{},&*!|>'\"%@`#\\/~ \t\n",
    "---", "...", "[[", "]]", "[[x|y]]", "[[Gamma]]", "](", "<script>", "javascript:",
    "\n# ", "\n===\n", "\n```\n", "~~~", "^[", "[^1]", "|---|", "&amp;", "%(x)s", "{{", "{%",
    "9999-12-31T23:00:00-14:00", "0000-00-00", "2024-02-30", "NO", "12:30", "~", "null",
    "!!python/object:os.system", "*alias", "&anchor", "<<: *x", "é", "🇮🇩", "ﬁ",
    "x" * 300, "[" * 60, "> " * 40, "* " * 40, "../" * 5, "/old/../../x/", "?#<>",
]  # fmt: skip
"""Fragments that have broken parsers and our own readers before."""

MUTATIONS = ("insert", "delete", "duplicate", "swap", "replace", "value", "value", "value")


def fragment(rng: random.Random) -> str:
    """A tricky fragment, two joined, or random text (some of it non-ASCII)."""
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(TRICKY)
    if roll < 0.75:
        return rng.choice(TRICKY) + rng.choice(TRICKY)
    alphabet = [chr(rng.randrange(0x20, 0x7F)) for _ in range(20)]
    alphabet += [chr(rng.randrange(0x80, 0x30000)) for _ in range(5)]
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))


def mutate(rng: random.Random, text: str) -> str:
    """``text`` after a few insertions, deletions, duplications, swaps and new values."""
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):  # mostly one: the rest stays valid
        kind = rng.choice(MUTATIONS)
        at = rng.randrange(len(text) + 1)
        lines = text.split("\n")
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        if kind == "insert":
            text = text[:at] + fragment(rng) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + rng.randrange(1, 40) :]
        elif kind == "replace":
            end = text.find("\n", at)
            text = text[:at] + fragment(rng) + (text[end:] if end >= 0 else "")
        elif kind == "value":  # a key's value, or a list entry, becomes a fragment
            head = re.match(r"^(.*?(?:: |- ))", lines[i])
            lines[i] = (head.group(1) if head else lines[i]) + fragment(rng)
            text = "\n".join(lines)
        elif kind == "duplicate":
            lines.insert(j, lines[i])
            text = "\n".join(lines)
        else:
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def article(seed: int) -> str:
    """The sample article with its front matter, its body or both mutated."""
    rng = random.Random(seed)
    which = rng.choice(("front", "body", "both"))
    front = mutate(rng, FRONT) if which != "body" else FRONT
    body = mutate(rng, BODY) if which != "front" else BODY
    return front + "\n---\n" + body


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "basic"
    shutil.copytree(SITES / "basic", root)
    return root


@settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=10_000,  # a build of this site takes ~0.1 s; ten seconds means a hang
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**64 - 1))
def test_any_mutation_of_an_article_gives_pages_or_located_errors(source: Path, seed: int):
    """Hypothesis draws seeds, and a seeded generator the mutations: Hypothesis prefers the
    first of a list of choices, which would leave most fragments untried."""
    text = article(seed)
    (source / ARTICLE).write_text(text, encoding="utf-8", errors="surrogatepass")
    result = run_cli("--source", source, "--output", source / "site", "-q")
    assert "Traceback" not in result.err
    assert result.code in (0, 1), result.err
    lines = result.err.splitlines()
    if result.code == 1:
        problems = [line for line in lines if not line.startswith("build failed: ")]
        assert problems, result.err
        assert all(ERROR_LINE.match(line) or WARNING_LINE.match(line) for line in problems), lines
        assert any(ERROR_LINE.match(line) for line in problems)
        assert lines[-1].startswith("build failed: ")
    else:
        assert all(WARNING_LINE.match(line) for line in lines), lines
