"""The review in a real browser (Debian's Chromium): the list filtered through htmx, the map
with its tile server unreachable (markers must still show), a record's page and a return for
correction through the htmx panel. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from tests.conftest import PASSWORD
from tests.live import SCREENSHOTS, login, screenshot
from tests.review.facts import (
    WARNING_REASON,
    citatorio_at_registration_address,
    clean_notification,
    demand_paid,
    late_citatorio,
)

pytestmark = pytest.mark.browser

# Around Guadalajara's centre: where the phones were.
SPOTS = [(20.6767, -103.3475), (20.6739, -103.3440), (20.6801, -103.3522), (20.6712, -103.3391),
         (20.6838, -103.3467), (20.6690, -103.3550), (20.6755, -103.3602)]


def gps(i: int) -> dict:
    lat, lon = SPOTS[i % len(SPOTS)]
    return {"latitude": lat, "longitude": lon, "accuracy_m": 6.0 + i, "fix_at": "2026-03-10T17:56:02.250Z"}


@pytest.fixture
def office_day(desk):
    """A week of work: every review state, findings, an incomplete record, one without GPS."""
    made = [
        desk.push("notifier", gps=gps(0), captured_at="2026-03-10T17:10:00.000Z"),
        desk.push("notifier2", sector="norte", facts=late_citatorio(), gps=gps(1),
                  captured_at="2026-03-10T02:30:00.000Z"),
        desk.push("notifier", sector="norte", facts=citatorio_at_registration_address(),
                  warning_reasons=WARNING_REASON, upload=False, gps=gps(2),
                  captured_at="2026-03-11T16:00:00.000Z"),
        desk.push("executor", kind="payment_demand", facts=demand_paid(), gps=gps(3),
                  captured_at="2026-03-12T17:30:00.000Z"),
        desk.push("notifier2", kind="notification", facts=clean_notification(), gps=gps(4),
                  captured_at="2026-03-12T19:00:00.000Z"),
        desk.push("notifier", kind="notification", facts=clean_notification(), gps=gps(5),
                  captured_at="2026-03-13T18:00:00.000Z"),
        desk.push("notifier2", without_gps=True, captured_at="2026-03-13T20:00:00.000Z"),
    ]
    decide(made[4], "approved", actor=desk.supervisor)
    decide(made[5], "rejected", actor=desk.supervisor, reason="Se actuó en un domicilio equivocado.")
    decide(made[3], "returned", actor=desk.supervisor, observations="Anote el número del recibo.")
    db.session.commit()
    return made


def watch_console(page: Page) -> list[str]:
    """Script errors and CSP refusals; failed tile loads are expected here and left out."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text)
            if msg.type == "error" and "Failed to load resource" not in msg.text else None)
    return problems


def test_list_map_without_tiles_and_detail(page: Page, live_server, desk, office_day):
    page.set_viewport_size({"width": 1280, "height": 900})
    problems = watch_console(page)
    login(page, live_server.url, "jefe-a", PASSWORD)
    page.click("nav >> text=Diligencias")
    expect(page.locator("h1")).to_have_text("Diligencias")
    rows = page.locator("#diligence-rows tbody tr[data-diligence]")
    expect(rows).to_have_count(7)
    # A filter change asks htmx for the rows only and updates the address bar.
    page.evaluate("window.__samePage = true")
    page.select_option("select[name=estado]", "received")
    expect(rows).to_have_count(4)
    assert page.evaluate("window.__samePage") is True
    assert "estado=received" in page.url
    page.select_option("select[name=estado]", "")
    expect(rows).to_have_count(7)
    screenshot(page, "review-list")

    # The map, with the tile server unreachable: the markers must still be drawn.
    tile_requests: list[str] = []

    def refuse(route):  # type: ignore[no-untyped-def]
        tile_requests.append(route.request.url)
        route.abort()

    page.route("https://tile.openstreetmap.org/**", refuse)
    page.click("text=Ver en el mapa")
    expect(page.locator("h1")).to_have_text("Mapa de diligencias")
    expect(page.locator("#review-map")).to_have_attribute("data-markers", "6")
    markers = page.locator("#review-map path.diligence-marker")
    expect(markers).to_have_count(6)
    for i in range(6):
        expect(markers.nth(i)).to_be_visible()
    expect(page.locator("#map-status")).to_contain_text("No se pudo cargar el mapa de fondo")
    assert tile_requests, "the map did not even try its tiles"
    expect(page.locator(".leaflet-marker-pane img")).to_have_count(0)  # no icon images needed
    # Fit to bounds: every marker inside the map's box.
    box = page.locator("#review-map").bounding_box()
    for i in range(6):
        m = markers.nth(i).bounding_box()
        assert box["x"] <= m["x"] and m["x"] + m["width"] <= box["x"] + box["width"]
        assert box["y"] <= m["y"] and m["y"] + m["height"] <= box["y"] + box["height"]
    expect(page.locator("#map-count")).to_contain_text("6 diligencias con posición GPS")
    expect(page.locator("#review-map")).to_have_attribute("data-groups", "0")  # apart: no group
    screenshot(page, "review-map")
    markers.first.click()
    popup = page.locator(".leaflet-popup-content a").first
    expect(popup).to_be_visible()
    popup.click()
    expect(page.locator("#decision-panel")).to_be_visible()
    # The record's own map (issue 15): its GPS fix, over a blank map when tiles fail.
    expect(page.locator("#record-map")).to_have_attribute("data-marks", re.compile(r"^[12]$"))
    expect(page.locator("#record-map path.record-map-fix")).to_be_visible()

    # A record's page, then a return for correction through the htmx panel.
    page.goto(f"{live_server.url}/diligencias/{office_day[2].id}")
    expect(page.locator("#hash-status")).to_contain_text("coincide")
    expect(page.locator("#record-map path.record-map-fix")).to_be_visible()
    page.locator("#gps").screenshot(path=str(SCREENSHOTS / "review-detail-map.png"))
    expect(page.locator("#findings")).to_contain_text("R-NOT-2")
    screenshot(page, "review-detail")
    page.evaluate("window.__samePage = true")
    page.click("summary:has-text('Devolver para corrección')")
    page.fill("#decision-panel details[open] textarea[name=text]", "Falta la foto del número exterior.")
    page.click("#decision-panel button:has-text('Devolver')")
    expect(page.locator("#review-state")).to_have_text("Devuelta para corrección")
    expect(page.locator("#head-state")).to_have_text("Devuelta para corrección")
    expect(page.locator("#versions")).to_contain_text("Devuelta para corrección")
    expect(page.locator("#decision-panel")).to_contain_text("Falta la foto del número exterior.")
    assert page.evaluate("window.__samePage") is True
    screenshot(page, "review-detail-returned")
    assert problems == []


