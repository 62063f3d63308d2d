from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

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
