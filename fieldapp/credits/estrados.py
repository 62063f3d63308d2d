"""Notification by estrados (CFF 134 III, 139): the one write path of an ``EstradosCase``.

- ``open_case_for``: an approved diligence whose personal notification failed — refused at the
  follow-up (R-NOT-6) or debtor not located (R-NOT-10) — sends its document to estrados. The
  moment is the office head's approval: a record still under review or rejected sends nothing.
- ``issue_agreement``: the office head's acuerdo (number unique per office, date).
- ``record_publication``: the fijación in the office's estrados and the electronic publication;
  the notification date follows R-NOT-12 from the later of the two.
- ``record_retirement``: the retiro after the 10 days; the notification is then recorded on
  every credit of the document (source "estrados"), which takes effect and gets its payment
  deadline by the same rules as a personal notification (R-NOT-11, R-DL-1).
- ``personal_notification_recorded``: a personal notification made before the estrados date
  wins; the case is closed and its notification, if recorded, voided (docs/legal-rules.md).
- ``personal_notification_voided``: when that personal notification is rejected by the office
  head (or superseded by a correction), the case it closed is reinstated in the state it had
  reached — and, if it had been retired, its notification recorded again as new ledger rows —
  unless another valid personal notification before the estrados date still stands.
- ``retirements_due``: published cases whose 10 days on estrados are over (the queue's
  reminder).

Services flush, never commit; every step is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.credits.models import (
    ESTRADOS_OPEN_STATES,
    ESTRADOS_STATES,
    CreditNotification,
    EstradosCase,
)
from fieldapp.credits.services import void_estrados_notifications
from fieldapp.db_types import utcnow
from fieldapp.diligences.models import Diligence
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.deadlines import ESTRADOS_NOTIFICATION_DAY, estrados_notification_date
from fieldapp.legal.services import calendar_for, record_document_notification
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import Document, document_credits
from fieldapp.web.formats import long_date as fmt_date

ESTRADOS_SOURCE = "estrados"
# Credits still waiting for their notification: only those can be notified by estrados.
AWAITING_NOTIFICATION = ("issued", "to_notify")
# A document has at most one live case: approving again or a correction opens no second one.
LIVE_STATES = (*ESTRADOS_OPEN_STATES, "notified")
# The queue's tabs: each groups the states it shows.
QUEUE_TABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "por-acordar": ("Por acordar", ("queued",)),
    "por-publicar": ("Acordado, por publicar", ("agreed",)),
    "publicado": ("Publicado", ("published",)),
    "notificado": ("Notificado", ("notified",)),
    "cerrado": ("Cerrado", tuple(s for s in ESTRADOS_STATES if s not in LIVE_STATES)),
}
AGREEMENT_NUMBER_MAX = 60


class EstradosError(DomainError):
    """A step that cannot be taken; the message is for the office head (Spanish)."""

    code = "estrados_refused"
    status = 422


def estrados_reason_of(diligence: Diligence) -> str | None:
    """Why the diligence sends its document to estrados, or None: a notification refused at
    the follow-up (R-NOT-6) or a debtor not located (R-NOT-10)."""
    if diligence.kind == "notification" and diligence.facts.get("refused_to_receive") is True:
        return "refused"
    if diligence.kind == "not_located":
        # R-NOT-10: a temporary absence calls for a citatorio, never for estrados.
        reason = (diligence.facts.get("not_located") or {}).get("reason")
        return None if reason == "temporary_absence" else "not_located"
    return None


def live_case_of(document: Document) -> EstradosCase | None:
    return db.session.scalar(
        select(EstradosCase).where(EstradosCase.document_id == document.id,
                                   EstradosCase.state.in_(LIVE_STATES))
        .order_by(EstradosCase.id.desc()).limit(1))


def open_case_for(diligence: Diligence, *, actor: User | None) -> EstradosCase | None:
    """The case an approved diligence opens, or None when it opens none: its result is not a
    failed notification, no credit of its document still awaits notification, or the document
    already has a live case (idempotent)."""
    reason = estrados_reason_of(diligence)
    document = diligence.document
    if reason is None or not any(c.status in AWAITING_NOTIFICATION for c in document.credits):
        return None
    if live_case_of(document) is not None or db.session.scalar(
            select(EstradosCase.id).where(EstradosCase.diligence_id == diligence.id)) is not None:
        return None
    case = EstradosCase(office_id=diligence.office_id, document_id=document.id,
                        diligence_id=diligence.id, reason=reason, state="queued")
    db.session.add(case)
    db.session.flush()
    record("estrados_case_opened", actor=actor, obj=case, office_id=case.office_id,
           document_id=document.id, folio=document.folio, diligence_id=diligence.id, reason=reason)
    return case


# The office head's steps ----------------------------------------------------------------------


def _office_of(case: EstradosCase) -> Office:
    office = db.session.get(Office, case.office_id)
    assert office is not None
    return office


def diligence_day(case: EstradosCase) -> date:
    """The office-local day of the diligence that failed."""
    return case.diligence.captured_at.astimezone(ZoneInfo(_office_of(case).timezone)).date()


def _require_state(case: EstradosCase, state: str) -> None:
    if case.state != state:
        raise EstradosError(f"El caso está «{case.state_label.lower()}»: ese paso ya no procede.")


def _not_in_future(day: date, today: date, what: str) -> None:
    if day > today:
        raise EstradosError(f"La fecha {what} ({fmt_date(day)}) no puede ser posterior a hoy.")


def issue_agreement(case: EstradosCase, number: str, agreed_on: date, *, actor: User,
                    today: date) -> None:
    """The acuerdo that orders the notification by estrados (CFF 134 III, 139)."""
    _require_state(case, "queued")
    number = " ".join(number.split()).upper()
    if not number:
        raise EstradosError("Escriba el número del acuerdo.")
    if len(number) > AGREEMENT_NUMBER_MAX:
        raise EstradosError(f"El número del acuerdo admite hasta {AGREEMENT_NUMBER_MAX} caracteres.")
    _not_in_future(agreed_on, today, "del acuerdo")
    failed_on = diligence_day(case)
    if agreed_on < failed_on:
        raise EstradosError(f"El acuerdo no puede ser anterior a la diligencia que lo motiva "
                            f"({fmt_date(failed_on)}).")
    taken = db.session.scalar(select(func.count()).select_from(EstradosCase).where(
        EstradosCase.office_id == case.office_id, EstradosCase.agreement_number == number,
        EstradosCase.id != case.id))
    if taken:
        raise EstradosError(f"Ya existe un acuerdo con el número {number} en la subdelegación.")
    case.agreement_number, case.agreement_on, case.agreement_by_id = number, agreed_on, actor.id
    case.state = "agreed"
    db.session.flush()
    record("estrados_agreement_issued", actor=actor, obj=case, office_id=case.office_id,
           agreement_number=number, agreement_on=agreed_on)


def publication_start(posted_on: date, published_on: date) -> date:
    """R-NOT-12 counts from the day after the document was fixed *and* published: the later of
    the two (the later date never lets the payment term start early, R-DL-2)."""
    return max(posted_on, published_on)


def record_publication(case: EstradosCase, posted_on: date, published_on: date, *, actor: User,
                       today: date) -> date:
    """The fijación in the office's estrados and the electronic publication; returns the
    notification date (R-NOT-12), shown on the case page until the retiro records it."""
    _require_state(case, "agreed")
    assert case.agreement_on is not None
    cal = calendar_for(_office_of(case), published_on)
    for day, what in ((posted_on, "de fijación"), (published_on, "de publicación electrónica")):
        _not_in_future(day, today, what)
        if day < case.agreement_on:
            raise EstradosError(f"La fecha {what} ({fmt_date(day)}) no puede ser anterior al "
                                f"acuerdo ({fmt_date(case.agreement_on)}).")
        if not cal.is_business_day(day):
            raise EstradosError(f"La fecha {what} ({fmt_date(day)}) es día inhábil en el "
                                "calendario de la subdelegación.")
    case.posted_on, case.published_on = posted_on, published_on
    case.notification_on = estrados_notification_date(publication_start(posted_on, published_on),
                                                      cal)
    case.state = "published"
    db.session.flush()
    record("estrados_published", actor=actor, obj=case, office_id=case.office_id,
           posted_on=posted_on, published_on=published_on, notification_on=case.notification_on)
    return case.notification_on


def last_publication_day(case: EstradosCase, cal: BusinessCalendar) -> date:
    """The 10th business day on estrados (R-NOT-12): the retiro may not come before it."""
    assert case.posted_on is not None and case.published_on is not None
    return cal.add_business_days(publication_start(case.posted_on, case.published_on),
                                 ESTRADOS_NOTIFICATION_DAY - 1)


def record_retirement(case: EstradosCase, retired_on: date, *, actor: User, today: date) -> None:
    """The retiro after the 10 days on estrados: the notification on the R-NOT-12 date is
    recorded on every credit of the document (its dates by R-NOT-11 and R-DL-1)."""
    _require_state(case, "published")
    assert case.published_on is not None and case.notification_on is not None
    _not_in_future(retired_on, today, "de retiro")
    cal = calendar_for(_office_of(case), case.published_on)
    last_day = last_publication_day(case, cal)
    if retired_on < last_day:
        raise EstradosError(f"El documento debe permanecer 10 días en estrados: el retiro no "
                            f"puede ser anterior al {fmt_date(last_day)}.")
    case.retired_on = retired_on
    case.state = "notified"
    db.session.flush()
    record("estrados_retired", actor=actor, obj=case, office_id=case.office_id,
           retired_on=retired_on, notification_on=case.notification_on)
    record_document_notification(case.document, case.notification_on, actor=actor,
                                 source=ESTRADOS_SOURCE, estrados_case_id=case.id)


def personal_notification_recorded(document: Document, notified_on: date, *,
                                   actor: User | None,
                                   diligence_id: str | None = None) -> list[EstradosCase]:
    """A personal notification of ``document`` on ``notified_on`` wins over estrados when it
    comes before the estrados notification date (or before any date is known): the case is
    closed and its notification, if already recorded, voided through the ledger (the credit is
    recomputed from the personal one). ``diligence_id`` names the personal notification, so
    rejecting it later reinstates the case. Returns the cases closed."""
    closed = []
    for case in _live_cases_of(document):
        if case.notification_on is not None and notified_on >= case.notification_on:
            continue
        was_notified = case.state == "notified"
        case.state, case.closed_at = "superseded", utcnow()
        case.superseded_by_diligence_id = diligence_id
        case.close_reason = (f"Notificación personal del {fmt_date(notified_on)}, anterior a la "
                             "fecha de notificación por estrados")
        db.session.flush()
        record("estrados_superseded", actor=actor, obj=case, office_id=case.office_id,
               personal_notified_on=notified_on, notification_on=case.notification_on,
               diligence_id=diligence_id)
        if was_notified:
            void_estrados_notifications(case.id, actor=actor, reason=case.close_reason)
        closed.append(case)
    return closed


def reached_state(case: EstradosCase) -> str:
    """The state a case had reached before a personal notification closed it, from the steps
    it keeps recorded (issue 12: a superseded case comes back where it was)."""
    if case.retired_on is not None:
        return "notified"
    if case.published_on is not None:
        return "published"
    if case.agreement_number is not None:
        return "agreed"
    return "queued"


def personal_notification_voided(diligence: Diligence, *, actor: User | None,
                                 reason: str) -> list[EstradosCase]:
    """The personal notification ``diligence`` no longer counts (the office head rejected it,
    or a correction replaced it): every estrados case it closed is reinstated in the state it
    had reached; a case already retired records its R-NOT-12 notification again on the
    document's credits (new ledger rows: the voided ones stay void). If another valid personal
    notification of the document before the estrados date still stands, the case stays closed
    and names that one instead. Returns the cases reinstated. Audited; the caller commits."""
    reinstated = []
    cases = db.session.scalars(
        select(EstradosCase).where(EstradosCase.superseded_by_diligence_id == diligence.id,
                                   EstradosCase.state == "superseded")
        .order_by(EstradosCase.id))
    for case in cases:
        standing = _earliest_personal_notification(case.document, excluding=diligence.id)
        if standing is not None and (case.notification_on is None
                                     or standing.notified_on < case.notification_on):
            case.superseded_by_diligence_id = standing.diligence_id
            db.session.flush()
            record("estrados_superseded", actor=actor, obj=case, office_id=case.office_id,
                   personal_notified_on=standing.notified_on,
                   notification_on=case.notification_on, diligence_id=standing.diligence_id,
                   previous_diligence_id=diligence.id)
            continue
        previous_close = case.close_reason
        case.state, case.reinstated_at = reached_state(case), utcnow()
        db.session.flush()
        record("estrados_reinstated", actor=actor, obj=case, office_id=case.office_id,
               state=case.state, diligence_id=diligence.id, reason=reason,
               previous_close_reason=previous_close)
        if case.state == "notified":
            assert case.notification_on is not None
            record_document_notification(case.document, case.notification_on, actor=actor,
                                         source=ESTRADOS_SOURCE, estrados_case_id=case.id)
        reinstated.append(case)
    return reinstated


def _earliest_personal_notification(document: Document, *,
                                    excluding: str) -> CreditNotification | None:
    return db.session.scalar(
        select(CreditNotification)
        .join(document_credits, document_credits.c.credit_id == CreditNotification.credit_id)
        .where(document_credits.c.document_id == document.id,
               CreditNotification.voided_at.is_(None),
               CreditNotification.diligence_id.is_not(None),
               CreditNotification.diligence_id != excluding)
        .order_by(CreditNotification.notified_on, CreditNotification.id).limit(1))


def _live_cases_of(document: Document) -> Sequence[EstradosCase]:
    return list(db.session.scalars(
        select(EstradosCase).where(EstradosCase.document_id == document.id,
                                   EstradosCase.state.in_(LIVE_STATES))
        .order_by(EstradosCase.id)))


# The queue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    case: EstradosCase
    days_pending: int


def queue_counts(office: Office) -> dict[str, int]:
    counts = {state: n for state, n in db.session.execute(
        select(EstradosCase.state, func.count()).where(EstradosCase.office_id == office.id)
        .group_by(EstradosCase.state))}
    return {tab: sum(counts.get(s, 0) for s in states) for tab, (_, states) in QUEUE_TABS.items()}


def queue(office: Office, tab: str, today: date) -> list[QueueRow]:
    """The office's cases in ``tab``, oldest first, with the calendar days since each opened."""
    _, states = QUEUE_TABS[tab]
    cases = db.session.scalars(
        select(EstradosCase).where(EstradosCase.office_id == office.id,
                                   EstradosCase.state.in_(states))
        .order_by(EstradosCase.opened_at, EstradosCase.id))
    return [QueueRow(c, (today - _local_opened(c, office)).days) for c in cases]


@dataclass(frozen=True)
class RetirementDue:
    case: EstradosCase
    last_day: date  # the 10th business day on estrados: the retiro may be recorded from it


def retirements_due(office: Office, today: date) -> list[RetirementDue]:
    """Published cases whose 10 business days on estrados are over by ``today`` (R-NOT-12):
    the office head records their retiro, which is what notifies the credits. Oldest first."""
    due = []
    for case in db.session.scalars(
            select(EstradosCase).where(EstradosCase.office_id == office.id,
                                       EstradosCase.state == "published")
            .order_by(EstradosCase.published_on, EstradosCase.id)):
        assert case.published_on is not None
        last_day = last_publication_day(case, calendar_for(office, case.published_on))
        if last_day <= today:
            due.append(RetirementDue(case, last_day))
    return sorted(due, key=lambda d: (d.last_day, d.case.id))


def _local_opened(case: EstradosCase, office: Office) -> date:
    return case.opened_at.astimezone(ZoneInfo(office.timezone)).date()
