"""Seeding the demo office. The credits and documents go through the import service (the one
write path of the emisión); users and assignments through their own services; a few days of
field work through the sync write path and the review service (fieldapp.demo.fieldwork). Deterministic:
the same random seed gives the same office, relative to the day it is seeded."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from fieldapp.assignments.models import Assignment
from fieldapp.assignments.services import assign
from fieldapp.auth.models import User
from fieldapp.auth.services import create_user
from fieldapp.credits.estrados import diligence_day, issue_agreement, record_publication
from fieldapp.credits.models import AddressProposal, EstradosCase
from fieldapp.demo.data import (
    CREDENTIAL_ISSUER,
    DEMO_ENABLEMENT_DAYS_AFTER,
    DEMO_ENABLEMENT_DAYS_BEFORE,
    DEMO_ENABLEMENT_FOLIO,
    DEMO_ENABLEMENT_REASON,
    DEMO_ENABLEMENT_SIGNER,
    DEMO_PASSWORD,
    ENFORCEMENT_AUTHORITY,
    NOTIFIER_SECTORS,
    OFFICE_CODE,
    OFFICE_NAME,
    OFFICE_STATE,
    OFFICE_TIMEZONE,
    SECTORS,
    USERS,
)
from fieldapp.demo.emission import Row, emission_rows
from fieldapp.demo.fieldwork import seed_fieldwork
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.imports.services import import_credit_rows
from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.services import (
    business_days_left,
    calendar_for,
    notification_dates,
    record_hours_enablement,
    record_notification,
    sweep_enforceable,
)
from fieldapp.offices.models import Office, Sector
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Credit, Document

DEMO_SEED = 1401
DEMO_CREDIT_ROWS = 240
ENFORCEABLE_DOCUMENTS = 14
ASSIGNED_SHARE = 0.75  # the rest is left for jefe1 to assign on the board
OVERDUE_SHARE = 0.25


@dataclass(frozen=True)
class DemoSeed:
    office: Office
    credits: int
    documents: int
    execution_orders: int
    assignments: int
    diligences: int = 0
    photos: int = 0


def is_empty() -> bool:
    return db.session.scalar(select(func.count(Office.id))) == 0


def seed_demo(today: date | None = None) -> DemoSeed | None:
    """Seeds the fictional office, its people and their work. Does nothing and returns None
    when the database already holds an office (running the demo twice is harmless)."""
    if not is_empty():
        return None
    rng = random.Random(DEMO_SEED)
    office = Office(code=OFFICE_CODE, name=OFFICE_NAME, state=OFFICE_STATE, timezone=OFFICE_TIMEZONE)
    db.session.add(office)
    db.session.flush()
    sectors = {s.code: Sector(office_id=office.id, code=s.code, name=s.name) for s in SECTORS}
    db.session.add_all(sectors.values())
    db.session.flush()
    today = today or office_today(office)
    users = _create_users(office, sectors, today)
    _enable_every_hour(office, today, actor=users["jefe1"])

    emission = emission_rows(rng, office_code=office.code, count=DEMO_CREDIT_ROWS, today=today)
    import_credit_rows(list(enumerate(emission, start=2)), actor=users["admin"], only_office=office,
                       source="demo", filename="emision-demo.csv")
    orders = _enforce_some(rng, office, emission, today, actor=users["jefe1"])
    _notify_lately(rng, office, emission, today, actor=users["jefe1"])
    if orders:
        import_credit_rows(list(enumerate(orders, start=2)), actor=users["admin"], only_office=office,
                           source="demo", filename="mandamientos-demo.csv")
    _assign_work(rng, office, users, today)
    fieldwork = seed_fieldwork(rng, office, users, today)
    _estrados_under_way(office, today, actor=users["jefe1"])
    _localization_under_way(office, today, actor=users["jefe1"])
    return DemoSeed(
        office=office,
        credits=db.session.scalar(select(func.count(Credit.id)).where(Credit.office_id == office.id)) or 0,
        documents=db.session.scalar(
            select(func.count(Document.id)).where(Document.office_id == office.id)) or 0,
        execution_orders=len({r["document_folio"] for r in orders}),
        # Every assignment row, the localización and the ones it took back included.
        assignments=db.session.scalar(
            select(func.count(Assignment.id)).where(Assignment.office_id == office.id)) or 0,
        diligences=fieldwork.records,
        photos=fieldwork.photos,
    )


def _estrados_under_way(office: Office, today: date, *, actor: User) -> None:
    """The approved refusal and not-located records opened estrados cases (R-NOT-6, R-NOT-10):
    the oldest gets its acuerdo and is published, the others wait for theirs, so the office
    head's estrados screen shows cases in more than one state."""
    cases = list(db.session.scalars(select(EstradosCase).where(EstradosCase.office_id == office.id)
                                    .order_by(EstradosCase.opened_at, EstradosCase.id)))
    if not cases:
        return
    calendar = calendar_for(office, today)
    oldest = cases[0]
    failed_on = diligence_day(oldest)
    agreed_on = calendar.next_business_day(failed_on)
    published_on = calendar.next_business_day(agreed_on)
    if published_on >= today:
        return
    issue_agreement(oldest, f"AC-EST/001/{agreed_on.year}", agreed_on, actor=actor, today=today)
    record_publication(oldest, published_on, published_on, actor=actor, today=today)


