"""An office whose field staff push real records through the sync API, and its office head.

Records reach the database the way they do in production (``POST /api/sync/v1/push`` from an
enrolled phone, chained per device), so the review screens are tested on what the server
really stores: findings, flags, versions, media present or missing."""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector
from fieldapp.portfolio.services import advance_credit_status
from tests.factories import Factory
from tests.scenarios import ApiPhone, File, assignment_of, evidence_files, media_items, staff
from tests.sync.helpers import make_record, seal

_seeds = itertools.count(100)


@dataclass
class Worker:
    """A field user with an enrolled phone and one assignment per sector."""

    user: User
    phone: ApiPhone
    assignments: dict[str, Assignment]
    last_hash: str | None = None


@dataclass
class Office_:
    office: Office
    sectors: dict[str, Sector]
    supervisor: User
    admin: User
    workers: dict[str, Worker] = field(default_factory=dict)
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # record id -> what the phone sent

    def push(self, who: str = "notifier", *, sector: str = "centro", kind: str | None = None,
             captured_at: str = "2026-03-10T18:41:00.000Z", upload: bool = True,
             facts: dict[str, Any] | None = None, media: list[File] | None = None,
             without_gps: bool = False, **extra: Any) -> Diligence:
        """One record pushed from ``who``'s phone, chained after their previous one; its photo
        and signature uploaded unless ``upload`` is false (an incomplete record)."""
        worker = self.workers[who]
        kind = kind or ("payment_demand" if worker.user.role == "executor" else "citatorio")
        files = evidence_files(next(_seeds)) if media is None else media
        record = make_record(worker.assignments[sector].id, kind=kind,
                             facts=copy.deepcopy(facts) if facts is not None else None,
                             media=media_items(files), previous_hash=worker.last_hash,
                             captured_at=captured_at, **extra)
        if without_gps:  # no fix at all (indoors, GPS off)
            record = seal({**record, "gps": None})
        diligence = worker.phone.push_diligence(record, files, upload)
        worker.last_hash = record["content_hash"]
        self.sent[diligence.id] = record
        return diligence


def _build_office(factory: Factory, app: Flask, key: str) -> Office_:
    office = factory.office(name=f"Subdelegación {key.upper()}")
    sectors = {name: factory.sector(office, code=f"{key.upper()}-{i}", name=name.title())
               for i, name in enumerate(("centro", "norte"), 1)}
    world = Office_(office, sectors,
                    supervisor=factory.user(office, "supervisor", username=f"jefe-{key}",
                                            full_name=f"Jefa de oficina {key.upper()}"),
                    admin=factory.user(office, "admin", username=f"admin-{key}"))
    people = {"notifier": ("notifier", "Juan Pérez Gómez"), "notifier2": ("notifier", "Ana Ruiz Díaz"),
              "executor": ("executor", "Luis Soto Vega")}
    users = staff(factory, office, {who: (role, f"{who}-{key}", f"{name} {key.upper()}")
                                    for who, (role, name) in people.items()})
    for who, user in users.items():
        assignments = {}
        for sector_name, sector in sectors.items():
            document = factory.portfolio_item(office, user, sector=sector)
            if user.role == "executor":
                for credit in document.credits:
                    advance_credit_status(credit, "enforceable", source="test")
                db.session.commit()
            assignments[sector_name] = assignment_of(document)
        phone = ApiPhone.enroll(app.test_client(), user, f"Teléfono de {who}")
        world.workers[who] = Worker(user, phone, assignments)
    return world


@pytest.fixture
def desk(factory: Factory, app: Flask) -> Office_:
    """Office A: two sectors, two notifiers and an executor with phones, the office head."""
    return _build_office(factory, app, "a")


@pytest.fixture
def other_desk(factory: Factory, app: Flask, desk: Office_) -> Office_:
    """Office B, with the same shape."""
    return _build_office(factory, app, "b")


@pytest.fixture
def head(client: FlaskClient, auth, desk: Office_) -> FlaskClient:  # type: ignore[no-untyped-def]
    """The test client, logged in as office A's head."""
    response = auth.login("jefe-a")
    assert response.status_code == 302
    return client


HX = {"HX-Request": "true"}
