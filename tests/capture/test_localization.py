"""Item 2 of issue 12's leftovers on the phone: a localización assignment shows only its result
step; the result (found at a new address) is judged by the same R-NOT-10 rule on the phone and
on the server, and reaches the server as a "localization" record."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.assignments.services import assign, live_assignment
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import choose, finalize, open_assignment, wait_for_gps

pytestmark = pytest.mark.browser


@pytest.fixture
def localization(factory):
    office = factory.office(timezone=TZ)
    head = factory.user(office, role="supervisor", username="jefa")
    user = factory.user(office, role="notifier", username="notificador2")
    document = factory.portfolio_item(office, user)
    done = live_assignment(document)
    done.status = "done"  # the not-located visit already made
    assignment = assign(document, user, done.due_on + timedelta(days=3), actor=head,
                        kind="localization")
    db.session.commit()
    return office, assignment.id


def test_the_phone_records_where_the_debtor_was_found(localization, live_server, phone,
                                                      tmp_path: Path):
    office, assignment_id = localization
    phone.moment = business_moment(office, time(10, 30))
    page = phone.open()
    phone.login(page, "notificador2")
    phone.enroll(page)
    expect(page.locator("#assignments")).to_contain_text("Localización del deudor ·")

    open_assignment(page, live_server, assignment_id)
    wait_for_gps(page)
    # Only the localización's own result is offered.
    expect(page.locator("input[name=situation][value=localization]")).to_be_visible()
    expect(page.locator("input[name=situation][value=notification]")).to_be_hidden()
    expect(page.locator("input[name=situation][value=not_located]")).to_be_hidden()
    choose(page, "localization")
    page.select_option("select[name='localization.result']", "found")
    page.fill("input[name='localization.new_address.street']", "Av. Patria")
    # R-NOT-10 on the phone: an address without number nor municipality blocks.
    expect(page.locator("#findings-block .finding")).to_contain_text("calle, número exterior")
    page.fill("input[name='localization.new_address.exterior_number']", "1500")
    page.fill("input[name='localization.new_address.municipality']", "Zapopan")
    page.fill("input[name='localization.new_address.postal_code']", "45110")
    page.fill("input[name='localization.new_address.informant']", "Encargado de la tienda")
    expect(page.locator("#findings-block .finding")).to_have_count(0)
    screenshot(page, "localization-found")
    record_id = finalize(page)

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    db.session.remove()
    stored = db.session.scalars(select(Diligence)).one()
    assert (stored.id, stored.kind, stored.has_block_findings) == (record_id, "localization", False)
    assert stored.content["facts"]["localization"]["new_address"]["street"] == "Av. Patria"
    assert stored.assignment.status == "done"
