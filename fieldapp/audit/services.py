"""Writing to the audit log. Services call `record`; it adds and flushes, never commits: the
request's one commit keeps it (fieldapp/web/lifecycle.py), a read's too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import has_request_context, request
from sqlalchemy import Select, select

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.web.lifecycle import keep_this_read


def record(
    action: str,
    *,
    actor: Any = None,
    office_id: int | None = None,
    obj: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
    **details: Any,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
        office_id = office_id if office_id is not None else getattr(obj, "office_id", None)
    if actor is not None and office_id is None:
        office_id = actor.office_id
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        office_id=office_id,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        ip_address=request.remote_addr if has_request_context() else None,
        details={k: _jsonable(v) for k, v in details.items()},
    )
    db.session.add(event)
    db.session.flush()
    # A GET that shows personal data is an event too: its request is committed like a write
    # when it succeeds (a failed one showed nothing, and keeps nothing).
    keep_this_read()
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


# --- reading the log (the audit viewer) ------------------------------------------------------

@dataclass(frozen=True)
class AuditFilter:
    """Who, what, when (office-local days, both included) and which record."""

    actor_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    object_id: str | None = None


def _filtered(office_id: int, f: AuditFilter, tz: ZoneInfo) -> Select[tuple[AuditEvent]]:
    stmt = select(AuditEvent).where(AuditEvent.office_id == office_id)
    if f.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == f.actor_id)
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.since is not None:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(f.since, time(), tz))
    if f.until is not None:
        stmt = stmt.where(AuditEvent.at < datetime.combine(f.until + timedelta(days=1), time(), tz))
    if f.object_id:
        stmt = stmt.where(AuditEvent.object_id == f.object_id.strip())
    return stmt


def audit_page(office_id: int, f: AuditFilter, tz: ZoneInfo, *, before_id: int | None = None,
               size: int = 100) -> tuple[list[AuditEvent], int | None]:
    """Newest first, a keyset page (by id) of the office's events; returns the id to ask
    `before_id` for the next page, or None at the end."""
    stmt = _filtered(office_id, f, tz)
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    rows = list(db.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(size + 1)))
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def audit_rows(office_id: int, f: AuditFilter, tz: ZoneInfo, chunk: int = 500) -> Iterator[AuditEvent]:
    """Every matching event, newest first, read in keyset chunks (for the CSV export)."""
    before: int | None = None
    while True:
        rows, before = audit_page(office_id, f, tz, before_id=before, size=chunk)
        yield from rows
        if before is None:
            return


def actions_recorded(office_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.office_id == office_id).distinct().order_by(AuditEvent.action)))
