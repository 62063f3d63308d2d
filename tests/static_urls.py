"""Static URLs carry the digest of the static folder (fieldapp/web/assets.py): helpers to read
them in tests."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from flask import Flask, url_for

VERSIONED = re.compile(r"/static/[0-9a-f]{12}/")
STATIC = Path(__file__).resolve().parents[1] / "static"


def editable_static(app: Flask, tmp_path: Path) -> Path:
    """A copy of the static folder that `app` serves from now on, for a test to change a file."""
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    app.static_folder = str(static)
    return static


def unversioned(url: str) -> str:
    """`/static/<digest>/js/x.js` → `/static/js/x.js`."""
    return VERSIONED.sub("/static/", url, count=1)


def versioned(app: Flask, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def service_worker_shell(body: str) -> dict[str, Any]:
    """The shell the generated /sw.js passes to static/js/service-worker.js (its `SHELL`)."""
    found = re.search(r"^const SHELL = (\{.*?\n\});$", body, re.S | re.M)
    assert found, body
    return dict(json.loads(found.group(1)))
