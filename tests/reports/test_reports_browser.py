"""The reports in a real browser: the filter form swaps only the results (htmx), the address
follows the filter, and the pages look right at desktop width. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.live import login, screenshot


def test_the_period_filter_swaps_only_the_results(page: Page, live_server, work):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, "jefa", PASSWORD)
    page.click("nav >> text=Informes")
    expect(page.locator("h1")).to_contain_text("Informes de")
    page.click("text=Productividad por persona y día")
    expect(page.locator("h1")).to_have_text("Productividad por persona y día")
    page.fill("input[name=desde]", "2026-03-09")
    page.fill("input[name=hasta]", "2026-03-13")
    page.click("button:has-text('Ver')")
    expect(page.locator("#productivity tbody tr")).to_have_count(3)
    expect(page.locator("#productivity")).to_contain_text("Ana Ruiz Soto")
    screenshot(page, "report-productivity")
    page.evaluate("window.stillTheSamePage = true")
    page.fill("input[name=desde]", "2026-03-11")
    page.click("button:has-text('Ver')")
    expect(page.locator("#productivity tbody tr")).to_have_count(2)
    expect(page.locator("#productivity")).not_to_contain_text("Ana Ruiz Soto")
    assert page.evaluate("window.stillTheSamePage") is True  # a swap, not a new page
    assert "desde=2026-03-11" in page.url
    href = page.locator("#report-results a:has-text('Descargar CSV')").get_attribute("href")
    assert href is not None and "desde=2026-03-11" in href


def test_sector_and_prescription_pages(page: Page, live_server, work):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, "jefa", PASSWORD)
    page.goto(live_server.url + "/oficina/informes/sectores?desde=2026-03-09&hasta=2026-03-13")
    expect(page.locator("#sectors tbody tr")).to_have_count(4)  # the outcomes that occurred
    expect(page.locator("#sectors thead")).to_contain_text("S2 · Americana")
    screenshot(page, "report-sectors")
    page.goto(live_server.url + "/oficina/informes/prescripcion")
    page.select_option("select[name=meses]", "60")
    expect(page.locator("#prescription")).to_contain_text(work.credit("demand").credit_number)
    screenshot(page, "report-prescription")
