"""The device protocol, version 1: what phones send and how it is checked. Pure Python (no
Flask, no database), so its rules can be read and tested on their own; docs/sync-protocol.md is
the prose version.

The canonical form and content hash of a record (RFC 8785 JSON Canonicalization Scheme, then
SHA-256), and the record's format and its parsing (parse_record), are defined in
fieldapp.diligences.records, because the stored record is verified against them long after it
was synced and the demo's field work builds records the same way; they are re-exported here as
part of the protocol, and static/js/sync-hash.js is their JavaScript twin on the phone. What is
the protocol's own: its version and the envelope of a push (parse_batch).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldapp.diligences.records import (
    ID_CONFLICT,
    KINDS,
    MAX_INT32,
    MAX_MEDIA_PER_RECORD,
    MAX_STRING_LENGTH,
    MEDIA_ROLES,
    MEDIA_TYPES,
    RULE_ID_RE,
    S_ASSIGNMENT,
    S_FACTS,
    S_FORMAT,
    S_HASH,
    S_KIND,
    S_MEDIA,
    S_REPLACES,
    S_UNKNOWN,
    SHA256_RE,
    TIMESTAMP_RE,
    UUID_RE,
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
    parse_record,
    parse_timestamp,
    record_id_of,
)
from fieldapp.errors import DomainError

__all__ = [
    "ID_CONFLICT", "S_ASSIGNMENT", "S_FACTS", "S_FORMAT", "S_HASH", "S_KIND", "S_MEDIA",
    "S_REPLACES", "S_UNKNOWN", "TIMESTAMP_RE", "BatchIn", "BatchInvalid", "CanonicalError",
    "FieldError", "GpsFix", "MediaItem", "RecordIn", "RecordInvalid", "canonical_json",
    "content_hash", "format_timestamp", "js_number", "loads", "parse_batch", "parse_record",
    "parse_timestamp", "MAX_INT32", "KINDS", "MAX_MEDIA_PER_RECORD", "MAX_STRING_LENGTH",
    "MEDIA_ROLES", "MEDIA_TYPES", "RULE_ID_RE", "SHA256_RE", "UUID_RE", "record_id_of",
]

PROTOCOL_VERSION = 1
BATCH_MEMBERS = frozenset({"device_time", "records"})


@dataclass(frozen=True)
class BatchIn:
    device_time: datetime
    records: list[Any]  # raw, each validated on its own so one bad record blocks no other


class BatchInvalid(DomainError):
    """A push whose envelope is not the protocol's; the message names the member at fault."""

    code = "invalid_batch"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message, field=field or None)


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
