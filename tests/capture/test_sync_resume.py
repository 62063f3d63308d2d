"""Issue 5, done when: sync resumes after the network drops in the middle of a photo upload,
without duplicates. The server thread tears down the TCP connection of every photo upload
after reading half of its body (tests/capture/conftest.py UploadCutter), as a dropping 3G link
does; then the link comes back."""

from __future__ import annotations

import hashlib
from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from fieldapp.assignments.services import live_assignment
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.media.models import MediaBlob
from fieldapp.media.storage import original_path
from tests.capture.conftest import TZ, business_moment
from tests.capture.flows import (
    choose,
    finalize,
    in_app,
    open_assignment,
    take_photo,
    verify_address,
)
from tests.live import wait_for_async, wait_until
from tests.scenarios import camera_jpeg, noisy_jpeg

pytestmark = pytest.mark.browser


def test_a_photo_upload_cut_halfway_resumes_and_nothing_is_duplicated(
        app, factory, live_server, phone, tmp_path: Path):
    office = factory.office(timezone=TZ)
    user = factory.user(office, role="notifier", username="notificador1")
    assignment_id = live_assignment(factory.portfolio_item(office, user)).id
    phone.moment = business_moment(office, time(16, 20))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)

    phone.context.set_offline(True)
    open_assignment(page, live_server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "not_located")
    page.select_option("select[name='not_located.reason']", "moved")
    page.fill("textarea[name='not_located.premises_state']", "Local vacío con letrero de renta")
    page.fill("input[name='not_located.statements.0.name']", "Marta Díaz, vecina del 14")
    page.fill("textarea[name='not_located.statements.0.text']", "Se mudaron hace dos meses")
    take_photo(page, "evidence", noisy_jpeg(tmp_path / "evidence-1.jpg", 1))
    take_photo(page, "evidence", noisy_jpeg(tmp_path / "evidence-2.jpg", 2))
    record_id = finalize(page)
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_contain_text("1 diligencia y 3 fotos por enviar")

    # The link comes back, but every photo upload dies halfway. The run that meets it (the
    # page's, or the service worker's Background Sync) fails and schedules a retry.
    live_server.cutter.cutting = True
    phone.context.set_offline(False)
    state = page.locator(f"#records [data-record-id='{record_id}'] .record-state")
    expect(state).to_have_text("Enviada; faltan 3 fotos", timeout=30_000)
    # A backoff left by a run tried while offline would satisfy the wait below before any upload
    # met the cut: first the server sees an upload torn down, then the phone records the failure.
    wait_until(lambda: live_server.cutter.cut >= 1, "a photo upload torn down halfway", 60)
    backoff = 'return await m.getMeta(await m.openUserDb(ctx.user.id), "backoff", {});'
    wait_for_async(page, """async () => {
        const m = await import(document.querySelector("script[type=module]").src
            .split("/js/")[0] + "/js/capture/db.js");
        const ctx = JSON.parse(document.getElementById("capture-context").dataset.context);
        const backoff = await m.getMeta(await m.openUserDb(ctx.user.id), "backoff", {});
        return (backoff.attempts || 0) >= 1;
    }""", timeout=60)
    assert in_app(page, "db", backoff)["last_error"] == "network"
    db.session.remove()
    sent = db.session.get(Diligence, record_id)
    assert sent is not None and not sent.complete
    assert db.session.scalar(select(func.count()).select_from(MediaBlob)) == 0  # nothing half-kept

    # The link heals: the same files go again, whole, and the record completes.
    live_server.cutter.cutting = False
    page.click("#sync-now")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    expect(state).to_have_text("Completa en el servidor")

    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Diligence)) == 1
    diligence = db.session.get(Diligence, record_id)
    assert diligence.complete
    shas = [m.sha256 for m in diligence.media]
    assert len(shas) == len(set(shas)) == 3
    blobs = db.session.scalars(select(MediaBlob)).all()
    assert sorted(b.sha256 for b in blobs) == sorted(shas)
    for blob in blobs:
        assert hashlib.sha256(original_path(blob.sha256).read_bytes()).hexdigest() == blob.sha256
