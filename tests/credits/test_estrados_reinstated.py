"""Estrados reinstated (issue 12 leftovers, item 3): a case closed because a later personal
notification won comes back when the office head rejects that notification (voided diligences
undo their effects), in the state it had reached; and the queue reminds the office head of the
retiros that are due (item 4)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.credits.estrados import (
    record_retirement,
    retirements_due,
)
from fieldapp.credits.models import CreditNotification, EstradosCase
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from tests.credits.conftest import credit_of, notification_on
from tests.credits.test_estrados import TODAY, _published


def _actions(case: EstradosCase) -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "estrados_cases", AuditEvent.object_id == str(case.id))
        .order_by(AuditEvent.id))]


def test_rejecting_the_personal_notification_reinstates_a_published_case(desk):
    credit = credit_of(desk)
    case = _published(desk)
    personal = desk.push(kind="notification", facts=notification_on("2026-03-17"))
    db.session.commit()
    assert (case.state, case.superseded_by_diligence_id) == ("superseded", personal.id)
    assert credit.notified_on == date(2026, 3, 17)

    decide(personal, "rejected", actor=desk.supervisor, reason="El acta no identifica a quien recibió.")
    db.session.commit()
    assert (case.state, case.reinstated_at is not None) == ("published", True)
    # The credit has no valid notification left: back to "por notificar" until the retiro.
    assert (credit.status, credit.notified_on) == ("to_notify", None)
    assert _actions(case)[-2:] == ["estrados_superseded", "estrados_reinstated"]
    # The case goes on as before: the retiro notifies on the R-NOT-12 date.
    record_retirement(case, date(2026, 3, 30), actor=desk.supervisor, today=TODAY)
    db.session.commit()
    assert (credit.status, credit.notified_on) == ("notified", date(2026, 3, 30))


def test_a_retired_case_comes_back_notified_with_new_ledger_rows(desk):
    credit = credit_of(desk)
    case = _published(desk)
    record_retirement(case, date(2026, 3, 30), actor=desk.supervisor, today=TODAY)
    db.session.commit()
    late = desk.push(kind="notification", facts=notification_on("2026-03-27"))
    db.session.commit()
    assert case.state == "superseded" and credit.notified_on == date(2026, 3, 27)

    decide(late, "rejected", actor=desk.supervisor, reason="Firma ilegible y sin identificación.")
    db.session.commit()
    assert case.state == "notified"
    rows = db.session.scalars(select(CreditNotification).where(
        CreditNotification.estrados_case_id == case.id).order_by(CreditNotification.id)).all()
    # Nothing deleted: the voided row stays void, a new row records the notification again.
    assert [(r.notified_on, r.voided_at is None) for r in rows] == [
        (date(2026, 3, 30), False), (date(2026, 3, 30), True)]
    assert (credit.status, credit.notified_on, credit.payment_deadline) == (
        "notified", date(2026, 3, 30), date(2026, 4, 21))


def test_another_personal_notification_still_standing_keeps_the_case_closed(desk):
    credit = credit_of(desk)
    case = _published(desk)
    first = desk.push(kind="notification", facts=notification_on("2026-03-17"))
    second = desk.push(kind="notification", facts=notification_on("2026-03-18"), sector="centro")
    db.session.commit()
    decide(first, "rejected", actor=desk.supervisor, reason="Acta incompleta.")
    db.session.commit()
    assert (case.state, case.superseded_by_diligence_id) == ("superseded", second.id)
    assert credit.notified_on == date(2026, 3, 18)


def test_approving_the_personal_notification_leaves_the_case_closed(desk):
    case = _published(desk)
    personal = desk.push(kind="notification", facts=notification_on("2026-03-17"))
    decide(personal, "approved", actor=desk.supervisor)
    db.session.commit()
    assert case.state == "superseded" and case.reinstated_at is None


def test_the_queue_lists_the_retiros_that_are_due(desk, head):
    case = _published(desk)
    # Published on 12 March: the 10th business day on estrados is 27 March.
    assert retirements_due(desk.office, date(2026, 3, 26)) == []
    [due] = retirements_due(desk.office, date(2026, 3, 27))
    assert (due.case, due.last_day) == (case, date(2026, 3, 27))
    page = head.get("/oficina/estrados/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="retirements-due"' in html and "Retiro pendiente" in html
    assert "27 de marzo de 2026" in html
    record_retirement(case, date(2026, 3, 30), actor=desk.supervisor, today=TODAY)
    db.session.commit()
    assert retirements_due(desk.office, TODAY) == []
