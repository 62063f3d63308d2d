"""The one write path of diligence records, their completeness, their review.

``record_diligence`` stores one record version, whoever brings it (the sync API today, a web
form tomorrow): same id and same content is a harmless duplicate, same id with other content a
conflict, and a record that cannot be understood is rejected with each problem's field and rule
id. What the server learns on receipt is stored with the record and never makes it disappear
(workflows.md, Evidence): legal findings, a clock that drifted, a broken hash chain, a credit
already paid or an assignment already withdrawn at the diligence's time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from fieldapp.assignments.models import Assignment
from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.credits.domicile import propose_from
from fieldapp.credits.estrados import (
    open_case_for,
    personal_notification_recorded,
    personal_notification_voided,
)
from fieldapp.credits.services import void_notifications_of
from fieldapp.db_types import utcnow
from fieldapp.devices.feed import touch_diligences
from fieldapp.devices.models import Device
from fieldapp.diligences.models import Diligence, DiligenceMedia, ReviewEvent
from fieldapp.diligences.records import (
    ID_CONFLICT,
    S_ASSIGNMENT,
    S_FACTS,
    S_KIND,
    S_REPLACES,
    FieldError,
    RecordIn,
    content_hash,
    format_timestamp,
)
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.checks import CheckParams, Finding, check_diligence
from fieldapp.legal.facts import NOTIFIER_KINDS, DiligenceFacts, FactsError, position_facts
from fieldapp.legal.limits import limit_problems
from fieldapp.legal.services import check_params_for, record_document_notification
from fieldapp.media.models import MediaBlob
from fieldapp.media.services import present
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import Credit, Document
from fieldapp.portfolio.services import FINAL_STATUSES, advance_credit_status
from fieldapp.seals.services import register_seals_of
from fieldapp.transactions import begin_write_transaction

DEFAULT_MAX_CLOCK_DRIFT_SECONDS = 300
# How far a diligence moves its assignment (forward only: a late citatorio never reopens a done
# assignment). "withdrawn" belongs to the office alone.
ASSIGNMENT_PROGRESS = {
    "citatorio": "in_progress",
    "posting_record": "in_progress",
    "notification": "done",
    "not_located": "done",
    "payment_demand": "done",
    "seizure": "done",
    "seizure_extension": "done",
    "localization": "done",
}
PROGRESS_RANK = {"pending": 0, "returned": 0, "in_progress": 1, "done": 2}
# Credit status a diligence establishes (advance_credit_status keeps it forward only).
CREDIT_PROGRESS = {"payment_demand": "demanded", "seizure": "seized", "seizure_extension": "seized"}
OPEN_FOR_REVIEW = ("received", "returned")
# Which decisions each open state admits: a returned record awaits its correction (a new
# version), so it can no longer be approved or returned again, only rejected.
DECISIONS_BY_STATE: dict[str, tuple[str, ...]] = {
    "received": ("approved", "returned", "rejected"),
    "returned": ("rejected",),
}


def decisions_open(diligence: Diligence) -> tuple[str, ...]:
    """The decisions an office head may take now on ``diligence`` (comments aside)."""
    if diligence.superseded_by_id is not None:
        return ()
    return DECISIONS_BY_STATE.get(diligence.review_state, ())
DIRECT_CREDIT_SOURCE = "diligence"


class ReviewError(DomainError):
    """A review decision that cannot be made; the message is for the office head (Spanish)."""

    code = "review_refused"
    status = 409


@dataclass(frozen=True)
class RecordResult:
    """What became of one record: accepted | duplicate | conflict | rejected."""

    status: str
    diligence: Diligence | None = None
    errors: tuple[FieldError, ...] = ()
    code: str | None = None
    message: str | None = None
    missing_media: tuple[str, ...] = ()


@dataclass(frozen=True)
class Receipt:
    """How a batch of records arrived: when (server clock), from which phone, and how far the
    phone's clock was from the server's at that moment."""

    user: User
    device: Device | None
    received_at: datetime
    clock_offset_seconds: int = 0


@dataclass
class CheckParamsCache:
    """The legal calendar and parameters of an office on a day, computed once per batch."""

    _params: dict[tuple[int, date], CheckParams] = field(default_factory=dict)

    def for_day(self, office: Office, day: date) -> CheckParams:
        key = (office.id, day)
        if key not in self._params:
            self._params[key] = check_params_for(office, day)
        return self._params[key]


def max_clock_drift() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("SYNC_MAX_CLOCK_DRIFT_SECONDS",
                                                        DEFAULT_MAX_CLOCK_DRIFT_SECONDS)))


# Receiving records ----------------------------------------------------------------------------

class BatchContext:
    """What the server knows that a batch of records needs, loaded with a handful of queries
    instead of several per record: the records already stored under these ids (and the
    versions they replace), the assignments with their credits, which files are present, and
    the device's hash chain around these records. Records stored by the batch are added as
    they go, so a batch may contain its own duplicates, corrections and chain."""

    def __init__(self, receipt: Receipt, records: Sequence[RecordIn]) -> None:
        self.receipt = receipt
        self.checks = CheckParamsCache()
        ids = {r.id for r in records} | {r.replaces for r in records if r.replaces}
        self.diligences: dict[str, Diligence] = {
            d.id: d for d in db.session.scalars(
                select(Diligence).where(Diligence.id.in_(sorted(ids)))
                .options(selectinload(Diligence.media)))} if ids else {}
        assignment_ids = sorted({r.assignment_id for r in records})
        self.assignments: dict[int, Assignment] = {
            a.id: a for a in db.session.scalars(
                select(Assignment).where(Assignment.id.in_(assignment_ids))
                .options(joinedload(Assignment.document).selectinload(Document.credits)
                         .selectinload(Credit.status_changes),
                         # The address on file: the GPS rules measure the fix against it.
                         joinedload(Assignment.document).joinedload(Document.address),
                         joinedload(Assignment.address)))
        } if assignment_ids else {}
        self.present = present(m.sha256 for r in records for m in r.media)
        self.chain = (ChainIndex.load(receipt.device, records)
                      if receipt.device is not None and records else None)


def record_diligences(records: Sequence[RecordIn], receipt: Receipt,
                      after_each: Callable[[], None] | None = None) -> list[RecordResult]:
    """The write path of diligence records: stores a batch, each record all or nothing, one
    failing record never blocking the others. The caller commits once.

    Fast path: the whole batch in one savepoint and one flush, so the database gets one
    multi-row INSERT per table rather than a savepoint and a few statements per record. If a
    record clashes with a concurrent request (the same id stored a moment ago), that savepoint
    is rolled back and the batch applied again with a savepoint per record; the answer is the
    same either way."""
    begin_write_transaction()
    try:
        with db.session.begin_nested():
            context = BatchContext(receipt, records)
            results = [_record(rec, context, False, after_each) for rec in records]
    except IntegrityError:
        context = BatchContext(receipt, records)
        results = [_record(rec, context, True, after_each) for rec in records]
    return results


def record_diligence(rec: RecordIn, receipt: Receipt) -> RecordResult:
    """One record through the same write path (a web form, a test)."""
    return record_diligences([rec], receipt)[0]


def _record(rec: RecordIn, context: BatchContext, savepoint: bool,
            after_each: Callable[[], None] | None) -> RecordResult:
    user = context.receipt.user
    existing = context.diligences.get(rec.id)
    if existing is not None:
        return _resend(existing, rec, user, context)
    facts, errors = _understand(rec, user, context)
    if errors:
        return RecordResult("rejected", errors=tuple(errors))
    assert facts is not None
    if not savepoint:
        diligence = _store(rec, facts, context)
    else:
        try:
            with db.session.begin_nested():
                diligence = _store(rec, facts, context)
                db.session.flush()
        except IntegrityError:
            existing = db.session.get(Diligence, rec.id)
            if existing is None:
                raise
            return _resend(existing, rec, user, context)
    context.diligences[diligence.id] = diligence
    if after_each is not None:
        after_each()
    return RecordResult("accepted", diligence, missing_media=tuple(_missing(diligence, context)))


def _missing(diligence: Diligence, context: BatchContext) -> list[str]:
    if diligence.complete:
        return []
    return list(dict.fromkeys(m.sha256 for m in diligence.media if m.sha256 not in context.present))


def _resend(existing: Diligence, rec: RecordIn, user: User, context: BatchContext) -> RecordResult:
    if existing.user_id == user.id and existing.content_hash == rec.content_hash:
        return RecordResult("duplicate", existing, missing_media=tuple(_missing(existing, context)))
    record("diligence_id_conflict", actor=user, object_type="diligences", object_id=rec.id,
           office_id=user.office_id, stored_hash=existing.content_hash, sent_hash=rec.content_hash)
    return RecordResult("conflict", code=ID_CONFLICT,
                        message="Ya existe un registro con este id y otro contenido. Una corrección "
                                "se envía como registro nuevo que indica cuál reemplaza.")


def _facts_for_checks(rec: RecordIn, assignment: Assignment | None) -> dict[str, Any]:
    # The media manifest is the single list of photos and signatures; the checks see it. So
    # is the record's GPS fix, with the address on file it is measured against (R-GPS-1/2).
    facts = dict(rec.facts)
    facts["media"] = [{"role": m.role, "id": m.sha256} for m in rec.media]
    # The address visited: a new address the office head accepted, or the document's.
    address = assignment.visit_address if assignment is not None else None
    facts.update(position_facts(
        None if rec.gps is None else {"latitude": rec.gps.latitude, "longitude": rec.gps.longitude,
                                      "accuracy_m": rec.gps.accuracy_m},
        address.latitude if address is not None else None,
        address.longitude if address is not None else None))
    return facts


def _understand(rec: RecordIn, user: User, context: BatchContext
                ) -> tuple[DiligenceFacts | None, list[FieldError]]:
    errors: list[FieldError] = []
    facts = None
    assignment = context.assignments.get(rec.assignment_id)
    try:
        facts = DiligenceFacts.from_dict(_facts_for_checks(rec, assignment))
    except FactsError as exc:
        path = exc.path if exc.path.startswith("facts") else f"facts.{exc.path}"
        errors.append(FieldError(path, S_FACTS, exc.problem))
    # Amounts, quantities and texts within the bounds the phone enforces too (issue 16).
    errors.extend(FieldError(path, S_FACTS, message) for path, message in limit_problems(rec.facts))
    if user.role == "notifier" and rec.kind not in NOTIFIER_KINDS:
        errors.append(FieldError("kind", S_KIND, "Esta diligencia corresponde a un ejecutor."))
    if assignment is None or assignment.user_id != user.id or assignment.office_id != user.office_id:
        errors.append(FieldError("assignment_id", S_ASSIGNMENT,
                                 "La asignación no existe o no es de este usuario."))
    elif (rec.kind == "localization") != (assignment.kind == "localization"):
        # The phone offers only the work assigned: a localización records its result, and a
        # diligence assignment never a localización (R-NOT-10; static/js/capture/ui.js).
        errors.append(FieldError("kind", S_KIND, "Una localización sólo se registra en una "
                                 "asignación de localización, y esa asignación sólo admite "
                                 "su resultado."))
    if rec.replaces is not None:
        errors.extend(_replacement_problems(rec, user, context.diligences.get(rec.replaces)))
    return facts, errors


def _replacement_problems(rec: RecordIn, user: User, prior: Diligence | None) -> list[FieldError]:
    if prior is None or prior.user_id != user.id:
        return [FieldError("replaces", S_REPLACES, "La versión que se corrige no existe o no es suya.")]
    if prior.assignment_id != rec.assignment_id:
        return [FieldError("replaces", S_REPLACES,
                           "La corrección debe ser de la misma asignación que la versión original.")]
    if prior.superseded_by_id is not None:
        return [FieldError("replaces", S_REPLACES, "Esa versión ya fue corregida por otra.")]
    if prior.review_state not in OPEN_FOR_REVIEW:
        return [FieldError("replaces", S_REPLACES,
                           f"Esa versión ya fue {prior.review_state_label.lower()}: no admite corrección.")]
    return []


def _store(rec: RecordIn, facts: DiligenceFacts, context: BatchContext) -> Diligence:
    receipt = context.receipt
    user = receipt.user
    assignment = context.assignments[rec.assignment_id]
    office = user.office
    happened_at = facts.started_at or rec.captured_at
    day = happened_at.astimezone(ZoneInfo(office.timezone)).date()
    findings = check_diligence(facts, context.checks.for_day(office, day))
    prior = context.diligences.get(rec.replaces) if rec.replaces else None
    drift = max_clock_drift()
    notes: dict[str, Any] = {}
    closed = _credits_closed_before(assignment.document.credits, happened_at)
    if closed:
        notes["credit_closed"] = closed
    withdrawn = assignment.status == "withdrawn" and assignment.updated_at <= happened_at
    if withdrawn:
        notes["assignment_withdrawn"] = {"since": format_timestamp(assignment.updated_at)}
    ahead = rec.captured_at - receipt.received_at
    complete = all(m.sha256 in context.present for m in rec.media)
    diligence = Diligence(
        id=rec.id, office_id=user.office_id, user_id=user.id,
        device_id=receipt.device.id if receipt.device else None,
        assignment_id=assignment.id, document_id=assignment.document_id, kind=rec.kind,
        version=prior.version + 1 if prior else 1, root_id=prior.root_id if prior else rec.id,
        replaces_id=rec.replaces, captured_at=rec.captured_at, received_at=receipt.received_at,
        clock_offset_seconds=receipt.clock_offset_seconds,
        clock_drift=abs(receipt.clock_offset_seconds) > drift.total_seconds() or ahead > drift,
        gps_latitude=rec.gps.latitude if rec.gps else None,
        gps_longitude=rec.gps.longitude if rec.gps else None,
        gps_accuracy_m=rec.gps.accuracy_m if rec.gps else None,
        gps_fix_at=rec.gps.fix_at if rec.gps else None,
        content=rec.content, content_hash=rec.content_hash, previous_hash=rec.previous_hash,
        legal_pack_digest=rec.legal_pack_digest, media_count=len(rec.media),
        complete=complete, completed_at=receipt.received_at if complete else None,
        findings=[_finding_dict(f, rec.warning_reasons) for f in findings],
        has_block_findings=any(f.severity == "block" for f in findings),
        has_warn_findings=any(f.severity == "warn" for f in findings),
        far_from_address=any(f.rule_id == "R-GPS-1" for f in findings),
        credit_closed=bool(closed), assignment_withdrawn=withdrawn, server_notes=notes,
        review_state="received",
    )
    diligence.media = [DiligenceMedia(position=i, sha256=m.sha256, bytes=m.bytes,
                                      content_type=m.type, role=m.role)
                       for i, m in enumerate(rec.media)]
    diligence.chain_status = context.chain.place(diligence) if context.chain else "ok"
    db.session.add(diligence)
    if prior is not None:
        db.session.flush()  # the new version's row first: the old one's foreign key names it
        prior.superseded_by_id, prior.superseded_at = diligence.id, receipt.received_at
    # Seals were stuck on the goods whatever the findings say: record them, flag reuse (R-PAE-8).
    register_seals_of(diligence, facts)
    if not (diligence.has_block_findings or closed or withdrawn):
        _apply_effects(diligence, facts, assignment, day, user)
    if prior is not None:
        # After the correction's own effects: a corrected date replaces the old one without
        # the credit passing through "por notificar" on the way.
        why = f"sustituida por la corrección (versión {diligence.version})"
        void_notifications_of(prior, actor=user, reason=why)
        personal_notification_voided(prior, actor=user, reason=why)
    return diligence


def _finding_dict(finding: Finding, reasons: dict[str, str]) -> dict[str, Any]:
    item = finding.to_dict()
    if finding.severity == "warn" and finding.rule_id in reasons:
        item["reason"] = reasons[finding.rule_id]  # the field user's reason to go on
    return item


def _credits_closed_before(credits: Iterable[Credit], moment: datetime) -> list[dict[str, Any]]:
    """Credits already paid or cancelled at ``moment`` (a diligence on them is kept, flagged)."""
    closed = []
    for credit in credits:
        if credit.status not in FINAL_STATUSES:
            continue
        changes = [c.at for c in credit.status_changes if c.to_status in FINAL_STATUSES]
        since = min(changes) if changes else None
        if since is None or since <= moment:
            closed.append({"credit_number": credit.credit_number, "status": credit.status,
                           "since": format_timestamp(since) if since else None})
    return closed


def _apply_effects(diligence: Diligence, facts: DiligenceFacts, assignment: Assignment, day: date,
                   user: User) -> None:
    """What the diligence means for its assignment and credits, forward only."""
    progress = ASSIGNMENT_PROGRESS[diligence.kind]
    if (assignment.status in PROGRESS_RANK
            and PROGRESS_RANK[progress] > PROGRESS_RANK[assignment.status]):
        assignment.status = progress
    document = assignment.document
    if diligence.kind == "notification" and not facts.refused_to_receive:
        # R-NOT-11, R-DL-1: dates and "notified", forward only (legal.services decides).
        record_document_notification(document, day, actor=user, source=DIRECT_CREDIT_SOURCE,
                                     diligence_id=diligence.id)
        # A personal notification before the estrados date wins (docs/legal-rules.md, R-NOT-12).
        personal_notification_recorded(document, day, actor=user, diligence_id=diligence.id)
    elif diligence.kind == "payment_demand" and (facts.payment is None
                                                 or facts.payment.outcome in (None, "not_paid")):
        _advance(document.credits, "demanded", user, diligence)
    elif diligence.kind in ("seizure", "seizure_extension"):
        _advance(document.credits, CREDIT_PROGRESS[diligence.kind], user, diligence)


def _advance(credits: Sequence[Credit], status: str, user: User, diligence: Diligence) -> None:
    for credit in credits:
        advance_credit_status(credit, status, source=DIRECT_CREDIT_SOURCE, actor=user,
                              reason=f"{diligence.kind_label} {diligence.id}")


# The device hash chain ----------------------------------------------------------------------

@dataclass
class ChainIndex:
    """One device's hash chain around a batch: which hashes are stored, which records start a
    chain, which name each predecessor, and which wait for a predecessor in the batch.

    A record's status: ok when its predecessor is stored (or it is the device's first record);
    pending while the predecessor has not arrived; broken when the chain forks (two records
    name the same predecessor) or starts twice. Records waiting for one that arrives turn ok."""

    hashes: set[str]
    starts: list[Diligence]
    by_previous: dict[str, list[Diligence]]
    waiting: dict[str, list[Diligence]]

    @classmethod
    def load(cls, device: Device, records: Sequence[RecordIn]) -> ChainIndex:
        previous = sorted({r.previous_hash for r in records if r.previous_hash})
        own = sorted({r.content_hash for r in records})
        same_device = Diligence.device_id == device.id
        around = db.session.scalars(select(Diligence).where(same_device, or_(
            Diligence.previous_hash.is_(None), Diligence.content_hash.in_(previous),
            Diligence.previous_hash.in_(previous),
            and_(Diligence.chain_status == "pending", Diligence.previous_hash.in_(own)))))
        index = cls(set(), [], {}, {})
        for d in around:
            index._remember(d)
        return index

    def _remember(self, d: Diligence) -> None:
        self.hashes.add(d.content_hash)
        if d.previous_hash is None:
            self.starts.append(d)
        else:
            self.by_previous.setdefault(d.previous_hash, []).append(d)
            if d.chain_status == "pending":
                self.waiting.setdefault(d.previous_hash, []).append(d)

    def place(self, d: Diligence) -> str:
        if d.previous_hash is None:
            twins = [t for t in self.starts if t.id != d.id]
        else:
            twins = [t for t in self.by_previous.get(d.previous_hash, []) if t.id != d.id]
        for twin in twins:
            twin.chain_status = "broken"
        if twins:
            status = "broken"
        elif d.previous_hash is None or d.previous_hash in self.hashes:
            status = "ok"
        else:
            status = "pending"
        for successor in self.waiting.pop(d.content_hash, []):
            if successor.chain_status == "pending":
                successor.chain_status = "ok"
        d.chain_status = status
        self._remember(d)
        return status


# Media and completeness ---------------------------------------------------------------------

def missing_media(diligence: Diligence) -> list[str]:
    """Files of the record's manifest not stored yet."""
    if diligence.complete:
        return []
    shas = [m.sha256 for m in diligence.media]
    have = present(shas)
    return list(dict.fromkeys(s for s in shas if s not in have))


