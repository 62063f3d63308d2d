"""The office head's list of diligences: filters, keyset pages, counts per review state, the
map's points. One filter object drives the list, its counts, the map and the exports, so what
the office head sees is exactly what they download.

Everything here is scoped to one office (the caller passes the user's office) and reads only;
decisions go through ``fieldapp.diligences.services.decide``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, and_, case, false, func, literal, not_, select, true, tuple_
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import ColumnElement

from fieldapp.auth.models import FIELD_ROLES, User
from fieldapp.diligences.models import DILIGENCE_KINDS, REVIEW_STATES, Diligence
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector
from fieldapp.portfolio.models import Address, Debtor, Document

DEFAULT_PAGE_SIZE = 50
MAP_LIMIT = 2000  # points on one map; the page says when the filter holds more
# The state tabs count up to this many rows per state and say "más de …" beyond: an exact
# count over an office's whole history reads every row of it (about 170 ms for 880,000 rows,
# even index-only), and past ten thousand the office head narrows the filter anyway.
COUNT_CAP = 10_000

# What came of a diligence, in the office head's words. The kind says most of it; a refusal
# (R-NOT-6) and the payment outcome (R-PAE-1) are read from the facts.
OUTCOMES = {
    "notified": "Notificado",
    "refused": "Se negaron a recibir (estrados)",
    "citatorio": "Citatorio entregado",
    "posted": "Citatorio fijado (constancia)",
    "not_located": "No localizado",
    "paid": "Acreditó el pago",
    "not_paid": "Requerido sin pago",
    "seized": "Embargo",
    "located": "Localizado en otro domicilio",
    "not_found": "Localización sin resultado",
}
PAYMENT_SHOWN = ("proof_shown", "cheque")
# Legal findings, as three groups that split every list (the counts add up).
FINDINGS = {
    "block": "Con impedimentos",
    "warn": "Sólo advertencias",
    "none": "Sin hallazgos",
}


class FilterError(DomainError):
    """A filter value that cannot be understood; the message is for the office head."""

    code = "filter_invalid"
    status = 422


def outcome_of(diligence: Diligence) -> str:
    """The OUTCOMES key of one record (``outcome_condition`` is the same rule in SQL)."""
    facts = diligence.facts
    kind = diligence.kind
    if kind in ("notification", "payment_demand") and facts.get("refused_to_receive") is True:
        return "refused"
    if kind == "payment_demand":
        paid = (facts.get("payment") or {}).get("outcome") in PAYMENT_SHOWN
        return "paid" if paid else "not_paid"
    if kind == "localization":
        found = (facts.get("localization") or {}).get("result") == "found"
        return "located" if found else "not_found"
    return {"notification": "notified", "citatorio": "citatorio", "posting_record": "posted",
            "not_located": "not_located", "seizure": "seized",
            "seizure_extension": "seized"}[kind]


def _refused() -> ColumnElement[bool]:
    flag = Diligence.content[("facts", "refused_to_receive")].as_boolean()
    return func.coalesce(flag, false()) == true()


def _payment_shown() -> ColumnElement[bool]:
    return Diligence.content[("facts", "payment", "outcome")].as_string().in_(PAYMENT_SHOWN)


def _located() -> ColumnElement[bool]:
    return Diligence.content[("facts", "localization", "result")].as_string() == "found"


def outcome_condition(outcome: str) -> ColumnElement[bool]:
    kind = Diligence.kind
    refusable = kind.in_(("notification", "payment_demand"))
    conditions: dict[str, ColumnElement[bool]] = {
        "refused": and_(refusable, _refused()),
        "notified": and_(kind == "notification", not_(_refused())),
        "citatorio": kind == "citatorio",
        "posted": kind == "posting_record",
        "not_located": kind == "not_located",
        "paid": and_(kind == "payment_demand", not_(_refused()), _payment_shown()),
        "not_paid": and_(kind == "payment_demand", not_(_refused()),
                         func.coalesce(_payment_shown(), false()) == false()),
        "seized": kind.in_(("seizure", "seizure_extension")),
        "located": and_(kind == "localization", _located()),
        "not_found": and_(kind == "localization",
                          func.coalesce(_located(), false()) == false()),
    }
    return conditions[outcome]


@cache  # built once: the expression is the same for every query and costs ms to build
def outcome_expression() -> ColumnElement[str]:
    """The OUTCOMES key of each row, computed by the database (the conditions never overlap)."""
    return case(*((outcome_condition(key), key) for key in OUTCOMES), else_=literal(None))


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last row's (captured_at, id). Rows are newest first."""

    captured_at: datetime
    id: str

    def encode(self) -> str:
        return f"{self.captured_at.astimezone(UTC).isoformat()}~{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        stamp, sep, ident = text.partition("~")
        try:
            at = datetime.fromisoformat(stamp)
        except ValueError:
            at = None
        if not sep or at is None or at.tzinfo is None or not ident or len(ident) > 36:
            raise FilterError("El enlace de la página siguiente no es válido; vuelva a la primera.")
        return cls(at, ident)


