"""The verification page as the debtor sees it: a phone-sized browser opening the URL of the
acta's QR code, before and after the stored record is altered. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.actas.conftest import Office1, push_case
from tests.actas.test_acta_pdf import alter_stored_facts
from tests.live import screenshot

PHONE = {"width": 360, "height": 800}


def test_the_debtor_reads_the_answer_on_a_phone(page: Page, live_server, office1: Office1):
    diligence = push_case(office1, "seizure")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/v/{diligence.id}?h={diligence.content_hash[:16]}")
    expect(page.locator("h1")).to_have_text("El registro coincide")
    expect(page.locator(".facts")).to_contain_text(diligence.document.folio)
    # Nothing wider than the phone's screen (no sideways scrolling on a 360 px screen).
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "verification-matches")

    alter_stored_facts(diligence.id)
    page.reload()
    expect(page.locator("h1")).to_have_text("El registro no coincide")
    screenshot(page, "verification-altered")

    page.goto(f"{live_server.url}/v/{diligence.id}?h=0000000000000000")
    expect(page.locator("h1")).to_have_text("No coincide o no existe")
    screenshot(page, "verification-unknown")
    assert errors == []  # the CSP refused nothing (no inline script or style)
