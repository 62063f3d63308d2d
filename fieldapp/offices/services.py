"""Office-local time (business days and due dates are judged where the office is), and
creating and editing offices and their sectors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select

from fieldapp.audit.services import record
from fieldapp.db_types import utcnow
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.offices.models import SECTOR_KINDS, Office, Sector


def is_valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in available_timezones()


def office_now(office: Office) -> datetime:
    return utcnow().astimezone(ZoneInfo(office.timezone))


def office_today(office: Office) -> date:
    return office_now(office).date()


# --- creating and editing offices and sectors --------------------------------------------------

MAX_BOUNDARY_POINTS = 500


class OfficeError(DomainError):
    """An office or sector could not be saved; the message is for the person (Spanish)."""

    code = "office_invalid"
    status = 422


def _check_timezone(timezone: str) -> str:
    timezone = timezone.strip()
    if not is_valid_timezone(timezone):
        raise OfficeError(f"Zona horaria desconocida: «{timezone}».")
    return timezone


def create_office(*, code: str, name: str, state: str, timezone: str, actor: Any = None) -> Office:
    """A new subdelegación. Its business hours and calendar are the shipped defaults until it
    saves a legal parameter version (/admin/parametros)."""
    code = code.strip()
    if not code or not name.strip():
        raise OfficeError("Escriba la clave y el nombre de la oficina.")
    if db.session.scalar(select(Office.id).where(Office.code == code)) is not None:
        raise OfficeError(f"Ya existe una oficina con clave {code}.")
    office = Office(code=code, name=name.strip(), state=state.strip(),
                    timezone=_check_timezone(timezone))
    db.session.add(office)
    db.session.flush()
    record("office_created", actor=actor, obj=office, office_id=office.id, code=code)
    return office


def update_office(office: Office, *, name: str, state: str, timezone: str, actor: Any = None) -> None:
    """Name, state and time zone. The time zone decides business days and hours (R-CAL-3)."""
    changes = _changes(office, name=name.strip(), state=state.strip(),
                       timezone=_check_timezone(timezone))
    if changes:
        record("office_updated", actor=actor, obj=office, office_id=office.id, changes=changes)


def save_sector(office: Office, *, code: str, name: str, kind: str,
                boundary: dict[str, Any] | None, sector: Sector | None = None,
                actor: Any = None) -> Sector:
    """Creates a sector of `office`, or edits `sector`. The boundary is optional."""
    code, name = code.strip().upper(), name.strip()
    if not code or not name:
        raise OfficeError("Escriba la clave y el nombre del sector.")
    if kind not in SECTOR_KINDS:
        raise OfficeError("Tipo de sector desconocido.")
    boundary = check_boundary(boundary)
    taken = db.session.scalar(select(Sector.id).where(Sector.office_id == office.id,
                                                      Sector.code == code))
    if taken is not None and (sector is None or taken != sector.id):
        raise OfficeError(f"La oficina ya tiene un sector {code}.")
    if sector is None:
        sector = Sector(office=office, code=code, name=name, kind=kind, boundary=boundary)
        db.session.add(sector)
        db.session.flush()
        record("sector_created", actor=actor, obj=sector, code=code, kind=kind)
        return sector
    changes = _changes(sector, code=code, name=name, kind=kind, boundary=boundary)
    if changes:
        record("sector_updated", actor=actor, obj=sector,
               changes={k: v for k, v in changes.items() if k != "boundary"},
               boundary_changed="boundary" in changes)
    return sector


def _changes(obj: Any, **values: Any) -> dict[str, list[Any]]:
    changes = {k: [getattr(obj, k), v] for k, v in values.items() if getattr(obj, k) != v}
    for k, (_, new) in changes.items():
        setattr(obj, k, new)
    db.session.flush()
    return changes


def check_boundary(boundary: dict[str, Any] | None) -> dict[str, Any] | None:
    """A GeoJSON Polygon of one closed ring (longitude, latitude), or None."""
    if boundary is None:
        return None
    try:
        assert boundary["type"] == "Polygon"
        rings = boundary["coordinates"]
        assert isinstance(rings, list) and len(rings) == 1
        ring = [[float(lon), float(lat)] for lon, lat in rings[0]]
    except (AssertionError, KeyError, TypeError, ValueError):
        raise OfficeError("El polígono del sector no es válido.") from None
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise OfficeError("El polígono del sector necesita al menos tres puntos.")
    if len(ring) > MAX_BOUNDARY_POINTS:
        raise OfficeError(f"El polígono del sector tiene más de {MAX_BOUNDARY_POINTS} puntos.")
    if not all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring):
        raise OfficeError("El polígono del sector tiene puntos fuera del mapa.")
    return {"type": "Polygon", "coordinates": [ring]}
