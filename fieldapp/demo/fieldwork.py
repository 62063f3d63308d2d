"""A few days of field work for the demo office, recorded as the phones would record it.

Each field user gets a demo phone (a real Device). Their visits of the last business days are
built as protocol records (facts, GPS fix, photo and signature hashes), sealed with the real
canonical hash and chained per phone, parsed by the device protocol and stored through the one
write path (``record_diligences``) with a ``Receipt`` from that phone; the photos go through the
media service afterwards, as a phone uploads them. One photo never arrives (an incomplete
record). The office head's decisions go through ``decide``, and one returned record comes back
corrected as a new version. Nothing here writes a diligence row by itself.

Warnings the legal checks raise carry the field user's reason, as the phone requires; one
follow-up visit started before the appointed hour (R-NOT-5) is stored with its block.
"""

from __future__ import annotations

import copy
import hashlib
import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.db_types import utcnow
from fieldapp.demo import evidence
from fieldapp.demo.data import GIVEN_NAMES, SURNAMES
from fieldapp.devices.models import Device
from fieldapp.devices.services import enroll_device
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.records import content_hash, format_timestamp, parse_record
from fieldapp.diligences.services import Receipt, decide, media_arrived, record_diligences
from fieldapp.extensions import db
from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.checks import CheckParams, check_diligence
from fieldapp.legal.facts import position_facts
from fieldapp.legal.services import calendar_for, check_params_for
from fieldapp.media.services import store_media
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import Document

FIELD_DAYS = 4  # business days of work before the day of seeding
FIRST_VISIT = time(9, 0)
METRES_PER_DEGREE = 111_320.0
NOTARIES = ("Notario Público 12 de Guadalajara", "Notario Público 45 de Zapopan",
            "Notario Público 3 de Tlaquepaque", "Notario Público 101 de Guadalajara")
EMPLOYEE_ROLES = ("Encargada de recepción", "Contador de la empresa", "Gerente de tienda",
                  "Auxiliar administrativo", "Jefa de personal", "Encargado del almacén")
ABSENCES = ("Salió a una junta fuera de la oficina", "Se encuentra de viaje de negocios",
            "No ha llegado a la oficina", "Está en una audiencia en la Junta de Conciliación")
# What the field user writes when a warning lets them go on (the phone asks for it).
REASONS = {
    "R-NOT-2": "Es el único domicilio conocido del patrón: el domicilio fiscal registrado no existe.",
    "R-CAL-4": "La diligencia inició en horario hábil; la persona tardó en reunir sus documentos.",
    "R-NOT-6": "La persona se negó a recibir el documento: se turna para notificación por estrados.",
    "R-NOT-5": "Tráfico por obras en la avenida: se llegó unos minutos después de la hora fijada.",
    "R-PAE-1": "Se deja constancia en el acta de por qué no se embargó en el acto.",
    "R-GPS-1": "El domicilio registrado está mal ubicado en el mapa; se verificó con el letrero y "
               "el número exterior.",
}
DEFAULT_REASON = "Se deja constancia en el acta."

Media = tuple[bytes, str, str]  # bytes, content type, role


@dataclass
class FieldworkSeed:
    records: int = 0
    photos: int = 0
    devices: int = 0


@dataclass
class Planned:
    """One record as a phone builds it before sealing."""

    user: User
    assignment: Assignment
    kind: str
    facts: dict[str, Any]
    gps: dict[str, Any]
    media: list[Media]
    captured_at: datetime
    record_id: str
    never_uploaded: set[int] = field(default_factory=set)  # media positions whose bytes stay lost
    replaces: str | None = None
    tag: str = ""  # what the seeding does with it later (review decisions)


@dataclass
class Phone:
    user: User
    device: Device
    last_hash: str | None = None


