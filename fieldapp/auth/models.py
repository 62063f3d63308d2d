from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from fieldapp.db_types import UTCDateTime, utcnow
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector

ROLES = ("notifier", "executor", "supervisor", "admin")
FIELD_ROLES = ("notifier", "executor")
ROLE_LABELS = {
    "notifier": "Notificador(a)",
    "executor": "Ejecutor(a)",
    "supervisor": "Jefe(a) de oficina",
    "admin": "Administrador(a)",
}


class User(db.Model):
    """A person of one office. Field users carry the credential data every acta shows
    (R-NOT-8, R-PAE-2)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('notifier','executor','supervisor','admin')",
                                      name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"))
    credential_number: Mapped[str | None] = mapped_column(String(40))
    credential_issued_on: Mapped[date | None]
    credential_valid_until: Mapped[date | None]
    credential_issuer: Mapped[str | None] = mapped_column(String(160))
    credential_legal_basis: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # An admin reset the password: the next login must choose a new one before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Failed logins before this moment no longer count (an admin unlocked the account).
    throttle_cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    office: Mapped[Office] = relationship()
    sector: Mapped[Sector | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_field_user(self) -> bool:
        return self.role in FIELD_ROLES

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def credential_valid_on(self, day: date) -> bool:
        return (
            self.credential_number is not None
            and self.credential_valid_until is not None
            and (self.credential_issued_on is None or self.credential_issued_on <= day)
            and day <= self.credential_valid_until
        )

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginAttempt(db.Model):
    """Every login attempt, kept to throttle guessing (per user name and per address)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), index=True)
    ip_address: Mapped[str] = mapped_column(String(45), index=True)
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Rows are never updated (a backup taken while serving must see each row as it stays): an
    # attempt is charged as a failure before its password is checked, and a correct password
    # adds a success row pointing at that charge, which then no longer counts as a failure.
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("login_attempts.id"), unique=True)


class AuthSession(db.Model):
    """One browser login, server side. The signed cookie carries only a random token; the row
    (found by the token's SHA-256) says whether that login still stands, so logout, a password
    change or a deactivation ends every copy of the cookie at its next request."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class CredentialRecord(db.Model):
    """Each field credential a user has held (R-NOT-8, R-PAE-2), oldest first: a renewal adds a
    row and copies it onto the user; rows are never changed (append-only triggers)."""

    __tablename__ = "user_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date]
    valid_until: Mapped[date]
    issuer: Mapped[str] = mapped_column(String(160))
    legal_basis: Mapped[str | None] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
