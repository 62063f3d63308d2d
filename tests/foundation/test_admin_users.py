"""The admin's user form: a user is created with the credential data an acta shows; bad input
is answered in Spanish with 422 and creates nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fieldapp.audit.models import AuditEvent
from fieldapp.auth.models import User
from fieldapp.extensions import db

VALID = {
    "username": "maria.lopez", "full_name": "María López Ruiz", "role": "notifier",
    "password": "una-clave-larga", "credential_number": "NOT-1401-017",
    "credential_issued_on": "2026-01-15", "credential_valid_until": "2027-01-14",
    "credential_issuer": "Lic. Jorge Pérez, Subdelegado",
}


@pytest.fixture
def admin(factory, auth):  # type: ignore[no-untyped-def]
    office = factory.office()
    user = factory.user(office, role="admin", username="admin1")
    db.session.commit()
    auth.login("admin1")
    return user


def _users_named(username: str) -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.username == username)) or 0


def test_admin_creates_a_field_user_with_credential(client, admin) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/admin/usuarios/nuevo", data=VALID)
    assert response.status_code == 302
    created = db.session.scalars(select(User).where(User.username == "maria.lopez")).one()
    assert (created.role, created.office_id) == ("notifier", admin.office_id)
    assert created.credential_number == "NOT-1401-017"
    assert created.credential_valid_until.isoformat() == "2027-01-14"
    assert created.password_hash != VALID["password"]
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.actor_id == admin.id)) >= 1
    assert "María López Ruiz" in client.get("/admin/usuarios").get_data(as_text=True)


@pytest.mark.parametrize(("change", "message"), [
    ({"username": ""}, "Escriba el usuario."),
    ({"username": "con espacio"}, "Sólo letras, números, punto, guion y guion bajo."),
    ({"password": "corta"}, "Mínimo 8 caracteres."),
    ({"full_name": ""}, "Escriba el nombre."),
    ({"role": "superuser"}, "Opción inválida."),
])
def test_bad_input_is_refused_with_its_message(client, admin, change, message) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/admin/usuarios/nuevo", data={**VALID, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _users_named(VALID["username"]) == 0


def test_a_taken_username_is_refused_and_nothing_changes(client, admin, factory) -> None:  # type: ignore[no-untyped-def]
    factory.user(admin.office, username="maria.lopez", full_name="Otra persona")
    db.session.commit()
    response = client.post("/admin/usuarios/nuevo", data=VALID)
    assert response.status_code == 422
    assert "Ya existe un usuario «maria.lopez»." in response.get_data(as_text=True)
    assert _users_named("maria.lopez") == 1
