"""The outbox: Background Sync sends it with no page of the app open; one bad record never
blocks the others; failed runs back off exponentially and a success resets the wait."""

from __future__ import annotations

import gzip
import json
import time as clock
from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from fieldapp.assignments.services import live_assignment
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.capture.conftest import TZ, business_moment
from tests.capture.flows import choose, finalize, in_app, open_assignment, verify_address
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser

@pytest.fixture
def work(factory):
    office = factory.office(timezone=TZ)
    user = factory.user(office, role="notifier", username="notificador1")
    ids = [live_assignment(factory.portfolio_item(office, user)).id for _ in range(2)]
    return office, ids


def _not_located(page: Page, server, assignment_id: int, tmp_path: Path, state: str) -> str:
    open_assignment(page, server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / f"facade-{assignment_id}.jpg",
                                     colour=(assignment_id * 40 % 255, 90, 120)))
    choose(page, "not_located")
    page.select_option("select[name='not_located.reason']", "closed")
    page.fill("textarea[name='not_located.premises_state']", state)
    return finalize(page)


def _count_diligences() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Diligence))


def test_background_sync_sends_the_outbox_with_no_page_of_the_app_open(
        work, live_server, phone, tmp_path: Path):
    office, (first, _) = work
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.set_offline(True)
    record_id = _not_located(page, live_server, first, tmp_path, "Cortina abajo")
    tags = page.evaluate("async () => (await navigator.serviceWorker.ready).sync.getTags()")
    assert "fieldapp-outbox" in tags

    page.goto("about:blank")  # no page of the app is open any more
    phone.context.set_offline(False)
    deadline = clock.monotonic() + 30
    while _count_diligences() == 0 and clock.monotonic() < deadline:
        clock.sleep(0.3)
    sent = db.session.get(Diligence, record_id)
    assert sent is not None
    deadline = clock.monotonic() + 30
    while not sent.complete and clock.monotonic() < deadline:
        clock.sleep(0.3)
        db.session.remove()
        sent = db.session.get(Diligence, record_id)
    assert sent.complete  # the photo went too, from the service worker


def test_a_record_the_server_refuses_never_blocks_the_others(work, live_server, phone,
                                                            tmp_path: Path):
    office, (first, second) = work
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.set_offline(True)
    bad = _not_located(page, live_server, first, tmp_path, "Local vacío")
    good = _not_located(page, live_server, second, tmp_path, "Casa deshabitada")
    page.goto(live_server.url + "/captura/")
    # Someone altered the stored record after it was sealed: its hash no longer matches.
    in_app(page, "db", f"""
        const db = await m.openUserDb(ctx.user.id);
        const r = await m.getOne(db, "records", "{bad}");
        r.payload.facts.not_located.premises_state = "Texto cambiado después de sellar";
        await m.putOne(db, "records", r);""")

    phone.context.set_offline(False)
    expect(page.locator(f"#records [data-record-id='{good}'] .record-state")).to_have_text(
        "Completa en el servidor", timeout=30_000)
    refused = page.locator(f"#records [data-record-id='{bad}']")
    expect(refused.locator(".record-state")).to_contain_text("Rechazada por el servidor: ")
    expect(refused).to_contain_text("El hash no corresponde al contenido")
    # Issue 16: the status bar names the refused record and its reason, on every page.
    expect(page.locator("#sync-refused")).to_contain_text("rechazada por el servidor: ")
    expect(page.locator("#sync-refused")).to_contain_text("El hash no corresponde al contenido")
    db.session.remove()
    assert db.session.get(Diligence, good).complete
    assert db.session.get(Diligence, bad) is None


