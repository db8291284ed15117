"""Full-text search: Pagefind indexes the finished site, as a build's last step.

Pagefind (PyPI ``pagefind[bin]``: the binary ships in the wheel, nothing is downloaded
at build time) reads the site's HTML and writes a static index that the search page
queries in the browser. The pages of the kinds that are ``indexed`` (``PageKind``:
articles and topics, whose ``<main>`` carries ``data-pagefind-body``) are indexed, with
filters for topic, tag and language; each page is indexed in its own language (Pagefind
keeps one index per language, and the search page merges them).

It runs on the build's finished pages before any of them is written: the article and
topic pages, rendered ones from memory and unchanged ones from the output folder, are laid
out in a temporary folder for Pagefind to read, and the index it writes goes into the
output folder in the same step as the pages (recorded like every output, replaced
atomically, removed when no longer produced), so a reader never finds pages the index does
not know. It runs only when an article or topic page was written or removed, or the index
is missing. The live preview does not index: the search page says so (indexing a large
site takes seconds, after every save).
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
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossierpress.content.walk import SourceFile
from dossierpress.errors import WARNING, ContentError
from dossierpress.output import OutputFolder
from dossierpress.pages.kinds import BY_NAME

if TYPE_CHECKING:
    from dossierpress.engine.build import BuildResult

SEARCH_DIR = "pagefind"
ENTRY = f"{SEARCH_DIR}/pagefind.js"
TIMEOUT_SECONDS = 600


class SearchNotBuilt(Exception):
    """Pagefind could not index the site; the message says why, in one line."""


def pagefind_available() -> bool:
    try:
        import pagefind_bin  # noqa: F401
    except ImportError:
        return False
    return True


Page = bytes | Path
"""A page to index: its bytes, or the file that holds them."""


def needs_search(result: BuildResult, folder: OutputFolder) -> bool:
    """Whether the search index is missing, or an indexed page was written or removed."""
    if not (folder.path / ENTRY).is_file():
        return True
    if result.removed:
        return True
    return any(
        out in result.pages and BY_NAME[result.pages[out].plan.kind].indexed
        for out in result.changed
    )


def index_for_search(
    scope: ExitStack, result: BuildResult, folder: OutputFolder
) -> tuple[dict[str, SourceFile] | None, list[ContentError]]:
    """The index of the pages about to be written, alive as long as ``scope``; a failure
    is a warning (the site itself is fine, with the index it had), located at the index's
    own folder."""
    pages: dict[str, Page] = {
        out: record.data if record.data is not None else folder.path / out
        for out, record in result.pages.items()
        if BY_NAME[record.plan.kind].indexed
    }
    try:
        return scope.enter_context(search_index(pages)), []
    except SearchNotBuilt as exc:
        return None, [ContentError(f"{SEARCH_DIR}/", 1, str(exc), severity=WARNING)]


@contextmanager
def search_index(pages: Mapping[str, Page]) -> Iterator[dict[str, SourceFile]]:
    """The search index of ``pages`` (output path → page), as output path → file, in a
    temporary folder removed when the block ends (write them out within it)."""
    if not pagefind_available():
        raise SearchNotBuilt(
            "search not built: Pagefind is not installed (pip install 'pagefind[bin]'), "
            "or pass --no-search"
        )
    work = Path(tempfile.mkdtemp(prefix="dossier-search-"))
    try:
        _lay_out(pages, work / "site")
        yield _run(work / "site", work / "index")
    except OSError as exc:
        raise SearchNotBuilt(f"search not built: {exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


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


def _run(site: Path, work: Path) -> dict[str, SourceFile]:
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
    return {
        f"{SEARCH_DIR}/{path.relative_to(work).as_posix()}": SourceFile(path, work)
        for path in sorted(work.rglob("*"))
        if path.is_file()
    }


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
