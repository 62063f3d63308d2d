"""Giving documents to field users, taking them back, and what each person has to do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from geopy.distance import geodesic
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from fieldapp.assignments.models import ASSIGNMENT_KINDS, OPEN_STATUSES, Assignment
from fieldapp.audit.services import record
from fieldapp.auth.models import FIELD_ROLES, User
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.services import assignment_refusals
from fieldapp.portfolio.models import Address, Document
from fieldapp.portfolio.services import stops_field_work


class AssignmentError(DomainError):
    """The assignment cannot be made; the message is for the office head (Spanish)."""

    code = "assignment_refused"
    status = 409


@dataclass(frozen=True)
class WorkItem:
    assignment: Assignment
    distance_km: float | None


def live_assignment(document: Document) -> Assignment | None:
    return db.session.scalar(
        select(Assignment).where(
            Assignment.document_id == document.id, Assignment.status != "withdrawn"
        )
    )


def _check_assignable(document: Document, user: User, kind: str = "diligence") -> None:
    if not user.is_field_user or not user.active:
        raise AssignmentError(f"{user.full_name} no es personal de campo activo.")
    if user.office_id != document.office_id:
        raise AssignmentError("El usuario pertenece a otra subdelegación.")
    if all(stops_field_work(c) for c in document.credits):
        raise AssignmentError(
            f"El documento {document.folio} ya no requiere diligencia: sus créditos están "
            "pagados o cancelados."
        )
    if kind not in ASSIGNMENT_KINDS:
        raise AssignmentError("Elija qué se encarga: la diligencia o la localización del deudor.")
    if kind == "localization":
        return  # an investigation of where the debtor is: no act is served (R-NOT-10)
    if document.kind == "execution_order" and user.role != "executor":
        raise AssignmentError("Un mandamiento de ejecución sólo se asigna a un ejecutor.")
    refusals = assignment_refusals(document)  # R-DL-2: only enforceable credits
    if refusals:
        raise AssignmentError(f"El documento {document.folio} no puede asignarse (R-DL-2): "
                              + "; ".join(refusals))


def assign(document: Document, user: User, due_on: date, *, actor: User,
           kind: str = "diligence", address: Address | None = None) -> Assignment:
    """Gives the document to `user`: its diligence (``kind`` "diligence") or a localización of
    the debtor ("localization"), at the document's address or at ``address`` (a new address
    the office head accepted). If someone else holds it, theirs is withdrawn (the phone drops
    it at the next sync, keeping anything already captured).

    A concluded assignment is taken back only by new work on the document — a localización,
    or a visit to another address (cambio de domicilio, R-NOT-10): it is withdrawn with that
    reason (audited; its diligence stays as it was), since a document has one live
    assignment."""
    _check_assignable(document, user, kind)
    address_id = address.id if address is not None else None
    current = live_assignment(document)
    if current is not None:
        same_work = current.kind == kind and current.address_id == address_id
        if current.user_id == user.id and same_work and current.status != "done":
            if current.due_on != due_on:
                current.due_on = due_on
                record("assignment_due_changed", actor=actor, obj=current, due_on=due_on)
            return current
        if current.status == "done" and same_work:
            raise AssignmentError(f"El documento {document.folio} ya fue diligenciado.")
        withdraw(current, actor=actor, reason=_taken_back_because(current, user, kind, address))
    assignment = Assignment(
        office_id=document.office_id,
        document=document,
        user=user,
        due_on=due_on,
        assigned_by_id=actor.id,
        kind=kind,
        address=address,
    )
    db.session.add(assignment)
    db.session.flush()
    record("assignment_created", actor=actor, obj=assignment, user_id=user.id,
           document_id=document.id, due_on=due_on, kind=kind, address_id=address_id)
    return assignment


def _taken_back_because(current: Assignment, user: User, kind: str,
                        address: Address | None) -> str:
    if current.status == "done":
        if kind == "localization":
            return "Concluida; se encargó la localización del deudor."
        return "Concluida; el documento se asigna al nuevo domicilio del deudor."
    if kind != current.kind:
        return f"Sustituida por una asignación de {ASSIGNMENT_KINDS[kind].lower()}."
    if address is not None and current.address_id != address.id:
        return f"El documento se asigna al nuevo domicilio: {address.one_line}."
    return f"Reasignada a {user.full_name}."


def withdraw(assignment: Assignment, *, actor: User | None, reason: str) -> None:
    """Takes the assignment back; ``reason`` (Spanish) reaches the phone at its next pull, which
    drops the assignment and shows why. A diligence already captured on it is kept, flagged."""
    if assignment.status == "withdrawn":
        return
    assignment.status = "withdrawn"
    assignment.withdrawal_reason = reason[:300]
    db.session.flush()
    record("assignment_withdrawn", actor=actor, obj=assignment, reason=reason)


def live_assignments_by_document(documents: Iterable[Document]) -> dict[int, Assignment]:
    ids = [d.id for d in documents]
    if not ids:
        return {}
    stmt = (
        select(Assignment)
        .where(Assignment.document_id.in_(ids), Assignment.status != "withdrawn")
        .options(joinedload(Assignment.user))
    )
    return {a.document_id: a for a in db.session.scalars(stmt)}


def documents_in_sector(office_id: int, sector_id: int, *, only_unassigned: bool) -> list[Document]:
    stmt = (
        select(Document)
        .join(Document.address)
        .where(Document.office_id == office_id, Address.sector_id == sector_id)
        .options(selectinload(Document.credits))
        .order_by(Document.folio)
    )
    documents = list(db.session.scalars(stmt))
    if only_unassigned:
        live = live_assignments_by_document(documents)
        documents = [d for d in documents if d.id not in live]
    return [d for d in documents if not all(stops_field_work(c) for c in d.credits)]


def assign_sector(
    office_id: int, sector_id: int, user: User, due_on: date, *, actor: User,
    only_unassigned: bool = True,
) -> list[Assignment]:
    """Bulk assignment of a sector's documents; all or nothing (the caller commits once)."""
    documents = documents_in_sector(office_id, sector_id, only_unassigned=only_unassigned)
    return [assign(d, user, due_on, actor=actor) for d in documents]


