"""What the office knows about a credit's legal life besides its status: every notification
that counted (the ledger its dates are computed from), the situations that close the
enforcement gate (R-DL-2), the notifications by estrados (R-NOT-12) and the flags an office
head must resolve. Nothing here is deleted: a void notification, an ended situation or a
resolved flag keeps its row with who, when and why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.db_types import Money, UTCDateTime, utcnow
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.portfolio.models import Address, Credit, Document

NOTIFICATION_SOURCES = {
    "diligence": "Notificación personal",
    "estrados": "Notificación por estrados",
    "demo": "Datos de demostración",
    "before_ledger": "Registrada antes del historial de notificaciones",
}


class CreditNotification(db.Model):
    """One notification of a credit that the law lets count (R-NOT-11): a personal notification
    received in the field, or one by estrados (R-NOT-12). The credit's dates are those of the
    latest valid row; voiding a row (its diligence rejected or corrected) recomputes them."""

    __tablename__ = "credit_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_id: Mapped[int] = mapped_column(ForeignKey("credits.id"), index=True)
    notified_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(30))
    diligence_id: Mapped[str | None] = mapped_column(ForeignKey("diligences.id"), index=True)
    estrados_case_id: Mapped[int | None] = mapped_column(ForeignKey("estrados_cases.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(String(300))

    credit: Mapped[Credit] = relationship()
    # Relationships (not only foreign keys) so a flush inserts the diligence and the case first.
    diligence: Mapped[Diligence | None] = relationship()
    estrados_case: Mapped[EstradosCase | None] = relationship()

    @property
    def is_valid(self) -> bool:
        return self.voided_at is None

    @property
    def source_label(self) -> str:
        return NOTIFICATION_SOURCES.get(self.source, self.source)


FLAG_KINDS = {
    "voided_notification": "Notificación anulada con actos que dependían de ella",
}


class CreditFlag(db.Model):
    """Something the office head must decide about a credit the app would not change on its
    own, with what depended on it (``details``)."""

    __tablename__ = "credit_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    credit_id: Mapped[int] = mapped_column(ForeignKey("credits.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(String(600))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    diligence_id: Mapped[str | None] = mapped_column(ForeignKey("diligences.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(String(300))

    credit: Mapped[Credit] = relationship()
    resolved_by: Mapped[User | None] = relationship()
    diligence: Mapped[Diligence | None] = relationship()

    @property
    def kind_label(self) -> str:
        return FLAG_KINDS.get(self.kind, self.kind)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


# Credit situations (manual functions 000-5, 000-36, 003-7) ------------------------------------

SITUATION_KINDS = {
    "payment": "Pago",
    "guarantee": "Garantía del interés fiscal",
    "suspension": "Suspensión del procedimiento",
    "clarification": "Aclaración administrativa",
    "cancellation": "Cancelación",
}
SITUATION_SUBKINDS = {
    "payment": {"full": "Pago total", "partial": "Pago parcial"},
    "guarantee": {"deposit": "Billete de depósito", "bond": "Fianza", "mortgage": "Hipoteca",
                  "pledge": "Prenda", "seizure": "Embargo en la vía administrativa",
                  "other": "Otra forma (CFF 141)"},
    "suspension": {"appeal": "Medio de defensa interpuesto en tiempo",
                   "court": "Suspensión otorgada por autoridad judicial",
                   "insolvency": "Concurso mercantil",
                   "instalments": "Convenio de pago en parcialidades",
                   "unspecified": "Sin especificar (registrada antes del historial)"},
    "clarification": {"filed": "Aclaración presentada (LSS 39-D)"},
    "cancellation": {"cancelled": "Cancelación del crédito"},
}
# Situations that close the R-DL-2 gate while they last (a partial payment does not).
GATE_CLOSING_KINDS = ("guarantee", "suspension", "clarification")
# Situations that end the credit (no end date: the status is final).
CLOSING_KINDS = ("payment", "cancellation")
SITUATION_SOURCES = {"office": "Captura en oficina", "import": "Archivo del sistema institucional"}


class CreditSituation(db.Model):
    """A fact about a credit from outside the field: a payment, a guarantee, a suspension, a
    clarification or a cancellation, with the document it comes from. Gate-closing situations
    last from ``starts_on`` until the day before ``ends_on`` (the day it was lifted)."""

    __tablename__ = "credit_situations"
    __table_args__ = (UniqueConstraint("credit_id", "kind", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    credit_id: Mapped[int] = mapped_column(ForeignKey("credits.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    subkind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    amount: Mapped[Decimal | None] = mapped_column(Money())
    reference: Mapped[str] = mapped_column(String(60))
    source_document: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10))
    answer_due_on: Mapped[date | None]  # clarification: R-DL-3, 20 business days
    end_reason: Mapped[str | None] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    credit: Mapped[Credit] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def kind_label(self) -> str:
        return SITUATION_KINDS[self.kind]

    @property
    def subkind_label(self) -> str:
        return SITUATION_SUBKINDS[self.kind].get(self.subkind, self.subkind)

    @property
    def source_label(self) -> str:
        return SITUATION_SOURCES.get(self.source, self.source)

    @property
    def closes_gate(self) -> bool:
        return self.kind in GATE_CLOSING_KINDS

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


# Estrados (CFF 134 III, 139; R-NOT-6, R-NOT-10, R-NOT-12) -------------------------------------

ESTRADOS_REASONS = {
    "refused": "Negativa a recibir en la diligencia de seguimiento (R-NOT-6)",
    "not_located": "Deudor no localizado en el domicilio (R-NOT-10)",
}
ESTRADOS_STATES = {
    "queued": "Por acordar",
    "agreed": "Acuerdo emitido",
    "published": "Publicado",
    "notified": "Notificado por estrados",
    "superseded": "Sin efecto: notificación personal anterior",
}
ESTRADOS_OPEN_STATES = ("queued", "agreed", "published")


class EstradosCase(db.Model):
    """A document that goes to estrados because its personal notification was refused or the
    debtor was not located: the office head's acuerdo, the fijación in the office, the
    electronic publication and the retiro; its notification date follows R-NOT-12."""

    __tablename__ = "estrados_cases"
    # An acuerdo's number is unique within its office (several NULLs: cases not yet agreed).
    __table_args__ = (UniqueConstraint("office_id", "agreement_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    diligence_id: Mapped[str] = mapped_column(ForeignKey("diligences.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    agreement_number: Mapped[str | None] = mapped_column(String(60))
    agreement_on: Mapped[date | None]
    agreement_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    posted_on: Mapped[date | None]  # fijación in the office's estrados
    published_on: Mapped[date | None]  # electronic publication
    retired_on: Mapped[date | None]  # retiro
    notification_on: Mapped[date | None]  # R-NOT-12
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reason: Mapped[str | None] = mapped_column(String(300))
    # The personal notification that closed the case ("superseded"); when the office head
    # rejects it, the case is reinstated (``reinstated_at``) in the state it had reached.
    superseded_by_diligence_id: Mapped[str | None] = mapped_column(ForeignKey("diligences.id"))
    reinstated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship()
    agreement_by: Mapped[User | None] = relationship()
    diligence: Mapped[Diligence] = relationship(foreign_keys=[diligence_id])

    @property
    def reason_label(self) -> str:
        return ESTRADOS_REASONS[self.reason]

    @property
    def state_label(self) -> str:
        return ESTRADOS_STATES[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in ESTRADOS_OPEN_STATES


# Cambio de domicilio (R-NOT-10; manual function 000-45) ---------------------------------------

PROPOSAL_SOURCES = {
    "not_located": "Diligencia de no localización",
    "localization": "Localización del deudor",
}
PROPOSAL_STATES = {
    "proposed": "Por decidir",
    "accepted": "Aceptado",
    "dismissed": "Descartado",
}


class AddressProposal(db.Model):
    """A new address of the debtor reported by an approved diligence — a not-located visit
    (given by neighbours or found on site) or a localización — waiting for the office head.
    Accepting adds it to the debtor's addresses as a new row (origin "change_of_address") and
    assigns the document there; dismissing keeps the row with the reason. Nothing is
    overwritten: the address as reported stays here, whatever is decided."""

    __tablename__ = "address_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    diligence_id: Mapped[str] = mapped_column(ForeignKey("diligences.id"), unique=True)
    source: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    street: Mapped[str] = mapped_column(String(160))
    exterior_number: Mapped[str] = mapped_column(String(20))
    interior_number: Mapped[str | None] = mapped_column(String(20))
    neighborhood: Mapped[str | None] = mapped_column(String(120))
    municipality: Mapped[str] = mapped_column(String(120))
    state_name: Mapped[str | None] = mapped_column(String(60))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    informant: Mapped[str | None] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dismiss_reason: Mapped[str | None] = mapped_column(String(300))
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))

    document: Mapped[Document] = relationship()
    diligence: Mapped[Diligence] = relationship()
    decided_by: Mapped[User | None] = relationship()
    address: Mapped[Address | None] = relationship()
    assignment: Mapped[Assignment | None] = relationship()

    @property
    def source_label(self) -> str:
        return PROPOSAL_SOURCES[self.source]

    @property
    def state_label(self) -> str:
        return PROPOSAL_STATES[self.state]

    @property
    def one_line(self) -> str:
        interior = f" Int. {self.interior_number}" if self.interior_number else ""
        parts = [f"{self.street} {self.exterior_number}{interior}"]
        if self.neighborhood:
            parts.append(f"Col. {self.neighborhood}")
        if self.postal_code:
            parts.append(f"C.P. {self.postal_code}")
        parts.append(self.municipality)
        if self.state_name:
            parts.append(self.state_name)
        return ", ".join(parts)
