"""Logging in, throttling guesses, creating users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from fieldapp.audit.services import record
from fieldapp.auth.models import ROLES, LoginAttempt, User
from fieldapp.db_types import utcnow
from fieldapp.extensions import db
from fieldapp.offices.models import Office

HOME_ENDPOINTS = {
    "notifier": "field.worklist",
    "executor": "field.worklist",
    "supervisor": "review.home",
    "admin": "admin.home",
}


class LoginThrottled(Exception):
    """Too many failed attempts recently for this user name or address."""


class UserError(ValueError):
    """A user could not be created or changed; the message is for the person (Spanish)."""


@dataclass(frozen=True)
class LoginResult:
    user: User | None

    @property
    def ok(self) -> bool:
        return self.user is not None


def _recent_failures(column, value: str) -> int:  # type: ignore[no-untyped-def]
    window = timedelta(seconds=current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])
    stmt = select(func.count(LoginAttempt.id)).where(
        column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at > utcnow() - window
    )
    return db.session.scalar(stmt) or 0


def is_throttled(username: str, ip_address: str) -> bool:
    cfg = current_app.config
    return (
        _recent_failures(LoginAttempt.username, username) >= cfg["LOGIN_MAX_FAILURES_PER_USER"]
        or _recent_failures(LoginAttempt.ip_address, ip_address) >= cfg["LOGIN_MAX_FAILURES_PER_IP"]
    )


def authenticate(username: str, password: str, ip_address: str) -> LoginResult:
    """Checks a password, counting the attempt. Raises LoginThrottled before checking when
    there were too many recent failures, so a guesser learns nothing more."""
    username = username.strip().lower()
    if is_throttled(username, ip_address):
        raise LoginThrottled(username)
    user = db.session.scalar(select(User).where(User.username == username))
    ok = user is not None and user.active and user.check_password(password)
    db.session.add(LoginAttempt(username=username, ip_address=ip_address, succeeded=ok))
    if ok:
        record("login", actor=user, object_type="users", object_id=user.id)  # type: ignore[union-attr]
        return LoginResult(user)
    record("login_failed", object_type="users", username=username)
    return LoginResult(None)


def create_user(
    *,
    office: Office,
    username: str,
    full_name: str,
    role: str,
    password: str,
    actor: User | None = None,
    credential_number: str | None = None,
    credential_issued_on: date | None = None,
    credential_valid_until: date | None = None,
    credential_issuer: str | None = None,
) -> User:
    username = username.strip().lower()
    if role not in ROLES:
        raise UserError(f"Rol desconocido: {role}")
    if len(password) < 8:
        raise UserError("La contraseña debe tener al menos 8 caracteres.")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"Ya existe un usuario «{username}».")
    user = User(
        office=office,
        username=username,
        full_name=full_name.strip(),
        role=role,
        credential_number=credential_number,
        credential_issued_on=credential_issued_on,
        credential_valid_until=credential_valid_until,
        credential_issuer=credential_issuer,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user_created", actor=actor, obj=user, role=role, username=username)
    return user