def _localization_under_way(office: Office, today: date, *, actor: User) -> None:
    """A localización (R-NOT-10) of a debtor not located whose neighbours gave no new address:
    the office head sent the same notifier to find out where the debtor is now."""
    proposed = select(AddressProposal.document_id)
    diligence = db.session.scalar(
        select(Diligence).where(Diligence.office_id == office.id, Diligence.kind == "not_located",
                                Diligence.superseded_by_id.is_(None),
                                Diligence.document_id.not_in(proposed))
        .order_by(Diligence.captured_at, Diligence.id).limit(1))
    if diligence is None:
        return
    calendar = calendar_for(office, today)
    assign(diligence.document, diligence.user, calendar.add_business_days(today, 3), actor=actor,
           kind="localization")


def _enable_every_hour(office: Office, today: date, *, actor: User) -> None:
    """R-CAL-3: the demo's habilitación of every day and hour around today (CFF 13)."""
    first_day = today - timedelta(days=DEMO_ENABLEMENT_DAYS_BEFORE)
    record_hours_enablement(
        office, folio=DEMO_ENABLEMENT_FOLIO, signer=DEMO_ENABLEMENT_SIGNER, issued_on=first_day,
        first_day=first_day, last_day=today + timedelta(days=DEMO_ENABLEMENT_DAYS_AFTER),
        hours_from=time(0, 0), hours_to=time(23, 59), reason=DEMO_ENABLEMENT_REASON, actor=actor)


def _create_users(office: Office, sectors: dict[str, Sector], today: date) -> dict[str, User]:
    users = {}
    for demo_user in USERS:
        user = create_user(
            office=office, username=demo_user.username, full_name=demo_user.full_name,
            role=demo_user.role, password=DEMO_PASSWORD,
            credential_number=demo_user.credential_number,
            credential_issued_on=today - timedelta(days=120),
            credential_valid_until=today + timedelta(days=245),
            credential_issuer=CREDENTIAL_ISSUER,
        )
        if demo_user.sector_code:
            user.sector_id = sectors[demo_user.sector_code].id
        users[user.username] = user
    db.session.flush()
    return users


def _enforce_some(rng: random.Random, office: Office, emission: list[Row], today: date, *,
                  actor: User) -> list[Row]:
    """Some cédulas were notified weeks ago and not paid: the notification is recorded (which
    sets the payment deadline, R-DL-1), the enforcement gate makes the credits enforceable
    (R-DL-2), and each gets a mandamiento de ejecución. Returns the import rows of the
    mandamientos (the same credits, now covered by a second document)."""
    calendar = calendar_for(office)
    by_folio: dict[str, list[Row]] = defaultdict(list)
    for row in emission:
        by_folio[row["document_folio"]].append(row)
    candidates = [folio for folio, rows in by_folio.items()
                  if rows[0]["document_kind"] == "liquidation_certificate"
                  and date.fromisoformat(rows[0]["issued_on"]) <= today - timedelta(days=70)]
    chosen = sorted(rng.sample(candidates, k=min(ENFORCEABLE_DOCUMENTS, len(candidates))))
    credits = {c.credit_number: c for c in db.session.scalars(
        select(Credit).where(Credit.office_id == office.id))}
    for folio in chosen:
        issued_on = date.fromisoformat(by_folio[folio][0]["issued_on"])
        notified_on = calendar.add_business_days(issued_on, rng.randint(3, 10))
        for row in by_folio[folio]:
            record_notification(credits[row["credit_number"]], notified_on, actor=actor, source="demo")
    sweep_enforceable(office, today, actor=actor)

    orders: list[Row] = []
    for number, folio in enumerate(chosen, start=1):
        covered = [credits[r["credit_number"]] for r in by_folio[folio]]
        if any(c.status != "enforceable" or c.payment_deadline is None for c in covered):
            continue
        deadline = max(c.payment_deadline for c in covered if c.payment_deadline is not None)
        order_on = min(today, calendar.add_business_days(deadline, rng.randint(2, 6)))
        order_folio = f"ME-{office.code}-{order_on:%Y}-{number:05d}"
        orders.extend({**r, "document_kind": "execution_order", "document_folio": order_folio,
                       "issuing_authority": ENFORCEMENT_AUTHORITY, "document_date": order_on.isoformat()}
                      for r in by_folio[folio])
    return orders


