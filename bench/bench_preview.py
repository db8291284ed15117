"""Time from saving a file to the browser's reload event, in the live preview.

    python bench/bench_preview.py --articles 1000 10000 --edits 20

For each corpus size it generates a synthetic site (bench/generate_corpus.py), starts the
real preview (watcher, incremental builder, server) on a free port, listens on the reload
channel like a browser tab, and saves files the way an editor does. It reports the
median and 95th percentile over the edits of (a) one article's body and (b) one topic's
front matter, plus the full build time. Figures, not assertions: tests never time things.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from generate_corpus import generate_corpus  # beside this script

from dossierpress.preview.session import PreviewSession, ServeOptions


class ReloadListener:
    """Reads the preview's Server-Sent Events like a tab would, timestamping each event."""

    def __init__(self, url: str, epoch: int | None = None) -> None:
        """Listen from ``epoch`` on; without one, from the build the server has now."""
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        query = "" if epoch is None else f"?epoch={epoch}"
        self.conn.request("GET", f"{parts.path.rstrip('/')}/__dossier/events{query}")
        self.response = self.conn.getresponse()
        self.events: list[tuple[float, str, dict]] = []
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "", ""
        for raw in self.response:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data = line[5:].strip()
            elif not line and name:
                with self.arrived:
                    self.events.append((time.perf_counter(), name, json.loads(data or "{}")))
                    self.arrived.notify_all()
                name, data = "", ""

    def wait_for(self, count: int, timeout: float = 120) -> tuple[float, str, dict]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events) >= count, timeout)
            if len(self.events) < count:
                raise TimeoutError("no reload event arrived")
            return self.events[count - 1]

    def first_after(self, start: float, timeout: float = 120) -> tuple[float, str, dict]:
        """The first event that arrived after ``start`` (a ``time.perf_counter()``)."""

        def arrived() -> list[tuple[float, str, dict]]:
            return [event for event in self.events if event[0] > start]

        with self.arrived:
            if not self.arrived.wait_for(arrived, timeout):
                raise TimeoutError("no reload event arrived")
            return arrived()[0]


def edit_article(path: Path, i: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"\nAn added sentence, number {i}, for the benchmark.\n", "utf-8")


def edit_topic(path: Path, i: int) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if line.startswith("summary:"):
            lines[n] = f'summary: "A summary rewritten for edit {i}."'
            break
    else:
        lines.insert(1, f'summary: "A summary rewritten for edit {i}."')
    path.write_text("\n".join(lines), "utf-8")


def measure(session: PreviewSession, listener: ReloadListener, files, edit, edits: int):
    latencies, rendered = [], []
    seen = len(listener.events)
    for i in range(edits):
        target = files[i % len(files)]
        time.sleep(0.3)  # let the watcher settle, as between two real saves
        start = time.perf_counter()
        edit(target, i)
        seen += 1
        arrived, name, _ = listener.wait_for(seen)
        latencies.append((arrived - start) * 1000)
        assert name == "reload", name
        rendered.append(session.last.rendered if session.last else 0)
    return latencies, rendered


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(articles: int, edits: int) -> None:
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        source = Path(tmp) / "site"
        generate_corpus(source, articles)
        session = PreviewSession(ServeOptions(source=source, port=0))
        started = time.perf_counter()
        first = session.start()
        full = time.perf_counter() - started
        try:
            listener = ReloadListener(session.url, epoch=1)
            article_files = sorted((source / "content/articles").rglob("*.md"))[::97][:edits]
            topic_files = sorted((source / "content/topics").glob("*.md"))
            body, body_pages = measure(session, listener, article_files, edit_article, edits)
            topic, topic_pages = measure(session, listener, topic_files, edit_topic, edits)
        finally:
            session.stop()
    print(f"N = {articles:,} articles, {first.rendered:,} pages; first build {full:.2f} s")
    for label, values, pages in (
        ("article body edit", body, body_pages),
        ("topic front matter edit", topic, topic_pages),
    ):
        print(
            f"  {label:<24} median {statistics.median(values):7.1f} ms"
            f"   p95 {percentile(values, 0.95):7.1f} ms"
            f"   pages re-rendered (median) {statistics.median(pages):.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    for n in args.articles:
        run(n, args.edits)


if __name__ == "__main__":
    main()
