"""A credit's dates follow its valid notifications: voiding one (its diligence rejected by the
office head, or superseded by a correction) recomputes the credit from the rows still valid.

- Another valid notification stands: the credit takes the dates of the latest one (R-NOT-11,
  R-DL-1), status unchanged.
- None stands: the dates are cleared and the credit goes back to "por notificar", so the sweep
  of R-DL-2 can never make it enforceable on a void notification.
- Something was built on it (the credit is already enforceable or later, or a requerimiento or
  embargo was recorded on its documents): nothing is changed silently; a flag tells the office
  head what depended on the notification, and the office head decides.

Everything is audited and happens in the caller's transaction (services flush, never commit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.credits.models import CreditFlag, CreditNotification
from fieldapp.db_types import utcnow
from fieldapp.diligences.models import Diligence
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.messages import fmt_date
from fieldapp.legal.services import notification_dates
from fieldapp.portfolio.models import Credit, document_credits
from fieldapp.portfolio.services import FINAL_STATUSES, STATUS_RANK, revert_credit_status

VOID_SOURCE = "notification_voided"
ENFORCEMENT_DILIGENCE_KINDS = ("payment_demand", "seizure", "seizure_extension")
# Statuses a voided notification may recompute by itself; anything later is flagged.
RECOMPUTABLE_STATUSES = ("issued", "to_notify", "notified")


class CreditFlagError(DomainError):
    """A flag resolution that cannot be made; the message is for the office head (Spanish)."""

    code = "flag_refused"
    status = 409


def valid_notifications(credit: Credit) -> list[CreditNotification]:
    return list(db.session.scalars(
        select(CreditNotification)
        .where(CreditNotification.credit_id == credit.id, CreditNotification.voided_at.is_(None))
        .order_by(CreditNotification.notified_on, CreditNotification.id)))


def notifications_of(credit: Credit) -> list[CreditNotification]:
    """Every row of the credit's ledger, void ones too (the credit page)."""
    return list(db.session.scalars(
        select(CreditNotification).where(CreditNotification.credit_id == credit.id)
        .order_by(CreditNotification.recorded_at, CreditNotification.id)))


def void_notifications_of(diligence: Diligence, *, actor: User | None, reason: str) -> list[Credit]:
    """Voids the ledger rows the diligence wrote and recomputes each credit they touched.
    Returns the credits whose dates or status changed."""
    rows = list(db.session.scalars(
        select(CreditNotification)
        .where(CreditNotification.diligence_id == diligence.id,
               CreditNotification.voided_at.is_(None))
        .order_by(CreditNotification.id)))
    return _void(rows, actor=actor, reason=reason, diligence=diligence)


def void_estrados_notifications(case_id: int, *, actor: User | None, reason: str) -> list[Credit]:
    rows = list(db.session.scalars(
        select(CreditNotification)
        .where(CreditNotification.estrados_case_id == case_id,
               CreditNotification.voided_at.is_(None))
        .order_by(CreditNotification.id)))
    return _void(rows, actor=actor, reason=reason, diligence=None)


def _void(rows: Sequence[CreditNotification], *, actor: User | None, reason: str,
          diligence: Diligence | None) -> list[Credit]:
    changed = []
    now = utcnow()
    for row in rows:
        row.voided_at, row.voided_by_id, row.void_reason = now, _id(actor), reason[:300]
        db.session.flush()
        record("credit_notification_voided", actor=actor, obj=row.credit,
               notified_on=row.notified_on, source=row.source, diligence_id=row.diligence_id,
               estrados_case_id=row.estrados_case_id, reason=reason)
        if recompute_notification(row.credit, actor=actor, voided=row, diligence=diligence):
            changed.append(row.credit)
    return changed


def recompute_notification(credit: Credit, *, actor: User | None, voided: CreditNotification,
                           diligence: Diligence | None) -> bool:
    """The credit's dates from its valid notifications, after ``voided`` was voided. Returns
    whether the credit changed (False: nothing to change, or flagged instead)."""
    new_day = standing_notification_day(credit)
    if new_day == credit.notified_on:
        return False
    depending = what_depends_on_notification(credit)
    if depending:
        raise_flag(credit, voided, depending, new_day, diligence)
        return False
    _take_dates_of(credit, new_day, actor=actor, voided_notification_id=voided.id)
    if new_day is None:
        revert_credit_status(credit, "to_notify", source=VOID_SOURCE, actor=actor,
                             reason=f"Notificación del {fmt_date(voided.notified_on)} sin efecto: "
                                    f"{voided.void_reason}")
    return True


def standing_notification_day(credit: Credit) -> Any:
    """The day of the latest valid notification (forward only, as ``record_notification``:
    the later deadline never lets enforcement start early), or None."""
    return max((r.notified_on for r in valid_notifications(credit)), default=None)


def _take_dates_of(credit: Credit, day: Any, *, actor: User | None, **why: Any) -> None:
    previous = (credit.notified_on, credit.takes_effect_on, credit.payment_deadline)
    if day is None:
        credit.notified_on = credit.takes_effect_on = credit.payment_deadline = None
    else:
        credit.notified_on = day
        credit.takes_effect_on, credit.payment_deadline = notification_dates(credit, day)
    db.session.flush()
    record("credit_notification_recomputed", actor=actor, obj=credit,
           notified_on=[previous[0], credit.notified_on],
           takes_effect_on=[previous[1], credit.takes_effect_on],
           payment_deadline=[previous[2], credit.payment_deadline], **why)


