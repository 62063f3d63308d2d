"""Seal pages for office heads: list, issue, assign, print, look up and void; each action as a
page and as an htmx fragment; another office's sheets and seals answer 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.seals.models import Seal, SealSheet

HTMX = {"HX-Request": "true"}


@pytest.fixture
def office_head(enforcement, auth):
    auth.login(enforcement.supervisor.username)
    return enforcement.supervisor


def test_seals_page_lists_sheets_and_seals(client, enforcement, office_head):
    page = client.get("/oficina/sellos/").get_data(as_text=True)
    assert "Sellos de embargo" in page and f"Hoja {enforcement.sheet.id}" in page
    assert enforcement.codes[0] in page and "Asignado: 6" in page
    assert 'href="/oficina/sellos/"' in page  # the nav link
    used = client.get("/oficina/sellos/?estado=used").get_data(as_text=True)
    seals_table = used[used.index('id="seals"'):]
    assert enforcement.codes[0] not in seals_table
    assert "Ningún sello en estado «Usado»" in seals_table


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_issue_a_sheet(client, enforcement, office_head, htmx):
    response = client.post("/oficina/sellos/hojas", data={"count": "30", "executor_id": "0"},
                           headers=HTMX if htmx else {})
    assert response.status_code == 201
    body = response.get_data(as_text=True)
    assert ("<html" in body) is not htmx
    sheet = db.session.scalars(select(SealSheet).order_by(SealSheet.id.desc())).first()
    assert sheet.count == 30 and sheet.assigned_to_id is None
    assert sheet.first_serial == 7  # after the 6 seals of the fixture's sheet
    assert f"Hoja {sheet.id} emitida: 30 sellos" in body and sheet.seals[0].code in body
    assert {s.status for s in sheet.seals} == {"issued"}
    if htmx:  # the page's list of sheets comes back out of band, with the new sheet in it
        sheets = body[body.index('<table class="table" id="sheets" hx-swap-oob="true">'):]
        assert f"Hoja {sheet.id}</a>" in sheets and "Aún no se han emitido sellos" not in sheets


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_issue_refuses_a_bad_count_in_spanish(client, enforcement, office_head, htmx):
    response = client.post("/oficina/sellos/hojas", data={"count": "0", "executor_id": "0"},
                           headers=HTMX if htmx else {})
    assert response.status_code == 422
    assert "De 1 a 240 sellos por hoja." in response.get_data(as_text=True)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_assign_a_sheet_to_an_executor(client, factory, enforcement, office_head, htmx):
    other = factory.user(enforcement.office, "executor", full_name="Rosa Ejecutora")
    response = client.post(f"/oficina/sellos/hojas/{enforcement.sheet.id}/asignar",
                           data={"executor_id": str(other.id)}, headers=HTMX if htmx else {})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert ("<html" in body) is not htmx
    assert "6 sellos asignados a" in body and "Rosa Ejecutora" in body
    db.session.expire_all()
    assert {s.assigned_to_id for s in db.session.get(SealSheet, enforcement.sheet.id).seals} \
        == {other.id}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_assign_refuses_someone_who_is_not_an_executor(client, enforcement, office_head, htmx):
    response = client.post(f"/oficina/sellos/hojas/{enforcement.sheet.id}/asignar",
                           data={"executor_id": str(enforcement.supervisor.id)},
                           headers=HTMX if htmx else {})
    assert response.status_code == 422
    assert "Elija al ejecutor." in response.get_data(as_text=True)


def test_sheet_page_and_pdf(client, enforcement, office_head):
    page = client.get(f"/oficina/sellos/hojas/{enforcement.sheet.id}").get_data(as_text=True)
    assert all(code in page for code in enforcement.codes)
    pdf = client.get(f"/oficina/sellos/hojas/{enforcement.sheet.id}/etiquetas.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_void_a_seal(client, enforcement, office_head, htmx):
    code = enforcement.codes[3]
    assert client.get(f"/oficina/sellos/sello/{code}").status_code == 200
    response = client.post(f"/oficina/sellos/sello/{code}/anular",
                           data={"reason": "Etiqueta dañada"}, headers=HTMX if htmx else {})
    assert response.status_code == 200
    assert ("<html" in response.get_data(as_text=True)) is not htmx
    assert "Anulado" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(Seal).where(Seal.code == code)).one().status == "void"
    again = client.post(f"/oficina/sellos/sello/{code}/anular", data={"reason": "Otra vez"},
                        headers=HTMX if htmx else {})
    assert again.status_code == 422
    assert "Solo se anula un sello que no se ha usado." in again.get_data(as_text=True)


def test_another_offices_sheets_and_seals_answer_404(client, factory, enforcement, auth):
    from tests.seals.embargo import enforcement_setup

    other = enforcement_setup(factory, client, seals=2)
    auth.login(enforcement.supervisor.username)
    sheet_id, code = other.sheet.id, other.codes[0]
    assert client.get(f"/oficina/sellos/hojas/{sheet_id}").status_code == 404
    assert client.get(f"/oficina/sellos/hojas/{sheet_id}/etiquetas.pdf").status_code == 404
    assert client.post(f"/oficina/sellos/hojas/{sheet_id}/asignar",
                       data={"executor_id": str(enforcement.executor.id)}).status_code == 404
    assert client.get(f"/oficina/sellos/sello/{code}").status_code == 404
    assert client.post(f"/oficina/sellos/sello/{code}/anular",
                       data={"reason": "x"}).status_code == 404
    # Nor can a sheet of this office be given to another office's executor.
    assert client.post(f"/oficina/sellos/hojas/{enforcement.sheet.id}/asignar",
                       data={"executor_id": str(other.executor.id)}).status_code == 422
    assert other.codes[0] not in client.get("/oficina/sellos/").get_data(as_text=True)


def test_field_users_cannot_reach_the_seal_pages(client, enforcement, auth):
    auth.login(enforcement.executor.username)
    assert client.get("/oficina/sellos/").status_code == 403
    assert client.get(f"/oficina/sellos/hojas/{enforcement.sheet.id}/etiquetas.pdf").status_code == 403
