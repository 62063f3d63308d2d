"""Credit situations close and reopen the R-DL-2 gate; those that make field work pointless
withdraw it from the phone at its next pull, with the reason (issue 12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fieldapp.assignments.services import AssignmentError, assign
from fieldapp.credits.situations import SituationError, SituationIn, end_situation, record_situation
from fieldapp.extensions import db
from fieldapp.legal.services import enforcement_refusals, make_enforceable, sweep_enforceable
from fieldapp.offices.models import Office
from fieldapp.offices.services import office_today
from tests.credits.conftest import AFTER_DEADLINE, credit_of, notification_on


def _office_today(credit) -> date:  # type: ignore[no-untyped-def]
    """The office's own date: at 00:30 UTC it is still yesterday in Mexico."""
    return office_today(db.session.get(Office, credit.office_id))

SUSPENSIONS = [("guarantee", "bond", "garantizado"), ("guarantee", "deposit", "garantizado"),
               ("suspension", "appeal", "suspendido"), ("suspension", "court", "suspendido"),
               ("suspension", "insolvency", "suspendido"), ("suspension", "instalments", "suspendido"),
               ("clarification", "filed", "aclaración")]


@pytest.fixture
def notified(desk):  # type: ignore[no-untyped-def]
    desk.push(kind="notification", facts=notification_on("2026-03-10"))  # deadline 02/04/2026
    db.session.commit()
    return credit_of(desk)


@pytest.mark.parametrize(("kind", "subkind", "expected"), SUSPENSIONS)
def test_each_situation_closes_the_gate_and_its_end_reopens_it(desk, notified, kind, subkind,
                                                               expected):
    situation = record_situation(notified, SituationIn(kind, subkind, date(2026, 4, 1), "EXP-1/2026",
                                                       "Oficio 331/2026"),
                                 actor=desk.supervisor, today=AFTER_DEADLINE)
    db.session.commit()
    refusals = enforcement_refusals(notified, AFTER_DEADLINE)
    assert any(expected in r for r in refusals), refusals
    assert sweep_enforceable(desk.office, AFTER_DEADLINE).made_enforceable == []
    assert notified.status == "notified"
    end_situation(situation, date(2026, 4, 15), "Resolución 12/2026", actor=desk.supervisor,
                  today=AFTER_DEADLINE)
    db.session.commit()
    # Before its end it still held the gate; from the day it ended the gate is open again.
    assert enforcement_refusals(notified, date(2026, 4, 14)) != []
    assert enforcement_refusals(notified, date(2026, 4, 15)) == []
    assert make_enforceable(notified, AFTER_DEADLINE, actor=desk.supervisor) == []


def test_a_clarification_carries_its_answer_deadline(desk, notified):
    situation = record_situation(notified, SituationIn("clarification", "filed", date(2026, 3, 12),
                                                       "ACL-9", "Escrito de aclaración"),
                                 actor=desk.supervisor, today=AFTER_DEADLINE)
    assert situation.answer_due_on == date(2026, 4, 10)  # 20 business days (R-DL-3), 16/03 holiday


def test_a_partial_payment_does_not_close_the_gate_and_a_full_one_ends_the_credit(desk, notified):
    record_situation(notified, SituationIn("payment", "partial", date(2026, 4, 3), "REC-1",
                                           "Recibo bancario", amount=Decimal("1000.00")),
                     actor=desk.supervisor, today=AFTER_DEADLINE)
    assert enforcement_refusals(notified, AFTER_DEADLINE) == []
    with pytest.raises(SituationError, match="pago parcial"):
        record_situation(notified, SituationIn("payment", "full", date(2026, 4, 3), "REC-2",
                                               "Recibo", amount=Decimal("1000.00")),
                         actor=desk.supervisor, today=AFTER_DEADLINE)
    record_situation(notified, SituationIn("payment", "full", date(2026, 4, 3), "REC-2", "Recibo",
                                           amount=notified.total), actor=desk.supervisor,
                     today=AFTER_DEADLINE)
    assert notified.status == "paid"
    assert notified.status_changes[-1].source == "credit_situation"


def test_bad_situations_are_refused_with_every_problem(desk, notified):
    with pytest.raises(SituationError) as exc:
        record_situation(notified, SituationIn("suspension", "nope", date(2026, 5, 1), " ", ""),
                         actor=None, today=AFTER_DEADLINE)
    message = str(exc.value)
    for part in ("Subtipo no válido", "Falta la referencia", "Falta el documento",
                 "posterior a hoy"):
        assert part in message


def test_a_paid_credits_open_assignment_leaves_the_phone_with_its_reason(desk):
    worker = desk.workers["notifier"]
    credit = credit_of(desk)
    assignment = worker.assignments["centro"]
    cursor = worker.phone.pull()["cursor"]
    record_situation(credit, SituationIn("payment", "full", _office_today(credit), "PAGO-55",
                                         "Línea de captura pagada", amount=credit.total),
                     actor=desk.supervisor)
    db.session.commit()
    pulled = worker.phone.pull(cursor)
    [item] = [a for a in pulled["assignments"] if a["id"] == assignment.id]
    assert item["status"] == "withdrawn"
    assert item["withdrawal_reason"] == (f"Retirada: crédito {credit.credit_number} (pagado). "
                                         "Ya no requiere diligencia.")
    assert assignment.id not in [a["id"] for a in worker.phone.pull()["assignments"]]
    # A visit captured on the phone before it pulled is still received and kept (desk.push
    # asserts "accepted"); the withdrawal changes nothing of it.
    kept = desk.push(kind="citatorio")
    assert kept.assignment_id == assignment.id and kept.assignment.status == "withdrawn"


def test_a_suspended_credit_withdraws_its_requerimiento_and_refuses_a_new_one(desk, notified,
                                                                               order_for):
    make_enforceable(notified, AFTER_DEADLINE, actor=desk.supervisor)
    db.session.commit()
    order = order_for()
    record_situation(notified, SituationIn("suspension", "court", date(2026, 4, 1), "AMP-77/2026",
                                           "Suspensión del juzgado 3.º de distrito"),
                     actor=desk.supervisor)
    db.session.commit()
    assert order.status == "withdrawn"
    assert "suspensión otorgada por autoridad judicial desde el 01/04/2026" in order.withdrawal_reason
    assert "R-DL-2" in order.withdrawal_reason
    with pytest.raises(AssignmentError, match="suspendido"):
        assign(order.document, desk.workers["executor"].user, date(2026, 12, 1),
               actor=desk.supervisor)
