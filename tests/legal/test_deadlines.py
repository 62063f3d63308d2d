"""Terms: effect of a notification, payment term, clarification, estrados, prescription, gate."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.checks import CheckParams, check_diligence
from fieldapp.legal.deadlines import (
    clarification_answer_deadline,
    clarification_deadline,
    enforcement_gate,
    estrados_notification_date,
    last_day,
    payment_deadline,
    prescription_date,
    propose_citatorio_appointment,
    real_estate_proof_deadline,
    takes_effect_on,
)
from tests.legal.vectors import FACT_CASES

CAL = BusinessCalendar()
INSTITUTIONAL = BusinessCalendar([date(2026, 4, 2), date(2026, 4, 3)])


def test_R_NOT_11_takes_effect_the_next_business_day() -> None:
    """R-NOT-11: next business day after the notification (Fri 13/03 → Tue 17/03, 16 holiday)."""
    assert takes_effect_on(date(2026, 3, 9), CAL) == date(2026, 3, 10)
    assert takes_effect_on(date(2026, 3, 13), CAL) == date(2026, 3, 17)
    assert takes_effect_on(date(2026, 4, 1), INSTITUTIONAL) == date(2026, 4, 6)


def test_R_DL_1_worked_example_of_legal_rules() -> None:
    """R-DL-1: notified Mon 2026-03-09 → effect Tue 03-10 → day 15 Wed 2026-04-01, with or
    without the 2–3 Apr institutional days."""
    assert payment_deadline(date(2026, 3, 9), CAL) == date(2026, 4, 1)
    assert payment_deadline(date(2026, 3, 9), INSTITUTIONAL) == date(2026, 4, 1)


def test_R_CAL_6_friday_rule_moves_the_payment_deadline() -> None:
    """R-CAL-6 / R-DL-1: notified Wed 2026-03-11 → day 15 Fri 04-03 → Friday rule → Mon 04-06.
    With 2–3 Apr institutional, those days are not counted: day 15 is Tue 04-07."""
    assert payment_deadline(date(2026, 3, 11), CAL) == date(2026, 4, 6)
    assert payment_deadline(date(2026, 3, 11), CAL, friday_rule=False) == date(2026, 4, 3)
    assert payment_deadline(date(2026, 3, 11), INSTITUTIONAL) == date(2026, 4, 7)


def test_R_CAL_6_last_day_moves_past_non_business_days_and_fridays() -> None:
    """R-CAL-6: a non-business last day moves to the next business day; with the Friday rule
    a Friday does too (Fri 13/03/2026 → Tue 17/03, Monday 16 being a holiday)."""
    assert last_day(date(2026, 3, 14), CAL) == date(2026, 3, 17)
    assert last_day(date(2026, 3, 13), CAL) == date(2026, 3, 13)
    assert last_day(date(2026, 3, 13), CAL, friday_rule=True) == date(2026, 3, 17)
    assert last_day(date(2026, 3, 12), CAL, friday_rule=True) == date(2026, 3, 12)


def test_R_CAL_5_payment_term_is_fifteen_business_days_after_effect() -> None:
    """R-CAL-5: for every notification day of 2026 the deadline lies 15 business days after
    the effect (then moved only by R-CAL-6)."""
    d = date(2026, 1, 1)
    while d.year == 2026:
        effect = takes_effect_on(d, CAL)
        deadline = payment_deadline(d, CAL, friday_rule=False)
        counted = [effect + timedelta(days=i) for i in range(1, (deadline - effect).days + 1)]
        assert sum(CAL.is_business_day(x) for x in counted) == 15
        assert CAL.is_business_day(deadline)
        with_rule = payment_deadline(d, CAL)
        assert with_rule.weekday() != 4 and with_rule >= deadline
        d += timedelta(days=1)


def test_R_DL_2_enforcement_gate_lists_every_reason() -> None:
    """R-DL-2: deadline passed, unpaid, not guaranteed, not suspended, no open clarification."""
    ready: dict[str, Any] = {"notified_on": date(2026, 3, 9), "today": date(2026, 4, 2), "cal": CAL,
             "paid": False, "guaranteed": False, "suspended": False,
             "open_clarification": False}
    assert enforcement_gate(**ready) == []
    early = enforcement_gate(**{**ready, "today": date(2026, 4, 1)})
    assert [(f.rule_id, f.severity, f.field) for f in early] == [
        ("R-DL-2", "block", "notified_on")]
    assert "01/04/2026" in early[0].message
    everything = enforcement_gate(**{**ready, "paid": True, "guaranteed": True,
                                     "suspended": True, "open_clarification": True})
    assert [f.field for f in everything] == ["paid", "guaranteed", "suspended",
                                             "open_clarification"]
    assert all(f.rule_id == "R-DL-2" and f.severity == "block" for f in everything)


def test_R_DL_3_clarification_window_and_answer() -> None:
    """R-DL-3: 5 business days after the effect; the institute answers within 20."""
    assert clarification_deadline(date(2026, 3, 9), CAL) == date(2026, 3, 18)
    assert clarification_deadline(date(2026, 2, 26), CAL) == date(2026, 3, 9)
    assert clarification_deadline(date(2026, 2, 26), CAL, friday_rule=False) == date(2026, 3, 6)
    assert clarification_answer_deadline(date(2026, 3, 2), CAL) == date(2026, 3, 31)


def test_R_NOT_12_estrados_notified_on_the_eleventh_business_day() -> None:
    """R-NOT-12: published Mon 02/03/2026 → 11th business day from 03/03 → 18/03/2026."""
    published = date(2026, 3, 2)
    notified = estrados_notification_date(published, CAL)
    assert notified == date(2026, 3, 18)
    days = [published + timedelta(days=i) for i in range(1, (notified - published).days + 1)]
    assert sum(CAL.is_business_day(d) for d in days) == 11


def test_R_DL_4_prescription_restarts_with_each_notified_step() -> None:
    """R-DL-4: 5 years from when payment could be demanded, restarted by each diligence."""
    assert prescription_date(date(2026, 4, 2)) == date(2031, 4, 2)
    assert prescription_date(date(2026, 4, 2), [date(2027, 6, 10), date(2026, 9, 1)]) == date(
        2032, 6, 10)
    assert prescription_date(date(2026, 4, 2), [date(2025, 1, 1)]) == date(2031, 4, 2)
    assert prescription_date(date(2028, 2, 29)) == date(2033, 2, 28)
    assert prescription_date(date(2021, 3, 16), cal=CAL) == date(2026, 3, 17)


def test_R_PAE_5_real_estate_proof_term() -> None:
    """R-PAE-5: the debtor has 15 business days to prove the sworn facts about real estate."""
    assert real_estate_proof_deadline(date(2026, 3, 12), CAL) == date(2026, 4, 3)


@pytest.mark.parametrize("tz", ["America/Mexico_City", "America/Tijuana", "America/Cancun"])
def test_R_NOT_3_proposed_appointment_passes_the_citatorio_check(tz: str) -> None:
    """R-NOT-3: whatever the hour a citatorio is left, the proposed appointment is the next
    business day within business hours, so the citatorio check finds nothing about it."""
    cal = BusinessCalendar(tz=tz)
    base = next(c["facts"] for c in FACT_CASES if c["id"] == "not3-citatorio-clean")
    zone = ZoneInfo(tz)
    for day in (date(2026, 3, 6), date(2026, 3, 13), date(2026, 10, 30), date(2026, 11, 13)):
        for hour in (0, 7, 12, 17, 18, 23):
            issued = datetime.combine(day, time(hour, 10), tzinfo=zone)
            appointment = propose_citatorio_appointment(issued, cal)
            assert appointment.date() == cal.next_business_day(day)
            assert cal.is_business_time(appointment)
            facts = {**base, "started_at": issued.isoformat(),
                     "appointment_at": appointment.isoformat()}
            findings = check_diligence(facts, CheckParams(cal))
            assert [f for f in findings if f.rule_id == "R-NOT-3"] == []
    preferred = propose_citatorio_appointment(
        datetime(2026, 3, 10, 12, 34, tzinfo=zone), cal, time(9, 0))
    assert preferred.time() == time(9, 0)
