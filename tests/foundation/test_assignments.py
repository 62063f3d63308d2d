"""Office heads assign work one by one and by sector; field users see their worklist."""

from __future__ import annotations

from datetime import date

import pytest

from fieldapp.assignments.models import Assignment
from fieldapp.extensions import db
from tests.scenarios import assignments_of


def live_assignments(document):
    return assignments_of(document, live=True)


@pytest.fixture
def office_world(factory):
    office = factory.office()
    north, south = factory.sector(office, code="N"), factory.sector(office, code="S")
    return dict(
        office=office, north=north, south=south,
        ana=factory.user(office, role="notifier", username="ana", full_name="Ana Ruiz"),
        beto=factory.user(office, role="notifier", username="beto", full_name="Beto Díaz"),
        eje=factory.user(office, role="executor", username="eje"),
        jefe=factory.user(office, role="supervisor", username="jefe"),
    )


def test_assign_one_document_as_page_and_as_fragment(client, auth, factory, office_world):
    doc = factory.portfolio_item(office_world["office"], sector=office_world["north"])
    auth.login("jefe")
    page = client.post(f"/oficina/documentos/{doc.id}/asignar",
                       data={"user_id": office_world["ana"].id, "due_on": "2026-12-04"})
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    other = factory.portfolio_item(office_world["office"], sector=office_world["north"])
    fragment = client.post(f"/oficina/documentos/{other.id}/asignar", headers={"HX-Request": "true"},
                           data={"user_id": office_world["ana"].id, "due_on": "2026-12-04"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and f'id="document-{other.id}"' in body
    assert "HX-Request" in fragment.headers["Vary"]
    assert [a.user_id for a in live_assignments(doc)] == [office_world["ana"].id]


def test_reassigning_withdraws_the_previous_assignment(client, auth, factory, office_world):
    doc = factory.portfolio_item(office_world["office"], user=office_world["ana"])
    auth.login("jefe")
    client.post(f"/oficina/documentos/{doc.id}/asignar",
                data={"user_id": office_world["beto"].id, "due_on": "2026-12-04"})
    rows = assignments_of(doc)
    assert [(r.user_id, r.status) for r in rows] == [
        (office_world["ana"].id, "withdrawn"), (office_world["beto"].id, "pending")]


def test_execution_orders_go_only_to_executors(client, auth, factory, office_world):
    debtor = factory.debtor(office_world["office"])
    order = factory.document(debtor, kind="execution_order")
    auth.login("jefe")
    response = client.post(f"/oficina/documentos/{order.id}/asignar",
                           data={"user_id": office_world["ana"].id, "due_on": "2026-12-04"})
    assert response.status_code == 422
    assert "sólo se asigna a un ejecutor" in response.get_data(as_text=True)
    assert live_assignments(order) == []


def test_paid_credits_need_no_field_work(client, auth, factory, office_world):
    doc = factory.portfolio_item(office_world["office"])
    doc.credits[0].status = "paid"
    db.session.commit()
    auth.login("jefe")
    response = client.post(f"/oficina/documentos/{doc.id}/asignar",
                           data={"user_id": office_world["ana"].id, "due_on": "2026-12-04"})
    assert response.status_code == 422 and live_assignments(doc) == []


def test_bulk_assignment_by_sector(client, auth, factory, office_world):
    north_docs = [factory.portfolio_item(office_world["office"], sector=office_world["north"])
                  for _ in range(3)]
    south_doc = factory.portfolio_item(office_world["office"], sector=office_world["south"])
    taken = factory.portfolio_item(office_world["office"], user=office_world["beto"],
                                   sector=office_world["north"])
    auth.login("jefe")
    response = client.post("/oficina/sectores/asignar", data={
        "sector_id": office_world["north"].id, "user_id": office_world["ana"].id,
        "due_on": "2026-12-11"})
    assert response.status_code == 302
    for doc in north_docs:
        assert [a.user_id for a in live_assignments(doc)] == [office_world["ana"].id]
    assert live_assignments(south_doc) == []
    assert [a.user_id for a in live_assignments(taken)] == [office_world["beto"].id]  # not taken over

    client.post("/oficina/sectores/asignar", data={
        "sector_id": office_world["north"].id, "user_id": office_world["ana"].id,
        "due_on": "2026-12-11", "include_assigned": "y"})
    assert [a.user_id for a in live_assignments(taken)] == [office_world["ana"].id]


def test_bulk_assignment_is_all_or_nothing(client, auth, factory, office_world):
    factory.portfolio_item(office_world["office"], sector=office_world["north"])
    debtor = factory.debtor(office_world["office"])
    factory.document(debtor, factory.address(debtor, sector=office_world["north"]), kind="execution_order")
    auth.login("jefe")
    response = client.post("/oficina/sectores/asignar", data={
        "sector_id": office_world["north"].id, "user_id": office_world["ana"].id,
        "due_on": "2026-12-11"}, follow_redirects=True)
    assert "No se asignó nada" in response.get_data(as_text=True)
    assert db.session.query(Assignment).count() == 0


def test_worklist_orders_by_distance_when_the_phone_shares_its_position(client, auth, factory,
                                                                        office_world):
    office, ana = office_world["office"], office_world["ana"]
    far = factory.portfolio_item(office, user=ana, latitude=20.7300, longitude=-103.4000)
    near = factory.portfolio_item(office, user=ana, latitude=20.6770, longitude=-103.3470)
    middle = factory.portfolio_item(office, user=ana, latitude=20.6900, longitude=-103.3600)
    auth.login("ana")
    body = client.get("/campo/?lat=20.6767&lon=-103.3475").get_data(as_text=True)
    order = [body.index(d.folio) for d in (near, middle, far)]
    assert order == sorted(order)
    assert "33 m" in body or " m<" in body  # the near one shows metres


def test_worklist_filters_by_status_and_sector_as_fragment(client, auth, factory, office_world):
    office, ana = office_world["office"], office_world["ana"]
    in_north = factory.portfolio_item(office, user=ana, sector=office_world["north"])
    in_south = factory.portfolio_item(office, user=ana, sector=office_world["south"])
    auth.login("ana")
    response = client.get(f"/campo/?sector={office_world['north'].id}", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and in_north.folio in body and in_south.folio not in body
    done = client.get("/campo/?estado=concluidas").get_data(as_text=True)
    assert in_north.folio not in done and "No tiene asignaciones" in done


def test_assignment_detail_shows_amounts_and_a_map_link(client, auth, factory, office_world):
    doc = factory.portfolio_item(office_world["office"], user=office_world["ana"])
    assignment = live_assignments(doc)[0]
    auth.login("ana")
    body = client.get(f"/campo/asignaciones/{assignment.id}").get_data(as_text=True)
    assert doc.debtor.legal_name in body and doc.folio in body
    assert f"${doc.total:,.2f}" in body
    assert "geo:20.6767,-103.3475" in body


def test_overdue_assignments_are_listed_for_the_office_head(client, auth, factory, office_world):
    late = factory.portfolio_item(office_world["office"])
    factory.assignment(late, office_world["ana"], due_on=date(2026, 1, 5))
    on_time = factory.portfolio_item(office_world["office"])
    factory.assignment(on_time, office_world["ana"], due_on=date(2099, 1, 5))
    auth.login("jefe")
    body = client.get("/oficina/vencidas").get_data(as_text=True)
    assert late.folio in body and on_time.folio not in body
    home = client.get("/oficina/").get_data(as_text=True)
    assert late.folio in home
