"""A citatorio, then the follow-up visit at the appointed hour of the next business day: the
phone fills the citatorio's times from the record it captured (R-NOT-5, R-NOT-8) and the
notification is made with whoever is at the address."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.assignments.services import live_assignment
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import attendee, choose, finalize, open_assignment, sign, verify_address
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser


def test_the_follow_up_at_the_appointed_hour_uses_the_citatorio_left_the_day_before(
        app, factory, live_server, phone, tmp_path: Path):
    office = factory.office(timezone=TZ)
    user = factory.user(office, role="notifier", username="notificador1")
    assignment_id = live_assignment(factory.portfolio_item(office, user)).id
    day_one = business_moment(office, time(11, 0))
    phone.moment = day_one
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)

    open_assignment(page, live_server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "citatorio")
    page.select_option("select[name='ui.appointment_time']", "10:00")
    page.check("input[name='ui.citatorio_delivery'][value=person]")
    page.fill("input[name=absence_reason]", "Está en otra sucursal")
    page.fill("input[name=absence_informant]", "Laura Méndez, encargada")
    attendee(page, "employee", "Laura Méndez", "Encargada")
    page.check("input[name=copy_delivered]")
    sign(page)
    citatorio_id = finalize(page)
    phone.close()

    # Next business day, 10:04: the notifier is back at the appointed hour (tolerance 15 min).
    appointed = business_moment(office, time(10, 0), after=day_one.date())
    phone.moment = appointed + timedelta(minutes=4)
    page = phone.open()
    open_assignment(page, live_server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade-2.jpg", colour=(90, 90, 160)))
    choose(page, "follow_up")
    expect(page.locator("#follow-up-source")).to_contain_text("Del citatorio del")
    expect(page.locator("input[name='ui.citatorio_appointed']")).to_have_value(
        appointed.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=absence_reason]", "No esperó al notificador")
    page.fill("input[name=absence_informant]", "Laura Méndez, encargada")
    attendee(page, "employee", "Laura Méndez", "Encargada")
    page.check("input[name=copy_delivered]")
    sign(page, wobble=50)
    screenshot(page, "form-follow-up-filled")
    notification_id = finalize(page)

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    db.session.remove()
    stored = {d.id: d for d in db.session.scalars(select(Diligence))}
    citatorio = stored[citatorio_id].content["facts"]
    follow_up = stored[notification_id].content["facts"]
    assert citatorio["appointment_at"] == appointed.isoformat()
    assert follow_up["kind"] == "notification"
    assert follow_up["citatorio"]["issued_at"][:16] == stored[citatorio_id].content["facts"][
        "started_at"][:16]
    assert not stored[notification_id].has_block_findings, stored[notification_id].findings
