"""R-CAL-2: institutional non-business days live in the database, per office or for every
office, and every change applies to the next computation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.deadlines import payment_deadline
from fieldapp.legal.models import NonBusinessDay
from fieldapp.legal.services import (
    LegalConfigError,
    add_non_business_days,
    calendar_for,
    record_notification,
    remove_non_business_day,
)
from tests.legal_db.conftest import HOLY_FRIDAY, HOLY_THURSDAY


def _actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_R_CAL_2_an_added_day_applies_to_the_next_computation(world):
    a = world["a"]
    assert calendar_for(a["office"]).is_business_day(HOLY_THURSDAY)
    add_non_business_days(a["office"], HOLY_THURSDAY, None, "Jueves Santo", actor=a["admin"])
    db.session.commit()
    cal = calendar_for(a["office"])
    assert not cal.is_business_day(HOLY_THURSDAY)
    assert cal.next_business_day(date(2026, 4, 1)) == HOLY_FRIDAY
    assert "Jueves Santo" in cal.non_business_reason(HOLY_THURSDAY)


def test_R_CAL_2_a_removed_day_is_business_again_and_kept_as_history(world):
    a = world["a"]
    [row] = add_non_business_days(a["office"], HOLY_THURSDAY, None, "Jueves Santo", actor=a["admin"])
    db.session.commit()
    remove_non_business_day(row, actor=a["admin"], reason="Capturado por error")
    db.session.commit()
    assert calendar_for(a["office"]).is_business_day(HOLY_THURSDAY)
    kept = db.session.get(NonBusinessDay, row.id)
    assert kept.removed_by_id == a["admin"].id and kept.removed_at is not None
    assert kept.removal_reason == "Capturado por error"
    assert _actions()[-2:] == ["non_business_day_added", "non_business_day_removed"]
    # The same day may be declared again later: a new row, the old one stays.
    add_non_business_days(a["office"], HOLY_THURSDAY, None, "Jueves Santo", actor=a["admin"])
    db.session.commit()
    assert db.session.query(NonBusinessDay).filter_by(day=HOLY_THURSDAY).count() == 2
    assert not calendar_for(a["office"]).is_business_day(HOLY_THURSDAY)


def test_R_CAL_2_removing_twice_is_refused(world):
    a = world["a"]
    [row] = add_non_business_days(a["office"], HOLY_THURSDAY, None, "Jueves Santo", actor=a["admin"])
    remove_non_business_day(row, actor=a["admin"], reason="error")
    with pytest.raises(LegalConfigError):
        remove_non_business_day(row, actor=a["admin"], reason="otra vez")


def test_R_CAL_2_a_period_adds_its_weekdays_only(world):
    a = world["a"]
    rows = add_non_business_days(a["office"], date(2025, 12, 18), date(2026, 1, 2),
                                 "Periodo vacacional de invierno", actor=a["admin"])
    days = [r.day for r in rows]
    assert all(d.weekday() < 5 for d in days)
    assert date(2025, 12, 20) not in days  # Saturday
    assert days[0] == date(2025, 12, 18) and days[-1] == date(2026, 1, 2)
    assert len(days) == 12
    # Declaring an overlapping period adds only what is missing.
    more = add_non_business_days(a["office"], date(2026, 1, 2), date(2026, 1, 5), "Ampliación",
                                 actor=a["admin"])
    assert [r.day for r in more] == [date(2026, 1, 5)]


def test_R_CAL_2_weekends_and_duplicates_are_refused(world):
    a = world["a"]
    with pytest.raises(LegalConfigError, match="sábado o domingo"):
        add_non_business_days(a["office"], date(2026, 4, 4), None, "Sábado", actor=a["admin"])
    add_non_business_days(a["office"], HOLY_THURSDAY, None, "Jueves Santo", actor=a["admin"])
    with pytest.raises(LegalConfigError, match="ya son inhábiles"):
        add_non_business_days(a["office"], HOLY_THURSDAY, None, "Otra vez", actor=a["admin"])
    with pytest.raises(LegalConfigError, match="motivo"):
        add_non_business_days(a["office"], HOLY_FRIDAY, None, "  ", actor=a["admin"])


def test_R_CAL_2_the_database_keeps_one_live_row_per_day_and_office(world):
    a = world["a"]
    add_non_business_days(a["office"], HOLY_THURSDAY, None, "Jueves Santo", actor=a["admin"])
    db.session.commit()
    db.session.add(NonBusinessDay(office_id=a["office"].id, day=HOLY_THURSDAY, description="dup"))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()
    db.session.rollback()


def test_R_CAL_2_office_B_days_do_not_affect_office_A(world):
    a, b = world["a"], world["b"]
    add_non_business_days(b["office"], HOLY_THURSDAY, HOLY_FRIDAY, "Semana Santa", actor=b["admin"])
    db.session.commit()
    assert calendar_for(a["office"]).is_business_day(HOLY_THURSDAY)
    assert not calendar_for(b["office"]).is_business_day(HOLY_THURSDAY)


def test_R_CAL_2_institute_wide_days_apply_to_every_office(world):
    add_non_business_days(None, HOLY_THURSDAY, None, "Jueves Santo (Instituto)", actor=None)
    db.session.commit()
    for side in ("a", "b"):
        assert not calendar_for(world[side]["office"]).is_business_day(HOLY_THURSDAY)
    # An office cannot declare again what the institute already declared.
    with pytest.raises(LegalConfigError):
        add_non_business_days(world["a"]["office"], HOLY_THURSDAY, None, "dup", actor=world["a"]["admin"])


def test_R_CAL_2_a_change_recomputes_stored_deadlines_of_credits_awaiting_the_gate(world, factory):
    """R-DL-1 with R-CAL-2: a day declared after the notification was recorded still moves
    the payment deadline, and the recomputation is audited."""
    a = world["a"]
    credit = factory.credit(a["debtor"])
    other_office_credit = factory.credit(world["b"]["debtor"])
    record_notification(credit, date(2026, 3, 10), actor=None, source="test")
    record_notification(other_office_credit, date(2026, 3, 10), actor=None, source="test")
    db.session.commit()
    assert credit.payment_deadline == date(2026, 4, 2)

    [thursday, friday] = add_non_business_days(a["office"], HOLY_THURSDAY, HOLY_FRIDAY,
                                               "Semana Santa", actor=a["admin"])
    db.session.commit()
    assert credit.payment_deadline == date(2026, 4, 6)
    assert other_office_credit.payment_deadline == date(2026, 4, 2)
    assert "credit_deadline_recomputed" in _actions()

    remove_non_business_day(thursday, actor=a["admin"], reason="Sólo el viernes")
    db.session.commit()
    assert credit.payment_deadline == payment_deadline(date(2026, 3, 10),
                                                       BusinessCalendar([HOLY_FRIDAY])) == date(2026, 4, 2)


def test_R_CAL_2_an_enforceable_credit_keeps_its_dates(world, factory):
    a = world["a"]
    credit = factory.credit(a["debtor"])
    record_notification(credit, date(2026, 3, 10), actor=None, source="test")
    credit.status = "enforceable"
    db.session.commit()
    add_non_business_days(a["office"], HOLY_THURSDAY, None, "Jueves Santo", actor=a["admin"])
    db.session.commit()
    assert credit.payment_deadline == date(2026, 4, 2)
