"""Draws the app's icons (a document with a check mark on the brand green) with Pillow.

The PNGs are committed in static/icons/; run this again only to change them:

    python -m fieldapp.capture.icons static/icons
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (11, 93, 59)
PAPER = (255, 255, 255)
SIZES = (192, 512, 180)  # Android / install prompt, splash, iOS home screen
SUPERSAMPLE = 4
# A flat drawing: 64 colours (no dithering) look the same as full colour and make each PNG about
# a quarter of the size, which every phone downloads with the offline shell (issue 17).
PALETTE_COLOURS = 64


def draw_icon(size: int, maskable: bool = False) -> Image.Image:
    """Square icon. A maskable icon keeps its drawing inside the central 80 % safe zone and
    fills the whole square; the plain one has rounded corners on a transparent ground."""
    s = size * SUPERSAMPLE
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, s, s), fill=BRAND)
        scale = 0.62
    else:
        draw.rounded_rectangle((0, 0, s - 1, s - 1), radius=s // 5, fill=BRAND)
        scale = 0.74
    w, h = s * scale * 0.74, s * scale
    x0, y0 = (s - w) / 2, (s - h) / 2
    fold = w * 0.28
    draw.polygon([(x0, y0), (x0 + w - fold, y0), (x0 + w, y0 + fold), (x0 + w, y0 + h), (x0, y0 + h)],
                 fill=PAPER)
    draw.polygon([(x0 + w - fold, y0), (x0 + w - fold, y0 + fold), (x0 + w, y0 + fold)],
                 fill=(200, 220, 210))
    line = max(2, int(w * 0.07))
    for i in range(3):
        y = y0 + h * (0.30 + 0.12 * i)
        draw.line([(x0 + w * 0.16, y), (x0 + w * (0.84 if i else 0.55), y)], fill=(170, 190, 180),
                  width=line)
    check = [(x0 + w * 0.22, y0 + h * 0.74), (x0 + w * 0.42, y0 + h * 0.88),
             (x0 + w * 0.80, y0 + h * 0.60)]
    draw.line(check, fill=BRAND, width=int(w * 0.11), joint="curve")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _save(image: Image.Image, path: Path) -> None:
    image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE,
                   dither=Image.Dither.NONE).save(path, optimize=True)


def write_icons(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        path = folder / f"icon-{size}.png"
        _save(draw_icon(size), path)
        written.append(path)
    path = folder / "icon-512-maskable.png"
    _save(draw_icon(512, maskable=True), path)
    written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "static/icons")):
        print(written_path)
