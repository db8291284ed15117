"""The pictures benchmark (``bench/pictures.py``) measures builds that did what it says.

Its figures mean something only if every article of its corpus shows a lead picture, the
warm build with nothing changed encodes nothing, replacing one picture encodes that one,
and the corpus it keeps for the next run is the one it made: a picture left replaced, or
a build that stopped at an error (which is fast), would make every figure wrong. This
runs it on three articles with pictures smaller than a camera's, so it takes seconds.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from .support.corpus import load_bench

ARTICLES = 3
SIZE = (1700, 1134)
"""Wider than the widest published width, so each picture has every width and crop."""

bench = load_bench("pictures")


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("work")


@pytest.fixture(scope="module")
def measured(work: Path):
    return bench.measure(work, ARTICLES, jobs=2, size=SIZE)


def test_every_article_has_a_picture_of_its_own(measured, work):
    pictures = sorted((work / f"pictures-{ARTICLES}" / "content").rglob("*.jpg"))
    datas = [p.read_bytes() for p in pictures]

    assert len(pictures) == len(set(datas)) == ARTICLES
    for path, data in zip(pictures, datas, strict=True):
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, image.size) == ("JPEG", SIZE)
        assert f'src: "{path.name}"' in path.with_suffix(".md").read_text(encoding="utf-8")
    assert measured.source_bytes == sum(map(len, datas))


def test_the_same_seed_gives_the_same_picture():
    assert bench.camera_picture("a", (300, 200)) == bench.camera_picture("a", (300, 200))
    assert bench.camera_picture("a", (300, 200)) != bench.camera_picture("b", (300, 200))


def test_builds_encode_what_they_should(measured):
    cold, plain = measured.cold, measured.plain

    assert cold.pages == plain.pages > ARTICLES
    assert 0 < cold.pictures < cold.total and plain.pictures < cold.pictures
    assert measured.cold_written == measured.store_files - bench.LEAD_FILES
    assert measured.cold_written == ARTICLES * bench.LEAD_FILES == 36
    assert measured.warm_written == []
    assert len(measured.replaced_written) == bench.LEAD_FILES


def test_a_reader_gets_the_pictures_and_a_phone_page(measured):
    assert measured.site_files == ARTICLES * bench.LEAD_FILES  # the replaced one's
    assert measured.site_bytes > 0
    assert len(measured.phone) == ARTICLES
    assert all(html > 1000 and webp > 1000 for html, webp in measured.phone)


def test_the_report_has_every_row_and_the_corpus_is_put_back(measured, work):
    text, broken = bench.report(measured)

    assert not broken
    for row in ("| cold, with pictures |", "| warm, one picture replaced |", "| 3 |"):
        assert row in text
    assert "n/a" not in text
    *_, made_in = bench.pictured_corpus(work, ARTICLES, 1, SIZE)
    assert made_in is None  # reused: the replaced picture is back as it was
