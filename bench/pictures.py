"""What lead pictures cost a build and a reader: an archive whose every article has one.

    python bench/pictures.py [--articles 1000 | --quick] [--jobs N] [--work DIR]

It takes ``run.py``'s corpus of N articles (seed 0, reused from ``--work``) and makes a
copy of it in which every article has a lead picture: a camera-sized JPEG (3000×2000,
quality 90, 1.5 MB) beside the article, different for each and the same on every run,
named in an ``image:`` block (``src``, ``alt``, ``credit``). That copy is kept in
``--work`` too and made again only when the corpus or the pictures' recipe changed. Then,
each a whole ``python build.py --no-search --jobs N -v`` process timed from outside like
``run.py``'s builds (wall time, the CPU time of it and its workers, peak RSS), one after
the other:

- a cold build with pictures: empty output folder, empty cache folder (``--cache-dir``,
  whose ``pictures/`` is the picture store), and how much of it the "pictures" stage was;
- the same corpus without pictures, cold the same way: the anchor;
- a warm build, nothing changed: it should encode nothing, so every file of the store
  must keep its inode and modification time, and no file may be added;
- a warm build after one article's picture is replaced by another (different bytes): the
  files of the store it wrote (a lead picture is 8 widths and 4 crops);
- what a reader gets: the bytes of ``site/pictures/``, and of an article page on a phone
  (its HTML and the 800 px WebP of its lead picture).

It prints Markdown tables on standard output (progress goes to standard error).
Figures, not assertions, but for one: if the warm build with nothing changed wrote a
file of the store, a note says so and the script exits with status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import io
import json
import os
import re
import shutil
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from PIL import Image, ImageDraw, features
from PIL import __version__ as PILLOW_VERSION

from dossierpress.content.writer import Block, Entry, Field, front_matter
from dossierpress.pictures.model import PICTURES_DIR, RATIOS
from dossierpress.pictures.settings import WIDTHS

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import (  # noqa: E402  (bench/run.py: the shared corpus and the measurement)
    CORPUS_STAMP,
    SEED,
    ProcessRun,
    add_build_options,
    article_files,
    article_urls,
    corpus,
    log,
    timed,
    tree_digest,
)

PICTURE_SIZE = (3000, 2000)
"""A camera's picture: 6 megapixels, about 1.5 MB as a quality-90 JPEG."""
JPEG_QUALITY = 90
PICTURES_STAMP = ".bench-pictures.json"
QUICK_ARTICLES = 100
LEAD_FILES = 2 * len(WIDTHS) + len(RATIOS)
"""The store files of one lead picture wider than the widest width: each width in WebP
and JPEG, and each crop."""
PHONE_WIDTH = 800
"""The width a phone's browser picks for the article column (390 CSS px at 2x)."""


# -- The pictures -----------------------------------------------------------------------


