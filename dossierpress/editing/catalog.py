"""What the editing commands (``new``, ``import``) need to know of a site: its settings,
and its topics and articles by every name an editor may use for them.

A catalogue reads ``content/`` as a build does (drafts included: an editor links to a
draft too) but stops at the documents: no graph, no pages. A file with problems is left
out rather than failing the command; ``build`` and ``check`` are where problems are told.
Names are looked up as the build resolves ``topics:`` and ``ref:`` (``graph.resolve``):
by slug, title or, for topics, alias, case-, dash- and space-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dossierpress.config import SiteConfig, load_config
from dossierpress.content.loader import load_content
from dossierpress.content.model import Article, Author, Document, Topic
from dossierpress.errors import ContentError, did_you_mean
from dossierpress.graph.model import NameIndex
from dossierpress.graph.resolve import author_index, name_index


@dataclass(frozen=True)
class Catalog:
    config: SiteConfig
    articles: tuple[Article, ...]
    topics: tuple[Topic, ...]
    topic_names: NameIndex
    article_names: NameIndex
    authors: tuple[Author, ...] = ()
    author_names: NameIndex | None = None

    def topic(self, name: str) -> Topic | None:
        """The one topic ``name`` names, or None (unknown or ambiguous)."""
        found = self.topic_names.lookup(name)
        return self._by_path(found[0], self.topics) if len(found) == 1 else None

    def author(self, name: str) -> Author | None:
        """The author file ``name`` (a name or slug) names, as a byline is resolved."""
        found = self.author_names.lookup(name) if self.author_names is not None else ()
        return self._by_path(found[0], self.authors) if found else None

    def article(self, name: str) -> Article | None:
        found = self.article_names.lookup(name)
        return self._by_path(found[0], self.articles) if len(found) == 1 else None

    def unknown_topic(self, name: str) -> str:
        """Why ``name`` names no single topic, with a "did you mean" where one is close."""
        found = self.topic_names.lookup(name)
        if len(found) > 1:
            return f"topic '{name}' is ambiguous: it names {' and '.join(found)}; use the slug"
        hint = did_you_mean(name, self.topic_names.display)
        return f"unknown topic '{name}'" + (f"; {hint}" if hint else "")

    @staticmethod
    def _by_path(path: str, documents: tuple[Document, ...]):
        return next(doc for doc in documents if doc.path == path)


def read_catalog(source: Path) -> tuple[Catalog | None, list[ContentError]]:
    """The catalogue of the site in ``source``, or None and the settings' problems."""
    config, problems = load_config(source)
    if any(not p.is_warning for p in problems):
        return None, problems
    loaded = load_content(source, config, drafts=True)
    return (
        Catalog(
            config,
            loaded.articles,
            loaded.topics,
            name_index(loaded.topics, with_aliases=True),
            name_index(loaded.articles, with_aliases=False),
            loaded.authors,
            author_index(loaded.authors),
        ),
        [],
    )
