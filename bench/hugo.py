"""Convert a benchmark corpus into a Hugo site: the anchor ``run.py`` measures Dossier against.

    python bench/hugo.py CORPUS_DIR HUGO_DIR

``HUGO_DIR`` gets a copy of ``bench/hugo-site/`` (config and layouts, no theme) and the
corpus's content in the form Hugo reads: each article as ``content/articles/…/<slug>.md``
with YAML front matter (``title``, ``date``, ``slug``, ``tags``, ``topics``, ``related``
as ``{title, url}`` mappings), each topic's introduction as
``content/topics/<slug>/_index.md``. Then ``hugo --source HUGO_DIR`` builds what a Dossier
build of the corpus renders, as closely as Hugo's model allows, and a ratio of the two
build times compares the same work.

The conversion reads names the way Dossier does, with its own functions, so both sites
have the same pages at the same addresses:

- dates as written (a day, a naive time, an offset, UTC) become aware times in the site's
  timezone, because Hugo reads a naive date in UTC; an article's URL is ``/<yyyy>/<mm>/
  <slug>/`` of its local date, as in Dossier;
- topics, named by slug, title (either dash) or alias, become their slug: Hugo makes term
  pages from names, and would make one per spelling;
- tags spelled in several cases become one term, spelled as Dossier shows it (the most
  used spelling);
- ``related``: a ``ref`` to an article becomes its title and URL, a bare URL reads as its
  host and path, a mapping keeps its title and URL;
- wiki links ``[[target]]`` and ``[[target|label]]`` become ordinary Markdown links (to the
  target's title, or the label), or plain text when they name nothing, so Hugo's Markdown
  renders the links ours does. The corpus has none in code or inside a link's text, so
  those cases are not handled.

Fields the Hugo layouts do not show (summary, sources, authors, lang, key facts) are left
out. Article ``aliases`` are kept: both generators write a redirect page for each.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import yaml

from dossierpress.content.fields import parse_date
from dossierpress.content.names import normalise_target
from dossierpress.content.slugs import tag_key

BENCH = Path(__file__).resolve().parent
SITE_TEMPLATE = BENCH / "hugo-site"
MARKER = ".dossier-bench-hugo"
"""Left in ``HUGO_DIR``: a folder holding it may be replaced by the next conversion, any
other non-empty folder is refused (it is somebody's files)."""

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_WIKILINK = re.compile(r"\[\[([^\[\]]*)\]\]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


# -- Reading the corpus -----------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One Markdown file of the corpus: its front matter as PyYAML reads it, and its body."""

    path: Path
    front: dict[str, Any]
    body: str


def read_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return Source(path, {}, text)
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ValueError(f"{path}: front matter does not end")
    front = yaml.load(text[4 : end + 1], Loader=_LOADER) or {}
    return Source(path, front, text[end + 5 :].lstrip("\n"))


def site_zone(corpus: Path) -> tzinfo:
    """The site's timezone from ``site.yaml`` (Dossier's default is UTC)."""
    config = corpus / "site.yaml"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    settings = yaml.load(text, Loader=_LOADER) or {}
    return ZoneInfo(str(settings.get("timezone") or "UTC"))


def local_time(value: object, zone: tzinfo) -> datetime:
    """A date as editors write it, as an aware time in ``zone``."""
    return parse_date(str(value), zone)[0].astimezone(zone)


def names(value: object) -> list[str]:
    """A list of names (``tags``, ``topics``); a single string is a list of one."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


# -- Names and addresses ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    title: str
    url: str


class Index:
    """Every name a reference may use, compared as Dossier compares them
    (``normalise_target``): slug and title, and a topic's aliases. Topics win over
    articles, as in Dossier."""

    def __init__(self) -> None:
        self.topics: dict[str, str] = {}
        self.articles: dict[str, str] = {}
        self.targets: dict[str, Target] = {}
        """Slug → title and URL (topic slugs and article slugs never collide in a corpus)."""

    def add_topic(self, slug: str, title: str, aliases: list[str]) -> None:
        self.targets[slug] = Target(title, f"/topics/{slug}/")
        for name in (slug, title, *aliases):
            self.topics.setdefault(normalise_target(name), slug)

    def add_article(self, slug: str, title: str, url: str) -> None:
        self.targets[slug] = Target(title, url)
        for name in (slug, title):
            self.articles.setdefault(normalise_target(name), slug)

    def topic(self, name: str) -> str | None:
        return self.topics.get(normalise_target(name))

    def find(self, name: str) -> Target | None:
        key = normalise_target(name)
        slug = self.topics.get(key) or self.articles.get(key)
        return self.targets[slug] if slug else None


def article_slug(source: Source) -> str:
    return str(source.front.get("slug") or source.path.stem)


def article_url(slug: str, when: datetime) -> str:
    """Where Dossier puts an article: its local year and month, then its slug."""
    return f"/{when:%Y}/{when:%m}/{slug}/"


def escape(text: str) -> str:
    """``text`` as literal Markdown inline text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plain_links(body: str, index: Index) -> str:
    """``body`` with every wiki link an ordinary Markdown link, or text when unresolved."""

    def replace(match: re.Match[str]) -> str:
        raw_target, _, raw_label = match.group(1).partition("|")
        target, label = " ".join(raw_target.split()), " ".join(raw_label.split())
        if not target:
            return match.group(0)  # not a wiki link to Dossier either
        found = index.find(target)
        if found is None:
            return escape(label or target)
        return f"[{escape(label or found.title)}]({found.url})"

    return _WIKILINK.sub(replace, body)


def preferred_spellings(articles: list[Source]) -> dict[str, str]:
    """Tag key → the spelling Dossier shows: most used, then with capitals, then A–Z."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for tag in names(article.front.get("tags")):
            spellings[tag_key(tag)][tag.strip()] += 1
    return {
        key: min(counts, key=lambda s: (-counts[s], s.islower(), s))
        for key, counts in spellings.items()
    }


def readable_url(url: str) -> str:
    """What a bare URL reads as on Dossier's pages: host and path, as a person types them."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    query = f"?{unquote(parts.query)}" if parts.query else ""
    return f"{parts.netloc}{unquote(parts.path).rstrip('/')}{query}"


def related_links(value: object, index: Index) -> list[dict[str, str]]:
    """``related`` entries as the ``{title, url}`` mappings the Hugo layout lists."""
    links = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, str):
            links.append({"title": readable_url(entry), "url": entry})
        elif isinstance(entry, dict) and entry.get("ref"):
            found = index.find(str(entry["ref"]))
            if found is not None:
                links.append({"title": str(entry.get("title") or found.title), "url": found.url})
        elif isinstance(entry, dict) and entry.get("url"):
            url = str(entry["url"])
            title = entry.get("title") or entry.get("source") or readable_url(url)
            links.append({"title": str(title), "url": url})
    return links


# -- Writing the Hugo site --------------------------------------------------------------


def page(front: dict[str, Any], body: str) -> str:
    """A Hugo content file: YAML front matter, then the body."""
    matter = yaml.dump(front, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{matter}---\n\n{body.strip()}\n"


def prepare(out: Path) -> None:
    """Make ``out`` an empty copy of ``bench/hugo-site/``, refusing a folder of other files."""
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise FileExistsError(f"{out} is not empty and not made by {Path(__file__).name}")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(SITE_TEMPLATE, out)
    (out / MARKER).write_text("made by bench/hugo.py; replaced by the next conversion\n")


def sources(folder: Path) -> Iterator[Source]:
    for path in sorted(folder.rglob("*.md")):
        yield read_source(path)


@dataclass(frozen=True)
class Corpus:
    """A corpus read whole, with what converting one file needs to know of the others."""

    content: Path
    zone: tzinfo
    """The site's timezone: Dossier reads naive dates in it, Hugo would read them in UTC."""
    topics: list[Source]
    articles: list[Source]
    dates: dict[Path, datetime]
    """Each article's publication time in the site's timezone."""
    index: Index
    spelling: dict[str, str]
    """Tag key → the spelling shown."""


def read_corpus(corpus: Path) -> Corpus:
    zone = site_zone(corpus)
    content = corpus / "content"
    topics = list(sources(content / "topics"))
    articles = list(sources(content / "articles"))
    index = Index()
    for topic in topics:
        title = str(topic.front.get("title") or topic.path.stem)
        index.add_topic(topic.path.stem, title, names(topic.front.get("aliases")))
    dates = {}
    for article in articles:
        slug, when = article_slug(article), local_time(article.front["date"], zone)
        dates[article.path] = when
        index.add_article(slug, str(article.front["title"]), article_url(slug, when))
    return Corpus(content, zone, topics, articles, dates, index, preferred_spellings(articles))


def topic_page(corpus: Corpus, topic: Source) -> str:
    """The topic's term page: its title and its introduction."""
    front = {"title": str(topic.front.get("title") or topic.path.stem)}
    return page(front, plain_links(topic.body, corpus.index))


def article_page(corpus: Corpus, article: Source) -> str:
    slug, when, index = article_slug(article), corpus.dates[article.path], corpus.index
    front: dict[str, Any] = {
        "title": str(article.front["title"]),
        "date": when.isoformat(),
        "slug": slug,
        "url": article_url(slug, when),
    }
    updated = article.front.get("updated")
    if updated:
        front["lastmod"] = local_time(updated, corpus.zone).isoformat()
    tags = (corpus.spelling[tag_key(t)] for t in names(article.front.get("tags")))
    front["tags"] = list(dict.fromkeys(tags))
    topics = (index.topic(t) for t in names(article.front.get("topics")))
    front["topics"] = list(dict.fromkeys(t for t in topics if t))
    front["related"] = related_links(article.front.get("related"), index)
    if article.front.get("aliases"):
        front["aliases"] = names(article.front["aliases"])
    return page(front, plain_links(article.body, index))


def convert(corpus_dir: Path, out: Path) -> int:
    """Write the Hugo version of a corpus into ``out``; return how many articles it holds."""
    corpus = read_corpus(corpus_dir)
    prepare(out)
    for topic in corpus.topics:
        folder = out / "content" / "topics" / topic.path.stem
        folder.mkdir(parents=True)
        (folder / "_index.md").write_text(topic_page(corpus, topic), encoding="utf-8")
    for article in corpus.articles:
        target = out / "content" / article.path.relative_to(corpus.content)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(article_page(corpus, article), encoding="utf-8")
    return len(corpus.articles)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR", help="from generate_corpus.py")
    parser.add_argument(
        "out", type=Path, metavar="HUGO_DIR", help="replaced if this script made it"
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "content").is_dir():
        parser.error(f"{args.corpus / 'content'} is not a folder")
    started = time.perf_counter()
    try:
        count = convert(args.corpus, args.out)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"Converted {count} articles into {args.out} in {elapsed:.2f} s")
    print(f"Build it with: hugo --source {args.out} --destination OUT --quiet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
