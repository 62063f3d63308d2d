"""The office head's cambio de domicilio page (/oficina/domicilios) and the localización choice
on the documents page: accept and dismiss through the forms, refusals in Spanish with nothing
saved, office isolation, the office home's card."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.credits.models import AddressProposal
from fieldapp.extensions import db
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Address
from tests.credits.test_domicile import proposed
from tests.scenarios import assignment_of


def test_the_office_head_accepts_a_proposal_from_the_page(desk, head):
    proposal = proposed(desk)
    home = head.get("/oficina/").get_data(as_text=True)
    assert 'id="address-proposals-card"' in home and "/oficina/domicilios/" in home
    page = head.get("/oficina/domicilios/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Av. Patria 1500, Col. Jardines, C.P. 45110, Zapopan, Jalisco" in html
    assert "Rosa Díaz (vecina del 102)" in html and proposal.document.folio in html
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "address_proposals_viewed")) == "address_proposals_viewed"

    notifier2 = desk.workers["notifier2"].user
    late = office_today(desk.office) - timedelta(days=1)
    bad = head.post(f"/oficina/domicilios/{proposal.id}/aceptar",
                    data={"user_id": notifier2.id, "due_on": late.isoformat()})
    assert bad.status_code == 422
    assert "no puede ser anterior a hoy" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AddressProposal, proposal.id).state == "proposed"
    assert db.session.scalar(select(Address).where(Address.origin == "change_of_address")) is None

    due = office_today(desk.office) + timedelta(days=3)
    ok = head.post(f"/oficina/domicilios/{proposal.id}/aceptar",
                   data={"user_id": notifier2.id, "due_on": due.isoformat()})
    assert ok.status_code == 302, ok.get_data(as_text=True)
    db.session.expire_all()
    done = db.session.get(AddressProposal, proposal.id)
    assert done.state == "accepted" and done.assignment.user_id == notifier2.id
    accepted = head.get("/oficina/domicilios/?estado=aceptados").get_data(as_text=True)
    assert "Aceptado el" in accepted and notifier2.full_name in accepted


def test_dismissing_needs_a_reason(desk, head):
    proposal = proposed(desk)
    bad = head.post(f"/oficina/domicilios/{proposal.id}/descartar", data={"reason": ""})
    assert bad.status_code == 422
    assert "Escriba el motivo para descartar el domicilio." in bad.get_data(as_text=True)
    ok = head.post(f"/oficina/domicilios/{proposal.id}/descartar",
                   data={"reason": "Domicilio de otro contribuyente."})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(AddressProposal, proposal.id).dismiss_reason == \
        "Domicilio de otro contribuyente."


def test_an_office_sees_only_its_own_proposals(desk, other_desk, head):
    theirs = proposed(other_desk)
    assert theirs.one_line not in head.get("/oficina/domicilios/").get_data(as_text=True)
    response = head.post(f"/oficina/domicilios/{theirs.id}/descartar", data={"reason": "x"})
    assert response.status_code == 404
    assert db.session.scalar(select(AddressProposal.state).where(
        AddressProposal.id == theirs.id)) == "proposed"


def test_field_users_cannot_open_the_page(desk, client, auth):
    auth.login("notifier-a")
    assert client.get("/oficina/domicilios/").status_code in (302, 403, 404)


def test_the_office_head_assigns_a_localization_from_the_documents_page(desk, head):
    document = desk.workers["notifier"].assignments["centro"].document
    page = head.get("/oficina/documentos").get_data(as_text=True)
    assert "Localización del deudor" in page
    due = office_today(desk.office) + timedelta(days=2)
    response = head.post(f"/oficina/documentos/{document.id}/asignar",
                         data={"user_id": desk.workers["notifier2"].user.id,
                               "due_on": due.isoformat(), "kind": "localization"})
    assert response.status_code == 200, response.get_data(as_text=True)
    live = assignment_of(document, live=True)
    assert (live.kind, live.user_id) == ("localization", desk.workers["notifier2"].user.id)
    assert "Localización del deudor" in response.get_data(as_text=True)