def _load_options():  # type: ignore[no-untyped-def]
    return (
        joinedload(Assignment.document).joinedload(Document.debtor),
        joinedload(Assignment.document).joinedload(Document.address).joinedload(Address.sector),
        joinedload(Assignment.document).selectinload(Document.credits),
        joinedload(Assignment.address).joinedload(Address.sector),
    )


def worklist_of(
    user: User,
    *,
    statuses: Sequence[str] = OPEN_STATUSES,
    sector_id: int | None = None,
    position: tuple[float, float] | None = None,
) -> list[WorkItem]:
    """A field user's assignments; nearest first when the phone shares its position,
    otherwise by due date."""
    stmt = (
        select(Assignment)
        .where(Assignment.user_id == user.id, Assignment.office_id == user.office_id,
               Assignment.status.in_(statuses))
        .options(*_load_options())
        .order_by(Assignment.due_on, Assignment.id)
    )
    items = [WorkItem(a, _distance_km(a, position)) for a in db.session.scalars(stmt)]
    if sector_id is not None:
        items = [i for i in items if i.assignment.visit_address.sector_id == sector_id]
    if position is not None:
        items.sort(key=lambda i: (i.distance_km is None, i.distance_km or 0.0))
    return items


def _distance_km(assignment: Assignment, position: tuple[float, float] | None) -> float | None:
    address = assignment.visit_address
    if position is None or not address.has_position:
        return None
    return float(geodesic(position, (address.latitude, address.longitude)).km)


def overdue(office_id: int, today: date) -> list[Assignment]:
    stmt = (
        select(Assignment)
        .where(Assignment.office_id == office_id, Assignment.status.in_(OPEN_STATUSES),
               Assignment.due_on < today)
        .options(*_load_options(), joinedload(Assignment.user))
        .order_by(Assignment.due_on, Assignment.id)
    )
    return list(db.session.scalars(stmt))


def field_users(office_id: int) -> list[User]:
    stmt = (
        select(User)
        .where(User.office_id == office_id, User.role.in_(FIELD_ROLES), User.active.is_(True))
        .order_by(User.full_name)
    )
    return list(db.session.scalars(stmt))