@dataclass(frozen=True)
class DiligenceFilter:
    """What the office head asked to see. Query-string names are Spanish (they are in the
    addresses users copy); ``to_args`` gives them back for links and exports."""

    user_id: int | None = None
    sector_id: int | None = None
    kind: str | None = None
    outcome: str | None = None
    review_state: str | None = None
    findings: str | None = None
    incomplete: bool = False
    far_from_address: bool = False  # R-GPS-1 fired
    date_from: date | None = None
    date_to: date | None = None
    all_versions: bool = False

    ARGS = {"user_id": "persona", "sector_id": "sector", "kind": "tipo", "outcome": "resultado",
            "review_state": "estado", "findings": "hallazgos", "incomplete": "incompletas",
            "far_from_address": "lejos",
            "date_from": "desde", "date_to": "hasta", "all_versions": "versiones"}

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> tuple[DiligenceFilter, list[str]]:
        """The filter and the Spanish message of each value that could not be read (that
        value is left out of the filter, and the caller refuses to answer with it)."""
        errors: list[str] = []
        values: dict[str, Any] = {}

        def text(name: str) -> str:
            return (args.get(cls.ARGS[name]) or "").strip()

        for name, label in (("user_id", "La persona"), ("sector_id", "El sector")):
            raw = text(name)
            if raw:
                if raw.isascii() and raw.isdigit() and len(raw) < 10:
                    values[name] = int(raw)
                else:
                    errors.append(f"{label} elegida no es válida.")
        for name, allowed, label in (("kind", DILIGENCE_KINDS, "El tipo de diligencia"),
                                     ("outcome", OUTCOMES, "El resultado"),
                                     ("review_state", REVIEW_STATES, "El estado de revisión"),
                                     ("findings", FINDINGS, "El filtro de hallazgos legales")):
            raw = text(name)
            if raw:
                if raw in allowed:
                    values[name] = raw
                else:
                    errors.append(f"{label} «{raw[:40]}» no existe.")
        for name, label in (("date_from", "desde"), ("date_to", "hasta")):
            raw = text(name)
            if raw:
                try:
                    values[name] = date.fromisoformat(raw)
                except ValueError:
                    errors.append(f"La fecha «{label}» debe tener la forma AAAA-MM-DD.")
        values["incomplete"] = text("incomplete") in ("1", "si", "on", "true")
        values["far_from_address"] = text("far_from_address") in ("1", "si", "on", "true")
        values["all_versions"] = text("all_versions") == "todas"
        flt = cls(**values)
        if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
            errors.append("La fecha «desde» es posterior a la fecha «hasta».")
        return flt, errors

    def to_args(self, **overrides: Any) -> dict[str, str]:
        """Query-string arguments of this filter (only what is set), for ``url_for``."""
        flt = replace(self, **overrides) if overrides else self
        out: dict[str, str] = {}
        for name, arg in self.ARGS.items():
            value = getattr(flt, name)
            if value is None or value is False:
                continue
            if name in ("incomplete", "far_from_address"):
                out[arg] = "1"
            elif name == "all_versions":
                out[arg] = "todas"
            else:
                out[arg] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    @property
    def is_empty(self) -> bool:
        return not self.to_args()


