"""`/salud`: public, JSON, 200 while the database answers and 503 when it does not."""

from __future__ import annotations

from fieldapp.auth.access import PUBLIC, policy_of
from tests.conftest import make_test_app


def test_health_answers_ok_without_a_login(app, client):
    response = client.get("/salud")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert policy_of("health.health") == PUBLIC


def test_health_says_unavailable_when_the_database_does_not_answer(tmp_path, monkeypatch):
    unreachable = f"sqlite:///{tmp_path / 'no-existe' / 'carpeta' / 'fieldapp.sqlite3'}"
    app = make_test_app(unreachable, tmp_path)
    # The logged traceback is expected here; the logger is shared by every app of the process,
    # so it is silenced for this test only.
    monkeypatch.setattr(app.logger, "disabled", True)
    response = app.test_client().get("/salud")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
