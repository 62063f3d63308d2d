"""Offices and sectors: the admin edits the office (time zone) and its sectors (special kind,
polygon); a new installation creates its first office from the CLI."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.offices.commands import office_command
from fieldapp.offices.models import Office, Sector
from tests.conftest import PASSWORD

SQUARE = {"type": "Polygon", "coordinates": [[[-103.35, 20.67], [-103.34, 20.67],
                                              [-103.34, 20.68], [-103.35, 20.67]]]}


@pytest.fixture
def office(factory):  # type: ignore[no-untyped-def]
    return factory.office(timezone="America/Mexico_City")


@pytest.fixture
def as_admin(app, factory, office):  # type: ignore[no-untyped-def]
    factory.user(office, role="admin", username="admin1")
    client = app.test_client()
    assert client.post("/entrar", data={"username": "admin1", "password": PASSWORD}).status_code == 302
    return client


def test_admin_changes_the_offices_time_zone(as_admin, office):
    page = as_admin.get("/admin/oficina/")
    assert page.status_code == 200 and "parámetros legales" in page.get_data(as_text=True)
    answer = as_admin.post("/admin/oficina/", data={
        "name": "Subdelegación Tijuana", "state": "Baja California", "timezone": "America/Tijuana"})
    assert answer.status_code == 302
    db.session.refresh(office)
    assert (office.name, office.timezone) == ("Subdelegación Tijuana", "America/Tijuana")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "office_updated")).one()
    assert event.details["changes"]["timezone"] == ["America/Mexico_City", "America/Tijuana"]
    answer = as_admin.post("/admin/oficina/", data={"name": "X", "state": "Y", "timezone": "Marte/Olimpo"})
    assert answer.status_code == 422


def test_admin_creates_a_special_sector_with_a_polygon_and_edits_it(as_admin, office):
    answer = as_admin.post("/admin/oficina/sectores/nuevo", data={
        "code": "esp1", "name": "Especiales centro", "kind": "special",
        "boundary": json.dumps(SQUARE)})
    assert answer.status_code == 302
    sector = db.session.scalars(select(Sector).where(Sector.office_id == office.id)).one()
    assert (sector.code, sector.kind, sector.boundary) == ("ESP1", "special", SQUARE)
    page = as_admin.get("/admin/oficina/").get_data(as_text=True)
    assert "Sector especial de notificación" in page and "Dibujado" in page
    editor = as_admin.get(f"/admin/oficina/sectores/{sector.id}")
    assert editor.status_code == 200
    assert "tile.openstreetmap.org" in editor.headers["Content-Security-Policy"]
    answer = as_admin.post(f"/admin/oficina/sectores/{sector.id}", data={
        "code": "ESP1", "name": "Especiales", "kind": "regular", "boundary": ""})
    assert answer.status_code == 302
    db.session.refresh(sector)
    assert (sector.name, sector.kind, sector.boundary) == ("Especiales", "regular", None)


@pytest.mark.parametrize(("boundary", "message"), [
    ('{"type": "Point", "coordinates": [1, 2]}', "El polígono del sector no es válido."),
    (json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}),
     "al menos tres puntos"),
    (json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 95], [2, 0], [0, 0]]]}),
     "fuera del mapa"),
    ("no es json", "El polígono del sector no es válido."),
])
def test_a_bad_polygon_is_refused(as_admin, office, boundary, message):
    answer = as_admin.post("/admin/oficina/sectores/nuevo", data={
        "code": "S1", "name": "Uno", "kind": "regular", "boundary": boundary})
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert db.session.scalars(select(Sector)).all() == []


def test_a_sector_code_is_unique_in_its_office_and_others_are_not_found(as_admin, factory, office):
    factory.sector(office, code="N1")
    answer = as_admin.post("/admin/oficina/sectores/nuevo", data={"code": "n1", "name": "Otro",
                                                                  "kind": "regular"})
    assert answer.status_code == 422 and "ya tiene un sector N1" in answer.get_data(as_text=True)
    elsewhere = factory.sector(factory.office(), code="Z9")
    assert as_admin.get(f"/admin/oficina/sectores/{elsewhere.id}").status_code == 404


def test_the_cli_creates_an_office_and_its_sectors(runner):
    result = runner.invoke(office_command, ["create", "0201", "--name", "Subdelegación Mexicali",
                                            "--state", "Baja California", "--timezone", "America/Tijuana"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(office_command, ["add-sector", "0201", "e1", "Especiales", "--kind", "special"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(office_command, ["create", "0201", "--name", "Otra", "--state", "X"])
    assert result.exit_code != 0 and "Ya existe una oficina con clave 0201" in result.output
    result = runner.invoke(office_command, ["edit", "0201", "--timezone", "Nada/Nada"])
    assert result.exit_code != 0 and "Zona horaria desconocida" in result.output
    office = db.session.scalars(select(Office).where(Office.code == "0201")).one()
    assert office.timezone == "America/Tijuana"
    assert [(s.code, s.kind) for s in office.sectors] == [("E1", "special")]
