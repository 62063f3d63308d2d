from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
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


SECTOR_KINDS = {
    "regular": "Sector de notificación",
    # Manual de organización, Oficina de Emisión y Pago Oportuno, función 3: "créditos fiscales
    # ubicados en sectores especiales de notificación" are controlled apart.
    "special": "Sector especial de notificación",
}


class Sector(db.Model):
    """A notification sector: the geographic zone used to split field work, optionally drawn
    as a polygon (GeoJSON geometry, longitude first)."""

    __tablename__ = "sectors"
    __table_args__ = (UniqueConstraint("office_id", "code"),
                      CheckConstraint("kind IN ('regular','special')", name="kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="regular", server_default="regular")
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    @property
    def kind_label(self) -> str:
        return SECTOR_KINDS[self.kind]

    office: Mapped[Office] = relationship(back_populates="sectors")

    @property
    def label(self) -> str:
        return f"{self.code} · {self.name}"