class Planner:
    """Lays out each field user's days: visits in order from nine in the morning, follow-up
    visits at the hour their citatorio fixed."""

    def __init__(self, rng: random.Random, office: Office, days: list[date]) -> None:
        self.rng = rng
        self.office = office
        self.zone = ZoneInfo(office.timezone)
        self.days = days
        self.params: dict[date, CheckParams] = {}
        self.cursors: dict[tuple[int, date], datetime] = {}
        self.planned: list[Planned] = []

    # Time ------------------------------------------------------------------------------------

    def slot(self, user: User, day: date, minutes: int = 45) -> datetime:
        """The next free start time of ``user`` on ``day`` (local, aware)."""
        key = (user.id, day)
        start = self.cursors.get(key) or datetime.combine(day, FIRST_VISIT, self.zone) + timedelta(
            minutes=self.rng.randint(0, 25))
        self.cursors[key] = start + timedelta(minutes=minutes + self.rng.randint(20, 40))
        return start

    def next_business_day(self, day: date) -> date:
        return self.check_params(day).calendar.next_business_day(day)

    def check_params(self, day: date) -> CheckParams:
        if day not in self.params:
            self.params[day] = check_params_for(self.office, day)
        return self.params[day]

    # People and places -----------------------------------------------------------------------

    def person(self) -> str:
        return f"{self.rng.choice(GIVEN_NAMES)} {self.rng.choice(SURNAMES)} {self.rng.choice(SURNAMES)}"

    def ine(self) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(13))

    def gps(self, document: Document, fix_at: datetime, quality: str) -> dict[str, Any]:
        """A fix near the address on file; ``far`` over a kilometre off (R-GPS-1 asks why),
        ``poor`` with a wide accuracy circle still within the office's limit (R-GPS-2 would
        block a worse one: a phone could not have finalized it)."""
        address = document.address
        lat, lon = address.latitude or 20.6767, address.longitude or -103.3475
        metres = {"far": self.rng.uniform(1200, 2500), "poor": self.rng.uniform(20, 90)}.get(
            quality, self.rng.uniform(3, 25))
        bearing = self.rng.uniform(0, 2 * math.pi)
        dlat = metres * math.cos(bearing) / METRES_PER_DEGREE
        dlon = metres * math.sin(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
        accuracy = self.rng.uniform(60, 95) if quality == "poor" else self.rng.uniform(4, 16)
        return {"latitude": round(lat + dlat, 6), "longitude": round(lon + dlon, 6),
                "accuracy_m": round(accuracy, 1), "fix_at": format_timestamp(fix_at)}

    def stamp(self, gps: dict[str, Any], moment: datetime) -> str:
        local = moment.astimezone(self.zone)
        return (f"{gps['latitude']:.6f}, {gps['longitude']:.6f} ±{gps['accuracy_m']:.0f} m · "
                f"{local:%d/%m/%Y %H:%M}")

    # Records ---------------------------------------------------------------------------------

    def visit(self, user: User, assignment: Assignment, kind: str, started: datetime, *,
              minutes: int = 40, build: Callable[[dict[str, Any], datetime], None],
              photos: Callable[[dict[str, Any], datetime], list[Media]] | None = None,
              signature: bool = True, gps_quality: str = "good", tag: str = "",
              lose_photo: bool = False) -> Planned:
        """Plans one record: the common facts of every acta (R-NOT-8), then ``build`` adds the
        kind's own; photos of the façade (and ``photos``), a signature, a GPS fix."""
        document = assignment.document
        debtor = document.debtor
        arrived = started - timedelta(minutes=self.rng.randint(3, 8))
        finished = started + timedelta(minutes=minutes + self.rng.randint(0, 8))
        company = debtor.person_type == "company"
        facts: dict[str, Any] = {
            "kind": kind,
            "arrived_at": _iso(arrived), "started_at": _iso(started), "finished_at": _iso(finished),
            "addressee_type": "company" if company else "person",
            "address": {"text": document.address.one_line, "origin": document.address.origin},
            "address_verification": ["street_sign", "house_number", "photo", "gps"],
            "addressee_asked": True,
            "field_user": _credential(user),
            "entered_at": {},
        }
        if company:
            facts["representative_asked"] = True
        build(facts, started)
        gps = self.gps(document, arrived + timedelta(minutes=1), gps_quality)
        number = document.address.exterior_number
        media: list[Media] = [(evidence.facade_photo(self.rng.getrandbits(32), debtor.legal_name,
                                                     number, self.stamp(gps, arrived)),
                               "image/jpeg", "facade")]
        if photos is not None:
            media.extend(photos(gps, started))
        if signature and not facts.get("refused_to_sign") and not facts.get("refused_to_receive"):
            media.append((evidence.signature_png(self.rng.getrandbits(32)), "image/png", "signature"))
        lost = set()
        if lose_photo:  # a second photo whose bytes never leave the phone
            media.append((evidence.facade_photo(self.rng.getrandbits(32), debtor.legal_name, number,
                                                self.stamp(gps, started)), "image/jpeg", "evidence"))
            lost.add(len(media) - 1)
        planned = Planned(user, assignment, kind, facts, gps, media,
                          (finished + timedelta(minutes=self.rng.randint(1, 3))).astimezone(UTC),
                          str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), lost, tag=tag)
        self.planned.append(planned)
        return planned

    def entered(self, facts: dict[str, Any], started: datetime, *keys: str) -> None:
        """R-NOT-9: each on-site fact is typed on site, a minute or two apart."""
        for i, key in enumerate(keys, start=2):
            facts["entered_at"][key] = _iso(started + timedelta(minutes=i))

    def attendee_in_person(self, facts: dict[str, Any], document: Document, started: datetime) -> None:
        debtor = document.debtor
        if debtor.person_type == "company":
            facts["attendee"] = {
                "name": debtor.legal_representative or self.person(),
                "capacity": "legal_representative", "relationship": "Administrador único",
                "id_type": "INE", "id_number": self.ine(),
                "power": {"instrument_number": str(self.rng.randint(10_000, 99_999)),
                          "notary": self.rng.choice(NOTARIES),
                          "granted_on": date(self.rng.randint(2012, 2024), self.rng.randint(1, 12),
                                             self.rng.randint(1, 28)).isoformat()}}
        else:
            facts["attendee"] = {"name": debtor.legal_name, "capacity": "addressee",
                                 "relationship": "El propio contribuyente", "id_type": "INE",
                                 "id_number": self.ine()}
        facts["copy_delivered"] = True
        self.entered(facts, started, "attendee.name", "attendee.id_number", "attendee.relationship")

    def attendee_other(self, facts: dict[str, Any], started: datetime, *,
                       neighbor: bool = False) -> None:
        """Someone else attends: the acta says why the addressee is absent and who said so."""
        name = self.person()
        if neighbor:
            facts["attendee"] = {"name": name, "capacity": "neighbor",
                                 "relationship": f"Vecino del número {self.rng.randint(10, 999)}",
                                 "id_type": "INE", "id_number": self.ine()}
            facts["absence_reason"] = "Nadie atiende en el domicilio a la hora fijada"
        else:
            role = self.rng.choice(EMPLOYEE_ROLES)
            facts["attendee"] = {"name": name, "capacity": "employee", "relationship": role,
                                 "id_type": "INE", "id_number": self.ine()}
            facts["absence_reason"] = self.rng.choice(ABSENCES)
        facts["absence_informant"] = f"{name}, {facts['attendee']['relationship'].lower()}"
        facts["copy_delivered"] = True
        self.entered(facts, started, "attendee.name", "attendee.id_number", "attendee.relationship",
                     "absence_reason", "absence_informant")


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _credential(user: User) -> dict[str, Any]:
    """The field user's credential as the acta shows it (R-NOT-8; executors R-PAE-2)."""
    credential: dict[str, Any] = {
        "name": user.full_name, "credential_number": user.credential_number,
        "issued_on": user.credential_issued_on.isoformat() if user.credential_issued_on else None,
        "valid_until": user.credential_valid_until.isoformat() if user.credential_valid_until else None,
        "issuer": user.credential_issuer,
    }
    if user.role == "executor":
        credential.update({"legal_basis": "CFF 152; RCFF 97", "has_photo": True,
                           "has_signature": True})
    return credential


