"""Terms and dates of a credit's life: when a notification takes effect, the payment
deadline, the clarification window, estrados, prescription and the enforcement gate.

All terms in days count business days (CFF 12) from the day after their start (R-CAL-5).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.checks import Finding, block
from fieldapp.legal.messages import fmt_date

FRIDAY = 4
PAYMENT_TERM_DAYS = 15  # R-DL-1 (LSS 39-C; RACERF 127)
CLARIFICATION_TERM_DAYS = 5  # R-DL-3 (LSS 39-D; RACERF 151)
CLARIFICATION_ANSWER_DAYS = 20  # R-DL-3
ESTRADOS_NOTIFICATION_DAY = 11  # R-NOT-12 (CFF 139)
REAL_ESTATE_PROOF_DAYS = 15  # R-PAE-5 (CFF 156)
PRESCRIPTION_YEARS = 5  # R-DL-4 (CFF 146)


def takes_effect_on(notified_on: date, cal: BusinessCalendar) -> date:
    """R-NOT-11: a notification takes effect the next business day after it is made."""
    return cal.next_business_day(notified_on)


def last_day(d: date, cal: BusinessCalendar, friday_rule: bool = False) -> date:
    """R-CAL-6: a last day that is non-business moves to the next business day; with the
    Friday rule (RACERF 3, config) so does a last day falling on a Friday."""
    while not cal.is_business_day(d) or (friday_rule and d.weekday() == FRIDAY):
        d = cal.next_business_day(d)
    return d


def term_end(start: date, days: int, cal: BusinessCalendar, friday_rule: bool = False) -> date:
    """The last day of a term of ``days`` business days counted from the day after ``start``
    (R-CAL-5), moved by R-CAL-6."""
    return last_day(cal.add_business_days(start, days), cal, friday_rule)


def payment_deadline(notified_on: date, cal: BusinessCalendar, friday_rule: bool = True) -> date:
    """R-DL-1: last day to pay a cédula, 15 business days from the day after it takes effect."""
    return term_end(takes_effect_on(notified_on, cal), PAYMENT_TERM_DAYS, cal, friday_rule)


def clarification_deadline(notified_on: date, cal: BusinessCalendar,
                           friday_rule: bool = True) -> date:
    """R-DL-3: last day to file a clarification, 5 business days after the notification takes
    effect (a RACERF term, so the Friday rule applies when on)."""
    return term_end(takes_effect_on(notified_on, cal), CLARIFICATION_TERM_DAYS, cal,
                    friday_rule)


def clarification_answer_deadline(filed_on: date, cal: BusinessCalendar) -> date:
    """R-DL-3: the institute answers a clarification within 20 business days."""
    return term_end(filed_on, CLARIFICATION_ANSWER_DAYS, cal)


def estrados_notification_date(published_on: date, cal: BusinessCalendar) -> date:
    """R-NOT-12: a document on estrados for 10 days is notified on the 11th business day
    counted from the day after its publication."""
    return cal.add_business_days(published_on, ESTRADOS_NOTIFICATION_DAY)


def real_estate_proof_deadline(seized_on: date, cal: BusinessCalendar) -> date:
    """R-PAE-5: the debtor has 15 days to prove the sworn facts about seized real estate."""
    return term_end(seized_on, REAL_ESTATE_PROOF_DAYS, cal)


def prescription_date(demandable_on: date, interruptions: Iterable[date] = (),
                      cal: BusinessCalendar | None = None) -> date:
    """R-DL-4: the credit prescribes 5 years after it could be demanded; each notified
    collection step (a diligence record) starts the 5 years again. A term in years ends on the
    same day of the final year (CFF 12; 29 Feb → 28 Feb); with ``cal`` a non-business last
    day moves to the next business day (R-CAL-6)."""
    start = max((d for d in interruptions if d >= demandable_on), default=demandable_on)
    year = start.year + PRESCRIPTION_YEARS
    try:
        end = start.replace(year=year)
    except ValueError:  # 29 February
        end = date(year, 2, 28)
    return end if cal is None else last_day(end, cal)


def propose_citatorio_appointment(issued_at: datetime, cal: BusinessCalendar,
                                  preferred: time | None = None) -> datetime:
    """R-NOT-3: the next business day after the citatorio is left, at the preferred hour (the
    hour it was left by default) clamped to business hours (R-CAL-3)."""
    local = cal.local(issued_at)
    wall = preferred or local.time().replace(second=0, microsecond=0)
    wall = min(max(wall, cal.hours_start), cal.hours_end)
    return cal.at(cal.next_business_day(local.date()), wall)


def enforcement_gate(*, notified_on: date, today: date, cal: BusinessCalendar,
                     paid: bool, guaranteed: bool, suspended: bool, open_clarification: bool,
                     friday_rule: bool = True) -> list[Finding]:
    """R-DL-2: reasons a requerimiento de pago may not be assigned yet (empty list: it may).

    It may once the payment deadline has passed and the credit is unpaid, not guaranteed,
    not suspended (appeal, court suspension, insolvency, instalment agreement) and has no
    clarification open for that amount."""
    findings = []
    deadline = payment_deadline(notified_on, cal, friday_rule)
    if today <= deadline:
        findings.append(block("R-DL-2", "dl2.deadline_not_passed", "notified_on",
                              date=fmt_date(deadline)))
    for flag, name, key in ((paid, "paid", "dl2.paid"),
                            (guaranteed, "guaranteed", "dl2.guaranteed"),
                            (suspended, "suspended", "dl2.suspended"),
                            (open_clarification, "open_clarification", "dl2.open_clarification")):
        if flag:
            findings.append(block("R-DL-2", key, name))
    return findings
