"""The OpenAPI 3 description of the device API, served at /api/sync/v1/openapi.json. The prose
(why, and the phone's duties) is in docs/sync-protocol.md; tests/sync/test_openapi.py runs
schemathesis against this document and a live server."""

from __future__ import annotations

from typing import Any

from sync.protocol import (
    KINDS,
    MAX_INT32,
    MAX_MEDIA_PER_RECORD,
    MEDIA_ROLES,
    MEDIA_TYPES,
    PROTOCOL_VERSION,
    TIMESTAMP_RE,
)

SHA256 = "^[0-9a-f]{64}$"
UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
TIMESTAMP = TIMESTAMP_RE.pattern


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json(_ref("Error"))}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
TS = {"type": "string", "pattern": TIMESTAMP}
MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "Pesos, decimal text."}


def _schemas() -> dict[str, Any]:
    return {
        "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": STRING, "message": STRING}}},
        },
        "FieldError": {
            "type": "object", "required": ["field", "rule", "message"],
            "properties": {"field": STRING, "rule": STRING, "message": STRING},
        },
        "EnrollWithPassword": {
            "type": "object", "required": ["username", "password", "device_name"],
            "additionalProperties": False,
            "properties": {"username": STRING, "password": STRING,
                           "device_name": {"type": "string", "minLength": 1, "maxLength": 80}},
        },
        "EnrollWithLink": {
            "type": "object", "required": ["device_name"], "additionalProperties": False,
            "properties": {"device_name": {"type": "string", "minLength": 1, "maxLength": 80}},
        },
        "Enrollment": {
            "type": "object", "required": ["device_id", "token", "device_name", "user"],
            "properties": {
                "device_id": {"type": "string", "pattern": UUID},
                "token": {"type": "string", "description": "Shown once; send as Bearer."},
                "device_name": STRING,
                "user": {"type": "object", "required": ["id", "username", "full_name", "role"],
                         "properties": {"id": {"type": "integer"}, "username": STRING,
                                        "full_name": STRING,
                                        "role": {"type": "string", "enum": ["notifier", "executor"]}}},
            },
        },
        "MediaItem": {
            "type": "object", "required": ["sha256", "bytes", "type", "role"],
            "additionalProperties": False,
            "properties": {
                "sha256": {"type": "string", "pattern": SHA256},
                "bytes": {"type": "integer", "minimum": 1, "maximum": MAX_INT32},
                "type": {"type": "string", "enum": list(MEDIA_TYPES)},
                "role": {"type": "string", "enum": list(MEDIA_ROLES)},
            },
        },
        "Record": {
            "type": "object",
            "description": "One diligence record version. content_hash is the SHA-256 of the RFC 8785 "
                           "canonical JSON of the record without content_hash (docs/sync-protocol.md).",
            "required": ["id", "kind", "assignment_id", "captured_at", "facts", "media",
                         "content_hash"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": UUID},
                "kind": {"type": "string", "enum": list(KINDS)},
                "assignment_id": {"type": "integer", "minimum": 1, "maximum": MAX_INT32},
                "captured_at": TS,
                "gps": {
                    "type": "object", "nullable": True, "additionalProperties": False,
                    "required": ["latitude", "longitude", "accuracy_m", "fix_at"],
                    "properties": {
                        "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                        "longitude": {"type": "number", "minimum": -180, "maximum": 180},
                        "accuracy_m": {"type": "number", "minimum": 0, "maximum": 1e7},
                        "fix_at": TS,
                    },
                },
                "facts": {
                    "type": "object", "required": ["kind"],
                    "description": "The facts of the acta: fieldapp.legal.facts.DiligenceFacts "
                                   "(JSON form, from_dict); facts.kind equals kind.",
                    "properties": {"kind": {"type": "string", "enum": list(KINDS)}},
                },
                "media": {"type": "array", "maxItems": MAX_MEDIA_PER_RECORD, "items": _ref("MediaItem")},
                "previous_hash": {"type": "string", "pattern": SHA256, "nullable": True},
                "replaces": {"type": "string", "pattern": UUID, "nullable": True},
                "warning_reasons": {"type": "object", "nullable": True,
                                    "additionalProperties": {"type": "string", "minLength": 1}},
                "legal_pack_digest": {"type": "string", "maxLength": 80, "nullable": True},
                "content_hash": {"type": "string", "pattern": SHA256},
            },
        },
        "PushRequest": {
            "type": "object", "required": ["device_time", "records"], "additionalProperties": False,
            "properties": {"device_time": TS,
                           "records": {"type": "array", "maxItems": 100, "items": _ref("Record")}},
        },
        "RecordResult": {
            "type": "object", "required": ["id", "status"],
            "properties": {
                "id": {"type": "string", "nullable": True},
                "status": {"type": "string", "enum": ["accepted", "duplicate", "conflict", "rejected"]},
                "version": {"type": "integer"},
                "replaces": _nullable(STRING),
                "complete": {"type": "boolean"},
                "missing_media": {"type": "array", "items": {"type": "string", "pattern": SHA256}},
                "review_state": {"type": "string",
                                 "enum": ["received", "approved", "returned", "rejected"]},
                "chain_status": {"type": "string", "enum": ["ok", "pending", "broken"]},
                "flags": {"type": "array", "items": STRING},
                "findings": {"type": "array", "items": {"type": "object"}},
                "seal_problems": {
                    "type": "array",
                    "description": "Present only when a seal of the record is reused (flag "
                                   "seal_conflict) or irregular (flag seal_irregular).",
                    "items": {"type": "object", "required": ["item", "code", "problem", "message"],
                              "properties": {
                                  "item": {"type": "integer"}, "code": STRING,
                                  "problem": {"type": "string", "enum": [
                                      "reused", "repeated", "invalid", "unknown", "other_office",
                                      "not_assigned", "void"]},
                                  "message": STRING, "other_diligence": _nullable(STRING)}}},
                "errors": {"type": "array", "items": _ref("FieldError")},
                "error": {"type": "object", "required": ["code", "message", "http_status"],
                          "properties": {"code": {"type": "string", "enum": ["id_conflict"]},
                                         "message": STRING, "http_status": {"type": "integer"}}},
            },
        },
        "PushResponse": {
            "type": "object",
            "required": ["received_at", "clock_offset_seconds", "results", "missing_media"],
            "properties": {
                "received_at": TS,
                "clock_offset_seconds": {"type": "integer"},
                "results": {"type": "array", "items": _ref("RecordResult")},
                "missing_media": {"type": "array", "items": {"type": "string", "pattern": SHA256}},
            },
        },
        "Credit": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "credit_number": STRING, "concept": STRING,
                           "concept_label": STRING, "period": STRING, "principal": MONEY,
                           "inflation_adjustment": MONEY, "surcharges": MONEY, "total": MONEY,
                           "status": STRING, "status_label": STRING,
                           "notified_on": _nullable(DATE), "payment_deadline": _nullable(DATE)},
        },
        "Assignment": {
            "type": "object", "required": ["id", "status", "due_on", "document", "visits"],
            "properties": {
                "id": {"type": "integer"},
                "status": {"type": "string",
                           "enum": ["pending", "in_progress", "done", "returned", "withdrawn"]},
                "status_label": STRING, "due_on": DATE, "assigned_at": TS, "updated_at": TS,
                "withdrawal_reason": _nullable(STRING),
                # The work assigned: the document's diligence, or a localización (R-NOT-10).
                "kind": {"type": "string", "enum": ["diligence", "localization"]},
                "kind_label": STRING,
                # document.address is where to go: a new address the office head accepted
                # (cambio de domicilio), else the document's own.
                "document": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "kind": STRING, "kind_label": STRING, "folio": STRING,
                    "issued_on": DATE, "issuing_authority": STRING, "total": MONEY,
                    "debtor": {"type": "object"}, "address": {"type": "object"},
                    "credits": {"type": "array", "items": _ref("Credit")}}},
                "visits": {"type": "array", "items": {"type": "object", "properties": {
                    "id": STRING, "kind": STRING, "captured_at": TS,
                    "started_at": _nullable(STRING), "appointment_at": _nullable(STRING),
                    "review_state": STRING}}},
            },
        },
        "DiligenceState": {
            "type": "object",
            "required": ["id", "assignment_id", "kind", "version", "review_state", "complete"],
            "properties": {
                "id": STRING, "assignment_id": {"type": "integer"}, "kind": STRING,
                "version": {"type": "integer"}, "replaces": _nullable(STRING),
                "superseded_by": _nullable(STRING), "received_at": TS,
                "complete": {"type": "boolean"},
                "missing_media": {"type": "array", "items": STRING},
                "review_state": {"type": "string",
                                 "enum": ["received", "approved", "returned", "rejected"]},
                "review": {"type": "object", "nullable": True, "properties": {
                    "action": STRING, "at": TS, "reason": _nullable(STRING),
                    "observations": _nullable(STRING)}},
                "content": {"type": "object", "nullable": True,
                            "description": "The record as pushed, for records returned for "
                                           "correction (the correction names it in replaces)."},
            },
        },
        "PullResponse": {
            "type": "object",
            "required": ["protocol", "cursor", "full", "server_time", "user", "assignments",
                         "diligences", "legal_pack_digest", "legal_pack", "today"],
            "properties": {
                "protocol": {"type": "integer", "enum": [PROTOCOL_VERSION]},
                "cursor": {"type": "string", "pattern": "^[0-9]+$"},
                "full": {"type": "boolean", "description": "true: replace the local worklist."},
                "server_time": TS,
                "user": {"type": "object"},
                "assignments": {"type": "array", "items": _ref("Assignment")},
                "diligences": {"type": "array", "items": _ref("DiligenceState")},
                "legal_pack_digest": STRING,
                "legal_pack": {"type": "object", "nullable": True,
                               "description": "null when the pack query parameter names the "
                                              "current digest."},
                "today": DATE,
                "seals": {"type": "array", "items": STRING,
                          "description": "Seal codes assigned to the user and not used yet "
                                         "(always the whole list)."},
            },
        },
        "MediaStored": {
            "type": "object", "required": ["sha256", "stored", "bytes", "content_type",
                                           "completed_records"],
            "properties": {"sha256": {"type": "string", "pattern": SHA256},
                           "stored": {"type": "boolean"}, "bytes": {"type": "integer"},
                           "content_type": {"type": "string", "enum": list(MEDIA_TYPES)},
                           "completed_records": {"type": "array", "items": STRING}},
        },
    }


