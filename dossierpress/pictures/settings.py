"""How pictures are made: the widths, the crops' width, the encoders' settings.

Kept apart from ``process`` (which needs all of Pillow) so that what decides a build's
state (``engine.reuse.state_key``) is known without loading Pillow's codecs: a build that
finds nothing changed never does.
"""

from __future__ import annotations

from PIL import __version__ as PILLOW_VERSION

from dossierpress.pictures.model import RATIOS

WIDTHS = (480, 800, 1200, 1600)
"""Widths published of each picture (never wider than the source): a phone's column at
1x and 2x, a desktop's at 1x and 2x."""
CROP_WIDTH = 1200
"""Width of the crops where the source allows (what link previews and Google ask for)."""
WEBP = {"quality": 78, "method": 4}
JPEG = {"quality": 82, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
PNG = {"optimize": True}


def encoder_settings() -> str:
    """The settings and Pillow's version: another of either makes other bytes."""
    return repr((3, WIDTHS, CROP_WIDTH, RATIOS, WEBP, JPEG, PNG, PILLOW_VERSION))
