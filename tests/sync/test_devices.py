"""Enrolling phones (password or one-time QR link), bearer tokens stored hashed, revocation that
takes effect at the next request, and the office head's device pages."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from fieldapp.db_types import utcnow
from fieldapp.devices.models import Device, EnrollmentLink
from fieldapp.extensions import db
from tests.conftest import PASSWORD
from tests.scenarios import enroll
from tests.sync.helpers import API, bearer, decode

HTMX = {"HX-Request": "true"}


def enroll_json(client, username, password=PASSWORD, name="Moto G de la oficina"):
    return client.post(f"{API}/devices",
                       json={"username": username, "password": password, "device_name": name})


def test_a_field_user_enrolls_a_phone_and_the_token_is_stored_hashed(client, field):
    response = enroll_json(client, field.notifier.username)
    assert response.status_code == 201
    body = decode(response)
    assert body["user"]["username"] == field.notifier.username
    device = db.session.get(Device, body["device_id"])
    assert device.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in str(db.session.execute(select(Device.__table__)).all())
    assert client.get(f"{API}/pull", headers=bearer(body["token"])).status_code == 200


def test_wrong_passwords_are_refused_and_throttled_like_the_web_login(app, client, field):
    response = enroll_json(client, field.notifier.username, "incorrecta")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_USER"]):
        enroll_json(client, field.notifier.username, "incorrecta")
    throttled = enroll_json(client, field.notifier.username)  # even the right password now
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == str(app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])


def test_office_staff_cannot_enroll_a_phone(client, field):
    response = enroll_json(client, field.supervisor.username)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "not_field_user"


def test_enrollment_needs_its_three_members(client, field):
    response = client.post(f"{API}/devices", json={"username": field.notifier.username})
    assert response.status_code == 422


def test_a_revoked_token_is_refused_at_once(auth, client, phone, field):
    assert phone.client.get(f"{API}/pull", headers=bearer(phone.token)).status_code == 200
    auth.login(field.supervisor.username)
    assert client.post(f"/dispositivos/{phone.device_id}/revocar").status_code == 200
    response = client.get(f"{API}/pull", headers=bearer(phone.token))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.post(f"{API}/push", json={}, headers=bearer(phone.token)).status_code == 401


def test_a_phone_can_give_up_its_own_token(client, phone):
    response = client.delete(f"{API}/devices/current", headers=bearer(phone.token))
    assert response.status_code == 204
    assert client.get(f"{API}/pull", headers=bearer(phone.token)).status_code == 401


def test_a_deactivated_users_phones_stop_at_once(client, phone, field):
    field.notifier.active = False
    db.session.commit()
    assert client.get(f"{API}/pull", headers=bearer(phone.token)).status_code == 401


def test_missing_or_malformed_authorization_is_401(client, phone):
    for header in ({}, {"Authorization": phone.token}, {"Authorization": "Basic abc"},
                   {"Authorization": "Bearer "}, {"Authorization": "Bearer nope"}):
        assert client.get(f"{API}/pull", headers=header).status_code == 401


# The office head's pages --------------------------------------------------------------------

def test_the_office_head_lists_the_offices_phones(auth, client, phone, field):
    auth.login(field.supervisor.username)
    page = client.get("/dispositivos/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Teléfono de prueba" in html and field.notifier.full_name in html
    assert phone.token not in html


def test_field_users_may_not_see_the_device_pages(auth, client, field):
    auth.login(field.notifier.username)
    assert client.get("/dispositivos/").status_code == 403


def test_revoking_answers_a_page_and_an_htmx_fragment(auth, client, field):
    auth.login(field.supervisor.username)
    _, first = enroll(field.notifier, "Uno")
    _, second = enroll(field.notifier, "Dos")
    page = client.post(f"/dispositivos/{first}/revocar")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    fragment = client.post(f"/dispositivos/{second}/revocar", headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html and html.lstrip().startswith("<tr")
    assert "Revocado" in html and "HX-Request" in fragment.headers["Vary"]


def test_another_offices_phone_cannot_be_revoked(auth, client, phone, factory):
    other = factory.office()
    auth.login(factory.user(other, "supervisor").username)
    assert client.post(f"/dispositivos/{phone.device_id}/revocar").status_code == 404
    assert db.session.get(Device, phone.device_id).revoked_at is None


# Enrollment by QR ---------------------------------------------------------------------------

def make_link(auth, client, field, headers=None) -> tuple[str, str]:
    auth.login(field.supervisor.username)
    response = client.post("/dispositivos/enlaces", data={"user_id": field.notifier.id},
                           headers=headers or {})
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    url = re.search(r'class="enrollment-url">([^<]+)<', html).group(1)
    auth.logout()
    return html, url


def test_the_enrollment_link_is_shown_as_a_qr_code_page_and_fragment(auth, client, field):
    page, url = make_link(auth, client, field)
    assert "<svg" in page and "<html" in page and "/dispositivos/registrar/" in url
    fragment, _ = make_link(auth, client, field, HTMX)
    assert "<svg" in fragment and "<html" not in fragment
    assert db.session.scalar(select(EnrollmentLink.expires_at).limit(1)) is not None


def test_the_qr_link_enrolls_the_phone_once(auth, client, field):
    _, url = make_link(auth, client, field)
    path = url.split("localhost", 1)[-1]
    opened = client.get(path)
    assert opened.status_code == 200 and field.notifier.full_name in opened.get_data(as_text=True)
    done = client.post(path, data={"device_name": "Samsung A14"})
    assert done.status_code == 201
    html = done.get_data(as_text=True)
    token = re.search(r'data-token="([^"]+)"', html).group(1)
    assert done.headers["Cache-Control"] == "no-store"
    assert client.get(f"{API}/pull", headers=bearer(token)).status_code == 200
    device = db.session.scalar(select(Device).where(Device.name == "Samsung A14"))
    assert device.user_id == field.notifier.id and device.enrolled_via == "link"
    again = client.post(path, data={"device_name": "Otro"})
    assert again.status_code == 410
    assert client.get(path).status_code == 410


def test_the_qr_link_expires_after_fifteen_minutes(auth, client, field):
    _, url = make_link(auth, client, field)
    link = db.session.scalar(select(EnrollmentLink))
    assert link.expires_at - link.created_at == timedelta(minutes=15)
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    code = url.rsplit("/", 1)[-1]
    response = client.post(f"{API}/enrollments/{code}", json={"device_name": "Tarde"})
    assert response.status_code == 410
    assert response.get_json()["error"]["code"] == "link_expired"
    assert client.get(url.split("localhost", 1)[-1]).status_code == 410


def test_the_phone_app_can_redeem_the_link_through_the_api(auth, client, field):
    _, url = make_link(auth, client, field)
    code = url.rsplit("/", 1)[-1]
    first = client.post(f"{API}/enrollments/{code}", json={"device_name": "PWA"})
    assert first.status_code == 201 and decode(first)["user"]["id"] == field.notifier.id
    second = client.post(f"{API}/enrollments/{code}", json={"device_name": "PWA"})
    assert second.status_code == 410 and second.get_json()["error"]["code"] == "link_used"
    assert client.post(f"{API}/enrollments/nope", json={"device_name": "x"}).status_code == 404


def test_a_link_for_someone_of_another_office_cannot_be_made(auth, client, field, factory):
    stranger = factory.user(factory.office(), "notifier")
    auth.login(field.supervisor.username)
    response = client.post("/dispositivos/enlaces", data={"user_id": stranger.id})
    assert response.status_code == 422  # not among the choices of this office
    assert db.session.scalar(select(EnrollmentLink)) is None
