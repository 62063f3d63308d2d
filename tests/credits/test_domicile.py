"""Cambio de domicilio and localización (issue 12 leftovers, items 1 and 2): a not-located
record or a localización that reports where the debtor is now proposes that address to the
office head when approved (R-NOT-10); accepting adds a new row to the debtor's addresses and
assigns the document there, dismissing keeps the reason; nothing is overwritten."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from fieldapp.assignments.models import Assignment
from fieldapp.assignments.services import assign
from fieldapp.audit.models import AuditEvent
from fieldapp.credits.domicile import ProposalError, accept, dismiss, proposals
from fieldapp.credits.models import AddressProposal
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Address
from tests.credits.test_estrados import not_located_facts
from tests.sync.helpers import NOTIFICATION_FACTS, make_record

NEW_ADDRESS = {"street": "Av. Patria", "exterior_number": "1500", "neighborhood": "Jardines",
               "municipality": "Zapopan", "state": "Jalisco", "postal_code": "45110",
               "informant": "Rosa Díaz (vecina del 102)"}


def moved_with_new_address(**address: Any) -> dict[str, Any]:
    facts = not_located_facts()
    facts["not_located"]["new_address"] = {**NEW_ADDRESS, **address}
    return facts


def localization_facts(result: str = "found", **localization: Any) -> dict[str, Any]:
    facts = {k: v for k, v in copy.deepcopy(NOTIFICATION_FACTS).items()
             if k not in ("attendee", "copy_delivered", "address", "address_verification",
                          "addressee_asked", "representative_asked", "addressee_type",
                          "entered_at")}
    facts["kind"] = "localization"
    facts["localization"] = {"result": result, **localization}
    if result == "found" and "new_address" not in localization:
        facts["localization"]["new_address"] = dict(NEW_ADDRESS)
    return facts


def audit_actions(object_type: str, object_id: Any) -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.id))]


def proposed(desk, **push: Any) -> AddressProposal:  # type: ignore[no-untyped-def]
    diligence = desk.push(kind="not_located", facts=moved_with_new_address(), **push)
    assert not diligence.has_block_findings, diligence.findings
    decide(diligence, "approved", actor=desk.supervisor)
    db.session.commit()
    [proposal] = proposals(desk.office, "proposed")
    return proposal


def test_an_approved_not_located_record_with_a_new_address_proposes_it(desk):
    diligence = desk.push(kind="not_located", facts=moved_with_new_address())
    assert proposals(desk.office, "proposed") == []  # not before the office head approves
    decide(diligence, "approved", actor=desk.supervisor)
    db.session.commit()
    [proposal] = proposals(desk.office, "proposed")
    assert (proposal.source, proposal.diligence_id, proposal.document_id) == (
        "not_located", diligence.id, diligence.document_id)
    assert proposal.one_line == "Av. Patria 1500, Col. Jardines, C.P. 45110, Zapopan, Jalisco"
    assert proposal.informant == "Rosa Díaz (vecina del 102)"
    assert audit_actions("address_proposals", proposal.id) == ["address_proposal_opened"]
    # Idempotent: a comment proposes nothing more.
    decide(diligence, "comment", actor=desk.supervisor, observations="Visto.")
    assert len(proposals(desk.office, "proposed")) == 1


def test_a_rejected_record_or_one_without_address_proposes_nothing(desk):
    rejected = desk.push(kind="not_located", facts=moved_with_new_address())
    decide(rejected, "rejected", actor=desk.supervisor, reason="Sin fotografías del inmueble.")
    approved = desk.push(kind="not_located", sector="norte", facts=not_located_facts())
    decide(approved, "approved", actor=desk.supervisor)
    db.session.commit()
    assert db.session.scalars(select(AddressProposal)).all() == []


def test_an_incomplete_new_address_is_blocked_by_r_not_10(desk):
    diligence = desk.push(kind="not_located",
                          facts=moved_with_new_address(exterior_number=None, postal_code="451"))
    blocks = {(f["rule_id"], f["field"]) for f in diligence.findings if f["severity"] == "block"}
    assert blocks == {("R-NOT-10", "not_located.new_address"),
                      ("R-NOT-10", "not_located.new_address.postal_code")}


def test_accepting_adds_an_address_and_assigns_the_document_there(desk):
    proposal = proposed(desk)
    document = proposal.document
    old_address = document.address
    old_assignment = db.session.get(Assignment, proposal.diligence.assignment_id)
    assert old_assignment.status == "done"
    notifier2 = desk.workers["notifier2"].user
    due = office_today(desk.office) + timedelta(days=5)
    assignment = accept(proposal, notifier2, due, actor=desk.supervisor,
                        today=office_today(desk.office))
    db.session.commit()
    # Nothing overwritten: the document keeps its address, the debtor gains one.
    assert document.address_id == old_address.id
    addresses = db.session.scalars(select(Address).where(
        Address.debtor_id == document.debtor_id).order_by(Address.id)).all()
    new = addresses[-1]
    assert (new.origin, new.origin_label, new.source_diligence_id, new.street) == (
        "change_of_address", "Cambio de domicilio", proposal.diligence_id, "Av. Patria")
    assert old_address in addresses
    assert (assignment.user_id, assignment.address_id, assignment.kind, assignment.status,
            assignment.due_on) == (notifier2.id, new.id, "diligence", "pending", due)
    assert assignment.visit_address == new
    assert (old_assignment.status, old_assignment.withdrawal_reason) == (
        "withdrawn", "Concluida; el documento se asigna al nuevo domicilio del deudor.")
    assert (proposal.state, proposal.address_id, proposal.assignment_id,
            proposal.decided_by_id) == ("accepted", new.id, assignment.id, desk.supervisor.id)
    assert audit_actions("address_proposals", proposal.id) == [
        "address_proposal_opened", "address_proposal_accepted"]
    assert audit_actions("addresses", new.id) == ["debtor_address_added"]
    # The phone of the person assigned gets the new address to go to.
    pulled = desk.workers["notifier2"].phone.pull()
    [item] = [a for a in pulled["assignments"] if a["id"] == assignment.id]
    assert item["document"]["address"]["id"] == new.id
    assert item["kind"] == "diligence"
    with pytest.raises(ProposalError, match="ya fue aceptado"):
        dismiss(proposal, "Tarde", actor=desk.supervisor)


def test_a_refused_assignment_undoes_nothing_half_done(desk):
    proposal = proposed(desk)
    inactive = desk.workers["notifier2"].user
    inactive.active = False
    db.session.commit()
    before = db.session.scalars(select(Address)).all()
    with pytest.raises(Exception, match="no es personal de campo activo"):
        accept(proposal, inactive, office_today(desk.office), actor=desk.supervisor,
               today=office_today(desk.office))
    db.session.rollback()
    assert db.session.scalars(select(Address)).all() == before
    assert proposal.state == "proposed"


def test_dismissing_keeps_the_proposal_with_its_reason(desk):
    proposal = proposed(desk)
    with pytest.raises(ProposalError, match="Escriba el motivo"):
        dismiss(proposal, "   ", actor=desk.supervisor)
    dismiss(proposal, "El domicilio pertenece a otro contribuyente.", actor=desk.supervisor)
    db.session.commit()
    assert (proposal.state, proposal.dismiss_reason, proposal.address_id) == (
        "dismissed", "El domicilio pertenece a otro contribuyente.", None)
    assert proposals(desk.office, "dismissed") == [proposal]
    assert audit_actions("address_proposals", proposal.id)[-1] == "address_proposal_dismissed"
    with pytest.raises(ProposalError):
        accept(proposal, desk.workers["notifier"].user, date(2030, 1, 1), actor=desk.supervisor,
               today=office_today(desk.office))


# Localización (item 2) -------------------------------------------------------------------------

def localization_for(desk, who: str = "notifier") -> Assignment:  # type: ignore[no-untyped-def]
    document = desk.workers[who].assignments["centro"].document
    assignment = assign(document, desk.workers[who].user, office_today(desk.office),
                        actor=desk.supervisor, kind="localization")
    db.session.commit()
    desk.workers[who].assignments["loc"] = assignment
    return assignment


def test_the_office_head_assigns_a_localization_and_the_phone_gets_it(desk):
    previous = desk.workers["notifier"].assignments["centro"]
    assignment = localization_for(desk)
    assert (assignment.kind, assignment.kind_label) == ("localization", "Localización del deudor")
    assert (previous.status, previous.withdrawal_reason) == (
        "withdrawn", "Sustituida por una asignación de localización del deudor.")
    pulled = desk.workers["notifier"].phone.pull()
    [item] = [a for a in pulled["assignments"] if a["id"] == assignment.id]
    assert (item["kind"], item["kind_label"]) == ("localization", "Localización del deudor")


def test_a_localization_found_proposes_the_address_when_approved(desk):
    localization_for(desk)
    diligence = desk.push(kind="localization", sector="loc", facts=localization_facts())
    assert not diligence.has_block_findings, diligence.findings
    assert diligence.assignment.status == "done"
    decide(diligence, "approved", actor=desk.supervisor)
    db.session.commit()
    [proposal] = proposals(desk.office, "proposed")
    assert (proposal.source, proposal.source_label) == ("localization", "Localización del deudor")


def test_a_localization_not_found_needs_evidence_and_proposes_nothing(desk):
    localization_for(desk)
    bare = desk.push(kind="localization", sector="loc", facts=localization_facts("not_found"))
    assert {(f["rule_id"], f["field"]) for f in bare.findings if f["severity"] == "block"} == {
        ("R-NOT-10", "localization")}
    with_evidence = desk.push(kind="localization", sector="loc", facts=localization_facts(
        "not_found", notes="Se consultó el padrón municipal: sin registro."))
    assert not with_evidence.has_block_findings
    decide(with_evidence, "approved", actor=desk.supervisor)
    db.session.commit()
    assert proposals(desk.office, "proposed") == []


def test_the_server_keeps_each_kind_of_assignment_to_its_own_record(desk):
    worker = desk.workers["notifier"]
    loc = localization_for(desk)
    wrong = [make_record(loc.id, kind="not_located", facts=not_located_facts(),
                         previous_hash=worker.last_hash),
             make_record(desk.workers["notifier"].assignments["norte"].id, kind="localization",
                         facts=localization_facts(), previous_hash=worker.last_hash)]
    results = worker.phone.push_ok(wrong)["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert all(any(e["rule"] == "S-KIND" for e in r["errors"]) for r in results), results
