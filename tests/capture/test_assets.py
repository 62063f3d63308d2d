"""What the phone downloads to install the app: every JS and CSS file of the service worker's
precache list is served compressed (brotli or gzip) under a URL that carries the digest of its
content, cached for a year; a changed file gets a new URL, and the old URL is no longer cached."""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil

import brotli

from fieldapp.web import assets
from fieldapp.web.precompress import Outcome, copy_path, precompress, served_body, served_key
from tests.static_urls import STATIC, editable_static, service_worker_shell, unversioned, versioned

A_YEAR = 365 * 24 * 3600


def _precached(client) -> list[str]:  # type: ignore[no-untyped-def]
    """Every static URL a phone may precache: the common shell and each role's extra."""
    shell = service_worker_shell(client.get("/sw.js").get_data(as_text=True))
    return list(shell["static_urls"]) + [u for urls in shell["role_static_urls"].values() for u in urls]


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
            on_disk = STATIC / unversioned(url).removeprefix("/static/")
            assert _decoded(response) == served_body(STATIC, on_disk), url
            assert len(response.get_data()) < on_disk.stat().st_size, url


def test_a_client_that_accepts_no_compression_gets_the_file_as_is(client):
    url = next(u for u in _precached(client) if u.endswith("/js/capture/db.js"))
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == served_body(STATIC, STATIC / "js" / "capture" / "db.js")


def test_our_scripts_are_served_without_comments_and_vendored_ones_as_vendored(client):
    """rJSmin strips comments and indentation from static/js (scripts/check_phone_code proves the
    result parses as the source); static/vendor/ was minified at vendoring time."""
    source = (STATIC / "js" / "capture" / "sync.js").read_bytes()
    served = client.get(_url(client, "js/capture/sync.js"), headers={"Accept-Encoding": "br"})
    body = brotli.decompress(served.get_data())
    assert b"export async function syncAllUsers" in body and b"\n// " not in body
    assert len(body) < 0.8 * len(source)
    vendored = STATIC / "vendor" / "htmx-2.0.11" / "htmx.min.js"
    response = client.get(_url(client, "vendor/htmx-2.0.11/htmx.min.js"), headers={"Accept-Encoding": "br"})
    assert brotli.decompress(response.get_data()) == vendored.read_bytes()


def _url(client, filename: str) -> str:  # type: ignore[no-untyped-def]
    return versioned(client.application, filename)


def test_a_changed_file_gets_a_new_url_and_the_old_one_is_not_cached(app, client, tmp_path):
    static = editable_static(app, tmp_path)
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


def test_compressed_bodies_come_from_the_copies_made_before_any_request(app, tmp_path, monkeypatch):
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    folder = tmp_path / "compressed"
    outcome = precompress(static, folder)
    assert outcome.made > 30 and outcome.kept == 0
    assert precompress(static, folder) == Outcome(made=0, kept=outcome.made, removed=0)
    app.static_folder = str(static)
    app.config["STATIC_COMPRESSED_FOLDER"] = str(folder)
    client = app.test_client()

    def no_compression_while_serving(body: bytes, encoding: str | None) -> bytes:
        raise AssertionError("compressed while serving")

    monkeypatch.setattr(assets, "compress", no_compression_while_serving)
    module = static / "js" / "capture" / "db.js"
    sha = hashlib.sha256(module.read_bytes()).hexdigest()
    for accepted, encoding in (("br", "br"), ("gzip", "gzip")):
        response = client.get(versioned(app, "js/capture/db.js"), headers={"Accept-Encoding": accepted})
        assert response.headers["Content-Encoding"] == encoding
        copy = copy_path(folder, served_key(static, module, sha), encoding)
        assert response.get_data() == copy.read_bytes()
        assert _decoded(response) == served_body(static, module)


def test_a_file_edited_after_the_copies_were_made_is_served_as_it_is_now(app, tmp_path):
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    folder = tmp_path / "compressed"
    precompress(static, folder)
    app.static_folder = str(static)
    app.config["STATIC_COMPRESSED_FOLDER"] = str(folder)
    client = app.test_client()
    css = static / "css" / "app.css"
    css.write_text(css.read_text() + "\n/* edited after the build */\n")
    response = client.get(versioned(app, "css/app.css"), headers={"Accept-Encoding": "br"})
    assert _decoded(response).endswith(b"/* edited after the build */\n")
    # The next run adds the new content's copies and drops the old content's.
    assert precompress(static, folder).removed == 2


def test_field_pages_are_compressed_only_for_the_phone_itself_not_for_another_site(client, auth, factory):
    """BREACH: a page holding the CSRF token is compressed only for requests another site
    cannot cause (fieldapp/web/assets.py, compressed_page)."""
    factory.user(factory.office(), role="notifier", username="notificador-a")
    auth.login("notificador-a")
    for url in ("/captura/", "/captura/diligencia", "/captura/salir", "/campo/", "/captura/sin-conexion"):
        plain = client.get(url, headers={"Sec-Fetch-Site": "same-origin"})
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers, url
        for site in ("same-origin", "none"):
            response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd",
                                                "Sec-Fetch-Site": site})
            assert response.headers["Content-Encoding"] == "br", url
            assert {"Accept-Encoding", "Sec-Fetch-Site"} <= set(response.vary), url
            assert b"</html>" in brotli.decompress(response.get_data()), url
        for site in ("cross-site", "same-site", None):
            headers = {"Accept-Encoding": "gzip, deflate, br, zstd"}
            if site:
                headers["Sec-Fetch-Site"] = site
            response = client.get(url, headers=headers)
            assert "Content-Encoding" not in response.headers, (url, site)
            assert b"</html>" in response.get_data(), url
