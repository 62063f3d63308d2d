"""The capture app: pages for field users, and the public pieces that make it installable and
usable offline (service worker at the root scope, web app manifest, offline page).

The pages are shells: what they show (assignments, drafts, the outbox) comes from IndexedDB on
the phone, filled by the sync API (/api/sync/v1). They carry only the field user's own data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory, url_for
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from fieldapp.actas.services import HASH_PREFIX_LEN
from fieldapp.auth.access import allow, current_user, public
from fieldapp.auth.models import User
from fieldapp.auth.services import credential_version
from fieldapp.capture.shell import (
    OFFLINE_PAGE_ENDPOINTS,
    SERVICE_WORKER_MODULE,
    SHELL_PAGE_ENDPOINTS,
    current_shell,
)
from fieldapp.devices.services import enroll_device
from fieldapp.legal.limits import as_dict as input_limits
from fieldapp.web.assets import compress_public_response, compressed_page

bp = Blueprint("capture", __name__)

SYNC_API = "/api/sync/v1"  # the device API's URLs are a contract (docs/sync-protocol.md)
THEME_COLOR = "#0b5d3b"


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def capture_context(user: User) -> dict[str, Any]:
    """What the phone's scripts need to know about the signed-in user: an explicit allowlist."""
    office = user.office
    return {
        "user": {"id": user.id, "username": user.username, "full_name": user.full_name,
                 "role": user.role},
        "field_user": {"name": user.full_name, "credential_number": user.credential_number,
                       "issued_on": _iso(user.credential_issued_on),
                       "valid_until": _iso(user.credential_valid_until),
                       "issuer": user.credential_issuer,
                       "legal_basis": user.credential_legal_basis,
                       "credential_version": credential_version(user)},
        "office": {"code": office.code, "name": office.name, "timezone": office.timezone,
                   "photo_long_edge": office.photo_long_edge},
        "urls": {
            "home": url_for("capture.home"),
            "diligence": url_for("capture.diligence"),
            "logout": url_for("capture.logout"),
            "enroll": url_for("capture.enroll_this_phone"),
            "server_logout": url_for("auth.logout"),
            "login": url_for("auth.login"),
            "service_worker": url_for("capture.service_worker"),
            "api": SYNC_API,
            # The acta's verification link (its QR), for the phone's offline summary.
            "verify": url_for("actas.verify", diligence_id="RECORD_ID", h="HASH_PREFIX",
                              _external=True),
        },
        "hash_prefix_len": HASH_PREFIX_LEN,
        "limits": input_limits(),
        "csrf_token": generate_csrf(),
    }


def _render_page(template: str, page: str) -> str:
    user = current_user()
    assert user is not None
    return render_template(template, page=page, capture=capture_context(user),
                           theme_color=THEME_COLOR)


@bp.route("/captura/")
@allow("notifier", "executor")
@compressed_page
def home() -> str:
    return _render_page("capture/home.html", "home")


@bp.route("/captura/diligencia")
@allow("notifier", "executor")
@compressed_page
def diligence() -> str:
    # One shell for every diligence: which assignment, draft or record it shows is in the
    # query string and is read on the phone, so the page works offline for any of them.
    return _render_page("capture/diligence.html", "diligence")


@bp.route("/captura/salir")
@allow("notifier", "executor")
@compressed_page
def logout() -> str:
    return _render_page("capture/logout.html", "logout")


@bp.post("/captura/activar")
@allow("notifier", "executor")
def enroll_this_phone() -> Response | tuple[Response, int]:
    """One tap enrolls the phone of the signed-in user: the session and its CSRF token (checked
    by CSRFProtect before this runs) already prove who it is, so no password is asked again.
    The token is shown once, like the password and QR enrollments (docs/sync-protocol.md)."""
    user = current_user()
    assert user is not None
    body = request.get_json(silent=True)
    name = body.get("device_name") if isinstance(body, dict) else None
    # A refused name (DeviceError) reaches the phone as JSON by the one error handler.
    enrollment = enroll_device(user, name if isinstance(name, str) else "", via="session")
    response = jsonify({"device_id": enrollment.device.id, "token": enrollment.token,
                        "device_name": enrollment.device.name})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/captura/sin-conexion")
@public
@compressed_page
def offline() -> str:
    return render_template("capture/offline.html", theme_color=THEME_COLOR)


@bp.route("/sw.js")
@public
def service_worker() -> Response:
    """The worker's entry point: the worker itself is the static module static/js/service-worker.js
    (immutable under its versioned URL); this script only names it and passes the shell to
    precache, so a deploy changes these few bytes and the browser installs the new worker."""
    shell = current_shell(current_app)
    page_urls = [url_for(endpoint) for endpoint in SHELL_PAGE_ENDPOINTS]
    manifest = {
        "version": shell.version,
        "worker_url": url_for("capture.service_worker"),
        # The manifest and the favicon are part of the shell: installable and quiet offline.
        "static_urls": [url_for("static", filename=f) for f in shell.static_files]
        + [url_for("capture.manifest"), url_for("capture.favicon")],
        # A role's extra (the executor's embargo and seal scan): cached only on a phone one of
        # whose users has that role, before its pages say the phone is ready (ui.js).
        "role_static_urls": {role: [url_for("static", filename=f) for f in files]
                             for role, files in sorted(shell.role_files.items())},
        "page_urls": page_urls,
        "page_prefixes": sorted({"/" + url_for(e).strip("/").split("/")[0] + "/"
                                 for e in OFFLINE_PAGE_ENDPOINTS}),
        "offline_url": url_for("capture.offline"),
        # The online worklist (/campo/) is a server page: offline, "Mis asignaciones" opens the
        # phone's own list instead of a stale copy (issue 16).
        "online_worklist_url": url_for("field.worklist"),
        "offline_worklist_url": url_for("capture.home") + "#asignaciones",
    }
    worker = url_for("static", filename=SERVICE_WORKER_MODULE)
    body = (f"// fieldapp service worker, shell {shell.version}: the worker is {worker}.\n"
            f"import {{ start }} from {json.dumps(worker)};\n\n"
            f"const SHELL = {json.dumps(manifest, indent=1)};\n\nstart(SHELL);\n")
    response = Response(body, mimetype="text/javascript")
    # The worker controls the whole origin, and the browser must see each new version at once.
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return compress_public_response(response)


@bp.route("/favicon.ico")
@public
def favicon() -> Response:
    """Browsers ask for /favicon.ico on every page without an icon link; answer with the app's."""
    return send_from_directory(Path(current_app.static_folder or "static") / "icons", "icon-192.png",
                               mimetype="image/png", max_age=86400)


@bp.route("/manifest.webmanifest")
@public
def manifest() -> Response:
    def icon(size: int, purpose: str = "any") -> dict[str, str]:
        name = f"icons/icon-{size}{'-maskable' if purpose == 'maskable' else ''}.png"
        return {"src": url_for("static", filename=name), "sizes": f"{size}x{size}",
                "type": "image/png", "purpose": purpose}

    response = jsonify({
        "name": "Cobranza en campo · IMSS",
        "short_name": "Cobranza",
        "description": "Captura de diligencias de notificación y cobro, con o sin conexión.",
        "lang": "es-MX",
        "dir": "ltr",
        "id": url_for("capture.home"),
        "start_url": url_for("capture.home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f4f6f8",
        "theme_color": THEME_COLOR,
        "icons": [icon(192), icon(512), icon(512, "maskable")],
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response
