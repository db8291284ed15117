"""Making the files readers get of an editor's picture, with Pillow.

A camera's JPEG is several megabytes and carries what it knows of itself: the GPS
position it was taken at, the camera's serial number, the owner's name. A news site that
published it as it is would send a phone 6 MB for a 390 px column and could hand a
source's whereabouts to anyone who looks. So no picture is published as it is: each is
decoded once, turned the way its EXIF orientation says, converted to sRGB, and encoded
afresh, at several widths in WebP and in the source's kind of format, with no metadata
at all (Pillow writes none it is not given, and none is given). Lead pictures also get
crops around their focus point: the share card and the shapes structured data offers.

Files are named by a digest of the source's bytes and of everything that shapes the
output (the widths, the encoders' settings, Pillow's and libwebp's versions), and kept in
a store folder (the persistent cache's, or a temporary one): a build whose picture is
already there encodes nothing, and an edit encodes only the picture it replaced. The
same bytes and settings give the same files, byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

from dossierpress.config import format_size
from dossierpress.content.slugs import slugify
from dossierpress.content.walk import SourceFile
from dossierpress.fileinfo import FileSignature
from dossierpress.pictures.model import (
    PICTURES_DIR,
    RATIOS,
    Crop,
    Focus,
    Picture,
    PictureRecord,
    PictureTask,
    Variant,
)
from dossierpress.pictures.settings import (
    CROP_WIDTH,
    JPEG,
    PNG,
    WEBP,
    WIDTHS,
    encoder_settings,
)

_MIME = {".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png"}
_ORIENTATION = 0x0112
_SWAPPED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture a quarter: width and height trade places."""


def settings_digest() -> str:
    """What, besides a source's bytes, decides the bytes of the files made of it: the
    settings, and the versions of the codecs Pillow was built with."""
    versions = (features.version("webp"), features.version("jpg"), features.version("zlib"))
    return repr((encoder_settings(), versions))


class PictureProblem(ValueError):
    """A file that cannot be published as a picture; the message says why."""


def process(
    source: Path, task: PictureTask, store: Path, max_size: int, settings: str
) -> PictureRecord:
    """The record of one source picture, its files made in ``store`` where missing."""
    path = source / task.rel
    signature = FileSignature.of(path)
    try:
        data = _read(SourceFile(path, source / "content"), max_size)
    except PictureProblem as exc:
        return PictureRecord(signature, "", task.focuses, None, str(exc))
    digest = hashlib.blake2b(data + settings.encode(), digest_size=16).hexdigest()
    try:
        picture = _picture(task, data, digest, store)
    except PictureProblem as exc:
        return PictureRecord(signature, digest, task.focuses, None, str(exc))
    return PictureRecord(signature, digest, task.focuses, picture)


def process_all(
    source: Path,
    tasks: Iterable[PictureTask],
    store: Path,
    max_size: int,
    check: Callable[[], None] | None = None,
) -> list[tuple[str, PictureRecord]]:
    """``process`` for each task (``check`` before each, which may raise to stop)."""
    settings = settings_digest()
    found = []
    for task in tasks:
        if check is not None:
            check()
        found.append((task.rel, process(source, task, store, max_size, settings)))
    return found


def _read(file: SourceFile, max_size: int) -> bytes:
    try:
        with file.open() as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_size:
                raise PictureProblem(_too_big(size, max_size))
            return handle.read()
    except OSError as exc:
        raise PictureProblem(f"cannot read the picture: {exc.strerror or exc}") from None


def _too_big(size: int, max_size: int) -> str:
    return f"picture is {format_size(size, decimals=1)}, over the {format_size(max_size)} limit"


def _picture(task: PictureTask, data: bytes, digest: str, store: Path) -> Picture:
    """The picture's files, named and sized from its header, made where the store lacks
    one (a picture already processed is not decoded again)."""
    with _opened(data) as image:
        width, height = _shown_size(image)
        alpha = _has_alpha(image)
        stem = f"{slugify(PurePosixPath(task.rel).stem)[:48] or 'picture'}-{digest[:10]}"
        plan = _plan(stem, width, height, alpha, task.focuses)
        missing = [item for item in plan if not (store / _name(item.variant)).exists()]
        if missing:
            _make(image, missing, store)
    webp = tuple(i.variant for i in plan if i.crop is None and i.variant.mime == _MIME[".webp"])
    fallback = tuple(i.variant for i in plan if i.crop is None and i.variant.mime != _MIME[".webp"])
    crops = tuple(Crop(i.crop[0], i.crop[1], i.variant) for i in plan if i.crop is not None)
    return Picture(task.rel, width, height, webp, fallback, crops)


@dataclass(frozen=True)
class _Planned:
    variant: Variant
    crop: tuple[str, Focus] | None
    box: tuple[int, int, int, int]
    """The part of the (turned) source it shows."""


def _plan(
    stem: str, width: int, height: int, alpha: bool, focuses: tuple[Focus, ...]
) -> list[_Planned]:
    fallback = ".png" if alpha else ".jpg"
    whole = (0, 0, width, height)
    planned = []
    for target in _widths(width):
        tall = max(1, round(height * target / width))
        for ext in (".webp", fallback):
            variant = Variant(f"{PICTURES_DIR}/{stem}-{target}{ext}", target, tall, _MIME[ext])
            planned.append(_Planned(variant, None, whole))
    for focus in focuses:
        for ratio, shape in RATIOS.items():
            box = crop_box(width, height, shape, focus)
            crop_w = box[2] - box[0]
            out_w = min(CROP_WIDTH, crop_w)
            out_h = max(1, round(out_w * shape[1] / shape[0]))
            name = f"{PICTURES_DIR}/{stem}-{ratio}-{focus[0]}-{focus[1]}-{out_w}{fallback}"
            variant = Variant(name, out_w, out_h, _MIME[fallback])
            planned.append(_Planned(variant, (ratio, focus), box))
    return planned


