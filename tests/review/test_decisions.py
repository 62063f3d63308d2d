"""Decisions on the review page: approve, return with observations, reject with a reason,
comment — each as a full-page POST (redirect) and as htmx (the panel fragment), with
Spanish errors, CSRF, audit rows; and the return-for-correction loop through the sync API."""

from __future__ import annotations

import copy
import re

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.diligences.models import REVIEW_STATES, Diligence, ReviewEvent
from fieldapp.extensions import db
from tests.conftest import PASSWORD, make_test_app
from tests.review.conftest import HX
from tests.sync.helpers import make_record

ACTIONS = [
    ("approved", "", "approved", "Diligencia aprobada."),
    ("returned", "Anote el número de la INE de quien atendió.", "returned",
     "Diligencia devuelta para corrección."),
    ("rejected", "Se actuó en un domicilio que no es del patrón.", "rejected", "Diligencia rechazada."),
    ("comment", "Revisar con el notificador mañana.", "received", "Comentario guardado."),
]


def decide_on(client, diligence, action: str, text: str = "", **headers: str):  # type: ignore[no-untyped-def]
    return client.post(f"/diligencias/{diligence.id}/decision", data={"action": action, "text": text},
                        headers=headers)


def events_of(diligence) -> list[ReviewEvent]:
    return list(db.session.scalars(select(ReviewEvent).where(ReviewEvent.diligence_id == diligence.id)
                                   .order_by(ReviewEvent.id)))


def audit_of(diligence, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == diligence.id)))


@pytest.mark.parametrize(("action", "text", "state", "notice"), ACTIONS)
def test_each_decision_as_a_full_page_post(head, desk, action, text, state, notice):
    diligence = desk.push()
    response = decide_on(head, diligence, action, text)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/diligencias/{diligence.id}"
    page = head.get(response.headers["Location"]).get_data(as_text=True)
    assert notice in page
    db.session.expire_all()
    assert db.session.get(Diligence, diligence.id).review_state == state
    (event,) = events_of(diligence)
    assert event.action == action and event.actor_id == desk.supervisor.id
    assert (event.reason if action == "rejected" else event.observations) == (text or None)
    (audit,) = audit_of(diligence, f"diligence_{action}")
    assert audit.actor_id == desk.supervisor.id and audit.office_id == desk.office.id
    if text:
        key = "reason" if action == "rejected" else "observations"
        assert audit.details[key] == text
        assert text in page  # the review history shows it


@pytest.mark.parametrize(("action", "text", "state", "notice"), ACTIONS)
def test_each_decision_as_an_htmx_fragment(head, desk, action, text, state, notice):
    diligence = desk.push()
    response = decide_on(head, diligence, action, text, **HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<section id="decision-panel"') and "<html" not in html
    assert notice in html
    assert f'id="review-state">{REVIEW_STATES[state]}<' in html
    # The page's header and version list show the state too: htmx swaps them out of band.
    assert f'id="head-state" hx-swap-oob="true">{REVIEW_STATES[state]}<' in html
    assert '<section class="card" id="versions" hx-swap-oob="true">' in html
    db.session.expire_all()
    assert db.session.get(Diligence, diligence.id).review_state == state
    assert [e.action for e in events_of(diligence)] == [action]
    assert len(audit_of(diligence, f"diligence_{action}")) == 1
    if action in ("approved", "rejected"):
        # The review is closed: the panel offers only comments now (a returned record stays
        # open until its correction arrives).
        assert 'value="approved"' not in html and 'value="comment"' in html
        assert "La revisión ya está cerrada" in html
    if action == "returned":
        # Awaiting its correction: neither approved nor returned again, still rejectable.
        assert 'value="approved"' not in html and 'value="returned"' not in html
        assert 'value="rejected"' in html and 'id="awaiting-correction"' in html


def test_a_returned_record_cannot_be_approved_until_its_correction_arrives(head, desk):
    diligence = desk.push()
    decide_on(head, diligence, "returned", "Anote la identificación.")
    response = decide_on(head, diligence, "approved", "", **HX)
    assert response.status_code == 422
    assert "se decide sobre la versión corregida" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Diligence, diligence.id).review_state == "returned"


@pytest.mark.parametrize(("action", "message"), [
    ("returned", "Escriba las observaciones para que la persona corrija el registro."),
    ("rejected", "Escriba el motivo del rechazo."),
    ("comment", "Escriba el comentario."),
])
def test_a_decision_without_its_text_is_refused_in_spanish(head, desk, action, message):
    diligence = desk.push()
    fragment = decide_on(head, diligence, action, "   ", **HX)
    assert fragment.status_code == 422
    assert message in fragment.get_data(as_text=True)
    assert fragment.get_data(as_text=True).lstrip().startswith('<section id="decision-panel"')
    page = decide_on(head, diligence, action, "")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert message in html and "<html" in html and "Hechos del acta" in html
    db.session.expire_all()
    assert db.session.get(Diligence, diligence.id).review_state == "received"
    assert events_of(diligence) == [] and audit_of(diligence, f"diligence_{action}") == []


def test_a_closed_review_cannot_be_decided_again(head, desk):
    diligence = desk.push()
    assert decide_on(head, diligence, "approved").status_code == 302
    response = decide_on(head, diligence, "rejected", "Cambié de opinión", **HX)
    assert response.status_code == 422
    assert "La diligencia ya está aprobada." in response.get_data(as_text=True)
    page = decide_on(head, diligence, "returned", "Corrija")
    assert page.status_code == 422 and "La diligencia ya está aprobada." in page.get_data(as_text=True)
    # A comment is still welcome.
    assert decide_on(head, diligence, "comment", "Bien documentada.").status_code == 302
    assert [e.action for e in events_of(diligence)] == ["approved", "comment"]