# Built once and run as Core statements on the session's connection: a phone's every file PUT
# runs both, and building them, then the ORM's execution around them, cost more CPU than the
# database spent running them.
_DILIGENCES = Diligence.__table__
_MEDIA = DiligenceMedia.__table__
_EXPECTED_MEDIA_TYPE = (
    select(_MEDIA.c.content_type).join(_DILIGENCES, _DILIGENCES.c.id == _MEDIA.c.diligence_id)
    .where(_MEDIA.c.sha256 == bindparam("sha256"), _DILIGENCES.c.user_id == bindparam("user_id"))
    .limit(1))
_COMPLETED_BY_FILE = (
    update(_DILIGENCES)
    .where(_DILIGENCES.c.id.in_(select(_MEDIA.c.diligence_id)
                                .where(_MEDIA.c.sha256 == bindparam("sha256"))),
           _DILIGENCES.c.complete.is_(False),
           ~select(_MEDIA.c.id)
           .outerjoin(MediaBlob.__table__, MediaBlob.__table__.c.sha256 == _MEDIA.c.sha256)
           .where(_MEDIA.c.diligence_id == _DILIGENCES.c.id, MediaBlob.__table__.c.sha256.is_(None))
           .exists())
    .values(complete=True, completed_at=bindparam("at"))
    .returning(_DILIGENCES.c.id, _DILIGENCES.c.user_id))


