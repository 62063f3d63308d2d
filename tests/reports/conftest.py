"""An office with a few days of field work pushed through the sync API, another office beside
it, and the people who read the reports."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from fieldapp.auth.models import User
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector
from fieldapp.portfolio.models import Credit, Document
from tests.factories import Factory
from tests.scenarios import ApiPhone, assignment_of, evidence, staff, work_item
from tests.sync.helpers import NOTIFICATION_FACTS, make_record

FAR_AWAY = date(2099, 12, 31)


@dataclass
class Work:
    office: Office
    sectors: dict[str, Sector]
    people: dict[str, User]
    documents: dict[str, Document]
    diligences: dict[str, Diligence] = field(default_factory=dict)
    other_office: Office | None = None
    other: dict[str, User] = field(default_factory=dict)

    def credit(self, name: str) -> Credit:
        (credit,) = self.documents[name].credits
        return credit


def _document(factory: Factory, office: Office, sector: Sector | None, user: User | None,
              due_on: date = FAR_AWAY, **credit: Any) -> Document:
    """A document with one credit (``credit``: its fields), assigned to ``user`` until
    ``due_on`` (far away: no report counts it late)."""
    return work_item(factory, office, user, sector=sector, due_on=due_on, **credit)


@pytest.fixture
def work(factory: Factory, client: FlaskClient) -> Work:
    """Office 1401 (Mexico City time): two sectors, two notifiers, an executor, an office head,
    an admin. Field work of 10-13 March 2026:

    - ana (S1): a citatorio on the 10th, returned and corrected on the 13th (counts once, on
      the 10th); a notification in person captured on the 11th at 05:30 UTC, that is 23:30 of
      the 10th in the office;
    - beto (S2): a notification refused on the 11th (R-NOT-6);
    - carla (S2): a requerimiento not paid on the 12th, on a credit that became demandable in
      2021 (it interrupts prescription, R-DL-4), and another one rejected by the office head
      (it does not).
    Another office holds a notification of the 10th that no report of 1401 may show."""
    office = factory.office("1401", name="Subdelegación Centro")
    sectors = {"S1": factory.sector(office, "S1", name="Centro"),
               "S2": factory.sector(office, "S2", name="Americana")}
    people = staff(factory, office, {
        "ana": ("notifier", "ana", "Ana Ruiz Soto"),
        "beto": ("notifier", "beto", "Beto Lara Gil"),
        "carla": ("executor", "carla", "Carla Ortiz Paz"),
        "jefa": ("supervisor", "jefa", "Jefa de Oficina"),
        "admin": ("admin", "admin1401", "Admin 1401"),
    })
    documents = {
        "citatorio": _document(factory, office, sectors["S1"], people["ana"]),
        "in_person": _document(factory, office, sectors["S1"], people["ana"]),
        "refused": _document(factory, office, sectors["S2"], people["beto"]),
        "demand": _document(factory, office, sectors["S2"], people["carla"], status="enforceable",
                            payment_deadline=date(2021, 4, 1), notified_on=date(2021, 3, 5)),
        "rejected_demand": _document(factory, office, sectors["S2"], people["carla"],
                                     status="enforceable", payment_deadline=date(2021, 4, 1),
                                     notified_on=date(2021, 3, 5)),
    }
    work = Work(office, sectors, people, documents)

    ana = ApiPhone.enroll(client, people["ana"])
    first = make_record(assignment_of(documents["citatorio"]).id, kind="citatorio",
                        captured_at="2026-03-10T18:41:00.000Z", media=evidence(1))
    work.diligences["citatorio_v1"] = ana.push_diligence(first)
    second = make_record(assignment_of(documents["in_person"]).id, kind="notification",
                         captured_at="2026-03-11T05:30:00.000Z", previous_hash=first["content_hash"],
                         media=evidence(2))
    work.diligences["in_person"] = ana.push_diligence(second)
    decide(work.diligences["citatorio_v1"], "returned", actor=people["jefa"],
           observations="Falta la foto del número exterior.")
    db.session.commit()
    correction = make_record(assignment_of(documents["citatorio"]).id, kind="citatorio",
                             captured_at="2026-03-13T17:00:00.000Z",
                             replaces=first["id"], previous_hash=second["content_hash"],
                             media=evidence(3))
    work.diligences["citatorio_v2"] = ana.push_diligence(correction)

    beto = ApiPhone.enroll(client, people["beto"])
    refused = copy.deepcopy(NOTIFICATION_FACTS)
    refused.update(started_at="2026-03-11T10:00:00-06:00", arrived_at="2026-03-11T09:55:00-06:00",
                   finished_at="2026-03-11T10:30:00-06:00", refused_to_receive=True,
                   refused_to_sign=True, copy_delivered=False,
                   entered_at={k: v.replace("03-10", "03-11")
                               for k, v in NOTIFICATION_FACTS["entered_at"].items()})
    work.diligences["refused"] = beto.push_diligence(make_record(
        assignment_of(documents["refused"]).id, kind="notification", facts=refused,
        captured_at="2026-03-11T17:00:00.000Z", media=evidence(4, signature=False),
        warning_reasons={"R-NOT-6": "Se negó a recibir: a estrados."}))

    carla = ApiPhone.enroll(client, people["carla"])
    demand = make_record(assignment_of(documents["demand"]).id, kind="payment_demand",
                         captured_at="2026-03-12T17:00:00.000Z", media=evidence(5))
    work.diligences["demand"] = carla.push_diligence(demand)
    other_demand = make_record(assignment_of(documents["rejected_demand"]).id, kind="payment_demand",
                               captured_at="2026-03-12T19:00:00.000Z",
                               previous_hash=demand["content_hash"], media=evidence(6))
    work.diligences["rejected_demand"] = carla.push_diligence(other_demand)
    decide(work.diligences["rejected_demand"], "rejected", actor=people["jefa"],
           reason="El acta no corresponde al domicilio.")
    db.session.commit()

    other_office = factory.office("1402", name="Subdelegación Norte")
    work.other_office = other_office
    work.other = {"notifier": factory.user(other_office, "notifier", "norte-n"),
                  "supervisor": factory.user(other_office, "supervisor", "norte-jefe")}
    other_document = _document(factory, other_office, None, work.other["notifier"])
    ApiPhone.enroll(client, work.other["notifier"]).push_diligence(make_record(
        assignment_of(other_document).id, kind="notification", captured_at="2026-03-10T18:00:00.000Z",
        media=evidence(7)))
    db.session.expire_all()
    assert_clean(work)
    return work


def assert_clean(work: Work) -> None:
    """The records the fixture pushes raise no block: their effects are applied."""
    for name, diligence in work.diligences.items():
        assert not diligence.has_block_findings, (name, diligence.findings)
