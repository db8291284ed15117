"""Draw the sample dossier's picture, ``content/topics/russia-north-korea-relations.jpg``.

An illustration made for the sample, not a photograph: three moments of the dossier on
one line, each at the month the facts give. It shows
how a dossier's picture, share card and crops come out, with a credit and a licence that
are true (the project's own drawing, CC0). Pillow and the DejaVu fonts are needed only
to run this; the JPEG is committed::

    python tools/sample_picture.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from share_image import ACCENT, INK, MUTED, PAPER, RULE  # the theme's colours, drawn alike

WIDTH, HEIGHT = 1800, 1200
SCALE = 2
FONTS = Path("/usr/share/fonts/truetype/dejavu")
OUT = (
    Path(__file__).resolve().parent.parent
    / "content"
    / "topics"
    / "russia-north-korea-relations.jpg"
)
MEETINGS = (
    ("September 2023", "Kim at Vostochny"),
    ("February 2024", "An Aurus for Kim"),
    ("June 2024", "Putin in Pyongyang"),
)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size * SCALE)


def draw() -> Image.Image:
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH * s, 24 * s), fill=ACCENT)
    pen.text((140 * s, 150 * s), "Russia", font=font(96, bold=True), fill=INK)
    pen.text((140 * s, 270 * s), "and North Korea", font=font(96, bold=True), fill=INK)
    line = "From Vostochny to Pyongyang, 2023–2024"
    pen.text((140 * s, 410 * s), line, font=font(48), fill=MUTED)
    y = 760
    pen.rectangle((160 * s, (y - 4) * s, 1640 * s, (y + 4) * s), fill=RULE)
    for index, (when, what) in enumerate(MEETINGS):
        x = 220 + index * 540
        pen.ellipse(((x - 34) * s, (y - 34) * s, (x + 34) * s, (y + 34) * s), fill=ACCENT)
        pen.text(((x - 34) * s, (y + 70) * s), when, font=font(40, bold=True), fill=INK)
        pen.text(((x - 34) * s, (y + 130) * s), what, font=font(40), fill=MUTED)
    pen.rectangle((0, (HEIGHT - 10) * s, WIDTH * s, HEIGHT * s), fill=RULE)
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def main() -> None:
    draw().save(OUT, "JPEG", quality=88, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