BEARER = [{"bearer": []}]
UNAUTHORIZED = _error("Missing, unknown or revoked token (answers at once after a revocation).")


def _paths() -> dict[str, Any]:
    return {
        "/api/sync/v1/devices": {"post": {
            "operationId": "enrollWithPassword",
            "summary": "Enroll this phone for a field user with their password",
            "description": "Throttled like the web login (per user name and per address).",
            "requestBody": {"required": True, "content": _json(_ref("EnrollWithPassword"))},
            "responses": {
                "201": {"description": "Enrolled; the token is shown only now.",
                        "content": _json(_ref("Enrollment"))},
                "400": _error("Not JSON."), "401": _error("Wrong user name or password."),
                "403": _error("Not an active field user."), "415": _error("Not JSON."),
                "422": _error("Missing or invalid members."),
                "429": _error("Too many failed attempts; see Retry-After."),
            },
        }},
        "/api/sync/v1/enrollments/{code}": {"post": {
            "operationId": "enrollWithLink",
            "summary": "Enroll this phone with a one-time link (the QR code an office head shows)",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": STRING}],
            "requestBody": {"required": True, "content": _json(_ref("EnrollWithLink"))},
            "responses": {
                "201": {"description": "Enrolled.", "content": _json(_ref("Enrollment"))},
                "400": _error("Not JSON."), "404": _error("Unknown link."),
                "410": _error("Link already used or expired (15 minutes)."),
                "415": _error("Not JSON."), "422": _error("Invalid device name."),
            },
        }},
        "/api/sync/v1/devices/current": {"delete": {
            "operationId": "revokeCurrentDevice",
            "summary": "Revoke this phone's own token (logout on a shared phone)",
            "security": BEARER,
            "responses": {"204": {"description": "Revoked."}, "401": UNAUTHORIZED},
        }},
        "/api/sync/v1/pull": {"get": {
            "operationId": "pull",
            "summary": "What changed for this user since the cursor, in one consistent snapshot",
            "description": "Gzip-compressed when Accept-Encoding allows. Without a cursor (or with "
                           "one the server does not know) the answer is a full snapshot (full: true).",
            "security": BEARER,
            "parameters": [
                {"name": "cursor", "in": "query", "required": False,
                 "schema": {"type": "string", "pattern": "^[0-9]{0,18}$"}},
                {"name": "pack", "in": "query", "required": False,
                 "description": "Digest of the legal pack the phone has; the pack is omitted when "
                                "it is still current.", "schema": STRING},
            ],
            "responses": {"200": {"description": "Changes and the next cursor.",
                                  "content": _json(_ref("PullResponse"))},
                          "400": _error("Invalid cursor."), "401": UNAUTHORIZED},
        }},
        "/api/sync/v1/push": {"post": {
            "operationId": "push",
            "summary": "Send a batch of diligence records",
            "description": "200 whenever the batch was read: each record has its own result "
                           "(accepted, duplicate, conflict with code id_conflict, rejected with "
                           "errors). The body may be sent with Content-Encoding: gzip.",
            "security": BEARER,
            "requestBody": {"required": True, "content": _json(_ref("PushRequest"))},
            "responses": {
                "200": {"description": "Per-record results and the files still missing.",
                        "content": _json(_ref("PushResponse"))},
                "400": _error("Not JSON."), "401": UNAUTHORIZED, "413": _error("Too large."),
                "415": _error("Not JSON, or an unsupported Content-Encoding."),
                "422": _error("The envelope (device_time, records) is invalid."),
            },
        }},
        "/api/sync/v1/media/{sha256}": {"put": {
            "operationId": "putMedia",
            "summary": "Upload a photo or signature, raw bytes, named by their SHA-256",
            "description": "Send the record that lists the file first. Uploading a stored file "
                           "again is a harmless success (200).",
            "security": BEARER,
            "parameters": [{"name": "sha256", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": SHA256}}],
            "requestBody": {"required": True, "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in (*MEDIA_TYPES, "application/octet-stream")}},
            "responses": {
                "200": {"description": "Already stored.", "content": _json(_ref("MediaStored"))},
                "201": {"description": "Stored.", "content": _json(_ref("MediaStored"))},
                "400": _error("Empty body."), "401": UNAUTHORIZED,
                "404": _error("Not a SHA-256."),
                "409": _error("No record of this user lists the file (media_not_referenced)."),
                "413": _error("Over the size limit."),
                "415": _error("Not a JPEG, PNG or WebP, or not the declared type."),
                "422": _error("Hash mismatch, truncated or corrupt image, or over the pixel cap."),
            },
        }},
        "/api/sync/v1/openapi.json": {"get": {
            "operationId": "openapi",
            "summary": "This document",
            "responses": {"200": {"description": "OpenAPI 3 document.",
                                  "content": _json({"type": "object"})}},
        }},
    }


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "fieldapp sync API",
            "version": f"{PROTOCOL_VERSION}.0",
            "description": "Phones of field users push diligence records and photos and pull "
                           "their work. See docs/sync-protocol.md.",
        },
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
