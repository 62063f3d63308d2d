"""A diligence record before it is stored, and its evidence hash.

Each finalized record is hashed on the phone over a canonical form of its content (photo hashes
included) and chained to the same device's previous record (workflows.md, Evidence). The phone
computes the hash in JavaScript (static/js/sync-hash.js), the server recomputes it here on
receipt, and the verification page recomputes it from what is stored, so the three must agree
to the byte. The canonical form is RFC 8785 (JSON Canonicalization Scheme):

- objects: keys sorted by their UTF-16 code units (JavaScript's default sort), no whitespace;
- strings: escaped as JavaScript's JSON.stringify does (\\" \\\\ \\b \\f \\n \\r \\t, other control
  characters as \\u00xx with lower-case hex), every other character as itself, in UTF-8, with no
  Unicode normalisation;
- numbers: as JavaScript's Number.prototype.toString prints them (shortest round-trip digits:
  1 not 1.0, 1e-7 not 1e-07, 1e+21, -0 as 0); integers beyond ±(2^53 − 1), NaN and Infinity are
  refused because JavaScript cannot carry them exactly;
- the content hash is the lower-case hex SHA-256 of the UTF-8 bytes of the canonical form of
  the record without its ``content_hash`` member.

Pure Python: the sync protocol (sync/protocol.py) validates records into ``RecordIn`` and the
one write path (fieldapp.diligences.services.record_diligence) stores them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 24
# Exactly what JavaScript's Date.prototype.toISOString() prints: UTC, milliseconds, "Z".
# Years 2000-2099 only: anything else is a broken clock, not a diligence.
TIMESTAMP_RE = re.compile(
    r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"\.[0-9]{3}Z$")

# Stable ids of the rules a rejected record breaks (docs/sync-protocol.md).
S_FORMAT = "S-FORMAT"  # a member has the wrong type or format
S_UNKNOWN = "S-UNKNOWN"  # a member the protocol does not define
S_HASH = "S-HASH"  # content_hash is not the hash of the content
S_FACTS = "S-FACTS"  # facts do not follow the facts contract (fieldapp.legal.facts)
S_KIND = "S-KIND"  # kind differs from facts.kind, or is not this user's kind of work
S_ASSIGNMENT = "S-ASSIGNMENT"  # the assignment is unknown or not this user's
S_REPLACES = "S-REPLACES"  # the version it replaces is unknown, closed or already replaced
S_MEDIA = "S-MEDIA"  # the media manifest is not consistent
ID_CONFLICT = "id_conflict"  # same id, different content (HTTP 409 semantics, per record)


_ESCAPED = re.compile(r'[\x00-\x1f"\\]')  # what JSON.stringify escapes
_SURROGATE = re.compile("[\ud800-\udfff]")  # in a Python str, only a lone one can occur


class CanonicalError(ValueError):
    """A value that has no canonical form (NaN, a huge integer, a lone surrogate…)."""


# Canonical JSON -----------------------------------------------------------------------------

def canonical_json(value: Any) -> str:
    """The RFC 8785 canonical form of a JSON value (see the module docstring)."""
    parts: list[str] = []
    _write(value, parts, 0)
    return "".join(parts)


def content_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical form of ``record`` without its ``content_hash``."""
    body = {k: v for k, v in record.items() if k != "content_hash"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _write(value: Any, out: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise CanonicalError(f"nested deeper than {MAX_DEPTH} levels")
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(f"integer {value} is beyond what JavaScript represents exactly")
        out.append(str(value))
    elif isinstance(value, float):
        if value.is_integer() and MAX_SAFE_INTEGER < abs(value) < 1e21:
            # JavaScript prints it as integer digits, which arrive here as an unsafe integer.
            raise CanonicalError(f"integer {value:.0f} is beyond what JavaScript represents exactly")
        out.append(js_number(value))
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out, depth + 1)
        out.append("]")
    elif isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise CanonicalError("object keys must be strings")
        out.append("{")
        for i, key in enumerate(sorted(value, key=_utf16_key)):
            if i:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _write(value[key], out, depth + 1)
        out.append("}")
    else:
        raise CanonicalError(f"{type(value).__name__} is not a JSON value")


def _string(text: str) -> str:
    if _SURROGATE.search(text):
        raise CanonicalError("text with a lone surrogate has no UTF-8 form")
    if not _ESCAPED.search(text):
        return f'"{text}"'  # the common case: nothing to escape
    # Python escapes exactly the characters JSON.stringify escapes, the same way.
    return json.dumps(text, ensure_ascii=False)


def js_number(number: float) -> str:
    """A float printed as JavaScript's Number.prototype.toString prints it (ECMA-262
    Number::toString): Python's repr gives the same shortest round-trip digits, only the layout
    differs."""
    if number != number or number in (float("inf"), float("-inf")):
        raise CanonicalError("NaN and Infinity are not JSON")
    if number == 0:
        return "0"  # -0 too
    if number < 0:
        return "-" + js_number(-number)
    sign, digit_tuple, exponent = Decimal(repr(number)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int)
    exponent += len(digit_tuple) - len(digits)  # the stripped zeros
    k = len(digits)
    n = exponent + k  # value = 0.d1…dk × 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def loads(text: str | bytes) -> Any:
    """json.loads that refuses what has no canonical form: NaN, Infinity, very deep nesting."""

    def refuse_constant(name: str) -> Any:
        raise CanonicalError(f"{name} is not JSON")

    try:
        return json.loads(text, parse_constant=refuse_constant)
    except RecursionError:
        raise CanonicalError("nested too deeply") from None




# Timestamps ---------------------------------------------------------------------------------

def parse_timestamp(text: str) -> datetime:
    """A protocol timestamp (``2026-03-10T15:05:00.123Z``) as an aware UTC datetime."""
    if not isinstance(text, str) or not TIMESTAMP_RE.match(text):
        raise ValueError("expected a UTC timestamp like 2026-03-10T15:05:00.123Z")
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def format_timestamp(moment: datetime) -> str:
    """The protocol form of an aware datetime (milliseconds, UTC, ``Z``), as toISOString()."""
    m = moment.astimezone(UTC)
    return (f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}."
            f"{m.microsecond // 1000:03d}Z")


# Records ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldError:
    """Why a record is rejected: which member (a dotted path), which rule, a Spanish message."""

    field: str
    rule: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}


class RecordInvalid(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class GpsFix:
    latitude: float
    longitude: float
    accuracy_m: float
    fix_at: datetime


@dataclass(frozen=True)
class MediaItem:
    sha256: str
    bytes: int
    type: str
    role: str

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "bytes": self.bytes, "type": self.type, "role": self.role}


@dataclass(frozen=True)
class RecordIn:
    """One diligence record as a phone pushes it, checked for form (not yet for meaning)."""

    id: str
    kind: str
    assignment_id: int
    captured_at: datetime
    gps: GpsFix | None
    facts: dict[str, Any]
    media: tuple[MediaItem, ...]
    previous_hash: str | None
    replaces: str | None
    warning_reasons: dict[str, str]
    legal_pack_digest: str | None
    content_hash: str
    content: dict[str, Any] = field(repr=False)  # the hashed members, exactly as received

