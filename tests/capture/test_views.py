"""The capture app's server side: who may open its pages, what the pages tell the phone, and
the pieces that make it installable and usable offline (service worker, manifest, icons)."""

from __future__ import annotations

import html
import json
import re

import pytest
from PIL import Image

from fieldapp.capture.icons import draw_icon
from fieldapp.capture.shell import ROLE_STATIC_FILES, current_shell
from tests.static_urls import STATIC, editable_static, service_worker_shell, unversioned, versioned


@pytest.fixture
def people(factory):
    office = factory.office(timezone="America/Hermosillo", photo_long_edge=2048)
    return {role: factory.user(office, role=role, username=f"{role}-c")
            for role in ("notifier", "executor", "supervisor", "admin")}


def _context(page: str) -> dict:
    found = re.search(r"""<div id="capture-context" hidden data-context='(.*?)'></div>""", page, re.S)
    assert found
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize("url", ["/captura/", "/captura/diligencia", "/captura/salir"])
def test_capture_pages_are_for_field_users_only(client, auth, people, url):
    assert client.get(url).status_code == 302  # anonymous: to the login
    for role, status in (("notifier", 200), ("executor", 200), ("supervisor", 403), ("admin", 403)):
        auth.login(f"{role}-c")
        assert client.get(url).status_code == status, role
        auth.logout()


def test_the_page_tells_the_phone_only_what_it_needs(client, auth, people):
    auth.login("executor-c")
    page = client.get("/captura/diligencia?asignacion=7").get_data(as_text=True)
    context = _context(page)
    assert set(context) == {"user", "field_user", "office", "urls", "limits",
                            "csrf_token", "hash_prefix_len"}
    assert "credential_number" not in context
    assert context["user"] == {"id": people["executor"].id, "username": "executor-c",
                               "full_name": people["executor"].full_name, "role": "executor"}
    assert context["field_user"]["credential_number"] == people["executor"].credential_number
    assert context["office"]["timezone"] == "America/Hermosillo"
    assert context["office"]["photo_long_edge"] == 2048
    assert context["urls"]["api"] == "/api/sync/v1"
    # The acta's verification link, for the offline summary's QR (issue 15).
    assert context["urls"]["verify"] == "http://localhost/v/RECORD_ID?h=HASH_PREFIX"
    assert context["hash_prefix_len"] == 16
    assert "password" not in page and "pw" not in context["user"]
    assert 'rel="manifest"' in page
    assert f'type="module" src="{versioned(client.application, "js/capture/diligence.js")}"' in page


def test_the_context_survives_quotes_and_markup_in_a_name(client, auth, factory):
    office = factory.office()
    name = """O'Brien "Toño" </div><script>alert(1)</script> & Cía"""
    factory.user(office, role="notifier", username="raro", full_name=name)
    auth.login("raro")
    page = client.get("/captura/").get_data(as_text=True)
    assert "<script>alert" not in page
    assert _context(page)["user"]["full_name"] == name


