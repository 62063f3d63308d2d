"""Issue 16, done when: a returned record appears first with its observations (a banner, the top
of the list, the status bar on every page), the correction editor shows the observations beside
the fields they name, and a rejection's reason reaches the phone."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fieldapp.assignments.services import live_assignment
from fieldapp.auth.models import User
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import DRAFT_URL
from tests.capture.test_corrections import OBSERVATIONS, _notify, _sync_until

pytestmark = pytest.mark.browser
REASON = "La diligencia se practicó en un domicilio distinto del fiscal."


def test_returned_and_rejected_records_come_first_with_what_the_office_said(
        app, factory, live_server, phone, tmp_path: Path):
    office = factory.office(timezone=TZ)
    notifier = factory.user(office, role="notifier", username="notificador1")
    head = factory.user(office, role="supervisor", username="jefe1")
    ids = [live_assignment(factory.portfolio_item(office, notifier)).id for _ in range(4)]
    head_id = head.id
    db.session.commit()
    phone.moment = business_moment(office, time(10, 30))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    first = _notify(page, live_server, ids[0], tmp_path)
    second = _notify(page, live_server, ids[1], tmp_path)
    third = _notify(page, live_server, ids[2], tmp_path)
    _sync_until(page, live_server, "Completa en el servidor")

    db.session.remove()
    actor = db.session.get(User, head_id)
    decide(db.session.get(Diligence, first), "returned", actor=actor, observations=OBSERVATIONS)
    decide(db.session.get(Diligence, second), "rejected", actor=actor, reason=REASON)
    db.session.commit()
    _sync_until(page, live_server, "Devuelta para corrección")

    banner = page.locator("#attention")
    expect(banner).to_be_visible()
    expect(page.locator("#attention-title")).to_have_text(
        "1 diligencia devuelta para corrección y 1 rechazada en revisión")
    expect(banner).to_contain_text(OBSERVATIONS)
    expect(banner).to_contain_text(f"Rechazada en revisión: {REASON}")
    rows = page.locator("#records > li")
    expect(rows.nth(0)).to_have_attribute("data-record-id", first)
    expect(rows.nth(1)).to_have_attribute("data-record-id", second)
    expect(rows.nth(2)).to_have_attribute("data-record-id", third)
    expect(page.locator("#sync-review")).to_contain_text("1 diligencia devuelta para corrección")
    screenshot(page, "i16-home-returned-first")

    # The record itself, then its correction: the observations beside the fields they name.
    page.locator("#attention-list a").first.click()
    expect(page.locator("#record-state")).to_contain_text(OBSERVATIONS)
    expect(page.locator("#sync-review")).to_be_visible()  # the same status on every page
    page.click("text=Corregir (nueva versión)")
    expect(page).to_have_url(DRAFT_URL)
    expect(page.locator("#correction-note")).to_contain_text(OBSERVATIONS)
    number = page.locator("label.field:has(input[name='attendee.id_number'])")
    expect(number.locator(".office-note")).to_have_text(f"Observación de la oficina: {OBSERVATIONS}")
    name = page.locator("label.field:has(input[name='attendee.name'])")
    expect(name.locator(".office-note")).to_have_count(0)
    number.scroll_into_view_if_needed()
    screenshot(page, "i16-correction-editor")

    page.goto(f"{live_server.url}/captura/diligencia?registro={second}")
    expect(page.locator("#record-state")).to_contain_text(f"Rechazada en revisión: {REASON}")
