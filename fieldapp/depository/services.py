"""Custody of sealed goods and inventories of the depository.

Custody only moves forward (workflows.md, Seized item): on site → moved → received →
inventoried → released; a later inventory may count an inventoried good again. Every step keeps
who, when and where (``CustodyEvent``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.db_types import CENT, utcnow
from fieldapp.depository.models import (
    CUSTODY_RANK,
    CUSTODY_STATES,
    IN_DEPOSITORY,
    CustodyEvent,
    CustodyItem,
    InventoryCount,
    InventoryScan,
)
from fieldapp.diligences.models import Diligence
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.facts import DiligenceFacts
from fieldapp.seals.codes import normalise, split_codes
from fieldapp.seals.models import Seal

MANUAL_STATES = ("moved", "received", "released")  # what an office user records by hand


class CustodyError(DomainError):
    """A custody step that cannot be taken; the message is for the user (Spanish)."""

    code = "custody_refused"
    status = 409


# Opening custody: from the write path (fieldapp.seals.services.register_seals_of) -----------

def take_into_custody(diligence: Diligence, facts: DiligenceFacts,
                      seals: dict[str, Seal | None]) -> list[CustodyItem]:
    """One custody item per sealed good of the seizure, on site with its custodian (R-PAE-8).
    A good a third party claimed is provisionally not seized (R-PAE-9) and gets none. A new
    version of the same record updates its items; their history stays."""
    seizure = facts.seizure
    if seizure is None:
        return []
    custodian = seizure.custodian
    happened_at = facts.started_at or diligence.captured_at
    existing = {i.item_index: i for i in db.session.scalars(
        select(CustodyItem).where(CustodyItem.root_id == diligence.root_id))}
    items = []
    for n, good in enumerate(seizure.items):
        if not good.seal or good.third_party_claim is not None:
            continue
        code = normalise(good.seal)[:60]
        seal = seals.get(code)
        item = existing.get(n)
        if item is None:
            item = CustodyItem(office_id=diligence.office_id, root_id=diligence.root_id,
                               item_index=n, state="on_site", updated_at=happened_at)
            item.events.append(CustodyEvent(
                state="on_site", at=happened_at, actor_id=diligence.user_id,
                recorded_at=diligence.received_at,
                location=custodian.location if custodian else None,
                note=f"Embargo, depositario: {custodian.name}" if custodian and custodian.name
                else "Embargo"))
            db.session.add(item)
        item.diligence_id = diligence.id
        item.seal_code, item.seal_id = code, seal.id if seal is not None else None
        item.category, item.description = good.category, good.description
        item.value = _cents(good.value)
        item.custodian_name = custodian.name if custodian else None
        item.location = custodian.location if custodian else None
        items.append(item)
    return items


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


# Custody steps ------------------------------------------------------------------------------

def advance(item: CustodyItem, state: str, *, actor: User, location: str | None = None,
            note: str | None = None, at: datetime | None = None,
            inventory: InventoryCount | None = None) -> CustodyEvent:
    """One step forward in the item's custody; raises CustodyError for a step back."""
    if state not in CUSTODY_STATES:
        raise CustodyError(f"Estado de custodia desconocido: {state}")
    if item.state == "released":
        raise CustodyError("El bien ya fue liberado: su custodia terminó.")
    again = state == item.state == "inventoried"  # a later inventory counts it again
    if CUSTODY_RANK[state] <= CUSTODY_RANK[item.state] and not again:
        raise CustodyError(f"El bien ya está «{item.state_label}»: la custodia solo avanza.")
    at = at or utcnow()
    event = CustodyEvent(state=state, at=at, actor_id=actor.id,
                         location=(location or "").strip() or None,
                         note=(note or "").strip() or None,
                         inventory_id=inventory.id if inventory else None)
    item.events.append(event)
    item.state, item.updated_at = state, at
    if event.location:
        item.location = event.location
    db.session.flush()
    record(f"custody_{state}", actor=actor, obj=item, seal=item.seal_code, location=event.location,
           note=event.note)
    return event


def items_with_code(office_id: int, code: str) -> list[CustodyItem]:
    return list(db.session.scalars(select(CustodyItem).where(
        CustodyItem.office_id == office_id, CustodyItem.seal_code == code)
        .order_by(CustodyItem.id)))


@dataclass(frozen=True)
class CodeOutcome:
    """What became of one scanned code: ``ok`` or a problem, and its message (Spanish)."""

    code: str
    ok: bool
    message: str
    item: CustodyItem | None = None


