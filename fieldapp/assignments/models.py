from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.auth.models import User
from fieldapp.db_types import UTCDateTime, utcnow
from fieldapp.extensions import db
from fieldapp.portfolio.models import Address, Document

ASSIGNMENT_STATUSES = {
    "pending": "Pendiente",
    "in_progress": "En proceso",
    "done": "Concluida",
    "returned": "Devuelta para corrección",
    "withdrawn": "Retirada",
}
OPEN_STATUSES = ("pending", "in_progress", "returned")
# What the field user is sent to do: the diligence the document calls for (notify, demand,
# seize), or a localización — finding out where the debtor now is (R-NOT-10).
ASSIGNMENT_KINDS = {
    "diligence": "Diligencia",
    "localization": "Localización del deudor",
}


class Assignment(db.Model):
    """A document given to a field user. Reassigning withdraws this row and opens a new one,
    so the history of who held the document is never overwritten."""

    __tablename__ = "assignments"
    __table_args__ = (
        # At most one live assignment per document.
        Index(
            "uq_assignments_live_document",
            "document_id",
            unique=True,
            sqlite_where=text("status <> 'withdrawn'"),
            postgresql_where=text("status <> 'withdrawn'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Why the office took it back, in Spanish: the phone shows it when it drops the assignment.
    withdrawal_reason: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="diligence", server_default="diligence")
    # Where to go when it is not the document's address: a new address the office head accepted
    # (cambio de domicilio). None: the document's own address.
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))

    document: Mapped[Document] = relationship()
    address: Mapped[Address | None] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])

    @property
    def status_label(self) -> str:
        return ASSIGNMENT_STATUSES[self.status]

    @property
    def kind_label(self) -> str:
        return ASSIGNMENT_KINDS[self.kind]

    @property
    def visit_address(self) -> Address:
        """The address the field user goes to (the phone, the GPS rules, the worklist)."""
        return self.address if self.address is not None else self.document.address

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today