def expected_media_type(sha256: str, user: User) -> str | None:
    """The type a record of ``user`` declared for this file; None if no record of theirs
    mentions it (files are accepted only for records already pushed)."""
    db.session.flush()  # what this session added counts, as an ORM query would see it
    return db.session.connection().execute(
        _EXPECTED_MEDIA_TYPE, {"sha256": sha256, "user_id": user.id}).scalar()


def media_arrived(sha256: str, at: datetime | None = None) -> list[str]:
    """Marks complete every record that was waiting only for this file (one UPDATE … RETURNING:
    the records' content is never loaded for it); returns their ids. Their phones learn it at
    the next pull (the change feed sees no ORM flush here, so it is told)."""
    db.session.flush()
    completed = db.session.connection().execute(
        _COMPLETED_BY_FILE, {"sha256": sha256, "at": at or utcnow()}).all()
    touch_diligences(db.session, [(row.id, row.user_id) for row in completed])
    # Records of this session (the demo's field work) show the change too.
    for row in completed:
        loaded = db.session.identity_map.get(db.session.identity_key(Diligence, row.id))
        if loaded is not None:
            db.session.expire(loaded, ["complete", "completed_at"])
    return [row.id for row in completed]


# Evidence -----------------------------------------------------------------------------------

def stored_record_matches(diligence: Diligence) -> bool:
    """Whether the stored record still is what the phone hashed: the content gives its hash
    and the columns shown on screens and actas agree with the content."""
    content = diligence.content or {}
    try:
        if content_hash(content) != diligence.content_hash:
            return False
    except ValueError:
        return False
    gps = content.get("gps") or {}
    return (
        content.get("id") == diligence.id
        and content.get("kind") == diligence.kind
        and content.get("assignment_id") == diligence.assignment_id
        and content.get("captured_at") == format_timestamp(diligence.captured_at)
        and content.get("previous_hash") == diligence.previous_hash
        and content.get("replaces") == diligence.replaces_id
        and gps.get("latitude") == diligence.gps_latitude
        and gps.get("longitude") == diligence.gps_longitude
        and gps.get("accuracy_m") == diligence.gps_accuracy_m
        and [(m.get("sha256"), m.get("role")) for m in content.get("media") or []]
        == [(m.sha256, m.role) for m in diligence.media]
    )


