"""What changed for a field user since their phone's cursor, read in one consistent snapshot.

The cursor is a value of the change feed's clock (fieldapp.devices.feed): the phone gets every
assignment and diligence whose last change was stamped after its cursor, and the clock value
read *in the same snapshot* as its next cursor. Because stamps become visible in clock order, no
change committed before, during or after the pull can fall behind a cursor the phone already
holds (tests/sync/test_pull.py exercises both orders).

The snapshot: on PostgreSQL a REPEATABLE READ, READ ONLY transaction; on SQLite an explicit
BEGIN, whose read lock keeps the database file as it was at the first read until the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from fieldapp.assignments.models import OPEN_STATUSES, Assignment
from fieldapp.auth.models import User
from fieldapp.auth.services import credential_version
from fieldapp.db_types import utcnow
from fieldapp.devices.feed import current_seq
from fieldapp.devices.models import FeedMark
from fieldapp.diligences.models import Diligence, ReviewEvent
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.services import field_pack_for
from fieldapp.media.services import present
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Address, Credit, Document
from fieldapp.seals.services import unused_codes_of
from sync.protocol import PROTOCOL_VERSION, format_timestamp

CHUNK = 500


class InvalidCursor(DomainError):
    code = "invalid_cursor"
    status = 400

    def __init__(self) -> None:
        super().__init__("Cursor no válido: pida todo de nuevo sin cursor.")


def parse_cursor(text: str | None) -> int | None:
    """None means "from the beginning" (a full snapshot)."""
    if text is None or text == "":
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise InvalidCursor()
    return int(text)


def begin_snapshot() -> None:
    """Starts the read-only snapshot transaction on the request's session (it must not have
    begun a transaction yet: commit or roll back first)."""
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ",
                                                 "postgresql_readonly": True})
    else:
        db.session.connection().exec_driver_sql("BEGIN")


def build_pull(user: User, cursor: int | None, known_pack_digest: str | None = None,
               *, during: Callable[[], None] | None = None) -> dict[str, Any]:
    """The pull answer for ``user``; call inside the snapshot (``begin_snapshot``). ``during``
    runs after the clock is read and before the rows are (tests commit a change there)."""
    clock = current_seq(db.session)
    if during is not None:
        during()
    full = cursor is None or cursor > clock  # a cursor from the future: the database was restored
    if full:
        assignments = _open_assignments(user)
        diligences = _returned_diligences(user)
    else:
        assert cursor is not None
        marks = db.session.execute(
            select(FeedMark.entity, FeedMark.entity_id)
            .where(FeedMark.user_id == user.id, FeedMark.seq > cursor, FeedMark.seq <= clock))
        ids: dict[str, list[str]] = {"assignment": [], "diligence": []}
        for entity, entity_id in marks:
            ids.setdefault(entity, []).append(entity_id)
        assignments = _assignments_by_id(user, [int(i) for i in ids["assignment"]])
        diligences = _diligences_by_id(user, ids["diligence"])
    office = user.office
    today = office_today(office)
    pack = field_pack_for(office, today)
    digest = pack.get("digest")
    return {
        "protocol": PROTOCOL_VERSION,
        "cursor": str(clock),
        "full": full,
        "server_time": format_timestamp(utcnow()),
        "user": _user_dict(user),
        "assignments": [_assignment_dict(a, visits) for a, visits in _with_visits(assignments)],
        "diligences": _diligence_dicts(diligences),
        "legal_pack_digest": digest,
        "legal_pack": None if known_pack_digest and known_pack_digest == digest else pack,
        "today": today.isoformat(),
        # Always the whole list (it is short): the seal codes assigned to the user and not used
        # yet, so the phone can warn offline about a label that is not theirs (R-PAE-8).
        "seals": unused_codes_of(user),
    }


def _chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _assignment_options():  # type: ignore[no-untyped-def]
    return (
        joinedload(Assignment.document).joinedload(Document.debtor),
        joinedload(Assignment.document).joinedload(Document.address).joinedload(Address.sector),
        joinedload(Assignment.document).selectinload(Document.credits),
        joinedload(Assignment.address).joinedload(Address.sector),
    )


def _open_assignments(user: User) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment)
        .where(Assignment.user_id == user.id, Assignment.office_id == user.office_id,
               Assignment.status.in_(OPEN_STATUSES))
        .options(*_assignment_options()).order_by(Assignment.due_on, Assignment.id)))


def _assignments_by_id(user: User, ids: list[int]) -> list[Assignment]:
    found: list[Assignment] = []
    for chunk in _chunks(sorted(ids)):
        found.extend(db.session.scalars(
            select(Assignment)
            .where(Assignment.id.in_(chunk), Assignment.user_id == user.id,
                   Assignment.office_id == user.office_id)
            .options(*_assignment_options()).order_by(Assignment.id)))
    return found


def _diligence_options():  # type: ignore[no-untyped-def]
    return (selectinload(Diligence.media), selectinload(Diligence.review_events))


def _returned_diligences(user: User) -> list[Diligence]:
    return list(db.session.scalars(
        select(Diligence)
        .where(Diligence.user_id == user.id, Diligence.review_state == "returned",
               Diligence.superseded_by_id.is_(None))
        .options(*_diligence_options()).order_by(Diligence.received_at)))


def _diligences_by_id(user: User, ids: list[str]) -> list[Diligence]:
    found: list[Diligence] = []
    for chunk in _chunks(sorted(ids)):
        found.extend(db.session.scalars(
            select(Diligence).where(Diligence.id.in_(chunk), Diligence.user_id == user.id)
            .options(*_diligence_options()).order_by(Diligence.received_at)))
    return found


def _with_visits(assignments: list[Assignment]) -> list[tuple[Assignment, list[Diligence]]]:
    """Each assignment with the current versions of the diligences already made on it (a
    follow-up visit needs its citatorio, also on a phone that did not capture it)."""
    visits: dict[int, list[Diligence]] = {a.id: [] for a in assignments}
    for chunk in _chunks(sorted(visits)):
        for d in db.session.scalars(
                select(Diligence)
                .where(Diligence.assignment_id.in_(chunk), Diligence.superseded_by_id.is_(None))
                .order_by(Diligence.captured_at)):
            visits[d.assignment_id].append(d)
    return [(a, visits[a.id]) for a in assignments]


# Serialisers: explicit allowlists of what a phone may see --------------------------------------

def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _user_dict(user: User) -> dict[str, Any]:
    office = user.office
    return {
        "id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role,
        "credential": {"number": user.credential_number, "issued_on": _day(user.credential_issued_on),
                       "valid_until": _day(user.credential_valid_until),
                       "issuer": user.credential_issuer,
                       "legal_basis": user.credential_legal_basis,
                       "version": credential_version(user)},
        "office": {"code": office.code, "name": office.name, "timezone": office.timezone,
                   "photo_long_edge": office.photo_long_edge},
    }


def _credit_dict(credit: Credit) -> dict[str, Any]:
    return {
        "id": credit.id, "credit_number": credit.credit_number, "concept": credit.concept,
        "concept_label": credit.concept_label, "period": credit.period,
        "principal": _money(credit.principal),
        "inflation_adjustment": _money(credit.inflation_adjustment),
        "surcharges": _money(credit.surcharges), "total": _money(credit.total),
        "status": credit.status, "status_label": credit.status_label,
        "notified_on": _day(credit.notified_on), "payment_deadline": _day(credit.payment_deadline),
    }


def _address_dict(address: Address) -> dict[str, Any]:
    return {
        "id": address.id, "origin": address.origin, "origin_label": address.origin_label,
        "street": address.street, "exterior_number": address.exterior_number,
        "interior_number": address.interior_number, "neighborhood": address.neighborhood,
        "municipality": address.municipality, "state": address.state,
        "postal_code": address.postal_code, "one_line": address.one_line,
        "latitude": address.latitude, "longitude": address.longitude,
        "sector": {"code": address.sector.code, "name": address.sector.name} if address.sector else None,
    }


def _visit_dict(d: Diligence) -> dict[str, Any]:
    facts = d.facts
    return {"id": d.id, "kind": d.kind, "captured_at": format_timestamp(d.captured_at),
            "started_at": facts.get("started_at"), "appointment_at": facts.get("appointment_at"),
            "review_state": d.review_state}


def _assignment_dict(a: Assignment, visits: list[Diligence]) -> dict[str, Any]:
    document = a.document
    debtor = document.debtor
    return {
        "id": a.id, "status": a.status, "status_label": a.status_label,
        "due_on": _day(a.due_on), "assigned_at": format_timestamp(a.assigned_at),
        "updated_at": format_timestamp(a.updated_at),
        "withdrawal_reason": a.withdrawal_reason if a.status == "withdrawn" else None,
        "kind": a.kind, "kind_label": a.kind_label,
        "document": {
            "id": document.id, "kind": document.kind, "kind_label": document.kind_label,
            "folio": document.folio, "issued_on": _day(document.issued_on),
            "issuing_authority": document.issuing_authority, "total": _money(document.total),
            "debtor": {"id": debtor.id, "legal_name": debtor.legal_name,
                       "person_type": debtor.person_type, "rfc": debtor.rfc,
                       "legal_representative": debtor.legal_representative},
            # Where to go: a new address the office head accepted, else the document's.
            "address": _address_dict(a.visit_address),
            "credits": [_credit_dict(c) for c in document.credits],
        },
        "visits": [_visit_dict(d) for d in visits],
    }


def _review_dict(event: ReviewEvent | None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {"action": event.action, "at": format_timestamp(event.at), "reason": event.reason,
            "observations": event.observations}


def _diligence_dicts(diligences: list[Diligence]) -> list[dict[str, Any]]:
    have = present(m.sha256 for d in diligences if not d.complete for m in d.media)
    out = []
    for d in diligences:
        decisions = [e for e in d.review_events if e.action != "comment"]
        item: dict[str, Any] = {
            "id": d.id, "assignment_id": d.assignment_id, "kind": d.kind, "version": d.version,
            "replaces": d.replaces_id, "superseded_by": d.superseded_by_id,
            "received_at": format_timestamp(d.received_at), "complete": d.complete,
            "missing_media": [] if d.complete else list(dict.fromkeys(
                m.sha256 for m in d.media if m.sha256 not in have)),
            "review_state": d.review_state,
            "review": _review_dict(decisions[-1] if decisions else None),
            "content": None,
        }
        if d.review_state == "returned" and d.superseded_by_id is None:
            # The phone may have been wiped since (shared phones): send what is to be corrected.
            item["content"] = dict(d.content, content_hash=d.content_hash)
        out.append(item)
    return out
