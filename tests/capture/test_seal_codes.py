"""The phone's seal code check (static/js/capture/seals.js) against the server's
(fieldapp/seals/codes.py, python-stdnum's ISO 7064 MOD 37,36), in Debian's Chromium, on the
same codes: valid ones of many offices and serials, every wrong check character, and what
people type. Also jsQR (the fallback decoder of static/js/capture/scan.js) reading the pixels of
a printed label's QR code."""

from __future__ import annotations

import base64
import io
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import qrcode
from playwright.sync_api import Browser, Page

from fieldapp.seals.codes import check_character, normalise, parse, seal_code
from tests.live import static_server

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "static"
ALPHABET36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.fixture(scope="module")
def static_url() -> Iterator[str]:
    with static_server(STATIC) as url:
        yield url


@pytest.fixture
def blank(browser: Browser, static_url: str) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(static_url + "/js/")  # any page of the origin, so the modules import
    yield page
    context.close()


def _pairs() -> list[tuple[str, int]]:
    rng = random.Random(7064)
    offices = ["1401", "0101", "9999", "0001", "1A2B", "ZZ", "7", "abc1"]
    pairs = [(o, s) for o in offices for s in (1, 2, 9, 10, 123, 999_999)]
    pairs += [(rng.choice(offices), rng.randint(1, 999_999)) for _ in range(300)]
    return pairs


def _typed_codes() -> list[str]:
    good = seal_code("1401", 123)  # SE-1401-000123-Y
    codes = [good, good.lower(), f"  {good} ", "SE-1401- 000123-Y", "se 1401-000123-y\n",
             "SE-1401-000123-Y\t", "SE-1401-000123", "SE-1401-00123-Y", "SE-1401-0000123-Y",
             "SE-1401-000000-" + check_character("1401", 0), "SE--000123-Y", "XE-1401-000123-Y",
             "SE-1401-000123-YY", "SE_1401_000123_Y", "", "   ", "SE-14O1-000123-Y",
             "SE-1401-000123-*", "SE-1401-ABCDEF-Y", "1401-000123-Y", "SE-1401-000123-Y-"]
    # Every other check character of a few codes: exactly one is right.
    for office, serial in (("1401", 123), ("0001", 1), ("1A2B", 999_999)):
        stem = seal_code(office, serial)[:-1]
        codes += [stem + ch for ch in ALPHABET36]
    codes += [seal_code(o, s) for o, s in _pairs()[:60]]
    return codes


def test_seal_check_character_and_parse_agree_with_the_server(blank: Page) -> None:
    pairs = _pairs()
    codes = _typed_codes()
    result = blank.evaluate("""async ({pairs, codes}) => {
        const m = await import("/js/capture/seals.js");
        return {
          checks: pairs.map(([office, serial]) => m.sealCheckCharacter(office, serial)),
          parsed: codes.map((c) => {
            const p = m.parseSeal(c);
            return p && [p.code, p.office_code, p.serial];
          }),
          normalised: codes.map((c) => m.normaliseSeal(c)),
        };
    }""", {"pairs": pairs, "codes": codes})
    assert result["checks"] == [check_character(o, s) for o, s in pairs]
    expected = []
    for code in codes:
        p = parse(code)
        expected.append(None if p is None else [p.text, p.office_code, p.serial])
    assert result["parsed"] == expected
    accepted = [c for c, p in zip(codes, expected, strict=True) if p is not None]
    assert len(accepted) > 60 and len(accepted) < len(codes) - 40  # the list holds both kinds

    assert result["normalised"] == [normalise(c) for c in codes]


def test_jsqr_reads_a_seal_label_from_its_pixels(blank: Page) -> None:
    code = seal_code("1401", 4321)
    buffer = io.BytesIO()
    qrcode.make(code, box_size=6, border=4).save(buffer, "PNG")
    data_url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    read = blank.evaluate("""async (url) => {
        const scan = await import("/js/capture/scan.js");
        const bitmap = await createImageBitmap(await (await fetch(url)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext("2d");
        ctx.drawImage(bitmap, 0, 0);
        const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
        const blankPixels = new ImageData(bitmap.width, bitmap.height);
        return {code: await scan.decodeImageData(pixels), none: await scan.decodeImageData(blankPixels),
                loaded: typeof globalThis.jsQR};
    }""", data_url)
    assert read == {"code": code, "none": None, "loaded": "function"}