# The scenarios of a day ------------------------------------------------------------------------

def _notification_in_person(p: Planner, user: User, a: Assignment, day: date, **kw: Any) -> Planned:
    started = kw.pop("started", None) or p.slot(user, day)
    return p.visit(user, a, "notification", started,
                   build=lambda f, s: p.attendee_in_person(f, a.document, s), **kw)


def _citatorio(p: Planner, user: User, a: Assignment, day: date, appointment: datetime,
               **kw: Any) -> Planned:
    """R-NOT-3: the addressee is absent; the citatorio fixes an hour of the next business day."""
    def build(f: dict[str, Any], s: datetime) -> None:
        p.attendee_other(f, s)
        f["appointment_at"] = _iso(appointment)

    return p.visit(user, a, "citatorio", p.slot(user, day), minutes=20, build=build, **kw)


def _posting(p: Planner, user: User, a: Assignment, day: date, appointment: datetime,
             **kw: Any) -> Planned:
    """R-NOT-4: nobody to receive the citatorio: it is fixed at the entrance, with a photo."""
    def build(f: dict[str, Any], s: datetime) -> None:
        f["appointment_at"] = _iso(appointment)
        f["posting_reason"] = "nobody_present"

    def photos(gps: dict[str, Any], s: datetime) -> list[Media]:
        return [(evidence.posting_photo(p.rng.getrandbits(32), a.document.address.exterior_number,
                                        p.stamp(gps, s + timedelta(minutes=8))),
                 "image/jpeg", "posting")]

    return p.visit(user, a, "posting_record", p.slot(user, day), minutes=15, build=build,
                   photos=photos, signature=False, **kw)


