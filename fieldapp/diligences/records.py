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
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fieldapp.legal.facts import Kind, MediaRole

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


# Parsing a record as the phone sends it ---------------------------------------------------

MAX_MEDIA_PER_RECORD = 40
MAX_INT32 = 2**31 - 1  # ids and sizes are 32-bit integer columns
MAX_STRING_LENGTH = 20_000

KINDS: tuple[str, ...] = typing.get_args(Kind)
MEDIA_ROLES: tuple[str, ...] = typing.get_args(MediaRole)
MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp")

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
RULE_ID_RE = re.compile(r"^[A-Z]+(-[A-Z0-9]+)+$")

RECORD_MEMBERS = frozenset({
    "id", "kind", "assignment_id", "captured_at", "gps", "facts", "media", "previous_hash",
    "replaces", "warning_reasons", "legal_pack_digest", "content_hash",
})
GPS_MEMBERS = frozenset({"latitude", "longitude", "accuracy_m", "fix_at"})
MEDIA_MEMBERS = frozenset({"sha256", "bytes", "type", "role"})


def record_id_of(raw: Any) -> str | None:
    """The record's id if it has a well-formed one (a rejected record is still named)."""
    if isinstance(raw, Mapping):
        rid = raw.get("id")
        if isinstance(rid, str) and UUID_RE.match(rid):
            return rid
    return None


class _Errors:
    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, path: str, rule: str, message: str) -> None:
        self.items.append(FieldError(path, rule, message))

    def format(self, path: str, message: str) -> None:
        self.add(path, S_FORMAT, message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and value == value and abs(value) != float("inf")


def _unknown(raw: Mapping[str, Any], allowed: frozenset[str], path: str, errors: _Errors) -> None:
    for key in sorted(set(raw) - allowed):
        errors.add(f"{path}{key}", S_UNKNOWN, "Campo desconocido en el protocolo.")


def _timestamp(raw: Mapping[str, Any], key: str, path: str, errors: _Errors) -> datetime | None:
    try:
        return parse_timestamp(raw.get(key))  # type: ignore[arg-type]
    except ValueError:
        errors.format(path, "Se esperaba fecha y hora UTC como 2026-03-10T15:05:00.123Z.")
        return None


def _gps(raw: Any, errors: _Errors) -> GpsFix | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        errors.format("gps", "Se esperaba un objeto con la posición GPS.")
        return None
    _unknown(raw, GPS_MEMBERS, "gps.", errors)
    ok = True
    for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180), ("accuracy_m", 0, 1e7)):
        value = raw.get(key)
        if not _is_number(value) or not low <= value <= high:
            errors.format(f"gps.{key}", f"Se esperaba un número entre {low} y {high:g}.")
            ok = False
    fix_at = _timestamp(raw, "fix_at", "gps.fix_at", errors)
    if not ok or fix_at is None:
        return None
    return GpsFix(float(raw["latitude"]), float(raw["longitude"]), float(raw["accuracy_m"]), fix_at)


def _media(raw: Any, errors: _Errors) -> tuple[MediaItem, ...]:
    if not isinstance(raw, list):
        errors.format("media", "Se esperaba la lista de fotografías y firmas (puede estar vacía).")
        return ()
    if len(raw) > MAX_MEDIA_PER_RECORD:
        errors.add("media", S_MEDIA, f"Un registro lleva a lo más {MAX_MEDIA_PER_RECORD} archivos.")
        return ()
    items: list[MediaItem] = []
    sizes: dict[str, int] = {}
    for i, entry in enumerate(raw):
        path = f"media[{i}]"
        if not isinstance(entry, Mapping):
            errors.format(path, "Se esperaba un objeto {sha256, bytes, type, role}.")
            continue
        _unknown(entry, MEDIA_MEMBERS, f"{path}.", errors)
        sha, size, kind, role = (entry.get(k) for k in ("sha256", "bytes", "type", "role"))
        good = True
        if not isinstance(sha, str) or not SHA256_RE.match(sha):
            errors.format(f"{path}.sha256", "Se esperaba el SHA-256 en hexadecimal minúsculo.")
            good = False
        if not _is_int(size) or not 0 < size <= MAX_INT32:
            errors.format(f"{path}.bytes", "Se esperaba el tamaño en bytes (entero positivo).")
            good = False
        if kind not in MEDIA_TYPES:
            errors.format(f"{path}.type", "Tipo no admitido: image/jpeg, image/png o image/webp.")
            good = False
        if role not in MEDIA_ROLES:
            errors.format(f"{path}.role", f"Papel no admitido; uno de: {', '.join(MEDIA_ROLES)}.")
            good = False
        if not good:
            continue
        if sizes.setdefault(sha, size) != size:
            errors.add(f"{path}.bytes", S_MEDIA, "El mismo archivo aparece con dos tamaños.")
            continue
        items.append(MediaItem(sha, size, kind, role))
    return tuple(items)