def test_a_photo_opens_full_size(page: Page, live_server, desk, office_day):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, "jefe-a", PASSWORD)
    page.goto(f"{live_server.url}/diligencias/{office_day[0].id}")
    thumbnails = page.locator("#photos img")
    expect(thumbnails).to_have_count(2)
    # The thumbnails load lazily, as the office head scrolls to them; then each must decode.
    thumbnails.last.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#photos img')].every(i => i.complete && i.naturalWidth > 0)",
        timeout=30_000)
    screenshot(page, "review-detail-photos")
    with page.context.expect_page() as opened:
        thumbnails.first.click()
    full = opened.value
    full.wait_for_load_state()
    assert "/evidencias/" in full.url and "miniatura" not in full.url
    full.close()


def test_diligences_at_one_point_are_one_numbered_group(page: Page, live_server, desk):
    """Issue 15: the office map stacked the diligences captured at one address on one point
    (seven looked like one). Five at the same fix, one a metre off and one twelve metres off
    are one group of seven; a click zooms in on it, where the twelve-metre one comes apart
    and the six that cannot are a group whose click lists them. One across town stays a
    marker of its own throughout."""
    page.set_viewport_size({"width": 1280, "height": 900})
    here = {"latitude": 20.6767, "longitude": -103.3475, "accuracy_m": 8.0,
            "fix_at": "2026-03-10T17:56:02.250Z"}
    for n in range(5):
        desk.push("notifier", gps=here, captured_at=f"2026-03-1{n}T17:10:00.000Z")
    for n, metres in enumerate((1, 12)):
        desk.push("notifier2", sector="norte", captured_at=f"2026-03-1{n}T18:10:00.000Z",
                  gps={**here, "latitude": here["latitude"] + metres / 111_320})
    desk.push("executor", kind="payment_demand", facts=demand_paid(), gps=gps(5))
    db.session.commit()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    login(page, live_server.url, "jefe-a", PASSWORD)
    page.goto(f"{live_server.url}/diligencias/mapa")
    the_map = page.locator("#review-map")
    expect(the_map).to_have_attribute("data-markers", "8")
    expect(the_map).to_have_attribute("data-groups", "1")
    group = the_map.locator(".diligence-group")
    expect(group).to_have_text("7")
    expect(group).to_have_attribute("title", "7 diligencias en este punto")
    expect(the_map.locator("path.diligence-marker")).to_have_count(1)
    screenshot(page, "review-map-group")

    group.click()
    expect(the_map).to_have_attribute("data-zoom", "19")
    expect(group).to_have_text("6")
    # The twelve-metre one on its own now, besides the one across town (off screen).
    expect(the_map.locator("path.diligence-marker")).to_have_count(2)
    group.click()
    listing = page.locator(".map-group-list")
    expect(listing).to_contain_text("6 diligencias en este punto:")
    expect(listing.locator(":scope > div")).to_have_count(6)
    screenshot(page, "review-map-group-list")