def _local_midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def conditions(office: Office, flt: DiligenceFilter, *, with_state: bool = True
               ) -> list[ColumnElement[bool]]:
    """The WHERE of the filter, always inside ``office``. Dates are the office's days: a day
    runs from its local midnight to the next (office time zone, R-CAL-3's clock)."""
    where: list[ColumnElement[bool]] = [Diligence.office_id == office.id]
    if not flt.all_versions:
        where.append(Diligence.superseded_by_id.is_(None))
    if flt.user_id is not None:
        where.append(Diligence.user_id == flt.user_id)
    if flt.sector_id is not None:
        in_sector = (select(Document.id).join(Address, Document.address_id == Address.id)
                     .where(Document.office_id == office.id, Address.sector_id == flt.sector_id))
        where.append(Diligence.document_id.in_(in_sector))
    if flt.kind is not None:
        where.append(Diligence.kind == flt.kind)
    if flt.outcome is not None:
        where.append(outcome_condition(flt.outcome))
    if with_state and flt.review_state is not None:
        where.append(Diligence.review_state == flt.review_state)
    if flt.findings == "block":
        where.append(Diligence.has_block_findings.is_(True))
    elif flt.findings == "warn":
        where.append(and_(Diligence.has_warn_findings.is_(True),
                          Diligence.has_block_findings.is_(False)))
    elif flt.findings == "none":
        where.append(and_(Diligence.has_warn_findings.is_(False),
                          Diligence.has_block_findings.is_(False)))
    if flt.incomplete:
        where.append(Diligence.complete.is_(False))
    if flt.far_from_address:
        where.append(Diligence.far_from_address.is_(True))
    tz = ZoneInfo(office.timezone)
    if flt.date_from is not None:
        where.append(Diligence.captured_at >= _local_midnight_utc(flt.date_from, tz))
    if flt.date_to is not None:
        where.append(Diligence.captured_at < _local_midnight_utc(flt.date_to + timedelta(days=1), tz))
    return where


def _row_options():  # type: ignore[no-untyped-def]
    return (joinedload(Diligence.user),
            joinedload(Diligence.document).joinedload(Document.debtor),
            joinedload(Diligence.document).joinedload(Document.address).joinedload(Address.sector))


NEWEST_FIRST = (Diligence.captured_at.desc(), Diligence.id.desc())


def _after(cursor: Cursor) -> ColumnElement[bool]:
    # Keyset: strictly after the last row shown, in (captured_at, id) descending order. A row
    # value comparison, so PostgreSQL starts the index scan at the cursor instead of reading
    # and discarding every newer row.
    return tuple_(Diligence.captured_at, Diligence.id) < tuple_(
        literal(cursor.captured_at, Diligence.captured_at.type), literal(cursor.id, Diligence.id.type))


@dataclass(frozen=True)
class StateCounts:
    """Rows per review state, each counted up to ``cap`` (None: exact); a state with more
    than ``cap`` rows holds ``cap + 1`` and ``label`` says "más de …"."""

    counts: dict[str, int]
    cap: int | None = None

    def __getitem__(self, state: str) -> int:
        return self.counts[state]

    def is_capped(self, state: str) -> bool:
        return self.cap is not None and self.counts[state] > self.cap

    @property
    def any_capped(self) -> bool:
        return any(self.is_capped(state) for state in self.counts)

    @property
    def total(self) -> int:
        return sum(min(n, self.cap) if self.cap is not None else n for n in self.counts.values())

    def label(self, state: str) -> str:
        return f"más de {_thousands(self.cap)}" if self.is_capped(state) else _thousands(self.counts[state])

    @property
    def total_label(self) -> str:
        return f"más de {_thousands(self.total)}" if self.any_capped else _thousands(self.total)


