"""The offline install per role (issue 17 item 4): the executor's embargo step and seal scan
(with jsQR) are an extra that only a phone with an executor downloads, and an executor's phone
has it cached before it says its list is ready, under every new shell version too."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from fieldapp.capture.shell import ROLE_STATIC_FILES
from tests.capture.flows import wait_for_only_shell
from tests.static_urls import editable_static, service_worker_shell, unversioned, versioned

pytestmark = pytest.mark.browser
EXTRA = ROLE_STATIC_FILES["executor"]

SHELL_CACHES = """async () => {
    const out = {};
    for (const name of await caches.keys()) {
        if (!name.startsWith("fieldapp-shell-")) continue;
        out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    }
    return out;
}"""


class Requests:
    """Every path the app was asked for, whoever asked (a page or the service worker)."""

    def __init__(self, app: Any) -> None:
        self.paths: list[str] = []
        self.lock = threading.Lock()
        self.wsgi_app: Callable[..., Any] = app.wsgi_app
        app.wsgi_app = self

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.lock:
            self.paths.append(unversioned(environ["PATH_INFO"]))
        return self.wsgi_app(environ, start_response)


@pytest.fixture
def people(factory):
    office = factory.office()
    factory.user(office, role="notifier", username="notificador1")
    factory.user(office, role="executor", username="ejecutor1")
    return office


def _extra_in(paths: list[str]) -> list[str]:
    return [unversioned(p) for p in paths if unversioned(p) in {"/static/" + name for name in EXTRA}]


def test_a_notifiers_phone_never_downloads_the_executor_extra(people, live_server, phone):
    requests = Requests(live_server.app)
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    page.goto(live_server.url + "/captura/diligencia")
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#assignments-note")).to_contain_text("Lista descargada")
    caches = page.evaluate(SHELL_CACHES)
    assert len(caches) == 1
    (cached,) = caches.values()
    assert "/captura/sin-conexion" in cached and any(p.endswith("/js/capture/ui.js") for p in cached)
    assert _extra_in(cached) == []
    assert _extra_in(requests.paths) == []


def test_an_executors_phone_has_the_extra_offline_before_it_says_ready(people, live_server, phone):
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)  # waits for "Lista descargada": the extra is cached by then
    assert page.evaluate("document.documentElement.dataset.offline") == "ready"
    (cached,) = page.evaluate(SHELL_CACHES).values()
    assert sorted(_extra_in(cached)) == sorted(unversioned(versioned(live_server.app, n)) for n in EXTRA)

    phone.context.set_offline(True)
    seizure = versioned(live_server.app, "js/capture/seizure.js")
    jsqr = versioned(live_server.app, "vendor/jsqr-1.4.0/jsQR.min.js")
    loaded = page.evaluate("""async ([seizure, jsqr]) => {
        const module = await import(seizure);
        const scanner = await fetch(jsqr);
        return [typeof module.createSeizure, scanner.ok, (await scanner.text()).length > 1000];
    }""", [seizure, jsqr])
    assert loaded == ["function", True, True]


def test_a_new_shell_recaches_the_executor_extra_and_drops_the_old(people, live_server, phone, tmp_path):
    static = editable_static(live_server.app, tmp_path)
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)
    old = service_worker_shell(page.request.get(live_server.url + "/sw.js").text())["version"]

    scan = static / "js" / "capture" / "scan.js"
    scan.write_text(scan.read_text() + "\nexport const SHELL_V2 = 2;\n")
    new = service_worker_shell(page.request.get(live_server.url + "/sw.js").text())["version"]
    assert new != old
    page.reload()
    wait_for_only_shell(page, new)
    expect(page.locator("#assignments-note")).to_contain_text("Lista descargada")
    (cached,) = page.evaluate(SHELL_CACHES).values()
    assert sorted(_extra_in(cached)) == sorted(unversioned(versioned(live_server.app, n)) for n in EXTRA)
    scan_url = versioned(live_server.app, "js/capture/scan.js")
    phone.context.set_offline(True)
    assert "SHELL_V2" in page.evaluate("async (url) => (await fetch(url)).text()", scan_url)


def test_a_shared_phone_keeps_the_executor_extra_through_an_update_a_notifier_loads(
        people, live_server, phone, tmp_path):
    """The executor signs out (keeping their work) and a notifier uses the phone when a new shell
    comes: the new worker precaches the extra itself, from the users the phone knows, so the
    executor finds the embargo step offline when they come back."""
    static = editable_static(live_server.app, tmp_path)
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)
    page.click("#sign-out")
    page.wait_for_url("**/entrar")
    phone.login(page, "notificador1")
    phone.enroll(page)

    seals = static / "js" / "capture" / "seals.js"
    seals.write_text(seals.read_text() + "\nexport const SHELL_V2 = 2;\n")
    new = service_worker_shell(page.request.get(live_server.url + "/sw.js").text())["version"]
    page.reload()  # the notifier's page: it asks for no extra, the new worker caches it anyway
    wait_for_only_shell(page, new)
    (cached,) = page.evaluate(SHELL_CACHES).values()
    assert sorted(_extra_in(cached)) == sorted(unversioned(versioned(live_server.app, n)) for n in EXTRA)
    phone.context.set_offline(True)
    seals_url = versioned(live_server.app, "js/capture/seals.js")
    assert "SHELL_V2" in page.evaluate("async (url) => (await fetch(url)).text()", seals_url)
