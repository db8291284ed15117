"""What the build knows of a picture once it is processed: the files made of it.

Frozen and picklable: pictures are entries of the content graph (``ContentGraph.pictures``),
read by pages through their ``GraphReader``, so a replaced photo renders again exactly
the pages that show it, and they travel to worker processes and the persistent cache.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from dossierpress.content.model import ImageSpec
from dossierpress.fileinfo import FileSignature

Focus = tuple[int, int]
"""Where a crop keeps its subject: percent across and down from the top left."""
CENTRE: Focus = (50, 50)

RASTER = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp"})
"""Files under ``content/`` that are pictures: never copied as they are, since a camera's
file carries metadata (``process``)."""
DRAWINGS = frozenset({".svg"})
"""Pictures published as they are: a drawing scales by itself and holds no camera data."""
PICTURES_DIR = "pictures"
"""Where processed pictures go: in the output, and in the store beside the cache."""
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
CARD = "card"
"""The share card's crop: 1200×630, what link previews show (Open Graph, X, Slack)."""
RATIOS: dict[str, tuple[int, int]] = {CARD: (40, 21), "16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
"""Each crop made of a lead picture: the share card, and the three shapes Google's
article guidelines ask structured data to offer."""


def is_raster(rel: str) -> bool:
    return PurePosixPath(rel).suffix.lower() in RASTER


def is_drawing(rel: str) -> bool:
    return PurePosixPath(rel).suffix.lower() in DRAWINGS


def is_url(key: str) -> bool:
    return bool(_SCHEME.match(key)) or key.startswith("//")


def picture_key(document: str, src: str, *, body: bool) -> tuple[str | None, str | None]:
    """(key, None) for the picture ``src`` names from ``document``, or (None, problem).

    A path is relative to the document's folder, or to ``content/`` when it starts with
    ``/``; a URL is its own key. A body's addresses are percent-encoded by the Markdown
    parser (``my%20photo.jpg``) and decoded here."""
    if is_url(src):
        return src, None
    path = src.split("#", 1)[0].split("?", 1)[0]
    if body:
        path = unquote(path)
    if not path:
        return None, "names no file"
    joined = (
        "content" + path
        if path.startswith("/")
        else posixpath.join(posixpath.dirname(document), path)
    )
    key = posixpath.normpath(joined)
    if not key.startswith("content/"):
        return None, f"'{src}' is outside content/"
    return key, None


def focus_of(spec: ImageSpec) -> Focus:
    if spec.focus is None:
        return CENTRE
    return (round(spec.focus[0] * 100), round(spec.focus[1] * 100))


@dataclass(frozen=True)
class Variant:
    """One published file of a picture."""

    path: str
    """Output path (``pictures/kim-vostochny-3f9c2a41d0-800.webp``)."""
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Crop:
    """A picture cut to one shape around one focus point."""

    ratio: str
    focus: Focus
    variant: Variant


@dataclass(frozen=True)
class Picture:
    """A picture as pages show it. A processed raster picture has its widths; a picture
    used as it is (an SVG drawing, an https URL) has ``src`` and no widths."""

    key: str
    """The source file (``content/…``) or the URL, as the build resolved it."""
    width: int = 0
    """Of the picture as shown (EXIF orientation applied); 0 when unknown."""
    height: int = 0
    webp: tuple[Variant, ...] = ()
    """Narrowest first."""
    fallback: tuple[Variant, ...] = ()
    """The same widths in the source's kind of format (JPEG, or PNG where it has
    transparency), for browsers without WebP and for feeds."""
    crops: tuple[Crop, ...] = ()
    src: str | None = None
    """For a picture published as it is: its output path, or its https URL."""

    @property
    def processed(self) -> bool:
        return bool(self.fallback)

    @property
    def files(self) -> tuple[Variant, ...]:
        """Every file made of it."""
        return (*self.webp, *self.fallback, *(crop.variant for crop in self.crops))

    def crop(self, ratio: str, focus: Focus) -> Variant | None:
        for crop in self.crops:
            if crop.ratio == ratio and crop.focus == focus:
                return crop.variant
        return None

    def fallback_near(self, width: int) -> Variant:
        """The narrowest fallback at least ``width`` wide, else the widest there is (of a
        ``processed`` picture, which has one)."""
        for variant in self.fallback:
            if variant.width >= width:
                return variant
        return self.fallback[-1]


@dataclass(frozen=True)
class PictureTask:
    """One source picture to process, with the focus points of its crops (none for a
    picture no page leads with)."""

    rel: str
    """``content/…``"""
    focuses: tuple[Focus, ...]
    size: int
    """Its size in bytes, to share the work fairly between processes."""


@dataclass(frozen=True)
class PictureRecord:
    """One source picture as last processed: the picture, or why it could not be."""

    signature: FileSignature | None
    digest: str
    """Of its bytes and the settings ("" when it could not be read)."""
    focuses: tuple[Focus, ...]
    picture: Picture | None
    problem: str | None = None
