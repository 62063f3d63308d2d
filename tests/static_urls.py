"""Static URLs carry the digest of the static folder (fieldapp/web/assets.py): helpers to read
them in tests."""

from __future__ import annotations

import re

from flask import Flask, url_for

VERSIONED = re.compile(r"/static/[0-9a-f]{12}/")


def unversioned(url: str) -> str:
    """`/static/<digest>/js/x.js` → `/static/js/x.js`."""
    return VERSIONED.sub("/static/", url, count=1)


def versioned(app: Flask, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)