RECENTLY_NOTIFIED = 6


def _notified_on_for(credit: Credit, calendar: BusinessCalendar, today: date, days_left: int) -> date:
    """The latest business day a notification of ``credit`` leaves at most ``days_left``
    business days to its payment deadline (negative: passed that many business days ago), by
    the same rules that will compute it (R-NOT-11, R-DL-1, the Friday rule, the office's
    calendar). Counting days back from today instead lands outside the window whenever the
    Friday rule or a non-business today shifts the deadline."""
    day = today
    for _ in range(60):
        day = _business_days_before(calendar, day, 1)
        _, deadline = notification_dates(credit, day)
        if business_days_left(calendar, today, deadline) <= days_left:
            return day
    raise AssertionError(f"no notification day leaves {days_left} business days")


def _business_days_before(calendar: BusinessCalendar, day: date, count: int) -> date:
    for _ in range(count):
        day -= timedelta(days=1)
        while not calendar.is_business_day(day):
            day -= timedelta(days=1)
    return day


def _notify_lately(rng: random.Random, office: Office, emission: list[Row], today: date, *,
                   actor: User) -> None:
    """A few cédulas notified about three weeks ago: half reach their payment deadline within
    the next business days, half passed it a day or two ago and wait for tonight's sweep
    (R-DL-1, R-DL-2) — what the office head watches on the deadlines pages."""
    calendar = calendar_for(office)
    by_folio: dict[str, list[Row]] = defaultdict(list)
    for row in emission:
        by_folio[row["document_folio"]].append(row)
    credits = {c.credit_number: c for c in db.session.scalars(
        select(Credit).where(Credit.office_id == office.id))}
    candidates = [folio for folio, rows in by_folio.items()
                  if rows[0]["document_kind"] == "liquidation_certificate"
                  and date.fromisoformat(rows[0]["issued_on"]) <= today - timedelta(days=45)
                  and all(credits[r["credit_number"]].status == "to_notify" for r in rows)]
    for n, folio in enumerate(sorted(rng.sample(candidates, k=min(RECENTLY_NOTIFIED, len(candidates))))):
        days_left = rng.randint(2, 4) if n % 2 == 0 else -rng.randint(1, 2)
        first = credits[by_folio[folio][0]["credit_number"]]
        notified_on = _notified_on_for(first, calendar, today, days_left)
        for row in by_folio[folio]:
            record_notification(credits[row["credit_number"]], notified_on, actor=actor, source="demo")


def _due_date(rng: random.Random, today: date) -> date:
    if rng.random() < OVERDUE_SHARE:
        return today - timedelta(days=rng.randint(1, 6))
    return today + timedelta(days=rng.randint(0, 12))


def _assign_work(rng: random.Random, office: Office, users: dict[str, User], today: date) -> int:
    """Cédulas, multas and resoluciones still to notify go to the notifier of their sector;
    mandamientos to the executor. Some are left unassigned, some are overdue."""
    notifier_of = {code: users[name] for name, codes in NOTIFIER_SECTORS.items() for code in codes}
    documents = db.session.scalars(
        select(Document).where(Document.office_id == office.id)
        .options(selectinload(Document.credits), joinedload(Document.address))
        .order_by(Document.folio)
    ).unique()
    count = 0
    for document in documents:
        if document.kind == "execution_order":
            user = users["ejecutor1"]
        elif all(c.status == "to_notify" for c in document.credits) and rng.random() < ASSIGNED_SHARE:
            sector = document.address.sector
            user = notifier_of[sector.code] if sector is not None else users["notificador1"]
        else:
            continue
        assign(document, user, _due_date(rng, today), actor=users["jefe1"])
        count += 1
    return count
