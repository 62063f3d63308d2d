"""Who may print an acta (office heads and admins of its office, the field user their own
records; 404 across offices and for a colleague's record), the audit
row every print leaves, and the public verification page: what it shows and hides, how it
answers an unknown id or a wrong hash, and its rate limit per client address."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from tests.actas.conftest import Office1, push_case
from tests.conftest import make_test_app
from tests.seals.embargo import enforcement_setup


def acta_url(diligence_id: str) -> str:
    return f"/diligencias/{diligence_id}/acta.pdf"


def verify_path(diligence) -> str:  # type: ignore[no-untyped-def]
    return f"/v/{diligence.id}?h={diligence.content_hash[:16]}"


def audit_rows(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_office_heads_and_admins_of_the_office_print_the_acta(role, client, auth, office1: Office1):
    diligence = push_case(office1, "citatorio")
    auth.login(getattr(office1, role).username)
    response = client.get(acta_url(diligence.id))
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")


@pytest.mark.parametrize(("case", "role"), [("citatorio", "notifier"), ("payment_demand", "executor")])
def test_a_field_user_opens_the_acta_of_their_own_record_and_no_one_elses(
        case, role, client, auth, factory, office1: Office1):
    own = push_case(office1, case)
    other = push_case(office1, "payment_demand" if role == "notifier" else "citatorio")
    auth.login(getattr(office1, role).username)
    response = client.get(acta_url(own.id))
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Cache-Control"] == "no-store"
    (row,) = audit_rows("diligence_acta_viewed")  # their reading is audited as anyone's
    assert row.actor_id == getattr(office1, role).id
    # A colleague's record in the same office reads as one that does not exist.
    assert client.get(acta_url(other.id)).status_code == 404
    # Read-only: field users still cannot review.
    assert client.get(f"/diligencias/{own.id}").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, office1: Office1):
    diligence = push_case(office1, "citatorio")
    response = client.get(acta_url(diligence.id))
    assert response.status_code == 302 and response.headers["Location"].startswith("/entrar")


def test_another_offices_head_gets_404_as_for_an_unknown_id(client, auth, factory, office1: Office1):
    diligence = push_case(office1, "citatorio")
    other = enforcement_setup(factory, client)
    auth.login(other.supervisor.username)
    assert client.get(acta_url(diligence.id)).status_code == 404
    assert client.get(acta_url("00000000-0000-4000-8000-000000000000")).status_code == 404
    assert audit_rows("diligence_acta_viewed") == []


def test_every_print_of_an_acta_is_audited(client, auth, office1: Office1):
    diligence = push_case(office1, "notification")
    auth.login(office1.supervisor.username)
    client.get(acta_url(diligence.id))
    client.get(acta_url(diligence.id))
    rows = audit_rows("diligence_acta_viewed")
    assert len(rows) == 2
    assert {(r.actor_id, r.office_id, r.object_type, r.object_id) for r in rows} == {
        (office1.supervisor.id, office1.office.id, "diligences", diligence.id)}
    assert rows[0].details["kind"] == "notification" and rows[0].details["record_matches"] is True
    assert rows[0].ip_address == "127.0.0.1"


def test_the_acta_is_printed_in_the_offices_time_zone(client, auth, office1: Office1, tmp_path):
    from tests.actas.test_acta_pdf import one_line, pdftotext

    diligence = push_case(office1, "citatorio")  # started 12:00 at -06:00, i.e. 18:00 UTC
    office1.office.timezone = "America/Tijuana"  # PDT (UTC-7) from 8 March 2026
    db.session.commit()
    auth.login(office1.supervisor.username)
    text = one_line(pdftotext(client.get(acta_url(diligence.id)).data, tmp_path))
    assert "10 de marzo de 2026, 11:00 horas" in text and "America/Tijuana" in text


# The public verification page -------------------------------------------------------------------

def test_the_verification_page_needs_no_login_and_shows_only_what_the_acta_prints(
        app, office1: Office1):
    diligence = push_case(office1, "notification")
    page = app.test_client().get(verify_path(diligence))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    facts = diligence.facts
    for shown in ("Acta de notificación", "10 de marzo de 2026", office1.office.name,
                  diligence.document.folio, facts["field_user"]["name"],
                  diligence.document.debtor.legal_name, "El registro coincide"):
        assert shown in html, shown
    hidden = [facts["attendee"]["id_number"], facts["attendee"]["name"], "20.676", "-103.347",
              diligence.document.debtor.rfc, facts["field_user"]["credential_number"],
              "/evidencias/", diligence.content_hash]
    assert [h for h in hidden if h in html] == []
    assert "<script" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in page.headers  # no session for the debtor's phone
    assert [r.details for r in audit_rows("acta_verified")] == [{"matches": True}]


def test_an_unknown_id_and_a_wrong_hash_get_the_same_answer(app, office1: Office1):
    diligence = push_case(office1, "notification")
    public = app.test_client()
    wrong_hash = public.get(f"/v/{diligence.id}?h={'0' * 16}")
    unknown = public.get(f"/v/00000000-0000-4000-8000-000000000000?h={diligence.content_hash[:16]}")
    no_hash = public.get(f"/v/{diligence.id}")
    for response in (wrong_hash, unknown, no_hash):
        assert response.status_code == 404
        assert "No coincide o no existe" in response.get_data(as_text=True)
    assert wrong_hash.get_data() == unknown.get_data() == no_hash.get_data()
    assert diligence.document.folio not in wrong_hash.get_data(as_text=True)


def test_a_superseded_version_says_so(app, office1: Office1):
    from fieldapp.diligences.services import decide
    from tests.sync.helpers import CITATORIO_FACTS, make_record

    first = push_case(office1, "citatorio")
    decide(first, "returned", actor=office1.supervisor, observations="Corrija la hora")
    db.session.commit()
    correction = make_record(first.assignment_id, kind="citatorio", facts=CITATORIO_FACTS,
                             media=first.content["media"],
                             replaces=first.id, previous_hash=first.content_hash)
    result = office1.notifier_phone.push_ok([correction])["results"][0]
    assert result["status"] == "accepted", result
    html = app.test_client().get(verify_path(first)).get_data(as_text=True)
    assert "El registro coincide" in html and "sustituida por una corrección" in html


def test_the_verification_page_is_rate_limited_per_client_address(database_url, tmp_path, app,
                                                                  office1: Office1):
    diligence = push_case(office1, "citatorio")
    limited = make_test_app(database_url, tmp_path, ACTA_VERIFICATIONS_PER_MINUTE=5)
    public = limited.test_client()
    answers = [public.get(verify_path(diligence)).status_code for _ in range(5)]
    assert answers == [200] * 5
    refused = public.get(verify_path(diligence))
    assert refused.status_code == 429
    assert "Demasiadas consultas" in refused.get_data(as_text=True)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Unknown ids count too (no free guessing), and another address is not affected.
    assert public.get("/v/otro?h=0000000000000000").status_code == 429
    other = public.get(verify_path(diligence), environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_default_limit_is_30_a_minute(app, office1: Office1):
    diligence = push_case(office1, "citatorio")
    public = app.test_client()
    assert [public.get(verify_path(diligence)).status_code for _ in range(30)] == [200] * 30
    assert public.get(verify_path(diligence)).status_code == 429


def test_the_limiter_forgets_hits_older_than_its_window():
    from fieldapp.actas.limits import SlidingWindowLimiter

    limiter = SlidingWindowLimiter(window_seconds=60, max_clients=3)
    assert all(limiter.hit("a", 2, now=t) for t in (0.0, 1.0))
    assert not limiter.hit("a", 2, now=59.0)
    assert limiter.retry_after("a", now=59.0) == 1
    assert limiter.hit("a", 2, now=60.5)  # the hit at 0.0 left the window
    for n, client in enumerate("bcdefg"):  # memory stays bounded
        limiter.hit(client, 2, now=100.0 + n)
    assert len(limiter._hits) <= 3
