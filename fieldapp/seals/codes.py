"""The seal code contract, shared with the phone (static/js): ``SE-{office}-{serial:06d}-{check}``
where ``check`` is the ISO 7064 MOD 37,36 check character of ``office + serial`` (python-stdnum).
The QR label encodes exactly this string. Typed codes are normalised (upper-case, no spaces)
before they are checked. Pure functions: no database, no Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.iso7064 import mod_37_36

PREFIX = "SE"
SERIAL_DIGITS = 6
MAX_SERIAL = 10**SERIAL_DIGITS - 1
_CODE = re.compile(r"SE-([0-9A-Z]+?)-(\d{6})-([0-9A-Z])")
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class SealCode:
    office_code: str
    serial: int

    @property
    def text(self) -> str:
        return seal_code(self.office_code, self.serial)


def check_character(office_code: str, serial: int) -> str:
    return mod_37_36.calc_check_digit(f"{office_code.upper()}{serial:0{SERIAL_DIGITS}d}")


def seal_code(office_code: str, serial: int) -> str:
    """The code printed under (and encoded in) one QR label."""
    if not 1 <= serial <= MAX_SERIAL:
        raise ValueError(f"serial out of range: {serial}")
    office = office_code.upper()
    return f"{PREFIX}-{office}-{serial:0{SERIAL_DIGITS}d}-{check_character(office, serial)}"


def normalise(text: str) -> str:
    """What the executor typed or the scanner sent, as the code to look up."""
    return re.sub(r"\s+", "", text).upper()


def parse(text: str) -> SealCode | None:
    """The office and serial of a well-formed code whose check character is right, else None."""
    match = _CODE.fullmatch(normalise(text))
    if match is None:
        return None
    office, serial_text, check = match.groups()
    serial = int(serial_text)
    if serial < 1 or check_character(office, serial) != check:
        return None
    return SealCode(office, serial)


@dataclass(frozen=True)
class ScannedCodes:
    """Codes read from a text field a USB/Bluetooth scanner types into (one code per line, or
    several separated by spaces, commas or semicolons), in order, without repeats; ``unreadable``
    keeps what looked like no code at all."""

    codes: tuple[str, ...]
    unreadable: tuple[str, ...]


def split_codes(text: str) -> ScannedCodes:
    codes: dict[str, None] = {}
    unreadable: dict[str, None] = {}
    for token in _SEPARATORS.split(text.upper()):
        if not token:
            continue
        found = _CODE.findall(token)
        if not found or "".join(f"SE-{o}-{s}-{c}" for o, s, c in found) != token:
            unreadable[token] = None
            continue
        for office, serial, check in found:
            codes[f"SE-{office}-{serial}-{check}"] = None
    return ScannedCodes(tuple(codes), tuple(unreadable))