def _thousands(n: int | None) -> str:
    return f"{n or 0:,}"  # Mexico writes 10,000


@dataclass
class Page:
    rows: list[Diligence]
    next_cursor: Cursor | None
    counts: StateCounts = field(default_factory=lambda: StateCounts(dict.fromkeys(REVIEW_STATES, 0)))

    @property
    def total(self) -> int:
        return self.counts.total


def page_of(office: Office, flt: DiligenceFilter, after: Cursor | None = None,
            size: int = DEFAULT_PAGE_SIZE, count_cap: int | None = COUNT_CAP) -> Page:
    """One page of the filtered list, newest first, and the counts per review state of the
    filter without its review-state part (so the office head sees where the rest are)."""
    stmt = select(Diligence).where(*conditions(office, flt)).options(*_row_options())
    if after is not None:
        stmt = stmt.where(_after(after))
    rows = list(db.session.scalars(stmt.order_by(*NEWEST_FIRST).limit(size + 1)).unique())
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = Cursor(rows[-1].captured_at, rows[-1].id) if more else None
    return Page(rows, next_cursor, StateCounts(counts_by_state(office, flt, cap=count_cap), count_cap))


def configured_count_cap() -> int:
    """The cap of the counts per review state (REVIEW_COUNT_CAP, default COUNT_CAP)."""
    return int(current_app.config.get("REVIEW_COUNT_CAP", COUNT_CAP))


def office_state_counts(office: Office) -> StateCounts:
    """The office's current diligences per review state, capped (the office head's home)."""
    cap = configured_count_cap()
    return StateCounts(counts_by_state(office, DiligenceFilter(), cap=cap), cap)


def counts_by_state(office: Office, flt: DiligenceFilter, *, cap: int | None = None) -> dict[str, int]:
    """Rows of the filter (without its state part) per review state; with ``cap``, each count
    stops at ``cap + 1``: one subquery per state with LIMIT, which reads at most that many
    entries of ix_diligences_office_current_state instead of the office's whole history."""
    where = conditions(office, flt, with_state=False)
    if cap is None:
        found = dict(db.session.execute(
            select(Diligence.review_state, func.count()).where(*where)
            .group_by(Diligence.review_state)).all())
        return {state: int(found.get(state, 0)) for state in REVIEW_STATES}
    per_state = [
        select(func.count()).select_from(
            select(literal(1)).where(*where, Diligence.review_state == state)
            .limit(cap + 1).subquery()).scalar_subquery().label(state)
        for state in REVIEW_STATES]
    found_row = db.session.execute(select(*per_state)).one()
    return {state: int(n) for state, n in zip(REVIEW_STATES, found_row, strict=True)}


def iter_filtered(office: Office, flt: DiligenceFilter, chunk: int = 500) -> Iterator[Diligence]:
    """Every row of the filter, newest first, read a keyset chunk at a time (exports)."""
    after: Cursor | None = None
    while True:
        stmt = select(Diligence).where(*conditions(office, flt)).options(*_row_options())
        if after is not None:
            stmt = stmt.where(_after(after))
        rows = list(db.session.scalars(stmt.order_by(*NEWEST_FIRST).limit(chunk)).unique())
        yield from rows
        if len(rows) < chunk:
            return
        after = Cursor(rows[-1].captured_at, rows[-1].id)
        db.session.expunge_all()  # an export of the whole office stays small in memory