def _widths(width: int) -> list[int]:
    """The published widths: those of ``WIDTHS`` narrower than the source, and the source's
    own where it is narrower than the widest (never enlarged)."""
    found = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        found.append(width)
    return found or [WIDTHS[-1]]


def crop_box(
    width: int, height: int, shape: tuple[int, int], focus: Focus
) -> tuple[int, int, int, int]:
    """The largest box of ``shape`` in the picture, centred on ``focus`` as far as the
    edges allow."""
    ratio = shape[0] / shape[1]
    if width / height > ratio:
        box_h, box_w = height, max(1, round(height * ratio))
    else:
        box_w, box_h = width, max(1, round(width / ratio))
    left = round(width * focus[0] / 100 - box_w / 2)
    top = round(height * focus[1] / 100 - box_h / 2)
    left = min(max(0, left), width - box_w)
    top = min(max(0, top), height - box_h)
    return (left, top, left + box_w, top + box_h)


def _name(variant: Variant) -> str:
    return PurePosixPath(variant.path).name


class _opened:
    """Pillow's image of ``data``, every way it can fail a ``PictureProblem``."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(io.BytesIO(self.data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            limit = f"{Image.MAX_IMAGE_PIXELS:,}" if Image.MAX_IMAGE_PIXELS else "the"
            raise PictureProblem(
                f"picture has more pixels than {limit} (a decompression bomb?)"
            ) from None
        except UnidentifiedImageError:
            raise PictureProblem("not a picture Pillow can read (JPEG, PNG, WebP, GIF)") from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise PictureProblem(f"cannot read the picture: {exc}") from None
        return self.image

    def __exit__(self, *exc_info: object) -> None:
        if self.image is not None:
            self.image.close()


def _shown_size(image: Image.Image) -> tuple[int, int]:
    orientation = image.getexif().get(_ORIENTATION, 1)
    width, height = image.size
    return (height, width) if orientation in _SWAPPED else (width, height)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _make(image: Image.Image, planned: list[_Planned], store: Path) -> None:
    """Decode the source once and write each planned file into ``store``. Each size is
    resized once for both formats, from the narrowest width already made that holds it
    (the whole picture's widths from the next wider one, crops from the narrowest width
    wide enough), in Pillow's reducing mode (a box reduction to twice the size, then
    Lanczos): the same picture to the eye in a fraction of the time."""
    shown = _decoded(image)
    store.mkdir(parents=True, exist_ok=True)
    whole = (0, 0, *shown.size)
    made: dict[tuple[tuple[int, int, int, int], tuple[int, int]], Image.Image] = {}
    widths = [shown]  # the whole picture, widest first
    for item in sorted(planned, key=lambda i: (i.box != whole, -i.variant.width)):
        size = (item.variant.width, item.variant.height)
        resized = made.get((item.box, size))
        if resized is None:
            resized = _from_narrowest(widths, item.box, size)
            made[(item.box, size)] = resized
            if item.box == whole:
                widths.append(resized)
        _write(store / _name(item.variant), _encoded(resized, item.variant.mime))


def _from_narrowest(
    widths: list[Image.Image], box: tuple[int, int, int, int], size: tuple[int, int]
) -> Image.Image:
    """``box`` of the picture (in the source's pixels) at ``size``, cut from the
    narrowest of ``widths`` in which it is still at least ``size`` wide."""
    source_width = widths[0].width
    for image in reversed(widths):
        scale = image.width / source_width
        left, top, right, bottom = (round(edge * scale) for edge in box)
        cut = (left, top, right, bottom)
        if cut[2] - cut[0] >= size[0]:
            part = image if cut == (0, 0, *image.size) else image.crop(cut)
            return part if part.size == size else _resized(part, size)
    raise AssertionError("the source itself is wide enough")


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _decoded(image: Image.Image) -> Image.Image:
    """The first frame, turned upright, in sRGB, with nothing of the source's metadata."""
    try:
        image.seek(0)
        image.load()
    except (OSError, ValueError, SyntaxError) as exc:
        raise PictureProblem(f"the picture is damaged or cut short ({exc})") from None
    upright = ImageOps.exif_transpose(image) or image
    converted = _in_srgb(upright)
    clean = Image.new(converted.mode, converted.size)
    clean.paste(converted)
    return clean  # a new image: no info, no EXIF, no ICC profile, no XMP


def _in_srgb(image: Image.Image) -> Image.Image:
    """RGB or RGBA in sRGB: the source's profile applied where it has one."""
    alpha = _has_alpha(image)
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            target = ImageCms.createProfile("sRGB")
            start = image if image.mode in ("RGB", "RGBA", "CMYK") else image.convert(mode)
            out_mode = "RGBA" if start.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(start, source, target, outputMode=out_mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the colours as they are, rather than no picture
    return image if image.mode == mode else image.convert(mode)


def _encoded(image: Image.Image, mime: str) -> bytes:
    out = io.BytesIO()
    if mime == _MIME[".webp"]:
        image.save(out, "WEBP", **WEBP)
    elif mime == _MIME[".png"]:
        image.save(out, "PNG", **PNG)
    else:
        image.convert("RGB").save(out, "JPEG", **JPEG)
    return out.getvalue()


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary name: a store file is whole or absent, whoever reads it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
