from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.auth.models import User
from fieldapp.db_types import UTCDateTime, utcnow
from fieldapp.extensions import db

ENROLLMENT_METHODS = {"password": "Usuario y contraseña", "link": "Código QR",
                      "session": "Sesión iniciada"}


class Device(db.Model):
    """One phone enrolled for one field user. Shared phones are the norm: each person who uses
    a phone enrolls it for themselves and gets their own token. Only a SHA-256 of the token is
    kept; revoking is immediate because every request looks the token up again."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID, told to the phone
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_via: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_ip: Mapped[str | None] = mapped_column(String(45))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def enrolled_via_label(self) -> str:
        return ENROLLMENT_METHODS.get(self.enrolled_via, self.enrolled_via)

    def __repr__(self) -> str:
        return f"<Device {self.id[:8]} {self.name!r} user={self.user_id}>"


class EnrollmentLink(db.Model):
    """A one-time link an office head makes for a field user, shown as a QR code: valid for a
    few minutes, consumed by the first phone that uses it."""

    __tablename__ = "enrollment_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])


class FeedClock(db.Model):
    """The single counter of the change feed. A transaction that changes what phones see bumps
    it just before it commits; the row lock it takes is held until the commit, so the counter
    values become visible in the order they were handed out (see fieldapp.devices.feed)."""

    __tablename__ = "feed_clock"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger(), default=0)


class FeedMark(db.Model):
    """The last change, as a feed clock value, of one object some user's phones must hear about
    (an assignment or a diligence). One row per object and user, overwritten on each change."""

    __tablename__ = "feed_marks"
    __table_args__ = (Index("ix_feed_marks_user_seq", "user_id", "seq"),)

    entity: Mapped[str] = mapped_column(String(20), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger())
