"""Writing to the audit log. Services call `record`; it adds and flushes, never commits."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db


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
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
