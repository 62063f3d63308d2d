"""The legal rules engine applied to the database: each office's calendar and parameters, the
dates of a credit's life, and the enforcement gate.

Nothing here caches beyond one call: every computation reads the configuration rows afresh, so
a change of an institutional day (R-CAL-2) or of a parameter applies to every computation made
after it. When a change can move a stored date (a credit's payment deadline), the change
recomputes the dates it touches in the same transaction (``refresh_deadlines``).

Until an office or the institute saves a parameter version, the defaults shipped with the code
apply (``DEFAULT_PARAMETERS``); nothing is seeded in the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.credits.models import CreditNotification, CreditSituation
from fieldapp.db_types import utcnow
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.calendar import DEFAULT_HOURS_END, DEFAULT_HOURS_START, BusinessCalendar, HoursEnablement
from fieldapp.legal.checks import (
    DEFAULT_GPS_MAX_ACCURACY_M,
    DEFAULT_GPS_WARN_DISTANCE_M,
    DEFAULT_TOLERANCE_MINUTES,
    CheckParams,
)
from fieldapp.legal.costs import DEFAULT_COST_TABLE, CostBracket
from fieldapp.legal.deadlines import enforcement_gate, payment_deadline, takes_effect_on
from fieldapp.legal.messages import fmt_date
from fieldapp.legal.models import (
    BASIS_POINTS,
    COST_BASES,
    CostBracketRow,
    LegalParameterSet,
    NonBusinessDay,
    OfficeHoursEnablement,
)
from fieldapp.legal.pack import DEFAULT_PACK_DAYS, field_pack
from fieldapp.offices.models import PHOTO_LONG_EDGES, Office
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Credit, Document
from fieldapp.portfolio.services import STATUS_RANK, advance_credit_status, advance_credit_statuses

SATURDAY = 5
MAX_TOLERANCE_MINUTES = 120
MAX_GPS_WARN_DISTANCE_M = 50_000  # R-GPS-1: beyond 50 km the rule would say nothing useful
MAX_GPS_ACCURACY_M = 1_000  # R-GPS-2
DEFAULT_COST_BASE = "total"
# A credit between notification and the enforcement gate: its dates still follow the calendar.
AWAITING_GATE = ("notified", "in_clarification", "challenged")
# Documents that start or continue enforcement: assignable only for enforceable credits (R-DL-2).
ENFORCEMENT_DOCUMENT_KINDS = ("execution_order", "payment_demand")
ENFORCEABLE_OR_LATER = ("enforceable", "demanded", "seized")

FRIDAY_RULE_NOTE = ("Punto abierto: está por confirmar con el área jurídica si la regla del viernes "
                    "del RACERF (art. 3) se aplica al plazo de pago de las cédulas (R-CAL-6).")
COST_BASE_NOTE = ("La base de los gastos de ejecución (suerte principal o total del crédito) es un "
                  "ajuste de la oficina (R-PAE-3).")
SAT_DAYS_NOTE = ("El SAT publicó como inhábiles el 2 y 3 de abril de 2026 y del 18 de diciembre de "
                 "2025 al 2 de enero de 2026; los días propios del Instituto debe capturarlos la "
                 "oficina (R-CAL-2).")


class LegalConfigError(DomainError):
    """A configuration change that cannot be made; the message is for the admin (Spanish)."""

    code = "legal_config_invalid"
    status = 422


# Parameters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalParameters:
    """The legal parameters in force for one office on one date."""

    friday_rule: bool  # R-CAL-6
    follow_up_tolerance_minutes: int  # R-NOT-5
    business_hours_start: time  # R-CAL-3
    business_hours_end: time
    cost_base: str  # R-PAE-3
    cost_table: tuple[CostBracket, ...]
    valid_from: date | None = None  # None: the defaults shipped with the code
    version_id: int | None = None
    office_id: int | None = None  # scope of the version; None: institute-wide or code default
    gps_warn_distance_m: int = DEFAULT_GPS_WARN_DISTANCE_M  # R-GPS-1
    gps_max_accuracy_m: int = DEFAULT_GPS_MAX_ACCURACY_M  # R-GPS-2

    @property
    def is_code_default(self) -> bool:
        return self.version_id is None

    @property
    def is_institute_wide(self) -> bool:
        return self.office_id is None

    @property
    def cost_base_label(self) -> str:
        return COST_BASES[self.cost_base]


DEFAULT_PARAMETERS = LegalParameters(
    friday_rule=True,
    follow_up_tolerance_minutes=DEFAULT_TOLERANCE_MINUTES,
    business_hours_start=DEFAULT_HOURS_START,
    business_hours_end=DEFAULT_HOURS_END,
    cost_base=DEFAULT_COST_BASE,
    cost_table=DEFAULT_COST_TABLE,
)


def _parameters_of(version: LegalParameterSet) -> LegalParameters:
    return LegalParameters(
        friday_rule=version.friday_rule,
        follow_up_tolerance_minutes=version.follow_up_tolerance_minutes,
        business_hours_start=version.business_hours_start,
        business_hours_end=version.business_hours_end,
        cost_base=version.cost_base,
        cost_table=tuple(
            CostBracket(b.valid_from, b.valid_to, b.minimum, b.maximum, b.rate, b.note or "")
            for b in version.brackets
        ),
        valid_from=version.valid_from,
        version_id=version.id,
        office_id=version.office_id,
        gps_warn_distance_m=version.gps_warn_distance_m,
        gps_max_accuracy_m=version.gps_max_accuracy_m,
    )


def parameter_versions(office: Office | None) -> list[LegalParameterSet]:
    """Every version that may apply to ``office`` (its own and the institute's), newest
    effective date first; on the same date the office's own before the institute's, and the
    later saved before the earlier (a correction on the same date wins)."""
    scope = (LegalParameterSet.office_id.is_(None) if office is None
             else or_(LegalParameterSet.office_id == office.id, LegalParameterSet.office_id.is_(None)))
    stmt = (
        select(LegalParameterSet)
        .where(scope)
        .options(selectinload(LegalParameterSet.brackets), joinedload(LegalParameterSet.created_by))
        .order_by(LegalParameterSet.valid_from.desc(), LegalParameterSet.office_id.is_(None),
                  LegalParameterSet.id.desc())
    )
    return list(db.session.scalars(stmt))


def _in_force(versions: Sequence[LegalParameterSet], on: date) -> LegalParameterSet | None:
    return next((v for v in versions if v.valid_from <= on), None)


class ParameterHistory:
    """The versions of one office loaded once, to answer "in force on date X" many times within
    one computation (a recomputation of many credits)."""

    def __init__(self, office: Office | None) -> None:
        self._versions = parameter_versions(office)

    def version_on(self, on: date) -> LegalParameterSet | None:
        return _in_force(self._versions, on)

    def on(self, on: date) -> LegalParameters:
        version = self.version_on(on)
        return DEFAULT_PARAMETERS if version is None else _parameters_of(version)


def parameters_for(office: Office, on: date) -> LegalParameters:
    """The parameters in force for ``office`` on ``on``: the version with the latest effective
    date not after ``on`` (the office's own or the institute's), else the code defaults."""
    return ParameterHistory(office).on(on)


def cost_table_for(office: Office, on: date | None = None) -> tuple[CostBracket, ...]:
    """R-PAE-3: the cost brackets of the parameter version in force (today by default)."""
    return parameters_for(office, on or office_today(office)).cost_table


def enforcement_cost_base(credit: Credit, params: LegalParameters) -> Decimal:
    """R-PAE-3: the amount the 2 % applies to, per the office's cost base setting."""
    return credit.principal if params.cost_base == "principal" else credit.total


# Calendar -----------------------------------------------------------------------------------


def _live_days_scope(office_ids: Iterable[int] | None):  # type: ignore[no-untyped-def]
    """Live institutional days of the given offices and of the whole institute."""
    scope = NonBusinessDay.office_id.is_(None)
    if office_ids is not None:
        scope = or_(scope, NonBusinessDay.office_id.in_(list(office_ids)))
    return NonBusinessDay.removed_at.is_(None), scope


def institutional_days(office: Office) -> dict[date, str]:
    """R-CAL-2: the live institutional non-business days of ``office`` and of the institute,
    with the reason each shows (an office's own description wins on the same day)."""
    stmt = (select(NonBusinessDay).where(*_live_days_scope([office.id]))
            .order_by(NonBusinessDay.day, NonBusinessDay.office_id.is_(None)))
    days: dict[date, str] = {}
    for row in db.session.scalars(stmt):
        days.setdefault(row.day, f"Día inhábil institucional: {row.description} (CFF 12, párr. 2)")
    return days


def calendar_for(office: Office, on: date | None = None) -> BusinessCalendar:
    """The office's business calendar: CFF 12 days (R-CAL-1) plus the institutional days of the
    office and of the institute (R-CAL-2), in the office's time zone, with the business hours
    in force on ``on`` (today by default; R-CAL-3). Built afresh on every call."""
    params = parameters_for(office, on or office_today(office))
    return _calendar(office, params)


def check_params_for(office: Office, on: date) -> CheckParams:
    """What the field checks of ``office`` need on ``on``: its calendar and the parameters in
    force (R-NOT-5 tolerance, R-GPS-1 and R-GPS-2 limits)."""
    params = parameters_for(office, on)
    return CheckParams(calendar=_calendar(office, params),
                       follow_up_tolerance_minutes=params.follow_up_tolerance_minutes,
                       gps_warn_distance_m=params.gps_warn_distance_m,
                       gps_max_accuracy_m=params.gps_max_accuracy_m)


def _calendar(office: Office, params: LegalParameters) -> BusinessCalendar:
    return BusinessCalendar(institutional_days(office), tz=office.timezone,
                            hours_start=params.business_hours_start,
                            hours_end=params.business_hours_end,
                            enablements=[_as_enablement(row) for row in hours_enablements_of(office)])


def _as_enablement(row: OfficeHoursEnablement) -> HoursEnablement:
    return HoursEnablement(row.folio, row.first_day, row.last_day, row.hours_from, row.hours_to)


def hours_enablements_of(office: Office) -> list[OfficeHoursEnablement]:
    """R-CAL-3: the habilitaciones (CFF 13) the office recorded, the latest days first."""
    return list(db.session.scalars(
        select(OfficeHoursEnablement).where(OfficeHoursEnablement.office_id == office.id)
        .order_by(OfficeHoursEnablement.last_day.desc(), OfficeHoursEnablement.id.desc())))


def record_hours_enablement(office: Office, *, folio: str, signer: str, issued_on: date,
                            first_day: date, last_day: date, hours_from: time, hours_to: time,
                            reason: str, actor: User | None) -> OfficeHoursEnablement:
    """R-CAL-3 (CFF 13): records a habilitación de días y horas inhábiles. It must exist before
    the acts it enables, so it cannot be issued after its own first day."""
    folio, signer, reason = folio.strip(), signer.strip(), reason.strip()
    if not (folio and signer and reason):
        raise LegalConfigError("Escriba el folio del documento, quién lo firma y el motivo.")
    if last_day < first_day:
        raise LegalConfigError("El último día es anterior al primero.")
    if hours_to < hours_from:
        raise LegalConfigError("La hora final es anterior a la inicial.")
    if issued_on > first_day:
        raise LegalConfigError("La habilitación debe expedirse antes de las diligencias que "
                               "habilita (CFF 13): su fecha no puede ser posterior al primer día.")
    if (last_day - first_day).days > 366:
        raise LegalConfigError("El periodo no puede exceder un año.")
    row = OfficeHoursEnablement(office_id=office.id, folio=folio, signer=signer,
                                issued_on=issued_on, first_day=first_day, last_day=last_day,
                                hours_from=hours_from, hours_to=hours_to, reason=reason,
                                created_by_id=actor.id if actor is not None else None)
    db.session.add(row)
    db.session.flush()
    record("hours_enablement_recorded", actor=actor, obj=row, office_id=office.id, folio=folio,
           first_day=first_day, last_day=last_day, hours_from=hours_from.isoformat(),
           hours_to=hours_to.isoformat())
    return row


def field_pack_for(office: Office, today: date, days: int = DEFAULT_PACK_DAYS) -> dict[str, Any]:
    """The legal pack the phone downloads with its worklist: the office's calendar for the next
    ``days`` days, business hours, time zone, cost table and base, tolerance and Friday rule in
    force today, and the photo size of the office."""
    params = parameters_for(office, today)
    return field_pack(
        _calendar(office, params), today, days=days, costs=params.cost_table,
        tolerance_minutes=params.follow_up_tolerance_minutes, friday_rule=params.friday_rule,
        photo_long_edge=office.photo_long_edge, cost_base=params.cost_base,
        gps_warn_distance_m=params.gps_warn_distance_m, gps_max_accuracy_m=params.gps_max_accuracy_m,
    )


# Changing the calendar ----------------------------------------------------------------------


def non_business_days_of_year(office: Office, year: int, *, include_removed: bool = False
                              ) -> list[NonBusinessDay]:
    """Rows of ``year`` for ``office`` and the institute, by day (history too if asked)."""
    stmt = (
        select(NonBusinessDay)
        .where(or_(NonBusinessDay.office_id == office.id, NonBusinessDay.office_id.is_(None)),
               NonBusinessDay.day >= date(year, 1, 1), NonBusinessDay.day <= date(year, 12, 31))
        .options(joinedload(NonBusinessDay.created_by), joinedload(NonBusinessDay.removed_by),
                 joinedload(NonBusinessDay.office))
        .order_by(NonBusinessDay.day, NonBusinessDay.id)
    )
    if not include_removed:
        stmt = stmt.where(NonBusinessDay.removed_at.is_(None))
    return list(db.session.scalars(stmt))


def _live_day(office_id: int | None, day: date) -> NonBusinessDay | None:
    scope = (NonBusinessDay.office_id.is_(None) if office_id is None
             else NonBusinessDay.office_id == office_id)
    return db.session.scalar(
        select(NonBusinessDay).where(scope, NonBusinessDay.day == day,
                                     NonBusinessDay.removed_at.is_(None)))


def add_non_business_days(office: Office | None, start: date, end: date | None, description: str,
                          *, actor: User | None) -> list[NonBusinessDay]:
    """R-CAL-2: declares every weekday of [start, end] non-business for ``office`` (None: the
    whole institute). Weekends and days already declared for the same scope (or, for an
    office, for the whole institute) are skipped; refuses when nothing is left to add."""
    end = end or start
    description = description.strip()
    if not description:
        raise LegalConfigError("Escriba el motivo del día inhábil.")
    if end < start:
        raise LegalConfigError("La fecha final es anterior a la inicial.")
    if (end - start).days > 366:
        raise LegalConfigError("El periodo no puede exceder un año.")
    office_id = office.id if office is not None else None
    added: list[NonBusinessDay] = []
    day = start
    while day <= end:
        already = _live_day(office_id, day) or (None if office_id is None else _live_day(None, day))
        if day.weekday() < SATURDAY and already is None:
            row = NonBusinessDay(office_id=office_id, day=day, description=description,
                                 created_by_id=actor.id if actor is not None else None)
            db.session.add(row)
            db.session.flush()
            record("non_business_day_added", actor=actor, obj=row, office_id=office_id, day=day,
                   description=description, scope="office" if office_id else "institute")
            added.append(row)
        day += timedelta(days=1)
    if not added:
        if start == end and start.weekday() >= SATURDAY:
            raise LegalConfigError(f"El {fmt_date(start)} es sábado o domingo: ya es inhábil.")
        raise LegalConfigError("Esos días ya son inhábiles: no se agregó ninguno.")
    refresh_deadlines(office, since=start, actor=actor)
    return added


def remove_non_business_day(row: NonBusinessDay, *, actor: User | None, reason: str
                            ) -> NonBusinessDay:
    """R-CAL-2: the day becomes a business day again for every computation after this. The row
    is kept, with who removed it, when and why."""
    if row.removed_at is not None:
        raise LegalConfigError("Ese día ya había sido retirado.")
    reason = reason.strip()
    if not reason:
        raise LegalConfigError("Escriba por qué se retira el día inhábil.")
    row.removed_at = utcnow()
    row.removed_by_id = actor.id if actor is not None else None
    row.removal_reason = reason
    db.session.flush()
    record("non_business_day_removed", actor=actor, obj=row, office_id=row.office_id, day=row.day,
           description=row.description, reason=reason)
    refresh_deadlines(row.office, since=row.day, actor=actor)
    return row


# Changing parameters ------------------------------------------------------------------------


def _comparable(p: LegalParameters) -> dict[str, Any]:
    return {
        "friday_rule": p.friday_rule,
        "follow_up_tolerance_minutes": p.follow_up_tolerance_minutes,
        "business_hours_start": p.business_hours_start.strftime("%H:%M"),
        "business_hours_end": p.business_hours_end.strftime("%H:%M"),
        "cost_base": p.cost_base,
        "gps_warn_distance_m": p.gps_warn_distance_m,
        "gps_max_accuracy_m": p.gps_max_accuracy_m,
        "cost_table": [[b.valid_from.isoformat(), b.valid_to.isoformat() if b.valid_to else None,
                        str(b.minimum), str(b.maximum), str(b.rate), b.note] for b in p.cost_table],
    }


def _check_brackets(brackets: Sequence[CostBracket]) -> list[CostBracket]:
    if not brackets:
        raise LegalConfigError("Capture al menos un periodo de gastos de ejecución.")
    ordered = sorted(brackets, key=lambda b: b.valid_from)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise LegalConfigError(
                f"Los periodos de gastos de ejecución se traslapan: el que inicia el "
                f"{fmt_date(earlier.valid_from)} y el que inicia el {fmt_date(later.valid_from)}.")
    for b in ordered:
        if b.minimum != b.minimum.quantize(Decimal("0.01")) or b.maximum != b.maximum.quantize(
                Decimal("0.01")):
            raise LegalConfigError("Los importes de gastos de ejecución van en pesos y centavos.")
        basis_points = b.rate * BASIS_POINTS
        if basis_points != basis_points.to_integral_value() or not 0 < basis_points <= BASIS_POINTS:
            raise LegalConfigError("La tasa debe ser un porcentaje con hasta dos decimales.")
    return ordered


def save_parameter_version(
    office: Office | None,
    *,
    valid_from: date,
    today: date,
    friday_rule: bool,
    follow_up_tolerance_minutes: int,
    business_hours_start: time,
    business_hours_end: time,
    cost_base: str,
    cost_table: Sequence[CostBracket],
    note: str,
    actor: User | None,
    gps_warn_distance_m: int | None = None,
    gps_max_accuracy_m: int | None = None,
) -> LegalParameterSet:
    """A new version of the legal parameters of ``office`` (None: the institute's default),
    in force from ``valid_from``. Never overwrites: the version it replaces stays, and is
    named. A change takes effect on ``valid_from`` or later, never in the past. A GPS limit
    left as None keeps the one in force (R-GPS-1, R-GPS-2)."""
    if valid_from < today:
        raise LegalConfigError("La fecha de entrada en vigor no puede ser anterior a hoy: "
                               "los cálculos ya hechos no se reescriben.")
    if business_hours_start >= business_hours_end:
        raise LegalConfigError("La hora de inicio del horario hábil debe ser anterior a la de fin.")
    if not 0 <= follow_up_tolerance_minutes <= MAX_TOLERANCE_MINUTES:
        raise LegalConfigError(f"La tolerancia debe estar entre 0 y {MAX_TOLERANCE_MINUTES} minutos.")
    if cost_base not in COST_BASES:
        raise LegalConfigError("Elija la base de los gastos de ejecución.")
    note = note.strip()
    if not note:
        raise LegalConfigError("Escriba el motivo o fundamento del cambio.")
    ordered = _check_brackets(cost_table)
    history = ParameterHistory(office)
    replaced = history.version_on(valid_from)
    before = history.on(valid_from)
    gps_warn_distance_m = before.gps_warn_distance_m if gps_warn_distance_m is None else gps_warn_distance_m
    gps_max_accuracy_m = before.gps_max_accuracy_m if gps_max_accuracy_m is None else gps_max_accuracy_m
    if not 1 <= gps_warn_distance_m <= MAX_GPS_WARN_DISTANCE_M:
        raise LegalConfigError(f"La distancia al domicilio debe estar entre 1 y "
                               f"{MAX_GPS_WARN_DISTANCE_M:,} metros.")
    if not 1 <= gps_max_accuracy_m <= MAX_GPS_ACCURACY_M:
        raise LegalConfigError(f"La precisión mínima del GPS debe estar entre 1 y "
                               f"{MAX_GPS_ACCURACY_M:,} metros.")
    new = LegalParameters(friday_rule, follow_up_tolerance_minutes, business_hours_start,
                          business_hours_end, cost_base, tuple(ordered),
                          gps_warn_distance_m=gps_warn_distance_m,
                          gps_max_accuracy_m=gps_max_accuracy_m)
    old_values, new_values = _comparable(before), _comparable(new)
    changes = {k: [old_values[k], v] for k, v in new_values.items() if old_values[k] != v}
    if not changes:
        raise LegalConfigError("Los valores son iguales a los vigentes en esa fecha: no hay cambio.")
    version = LegalParameterSet(
        office_id=office.id if office is not None else None,
        valid_from=valid_from,
        friday_rule=friday_rule,
        follow_up_tolerance_minutes=follow_up_tolerance_minutes,
        business_hours_start=business_hours_start,
        business_hours_end=business_hours_end,
        cost_base=cost_base,
        gps_warn_distance_m=gps_warn_distance_m,
        gps_max_accuracy_m=gps_max_accuracy_m,
        note=note,
        replaces_id=replaced.id if replaced is not None else None,
        created_by_id=actor.id if actor is not None else None,
        brackets=[
            CostBracketRow(valid_from=b.valid_from, valid_to=b.valid_to, minimum=b.minimum,
                           maximum=b.maximum, rate_basis_points=int(b.rate * BASIS_POINTS),
                           note=b.note or None)
            for b in ordered
        ],
    )
    db.session.add(version)
    db.session.flush()
    record("legal_parameters_versioned", actor=actor, obj=version, office_id=version.office_id,
           valid_from=valid_from, replaces_id=version.replaces_id, note=note, changes=changes)
    refresh_deadlines(office, since=valid_from, actor=actor)
    return version


def set_photo_long_edge(office: Office, long_edge: int, *, actor: User | None) -> None:
    """The long edge, in pixels, the phones of ``office`` reduce photos to."""
    if long_edge not in PHOTO_LONG_EDGES:
        raise LegalConfigError("Elija uno de los tamaños de foto ofrecidos.")
    if long_edge == office.photo_long_edge:
        return
    previous = office.photo_long_edge
    office.photo_long_edge = long_edge
    db.session.flush()
    record("office_photo_long_edge_changed", actor=actor, obj=office, office_id=office.id,
           changes={"photo_long_edge": [previous, long_edge]})


# Deadlines of credits -----------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationOutcome:
    """What ``record_notification`` did: ``applied`` False means the credit kept its dates
    (``reason`` says why)."""

    applied: bool
    takes_effect_on: date | None
    payment_deadline: date | None
    reason: str | None = None


def _office_of(credit: Credit) -> Office:
    office = db.session.get(Office, credit.office_id)
    assert office is not None
    return office


def _dates(notified_on: date, cal: BusinessCalendar, history: ParameterHistory) -> tuple[date, date]:
    # The Friday rule in force on the day of notification governs the term it starts.
    friday_rule = history.on(notified_on).friday_rule
    return takes_effect_on(notified_on, cal), payment_deadline(notified_on, cal, friday_rule)


def record_notification(credit: Credit, notified_on: date, *, actor: User | None, source: str,
                        diligence_id: str | None = None, estrados_case_id: int | None = None
                        ) -> NotificationOutcome:
    """An accepted notification of ``credit`` on ``notified_on``: the credit gets the day it
    takes effect (R-NOT-11) and its payment deadline (R-DL-1, with the office's calendar and the
    Friday rule in force that day, R-CAL-5/6), and moves forward to "notified".

    Forward only: an older notification arriving after a later one (a phone that synced late)
    never replaces the later one's dates (the later deadline never lets enforcement start early,
    R-DL-2); nor does any notification change the dates of a credit already past the gate or
    paid/cancelled. Such a notification is still audited.

    Every notification, applied or not, is a row of the credit's notification ledger
    (``credit_notifications``): if the one whose dates stand is voided later (its diligence
    rejected or corrected), the credit's dates come from the rows still valid
    (``fieldapp.credits.services``)."""
    db.session.add(CreditNotification(credit_id=credit.id, notified_on=notified_on, source=source,
                                      diligence_id=diligence_id, estrados_case_id=estrados_case_id,
                                      recorded_by_id=actor.id if actor is not None else None))
    office = _office_of(credit)
    if credit.notified_on is not None and notified_on <= credit.notified_on:
        reason = ("same" if notified_on == credit.notified_on else "older_than_recorded")
        return _ignored(credit, notified_on, actor, source, reason)
    if STATUS_RANK[credit.status] >= STATUS_RANK["enforceable"]:
        return _ignored(credit, notified_on, actor, source, f"status_{credit.status}")
    history = ParameterHistory(office)
    cal = _calendar(office, history.on(notified_on))
    effect, deadline = _dates(notified_on, cal, history)
    previous = credit.notified_on
    credit.notified_on, credit.takes_effect_on, credit.payment_deadline = notified_on, effect, deadline
    db.session.flush()
    record("credit_notification_recorded", actor=actor, obj=credit, notified_on=notified_on,
           takes_effect_on=effect, payment_deadline=deadline, previous_notified_on=previous,
           source=source)
    advance_credit_status(credit, "notified", source=source, actor=actor,
                          reason=f"Notificado el {fmt_date(notified_on)} (R-NOT-11)")
    return NotificationOutcome(True, effect, deadline)


def _ignored(credit: Credit, notified_on: date, actor: User | None, source: str, reason: str
             ) -> NotificationOutcome:
    if reason != "same":
        record("credit_notification_ignored", actor=actor, obj=credit, notified_on=notified_on,
               recorded_notified_on=credit.notified_on, reason=reason, source=source)
    return NotificationOutcome(False, credit.takes_effect_on, credit.payment_deadline, reason)


def record_document_notification(document: Document, notified_on: date, *, actor: User | None,
                                 source: str, diligence_id: str | None = None,
                                 estrados_case_id: int | None = None
                                 ) -> dict[int, NotificationOutcome]:
    """``record_notification`` for every credit the notified document covers."""
    return {c.id: record_notification(c, notified_on, actor=actor, source=source,
                                      diligence_id=diligence_id, estrados_case_id=estrados_case_id)
            for c in document.credits}


def notification_dates(credit: Credit, notified_on: date) -> tuple[date, date]:
    """The takes-effect day and payment deadline a notification of ``credit`` on
    ``notified_on`` gives (R-NOT-11, R-DL-1), with the office's calendar and the Friday rule in
    force that day."""
    office = _office_of(credit)
    history = ParameterHistory(office)
    return _dates(notified_on, _calendar(office, history.on(notified_on)), history)


def refresh_deadlines(office: Office | None, *, since: date, actor: User | None) -> int:
    """Recomputes the dates of credits still awaiting the gate whose payment deadline is on or
    after ``since``, after a change of calendar or parameters (R-CAL-2: the change applies to
    every computation after it). ``office`` None: every office. Returns how many changed.

    Credits already enforceable keep their dates: the gate was passed under the rules then in
    force."""
    offices = ([office] if office is not None
               else list(db.session.scalars(select(Office).order_by(Office.id))))
    changed = 0
    for each in offices:
        credits = list(db.session.scalars(
            select(Credit).where(Credit.office_id == each.id, Credit.status.in_(AWAITING_GATE),
                                 Credit.notified_on.is_not(None), Credit.payment_deadline >= since)
            .order_by(Credit.id)))
        if not credits:
            continue
        history = ParameterHistory(each)
        cal = _calendar(each, history.on(office_today(each)))
        for credit in credits:
            assert credit.notified_on is not None
            effect, deadline = _dates(credit.notified_on, cal, history)
            if (effect, deadline) == (credit.takes_effect_on, credit.payment_deadline):
                continue
            record("credit_deadline_recomputed", actor=actor, obj=credit,
                   takes_effect_on=[credit.takes_effect_on, effect],
                   payment_deadline=[credit.payment_deadline, deadline])
            credit.takes_effect_on, credit.payment_deadline = effect, deadline
            changed += 1
    db.session.flush()
    return changed


# The enforcement gate -----------------------------------------------------------------------


class GateContext:
    """The parameters and calendar of one office read once, to judge many credits on one day
    (the sweep, the deadlines page) without reading the same rows for each."""

    def __init__(self, office: Office, today: date) -> None:
        self.office = office
        self.history = ParameterHistory(office)
        self.calendar = _calendar(office, self.history.on(today))


def enforcement_refusals(credit: Credit, today: date, context: GateContext | None = None
                         ) -> list[str]:
    """R-DL-2: why a requerimiento may not (yet) be made for ``credit`` on ``today``, in
    Spanish; empty when the gate is open. Reads the calendar and parameters afresh (or from
    ``context``, read earlier in the same call)."""
    if credit.status == "cancelled":
        return ["El crédito está cancelado."]
    if credit.notified_on is None:
        return ["El crédito no tiene una notificación registrada: su plazo de pago no ha "
                "corrido (R-DL-1)."]
    context = context or GateContext(_office_of(credit), today)
    in_force = situations_in_force(credit, today)
    kinds = {s.kind for s in in_force}
    findings = enforcement_gate(
        notified_on=credit.notified_on, today=today, cal=context.calendar,
        paid=credit.status == "paid" or any(s.kind == "payment" and s.subkind == "full"
                                            for s in in_force),
        guaranteed="guarantee" in kinds, suspended="suspension" in kinds,
        open_clarification="clarification" in kinds,
        friday_rule=context.history.on(credit.notified_on).friday_rule,
    )
    reasons = [f.message for f in findings]
    # Which situation closes the gate, with its source document, so the office head can check it.
    reasons += [f"{s.subkind_label}: {s.source_document} (ref. {s.reference}, desde el "
                f"{fmt_date(s.starts_on)})." for s in in_force if s.closes_gate]
    return reasons


def situations_in_force(credit: Credit, today: date) -> list[CreditSituation]:
    """The credit's situations in force on ``today`` (R-DL-2 reads them; nothing else can
    close or open the gate): started on or before ``today``, not ended by then."""
    stmt = (select(CreditSituation)
            .where(CreditSituation.credit_id == credit.id, CreditSituation.starts_on <= today,
                   or_(CreditSituation.ends_on.is_(None), CreditSituation.ends_on > today))
            .order_by(CreditSituation.starts_on, CreditSituation.id))
    return list(db.session.scalars(stmt))


def make_enforceable(credit: Credit, today: date, *, actor: User | None) -> list[str]:
    """R-DL-2: the only way a credit becomes enforceable. Returns the reasons it may not
    (nothing changes then); an empty list means it is enforceable now (or already was)."""
    if credit.status in ENFORCEABLE_OR_LATER:
        return []
    refusals = enforcement_refusals(credit, today)
    if refusals:
        return refusals
    assert credit.payment_deadline is not None
    advance_credit_status(credit, "enforceable", source="enforcement_gate", actor=actor,
                          reason=f"R-DL-2: plazo de pago vencido el {fmt_date(credit.payment_deadline)}")
    return []


@dataclass
class SweepResult:
    made_enforceable: list[Credit] = field(default_factory=list)
    refused: dict[int, list[str]] = field(default_factory=dict)


def sweep_enforceable(office: Office, today: date, *, actor: User | None = None) -> SweepResult:
    """R-DL-2 for every notified credit of ``office`` whose stored payment deadline has
    passed. Credits in clarification or challenged are left to the office head. The credits
    that pass move together: one history row each, one audit event for the batch."""
    result = SweepResult()
    context = GateContext(office, today)
    stmt = (select(Credit)
            .where(Credit.office_id == office.id, Credit.status == "notified",
                   Credit.payment_deadline < today)
            .order_by(Credit.payment_deadline, Credit.id))
    for credit in db.session.scalars(stmt):
        refusals = enforcement_refusals(credit, today, context)
        if refusals:
            result.refused[credit.id] = refusals
        else:
            result.made_enforceable.append(credit)
    advance_credit_statuses(result.made_enforceable, "enforceable", source="enforcement_sweep",
                            actor=actor, reason=f"R-DL-2: plazo de pago vencido al {fmt_date(today)}")
    return result


def assignment_refusals(document: Document) -> list[str]:
    """R-DL-2 at assignment time: an execution order (requerimiento) goes to the field only when
    every credit it covers that is still open is enforceable and the gate is still open today
    (it may have been guaranteed, suspended or clarified since)."""
    if document.kind not in ENFORCEMENT_DOCUMENT_KINDS:
        return []
    office = db.session.get(Office, document.office_id)
    assert office is not None
    today = office_today(office)
    reasons = []
    for credit in document.credits:
        if credit.status in ("paid", "cancelled"):
            continue
        refusals = enforcement_refusals(credit, today)
        if credit.status not in ENFORCEABLE_OR_LATER and not refusals:
            refusals = ["aún no se declara exigible en Plazos de pago."]
        if refusals:
            reasons.append(f"crédito {credit.credit_number}: " + " ".join(refusals))
    return reasons


# The office head's view of deadlines --------------------------------------------------------

WINDOWS = {
    "atencion": "Vencidos y por vencer",
    "vencidos": "Vencidos",
    "proximos": "Por vencer",
    "todos": "Todos",
}
STATUS_GROUPS = {
    "por_exigir": ("Por declarar exigibles", AWAITING_GATE),
    "exigibles": ("Exigibles", ENFORCEABLE_OR_LATER),
    "todos": ("Todos", AWAITING_GATE + ENFORCEABLE_OR_LATER),
}
DEFAULT_NEAR_DAYS = 5
MAX_NEAR_DAYS = 30


@dataclass(frozen=True)
class DeadlineRow:
    credit: Credit
    business_days_left: int  # negative: business days since the deadline passed
    gate_open: bool | None  # None: not judged (already enforceable or not yet due)
    refusals: tuple[str, ...] = ()

    @property
    def is_past(self) -> bool:
        return self.business_days_left < 0

    @property
    def label(self) -> str:
        n = self.business_days_left
        if n < 0:
            return f"Vencido hace {-n} día{'s' if n < -1 else ''} hábil{'es' if n < -1 else ''}"
        if n == 0:
            return "Vence hoy"
        return f"Falta{'n' if n > 1 else ''} {n} día{'s' if n > 1 else ''} hábil{'es' if n > 1 else ''}"


def business_days_left(cal: BusinessCalendar, today: date, deadline: date) -> int:
    """Business days after ``today`` up to ``deadline`` (0 on the day itself); negative: business
    days from the day after ``deadline`` up to ``today``."""
    if deadline >= today:
        count, d = 0, today
        while True:
            d = cal.next_business_day(d)
            if d > deadline:
                return count
            count += 1
    count, d = 0, deadline
    while True:
        d = cal.next_business_day(d)
        if d > today:
            return -max(count, 1)
        count += 1


def deadline_rows(office: Office, today: date, *, window: str = "atencion",
                  near_days: int = DEFAULT_NEAR_DAYS, status_group: str = "por_exigir",
                  after: tuple[date, int] | None = None, limit: int = 50
                  ) -> tuple[list[DeadlineRow], tuple[date, int] | None]:
    """Credits of ``office`` by payment deadline, for the office head (workflows.md: "credits
    near their legal deadlines"). ``near_days`` counts business days. Keyset pagination on
    (deadline, id): returns the rows and the key of the next page."""
    context = GateContext(office, today)
    cal = context.calendar
    statuses = STATUS_GROUPS.get(status_group, STATUS_GROUPS["por_exigir"])[1]
    near_limit = cal.add_business_days(today, max(0, min(near_days, MAX_NEAR_DAYS)))
    stmt = (
        select(Credit)
        .where(Credit.office_id == office.id, Credit.status.in_(statuses),
               Credit.payment_deadline.is_not(None))
        .options(joinedload(Credit.debtor))
        .order_by(Credit.payment_deadline, Credit.id)
        .limit(limit + 1)
    )
    if window == "vencidos":
        stmt = stmt.where(Credit.payment_deadline < today)
    elif window == "proximos":
        stmt = stmt.where(Credit.payment_deadline >= today, Credit.payment_deadline <= near_limit)
    elif window != "todos":
        stmt = stmt.where(Credit.payment_deadline <= near_limit)
    if after is not None:
        stmt = stmt.where(tuple_(Credit.payment_deadline, Credit.id) > tuple_(*after))
    credits = list(db.session.scalars(stmt))
    next_key = None
    if len(credits) > limit:
        credits = credits[:limit]
        last = credits[-1]
        assert last.payment_deadline is not None
        next_key = (last.payment_deadline, last.id)
    return [_row(c, today, context) for c in credits], next_key


def _row(credit: Credit, today: date, context: GateContext) -> DeadlineRow:
    assert credit.payment_deadline is not None
    left = business_days_left(context.calendar, today, credit.payment_deadline)
    if credit.status in ENFORCEABLE_OR_LATER or left >= 0:
        return DeadlineRow(credit, left, None)
    refusals = tuple(enforcement_refusals(credit, today, context))
    return DeadlineRow(credit, left, not refusals, refusals)


def deadline_row(credit: Credit, today: date) -> DeadlineRow:
    return _row(credit, today, GateContext(_office_of(credit), today))
