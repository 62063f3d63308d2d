"""One request lifecycle (issue 13.1): a write request is committed once after a success answer
and rolled back after an error answer; a DomainError a view lets go reaches people as JSON, an
htmx message or the page they came from, and nothing of it is saved. A read that writes an audit
event (personal data shown) is committed like a write when it succeeds, and keeps nothing when
it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, abort, redirect
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.audit.services import record
from fieldapp.auth.access import public
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.offices.models import Office
from fieldapp.web.errors import handle_unexpected
from fieldapp.web.forms import AppForm
from tests.conftest import make_test_app


class NameTaken(DomainError):
    code = "name_taken"
    status = 409


def _add_office(code: str) -> None:
    db.session.add(Office(code=code, name=f"Oficina {code}", state="Jalisco",
                          timezone="America/Mexico_City"))
    db.session.flush()


@pytest.fixture
def lifecycle_app(database_url: str, tmp_path: Path):
    app = make_test_app(database_url, tmp_path)

    @public
    def saves(code: str) -> tuple[str, int]:
        _add_office(code)
        return "guardado", 201

    @public
    def refuses(code: str) -> str:
        _add_office(code)
        raise NameTaken("Ya existe una oficina con ese nombre.", field="name")

    @public
    def answers_an_error(code: str) -> tuple[str, int]:
        _add_office(code)
        return "revise los datos", 422

    @public
    def aborts(code: str) -> str:
        _add_office(code)
        abort(403)

    @public
    def refused_then_goes_back(code: str):  # type: ignore[no-untyped-def]
        form = AppForm()
        with form.taking_refusals():
            _add_office(code)
            raise NameTaken("Ya existe una oficina con ese nombre.")
        assert form.refused and isinstance(form.refused_by, NameTaken)
        _add_office(code + "b")  # after a refusal, nothing of the request is kept
        return redirect("/saves/x")

    @public
    def shows_personal_data(code: str) -> str:
        record("credit_viewed", object_type="credits", object_id=code)
        return "datos personales"

    @public
    def shows_personal_data_then_fails(code: str) -> str:
        record("credit_viewed", object_type="credits", object_id=code)
        abort(404)

    @public
    def shows_personal_data_then_breaks(code: str) -> str:
        record("credit_viewed", object_type="credits", object_id=code)
        raise RuntimeError("a bug after the event")

    for rule, view in (("/saves/<code>", saves), ("/refuses/<code>", refuses),
                       ("/answers-an-error/<code>", answers_an_error), ("/aborts/<code>", aborts),
                       ("/refused-then-goes-back/<code>", refused_then_goes_back),
                       ("/shows/<code>", shows_personal_data),
                       ("/shows-then-fails/<code>", shows_personal_data_then_fails),
                       ("/shows-then-breaks/<code>", shows_personal_data_then_breaks)):
        app.add_url_rule(rule, view.__name__, view, methods=["GET", "POST"])
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _saved_codes() -> set[str]:
    db.session.remove()
    return set(db.session.scalars(select(Office.code)))


def _audited_reads() -> list[str]:
    db.session.remove()
    return list(db.session.scalars(select(AuditEvent.object_id).where(
        AuditEvent.action == "credit_viewed").order_by(AuditEvent.id)))


def test_a_write_that_answers_success_is_committed_once_without_the_view_committing(lifecycle_app: Flask):
    assert lifecycle_app.test_client().post("/saves/0101").status_code == 201
    assert _saved_codes() == {"0101"}


def test_a_read_commits_nothing(lifecycle_app: Flask):
    assert lifecycle_app.test_client().get("/saves/0102").status_code == 201
    assert _saved_codes() == set()


@pytest.mark.parametrize("path, status", [("/answers-an-error/0103", 422), ("/aborts/0104", 403),
                                          ("/refuses/0105", 409)])
def test_a_write_that_answers_an_error_is_rolled_back(lifecycle_app: Flask, path: str, status: int):
    assert lifecycle_app.test_client().post(path).status_code == status
    assert _saved_codes() == set()


def test_a_refusal_reaches_an_api_client_as_json_with_its_code_and_field(lifecycle_app: Flask):
    response = lifecycle_app.test_client().post("/refuses/0106",
                                                headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.json == {"error": {"code": "name_taken", "field": "name",
                                       "message": "Ya existe una oficina con ese nombre."}}


def test_a_refusal_reaches_htmx_as_a_message_in_the_message_area(lifecycle_app: Flask):
    response = lifecycle_app.test_client().post("/refuses/0107", headers={"HX-Request": "true"})
    assert response.headers["HX-Retarget"] == "#htmx-messages"
    assert "Ya existe una oficina con ese nombre." in response.get_data(as_text=True)
    assert _saved_codes() == set()


def test_a_button_refused_on_a_page_goes_back_to_it_with_the_message(lifecycle_app: Flask):
    client = lifecycle_app.test_client()
    response = client.post("/refuses/0108", headers={"Referer": "http://localhost/admin/usuarios/7"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/usuarios/7"
    with client.session_transaction() as session:
        assert ("error", "Ya existe una oficina con ese nombre.") in session["_flashes"]
    assert _saved_codes() == set()


def test_a_refusal_taken_by_a_form_keeps_nothing_even_behind_a_redirect(lifecycle_app: Flask):
    assert lifecycle_app.test_client().post("/refused-then-goes-back/0111").status_code == 302
    assert _saved_codes() == set()


def test_a_refusal_from_another_site_gets_the_error_page_not_a_redirect(lifecycle_app: Flask):
    response = lifecycle_app.test_client().post(
        "/refuses/0109", headers={"Referer": "https://elsewhere.example/x"})
    assert response.status_code == 409
    assert "Ya existe una oficina con ese nombre." in response.get_data(as_text=True)


def test_a_read_that_writes_an_audit_event_is_committed_when_it_succeeds(lifecycle_app: Flask):
    client = lifecycle_app.test_client()
    assert client.get("/shows/c-1").status_code == 200
    assert client.get("/shows/c-2").status_code == 200
    assert _audited_reads() == ["c-1", "c-2"]


def test_a_read_that_fails_after_its_audit_event_keeps_nothing(lifecycle_app: Flask):
    assert lifecycle_app.test_client().get("/shows-then-fails/c-3").status_code == 404
    assert _audited_reads() == []


def test_a_read_that_breaks_after_its_audit_event_keeps_nothing(lifecycle_app: Flask):
    lifecycle_app.config["HANDLE_UNEXPECTED_ERRORS"] = True
    lifecycle_app.register_error_handler(Exception, handle_unexpected)
    assert lifecycle_app.test_client().get("/shows-then-breaks/c-4").status_code == 500
    assert _audited_reads() == []


def test_a_read_without_an_audit_event_still_commits_nothing_after_an_earlier_one(
        lifecycle_app: Flask):
    """The mark lives with one request: the next read of the same client is not kept."""
    client = lifecycle_app.test_client()
    assert client.get("/shows/c-5").status_code == 200
    assert client.get("/saves/0110").status_code == 201
    assert _audited_reads() == ["c-5"] and _saved_codes() == set()
