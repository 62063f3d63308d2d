"""Deadlines on credits: record_notification (R-NOT-11, R-DL-1 with R-CAL-5/6) and the only
way to enforceable, the gate of R-DL-2."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from fieldapp.assignments.services import AssignmentError, assign
from fieldapp.audit.models import AuditEvent
from fieldapp.credits.situations import SituationIn, record_situation, situations_of
from fieldapp.extensions import db
from fieldapp.legal.commands import institute_days_command, sweep_enforceable_command
from fieldapp.legal.costs import DEFAULT_COST_TABLE
from fieldapp.legal.services import (
    calendar_for,
    enforcement_refusals,
    make_enforceable,
    record_document_notification,
    record_notification,
    save_parameter_version,
    sweep_enforceable,
)
from fieldapp.portfolio.models import CreditStatusChange

AFTER_DEADLINE = date(2026, 4, 20)


def hold(credit, kind, subkind, starts_on=date(2026, 3, 16)):  # type: ignore[no-untyped-def]
    """A situation that closes the gate of R-DL-2, recorded by the office (fieldapp/credits)."""
    n = len(situations_of(credit)) + 1
    return record_situation(credit, SituationIn(kind, subkind, starts_on, f"R-{n}",
                                                f"Oficio {n * 7}/2026"),
                            actor=None, today=AFTER_DEADLINE)


@pytest.mark.parametrize(("notified_on", "takes_effect", "deadline"), [
    # R-DL-1 worked examples, with 2-3 Apr 2026 as institutional days of the office (R-CAL-2).
    (date(2026, 3, 9), date(2026, 3, 10), date(2026, 4, 1)),  # nothing changes for this one
    (date(2026, 3, 10), date(2026, 3, 11), date(2026, 4, 6)),  # 04-02 without the days
    (date(2026, 3, 11), date(2026, 3, 12), date(2026, 4, 7)),  # 04-06 without the days
])
def test_R_DL_1_worked_examples_through_record_notification(holy_week, factory, notified_on,
                                                             takes_effect, deadline):
    credit = factory.credit(holy_week["debtor"], status="to_notify")
    outcome = record_notification(credit, notified_on, actor=holy_week["notifier"], source="diligence")
    db.session.commit()
    assert outcome.applied
    assert (credit.notified_on, credit.takes_effect_on, credit.payment_deadline) == (
        notified_on, takes_effect, deadline)
    assert credit.status == "notified"
    [change] = credit.status_changes
    assert (change.from_status, change.to_status, change.source) == ("to_notify", "notified", "diligence")


def test_R_DL_1_worked_example_with_CFF_days_only_and_the_Friday_rule(world, factory):
    """R-CAL-6: notified Wed 2026-03-11 ends Fri 04-03 → Friday rule → Mon 2026-04-06."""
    credit = factory.credit(world["a"]["debtor"])
    record_notification(credit, date(2026, 3, 11), actor=None, source="test")
    assert credit.takes_effect_on == date(2026, 3, 12) and credit.payment_deadline == date(2026, 4, 6)
    plain = factory.credit(world["a"]["debtor"])
    record_notification(plain, date(2026, 3, 9), actor=None, source="test")
    assert plain.payment_deadline == date(2026, 4, 1)


def test_R_CAL_6_Friday_rule_switched_off_by_the_office(world, factory):
    a = world["a"]
    save_parameter_version(a["office"], valid_from=date(2026, 3, 1), today=date(2026, 3, 1),
                           friday_rule=False, follow_up_tolerance_minutes=15,
                           business_hours_start=time(7, 30), business_hours_end=time(18, 0),
                           cost_base="total", cost_table=DEFAULT_COST_TABLE,
                           note="Criterio del área jurídica", actor=a["admin"])
    credit = factory.credit(a["debtor"])
    record_notification(credit, date(2026, 3, 11), actor=None, source="test")
    assert credit.payment_deadline == date(2026, 4, 3)
    # Office B keeps the rule on.
    other = factory.credit(world["b"]["debtor"])
    record_notification(other, date(2026, 3, 11), actor=None, source="test")
    assert other.payment_deadline == date(2026, 4, 6)


def test_an_older_notification_arriving_late_never_replaces_a_later_one(world, factory):
    """Forward only: the later notification's dates stand (the later deadline never lets
    enforcement start early, R-DL-2); the late one is audited as ignored."""
    credit = factory.credit(world["a"]["debtor"])
    record_notification(credit, date(2026, 3, 11), actor=None, source="sync")
    late = record_notification(credit, date(2026, 3, 9), actor=None, source="sync")
    db.session.commit()
    assert not late.applied and late.reason == "older_than_recorded"
    assert (credit.notified_on, credit.payment_deadline) == (date(2026, 3, 11), date(2026, 4, 6))
    assert db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "credit_notification_ignored")).all() == ["credit_notification_ignored"]
    # The same notification sent twice is a harmless no-op.
    again = record_notification(credit, date(2026, 3, 11), actor=None, source="sync")
    assert not again.applied and again.reason == "same"
    # A later one does move the dates forward.
    later = record_notification(credit, date(2026, 3, 12), actor=None, source="sync")
    assert later.applied and credit.notified_on == date(2026, 3, 12)
    assert len(credit.status_changes) == 1


def test_a_notification_never_changes_an_enforceable_or_paid_credit(world, factory):
    for status in ("enforceable", "paid", "cancelled"):
        credit = factory.credit(world["a"]["debtor"], status=status)
        outcome = record_notification(credit, date(2026, 3, 11), actor=None, source="sync")
        assert not outcome.applied and credit.notified_on is None and credit.status == status


def test_every_credit_of_a_notified_document_gets_its_dates(world, factory):
    debtor = world["a"]["debtor"]
    document = factory.document(debtor, credits=[factory.credit(debtor), factory.credit(debtor)])
    outcomes = record_document_notification(document, date(2026, 3, 9), actor=None, source="test")
    assert len(outcomes) == 2 and all(o.applied for o in outcomes.values())
    assert {c.payment_deadline for c in document.credits} == {date(2026, 4, 1)}


# R-DL-2 ---------------------------------------------------------------------------------------


@pytest.fixture
def notified(world, factory):
    credit = factory.credit(world["a"]["debtor"])
    record_notification(credit, date(2026, 3, 9), actor=None, source="test")  # deadline 04-01
    db.session.commit()
    return credit


def test_R_DL_2_gate_opens_after_the_deadline_and_moves_the_credit(world, notified):
    jefe = world["a"]["supervisor"]
    assert make_enforceable(notified, date(2026, 4, 2), actor=jefe) == []
    db.session.commit()
    assert notified.status == "enforceable"
    change = db.session.scalars(select(CreditStatusChange).where(
        CreditStatusChange.to_status == "enforceable")).one()
    assert change.actor_id == jefe.id and "R-DL-2" in change.reason
    # Asking again is harmless.
    assert make_enforceable(notified, date(2026, 4, 3), actor=jefe) == []


def test_R_DL_2_refuses_on_the_deadline_day_itself(notified):
    refusals = make_enforceable(notified, date(2026, 4, 1), actor=None)
    assert refusals == ["El plazo de pago vence el 01/04/2026: aún no puede requerirse (CFF 144)."]
    assert notified.status == "notified"


def test_R_DL_2_refuses_a_credit_with_no_notification(world, factory):
    credit = factory.credit(world["a"]["debtor"])
    [reason] = make_enforceable(credit, AFTER_DEADLINE, actor=None)
    assert "notificación registrada" in reason and credit.status == "issued"


@pytest.mark.parametrize(("kind", "subkind", "expected"), [
    ("guarantee", "bond", "garantizado"),
    ("suspension", "appeal", "suspendido"),
    ("clarification", "filed", "aclaración"),
])
def test_R_DL_2_refuses_guaranteed_suspended_or_in_clarification(notified, kind, subkind, expected):
    hold(notified, kind, subkind)
    db.session.commit()
    reason, situation = make_enforceable(notified, AFTER_DEADLINE, actor=None)
    assert expected in reason
    assert "Oficio 7/2026 (ref. R-1" in situation
    assert notified.status == "notified"


def test_R_DL_2_refuses_paid_and_cancelled_credits(notified):
    notified.status = "paid"
    assert any("pagado" in r for r in make_enforceable(notified, AFTER_DEADLINE, actor=None))
    notified.status = "cancelled"
    assert make_enforceable(notified, AFTER_DEADLINE, actor=None) == ["El crédito está cancelado."]


def test_R_DL_2_gives_every_reason_at_once(notified):
    for kind, subkind in (("guarantee", "bond"), ("suspension", "court"), ("clarification", "filed")):
        hold(notified, kind, subkind)
    # The deadline, the three situations, and the source document of each.
    assert len(enforcement_refusals(notified, date(2026, 3, 20))) == 4 + 3


def test_R_DL_2_reads_the_calendar_afresh(holy_week, factory):
    """A day declared after the notification moves the gate too (R-CAL-2)."""
    credit = factory.credit(holy_week["debtor"])
    record_notification(credit, date(2026, 3, 10), actor=None, source="test")
    db.session.commit()
    assert credit.payment_deadline == date(2026, 4, 6)
    assert make_enforceable(credit, date(2026, 4, 6), actor=None) != []
    assert make_enforceable(credit, date(2026, 4, 7), actor=None) == []


def test_R_DL_2_sweep_makes_enforceable_only_what_passes(world, factory):
    a = world["a"]
    due = [factory.credit(a["debtor"]) for _ in range(2)]
    held = factory.credit(a["debtor"])
    not_yet = factory.credit(a["debtor"])
    other_office = factory.credit(world["b"]["debtor"])
    for c in (*due, held, other_office):
        record_notification(c, date(2026, 3, 9), actor=None, source="test")
    hold(held, "guarantee", "deposit")
    record_notification(not_yet, date(2026, 4, 1), actor=None, source="test")
    db.session.commit()
    result = sweep_enforceable(a["office"], AFTER_DEADLINE)
    db.session.commit()
    assert sorted(c.id for c in result.made_enforceable) == sorted(c.id for c in due)
    assert list(result.refused) == [held.id]
    assert [c.status for c in due] == ["enforceable", "enforceable"]
    assert (held.status, not_yet.status, other_office.status) == ("notified", "notified", "notified")
    changes = db.session.scalars(select(CreditStatusChange).where(
        CreditStatusChange.to_status == "enforceable")).all()
    assert sorted(c.credit_id for c in changes) == sorted(c.id for c in due)
    assert {c.source for c in changes} == {"enforcement_sweep"}


def test_R_DL_2_sweep_command(world, factory, runner):
    credit = factory.credit(world["a"]["debtor"])
    record_notification(credit, date(2026, 3, 9), actor=None, source="test")
    db.session.commit()
    result = runner.invoke(sweep_enforceable_command, args=["--office", world["a"]["office"].code,
                                 "--today", "2026-04-20"])
    assert result.exit_code == 0, result.output
    assert "1 made enforceable" in result.output
    db.session.expire_all()
    assert credit.status == "enforceable"
    bad = runner.invoke(sweep_enforceable_command, args=["--office", "nope"])
    assert bad.exit_code != 0


def test_institute_days_command(world, runner):
    result = runner.invoke(institute_days_command, args=["add", "2026-04-02", "Jueves Santo"])
    assert result.exit_code == 0, result.output
    assert not calendar_for(world["b"]["office"]).is_business_day(date(2026, 4, 2))
    listed = runner.invoke(institute_days_command, args=["list", "--year", "2026"])
    assert "2026-04-02  Jueves Santo" in listed.output
    removed = runner.invoke(institute_days_command, args=["remove", "2026-04-02", "--reason", "error"])
    assert removed.exit_code == 0, removed.output
    db.session.expire_all()
    assert calendar_for(world["b"]["office"]).is_business_day(date(2026, 4, 2))


# R-DL-2 at assignment -------------------------------------------------------------------------


def _order(factory, side, credit):
    return factory.document(side["debtor"], kind="execution_order", credits=[credit])


def test_R_DL_2_an_execution_order_of_a_credit_not_enforceable_cannot_be_assigned(world, factory,
                                                                                  notified):
    a = world["a"]
    order = _order(factory, a, notified)
    with pytest.raises(AssignmentError, match="R-DL-2") as exc:
        assign(order, a["executor"], date(2026, 12, 1), actor=a["supervisor"])
    assert notified.credit_number in str(exc.value)


def test_R_DL_2_an_execution_order_of_an_enforceable_credit_is_assigned(world, factory, notified):
    a = world["a"]
    make_enforceable(notified, AFTER_DEADLINE, actor=a["supervisor"])
    order = _order(factory, a, notified)
    assignment = assign(order, a["executor"], date(2026, 12, 1), actor=a["supervisor"])
    assert assignment.user_id == a["executor"].id


def test_R_DL_2_an_enforceable_credit_guaranteed_since_blocks_the_assignment(world, factory, notified):
    a = world["a"]
    make_enforceable(notified, AFTER_DEADLINE, actor=a["supervisor"])
    hold(notified, "guarantee", "bond")
    order = _order(factory, a, notified)
    with pytest.raises(AssignmentError, match="garantizado"):
        assign(order, a["executor"], date(2026, 12, 1), actor=a["supervisor"])


def test_R_DL_2_does_not_touch_the_assignment_of_a_cedula(world, factory):
    a = world["a"]
    cedula = factory.portfolio_item(a["office"])
    assert assign(cedula, a["notifier"], date(2026, 12, 1), actor=a["supervisor"]) is not None
