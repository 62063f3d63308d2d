"""Issuing, assigning and using seals. ``register_seals_of`` is called by the one write path of
diligence records (fieldapp.diligences.services), so web and sync share it.

A seal is used once (R-PAE-8). When a seizure record names a seal another diligence already
used — two phones offline — the record is still accepted (evidence is never dropped), both
records get the problem ``reused`` in ``server_notes["seals"]`` (flag ``seal_conflict``) and
the seal turns ``conflict``. A code that is malformed, unknown, of another office, not assigned
to the executor who used it, or void is accepted too and flagged ``seal_irregular`` (a warning
for the office head: the good still carries that label); the seal, when it is this office's,
is marked used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.db_types import utcnow
from fieldapp.depository.services import take_into_custody
from fieldapp.diligences.models import Diligence
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.facts import DiligenceFacts
from fieldapp.offices.models import Office
from fieldapp.seals.codes import MAX_SERIAL, normalise, parse, seal_code
from fieldapp.seals.models import (
    SEAL_PROBLEMS,
    Seal,
    SealCounter,
    SealSheet,
    SealUse,
)
from fieldapp.transactions import begin_write_transaction

MAX_SHEET = 240  # ten pages of 24 labels
EXECUTOR_ROLE = "executor"


class SealError(DomainError):
    """A request about seals that cannot be done; the message is for the user (Spanish)."""

    code = "seal_refused"
    status = 409


# Issuing and assigning -------------------------------------------------------------------------

def _reserve_serials(office: Office, count: int) -> int:
    """Reserves ``count`` consecutive serials of the office; returns the first. The UPDATE …
    RETURNING takes the counter row's lock until commit, so concurrent sheets never overlap
    (the unique (office, serial) constraint is the last line of defence)."""
    exists = db.session.scalar(select(SealCounter.office_id)
                               .where(SealCounter.office_id == office.id))
    if exists is None:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(SealCounter).values(office_id=office.id, last_serial=0))
        except IntegrityError:
            pass  # another request created it a moment ago
    last = db.session.execute(
        update(SealCounter).where(SealCounter.office_id == office.id)
        .values(last_serial=SealCounter.last_serial + count)
        .returning(SealCounter.last_serial)).scalar_one()
    if last > MAX_SERIAL:
        raise SealError("La subdelegación agotó los números de sello disponibles.")
    return int(last) - count + 1


def issue_sheet(office: Office, count: int, *, actor: User,
                executor: User | None = None) -> SealSheet:
    """A new sheet of ``count`` unique codes for the office, optionally given at once to an
    executor."""
    if not 1 <= count <= MAX_SHEET:
        raise SealError(f"Una hoja lleva de 1 a {MAX_SHEET} sellos.")
    if executor is not None:
        _check_executor(executor, office)
    begin_write_transaction()  # SQLite: a real transaction before the savepoint below
    first = _reserve_serials(office, count)
    sheet = SealSheet(office_id=office.id, first_serial=first, last_serial=first + count - 1,
                      created_by_id=actor.id)
    db.session.add(sheet)
    sheet.seals = [Seal(code=seal_code(office.code, serial), office_id=office.id, serial=serial,
                        status="issued") for serial in range(first, first + count)]
    db.session.flush()
    record("seal_sheet_issued", actor=actor, obj=sheet, first=sheet.seals[0].code,
           last=sheet.seals[-1].code, count=count)
    if executor is not None:
        assign_sheet(sheet, executor, actor=actor)
    return sheet


def _check_executor(executor: User, office: Office) -> None:
    if executor.office_id != office.id or executor.role != EXECUTOR_ROLE or not executor.active:
        raise SealError("Los sellos se asignan a un ejecutor activo de esta subdelegación.")


def assign_sheet(sheet: SealSheet, executor: User, *, actor: User) -> list[Seal]:
    """Gives the sheet's unused seals to an executor (a sheet may be reassigned: seals already
    used or void stay as they are). Returns the seals assigned now."""
    _check_executor(executor, sheet.office)
    now = utcnow()
    moved = [s for s in sheet.seals if s.status in ("issued", "assigned")]
    if not moved:
        raise SealError("Todos los sellos de esta hoja ya se usaron o se anularon.")
    for seal in moved:
        seal.status, seal.assigned_to_id, seal.assigned_at = "assigned", executor.id, now
    sheet.assigned_to_id, sheet.assigned_at = executor.id, now
    db.session.flush()
    record("seal_sheet_assigned", actor=actor, obj=sheet, executor=executor.username,
           count=len(moved))
    return moved


def void_seal(seal: Seal, *, actor: User, reason: str) -> None:
    """A label lost or damaged before use cannot be used any more."""
    reason = reason.strip()
    if not reason:
        raise SealError("Escriba el motivo de la anulación.")
    if seal.status not in ("issued", "assigned"):
        raise SealError("Solo se anula un sello que no se ha usado.")
    seal.status = "void"
    db.session.flush()
    record("seal_voided", actor=actor, obj=seal, code=seal.code, reason=reason)


# Reading ----------------------------------------------------------------------------------------

def sheets_of(office_id: int) -> list[SealSheet]:
    return list(db.session.scalars(select(SealSheet).where(SealSheet.office_id == office_id)
                                   .order_by(SealSheet.id.desc())))


def status_counts(sheet_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per sheet, how many of its seals are in each status."""
    counts: dict[int, dict[str, int]] = {i: {} for i in sheet_ids}
    rows = db.session.execute(select(Seal.sheet_id, Seal.status, func.count())
                              .where(Seal.sheet_id.in_(list(sheet_ids)))
                              .group_by(Seal.sheet_id, Seal.status))
    for sheet_id, status, n in rows:
        counts[sheet_id][status] = n
    return counts


