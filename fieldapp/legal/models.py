"""Legal configuration kept in the database (config, not code: docs/legal-rules.md).

- ``NonBusinessDay``: institutional non-business days (R-CAL-2), per office or for every
  office. Removing one never deletes the row: it records who removed it and when.
- ``OfficeHoursEnablement``: a habilitación de días y horas inhábiles (CFF 13) an office head
  records (R-CAL-3): days, hours and the folio of the authorising document.
- ``LegalParameterSet`` with its ``CostBracketRow``s: the Friday rule (R-CAL-6), the follow-up
  tolerance (R-NOT-5), business hours (R-CAL-3), the cost table and cost base (R-PAE-3), with
  the date they take effect. A change is a new version naming the one it replaces; both tables
  are append-only in the database (the migration adds the triggers).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Time, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.auth.models import User
from fieldapp.db_types import Money, UTCDateTime, utcnow
from fieldapp.extensions import db
from fieldapp.offices.models import Office

COST_BASES = {
    "principal": "Suerte principal (importe histórico del crédito)",
    "total": "Total (principal, actualización y recargos)",
}
BASIS_POINTS = Decimal(10000)


class NonBusinessDay(db.Model):
    """A day the institute declares non-business (R-CAL-2; CFF 12 para 2): for one office, or
    for every office when ``office_id`` is NULL."""

    __tablename__ = "non_business_days"
    __table_args__ = (
        # At most one live row per day and scope; removed rows stay as history.
        Index("uq_non_business_days_office_day_live", "office_id", "day", unique=True,
              sqlite_where=text("removed_at IS NULL AND office_id IS NOT NULL"),
              postgresql_where=text("removed_at IS NULL AND office_id IS NOT NULL")),
        Index("uq_non_business_days_institute_day_live", "day", unique=True,
              sqlite_where=text("removed_at IS NULL AND office_id IS NULL"),
              postgresql_where=text("removed_at IS NULL AND office_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removal_reason: Mapped[str | None] = mapped_column(String(200))

    office: Mapped[Office | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])

    @property
    def is_institute_wide(self) -> bool:
        return self.office_id is None

    @property
    def is_live(self) -> bool:
        return self.removed_at is None

    @property
    def scope_label(self) -> str:
        return "Todo el Instituto" if self.office is None else self.office.name


class OfficeHoursEnablement(db.Model):
    """R-CAL-3 (CFF 13): the authority enables acting on non-business days and hours, from
    ``first_day`` to ``last_day`` between ``hours_from`` and ``hours_to`` (wall time of the
    office, both included), by the document ``folio`` signed by ``signer`` on ``issued_on``.
    A diligence started in that time is not blocked; its finding cites the folio."""

    __tablename__ = "office_hours_enablements"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="days"),
        CheckConstraint("hours_to >= hours_from", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    folio: Mapped[str] = mapped_column(String(40))
    signer: Mapped[str] = mapped_column(String(120))
    issued_on: Mapped[date]
    first_day: Mapped[date]
    last_day: Mapped[date]
    hours_from: Mapped[time] = mapped_column(Time())
    hours_to: Mapped[time] = mapped_column(Time())
    reason: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    office: Mapped[Office] = relationship()
    created_by: Mapped[User | None] = relationship()


class LegalParameterSet(db.Model):
    """One version of an office's legal parameters, in force from ``valid_from`` until a later
    version takes effect. ``office_id`` NULL: the default for every office."""

    __tablename__ = "legal_parameter_sets"
    __table_args__ = (
        CheckConstraint("cost_base IN ('principal','total')", name="cost_base"),
        CheckConstraint("follow_up_tolerance_minutes >= 0", name="tolerance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    valid_from: Mapped[date] = mapped_column(index=True)
    friday_rule: Mapped[bool]  # R-CAL-6 (RACERF 3); whether it applies to cédulas is open
    follow_up_tolerance_minutes: Mapped[int]  # R-NOT-5
    business_hours_start: Mapped[time] = mapped_column(Time())  # R-CAL-3
    business_hours_end: Mapped[time] = mapped_column(Time())
    cost_base: Mapped[str] = mapped_column(String(10))  # R-PAE-3
    # R-GPS-1: a fix farther than this from the address on file asks for a reason (meters).
    gps_warn_distance_m: Mapped[int] = mapped_column(server_default=text("1000"))
    # R-GPS-2: finalizing needs a fix at least this accurate (meters).
    gps_max_accuracy_m: Mapped[int] = mapped_column(server_default=text("100"))
    note: Mapped[str | None] = mapped_column(String(300))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("legal_parameter_sets.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    office: Mapped[Office | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    replaces: Mapped[LegalParameterSet | None] = relationship(remote_side=[id])
    brackets: Mapped[list[CostBracketRow]] = relationship(
        back_populates="parameter_set", order_by="CostBracketRow.valid_from",
        cascade="all, delete-orphan")

    @property
    def scope_label(self) -> str:
        return "Todo el Instituto" if self.office is None else self.office.name


class CostBracketRow(db.Model):
    """R-PAE-3: minimum and maximum of enforcement costs in force from ``valid_from`` to
    ``valid_to`` (both included; NULL: until further notice), as part of one parameter set."""

    __tablename__ = "cost_bracket_rows"
    __table_args__ = (
        CheckConstraint("minimum >= 0 AND minimum <= maximum", name="amounts"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period"),
        CheckConstraint("rate_basis_points > 0 AND rate_basis_points <= 10000", name="rate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parameter_set_id: Mapped[int] = mapped_column(ForeignKey("legal_parameter_sets.id"), index=True)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    minimum: Mapped[Decimal] = mapped_column(Money())
    maximum: Mapped[Decimal] = mapped_column(Money())
    # Exact on every database: 200 basis points = 2 %.
    rate_basis_points: Mapped[int] = mapped_column(default=200)
    note: Mapped[str | None] = mapped_column(String(300))

    parameter_set: Mapped[LegalParameterSet] = relationship(back_populates="brackets")

    @property
    def rate(self) -> Decimal:
        return Decimal(self.rate_basis_points) / BASIS_POINTS
