"""An unexpected exception: logged with its traceback and the request id, a Spanish 500 page
that shows the id, nothing half-written; the id travels in every response's header."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask

from fieldapp.auth.access import public
from fieldapp.extensions import db
from tests.conftest import make_test_app


@pytest.fixture
def failing_app(database_url: str, tmp_path: Path):
    app = make_test_app(database_url, tmp_path, HANDLE_UNEXPECTED_ERRORS=True)

    @public
    def breaks() -> str:
        raise ZeroDivisionError("a bug in a view")

    app.add_url_rule("/prueba-de-error", "breaks", breaks)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_an_unexpected_error_is_logged_with_its_traceback_and_the_page_shows_its_id(
        failing_app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    # The app logger's own handler: an earlier test's logging setup may stop propagation to root.
    failing_app.logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.ERROR):
            response = failing_app.test_client().get("/prueba-de-error")
    finally:
        failing_app.logger.removeHandler(caplog.handler)
    assert response.status_code == 500
    request_id = response.headers["X-Request-Id"]
    html = response.get_data(as_text=True)
    assert "Ocurrió un error interno" in html and request_id in html
    entries = [r for r in caplog.records if request_id in r.getMessage()]
    assert entries  # once, or twice when the app logger also propagates to root
    entry = entries[0]
    assert "/prueba-de-error" in entry.getMessage()
    assert entry.exc_info is not None and entry.exc_info[0] is ZeroDivisionError
    assert "ZeroDivisionError: a bug in a view" in caplog.text  # the traceback itself


def test_json_clients_get_the_request_id_too(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/prueba-de-error",
                                             headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal_error"
    assert response.json["error"]["request_id"] == response.headers["X-Request-Id"]


def test_a_proxy_request_id_is_kept_and_a_bad_one_replaced(client) -> None:
    given = client.get("/salud", headers={"X-Request-Id": "proxy-abc-12345"})
    assert given.headers["X-Request-Id"] == "proxy-abc-12345"
    forged = client.get("/salud", headers={"X-Request-Id": "<script>"})
    assert forged.headers["X-Request-Id"] != "<script>" and len(forged.headers["X-Request-Id"]) == 16
