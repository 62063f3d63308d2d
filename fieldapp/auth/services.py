"""Logging in, throttling guesses, browser sessions, creating and changing users."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import exists, func, select, text, update
from sqlalchemy.orm import aliased
from werkzeug.security import check_password_hash, generate_password_hash

from fieldapp.audit.services import record
from fieldapp.auth.models import FIELD_ROLES, ROLES, AuthSession, CredentialRecord, LoginAttempt, User
from fieldapp.db_types import utcnow
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector
from fieldapp.transactions import begin_write_transaction

HOME_ENDPOINTS = {
    "notifier": "field.worklist",
    "executor": "field.worklist",
    "supervisor": "review.home",
    "admin": "admin.home",
}


class LoginThrottled(Exception):
    """Too many failed attempts recently for this user name or address."""


class UserError(DomainError):
    """A user could not be created or changed; the message is for the person (Spanish)."""

    code = "user_invalid"
    status = 422


@dataclass(frozen=True)
class LoginResult:
    user: User | None

    @property
    def ok(self) -> bool:
        return self.user is not None


def _serialize_attempts_from(ip_address: str) -> None:
    """Makes counting the recent failures and recording the new attempt one step: concurrent
    attempts from one address are served in turn, so 15 guesses sent at once are counted 1,
    2, 3… and only the allowed number reach the password check. PostgreSQL: an advisory lock
    on the address until commit. SQLite: the database's write lock, taken up front."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                           {"key": f"login:{ip_address}"})
    else:
        begin_write_transaction()


def _failed_since(since: datetime):  # type: ignore[no-untyped-def]
    """Conditions of a failed attempt after `since`: a charge no success row proves."""
    success = aliased(LoginAttempt)
    return (LoginAttempt.succeeded.is_(False), LoginAttempt.at > since,
            ~exists().where(success.charge_id == LoginAttempt.id))


def _recent_failures(*conditions, since: datetime) -> int:  # type: ignore[no-untyped-def]
    stmt = select(func.count(LoginAttempt.id)).where(*conditions, *_failed_since(since))
    return db.session.scalar(stmt) or 0


def charge_login_attempt(username: str, ip_address: str) -> LoginAttempt:
    """Counts and records one attempt atomically; raises LoginThrottled (recording nothing)
    when the address, or this user name from this address, failed too often lately. The lock
    is per (user name, address): a stranger elsewhere cannot lock a real user out.

    The caller commits before `check_login_attempt`: the attempt then counts for everybody
    else, and the lock is not held through the deliberately slow password hash."""
    cfg = current_app.config
    username = username.strip().lower()
    ip_address = ip_address[:45]  # the column's width (an IPv6 address with its zone fits)
    _serialize_attempts_from(ip_address)
    since = utcnow() - timedelta(seconds=cfg["LOGIN_THROTTLE_WINDOW_SECONDS"])
    cleared = db.session.scalar(select(User.throttle_cleared_at).where(User.username == username))
    pair_since = max(since, cleared) if cleared is not None else since
    if (_recent_failures(LoginAttempt.username == username, LoginAttempt.ip_address == ip_address,
                         since=pair_since) >= cfg["LOGIN_MAX_FAILURES_PER_USER"]
            or _recent_failures(LoginAttempt.ip_address == ip_address, since=since)
            >= cfg["LOGIN_MAX_FAILURES_PER_IP"]):
        raise LoginThrottled(username)
    # Recorded as a failure until the password proves otherwise, inside the same lock.
    attempt = LoginAttempt(username=username, ip_address=ip_address, succeeded=False)
    db.session.add(attempt)
    db.session.flush()
    return attempt


@cache
def _dummy_password_hash() -> str:
    # Made on first use (no work at import time) with the same method as real hashes.
    return generate_password_hash(secrets.token_hex(16))


