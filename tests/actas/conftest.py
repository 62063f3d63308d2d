"""Diligence records of every kind, pushed through the sync API by real enrolled phones, for the
acta and verification tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.diligences.models import Diligence
from fieldapp.offices.models import Office
from tests.factories import Factory
from tests.scenarios import PAD, ApiPhone, File, assignment_of, captioned_photo, media_items, signature_png
from tests.seals.embargo import SEIZURE_FACTS, Enforcement, enforcement_setup
from tests.sync.helpers import (
    ADDRESS,
    CITATORIO_FACTS,
    DEMAND_FACTS,
    FIELD_USER,
    NOTIFICATION_FACTS,
    make_record,
)

# Cases: one per acta, named as the screenshots are (test-artifacts/screenshots/acta-<case>.png).
CASES = ("citatorio", "posting_record", "notification", "notification_follow_up", "not_located",
         "payment_demand", "seizure", "seizure_extension")


FOLLOW_UP_FACTS: dict[str, Any] = {
    **CITATORIO_FACTS,
    # 20 minutes after the appointed hour: a R-NOT-5 warning, with the notifier's reason.
    "kind": "notification", "started_at": "2026-03-11T12:20:00-06:00",
    "citatorio": {"issued_at": "2026-03-10T12:00:00-06:00",
                  "appointed_at": "2026-03-11T12:00:00-06:00"},
    "arrived_at": "2026-03-11T11:58:00-06:00", "finished_at": "2026-03-11T12:45:00-06:00",
    "entered_at": {"attendee.name": "2026-03-11T12:21:00-06:00",
                   "attendee.id_number": "2026-03-11T12:22:00-06:00",
                   "attendee.relationship": "2026-03-11T12:23:00-06:00",
                   "absence_reason": "2026-03-11T12:24:00-06:00",
                   "absence_informant": "2026-03-11T12:25:00-06:00"},
}
FOLLOW_UP_FACTS.pop("appointment_at")
POSTING_FACTS: dict[str, Any] = {
    "kind": "posting_record", "started_at": "2026-03-10T12:00:00-06:00",
    "addressee_type": "company", "address": ADDRESS,
    "address_verification": ["street_sign", "house_number", "photo", "gps"],
    "addressee_asked": True, "representative_asked": True, "field_user": FIELD_USER,
    "appointment_at": "2026-03-11T12:00:00-06:00", "posting_reason": "nobody_present",
    "arrived_at": "2026-03-10T11:55:00-06:00", "finished_at": "2026-03-10T12:40:00-06:00",
    "entered_at": {},
}
NOT_LOCATED_FACTS: dict[str, Any] = {
    **{k: POSTING_FACTS[k] for k in ("addressee_type", "address", "addressee_asked",
                                     "representative_asked", "field_user")},
    "kind": "not_located", "started_at": "2026-03-10T11:00:00-06:00",
    "address_verification": ["street_sign", "house_number", "photo"],
    "not_located": {"reason": "moved",
                    "statements": [{"name": "Rosa Díaz Muñoz (vecina del 102)",
                                    "text": "Se mudaron hace seis meses; no dejaron domicilio"}],
                    "premises_state": "Local vacío con letrero «Se renta»"},
    "arrived_at": "2026-03-10T10:55:00-06:00", "finished_at": "2026-03-10T11:40:00-06:00",
    "entered_at": {"not_located.premises_state": "2026-03-10T11:07:00-06:00"},
}


def seizure_case_facts(codes: list[str], item_photos: list[str]) -> dict[str, Any]:
    """The clean embargo of tests/seals plus what an acta must also show: quantities, a
    refused exempt good (R-PAE-6), a third-party claim (R-PAE-9) and a name with characters
    outside Latin-1, as phones send them."""
    facts = copy.deepcopy(SEIZURE_FACTS)
    facts["attendee"] = {**facts["attendee"], "relationship": "Administradora única “de hecho”"}
    facts["seizure"]["items"] = [
        {"category": "vehicle", "description": "Camioneta de redilas — blanca",
         "brand": "Nissan", "model": "NP300 2020", "serial_number": "3N6AD33A0LK",
         "condition": "Buen estado, 48,000 km", "quantity": "1", "value": "250000.00",
         "seal": codes[0], "photos": item_photos[:1]},
        {"category": "office_equipment", "description": "Escritorios de madera y sillas",
         "quantity": "5", "value": "35000.00", "seal": codes[1]},
        {"category": "electronics", "description": "Computadora Dell OptiPlex 7090 🖥",
         "quantity": "2", "condition": "Usadas, funcionan", "value": "18000.00", "seal": codes[2],
         "photos": item_photos[1:]},
        {"category": "household_furniture", "description": "Cama y ropero del encargado",
         "quantity": "1"},
        {"category": "inventory", "description": "Lote de refacciones en consignación",
         "quantity": "40", "value": "12000.00",
         "third_party_claim": {"claimant": "Refacciones Ñuñez SA de CV",
                               "documents": "Contrato de consignación 88/2025 y factura A-1201"}},
    ]
    facts["seizure"]["amount_secured"] = "120000.00"
    facts["seizure"]["exempt_goods_noted"] = ["bed_and_clothing", "trade_tools"]
    facts["obstruction"] = {"public_force_requested": True,
                            "public_force_reason": "El encargado cerró el portón de la bodega"}
    return facts


def extension_facts(codes: list[str], item_photos: list[str]) -> dict[str, Any]:
    """An ampliación de embargo (CFF 154): a later diligence seizing one more good because
    what was seized did not cover the amount secured."""
    facts = {k: v for k, v in seizure_case_facts(codes, item_photos).items() if k != "payment"}
    facts["kind"] = "seizure_extension"
    facts["seizure"]["items"] = [
        {"category": "inventory", "description": "Llantas nuevas 205/55 R16", "brand": "Goodyear",
         "quantity": "24", "condition": "Nuevas, en empaque", "value": "36000.00",
         "seal": codes[3], "photos": item_photos}]
    facts["seizure"]["amount_secured"] = "150000.00"
    facts["seizure"]["previously_seized_value"] = "120000.00"
    return facts


@dataclass
class Office1:
    """An office with a supervisor, an admin, a notifier and an executor, each with phones."""

    office: Office
    supervisor: User
    admin: User
    notifier: User
    executor: User
    notifier_phone: ApiPhone
    enforcement: Enforcement
    notifier_assignments: list[Assignment]


@pytest.fixture
def office1(factory: Factory, client: FlaskClient) -> Office1:
    enforcement = enforcement_setup(factory, client, seals=6)
    office = enforcement.office
    notifier = factory.user(office, "notifier", full_name="Juan Pérez Gómez")
    admin = factory.user(office, "admin")
    assignments = [assignment_of(factory.portfolio_item(office, notifier)) for _ in CASES]
    return Office1(office, enforcement.supervisor, admin, notifier, enforcement.executor,
                   ApiPhone.enroll(client, notifier), enforcement, assignments)


# Facts the phone derives rather than the user typing them (static/js/capture/records.js,
# DERIVED_FACTS): they carry no time of entry.
DERIVED_FACTS = {"kind", "schema", "arrived_at", "started_at", "finished_at", "addressee_type",
                 "address", "entered_at", "media", "appointment_at", "posting_reason",
                 "citatorio", "prefilled"}


def form_names(value: Any, path: str = "") -> list[str]:
    """The phone's form field names of ``value``'s leaves: ``attendee.id_type``,
    ``seizure.items.0.category``; a list of plain values (``address_verification``) is one
    field (records.js ``flatten``)."""
    if isinstance(value, dict):
        return [n for k, v in value.items() for n in form_names(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [n for i, v in enumerate(value) for n in form_names(v, f"{path}.{i}")]
    return [path]


def as_captured_on_the_phone(facts: dict[str, Any]) -> dict[str, Any]:
    """``facts`` with a time of entry for every answer typed, as the phone keeps one per form
    field (R-NOT-9): a minute apart from the start of the diligence."""
    facts = copy.deepcopy(facts)
    start = datetime.fromisoformat(facts["started_at"])
    names = [n for k, v in facts.items() if k not in DERIVED_FACTS for n in form_names(v, k)]
    facts["entered_at"] = {name: (start + timedelta(seconds=20 * n)).isoformat()
                           for n, name in enumerate(names, start=1)}
    return facts


def push_case(o: Office1, case: str, *, send_files: bool = True, phone_entry_times: bool = False,
              change: Callable[[dict[str, Any]], None] | None = None) -> Diligence:
    """Pushes the record of ``case`` and (unless told not to) its files through the sync API;
    returns it stored. ``phone_entry_times`` gives every answer its time of entry, as the
    phone does; ``change`` edits the facts before they are sent."""
    index = CASES.index(case)
    files: list[File] = [(captioned_photo(index, "FACHADA"), "facade", "image/jpeg")]
    executor = case in ("payment_demand", "seizure", "seizure_extension")
    phone = o.enforcement.phones[0] if executor else o.notifier_phone
    if executor:
        assignment = o.enforcement.assignments[0 if case == "payment_demand" else 1]
    else:
        assignment = o.notifier_assignments[index]
    if case == "posting_record":
        files.append((captioned_photo(index + 50, "CITATORIO FIJADO"), "posting", "image/jpeg"))
    elif case == "not_located":
        files.append((captioned_photo(index + 60, "LOCAL VACIO", "WEBP"), "evidence", "image/webp"))
    else:
        files.append((signature_png(index, size=PAD), "signature", "image/png"))
    if case in ("seizure", "seizure_extension"):
        files += [(captioned_photo(index + 70 + n, f"BIEN {n + 1}"), "item", "image/jpeg")
                  for n in range(3 if case == "seizure" else 1)]
    media = media_items(files)
    facts = {
        "citatorio": CITATORIO_FACTS, "posting_record": POSTING_FACTS,
        "notification": NOTIFICATION_FACTS, "notification_follow_up": FOLLOW_UP_FACTS,
        "not_located": NOT_LOCATED_FACTS, "payment_demand": DEMAND_FACTS,
    }.get(case)
    if facts is None:
        build = seizure_case_facts if case == "seizure" else extension_facts
        facts = build(o.enforcement.codes, [m["sha256"] for m in media if m["role"] == "item"])
    if phone_entry_times:
        facts = as_captured_on_the_phone(facts)
    if change is not None:
        facts = copy.deepcopy(facts)
        change(facts)
    extra = ({"warning_reasons": {"R-NOT-5": "Tráfico por cierre de Av. Vallarta"}}
             if case == "notification_follow_up" else {})
    record = make_record(assignment.id, kind=facts["kind"], facts=facts, media=media, **extra)
    diligence = phone.push_diligence(record, files, upload=send_files)
    assert diligence.complete is send_files
    return diligence