def test_an_unknown_action_or_a_text_too_long_is_refused(head, desk):
    diligence = desk.push()
    response = decide_on(head, diligence, "borrar", "x", **HX)
    assert response.status_code == 422 and "inválida" in response.get_data(as_text=True).lower()
    response = decide_on(head, diligence, "comment", "x" * 2001, **HX)
    assert response.status_code == 422
    assert "máximo 2000 caracteres" in response.get_data(as_text=True)
    assert events_of(diligence) == []


def test_the_typed_text_survives_an_error(head, desk):
    diligence = desk.push()
    long_text = "Falta la foto del número exterior. " * 60
    html = decide_on(head, diligence, "returned", long_text, **HX).get_data(as_text=True)
    assert "máximo 2000 caracteres" in html
    assert '<details class="decision" open>\n    <summary>Devolver para corrección' in html
    assert long_text.strip() in html  # given back in its textarea, to shorten and send again


def test_decisions_need_the_csrf_token(database_url, tmp_path, factory, app, desk):
    diligence = desk.push()
    guarded = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    # Each request pushes its own app context (a shared one would keep Flask-WTF's token in g
    # across the login, which renews the session).
    client = guarded.test_client()
    login_page = client.get("/entrar").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/entrar", data={"username": "jefe-a", "password": PASSWORD, "csrf_token": token})
    refused = client.post(f"/diligencias/{diligence.id}/decision", data={"action": "approved"})
    assert refused.status_code == 400
    assert "El formulario expiró" in refused.get_data(as_text=True)
    page = client.get(f"/diligencias/{diligence.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = client.post(f"/diligencias/{diligence.id}/decision",
                           data={"action": "approved", "csrf_token": token})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)
    with guarded.app_context():
        db.session.remove()
        db.engine.dispose()
    db.session.expire_all()
    assert db.session.get(Diligence, diligence.id).review_state == "approved"


# Return for correction, end to end through the sync API -------------------------------------

def test_return_for_correction_round_trip_through_the_sync_api(head, desk):
    worker = desk.workers["notifier"]
    phone = worker.phone
    original = desk.push()
    cursor = phone.pull()["cursor"]

    # The office head returns it from the review page.
    observations = "Anote el número de la INE de quien recibió el citatorio."
    response = decide_on(head, original, "returned", observations)
    assert response.status_code == 302

    # The phone's next pull brings it back with the observations and what to correct.
    payload = phone.pull(cursor)
    (returned,) = payload["diligences"]
    assert returned["id"] == original.id and returned["review_state"] == "returned"
    assert returned["review"]["action"] == "returned"
    assert returned["review"]["observations"] == observations
    assert returned["content"]["content_hash"] == original.content_hash
    assert [a["status"] for a in payload["assignments"]] == ["returned"]

    # The field user corrects it on the phone: a new version naming the one it replaces.
    sent = desk.sent[original.id]
    facts = copy.deepcopy(sent["facts"])
    facts["attendee"]["id_number"] = "RUSP900211HJCZRD04"
    correction = make_record(worker.assignments["centro"].id, facts=facts, media=sent["media"],
                             replaces=original.id, previous_hash=worker.last_hash,
                             captured_at="2026-03-11T17:00:00.000Z")
    (result,) = phone.push_ok([correction])["results"]
    assert result["status"] == "accepted" and result["version"] == 2

    db.session.expire_all()
    old = db.session.get(Diligence, original.id)
    new = db.session.get(Diligence, correction["id"])
    assert old.superseded_by_id == new.id and old.superseded_at is not None
    assert new.replaces_id == old.id and new.review_state == "received"

    # The list shows the new version only; the old one is reachable from the history.
    listing = head.get("/diligencias/", headers=HX).get_data(as_text=True)
    assert re.findall(r'data-diligence="([^"]+)"', listing) == [new.id]
    everything = head.get("/diligencias/", query_string={"versiones": "todas"}, headers=HX)
    assert set(re.findall(r'data-diligence="([^"]+)"', everything.get_data(as_text=True))) == {old.id, new.id}
    page = head.get(f"/diligencias/{new.id}").get_data(as_text=True)
    assert f'href="/diligencias/{old.id}">Versión 1</a>' in page and "Versión 2 (esta)" in page
    assert "RUSP900211HJCZRD04" in page
    old_page = head.get(f"/diligencias/{old.id}").get_data(as_text=True)
    assert "Esta versión fue sustituida por una corrección" in old_page
    assert f'href="/diligencias/{new.id}">Ver la versión que la sustituye' in old_page
    assert observations in old_page
    # A superseded version takes no decision; the correction does.
    refused = decide_on(head, old, "approved", **HX)
    assert refused.status_code == 422
    assert "Esta versión ya fue sustituida por una corrección" in refused.get_data(as_text=True)
    assert decide_on(head, new, "approved").status_code == 302
    final = {d["id"]: d for d in phone.pull(payload["cursor"])["diligences"]}
    assert final[new.id]["review_state"] == "approved"
    if old.id in final:  # superseded since the phone's cursor: it may come along, marked so
        assert final[old.id]["superseded_by"] == new.id and final[old.id]["content"] is None