def camera_picture(seed: str, size: tuple[int, int] = PICTURE_SIZE) -> bytes:
    """A JPEG that costs what a photograph costs to decode and encode: smooth colour fields
    (an out-of-focus background), shapes with hard edges, a texture and sensor noise at
    full resolution. Everything from ``Random(seed)``: the same seed, the same bytes."""
    rng = Random(seed)
    width, height = size
    scene = Image.frombytes("RGB", (8, 6), rng.randbytes(8 * 6 * 3))
    scene = scene.resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(scene)
    for _ in range(rng.randint(25, 45)):
        left, top = rng.randrange(width), rng.randrange(height)
        right = left + rng.randint(width // 40, width // 5)
        bottom = top + rng.randint(height // 30, height // 3)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        shape = draw.rectangle if rng.random() < 0.6 else draw.ellipse
        shape((left, top, right, bottom), fill=colour)
    small = (max(1, width // 6), max(1, height // 6))
    texture = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    texture = texture.resize(size, Image.Resampling.BILINEAR)
    grain = Image.frombytes("L", size, rng.randbytes(width * height))
    detail = Image.blend(texture, grain, 0.35).convert("RGB")
    out = io.BytesIO()
    Image.blend(scene, detail, 0.18).save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _write_picture(job: tuple[Path, str, tuple[int, int]]) -> int:
    path, seed, size = job
    data = camera_picture(seed, size)
    path.write_bytes(data)
    return len(data)


def picture_seed(index: int) -> str:
    return f"picture-{SEED}-{index}"


def with_image(text: str, src: str, index: int) -> str:
    """The article ``text`` with an ``image:`` block at the end of its front matter."""
    block = Block(
        (
            Field("src", src),
            Field("alt", f"A made-up photograph for the benchmark, number {index}"),
            Field("credit", "Photo: Benchmark desk"),
        )
    )
    lines = front_matter([Entry("image", block)]).splitlines()[1:-1]  # without the ---
    end = text.find("\n---\n", 4)
    if not text.startswith("---\n") or end < 0:
        raise ValueError("an article without front matter")
    return text[: end + 1] + "\n".join(lines) + "\n" + text[end + 1 :]


def _recipe() -> str:
    """What makes the pictured corpus besides the corpus: this script's recipe for it."""
    code = "".join(inspect.getsource(f) for f in (camera_picture, picture_seed, with_image))
    return hashlib.sha256(code.encode()).hexdigest()


def pictured_corpus(
    work: Path, articles: int, jobs: int, size: tuple[int, int] = PICTURE_SIZE
) -> tuple[Path, Path, float | None]:
    """``run.py``'s corpus (``work/corpus-<N>``), and ``work/pictures-<N>``: the same with a
    lead picture for every article, made unless an unchanged one of the same corpus and
    recipe is there. The third value is the seconds it took to make (None: reused)."""
    plain = corpus(work, articles)
    root = work / f"pictures-{articles}"
    made = json.loads((plain / CORPUS_STAMP).read_text(encoding="utf-8"))
    wanted = {
        "articles": articles,
        "corpus": made["digest"],
        "recipe": _recipe(),
        "size": list(size),
        "quality": JPEG_QUALITY,
    }
    stamp = root / PICTURES_STAMP
    if stamp.is_file() and (root / "content").is_dir():
        found = json.loads(stamp.read_text(encoding="utf-8"))
        if {k: found.get(k) for k in wanted} == wanted and found.get("digest") == tree_digest(root):
            log(f"reusing the pictured corpus in {root}")
            return plain, root, None
    log(f"making {articles:,} pictures of {size[0]}×{size[1]} into {root}")
    started = time.perf_counter()
    shutil.rmtree(root / "content", ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(plain / "site.yaml", root / "site.yaml")
    shutil.copytree(plain / "content", root / "content")
    pictures = []
    for index, path in enumerate(article_files(root)):
        picture = path.with_suffix(".jpg")
        text = path.read_text(encoding="utf-8")
        path.write_text(with_image(text, picture.name, index), encoding="utf-8")
        pictures.append((picture, picture_seed(index), size))
    if jobs > 1 and len(pictures) > jobs:
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_write_picture, pictures, chunksize=8))
    else:
        for job in pictures:
            _write_picture(job)
    stamp.write_text(json.dumps({**wanted, "digest": tree_digest(root)}), encoding="utf-8")
    return plain, root, time.perf_counter() - started


# -- Builds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    run: ProcessRun
    pages: int
    total: float
    """The build's own time (``Built … in X s``): start-up and imports not included."""
    stages: dict[str, float]
    """Seconds of each stage, from ``-v``."""

    @property
    def pictures(self) -> float:
        return self.stages.get("pictures", 0.0)


_BUILT = re.compile(r"Built (\d+) pages .* in (\d+\.\d+) s")
_STAGE = re.compile(r"^  (\w+)\s+(\d+\.\d) ms$", re.MULTILINE)


def build(source: Path, output: Path, cache: Path, jobs: int) -> Build:
    """One ``python build.py --no-search -v``, timed as ``run.py`` times its builds."""
    command = [sys.executable, "build.py", "--source", str(source), "--output", str(output)]
    command += ["--cache-dir", str(cache), "--jobs", str(jobs), "--no-search", "-v"]
    run, out = timed(command)
    built = _BUILT.search(out)
    stages = {name: float(ms) / 1000 for name, ms in _STAGE.findall(out)}
    return Build(
        run,
        pages=int(built.group(1)) if built else -1,
        total=float(built.group(2)) if built else float("nan"),
        stages=stages,
    )


def cold(source: Path, output: Path, cache: Path, jobs: int) -> Build:
    """A build from nothing: empty output folder, empty cache folder (and so picture store)."""
    for folder in (output, cache):
        shutil.rmtree(folder, ignore_errors=True)
    return build(source, output, cache, jobs)


Snapshot = dict[str, tuple[int, int]]


def snapshot(store: Path) -> Snapshot:
    """Each file of the picture store: its inode and modification time (ns). A file written
    again, even with the same bytes, goes through a new temporary file: a new inode."""
    if not store.is_dir():
        return {}
    found = {}
    for path in store.iterdir():
        if path.is_file() and not path.name.startswith(".tmp-"):
            info = path.stat()
            found[path.name] = (info.st_ino, info.st_mtime_ns)
    return found


def written(before: Snapshot, after: Snapshot) -> list[str]:
    """Files of the store added or written again between two snapshots."""
    return sorted(name for name, stamp in after.items() if before.get(name) != stamp)


# -- What a reader gets -----------------------------------------------------------------


_WEBP_SRCSET = re.compile(r'<source type="image/webp" srcset="([^"]*)"')


def phone_page(site: Path, url: str) -> tuple[int, int] | None:
    """The bytes of an article page's HTML and of the WebP of its lead picture a phone
    loads (the ``PHONE_WIDTH`` entry of the first WebP ``srcset``), or None."""
    html_path = site / url.strip("/") / "index.html"
    html = html_path.read_text(encoding="utf-8")
    found = _WEBP_SRCSET.search(html)
    if found is None:
        return None
    for entry in found.group(1).split(","):
        address, _, width = entry.strip().rpartition(" ")
        if width == f"{PHONE_WIDTH}w":
            picture = site / PICTURES_DIR / address.rsplit("/", 1)[-1]
            return html_path.stat().st_size, picture.stat().st_size
    return None


def folder_bytes(folder: Path) -> tuple[int, int]:
    """The files of ``folder`` (not below it) and their bytes."""
    sizes = [p.stat().st_size for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    return len(sizes), sum(sizes)


# -- One run ----------------------------------------------------------------------------


@dataclass
class Measured:
    articles: int
    jobs: int
    size: tuple[int, int]
    made_in: float | None = None
    source_bytes: int = 0
    cold: Build | None = None
    plain: Build | None = None
    warm: Build | None = None
    replaced: Build | None = None
    cold_written: int = 0
    """Files in the store after the cold build: all of them written by it."""
    warm_written: list[str] = field(default_factory=list)
    replaced_written: list[str] = field(default_factory=list)
    store_files: int = 0
    site_files: int = 0
    site_bytes: int = 0
    phone: list[tuple[int, int]] = field(default_factory=list)
    """(HTML bytes, WebP bytes) of each article page."""
    load: tuple[float, float] = (0.0, 0.0)


def measure(work: Path, articles: int, jobs: int, size: tuple[int, int] = PICTURE_SIZE) -> Measured:
    result = Measured(articles, jobs, size)
    plain, root, result.made_in = pictured_corpus(work, articles, jobs, size)
    pictures = [p.with_suffix(".jpg") for p in article_files(root)]
    result.source_bytes = sum(p.stat().st_size for p in pictures)
    runs = work / f"pictures-{articles}-builds"
    site, cache = runs / "site", runs / "cache"
    store = cache / PICTURES_DIR
    load_before = os.getloadavg()[0]

    log(f"[{articles:,}] cold build with pictures, --jobs {jobs}")
    result.cold = cold(root, site, cache, jobs)
    log(f"[{articles:,}] cold build without pictures, --jobs {jobs}")
    result.plain = cold(plain, runs / "plain-site", runs / "plain-cache", jobs)
    shutil.rmtree(runs / "plain-site", ignore_errors=True)
    shutil.rmtree(runs / "plain-cache", ignore_errors=True)

    log(f"[{articles:,}] warm build, nothing changed")
    before = snapshot(store)
    result.cold_written = len(before)
    result.warm = build(root, site, cache, jobs)
    after = snapshot(store)
    result.warm_written = written(before, after)

    target = pictures[len(pictures) // 2]
    original = target.read_bytes()
    log(f"[{articles:,}] warm build, {target.relative_to(root)} replaced")
    try:
        target.write_bytes(camera_picture(picture_seed(len(pictures) // 2) + "-replaced", size))
        result.replaced = build(root, site, cache, jobs)
        result.replaced_written = written(after, snapshot(store))
    finally:
        target.write_bytes(original)
    result.load = (load_before, os.getloadavg()[0])

    result.store_files = len(snapshot(store))
    result.site_files, result.site_bytes = folder_bytes(site / PICTURES_DIR)
    urls = article_urls(site, article_files(root))
    result.phone = [page for url in urls.values() if (page := phone_page(site, url))]
    return result


# -- The tables -------------------------------------------------------------------------


def _mb(size: float) -> str:
    return f"{size / 1e6:,.1f}"


def _kb(size: float) -> str:
    return f"{size / 1e3:,.1f}"


def build_table(m: Measured) -> list[str]:
    headers = [
        "build",
        "pages",
        "s",
        "CPU s",
        "RSS MB",
        "build's own s",
        "pictures stage s",
        "pictures share",
        "store files written",
    ]
    rows = [
        ("cold, with pictures", m.cold, m.cold_written),
        ("cold, without pictures (anchor)", m.plain, None),
        ("warm, nothing changed", m.warm, len(m.warm_written)),
        ("warm, one picture replaced", m.replaced, len(m.replaced_written)),
    ]
    lines = ["| " + " | ".join(headers) + " |", "|---|" + "---:|" * (len(headers) - 1)]
    for name, run, files in rows:
        if run is None:
            lines.append(f"| {name} |" + " n/a |" * (len(headers) - 1))
            continue
        share = f"{run.pictures / run.total:.0%}" if run.total else "n/a"
        cells = [
            name,
            f"{run.pages:,}",
            f"{run.run.seconds:.2f}",
            f"{run.run.cpu:.2f}",
            f"{run.run.peak_mb:.0f}",
            f"{run.total:.2f}",
            f"{run.pictures:.2f}",
            share,
            "–" if files is None else f"{files:,}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def weight_table(m: Measured) -> list[str]:
    html = statistics.median(h for h, _ in m.phone) if m.phone else float("nan")
    webp = statistics.median(w for _, w in m.phone) if m.phone else float("nan")
    per = m.site_bytes / m.articles if m.articles else float("nan")
    headers = [
        "pictures",
        "source MB",
        "`site/pictures/` files",
        "`site/pictures/` MB",
        "per picture kB",
        f"phone page: {PHONE_WIDTH} px WebP kB",
        "+ HTML kB",
        "= kB",
    ]
    cells = [
        f"{m.articles:,}",
        _mb(m.source_bytes),
        f"{m.site_files:,}",
        _mb(m.site_bytes),
        _kb(per),
        _kb(webp),
        _kb(html),
        _kb(webp + html),
    ]
    return [
        "| " + " | ".join(headers) + " |",
        "|" + "---:|" * len(headers),
        "| " + " | ".join(cells) + " |",
    ]


def notes(m: Measured) -> tuple[list[str], bool]:
    """The notes under the tables, and whether the warm build wrote into the store."""
    webp, jpeg = features.version("webp"), features.version("jpg")
    made = "reused" if m.made_in is None else f"made in {m.made_in:.0f} s"
    lines = [
        f"- {os.cpu_count()} cores, `--jobs {m.jobs}`, every build `--no-search -v` with "
        "its own empty output and cache folders when cold; Pillow "
        f"{PILLOW_VERSION} (libwebp {webp}, libjpeg {jpeg})",
        f"- corpus: `run.py`'s, seed {SEED}, each article with a {m.size[0]}×{m.size[1]} JPEG "
        f"(quality {JPEG_QUALITY}) as its lead picture ({made}); load average "
        f"{m.load[0]:.2f} before, {m.load[1]:.2f} after",
    ]
    if m.cold and m.plain:
        lines.append(
            f"- cold with pictures ÷ without: {m.cold.run.seconds / m.plain.run.seconds:.1f}× "
            f"wall, {m.cold.run.cpu / m.plain.run.cpu:.1f}× CPU; the pictures stage is the "
            "build's own time (`-v`) from the first picture handed to a worker to the last "
            "one back"
        )
    lines.append(
        f"- store files written: new or rewritten files (inode or modification time) in the "
        f"cache's `{PICTURES_DIR}/`; a lead picture is {LEAD_FILES} "
        f"({len(WIDTHS)} widths × WebP and JPEG, {len(RATIOS)} crops)"
    )
    lines.append(
        f"- phone page: medians over {len(m.phone):,} article pages of the HTML and the "
        f"{PHONE_WIDTH} px WebP of the lead picture (what a 390 px wide screen at 2x picks); "
        "not counted: the stylesheet, scripts and icons every page shares"
    )
    broken = bool(m.warm_written)
    if broken:
        shown = ", ".join(m.warm_written[:5]) + (" …" if len(m.warm_written) > 5 else "")
        lines.append(
            f"- **the warm build with nothing changed wrote {len(m.warm_written)} file(s) of "
            f"the store** ({shown}): it should encode nothing"
        )
    if m.replaced is not None and len(m.replaced_written) != LEAD_FILES:
        lines.append(
            f"- replacing one picture wrote {len(m.replaced_written)} store files, not {LEAD_FILES}"
        )
    return lines, broken


def report(m: Measured) -> tuple[str, bool]:
    lines, broken = notes(m)
    text = [
        *build_table(m),
        "",
        "What a reader gets:",
        "",
        *weight_table(m),
        "",
        *lines,
    ]
    return "\n".join(text), broken


def size_arg(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not WIDTHxHEIGHT: {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=1000, metavar="N", help="articles, each with a picture"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ARTICLES} articles (overrides --articles)"
    )
    add_build_options(parser, "processes for every build, and for making the pictures")
    parser.add_argument(
        "--picture-size",
        type=size_arg,
        default=PICTURE_SIZE,
        metavar="WxH",
        help="the pictures' size (3000x2000)",
    )
    args = parser.parse_args(argv)
    articles = QUICK_ARTICLES if args.quick else args.articles
    if articles < 1:
        parser.error("--articles: at least 1")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    text, broken = report(measure(work, articles, args.jobs, args.picture_size))
    print(text)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