def test_service_worker_is_served_at_the_root_never_cached_and_precaches_the_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    shell = service_worker_shell(body)
    served = shell["static_urls"]
    urls = [unversioned(u) for u in served]
    for required in ("/static/css/app.css", "/static/css/capture.css",
                     "/static/js/legal.js", "/static/js/sync-hash.js",
                     "/static/js/capture/sync.js", "/static/icons/icon-192.png"):
        assert required in urls
    for url in served:
        with client.get(url) as static_file:
            assert static_file.status_code == 200, url
    # Installable offline (issue 16 item 7): the manifest and every icon it names, at the very
    # URL the manifest gives.
    assert "/manifest.webmanifest" in served
    assert {icon["src"] for icon in client.get("/manifest.webmanifest").json["icons"]} <= set(served)
    # Every module is precached: in the common shell, or in the executor's extra (the embargo
    # step and the seal scan, with jsQR), which a notifier's phone never downloads.
    extra = [unversioned(u) for u in shell["role_static_urls"]["executor"]]
    assert list(shell["role_static_urls"]) == ["executor"]
    assert sorted(extra) == sorted(f"/static/{name}" for name in ROLE_STATIC_FILES["executor"])
    assert not set(extra) & set(urls)
    modules = {p.name for p in (STATIC / "js" / "capture").glob("*.js")}
    assert modules == {u.rsplit("/", 1)[1] for u in urls + extra if u.startswith("/static/js/capture/")}
    for url in shell["role_static_urls"]["executor"]:
        with client.get(url) as static_file:
            assert static_file.status_code == 200, url
    assert shell["page_urls"] == ["/captura/", "/captura/diligencia", "/captura/salir"]
    # Only the online worklist loads htmx; offline, "Mis asignaciones" opens the phone's list.
    assert not any("htmx" in u or u.endswith("/worklist.js") for u in urls)
    assert shell["online_worklist_url"] == "/campo/"
    assert shell["offline_url"] == "/captura/sin-conexion"
    assert shell["page_prefixes"] == ["/campo/", "/captura/"]
    # The worker itself is a static module under its versioned (immutable) URL.
    worker = versioned(client.application, "js/service-worker.js")
    assert f'import {{ start }} from "{worker}";' in body
    code = client.get(worker).get_data(as_text=True)
    assert "export function start(shell)" in code
    assert "self.clients.claim()" in code and "self.skipWaiting()" in code


def test_the_shell_version_changes_with_any_precached_file(app, tmp_path):
    static = editable_static(app, tmp_path)
    before = current_shell(app)
    assert current_shell(app) == before
    module = static / "js" / "capture" / "forms.js"
    module.write_text(module.read_text() + "\n// changed\n")
    after = current_shell(app)
    assert after.version != before.version
    assert after.static_files == before.static_files
    (static / "js" / "capture" / "embargo.js").write_text("export {};\n")
    assert "js/capture/embargo.js" in current_shell(app).static_files


def test_offline_page_and_manifest_are_public(client):
    offline = client.get("/captura/sin-conexion")
    assert offline.status_code == 200
    assert "Sin conexión" in offline.get_data(as_text=True)
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.json
    assert data["lang"] == "es-MX" and data["display"] == "standalone"
    assert data["start_url"] == "/captura/" and data["scope"] == "/"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in data["icons"]:
        with client.get(icon["src"]) as png:
            assert png.status_code == 200 and png.mimetype == "image/png"
        side = int(icon["sizes"].split("x")[0])
        with Image.open(STATIC / unversioned(icon["src"]).removeprefix("/static/")) as image:
            assert image.size == (side, side)


def test_maskable_icon_fills_the_square_and_keeps_the_drawing_in_the_safe_zone():
    icon = draw_icon(512, maskable=True).convert("RGB")
    assert icon.getpixel((2, 2)) == icon.getpixel((509, 509)) != (255, 255, 255)
    white = [(x, y) for x in range(0, 512, 4) for y in range(0, 512, 4)
             if icon.getpixel((x, y)) == (255, 255, 255)]
    radius = max(((x - 256) ** 2 + (y - 256) ** 2) ** 0.5 for x, y in white)
    assert radius <= 0.4 * 512  # the W3C safe zone: a circle of 40 % of the size


def test_one_tap_enrollment_refused_answers_the_phone_as_json_and_keeps_nothing(client, auth, people):
    from sqlalchemy import func, select

    from fieldapp.devices.models import Device
    from fieldapp.extensions import db

    auth.login("notifier-c")
    refused = client.post("/captura/activar", json={"device_name": "   "},
                          headers={"Accept": "application/json", "Referer": "http://localhost/captura/"})
    assert refused.status_code == 422
    assert refused.json == {"error": {"code": "device_name_required",
                                      "message": "Escriba un nombre para el teléfono."}}
    assert db.session.scalar(select(func.count(Device.id))) == 0
    granted = client.post("/captura/activar", json={"device_name": "Teléfono"},
                          headers={"Accept": "application/json"})
    assert granted.status_code == 201
    assert db.session.scalar(select(func.count(Device.id))) == 1
