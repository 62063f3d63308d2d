"""The office head's reports and the export of credit status changes, as queries scoped to one
office. Dates people choose are office-local days; times are stored in UTC (README).

What a report counts:

- **A visit** is one diligence as it stands now: the current version of each record (a
  correction replaces the version it corrects, so a corrected visit counts once), with the kind
  and outcome of that current version, on the office-local day the *first* version was
  captured (a correction sent days later is still the work of the day of the visit).
- **Prescription (R-DL-4, CFF 146).** Assumption, to confirm with the legal area: payment can be
  demanded from the day after the payment deadline (R-DL-1), so the 5 years start then; each
  notified collection step interrupts it and the 5 years start again from the latest one. The
  steps counted are the office's diligence records of the credit's documents that notified
  something to the debtor: a notification not refused, a requerimiento de pago, an embargo or
  its extension — current versions only, neither rejected nor with blocking findings (such a
  record is not valid evidence of a notified step). Citatorios, constancias and "not located"
  records notify nothing and do not interrupt. Steps outside the app (estrados, payments on
  account) are not known here: the report is a warning list, not a legal finding.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from fieldapp.assignments.models import Assignment
from fieldapp.assignments.services import overdue
from fieldapp.auth.models import User
from fieldapp.credits.models import CreditSituation
from fieldapp.db_types import utcnow
from fieldapp.diligences.models import DILIGENCE_KINDS, Diligence
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.deadlines import prescription_date
from fieldapp.legal.services import DeadlineRow, calendar_for, deadline_rows
from fieldapp.offices.models import Office, Sector
from fieldapp.portfolio.models import (
    Address,
    Credit,
    CreditStatusChange,
    Debtor,
    Document,
    document_credits,
)
from fieldapp.portfolio.services import FINAL_STATUSES

DEFAULT_PERIOD_DAYS = 7
MAX_PERIOD_DAYS = 366
MAX_REPORT_ROWS = 5000
DEFAULT_NEAR_DAYS = 5
PRESCRIPTION_WINDOWS = {6: "6 meses", 12: "12 meses", 24: "24 meses", 60: "Todos"}
ALL_PRESCRIPTIONS = 60  # every open credit: no prescription lies further than 5 years (+ a few days)
DEFAULT_PRESCRIPTION_MONTHS = 12

# What happened at a visit, from its kind and facts; stable codes (CSV columns).
OUTCOMES = {
    "citatorio_left": "Citatorio entregado",
    "citatorio_posted": "Citatorio fijado (constancia)",
    "notified_in_person": "Notificado al destinatario o representante",
    "notified_other": "Notificado con tercero, previo citatorio",
    "notification_refused": "Se negó a recibir (a estrados)",
    "not_located": "No localizado",
    "demand_not_paid": "Requerido, no pagó",
    "demand_proof_shown": "Acreditó el pago",
    "demand_cheque": "Pagó con cheque",
    "seized": "Embargo",
    "seizure_extended": "Ampliación de embargo",
    "located": "Localizado en otro domicilio",
    "not_found": "Localización sin resultado",
}
PERSONAL_CAPACITIES = ("addressee", "legal_representative")
# R-DL-4: the kinds of record that notify a collection step to the debtor.
INTERRUPTING_KINDS = ("notification", "payment_demand", "seizure", "seizure_extension")


class ReportError(DomainError):
    """A report parameter that cannot be understood; the message is for people (Spanish)."""

    code = "report_invalid"
    status = 422


def outcome_of(kind: str, facts: dict[str, Any]) -> str:
    """The outcome code (OUTCOMES) of a visit of ``kind`` with these facts."""
    if kind == "citatorio":
        return "citatorio_left"
    if kind == "posting_record":
        return "citatorio_posted"
    if kind == "notification":
        if facts.get("refused_to_receive"):
            return "notification_refused"
        capacity = (facts.get("attendee") or {}).get("capacity")
        return "notified_in_person" if capacity in PERSONAL_CAPACITIES else "notified_other"
    if kind == "payment_demand":
        paid = (facts.get("payment") or {}).get("outcome")
        return {"proof_shown": "demand_proof_shown", "cheque": "demand_cheque"}.get(paid,
                                                                                 "demand_not_paid")
    if kind == "seizure":
        return "seized"
    if kind == "seizure_extension":
        return "seizure_extended"
    if kind == "localization":
        found = (facts.get("localization") or {}).get("result") == "found"
        return "located" if found else "not_found"
    return "not_located"


# Periods --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """Office-local days, both ends included."""

    start: date
    end: date

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: date) -> Period:
        """From the ``desde``/``hasta`` query parameters (AAAA-MM-DD); the last week by default."""
        last = _parse_day(end, "hasta") if end else today
        first = _parse_day(start, "desde") if start else last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if first > last:
            raise ReportError("La fecha «desde» es posterior a la fecha «hasta».")
        if (last - first).days + 1 > MAX_PERIOD_DAYS:
            raise ReportError(f"El periodo abarca a lo más {MAX_PERIOD_DAYS} días.")
        return cls(first, last)

    def utc_bounds(self, tz: str) -> tuple[datetime, datetime]:
        """[start of the first day, start of the day after the last) in UTC."""
        zone = ZoneInfo(tz)
        return (datetime.combine(self.start, time(), zone).astimezone(UTC),
                datetime.combine(self.end + timedelta(days=1), time(), zone).astimezone(UTC))


def _parse_day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(f"La fecha «{name}» debe escribirse AAAA-MM-DD.") from None


def parse_near_days(text: str | None) -> int:
    if not text:
        return DEFAULT_NEAR_DAYS
    try:
        days = int(text)
    except ValueError:
        raise ReportError("Los días hábiles deben ser un número entero.") from None
    if not 0 <= days <= 30:
        raise ReportError("Los días hábiles van de 0 a 30.")
    return days


def parse_prescription_months(text: str | None) -> int:
    try:
        months = int(text) if text else DEFAULT_PRESCRIPTION_MONTHS
    except ValueError:
        months = -1
    if months not in PRESCRIPTION_WINDOWS:
        raise ReportError("Elija un horizonte de 6, 12, 24 o 60 meses.")
    return months


# Visits: productivity and outcomes ---------------------------------------------------------------

@dataclass
class Tally:
    """Visits counted by kind, by outcome and by review state."""

    total: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_review_state: Counter[str] = field(default_factory=Counter)

    def add(self, visit: Visit) -> None:
        self.total += 1
        self.by_kind[visit.diligence.kind] += 1
        self.by_outcome[visit.outcome] += 1
        self.by_review_state[visit.diligence.review_state] += 1


@dataclass(frozen=True)
class Visit:
    diligence: Diligence  # the current version
    day: date  # office-local day of the first version's capture
    outcome: str


def visits(office: Office, period: Period) -> list[Visit]:
    """The current version of every diligence of ``office`` whose first version was captured
    within ``period`` (office-local days)."""
    low, high = period.utc_bounds(office.timezone)
    first = aliased(Diligence)
    rows = db.session.execute(
        select(Diligence, first.captured_at)
        .join(first, first.id == Diligence.root_id)
        .where(Diligence.office_id == office.id, Diligence.superseded_by_id.is_(None),
               first.captured_at >= low, first.captured_at < high)
        .options(joinedload(Diligence.user),
                 joinedload(Diligence.document).joinedload(Document.address)
                 .joinedload(Address.sector))
        .order_by(first.captured_at, Diligence.id)
    ).all()
    zone = ZoneInfo(office.timezone)
    return [Visit(d, captured.astimezone(zone).date(), outcome_of(d.kind, d.facts))
            for d, captured in rows]


@dataclass(frozen=True)
class ProductivityRow:
    day: date
    user: User
    tally: Tally


@dataclass(frozen=True)
class VisitReport:
    """Rows plus the totals and which kinds and outcomes occur (the page's columns)."""

    rows: list[Any]
    totals: Tally
    kinds: list[str]
    outcomes: list[str]


def _columns(totals: Tally) -> tuple[list[str], list[str]]:
    return ([k for k in DILIGENCE_KINDS if totals.by_kind[k]],
            [o for o in OUTCOMES if totals.by_outcome[o]])


def productivity(office: Office, period: Period) -> VisitReport:
    """Visits per field user and office-local day."""
    tallies: dict[tuple[date, int], Tally] = {}
    users: dict[int, User] = {}
    totals = Tally()
    for visit in visits(office, period):
        users[visit.diligence.user_id] = visit.diligence.user
        tallies.setdefault((visit.day, visit.diligence.user_id), Tally()).add(visit)
        totals.add(visit)
    rows = [ProductivityRow(day, users[user_id], tally) for (day, user_id), tally in tallies.items()]
    rows.sort(key=lambda r: (r.day, r.user.full_name, r.user.id))
    return VisitReport(rows, totals, *_columns(totals))


@dataclass(frozen=True)
class SectorRow:
    sector: Sector | None  # None: the document's address has no sector
    tally: Tally

    @property
    def label(self) -> str:
        return self.sector.label if self.sector is not None else "Sin sector"


def outcomes_by_sector(office: Office, period: Period) -> VisitReport:
    """Visits per sector of the document's address, by outcome."""
    tallies: dict[int | None, Tally] = {}
    sectors: dict[int | None, Sector | None] = {None: None}
    totals = Tally()
    for visit in visits(office, period):
        sector = visit.diligence.document.address.sector
        key = sector.id if sector is not None else None
        sectors[key] = sector
        tallies.setdefault(key, Tally()).add(visit)
        totals.add(visit)
    rows = [SectorRow(sectors[key], tally) for key, tally in tallies.items()]
    rows.sort(key=lambda r: (r.sector is None, r.sector.code if r.sector else ""))
    return VisitReport(rows, totals, *_columns(totals))


# Assignments and deadlines -----------------------------------------------------------------------

@dataclass(frozen=True)
class OverdueRow:
    assignment: Assignment
    days_late: int  # calendar days since the due date


def overdue_rows(office: Office, today: date) -> list[OverdueRow]:
    """Open assignments past their due date (the office board's own query)."""
    return [OverdueRow(a, (today - a.due_on).days) for a in overdue(office.id, today)]


def payment_deadline_report(office: Office, today: date, near_days: int) -> list[DeadlineRow]:
    """Credits still awaiting the enforcement gate whose payment deadline (R-DL-1) has passed
    or falls within ``near_days`` business days: the office's deadline query, unpaginated."""
    rows, _ = deadline_rows(office, today, window="atencion", near_days=near_days,
                            status_group="por_exigir", limit=MAX_REPORT_ROWS)
    return rows


@dataclass(frozen=True)
class PrescriptionRow:
    credit: Credit
    demandable_on: date
    last_step_on: date | None  # the latest interrupting step (R-DL-4), if any after demandable_on
    last_step: Diligence | None
    prescribes_on: date
    days_left: int  # calendar days; negative once past

    @property
    def label(self) -> str:
        if self.days_left < 0:
            return f"Plazo cumplido hace {-self.days_left} días: verificar"
        if self.days_left == 0:
            return "Se cumple hoy"
        return f"Faltan {self.days_left} días"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _step_day(diligence: Diligence, zone: ZoneInfo) -> date:
    """The office-local day the step happened: when the acta says it started, else capture."""
    started = diligence.facts.get("started_at")
    if isinstance(started, str):
        try:
            return datetime.fromisoformat(started).astimezone(zone).date()
        except ValueError:
            pass
    return diligence.captured_at.astimezone(zone).date()


def _interrupts(diligence: Diligence) -> bool:
    return not (diligence.kind == "notification" and diligence.facts.get("refused_to_receive"))


def prescription_report(office: Office, today: date, within_months: int) -> list[PrescriptionRow]:
    """Open credits whose prescription (R-DL-4, see the module docstring) falls on or before
    ``within_months`` months from ``today`` (every open credit with ALL_PRESCRIPTIONS), soonest
    first."""
    horizon = date.max if within_months >= ALL_PRESCRIPTIONS else add_months(today, within_months)
    credits = list(db.session.scalars(
        select(Credit)
        .where(Credit.office_id == office.id, Credit.payment_deadline.is_not(None),
               Credit.status.not_in(FINAL_STATUSES))
        .options(joinedload(Credit.debtor))))
    steps: dict[int, list[Diligence]] = {}
    for diligence, credit_id in db.session.execute(
            select(Diligence, document_credits.c.credit_id)
            .join(document_credits, document_credits.c.document_id == Diligence.document_id)
            .join(Credit, Credit.id == document_credits.c.credit_id)
            .where(Credit.office_id == office.id, Diligence.office_id == office.id,
                   Diligence.kind.in_(INTERRUPTING_KINDS), Diligence.superseded_by_id.is_(None),
                   Diligence.review_state != "rejected", Diligence.has_block_findings.is_(False))):
        if _interrupts(diligence):
            steps.setdefault(credit_id, []).append(diligence)
    calendar = calendar_for(office)
    zone = ZoneInfo(office.timezone)
    rows = []
    for credit in credits:
        assert credit.payment_deadline is not None
        demandable_on = credit.payment_deadline + timedelta(days=1)
        dated = sorted(((_step_day(d, zone), d) for d in steps.get(credit.id, [])),
                       key=lambda pair: (pair[0], pair[1].id))
        dated = [(day, d) for day, d in dated if day >= demandable_on]
        last_day, last = dated[-1] if dated else (None, None)
        prescribes_on = prescription_date(demandable_on, [day for day, _ in dated], calendar)
        if prescribes_on <= horizon:
            rows.append(PrescriptionRow(credit, demandable_on, last_day, last, prescribes_on,
                                        (prescribes_on - today).days))
    rows.sort(key=lambda r: (r.prescribes_on, r.credit.credit_number))
    return rows[:MAX_REPORT_ROWS]


# Recovery (manual function 000-12) -------------------------------------------------------------

RECOVERY_KINDS = INTERRUPTING_KINDS  # notificación, requerimiento, embargo, ampliación
RECOVERY_LOOKBACK_DAYS = 180
NO_PRIOR_DILIGENCE = "Sin diligencia previa"
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def recovery_period(month: str | None, start: str | None, end: str | None, today: date) -> Period:
    """A calendar month (``mes=AAAA-MM``) or a range of days (``desde``/``hasta``); the month
    so far by default."""
    month, start, end = (month or "").strip(), (start or "").strip(), (end or "").strip()
    if month and (start or end):
        raise ReportError("Elija un mes o un rango de fechas, no ambos.")
    if start or end:
        return Period.parse(start or None, end or None, today)
    if not month:
        return Period(today.replace(day=1), today)
    match = _MONTH.fullmatch(month)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ReportError("El mes debe escribirse AAAA-MM (p. ej. 2026-03).")
    first = date(int(match.group(1)), int(match.group(2)), 1)
    return Period(first, add_months(first, 1) - timedelta(days=1))


@dataclass(frozen=True)
class RecoveryRow:
    """A payment and the field diligence it is attributed to (None: no prior diligence)."""

    payment: CreditSituation
    diligence: Diligence | None
    diligence_on: date | None  # office-local day of the diligence (the acta's start)

    @property
    def sector(self) -> Sector | None:
        return self.diligence.document.address.sector if self.diligence is not None else None


@dataclass
class RecoveryTotal:
    label: str
    payments: int = 0
    amount: Decimal = Decimal("0")

    def add(self, row: RecoveryRow) -> None:
        self.payments += 1
        self.amount += row.payment.amount or Decimal("0")


@dataclass(frozen=True)
class RecoveryReport:
    rows: list[RecoveryRow]
    by_user: list[RecoveryTotal]  # field users by amount, largest first
    by_sector: list[RecoveryTotal]  # sectors by code, "Sin sector" last
    unattributed: RecoveryTotal  # payments with no prior diligence
    total: RecoveryTotal


def recovery(office: Office, period: Period) -> RecoveryReport:
    """Payments recorded on the office's credits (full or partial, CreditSituation) dated within
    ``period``, each attributed to the field user and sector of the diligence that preceded it.

    Attribution rule: the latest current version of a notificación, requerimiento or embargo
    (or its extension) on a document of the paid credit, approved by the office, whose acta
    day (its start, else its capture, office-local) falls on the payment day or within the
    RECOVERY_LOOKBACK_DAYS days before it. The sector is that of the document's address.
    Diligences still awaiting review, returned or rejected do not count; a payment with no such
    diligence goes to "Sin diligencia previa"."""
    payments = list(db.session.scalars(
        select(CreditSituation)
        .where(CreditSituation.office_id == office.id, CreditSituation.kind == "payment",
               CreditSituation.starts_on >= period.start, CreditSituation.starts_on <= period.end)
        .options(joinedload(CreditSituation.credit).joinedload(Credit.debtor))
        .order_by(CreditSituation.starts_on, CreditSituation.id)
        .limit(MAX_REPORT_ROWS)))
    candidates = _attributable_diligences(office, {p.credit_id for p in payments})
    rows = [_attribute(payment, candidates.get(payment.credit_id, [])) for payment in payments]
    return _recovery_totals(rows)


def _attributable_diligences(office: Office, credit_ids: set[int]
                             ) -> dict[int, list[tuple[date, Diligence]]]:
    """Approved collection diligences on documents of these credits, with their day."""
    found: dict[int, list[tuple[date, Diligence]]] = {}
    if not credit_ids:
        return found
    zone = ZoneInfo(office.timezone)
    for diligence, credit_id in db.session.execute(
            select(Diligence, document_credits.c.credit_id)
            .join(document_credits, document_credits.c.document_id == Diligence.document_id)
            .where(document_credits.c.credit_id.in_(sorted(credit_ids)),
                   Diligence.office_id == office.id, Diligence.kind.in_(RECOVERY_KINDS),
                   Diligence.superseded_by_id.is_(None), Diligence.review_state == "approved")
            .options(joinedload(Diligence.user),
                     joinedload(Diligence.document).joinedload(Document.address)
                     .joinedload(Address.sector))):
        found.setdefault(credit_id, []).append((_step_day(diligence, zone), diligence))
    return found


def _attribute(payment: CreditSituation, candidates: list[tuple[date, Diligence]]) -> RecoveryRow:
    earliest = payment.starts_on - timedelta(days=RECOVERY_LOOKBACK_DAYS)
    before = [(day, d) for day, d in candidates if earliest <= day <= payment.starts_on]
    if not before:
        return RecoveryRow(payment, None, None)
    day, diligence = max(before, key=lambda pair: (pair[0], pair[1].captured_at, pair[1].id))
    return RecoveryRow(payment, diligence, day)


def _recovery_totals(rows: list[RecoveryRow]) -> RecoveryReport:
    users: dict[int, RecoveryTotal] = {}
    sectors: dict[str, RecoveryTotal] = {}
    unattributed, total = RecoveryTotal(NO_PRIOR_DILIGENCE), RecoveryTotal("Total")
    for row in rows:
        total.add(row)
        if row.diligence is None:
            unattributed.add(row)
            continue
        user = row.diligence.user
        users.setdefault(user.id, RecoveryTotal(user.full_name)).add(row)
        sector = row.sector
        key = sector.code if sector is not None else ""
        sectors.setdefault(key, RecoveryTotal(sector.label if sector else "Sin sector")).add(row)
    by_user = sorted(users.values(), key=lambda t: (-t.amount, t.label))
    by_sector = [sectors[key] for key in sorted(sectors, key=lambda k: (k == "", k))]
    return RecoveryReport(rows, by_user, by_sector, unattributed, total)


# Export of credit status changes ---------------------------------------------------------------

DEFAULT_SETTLE_SECONDS = 120
STATUS_EXPORT_COLUMNS = (
    "office_code", "change_id", "credit_number", "employer_registration", "rfc", "from_status",
    "to_status", "changed_at_utc", "changed_on_local", "source", "diligence_id",
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DILIGENCE_SOURCE = "diligence"  # fieldapp.diligences.services.DIRECT_CREDIT_SOURCE


def settle_seconds() -> int:
    """How long before now an export stops: longer than any transaction that writes status
    changes, so no change stamped before the export's end can still be uncommitted."""
    return int(current_app.config.get("STATUS_EXPORT_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS))


def parse_moment(text: str, office: Office, name: str) -> datetime:
    """An export bound: an ISO timestamp with offset or Z (to the microsecond), or a day
    (AAAA-MM-DD), which means the start of that day in the office's time zone."""
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(),
                                    ZoneInfo(office.timezone)).astimezone(UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ReportError(f"«{name}» debe ser una fecha AAAA-MM-DD o una fecha y hora ISO 8601 con "
                          "zona (p. ej. 2026-03-10T18:00:00Z).")
    return moment.astimezone(UTC)


def format_cursor(moment: datetime) -> str:
    """A bound as the export writes it (UTC, microseconds, Z): exact, so it can be the next
    export's ``since``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class ExportWindow:
    """Changes with since <= at < until. ``until`` never passes now minus the settle time."""

    since: datetime
    until: datetime


def export_window(since: datetime, until: datetime | None, now: datetime | None = None
                  ) -> ExportWindow:
    latest = (now or utcnow()) - timedelta(seconds=settle_seconds())
    end = latest if until is None else min(until, latest)
    if end < since:
        end = since  # an empty window: nothing settled after ``since`` yet
    return ExportWindow(since, end)


@dataclass(frozen=True)
class StatusChangeRow:
    change: CreditStatusChange
    credit: Credit
    diligence_id: str | None

    def values(self, office: Office) -> list[str]:
        zone = ZoneInfo(office.timezone)
        registrations = " ".join(sorted(r.number for r in self.credit.debtor.registrations))
        return [office.code, str(self.change.id), self.credit.credit_number, registrations,
                self.credit.debtor.rfc, self.change.from_status, self.change.to_status,
                format_cursor(self.change.at), self.change.at.astimezone(zone).date().isoformat(),
                self.change.source, self.diligence_id or ""]


def status_changes(office: Office, window: ExportWindow) -> list[StatusChangeRow]:
    """Every status change of the office's credits with window.since <= at < window.until,
    ordered by (at, id)."""
    changes = list(db.session.scalars(
        select(CreditStatusChange)
        .join(Credit, Credit.id == CreditStatusChange.credit_id)
        .where(Credit.office_id == office.id, CreditStatusChange.at >= window.since,
               CreditStatusChange.at < window.until)
        .options(joinedload(CreditStatusChange.credit).joinedload(Credit.debtor)
                 .selectinload(Debtor.registrations))
        .order_by(CreditStatusChange.at, CreditStatusChange.id)))
    causes = _diligences_behind(office, changes)
    return [StatusChangeRow(c, c.credit, causes.get(c.id)) for c in changes]


def _diligences_behind(office: Office, changes: Sequence[CreditStatusChange]) -> dict[int, str]:
    """The diligence that caused each change, where there is one. Requerimientos and embargos
    name it in the change's reason; a notification's change does not (legal.services writes the
    dates instead), so it is the latest notification record of the same person on a document
    of the credit received no later than the change."""
    found: dict[int, str] = {}
    unnamed = []
    for change in changes:
        if change.source != DILIGENCE_SOURCE:
            continue
        match = _UUID.search(change.reason or "")
        if match:
            found[change.id] = match.group(0)
        elif change.to_status == "notified":
            unnamed.append(change)
    if not unnamed:
        return found
    candidates: dict[int, list[tuple[datetime, int, str]]] = {}
    for credit_id, received_at, user_id, diligence_id in db.session.execute(
            select(document_credits.c.credit_id, Diligence.received_at, Diligence.user_id,
                   Diligence.id)
            .join(Diligence, Diligence.document_id == document_credits.c.document_id)
            .where(Diligence.office_id == office.id, Diligence.kind == "notification",
                   document_credits.c.credit_id.in_(sorted({c.credit_id for c in unnamed})))):
        candidates.setdefault(credit_id, []).append((received_at, user_id, diligence_id))
    for change in unnamed:
        before = [c for c in candidates.get(change.credit_id, [])
                  if c[0] <= change.at and (change.actor_id is None or c[1] == change.actor_id)]
        if before:
            found[change.id] = max(before)[2]
    return found


def status_changes_csv(office: Office, rows: Iterable[StatusChangeRow]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(STATUS_EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(row.values(office))
    return out.getvalue()


# CSV of the reports --------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (a debtor named "=HYPERLINK(…)") is prefixed
    with an apostrophe, which spreadsheets show as plain text (OWASP: CSV injection). Numbers
    are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A report's CSV, for spreadsheets (the machine export, status_changes_csv, is verbatim)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
    return out.getvalue()


def _tally_cells(tally: Tally) -> list[int]:
    return ([tally.total] + [tally.by_kind[k] for k in DILIGENCE_KINDS]
            + [tally.by_outcome[o] for o in OUTCOMES]
            + [tally.by_review_state[s] for s in ("received", "approved", "returned", "rejected")])


TALLY_COLUMNS = (["visits"] + [f"kind_{k}" for k in DILIGENCE_KINDS]
                 + [f"outcome_{o}" for o in OUTCOMES]
                 + [f"review_{s}" for s in ("received", "approved", "returned", "rejected")])


def productivity_csv(report: VisitReport) -> str:
    return csv_text(["day", "username", "full_name", "role", *TALLY_COLUMNS],
                    ([r.day.isoformat(), r.user.username, r.user.full_name, r.user.role,
                      *_tally_cells(r.tally)] for r in report.rows))


def sectors_csv(report: VisitReport) -> str:
    return csv_text(["sector_code", "sector_name", *TALLY_COLUMNS],
                    ([r.sector.code if r.sector else "", r.sector.name if r.sector else "Sin sector",
                      *_tally_cells(r.tally)] for r in report.rows))


def overdue_csv(rows: Sequence[OverdueRow]) -> str:
    return csv_text(
        ["assignment_id", "due_on", "days_late", "document_folio", "document_kind", "debtor",
         "rfc", "sector_code", "username", "full_name", "status"],
        ([r.assignment.id, r.assignment.due_on.isoformat(), r.days_late,
          r.assignment.document.folio, r.assignment.document.kind,
          r.assignment.document.debtor.legal_name, r.assignment.document.debtor.rfc,
          r.assignment.document.address.sector.code if r.assignment.document.address.sector else "",
          r.assignment.user.username, r.assignment.user.full_name, r.assignment.status]
         for r in rows))


def deadlines_csv(rows: Sequence[DeadlineRow]) -> str:
    return csv_text(
        ["credit_number", "debtor", "rfc", "status", "total", "notified_on", "takes_effect_on",
         "payment_deadline", "business_days_left", "gate_open"],
        ([r.credit.credit_number, r.credit.debtor.legal_name, r.credit.debtor.rfc, r.credit.status,
          f"{r.credit.total:.2f}", _iso(r.credit.notified_on), _iso(r.credit.takes_effect_on),
          _iso(r.credit.payment_deadline), r.business_days_left,
          "" if r.gate_open is None else ("yes" if r.gate_open else "no")] for r in rows))


def prescription_csv(rows: Sequence[PrescriptionRow]) -> str:
    return csv_text(
        ["credit_number", "debtor", "rfc", "status", "total", "payment_deadline", "demandable_on",
         "last_step_on", "last_step_diligence_id", "prescribes_on", "days_left"],
        ([r.credit.credit_number, r.credit.debtor.legal_name, r.credit.debtor.rfc, r.credit.status,
          f"{r.credit.total:.2f}", _iso(r.credit.payment_deadline), r.demandable_on.isoformat(),
          _iso(r.last_step_on), r.last_step.id if r.last_step else "", r.prescribes_on.isoformat(),
          r.days_left] for r in rows))


RECOVERY_CSV_HEADER = (
    "Fecha de pago", "Crédito", "Patrón", "RFC", "Tipo de pago", "Referencia", "Importe",
    "Diligencia previa", "Fecha de la diligencia", "Folio de la diligencia", "Usuario", "Nombre",
    "Sector")


def recovery_csv(report: RecoveryReport) -> str:
    """One row per payment; amounts as plain numbers (9020.31) so a spreadsheet can add them."""
    return csv_text(RECOVERY_CSV_HEADER, (_recovery_cells(row) for row in report.rows))


def _recovery_cells(row: RecoveryRow) -> list[Any]:
    payment, credit, diligence = row.payment, row.payment.credit, row.diligence
    paid = [payment.starts_on.isoformat(), credit.credit_number, credit.debtor.legal_name,
            credit.debtor.rfc, payment.subkind_label, payment.reference,
            f"{payment.amount or Decimal('0'):.2f}"]
    if diligence is None:
        return [*paid, NO_PRIOR_DILIGENCE, "", "", "", "", ""]
    sector = row.sector
    return [*paid, diligence.kind_label, _iso(row.diligence_on), diligence.id,
            diligence.user.username, diligence.user.full_name,
            sector.label if sector is not None else "Sin sector"]


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""