def receive(office_id: int, text: str, *, actor: User, location: str | None = None,
            note: str | None = None) -> list[CodeOutcome]:
    """Receives at the depository every good whose seal code is in ``text`` (what a scanner
    typed, or several codes typed by hand)."""
    scanned = split_codes(text)
    outcomes = [CodeOutcome(t, False, "No es un código de sello legible.")
                for t in scanned.unreadable]
    for code in scanned.codes:
        items = items_with_code(office_id, code)
        if not items:
            outcomes.append(CodeOutcome(code, False,
                                        "Ningún bien embargado de esta subdelegación lleva este sello."))
        elif len(items) > 1:
            outcomes.append(CodeOutcome(code, False, "El sello está en dos bienes (sello en "
                                        "conflicto): reciba el bien desde su ficha.", items[0]))
        elif CUSTODY_RANK[items[0].state] >= CUSTODY_RANK["received"]:
            outcomes.append(CodeOutcome(code, False, f"Ya está «{items[0].state_label}».",
                                        items[0]))
        else:
            advance(items[0], "received", actor=actor, location=location, note=note)
            outcomes.append(CodeOutcome(code, True, "Recibido en la depositaría.", items[0]))
    return outcomes


def custody_items_of(office_id: int, state: str | None = None) -> list[CustodyItem]:
    stmt = select(CustodyItem).where(CustodyItem.office_id == office_id)
    if state:
        stmt = stmt.where(CustodyItem.state == state)
    return list(db.session.scalars(stmt.order_by(CustodyItem.updated_at.desc(),
                                                  CustodyItem.id.desc())))


# Inventory ----------------------------------------------------------------------------------

def start_inventory(office_id: int, *, actor: User) -> InventoryCount:
    count = InventoryCount(office_id=office_id, started_by_id=actor.id)
    db.session.add(count)
    db.session.flush()
    record("inventory_started", actor=actor, obj=count)
    return count


def inventories_of(office_id: int) -> list[InventoryCount]:
    return list(db.session.scalars(select(InventoryCount)
                                   .where(InventoryCount.office_id == office_id)
                                   .order_by(InventoryCount.id.desc())))


@dataclass
class ScanResult:
    added: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def scan(count: InventoryCount, text: str, *, actor: User) -> ScanResult:
    """Adds the codes in ``text`` to an open count (a code read twice counts once)."""
    if not count.is_open:
        raise CustodyError("El inventario ya se cerró.")
    scanned = split_codes(text)
    result = ScanResult(unreadable=list(scanned.unreadable))
    known = {s.code for s in count.scans}
    for code in scanned.codes:
        if code in known:
            result.repeated.append(code)
            continue
        count.scans.append(InventoryScan(code=code, scanned_by_id=actor.id))
        known.add(code)
        result.added.append(code)
    db.session.flush()
    return result


def inventory_report(count: InventoryCount) -> dict[str, Any]:
    """Expected (goods in the depository), found, missing (expected, not scanned) and
    unexpected (scanned, not expected: unknown codes or goods the records place elsewhere).
    A closed count answers the report frozen when it closed."""
    if count.report is not None:
        return count.report
    expected = {i.seal_code: i for i in db.session.scalars(select(CustodyItem).where(
        CustodyItem.office_id == count.office_id, CustodyItem.state.in_(IN_DEPOSITORY)))}
    scanned = [s.code for s in count.scans]
    others: dict[str, CustodyItem] = {}
    strangers = [c for c in scanned if c not in expected]
    if strangers:
        others = {i.seal_code: i for i in db.session.scalars(select(CustodyItem).where(
            CustodyItem.office_id == count.office_id, CustodyItem.seal_code.in_(strangers)))}
    return {
        "expected": len(expected),
        "found": [_line(expected[c]) for c in scanned if c in expected],
        "missing": [_line(i) for c, i in sorted(expected.items()) if c not in set(scanned)],
        "unexpected": [_unexpected_line(c, others.get(c)) for c in strangers],
    }


def _line(item: CustodyItem) -> dict[str, Any]:
    return {"code": item.seal_code, "item_id": item.id, "description": item.description,
            "state": item.state, "state_label": item.state_label}


def _unexpected_line(code: str, item: CustodyItem | None) -> dict[str, Any]:
    if item is None:
        return {"code": code, "item_id": None, "description": None, "state": None,
                "reason": "Sello desconocido: ningún bien embargado lo lleva."}
    return {**_line(item), "reason": f"Según los registros el bien está «{item.state_label}»."}


def close_inventory(count: InventoryCount, *, actor: User) -> dict[str, Any]:
    """Freezes the report and marks every good found as inventoried."""
    if not count.is_open:
        raise CustodyError("El inventario ya se cerró.")
    report = inventory_report(count)
    now = utcnow()
    for line in report["found"]:
        item = db.session.get(CustodyItem, line["item_id"])
        assert item is not None
        advance(item, "inventoried", actor=actor, at=now, inventory=count,
                note=f"Inventario {count.id}")
        line["state"], line["state_label"] = item.state, item.state_label
    count.report, count.closed_at, count.closed_by_id = report, now, actor.id
    db.session.flush()
    record("inventory_closed", actor=actor, obj=count, found=len(report["found"]),
           missing=len(report["missing"]), unexpected=len(report["unexpected"]))
    return report
