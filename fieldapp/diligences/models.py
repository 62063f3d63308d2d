from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.db_types import UTCDateTime, utcnow
from fieldapp.devices.models import Device
from fieldapp.extensions import db
from fieldapp.portfolio.models import Document
from fieldapp.seals.models import seal_flags

DILIGENCE_KINDS = {
    "citatorio": "Citatorio",
    "posting_record": "Constancia de fijación",
    "notification": "Notificación",
    "not_located": "No localizado",
    "payment_demand": "Requerimiento de pago",
    "seizure": "Embargo",
    "seizure_extension": "Ampliación de embargo",
    "localization": "Localización del deudor",
}
REVIEW_STATES = {
    "received": "Recibida",
    "approved": "Aprobada",
    "returned": "Devuelta para corrección",
    "rejected": "Rechazada",
}
CHAIN_STATUSES = {
    "ok": "Cadena íntegra",
    "pending": "Falta recibir el registro anterior del teléfono",
    "broken": "Cadena rota",
}
REVIEW_ACTIONS = {
    "approved": "Aprobó",
    "returned": "Devolvió para corrección",
    "rejected": "Rechazó",
    "comment": "Comentó",
}
# Flags shown to the office head; the record is kept whatever they say (workflows.md: evidence).
FLAG_LABELS = {
    "incomplete": "Faltan fotografías o firmas por recibir",
    "clock_drift": "La hora del teléfono difería de la del servidor",
    "credit_closed": "El crédito ya estaba pagado o cancelado a la hora de la diligencia",
    "assignment_withdrawn": "La asignación ya había sido retirada a la hora de la diligencia",
    "chain_pending": CHAIN_STATUSES["pending"],
    "chain_broken": CHAIN_STATUSES["broken"],
    "legal_block": "El motor legal encontró impedimentos",
    "legal_warn": "El motor legal encontró advertencias",
    "seal_conflict": "Sello usado en otra diligencia",
    "seal_irregular": "Sello desconocido, de otra subdelegación, anulado o asignado a otra persona",
}


