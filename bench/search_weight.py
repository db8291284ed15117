"""What the search page weighs for a reader: requests, bytes and time to the results.

    python bench/search_weight.py --site DIR [--site DIR …] [--query WORD …] [--repeat 3]
    python bench/search_weight.py /tmp/site-old /tmp/site-new

Each ``DIR`` is a built site (``python build.py --output DIR``). It is served by a static
HTTP server in this process (``http.server`` on 127.0.0.1, a free port), under the path
of the site's ``base_url`` (read from the search page: where it says the index is), and
its search page is opened in headless Chromium (``bench/run.py``'s browser and flags) as
``search/?q=WORD``, once per word and repetition. Before each such first visit the
browser's cache is emptied (``Network.clearBrowserCache``), so each is a reader's first
visit; within a visit the cache works as usual.

The server counts what it sends: every request, and its bytes as written on the wire
(status line, headers and body; the server compresses nothing, so a body is the file's
bytes: Pagefind's index files and wasm are gzip already, its scripts and the pages are
not). That catches what the page's own Resource Timing may not see: where Pagefind runs
in a web worker (Pagefind's interface, which older builds' search page used), the
worker's requests are not in the page's ``performance.getEntriesByType("resource")``
(the notes compare the two). Requests are split into Pagefind's code (``pagefind*.js``,
its CSS, ``wasm.*.pagefind``), index data (``*.pf_meta``, ``*.pf_index``,
``*.pf_fragment``, ``*.pf_filter``, ``pagefind-entry.json``, ``shards.json``) and the
rest (the page, its stylesheet and scripts, the icon). A visit ends when the results are
shown (the page's status line says how many there are, or that there are none, and every
result listed has its title link; for an older build's page, Pagefind's interface says so
and every result it lists has its title link) and the server then had no request for
0.5 s; the time is from the navigation's start to the results shown
(``performance.now()`` in the page, seen by a ``MutationObserver``).

Then, in the tab of the first word's visit (the cache kept), every other word is typed
into the search box in turn: what each further search adds, its time counted from the
typing (the page waits 300 ms for more keys before it searches, as Pagefind's interface
did). Medians over
the repetitions (``--repeat``), the sites taking turns. Figures, not assertions; a
Markdown table on standard output, progress on standard error.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import CHROMEDRIVER, CHROMIUM, chromium, log, wait_in_tab  # noqa: E402

QUERIES = ("railway", "ceasefire", "refugees", "pelabuhan", "quokka")
"""Words of ``generate_corpus.py``'s corpus: one in most articles (``railway``), one in
about half (``ceasefire``), a rare one (``refugees``: a few topics and articles), one of
the Indonesian articles only (``pelabuhan``), and one in none (``quokka``)."""
SEARCH_PAGE = "search/"
QUIET_SECONDS = 0.5
"""A visit is over when the server has had no request for this long after the results."""
TIMEOUT_SECONDS = 60.0

# Runs in every document the tab loads: records when Pagefind's results are shown.
RESULTS_SCRIPT = r"""
(() => {
  performance.setResourceTimingBufferSize(10000);
  const state = (window.__weight = {
    term: new URLSearchParams(location.search).get("q"),
    since: 0,
    shown: null,
  });
  const check = () => {
    if (state.shown !== null || state.term === null) return;
    // The site's search page: its status line says "N results for WORD" (the count in
    // its own element) or "No results for WORD" once every result shown is in the list.
    // Older builds showed Pagefind's interface: "Searching for WORD..." until it
    // had its answer, then "N results for WORD", each result a placeholder until its
    // fragment was in, then its title link.
    const status = document.getElementById("search-status");
    const message = status || document.querySelector(".pagefind-ui__message");
    const text = message ? message.textContent.trim() : "";
    if (!text || text.endsWith("...") || !text.includes(state.term)) return;
    let count, links;
    if (status) {
      const number = status.querySelector("[data-slot=count]");
      count = number ? Number(number.textContent.replace(/\D/g, "")) : 0;
      links = Array.from(document.querySelectorAll("#search .search-results > li h2 a"));
    } else {
      const digits = text.replace(/[,.\u00a0\u202f]/g, "").match(/\d+/);
      count = digits ? Number(digits[0]) : 0;
      const results = Array.from(document.querySelectorAll(".pagefind-ui__result"));
      links = results.map((result) => result.querySelector(".pagefind-ui__result-link"));
      if (count > 0 && (links.length === 0 || links.includes(null))) return;
    }
    state.shown = performance.now();
    state.count = count;
    state.urls = links.map((link) => link.pathname);
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();
"""

# What the page itself saw: its navigation entry and its resource entries.
PAGE_ENTRIES_SCRIPT = """
const entries = [
  ...performance.getEntriesByType("navigation"),
  ...performance.getEntriesByType("resource"),
];
return entries.map((e) => [e.name, e.transferSize, e.encodedBodySize]);
"""

# Type a word into the search box, as a reader would, and start waiting for its results
# (Pagefind's interface gave its box the page's id too).
TYPE_SCRIPT = """
const [word] = arguments;
const input = document.getElementById("search-words");
Object.assign(window.__weight, {term: word, since: performance.now(), shown: null});
input.value = word;
input.dispatchEvent(new Event("input", {bubbles: true}));
"""

KINDS = ("code", "index", "rest")
"""Pagefind's code (scripts, styles, wasm), its index data, and everything else."""
_INDEX = re.compile(r"\.pf_(meta|index|fragment|filter)$|/pagefind-entry\.json$|/shards\.json$")
_CODE = re.compile(r"/pagefind[^/]*\.(js|css)$|/wasm\.[^/]+\.pagefind$")


def kind(path: str) -> str:
    """Which part of the search page a request's path is: ``code``, ``index`` or ``rest``."""
    if _INDEX.search(path):
        return "index"
    if _CODE.search(path):
        return "code"
    return "rest"


# -- The server -------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One request the server answered."""

    path: str
    status: int
    at: float
    """When its request line was read (``time.monotonic()``)."""
    head: int
    """Bytes of the status line and headers."""
    body: int


class _Counting:
    """A writable stream that counts the bytes written through it."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.stream.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a site's folder under its base path, recording each request in ``server``."""

    protocol_version = "HTTP/1.1"  # keep-alive, as a real host

    def __init__(self, *args: Any, site: StaticSite, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, directory=str(site.root), **kwargs)

    def setup(self) -> None:
        super().setup()
        self.wfile = _Counting(self.wfile)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        self.command, self.head_bytes, self.code = None, 0, 0  # type: ignore[assignment]
        self.at = 0.0
        before = self.wfile.count  # type: ignore[attr-defined]
        super().handle_one_request()
        if self.command:
            sent = self.wfile.count - before  # type: ignore[attr-defined]
            path = unquote(urlsplit(self.path).path)
            hit = Hit(path, self.code, self.at, self.head_bytes, sent - self.head_bytes)
            self.site.record(hit)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if parsed:
            self.at = time.monotonic()
            self.site.started()
        return parsed

    def send_response_only(self, code: int, message: str | None = None) -> None:
        self.code = code
        super().send_response_only(code, message)

    def flush_headers(self) -> None:
        self.head_bytes += sum(len(line) for line in getattr(self, "_headers_buffer", []))
        super().flush_headers()

    def translate_path(self, path: str) -> str:
        """The file for ``path`` under the site's base path; nothing outside it."""
        local = urlsplit(path).path
        if not local.startswith(self.site.prefix):
            return str(self.site.root / "\0outside the base path")
        return super().translate_path("/" + local[len(self.site.prefix) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


class StaticSite:
    """A built site served under its base path, counting every request it answers."""

    def __init__(self, root: Path, prefix: str, quiet: float = QUIET_SECONDS) -> None:
        self.root = root
        self.prefix = prefix
        self.quiet = quiet
        self.hits: list[Hit] = []
        self.active = 0
        self.last = time.monotonic()
        self.lock = threading.Lock()
        handler = functools.partial(_Handler, site=self)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def started(self) -> None:
        with self.lock:
            self.active += 1
            self.last = time.monotonic()

    def record(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)
            self.active -= 1
            self.last = time.monotonic()

    def since(self, mark: int) -> list[Hit]:
        with self.lock:
            return self.hits[mark:]

    def wait_quiet(self, seconds: float | None = None) -> None:
        """Until no request is being answered and none was for ``seconds`` (by default the
        site's ``quiet``)."""
        seconds = self.quiet if seconds is None else seconds
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            with self.lock:
                if self.active == 0 and time.monotonic() - self.last >= seconds:
                    return
            time.sleep(0.05)
        raise TimeoutError(f"requests to {self.origin} never stopped")

    def url(self, path: str) -> str:
        return self.origin + self.prefix + path


@contextmanager
def serve(root: Path, prefix: str, quiet: float = QUIET_SECONDS) -> Iterator[StaticSite]:
    site = StaticSite(root, prefix, quiet)
    site.thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()
        site.thread.join()


# -- A site -----------------------------------------------------------------------------


def base_path(root: Path) -> str:
    """The path of the site's ``base_url`` (``/``, ``/d/``): where its search page says the
    index is (``data-bundle="/d/pagefind/"``), less ``pagefind/``."""
    page = (root / SEARCH_PAGE / "index.html").read_text(encoding="utf-8")
    found = re.search(r'data-bundle="([^"]*)pagefind/"', page)
    if found is None:
        raise ValueError(f"{root / SEARCH_PAGE}index.html names no Pagefind bundle")
    return found.group(1) if found.group(1).startswith("/") else "/"


def bundles(root: Path) -> list[Path]:
    """The site's Pagefind bundles: ``pagefind/`` itself, or each shard's folder."""
    return sorted(p.parent for p in (root / "pagefind").glob("**/pagefind-entry.json"))


def pagefind_version(root: Path) -> str:
    """The Pagefind version that wrote the site's index (from its entry files)."""
    versions = set()
    for bundle in bundles(root):
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        versions.add(str(entry.get("version", "?")))
    return ", ".join(sorted(versions)) or "none"


# -- Visits -----------------------------------------------------------------------------


@dataclass
class Weight:
    """What one search cost: requests and bytes on the wire per kind, and time."""

    requests: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 0.0))
    bytes: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 0.0))
    ms: float = 0.0
    """From the navigation's start (or the typing) to the results shown."""
    results: float = 0
    """How many results the page says there are."""
    shown: float = 0
    """How many of them it shows (with their title link)."""
    fragment_bundles: float = 0
    """How many bundles (shards) sent the fragments of the results shown."""
    failed: int = 0
    """Requests answered with an error status."""
    page_seen: float = 0
    """Requests in the page's own Resource Timing (navigation included)."""
    page_transfer: float = 0
    """The sum of their ``transferSize``."""


def weigh(hits: Sequence[Hit], state: dict[str, Any], since: float) -> Weight:
    weight = Weight(ms=state["shown"] - since, results=state["count"], shown=len(state["urls"]))
    for hit in hits:
        part = kind(hit.path)
        weight.requests[part] += 1
        weight.bytes[part] += hit.head + hit.body
        weight.failed += hit.status >= 400
    fragments = {h.path.rsplit("/fragment/", 1)[0] for h in hits if h.path.endswith(".pf_fragment")}
    weight.fragment_bundles = len(fragments)
    return weight


def first_visit(driver: Any, site: StaticSite, word: str) -> Weight:
    """Open the search page on ``word`` with an empty cache; what it took to the results."""
    driver.get("about:blank")
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    site.wait_quiet(0.1)
    mark = len(site.since(0))
    driver.get(site.url(SEARCH_PAGE) + "?q=" + quote(word))
    state = wait_in_tab(
        driver, "const s = window.__weight; return s && s.shown && s", TIMEOUT_SECONDS
    )
    site.wait_quiet()
    weight = weigh(site.since(mark), state, since=0.0)
    seen = driver.execute_script(PAGE_ENTRIES_SCRIPT)
    weight.page_seen = len(seen)
    weight.page_transfer = sum(int(transfer) for _name, transfer, _body in seen)
    return weight


def typed(driver: Any, site: StaticSite, word: str) -> Weight:
    """Type ``word`` into the open search page's box; what that search added."""
    site.wait_quiet()
    mark = len(site.since(0))
    since = driver.execute_script(TYPE_SCRIPT + "return window.__weight.since;", word)
    state = wait_in_tab(driver, "const s = window.__weight; return s.shown && s", TIMEOUT_SECONDS)
    site.wait_quiet()
    return weigh(site.since(mark), state, since=since)


def median_weight(runs: Sequence[Weight]) -> Weight:
    """Each figure's median over ``runs``."""

    def mid(values: Sequence[float]) -> Any:
        return statistics.median(values)

    return Weight(
        requests={k: mid([r.requests[k] for r in runs]) for k in KINDS},
        bytes={k: mid([r.bytes[k] for r in runs]) for k in KINDS},
        ms=mid([r.ms for r in runs]),
        results=mid([r.results for r in runs]),
        shown=mid([r.shown for r in runs]),
        fragment_bundles=mid([r.fragment_bundles for r in runs]),
        failed=max(r.failed for r in runs),
        page_seen=mid([r.page_seen for r in runs]),
        page_transfer=mid([r.page_transfer for r in runs]),
    )


def varied(runs: Sequence[Weight]) -> bool:
    """Whether the requests or bytes differed between repetitions."""
    return len({(tuple(r.requests.values()), tuple(r.bytes.values())) for r in runs}) > 1


@dataclass
class Measured:
    """Every visit to one site: ``first[word]`` and ``typed[word]``, one per repetition."""

    root: Path
    prefix: str
    version: str
    bundles: int
    first: dict[str, list[Weight]] = field(default_factory=dict)
    typed: dict[str, list[Weight]] = field(default_factory=dict)


def measure(
    roots: Sequence[Path],
    queries: Sequence[str],
    repeat: int,
    profile: Path,
    quiet: float = QUIET_SECONDS,
    warm_up: bool = True,
) -> list[Measured]:
    """Every site's visits, the sites taking turns within each repetition.

    In each repetition a site has a first visit on each word; the tab of the first word's
    visit then has every other word typed into it, before the next first visit. A warm-up
    visit to each site comes first (the server's files and Chromium's code read once)."""
    sites = [
        Measured(root, base_path(root), pagefind_version(root), len(bundles(root)))
        for root in roots
    ]
    driver = chromium(profile)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RESULTS_SCRIPT})
        with ExitStack() as stack:
            servers = [stack.enter_context(serve(m.root, m.prefix, quiet)) for m in sites]
            for measured, server in zip(sites, servers, strict=True):
                log(f"{measured.root}: served at {server.url('')}")
                if warm_up:
                    first_visit(driver, server, queries[0])
            for rep in range(repeat):
                for measured, server in zip(sites, servers, strict=True):
                    log(f"{measured.root}: repetition {rep + 1} of {repeat}")
                    for n, word in enumerate(queries):
                        visit = first_visit(driver, server, word)
                        measured.first.setdefault(word, []).append(visit)
                        for other in queries[1:] if n == 0 else ():
                            measured.typed.setdefault(other, []).append(
                                typed(driver, server, other)
                            )
    finally:
        driver.quit()
    return sites


