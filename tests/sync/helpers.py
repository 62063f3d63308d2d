"""Building what a phone sends: sealed records in batches (its photos and the phone itself are
tests/scenarios.py's)."""

from __future__ import annotations

import copy
import gzip
import json
import uuid
from typing import Any

from fieldapp.diligences.records import content_hash

API = "/api/sync/v1"
FIELD_USER = {"name": "Juan Pérez Gómez", "credential_number": "NOT-0042", "issued_on": "2026-01-05",
              "valid_until": "2026-12-31", "issuer": "Titular de la Subdelegación Centro"}
ADDRESS = {"text": "Av. Juárez 100, Col. Centro, Guadalajara, Jal.", "origin": "fiscal"}

# A clean citatorio (tests/legal/vectors.json "not3-citatorio-clean"): Tuesday 10 March 2026,
# 12:00 Mexico City, appointment the next business day.
CITATORIO_FACTS: dict[str, Any] = {
    "kind": "citatorio", "started_at": "2026-03-10T12:00:00-06:00", "addressee_type": "company",
    "address": ADDRESS, "address_verification": ["street_sign", "house_number", "photo"],
    "addressee_asked": True, "representative_asked": True, "field_user": FIELD_USER,
    "attendee": {"name": "Pedro Ruiz Soto", "capacity": "employee",
                 "relationship": "Encargado de recepción", "id_type": "INE", "id_number": "RUSP9002"},
    "copy_delivered": True, "appointment_at": "2026-03-11T12:00:00-06:00",
    "absence_reason": "Salió a una junta fuera de la oficina",
    "absence_informant": "Pedro Ruiz Soto, encargado de recepción",
    "arrived_at": "2026-03-10T11:55:00-06:00", "finished_at": "2026-03-10T12:40:00-06:00",
    "entered_at": {"attendee.name": "2026-03-10T12:02:00-06:00",
                   "attendee.id_number": "2026-03-10T12:03:00-06:00",
                   "attendee.relationship": "2026-03-10T12:04:00-06:00",
                   "absence_reason": "2026-03-10T12:05:00-06:00",
                   "absence_informant": "2026-03-10T12:06:00-06:00"},
}
# A clean personal notification to the legal representative (vectors: cal3-clean-...).
NOTIFICATION_FACTS: dict[str, Any] = {
    "kind": "notification", "started_at": "2026-03-10T10:00:00-06:00", "addressee_type": "company",
    "address": ADDRESS, "address_verification": ["street_sign", "house_number", "photo"],
    "addressee_asked": True, "representative_asked": True, "field_user": FIELD_USER,
    "attendee": {"name": "María López Pérez", "capacity": "legal_representative",
                 "relationship": "Administradora única", "id_type": "INE", "id_number": "LOPM800101",
                 "power": {"instrument_number": "45210", "notary": "Notario 12 de Guadalajara",
                           "granted_on": "2019-05-20"}},
    "copy_delivered": True, "arrived_at": "2026-03-10T09:55:00-06:00",
    "finished_at": "2026-03-10T10:40:00-06:00",
    "entered_at": {"attendee.name": "2026-03-10T10:02:00-06:00",
                   "attendee.id_number": "2026-03-10T10:03:00-06:00",
                   "attendee.relationship": "2026-03-10T10:04:00-06:00"},
}
# A clean requerimiento de pago without embargo (vectors: pae1-proof-shown, not paid).
DEMAND_FACTS: dict[str, Any] = {
    **NOTIFICATION_FACTS, "kind": "payment_demand", "started_at": "2026-03-12T10:00:00-06:00",
    "field_user": {**FIELD_USER, "credential_number": "EJE-0007", "legal_basis": "CFF 152; RCFF 97",
                   "has_photo": True, "has_signature": True},
    "payment": {"outcome": "not_paid", "no_seizure_reason": "No se encontraron bienes embargables"},
    "arrived_at": "2026-03-12T09:55:00-06:00", "finished_at": "2026-03-12T10:40:00-06:00",
    "entered_at": {"attendee.name": "2026-03-12T10:02:00-06:00",
                   "attendee.id_number": "2026-03-12T10:03:00-06:00",
                   "attendee.relationship": "2026-03-12T10:04:00-06:00"},
}
FACTS_BY_KIND = {"citatorio": CITATORIO_FACTS, "notification": NOTIFICATION_FACTS,
                 "payment_demand": DEMAND_FACTS}


def seal(record: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in record.items() if k != "content_hash"}
    return {**body, "content_hash": content_hash(body)}


def make_record(assignment_id: int, *, kind: str = "citatorio", facts: dict[str, Any] | None = None,
                media: list[dict[str, Any]] | None = None, previous_hash: str | None = None,
                replaces: str | None = None, record_id: str | None = None,
                captured_at: str = "2026-03-10T18:41:00.000Z", gps: dict[str, Any] | None = None,
                **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": record_id or str(uuid.uuid4()),
        "kind": kind,
        "assignment_id": assignment_id,
        "captured_at": captured_at,
        "gps": gps if gps is not None else {"latitude": 20.676712, "longitude": -103.347512,
                                            "accuracy_m": 8.5, "fix_at": "2026-03-10T17:56:02.250Z"},
        "facts": copy.deepcopy(facts if facts is not None else FACTS_BY_KIND[kind]),
        "media": media if media is not None else [],
        "previous_hash": previous_hash,
        "replaces": replaces,
        **extra,
    }
    return seal(record)


def chain(records: list[dict[str, Any]], previous_hash: str | None = None) -> list[dict[str, Any]]:
    """Links records as a phone does: each names the hash of the one before."""
    out = []
    for r in records:
        r = seal({**r, "previous_hash": previous_hash})
        previous_hash = r["content_hash"]
        out.append(r)
    return out


def batch(records: list[dict[str, Any]], device_time: str | None = None) -> dict[str, Any]:
    from fieldapp.db_types import utcnow
    from fieldapp.diligences.records import format_timestamp

    return {"device_time": device_time or format_timestamp(utcnow()), "records": records}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def decode(response: Any) -> Any:
    """JSON of a Flask test response, gunzipping if the server compressed it."""
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return json.loads(data)
