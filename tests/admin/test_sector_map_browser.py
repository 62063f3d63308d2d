"""The admin draws a sector's polygon on the map (vendored Leaflet) and saves it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.offices.models import Sector
from tests.conftest import PASSWORD
from tests.live import LiveServer, login, screenshot

pytestmark = pytest.mark.browser


def test_admin_draws_a_special_sector_on_the_map(factory, live_server: LiveServer, browser: Browser):
    office = factory.office()
    factory.sector(office, code="N1", name="Norte")
    factory.user(office, role="admin", username="admin1")
    page = browser.new_context(viewport={"width": 1100, "height": 1000}, locale="es-MX").new_page()
    page.set_default_timeout(20_000)
    login(page, live_server.url, "admin1", PASSWORD)
    page.goto(f"{live_server.url}/admin/oficina/")
    page.get_by_role("link", name="Nuevo sector").click()
    page.fill("input[name=code]", "esp-centro")
    page.fill("input[name=name]", "Especiales del centro")
    page.select_option("select[name=kind]", "special")
    area = page.locator("#sector-map")
    expect(area).to_have_attribute("data-vertices", "0")
    # The whole map in the window before clicking by coordinates (the admin would scroll to it).
    area.evaluate("map => map.scrollIntoView({block: 'center'})")
    box = area.bounding_box()
    assert box is not None
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.5, 0.7)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    expect(area).to_have_attribute("data-vertices", "3")
    expect(page.locator("#sector-map-status")).to_have_text("Polígono de 3 puntos.")
    page.click("#sector-undo")
    expect(page.locator("#sector-map-status")).to_contain_text("Faltan 1 punto(s)")
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.7)
    expect(area).to_have_attribute("data-vertices", "3")
    screenshot(page, "admin-sector-map")
    page.get_by_role("button", name="Guardar sector").click()
    expect(page.locator(".flash")).to_contain_text("Sector ESP-CENTRO guardado.")
    expect(page.locator("#sectors")).to_contain_text("Sector especial de notificación")
    sector = db.session.scalars(select(Sector).where(Sector.code == "ESP-CENTRO")).one()
    ring = sector.boundary["coordinates"][0]
    assert sector.kind == "special" and len(ring) == 4 and ring[0] == ring[-1]