# -- The tables -------------------------------------------------------------------------


def kb(count: float) -> str:
    return f"{count / 1000:,.1f}"


def part(weight: Weight, name: str) -> str:
    return f"{weight.requests[name]:g} / {kb(weight.bytes[name])}"


def total(weight: Weight) -> tuple[float, float]:
    return sum(weight.requests.values()), sum(weight.bytes.values())


def first_table(sites: Sequence[Measured], queries: Sequence[str]) -> list[str]:
    lines = [
        "| site | query | results | shown | requests | kB | Pagefind code req / kB "
        "| index data req / kB | rest req / kB | fragments from bundles | results shown ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for measured in sites:
        for word in queries:
            w = median_weight(measured.first[word])
            requests, size = total(w)
            lines.append(
                f"| {measured.root.name} | {word} | {w.results:,g} | {w.shown:g} | {requests:g} "
                f"| {kb(size)} | {part(w, 'code')} | {part(w, 'index')} | {part(w, 'rest')} "
                f"| {w.fragment_bundles:g} | {w.ms:.0f} |"
            )
    return lines


def typed_table(sites: Sequence[Measured], queries: Sequence[str]) -> list[str]:
    lines = [
        "| site | word typed | results | requests | kB | index data req / kB | results shown ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for measured in sites:
        for word in queries[1:]:
            w = median_weight(measured.typed[word])
            requests, size = total(w)
            lines.append(
                f"| {measured.root.name} | {word} | {w.results:,g} | {requests:g} | {kb(size)} "
                f"| {part(w, 'index')} | {w.ms:.0f} |"
            )
    return lines


def notes(sites: Sequence[Measured], repeat: int, load: tuple[float, float]) -> list[str]:
    lines = []
    for m in sites:
        first = [w for runs in m.first.values() for w in runs]
        seen = statistics.median(w.page_seen for w in first)
        transfer = statistics.median(w.page_transfer for w in first)
        sent = statistics.median(sum(w.requests.values()) for w in first)
        others = "the others are the web worker's" if seen < sent else "no web worker"
        lines.append(
            f"- {m.root.name} ({m.root}): served under `{m.prefix}`, {m.bundles} Pagefind "
            f"bundle(s), Pagefind {m.version}. The page's own Resource Timing saw "
            f"{seen:g} of the {sent:g} requests of a first visit ({kb(transfer)} kB of "
            f"`transferSize`, median): {others}"
        )
        unsteady = [w for w, runs in m.first.items() if varied(runs)]
        unsteady += [f"{w} (typed)" for w, runs in m.typed.items() if varied(runs)]
        if unsteady:
            lines.append(
                f"  - requests or bytes differed between repetitions for {', '.join(unsteady)}"
            )
        failed = max((w.failed for runs in m.first.values() for w in runs), default=0)
        if failed:
            lines.append(f"  - {failed:g} request(s) of a visit answered with an error status")
    lines.append(
        f"- medians of {repeat} repetition(s); kB = 1,000 bytes on the wire (headers "
        f"included); load average {load[0]:.2f} before, {load[1]:.2f} after"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="*", type=Path, metavar="DIR", help="built sites")
    parser.add_argument(
        "--site",
        dest="more",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="a built site (repeatable)",
    )
    parser.add_argument(
        "--query",
        action="append",
        metavar="WORD",
        help=f"a word to search (repeatable; default: {' '.join(QUERIES)})",
    )
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="repetitions (3)")
    args = parser.parse_args(argv)
    roots = [p.resolve() for p in [*args.sites, *args.more]]
    if not roots:
        parser.error("no site: give built site folders (DIR or --site DIR)")
    for root in roots:
        if not (root / SEARCH_PAGE / "index.html").is_file():
            parser.error(f"{root}: no {SEARCH_PAGE}index.html (built with --no-search?)")
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        parser.error(f"no {CHROMIUM} or {CHROMEDRIVER}: apt-get install chromium chromium-driver")
    queries = args.query or list(QUERIES)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="dossier-bench-chromium-") as profile:
        sites = measure(roots, queries, args.repeat, Path(profile))
    load = (load_before, os.getloadavg()[0])
    print("First visit, empty cache: the search page opened on `?q=WORD`.\n")
    print("\n".join(first_table(sites, queries)))
    print(f"\nThen in the same tab, each word typed after `{queries[0]}`:\n")
    print("\n".join(typed_table(sites, queries)))
    print()
    print("\n".join(notes(sites, args.repeat, load)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
