"""One table of how Dossier performs on synthetic archives, every figure from one run.

    python bench/run.py --sizes 1000,10000 [--edits 20] [--jobs N] [--work DIR] [--skip-browser]

For each size it takes a corpus from ``bench/generate_corpus.py`` (seed 0, reused from
``--work`` when it is there and unchanged) and measures, one after the other:

- cold builds, ``python build.py --jobs 1 --no-cache`` and ``--jobs N``, each a fresh
  process into an empty output folder, timed from outside (start-up included), with the
  CPU time and peak RSS the kernel reports for that process and what it waited for;
- warm builds with the persistent cache: nothing changed, then one article edited;
- the live preview (``python build.py serve``): save → reload event on the event stream,
  save → new text in the DOM of a headless Chromium tab, and save → the next frame after
  that (a reload paints only once its stylesheet is back);
- the Markdown floor: ``MarkdownIt("commonmark").render`` of every article body on one
  core, and how many times that the cold builds' CPU time is;
- anchors, so that every figure can be quoted as a ratio: a cold build with
  ``--no-search``, Hugo building the same corpus (converted by ``bench/hugo.py``) and
  Pagefind indexing Hugo's output, each a whole process timed like our cold builds.

It prints one Markdown table on standard output (progress goes to standard error).
Figures, not assertions: nothing here fails because a number is large.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench_preview import ReloadListener, percentile  # beside this script
from generate_corpus import generate_corpus
from hugo import convert as convert_to_hugo

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SEED = 0
CORPUS_STAMP = ".bench-corpus.json"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# As in tests/test_preview_browser.py.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1024,768",
)
HUGO = "hugo"
"""Looked up on PATH; without it the Hugo and Pagefind columns show n/a."""
SETTLE_SECONDS = 0.3
"""Pause before each save, as between two real saves (and longer than the watcher's
quiet time, so every save is one rebuild)."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- The corpus -------------------------------------------------------------------------


def tree_digest(root: Path) -> str:
    """A digest of ``site.yaml`` and every file under ``content/``: an edit left behind by
    an interrupted run must not go unnoticed."""
    digest = hashlib.sha256()
    files = [root / "site.yaml", *sorted((root / "content").rglob("*"))]
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def corpus(work: Path, articles: int) -> Path:
    """``work/corpus-<articles>``, generated unless an unchanged one of the same generator
    and seed is there."""
    root = work / f"corpus-{articles}"
    generator = hashlib.sha256((BENCH / "generate_corpus.py").read_bytes()).hexdigest()
    wanted = {"articles": articles, "seed": SEED, "generator": generator}
    stamp = root / CORPUS_STAMP
    if stamp.is_file() and (root / "content").is_dir():
        found = json.loads(stamp.read_text(encoding="utf-8"))
        if {k: found.get(k) for k in wanted} == wanted and found.get("digest") == tree_digest(root):
            log(f"reusing the corpus in {root}")
            return root
    log(f"generating {articles:,} articles into {root}")
    shutil.rmtree(root / "content", ignore_errors=True)
    generate_corpus(root, articles, seed=SEED)
    stamp.write_text(json.dumps({**wanted, "digest": tree_digest(root)}), encoding="utf-8")
    return root


