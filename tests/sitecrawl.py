"""Reading a built site as a reader's browser would: parse pages, follow every link."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup


@dataclass(frozen=True)
class Page:
    path: str
    url: str
    soup: BeautifulSoup


def url_of(rel: str, base_path: str) -> str:
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    return base_path + rel


def read_pages(root: Path, base_path: str = "/") -> dict[str, Page]:
    """Every HTML page of the site parsed with html5lib, keyed by its URL path."""
    pages = {}
    for file in sorted(root.rglob("*.html")):
        rel = file.relative_to(root).as_posix()
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html5lib")
        url = url_of(rel, base_path)
        pages[url] = Page(rel, url, soup)
    return pages


def resolve_target(root: Path, base_path: str, url_path: str) -> Path | None:
    """The file a static host would serve for ``url_path``, or None."""
    path = unquote(url_path)
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path) :]
    candidate = root / rel
    if rel == "" or rel.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def internal_links(page: Page, host: str) -> list[str]:
    """Every same-site URL path the page links to or loads (href, src)."""
    found = []
    for tag in page.soup.find_all(True):
        for attr in ("href", "src"):
            value = tag.get(attr)
            if not value or value.startswith(("mailto:", "#")):
                continue
            absolute = urljoin(f"https://{host}{page.url}", value)
            parts = urlsplit(absolute)
            if parts.netloc == host:
                found.append(parts.path)
    return found


def broken_links(root: Path, base_path: str, host: str) -> list[tuple[str, str]]:
    """(page, link) pairs whose target does not exist in the built site."""
    broken = []
    for page in read_pages(root, base_path).values():
        for link in internal_links(page, host):
            if resolve_target(root, base_path, link) is None:
                broken.append((page.url, link))
    return broken


def anchors_resolve(root: Path, base_path: str, host: str) -> list[tuple[str, str]]:
    """(page, href) pairs whose #fragment names no id on the target page."""
    pages = read_pages(root, base_path)
    broken = []
    for page in pages.values():
        for a in page.soup.find_all("a", href=True):
            href = a["href"]
            absolute = urlsplit(urljoin(f"https://{host}{page.url}", href))
            if not absolute.fragment or absolute.netloc != host:
                continue
            target = pages.get(absolute.path)
            if target is None:
                continue
            if target.soup.find(id=unquote(absolute.fragment)) is None:
                broken.append((page.url, href))
    return broken
