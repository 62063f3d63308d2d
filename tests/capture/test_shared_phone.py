"""Logout on a shared phone wipes the user's local data: at once when everything has been sent,
otherwise only after a confirmation that names what would be lost. The next person on the
phone sees nothing of the previous one, and the old token no longer works."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from fieldapp.assignments.services import live_assignment
from fieldapp.devices.models import Device
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import choose, finalize, open_assignment, verify_address
from tests.conftest import PASSWORD, make_test_app
from tests.scenarios import camera_jpeg

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


def test_the_signed_in_user_enrolls_the_phone_with_one_tap_and_no_password(
        app, two_people, live_server, phone):
    office, (first_id, _), _ = two_people
    phone.moment = business_moment(office, time(13, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#enroll")).to_be_visible()
    expect(page.locator("#enroll input[type=password]")).to_have_count(0)
    page.click("#enroll-form button[type=submit]")
    expect(page.locator("#enroll")).to_be_hidden()
    expect(page.locator("#assignments-note")).to_contain_text("Lista descargada")
    db.session.remove()
    device = db.session.scalars(select(Device).where(Device.user_id == first_id)).one()
    assert device.enrolled_via == "session" and device.revoked_at is None


def test_one_tap_enrollment_needs_the_session_and_its_csrf_token(database_url, tmp_path, two_people):
    guarded = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    assert client.post("/captura/activar", json={"device_name": "Teléfono"}).status_code == 400
    login_page = client.get("/entrar").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/entrar", data={"username": "notificador1", "password": PASSWORD, "csrf_token": token})
    refused = client.post("/captura/activar", json={"device_name": "Teléfono"})
    assert refused.status_code == 400  # signed in, but without the page's CSRF token
    page = client.get("/captura/").get_data(as_text=True)
    csrf = re.search(r'&#34;csrf_token&#34;: &#34;([^&]+)&#34;|"csrf_token": "([^"]+)"', page)
    assert csrf is not None
    granted = client.post("/captura/activar", json={"device_name": "Teléfono de prueba"},
                          headers={"X-CSRFToken": csrf.group(1) or csrf.group(2)})
    assert granted.status_code == 201 and granted.json["token"]
    assert granted.headers["Cache-Control"] == "no-store"
    with guarded.app_context():
        device = db.session.scalars(select(Device)).one()
        assert device.enrolled_via == "session" and device.name == "Teléfono de prueba"
        db.session.remove()
        db.engine.dispose()


def test_sign_out_keeps_the_outbox_for_the_same_user_who_sends_it_on_coming_back(
        app, two_people, live_server, phone, tmp_path: Path):
    office, (first_id, _), (assignment_id, _) = two_people
    phone.moment = business_moment(office, time(13, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.set_offline(True)
    _not_located(page, live_server, assignment_id, tmp_path)
    # The network comes back for the web pages only: the sync API stays unreachable, so what
    # was captured is still in the outbox when the user signs out.
    phone.context.route("**/api/sync/v1/**", lambda route: route.abort("internetdisconnected"))
    phone.context.set_offline(False)
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).not_to_have_class(re.compile(r"\bis-clear\b"))
    sign_out = page.locator("#sign-out")
    expect(sign_out).to_have_text("Cerrar sesión")
    box = sign_out.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    sign_out.click()
    page.wait_for_url("**/entrar")
    state = page.evaluate(PHONE_STATE)
    assert f"fieldapp-capture-u{first_id}" in state["databases"]  # the data stayed
    assert state["pages"] == []  # but no cached page with the user's name or worklist
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Diligence)) == 0

    phone.context.unroute("**/api/sync/v1/**")
    phone.login(page, "notificador1")
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#enroll")).to_be_hidden()  # the token stayed too: no new enrollment
    expect(page.locator("#records .item")).to_have_count(1)
    expect(page.locator("#sync-pending")).to_have_class(re.compile(r"\bis-clear\b"), timeout=30_000)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Diligence)) == 1
    assert db.session.scalar(select(func.count()).select_from(Device)) == 1