class Diligence(db.Model):
    """One version of a diligence record, immutable once received: a correction is a new row
    that names the one it replaces (``replaces_id``), which is then marked superseded.

    ``content`` is the record exactly as the phone hashed it (RFC 8785 canonical form, see
    sync/protocol.py); ``content_hash`` is that hash and ``previous_hash`` the hash of the same
    device's previous record. The other columns are copies of parts of ``content`` for queries,
    plus what the server learned on receipt (time, checks, flags) and the review state."""

    __tablename__ = "diligences"
    __table_args__ = (
        CheckConstraint("review_state IN ('received','approved','returned','rejected')",
                        name="review_state"),
        CheckConstraint("chain_status IN ('ok','pending','broken')", name="chain_status"),
        Index("ix_diligences_device_hash", "device_id", "content_hash"),
        Index("ix_diligences_device_previous", "device_id", "previous_hash"),
        Index("ix_diligences_office_received", "office_id", "received_at"),
        # The review list (fieldapp/review/services.py): current versions of an office, newest
        # first (list, keyset pages, map, date windows) ...
        Index("ix_diligences_office_current_newest", "office_id", "captured_at", "id",
              sqlite_where=text("superseded_by_id IS NULL"),
              postgresql_where=text("superseded_by_id IS NULL")),
        # ... of one field user (their list and map) ...
        Index("ix_diligences_office_current_user", "office_id", "user_id", "captured_at", "id",
              sqlite_where=text("superseded_by_id IS NULL"),
              postgresql_where=text("superseded_by_id IS NULL")),
        # ... with legal impediments (the office head's first filter, 2 % of the rows) ...
        Index("ix_diligences_office_current_blocked", "office_id", "captured_at", "id",
              sqlite_where=text("superseded_by_id IS NULL AND has_block_findings IS 1"),
              postgresql_where=text("superseded_by_id IS NULL AND has_block_findings IS true"),
              postgresql_include=["review_state"]),
        # ... and per review state (the state tabs' capped counts, a state's list). The
        # included columns let the common filters be checked in the index alone.
        Index("ix_diligences_office_current_state", "office_id", "review_state", "captured_at", "id",
              sqlite_where=text("superseded_by_id IS NULL"),
              postgresql_where=text("superseded_by_id IS NULL"),
              postgresql_include=["user_id", "kind", "has_block_findings", "has_warn_findings",
                                  "complete"]),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the phone's UUID
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)

    # Versions: root_id is the first version's id, shared by every correction of it.
    version: Mapped[int] = mapped_column(default=1)
    root_id: Mapped[str] = mapped_column(String(36), index=True)
    replaces_id: Mapped[str | None] = mapped_column(ForeignKey("diligences.id"), unique=True)
    superseded_by_id: Mapped[str | None] = mapped_column(ForeignKey("diligences.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Times: the phone's clock and the server's, both kept (evidence).
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    clock_offset_seconds: Mapped[int] = mapped_column(BigInteger(), default=0)  # phone − server
    clock_drift: Mapped[bool] = mapped_column(default=False)

    gps_latitude: Mapped[float | None]
    gps_longitude: Mapped[float | None]
    gps_accuracy_m: Mapped[float | None]
    gps_fix_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    chain_status: Mapped[str] = mapped_column(String(10), default="ok")
    legal_pack_digest: Mapped[str | None] = mapped_column(String(80))

    media_count: Mapped[int] = mapped_column(default=0)
    complete: Mapped[bool] = mapped_column(default=False, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Server-side legal checks (fieldapp.legal.checks), stored as Finding.to_dict() items.
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    has_block_findings: Mapped[bool] = mapped_column(default=False, index=True)
    has_warn_findings: Mapped[bool] = mapped_column(default=False)
    # R-GPS-1 fired: the fix was farther from the address on file than the office allows (the
    # review list's "Lejos del domicilio" filter).
    far_from_address: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    credit_closed: Mapped[bool] = mapped_column(default=False)
    assignment_withdrawn: Mapped[bool] = mapped_column(default=False)
    server_notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    review_state: Mapped[str] = mapped_column(String(10), default="received", index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    device: Mapped[Device | None] = relationship()
    assignment: Mapped[Assignment] = relationship()
    document: Mapped[Document] = relationship()
    media: Mapped[list[DiligenceMedia]] = relationship(
        back_populates="diligence", order_by="DiligenceMedia.position", cascade="all, delete-orphan")
    review_events: Mapped[list[ReviewEvent]] = relationship(
        back_populates="diligence", order_by="ReviewEvent.id")
    replaces: Mapped[Diligence | None] = relationship(
        foreign_keys=[replaces_id], remote_side="Diligence.id")

    @property
    def facts(self) -> dict[str, Any]:
        return dict(self.content.get("facts") or {})

    @property
    def warning_reasons(self) -> dict[str, str]:
        return dict(self.content.get("warning_reasons") or {})

    @property
    def kind_label(self) -> str:
        return DILIGENCE_KINDS.get(self.kind, self.kind)

    @property
    def review_state_label(self) -> str:
        return REVIEW_STATES[self.review_state]

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def flags(self) -> list[str]:
        """Stable codes of everything the office head should look at (FLAG_LABELS)."""
        flags = []
        if not self.complete:
            flags.append("incomplete")
        if self.clock_drift:
            flags.append("clock_drift")
        if self.credit_closed:
            flags.append("credit_closed")
        if self.assignment_withdrawn:
            flags.append("assignment_withdrawn")
        if self.chain_status != "ok":
            flags.append(f"chain_{self.chain_status}")
        if self.has_block_findings:
            flags.append("legal_block")
        if self.has_warn_findings:
            flags.append("legal_warn")
        flags.extend(seal_flags(self.server_notes))  # fieldapp.seals.services
        return flags

    def __repr__(self) -> str:
        return f"<Diligence {self.id[:8]} v{self.version} {self.kind} {self.review_state}>"


class DiligenceMedia(db.Model):
    """One entry of a record's media manifest; the file itself is a MediaBlob (by hash), which
    may arrive later than the record."""

    __tablename__ = "diligence_media"
    __table_args__ = (Index("uq_diligence_media_position", "diligence_id", "position", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diligence_id: Mapped[str] = mapped_column(ForeignKey("diligences.id"), index=True)
    position: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    bytes: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))

    diligence: Mapped[Diligence] = relationship(back_populates="media")


class ReviewEvent(db.Model):
    """An office head's decision or comment on a diligence: who, when, why. Append-only (the
    migration adds triggers that refuse UPDATE and DELETE)."""

    __tablename__ = "review_events"
    __table_args__ = (
        CheckConstraint("action IN ('approved','returned','rejected','comment')", name="action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    diligence_id: Mapped[str] = mapped_column(ForeignKey("diligences.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    action: Mapped[str] = mapped_column(String(10))
    from_state: Mapped[str] = mapped_column(String(10))
    to_state: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    observations: Mapped[str | None] = mapped_column(Text)

    diligence: Mapped[Diligence] = relationship(back_populates="review_events")
    actor: Mapped[User] = relationship()

    @property
    def action_label(self) -> str:
        return REVIEW_ACTIONS[self.action]
