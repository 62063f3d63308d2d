"""A record the office returns reaches the phone with the observations and is corrected as a
new version naming the one it replaces; the returned record stays read-only. Also on a shared
phone wiped since: the pull brings the returned record back."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from fieldapp.assignments.services import live_assignment
from fieldapp.auth.models import User
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import DRAFT_URL, attendee, choose, finalize, open_assignment, sign, verify_address
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser
OBSERVATIONS = "Falta el número de la identificación: corríjalo."


@pytest.fixture
def office_and_people(factory):
    office = factory.office(timezone=TZ)
    notifier = factory.user(office, role="notifier", username="notificador1")
    head = factory.user(office, role="supervisor", username="jefe1")
    assignment_id = live_assignment(factory.portfolio_item(office, notifier)).id
    return office, head.id, assignment_id


def _notify(page: Page, server, assignment_id: int, tmp_path: Path) -> str:
    open_assignment(page, server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "notification")
    attendee(page, "addressee", "Ana María Torres")
    page.check("input[name=copy_delivered]")
    sign(page)
    return finalize(page)


def _sync_until(page: Page, server, text: str) -> None:
    page.goto(server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    page.click("#sync-now")
    expect(page.locator("#records")).to_contain_text(text, timeout=30_000)


def _return(record_id: str, head_id: int) -> None:
    db.session.remove()
    decide(db.session.get(Diligence, record_id), "returned", actor=db.session.get(User, head_id),
           observations=OBSERVATIONS)
    db.session.commit()


def _correct(page: Page, record_id: str) -> str:
    page.click(f"#records [data-record-id='{record_id}'] a")
    expect(page.locator("#record-state")).to_contain_text(OBSERVATIONS)
    expect(page.locator("input[name='attendee.name']")).to_be_disabled()  # finalized: read-only
    screenshot(page, "record-returned")
    page.click("text=Corregir (nueva versión)")
    expect(page).to_have_url(DRAFT_URL)
    expect(page.locator("input[name='attendee.name']")).to_have_value("Ana María Torres")
    page.fill("input[name='attendee.id_number']", "IDMEX0000011111")
    return finalize(page)


def test_a_returned_record_is_corrected_as_a_new_version(app, office_and_people, live_server,
                                                         phone, tmp_path: Path):
    office, head, assignment_id = office_and_people
    phone.moment = business_moment(office, time(10, 30))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    first = _notify(page, live_server, assignment_id, tmp_path)
    _sync_until(page, live_server, "Completa en el servidor")

    _return(first, head)
    _sync_until(page, live_server, f"Devuelta para corrección: {OBSERVATIONS}")
    second = _correct(page, first)
    assert second != first
    _sync_until(page, live_server, "corregida por una nueva versión")

    db.session.remove()
    v1, v2 = db.session.get(Diligence, first), db.session.get(Diligence, second)
    assert v2.replaces_id == first and v1.superseded_by_id == second
    assert (v1.version, v2.version) == (1, 2)
    assert v2.complete  # the photos were already on the server: nothing sent twice
    facts = v2.content["facts"]
    assert facts["attendee"]["id_number"] == "IDMEX0000011111"
    assert facts["finished_at"] == v1.content["facts"]["finished_at"]  # when it really ended
    assert v2.previous_hash == v1.content_hash  # the device's chain goes on


def test_a_wiped_phone_gets_the_returned_record_back_and_corrects_it(
        app, office_and_people, live_server, phone, tmp_path: Path):
    office, head, assignment_id = office_and_people
    phone.moment = business_moment(office, time(10, 30))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    first = _notify(page, live_server, assignment_id, tmp_path)
    _sync_until(page, live_server, "Completa en el servidor")

    page.goto(live_server.url + "/captura/salir")
    expect(page.locator("#logout-safe")).to_be_visible()
    page.click("#logout-go")
    page.wait_for_url("**/entrar")

    _return(first, head)
    phone.login(page, "notificador1")
    phone.enroll(page)  # a new enrollment: a fresh database on the phone
    expect(page.locator("#records")).to_contain_text(OBSERVATIONS)
    second = _correct(page, first)
    _sync_until(page, live_server, "corregida por una nueva versión")
    db.session.remove()
    versions = db.session.scalars(select(Diligence).order_by(Diligence.version)).all()
    assert [(d.id, d.replaces_id) for d in versions] == [(first, None), (second, first)]
    assert versions[1].complete
