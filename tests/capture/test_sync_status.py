"""Issue 16, done when: a throttled upload shows "Enviando" with progress and never "No se pudo
enviar"; a cut mid-upload leaves consistent counts and no re-sent file. The server side of the
link is a WSGI middleware (UploadValve) that counts every photo upload per file, can hold
uploads and then read them slowly (a throttled link), and can lose the answer of an upload the
app has already stored (the link drops on the way back)."""

from __future__ import annotations

import io
import re
import socket
import threading
import time as clock
from collections import Counter
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from fieldapp.assignments.services import live_assignment
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.media.models import MediaBlob
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import choose, finalize, open_assignment, take_photo, verify_address
from tests.live import UploadCutter
from tests.scenarios import camera_jpeg, noisy_jpeg

pytestmark = pytest.mark.browser
MEDIA_PATH = "/api/sync/v1/media/"


class UploadValve:
    """Counts photo uploads (PUT media) per file; while `closed`, holds each upload before
    reading it and then reads it in small slow chunks; `lose_answer_of` names the uploads (by
    order, from 1) whose answer is lost after the app stored the file; from upload number
    `cut_from` on, each upload is cut halfway (tests/live.py UploadCutter)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.puts: Counter[str] = Counter()
        self.order = 0
        self.held = 0
        self.gate = threading.Event()
        self.gate.set()
        self.lose_answer_of: set[int] = set()
        self.cut_from: int | None = None
        self.cutter = UploadCutter(app)
        self.cutter.cutting = True
        self.lock = threading.Lock()

    def close(self) -> None:
        self.gate.clear()

    def open(self) -> None:
        self.gate.set()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["REQUEST_METHOD"] != "PUT" or not environ["PATH_INFO"].startswith(MEDIA_PATH):
            return self.app(environ, start_response)
        with self.lock:
            self.order += 1
            number = self.order
            self.puts[environ["PATH_INFO"][len(MEDIA_PATH):]] += 1
        if not self.gate.is_set():
            with self.lock:
                self.held += 1
            self.gate.wait(120)
            length = int(environ.get("CONTENT_LENGTH") or 0)
            chunks = []
            while length > 0:  # a slow link: 64 KB at a time
                chunk = environ["wsgi.input"].read(min(65536, length))
                if not chunk:
                    break
                chunks.append(chunk)
                length -= len(chunk)
                clock.sleep(0.02)
            environ["wsgi.input"] = io.BytesIO(b"".join(chunks))
        if self.cut_from is not None and number >= self.cut_from:
            return self.cutter(environ, start_response)
        if number in self.lose_answer_of:
            return self.lost_answer(environ, start_response)
        return self.app(environ, start_response)

    def lost_answer(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """The app stores the file and answers; the connection dies after the answer's first
        bytes. (Dying before any byte would let the browser itself resend the request on a
        fresh connection, which is the network stack's retry, not the app's.)"""
        answer = b"".join(self.app(environ, start_response))
        sock: socket.socket = environ["werkzeug.socket"]

        def body() -> Any:
            yield answer[:8]
            sock.shutdown(socket.SHUT_RDWR)

        return body()


def stored_files() -> int:
    db.session.remove()
    return len(db.session.scalars(select(MediaBlob)).all())


def record_status_texts(page: Page) -> None:
    """Keeps every text the status line shows from now on (window.statusTexts)."""
    page.evaluate("""() => {
        window.statusTexts = [];
        const line = document.getElementById("sync-detail");
        new MutationObserver(() => window.statusTexts.push(line.textContent))
          .observe(line, {childList: true, characterData: true, subtree: true});
    }""")


def capture_not_located(page: Page, server: Any, assignment_id: int, tmp_path: Path) -> str:
    open_assignment(page, server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "not_located")
    page.select_option("select[name='not_located.reason']", "moved")
    page.fill("textarea[name='not_located.premises_state']", "Local vacío con letrero de renta")
    page.fill("input[name='not_located.statements.0.name']", "Marta Díaz, vecina del 14")
    page.fill("textarea[name='not_located.statements.0.text']", "Se mudaron hace dos meses")
    take_photo(page, "evidence", noisy_jpeg(tmp_path / "evidence-1.jpg", 1))
    take_photo(page, "evidence", noisy_jpeg(tmp_path / "evidence-2.jpg", 2))
    return finalize(page)


@pytest.fixture
def valve(live_server) -> UploadValve:
    valve = UploadValve(live_server.cutter.app)
    live_server.cutter.app = valve
    yield valve
    valve.open()
    live_server.cutter.app = valve.app


@pytest.fixture
def captured(app, factory, live_server, phone, tmp_path: Path):
    """A notifier's phone, enrolled, holding one not-located record with three photos taken
    offline; the phone is still offline, on its home page."""
    office = factory.office(timezone=TZ)
    user = factory.user(office, role="notifier", username="notificador1")
    assignment_id = live_assignment(factory.portfolio_item(office, user)).id
    phone.moment = business_moment(office, time(11, 20))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.set_offline(True)
    record_id = capture_not_located(page, live_server, assignment_id, tmp_path)
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_contain_text("1 diligencia y 3 fotos por enviar")
    expect(page.locator("#sync-bar")).to_have_attribute("data-state", "offline")
    return page, record_id


def test_a_throttled_upload_shows_sending_with_progress_and_never_a_failure(
        captured, valve: UploadValve, live_server, phone):
    page, record_id = captured
    record_status_texts(page)
    valve.close()
    phone.context.set_offline(False)

    # The record went; its first photo is on its way, held by the slow link.
    bar = page.locator("#sync-bar")
    expect(bar).to_have_attribute("data-state", "sending", timeout=30_000)
    detail = page.locator("#sync-detail")
    expect(detail).to_contain_text("Enviando: ", timeout=30_000)
    expect(detail).to_contain_text("(archivo 1 de 3)", timeout=30_000)
    expect(detail).to_contain_text("1 de 1 diligencia")
    expect(detail).to_contain_text(re.compile(r"[\d.]+ [KM]B de 1\.\d MB"))
    expect(page.locator(f"#records [data-record-id='{record_id}'] .record-state")).to_have_text(
        "Enviada; faltan 3 fotos")
    screenshot(page, "i16-sync-sending")

    valve.open()
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=60_000)
    expect(bar).to_have_attribute("data-state", "idle")
    expect(page.locator(f"#records [data-record-id='{record_id}'] .record-state")).to_have_text(
        "Completa en el servidor")
    texts = page.evaluate("window.statusTexts")
    assert any(t.startswith("Enviando") for t in texts)
    assert not [t for t in texts if "No se pudo enviar" in t], texts
    assert valve.held >= 1
    assert set(valve.puts.values()) == {1}  # each file went once


def test_an_upload_whose_answer_is_lost_is_not_sent_again_and_counts_agree(
        captured, valve: UploadValve, live_server, phone):
    page, record_id = captured
    # The first photo goes; the second is stored by the server but its answer never arrives;
    # every later upload is cut halfway (UploadCutter) until the link heals.
    valve.lose_answer_of = {2}
    valve.cut_from = 3
    phone.context.set_offline(False)
    state = page.locator(f"#records [data-record-id='{record_id}'] .record-state")
    deadline = clock.monotonic() + 60
    while stored_files() < 2 and clock.monotonic() < deadline:
        clock.sleep(0.2)
    assert stored_files() == 2
    # A run now asks the server again what it lacks: only the third photo. The header and the
    # record say the same, from one count.
    page.click("#sync-now")
    expect(page.locator("#sync-pending")).to_contain_text("1 foto por enviar", timeout=30_000)
    expect(state).to_have_text("Enviada; faltan 1 foto")
    expect(page.locator("#sync-bar")).not_to_have_attribute("data-state", "sending", timeout=30_000)
    expect(page.locator("#sync-pending")).to_contain_text("1 foto por enviar")
    expect(state).to_have_text("Enviada; faltan 1 foto")
    screenshot(page, "i16-sync-after-cut")

    valve.cut_from = None
    page.click("#sync-now")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    expect(state).to_have_text("Completa en el servidor")
    # The file stored while its answer was lost was never sent again.
    shas = list(valve.puts)
    assert valve.puts[shas[0]] == 1 and valve.puts[shas[1]] == 1, valve.puts
    assert valve.puts[shas[2]] >= 2  # the cut one went again, whole
    db.session.remove()
    diligence = db.session.get(Diligence, record_id)
    assert diligence.complete
    assert sorted(valve.puts) == sorted(m.sha256 for m in diligence.media)
