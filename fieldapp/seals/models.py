"""Seal labels (R-PAE-8): the office issues sheets of unique codes, gives them to an executor,
and the executor sticks one on each seized good. A seal is used once; every use a seizure record
reports is kept (``SealUse``), so a seal two phones used offline shows both diligences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.auth.models import User
from fieldapp.db_types import UTCDateTime, utcnow
from fieldapp.extensions import db
from fieldapp.offices.models import Office

SEAL_STATUSES = {
    "issued": "Emitido",
    "assigned": "Asignado",
    "used": "Usado",
    "void": "Anulado",
    "conflict": "Usado en dos diligencias",
}
# What the server found wrong with a seal a seizure record names (server_notes["seals"]).
# "reused" is a conflict (flag seal_conflict); the others are irregular (flag seal_irregular).
SEAL_PROBLEMS = {
    "reused": "El sello ya fue usado en otra diligencia",
    "repeated": "El mismo sello aparece en dos bienes de esta diligencia",
    "invalid": "El código de sello no es válido (formato o carácter verificador)",
    "unknown": "El sello no fue emitido por esta subdelegación",
    "other_office": "El sello pertenece a otra subdelegación",
    "not_assigned": "El sello no estaba asignado a quien lo usó",
    "void": "El sello estaba anulado",
}
CONFLICT_PROBLEMS = frozenset({"reused", "repeated"})


def seal_flags(server_notes: dict[str, Any] | None) -> list[str]:
    """The review flags a record's seal problems raise (diligences.models.FLAG_LABELS)."""
    problems = {p.get("problem") for p in (server_notes or {}).get("seals") or []}
    flags = []
    if problems & CONFLICT_PROBLEMS:
        flags.append("seal_conflict")
    if problems - CONFLICT_PROBLEMS:
        flags.append("seal_irregular")
    return flags


class SealCounter(db.Model):
    """The last serial issued per office: one row per office, bumped with a single UPDATE …
    RETURNING so two office heads issuing sheets at once never get the same serials."""

    __tablename__ = "seal_counters"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    last_serial: Mapped[int] = mapped_column(default=0)


class SealSheet(db.Model):
    """One printed sheet of consecutive seal codes."""

    __tablename__ = "seal_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    first_serial: Mapped[int]
    last_serial: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    office: Mapped[Office] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    seals: Mapped[list[Seal]] = relationship(back_populates="sheet", order_by="Seal.serial")

    @property
    def count(self) -> int:
        return self.last_serial - self.first_serial + 1


class Seal(db.Model):
    __tablename__ = "seals"
    __table_args__ = (
        UniqueConstraint("office_id", "serial", name="uq_seals_office_serial"),
        CheckConstraint("status IN ('issued','assigned','used','void','conflict')",
                        name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    serial: Mapped[int]
    sheet_id: Mapped[int] = mapped_column(ForeignKey("seal_sheets.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="issued", index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The first diligence that used it and the item's position in its seizure.
    used_by_diligence_id: Mapped[str | None] = mapped_column(ForeignKey("diligences.id"))
    used_item_index: Mapped[int | None]
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sheet: Mapped[SealSheet] = relationship(back_populates="seals")
    assigned_to: Mapped[User | None] = relationship()
    uses: Mapped[list[SealUse]] = relationship(back_populates="seal", order_by="SealUse.id")

    @property
    def status_label(self) -> str:
        return SEAL_STATUSES[self.status]

    def __repr__(self) -> str:
        return f"<Seal {self.code} {self.status}>"


class SealUse(db.Model):
    """A seizure record said this code is on one of its goods. Kept for unknown codes too
    (``seal_id`` null): evidence is never dropped."""

    __tablename__ = "seal_uses"
    __table_args__ = (
        Index("uq_seal_uses_diligence_item", "diligence_id", "item_index", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    code: Mapped[str] = mapped_column(String(60), index=True)
    seal_id: Mapped[int | None] = mapped_column(ForeignKey("seals.id"), index=True)
    diligence_id: Mapped[str] = mapped_column(ForeignKey("diligences.id"))
    root_id: Mapped[str] = mapped_column(String(36), index=True)  # the diligence's first version
    item_index: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    problem: Mapped[str | None] = mapped_column(String(20))

    seal: Mapped[Seal | None] = relationship(back_populates="uses")
    user: Mapped[User] = relationship()

    @property
    def problem_label(self) -> str | None:
        return SEAL_PROBLEMS.get(self.problem) if self.problem else None