def check_login_attempt(attempt: LoginAttempt, password: str) -> LoginResult:
    """Checks the password of a charged attempt (a throttled one never gets here, so a guesser
    learns nothing more). Exactly one password hash is computed whether or not the user exists
    or is active, so the answer's timing does not tell which user names exist."""
    username = attempt.username
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        check_password_hash(_dummy_password_hash(), password)
        ok = False
    else:
        ok = user.check_password(password)
    if ok:
        db.session.add(LoginAttempt(username=username, ip_address=attempt.ip_address,
                                    succeeded=True, charge_id=attempt.id))
        record("login", actor=user, object_type="users", object_id=user.id)  # type: ignore[union-attr]
        return LoginResult(user)
    record("login_failed", object_type="users", username=username)
    return LoginResult(None)


def clear_login_throttle(user: User, *, actor: User | None) -> None:
    """An admin lets a locked-out user try again: earlier failures under their name no longer
    count (they stay recorded)."""
    user.throttle_cleared_at = utcnow()
    db.session.flush()
    record("login_throttle_cleared", actor=actor, obj=user)


def is_throttled_for(user: User) -> bool:
    """Whether some address is currently locked out for this user (shown to the admin)."""
    cfg = current_app.config
    since = utcnow() - timedelta(seconds=cfg["LOGIN_THROTTLE_WINDOW_SECONDS"])
    if user.throttle_cleared_at is not None:
        since = max(since, user.throttle_cleared_at)
    worst = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.username == user.username, *_failed_since(since))
        .group_by(LoginAttempt.ip_address).order_by(func.count(LoginAttempt.id).desc()).limit(1))
    return (worst or 0) >= cfg["LOGIN_MAX_FAILURES_PER_USER"]


# --- browser sessions ------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, ip_address: str | None) -> str:
    """A new browser login; returns the token the (signed) cookie carries."""
    token = secrets.token_urlsafe(32)
    db.session.add(AuthSession(token_hash=_token_hash(token), user_id=user.id,
                               ip_address=ip_address))
    db.session.flush()
    return token


def session_user(token: str) -> User | None:
    """The user of a live session token, or None (unknown, ended, or the user deactivated)."""
    row = db.session.get(AuthSession, _token_hash(token))
    if row is None or row.ended_at is not None or not row.user.active:
        return None
    return row.user


def end_session(token: str, reason: str = "logout") -> None:
    row = db.session.get(AuthSession, _token_hash(token))
    if row is not None and row.ended_at is None:
        row.ended_at, row.ended_reason = utcnow(), reason
        db.session.flush()


