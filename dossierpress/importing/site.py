"""What the importer needs to know of the site: its topics and articles, by name.

A draft names topics (``--topic``) and other stories (``related``) the way the build
resolves them, so that it builds as written: the site's catalogue (``editing.catalog``)
looks names up with the build's own name indexes. Related headlines are matched more
loosely, word for word (``plain.words``), since another outlet's box spells a headline
its own way ("Flood barrier test passes" for "Flood-barrier test passes,"); the ``ref``
written is then a spelling the build resolves to that very document, or there is none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from dossierpress.config import SiteConfig
from dossierpress.content.model import Article, Document, Topic
from dossierpress.content.names import normalise_target
from dossierpress.editing.catalog import Catalog
from dossierpress.errors import did_you_mean
from dossierpress.importing.plain import words
from dossierpress.importing.report import Problem


@dataclass(frozen=True)
class SiteIndex:
    """The site's catalogue, and its documents by the words of their names."""

    catalog: Catalog
    by_words: dict[tuple[str, ...], tuple[Document, ...]]
    """Topics first, as the build resolves a name that is both."""

    @classmethod
    def of(cls, catalog: Catalog) -> SiteIndex:
        table: dict[tuple[str, ...], list[Document]] = defaultdict(list)
        for doc in (*catalog.topics, *catalog.articles):
            for name in names_of(doc):
                bucket = table[words(name)]
                if doc not in bucket:
                    bucket.append(doc)
        return cls(catalog, {key: tuple(docs) for key, docs in table.items()})

    @property
    def config(self) -> SiteConfig:
        return self.catalog.config

    def languages(self) -> set[str]:
        """The site's language and every language its documents name."""
        documents: Iterable[Document] = (*self.catalog.articles, *self.catalog.topics)
        return {self.catalog.config.language, *(doc.lang for doc in documents if doc.lang)}

    def topic_slug(self, text: str) -> str | Problem:
        """The slug of the topic ``--topic text`` names, or why it names none."""
        topic = self.catalog.topic(text)
        if topic is not None:
            return topic.slug
        found = self.catalog.topic_names.lookup(text)
        if found:
            message = (
                f"topic '{text}' given with --topic is ambiguous: it names {' and '.join(found)}"
            )
            return Problem(message, "use the slug")
        hint = did_you_mean(text, self.catalog.topic_names.display)
        return Problem(
            f"unknown topic '{text}' given with --topic",
            hint or "name a topic by its slug, title or an alias (see content/topics/)",
        )

    def related_ref(self, headline: str) -> str | None:
        """The ``ref`` of the article or topic whose name ``headline`` is, word for word,
        when exactly one is (and a spelling of it leads the build there), else None."""
        found = self.by_words.get(words(headline), ())
        if len(found) > 1:  # the one whose name it is, as the build compares names
            exact = normalise_target(headline)
            found = tuple(d for d in found if exact in map(normalise_target, names_of(d)))
        if len(found) > 1:  # a topic, as the build prefers one
            found = tuple(d for d in found if isinstance(d, Topic))
        return self._reference_to(found[0]) if len(found) == 1 else None

    def article_at(self, slug: str, month: tuple[int, int]) -> Article | None:
        """The article whose address (month and slug) a new one would take, if any."""
        zone = self.catalog.config.zone
        for article in self.catalog.articles:
            local = article.date.astimezone(zone)
            if article.slug == slug and (local.year, local.month) == month:
                return article
        return None

    def _reference_to(self, doc: Document) -> str | None:
        """A spelling (slug, else title) the build resolves to ``doc`` itself: topics are
        looked up first, so an article whose slug names a topic too cannot go by it."""
        for spelling in (doc.slug, doc.title):
            found = self.catalog.topic_names.lookup(spelling) or self.catalog.article_names.lookup(
                spelling
            )
            if found == (doc.path,):
                return spelling
        return None


def names_of(doc: Document) -> tuple[str, ...]:
    """What a reference may call ``doc``: its slug, its title and a topic's aliases."""
    aliases = tuple(alias.text for alias in doc.aliases) if isinstance(doc, Topic) else ()
    return (doc.slug, doc.title, *aliases)
