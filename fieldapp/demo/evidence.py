"""Made-up evidence for the demo: façade photos (JPEG) and drawn signatures (PNG), drawn with
Pillow. Deterministic: the same seed and text give the same bytes (with the same Pillow)."""

from __future__ import annotations

import math
import random
import unicodedata
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

PHOTO_SIZE = (960, 720)
PHOTO_QUALITY = 72
SIGNATURE_SIZE = (480, 180)

WALL_COLOURS = ((214, 196, 164), (188, 120, 92), (232, 226, 210), (150, 170, 160), (226, 170, 96),
                (170, 160, 190), (240, 214, 140), (200, 96, 80))
SKY = (178, 206, 228)
STREET = (96, 96, 100)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font (no system fonts: the demo looks the same on every machine).
    return ImageFont.load_default(size=size)


def unaccented(text: str) -> str:
    """The bundled font has no accented letters: á → a, ñ → n."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def painted(text: str) -> str:
    """Text as sign painters write it: capitals, no accents."""
    return unaccented(text).upper()


def _jpeg(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, "JPEG", quality=PHOTO_QUALITY, optimize=True)
    return out.getvalue()


def _stamp(draw: ImageDraw.ImageDraw, stamp: str) -> None:
    """The line a field camera prints at the bottom: place and time."""
    width, height = PHOTO_SIZE
    draw.rectangle((0, height - 44, width, height), fill=(0, 0, 0))
    draw.text((14, height - 36), unaccented(stamp), fill=(255, 236, 120), font=_font(22))


def _facade(rng: random.Random, draw: ImageDraw.ImageDraw, sign: str, number: str,
            *, closed: bool = False) -> tuple[int, int, int, int]:
    """A one- or two-storey front with windows, a door or a shutter, a sign and the street
    number; returns the door's box."""
    width, height = PHOTO_SIZE
    ground = height - 150
    draw.rectangle((0, 0, width, ground), fill=SKY)
    draw.rectangle((0, ground, width, height), fill=STREET)
    draw.rectangle((0, ground - 8, width, ground + 12), fill=(170, 170, 166))  # sidewalk
    wall = rng.choice(WALL_COLOURS)
    top = rng.randint(70, 160)
    left, right = rng.randint(20, 70), width - rng.randint(20, 70)
    draw.rectangle((left, top, right, ground - 8), fill=wall)
    shade = tuple(max(0, c - 40) for c in wall)
    for y in range(top + 24, ground - 8, rng.randint(26, 40)):  # rendering lines
        draw.line((left, y, right, y), fill=shade, width=1)
    draw.rectangle((left, top - 14, right, top), fill=shade)  # parapet
    floors = rng.choice((1, 2))
    door_w = rng.randint(120, 200)
    door_x = rng.randint(left + 60, right - door_w - 60)
    door = (door_x, ground - 230, door_x + door_w, ground - 8)
    if closed:
        draw.rectangle(door, fill=(120, 124, 130))
        for y in range(door[1], door[3], 12):
            draw.line((door[0], y, door[2], y), fill=(90, 92, 96), width=2)
    else:
        draw.rectangle(door, fill=(92, 62, 40))
        draw.ellipse((door[2] - 30, (door[1] + door[3]) // 2, door[2] - 18,
                      (door[1] + door[3]) // 2 + 12), fill=(220, 200, 90))
    for floor in range(floors):
        y0 = ground - 200 - floor * 190 if floor else ground - 200
        for x in range(left + 40, right - 120, rng.randint(170, 230)):
            if x + 110 > door[0] - 10 and x < door[2] + 10 and floor == 0:
                continue
            draw.rectangle((x, y0, x + 110, y0 + 120), fill=(60, 80, 100))
            draw.rectangle((x, y0, x + 110, y0 + 120), outline=(240, 240, 240), width=5)
            draw.line((x + 55, y0, x + 55, y0 + 120), fill=(240, 240, 240), width=4)
    # The sign above the door and the street-number plaque (address verification, R-NOT-8).
    if sign:
        sign = painted(sign)
        size = 30
        while size > 14 and draw.textlength(sign, font=_font(size)) > right - left - 60:
            size -= 2
        sign_font = _font(size)
        text_w = int(draw.textlength(sign, font=sign_font))
        sx = max(left + 10, min(door_x - 20, right - text_w - 40))
        draw.rectangle((sx, door[1] - 70, sx + text_w + 30, door[1] - 20), fill=(250, 250, 245),
                       outline=(40, 40, 40), width=3)
        draw.text((sx + 15, door[1] - 45), sign, fill=(30, 40, 120), font=sign_font, anchor="lm")
    number = painted(number)
    plate_w = int(draw.textlength(number, font=_font(30))) + 24
    draw.rectangle((door[2] + 16, door[1] + 10, door[2] + 16 + plate_w, door[1] + 60),
                   fill=(20, 70, 140))
    draw.text((door[2] + 28, door[1] + 18), number, fill=(255, 255, 255), font=_font(30))
    return door


def facade_photo(seed: int, sign: str, number: str, stamp: str, *, closed: bool = False) -> bytes:
    """A façade with the business sign, the street number and the camera's stamp."""
    rng = random.Random(seed)
    image = Image.new("RGB", PHOTO_SIZE, SKY)
    draw = ImageDraw.Draw(image)
    _facade(rng, draw, sign, number, closed=closed)
    _stamp(draw, stamp)
    return _jpeg(image)


def posting_photo(seed: int, number: str, stamp: str) -> bytes:
    """The citatorio fixed at the main entrance (R-NOT-4): a sheet taped on the door."""
    rng = random.Random(seed)
    image = Image.new("RGB", PHOTO_SIZE, SKY)
    draw = ImageDraw.Draw(image)
    door = _facade(rng, draw, "", number, closed=rng.random() < 0.5)
    cx = (door[0] + door[2]) // 2
    sheet = (cx - 58, door[1] + 30, cx + 58, door[1] + 180)
    draw.rectangle(sheet, fill=(252, 252, 250), outline=(150, 150, 150), width=2)
    draw.text((sheet[0] + 8, sheet[1] + 10), "CITATORIO", fill=(20, 20, 20), font=_font(18))
    draw.text((sheet[0] + 8, sheet[1] + 34), "IMSS", fill=(0, 90, 60), font=_font(18))
    for y in range(sheet[1] + 62, sheet[3] - 10, 12):
        draw.line((sheet[0] + 8, y, sheet[2] - 8 - rng.randint(0, 30), y), fill=(120, 120, 120))
    for corner in ((sheet[0] - 6, sheet[1] - 4), (sheet[2] - 14, sheet[1] - 4)):
        draw.rectangle((*corner, corner[0] + 20, corner[1] + 10), fill=(230, 220, 170))
    _stamp(draw, stamp)
    return _jpeg(image)


def premises_photo(seed: int, number: str, notice: str, stamp: str) -> bytes:
    """Evidence that the debtor is not at the address (R-NOT-10): a closed shutter with a notice."""
    rng = random.Random(seed)
    image = Image.new("RGB", PHOTO_SIZE, SKY)
    draw = ImageDraw.Draw(image)
    door = _facade(rng, draw, "", number, closed=True)
    font = _font(34)
    text_w = int(draw.textlength(painted(notice), font=font))
    cx = (door[0] + door[2]) // 2
    box = (cx - text_w // 2 - 16, door[1] + 60, cx + text_w // 2 + 16, door[1] + 120)
    draw.rectangle(box, fill=(250, 210, 30), outline=(30, 30, 30), width=3)
    draw.text((box[0] + 16, box[1] + 10), painted(notice), fill=(180, 20, 20), font=font)
    _stamp(draw, stamp)
    return _jpeg(image)


def document_photo(seed: int, title: str, lines: list[str], stamp: str) -> bytes:
    """A document shown on site (a proof of payment, an identification), photographed."""
    rng = random.Random(seed)
    image = Image.new("RGB", PHOTO_SIZE, (120 + rng.randint(0, 30), 90, 60))
    draw = ImageDraw.Draw(image)
    sheet = (160, 60, 800, 640)
    draw.rectangle((sheet[0] + 8, sheet[1] + 8, sheet[2] + 8, sheet[3] + 8), fill=(60, 40, 30))
    draw.rectangle(sheet, fill=(248, 248, 244))
    draw.text((sheet[0] + 30, sheet[1] + 30), painted(title), fill=(20, 40, 100), font=_font(30))
    for i, line in enumerate(lines):
        draw.text((sheet[0] + 30, sheet[1] + 90 + i * 36), unaccented(line), fill=(30, 30, 30),
                  font=_font(22))
    _stamp(draw, stamp)
    return _jpeg(image)


def signature_png(seed: int) -> bytes:
    """A hand-drawn-looking signature on a transparent background, as the phone's pad saves it:
    a cursive stroke (sums of sines make its loops) and an underline."""
    rng = random.Random(seed)
    image = Image.new("RGBA", SIGNATURE_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    width, height = SIGNATURE_SIZE
    loops, loop_r = rng.randint(5, 9), rng.uniform(10, 22)
    a, m = rng.uniform(18, 34), rng.uniform(9, 16)
    b, n = rng.uniform(6, 16), rng.uniform(2, 5)
    phase = rng.uniform(0, 6.28)
    points = []
    steps = 400
    for i in range(steps + 1):
        t = i / steps
        x = 36 + t * (width - 96) - loop_r * math.sin(loops * 6.283 * t + phase)
        y = height * 0.48 + a * math.sin(m * t + phase) * (1 - 0.6 * t) + b * math.cos(n * 6.283 * t)
        points.append((x, y))
    draw.line(points, fill=(20, 30, 90, 255), width=4, joint="curve")
    underline_y = height - 34 + rng.randint(-6, 6)
    draw.line((40 + rng.randint(0, 60), underline_y, width - 40, underline_y - rng.randint(0, 16)),
              fill=(20, 30, 90, 255), width=3)
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