def test_failed_runs_back_off_exponentially_and_a_success_resets_the_wait(
        work, live_server, phone):
    office, _ = work
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.route("**/api/sync/v1/**", lambda route: route.abort("internetdisconnected"))
    waits = []
    for attempt in range(1, 6):
        result = in_app(page, "sync", """
            const before = Date.now();
            const result = await m.syncUser(ctx.user.id, {force: true});
            const { openUserDb, getMeta } = await import(document.querySelector("script[type=module]").src
                .split("/js/")[0] + "/js/capture/db.js");
            const backoff = await getMeta(await openUserDb(ctx.user.id), "backoff");
            return {result, attempts: backoff.attempts, wait: backoff.next_at - before};""")
        assert result["result"] == "failed" and result["attempts"] == attempt
        ceiling = 5000 * 2 ** (attempt - 1)
        assert ceiling / 2 - 50 <= result["wait"] <= ceiling + 1000, (attempt, result)
        waits.append(result["wait"])
    expect(page.locator("#sync-detail")).to_contain_text(
        "No se pudo enviar: no hubo conexión con el servidor. Nuevo intento a las")
    expect(page.locator("#sync-bar")).to_have_attribute("data-state", "retry")
    assert in_app(page, "sync", "return await m.syncUser(ctx.user.id);") == "waiting"
    phone.context.unroute("**/api/sync/v1/**")
    assert in_app(page, "sync", "return await m.syncUser(ctx.user.id, {force: true});") == "done"
    after = in_app(page, "db", 'return await m.getMeta(await m.openUserDb(ctx.user.id), "backoff");')
    assert after["attempts"] == 0 and after["next_at"] == 0


def test_the_phone_sends_its_records_gzip_compressed_and_the_server_accepts_them(
        work, live_server, phone, tmp_path: Path):
    office, (first, second) = work
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.set_offline(True)
    records = [_not_located(page, live_server, first, tmp_path, "Local vacío"),
               _not_located(page, live_server, second, tmp_path, "Casa deshabitada")]
    page.goto(live_server.url + "/captura/")
    pushes = []

    def watch(route):  # type: ignore[no-untyped-def]
        answer = route.fetch()  # the phone's own bytes and headers, to the real server
        pushes.append((route.request.headers.get("content-encoding"), route.request.post_data_buffer,
                       answer.status, answer.json()))
        route.fulfill(response=answer)

    phone.context.route("**/api/sync/v1/push", watch)
    phone.context.set_offline(False)
    for record_id in records:
        expect(page.locator(f"#records [data-record-id='{record_id}'] .record-state")).to_have_text(
            "Completa en el servidor", timeout=30_000)

    assert pushes
    sent_ids = set()
    for encoding, body, status, answer in pushes:
        assert encoding == "gzip" and body[:2] == b"\x1f\x8b"  # the gzip magic number
        plain = gzip.decompress(body)
        assert len(body) < len(plain) / 2
        sent = json.loads(plain)
        assert status == 200 and {r["status"] for r in answer["results"]} <= {"accepted", "duplicate"}
        db.session.remove()
        for record in sent["records"]:
            assert db.session.get(Diligence, record["id"]).content_hash == record["content_hash"]
            sent_ids.add(record["id"])
    assert sent_ids == set(records)


def test_a_browser_without_compression_stream_pushes_plain_json_and_the_server_accepts_it(
        work, live_server, phone, tmp_path: Path):
    office, (first, _) = work
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    # A browser without CompressionStream (Safari before 16.4, Firefox before 113). Without
    # Background Sync too, so only this page (where CompressionStream is gone) sends.
    phone.context.clear_permissions()
    phone.context.grant_permissions(["geolocation"])
    phone.context.add_init_script("delete globalThis.CompressionStream;")
    phone.login(page, "notificador1")
    phone.enroll(page)
    phone.context.set_offline(True)
    record_id = _not_located(page, live_server, first, tmp_path, "Local vacío")
    page.goto(live_server.url + "/captura/")
    assert page.evaluate("typeof CompressionStream") == "undefined"
    pushes = []

    def watch(route):  # type: ignore[no-untyped-def]
        answer = route.fetch()
        pushes.append((route.request.headers.get("content-encoding"), route.request.post_data_buffer,
                       answer.status, answer.json()))
        route.fulfill(response=answer)

    phone.context.route("**/api/sync/v1/push", watch)
    phone.context.set_offline(False)
    assert in_app(page, "sync", "return await m.syncUser(ctx.user.id, {force: true, queue: true});") == "done"
    expect(page.locator(f"#records [data-record-id='{record_id}'] .record-state")).to_have_text(
        "Completa en el servidor", timeout=30_000)

    assert pushes
    for encoding, body, status, answer in pushes:
        assert encoding is None and json.loads(body)["records"]  # plain JSON, as sent before
        assert status == 200 and {r["status"] for r in answer["results"]} <= {"accepted", "duplicate"}
    db.session.remove()
    stored = db.session.get(Diligence, record_id)
    assert stored is not None and stored.complete