# Review -------------------------------------------------------------------------------------

def decide(diligence: Diligence, action: str, *, actor: User, reason: str | None = None,
           observations: str | None = None) -> ReviewEvent:
    """An office head's decision (approved, returned, rejected) or comment. A returned record
    reaches the field user at the next pull with the observations; its correction comes back
    as a new version naming it."""
    if diligence.office_id != actor.office_id:
        raise ReviewError("La diligencia pertenece a otra subdelegación.")
    reason = (reason or "").strip() or None
    observations = (observations or "").strip() or None
    state = diligence.review_state
    if action != "comment":
        if diligence.superseded_by_id is not None:
            raise ReviewError("Esta versión ya fue sustituida por una corrección: revise la vigente.")
        if state not in OPEN_FOR_REVIEW:
            raise ReviewError(f"La diligencia ya está {diligence.review_state_label.lower()}.")
        if action not in decisions_open(diligence) and action in ("approved", "returned"):
            raise ReviewError("La diligencia fue devuelta para corrección: se decide sobre la "
                              "versión corregida cuando llegue.")
    if action == "returned" and observations is None:
        raise ReviewError("Escriba las observaciones para que la persona corrija el registro.")
    if action == "rejected" and reason is None:
        raise ReviewError("Escriba el motivo del rechazo.")
    if action == "comment" and observations is None and reason is None:
        raise ReviewError("Escriba el comentario.")
    if action not in ("approved", "returned", "rejected", "comment"):
        raise ReviewError(f"Decisión desconocida: {action}")
    new_state = state if action == "comment" else action
    event = ReviewEvent(diligence=diligence, actor_id=actor.id, action=action, from_state=state,
                        to_state=new_state, reason=reason, observations=observations)
    db.session.add(event)
    if new_state != state:
        diligence.review_state, diligence.reviewed_at = new_state, utcnow()
    if action == "returned" and diligence.assignment.status != "withdrawn":
        diligence.assignment.status = "returned"
    db.session.flush()
    record(f"diligence_{action}", actor=actor, obj=diligence, reason=reason,
           observations=observations)
    if action == "approved":
        # R-NOT-6, R-NOT-10: an approved refusal or not-located record sends its document to
        # estrados; approval is the moment, so a rejected record never does.
        open_case_for(diligence, actor=actor)
        # R-NOT-10: a new address reported by the visit (neighbours, found on site, or a
        # localización) goes to the office head as a cambio de domicilio proposal.
        propose_from(diligence, actor=actor)
    if action == "rejected":
        # A rejected acta notified nobody: the credits it dated are recomputed (issue 12).
        void_notifications_of(diligence, actor=actor, reason=f"diligencia rechazada: {reason}")
        # A rejected personal notification never won over estrados: the cases it closed come
        # back where they were (docs/legal-rules.md, R-NOT-12).
        personal_notification_voided(diligence, actor=actor, reason=f"diligencia rechazada: {reason}")
    return event


def versions_of(diligence: Diligence) -> list[Diligence]:
    """Every version of the same diligence, oldest first (the review screen's history)."""
    return list(db.session.scalars(select(Diligence).where(Diligence.root_id == diligence.root_id)
                                   .order_by(Diligence.version)))
