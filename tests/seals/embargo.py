"""Building embargo records as an executor's phone sends them, on the sync fixtures."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.extensions import db
from fieldapp.offices.models import Office
from fieldapp.seals.models import SealSheet
from fieldapp.seals.services import issue_sheet
from tests import scenarios
from tests.factories import Factory
from tests.scenarios import ApiPhone, assignment_of
from tests.sync.helpers import DEMAND_FACTS, make_record

EXECUTOR_USER = DEMAND_FACTS["field_user"]
# A clean embargo (tests/legal/vectors.json "pae4-seizure-clean"): the legal representative
# designates a vehicle and office furniture in CFF 155 order, two witnesses sign, the debtor
# keeps the goods. Seal codes are filled in by ``seizure_facts``.
SEIZURE_FACTS: dict[str, Any] = {
    **{k: v for k, v in DEMAND_FACTS.items() if k != "payment"},
    "kind": "seizure",
    "payment": {"outcome": "not_paid"},
    "seizure": {
        "designated_by": "attendee",
        "items": [
            {"category": "vehicle", "description": "Camioneta Nissan NP300 2020",
             "value": "250000.00"},
            {"category": "office_equipment", "description": "Cinco escritorios y sillas",
             "value": "35000.00"},
        ],
        "witnesses": [{"name": "Ana Torres Vela", "signed": True},
                      {"name": "Luis Mora Gil", "signed": True}],
        "custodian": {"name": "María López Pérez", "appointed_by": "executor",
                      "location": "Av. Juárez 100, bodega", "is_debtor": True},
        "amount_secured": "120000.00",
    },
    "finished_at": "2026-03-12T13:30:00-06:00",
}


def seizure_facts(*seals: str | None, **changes: Any) -> dict[str, Any]:
    """The clean embargo with these seal codes on its goods (one good per code given)."""
    facts = copy.deepcopy(SEIZURE_FACTS)
    items = facts["seizure"]["items"]
    while len(items) < len(seals):
        items.append({"category": "other_movable", "description": f"Bien {len(items) + 1}",
                      "value": "1000.00"})
    for item, code in zip(items, seals, strict=False):
        item["seal"] = code
    facts["seizure"].update(changes.pop("seizure", {}))
    facts.update(changes)
    return facts


def evidence(seed: int = 0) -> list[dict[str, Any]]:
    """A façade photo, a signature and the photo of a seized good."""
    return scenarios.evidence(seed, items=1)


def seizure_record(assignment_id: int, *seals: str | None, facts: dict[str, Any] | None = None,
                   **kw: Any) -> dict[str, Any]:
    return make_record(assignment_id, kind="seizure",
                       facts=facts if facts is not None else seizure_facts(*seals),
                       media=kw.pop("media", evidence()), **kw)


@dataclass
class Enforcement:
    """An office with a supervisor and an executor who holds two assignments and two phones."""

    office: Office
    supervisor: User
    executor: User
    assignments: list[Assignment]
    phones: list[ApiPhone]
    sheet: SealSheet

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.sheet.seals]


def enforcement_setup(factory: Factory, client: FlaskClient, office_code: str | None = None,
                      seals: int = 6) -> Enforcement:
    office = factory.office(office_code)
    supervisor = factory.user(office, "supervisor")
    executor = factory.user(office, "executor")
    assignments = [assignment_of(factory.portfolio_item(office, executor)) for _ in range(2)]
    phones = [ApiPhone.enroll(client, executor, name) for name in ("Teléfono A", "Teléfono B")]
    sheet = issue_sheet(office, seals, actor=supervisor, executor=executor)
    db.session.commit()
    return Enforcement(office, supervisor, executor, assignments, phones, sheet)
