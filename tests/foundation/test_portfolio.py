"""Credit status moves forward only; money is exact; the audit log is append-only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.portfolio.models import Credit
from fieldapp.portfolio.services import UnknownStatus, advance_credit_status


@pytest.fixture
def credit(factory):
    office = factory.office()
    return factory.credit(factory.debtor(office))


def test_status_moves_forward_and_records_history(credit):
    assert advance_credit_status(credit, "to_notify", source="test")
    assert advance_credit_status(credit, "notified", source="test")
    db.session.commit()
    assert credit.status == "notified"
    assert [(c.from_status, c.to_status) for c in credit.status_changes] == [
        ("issued", "to_notify"), ("to_notify", "notified")]


@pytest.mark.parametrize("start,back", [("notified", "to_notify"), ("seized", "demanded"),
                                        ("enforceable", "notified"), ("demanded", "in_clarification")])
def test_status_never_moves_back(credit, start, back):
    credit.status = start
    db.session.commit()
    assert advance_credit_status(credit, back, source="late diligence") is False
    db.session.commit()
    assert db.session.get(Credit, credit.id).status == start


@pytest.mark.parametrize("final", ["paid", "cancelled"])
def test_paid_and_cancelled_are_final(credit, final):
    assert advance_credit_status(credit, final, source="test")
    for later in ("seized", "enforceable", "paid", "cancelled"):
        assert advance_credit_status(credit, later, source="test") is False
    assert credit.status == final


def test_clarification_and_challenge_are_alternatives(credit):
    advance_credit_status(credit, "notified", source="test")
    assert advance_credit_status(credit, "in_clarification", source="test")
    assert advance_credit_status(credit, "challenged", source="test") is False
    assert advance_credit_status(credit, "enforceable", source="test")


def test_unknown_status_is_an_error(credit):
    with pytest.raises(UnknownStatus):
        advance_credit_status(credit, "lost", source="test")


def test_money_is_exact_in_the_database(credit):
    credit.principal = Decimal("1234567.89")
    credit.surcharges = Decimal("0.01")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Credit, credit.id)
    assert stored.principal == Decimal("1234567.89")
    assert stored.total == Decimal("1234567.89") + Decimal("0.01") + stored.inflation_adjustment


def test_money_with_fractions_of_a_cent_is_refused(credit):
    credit.principal = Decimal("10.005")
    with pytest.raises(Exception, match="fractions of a cent"):
        db.session.commit()
    db.session.rollback()


def test_audit_log_is_append_only_in_the_database(credit):
    advance_credit_status(credit, "to_notify", source="test")
    db.session.commit()
    event_id = db.session.query(AuditEvent.id).first()[0]
    for statement in (f"UPDATE audit_events SET action = 'x' WHERE id = {event_id}",
                      f"DELETE FROM audit_events WHERE id = {event_id}"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.get(AuditEvent, event_id).action == "credit_status_changed"
