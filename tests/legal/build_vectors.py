"""Writes tests/legal/vectors.json: the cases Python (fieldapp.legal) and the phone
(static/js/legal.js) must both get right.

Edit the cases here and run ``python tests/legal/build_vectors.py``; test_vectors.py fails when
vectors.json is not what this script writes. The script only assembles facts (consistent
timestamps around a start time); every expectation below is written by hand from
docs/legal-rules.md, never computed by the code under test.

Each facts case: {"id", "rule", "description", "pack", "facts", "now"?, "expect": [{rule_id,
severity, field}]} — the exact findings, an empty list for a clean record. Each function case:
{"id", "rule", "description", "pack", "fn", "args", "expect"} where expect is the value, or
{"raises": true}.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).with_name("vectors.json")

PACKS: dict[str, dict[str, Any]] = {
    "cdmx": {"tz": "America/Mexico_City", "start": "2026-01-01", "days": 365},
    "cdmx_institutional": {"tz": "America/Mexico_City", "start": "2026-01-01", "days": 365,
                           "extra_non_business_days": ["2026-04-02", "2026-04-03"]},
    "cdmx_no_friday": {"tz": "America/Mexico_City", "start": "2026-01-01", "days": 365,
                       "friday_rule": False},
    "cdmx_tolerance_30": {"tz": "America/Mexico_City", "start": "2026-01-01", "days": 365,
                          "tolerance_minutes": 30},
    "cdmx_enabled": {"tz": "America/Mexico_City", "start": "2026-01-01", "days": 365,
                     "hour_enablements": [
                         {"folio": "HAB-DEMO-1401", "first_day": "2026-03-09",
                          "last_day": "2026-03-14", "hours_from": "00:00", "hours_to": "23:59"},
                         {"folio": "HAB-7/2026", "first_day": "2026-03-17",
                          "last_day": "2026-03-17", "hours_from": "19:00", "hours_to": "22:00"}]},
    "cdmx_gps_strict": {"tz": "America/Mexico_City", "start": "2026-01-01", "days": 365,
                        "gps_warn_distance_m": 500, "gps_max_accuracy_m": 30},
    "cdmx_2021": {"tz": "America/Mexico_City", "start": "2021-01-01", "days": 365},
    "cdmx_2025": {"tz": "America/Mexico_City", "start": "2025-01-01", "days": 365},
    "cdmx_2024": {"tz": "America/Mexico_City", "start": "2024-01-01", "days": 366},
    "cdmx_2030": {"tz": "America/Mexico_City", "start": "2030-01-01", "days": 365},
    "tijuana": {"tz": "America/Tijuana", "start": "2026-01-01", "days": 365},
    "custom_costs": {"tz": "America/Mexico_City", "start": "2026-01-01", "days": 30, "costs": [
        {"valid_from": "2027-01-01", "valid_to": None, "minimum": "700.00",
         "maximum": "100000.00", "rate": "0.02", "note": "Ejemplo"},
    ]},
}

CASES: list[dict[str, Any]] = []


def case(id: str, rule: str, description: str, facts: dict[str, Any], expect: list[tuple],
         pack: str = "cdmx", now: str | None = None) -> None:
    entry: dict[str, Any] = {"id": id, "rule": rule, "description": description, "pack": pack,
                             "facts": facts}
    if now is not None:
        entry["now"] = now
    entry["expect"] = [{"rule_id": r, "severity": s, "field": f} for r, s, f in expect]
    CASES.append(entry)


def fn_case(id: str, rule: str, description: str, fn: str, args: dict[str, Any], expect: Any,
            pack: str = "cdmx") -> None:
    CASES.append({"id": id, "rule": rule, "description": description, "pack": pack, "fn": fn,
                  "args": args, "expect": expect})


# Facts builders ------------------------------------------------------------------------------

def iso(dt: datetime) -> str:
    return dt.isoformat()


def when(start: str, minutes: float) -> str:
    """``start`` shifted by ``minutes``, keeping its offset notation."""
    return iso(datetime.fromisoformat(start) + timedelta(minutes=minutes))


ON_SITE = ("attendee.name", "attendee.id_number", "attendee.relationship", "absence_reason",
           "absence_informant", "not_located.premises_state")


def stamp(facts: dict[str, Any]) -> dict[str, Any]:
    """Arrival 5 min before the start, end 40 min after, each on-site fact entered after
    arrival (R-NOT-9) — what an honest phone records."""
    start = facts["started_at"]
    facts.setdefault("arrived_at", when(start, -5))
    facts.setdefault("finished_at", when(start, 40))
    entered = {}
    for n, key in enumerate(ON_SITE):
        obj: Any = facts
        for part in key.split("."):
            obj = obj.get(part) if isinstance(obj, dict) else None
        if obj:
            entered[key] = when(start, 2 + n)
    facts["entered_at"] = entered
    return facts


NOTIFIER = {"name": "Juan Pérez Gómez", "credential_number": "NOT-0042",
            "issued_on": "2026-01-05", "valid_until": "2026-12-31",
            "issuer": "Titular de la Subdelegación Centro"}
EXECUTOR = {**NOTIFIER, "credential_number": "EJE-0007", "legal_basis": "CFF 152; RCFF 97",
            "has_photo": True, "has_signature": True}
REPRESENTATIVE = {"name": "María López Pérez", "capacity": "legal_representative",
                  "relationship": "Administradora única", "id_type": "INE",
                  "id_number": "LOPM800101", "power": {"instrument_number": "45210",
                                                       "notary": "Notario 12 de la CDMX",
                                                       "granted_on": "2019-05-20"}}
EMPLOYEE = {"name": "Pedro Ruiz Soto", "capacity": "employee",
            "relationship": "Encargado de recepción", "id_type": "INE", "id_number": "RUSP9002"}
FISCAL = {"text": "Av. Juárez 100, Col. Centro, Cuauhtémoc, CDMX", "origin": "fiscal"}
ABSENCE = {"absence_reason": "Salió a una junta fuera de la oficina",
           "absence_informant": "Pedro Ruiz Soto, encargado de recepción"}


# Guadalajara centro: the address on file, and a good fix 30 m from it (R-GPS-1, R-GPS-2).
ADDRESS_LOCATION = {"latitude": 20.6767, "longitude": -103.3475}
GPS_AT_ADDRESS = {"latitude": 20.6769, "longitude": -103.3476, "accuracy_m": 12.0}


def visit(kind: str, start: str, **extra: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "kind": kind, "started_at": start, "addressee_type": "company",
        "gps": dict(GPS_AT_ADDRESS), "address_location": dict(ADDRESS_LOCATION),
        "address": dict(FISCAL), "address_verification": ["street_sign", "house_number", "photo"],
        "addressee_asked": True, "representative_asked": True,
        "field_user": dict(EXECUTOR if kind in ("payment_demand", "seizure",
                                                "seizure_extension") else NOTIFIER),
        "media": [{"role": "facade", "id": "foto-1"}],
    }
    facts.update(copy.deepcopy(extra))
    return stamp(facts)


def personal_notification(start: str = "2026-03-10T10:00:00-06:00", **extra: Any) -> dict:
    base = {"attendee": REPRESENTATIVE, "copy_delivered": True,
            "media": [{"role": "facade", "id": "foto-1"}, {"role": "signature", "id": "f-1"}]}
    return visit("notification", start, **{**base, **extra})


def citatorio(start: str = "2026-03-10T12:00:00-06:00",
              appointment: str = "2026-03-11T12:00:00-06:00", **extra: Any) -> dict:
    base = {"attendee": EMPLOYEE, "copy_delivered": True, "appointment_at": appointment,
            "media": [{"role": "facade", "id": "foto-1"}, {"role": "signature", "id": "f-1"}],
            **ABSENCE}
    return visit("citatorio", start, **{**base, **extra})


def posting(start: str = "2026-03-10T12:00:00-06:00",
            appointment: str = "2026-03-11T12:00:00-06:00", **extra: Any) -> dict:
    base = {"appointment_at": appointment, "posting_reason": "nobody_present",
            "media": [{"role": "facade", "id": "foto-1"}, {"role": "posting", "id": "foto-2"}]}
    return visit("posting_record", start, **{**base, **extra})


CITATORIO_REF = {"issued_at": "2026-03-10T12:00:00-06:00",
                 "appointed_at": "2026-03-11T12:00:00-06:00"}


def follow_up(start: str = "2026-03-11T12:05:00-06:00", kind: str = "notification",
              **extra: Any) -> dict:
    base = {"attendee": EMPLOYEE, "copy_delivered": True, "citatorio": CITATORIO_REF,
            "media": [{"role": "facade", "id": "foto-1"}, {"role": "signature", "id": "f-1"}],
            **ABSENCE}
    if kind == "payment_demand":
        base["payment"] = {"outcome": "not_paid", "no_seizure_reason": "No se hallaron bienes"}
    return visit(kind, start, **{**base, **extra})


def not_located(start: str = "2026-03-10T11:00:00-06:00", **extra: Any) -> dict:
    base = {"not_located": {"reason": "moved",
                            "statements": [{"name": "Rosa Díaz (vecina del 102)",
                                            "text": "Se mudaron hace seis meses"}],
                            "premises_state": "Local vacío con letrero de renta"},
            "media": [{"role": "facade", "id": "foto-1"}, {"role": "evidence", "id": "foto-2"}]}
    return visit("not_located", start, **{**base, **extra})


NEW_ADDRESS = {"street": "Av. Patria", "exterior_number": "1500", "neighborhood": "Jardines",
               "municipality": "Zapopan", "state": "Jalisco", "postal_code": "45110",
               "informant": "Rosa Díaz (vecina del 102)"}


def localization(start: str = "2026-03-10T11:00:00-06:00", **extra: Any) -> dict:
    base = {"localization": {"result": "found", "new_address": dict(NEW_ADDRESS)}}
    facts = visit("localization", start, **{**base, **extra})
    for key in ("address", "address_verification", "addressee_asked", "representative_asked"):
        facts.pop(key)  # a localización visits no address of the document's
    return facts


def payment_demand(start: str = "2026-03-12T10:00:00-06:00", **extra: Any) -> dict:
    base = {"attendee": REPRESENTATIVE, "copy_delivered": True,
            "media": [{"role": "facade", "id": "foto-1"}, {"role": "signature", "id": "f-1"}],
            "payment": {"outcome": "proof_shown",
                        "proof_document": "Comprobante de pago SIPARE, línea de captura 0123"}}
    return visit("payment_demand", start, **{**base, **extra})


VEHICLE = {"category": "vehicle", "description": "Camioneta Nissan NP300 2020",
           "value": "250000.00", "seal": "QR-0001"}
DESKS = {"category": "office_equipment", "description": "Cinco escritorios y sillas",
         "value": "35000.00", "seal": "QR-0002"}
WITNESSES = [{"name": "Ana Torres Vela", "signed": True}, {"name": "Luis Mora Gil", "signed": True}]
CUSTODIAN = {"name": "María López Pérez", "appointed_by": "executor",
             "location": "Av. Juárez 100, bodega", "is_debtor": True}


def seizure_block(**extra: Any) -> dict[str, Any]:
    s = {"designated_by": "attendee", "items": [VEHICLE, DESKS], "witnesses": WITNESSES,
         "custodian": CUSTODIAN, "amount_secured": "120000.00"}
    s.update(copy.deepcopy(extra))
    return s


def seizure(start: str = "2026-03-12T10:00:00-06:00", kind: str = "seizure",
            seizure_extra: dict[str, Any] | None = None, **extra: Any) -> dict:
    base: dict[str, Any] = {
        "attendee": REPRESENTATIVE, "copy_delivered": True,
        "media": [{"role": "facade", "id": "foto-1"}, {"role": "signature", "id": "f-1"},
                  {"role": "item", "id": "foto-3"}],
        "seizure": seizure_block(**(seizure_extra or {})),
    }
    if kind == "seizure":
        base["payment"] = {"outcome": "not_paid"}
    base["finished_at"] = when(start, 210)
    return visit(kind, start, **{**base, **extra})


def without(facts: dict[str, Any], *paths: str) -> dict[str, Any]:
    facts = copy.deepcopy(facts)
    for path in paths:
        *parents, last = path.split(".")
        obj = facts
        for p in parents:
            obj = obj[p]
        obj.pop(last, None)
    return facts


def media(*roles: str) -> list[dict[str, str]]:
    return [{"role": r, "id": f"m-{n}"} for n, r in enumerate(roles)]


B, W, N = "block", "warn", "note"

# R-CAL-3: business days and hours -----------------------------------------------------------

case("cal3-clean-personal-notification", "R-CAL-3",
     "Notificación personal al representante legal un martes a las 10:00: sin hallazgos.",
     personal_notification(), [])
case("cal3-starts-0729", "R-CAL-3", "Inicia a las 07:29, antes del horario hábil.",
     personal_notification("2026-03-10T07:29:00-06:00"), [("R-CAL-3", B, "started_at")])
case("cal3-starts-0730-exact", "R-CAL-3", "Inicia a las 07:30 en punto: hábil.",
     personal_notification("2026-03-10T07:30:00-06:00"), [])
case("cal3-starts-1800-exact", "R-CAL-3",
     "Inicia a las 18:00 en punto (hábil) y termina 18:40: sólo aviso R-CAL-4.",
     personal_notification("2026-03-10T18:00:00-06:00"), [("R-CAL-4", W, "finished_at")])
case("cal3-starts-180001", "R-CAL-3", "Inicia a las 18:00:01: fuera de horario.",
     personal_notification("2026-03-10T18:00:01-06:00"), [("R-CAL-3", B, "started_at")])
case("cal3-saturday", "R-CAL-3", "Sábado 14/03/2026 sin habilitación.",
     personal_notification("2026-03-14T10:00:00-06:00"), [("R-CAL-3", B, "started_at")])
case("cal3-benito-juarez-2026", "R-CAL-3", "Lunes 16/03/2026, tercer lunes de marzo: inhábil.",
     personal_notification("2026-03-16T10:00:00-06:00"), [("R-CAL-3", B, "started_at")])
case("cal3-may-5", "R-CAL-3", "5 de mayo (CFF 12, no está en LFT 74): inhábil.",
     personal_notification("2026-05-05T10:00:00-06:00"), [("R-CAL-3", B, "started_at")])
case("cal3-institutional-day", "R-CAL-2",
     "Jueves 02/04/2026 declarado inhábil por el Instituto: sin habilitación se bloquea.",
     personal_notification("2026-04-02T10:00:00-06:00"), [("R-CAL-3", B, "started_at")],
     pack="cdmx_institutional")
case("cal3-institutional-day-not-configured", "R-CAL-2",
     "El mismo jueves 02/04/2026 sin el día institucional configurado: hábil.",
     personal_notification("2026-04-02T10:00:00-06:00"), [])
enabled = {"number": "HAB-12/2026", "issued_on": "2026-03-13", "signer": "Lic. Rosa Méndez"}
case("cal3-saturday-with-enablement", "R-CAL-3",
     "Sábado con habilitación completa expedida el día anterior: sin hallazgos.",
     personal_notification("2026-03-14T10:00:00-06:00", enablement=enabled), [])
case("cal3-enablement-without-signer", "R-CAL-3", "Habilitación sin firmante.",
     personal_notification("2026-03-14T10:00:00-06:00",
                           enablement={**enabled, "signer": None}),
     [("R-CAL-3", B, "enablement")])
case("cal3-enablement-after-diligence", "R-CAL-3",
     "Habilitación fechada el 15/03, después de la diligencia del sábado 14/03.",
     personal_notification("2026-03-14T10:00:00-06:00",
                           enablement={**enabled, "issued_on": "2026-03-15"}),
     [("R-CAL-3", B, "enablement.issued_on")])
case("cal3-night-with-enablement", "R-CAL-3",
     "Martes 20:00 con habilitación: ni R-CAL-3 ni R-CAL-4.",
     personal_notification("2026-03-10T20:00:00-06:00",
                           enablement={**enabled, "issued_on": "2026-03-09"}), [])
case("cal3-night-under-office-enablement", "R-CAL-3",
     "Martes 20:00 con la habilitación HAB-DEMO-1401 de la oficina: no bloquea, lo hace constar.",
     personal_notification("2026-03-10T20:00:00-06:00"), [("R-CAL-3", N, "started_at")],
     pack="cdmx_enabled")
case("cal3-saturday-under-office-enablement", "R-CAL-3",
     "Sábado 14/03 a las 06:00, último día de la habilitación de la oficina: constancia.",
     personal_notification("2026-03-14T06:00:00-06:00"), [("R-CAL-3", N, "started_at")],
     pack="cdmx_enabled")
case("cal3-office-enablement-last-minute", "R-CAL-3",
     "Habilitación de 19:00 a 22:00: las 22:00:59 aún están cubiertas (al minuto).",
     personal_notification("2026-03-17T22:00:59-06:00"), [("R-CAL-3", N, "started_at")],
     pack="cdmx_enabled")
case("cal3-after-office-enablement-hours", "R-CAL-3",
     "Habilitación de 19:00 a 22:00: a las 22:01 ya no cubre, se bloquea.",
     personal_notification("2026-03-17T22:01:00-06:00"), [("R-CAL-3", B, "started_at")],
     pack="cdmx_enabled")
case("cal3-day-after-office-enablement", "R-CAL-3",
     "Domingo 15/03, un día después de la habilitación: se bloquea como siempre.",
     personal_notification("2026-03-15T10:00:00-06:00"), [("R-CAL-3", B, "started_at")],
     pack="cdmx_enabled")
case("cal3-business-hours-with-office-enablement", "R-CAL-3",
     "En horario hábil la habilitación no hace falta: sin hallazgos.",
     personal_notification("2026-03-10T10:00:00-06:00"), [], pack="cdmx_enabled")
case("cal3-own-enablement-over-office-one", "R-CAL-3",
     "Con su propia habilitación completa, la de la oficina no se cita: sin hallazgos.",
     personal_notification("2026-03-10T20:00:00-06:00",
                           enablement={**enabled, "issued_on": "2026-03-09"}), [],
     pack="cdmx_enabled")
# R-GPS-1: distance from the fix to the address on file (warn, config) ----------------------

# Mexico City's Zócalo: about 460 km from the Guadalajara address on file.
ZOCALO = {"latitude": 19.4326, "longitude": -99.1332, "accuracy_m": 8.0}
case("gps1-far-from-address", "R-GPS-1",
     "Fix en el Zócalo de la CDMX, a unos 460 km del domicilio en Guadalajara: pide motivo.",
     not_located(gps=ZOCALO), [("R-GPS-1", W, "gps")])
case("gps1-900-m-away", "R-GPS-1", "A unos 900 m del domicilio, límite de 1 km: nada.",
     not_located(gps={"latitude": 20.6848, "longitude": -103.3475, "accuracy_m": 10.0}), [])
case("gps1-1-2-km-away", "R-GPS-1", "A unos 1.2 km, límite de 1 km: pide motivo.",
     not_located(gps={"latitude": 20.6875, "longitude": -103.3475, "accuracy_m": 10.0}),
     [("R-GPS-1", W, "gps")])
case("gps1-configured-500-m", "R-GPS-1", "A unos 900 m con la oficina en 500 m: pide motivo.",
     not_located(gps={"latitude": 20.6848, "longitude": -103.3475, "accuracy_m": 10.0}),
     [("R-GPS-1", W, "gps")], pack="cdmx_gps_strict")
case("gps1-address-not-geocoded", "R-GPS-1",
     "Domicilio sin coordenadas: no hay con qué comparar, no se advierte.",
     without(not_located(gps=ZOCALO), "address_location"), [])

# R-GPS-2: no fix, or a fix worse than the limit (block, config) ---------------------------

case("gps2-no-fix", "R-GPS-2", "Sin posición GPS: no se puede finalizar.",
     without(not_located(), "gps"), [("R-GPS-2", B, "gps")])
case("gps2-poor-fix", "R-GPS-2", "Precisión de ±250 m, límite de 100 m: se bloquea.",
     not_located(gps={**GPS_AT_ADDRESS, "accuracy_m": 250.0}), [("R-GPS-2", B, "gps")])
case("gps2-fix-at-the-limit", "R-GPS-2", "Precisión de ±100 m exactos, límite de 100 m: vale.",
     not_located(gps={**GPS_AT_ADDRESS, "accuracy_m": 100.0}), [])
case("gps2-configured-30-m", "R-GPS-2", "Precisión de ±45 m con la oficina en 30 m: se bloquea.",
     not_located(gps={**GPS_AT_ADDRESS, "accuracy_m": 45.0}), [("R-GPS-2", B, "gps")],
     pack="cdmx_gps_strict")
case("gps2-poor-and-far", "R-GPS-2",
     "Lejos y con mala precisión: bloquea por la precisión y también advierte la distancia.",
     not_located(gps={**ZOCALO, "accuracy_m": 500.0}), [("R-GPS-2", B, "gps"), ("R-GPS-1", W, "gps")])
case("cal3-tijuana-summer-0745", "R-CAL-3",
     "Tijuana, julio (horario de verano, UTC-7): 14:45Z son las 07:45 locales: hábil.",
     personal_notification("2026-07-15T14:45:00+00:00"), [], pack="tijuana")
case("cal3-tijuana-winter-same-utc", "R-CAL-3",
     "Tijuana, enero (UTC-8): el mismo 14:45Z son las 06:45 locales: fuera de horario.",
     personal_notification("2026-01-15T14:45:00+00:00"), [("R-CAL-3", B, "started_at")],
     pack="tijuana")
case("cal3-tijuana-winter-0745", "R-CAL-3",
     "Tijuana, enero: 15:45Z son las 07:45 locales: hábil.",
     personal_notification("2026-01-15T15:45:00+00:00"), [], pack="tijuana")
case("cal3-tijuana-evening-local-date", "R-CAL-3",
     "Tijuana: 01:05Z del 15/07 son las 18:05 del martes 14/07 local: fuera de horario.",
     personal_notification("2026-07-15T01:05:00+00:00"), [("R-CAL-3", B, "started_at")],
     pack="tijuana")
case("cal3-cdmx-no-dst-summer-0745", "R-CAL-3",
     "Ciudad de México ya no cambia de horario: 13:45Z en julio son las 07:45 (UTC-6).",
     personal_notification("2026-07-15T13:45:00+00:00"), [])
case("cal3-cdmx-no-dst-summer-0725", "R-CAL-3",
     "Ciudad de México en julio: 13:25Z son las 07:25: fuera de horario.",
     personal_notification("2026-07-15T13:25:00+00:00"), [("R-CAL-3", B, "started_at")])
case("cal3-posting-record-on-sunday", "R-CAL-3",
     "Constancia de fijación levantada en domingo sin habilitación.",
     posting("2026-03-15T12:00:00-06:00", "2026-03-17T12:00:00-06:00"),
     [("R-CAL-3", B, "started_at")])

# R-CAL-4: finishing late ----------------------------------------------------------------------

case("cal4-notification-ends-1820", "R-CAL-4",
     "Inicia 17:30 y termina 18:20: aviso.",
     personal_notification("2026-03-10T17:30:00-06:00", finished_at="2026-03-10T18:20:00-06:00"),
     [("R-CAL-4", W, "finished_at")])
case("cal4-notification-ends-next-day", "R-CAL-4",
     "Inicia 17:50 y termina al día siguiente 08:00: aviso.",
     personal_notification("2026-03-10T17:50:00-06:00", finished_at="2026-03-11T08:00:00-06:00"),
     [("R-CAL-4", W, "finished_at")])
case("cal4-seizure-runs-late", "R-CAL-4",
     "Un embargo iniciado a las 16:00 que termina 19:30 puede continuar: sin aviso.",
     seizure("2026-03-12T16:00:00-06:00", finished_at="2026-03-12T19:30:00-06:00"), [])
case("cal4-now-stands-for-finish", "R-CAL-4",
     "Registro en captura sin hora de término, juzgado a las 18:20: aviso.",
     without(personal_notification("2026-03-10T17:30:00-06:00"), "finished_at"),
     [("R-CAL-4", W, "finished_at")], now="2026-03-10T18:20:00-06:00")
case("cal4-no-finish-no-now", "R-NOT-8",
     "Sin hora de término y sin 'now': falta la hora de término.",
     without(personal_notification(), "finished_at"), [("R-NOT-8", B, "finished_at")])

# R-NOT-2: where -------------------------------------------------------------------------------

case("not2-employer-registration-citatorio", "R-NOT-2",
     "Citatorio en el domicilio del registro patronal: aviso.",
     citatorio(address={**FISCAL, "origin": "employer_registration"}),
     [("R-NOT-2", W, "address.origin")])
case("not2-employer-registration-personal", "R-NOT-2",
     "Notificación al representante legal en el domicilio del registro patronal: válida.",
     personal_notification(address={**FISCAL, "origin": "employer_registration"}), [])
case("not2-origin-missing", "R-NOT-2", "No se indicó el origen del domicilio: aviso.",
     citatorio(address={"text": FISCAL["text"]}), [("R-NOT-2", W, "address.origin")])
case("not2-designated-address", "R-NOT-2", "Domicilio señalado para oír notificaciones.",
     citatorio(address={**FISCAL, "origin": "designated"}), [])
case("not2-address-missing", "R-NOT-8", "Sin domicilio: bloqueo (no aviso R-NOT-2).",
     without(citatorio(), "address"), [("R-NOT-8", B, "address")])

# R-NOT-3: citatorio ---------------------------------------------------------------------------

case("not3-citatorio-clean", "R-NOT-3",
     "Citatorio martes 12:00 con cita el miércoles 12:00, recibido por el encargado.",
     citatorio(), [])
case("not3-appointment-two-days-later", "R-NOT-3",
     "Cita el jueves 12/03, no el día hábil siguiente (11/03).",
     citatorio(appointment="2026-03-12T12:00:00-06:00"), [("R-NOT-3", B, "appointment_at")])
case("not3-appointment-same-day", "R-NOT-3", "Cita el mismo día a las 16:00.",
     citatorio(appointment="2026-03-10T16:00:00-06:00"), [("R-NOT-3", B, "appointment_at")])
case("not3-appointment-on-saturday", "R-NOT-3",
     "Citatorio el viernes 13/03 con cita el sábado 14/03 (inhábil).",
     citatorio("2026-03-13T12:00:00-06:00", "2026-03-14T12:00:00-06:00"),
     [("R-NOT-3", B, "appointment_at")])
case("not3-appointment-on-holiday-monday", "R-NOT-3",
     "Citatorio el viernes 13/03 con cita el lunes 16/03 (inhábil): debía ser el 17/03.",
     citatorio("2026-03-13T12:00:00-06:00", "2026-03-16T12:00:00-06:00"),
     [("R-NOT-3", B, "appointment_at")])
case("not3-appointment-after-holiday-monday", "R-NOT-3",
     "Citatorio el viernes 13/03 con cita el martes 17/03: correcto.",
     citatorio("2026-03-13T12:00:00-06:00", "2026-03-17T12:00:00-06:00"), [])
case("not3-appointment-outside-hours", "R-NOT-3", "Cita a las 19:00.",
     citatorio(appointment="2026-03-11T19:00:00-06:00"), [("R-NOT-3", B, "appointment_at")])
case("not3-appointment-wrong-day-and-hour", "R-NOT-3",
     "Cita el jueves a las 19:00: dos bloqueos.",
     citatorio(appointment="2026-03-12T19:00:00-06:00"),
     [("R-NOT-3", B, "appointment_at"), ("R-NOT-3", B, "appointment_at")])
case("not3-appointment-missing", "R-NOT-3", "Citatorio sin fecha y hora de la cita.",
     without(citatorio(), "appointment_at"), [("R-NOT-3", B, "appointment_at")])
case("not3-appointment-on-institutional-day", "R-NOT-3",
     "Citatorio el miércoles 01/04/2026 con cita el 02/04, día institucional inhábil.",
     citatorio("2026-04-01T12:00:00-06:00", "2026-04-02T12:00:00-06:00"),
     [("R-NOT-3", B, "appointment_at")], pack="cdmx_institutional")
case("not3-appointment-after-institutional-days", "R-NOT-3",
     "Citatorio el 01/04/2026 con cita el lunes 06/04, tras los días institucionales.",
     citatorio("2026-04-01T12:00:00-06:00", "2026-04-06T12:00:00-06:00"), [],
     pack="cdmx_institutional")
case("not3-first-visit-with-employee", "R-NOT-3",
     "Notificación sin citatorio previo entendida con un empleado: debe dejarse citatorio.",
     personal_notification(attendee=EMPLOYEE, **ABSENCE),
     [("R-NOT-3", B, "attendee.capacity")])
case("not3-tijuana-citatorio-across-dst", "R-NOT-3",
     "Tijuana: citatorio el viernes 06/03 (UTC-8) con cita el lunes 09/03 12:00 (ya UTC-7).",
     citatorio("2026-03-06T12:00:00-08:00", "2026-03-09T12:00:00-07:00"), [], pack="tijuana")

# R-NOT-4: nobody receives ---------------------------------------------------------------------

case("not4-posting-clean", "R-NOT-4", "Constancia de fijación con foto y motivo.", posting(), [])
case("not4-posting-without-photo", "R-NOT-4", "Constancia de fijación sin foto del citatorio.",
     posting(media=media("facade")), [("R-NOT-4", B, "media.posting")])
case("not4-posting-without-reason", "R-NOT-4", "Constancia de fijación sin motivo.",
     without(posting(), "posting_reason"), [("R-NOT-4", B, "posting_reason")])
case("not4-citatorio-refused", "R-NOT-4",
     "Se negaron a recibir el citatorio: debe fijarse (constancia de fijación).",
     citatorio(refused_to_receive=True, copy_delivered=False, media=media("facade")),
     [("R-NOT-4", B, "refused_to_receive")])
case("not4-citatorio-nobody", "R-NOT-4",
     "Citatorio sin persona que lo reciba: debe registrarse como constancia de fijación.",
     without(citatorio(), "attendee"), [("R-NOT-4", B, "attendee")])
case("not4-posting-appointment-wrong-day", "R-NOT-3",
     "Constancia de fijación con cita dos días después.",
     posting(appointment="2026-03-12T12:00:00-06:00"), [("R-NOT-3", B, "appointment_at")])

# R-NOT-5: follow-up at the appointed hour -----------------------------------------------------

case("not5-follow-up-clean", "R-NOT-5", "Inicia 5 minutos después de la hora fijada.",
     follow_up(), [])
case("not5-follow-up-at-tolerance", "R-NOT-5", "Inicia justo 15 minutos después: sin aviso.",
     follow_up("2026-03-11T12:15:00-06:00"), [])
case("not5-follow-up-late", "R-NOT-5", "Inicia 16 minutos después: aviso.",
     follow_up("2026-03-11T12:16:00-06:00"), [("R-NOT-5", W, "started_at")])
case("not5-follow-up-early", "R-NOT-5", "Inicia a las 11:59, antes de la hora fijada.",
     follow_up("2026-03-11T11:59:00-06:00"), [("R-NOT-5", B, "started_at")])
case("not5-follow-up-other-day", "R-NOT-5", "Se presenta el jueves en vez del miércoles.",
     follow_up("2026-03-12T12:00:00-06:00"), [("R-NOT-5", B, "started_at")])
case("not5-follow-up-late-within-config", "R-NOT-5",
     "16 minutos tarde con tolerancia configurada en 30: sin aviso.",
     follow_up("2026-03-11T12:16:00-06:00"), [], pack="cdmx_tolerance_30")
case("not5-appointed-at-missing", "R-NOT-5", "El acta no dice la hora fijada en el citatorio.",
     follow_up(citatorio={"issued_at": CITATORIO_REF["issued_at"]}),
     [("R-NOT-5", B, "citatorio.appointed_at")])
case("not5-citatorio-issue-time-missing", "R-NOT-8",
     "El acta no dice la fecha y hora del citatorio.",
     follow_up(citatorio={"appointed_at": CITATORIO_REF["appointed_at"]}),
     [("R-NOT-8", B, "citatorio.issued_at")])
case("not5-payment-demand-late", "R-NOT-5",
     "Requerimiento tras citatorio, 30 minutos tarde: aviso (R-PAE-2 remite a R-NOT-5).",
     follow_up("2026-03-11T12:30:00-06:00", kind="payment_demand"),
     [("R-NOT-5", W, "started_at")])
case("not5-tijuana-follow-up-on-time", "R-NOT-5",
     "Tijuana en verano: cita 09:00 local (16:00Z), inicia 16:05Z.",
     follow_up("2026-07-15T16:05:00+00:00",
               citatorio={"issued_at": "2026-07-14T16:00:00+00:00",
                          "appointed_at": "2026-07-15T09:00:00-07:00"}),
     [], pack="tijuana")

# R-NOT-6: refusal at the follow-up ------------------------------------------------------------

case("not6-follow-up-refused", "R-NOT-6",
     "Se niegan a recibir en la segunda visita: aviso, el acto va a estrados.",
     follow_up(refused_to_receive=True, copy_delivered=False, media=media("facade")),
     [("R-NOT-6", W, "refused_to_receive")])

# R-NOT-7: name and signature ------------------------------------------------------------------

case("not7-signature-missing", "R-NOT-7", "Sin firma ni negativa a firmar.",
     personal_notification(media=media("facade")), [("R-NOT-7", B, "media.signature")])
case("not7-refused-to-sign", "R-NOT-7", "Se negó a firmar y así consta: sin hallazgos.",
     personal_notification(media=media("facade"), refused_to_sign=True), [])
case("not7-name-missing", "R-NOT-7", "Sin nombre de quien recibe.",
     personal_notification(attendee={**REPRESENTATIVE, "name": None}),
     [("R-NOT-7", B, "attendee.name")])
case("not7-refused-name", "R-NOT-7", "Se negó a dar su nombre y así consta.",
     personal_notification(attendee={**REPRESENTATIVE, "name": None, "refused_name": True}),
     [])
case("not7-blank-name-is-no-name", "R-NOT-7", "Un nombre en blanco no es un nombre.",
     personal_notification(attendee={**REPRESENTATIVE, "name": "   "}),
     [("R-NOT-7", B, "attendee.name")])

# R-NOT-8: circumstantiation -------------------------------------------------------------------

case("not8-no-address-verification", "R-NOT-8", "No dice cómo se cercioró del domicilio.",
     personal_notification(address_verification=[]), [("R-NOT-8", B, "address_verification")])
case("not8-photo-claimed-without-facade", "R-NOT-8",
     "Dice que se cercioró con fotografía pero no hay foto de fachada.",
     personal_notification(media=media("signature")), [("R-NOT-8", B, "media.facade")])
case("not8-addressee-not-asked", "R-NOT-8", "No consta que se preguntó por el destinatario.",
     personal_notification(addressee_asked=False), [("R-NOT-8", B, "addressee_asked")])
case("not8-representative-not-asked", "R-NOT-8",
     "Persona moral: no consta que se preguntó por el representante legal.",
     follow_up(representative_asked=False), [("R-NOT-8", B, "representative_asked")])
case("not8-person-needs-no-representative", "R-NOT-8",
     "Persona física: no hace falta preguntar por representante.",
     follow_up(addressee_type="person", representative_asked=False), [])
case("not8-addressee-type-missing", "R-NOT-8", "No dice si es persona física o moral.",
     without(personal_notification(), "addressee_type"), [("R-NOT-8", B, "addressee_type")])
case("not8-attendee-id-missing", "R-NOT-8", "Sin documento de identidad ni constancia.",
     personal_notification(attendee={**REPRESENTATIVE, "id_type": None, "id_number": None}),
     [("R-NOT-8", B, "attendee.id_number")])
case("not8-attendee-not-identified", "R-NOT-8", "Consta que no se identificó: válido.",
     personal_notification(attendee={**REPRESENTATIVE, "id_type": None, "id_number": None,
                                     "not_identified": True}), [])
case("not8-representative-without-power", "R-NOT-8", "Representante legal sin poder notarial.",
     personal_notification(attendee={**REPRESENTATIVE, "power": None}),
     [("R-NOT-8", B, "attendee.power")])
case("not8-copy-not-delivered", "R-NOT-8", "No consta la entrega de la copia.",
     personal_notification(copy_delivered=False), [("R-NOT-8", B, "copy_delivered")])
case("not8-credential-expired", "R-NOT-8", "Credencial vencida el 09/03/2026.",
     personal_notification(field_user={**NOTIFIER, "valid_until": "2026-03-09"}),
     [("R-NOT-8", B, "field_user.valid_until")])
case("not8-credential-valid-last-day", "R-NOT-8", "Credencial que vence el día de la diligencia.",
     personal_notification(field_user={**NOTIFIER, "valid_until": "2026-03-10"}), [])
case("not8-credential-without-issuer", "R-NOT-8", "Credencial sin funcionario que la expidió.",
     personal_notification(field_user={**NOTIFIER, "issuer": None}),
     [("R-NOT-8", B, "field_user.issuer")])
case("not8-field-user-missing", "R-NOT-8", "El acta no identifica al notificador.",
     without(personal_notification(), "field_user"), [("R-NOT-8", B, "field_user")])
case("not8-absence-unexplained", "R-NOT-8",
     "Segunda visita con un empleado sin motivo de ausencia ni quién lo dijo.",
     without(follow_up(), "absence_reason", "absence_informant"),
     [("R-NOT-8", B, "absence_reason"), ("R-NOT-8", B, "absence_informant")])
case("not8-finished-before-start", "R-NOT-8", "Hora de término anterior a la de inicio.",
     personal_notification(finished_at="2026-03-10T09:50:00-06:00"),
     [("R-NOT-8", B, "finished_at")])
case("not8-relationship-missing", "R-NOT-8", "Empleado sin relación con el destinatario.",
     follow_up(attendee={**EMPLOYEE, "relationship": None}),
     [("R-NOT-8", B, "attendee.relationship")])

# R-NOT-9: no pre-filled facts -----------------------------------------------------------------

prefilled = citatorio()
prefilled["prefilled"] = ["absence_reason"]
case("not9-prefilled-absence-reason", "R-NOT-9",
     "El motivo de la ausencia viene de una plantilla.", prefilled,
     [("R-NOT-9", B, "absence_reason")])
early = citatorio()
early["entered_at"]["attendee.id_number"] = "2026-03-10T11:00:00-06:00"
case("not9-entered-before-arrival", "R-NOT-9",
     "El número de identificación se capturó a las 11:00, antes de llegar (11:55).", early,
     [("R-NOT-9", B, "attendee.id_number")])
untimed = citatorio()
del untimed["entered_at"]["attendee.name"]
case("not9-entry-time-missing", "R-NOT-9", "No consta cuándo se capturó el nombre.", untimed,
     [("R-NOT-9", B, "attendee.name")])
case("not9-arrival-missing", "R-NOT-9", "Sin hora de llegada.",
     without(citatorio(), "arrived_at"), [("R-NOT-9", B, "arrived_at")])
prefilled_address = personal_notification()
prefilled_address["prefilled"] = ["address.text"]
case("not9-prefilled-address-is-fine", "R-NOT-9",
     "El domicilio viene de la cartera (prellenado legítimo): sin hallazgos.",
     prefilled_address, [])

# R-NOT-10: not located ------------------------------------------------------------------------

case("not10-clean", "R-NOT-10", "Se mudó: dicho de vecina, estado del local y fotos.",
     not_located(), [])
case("not10-temporary-absence", "R-NOT-10", "Ausencia temporal: requiere citatorio.",
     not_located(not_located={"reason": "temporary_absence",
                              "premises_state": "Oficina cerrada a mediodía"}),
     [("R-NOT-10", B, "not_located.reason")])
case("not10-no-evidence", "R-NOT-10", "Negocio cerrado sin evidencia.",
     not_located(not_located={"reason": "closed"}, media=media("facade")),
     [("R-NOT-10", B, "not_located")])
case("not10-photo-is-evidence", "R-NOT-10", "Negocio cerrado con fotografía como evidencia.",
     not_located(not_located={"reason": "closed"}), [])
case("not10-missing", "R-NOT-10", "Acta de no localización sin datos de la no localización.",
     without(not_located(), "not_located"), [("R-NOT-10", B, "not_located")])
case("not10-new-address", "R-NOT-10",
     "No localizado: la vecina da el nuevo domicilio completo (cambio de domicilio).",
     not_located(not_located={"reason": "moved", "premises_state": "Local vacío",
                              "new_address": dict(NEW_ADDRESS)}), [])
case("not10-new-address-incomplete", "R-NOT-10",
     "Nuevo domicilio sin número exterior ni municipio: la oficina no puede enviar a nadie.",
     not_located(not_located={"reason": "moved", "premises_state": "Local vacío",
                              "new_address": {"street": "Av. Patria", "postal_code": "4511"}}),
     [("R-NOT-10", B, "not_located.new_address"),
      ("R-NOT-10", B, "not_located.new_address.postal_code")])
case("not10-localization-found", "R-NOT-10", "Localización: encontrado en un nuevo domicilio.",
     localization(), [])
case("not10-localization-found-without-address", "R-NOT-10",
     "Localización «encontrado» sin domicilio.",
     localization(localization={"result": "found"}),
     [("R-NOT-10", B, "localization.new_address")])
case("not10-localization-not-found", "R-NOT-10",
     "Localización sin resultado, con el dicho de un vecino.",
     localization(localization={"result": "not_found", "statements": [
         {"name": "Luis Mora (tienda de la esquina)", "text": "No los conoce"}]}), [])
case("not10-localization-not-found-no-evidence", "R-NOT-10",
     "Localización sin resultado y sin evidencia.",
     localization(localization={"result": "not_found"}),
     [("R-NOT-10", B, "localization")])
case("not10-localization-no-result", "R-NOT-10", "Localización sin resultado registrado.",
     localization(localization={"notes": "Se buscó en el padrón municipal"}),
     [("R-NOT-10", B, "localization.result")])

# R-PAE-1: requerimiento -----------------------------------------------------------------------

case("pae1-proof-shown", "R-PAE-1", "Acredita el pago con comprobante: termina la diligencia.",
     payment_demand(), [])
case("pae1-proof-without-document", "R-PAE-1", "Dice que acreditó el pago, sin documento.",
     payment_demand(payment={"outcome": "proof_shown"}),
     [("R-PAE-1", B, "payment.proof_document")])
cheque = {"outcome": "cheque", "receipt_number": "R-2026-0012",
          "cheque": {"number": "0001234", "bank": "BBVA", "amount": "54321.00",
                     "drawer": "Comercial del Centro SA de CV"}}
case("pae1-cheque", "R-PAE-1", "Paga con cheque: datos y número de recibo (RCFF 14).",
     payment_demand(payment=cheque), [])
case("pae1-cheque-without-receipt", "R-PAE-1", "Cheque sin número de recibo.",
     payment_demand(payment={**cheque, "receipt_number": None}),
     [("R-PAE-1", B, "payment.receipt_number")])
case("pae1-not-paid-without-seizure", "R-PAE-1",
     "No paga y no se embarga, sin explicar por qué: aviso.",
     payment_demand(payment={"outcome": "not_paid"}),
     [("R-PAE-1", W, "payment.no_seizure_reason")])
case("pae1-seizure-after-proof", "R-PAE-1", "Embargo pese a haberse acreditado el pago.",
     seizure(payment={"outcome": "proof_shown", "proof_document": "Comprobante SIPARE"}),
     [("R-PAE-1", B, "payment.outcome")])
case("pae1-payment-outcome-missing", "R-PAE-1", "Requerimiento sin resultado.",
     without(payment_demand(), "payment"), [("R-PAE-1", B, "payment.outcome")])

# R-PAE-2: executor formalities ----------------------------------------------------------------

case("pae2-credential-expired", "R-PAE-2", "Credencial del ejecutor vencida.",
     payment_demand(field_user={**EXECUTOR, "valid_until": "2026-02-28"}),
     [("R-PAE-2", B, "field_user.valid_until")])
case("pae2-credential-incomplete", "R-PAE-2",
     "Credencial del ejecutor sin fundamento legal ni fotografía.",
     payment_demand(field_user={**EXECUTOR, "legal_basis": None, "has_photo": False}),
     [("R-PAE-2", B, "field_user.legal_basis"), ("R-PAE-2", B, "field_user.has_photo")])
case("pae2-credential-issued-later", "R-PAE-2", "Credencial expedida después de la diligencia.",
     payment_demand(field_user={**EXECUTOR, "issued_on": "2026-03-13"}),
     [("R-PAE-2", B, "field_user.issued_on")])
case("pae2-copy-not-delivered", "R-PAE-2", "No consta la copia entregada en el requerimiento.",
     payment_demand(copy_delivered=False), [("R-PAE-2", B, "copy_delivered")])
case("pae2-first-visit-with-employee", "R-PAE-2",
     "Requerimiento sin citatorio entendido con un empleado (R-NOT-3 vía R-PAE-2).",
     payment_demand(attendee=EMPLOYEE, **ABSENCE), [("R-NOT-3", B, "attendee.capacity")])

# R-PAE-4…8: the embargo -----------------------------------------------------------------------

DEPOSIT = {"category": "bank_deposit", "description": "Cuenta BBVA terminación 1234",
           "value": "10000.00"}
case("pae4-seizure-clean", "R-PAE-4",
     "Embargo señalado por el representante: vehículo y mobiliario, testigos, depositario.",
     seizure(), [])
case("pae4-attendee-out-of-order", "R-PAE-4",
     "El representante señala un vehículo (III) y luego depósitos bancarios (I).",
     seizure(seizure_extra={"items": [VEHICLE, DEPOSIT]}), [("R-PAE-4", B, "seizure.items")])
case("pae4-executor-departs-from-order", "R-PAE-5",
     "El ejecutor señala fuera de orden con motivo (CFF 156): sin hallazgos.",
     seizure(seizure_extra={"items": [VEHICLE, DEPOSIT], "designated_by": "executor",
                            "executor_reason": "out_of_order"}), [])
case("pae4-unknown-category", "R-PAE-4", "Bien con categoría inexistente.",
     seizure(seizure_extra={"items": [{**DESKS, "category": "spaceship"}, VEHICLE]}),
     [("R-PAE-4", B, "seizure.items[0].category")])
case("pae4-category-named-like-a-js-builtin", "R-PAE-4",
     "Una categoría 'constructor' no existe (ni en Python ni en el teléfono).",
     seizure(seizure_extra={"items": [VEHICLE, {**DESKS, "category": "constructor"}]}),
     [("R-PAE-4", B, "seizure.items[1].category")])
LAND = {"category": "real_estate", "description": "Terreno de 300 m², folio real 123",
        "value": "900000.00"}
case("pae4-real-estate-without-statement", "R-PAE-4",
     "Inmueble sin la declaración de gravámenes, embargos, copropiedad y sociedad conyugal.",
     seizure(seizure_extra={"items": [VEHICLE, LAND]}),
     [("R-PAE-4", B, "seizure.real_estate_statement")])
statement = {"liens": "Ninguno", "prior_seizures": "Ninguno", "co_ownership": "No",
             "marital_property": "No aplica (persona moral)"}
case("pae4-real-estate-with-statement", "R-PAE-4", "Inmueble con la declaración completa.",
     seizure(seizure_extra={"items": [VEHICLE, LAND], "real_estate_statement": statement}), [])
case("pae4-one-witness", "R-PAE-4", "Un solo testigo y sin constancia.",
     seizure(seizure_extra={"witnesses": WITNESSES[:1]}), [("R-PAE-4", B, "seizure.witnesses")])
case("pae4-witness-did-not-sign", "R-PAE-4", "Dos testigos, uno no firmó y no consta negativa.",
     seizure(seizure_extra={"witnesses": [WITNESSES[0], {**WITNESSES[1], "signed": False}]}),
     [("R-PAE-4", B, "seizure.witnesses")])
case("pae4-witnesses-refused-recorded", "R-PAE-4",
     "Los testigos se negaron a firmar y el ejecutor lo hizo constar.",
     seizure(seizure_extra={"witnesses": [{**w, "signed": False} for w in WITNESSES],
                            "witnesses_note": "refused_to_sign"}), [])
case("pae4-witness-refused-on-record", "R-PAE-4",
     "Un testigo firmó; el otro se negó y consta su negativa, sin la constancia general.",
     seizure(seizure_extra={"witnesses": [WITNESSES[0], {**WITNESSES[1], "signed": False,
                                                         "refused_to_sign": True}]}), [])
case("pae4-no-items", "R-PAE-4", "Embargo sin bienes.",
     seizure(seizure_extra={"items": []}), [("R-PAE-4", B, "seizure.items")])
case("pae4-designated-by-missing", "R-PAE-4", "No dice quién señaló los bienes.",
     seizure(seizure_extra={"designated_by": None}), [("R-PAE-4", B, "seizure.designated_by")])
case("pae5-executor-without-reason", "R-PAE-5",
     "El ejecutor señaló bienes sin motivo de CFF 156.",
     seizure(seizure_extra={"designated_by": "executor"}),
     [("R-PAE-5", B, "seizure.executor_reason")])
FURNITURE = {"category": "household_furniture", "description": "Cama y comedor",
             "value": "8000.00"}
case("pae6-exempt-household-furniture", "R-PAE-6", "Se embargan muebles indispensables.",
     seizure(seizure_extra={"items": [VEHICLE, DESKS, FURNITURE]}),
     [("R-PAE-6", B, "seizure.items[2].category")])
MACHINE = {"category": "business_machinery", "description": "Torno CNC", "value": "400000.00",
           "seal": "QR-0009"}
case("pae6-business-machinery", "R-PAE-6",
     "Maquinaria necesaria para la negociación, sin embargar la negociación entera.",
     seizure(seizure_extra={"items": [VEHICLE, MACHINE]}),
     [("R-PAE-6", B, "seizure.items[1].category")])
case("pae6-business-machinery-whole-business", "R-PAE-6",
     "La misma maquinaria, embargada con la negociación en su totalidad: permitido.",
     seizure(seizure_extra={"items": [VEHICLE, MACHINE], "whole_business": True}), [])
case("pae6-salaries", "R-PAE-6", "Se intenta embargar sueldos.",
     seizure(seizure_extra={"items": [{"category": "salaries", "description": "Nómina",
                                       "value": "50000.00"}, VEHICLE]}),
     [("R-PAE-6", B, "seizure.items[0].category")])
case("pae7-insufficient", "R-PAE-7", "Lo embargado (285 mil) no cubre 500 mil: aviso.",
     seizure(seizure_extra={"amount_secured": "500000.00"}), [("R-PAE-7", W, "seizure.items")])
case("pae7-extension-covers", "R-PAE-7",
     "Ampliación: 250 mil embargados antes más 285 mil ahora cubren 500 mil.",
     seizure(kind="seizure_extension",
             seizure_extra={"amount_secured": "500000.00",
                            "previously_seized_value": "250000.00"}), [])
case("pae7-extension-still-short", "R-PAE-7",
     "Ampliación que aún no cubre: 100 mil antes más 285 mil contra 500 mil.",
     seizure(kind="seizure_extension",
             seizure_extra={"amount_secured": "500000.00",
                            "previously_seized_value": "100000.00"}),
     [("R-PAE-7", W, "seizure.items")])
case("pae7-bank-deposits-over-amount", "R-PAE-7",
     "Depósitos bancarios por 150 mil contra interés fiscal de 120 mil.",
     seizure(seizure_extra={"items": [{**DEPOSIT, "value": "150000.00"}]}),
     [("R-PAE-7", W, "seizure.items")])
case("pae7-value-missing", "R-PAE-7", "Un bien sin valor estimado.",
     seizure(seizure_extra={"items": [VEHICLE, {**DESKS, "value": None}]}),
     [("R-PAE-7", W, "seizure.items[1].value")])
case("pae7-amount-secured-missing", "R-PAE-7", "Sin interés fiscal.",
     seizure(seizure_extra={"amount_secured": None}), [("R-PAE-7", W, "seizure.amount_secured")])
case("pae7-exact-decimals-cover", "R-PAE-7",
     "60000.005 + 59999.995 = 120000.000 exactos: cubre (aritmética decimal, no flotante).",
     seizure(seizure_extra={"items": [{**VEHICLE, "value": "60000.005"},
                                      {**DESKS, "value": "59999.995"}]}), [])
case("pae7-one-cent-short", "R-PAE-7", "Lo embargado queda un centavo corto: aviso.",
     seizure(seizure_extra={"items": [{**VEHICLE, "value": "60000.00"},
                                      {**DESKS, "value": "59999.99"}]}),
     [("R-PAE-7", W, "seizure.items")])
case("pae8-seal-missing", "R-PAE-8", "Vehículo embargado sin sello.",
     seizure(seizure_extra={"items": [{**VEHICLE, "seal": None}, DESKS]}),
     [("R-PAE-8", B, "seizure.items[0].seal")])
case("pae8-custodian-location-missing", "R-PAE-8", "Depositario sin lugar de guarda.",
     seizure(seizure_extra={"custodian": {**CUSTODIAN, "location": None}}),
     [("R-PAE-8", B, "seizure.custodian.location")])
case("pae8-custodian-missing", "R-PAE-8", "Embargo sin depositario.",
     seizure(seizure_extra={"custodian": None}), [("R-PAE-8", B, "seizure.custodian")])
case("pae8-bank-deposit-needs-no-seal", "R-PAE-8", "Un depósito bancario no lleva sello.",
     seizure(seizure_extra={"items": [{**DEPOSIT, "value": "120000.00"}]}), [])

CLAIM = {"claimant": "Arrendadora del Norte SA de CV",
         "documents": "Factura 889 y contrato de arrendamiento 2024-17"}
case("pae9-third-party-claim-documented", "R-PAE-9",
     "Un tercero acredita que los escritorios son suyos: se liberan (ni sello ni valor cuentan).",
     seizure(seizure_extra={"items": [VEHICLE, {**DESKS, "seal": None,
                                                "third_party_claim": CLAIM}]}), [])
case("pae9-third-party-claim-undocumented", "R-PAE-9",
     "Se libera un bien por reclamo de tercero sin registrar los documentos.",
     seizure(seizure_extra={"items": [VEHICLE, {**DESKS, "third_party_claim": {
         "claimant": CLAIM["claimant"]}}]}),
     [("R-PAE-9", B, "seizure.items[1].third_party_claim")])
case("pae9-claim-leaves-embargo-short", "R-PAE-9",
     "Liberado el vehículo por reclamo de tercero, el mobiliario (35 mil) no cubre 120 mil.",
     seizure(seizure_extra={"items": [{**VEHICLE, "third_party_claim": CLAIM}, DESKS]}),
     [("R-PAE-7", W, "seizure.items")])

# R-PAE-10: obstruction ------------------------------------------------------------------------

order = {"locks_broken": True, "lock_order_number": "JO-15/2026", "lock_order_date": "2026-03-11"}
case("pae10-public-force-without-reason", "R-PAE-10", "Se pidió la fuerza pública sin motivo.",
     seizure(obstruction={"public_force_requested": True}),
     [("R-PAE-10", B, "obstruction.public_force_reason")])
case("pae10-locks-broken-with-order", "R-PAE-10",
     "Cerraduras rotas con orden previa del jefe de oficina y dos testigos.",
     seizure(obstruction=order), [])
case("pae10-locks-broken-without-order", "R-PAE-10", "Cerraduras rotas sin orden.",
     seizure(obstruction={"locks_broken": True}),
     [("R-PAE-10", B, "obstruction.lock_order_number"),
      ("R-PAE-10", B, "obstruction.lock_order_date")])
case("pae10-order-after-diligence", "R-PAE-10", "Orden fechada después de la diligencia.",
     seizure(obstruction={**order, "lock_order_date": "2026-03-13"}),
     [("R-PAE-10", B, "obstruction.lock_order_date")])
case("pae10-one-witness", "R-PAE-10",
     "Cerraduras rotas ante un solo testigo (la negativa del otro consta).",
     seizure(obstruction=order, seizure_extra={"witnesses": WITNESSES[:1],
                                               "witnesses_note": "refused_to_sign"}),
     [("R-PAE-10", B, "seizure.witnesses")])

# Calendar functions (Python and legal.js) -----------------------------------------------------

for day, name in [("2026-01-01", "Año Nuevo"), ("2026-02-02", "primer lunes de febrero"),
                  ("2026-03-16", "tercer lunes de marzo"), ("2026-05-01", "1 de mayo"),
                  ("2026-05-05", "5 de mayo"), ("2026-09-16", "16 de septiembre"),
                  ("2026-11-16", "tercer lunes de noviembre"), ("2026-12-25", "Navidad")]:
    fn_case(f"cal1-2026-{day[5:]}", "R-CAL-1", f"{day} ({name}) es inhábil (lista 2026).",
            "is_business_day", {"d": day}, False)
fn_case("cal1-2026-03-17", "R-CAL-1", "El martes tras el puente es hábil.",
        "is_business_day", {"d": "2026-03-17"}, True)
fn_case("cal1-saturday", "R-CAL-1", "Sábado inhábil.", "is_business_day", {"d": "2026-03-14"},
        False)
fn_case("cal1-2030-10-01", "R-CAL-1", "Transmisión del Ejecutivo 2030 (LFT 74): 1 de octubre.",
        "is_business_day", {"d": "2030-10-01"}, False, pack="cdmx_2030")
fn_case("cal1-2030-12-01", "R-CAL-1", "1 de diciembre de 2030 (CFF 12): inhábil (y domingo).",
        "is_business_day", {"d": "2030-12-01"}, False, pack="cdmx_2030")
fn_case("cal1-2030-12-02", "R-CAL-1", "Lunes 2 de diciembre de 2030: hábil.",
        "is_business_day", {"d": "2030-12-02"}, True, pack="cdmx_2030")
fn_case("cal1-2030-09-30-next", "R-CAL-1", "Tras el lunes 30/09/2030 sigue el 02/10.",
        "next_business_day", {"d": "2030-09-30"}, "2030-10-02", pack="cdmx_2030")
fn_case("cal1-2024-10-01", "R-CAL-1", "Transmisión del Ejecutivo 2024: 1 de octubre inhábil.",
        "is_business_day", {"d": "2024-10-01"}, False, pack="cdmx_2024")
fn_case("cal1-2025-10-01", "R-CAL-1", "1 de octubre de 2025 (no hay transmisión): hábil.",
        "is_business_day", {"d": "2025-10-01"}, True, pack="cdmx_2025")
fn_case("cal1-2025-05-05", "R-CAL-1", "5 de mayo de 2025 (lunes): inhábil.",
        "is_business_day", {"d": "2025-05-05"}, False, pack="cdmx_2025")
fn_case("cal2-institutional", "R-CAL-2", "02/04/2026 institucional: inhábil.",
        "is_business_day", {"d": "2026-04-02"}, False, pack="cdmx_institutional")
fn_case("cal2-not-configured", "R-CAL-2", "02/04/2026 sin configurar: hábil.",
        "is_business_day", {"d": "2026-04-02"}, True)
fn_case("cal1-next-after-friday", "R-CAL-1", "Tras el viernes 13/03/2026 sigue el martes 17/03.",
        "next_business_day", {"d": "2026-03-13"}, "2026-03-17")
fn_case("cal2-next-after-institutional", "R-CAL-2",
        "Tras el 01/04/2026 con 2-3/04 institucionales sigue el lunes 06/04.",
        "next_business_day", {"d": "2026-04-01"}, "2026-04-06", pack="cdmx_institutional")
fn_case("cal5-add-15", "R-CAL-5", "15 días hábiles después del 10/03/2026: 01/04/2026.",
        "add_business_days", {"d": "2026-03-10", "n": 15}, "2026-04-01")
fn_case("cal5-add-0", "R-CAL-5", "Cero días: el mismo día.",
        "add_business_days", {"d": "2026-03-14", "n": 0}, "2026-03-14")
fn_case("cal3-time-tijuana-summer", "R-CAL-3", "14:45Z del 15/07/2026 en Tijuana: 07:45, hábil.",
        "is_business_time", {"dt": "2026-07-15T14:45:00Z"}, True, pack="tijuana")
fn_case("cal3-time-tijuana-winter", "R-CAL-3", "14:45Z del 15/01/2026 en Tijuana: 06:45.",
        "is_business_time", {"dt": "2026-01-15T14:45:00Z"}, False, pack="tijuana")
fn_case("cal3-time-saturday", "R-CAL-3", "Sábado a mediodía: no es tiempo hábil.",
        "is_business_time", {"dt": "2026-03-14T12:00:00-06:00"}, False)
fn_case("cal3-time-1800", "R-CAL-3", "18:00:00 en punto: hábil.",
        "is_business_time", {"dt": "2026-03-10T18:00:00-06:00"}, True)
fn_case("not3-propose-after-hours-friday", "R-NOT-3",
        "Citatorio el viernes 13/03 a las 19:10: cita el martes 17/03 a las 18:00.",
        "propose_citatorio_appointment", {"issued_at": "2026-03-13T19:10:00-06:00"},
        "2026-03-17T18:00:00-06:00")
fn_case("not3-propose-early", "R-NOT-3", "Citatorio a las 06:50: cita al día siguiente 07:30.",
        "propose_citatorio_appointment", {"issued_at": "2026-03-10T06:50:00-06:00"},
        "2026-03-11T07:30:00-06:00")
fn_case("not3-propose-preferred", "R-NOT-3", "Hora preferida 09:00.",
        "propose_citatorio_appointment",
        {"issued_at": "2026-03-10T12:34:00-06:00", "preferred": "09:00"},
        "2026-03-11T09:00:00-06:00")
fn_case("not3-propose-tijuana-dst", "R-NOT-3",
        "Tijuana: viernes 06/03 12:00 (UTC-8) → lunes 09/03 12:00, ya en UTC-7.",
        "propose_citatorio_appointment", {"issued_at": "2026-03-06T20:00:00Z"},
        "2026-03-09T12:00:00-07:00", pack="tijuana")

# Costs (Python and legal.js) ------------------------------------------------------------------

for on, base, expect, what in [
    ("2025-12-31", "1000.00", "560.00", "mínimo 2025"),
    ("2026-01-01", "1000.00", "630.00", "mínimo 2026"),
    ("2025-12-31", "50000.00", "1000.00", "2 % sin tope"),
    ("2026-01-01", "50000.00", "1000.00", "2 % sin tope"),
    ("2025-12-31", "5000000.00", "86460.00", "máximo 2025"),
    ("2026-01-01", "5000000.00", "97880.00", "máximo 2026"),
    ("2026-01-01", "4000000.00", "80000.00", "2 % bajo el máximo 2026, sobre el de 2025"),
    ("2025-12-31", "4000000.00", "80000.00", "2 % bajo el máximo 2025"),
    ("2025-12-31", "28000.25", "560.01", "560.005 redondea hacia arriba"),
    ("2026-01-01", "28000.25", "630.00", "560.005 queda bajo el mínimo 2026"),
    ("2026-01-01", "31500.25", "630.01", "630.005 redondea hacia arriba"),
    ("2025-06-30", "31500.24", "630.00", "630.0048 redondea hacia abajo"),
]:
    fn_case(f"pae3-{on}-{base}", "R-PAE-3", f"Base {base} el {on}: {expect} ({what}).",
            "enforcement_costs", {"base": base, "on": on}, expect)
fn_case("pae3-no-bracket", "R-PAE-3", "Sin tarifa vigente en 2022.",
        "enforcement_costs", {"base": "1000.00", "on": "2022-12-31"}, {"raises": True})
fn_case("pae3-custom-table", "R-PAE-3", "Tabla de la oficina: mínimo 700 en 2027.",
        "enforcement_costs", {"base": "1000.00", "on": "2027-03-01"}, "700.00",
        pack="custom_costs")
fn_case("pae3-custom-table-2026-missing", "R-PAE-3",
        "La tabla de la oficina no cubre 2026.",
        "enforcement_costs", {"base": "1000.00", "on": "2026-03-01"}, {"raises": True},
        pack="custom_costs")

# Deadlines (Python only) ----------------------------------------------------------------------

fn_case("dl1-worked-example", "R-DL-1",
        "Notificada el lunes 09/03/2026: surte el 10/03, vence el miércoles 01/04/2026.",
        "payment_deadline", {"notified_on": "2026-03-09"}, "2026-04-01")
fn_case("dl1-worked-example-institutional", "R-DL-1",
        "El mismo caso con 2-3/04 institucionales: no cambia.",
        "payment_deadline", {"notified_on": "2026-03-09"}, "2026-04-01",
        pack="cdmx_institutional")
fn_case("dl1-friday-rule", "R-CAL-6",
        "Notificada el miércoles 11/03: día 15 el viernes 03/04 → regla del viernes → 06/04.",
        "payment_deadline", {"notified_on": "2026-03-11"}, "2026-04-06")
fn_case("dl1-friday-rule-off", "R-CAL-6", "Sin regla del viernes vence el viernes 03/04.",
        "payment_deadline", {"notified_on": "2026-03-11"}, "2026-04-03", pack="cdmx_no_friday")
fn_case("dl1-institutional-days-counted-out", "R-DL-1",
        "Notificada el 11/03 con 2-3/04 institucionales: esos días no cuentan, el día 15 es el "
        "martes 07/04 (no viernes, no se mueve).",
        "payment_deadline", {"notified_on": "2026-03-11"}, "2026-04-07",
        pack="cdmx_institutional")
fn_case("dl1-notified-friday", "R-DL-1",
        "Notificada el viernes 13/03: surte el 17/03, vence el martes 07/04.",
        "payment_deadline", {"notified_on": "2026-03-13"}, "2026-04-07")
fn_case("not11-takes-effect-friday", "R-NOT-11",
        "Notificada el viernes 13/03/2026: surte efectos el martes 17/03.",
        "takes_effect_on", {"notified_on": "2026-03-13"}, "2026-03-17")
fn_case("not11-takes-effect-saturday-with-enablement", "R-NOT-11",
        "Notificada (habilitada) el sábado 14/03: surte efectos el martes 17/03.",
        "takes_effect_on", {"notified_on": "2026-03-14"}, "2026-03-17")
fn_case("dl3-clarification", "R-DL-3",
        "Notificada el 09/03: surte el 10/03; 5 días hábiles → miércoles 18/03.",
        "clarification_deadline", {"notified_on": "2026-03-09"}, "2026-03-18")
fn_case("dl3-clarification-friday", "R-DL-3",
        "Notificada el jueves 26/02: surte el viernes 27/02; día 5 el viernes 06/03 → 09/03.",
        "clarification_deadline", {"notified_on": "2026-02-26"}, "2026-03-09")
fn_case("dl3-clarification-answer", "R-DL-3",
        "Aclaración presentada el 02/03/2026: respuesta a más tardar el 31/03 (20 días hábiles).",
        "clarification_answer_deadline", {"filed_on": "2026-03-02"}, "2026-03-31")
fn_case("not12-estrados", "R-NOT-12",
        "Publicado el lunes 02/03/2026: día 11 hábil contado desde el 03/03 → 18/03.",
        "estrados_notification_date", {"published_on": "2026-03-02"}, "2026-03-18")
fn_case("dl4-prescription", "R-DL-4", "Exigible el 02/04/2026: prescribe el 02/04/2031.",
        "prescription_date", {"demandable_on": "2026-04-02"}, "2031-04-02")
fn_case("dl4-prescription-interrupted", "R-DL-4",
        "Interrumpida por un requerimiento notificado el 10/06/2027: 10/06/2032.",
        "prescription_date", {"demandable_on": "2026-04-02",
                              "interruptions": ["2026-01-10", "2027-06-10", "2026-09-01"]},
        "2032-06-10")
fn_case("dl4-prescription-last-day-holiday", "R-DL-4",
        "Exigible el 16/03/2021: el 16/03/2026 es inhábil, pasa al 17/03/2026.",
        "prescription_date", {"demandable_on": "2021-03-16", "calendar": True}, "2026-03-17")
fn_case("dl4-prescription-leap-day", "R-DL-4", "Exigible el 29/02/2028: prescribe el 28/02/2033.",
        "prescription_date", {"demandable_on": "2028-02-29"}, "2033-02-28")
fn_case("dl2-before-deadline", "R-DL-2", "El 01/04/2026 aún corre el plazo: no se asigna.",
        "enforcement_gate", {"notified_on": "2026-03-09", "today": "2026-04-01"},
        [{"rule_id": "R-DL-2", "severity": "block", "field": "notified_on"}])
fn_case("dl2-after-deadline", "R-DL-2", "El 02/04/2026 ya venció: se puede requerir.",
        "enforcement_gate", {"notified_on": "2026-03-09", "today": "2026-04-02"}, [])
fn_case("dl2-guaranteed-and-clarification", "R-DL-2",
        "Vencido pero garantizado y con aclaración abierta.",
        "enforcement_gate", {"notified_on": "2026-03-09", "today": "2026-05-04",
                             "guaranteed": True, "open_clarification": True},
        [{"rule_id": "R-DL-2", "severity": "block", "field": "guaranteed"},
         {"rule_id": "R-DL-2", "severity": "block", "field": "open_clarification"}])
fn_case("pae3-one-charge", "R-PAE-3",
        "Requerimiento y embargo en la misma diligencia por dos créditos: un solo cobro "
        "sobre 50 mil.",
        "diligence_costs", {"credit_bases": ["30000.00", "20000.00"], "on": "2026-03-10",
                            "acts": ["payment_demand", "seizure"]}, "1000.00")
fn_case("pae5-real-estate-proof", "R-PAE-5",
        "Embargo de inmueble el 12/03/2026: 15 días hábiles para acreditar → viernes 03/04 "
        "(plazo del CFF: sin regla del viernes).",
        "real_estate_proof_deadline", {"seized_on": "2026-03-12"}, "2026-04-03")


def build() -> dict[str, Any]:
    return {"comment": "Generated by tests/legal/build_vectors.py: edit that file, not this one.",
            "packs": PACKS, "cases": CASES}


def dump() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    VECTORS.write_text(dump(), encoding="utf-8")
    print(f"{len(CASES)} cases written to {VECTORS}")
