"""Issue 16 item 5, done when: a fix 400 km from the address on file asks for a reason on the
phone and the server records the finding (R-GPS-1); no fix, or a poor one, blocks finalizing
(R-GPS-2); and the office's review list finds the diligence with "Lejos del domicilio"."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fieldapp.assignments.services import live_assignment
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.capture.conftest import ADDRESS_AT, TZ, business_moment, screenshot
from tests.capture.flows import choose, finalize, open_assignment, take_photo, verify_address
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser

# 3.6 degrees due north of the address on file: about 400 km.
FAR_AWAY = {"latitude": ADDRESS_AT[0] + 3.6, "longitude": ADDRESS_AT[1], "accuracy": 9}


@pytest.fixture
def work(factory):
    office = factory.office(timezone=TZ)
    factory.user(office, role="supervisor", username="jefe1")
    user = factory.user(office, role="notifier", username="notificador1")
    near, far = (live_assignment(factory.portfolio_item(office, user)).id for _ in range(2))
    return office, near, far


def _not_located_answers(page: Page) -> None:
    choose(page, "not_located")
    page.select_option("select[name='not_located.reason']", "closed")
    page.fill("textarea[name='not_located.premises_state']", "Cortina cerrada, sin letrero")


def test_r_gps_1_a_fix_400_km_away_asks_why_and_the_office_finds_it(
        app, work, live_server, phone, client, auth, tmp_path: Path):
    office, near, far = work
    phone.moment = business_moment(office, time(11, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)

    open_assignment(page, live_server, near)  # at the address: no finding, nothing to explain
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    _not_located_answers(page)
    near_id = finalize(page)

    phone.context.set_geolocation(FAR_AWAY)
    open_assignment(page, live_server, far)
    verify_address(page, camera_jpeg(tmp_path / "facade2.jpg"))
    expect(page.locator("#gps-fix")).to_contain_text(re.compile(r"a 400\.\d km del domicilio registrado"))
    _not_located_answers(page)
    warning = page.locator("#findings-warn .finding").filter(has_text="R-GPS-1")
    expect(warning).to_contain_text(re.compile(
        r"La posición GPS está a 400\.\d km del domicilio registrado \(más de 1\.0 km\)"))
    expect(page.locator("#finalize")).to_be_disabled()
    expect(page.locator("#finalize-status")).to_have_text(
        "Escriba el motivo de 1 advertencia para continuar.")
    screenshot(page, "gps-far-from-address")
    reason = "El domicilio registrado está mal ubicado en el mapa; se verificó con el letrero."
    page.locator("#warn-reasons textarea[data-rule='R-GPS-1']").fill(reason)
    far_id = finalize(page)

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    db.session.remove()
    stored = db.session.get(Diligence, far_id)
    [finding] = [f for f in stored.findings if f["rule_id"] == "R-GPS-1"]
    assert finding["severity"] == "warn" and finding["reason"] == reason
    assert re.search(r"a 400\.\d km del domicilio registrado", finding["message"])
    assert stored.far_from_address and not db.session.get(Diligence, near_id).far_from_address

    auth.login("jefe1")
    listed = client.get("/diligencias/?lejos=1").get_data(as_text=True)
    assert f'id="diligence-{far_id}"' in listed and f'id="diligence-{near_id}"' not in listed
    assert "Lejos del domicilio" in listed
    everything = client.get("/diligencias/").get_data(as_text=True)
    assert f'id="diligence-{near_id}"' in everything


def test_r_gps_2_no_fix_or_a_poor_one_blocks_finalizing(work, live_server, phone, tmp_path: Path):
    office, near, _ = work
    phone.moment = business_moment(office, time(11, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.clear_permissions()  # the location is denied: no fix at all

    open_assignment(page, live_server, near)
    expect(page.locator("#gps-status")).to_have_text("Sin permiso de ubicación: actívelo para este sitio.")
    page.check("input[name=address_verification][value=street_sign]")
    take_photo(page, "facade", camera_jpeg(tmp_path / "facade.jpg"))
    page.check("input[name=addressee_asked]")
    if page.locator("input[name=representative_asked]").is_visible():
        page.check("input[name=representative_asked]")
    _not_located_answers(page)
    blocked = page.locator("#findings-block .finding").filter(has_text="R-GPS-2")
    expect(blocked).to_have_text(
        "R-GPS-2 No hay posición GPS de la diligencia. Espere la señal o salga a un lugar abierto, "
        "y tome la posición antes de finalizar.")
    expect(page.locator("#finalize")).to_be_disabled()

    # A poor reading (±250 m) taken anyway still blocks, saying what to do.
    phone.context.grant_permissions(["geolocation"])
    phone.context.set_geolocation({"latitude": ADDRESS_AT[0], "longitude": ADDRESS_AT[1], "accuracy": 250})
    page.click("#gps-retry")
    page.click("#gps-use")
    expect(blocked).to_have_text(
        "R-GPS-2 La posición GPS tiene una precisión de ±250 m, peor que el límite de 100 m. "
        "Espere una mejor señal o salga a un lugar abierto y tome la posición de nuevo.")
    expect(page.locator("#finalize")).to_be_disabled()
    screenshot(page, "gps-poor-fix-blocks")

    # A good fix lifts the block.
    phone.context.set_geolocation({"latitude": ADDRESS_AT[0], "longitude": ADDRESS_AT[1], "accuracy": 12})
    page.click("#gps-retry")
    expect(page.locator("#gps-status")).to_have_text("Posición tomada.")
    expect(blocked).to_have_count(0)
    finalize(page)
