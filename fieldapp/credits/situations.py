"""Credit situations (manual functions 000-5, 000-36, 003-7): payments, guarantees,
suspensions, clarifications and cancellations, recorded by the office with their source
document or imported from the institute's systems.

They are what the enforcement gate reads besides the deadline (R-DL-2,
``legal.services.enforcement_refusals``): a guarantee, a suspension or an open clarification
closes it while in force; a full payment or a cancellation ends the credit. When a situation
takes effect, the field work it makes pointless is withdrawn from the phones with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from fieldapp.assignments.models import OPEN_STATUSES, Assignment
from fieldapp.assignments.services import withdraw
from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.credits.models import (
    CLOSING_KINDS,
    GATE_CLOSING_KINDS,
    SITUATION_KINDS,
    SITUATION_SUBKINDS,
    CreditSituation,
)
from fieldapp.db_types import utcnow
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.deadlines import clarification_answer_deadline
from fieldapp.legal.limits import MONEY_MAX
from fieldapp.legal.messages import fmt_date
from fieldapp.legal.services import (
    ENFORCEMENT_DOCUMENT_KINDS,
    calendar_for,
    situations_in_force,
)
from fieldapp.offices.models import Office
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Credit, Document, document_credits
from fieldapp.portfolio.services import FINAL_STATUSES, advance_credit_status

FINAL_STATUS_OF = {"payment": "paid", "cancellation": "cancelled"}
SITUATION_SOURCE = "credit_situation"


class SituationError(DomainError):
    """A situation that cannot be recorded; the message is for the office (Spanish)."""

    code = "situation_invalid"
    status = 422


@dataclass(frozen=True)
class SituationIn:
    """One situation as the office screen or a CSV row gives it."""

    kind: str
    subkind: str
    starts_on: date
    reference: str
    source_document: str
    amount: Decimal | None = None
    ends_on: date | None = None
    end_reason: str | None = None


def situation_problems(credit: Credit, data: SituationIn, today: date) -> list[str]:
    """Everything wrong with ``data`` for ``credit``, in Spanish (empty: it may be recorded)."""
    problems = []
    if data.kind not in SITUATION_KINDS:
        return [f"Tipo de situación desconocido: {data.kind}."]
    if data.subkind not in SITUATION_SUBKINDS[data.kind] or data.subkind == "unspecified":
        problems.append(f"Subtipo no válido para {SITUATION_KINDS[data.kind].lower()}: "
                        f"{data.subkind}.")
    if not data.reference.strip():
        problems.append("Falta la referencia (número de recibo, póliza, expediente u oficio).")
    if not data.source_document.strip():
        problems.append("Falta el documento de origen.")
    if data.starts_on > today:
        problems.append(f"La fecha de inicio ({fmt_date(data.starts_on)}) es posterior a hoy.")
    if data.kind == "payment":
        if data.amount is None or data.amount <= 0:
            problems.append("Un pago lleva su importe, mayor que cero.")
        elif data.amount > MONEY_MAX:
            problems.append("El importe excede el máximo admitido.")
        elif data.subkind == "full" and data.amount < credit.total:
            problems.append(f"Un pago total no puede ser menor que el adeudo "
                            f"(${credit.total:,.2f}): regístrelo como pago parcial.")
    elif data.amount is not None and data.kind != "guarantee":
        problems.append(f"{SITUATION_KINDS[data.kind]} no lleva importe.")
    if data.ends_on is not None:
        if data.kind not in GATE_CLOSING_KINDS:
            problems.append(f"{SITUATION_KINDS[data.kind]} no tiene fecha de fin.")
        elif data.ends_on < data.starts_on:
            problems.append("La fecha de fin es anterior a la de inicio.")
        elif data.ends_on > today:
            problems.append(f"La fecha de fin ({fmt_date(data.ends_on)}) es posterior a hoy.")
    if data.kind in CLOSING_KINDS and credit.status in FINAL_STATUSES:
        problems.append(f"El crédito ya está {credit.status_label.lower()}.")
    return problems


def find_situation(credit: Credit, kind: str, reference: str) -> CreditSituation | None:
    return db.session.scalar(select(CreditSituation).where(
        CreditSituation.credit_id == credit.id, CreditSituation.kind == kind,
        CreditSituation.reference == reference.strip()))


def record_situation(credit: Credit, data: SituationIn, *, actor: User | None,
                     source: str = "office", today: date | None = None) -> CreditSituation:
    """Records a situation of ``credit`` and what follows from it: a full payment or a
    cancellation ends the credit; a situation in force withdraws the field work it makes
    pointless. Refuses with every problem at once."""
    office = _office(credit)
    today = today or office_today(office)
    problems = situation_problems(credit, data, today)
    if find_situation(credit, data.kind, data.reference) is not None:
        problems.append(f"Ya está registrada: {SITUATION_KINDS[data.kind].lower()} con la "
                        f"referencia {data.reference.strip()}.")
    if problems:
        raise SituationError(" ".join(problems))
    situation = CreditSituation(
        office_id=credit.office_id, credit_id=credit.id, kind=data.kind, subkind=data.subkind,
        starts_on=data.starts_on, amount=data.amount, reference=data.reference.strip(),
        source_document=data.source_document.strip(), source=source,
        recorded_by_id=actor.id if actor is not None else None)
    if data.kind == "clarification":
        # R-DL-3: the institute answers within 20 business days of the filing.
        situation.answer_due_on = clarification_answer_deadline(
            data.starts_on, calendar_for(office, data.starts_on))
    db.session.add(situation)
    db.session.flush()
    record("credit_situation_recorded", actor=actor, obj=credit, situation_id=situation.id,
           kind=data.kind, subkind=data.subkind, starts_on=data.starts_on,
           amount=data.amount, reference=situation.reference,
           source_document=situation.source_document, source=source)
    if data.kind == "payment" and data.subkind == "full" or data.kind == "cancellation":
        advance_credit_status(credit, FINAL_STATUS_OF[data.kind], source=SITUATION_SOURCE,
                              actor=actor, reason=f"{situation.subkind_label}: "
                                                  f"{situation.source_document} ({situation.reference})")
    if data.ends_on is not None:
        end_situation(situation, data.ends_on, data.end_reason or "Fin registrado con la situación",
                      actor=actor, today=today)
    withdraw_pointless_work(credit, today, actor=actor)
    return situation


def end_situation(situation: CreditSituation, ends_on: date, reason: str, *, actor: User | None,
                  today: date | None = None) -> None:
    """A guarantee cancelled, a suspension lifted, a clarification answered: from ``ends_on``
    the situation no longer closes the gate (R-DL-2 judges the credit again)."""
    credit = situation.credit
    today = today or office_today(_office(credit))
    reason = reason.strip()
    if situation.kind not in GATE_CLOSING_KINDS:
        raise SituationError(f"{situation.kind_label} no tiene fecha de fin.")
    if situation.ends_on is not None:
        raise SituationError(f"Esa situación ya terminó el {fmt_date(situation.ends_on)}.")
    if ends_on < situation.starts_on:
        raise SituationError("La fecha de fin es anterior a la de inicio.")
    if ends_on > today:
        raise SituationError(f"La fecha de fin ({fmt_date(ends_on)}) es posterior a hoy.")
    if not reason:
        raise SituationError("Escriba el motivo o documento del fin (resolución, oficio…).")
    situation.ends_on, situation.end_reason = ends_on, reason[:300]
    situation.ended_at, situation.ended_by_id = utcnow(), actor.id if actor is not None else None
    db.session.flush()
    record("credit_situation_ended", actor=actor, obj=credit, situation_id=situation.id,
           kind=situation.kind, ends_on=ends_on, reason=reason)


def situations_of(credit: Credit) -> list[CreditSituation]:
    return list(db.session.scalars(
        select(CreditSituation).where(CreditSituation.credit_id == credit.id)
        .order_by(CreditSituation.starts_on, CreditSituation.id)))


# Withdrawing field work ------------------------------------------------------------------------

def withdraw_pointless_work(credit: Credit, today: date, *, actor: User | None) -> list[Assignment]:
    """Open assignments on ``credit``'s documents that no longer make sense: every credit of
    the document paid or cancelled; or, for a requerimiento or mandamiento, every open credit
    behind a closed gate (R-DL-2). The phone drops them at its next pull and says why."""
    withdrawn = []
    for assignment in _open_assignments_of(credit):
        reason = _why_pointless(assignment.document, today)
        if reason is not None:
            withdraw(assignment, actor=actor, reason=reason)
            withdrawn.append(assignment)
    return withdrawn


def _open_assignments_of(credit: Credit) -> Sequence[Assignment]:
    return list(db.session.scalars(
        select(Assignment)
        .join(document_credits, document_credits.c.document_id == Assignment.document_id)
        .where(document_credits.c.credit_id == credit.id, Assignment.status.in_(OPEN_STATUSES))
        .order_by(Assignment.id)))


def _why_pointless(document: Document, today: date) -> str | None:
    open_credits = [c for c in document.credits if c.status not in FINAL_STATUSES]
    if not open_credits:
        closed = ", ".join(f"{c.credit_number} ({c.status_label.lower()})" for c in document.credits)
        return f"Retirada: crédito {closed}. Ya no requiere diligencia."
    if document.kind not in ENFORCEMENT_DOCUMENT_KINDS:
        return None
    held = []
    for credit in open_credits:
        closing = [s for s in situations_in_force(credit, today) if s.closes_gate]
        if not closing:
            return None
        held.append(f"{credit.credit_number} ({closing[0].subkind_label.lower()} desde el "
                    f"{fmt_date(closing[0].starts_on)})")
    return f"Retirada: crédito {', '.join(held)}. El requerimiento no procede (R-DL-2)."


def _office(credit: Credit) -> Office:
    office = db.session.get(Office, credit.office_id)
    assert office is not None
    return office