def seals_of(office_id: int, status: str | None = None, limit: int = 500) -> list[Seal]:
    stmt = select(Seal).where(Seal.office_id == office_id)
    if status:
        stmt = stmt.where(Seal.status == status)
    return list(db.session.scalars(stmt.order_by(Seal.serial.desc()).limit(limit)))


def find_seal(office_id: int, code: str) -> Seal | None:
    return db.session.scalar(select(Seal).where(Seal.code == normalise(code),
                                                Seal.office_id == office_id))


def unused_codes_of(user: User) -> list[str]:
    """The seal codes an executor may still stick on goods (what the phone downloads)."""
    return list(db.session.scalars(
        select(Seal.code).where(Seal.assigned_to_id == user.id, Seal.status == "assigned",
                                Seal.office_id == user.office_id).order_by(Seal.serial)))


# Using: called by the write path ----------------------------------------------------------------

@dataclass(frozen=True)
class SealProblem:
    item: int
    code: str
    problem: str
    other: str | None = None  # the other diligence, for a reused seal

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "code": self.code, "problem": self.problem,
                "message": SEAL_PROBLEMS[self.problem], "other_diligence": self.other}


def register_seals_of(diligence: Diligence, facts: DiligenceFacts) -> None:
    """Records the seals a seizure record names (R-PAE-8), flags reuse and irregular codes on
    the records concerned, and opens the custody of each sealed good."""
    if facts.seizure is None:
        return
    named = [(n, normalise(item.seal)[:60]) for n, item in enumerate(facts.seizure.items)
             if item.seal]
    if not named:
        return
    problems: list[SealProblem] = []
    seen: dict[str, int] = {}
    for n, code in named:
        if code in seen:
            problems.append(SealProblem(n, code, "repeated"))
            continue
        seen[code] = n
        problems.extend(_use(diligence, n, code))
    _add_problems(diligence, problems)
    take_into_custody(diligence, facts, {code: _seal_by_code(diligence.office_id, code)
                                         for code in seen})


def _seal_by_code(office_id: int, code: str) -> Seal | None:
    seal = db.session.scalar(select(Seal).where(Seal.code == code))
    return seal if seal is not None and seal.office_id == office_id else None


def _use(diligence: Diligence, n: int, code: str) -> list[SealProblem]:
    # FOR UPDATE: two phones pushing the same seal at once are judged one after the other.
    seal = db.session.scalar(select(Seal).where(Seal.code == code).with_for_update())
    problems = [SealProblem(n, code, p) for p in _irregularities(diligence, code, seal)]
    mine = seal if seal is not None and seal.office_id == diligence.office_id else None
    earlier = list(db.session.scalars(
        select(SealUse).where(SealUse.code == code, SealUse.office_id == diligence.office_id,
                              SealUse.root_id != diligence.root_id).order_by(SealUse.id)))
    use = SealUse(office_id=diligence.office_id, code=code, seal_id=mine.id if mine else None,
                  diligence_id=diligence.id, root_id=diligence.root_id, item_index=n,
                  user_id=diligence.user_id, received_at=diligence.received_at,
                  problem=problems[0].problem if problems else None)
    db.session.add(use)
    if earlier:
        problems.append(SealProblem(n, code, "reused", earlier[0].diligence_id))
        use.problem = "reused"
        for other in earlier:
            other_diligence = db.session.get(Diligence, other.diligence_id)
            if other_diligence is not None:
                _add_problems(other_diligence, [SealProblem(other.item_index, code, "reused",
                                                            diligence.id)])
        if mine is not None:
            mine.status = "conflict"
        record("seal_reused", actor=diligence.user, office_id=diligence.office_id,
               object_type="seals", object_id=code, diligence=diligence.id,
               earlier=[u.diligence_id for u in earlier])
    elif mine is not None and mine.status != "void":
        if mine.used_by_diligence_id is None:
            mine.used_by_diligence_id, mine.used_item_index = diligence.id, n
            mine.used_at = diligence.received_at
        if mine.status != "conflict":
            mine.status = "used"
    return problems


def _irregularities(diligence: Diligence, code: str, seal: Seal | None) -> list[str]:
    if seal is None:
        return ["invalid"] if parse(code) is None else ["unknown"]
    if seal.office_id != diligence.office_id:
        return ["other_office"]
    if seal.status == "void":
        return ["void"]
    if seal.assigned_to_id != diligence.user_id:
        return ["not_assigned"]
    return []


def _add_problems(diligence: Diligence, problems: list[SealProblem]) -> None:
    if not problems:
        return
    notes = dict(diligence.server_notes or {})
    known = list(notes.get("seals") or [])
    for p in problems:
        item = p.to_dict()
        if item not in known:
            known.append(item)
    notes["seals"] = known
    diligence.server_notes = notes  # a new dict: the JSON column sees the change


def executors_of(office_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.office_id == office_id, User.role == EXECUTOR_ROLE, User.active.is_(True))
        .order_by(User.full_name)))
