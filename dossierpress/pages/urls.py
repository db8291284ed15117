"""The one place that maps content to URLs and output paths.

Internal links are root-relative and carry the site's path prefix (``/dossiers/2024/06/x/``)
so the site works on any static host at ``base_url``; the live preview builds the same
site with its own base URL. Output paths are POSIX paths relative to the output root;
``output_of`` and its inverse ``url_of`` map one to the other for the build and the
preview's server alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from dossierpress.config import SiteConfig
from dossierpress.content.model import Article

INDEX = "index.html"
"""The file a URL ending in ``/`` is served from."""


def output_of(url: str, base_path: str = "/") -> str:
    """The output file for a root-relative URL under ``base_path`` (``/x/`` →
    ``x/index.html``, ``/feed.xml`` → ``feed.xml``); the inverse of ``url_of``."""
    if not url.startswith(base_path):
        raise ValueError(f"{url!r} is outside the site root {base_path!r}")
    local = url[len(base_path) :]
    return local + INDEX if local == "" or local.endswith("/") else local


def url_of(output: str, base_path: str = "/") -> str:
    """The root-relative URL a browser uses for an output file (``x/index.html`` →
    ``/x/``); the inverse of ``output_of``."""
    if output == INDEX or output.endswith("/" + INDEX):
        output = output[: -len(INDEX)]
    return base_path + output


@dataclass(frozen=True)
class Urls:
    """URLs of every kind of page for one site configuration."""

    config: SiteConfig

    @property
    def base_path(self) -> str:
        return self.config.base_path

    def home(self) -> str:
        return self.base_path

    def article(self, article: Article) -> str:
        local = article.date.astimezone(self.config.zone)
        return f"{self.base_path}{local.year:04d}/{local.month:02d}/{article.slug}/"

    def topic(self, slug: str, page: int = 1) -> str:
        return self.paged(f"{self.base_path}topics/{slug}/", page)

    def tag(self, slug: str, page: int = 1) -> str:
        return self.paged(f"{self.base_path}tags/{slug}/", page)

    def author(self, slug: str, page: int = 1) -> str:
        return self.paged(f"{self.base_path}authors/{slug}/", page)

    def topics_index(self) -> str:
        return f"{self.base_path}topics/"

    def tags_index(self) -> str:
        return f"{self.base_path}tags/"

    def archive(self, page: int = 1) -> str:
        return self.paged(f"{self.base_path}archive/", page)

    @staticmethod
    def paged(url: str, page: int) -> str:
        """Page ``page`` of the list at ``url``: page 1 is the list's own URL, so it stays
        the same when the list grows a second page; later pages are ``…/page/2/``."""
        return url if page == 1 else f"{url}page/{page}/"

    def feed(self) -> str:
        """The site's Atom feed."""
        return f"{self.base_path}feed.xml"

    def topic_feed(self, slug: str) -> str:
        return f"{self.base_path}topics/{slug}/feed.xml"

    def tag_feed(self, slug: str) -> str:
        return f"{self.base_path}tags/{slug}/feed.xml"

    def author_feed(self, slug: str) -> str:
        return f"{self.base_path}authors/{slug}/feed.xml"

    def sitemap(self) -> str:
        return f"{self.base_path}sitemap.xml"

    def news_sitemap(self) -> str:
        return f"{self.base_path}news-sitemap.xml"

    def robots(self) -> str:
        return f"{self.base_path}robots.txt"

    def search(self, lang: str = "") -> str:
        """The search page in the site's language, or in ``lang`` (another language's)."""
        return f"{self.base_path}search/{lang}/" if lang else f"{self.base_path}search/"

    def search_assets(self) -> str:
        """Where the search index (Pagefind's files) is written: ``engine.search``."""
        return f"{self.base_path}pagefind/"

    def not_found(self) -> str:
        return f"{self.base_path}404.html"

    def static(self, name: str) -> str:
        return f"{self.base_path}static/{name}"

    def site_path(self, path: str) -> str:
        """A root-relative path an editor wrote (``/img/map.png``) under the site prefix."""
        return self.base_path + path.lstrip("/")

    def absolute(self, url: str) -> str:
        """The full URL of a root-relative URL, for canonical links and feeds."""
        parts = urlsplit(self.config.base_url)
        return f"{parts.scheme}://{parts.netloc}{quote(url, safe='/%:@&=+$,;~!*()')}"

    def output_path(self, url: str) -> str:
        """The output file for a root-relative URL of this site (``.../x/`` → ``x/index.html``)."""
        return output_of(url, self.base_path)
