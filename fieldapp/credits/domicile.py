"""Cambio de domicilio (R-NOT-10; manual function 000-45): the one write path of an
``AddressProposal``.

- ``propose_from``: an approved diligence that reports where the debtor is now — a not-located
  record with a new address given by neighbours or found on site, or a localización that found
  the debtor — proposes that address to the office head. The moment is the approval, as for
  estrados: a record under review, returned or rejected proposes nothing.
- ``accept``: the address joins the debtor's addresses as a new row (origin
  "change_of_address", with the diligence that reported it; nothing is overwritten) and the
  document is assigned to a field user at that address.
- ``dismiss``: the proposal is kept with the office head's reason.

Services flush, never commit; every step is audited, and an acceptance is one transaction
(the address, the assignment and the decision together, or none).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from fieldapp.assignments.models import Assignment
from fieldapp.assignments.services import assign
from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.credits.models import PROPOSAL_STATES, AddressProposal
from fieldapp.db_types import utcnow
from fieldapp.diligences.models import Diligence
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import Address

REASON_MAX = 300
# Column lengths of AddressProposal (the full text stays in the diligence's content).
FIELD_LENGTHS = {"street": 160, "exterior_number": 20, "interior_number": 20,
                 "neighborhood": 120, "municipality": 120, "state": 60, "postal_code": 5,
                 "informant": 200}


class ProposalError(DomainError):
    """A decision on a proposal that cannot be made; the message is for the office head."""

    code = "address_proposal_refused"
    status = 409


def reported_address(diligence: Diligence) -> tuple[str, dict[str, Any]] | None:
    """(source, address fields) of the new address the diligence reports, or None: a
    not-located record's ``new_address``, or a localización's when it found the debtor. An
    address without street, number and municipality proposes nothing (R-NOT-10 blocks it on
    the phone and on the server)."""
    facts = diligence.facts
    if diligence.kind == "not_located":
        source, found = "not_located", (facts.get("not_located") or {}).get("new_address")
    elif diligence.kind == "localization":
        loc = facts.get("localization") or {}
        source, found = "localization", loc.get("new_address") if loc.get("result") == "found" else None
    else:
        return None
    if not isinstance(found, dict):
        return None
    fields = {k: _clean(found.get(k)) for k in FIELD_LENGTHS}
    if not (fields["street"] and fields["exterior_number"] and fields["municipality"]):
        return None
    return source, fields


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def propose_from(diligence: Diligence, *, actor: User | None) -> AddressProposal | None:
    """The proposal an approved diligence makes, or None (no new address; idempotent: one
    proposal per diligence)."""
    found = reported_address(diligence)
    if found is None:
        return None
    if db.session.scalar(select(AddressProposal.id).where(
            AddressProposal.diligence_id == diligence.id)) is not None:
        return None
    source, fields = found
    clipped = {k: (v[:FIELD_LENGTHS[k]] if v else None) for k, v in fields.items()}
    proposal = AddressProposal(
        office_id=diligence.office_id, debtor_id=diligence.document.debtor_id,
        document_id=diligence.document_id, diligence_id=diligence.id, source=source,
        state="proposed", street=clipped["street"], exterior_number=clipped["exterior_number"],
        interior_number=clipped["interior_number"], neighborhood=clipped["neighborhood"],
        municipality=clipped["municipality"], state_name=clipped["state"],
        postal_code=clipped["postal_code"], informant=clipped["informant"])
    db.session.add(proposal)
    db.session.flush()
    record("address_proposal_opened", actor=actor, obj=proposal, office_id=proposal.office_id,
           document_id=proposal.document_id, diligence_id=diligence.id, source=source,
           address=proposal.one_line)
    return proposal


def _require_open(proposal: AddressProposal) -> None:
    if proposal.state != "proposed":
        raise ProposalError(f"La propuesta ya fue {proposal.state_label.lower()}.")


def accept(proposal: AddressProposal, user: User, due_on: date, *, actor: User,
           today: date) -> Assignment:
    """The office head accepts the new address: a new row of the debtor's addresses (origin
    "cambio de domicilio", its source diligence) and an assignment of the document to ``user``
    at that address, due ``due_on``. Returns the assignment."""
    _require_open(proposal)
    if due_on < today:
        raise ProposalError("La fecha límite no puede ser anterior a hoy.")
    address = Address(
        debtor_id=proposal.debtor_id, origin="change_of_address", street=proposal.street,
        exterior_number=proposal.exterior_number, interior_number=proposal.interior_number,
        neighborhood=proposal.neighborhood or "", municipality=proposal.municipality,
        state=proposal.state_name or "", postal_code=proposal.postal_code or "",
        source_diligence_id=proposal.diligence_id)
    db.session.add(address)
    db.session.flush()
    record("debtor_address_added", actor=actor, obj=address, office_id=proposal.office_id,
           debtor_id=proposal.debtor_id, origin=address.origin,
           source_diligence_id=proposal.diligence_id, address=address.one_line)
    # assign() refuses what cannot be assigned (inactive user, paid credits, R-DL-2): the
    # whole acceptance is then undone by the request's rollback.
    assignment = assign(proposal.document, user, due_on, actor=actor, address=address)
    proposal.state, proposal.decided_at, proposal.decided_by_id = "accepted", utcnow(), actor.id
    proposal.address_id, proposal.assignment_id = address.id, assignment.id
    db.session.flush()
    record("address_proposal_accepted", actor=actor, obj=proposal, office_id=proposal.office_id,
           address_id=address.id, assignment_id=assignment.id, user_id=user.id, due_on=due_on)
    return assignment


def dismiss(proposal: AddressProposal, reason: str, *, actor: User) -> None:
    """The office head dismisses the address (wrong, not credible, already known), with why."""
    _require_open(proposal)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ProposalError("Escriba el motivo para descartar el domicilio.")
    if len(reason) > REASON_MAX:
        raise ProposalError(f"El motivo admite hasta {REASON_MAX} caracteres.")
    proposal.state, proposal.decided_at, proposal.decided_by_id = "dismissed", utcnow(), actor.id
    proposal.dismiss_reason = reason
    db.session.flush()
    record("address_proposal_dismissed", actor=actor, obj=proposal,
           office_id=proposal.office_id, reason=reason)


# The office head's list ------------------------------------------------------------------------

def proposals(office: Office, state: str) -> list[AddressProposal]:
    """The office's proposals in ``state``: open ones oldest first, decided ones newest first."""
    order = ((AddressProposal.proposed_at, AddressProposal.id) if state == "proposed"
             else (AddressProposal.decided_at.desc(), AddressProposal.id.desc()))
    return list(db.session.scalars(
        select(AddressProposal).where(AddressProposal.office_id == office.id,
                                      AddressProposal.state == state).order_by(*order)))


def proposal_counts(office: Office) -> dict[str, int]:
    found = dict(db.session.execute(
        select(AddressProposal.state, func.count()).where(AddressProposal.office_id == office.id)
        .group_by(AddressProposal.state)).all())
    return {state: int(found.get(state, 0)) for state in PROPOSAL_STATES}
