"""An office head in a real browser (Debian's Chromium): from the estrados queue to the case,
a refused acuerdo date, then the acuerdo issued and its PDF downloaded and read."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.credits.test_estrados import approved, cases_of, refused_on
from tests.live import login, screenshot

pytestmark = pytest.mark.browser


def test_from_the_queue_to_the_printed_acuerdo(page: Page, live_server, desk, tmp_path):
    approved(desk, kind="notification", facts=refused_on("2026-03-10"))
    [case] = cases_of(desk)
    debtor = case.document.debtor.legal_name
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, "jefe-a", PASSWORD)
    page.click("nav >> text=Estrados")
    expect(page.locator("h1")).to_have_text("Notificación por estrados")
    rows = page.locator("#estrados-queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Negativa a recibir")
    rows.first.get_by_role("link", name=debtor).click()
    expect(page.locator("#case-state")).to_have_text("Por acordar")

    page.fill("input[name=number]", "AC-EST/015/2026")
    page.fill("input[name=agreed_on]", "2026-03-09")  # before the refusal: refused
    page.click("#agreement-form button[type=submit]")
    expect(page.locator(".errors")).to_contain_text(
        "El acuerdo no puede ser anterior a la diligencia que lo motiva (10 de marzo de 2026).")
    expect(page.locator("#case-state")).to_have_text("Por acordar")

    page.fill("input[name=agreed_on]", "2026-03-11")
    page.click("#agreement-form button[type=submit]")
    expect(page.locator("#case-state")).to_have_text("Acuerdo emitido")
    expect(page.locator("#agreement")).to_contain_text("AC-EST/015/2026")
    screenshot(page, "estrados-case-agreed")

    with page.expect_download() as download_info:
        page.click("#agreement-pdf")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "acuerdo.pdf"
    download.save_as(path)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert debtor in text and "AC-EST/015/2026" in text
    assert "134, fracción III, y 139 del Código Fiscal de la Federación" in text