def article_files(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").rglob("*.md"))


def spread(files: list[Path], count: int) -> list[Path]:
    """``count`` files spread evenly over ``files`` (each once while there are enough)."""
    step = max(1, len(files) // max(1, count))
    chosen = files[::step][:count]
    return [chosen[i % len(chosen)] for i in range(count)]


def body_of(text: str) -> str:
    """An article's Markdown body: what follows its closing ``---``."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


class Edits:
    """Files edited by the benchmark, put back as they were at the end (even after Ctrl-C)."""

    def __init__(self) -> None:
        self.originals: dict[Path, bytes] = {}

    def append(self, path: Path, sentence: str) -> None:
        """Add ``sentence`` as a paragraph at the end of the body, in one write."""
        self.originals.setdefault(path, path.read_bytes())
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + f"\n\n{sentence}\n", encoding="utf-8")

    def restore(self) -> None:
        for path, original in self.originals.items():
            path.write_bytes(original)
        self.originals.clear()


# -- Builds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    """Wall time of the whole process, measured from outside: start-up included."""
    cpu: float
    """User + system seconds of the process and of every process it waited for."""
    peak_mb: float
    """Peak resident set of the largest of those processes (not a sum over workers)."""


@dataclass(frozen=True)
class BuildRun(ProcessRun):
    pages: int
    rendered: int | None
    written: int | None


_BUILT = re.compile(r"Built (\d+) pages")
_DETAIL = re.compile(r"(\d+) pages rendered, \d+ reused; (\d+) files written")
_NOTHING = re.compile(r"0 pages rendered, all reused; nothing written")


def build_options() -> set[str]:
    """The options ``python build.py build`` has (others are adding some as we go)."""
    out = subprocess.run(
        [sys.executable, "build.py", "build", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(re.findall(r"(--[a-z][a-z-]*)", out))


def timed(command: Sequence[str]) -> tuple[ProcessRun, str]:
    """Run ``command`` from the repository to its end; read its resource use from ``wait4``.

    The same measurement for our builds and for the anchors (Hugo, Pagefind), so a ratio
    of two figures compares like with like: a whole process, start-up included, and the
    CPU and memory of every process it waited for (``os.wait4`` of the child).
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    out = process.stdout.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    if process.returncode != 0:
        tail = "\n".join(out.splitlines()[-15:])
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}:\n{tail}")
    run = ProcessRun(
        seconds=seconds,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
    )
    return run, out


def run_build(source: Path, output: Path, options: Sequence[str]) -> BuildRun:
    """Run one ``python build.py`` and read what it did from ``-v``."""
    command = [sys.executable, "build.py", "--source", str(source), "--output", str(output)]
    run, out = timed([*command, *options, "-v"])
    built = _BUILT.search(out)
    detail = _DETAIL.search(out)
    nothing = detail is None and _NOTHING.search(out) is not None
    return BuildRun(
        seconds=run.seconds,
        cpu=run.cpu,
        peak_mb=run.peak_mb,
        pages=int(built.group(1)) if built else -1,
        rendered=int(detail.group(1)) if detail else 0 if nothing else None,
        written=int(detail.group(2)) if detail else 0 if nothing else None,
    )


# -- The anchors: Hugo and Pagefind ----------------------------------------------------


@dataclass(frozen=True)
class HugoRun(ProcessRun):
    pages: int
    """HTML pages and feeds Hugo wrote (alias redirects included), counted in its output:
    ``--quiet`` prints no summary."""


def hugo_version() -> str | None:
    """``hugo version``'s first words (``hugo v0.111.3+extended``), or None without Hugo."""
    if shutil.which(HUGO) is None:
        return None
    out = subprocess.run([HUGO, "version"], capture_output=True, text=True, check=False).stdout
    return " ".join(out.split()[:2]) or HUGO


def pagefind_version() -> str:
    """``python -m pagefind --version`` without its name (``1.5.2``)."""
    command = [sys.executable, "-m", "pagefind", "--version"]
    out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    return out.split()[-1] if out.split() else "(version unknown)"


def written_pages(site: Path) -> int:
    return sum(1 for p in site.rglob("*") if p.suffix in (".html", ".xml") and p.is_file())


def run_hugo(source: Path, output: Path, cache: Path) -> HugoRun:
    """A cold ``hugo`` build: empty destination, no ``resources/`` and an empty cache folder
    of its own (so nothing is left from an earlier run, and the machine's shared Hugo cache
    is neither read nor filled). Hugo uses every core."""
    for folder in (output, cache, source / "resources"):
        shutil.rmtree(folder, ignore_errors=True)
    command = [HUGO, "--source", str(source), "--destination", str(output), "--quiet"]
    run, _out = timed([*command, "--cacheDir", str(cache)])
    return HugoRun(run.seconds, run.cpu, run.peak_mb, pages=written_pages(output))


def run_pagefind(site: Path) -> ProcessRun:
    """Pagefind indexing a finished site, as our build runs it (``python -m pagefind``)."""
    return timed([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"])[0]


# -- The Markdown floor -----------------------------------------------------------------


def markdown_floor(root: Path) -> float:
    """CPU seconds of ``MarkdownIt("commonmark").render`` over every article body."""
    from markdown_it import MarkdownIt

    bodies = [body_of(p.read_text(encoding="utf-8")) for p in article_files(root)]
    md = MarkdownIt("commonmark")
    md.render(bodies[0])  # rules compiled outside the measurement
    started = time.process_time()
    for body in bodies:
        md.render(body)
    return time.process_time() - started


# -- The live preview -------------------------------------------------------------------


# Runs in every document the tab loads (a patched page and a reloaded one alike): records
# Date.now() the moment the awaited text is in the DOM, and counts the page loads.
WATCH_SCRIPT = """
(() => {
  const loads = Number(sessionStorage.getItem("__bench_loads") || 0) + 1;
  sessionStorage.setItem("__bench_loads", String(loads));
  const check = () => {
    const want = sessionStorage.getItem("__bench_want");
    if (!want || sessionStorage.getItem("__bench_seen")) return;
    if (document.body && document.body.textContent.includes(want)) {
      sessionStorage.setItem("__bench_seen", String(Date.now()));
      // The first frame after it: what the tab paints next (after render-blocking CSS).
      requestAnimationFrame(() => sessionStorage.setItem("__bench_frame", String(Date.now())));
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true,
  });
})();
"""


@dataclass
class PreviewRun:
    event_ms: list[float] = field(default_factory=list)
    visible_ms: list[float] = field(default_factory=list)
    frame_ms: list[float] = field(default_factory=list)
    rendered: list[int] = field(default_factory=list)
    reloads: int = 0
    """Edits the tab took in by reloading rather than patching."""
    first_build: float = 0.0


class Serve:
    """``python build.py serve`` on a free port, its log lines collected in a thread."""

    def __init__(self, source: Path) -> None:
        command = [sys.executable, "build.py", "serve", "--source", str(source), "--port", "0"]
        started = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.url = ""
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(600) or not self.url:
            self.stop()
            raise RuntimeError("serve did not start:\n" + "\n".join(self.lines[-15:]))
        self.first_build = time.perf_counter() - started

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            found = re.search(r"Serving at (\S+)", line)
            if found:
                self.url = found.group(1)
                self.ready.set()
        self.ready.set()  # ended without serving

    def rendered_since(self, count: int, timeout: float = 30) -> int | None:
        """Pages the first rebuild logged after line ``count`` rendered, waiting for its
        line: the open page shows before the rebuild ends (it is rendered first)."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines[count:]:
                found = re.search(r"Rebuilt (\d+) pages", line)
                if found:
                    return int(found.group(1))
            if time.monotonic() > deadline or self.process.poll() is not None:
                return None
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def chromium(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_SCRIPT})
    return driver


def wait_in_tab(driver, script: str, timeout: float):
    """Poll ``script`` in the tab until it returns a value; a page being replaced (a
    reload) only makes one poll fail."""
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = driver.execute_script(script)
        except WebDriverException:
            value = None
        if value is not None:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"never true in the tab: {script}")


def measure_preview(
    root: Path, urls: dict[Path, str], edits: int, browser: bool, profile: Path
) -> PreviewRun:
    """Save ``edits`` articles' bodies, one after the other, with their page open."""
    run = PreviewRun()
    if not urls:
        raise RuntimeError(f"no article pages found under {root / 'site'}")
    targets = spread(sorted(urls), edits)
    changes = Edits()
    serve = Serve(root)
    run.first_build = serve.first_build
    driver = None
    try:
        driver = chromium(profile) if browser else None
        listener = ReloadListener(serve.url)
        base = serve.url.rstrip("/")
        for i, path in enumerate(targets):
            sentence = f"Benchmark sentence {i:03d}, freshly saved."
            if driver is not None:
                driver.get(base + urls[path])
                wait_in_tab(driver, "return document.readyState === 'complete' || null", 60)
                driver.execute_script(
                    "sessionStorage.removeItem('__bench_seen');"
                    "sessionStorage.removeItem('__bench_frame');"
                    f"sessionStorage.setItem('__bench_want', {json.dumps(sentence)})"
                )
                loads = int(driver.execute_script("return sessionStorage.getItem('__bench_loads')"))
            logged = len(serve.lines)
            time.sleep(SETTLE_SECONDS)
            wall, start = time.time(), time.perf_counter()
            changes.append(path, sentence)
            arrived, name, _data = listener.first_after(start)
            run.event_ms.append((arrived - start) * 1000)
            if name != "reload":
                raise RuntimeError(f"the save of {path} sent {name!r}, not 'reload'")
            if driver is not None:
                seen = wait_in_tab(driver, "return sessionStorage.getItem('__bench_seen')", 60)
                run.visible_ms.append(int(seen) - wall * 1000)
                frame = wait_in_tab(driver, "return sessionStorage.getItem('__bench_frame')", 60)
                run.frame_ms.append(int(frame) - wall * 1000)
                now = int(driver.execute_script("return sessionStorage.getItem('__bench_loads')"))
                run.reloads += now != loads
            rendered = serve.rendered_since(logged)
            if rendered is not None:
                run.rendered.append(rendered)
    finally:
        if driver is not None:
            driver.quit()
        serve.stop()
        changes.restore()
    return run


def article_urls(site: Path, files: list[Path]) -> dict[Path, str]:
    """Each article's URL path, found in the built site by its source's slug.

    Articles are served at ``/<yyyy>/<mm>/<slug>/`` where the date is the article's
    publication date in the site's timezone: look the slug up in the built folders.
    """
    by_slug: dict[str, str] = {}
    for index in site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"):
        folder = index.parent
        by_slug.setdefault(folder.name, "/" + folder.relative_to(site).as_posix() + "/")
    return {f: by_slug[f.stem] for f in files if f.stem in by_slug}


# -- One size ---------------------------------------------------------------------------


@dataclass
class Row:
    articles: int
    cold_one: BuildRun | None = None
    cold_all: BuildRun | None = None
    cold_no_search: BuildRun | None = None
    hugo: HugoRun | None = None
    pagefind: ProcessRun | None = None
    warm: BuildRun | None = None
    warm_edit: BuildRun | None = None
    preview: PreviewRun | None = None
    floor: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)


def measure_anchors(row: Row, root: Path, work: Path) -> None:
    """Hugo on the same corpus, then Pagefind on Hugo's output (Hugo has no search)."""
    source, site = work / f"hugo-{row.articles}", work / f"hugo-{row.articles}-site"
    cache = work / f"hugo-{row.articles}-cache"
    log(f"[{row.articles:,}] converting the corpus for Hugo into {source}")
    convert_to_hugo(root, source)
    log(f"[{row.articles:,}] hugo, cold")
    row.hugo = run_hugo(source, site, cache)
    log(f"[{row.articles:,}] pagefind on Hugo's output")
    row.pagefind = run_pagefind(site)
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)


def measure(size: int, args: argparse.Namespace, options: set[str], anchors: bool) -> Row:
    row = Row(size)
    load_before = os.getloadavg()[0]
    root = corpus(args.work, size)
    has = options.__contains__
    jobs_one = ["--jobs", "1"] if has("--jobs") else []
    jobs_all = ["--jobs", str(args.jobs)] if has("--jobs") else []
    no_cache = ["--no-cache"] if has("--no-cache") else []

    log(f"[{size:,}] markdown-it floor")
    row.floor = markdown_floor(root)

    cold = args.work / f"cold-{size}"
    log(f"[{size:,}] cold build, --jobs 1")
    shutil.rmtree(cold, ignore_errors=True)
    row.cold_one = run_build(root, cold, [*jobs_one, *no_cache])
    if has("--jobs"):
        log(f"[{size:,}] cold build, --jobs {args.jobs}")
        shutil.rmtree(cold, ignore_errors=True)
        row.cold_all = run_build(root, cold, [*jobs_all, *no_cache])
    if has("--no-search"):
        log(f"[{size:,}] cold build, --jobs {args.jobs} --no-search")
        shutil.rmtree(cold, ignore_errors=True)
        row.cold_no_search = run_build(root, cold, [*jobs_all, *no_cache, "--no-search"])
    shutil.rmtree(cold, ignore_errors=True)
    if anchors:
        measure_anchors(row, root, args.work)

    site = root / "site"
    log(f"[{size:,}] warm builds (a first one fills the cache)")
    run_build(root, site, jobs_all)
    row.warm = run_build(root, site, jobs_all)
    files = article_files(root)
    edits = Edits()
    try:
        edits.append(files[len(files) // 2], "A sentence added for the warm build.")
        row.warm_edit = run_build(root, site, jobs_all)
    finally:
        edits.restore()

    urls = article_urls(site, files)
    browser = not args.skip_browser
    log(f"[{size:,}] preview, {args.edits} saves" + ("" if browser else " (no browser)"))
    with tempfile.TemporaryDirectory(prefix="dossier-bench-chromium-") as profile:
        row.preview = measure_preview(root, urls, args.edits, browser, Path(profile))
    row.load = (load_before, os.getloadavg()[0])
    return row


# -- The table --------------------------------------------------------------------------


def times(part: float | None, whole: float | None) -> str:
    """``part ÷ whole`` as "2.4×", or n/a when either is missing."""
    return f"{part / whole:.1f}×" if part is not None and whole else "n/a"


def cells(row: Row) -> list[str]:
    def secs(run: ProcessRun | None) -> str:
        return f"{run.seconds:.2f}" if run else "n/a"

    def cpu(run: ProcessRun | None) -> str:
        return f"{run.cpu:.2f}" if run else "n/a"

    def rss(run: ProcessRun | None) -> str:
        return f"{run.peak_mb:.0f}" if run else "n/a"

    def counts(run: BuildRun | None) -> str:
        if run is None or run.rendered is None:
            return "n/a"
        return f"{run.rendered:,} / {run.written:,}"

    def spread_ms(values: list[float]) -> str:
        if not values:
            return "n/a"
        return f"{statistics.median(values):.0f} / {percentile(values, 0.95):.0f}"

    def ratio(run: BuildRun | None) -> str:
        return f"{run.cpu / row.floor:.1f}×" if run and row.floor else "n/a"

    one, every, bare = row.cold_one, row.cold_all, row.cold_no_search
    pages = f"{one.pages:,}" if one else "n/a"
    for other in (every, bare):
        if one and other and other.pages != one.pages:
            pages += f" ≠ {other.pages:,}"
    hugo, pagefind = row.hugo, row.pagefind
    anchored = hugo.seconds + pagefind.seconds if hugo and pagefind else None
    preview = row.preview or PreviewRun()
    return [
        f"{row.articles:,}",
        pages,
        secs(one),
        cpu(one),
        rss(one),
        secs(every),
        cpu(every),
        rss(every),
        secs(row.warm),
        counts(row.warm),
        secs(row.warm_edit),
        counts(row.warm_edit),
        spread_ms(preview.event_ms),
        spread_ms(preview.visible_ms),
        spread_ms(preview.frame_ms),
        f"{row.floor:.2f}",
        ratio(one),
        ratio(every),
        secs(bare),
        cpu(bare),
        rss(bare),
        f"{hugo.pages:,}" if hugo else "n/a",
        secs(hugo),
        cpu(hugo),
        rss(hugo),
        secs(pagefind),
        cpu(pagefind),
        rss(pagefind),
        times(every.seconds if every else None, anchored),
        times(bare.seconds if bare else None, hugo.seconds if hugo else None),
        times(bare.peak_mb if bare else None, hugo.peak_mb if hugo else None),
    ]


def table(rows: list[Row], jobs: int) -> str:
    headers = [
        "articles",
        "pages",
        "cold -j1 s",
        "-j1 CPU s",
        "-j1 RSS MB",
        f"cold -j{jobs} s",
        f"-j{jobs} CPU s",
        f"-j{jobs} RSS MB",
        "warm s",
        "warm rendered / written",
        "1 edit s",
        "1 edit rendered / written",
        "save→event ms p50 / p95",
        "save→in DOM ms p50 / p95",
        "save→next frame ms p50 / p95",
        "md floor CPU s",
        "-j1 CPU ÷ floor",
        f"-j{jobs} CPU ÷ floor",
        f"cold -j{jobs} --no-search s",
        "--no-search CPU s",
        "--no-search RSS MB",
        "hugo pages",
        "hugo s",
        "hugo CPU s",
        "hugo RSS MB",
        "pagefind s",
        "pagefind CPU s",
        "pagefind RSS MB",
        f"-j{jobs} s ÷ (hugo + pagefind)",
        "--no-search s ÷ hugo",
        "--no-search RSS ÷ hugo RSS",
    ]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def details(rows: list[Row]) -> list[str]:
    lines = []
    for row in rows:
        preview = row.preview or PreviewRun()
        rendered = statistics.median(preview.rendered) if preview.rendered else float("nan")
        text = (
            f"- {row.articles:,} articles: preview first build {preview.first_build:.2f} s; "
            f"{len(preview.event_ms)} saves, each rebuild rendered {rendered:.0f} pages "
            "(median)"
        )
        if preview.visible_ms:
            text += f"; the tab reloaded instead of patching for {preview.reloads} of them"
        text += f"; load average {row.load[0]:.2f} before, {row.load[1]:.2f} after"
        lines.append(text)
    return lines


def add_build_options(parser: argparse.ArgumentParser, jobs: str) -> None:
    """``--jobs`` (what the processes are for: ``jobs``) and ``--work``, as every script
    that builds the shared corpus takes them."""
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help=f"{jobs} (all cores)"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=BENCH / "out",
        metavar="DIR",
        help="where corpora and outputs are kept and reused (bench/out, git-ignored)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated article counts (1000,10000)"
    )
    parser.add_argument("--edits", type=int, default=20, metavar="N", help="saves per size (20)")
    add_build_options(parser, "processes for the parallel cold build and the warm builds")
    parser.add_argument("--skip-browser", action="store_true", help="no Chromium tab")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: not a list of numbers: {args.sizes!r}")
    if not args.skip_browser and not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        parser.error(f"no {CHROMIUM} or {CHROMEDRIVER}: install them or pass --skip-browser")
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)

    options = build_options()
    notes: list[str] = []
    missing = [o for o in ("--jobs", "--cache-dir", "--no-cache") if o not in options]
    if missing:
        notes.append(
            f"- `python build.py` has no {', '.join(missing)}: cold builds ran without them"
            + (", and there is no parallel build" if "--jobs" in missing else "")
        )
    if "--no-search" not in options:
        notes.append("- `python build.py` has no --no-search: the --no-search columns show n/a")
    version = hugo_version()
    if version is None:
        notes.append(
            f"- `{HUGO}` is not on PATH (`apt-get install hugo`): the hugo and pagefind "
            "columns and the ratios to them show n/a"
        )
    else:
        notes.append(
            f"- anchors: {version} on every core, on the corpus as `bench/hugo.py` converts "
            f"it; Pagefind {pagefind_version()} on Hugo's output"
        )
    rows = [measure(size, args, options, version is not None) for size in sizes]
    print(table(rows, args.jobs))
    print()
    print(f"{os.cpu_count()} cores; corpora in {args.work}; seed {SEED}.")
    for line in [*notes, *details(rows)]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
