"""Issue 5, done when: the phone logs in online and pulls its worklist; goes offline; reloads
from the service worker; captures a citatorio and a notification with two 4000×3000 photos
(one with an EXIF orientation tag) and signatures; the browser closes and reopens on the same
profile, still with no network, and both records are there; back online, the server holds
exactly those records, complete, with photos at most 1600 px on their long edge."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from playwright.sync_api import expect
from sqlalchemy import select

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.media.models import MediaBlob
from fieldapp.media.storage import original_path
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import attendee, choose, finalize, open_assignment, sign, verify_address
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser


@pytest.fixture
def notifier_with_work(factory):
    office = factory.office(timezone=TZ)
    user = factory.user(office, role="notifier", username="notificador1")
    documents = [factory.portfolio_item(office, user) for _ in range(2)]
    return office, user, documents


def _assignment_ids(documents) -> list[int]:
    from fieldapp.assignments.services import live_assignment

    return [live_assignment(d).id for d in documents]


def test_capture_offline_survives_a_restart_and_reaches_the_server_complete(
        app, notifier_with_work, live_server, phone, tmp_path: Path):
    office, user, documents = notifier_with_work
    first, second = _assignment_ids(documents)
    phone.moment = business_moment(office, time(10, 0))

    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    expect(page.locator("#assignments .item")).to_have_count(2)

    phone.context.set_offline(True)
    page.reload()  # served by the service worker, data from IndexedDB
    expect(page.locator("#assignments .item")).to_have_count(2)
    expect(page.locator("#sync-detail")).to_contain_text("Sin conexión")

    open_assignment(page, live_server, first)
    verify_address(page, camera_jpeg(tmp_path / "facade-1.jpg"))
    choose(page, "citatorio")
    page.check("input[name='ui.citatorio_delivery'][value=person]")
    page.fill("input[name=absence_reason]", "Salió a una junta fuera de la oficina")
    page.fill("input[name=absence_informant]", "Juana Pérez, recepcionista")
    attendee(page, "employee", "Juana Pérez López", "Recepcionista")
    page.check("input[name=copy_delivered]")
    sign(page)
    citatorio_id = finalize(page)

    open_assignment(page, live_server, second)
    verify_address(page, camera_jpeg(tmp_path / "facade-2.jpg", orientation=6))
    choose(page, "notification")
    attendee(page, "legal_representative", "Roberto Gómez Ruiz", "Administrador único")
    page.fill("input[name='attendee.power.instrument_number']", "45,678")
    page.fill("input[name='attendee.power.notary']", "Notario 12 de Guadalajara")
    page.fill("input[name='attendee.power.granted_on']", "2019-05-14")
    page.check("input[name=copy_delivered]")
    sign(page, wobble=45)
    notification_id = finalize(page)

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_contain_text("2 diligencias, 2 fotos y 2 firmas por enviar")

    # The browser closes; the network stays dead across the restart (the server is down).
    phone.close()
    live_server.stop()
    page = phone.open(offline=True)
    page.goto(live_server.url + "/captura/")
    records = page.locator("#records .item")
    expect(records).to_have_count(2)
    expect(records.locator(".record-state")).to_have_text(["Por enviar", "Por enviar"])
    assert {records.nth(i).get_attribute("data-record-id") for i in range(2)} == {citatorio_id,
                                                                                 notification_id}

    live_server.start()
    phone.context.set_offline(False)
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    expect(records.locator(".record-state")).to_have_text(["Completa en el servidor"] * 2)

    db.session.remove()
    diligences = {d.id: d for d in db.session.scalars(select(Diligence))}
    assert set(diligences) == {citatorio_id, notification_id}
    assert diligences[citatorio_id].kind == "citatorio"
    assert diligences[notification_id].kind == "notification"
    for d in diligences.values():
        assert d.complete, d.id
        assert d.chain_status == "ok"
        assert not d.has_block_findings, d.findings
        roles = sorted(m.role for m in d.media)
        assert roles == ["facade", "signature"]
    photos = {m.role: m.sha256 for m in diligences[notification_id].media}
    for d in diligences.values():
        for m in d.media:
            blob = db.session.get(MediaBlob, m.sha256)
            assert blob is not None and max(blob.width, blob.height) <= 1600
            with Image.open(original_path(m.sha256)) as image:
                assert image.size == (blob.width, blob.height)
    # EXIF orientation 6 applied on the phone: the 4000×3000 landscape pixels stand upright.
    rotated = db.session.get(MediaBlob, photos["facade"])
    assert (rotated.width, rotated.height) == (1200, 1600)
    with Image.open(tmp_path / "facade-2.jpg") as taken:
        upright = ImageOps.exif_transpose(taken).resize((1200, 1600))
    with Image.open(original_path(photos["facade"])) as stored:
        assert _red_side(stored) == _red_side(upright) == "right"
        assert stored.getexif().get(0x0112) is None  # re-encoded: no EXIF left
    screenshot(page, "home-after-sync")


def _red_side(image: Image.Image) -> str:
    """Which edge the test photo's red band (its top edge as taken) lies along."""
    w, h = image.size
    strips = {"top": (0, 0, w, h // 20), "bottom": (0, h - h // 20, w, h),
              "left": (0, 0, w // 20, h), "right": (w - w // 20, 0, w, h)}
    redness = {side: image.convert("RGB").crop(box).resize((1, 1)).getpixel((0, 0))
               for side, box in strips.items()}
    return max(redness, key=lambda side: redness[side][0] - redness[side][1])
