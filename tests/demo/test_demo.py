"""`fieldapp demo`: a realistic fictional office, seeded once, through the import."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from math import dist

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from fieldapp.assignments.models import Assignment
from fieldapp.audit.models import AuditEvent
from fieldapp.auth.models import User
from fieldapp.demo.commands import demo_command
from fieldapp.demo.data import COLONIA_RADIUS_DEGREES, DEMO_PASSWORD, SECTORS
from fieldapp.demo.emission import emission_rows
from fieldapp.demo.services import seed_demo
from fieldapp.extensions import db
from fieldapp.imports.rows import parse_row
from fieldapp.imports.services import IMPORT_ACTION
from fieldapp.legal.checks import CheckParams, check_diligence
from fieldapp.legal.services import calendar_for, field_pack_for, hours_enablements_of
from fieldapp.offices.models import Office, Sector
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Credit, CreditStatusChange, Debtor, Document
from fieldapp.reports.services import payment_deadline_report
from tests.scenarios import assignment_of

HOMES = {"notificador1": "/campo/", "notificador2": "/campo/", "ejecutor1": "/campo/",
         "jefe1": "/oficina/", "admin": "/admin/"}


@pytest.fixture
def demo(app):  # type: ignore[no-untyped-def]
    seeded = seed_demo()
    db.session.commit()
    assert seeded is not None
    return seeded


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) or 0
            for m in (Office, Sector, User, Debtor, Credit, Document, Assignment, CreditStatusChange)}


def test_the_demo_office_is_one_subdelegacion_in_guadalajara(demo):
    office = db.session.scalar(select(Office))
    assert (office.code, office.name, office.state, office.timezone) == (
        "1401", "Subdelegación Guadalajara Centro", "Jalisco", "America/Mexico_City")
    assert [s.code for s in office.sectors] == ["S01", "S02", "S03", "S04", "S05", "S06"]


def test_the_demo_has_at_least_200_credits_with_their_documents(demo):
    assert demo.credits >= 200 and counts()["Credit"] == demo.credits
    documents = db.session.scalars(select(Document).options(selectinload(Document.credits))).all()
    assert all(d.credits for d in documents)
    sizes = [len(d.credits) for d in documents if d.kind != "execution_order"]
    assert sizes.count(1) > 100 and any(n in (2, 3) for n in sizes)
    kinds = {d.kind for d in documents}
    assert {"liquidation_certificate", "fine", "execution_order"} <= kinds
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == IMPORT_ACTION)) == 2


def test_demo_identifiers_are_valid(demo):
    for debtor in db.session.scalars(select(Debtor).options(selectinload(Debtor.registrations))):
        assert stdnum_rfc.is_valid(debtor.rfc, validate_check_digits=True), debtor.rfc
        assert len(debtor.rfc) == (12 if debtor.person_type == "company" else 13)
        assert debtor.curp is None or stdnum_curp.is_valid(debtor.curp)
        assert all(len(r.number) == 11 for r in debtor.registrations)


def test_demo_addresses_lie_in_their_sectors_colonias(demo):
    colonias = {(s.code, c.name): c for s in SECTORS for c in s.colonias}
    for debtor in db.session.scalars(select(Debtor).options(selectinload(Debtor.addresses))):
        for address in debtor.addresses:
            colonia = colonias[(address.sector.code, address.neighborhood)]
            assert address.postal_code == colonia.postal_code and address.street in colonia.streets
            assert dist((address.latitude, address.longitude),
                        (colonia.latitude, colonia.longitude)) <= COLONIA_RADIUS_DEGREES * 1.5


def test_enforceable_credits_have_execution_orders_for_the_executor(demo):
    office = db.session.scalar(select(Office))
    today = office_today(office)
    orders = db.session.scalars(select(Document).where(Document.kind == "execution_order")).all()
    assert demo.execution_orders == len(orders) >= 5
    for order in orders:
        for credit in order.credits:
            # A requerimiento of the demo's field work (R-PAE-1, not paid) moves it on to "demanded".
            assert credit.status in ("enforceable", "demanded")
            assert credit.notified_on < credit.takes_effect_on < credit.payment_deadline
            assert credit.payment_deadline < order.issued_on <= today
            history = [h.to_status for h in credit.status_changes]
            assert history[:3] == ["to_notify", "notified", "enforceable"]
            assert history[3:] == ([] if credit.status == "enforceable" else ["demanded"])
            assert {d.kind for d in credit.documents} == {"liquidation_certificate", "execution_order"}
        live = assignment_of(order)
        assert live.user.username == "ejecutor1"


def test_assignments_are_spread_with_some_overdue(demo):
    office = db.session.scalar(select(Office))
    today = office_today(office)
    assignments = db.session.scalars(select(Assignment)).all()
    assert demo.assignments == len(assignments) >= 100
    per_user = {u: [a for a in assignments if a.user.username == u] for u in ("notificador1", "notificador2",
                                                                              "ejecutor1")}
    assert all(len(mine) >= 5 for mine in per_user.values())
    assert {a.document.kind for a in per_user["notificador1"] + per_user["notificador2"]} <= {
        "liquidation_certificate", "fine", "resolution"}
    assert any(a.due_on < today for a in assignments) and any(a.due_on >= today for a in assignments)
    unassigned = db.session.scalar(select(func.count(Document.id)).where(
        ~Document.id.in_(select(Assignment.document_id))))
    assert unassigned > 0  # left for jefe1 on the assignment board


def test_demo_users_carry_valid_credentials(demo):
    users = db.session.scalars(select(User).order_by(User.username)).all()
    assert {u.username: u.role for u in users} == {
        "admin": "admin", "ejecutor1": "executor", "jefe1": "supervisor",
        "notificador1": "notifier", "notificador2": "notifier"}
    today = office_today(users[0].office)
    assert all(u.credential_valid_on(today) and u.check_password(DEMO_PASSWORD) for u in users)


def test_seeding_twice_changes_nothing(demo):
    before = counts()
    assert seed_demo() is None
    db.session.commit()
    assert counts() == before


@pytest.mark.parametrize(("username", "home"), HOMES.items())
def test_each_demo_user_logs_in_and_lands_on_their_home(demo, client, username, home):
    response = client.post("/entrar", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == home
    page = client.get(home)
    assert page.status_code == 200


def test_the_demo_rows_are_deterministic_and_valid():
    first = emission_rows(random.Random(7), office_code="1401", count=60, today=date(2026, 6, 1))
    again = emission_rows(random.Random(7), office_code="1401", count=60, today=date(2026, 6, 1))
    assert first == again and len(first) == 60
    for line, row in enumerate(first, start=2):
        assert parse_row(line, row)[1] == []


def test_the_demo_command_migrates_seeds_and_can_run_again(app, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MEDIA_ROOT", app.config["MEDIA_ROOT"])  # the demo's photos, not instance/
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FIELDAPP_ENV", "production")  # the demo runs with demo settings anyway
    first = CliRunner().invoke(demo_command, ["--no-serve"])
    assert first.exit_code == 0, first.output
    assert "Se sembró la Subdelegación Guadalajara Centro (clave 1401" in first.output
    assert counts()["Credit"] >= 200
    again = CliRunner().invoke(demo_command, ["--no-serve"])
    assert again.exit_code == 0 and "ya tenía datos" in again.output


def test_some_cedulas_reach_their_payment_deadline_around_today(demo):
    """The deadlines pages have something to show: notified credits whose deadline (R-DL-1)
    passed a day or two ago, waiting for the sweep (R-DL-2), and others due in a few days."""
    office = db.session.scalar(select(Office))
    rows = payment_deadline_report(office, office_today(office), 5)
    assert any(r.business_days_left < 0 and r.gate_open for r in rows)
    assert any(0 <= r.business_days_left <= 5 for r in rows)
    assert all(r.credit.status == "notified" for r in rows)


def test_the_demo_office_holds_a_habilitacion_of_every_hour_of_its_days(demo):
    """R-CAL-3: a newcomer in another time zone can capture at any hour; the finding cites the
    folio instead of blocking (CFF 13)."""
    office = demo.office
    (enablement,) = hours_enablements_of(office)
    today = office_today(office)
    assert enablement.folio == "HAB-DEMO-1401"
    assert enablement.first_day <= today and enablement.last_day >= today + timedelta(days=120)
    assert (enablement.hours_from, enablement.hours_to) == (time(0, 0), time(23, 59))
    assert enablement.issued_on <= enablement.first_day
    cal = calendar_for(office)
    for hour in (0, 3, 22, 23):
        assert cal.enablement_at(cal.at(today, time(hour, 30))).folio == "HAB-DEMO-1401"
    pack = field_pack_for(office, today)
    assert [e["folio"] for e in pack["hour_enablements"]] == ["HAB-DEMO-1401"]
    night = cal.at(today, time(23, 10))
    facts = {"kind": "not_located", "started_at": night.isoformat(),
             "finished_at": (night + timedelta(minutes=5)).isoformat()}
    hours_findings = [f for f in check_diligence(facts, CheckParams(cal)) if f.rule_id == "R-CAL-3"]
    assert [(f.severity, "HAB-DEMO-1401" in f.message) for f in hours_findings] == [("note", True)]
