"""Issue 15, Build 3: offline, the phone shows a printable summary of the record it just
finalized (its facts, its hash and the QR of its verification link) to show or leave with the
attendee; once the server holds the record, that same link says it matches."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from playwright.sync_api import Page, expect

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.capture.conftest import SCREENSHOTS, business_moment
from tests.capture.flows import attendee, choose, finalize, open_assignment, sign, verify_address
from tests.capture.test_corrections import office_and_people  # noqa: F401 (a fixture)
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser


def read_qr(png: Path) -> str:
    image = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, _, _ = detector.detectAndDecode(np.ascontiguousarray(image))
        if text:
            return str(text)
    return ""


def notify_offline(page: Page, server, assignment_id: int, tmp_path: Path) -> str:
    open_assignment(page, server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "notification")
    attendee(page, "addressee", "Ana María Torres")
    page.check("input[name=copy_delivered]")
    sign(page)
    return finalize(page)


def test_the_phone_shows_an_offline_summary_whose_qr_verifies_once_synced(
        app, office_and_people, live_server, phone, tmp_path: Path):  # noqa: F811
    office, _head_id, assignment_id = office_and_people
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.set_offline(True)
    page.reload()
    record_id = notify_offline(page, live_server, assignment_id, tmp_path)

    expect(page.locator("#acta-copy")).to_be_hidden()  # the server has no acta yet
    expect(page.locator("#record-summary")).to_be_hidden()
    page.click("#summary-open")
    summary = page.locator("#record-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("[data-summary=kind]")).to_have_text("Notificación")
    content_hash = summary.locator("[data-summary=hash]").inner_text()
    assert len(content_hash) == 64 and all(c in "0123456789abcdef" for c in content_hash)
    url = summary.locator("[data-summary=url]").inner_text()
    assert url == f"{live_server.url}/v/{record_id}?h={content_hash[:16]}"
    qr = page.locator("#summary-qr")
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    png = tmp_path / "summary-qr.png"
    qr.screenshot(path=str(png))
    assert read_qr(png) == url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    summary.screenshot(path=str(SCREENSHOTS / "capture-record-summary.png"))
    # The printed page keeps the summary and the answers, without the app's buttons.
    page.emulate_media(media="print")
    expect(page.locator("#summary-print")).to_be_hidden()
    expect(summary).to_be_visible()
    expect(page.locator("#step-attendee")).to_be_visible()
    page.emulate_media(media="screen")

    phone.context.set_offline(False)
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    db.session.remove()
    stored = db.session.get(Diligence, record_id)
    assert stored is not None and stored.content_hash == content_hash
    page.goto(url)
    expect(page.locator("h1")).to_have_text("El registro coincide")
