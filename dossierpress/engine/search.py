"""Full-text search: Pagefind indexes the finished site, as a build's last step, in parts.

Pagefind (PyPI ``pagefind[bin]``: the binary ships in the wheel, nothing is downloaded
at build time) reads the site's HTML and writes a static index that the search page
queries in the browser. The pages of the kinds that are ``indexed`` (``PageKind``:
articles and topics, whose ``<main>`` carries ``data-pagefind-body``) are indexed, with
filters for topic, tag and language; each page is indexed in its own language.

Pagefind has no incremental mode: it indexes every page it is given, each time. So the
index of a large site is cut into shards that are built apart and searched together
(Pagefind's ``mergeIndex``, as for several sites): the topics in one, the articles by
year of publication, a year of more than ``SHARD_PAGES`` articles by half-year, then by
quarter, then by month (``shard_names``); a site of up to ``SHARD_PAGES`` pages has one.
A shard is indexed again only when the bytes of one of its pages changed (its digest,
over its pages' digests and Pagefind's version, is kept in ``pagefind/shards.json``,
which the search page reads to know what to merge): an edit to one article costs its
shard and the topics', not the archive. Each shard is a bundle of its own under
``pagefind/<shard>/``; Pagefind's scripts are shared, at ``pagefind/``. Every shard costs
a reader's first search a few requests more (``bench/search_weight.py``), which is why
they are few and large.

It runs on the build's finished pages before any of them is written: the pages of the
shards to index, rendered ones from memory and unchanged ones from the output folder,
are laid out in a temporary folder for Pagefind to read (one process per shard, as many
at once as the build has workers), and what it writes goes into the output folder in the
same step as the pages (recorded like every output, replaced atomically, removed when no
longer produced), so a reader never finds pages the index does not know. The live
preview does not index: the search page says so (indexing takes seconds).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossierpress.content.model import Article
from dossierpress.content.walk import SourceFile
from dossierpress.errors import WARNING, ContentError
from dossierpress.graph.model import ContentGraph, document_at
from dossierpress.output import OutputFolder
from dossierpress.pages.kinds import BY_NAME

if TYPE_CHECKING:
    from dossierpress.engine.build import BuildResult

SEARCH_DIR = "pagefind"
ENTRY = f"{SEARCH_DIR}/pagefind.js"
SHARDS = f"{SEARCH_DIR}/shards.json"
"""The shards of the index, their languages and digests: the search page merges them."""
TIMEOUT_SECONDS = 600
SHARD_PAGES = 1500
"""At most this many pages in a shard (a month's has no limit). Pagefind indexes about
500 pages a second on one core, and every shard is one more index a reader's search
loads (its list, its metadata and a chunk of words per language: about 25 kB and 6
requests), so a site of up to this many pages has one, a larger one a dozen or two."""
UNDATED = "topics"
"""The shard of the indexed pages without a publication date: the topics."""
ALL = "all"
"""The one shard of an index of at most ``SHARD_PAGES`` pages."""
_SHARD_FILES = ("pagefind-entry.json", "pagefind-worker.js")
"""Of the files Pagefind writes at the top of a bundle, those a shard keeps for itself
(with its ``.pf_meta`` and ``wasm`` files and its folders): the search page loads
Pagefind's language module and its worker from its first shard."""


class SearchNotBuilt(Exception):
    """Pagefind could not index the site; the message says why, in one line."""


def pagefind_available() -> bool:
    try:
        import pagefind_bin  # noqa: F401
    except ImportError:
        return False
    return True


def pagefind_version() -> str:
    """The installed Pagefind's version: another one indexes every shard again."""
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return ""


Page = bytes | Path
"""A page to index: its bytes, or the file that holds them."""


def shard_names(periods: Mapping[str, str | None]) -> dict[str, str]:
    """Each page's shard, from its month of publication (``YYYY-MM``; None: undated).

    An index of at most ``SHARD_PAGES`` pages is one shard (``ALL``). A larger one has
    the undated pages (the topics) in one, and the articles by year; a year of more than
    ``SHARD_PAGES`` articles by half-year, a half by quarter, a quarter by month. Every
    shard is one more index a reader's search loads, so they are as few as the limit
    allows; and a new article moves no other page into another shard unless its period
    crosses the limit."""
    if len(periods) <= SHARD_PAGES:
        return dict.fromkeys(periods, ALL)
    dated = [month for month in periods.values() if month]
    counts = Counter(name for month in dated for name in _periods(month))

    def shard(month: str | None) -> str:
        if month is None:
            return UNDATED
        *wider, narrowest = _periods(month)
        return next((name for name in wider if counts[name] <= SHARD_PAGES), narrowest)

    return {out: shard(month) for out, month in periods.items()}


def _periods(month: str) -> tuple[str, str, str, str]:
    """The year, half-year, quarter and month of a ``YYYY-MM`` month, as shard names."""
    year, number = month[:4], int(month[5:7])
    return (year, f"{year}-h{(number + 5) // 6}", f"{year}-q{(number + 2) // 3}", month)


@dataclass(frozen=True)
class Shard:
    """One part of the index: its pages (output path → page record's digest), their
    languages, and a digest of both and of the Pagefind that indexes them."""

    name: str
    pages: dict[str, str]
    languages: tuple[str, ...]
    digest: str

    @property
    def folder(self) -> str:
        return f"{SEARCH_DIR}/{self.name}/"


@dataclass(frozen=True)
class SearchPlan:
    """Every shard of the index the pages call for, and which of them to index anew."""

    shards: tuple[Shard, ...]
    todo: tuple[str, ...]
    """Shards whose pages changed since the index in the folder was made (or new ones)."""
    gone: tuple[str, ...]
    """Shards the folder's index has that no page calls for any more."""
    complete: bool
    """The folder has Pagefind's scripts and the list of shards."""

    @property
    def owed(self) -> bool:
        """The folder's index does not match the pages."""
        return bool(self.todo or self.gone) or not self.complete

    def listing(self) -> bytes:
        """``shards.json``: the search page merges these bundles, the first one that has
        its language leading (its language module is the one loaded)."""
        shards = [
            {"name": shard.name, "languages": list(shard.languages), "digest": shard.digest}
            for shard in self.shards
        ]
        text = json.dumps({"version": 1, "shards": shards}, ensure_ascii=False, indent=1)
        return (text + "\n").encode("utf-8")


def plan_search(result: BuildResult, folder: OutputFolder) -> SearchPlan:
    """The shards of the result's indexed pages, compared with the folder's index."""
    shards = _shards(result.pages, result.graph, result.config.language)
    before = _listed(folder.path / SHARDS)
    todo = tuple(
        shard.name
        for shard in shards
        if before.get(shard.name) != shard.digest
        or not (folder.path / shard.folder / "pagefind-entry.json").is_file()
    )
    names = {shard.name for shard in shards}
    gone = tuple(sorted(set(before) - names))
    complete = bool(before) and (folder.path / ENTRY).is_file()
    return SearchPlan(shards, todo, gone, complete)


def _shards(pages: Mapping[str, Any], graph: ContentGraph, site_lang: str) -> tuple[Shard, ...]:
    indexed = {
        out: record
        for out, record in pages.items()
        if BY_NAME[record.plan.kind].searched(record.plan)
    }
    periods = {out: _month(graph, record.plan.key) for out, record in indexed.items()}
    names = shard_names(periods)
    grouped: dict[str, dict[str, str]] = {}
    languages: dict[str, set[str]] = {}
    for out, name in names.items():
        grouped.setdefault(name, {})[out] = indexed[out].digest
        languages.setdefault(name, set()).add((indexed[out].plan.lang or site_lang).lower())
    order = sorted(grouped, key=_newest_first)
    version = pagefind_version()
    return tuple(
        Shard(
            name,
            grouped[name],
            tuple(sorted(languages[name])),
            _digest(version, name, grouped[name]),
        )
        for name in order
    )


def _digest(version: str, name: str, pages: Mapping[str, str]) -> str:
    made = hashlib.sha256(f"{version}\n{name}\n".encode())
    for out, digest in sorted(pages.items()):
        made.update(f"{out}\0{digest}\n".encode())
    return made.hexdigest()[:20]


def _newest_first(name: str) -> tuple[bool, int]:
    """The topics first, then the periods by when they start, the latest first."""
    if name in (UNDATED, ALL):
        return (False, 0)
    year, _, part = name.partition("-")
    first = {"": 1, "h": 6, "q": 3}
    unit = part[:1] if part[:1] in ("h", "q") else ""
    month = int(part) if part and not unit else 1 + first[unit] * (int(part[1:] or 1) - 1)
    return (True, -(int(year) * 12 + month))


def _month(graph: ContentGraph, path: str) -> str | None:
    document = document_at(graph, path)
    return f"{document.date:%Y-%m}" if isinstance(document, Article) else None


def _listed(path: Path) -> dict[str, str]:
    """Shard name → digest, as the folder's ``shards.json`` lists them (none when it is
    missing or not ours to read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {shard["name"]: shard["digest"] for shard in data["shards"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


@dataclass(frozen=True)
class SearchFiles:
    """What indexing gives the write: new files (output path → file), and the recorded
    files of the shards left as they were."""

    files: dict[str, SourceFile | bytes]
    keep: frozenset[str]
    read: frozenset[str]
    """The pages Pagefind read (``Engine.remember_read_for_search``)."""


def index_for_search(
    scope: ExitStack,
    plan: SearchPlan,
    result: BuildResult,
    folder: OutputFolder,
    jobs: int = 1,
) -> tuple[SearchFiles | None, list[ContentError]]:
    """The shards of ``plan`` that need it indexed, alive as long as ``scope``; a
    failure is a warning (the site itself is fine, with the index it had), located at
    the index's own folder."""
    todo = set(plan.todo)
    if not plan.complete and plan.shards:  # Pagefind's scripts come with any shard
        todo.add(plan.shards[0].name)
    pages = {
        shard.name: {out: _page(result, folder, out) for out in shard.pages}
        for shard in plan.shards
        if shard.name in todo
    }
    try:
        files = scope.enter_context(search_index(pages, jobs))
    except SearchNotBuilt as exc:
        return None, [ContentError(f"{SEARCH_DIR}/", 1, str(exc), severity=WARNING)]
    recorded = folder.recorded_under(SEARCH_DIR)
    kept = tuple(shard.folder for shard in plan.shards if shard.name not in todo)
    keep = {rel for rel in recorded if rel.startswith(kept)}
    if not pages:  # no new scripts: the ones there stay
        keep |= {rel for rel in recorded if _shared(rel)}
    read = frozenset(out for shard in pages.values() for out in shard)
    return SearchFiles({**files, SHARDS: plan.listing()}, frozenset(keep), read), []


def _shared(rel: str) -> bool:
    """One of Pagefind's scripts, at the top of the search folder."""
    return rel != SHARDS and "/" not in rel.removeprefix(f"{SEARCH_DIR}/")


def _page(result: BuildResult, folder: OutputFolder, out: str) -> Page:
    data = result.pages[out].data
    return data if data is not None else folder.path / out


@contextmanager
def search_index(
    shards: Mapping[str, Mapping[str, Page]], jobs: int = 1
) -> Iterator[dict[str, SourceFile]]:
    """The index of each shard's pages (shard → output path → page), as output path →
    file, in a temporary folder removed when the block ends (write them out within it):
    each shard's bundle under ``pagefind/<shard>/``, Pagefind's scripts at
    ``pagefind/`` (from one of them: they are the same)."""
    if not pagefind_available():
        raise SearchNotBuilt(
            "search not built: Pagefind is not installed (pip install 'pagefind[bin]'), "
            "or pass --no-search"
        )
    work = Path(tempfile.mkdtemp(prefix="dossier-search-"))
    try:
        names = sorted(shards)
        for name in names:
            _lay_out(shards[name], work / "site" / name)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            made = list(
                pool.map(lambda name: _run(work / "site" / name, work / "index" / name), names)
            )
        yield _bundle(dict(zip(names, made, strict=True)))
    except OSError as exc:
        raise SearchNotBuilt(f"search not built: {exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bundle(made: Mapping[str, Path]) -> dict[str, SourceFile]:
    """Output path → file of every shard's bundle, and of the shared scripts."""
    files: dict[str, SourceFile] = {}
    for name, index in sorted(made.items()):
        for path in sorted(index.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(index).as_posix()
            if "/" in rel or rel in _SHARD_FILES or rel.endswith((".pf_meta", ".pagefind")):
                files[f"{SEARCH_DIR}/{name}/{rel}"] = SourceFile(path, index)
            else:
                files.setdefault(f"{SEARCH_DIR}/{rel}", SourceFile(path, index))
    return files


def _lay_out(pages: Mapping[str, Page], site: Path) -> None:
    """Put each page where Pagefind finds it under ``site``; a page already on disk is
    linked rather than copied where the file system allows."""
    made: set[Path] = set()
    for out, page in pages.items():
        target = site / out
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if isinstance(page, bytes):
            with open(target, "wb") as handle:
                handle.write(page)
            continue
        try:
            os.link(page, target)
        except OSError:
            shutil.copyfile(page, target)


def _run(site: Path, work: Path) -> Path:
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(work),
        "--silent",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchNotBuilt(f"search not built: Pagefind did not run ({exc})") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise SearchNotBuilt(f"search not built: {said[-1] if said else 'Pagefind failed'}")
    try:
        _make_deterministic(work)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise SearchNotBuilt(f"search not built: unexpected Pagefind output ({exc})") from None
    return work


# -- the same index for the same site --------------------------------------------------------
# Pagefind (1.5) writes its filter files, and the list of them in each language's meta
# file, in hash-map order, which differs from run to run; file names are digests of the
# contents, so two builds of one site would differ in a few files. We sort them and name
# them after their sorted contents. The files are gzip-compressed CBOR behind a
# "pagefind_dcd" signature, using definite-length arrays, text strings and integers only.

_SIGNATURE = b"pagefind_dcd"


def _make_deterministic(work: Path) -> None:
    entry_path = work / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in sorted(entry["languages"].items()):
        meta_path = work / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, old in sorted(meta[3], key=lambda pair: pair[0]):
            old_path = work / "filter" / f"{old}.pf_filter"
            filter_name, values = _read(old_path)
            ordered = sorted(([value, sorted(pages)] for value, pages in values), key=_first)
            data = _pack([filter_name, ordered])
            new = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
            old_path.unlink()
            (work / "filter" / f"{new}.pf_filter").write_bytes(data)
            filters.append([name, new])
        meta[3] = filters
        data = _pack(meta)
        info["hash"] = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (work / f"pagefind.{info['hash']}.pf_meta").write_bytes(data)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))


def _first(item: list[Any]) -> Any:
    return item[0]


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind data file")
    value, end = _decode(raw, len(_SIGNATURE))
    if end != len(raw):
        raise ValueError(f"{path.name} has data after its value")
    return value


def _pack(value: Any) -> bytes:
    return gzip.compress(_SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | info]) + number.to_bytes(size, "big")
    raise ValueError("number too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"unexpected {value!r} in Pagefind data")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    raise ValueError(f"unexpected {type(value).__name__} in Pagefind data")


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    first = data[at]
    major, info = first >> 5, first & 31
    at += 1
    if info < 24:
        number = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        number, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise ValueError("indefinite lengths are not expected in Pagefind data")
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major in (2, 3):
        chunk = data[at : at + number]
        return (chunk if major == 2 else chunk.decode("utf-8")), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} is not expected in Pagefind data")
