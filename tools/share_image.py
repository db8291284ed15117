"""Draw the default theme's link-preview image, ``layouts/static/share.png`` (1200×630).

A title card in the theme's colours: the favicon's folder on paper, with sheets and a
timeline, and no text (the same image serves every site built with the theme, whatever
its title). Pillow is needed only to run this; the PNG is committed and the build never
draws it::

    pip install pillow && python tools/share_image.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 630
SCALE = 4
"""Drawn this many times larger, then scaled down: smooth edges without a font or SVG."""
PAPER = (252, 251, 248)
RULE = (220, 216, 208)
ACCENT = (158, 27, 50)
INK = (28, 28, 28)
MUTED = (87, 87, 87)
OUT = Path(__file__).resolve().parent.parent / "layouts" / "static" / "share.png"


def draw() -> Image.Image:
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), PAPER)
    pen = ImageDraw.Draw(image)

    def box(x0: float, y0: float, x1: float, y1: float, fill, radius: float = 0) -> None:
        pen.rounded_rectangle((x0 * s, y0 * s, x1 * s, y1 * s), radius * s, fill=fill)

    # A band along the top and a rule along the bottom, as the site's header and footer.
    box(0, 0, WIDTH, 18, ACCENT)
    box(0, HEIGHT - 6, WIDTH, HEIGHT, RULE)

    # The folder (the favicon's shape): a tab, then the body, with three sheets on it.
    box(110, 150, 330, 230, ACCENT, radius=22)
    pen.polygon([(300 * s, 150 * s), (350 * s, 200 * s), (300 * s, 200 * s)], fill=ACCENT)
    box(110, 190, 530, 500, ACCENT, radius=28)
    for y, right in ((270, 450), (330, 450), (390, 370)):
        box(190, y, right, y + 28, PAPER, radius=14)

    # A timeline: a vertical rule with dated entries, as a dossier's pages show.
    x = 690
    box(x - 3, 140, x + 3, 500, RULE)
    for y, length, colour in ((160, 330, INK), (270, 260, MUTED), (380, 300, MUTED)):
        pen.ellipse(((x - 16) * s, (y - 2) * s, (x + 16) * s, (y + 30) * s), fill=ACCENT)
        box(x + 50, y - 4, x + 50 + 120, y + 10, MUTED, radius=7)
        box(x + 50, y + 24, x + 50 + length, y + 48, colour, radius=12)
        box(x + 50, y + 62, x + 50 + length * 0.7, y + 76, RULE, radius=7)
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def main() -> None:
    # A small palette keeps the file small; the PNG writer adds no timestamp.
    image = draw().quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(OUT, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
