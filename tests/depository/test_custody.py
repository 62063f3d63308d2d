"""Custody of sealed goods: opened by the embargo record at sync, received at the depository by
scanning seals, moved forward only with who and when, and office isolation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from fieldapp.depository.models import CustodyItem
from fieldapp.depository.services import CustodyError, advance
from fieldapp.extensions import db

HTMX = {"HX-Request": "true"}


def item_with(code: str) -> CustodyItem:
    return db.session.scalars(select(CustodyItem).where(CustodyItem.seal_code == code)).one()


def test_an_embargo_opens_custody_on_site_for_each_sealed_good(seized):
    items = db.session.scalars(select(CustodyItem).order_by(CustodyItem.item_index)).all()
    assert [i.seal_code for i in items] == seized.codes
    first = items[0]
    assert first.state == "on_site" and first.diligence_id == seized.record["id"]
    assert first.description == "Camioneta Nissan NP300 2020"
    assert first.custodian_name == "María López Pérez"
    assert first.location == "Av. Juárez 100, bodega"
    (event,) = first.events
    assert event.state == "on_site" and event.actor_id == seized.enforcement.executor.id
    assert event.at == datetime(2026, 3, 12, 16, 0, tzinfo=UTC)  # when the embargo began


def test_a_third_party_claim_opens_no_custody(factory, client):
    """R-PAE-9: a good a third party proved is theirs is provisionally not seized."""
    from tests.seals.embargo import enforcement_setup, seizure_facts, seizure_record

    e = enforcement_setup(factory, client)
    facts = seizure_facts(e.codes[0], e.codes[1])
    facts["seizure"]["items"][1]["third_party_claim"] = {
        "claimant": "Arrendadora del Norte SA", "documents": "Factura 1234 a su nombre"}
    e.phones[0].push_ok([seizure_record(e.assignments[0].id, facts=facts)])
    assert [i.seal_code for i in db.session.scalars(select(CustodyItem))] == [e.codes[0]]


def test_custody_moves_forward_only_keeping_who_and_when(seized):
    head = seized.enforcement.supervisor
    item = item_with(seized.codes[0])
    advance(item, "moved", actor=head, location="Camión de la oficina", note="Grúa 12")
    advance(item, "received", actor=head, location="Bodega 2")
    advance(item, "inventoried", actor=head)
    advance(item, "inventoried", actor=head)  # a later inventory counts it again
    with pytest.raises(CustodyError, match="la custodia solo avanza"):
        advance(item, "received", actor=head)
    with pytest.raises(CustodyError, match="solo avanza"):
        advance(item, "on_site", actor=head)
    advance(item, "released", actor=head, note="Pago del crédito")
    with pytest.raises(CustodyError, match="ya fue liberado"):
        advance(item, "released", actor=head)
    db.session.commit()
    states = [e.state for e in item.events]
    assert states == ["on_site", "moved", "received", "inventoried", "inventoried", "released"]
    assert all(e.actor_id == head.id for e in item.events[1:])
    assert [e.at for e in item.events] == sorted(e.at for e in item.events)
    assert item.location == "Bodega 2" and item.state == "released"


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_receive_goods_by_scanning_several_seals_at_once(client, auth, seized, htmx):
    auth.login(seized.enforcement.supervisor.username)
    a, b = seized.codes[:2]
    scanner_input = f"{a}\r\n{b.lower()}\n{a}\nSE-9999-000001-0, basura"
    response = client.post("/oficina/deposito/recibir",
                           data={"codes": scanner_input, "location": "Bodega 2"},
                           headers=HTMX if htmx else {})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert ("<html" in body) is not htmx
    assert body.count("Recibido en la depositaría.") == 2
    assert "Ningún bien embargado de esta subdelegación lleva este sello." in body
    assert "No es un código de sello legible." in body and "BASURA" in body
    db.session.expire_all()
    received = item_with(a)
    assert received.state == "received" and received.location == "Bodega 2"
    assert received.events[-1].actor_id == seized.enforcement.supervisor.id
    again = client.post("/oficina/deposito/recibir", data={"codes": a},
                        headers=HTMX if htmx else {})
    assert "Ya está «Recibido en la depositaría»." in again.get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_receive_with_nothing_scanned_says_so(client, auth, seized, htmx):
    auth.login(seized.enforcement.supervisor.username)
    response = client.post("/oficina/deposito/recibir", data={"codes": "  "},
                           headers=HTMX if htmx else {})
    assert response.status_code == 422
    assert "Escanee o escriba al menos un código de sello." in response.get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_item_history_page_and_a_custody_step(client, auth, seized, htmx):
    auth.login(seized.enforcement.supervisor.username)
    item = item_with(seized.codes[0])
    page = client.get(f"/oficina/deposito/bienes/{item.id}").get_data(as_text=True)
    assert "Historial de custodia" in page and "En el domicilio, con el depositario" in page
    response = client.post(f"/oficina/deposito/bienes/{item.id}/custodia",
                           data={"state": "moved", "location": "Grúa 12", "note": ""},
                           headers=HTMX if htmx else {})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert ("<html" in body) is not htmx
    assert "Trasladado" in body and "Grúa 12" in body
    back = client.post(f"/oficina/deposito/bienes/{item.id}/custodia",
                       data={"state": "moved"}, headers=HTMX if htmx else {})
    assert back.status_code == 422
    assert "la custodia solo avanza" in back.get_data(as_text=True)


def test_another_offices_goods_answer_404(client, auth, factory, seized):
    from tests.seals.embargo import enforcement_setup

    other = enforcement_setup(factory, client)
    auth.login(other.supervisor.username)
    item = item_with(seized.codes[0])
    assert client.get(f"/oficina/deposito/bienes/{item.id}").status_code == 404
    assert client.post(f"/oficina/deposito/bienes/{item.id}/custodia",
                       data={"state": "moved"}).status_code == 404
    listing = client.get("/oficina/deposito/").get_data(as_text=True)
    assert seized.codes[0] not in listing
    # Scanning another office's seal receives nothing and reveals nothing.
    body = client.post("/oficina/deposito/recibir",
                       data={"codes": seized.codes[0]}).get_data(as_text=True)
    assert "Ningún bien embargado de esta subdelegación lleva este sello." in body
    db.session.expire_all()
    assert item_with(seized.codes[0]).state == "on_site"
