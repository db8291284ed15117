"""The time search adds to a whole build: the sample dossier and synthetic archives.

    python bench/search.py [--sizes 1000] [--repeat 3] [--work DIR]

For the sample (``content/`` of this repository) and each corpus size (``run.py``'s
corpus, seed 0, reused from ``--work``), it runs cold builds, each a fresh
``python build.py --no-cache -v`` process into an empty folder, alternately with and
without ``--no-search``, ``--repeat`` times each, and prints the medians: the wall time
of the whole process both ways, their difference, and the build's own "search" stage
(Pagefind indexing the finished pages, from ``-v``). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import corpus, log  # noqa: E402  (bench/run.py: the shared corpus)

_STAGE = re.compile(r"^\s+search\s+(\d+\.\d) ms$", re.MULTILINE)
_BUILT = re.compile(r"Built (\d+) pages")


def one_build(source: Path, search: bool) -> tuple[float, float, int]:
    """Wall seconds of a whole cold build, its search stage in seconds, its page count."""
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as out:
        command = [sys.executable, "build.py", "--source", str(source), "--output", out]
        command += ["--no-cache", "-v", *([] if search else ["--no-search"])]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}:\n{done.stdout}")
    stage = _STAGE.search(done.stdout)
    if search and stage is None:
        raise RuntimeError(f"no search stage in the output of {' '.join(command)}")
    built = _BUILT.search(done.stdout)
    return seconds, float(stage.group(1)) / 1000 if stage else 0.0, int(built[1]) if built else -1


def measure(name: str, source: Path, repeat: int) -> str:
    with_search, without, stages = [], [], []
    pages = -1
    one_build(source, True)  # warm the file system and the interpreter's caches
    for i in range(repeat):
        log(f"{name}: run {i + 1} of {repeat}")
        seconds, stage, pages = one_build(source, True)
        with_search.append(seconds)
        stages.append(stage)
        without.append(one_build(source, False)[0])
    on, off = statistics.median(with_search), statistics.median(without)
    stage = statistics.median(stages)
    return f"| {name} | {pages:,} | {off:.2f} | {on:.2f} | {on - off:+.2f} | {stage:.2f} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000", help="corpus sizes, comma-separated (1000)")
    parser.add_argument("--repeat", type=int, default=3, help="builds each way (3)")
    parser.add_argument("--work", type=Path, default=BENCH / "out", help="corpora (bench/out)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    rows = [measure("sample", REPO, args.repeat)]
    for size in sizes:
        rows.append(measure(f"{size:,} articles", corpus(args.work, size), args.repeat))
    print("| site | pages | --no-search s | with search s | search adds s | search stage s |")
    print("|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(f"\nMedians of {args.repeat} cold builds each way (`--no-cache`, a fresh process).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
