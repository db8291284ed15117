"""Pictures made for the tests with Pillow: each kind a newsroom's files come in, and the
broken ones, so no test depends on a photograph from anywhere."""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F
SERIAL = 0xA431  # BodySerialNumber
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'


def _scene(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A picture with a top and a left that can be told apart: a red band along the top,
    a blue one down the left, so a test can see which way it was turned."""
    image = Image.new("RGB", size, (235, 235, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], size[1] // 6), fill=(200, 20, 20))
    draw.rectangle((0, 0, size[0] // 8, size[1]), fill=(20, 40, 200))
    return image.convert(mode) if mode != "RGB" else image


def camera_jpeg(size: tuple[int, int] = (3000, 2000), orientation: int = 6) -> bytes:
    """A camera's JPEG: EXIF with a GPS position, a camera serial number and an
    orientation tag (6: shown turned a quarter clockwise), XMP and a colour profile."""
    image = _scene(size)
    exif = image.getexif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "Example Camera Co"
    exif.get_ifd(0x8769)[SERIAL] = "SN-000123"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 1.0, 10.0), 3: "E", 4: (125.0, 45.0, 0.0)})
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    icc = icc[:24] + bytes(12) + icc[36:]  # no creation time: the same bytes every call
    image.save(out, "JPEG", quality=90, exif=exif.tobytes(), xmp=XMP, icc_profile=icc)
    return out.getvalue()


def png_with_alpha(size: tuple[int, int] = (900, 600)) -> bytes:
    image = _scene(size).convert("RGBA")
    image.putalpha(Image.linear_gradient("L").resize(size))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def cmyk_jpeg(size: tuple[int, int] = (1400, 900)) -> bytes:
    out = io.BytesIO()
    _scene(size, "CMYK").save(out, "JPEG", quality=90)
    return out.getvalue()


def animated_gif(size: tuple[int, int] = (300, 200)) -> bytes:
    frames = [Image.new("P", size, colour) for colour in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (10, 20, 30)).save(out, "PNG")
    return out.getvalue()


def decompression_bomb() -> bytes:
    """A small file that decodes to 100 million pixels, over Pillow's limit."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    return out.getvalue()


def truncated_jpeg() -> bytes:
    data = camera_jpeg((1200, 800), orientation=1)
    return data[: len(data) // 2]


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
    '<rect width="40" height="20" fill="#369"/></svg>\n'
)
