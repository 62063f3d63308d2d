"""Enrolling phones, checking their bearer tokens, revoking them, and one-time QR links.

A token is 32 random bytes (URL-safe base64) shown to the phone once; only its SHA-256 is
stored. A slow password hash is not needed: the token is random, not chosen by a person, so a
stolen table of hashes gives nothing to guess. Every request looks the hash up again, so a
revocation (or deactivating the user) takes effect at the next request."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.db_types import utcnow
from fieldapp.devices.models import Device, EnrollmentLink
from fieldapp.errors import DomainError
from fieldapp.extensions import db

ENROLLMENT_LINK_MINUTES = 15
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
MAX_NAME_LENGTH = 80


class DeviceError(DomainError):
    """A phone cannot be enrolled; ``code`` is stable, the message is for the person (Spanish)."""

    STATUS_OF_CODE = {"not_field_user": 403, "other_office": 403, "link_unknown": 404,
                      "link_used": 410, "link_expired": 410}

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code, status=self.STATUS_OF_CODE.get(code, 422))


@dataclass(frozen=True)
class Enrollment:
    device: Device
    token: str  # shown once, never stored


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DeviceError("device_name_required", "Escriba un nombre para el teléfono.")
    if len(name) > MAX_NAME_LENGTH:
        raise DeviceError("device_name_too_long",
                          f"El nombre del teléfono admite a lo más {MAX_NAME_LENGTH} caracteres.")
    return name


def enroll_device(user: User, name: str, *, via: str) -> Enrollment:
    """A new token for ``user`` on a phone called ``name``. Only active field users carry the
    app; the same phone enrolled by two people gets two devices (shared phones)."""
    if not user.active or not user.is_field_user:
        raise DeviceError("not_field_user",
                          "Sólo el personal de campo activo puede registrar un teléfono.")
    token = new_token()
    device = Device(id=str(uuid.uuid4()), office_id=user.office_id, user=user,
                    name=_clean_name(name), token_hash=hash_token(token), enrolled_via=via)
    db.session.add(device)
    db.session.flush()
    record("device_enrolled", actor=user, obj=device, name=device.name, via=via)
    return Enrollment(device, token)


# Built once: every request of every phone runs it.
_LIVE_DEVICE_OF_TOKEN = (
    select(Device).where(Device.token_hash == bindparam("token_hash"), Device.revoked_at.is_(None))
    .options(joinedload(Device.user)))


def device_for_token(token: str | None) -> Device | None:
    """The live device of a bearer token, or None (unknown, revoked, or its user inactive)."""
    if not token:
        return None
    device = db.session.scalar(_LIVE_DEVICE_OF_TOKEN, {"token_hash": hash_token(token)})
    if device is None or not device.user.active or not device.user.is_field_user:
        return None
    return device


def note_seen(device: Device, ip_address: str | None, now: datetime | None = None) -> bool:
    """Records when a device was last heard from, at most every few minutes (a write per
    request would make every pull a write)."""
    now = now or utcnow()
    if device.last_seen_at is not None and now - device.last_seen_at < LAST_SEEN_RESOLUTION:
        return False
    device.last_seen_at = now
    device.last_ip = ip_address
    return True


def revoke_device(device: Device, *, actor: User) -> None:
    if device.revoked_at is not None:
        return
    device.revoked_at = utcnow()
    device.revoked_by_id = actor.id
    db.session.flush()
    record("device_revoked", actor=actor, obj=device, user_id=device.user_id, name=device.name)


def devices_of_office(office_id: int) -> list[Device]:
    stmt = (select(Device).where(Device.office_id == office_id)
            .options(joinedload(Device.user), joinedload(Device.revoked_by))
            .order_by(Device.revoked_at.is_not(None), Device.created_at.desc()))
    return list(db.session.scalars(stmt))


def create_enrollment_link(user: User, *, actor: User) -> tuple[EnrollmentLink, str]:
    """A one-time link (valid ENROLLMENT_LINK_MINUTES) that enrolls a phone for ``user``.
    Returns the link and its secret, which only the QR code carries."""
    if user.office_id != actor.office_id:
        raise DeviceError("other_office", "El usuario pertenece a otra subdelegación.")
    if not user.active or not user.is_field_user:
        raise DeviceError("not_field_user", f"{user.full_name} no es personal de campo activo.")
    token = new_token()
    now = utcnow()
    link = EnrollmentLink(office_id=user.office_id, user=user, created_by_id=actor.id,
                          token_hash=hash_token(token), created_at=now,
                          expires_at=now + timedelta(minutes=ENROLLMENT_LINK_MINUTES))
    db.session.add(link)
    db.session.flush()
    record("enrollment_link_created", actor=actor, obj=link, user_id=user.id,
           expires_at=link.expires_at.isoformat())
    return link, token


def find_enrollment_link(token: str) -> EnrollmentLink | None:
    return db.session.scalar(select(EnrollmentLink).where(
        EnrollmentLink.token_hash == hash_token(token)).options(joinedload(EnrollmentLink.user)))


def link_problem(link: EnrollmentLink | None, now: datetime | None = None) -> DeviceError | None:
    """Why a link cannot be used (None when it can)."""
    now = now or utcnow()
    if link is None:
        return DeviceError("link_unknown", "Este enlace de registro no existe.")
    if link.used_at is not None:
        return DeviceError("link_used", "Este enlace ya se usó. Pida uno nuevo a su jefe de oficina.")
    if link.expires_at <= now:
        return DeviceError("link_expired",
                           "Este enlace venció (dura 15 minutos). Pida uno nuevo a su jefe de oficina.")
    return None


def redeem_enrollment_link(token: str, device_name: str) -> Enrollment:
    """Enrolls a phone with a one-time link. The link is claimed with one conditional UPDATE,
    so of two phones racing with the same QR exactly one wins."""
    name = _clean_name(device_name)
    now = utcnow()
    link = find_enrollment_link(token)
    problem = link_problem(link, now)
    if problem is not None:
        raise problem
    assert link is not None
    claimed = db.session.execute(
        update(EnrollmentLink)
        .where(EnrollmentLink.id == link.id, EnrollmentLink.used_at.is_(None),
               EnrollmentLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise DeviceError("link_used", "Este enlace ya se usó. Pida uno nuevo a su jefe de oficina.")
    enrollment = enroll_device(link.user, name, via="link")
    link.used_at = now
    link.device_id = enrollment.device.id
    db.session.flush()
    record("enrollment_link_used", actor=link.user, obj=link, device_id=enrollment.device.id)
    return enrollment
