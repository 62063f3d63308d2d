"""A user of office A never sees or touches anything of office B: 404, never 403."""

from __future__ import annotations

from datetime import date

import pytest

from fieldapp.extensions import db
from tests.scenarios import assignment_of, assignments_of


@pytest.fixture
def two_offices(factory):
    a, b = factory.office(name="Subdelegación A"), factory.office(name="Subdelegación B")
    world = {}
    for key, office in (("a", a), ("b", b)):
        sector = factory.sector(office, code=f"S-{key}")
        notifier = factory.user(office, role="notifier", username=f"notificador-{key}")
        supervisor = factory.user(office, role="supervisor", username=f"jefe-{key}")
        admin = factory.user(office, role="admin", username=f"admin-{key}")
        document = factory.portfolio_item(office, user=notifier, sector=sector)
        spare = factory.portfolio_item(office, sector=sector)
        world[key] = dict(office=office, sector=sector, notifier=notifier, supervisor=supervisor,
                          admin=admin, document=document, spare=spare,
                          assignment=assignment_of(document))
    return world


def test_assignment_of_another_office_is_not_found(client, auth, two_offices):
    auth.login("notificador-a")
    own = two_offices["a"]["assignment"]
    other = two_offices["b"]["assignment"]
    assert client.get(f"/campo/asignaciones/{own.id}").status_code == 200
    assert client.get(f"/campo/asignaciones/{other.id}").status_code == 404


def test_assignment_of_a_colleague_is_not_found(client, auth, factory, two_offices):
    colleague = factory.user(two_offices["a"]["office"], role="notifier", username="colega")
    document = factory.portfolio_item(two_offices["a"]["office"], user=colleague)
    theirs = assignment_of(document)
    auth.login("notificador-a")
    assert client.get(f"/campo/asignaciones/{theirs.id}").status_code == 404


def test_document_of_another_office_cannot_be_assigned(client, auth, two_offices):
    auth.login("jefe-a")
    other_doc = two_offices["b"]["spare"]
    response = client.post(f"/oficina/documentos/{other_doc.id}/asignar",
                           data={"user_id": two_offices["a"]["notifier"].id, "due_on": "2026-12-01"})
    assert response.status_code == 404
    assert assignments_of(other_doc) == []


def test_user_of_another_office_cannot_receive_work(client, auth, two_offices):
    auth.login("jefe-a")
    doc = two_offices["a"]["spare"]
    response = client.post(f"/oficina/documentos/{doc.id}/asignar",
                           data={"user_id": two_offices["b"]["notifier"].id, "due_on": "2026-12-01"})
    # The other office's person is not even offered as a choice.
    assert response.status_code == 422
    assert assignments_of(doc) == []


def test_sector_of_another_office_cannot_be_bulk_assigned(client, auth, two_offices):
    auth.login("jefe-a")
    response = client.post("/oficina/sectores/asignar", data={
        "sector_id": two_offices["b"]["sector"].id, "user_id": two_offices["a"]["notifier"].id,
        "due_on": "2026-12-01"})
    assert response.status_code == 302  # refused by the form: not a choice of this office
    assert assignments_of(two_offices["b"]["spare"]) == []


def test_lists_show_only_the_own_office(client, auth, two_offices):
    auth.login("jefe-a")
    page = client.get("/oficina/documentos").get_data(as_text=True)
    assert two_offices["a"]["document"].folio in page
    assert two_offices["b"]["document"].folio not in page
    assert two_offices["b"]["notifier"].full_name not in page
    auth.logout()
    auth.login("admin-a")
    users = client.get("/admin/usuarios").get_data(as_text=True)
    assert "notificador-a" in users and "notificador-b" not in users


def test_worklist_shows_only_own_assignments(client, auth, two_offices):
    auth.login("notificador-a")
    page = client.get("/campo/").get_data(as_text=True)
    assert two_offices["a"]["document"].folio in page
    assert two_offices["b"]["document"].folio not in page


def test_overdue_lists_only_own_office(client, auth, two_offices):
    for key in ("a", "b"):
        two_offices[key]["assignment"].due_on = date(2020, 1, 1)
    db.session.commit()
    auth.login("jefe-a")
    page = client.get("/oficina/vencidas").get_data(as_text=True)
    assert two_offices["a"]["document"].folio in page
    assert two_offices["b"]["document"].folio not in page
