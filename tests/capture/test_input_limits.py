"""Issue 16, done when: -500 is refused on the phone (as it is by the server,
tests/sync/test_input_limits.py); texts carry their limit and a counter."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.capture.conftest import business_moment, screenshot
from tests.capture.flows import open_assignment
from tests.capture.test_embargo import add_item, demand_not_paid, fill_item

pytestmark = pytest.mark.browser


def test_a_good_valued_at_minus_500_is_refused_on_the_phone(
        app, executor_with_seals, live_server, phone, tmp_path: Path):
    office, _, assignment_id, _ = executor_with_seals
    phone.moment = business_moment(office, time(10, 30))
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)
    open_assignment(page, live_server, assignment_id)
    demand_not_paid(page, tmp_path)

    fill_item(page, "bank_deposit", "Cuenta de cheques BBVA terminación 4471", "-500")
    value = page.locator("label.field:has(input[name='ui.item.value'])")
    expect(value.locator(".field-error")).to_have_text("El importe debe ser mayor que cero.")
    expect(page.locator("input[name='ui.item.value']")).to_have_attribute("aria-invalid", "")
    page.click("#item-add")
    expect(page.locator("#item-problem")).to_have_text("El importe debe ser mayor que cero.")
    expect(page.locator("#seized-items .seized-item")).to_have_count(0)
    screenshot(page, "i16-item-value-refused")

    page.fill("input[name='ui.item.value']", "0")
    expect(value.locator(".field-error")).to_have_text("El importe debe ser mayor que cero.")
    page.fill("input[name='ui.item.value']", "1,000,000,000")
    expect(value.locator(".field-error")).to_have_text("El importe no puede pasar de $999,999,999.99.")
    page.fill("input[name='ui.item.value']", "2,000.00")
    expect(value.locator(".field-error")).to_be_hidden()
    add_item(page, 1)

    # Free text: the limit the server applies, and a counter.
    description = page.locator("textarea[name='ui.item.description']")
    expect(description).to_have_attribute("maxlength", "2000")
    page.fill("textarea[name='ui.item.description']", "Escritorio metálico gris")
    expect(page.locator("label.field:has(textarea[name='ui.item.description']) .counter")).to_have_text(
        "24 de 2,000 caracteres")
    name = page.locator("input[name='seizure.custodian.name']")
    expect(name).to_have_attribute("maxlength", "200")
