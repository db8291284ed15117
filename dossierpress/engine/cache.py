"""The persistent cache: a build's state on disk, so the next ``python build.py`` starts warm.

``.dossier-cache/`` beside ``content/`` (git-ignore it; ``--cache-dir``, ``--no-cache``)
holds one file per kind of build (drafts or not, and the output folder it wrote), with
the ``BuildState`` a build left: what each content file was (signature, digest, document,
parsed body without its tokens), the last content graph, each page's plan, templates and
reads, where each page's bytes lie in the output folder, and the compiled templates. The
state itself says which engine code and settings made it (``BuildState.key``), so a
changed ``site.yaml`` or a new version starts afresh, and a changed template or
translation re-renders exactly the pages that used it.

Plain files, not SQLite: a build reads its state whole at the start and writes it whole
at the end; one file does that with one read and one rename (atomic: two builds sharing
a cache never see half a file, the last one wins), where a database would add a schema
and a conversion per row for nothing.

The state is pickled (quick, and it keeps its types), but unpickling runs code the data
names, and a cache folder can come from elsewhere: a checkout, a CI cache, a pull
request that adds it. So each file is signed (HMAC-SHA256) under a key kept outside the
project (``$XDG_CACHE_HOME/dossier/cache-key``, made on first use, or
``DOSSIER_CACHE_KEY``, e.g. a CI secret), and a file that does not verify is never
unpickled. A corrupt, truncated, foreign or future-version file is discarded with one
warning and the build starts cold.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from dossierpress.engine.changes import NOTHING
from dossierpress.engine.state import BuildState
from dossierpress.errors import WARNING, ContentError

CACHE_DIR = ".dossier-cache"
MAGIC = b"DOSSIER-CACHE"
FORMAT = 1
"""The layout of the file around the pickle; a file of another format is discarded."""
KEY_VARIABLE = "DOSSIER_CACHE_KEY"
_KEPT_FILES = 6
"""At most this many state files stay in a cache folder (the most recently used)."""


class DiskCache:
    """One build's state file in a cache folder (see the module docstring)."""

    def __init__(self, folder: Path, name: str, shown: str | None = None) -> None:
        self.folder = folder
        self.path = folder / f"build-{name}.bin"
        self.shown = shown or self.path.as_posix()
        self.warnings: list[ContentError] = []

    @classmethod
    def for_build(cls, folder: Path, *, drafts: bool, output: Path, shown: str) -> DiskCache:
        """The state file of builds with these options into ``output``."""
        what = repr((drafts, os.path.abspath(output)))
        name = hashlib.blake2b(what.encode(), digest_size=8).hexdigest()
        return cls(folder, name, f"{shown}/build-{name}.bin")

    def load(self) -> BuildState | None:
        """The saved state, or None (nothing saved, or discarded with a warning)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._discard(f"cannot read it ({exc.strerror or exc})")
        key = _signing_key()
        if key is None:
            return self._discard("no key to check it with")
        head, _, rest = data.partition(b"\n")
        signature, _, payload = rest.partition(b"\n")
        parts = head.split(b" ")
        if len(parts) != 2 or parts[0] != MAGIC or not parts[1].isdigit():
            return self._discard("it is not a Dossier cache file")
        if int(parts[1]) != FORMAT:
            newer = int(parts[1]) > FORMAT
            return self._discard(f"it was made by {'a newer' if newer else 'an older'} version")
        expected = hmac.new(key, payload, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(signature, expected):
            return self._discard("it was not made here, or it is damaged (signature differs)")
        try:
            with _collector_paused():
                state = pickle.loads(payload)
        except Exception as exc:  # a signed file that still fails: our own bug or a bad disk
            return self._discard(f"it is damaged ({type(exc).__name__})")
        if not isinstance(state, BuildState):
            return self._discard("it holds something else")
        return state

    def save(self, state: BuildState) -> None:
        """Write ``state`` whole, atomically; a cache that cannot be written is a warning."""
        key = _signing_key()
        if key is None:
            self._warn("not saved: no key to sign it with (set DOSSIER_CACHE_KEY)")
            return
        with _collector_paused():
            payload = pickle.dumps(_for_disk(state), protocol=pickle.HIGHEST_PROTOCOL)
        signature = hmac.new(key, payload, hashlib.sha256).hexdigest().encode()
        head = MAGIC + b" " + str(FORMAT).encode() + b"\n" + signature + b"\n"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".build-", dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                file.write(head)
                file.write(payload)
            os.replace(temporary, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(temporary)
            self._warn(f"not saved: {exc.strerror or exc}")
            return
        self._prune()

    def _prune(self) -> None:
        """Keep the most recently used state files; others are for builds long gone."""
        with contextlib.suppress(OSError):
            files = sorted(
                self.folder.glob("build-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for old in files[_KEPT_FILES:]:
                old.unlink(missing_ok=True)

    def _discard(self, why: str) -> None:
        self._warn(f"discarded: {why}; building without it")
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        return None

    def _warn(self, message: str) -> None:
        self.warnings.append(ContentError(self.shown, 1, f"cache {message}", severity=WARNING))


def _for_disk(state: BuildState) -> BuildState:
    """``state`` without what a file need not hold: the Markdown of the bodies (their
    parsed HTML is kept), page bytes (the output folder has them), the in-memory index."""
    stripped = {
        rel: replace(record.document, body="")
        for rel, record in state.documents.items()
        if record.document is not None
    }
    documents = {
        rel: replace(record, document=stripped.get(rel, record.document))
        for rel, record in state.documents.items()
    }
    graph = state.graph
    if graph is not None:
        graph = replace(
            graph,
            articles={p: stripped.get(p, a) for p, a in graph.articles.items()},
            topics={slug: stripped.get(t.path, t) for slug, t in graph.topics.items()},
        )
    pages = {
        out: replace(record, data=None) if record.data is not None else record
        for out, record in state.pages.items()
    }
    return replace(
        state, documents=documents, graph=graph, pages=pages, readers=None, pending=NOTHING
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
