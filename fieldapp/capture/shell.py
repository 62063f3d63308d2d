"""The app shell the service worker precaches, and its version.

The version is a digest of the static folder's digest (fieldapp/web/assets.py, in every static
URL) and of the capture templates, so any change to them changes the bytes of /sw.js: the
browser then installs the new worker, which precaches the new shell and drops the old one on
activation. Queued diligences live in
IndexedDB, never in these caches, so an update cannot lose them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from fieldapp.web.assets import static_tree

# Static files of the shell besides static/js/capture/*.js and static/icons/*.png, which are
# listed by globbing so a new module cannot be forgotten. Not htmx nor worklist.js: only the
# online worklist (/campo/) loads them, and offline "Mis asignaciones" opens the phone's own
# list instead (issue 16), so every phone would download them for nothing (issue 17).
SHELL_STATIC_FILES: tuple[str, ...] = (
    # The QR of the offline summary of a finalized record (static/js/capture/summary.js).
    "vendor/qrcode-generator-2.0.4/qrcode.min.js",
    "css/app.css",
    "css/capture.css",
    "js/legal.js",
    "js/sync-hash.js",
)
SHELL_GLOBS: tuple[str, ...] = ("js/capture/*.js", "icons/*.png")
# A role's extra: static files only that role's screens load, kept out of the common shell so a
# phone never downloads what its users cannot open (issue 17). The executor's embargo step and
# its seal scan, with jsQR (the scan's fallback when BarcodeDetector is missing), about 37 KB
# brotli. The worker caches a role's extra, under the shell's version, once a user of that
# role opens a field page on the phone (and at every later install: static/js/service-worker.js).
ROLE_STATIC_FILES: dict[str, tuple[str, ...]] = {
    "executor": (
        "js/capture/seizure.js",
        "js/capture/seizure-model.js",
        "js/capture/seals.js",
        "js/capture/scan.js",
        "vendor/jsqr-1.4.0/jsQR.min.js",
    ),
}
# The service worker, a static module started by the generated /sw.js (capture/views.py).
SERVICE_WORKER_MODULE = "js/service-worker.js"
# Field pages whose HTML is precached when the worker installs (best effort: they need the
# session) and refreshed on every online visit. Not the online worklist, for the reason above.
SHELL_PAGE_ENDPOINTS: tuple[str, ...] = ("capture.home", "capture.diligence", "capture.logout")
# Pages under these are kept for offline use when visited (an assignment's page, /campo/…).
OFFLINE_PAGE_ENDPOINTS: tuple[str, ...] = ("capture.home", "field.worklist")


@dataclass(frozen=True)
class Shell:
    version: str
    static_files: tuple[str, ...]  # every phone's, relative to the static folder
    role_files: dict[str, tuple[str, ...]]  # a role's extra, by role (ROLE_STATIC_FILES)


def shell_static_files(static_folder: Path) -> tuple[str, ...]:
    """The common shell: every phone's, whoever uses it; without any role's extra."""
    extras = {name for files in ROLE_STATIC_FILES.values() for name in files}
    found = [name for name in SHELL_STATIC_FILES if (static_folder / name).is_file()]
    for pattern in SHELL_GLOBS:
        found += sorted(p.relative_to(static_folder).as_posix() for p in static_folder.glob(pattern))
    return tuple(name for name in dict.fromkeys(found) if name not in extras)


def role_static_files(static_folder: Path) -> dict[str, tuple[str, ...]]:
    return {role: tuple(name for name in files if (static_folder / name).is_file())
            for role, files in ROLE_STATIC_FILES.items()}


def current_shell(app: Flask) -> Shell:
    """The shell as the files are now: its version follows the digest of the static folder (which
    every static URL carries) and the capture templates. Recomputed only when one changes."""
    static_folder = Path(app.static_folder or "static")
    template_folder = Path(app.root_path) / (app.template_folder or "templates") / "capture"
    templates = sorted(template_folder.glob("*"))
    stamp = (static_tree(app).current_digest(),
             tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in templates))
    cache = app.extensions.setdefault("capture_shell", {})
    if cache.get("stamp") != stamp:
        digest = hashlib.sha256(stamp[0].encode() + b"\0")
        for path in templates:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        cache["stamp"] = stamp
        cache["shell"] = Shell(version=digest.hexdigest()[:16],
                               static_files=shell_static_files(static_folder),
                               role_files=role_static_files(static_folder))
    return cache["shell"]
