"""Logout on a shared phone wipes the user's local data: at once when everything has been sent,
otherwise only after a confirmation that names what would be lost. The next person on the
phone sees nothing of the previous one, and the old token no longer works."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from fieldapp.assignments.services import live_assignment
from fieldapp.devices.models import Device
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.capture.conftest import TZ, business_moment, camera_jpeg, screenshot
from tests.capture.flows import choose, finalize, open_assignment, verify_address

pytestmark = pytest.mark.browser

PHONE_STATE = """async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name).sort(),
    pages: (await caches.has("fieldapp-pages"))
        ? (await (await caches.open("fieldapp-pages")).keys()).map((r) => r.url) : [],
})"""


@pytest.fixture
def two_people(factory):
    office = factory.office(timezone=TZ)
    users = [factory.user(office, role="notifier", username=n) for n in ("notificador1", "notificador2")]
    assignments = [live_assignment(factory.portfolio_item(office, u)).id for u in users]
    return office, [u.id for u in users], assignments


def _not_located(page: Page, server, assignment_id: int, tmp_path: Path) -> str:
    open_assignment(page, server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "not_located")
    page.select_option("select[name='not_located.reason']", "closed")
    page.fill("textarea[name='not_located.premises_state']", "Cortina cerrada, sin letrero")
    return finalize(page)


def test_unsent_work_is_wiped_only_after_confirming_exactly_what_is_lost(
        app, two_people, live_server, phone, tmp_path: Path):
    office, (first_id, _), (assignment_id, _) = two_people
    phone.moment = business_moment(office, time(13, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.set_offline(True)
    _not_located(page, live_server, assignment_id, tmp_path)

    page.goto(live_server.url + "/captura/salir")
    losses = page.locator("#logout-losses li")
    expect(losses).to_have_count(2)
    expect(losses.nth(0)).to_have_text("1 diligencia finalizada sin enviar")
    expect(losses.nth(1)).to_contain_text("1 foto o firma sin enviar (")
    expect(page.locator("#logout-go")).to_be_disabled()
    screenshot(page, "logout-confirm")
    page.check("#logout-confirm")
    expect(page.locator("#logout-go")).to_be_enabled()

    page.click("#logout-go")  # still offline: the phone is wiped, the login page is unreachable
    page.wait_for_url("**/entrar")
    expect(page.locator("h1")).to_have_text("Sin conexión")
    state = page.evaluate(PHONE_STATE)
    assert f"fieldapp-capture-u{first_id}" not in state["databases"]
    assert state["pages"] == []  # no cached page with this user's name or worklist
    phone.context.set_offline(False)
    page.wait_for_timeout(1500)  # give a (wrongly) surviving outbox every chance to send
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Diligence)) == 0  # lost, as confirmed


def test_with_everything_sent_logout_is_immediate_and_the_next_person_sees_nothing(
        app, two_people, live_server, phone, tmp_path: Path):
    office, (first_id, second_id), (first_assignment, second_assignment) = two_people
    phone.moment = business_moment(office, time(13, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    _not_located(page, live_server, first_assignment, tmp_path)
    page.goto(live_server.url + "/captura/salir")
    expect(page.locator("#logout-safe")).to_be_visible(timeout=30_000)
    expect(page.locator("#logout-go")).to_be_enabled()
    page.click("#logout-go")
    page.wait_for_url("**/entrar")

    db.session.remove()
    device = db.session.scalars(select(Device).where(Device.user_id == first_id)).one()
    assert device.revoked_at is not None  # the token went with the data

    phone.login(page, "notificador2")
    phone.enroll(page)
    expect(page.locator("#records .item")).to_have_count(0)
    items = page.locator("#assignments .item")
    expect(items).to_have_count(1)
    link = f"/captura/diligencia?asignacion={second_assignment}"
    expect(items.locator("a.item-main")).to_have_attribute("href", link)
    state = page.evaluate(PHONE_STATE)
    assert f"fieldapp-capture-u{first_id}" not in state["databases"]
    assert f"fieldapp-capture-u{second_id}" in state["databases"]
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Diligence)) == 1
