"""The persistent cache: a build's state on disk, so the next ``python build.py`` starts warm.

``.dossier-cache/`` beside ``content/`` (git-ignore it; ``--cache-dir``, ``--no-cache``)
holds, for each kind of build (drafts or not, scheduled articles or not, and the output
folder it wrote, or none: ``check``):

- ``build-<name>.index``: a small summary (``StateIndex``): every content file's stat
  signature, the theme's and translations' digests, where each output was written. A
  build that finds all of it unchanged stops there, without reading anything else.
- ``build-<name>.bin``: the ``BuildState`` a build left: each content file's record, the
  last content graph, each page's plan, templates and reads. The state says which engine
  code and settings made it (``BuildState.key``), so a changed ``site.yaml`` or a new
  version starts afresh, and a changed template or translation re-renders exactly the
  pages that used it.
- ``bodies.sqlite3``, shared: each parsed body's HTML, by the digest of its Markdown.
  Most of a state's size, and a warm build needs only the few it renders, so they are
  kept apart and fetched by digest; a body is written once, whatever build made it.
  SQLite writes into whatever file a path leads to, so the store is opened only when it
  is a file of ours: never through a symbolic link, and never when it is a hard link,
  not a regular file, or a database of other tables (someone else's, linked or copied
  in). Such a thing is discarded (the link itself, never what it points to) with one
  warning and a new store made in its place; nothing is ever written into it.

Plain files for the index and the state, which a build reads whole at its start and
writes whole at its end: one read, and one atomic rename (two builds sharing a cache
never see half a file; the last one wins). SQLite for the bodies, where a build reads a
few rows out of tens of thousands and adds only new ones.

The state is pickled (quick, and it keeps its types), but unpickling runs code the data
names, and a cache folder can come from elsewhere: a checkout, a CI cache, a pull
request that adds it. So every file and every body is signed (HMAC-SHA256) under a key
kept outside the project (``$XDG_CACHE_HOME/dossier/cache-key``, made on first use, or
``DOSSIER_CACHE_KEY``, e.g. a CI secret); a file that does not verify is never
unpickled, a body that does not verify is never put in a page. A corrupt, truncated,
foreign or future-version file is discarded with one warning and the build starts cold.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import json
import os
import pickle
import secrets
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from dossierpress.content.markdown import ParsedBody
from dossierpress.engine.changes import NOTHING
from dossierpress.engine.state import BuildState, StateIndex
from dossierpress.errors import WARNING, ContentError

CACHE_DIR = ".dossier-cache"
MAGIC = b"DOSSIER-CACHE"
FORMAT = 2
"""The layout of the files around the pickle; a file of another format is discarded."""
KEY_VARIABLE = "DOSSIER_CACHE_KEY"
BODIES = "bodies.sqlite3"
_KEPT_FILES = 6
"""At most this many state files stay in a cache folder (the most recently used)."""


class _Refused(Exception):
    """A cache file that is not to be trusted; the message says why."""


class DiskCache:
    """One kind of build's files in a cache folder (see the module docstring)."""

    def __init__(self, folder: Path, name: str, shown: str | None = None) -> None:
        self.folder = folder
        self.path = folder / f"build-{name}.bin"
        self.index_path = folder / f"build-{name}.index"
        self.shown = shown or folder.as_posix()
        self.warnings: list[ContentError] = []

    @classmethod
    def for_build(
        cls, folder: Path, *, drafts: bool, output: Path | None, shown: str, future: bool = False
    ) -> DiskCache:
        """The files of builds with these options into ``output``; None: of ``check``,
        which writes no output. A check keeps its own state: one shared with a build would
        tell the next build that pages the check rendered are in the output folder."""
        where = os.path.abspath(output) if output is not None else None
        what = repr((drafts, future, where))
        name = hashlib.blake2b(what.encode(), digest_size=8).hexdigest()
        return cls(folder, name, shown)

    def load_index(self) -> StateIndex | None:
        """The summary of the last build, or None (then ``load`` the state)."""
        found = self._read(self.index_path, quiet=True)
        return found if isinstance(found, StateIndex) else None

    def load(self) -> BuildState | None:
        """The saved state, or None (nothing saved, or discarded with a warning); its
        bodies' HTML comes from the body store when a page needs it."""
        state = self._read(self.path)
        if state is None:
            return None
        if not isinstance(state, BuildState):
            self._discard(self.path, "it holds something else")
            return None
        state.bodies = self._body_store(self._key or b"")
        # Millions of objects that live as long as the build: keep the cyclic collector
        # from scanning them again and again (it tripled the time of a warm build).
        gc.freeze()
        return state

    def save(self, state: BuildState) -> None:
        """Write ``state``: new bodies, then the state, then its index, each atomically;
        a cache that cannot be written is a warning, never a failed build."""
        key = _signing_key()
        if key is None:
            self._warn(self.path, "not saved: no key to sign it with (set DOSSIER_CACHE_KEY)")
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            store = state.bodies or self._body_store(key)
            store.key = key
            store.add(_bodies_of(state))
            self._write(self.path, _for_disk(state), key)
            self._write(self.index_path, state.index(), key)
        except (OSError, sqlite3.Error) as exc:
            self._warn(self.path, f"not saved: {getattr(exc, 'strerror', None) or exc}")
            return
        self._prune()

    # -- signed files --------------------------------------------------------------------

    @property
    def _key(self) -> bytes | None:
        return _signing_key()

    def _read(self, path: Path, *, quiet: bool = False) -> Any:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            if not quiet:
                self._discard(path, f"cannot read it ({exc.strerror})")
            return None
        try:
            return _verified(data, self._key)
        except _Refused as exc:
            if not quiet:
                self._discard(path, str(exc))
            return None

    def _write(self, path: Path, value: object, key: bytes) -> None:
        with _collector_paused():
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        signature = hmac.new(key, payload, hashlib.sha256).hexdigest().encode()
        head = MAGIC + b" " + str(FORMAT).encode() + b"\n" + signature + b"\n"
        handle, temporary = tempfile.mkstemp(prefix=".build-", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(head)
                file.write(payload)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _prune(self) -> None:
        """Keep the most recently used states; others are for builds long gone."""
        with contextlib.suppress(OSError):
            files = sorted(
                self.folder.glob("build-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for old in files[_KEPT_FILES:]:
                old.unlink(missing_ok=True)
                old.with_suffix(".index").unlink(missing_ok=True)

    def _discard(self, path: Path, why: str) -> None:
        self._warn(path, f"discarded: {why}; building without it")
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
            self.index_path.unlink(missing_ok=True)

    def _body_store(self, key: bytes) -> BodyStore:
        path = self.folder / BODIES
        return BodyStore(
            path, key, lambda why: self._warn(path, f"discarded: {why}; building without it")
        )

    def _warn(self, path: Path, message: str) -> None:
        shown = f"{self.shown}/{path.name}"
        self.warnings.append(ContentError(shown, 1, f"cache {message}", severity=WARNING))


def _verified(data: bytes, key: bytes | None) -> Any:
    """What a signed file holds; raises ``_Refused`` unless it is ours and whole."""
    if key is None:
        raise _Refused("no key to check it with")
    head, _, rest = data.partition(b"\n")
    signature, _, payload = rest.partition(b"\n")
    parts = head.split(b" ")
    if len(parts) != 2 or parts[0] != MAGIC or not parts[1].isdigit():
        raise _Refused("it is not a Dossier cache file")
    if int(parts[1]) != FORMAT:
        newer = int(parts[1]) > FORMAT
        raise _Refused(f"it was made by {'a newer' if newer else 'an older'} version")
    expected = hmac.new(key, payload, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(signature, expected):
        raise _Refused("it was not made here, or it is damaged (signature differs)")
    try:
        with _collector_paused():
            return pickle.loads(payload)
    except Exception as exc:  # a signed file that still fails: our own bug or a bad disk
        raise _Refused(f"it is damaged ({type(exc).__name__})") from None


class BodyStore:
    """Parsed bodies' HTML by digest, in SQLite, each row signed (see the module doc)."""

    def __init__(self, path: Path, key: bytes, warn: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.key = key
        self.warn = warn
        """Told, once, why what was at ``path`` was not ours and was discarded."""
        self._warned = False

    def _connect(self) -> sqlite3.Connection:
        """The store, made anew when there is none, or when what is at its path is not
        ours: that is discarded first, never opened for writing."""
        try:
            return _open_store(self.path)
        except _Refused as exc:
            if self.warn is not None and not self._warned:
                self.warn(str(exc))
            self._warned = True
        _remove_store(self.path)
        try:
            return _open_store(self.path)
        except _Refused as exc:  # replaced again meanwhile: leave it alone this time
            raise sqlite3.DatabaseError(str(exc)) from None

    def _mac(self, digest: str, html: str, links: str) -> str:
        message = "\0".join((digest, html, links)).encode("utf-8", "surrogatepass")
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def add(self, bodies: Mapping[str, ParsedBody]) -> None:
        """Store the bodies not stored yet (content-addressed: a digest is one body)."""
        if not bodies:
            return
        with contextlib.closing(self._connect()) as connection, connection:
            known = {row[0] for row in connection.execute("SELECT digest FROM body")}
            rows = []
            for digest, parsed in bodies.items():
                if digest in known or parsed.html is None:
                    continue
                links = json.dumps(parsed.links, ensure_ascii=False)
                rows.append((digest, parsed.html, links, self._mac(digest, parsed.html, links)))
            connection.executemany("INSERT OR IGNORE INTO body VALUES (?, ?, ?, ?)", rows)

    def fill(self, bodies: Iterable[ParsedBody]) -> dict[str, ParsedBody]:
        """These bodies with their HTML, by digest; those not found (or not verified)
        are left out, and the build parses their files again."""
        wanted = {parsed.digest: parsed for parsed in bodies}
        found: dict[str, ParsedBody] = {}
        if not wanted:
            return found
        try:
            with contextlib.closing(self._connect()) as connection:
                digests = list(wanted)
                for start in range(0, len(digests), 500):
                    chunk = digests[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT digest, html, links, mac FROM body WHERE digest IN ({marks})"
                    for digest, html, links, mac in connection.execute(query, chunk):
                        if hmac.compare_digest(mac, self._mac(digest, html, links)):
                            pairs = tuple((t, label) for t, label in json.loads(links))
                            found[digest] = replace(wanted[digest], html=html, links=pairs)
        except (sqlite3.Error, OSError):
            return found
        return found


_TABLE = "CREATE TABLE body (digest TEXT PRIMARY KEY, html TEXT, links TEXT, mac TEXT)"
_SCHEMA = [("index", "sqlite_autoindex_body_1", "body", None), ("table", "body", "body", _TABLE)]
"""What ``sqlite_master`` of a body store holds, and nothing else."""
_SQLITE_HEADER = b"SQLite format 3\x00"
_BESIDE = ("-journal", "-wal", "-shm")
"""The files SQLite keeps beside a database, which it opens by name too."""
_OPEN_FLAGS = (
    getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
)


def _open_store(path: Path) -> sqlite3.Connection:
    """A connection to the body store at ``path``, made there when nothing is; raises
    ``_Refused`` when what is there is not ours, before anything is written to it.

    The file is looked at (``lstat``), opened without following a link (``O_NOFOLLOW``;
    a FIFO does not block it), checked again through the descriptor, and after SQLite
    opened the path it must still be that file: a link swapped in meanwhile is caught
    before any statement runs. Only an empty file (ours, just made) gets the table.
    """
    try:
        seen: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        seen = None
    if seen is not None:
        _refuse_unless_ours(seen)
    try:
        if seen is None:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS, 0o600)
        else:
            fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
    except FileExistsError:
        return _open_store(path)  # another build made it meanwhile: look at theirs
    except OSError as exc:
        raise _Refused(f"it cannot be opened as a file of its own ({exc.strerror})") from None
    try:
        opened = os.fstat(fd)
        _refuse_unless_ours(opened)
        if seen is not None and not os.path.samestat(seen, opened):
            raise _Refused("it was replaced while it was being opened")
        head = os.read(fd, len(_SQLITE_HEADER))
        if head and head != _SQLITE_HEADER:
            raise _Refused("it is not a Dossier cache file")
        for suffix in _BESIDE:
            try:
                beside = os.lstat(f"{path}{suffix}")
            except FileNotFoundError:
                continue
            _refuse_unless_ours(beside, f"{path.name}{suffix} beside it")
        connection = sqlite3.connect(path, timeout=30)
    finally:
        os.close(fd)
    try:
        now = os.lstat(path)
        if stat.S_ISLNK(now.st_mode) or not os.path.samestat(now, opened):
            raise _Refused("it was replaced while it was being opened")
        if not head:  # another build may be making it too: the same table, once
            connection.execute(_TABLE.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
            return connection
        try:
            query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            schema = connection.execute(query).fetchall()
        except sqlite3.OperationalError:
            raise  # locked by another build, or a disk error: not a reason to discard it
        except sqlite3.DatabaseError:
            raise _Refused("it is not a Dossier cache file, or it is damaged") from None
        if schema != _SCHEMA:
            raise _Refused("it is not a Dossier cache file")
    except BaseException:
        connection.close()
        raise
    return connection


def _refuse_unless_ours(info: os.stat_result, what: str = "it") -> None:
    """Raise ``_Refused`` unless ``info`` is of a file of its own: a regular file, with
    no other name (a hard link would make a write reach someone else's file)."""
    if stat.S_ISLNK(info.st_mode):
        raise _Refused(f"{what} is a symbolic link")
    if stat.S_ISDIR(info.st_mode):
        raise _Refused(f"{what} is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise _Refused(f"{what} is not a regular file")
    if info.st_nlink != 1:
        raise _Refused(f"{what} is a hard link to a file elsewhere")


def _remove_store(path: Path) -> None:
    """Remove what is at the store's path and beside it: a link itself (never what it
    points to), a file, an empty folder. Raises ``OSError`` for what cannot go."""
    for name in (path.name, *(path.name + suffix for suffix in _BESIDE)):
        target = path.with_name(name)
        try:
            if stat.S_ISDIR(os.lstat(target).st_mode):
                os.rmdir(target)
            else:
                os.unlink(target)
        except FileNotFoundError:
            continue


def _bodies_of(state: BuildState) -> dict[str, ParsedBody]:
    found = {
        record.parsed.digest: record.parsed
        for record in state.documents.values()
        if record.parsed is not None and record.parsed.html is not None
    }
    if state.graph is not None:
        found.update(
            (body.digest, body) for body in state.graph.parsed.values() if body.html is not None
        )
    return found


def _for_disk(state: BuildState) -> BuildState:
    """``state`` without what its file need not hold: the Markdown of the bodies and
    their HTML (in the body store), page bytes (the output folder has them), the
    in-memory index."""

    def light(parsed: ParsedBody) -> ParsedBody:
        if parsed.html is None:
            return parsed
        return replace(parsed, html=None, links=())

    stripped: dict[int, Any] = {}

    def bodiless(document: Any) -> Any:
        """The document without its Markdown; one copy per object, so a graph and the
        records keep sharing what they shared (a failed build's records are newer than
        the graph of the last good one, and must stay so)."""
        if id(document) not in stripped:
            stripped[id(document)] = (document, replace(document, body=""))
        return stripped[id(document)][1]

    lighter: dict[int, tuple[ParsedBody, ParsedBody]] = {}

    def light_once(parsed: ParsedBody) -> ParsedBody:
        if id(parsed) not in lighter:
            lighter[id(parsed)] = (parsed, light(parsed))
        return lighter[id(parsed)][1]

    documents = {
        rel: replace(
            record,
            document=bodiless(record.document) if record.document is not None else None,
            parsed=light_once(record.parsed) if record.parsed is not None else None,
        )
        for rel, record in state.documents.items()
    }
    graph = state.graph
    if graph is not None:
        graph = replace(
            graph,
            articles={p: bodiless(a) for p, a in graph.articles.items()},
            topics={slug: bodiless(t) for slug, t in graph.topics.items()},
            authors={p: bodiless(a) for p, a in graph.authors.items()},
            parsed={p: light_once(b) for p, b in graph.parsed.items()},
        )
    pages = {
        out: replace(record, data=None) if record.data is not None else record
        for out, record in state.pages.items()
    }
    return replace(
        state,
        documents=documents,
        graph=graph,
        pages=pages,
        readers=None,
        pending=NOTHING,
        bodies=None,
    )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """(Un)pickling makes millions of objects none of which is garbage yet; the cyclic
    collector would scan them again and again (it doubles the time of a large state)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _signing_key() -> bytes | None:
    """The key cache files are signed with: ``DOSSIER_CACHE_KEY``, else one made once and
    kept in the user's cache folder (never in the project)."""
    given = os.environ.get(KEY_VARIABLE)
    if given:
        return given.encode()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "dossier" / "cache-key"
    try:
        return path.read_bytes().strip() or None
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_hex(32).encode())
    except FileExistsError:
        pass  # another build made it first: read theirs
    except OSError:
        return None
    try:
        return path.read_bytes().strip() or None
    except OSError:
        return None