def what_depends_on_notification(credit: Credit) -> dict[str, Any]:
    """What was built on the credit's notification: a status past the gate (R-DL-2) and the
    requerimientos and embargos recorded on its documents. Empty: nothing."""
    depending: dict[str, Any] = {}
    if credit.status not in RECOMPUTABLE_STATUSES:
        depending["status"] = credit.status
    acts = db.session.execute(
        select(Diligence.id, Diligence.kind, Diligence.captured_at)
        .join(document_credits, document_credits.c.document_id == Diligence.document_id)
        .where(document_credits.c.credit_id == credit.id,
               Diligence.kind.in_(ENFORCEMENT_DILIGENCE_KINDS),
               Diligence.superseded_by_id.is_(None), Diligence.review_state != "rejected")
        .order_by(Diligence.captured_at)).all()
    if acts:
        depending["diligences"] = [{"id": i, "kind": k} for i, k, _ in acts]
    return depending


def raise_flag(credit: Credit, voided: CreditNotification, depending: dict[str, Any],
               new_day: Any, diligence: Diligence | None) -> CreditFlag:
    parts = []
    if "status" in depending:
        parts.append(f"el crédito ya está {credit.status_label.lower()}")
    if "diligences" in depending:
        parts.append(f"{len(depending['diligences'])} requerimiento(s) o embargo(s) registrados")
    remaining = (f"la notificación del {fmt_date(new_day)} sigue válida" if new_day
                 else "no queda otra notificación válida")
    message = (f"La notificación del {fmt_date(voided.notified_on)} quedó sin efecto "
               f"({voided.void_reason}); {remaining}, pero {' y '.join(parts)}. "
               "Revise el crédito: no se cambió.")
    flag = CreditFlag(office_id=credit.office_id, credit_id=credit.id, kind="voided_notification",
                      message=message[:600], diligence_id=diligence.id if diligence else None,
                      details={**depending, "voided_notification_id": voided.id,
                               "notified_on": voided.notified_on.isoformat(),
                               "standing_notified_on": new_day.isoformat() if new_day else None})
    db.session.add(flag)
    db.session.flush()
    record("credit_flag_raised", actor=None, obj=credit, flag_id=flag.id, kind=flag.kind,
           details=flag.details)
    return flag


def open_flags(office_id: int, credit: Credit | None = None) -> list[CreditFlag]:
    stmt = (select(CreditFlag).where(CreditFlag.office_id == office_id,
                                     CreditFlag.resolved_at.is_(None))
            .order_by(CreditFlag.raised_at, CreditFlag.id))
    if credit is not None:
        stmt = stmt.where(CreditFlag.credit_id == credit.id)
    return list(db.session.scalars(stmt))


def flags_of(credit: Credit) -> list[CreditFlag]:
    return list(db.session.scalars(select(CreditFlag).where(CreditFlag.credit_id == credit.id)
                                   .order_by(CreditFlag.raised_at, CreditFlag.id)))


def resolve_flag(flag: CreditFlag, *, action: str, reason: str, actor: User) -> None:
    """The office head's decision on a flag: ``keep`` the credit as it is (e.g. the
    requerimiento stands on another notification), or ``recompute`` it from its valid
    notifications — allowed only when no requerimiento or embargo stands on it."""
    reason = reason.strip()
    if not flag.is_open:
        raise CreditFlagError("Esa alerta ya fue atendida.")
    if not reason:
        raise CreditFlagError("Escriba el motivo de la decisión.")
    if action not in ("keep", "recompute"):
        raise CreditFlagError("Elija una decisión.")
    credit = flag.credit
    if action == "recompute":
        depending = what_depends_on_notification(credit)
        if "diligences" in depending:
            raise CreditFlagError("Hay requerimientos o embargos registrados sobre el crédito: "
                                  "no puede volver atrás desde aquí.")
        if credit.status in FINAL_STATUSES:
            raise CreditFlagError(f"El crédito está {credit.status_label.lower()}.")
        _recompute_after_review(credit, actor=actor, reason=reason)
    flag.resolved_at, flag.resolved_by_id, flag.resolution = utcnow(), actor.id, reason[:300]
    db.session.flush()
    record("credit_flag_resolved", actor=actor, obj=credit, flag_id=flag.id, decision=action,
           reason=reason)


def _recompute_after_review(credit: Credit, *, actor: User, reason: str) -> None:
    """The office head confirmed: the credit's status goes back to what its valid notifications
    support (R-DL-2 will judge it again) and its dates are recomputed."""
    day = standing_notification_day(credit)
    _take_dates_of(credit, day, actor=actor, reason=reason)
    target = "notified" if day is not None else "to_notify"
    if STATUS_RANK[credit.status] > STATUS_RANK[target]:
        revert_credit_status(credit, target, source=VOID_SOURCE, actor=actor, reason=reason)


def _id(user: User | None) -> int | None:
    return user.id if user is not None else None