@dataclass(frozen=True, slots=True)
class MapPoint:
    """What a map marker and a GeoJSON feature show of one diligence (exports.feature). The
    map reads these columns alone, never the record's content (the largest column, JSON to
    parse) nor ORM objects: 2,000 of those cost more than the query. The flags, labels and
    "current" are Diligence's own rules, borrowed below rather than copied."""

    # In the order points_for_map selects them (a point is made from a row's values as is).
    id: str
    version: int
    superseded_by_id: str | None
    kind: str
    review_state: str
    captured_at: datetime
    gps_latitude: float | None
    gps_longitude: float | None
    gps_accuracy_m: float | None
    complete: bool
    clock_drift: bool
    credit_closed: bool
    assignment_withdrawn: bool
    chain_status: str
    has_block_findings: bool
    has_warn_findings: bool
    seals: list[dict[str, Any]] | None  # server_notes["seals"], the flags' one use of the notes
    outcome: str
    user_name: str
    folio: str
    debtor_name: str

    @property
    def server_notes(self) -> dict[str, Any]:
        return {"seals": self.seals} if self.seals else {}

    flags = Diligence.flags
    is_current = Diligence.is_current
    kind_label = Diligence.kind_label
    review_state_label = Diligence.review_state_label

    @classmethod
    def of(cls, d: Diligence) -> MapPoint:
        """The point of a loaded record (the GeoJSON export streams ORM rows)."""
        values = {name: getattr(d, name) for name in _MAP_COLUMNS}
        return cls(**values, seals=(d.server_notes or {}).get("seals"), outcome=outcome_of(d),
                   user_name=d.user.full_name, folio=d.document.folio,
                   debtor_name=d.document.debtor.legal_name)


_MAP_COLUMNS = ("id", "version", "superseded_by_id", "kind", "review_state", "captured_at",
                "gps_latitude", "gps_longitude", "gps_accuracy_m", "complete", "clock_drift",
                "credit_closed", "assignment_withdrawn", "chain_status", "has_block_findings",
                "has_warn_findings")


class MapPoints:
    """The newest ``limit`` filtered diligences that have a GPS fix, read as they are iterated
    (once); ``truncated`` tells afterwards whether there were more (limit + 1 rows read: no
    count over the whole office). Made one row at a time and meant to be serialised point by
    point (exports.feature_collection), so 2,000 points are never all alive at once: held
    together they outlive the young GC generations, and every few maps Python then walks the
    whole heap (~60 ms in this app)."""

    def __init__(self, stmt: Select[Any], limit: int) -> None:
        self._stmt, self._limit = stmt, limit
        self.truncated: bool | None = None

    def __iter__(self) -> Iterator[MapPoint]:
        # Core execution: rows are made one at a time as they are read (the ORM would first
        # build all of them), and no ORM object is involved.
        result = db.session.connection().execute(self._stmt)
        self.truncated = False
        for n, row in enumerate(result):
            if n == self._limit:
                self.truncated = True
                break
            yield MapPoint(*row)
        result.close()


def points_for_map(office: Office, flt: DiligenceFilter, limit: int = MAP_LIMIT) -> MapPoints:
    """The map's points of the filter (``MapPoints``). The outcome is computed by the database
    (``outcome_expression``), from the content it does not send."""
    stmt = (
        select(*(getattr(Diligence, name) for name in _MAP_COLUMNS),
               # Only the seal notes: absent on most rows, so no JSON to parse.
               Diligence.server_notes["seals"].label("seals"),
               outcome_expression().label("outcome"), User.full_name.label("user_name"),
               Document.folio, Debtor.legal_name.label("debtor_name"))
        .join(User, User.id == Diligence.user_id)
        .join(Document, Document.id == Diligence.document_id)
        .join(Debtor, Debtor.id == Document.debtor_id)
        .where(*conditions(office, flt), Diligence.gps_latitude.is_not(None),
               Diligence.gps_longitude.is_not(None))
        .order_by(*NEWEST_FIRST).limit(limit + 1))
    return MapPoints(stmt, limit)


# Choices of the filter form ----------------------------------------------------------------

def field_people(office: Office) -> list[User]:
    """Everyone who may have captured diligences here (inactive people too: their records stay)."""
    return list(db.session.scalars(
        select(User).where(User.office_id == office.id, User.role.in_(FIELD_ROLES))
        .order_by(User.full_name)))


def sectors_of(office: Office) -> list[Sector]:
    return list(db.session.scalars(
        select(Sector).where(Sector.office_id == office.id).order_by(Sector.code)))