def _optional_pattern(raw: Mapping[str, Any], key: str, pattern: re.Pattern[str], message: str,
                      errors: _Errors) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        errors.format(key, message)
        return None
    return value


def _warning_reasons(raw: Any, errors: _Errors) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        errors.format("warning_reasons", "Se esperaba un objeto {regla: motivo}.")
        return {}
    reasons: dict[str, str] = {}
    for rule, reason in raw.items():
        if not RULE_ID_RE.match(rule) or not isinstance(reason, str) or not reason.strip():
            errors.format(f"warning_reasons.{rule}", "Cada advertencia lleva su regla (R-CAL-4) "
                          "y un motivo escrito.")
            continue
        reasons[rule] = reason
    return reasons


def _strings_within_limits(value: Any, path: str, errors: _Errors) -> None:
    if isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
        errors.format(path, f"Texto de más de {MAX_STRING_LENGTH} caracteres.")
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _strings_within_limits(v, f"{path}.{k}", errors)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _strings_within_limits(v, f"{path}[{i}]", errors)


def parse_record(raw: Any) -> RecordIn:
    """Checks the form of one pushed record and its hash; raises RecordInvalid with every
    problem found (field path + protocol rule id). The meaning (facts, assignment, the version
    it replaces) is judged by the push logic."""
    errors = _Errors()
    if not isinstance(raw, Mapping):
        raise RecordInvalid([FieldError("", S_FORMAT, "Cada registro debe ser un objeto JSON.")])
    _unknown(raw, RECORD_MEMBERS, "", errors)
    rid = record_id_of(raw)
    if rid is None:
        errors.format("id", "Se esperaba un UUID en minúsculas (crypto.randomUUID()).")
    kind = raw.get("kind")
    if kind not in KINDS:
        errors.format("kind", f"Tipo de diligencia desconocido; uno de: {', '.join(KINDS)}.")
    assignment_id = raw.get("assignment_id")
    if not _is_int(assignment_id) or not 0 < assignment_id <= MAX_INT32:
        errors.format("assignment_id", "Se esperaba el número de la asignación.")
    captured_at = _timestamp(raw, "captured_at", "captured_at", errors)
    gps = _gps(raw.get("gps"), errors)
    facts = raw.get("facts")
    if not isinstance(facts, Mapping):
        errors.format("facts", "Se esperaba el objeto con los hechos del acta.")
    else:
        _strings_within_limits(facts, "facts", errors)
        if kind in KINDS and facts.get("kind") != kind:
            errors.add("facts.kind", S_KIND, "El tipo de los hechos no coincide con el del registro.")
    media = _media(raw.get("media"), errors)
    previous_hash = _optional_pattern(raw, "previous_hash", SHA256_RE,
                                      "Se esperaba el SHA-256 del registro anterior o null.", errors)
    replaces = _optional_pattern(raw, "replaces", UUID_RE,
                                 "Se esperaba el id (UUID) de la versión que corrige, o null.", errors)
    if replaces is not None and replaces == rid:
        errors.add("replaces", S_REPLACES, "Un registro no puede corregirse a sí mismo.")
    reasons = _warning_reasons(raw.get("warning_reasons"), errors)
    digest = raw.get("legal_pack_digest")
    if digest is not None and (not isinstance(digest, str) or len(digest) > 80):
        errors.format("legal_pack_digest", "Se esperaba el resumen del paquete legal o null.")
    claimed = raw.get("content_hash")
    if not isinstance(claimed, str) or not SHA256_RE.match(claimed):
        errors.format("content_hash", "Se esperaba el SHA-256 del contenido en hexadecimal.")
    content = {k: v for k, v in raw.items() if k != "content_hash"}
    if not errors.items:
        try:
            actual = content_hash(content)
        except CanonicalError as exc:
            errors.format("", f"El registro no tiene forma canónica: {exc}.")
        else:
            if actual != claimed:
                errors.add("content_hash", S_HASH, "El hash no corresponde al contenido: el registro "
                           "se alteró o se calculó con otra forma canónica.")
    if errors.items:
        raise RecordInvalid(errors.items)
    assert captured_at is not None and isinstance(facts, Mapping)
    return RecordIn(
        id=rid, kind=kind, assignment_id=assignment_id, captured_at=captured_at,  # type: ignore[arg-type]
        gps=gps, facts=dict(facts), media=media, previous_hash=previous_hash, replaces=replaces,
        warning_reasons=reasons, legal_pack_digest=digest, content_hash=claimed,  # type: ignore[arg-type]
        content=content,
    )
