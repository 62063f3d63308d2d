"""Issue 16, done when: search and distance sort work offline; the agenda lists a follow-up at
its hour. Also: filters (kind, sector, overdue, returned), overdue marks, "Cómo llegar" opens the
maps app (geo: URL), and "Mis asignaciones" offline opens the phone's own list."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import attendee, choose, finalize, open_assignment, sign, verify_address
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser


@pytest.fixture
def worklist(factory):
    """A notifier's five assignments around Guadalajara; ids by a short name."""
    office = factory.office(timezone=TZ)
    notifier = factory.user(office, role="notifier", username="notificador1")
    north, south = factory.sector(office, "N1", name="Norte"), factory.sector(office, "S1", name="Sur")
    spots = {
        # name: (debtor, latitude, longitude, sector, kind, due_on)
        "zapopan": ("Panadería Zapopan SA de CV", 20.7214, -103.3918, north, "liquidation_certificate",
                    date(2026, 12, 31)),
        "centro": ("Ferretería Ávila SA de CV", 20.6770, -103.3470, south, "liquidation_certificate",
                   date(2026, 12, 30)),
        "tlaquepaque": ("Textiles Tlaquepaque SA", 20.6409, -103.3112, south, "fine", date(2026, 1, 15)),
        "tonala": ("Cerámica Tonalá SA de CV", 20.6240, -103.2340, north, "liquidation_certificate",
                   date(2026, 12, 29)),
        "chapala": ("Restaurante Chapala SC", 20.2963, -103.1926, None, "resolution", date(2026, 12, 28)),
    }
    ids = {}
    for name, (legal_name, lat, lon, sector, kind, due_on) in spots.items():
        debtor = factory.debtor(office, legal_name=legal_name)
        address = factory.address(debtor, sector=sector, latitude=lat, longitude=lon)
        document = factory.document(debtor, address, kind=kind, folio=f"F-{name.upper()}")
        ids[name] = factory.assignment(document, notifier, due_on=due_on).id
    return office, ids


def names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#assignments > li strong").all_inner_texts()


def test_search_filters_distance_sort_and_agenda_work_offline(
        app, worklist, live_server, phone, tmp_path: Path):
    office, ids = worklist
    phone.moment = business_moment(office, time(11, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)

    # A citatorio left at the centre address: its follow-up enters the agenda at its hour.
    open_assignment(page, live_server, ids["centro"])
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "citatorio")
    page.select_option("select[name='ui.appointment_time']", "10:00")
    page.check("input[name='ui.citatorio_delivery'][value=person]")
    page.fill("input[name=absence_reason]", "Está en otra sucursal")
    page.fill("input[name=absence_informant]", "Laura Méndez, encargada")
    attendee(page, "employee", "Laura Méndez", "Encargada")
    page.check("input[name=copy_delivered]")
    sign(page)
    finalize(page)

    phone.context.set_offline(True)
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#assignments > li")).to_have_count(5)
    expect(page.locator("#worklist-count")).to_have_text("5 asignaciones")
    # Due date order; the overdue one is marked.
    expect(page.locator("#assignments > li strong")).to_have_text([
        "Textiles Tlaquepaque SA", "Restaurante Chapala SC", "Cerámica Tonalá SA de CV",
        "Ferretería Ávila SA de CV", "Panadería Zapopan SA de CV"])
    overdue = page.locator(f"#assignments > li[data-assignment-id='{ids['tlaquepaque']}']")
    expect(overdue.locator(".overdue-mark")).to_have_text("· Vencida")
    expect(page.locator("#assignments .overdue-mark:visible")).to_have_count(1)

    agenda = page.locator("#agenda > li")
    expect(agenda).to_have_count(1)
    expect(agenda.first).to_contain_text("10:00 · Seguimiento del citatorio")
    expect(agenda.first).to_contain_text("Ferretería Ávila SA de CV")
    appointed = business_moment(office, time(10, 0), after=phone.moment.date())
    expect(agenda.first).to_have_attribute("data-assignment-id", str(ids["centro"]))
    assert str(appointed.day) in agenda.first.inner_text()

    # Search: debtor without accents, folio, address.
    page.fill("#worklist-search", "ceramica tonala")
    expect(page.locator("#assignments > li strong")).to_have_text(["Cerámica Tonalá SA de CV"])
    expect(page.locator("#worklist-count")).to_have_text("1 de 5 asignaciones")
    page.fill("#worklist-search", "f-chapala")
    expect(page.locator("#assignments > li strong")).to_have_text(["Restaurante Chapala SC"])
    page.fill("#worklist-search", "no existe")
    expect(page.locator("#assignments-empty")).to_have_text("Ninguna asignación coincide con la búsqueda.")
    page.fill("#worklist-search", "")

    # Filters.
    page.select_option("#filter-sector", "N1")
    expect(page.locator("#assignments > li strong")).to_have_text(
        ["Cerámica Tonalá SA de CV", "Panadería Zapopan SA de CV"])
    page.select_option("#filter-sector", "")
    page.select_option("#filter-kind", "fine")
    expect(page.locator("#assignments > li strong")).to_have_text(["Textiles Tlaquepaque SA"])
    page.select_option("#filter-kind", "")
    page.check("#filter-overdue")
    expect(page.locator("#assignments > li strong")).to_have_text(["Textiles Tlaquepaque SA"])
    page.uncheck("#filter-overdue")

    # Distance from the phone's fix, computed on the phone (offline): next to Zapopan.
    phone.context.set_geolocation({"latitude": 20.7200, "longitude": -103.3900, "accuracy": 15})
    page.select_option("#worklist-sort", "distance")
    expect(page.locator("#worklist-position")).to_contain_text("Ordenadas por distancia")
    expect(page.locator("#assignments > li strong")).to_have_text([
        "Panadería Zapopan SA de CV", "Ferretería Ávila SA de CV", "Textiles Tlaquepaque SA",
        "Cerámica Tonalá SA de CV", "Restaurante Chapala SC"])
    first = page.locator("#assignments > li").first
    # Within 0.5 % of the geodesic distances (geopy: 243.3 m and 51.23 km), in es-MX formats.
    expect(first.locator(".badge")).to_have_text("a 243 m")
    far = page.locator(f"#assignments > li[data-assignment-id='{ids['chapala']}'] .badge")
    expect(far).to_have_text(re.compile(r"^a \d+\.\d km$"))
    assert abs(float(far.inner_text()[2:-3]) - 51.23) < 51.23 * 0.005
    expect(first.locator("a.maps")).to_have_attribute(
        "href", "geo:20.7214,-103.3918?q=20.7214,-103.3918(Panader%C3%ADa%20Zapopan%20SA%20de%20CV)")
    screenshot(page, "i16-offline-worklist")

    # "Mis asignaciones" (the online list) opens the phone's list while offline.
    page.click("nav >> text=Mis asignaciones")
    page.wait_for_url("**/captura/**")
    expect(page.locator("#assignments > li")).to_have_count(5)
