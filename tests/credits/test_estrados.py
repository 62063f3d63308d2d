"""Notification by estrados (issue 12, item 2): an approved refusal (R-NOT-6) or not-located
record (R-NOT-10) opens a case; the acuerdo, the publication and the retiro lead to the R-NOT-12
notification date, which gives the credit its dates like a personal notification."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fieldapp.audit.models import AuditEvent
from fieldapp.credits.estrados import (
    EstradosError,
    issue_agreement,
    queue,
    queue_counts,
    record_publication,
    record_retirement,
)
from fieldapp.credits.models import CreditNotification, EstradosCase
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from fieldapp.legal.services import add_non_business_days
from fieldapp.offices.services import office_today
from tests.credits.conftest import credit_of, notification_on
from tests.sync.helpers import NOTIFICATION_FACTS

TODAY = date(2026, 4, 20)


def refused_on(day: str) -> dict[str, Any]:
    return notification_on(day, refused_to_receive=True, refused_to_sign=True)


def not_located_facts() -> dict[str, Any]:
    facts = {k: v for k, v in copy.deepcopy(NOTIFICATION_FACTS).items()
             if k not in ("attendee", "copy_delivered")}
    facts["kind"] = "not_located"
    facts["not_located"] = {"reason": "moved", "premises_state": "Local vacío con letrero de renta",
                            "statements": [{"name": "Rosa Díaz (vecina del 102)",
                                            "text": "Se mudaron hace seis meses a Zapopan"}]}
    facts["entered_at"] = {"not_located.premises_state": "2026-03-10T10:05:00-06:00"}
    return facts


def cases_of(desk) -> list[EstradosCase]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(select(EstradosCase).where(
        EstradosCase.office_id == desk.office.id).order_by(EstradosCase.id)))


def approved(desk, **push: Any) -> Diligence:  # type: ignore[no-untyped-def]
    diligence = desk.push(**push)
    decide(diligence, "approved", actor=desk.supervisor)
    db.session.commit()
    return diligence


@pytest.mark.parametrize(("kind", "facts", "reason"), [
    ("notification", refused_on("2026-03-10"), "refused"),
    ("not_located", not_located_facts(), "not_located"),
])
def test_an_approved_failed_notification_goes_to_estrados_once(desk, kind, facts, reason):
    diligence = desk.push(kind=kind, facts=facts)
    assert not diligence.has_block_findings
    assert cases_of(desk) == []  # not before the office head approves it
    decide(diligence, "approved", actor=desk.supervisor)
    db.session.commit()
    [case] = cases_of(desk)
    assert (case.state, case.reason, case.diligence_id, case.document_id) == (
        "queued", reason, diligence.id, diligence.document_id)
    assert credit_of(desk).status != "notified"
    # Idempotent: a comment, and a second failed record on the same document, open nothing.
    decide(diligence, "comment", actor=desk.supervisor, observations="Visto.")
    approved(desk, kind="notification", facts=refused_on("2026-03-11"))
    assert cases_of(desk) == [case]
    opened = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "estrados_case_opened")).all()
    assert [e.object_id for e in opened] == [str(case.id)]


def test_a_rejected_refusal_opens_no_case(desk):
    diligence = desk.push(kind="notification", facts=refused_on("2026-03-10"))
    decide(diligence, "rejected", actor=desk.supervisor, reason="El acta no dice quién se negó.")
    db.session.commit()
    assert cases_of(desk) == []


def test_a_temporary_absence_opens_no_case_even_if_approved(desk):
    facts = not_located_facts()
    facts["not_located"]["reason"] = "temporary_absence"
    approved(desk, kind="not_located", facts=facts)
    assert cases_of(desk) == []


def test_a_personal_notification_opens_no_case(desk):
    approved(desk, kind="notification", facts=notification_on("2026-03-10"))
    assert cases_of(desk) == []


def test_estrados_gives_the_credit_its_dates_by_r_not_12(desk):
    credit = credit_of(desk)
    approved(desk, kind="notification", facts=refused_on("2026-03-10"))
    [case] = cases_of(desk)
    # An institutional non-business day inside the 10 days on estrados (R-CAL-2).
    add_non_business_days(desk.office, date(2026, 3, 19), None, "Día del personal", actor=None)
    issue_agreement(case, "ac-est/001/2026", date(2026, 3, 11), actor=desk.supervisor, today=TODAY)
    assert (case.state, case.agreement_number) == ("agreed", "AC-EST/001/2026")
    notified_on = record_publication(case, date(2026, 3, 12), date(2026, 3, 12),
                                     actor=desk.supervisor, today=TODAY)
    # From Fri 13 March: 16 March (CFF 74) and 19 March (institutional) do not count; the
    # 11th business day is Tue 31 March.
    assert notified_on == case.notification_on == date(2026, 3, 31)
    assert case.state == "published" and credit.notified_on is None
    with pytest.raises(EstradosError, match="10 días en estrados"):
        record_retirement(case, date(2026, 3, 27), actor=desk.supervisor, today=TODAY)
    record_retirement(case, date(2026, 3, 30), actor=desk.supervisor, today=TODAY)
    db.session.commit()
    assert case.state == "notified"
    # R-NOT-11 and R-DL-1, as a personal notification on 31 March.
    assert (credit.status, credit.notified_on, credit.takes_effect_on, credit.payment_deadline) == (
        "notified", date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 22))
    [row] = db.session.scalars(select(CreditNotification).where(
        CreditNotification.credit_id == credit.id)).all()
    assert (row.source, row.estrados_case_id, row.source_label) == (
        "estrados", case.id, "Notificación por estrados")
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "estrados_cases", AuditEvent.object_id == str(case.id))
        .order_by(AuditEvent.id))]
    assert actions == ["estrados_case_opened", "estrados_agreement_issued", "estrados_published",
                       "estrados_retired"]


def _published(desk) -> EstradosCase:  # type: ignore[no-untyped-def]
    approved(desk, kind="notification", facts=refused_on("2026-03-10"))
    [case] = cases_of(desk)
    issue_agreement(case, "AC-1", date(2026, 3, 11), actor=desk.supervisor, today=TODAY)
    record_publication(case, date(2026, 3, 12), date(2026, 3, 12), actor=desk.supervisor,
                       today=TODAY)
    db.session.commit()
    return case


def test_a_personal_notification_before_the_estrados_date_wins(desk):
    credit = credit_of(desk)
    case = _published(desk)
    assert case.notification_on == date(2026, 3, 30)
    desk.push(kind="notification", facts=notification_on("2026-03-17"))
    db.session.commit()
    assert (case.state, case.closed_at is not None) == ("superseded", True)
    assert "17 de marzo de 2026" in case.close_reason
    assert (credit.notified_on, credit.payment_deadline) == (date(2026, 3, 17), date(2026, 4, 8))
    with pytest.raises(EstradosError):
        record_retirement(case, date(2026, 3, 30), actor=desk.supervisor, today=TODAY)
    assert db.session.scalars(select(CreditNotification).where(
        CreditNotification.estrados_case_id == case.id)).all() == []


def test_a_personal_notification_voids_an_estrados_notification_already_recorded(desk):
    credit = credit_of(desk)
    case = _published(desk)
    record_retirement(case, date(2026, 3, 30), actor=desk.supervisor, today=TODAY)
    db.session.commit()
    assert credit.notified_on == date(2026, 3, 30)
    # A phone that synced late: the personal notification was made on 27 March.
    desk.push(kind="notification", facts=notification_on("2026-03-27"))
    db.session.commit()
    assert case.state == "superseded"
    [row] = db.session.scalars(select(CreditNotification).where(
        CreditNotification.estrados_case_id == case.id)).all()
    assert row.voided_at is not None
    assert (credit.status, credit.notified_on, credit.takes_effect_on) == (
        "notified", date(2026, 3, 27), date(2026, 3, 30))


def test_a_personal_notification_after_the_estrados_date_leaves_the_case(desk):
    case = _published(desk)
    record_retirement(case, date(2026, 3, 30), actor=desk.supervisor, today=TODAY)
    desk.push(kind="notification", facts=notification_on("2026-03-31"))
    db.session.commit()
    assert case.state == "notified"


@pytest.mark.parametrize(("number", "agreed_on", "message"), [
    ("", date(2026, 3, 11), "Escriba el número"),
    ("AC-1", date(2026, 3, 9), "anterior a la diligencia"),
    ("AC-1", date(2026, 4, 21), "posterior a hoy"),
    ("TAKEN", date(2026, 3, 11), "Ya existe un acuerdo con el número TAKEN"),
])
def test_a_bad_agreement_is_refused_and_nothing_changes(desk, other_desk, number, agreed_on,
                                                        message):
    approved(desk, kind="notification", facts=refused_on("2026-03-10"))
    approved(desk, kind="not_located", sector="norte", facts=not_located_facts())
    first, second = cases_of(desk)
    issue_agreement(second, "TAKEN", date(2026, 3, 11), actor=desk.supervisor, today=TODAY)
    # Numbers are unique per office: another office may use the same one.
    approved(other_desk, kind="notification", facts=refused_on("2026-03-10"))
    [theirs] = cases_of(other_desk)
    issue_agreement(theirs, "AC-1", date(2026, 3, 11), actor=other_desk.supervisor, today=TODAY)
    db.session.commit()
    with pytest.raises(EstradosError, match=message):
        issue_agreement(first, number, agreed_on, actor=desk.supervisor, today=TODAY)
    db.session.rollback()
    assert (first.state, first.agreement_number, first.agreement_on) == ("queued", None, None)


@pytest.mark.parametrize(("posted_on", "published_on", "message"), [
    (date(2026, 3, 10), date(2026, 3, 12), "fijación .* anterior al acuerdo"),
    (date(2026, 3, 12), date(2026, 3, 16), "publicación electrónica .* día inhábil"),
    (date(2026, 3, 14), date(2026, 3, 12), "fijación .* día inhábil"),
    (date(2026, 3, 12), date(2026, 4, 21), "posterior a hoy"),
])
def test_bad_publication_dates_are_refused_and_nothing_changes(desk, posted_on, published_on,
                                                               message):
    approved(desk, kind="notification", facts=refused_on("2026-03-10"))
    [case] = cases_of(desk)
    issue_agreement(case, "AC-1", date(2026, 3, 11), actor=desk.supervisor, today=TODAY)
    db.session.commit()
    with pytest.raises(EstradosError, match=message):
        record_publication(case, posted_on, published_on, actor=desk.supervisor, today=TODAY)
    db.session.rollback()
    assert (case.state, case.posted_on, case.published_on, case.notification_on) == (
        "agreed", None, None, None)


def test_the_queue_shows_only_the_offices_cases_by_state(desk, other_desk):
    approved(desk, kind="notification", facts=refused_on("2026-03-10"))
    approved(other_desk, kind="notification", facts=refused_on("2026-03-10"))
    [mine] = cases_of(desk)
    assert queue_counts(desk.office) == {"por-acordar": 1, "por-publicar": 0, "publicado": 0,
                                         "notificado": 0, "cerrado": 0}
    opened_on = office_today(desk.office)
    [row] = queue(desk.office, "por-acordar", opened_on + timedelta(days=3))
    assert (row.case, row.days_pending) == (mine, 3)
    assert queue(desk.office, "por-publicar", opened_on) == []


def test_the_database_keeps_an_acuerdo_number_unique_within_its_office(desk):
    approved(desk, kind="notification", facts=refused_on("2026-03-10"))
    approved(desk, kind="not_located", sector="norte", facts=not_located_facts())
    first, second = cases_of(desk)
    first.agreement_number = second.agreement_number = "AC-9"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_corrected_refusal_opens_one_case_for_the_version_approved(desk):
    first = desk.push(kind="notification", facts=refused_on("2026-03-10"))
    decide(first, "returned", actor=desk.supervisor, observations="Anote la hora de la negativa.")
    db.session.commit()
    assert cases_of(desk) == []  # a returned record sends nothing either
    correction = desk.push(kind="notification", facts=refused_on("2026-03-10"), replaces=first.id)
    decide(correction, "approved", actor=desk.supervisor)
    db.session.commit()
    [case] = cases_of(desk)
    assert case.diligence_id == correction.id
