"""The office head's seal and depository screens in a real browser (htmx swaps, a scanner's
typed input): issue a sheet, receive goods by scanning, count an inventory, read its report.
Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.live import login, screenshot


def test_seals_page_issue_a_sheet(page: Page, live_server, seized):
    login(page, live_server.url, seized.enforcement.supervisor.username, PASSWORD)
    page.click("nav >> text=Sellos")
    expect(page.locator("h1")).to_have_text("Sellos de embargo")
    page.fill("input[name=count]", "24")
    page.select_option("select[name=executor_id]", label=seized.enforcement.executor.full_name)
    page.click("text=Emitir hoja")
    expect(page.locator("#issue-result")).to_contain_text("24 sellos")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "seals-page")
    with page.expect_response("**/etiquetas.pdf") as pdf:
        page.evaluate("url => fetch(url)", page.locator("#issue-result a").first.get_attribute("href"))
    assert pdf.value.headers["content-type"] == "application/pdf"


def test_receive_and_inventory_report(page: Page, live_server, seized):
    codes = seized.codes
    login(page, live_server.url, seized.enforcement.supervisor.username, PASSWORD)
    page.click("nav >> text=Depósito")
    # A USB scanner types each code followed by Enter.
    page.locator("textarea[name=codes]").press_sequentially(f"{codes[0]}\n{codes[1]}\n{codes[2]}\n")
    page.fill("input[name=location]", "Bodega 2, anaquel C")
    page.click("button:has-text('Recibir')")
    expect(page.locator("#receive-outcomes li.ok")).to_have_count(3)
    page.click("text=Inventarios")
    page.click("button:has-text('Iniciar un inventario')")
    expect(page.locator("h1")).to_contain_text("Inventario")
    page.locator("textarea[name=codes]").press_sequentially(
        f"{codes[0]}\n{codes[2]}\nSE-0000-000009-X\n{codes[3]}\n")
    page.click("button:has-text('Registrar lecturas')")
    expect(page.locator("#missing")).to_contain_text(codes[1])
    expect(page.locator("#unexpected")).to_contain_text("SE-0000-000009-X")
    expect(page.locator("#unexpected")).to_contain_text(codes[3])
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Cerrar el inventario')")
    expect(page.locator("#inventory")).to_contain_text("Cerrado")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "inventory-report")
