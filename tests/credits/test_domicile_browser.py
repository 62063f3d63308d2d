"""An office head in a real browser (Debian's Chromium) walks a cambio de domicilio: from the
office home's card to the proposal a not-located record made, a refused acceptance, then the
address accepted and the document assigned there, seen on the documents page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from fieldapp.credits.models import AddressProposal
from fieldapp.extensions import db
from fieldapp.offices.services import office_today
from tests.conftest import PASSWORD
from tests.credits.test_domicile import proposed
from tests.live import login, screenshot
from tests.scenarios import assignment_of

pytestmark = pytest.mark.browser


def test_the_office_head_accepts_a_new_address_and_assigns_it(page: Page, live_server, desk):
    proposal = proposed(desk)
    proposal_id, folio = proposal.id, proposal.document.folio
    notifier2 = desk.workers["notifier2"].user.full_name
    notifier2_id = str(desk.workers["notifier2"].user.id)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, "jefe-a", PASSWORD)
    page.goto(f"{live_server.url}/oficina/")
    card = page.locator("#address-proposals-card")
    expect(card.locator(".badge")).to_have_text("1")
    card.get_by_role("link", name="Revisar domicilios propuestos").click()
    expect(page.locator("h1")).to_have_text("Cambios de domicilio")
    item = page.locator(f"#proposal-{proposal_id}")
    expect(item.locator(".new-address")).to_have_text(
        "Av. Patria 1500, Col. Jardines, C.P. 45110, Zapopan, Jalisco")

    item.locator("select[name=user_id]").select_option(value=notifier2_id)
    # A date in the past, past the browser's own min check: the server refuses it.
    item.locator("input[name=due_on]").evaluate(
        "el => { el.removeAttribute('min'); el.value = '2020-01-02'; }")
    item.get_by_role("button", name="Aceptar y asignar").click()
    expect(page.locator(f"#proposal-{proposal_id} .errors")).to_contain_text(
        "La fecha límite no puede ser anterior a hoy.")

    item = page.locator(f"#proposal-{proposal_id}")
    expect(item.locator("select[name=user_id]")).to_have_value(notifier2_id)  # kept as chosen
    due = (office_today(desk.office) + timedelta(days=7)).isoformat()
    item.locator("input[name=due_on]").fill(due)
    item.get_by_role("button", name="Aceptar y asignar").click()
    expect(page.locator(".flash-success")).to_contain_text(
        f"el documento {folio} quedó asignado a {notifier2}")
    expect(page.locator("[data-tab=por-decidir] .n")).to_have_text("0")
    page.locator("[data-tab=aceptados]").click()
    expect(page.locator(f"#proposal-{proposal_id}")).to_contain_text(f"asignado a {notifier2}")
    screenshot(page, "address-proposal-accepted")

    db.session.expire_all()
    accepted = db.session.get(AddressProposal, proposal_id)
    assert accepted.state == "accepted"
    live = assignment_of(accepted.document, live=True)
    assert (live.id, live.address_id) == (accepted.assignment_id, accepted.address_id)