def end_sessions_of(user: User, reason: str, *, keep: str | None = None) -> int:
    """Ends every open browser session of a user (but `keep`, the caller's own token)."""
    stmt = (update(AuthSession)
            .where(AuthSession.user_id == user.id, AuthSession.ended_at.is_(None))
            .values(ended_at=utcnow(), ended_reason=reason))
    if keep is not None:
        stmt = stmt.where(AuthSession.token_hash != _token_hash(keep))
    result = db.session.execute(stmt.execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def change_password(user: User, new_password: str, *, actor: User | None, keep_session: str | None = None,
                    must_change: bool = False) -> None:
    """Sets a password and ends the user's other sessions. An admin's reset (`must_change`)
    makes the user choose a new one at the next login."""
    if len(new_password) < 8:
        raise UserError("La contraseña debe tener al menos 8 caracteres.")
    user.set_password(new_password)
    user.must_change_password = must_change
    end_sessions_of(user, "password", keep=keep_session)
    db.session.flush()
    record("password_reset" if must_change else "password_changed", actor=actor, obj=user)


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
    credential_legal_basis: str | None = None,
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
        credential_legal_basis=credential_legal_basis,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user_created", actor=actor, obj=user, role=role, username=username)
    if credential_number and credential_issued_on and credential_valid_until and credential_issuer:
        _add_credential_record(user, actor=actor)
    return user


def update_user(user: User, *, full_name: str, role: str, sector: Sector | None,
                actor: User | None) -> dict[str, list[str | None]]:
    """Edits a user's name, role and sector (a field user moved to another sector); returns
    and audits what changed."""
    if role not in ROLES:
        raise UserError(f"Rol desconocido: {role}")
    if sector is not None and sector.office_id != user.office_id:
        raise UserError("El sector no es de la oficina del usuario.")
    if actor is not None and user.id == actor.id and role != user.role:
        raise UserError("No puede cambiar su propio rol; pídalo a otro administrador.")
    changes: dict[str, list[str | None]] = {}
    for name, old, new in (("full_name", user.full_name, full_name.strip()),
                           ("role", user.role, role),
                           ("sector", user.sector.code if user.sector else None,
                            sector.code if sector else None)):
        if old != new:
            changes[name] = [old, new]
    user.full_name, user.role, user.sector = full_name.strip(), role, sector
    db.session.flush()
    if changes:
        record("user_updated", actor=actor, obj=user, changes=changes)
    return changes


def set_active(user: User, active: bool, *, actor: User | None) -> None:
    """Deactivates or reactivates a user. A deactivated user's browser sessions end now and
    their phones' tokens are refused at the next request (devices check `active`); reactivating
    lets those phones sync again (revoke a lost phone at /dispositivos/)."""
    if actor is not None and user.id == actor.id and not active:
        raise UserError("No puede desactivar su propia cuenta.")
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions_of(user, "deactivated")
    db.session.flush()
    record("user_reactivated" if active else "user_deactivated", actor=actor, obj=user)


def reset_password(user: User, temporary_password: str, *, actor: User | None) -> None:
    """An admin gives a user a temporary password (e.g. one locked out): the user's sessions
    end, failed logins stop counting, and the next login must choose a new password."""
    change_password(user, temporary_password, actor=actor, must_change=True)
    clear_login_throttle(user, actor=actor)


def renew_credential(user: User, *, number: str, issued_on: date, valid_until: date, issuer: str,
                     legal_basis: str | None, actor: User | None) -> CredentialRecord:
    """Records a new field credential (R-NOT-8, R-PAE-2) and makes it the user's current one.
    The earlier ones stay in the history; phones get the new one at their next pull."""
    number, issuer = number.strip(), issuer.strip()
    if not number or not issuer:
        raise UserError("Escriba el número de credencial y quién la expidió.")
    if valid_until < issued_on:
        raise UserError("La vigencia no puede terminar antes de la fecha de expedición.")
    user.credential_number, user.credential_issued_on = number, issued_on
    user.credential_valid_until, user.credential_issuer = valid_until, issuer
    user.credential_legal_basis = (legal_basis or "").strip() or None
    return _add_credential_record(user, actor=actor)


def _add_credential_record(user: User, *, actor: User | None) -> CredentialRecord:
    assert user.credential_number and user.credential_issued_on and user.credential_valid_until
    assert user.credential_issuer
    row = CredentialRecord(
        user_id=user.id, office_id=user.office_id, number=user.credential_number,
        issued_on=user.credential_issued_on, valid_until=user.credential_valid_until,
        issuer=user.credential_issuer, legal_basis=user.credential_legal_basis,
        recorded_by_id=actor.id if actor is not None else None)
    db.session.add(row)
    db.session.flush()
    # Every pull answer carries the user's current credential (sync/pull.py): no feed mark.
    record("credential_recorded", actor=actor, obj=user, number=row.number,
           valid_until=row.valid_until)
    return row


def credential_version(user: User) -> int:
    """Which of the user's credentials is current, as the server numbered it (0: none recorded).
    The phone keeps the credential with the higher version, whatever its own clock says: a page
    served from its cache and a later pull may carry different ones (R-NOT-8, R-PAE-2)."""
    latest = db.session.scalar(
        select(func.max(CredentialRecord.id)).where(CredentialRecord.user_id == user.id))
    return latest or 0


def credential_history(user: User) -> list[CredentialRecord]:
    return list(db.session.scalars(
        select(CredentialRecord).where(CredentialRecord.user_id == user.id)
        .order_by(CredentialRecord.recorded_at.desc(), CredentialRecord.id.desc())))


def credentials_expiring(office_id: int, today: date, days: int = 30) -> list[User]:
    """Active field users of an office whose credential ends within `days` days or already
    ended: without a valid one every diligence is blocked (R-NOT-8, R-PAE-2)."""
    return list(db.session.scalars(
        select(User).where(User.office_id == office_id, User.active.is_(True),
                           User.role.in_(FIELD_ROLES),
                           (User.credential_valid_until.is_(None))
                           | (User.credential_valid_until <= today + timedelta(days=days)))
        .order_by(User.credential_valid_until.asc().nulls_first(), User.username)))
