"""What the phone downloads to install the app: every JS and CSS file of the service worker's
precache list is served compressed (brotli or gzip) under a URL that carries the digest of its
content, cached for a year; a changed file gets a new URL, and the old URL is no longer cached."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import brotli

from tests.static_urls import service_worker_shell, unversioned, versioned

STATIC = Path(__file__).resolve().parents[2] / "static"
A_YEAR = 365 * 24 * 3600


def _precached(client) -> list[str]:  # type: ignore[no-untyped-def]
    return list(service_worker_shell(client.get("/sw.js").get_data(as_text=True))["static_urls"])


def _decoded(response) -> bytes:  # type: ignore[no-untyped-def]
    encoding = response.headers.get("Content-Encoding")
    body = response.get_data()
    if encoding == "br":
        return brotli.decompress(body)
    return gzip.decompress(body) if encoding == "gzip" else body


def _max_age(cache_control: str) -> int:
    found = re.search(r"max-age=(\d+)", cache_control)
    return int(found.group(1)) if found else 0


def test_every_precached_script_and_style_sheet_is_compressed_and_cached_for_a_year(client):
    code = [url for url in _precached(client) if url.endswith((".js", ".css"))]
    assert len(code) >= 15 and any(url.endswith(".css") for url in code)
    for url in code:
        for accepted, expected in (("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip")):
            response = client.get(url, headers={"Accept-Encoding": accepted})
            assert response.status_code == 200, url
            assert response.headers["Content-Encoding"] == expected, url
            assert "Accept-Encoding" in response.headers["Vary"], url
            cache_control = response.headers["Cache-Control"]
            assert _max_age(cache_control) >= A_YEAR and "immutable" in cache_control, url
            on_disk = (STATIC / unversioned(url).removeprefix("/static/")).read_bytes()
            assert _decoded(response) == on_disk, url
            assert len(response.get_data()) < len(on_disk), url


def test_a_client_that_accepts_no_compression_gets_the_file_as_is(client):
    url = next(u for u in _precached(client) if u.endswith("/js/capture/db.js"))
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / "js" / "capture" / "db.js").read_bytes()


def test_a_changed_file_gets_a_new_url_and_the_old_one_is_not_cached(app, client, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    app.static_folder = str(static)
    before = versioned(app, "css/capture.css")
    assert before in _precached(client)

    css = static / "css" / "capture.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    after = versioned(app, "css/capture.css")
    assert after != before and unversioned(after) == unversioned(before)
    assert after in _precached(client) and before not in _precached(client)
    fresh = client.get(after, headers={"Accept-Encoding": "br"})
    assert _decoded(fresh).endswith(b"/* changed */\n") and "immutable" in fresh.headers["Cache-Control"]
    # A page rendered before the change still gets a working file, never cached as immutable.
    stale = client.get(before, headers={"Accept-Encoding": "br"})
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-cache"


def test_static_files_are_served_without_reading_the_session(app, client, auth, factory):
    factory.user(factory.office(), role="notifier", username="notificador-a")
    auth.login("notificador-a")
    url = versioned(app, "js/capture/db.js")
    response = client.get(url)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_service_worker_script_is_compressed_for_a_browser_and_never_cached(client):
    plain = client.get("/sw.js").get_data()
    response = client.get("/sw.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br" and response.headers["Cache-Control"] == "no-cache"
    assert brotli.decompress(response.get_data()) == plain and len(response.get_data()) < len(plain) / 2