def _follow_up(p: Planner, user: User, a: Assignment, citatorio: Planned, appointment: datetime,
               *, kind: str = "notification", late_minutes: int = 0, neighbor: bool = False,
               refused: bool = False, extra: Callable[[dict[str, Any]], None] | None = None,
               **kw: Any) -> Planned:
    """R-NOT-5: back at the appointed hour; whoever is there receives (or refuses, R-NOT-6)."""
    issued = datetime.fromisoformat(citatorio.facts["started_at"])

    def build(f: dict[str, Any], s: datetime) -> None:
        f["citatorio"] = {"issued_at": _iso(issued), "appointed_at": _iso(appointment)}
        p.attendee_other(f, s, neighbor=neighbor)
        if refused:
            f["refused_to_receive"] = True
            f["refused_to_sign"] = True
            f["copy_delivered"] = False
        if extra is not None:
            extra(f)

    return p.visit(user, a, kind, appointment + timedelta(minutes=late_minutes), build=build, **kw)


# A neighbour's word on where a debtor moved (R-NOT-10): approved, it is the office head's
# cambio de domicilio proposal on /oficina/domicilios.
NEW_ADDRESS = {"street": "Av. Patria", "exterior_number": "1500", "interior_number": "4",
               "neighborhood": "Jardines Universidad", "municipality": "Zapopan",
               "state": "Jalisco", "postal_code": "45110"}


def _not_located(p: Planner, user: User, a: Assignment, day: date, reason: str, notice: str,
                 statement: str, premises: str, new_address: bool = False,
                 **kw: Any) -> Planned:
    """R-NOT-10: the debtor is not at the address; the evidence is recorded, and the new
    address when the neighbour gave it."""
    def build(f: dict[str, Any], s: datetime) -> None:
        neighbour = f"{p.person()} (vecino)"
        f["not_located"] = {"reason": reason, "premises_state": premises,
                            "statements": [{"name": neighbour, "text": statement}]}
        if new_address:
            f["not_located"]["new_address"] = {**NEW_ADDRESS, "informant": neighbour}
        p.entered(f, s, "not_located.premises_state")

    def photos(gps: dict[str, Any], s: datetime) -> list[Media]:
        return [(evidence.premises_photo(p.rng.getrandbits(32), a.document.address.exterior_number,
                                         notice, p.stamp(gps, s + timedelta(minutes=5))),
                 "image/jpeg", "evidence")]

    return p.visit(user, a, "not_located", p.slot(user, day), minutes=25, build=build,
                   photos=photos, signature=False, **kw)


def _demand(p: Planner, user: User, a: Assignment, day: date, outcome: str, **kw: Any) -> Planned:
    """R-PAE-1: the requerimiento de pago to the debtor in person."""
    credits = ", ".join(c.credit_number for c in a.document.credits)
    total = f"${a.document.total:,.2f}"

    def build(f: dict[str, Any], s: datetime) -> None:
        p.attendee_in_person(f, a.document, s)
        f["payment"] = _payment(outcome, credits)

    def photos(gps: dict[str, Any], s: datetime) -> list[Media]:
        if outcome != "proof_shown":
            return []
        return [(evidence.document_photo(p.rng.getrandbits(32), "Comprobante de pago SIPARE",
                                         [f"Créditos {credits}", f"Importe pagado {total}",
                                          f"Línea de captura {p.rng.getrandbits(40):012d}"],
                                         p.stamp(gps, s + timedelta(minutes=12))),
                 "image/jpeg", "document")]

    return p.visit(user, a, "payment_demand", p.slot(user, day, minutes=60), minutes=55,
                   build=build, photos=photos, **kw)


