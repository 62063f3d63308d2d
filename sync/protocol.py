"""The device protocol, version 1: what phones send and how it is checked. Pure Python (no
Flask, no database), so its rules can be read and tested on their own; docs/sync-protocol.md is
the prose version.

The canonical form and content hash of a record (RFC 8785 JSON Canonicalization Scheme, then
SHA-256) are defined in fieldapp.diligences.records, because the stored record is verified
against them long after it was synced; they are re-exported here as part of the protocol, and
static/js/sync-hash.js is their JavaScript twin on the phone.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldapp.diligences.records import (
    ID_CONFLICT,
    S_ASSIGNMENT,
    S_FACTS,
    S_FORMAT,
    S_HASH,
    S_KIND,
    S_MEDIA,
    S_REPLACES,
    S_UNKNOWN,
    TIMESTAMP_RE,
    CanonicalError,
    FieldError,
    GpsFix,
    MediaItem,
    RecordIn,
    RecordInvalid,
    canonical_json,
    content_hash,
    format_timestamp,
    js_number,
    loads,
    parse_timestamp,
)
from fieldapp.legal.facts import Kind, MediaRole

__all__ = [
    "ID_CONFLICT", "S_ASSIGNMENT", "S_FACTS", "S_FORMAT", "S_HASH", "S_KIND", "S_MEDIA",
    "S_REPLACES", "S_UNKNOWN", "TIMESTAMP_RE", "BatchIn", "BatchInvalid", "CanonicalError",
    "FieldError", "GpsFix", "MediaItem", "RecordIn", "RecordInvalid", "canonical_json",
    "content_hash", "format_timestamp", "js_number", "loads", "parse_batch", "parse_record",
    "parse_timestamp", "MAX_INT32",
]

PROTOCOL_VERSION = 1
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
BATCH_MEMBERS = frozenset({"device_time", "records"})


# Records ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BatchIn:
    device_time: datetime
    records: list[Any]  # raw, each validated on its own so one bad record blocks no other


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


class BatchInvalid(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_batch(raw: Any, max_records: int) -> BatchIn:
    """The envelope of a push: the phone's clock when it sent, and the records."""
    if not isinstance(raw, Mapping):
        raise BatchInvalid("", "El cuerpo debe ser un objeto JSON {device_time, records}.")
    unknown = sorted(set(raw) - BATCH_MEMBERS)
    if unknown:
        raise BatchInvalid(unknown[0], "Campo desconocido en el protocolo.")
    try:
        device_time = parse_timestamp(raw.get("device_time"))  # type: ignore[arg-type]
    except ValueError:
        raise BatchInvalid("device_time", "Se esperaba la hora del teléfono al enviar, "
                           "como 2026-03-10T15:05:00.123Z.") from None
    records = raw.get("records")
    if not isinstance(records, list):
        raise BatchInvalid("records", "Se esperaba la lista de registros.")
    if len(records) > max_records:
        raise BatchInvalid("records", f"Envíe a lo más {max_records} registros por lote.")
    return BatchIn(device_time=device_time, records=records)
