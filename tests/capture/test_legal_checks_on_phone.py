"""Issue 5, done when: with the phone's clock outside business hours the block finding shows
and the diligence cannot be finalized (R-CAL-3); a warning's reason is stored with the record
and reaches the server (R-NOT-6)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.assignments.services import live_assignment
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import attendee, choose, finalize, open_assignment, verify_address
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser


@pytest.fixture
def work(factory):
    office = factory.office(timezone=TZ)
    factory.user(office, role="notifier", username="notificador1")
    user = factory.user(office, role="notifier", username="notificador2")
    document = factory.portfolio_item(office, user)
    return office, live_assignment(document).id


def test_r_cal_3_a_citatorio_at_night_shows_the_block_and_cannot_be_finalized(
        work, live_server, phone, tmp_path: Path):
    office, assignment_id = work
    phone.moment = business_moment(office, time(20, 15))
    page = phone.open()
    phone.login(page, "notificador2")
    phone.enroll(page)

    open_assignment(page, live_server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "citatorio")
    page.check("input[name='ui.citatorio_delivery'][value=person]")
    page.fill("input[name=absence_reason]", "Fuera de la ciudad")
    page.fill("input[name=absence_informant]", "Vigilante del edificio")
    attendee(page, "employee", "Pedro Ramírez", "Vigilante")
    page.check("input[name=copy_delivered]")

    blocks = page.locator("#findings-block .finding")
    expect(blocks.filter(has_text="R-CAL-3")).to_have_text(
        "R-CAL-3 La diligencia inició a las 20:15, fuera del horario hábil de 07:30 a 18:00, sin "
        "habilitación (CFF 13). Vuelva en horario hábil, o pida a su jefe de oficina que "
        "registre una habilitación de horas inhábiles.")
    expect(page.locator("#finalize")).to_be_disabled()
    expect(page.locator("#finalize-status")).to_contain_text("No se puede finalizar")
    screenshot(page, "form-blocked-outside-business-hours")

    # Even a forced submit (a stale button, a script) is refused: no record is queued.
    page.eval_on_selector("#diligence", "form => form.requestSubmit()")
    expect(page.locator("#finalize-status")).to_contain_text("No se puede finalizar")
    assert "borrador=" in page.url
    queued = page.evaluate("""async () => {
        const { openUserDb, getAll } = await import(document.querySelector("script[type=module]").src
            .split("/js/")[0] + "/js/capture/db.js");
        const ctx = JSON.parse(document.getElementById("capture-context").dataset.context);
        return (await getAll(await openUserDb(ctx.user.id), "records")).length;
    }""")
    assert queued == 0


def test_r_not_6_a_warning_needs_a_reason_which_is_stored_and_sent(
        app, work, live_server, phone, tmp_path: Path):
    office, assignment_id = work
    phone.moment = business_moment(office, time(11, 30))
    page = phone.open()
    phone.login(page, "notificador2")
    phone.enroll(page)

    open_assignment(page, live_server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "notification")
    attendee(page, "addressee", "Ana María Torres")
    page.check("input[name=refused_to_receive]")

    warning = page.locator("#findings-warn .finding").filter(has_text="R-NOT-6")
    expect(warning).to_contain_text("se notificará por estrados")
    expect(page.locator("#finalize")).to_be_disabled()
    expect(page.locator("#finalize-status")).to_have_text(
        "Escriba el motivo de 1 advertencia para continuar.")
    reason = "La destinataria se negó; se turna a estrados conforme al CFF 134 III."
    # Typed key by key, as on a phone: each keystroke is saved and the checks run again, and
    # the box keeps the focus and every character.
    box = page.locator("#warn-reasons textarea[data-rule='R-NOT-6']")
    box.click()
    box.press_sequentially(reason)
    expect(box).to_have_value(reason)
    expect(box).to_be_focused()
    screenshot(page, "form-warning-with-reason")
    record_id = finalize(page)
    expect(page.locator("#warn-reasons textarea")).to_have_value(reason)

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    db.session.remove()
    stored = db.session.scalars(select(Diligence)).one()
    assert stored.id == record_id
    assert stored.content["warning_reasons"] == {"R-NOT-6": reason}
    assert stored.content["facts"]["refused_to_receive"] is True


def test_r_cal_3_under_the_offices_habilitacion_a_night_visit_is_finalized_citing_its_folio(
        app, work, live_server, phone, tmp_path: Path):
    """R-CAL-3 (CFF 13): the habilitación the office recorded reaches the phone in its legal
    pack; the night visit is not blocked and the finding names the folio, on both sides."""
    from datetime import timedelta

    from fieldapp.legal.services import record_hours_enablement

    office, assignment_id = work
    phone.moment = business_moment(office, time(20, 15))
    day = phone.moment.date()
    record_hours_enablement(office, folio="HAB-9/2026", signer="Lic. Rosa Méndez",
                            issued_on=day - timedelta(days=1), first_day=day, last_day=day,
                            hours_from=time(19, 0), hours_to=time(23, 0),
                            reason="Operativo nocturno", actor=None)
    db.session.commit()
    page = phone.open()
    phone.login(page, "notificador2")
    phone.enroll(page)

    open_assignment(page, live_server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "not_located")
    page.select_option("select[name='not_located.reason']", "closed")
    page.fill("textarea[name='not_located.premises_state']", "Cortina cerrada, sin letrero")
    note = page.locator("#findings-note .finding").filter(has_text="R-CAL-3")
    expect(note).to_contain_text("bajo la habilitación HAB-9/2026 registrada por la oficina")
    expect(page.locator("#findings-block .finding")).to_have_count(0)
    record_id = finalize(page)

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    db.session.remove()
    stored = db.session.get(Diligence, record_id)
    assert [f["severity"] for f in stored.findings if f["rule_id"] == "R-CAL-3"] == ["note"]
    assert not stored.has_block_findings
