"""Periodic inventory of the depository by scanning seals, and its report of missing seals
(expected in custody, not scanned) and unexpected ones (scanned, not expected / unknown)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.depository.models import CustodyItem, InventoryCount
from fieldapp.depository.services import (
    close_inventory,
    inventory_report,
    receive,
    scan,
    start_inventory,
)
from fieldapp.extensions import db

HTMX = {"HX-Request": "true"}
UNKNOWN = "SE-0000-000009-X"


def item_with(code: str) -> CustodyItem:
    return db.session.scalars(select(CustodyItem).where(CustodyItem.seal_code == code)).one()


@pytest.fixture
def in_depository(seized):
    """Three of the four goods received at the depository; the fourth stays on site."""
    head = seized.enforcement.supervisor
    receive(head.office_id, "\n".join(seized.codes[:3]), actor=head, location="Bodega 2")
    db.session.commit()
    return seized


def test_inventory_report_lists_a_missing_and_an_unexpected_seal(in_depository):
    s = in_depository
    head = s.enforcement.supervisor
    count = start_inventory(head.office_id, actor=head)
    found, missing, on_site = s.codes[0], s.codes[1], s.codes[3]
    result = scan(count, f"{found}\n{s.codes[2]}\n{found}\n{UNKNOWN}\n{on_site}", actor=head)
    assert result.added == [found, s.codes[2], UNKNOWN, on_site]  # read twice, counted once
    assert scan(count, found.lower(), actor=head).repeated == [found]
    report = inventory_report(count)
    assert report["expected"] == 3
    assert [line["code"] for line in report["missing"]] == [missing]
    unexpected = {line["code"]: line for line in report["unexpected"]}
    assert set(unexpected) == {UNKNOWN, on_site}
    assert unexpected[UNKNOWN]["reason"] == "Sello desconocido: ningún bien embargado lo lleva."
    assert "En el domicilio" in unexpected[on_site]["reason"]
    assert [line["code"] for line in report["found"]] == [found, s.codes[2]]

    frozen = close_inventory(count, actor=head)
    db.session.commit()
    assert item_with(found).state == "inventoried" and item_with(missing).state == "received"
    assert item_with(found).events[-1].inventory_id == count.id
    # Closed: the report no longer changes, even if custody does.
    receive(head.office_id, on_site, actor=head)
    db.session.commit()
    assert inventory_report(db.session.get(InventoryCount, count.id)) == frozen


def test_inventory_pages_as_page_and_fragment(client, auth, in_depository):
    s = in_depository
    auth.login(s.enforcement.supervisor.username)
    assert "Aún no hay inventarios." in client.get("/oficina/deposito/inventarios").get_data(as_text=True)
    started = client.post("/oficina/deposito/inventarios")
    assert started.status_code == 303
    count = db.session.scalars(select(InventoryCount)).one()
    assert started.headers["Location"].endswith(f"/oficina/deposito/inventarios/{count.id}")
    by_htmx = client.post("/oficina/deposito/inventarios", headers=HTMX)
    assert by_htmx.status_code == 201 and "/oficina/deposito/inventarios/" in by_htmx.headers["HX-Location"]

    url = f"/oficina/deposito/inventarios/{count.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Sellos faltantes" in page and "<html" in page
    scanned = client.post(f"{url}/lecturas", data={"codes": f"{s.codes[0]} {UNKNOWN}"},
                          headers=HTMX)
    body = scanned.get_data(as_text=True)
    assert scanned.status_code == 200 and "<html" not in body
    missing = body[body.index('id="missing"'):body.index('id="unexpected"')]
    unexpected = body[body.index('id="unexpected"'):body.index('id="found"')]
    assert s.codes[1] in missing and s.codes[2] in missing and s.codes[0] not in missing
    assert UNKNOWN in unexpected
    as_page = client.post(f"{url}/lecturas", data={"codes": s.codes[2]})
    assert as_page.status_code == 200 and "<html" in as_page.get_data(as_text=True)
    empty = client.post(f"{url}/lecturas", data={"codes": ""}, headers=HTMX)
    assert empty.status_code == 422
    assert "Escanee o escriba al menos un código de sello." in empty.get_data(as_text=True)

    closed = client.post(f"{url}/cerrar", headers=HTMX)
    assert closed.status_code == 200 and "Cerrado" in closed.get_data(as_text=True)
    again = client.post(f"{url}/cerrar")
    assert again.status_code == 422 and "El inventario ya se cerró." in again.get_data(as_text=True)
    late = client.post(f"{url}/lecturas", data={"codes": s.codes[1]}, headers=HTMX)
    assert late.status_code == 422 and "El inventario ya se cerró." in late.get_data(as_text=True)
    listing = client.get("/oficina/deposito/inventarios").get_data(as_text=True)
    assert "2 encontrados · 1 faltantes · 1 inesperados" in listing


def test_another_offices_inventory_answers_404(client, auth, factory, in_depository):
    from tests.seals.embargo import enforcement_setup

    head = in_depository.enforcement.supervisor
    count = start_inventory(head.office_id, actor=head)
    db.session.commit()
    other = enforcement_setup(factory, client)
    auth.login(other.supervisor.username)
    url = f"/oficina/deposito/inventarios/{count.id}"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/lecturas", data={"codes": UNKNOWN}).status_code == 404
    assert client.post(f"{url}/cerrar").status_code == 404
    assert f"Inventario {count.id}" not in client.get("/oficina/deposito/inventarios").get_data(as_text=True)
