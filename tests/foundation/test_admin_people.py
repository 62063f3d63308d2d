"""People administration: edit, move between sectors, deactivate/reactivate, reset a password
(forced change at the next login), unlock, and the field credential with its history — from the
admin's screens and from the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fieldapp.audit.models import AuditEvent
from fieldapp.auth.commands import user_command
from fieldapp.auth.models import CredentialRecord, User
from fieldapp.extensions import db
from fieldapp.offices.services import office_today
from tests.conftest import PASSWORD
from tests.scenarios import enroll

CREDENTIAL = {"number": "EJ-1401-0099", "issued_on": "2026-11-01", "valid_until": "2027-10-31",
              "issuer": "Lic. Jorge Pérez, Subdelegado",
              "legal_basis": "Artículos 150 del Reglamento Interior del IMSS y 152 del CFF"}


@pytest.fixture
def office(factory):  # type: ignore[no-untyped-def]
    return factory.office()


@pytest.fixture
def admin(factory, office):  # type: ignore[no-untyped-def]
    return factory.user(office, role="admin", username="admin1")


@pytest.fixture
def executor(factory, office):  # type: ignore[no-untyped-def]
    return factory.user(office, role="executor", username="ejecutor1")


@pytest.fixture
def as_admin(app, admin):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.post("/entrar", data={"username": "admin1", "password": PASSWORD}).status_code == 302
    return client


def _actions(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action)) or 0


def test_the_user_list_answers_with_and_without_the_trailing_slash(as_admin, executor):
    for url in ("/admin/usuarios", "/admin/usuarios/"):
        page = as_admin.get(url)
        assert page.status_code == 200
        assert f'/admin/usuarios/{executor.id}"' in page.get_data(as_text=True)


def test_admin_edits_a_user_and_moves_them_to_another_sector(as_admin, factory, office, executor):
    north = factory.sector(office, code="N1", name="Norte")
    answer = as_admin.post(f"/admin/usuarios/{executor.id}", data={
        "full_name": "Rosa Elena Díaz", "role": "executor", "sector": str(north.id)})
    assert answer.status_code == 302
    db.session.refresh(executor)
    assert (executor.full_name, executor.sector_id) == ("Rosa Elena Díaz", north.id)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user_updated")).one()
    assert event.details["changes"]["sector"] == [None, "N1"]
    page = as_admin.get(f"/admin/usuarios/{executor.id}").get_data(as_text=True)
    assert "Rosa Elena Díaz" in page


def test_a_sector_of_another_office_or_a_bad_role_is_refused(as_admin, factory, executor):
    elsewhere = factory.sector(factory.office(), code="X1")
    answer = as_admin.post(f"/admin/usuarios/{executor.id}", data={
        "full_name": "Otra", "role": "executor", "sector": str(elsewhere.id)})
    assert answer.status_code == 422
    answer = as_admin.post(f"/admin/usuarios/{executor.id}", data={
        "full_name": "Otra", "role": "superuser", "sector": ""})
    assert answer.status_code == 422
    db.session.refresh(executor)
    assert executor.full_name != "Otra"


def test_users_of_another_office_are_not_found(as_admin, factory):
    stranger = factory.user(factory.office(), role="notifier")
    assert as_admin.get(f"/admin/usuarios/{stranger.id}").status_code == 404
    assert as_admin.post(f"/admin/usuarios/{stranger.id}/activo", data={"active": "0"}).status_code == 404


def test_deactivating_ends_the_open_session_and_the_phone_then_reactivating(app, as_admin, executor):
    browser = app.test_client()
    browser.post("/entrar", data={"username": "ejecutor1", "password": PASSWORD})
    assert browser.get("/campo/").status_code == 200
    token, _ = enroll(executor)
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/sync/v1/pull", headers=bearer).status_code == 200

    assert as_admin.post(f"/admin/usuarios/{executor.id}/activo", data={"active": "0"}).status_code == 302
    assert browser.get("/campo/").status_code == 302
    assert app.test_client().get("/api/sync/v1/pull", headers=bearer).status_code == 401
    assert browser.post("/entrar", data={"username": "ejecutor1", "password": PASSWORD}).status_code == 401

    assert as_admin.post(f"/admin/usuarios/{executor.id}/activo", data={"active": "1"}).status_code == 302
    assert browser.post("/entrar", data={"username": "ejecutor1", "password": PASSWORD}).status_code == 302
    assert (_actions("user_deactivated"), _actions("user_reactivated")) == (1, 1)


def test_an_admin_cannot_deactivate_themselves(as_admin, admin):
    as_admin.post(f"/admin/usuarios/{admin.id}/activo", data={"active": "0"})
    db.session.refresh(admin)
    assert admin.active
    assert as_admin.get("/admin/").status_code == 200


def test_a_reset_password_must_be_changed_at_the_next_login(app, as_admin, executor):
    browser = app.test_client()
    browser.post("/entrar", data={"username": "ejecutor1", "password": PASSWORD})
    answer = as_admin.post(f"/admin/usuarios/{executor.id}/contrasena",
                           data={"password": "temporal-2026"})
    assert answer.status_code == 302
    assert browser.get("/campo/").status_code == 302  # the old session ended
    answer = browser.post("/entrar", data={"username": "ejecutor1", "password": "temporal-2026"})
    assert answer.headers["Location"] == "/cuenta/contrasena"
    assert browser.get("/campo/").headers["Location"] == "/cuenta/contrasena"
    page = browser.get("/cuenta/contrasena").get_data(as_text=True)
    assert "Elija una nueva para continuar" in page
    answer = browser.post("/cuenta/contrasena", data={
        "current_password": "temporal-2026", "new_password": "mia-propia-9", "confirm": "mia-propia-9"})
    assert answer.headers["Location"] == "/campo/"
    assert browser.get("/campo/").status_code == 200


def test_an_admin_unlocks_a_user_locked_out_from_their_own_address(app, as_admin, executor):
    browser = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_USER"]):
        browser.post("/entrar", data={"username": "ejecutor1", "password": "olvidada"})
    assert browser.post("/entrar", data={"username": "ejecutor1", "password": PASSWORD}).status_code == 429
    page = as_admin.get(f"/admin/usuarios/{executor.id}").get_data(as_text=True)
    assert "Bloqueado por intentos fallidos" in page
    assert as_admin.post(f"/admin/usuarios/{executor.id}/desbloquear").status_code == 302
    assert browser.post("/entrar", data={"username": "ejecutor1", "password": PASSWORD}).status_code == 302
    assert _actions("login_throttle_cleared") == 1


def test_a_renewed_credential_keeps_its_history_and_reaches_the_phone(app, as_admin, executor):
    token, _ = enroll(executor)
    old_number = executor.credential_number
    answer = as_admin.post(f"/admin/usuarios/{executor.id}/credencial", data=CREDENTIAL)
    assert answer.status_code == 302
    db.session.refresh(executor)
    assert executor.credential_number == "EJ-1401-0099"
    assert executor.credential_valid_until == date(2027, 10, 31)
    rows = db.session.scalars(select(CredentialRecord).where(CredentialRecord.user_id == executor.id)).all()
    assert [r.number for r in rows] == ["EJ-1401-0099"]
    pulled = app.test_client().get("/api/sync/v1/pull", headers={"Authorization": f"Bearer {token}"})
    assert pulled.get_json()["user"]["credential"] == {
        "number": "EJ-1401-0099", "issued_on": "2026-11-01", "valid_until": "2027-10-31",
        "issuer": CREDENTIAL["issuer"], "legal_basis": CREDENTIAL["legal_basis"],
        "version": rows[0].id}  # the server's numbering of credentials (sync-protocol.md)
    as_admin.post(f"/admin/usuarios/{executor.id}/credencial",
                  data={**CREDENTIAL, "number": "EJ-1401-0100", "issued_on": "2027-11-01",
                        "valid_until": "2028-10-31"})
    page = as_admin.get(f"/admin/usuarios/{executor.id}").get_data(as_text=True)
    assert "EJ-1401-0099" in page and "EJ-1401-0100" in page and old_number not in page
    assert _actions("credential_recorded") == 2


def test_a_credential_that_ends_before_it_starts_is_refused(as_admin, executor):
    answer = as_admin.post(f"/admin/usuarios/{executor.id}/credencial",
                           data={**CREDENTIAL, "valid_until": "2026-01-01"})
    assert answer.status_code == 422
    assert "La vigencia no puede terminar antes" in answer.get_data(as_text=True)


def test_the_office_is_warned_thirty_days_before_a_credential_ends(as_admin, factory, office):
    today = office_today(office)
    factory.user(office, role="notifier", full_name="Vence Pronto",
                 credential_valid_until=today + timedelta(days=30))
    factory.user(office, role="notifier", full_name="Vence Tarde",
                 credential_valid_until=today + timedelta(days=31))
    factory.user(office, role="executor", full_name="Ya Vencida",
                 credential_valid_until=today - timedelta(days=1))
    page = as_admin.get("/admin/usuarios").get_data(as_text=True)
    warnings = page.split('id="credential-warnings"')[1].split("</section>")[0]
    assert "Vence Pronto" in warnings and "Ya Vencida" in warnings and "venció el" in warnings
    assert "Vence Tarde" not in warnings


def test_the_cli_changes_users_with_the_same_rules(runner, factory, office, executor):
    factory.sector(office, code="S9", name="Sur")
    result = runner.invoke(user_command, ["edit", "ejecutor1", "--sector", "S9", "--name", "Nuevo Nombre"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(user_command, ["renew-credential", "ejecutor1", "--number", "EJ-7",
                                 "--issued-on", "2026-11-01", "--valid-until", "2027-10-31",
                                 "--issuer", "Subdelegado"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(user_command, ["deactivate", "ejecutor1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(user_command, ["reset-password", "ejecutor1", "--password", "corta"])
    assert result.exit_code != 0 and "al menos 8 caracteres" in result.output
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.username == "ejecutor1")).one()
    assert (user.full_name, user.sector.code, user.credential_number, user.active) == (
        "Nuevo Nombre", "S9", "EJ-7", False)
