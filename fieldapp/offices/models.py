from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db_types import UTCDateTime, utcnow
from fieldapp.extensions import db

PHOTO_LONG_EDGES = (1024, 1600, 2048)


class Office(db.Model):
    """A subdelegación. Its time zone decides business hours (R-CAL-3)."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(60))
    timezone: Mapped[str] = mapped_column(String(64), default="America/Mexico_City")
    photo_long_edge: Mapped[int] = mapped_column(default=1600)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sectors: Mapped[list[Sector]] = relationship(
        back_populates="office", order_by="Sector.code", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Office {self.code} {self.name}>"


class Sector(db.Model):
    """A notification sector: the geographic zone used to split field work."""

    __tablename__ = "sectors"
    __table_args__ = (UniqueConstraint("office_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))

    office: Mapped[Office] = relationship(back_populates="sectors")

    @property
    def label(self) -> str:
        return f"{self.code} · {self.name}"