def _payment(outcome: str, credits: str) -> dict[str, Any]:
    if outcome == "proof_shown":
        return {"outcome": "proof_shown",
                "proof_document": f"Comprobante de pago SIPARE de los créditos {credits}"}
    return {"outcome": "not_paid",
            "no_seizure_reason": "Los bienes del local son herramientas de trabajo, inembargables "
                                 "(CFF 157); se solicitará embargo de cuentas."}


# Seeding ----------------------------------------------------------------------------------------

def _previous_business_days(calendar: BusinessCalendar, today: date, count: int) -> list[date]:
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if calendar.is_business_day(day):
            days.append(day)
    return sorted(days)


def _pool(user: User) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).where(Assignment.user_id == user.id, Assignment.status == "pending")
        .options(joinedload(Assignment.document).joinedload(Document.address),
                 joinedload(Assignment.document).joinedload(Document.debtor),
                 joinedload(Assignment.document).selectinload(Document.credits))
        .order_by(Assignment.id)))


def _plan_notifier(p: Planner, user: User, pool: list[Assignment], variant: int) -> None:
    """Four days of a notifier: first visits, citatorios and constancias with their follow-ups,
    addresses where the debtor is gone, a late finish (R-CAL-4), a far or imprecise GPS fix;
    the first notifier also meets a refusal (R-NOT-6) and loses a photo, the second starts a
    follow-up before the appointed hour (R-NOT-5, a block)."""
    d = p.days

    def take() -> Assignment:
        if not pool:
            raise RuntimeError(f"{user.username} has too few pending assignments for the demo")
        return pool.pop(0)

    first = variant == 0
    # Day 1: a notification in person, a citatorio and a constancia (both followed up on day 2).
    _notification_in_person(p, user, take(), d[0], tag="approve")
    a = take()
    appointment = p.slot(user, d[1])
    cit = _citatorio(p, user, a, d[0], appointment, tag="approve")
    _follow_up(p, user, a, cit, appointment, late_minutes=p.rng.randint(0, 8) if first else -10,
               tag="approve" if first else "block")
    if first:
        _not_located(p, user, take(), d[0], "moved", "SE RENTA",
                     "Se mudaron hace unos seis meses a la Av. Patria, en Zapopan",
                     "Local vacío con letrero de renta", new_address=True, tag="approve")
    else:
        _notification_in_person(p, user, take(), d[0], gps_quality="far", tag="approve")
    a = take()
    appointment = p.slot(user, d[1])
    posted = _posting(p, user, a, d[0], appointment, tag="approve")
    _follow_up(p, user, a, posted, appointment, neighbor=True, late_minutes=p.rng.randint(0, 6),
               tag="approve")
    # Day 2
    _notification_in_person(p, user, take(), d[1],
                            tag="return_and_correct" if first else "approve")
    a = take()
    appointment = p.slot(user, d[2])
    cit = _citatorio(p, user, a, d[1], appointment, gps_quality="poor")
    # The refusal is approved: its document goes to estrados (R-NOT-6), as the not-located one.
    _follow_up(p, user, a, cit, appointment, refused=first, late_minutes=p.rng.randint(0, 5),
               tag="approve" if first else "comment")
    late = datetime.combine(d[1], time(17, 30), p.zone) + timedelta(minutes=p.rng.randint(0, 8))
    _notification_in_person(p, user, take(), d[1], started=late, minutes=50)  # ends after 18:00
    # Day 3
    if first:
        _not_located(p, user, take(), d[2], "closed", "CERRADO", "El negocio cerró en septiembre",
                     "Cortina metálica cerrada y sin letrero", lose_photo=True)
    else:
        _not_located(p, user, take(), d[2], "address_not_found", "SIN NUMERO",
                     "No hay ningún número así en esta cuadra",
                     "La numeración de la cuadra salta del 410 al 436", tag="reject")
    a = take()
    appointment = p.slot(user, d[3])
    cit = _citatorio(p, user, a, d[2], appointment, tag="" if first else "return")
    _follow_up(p, user, a, cit, appointment, late_minutes=p.rng.randint(0, 10))
    # Day 4, the last before today: a notification, and a citatorio for today still pending.
    _notification_in_person(p, user, take(), d[3])
    today_appointment = datetime.combine(p.next_business_day(d[3]), time(11, 0), p.zone)
    _citatorio(p, user, take(), d[3], today_appointment)


