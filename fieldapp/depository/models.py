"""Custody of seized goods (workflows.md, Seized item): each sealed good seized in an embargo
is a ``CustodyItem`` whose history (``CustodyEvent``) only moves forward:
on site with the custodian → moved → received at the depository → inventoried → released.
An ``InventoryCount`` is a periodic count of the depository made by scanning seals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.auth.models import User
from fieldapp.db_types import Money, UTCDateTime, utcnow
from fieldapp.extensions import db

CUSTODY_STATES = {
    "on_site": "En el domicilio, con el depositario",
    "moved": "Trasladado",
    "received": "Recibido en la depositaría",
    "inventoried": "Inventariado",
    "released": "Liberado",
}
CUSTODY_RANK = {state: rank for rank, state in enumerate(CUSTODY_STATES)}
IN_DEPOSITORY = ("received", "inventoried")
_STATES_SQL = ",".join(f"'{s}'" for s in CUSTODY_STATES)


class CustodyItem(db.Model):
    """One sealed good of an embargo: item ``item_index`` of the seizure whose first version is
    ``root_id`` (a correction of the record keeps the same item, ``diligence_id`` follows it)."""

    __tablename__ = "custody_items"
    __table_args__ = (
        Index("uq_custody_items_root_item", "root_id", "item_index", unique=True),
        CheckConstraint(f"state IN ({_STATES_SQL})", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    seal_code: Mapped[str] = mapped_column(String(60), index=True)
    seal_id: Mapped[int | None] = mapped_column(ForeignKey("seals.id"), index=True)
    diligence_id: Mapped[str] = mapped_column(ForeignKey("diligences.id"), index=True)
    root_id: Mapped[str] = mapped_column(String(36))
    item_index: Mapped[int]
    category: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    value: Mapped[Decimal | None] = mapped_column(Money())
    custodian_name: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="on_site", index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    events: Mapped[list[CustodyEvent]] = relationship(
        back_populates="item", order_by="CustodyEvent.id", cascade="all, delete-orphan")

    @property
    def state_label(self) -> str:
        return CUSTODY_STATES[self.state]

    def __repr__(self) -> str:
        return f"<CustodyItem {self.seal_code} {self.state}>"


class CustodyEvent(db.Model):
    """A step of a good's custody: what, when it happened (``at``), who did or recorded it,
    where, and when the server learned it (``recorded_at``)."""

    __tablename__ = "custody_events"
    __table_args__ = (CheckConstraint(f"state IN ({_STATES_SQL})", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("custody_items.id"), index=True)
    state: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    location: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    inventory_id: Mapped[int | None] = mapped_column(ForeignKey("inventory_counts.id"))

    item: Mapped[CustodyItem] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()

    @property
    def state_label(self) -> str:
        return CUSTODY_STATES[self.state]


class InventoryCount(db.Model):
    """A periodic count of the depository by scanning seals. While open its report is computed
    from the scans; closing it freezes the report and marks the goods found as inventoried."""

    __tablename__ = "inventory_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    started_by: Mapped[User] = relationship(foreign_keys=[started_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    scans: Mapped[list[InventoryScan]] = relationship(
        back_populates="count", order_by="InventoryScan.id", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class InventoryScan(db.Model):
    __tablename__ = "inventory_scans"
    __table_args__ = (Index("uq_inventory_scans_count_code", "count_id", "code", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("inventory_counts.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    scanned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    count: Mapped[InventoryCount] = relationship(back_populates="scans")
