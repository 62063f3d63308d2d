from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db_types import Money, UTCDateTime, utcnow
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector

PERSON_TYPES = {"company": "Persona moral", "person": "Persona física"}

# Where an address comes from matters in court (R-NOT-2): cédulas go to the fiscal address.
ADDRESS_ORIGINS = {
    "fiscal": "Domicilio fiscal",
    "rfc": "Domicilio del RFC",
    "employer_registration": "Domicilio del registro patronal",
    "designated": "Domicilio señalado",
    # A new address reported by a not-located visit or a localización and accepted by the
    # office head (R-NOT-10; manual function 000-45): a new row, the old ones stay.
    "change_of_address": "Cambio de domicilio",
}

CONCEPTS = {
    "cop": "Cuotas obrero-patronales",
    "rcv": "Retiro, cesantía y vejez",
    "capital_constitutivo": "Capital constitutivo",
    "multa": "Multa",
    "gastos": "Gastos por inscripción improcedente",
}

DOCUMENT_KINDS = {
    "liquidation_certificate": "Cédula de liquidación",
    "fine": "Multa",
    "resolution": "Resolución",
    "payment_demand": "Requerimiento",
    "execution_order": "Mandamiento de ejecución",
}

# Credit life cycle (workflows.md). Rank decides "forward": a credit never moves back.
CREDIT_STATUSES = {
    "issued": "Emitido",
    "to_notify": "Por notificar",
    "notified": "Notificado",
    "in_clarification": "En aclaración",
    "challenged": "Impugnado",
    "enforceable": "Exigible",
    "demanded": "Requerido",
    "seized": "Embargado",
    "paid": "Pagado",
    "cancelled": "Cancelado",
}

document_credits = Table(
    "document_credits",
    db.metadata,
    Column("document_id", ForeignKey("documents.id"), primary_key=True),
    Column("credit_id", ForeignKey("credits.id"), primary_key=True),
)


class Debtor(db.Model):
    """A patrón: person or company that owes contributions."""

    __tablename__ = "debtors"
    __table_args__ = (UniqueConstraint("office_id", "rfc"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    person_type: Mapped[str] = mapped_column(String(10))
    rfc: Mapped[str] = mapped_column(String(13))
    curp: Mapped[str | None] = mapped_column(String(18))
    legal_representative: Mapped[str | None] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    office: Mapped[Office] = relationship()
    registrations: Mapped[list[EmployerRegistration]] = relationship(
        back_populates="debtor", cascade="all, delete-orphan", order_by="EmployerRegistration.number"
    )
    addresses: Mapped[list[Address]] = relationship(
        back_populates="debtor", cascade="all, delete-orphan", order_by="Address.id"
    )

    @property
    def person_type_label(self) -> str:
        return PERSON_TYPES[self.person_type]


class EmployerRegistration(db.Model):
    """Registro patronal: 1 letter + 10 digits, the last a check digit."""

    __tablename__ = "employer_registrations"
    __table_args__ = (UniqueConstraint("debtor_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id"), index=True)
    number: Mapped[str] = mapped_column(String(11))

    debtor: Mapped[Debtor] = relationship(back_populates="registrations")


class Address(db.Model):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id"), index=True)
    origin: Mapped[str] = mapped_column(String(30))
    street: Mapped[str] = mapped_column(String(160))
    exterior_number: Mapped[str] = mapped_column(String(20))
    interior_number: Mapped[str | None] = mapped_column(String(20))
    neighborhood: Mapped[str] = mapped_column(String(120))
    municipality: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(60))
    postal_code: Mapped[str] = mapped_column(String(5))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"), index=True)
    # The diligence that reported this address (origin "change_of_address"), else None.
    # use_alter: diligences reach addresses through their documents, so this key closes a loop
    # that table creation must break (the constraint is added after both tables exist).
    source_diligence_id: Mapped[str | None] = mapped_column(
        ForeignKey("diligences.id", use_alter=True,
                   name="fk_addresses_source_diligence_id_diligences"))

    debtor: Mapped[Debtor] = relationship(back_populates="addresses")
    sector: Mapped[Sector | None] = relationship()

    @property
    def origin_label(self) -> str:
        return ADDRESS_ORIGINS[self.origin]

    @property
    def one_line(self) -> str:
        interior = f" Int. {self.interior_number}" if self.interior_number else ""
        return (
            f"{self.street} {self.exterior_number}{interior}, Col. {self.neighborhood}, "
            f"C.P. {self.postal_code}, {self.municipality}, {self.state}"
        )

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Credit(db.Model):
    """A crédito fiscal. Its status only moves forward (see portfolio.services)."""

    __tablename__ = "credits"
    __table_args__ = (UniqueConstraint("office_id", "credit_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id"), index=True)
    credit_number: Mapped[str] = mapped_column(String(20))
    concept: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(7))
    principal: Mapped[Decimal] = mapped_column(Money())
    inflation_adjustment: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    surcharges: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    issued_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="issued", index=True)
    notified_on: Mapped[date | None]
    takes_effect_on: Mapped[date | None]
    payment_deadline: Mapped[date | None] = mapped_column(index=True)
    # What else the enforcement gate (R-DL-2) must know lives in credit_situations
    # (fieldapp/credits): payments, guarantees, suspensions, clarifications, cancellations.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    debtor: Mapped[Debtor] = relationship()
    documents: Mapped[list[Document]] = relationship(
        secondary=document_credits, back_populates="credits"
    )
    status_changes: Mapped[list[CreditStatusChange]] = relationship(
        back_populates="credit", order_by="CreditStatusChange.id", cascade="all, delete-orphan"
    )

    @property
    def total(self) -> Decimal:
        return self.principal + self.inflation_adjustment + self.surcharges

    @property
    def status_label(self) -> str:
        return CREDIT_STATUSES[self.status]

    @property
    def concept_label(self) -> str:
        return CONCEPTS.get(self.concept, self.concept)


class CreditStatusChange(db.Model):
    """History of a credit's status, also exported to the institutional systems."""

    __tablename__ = "credit_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_id: Mapped[int] = mapped_column(ForeignKey("credits.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(String(300))

    credit: Mapped[Credit] = relationship(back_populates="status_changes")


class Document(db.Model):
    """An act to notify or execute (cédula, multa, mandamiento…), covering one or more credits."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("office_id", "folio"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id"), index=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
    kind: Mapped[str] = mapped_column(String(30))
    folio: Mapped[str] = mapped_column(String(40))
    issuing_authority: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]

    debtor: Mapped[Debtor] = relationship()
    address: Mapped[Address] = relationship()
    credits: Mapped[list[Credit]] = relationship(
        secondary=document_credits, back_populates="documents", order_by="Credit.credit_number"
    )

    @property
    def kind_label(self) -> str:
        return DOCUMENT_KINDS.get(self.kind, self.kind)

    @property
    def total(self) -> Decimal:
        return sum((c.total for c in self.credits), Decimal("0.00"))
