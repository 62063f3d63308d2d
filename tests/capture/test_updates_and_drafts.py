"""A new version of the app shell rolls out on the next load without losing queued data, and a
draft survives the browser being closed in the middle of the form (saved field by field)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fieldapp.assignments.services import live_assignment
from tests.capture.conftest import TZ, business_moment
from tests.capture.flows import (
    attendee,
    choose,
    finalize,
    open_assignment,
    verify_address,
    wait_for_only_shell,
    wait_for_saved_answer,
)
from tests.scenarios import camera_jpeg
from tests.static_urls import editable_static, service_worker_shell

pytestmark = pytest.mark.browser

SHELL_STATE = """async () => ({
    shells: (await caches.keys()).filter((n) => n.startsWith("fieldapp-shell-")),
    css: await (async () => {  // its URL carries the static digest: look it up by its path
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            const key = (await cache.keys()).find((r) => r.url.endsWith("/css/capture.css"));
            if (name.startsWith("fieldapp-shell-") && key) return (await cache.match(key)).text();
        }
        return null;
    })(),
    controlled: navigator.serviceWorker.controller !== null,
})"""


@pytest.fixture
def work(factory):
    office = factory.office(timezone=TZ)
    user = factory.user(office, role="notifier", username="notificador1")
    ids = [live_assignment(factory.portfolio_item(office, user)).id for _ in range(2)]
    return office, ids


def _version(page, server) -> str:
    body = page.request.get(server.url + "/sw.js").text()
    return str(service_worker_shell(body)["version"])


def test_a_new_shell_takes_over_on_the_next_load_and_the_outbox_is_untouched(
        work, live_server, phone, tmp_path: Path):
    office, (first, second) = work
    static = editable_static(live_server.app, tmp_path)
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    old = _version(page, live_server)

    # Work that only the phone holds: a finalized record and a draft. The sync API is blocked
    # so the record stays queued through the update.
    phone.context.route("**/api/sync/v1/**", lambda route: route.abort())
    open_assignment(page, live_server, first)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "not_located")
    page.select_option("select[name='not_located.reason']", "moved")
    page.fill("textarea[name='not_located.premises_state']", "Bodega vacía")
    record_id = finalize(page)
    open_assignment(page, live_server, second)
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_contain_text("1 diligencia y 1 foto por enviar")

    css = static / "css" / "capture.css"
    css.write_text(css.read_text() + "\n/* shell v2 */\n")
    new = _version(page, live_server)
    assert new != old

    page.reload()  # the browser sees new bytes at /sw.js, installs and activates the new worker
    # It activates once the old worker has finished what it was doing (a Background Sync of the
    # blocked outbox, which stops retrying when it sees a new version waiting), then drops the
    # old shell.
    wait_for_only_shell(page, new)
    state = page.evaluate(SHELL_STATE)
    assert state["shells"] == [f"fieldapp-shell-{new}"]
    assert state["css"].endswith("/* shell v2 */\n") and state["controlled"]

    page.reload()
    expect(page.locator("#sync-pending")).to_contain_text("1 diligencia y 1 foto por enviar")
    expect(page.locator(f"#records [data-record-id='{record_id}']")).to_contain_text("Por enviar")
    expect(page.locator("#drafts .item")).to_have_count(1)

    phone.context.unroute("**/api/sync/v1/**")
    page.click("#sync-now")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)


def test_a_draft_survives_closing_the_browser_mid_form(work, live_server, phone, tmp_path: Path):
    office, (first, _) = work
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    open_assignment(page, live_server, first)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    choose(page, "citatorio")
    page.check("input[name='ui.citatorio_delivery'][value=person]")
    attendee(page, "relative", "Carmen Ruiz", "Hermana del dueño")
    page.fill("input[name=absence_reason]", "Viaje de negocios")
    draft_url = page.url
    wait_for_saved_answer(page, "absence_reason", "Viaje de negocios")  # no save button
    phone.close()

    page = phone.open(offline=True)
    page.goto(live_server.url + "/captura/")
    drafts = page.locator("#drafts .item")
    expect(drafts).to_have_count(1)
    drafts.locator("a").click()
    page.wait_for_url(draft_url)
    expect(page.locator("input[name=situation][value=citatorio]")).to_be_checked()
    expect(page.locator("select[name='attendee.capacity']")).to_have_value("relative")
    expect(page.locator("input[name='attendee.name']")).to_have_value("Carmen Ruiz")
    expect(page.locator("input[name='attendee.relationship']")).to_have_value("Hermana del dueño")
    expect(page.locator("input[name=absence_reason]")).to_have_value("Viaje de negocios")
    expect(page.locator(".photos[data-role=facade] .thumb")).to_have_count(1)
    expect(page.locator("#gps-status")).to_have_text("Posición tomada.")