def _plan_executor(p: Planner, user: User, pool: list[Assignment]) -> None:
    """An executor's days: requerimientos de pago (not paid; proof of payment shown) and one
    requerimiento after a citatorio (R-PAE-2: the same formalities as a notification)."""
    d = p.days
    if len(pool) < 4:
        raise RuntimeError(f"{user.username} has too few pending execution orders for the demo")
    _demand(p, user, pool.pop(0), d[0], "not_paid", tag="approve")
    _demand(p, user, pool.pop(0), d[1], "proof_shown", tag="approve")
    a = pool.pop(0)
    appointment = p.slot(user, d[3], minutes=60)
    cit = _citatorio(p, user, a, d[2], appointment)
    credits = ", ".join(c.credit_number for c in a.document.credits)
    _follow_up(p, user, a, cit, appointment, kind="payment_demand", late_minutes=p.rng.randint(0, 6),
               minutes=55, extra=lambda f: f.update(payment=_payment("not_paid", credits)))
    _demand(p, user, pool.pop(0), d[3], "not_paid")


def _warning_reasons(p: Planner, planned: Planned) -> dict[str, str]:
    """The server's own checks (fieldapp.legal.checks) on the record, as the phone runs them
    before finalizing: every warning gets the field user's reason."""
    facts = dict(planned.facts)
    facts["media"] = [{"role": role, "id": _sha(data)} for data, _, role in planned.media]
    address = planned.assignment.document.address
    facts.update(position_facts(planned.gps, address.latitude, address.longitude))
    day = datetime.fromisoformat(planned.facts["started_at"]).astimezone(p.zone).date()
    findings = check_diligence(facts, p.check_params(day))
    return {f.rule_id: REASONS.get(f.rule_id, DEFAULT_REASON) for f in findings
            if f.severity == "warn"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sealed_record(planned: Planned, previous_hash: str | None, reasons: dict[str, str]
                  ) -> dict[str, Any]:
    """The record exactly as the phone sends it, with its canonical hash (RFC 8785 + SHA-256,
    fieldapp.diligences.records) chained to the phone's previous record."""
    record: dict[str, Any] = {
        "id": planned.record_id, "kind": planned.kind, "assignment_id": planned.assignment.id,
        "captured_at": format_timestamp(planned.captured_at), "gps": planned.gps,
        "facts": planned.facts,
        "media": [{"sha256": _sha(data), "bytes": len(data), "type": kind, "role": role}
                  for data, kind, role in planned.media],
        "previous_hash": previous_hash, "replaces": planned.replaces,
    }
    if reasons:
        record["warning_reasons"] = reasons
    return {**record, "content_hash": content_hash(record)}


class DemoSyncError(RuntimeError):
    """A demo record the write path did not accept: a bug of the demo, never of the data."""


def _push(p: Planner, phone: Phone, planned: Planned, received_at: datetime) -> Diligence:
    # The demo stands in for a phone: its records are parsed exactly as the sync API parses a
    # push (a record the API would refuse never reaches the write path).
    raw = sealed_record(planned, phone.last_hash, _warning_reasons(p, planned))
    rec = parse_record(raw)
    receipt = Receipt(user=phone.user, device=phone.device, received_at=received_at,
                      clock_offset_seconds=p.rng.randint(-3, 3))
    (result,) = record_diligences([rec], receipt)
    if result.status != "accepted" or result.diligence is None:
        raise DemoSyncError(f"demo record {planned.kind} {rec.id}: {result.status} "
                            f"{[e.to_dict() for e in result.errors]} {result.message or ''}")
    phone.last_hash = rec.content_hash
    return result.diligence


def _upload(phone: Phone, planned: Planned, received_at: datetime) -> int:
    """The phone uploads each file after its record, as the sync API's PUT does."""
    uploaded = 0
    for position, (data, kind, _) in enumerate(planned.media):
        if position in planned.never_uploaded:
            continue
        sha = _sha(data)
        store_media(sha, data, expected_type=kind, device_id=phone.device.id)
        media_arrived(sha, at=received_at + timedelta(seconds=15 + 6 * position))
        uploaded += 1
    return uploaded


def _correction(p: Planner, returned: Planned) -> Planned:
    """What the field user sends back for a returned record: the same visit with the acta
    corrected and the photo the office head asked for, as a new version naming the old one."""
    facts = copy.deepcopy(returned.facts)
    facts["attendee"]["relationship"] = "Apoderado legal con poder general para actos de administración"
    number = returned.assignment.document.address.exterior_number
    close_up = evidence.facade_photo(p.rng.getrandbits(32), "", number,
                                     p.stamp(returned.gps, returned.captured_at))
    corrected = Planned(returned.user, returned.assignment, returned.kind, facts, returned.gps,
                        [*returned.media, (close_up, "image/jpeg", "facade")], utcnow(),
                        str(uuid.UUID(int=p.rng.getrandbits(128), version=4)),
                        replaces=returned.record_id)
    return corrected


OBSERVATIONS = ("La foto de la fachada no deja ver el número exterior y el cargo de quien recibió "
                "no coincide con el poder notarial. Agregue una foto del número y corrija el cargo.")
RETURN_OBSERVATIONS = ("Anote en el citatorio el nombre completo de quien informó la ausencia y "
                       "su relación con el patrón (R-NOT-8).")
REJECTION = ("El domicilio existe según el catastro municipal (número 418): repita la visita y "
             "levante citatorio si no se encuentra al patrón (R-NOT-10).")
COMMENT = "Turnar a estrados si en la segunda visita tampoco se recibe."


def seed_fieldwork(rng: random.Random, office: Office, users: dict[str, User], today: date
                   ) -> FieldworkSeed:
    """Seeds the field work of the ``FIELD_DAYS`` business days before ``today``: phones, records
    through the write path, photos through the media service, then the office head's review."""
    calendar = calendar_for(office, today)
    planner = Planner(rng, office, _previous_business_days(calendar, today, FIELD_DAYS))
    field_users = [users["notificador1"], users["notificador2"], users["ejecutor1"]]
    phones = {}
    for user in field_users:
        device = enroll_device(user, f"Teléfono de {user.full_name.split()[0]} (demo)", via="password")
        phones[user.id] = Phone(user, device.device)
    _plan_notifier(planner, users["notificador1"], _pool(users["notificador1"]), 0)
    _plan_notifier(planner, users["notificador2"], _pool(users["notificador2"]), 1)
    _plan_executor(planner, users["ejecutor1"], _pool(users["ejecutor1"]))

    seed = FieldworkSeed(devices=len(phones))
    stored: dict[str, Diligence] = {}
    # Each phone sends its records in the order it finalized them, a few minutes later.
    for planned in sorted(planner.planned, key=lambda x: (x.captured_at, x.record_id)):
        phone = phones[planned.user.id]
        received_at = planned.captured_at + timedelta(minutes=rng.randint(1, 25))
        stored[planned.record_id] = _push(planner, phone, planned, received_at)
        seed.photos += _upload(phone, planned, received_at)
        seed.records += 1

    head = users["jefe1"]
    for planned in planner.planned:
        diligence = stored[planned.record_id]
        if planned.tag == "approve" and not diligence.has_block_findings:
            decide(diligence, "approved", actor=head)
        elif planned.tag == "reject":
            decide(diligence, "rejected", actor=head, reason=REJECTION)
        elif planned.tag == "return":
            decide(diligence, "returned", actor=head, observations=RETURN_OBSERVATIONS)
        elif planned.tag == "comment":
            decide(diligence, "comment", actor=head, observations=COMMENT)
        elif planned.tag == "return_and_correct":
            decide(diligence, "returned", actor=head, observations=OBSERVATIONS)
            corrected = _correction(planner, planned)
            phone = phones[planned.user.id]
            received_at = utcnow()
            _push(planner, phone, corrected, received_at)
            seed.photos += _upload(phone, corrected, received_at)
            seed.records += 1
    db.session.flush()
    return seed
