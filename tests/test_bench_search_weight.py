"""What the search page weighs (``bench/search_weight.py``), measured on a small built site.

The benchmark's figures come from its own server's count of what it sent and from the
page's results as the search page shows them; a base path served wrong, a "results shown" that
fires before the results, or requests sorted into the wrong part would make every figure
of the table meaningless. This builds the small bilingual site of the search tests (two
shards of articles and the topics', served under its base path ``/d/``) and checks the
figures of a first visit and of a word typed after it are those of a search that worked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossierpress.engine import search

from .support.browser import CHROMEDRIVER, CHROMIUM, MISSING
from .support.cli import run_cli
from .support.corpus import load_bench
from .support.dossier import BASE, write_dossier_site
from .support.files import write_files

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not search.pagefind_available(), reason="needs Pagefind (pip install 'pagefind[bin]')"
    ),
    pytest.mark.skipif(not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()), reason=MISSING),
]

weight = load_bench("search_weight")

EARLIER = """---
title: A year before the talks
date: 2023-11-02
topics: [side-story]
---

A quokka crossed the border bridge by the river.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = write_dossier_site(tmp_path_factory.mktemp("weight-source"))
    write_files(source, {"content/articles/earlier.md": EARLIER})  # a shard of 2023
    out = tmp_path_factory.mktemp("weight") / "site"
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(search, "SHARD_PAGES", 4)  # shards, as a large archive's
        result = run_cli("--source", source, "--output", out, "--no-cache", "-q")
    assert (result.code, result.err) == (0, "")
    return out


@pytest.fixture(scope="module")
def measured(site: Path, tmp_path_factory: pytest.TempPathFactory):
    pytest.importorskip("selenium", reason=MISSING)
    profile = tmp_path_factory.mktemp("profile")
    [one] = weight.measure([site], ["river", "xylophone"], 1, profile, quiet=0.2, warm_up=False)
    return one


def test_the_site_is_served_under_its_base_path(site, measured):
    assert weight.base_path(site) == BASE == measured.prefix
    assert measured.bundles == len(list((site / "pagefind").glob("*/pagefind-entry.json"))) > 2
    assert measured.version == search.pagefind_version()


def test_a_first_visit_counts_every_part_of_the_search_page(measured):
    [visit] = measured.first["river"]

    assert visit.failed == 0
    assert visit.results >= 2 and visit.shown == min(visit.results, 10)
    assert visit.fragment_bundles >= 2  # results of this year and of 2023
    # The page (its script in it), its stylesheet and icon; pagefind.js and its wasm (no
    # interface, no worker); the index.
    assert visit.requests["rest"] == 3
    assert visit.requests["code"] == 2
    assert visit.requests["index"] >= 2 * measured.bundles
    assert visit.bytes["code"] > 50_000  # the wasm
    assert all(visit.bytes[k] > 200 * visit.requests[k] for k in weight.KINDS)  # headers+
    # Pagefind searches on the page's thread: the page sees every request.
    assert visit.page_seen == sum(visit.requests.values())
    assert 0 < visit.ms < 60_000


def test_a_search_with_no_results_ends_too(measured):
    [visit] = measured.first["xylophone"]

    assert (visit.results, visit.shown, visit.fragment_bundles, visit.failed) == (0, 0, 0, 0)
    assert visit.requests["index"] > 0


def test_a_word_typed_afterwards_costs_only_index_data(measured):
    [typed] = measured.typed["xylophone"]

    assert typed.requests["code"] == typed.requests["rest"] == 0
    assert typed.results == 0 and typed.ms > 0


def test_requests_are_sorted_into_code_index_and_the_rest():
    kinds = {
        "/d/pagefind/pagefind-ui.js": "code",
        "/d/pagefind/pagefind-ui.css": "code",
        "/d/pagefind/2024/pagefind-worker.js": "code",
        "/d/pagefind/2024/wasm.en.pagefind": "code",
        "/d/pagefind/shards.json": "index",
        "/d/pagefind/2024/pagefind-entry.json": "index",
        "/d/pagefind/2024/pagefind.en_0123abcdef.pf_meta": "index",
        "/d/pagefind/2024/index/en_0123abc.pf_index": "index",
        "/d/pagefind/2024/fragment/en_0123abc.pf_fragment": "index",
        "/d/pagefind/2024/filter/en_0123abc.pf_filter": "index",
        "/d/search/": "rest",
        "/d/static/search.js": "rest",
        "/d/static/style.css": "rest",
    }
    assert {path: weight.kind(path) for path in kinds} == kinds


def test_the_search_page_weighs_under_150_kb_before_its_index(site, tmp_path):
    """The page, its stylesheet and scripts, pagefind.js and its wasm, on the wire: what a
    reader's first search loads besides index data (and the site's icon, which a browser
    keeps from any page of the site)."""
    pytest.importorskip("selenium", reason=MISSING)
    driver = weight.chromium(tmp_path)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": weight.RESULTS_SCRIPT}
        )
        with weight.serve(site, weight.base_path(site), quiet=0.2) as server:
            visit = weight.first_visit(driver, server, "river")
            hits = server.since(0)
    finally:
        driver.quit()
    assert visit.results >= 2
    page = {h.path: h.head + h.body for h in hits if weight.kind(h.path) != "index"}
    assert set(page) == {
        f"{BASE}search/",
        f"{BASE}static/style.css",
        f"{BASE}static/favicon.svg",
        f"{BASE}pagefind/pagefind.js",
        f"{BASE}pagefind/topics/wasm.en.pagefind",
    }
    del page[f"{BASE}static/favicon.svg"]
    assert sum(page.values()) < 150_000, page
