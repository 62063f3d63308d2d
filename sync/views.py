"""The device API, /api/sync/v1 (docs/sync-protocol.md; OpenAPI at /api/sync/v1/openapi.json).

Phones authenticate with a bearer token, never a cookie, so the blueprint is exempt from CSRF
protection (a cross-site page cannot make a browser attach a bearer token). Every error is JSON
with a stable code (fieldapp.web.errors). The views commit nothing themselves: a write is
committed once it answered with a success, rolled back otherwise (fieldapp/web/lifecycle.py);
the login throttle's bookkeeping is the one thing kept from a refused enrollment, and a pull
commits the phone's last contact before it reads in its own snapshot."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from flask import Blueprint, g, jsonify, request
from werkzeug.wrappers import Response

from fieldapp.auth.access import device, public
from fieldapp.auth.models import User
from fieldapp.auth.services import charge_login_attempt, check_login_attempt
from fieldapp.db_types import utcnow
from fieldapp.devices import feed
from fieldapp.devices.models import Device
from fieldapp.devices.services import (
    device_for_token,
    enroll_device,
    note_seen,
    redeem_enrollment_link,
    revoke_device,
)
from fieldapp.diligences.services import expected_media_type, media_arrived
from fieldapp.errors import DomainError
from fieldapp.extensions import csrf, db
from fieldapp.media.services import max_bytes, store_media
from fieldapp.web.errors import handle_domain_error
from sync.openapi import openapi_document
from sync.protocol import SHA256_RE, CanonicalError, loads
from sync.pull import begin_snapshot, build_pull, parse_cursor
from sync.push import push_batch

bp = Blueprint("sync", __name__, url_prefix="/api/sync/v1")

MIN_GZIP_BYTES = 1024
MAX_JSON_BYTES = 8 * 1024 * 1024  # a push body, after gunzip
MAX_MEMBER_LENGTH = 200
USERNAME_LENGTH = User.__table__.c.username.type.length


@bp.record_once
def _setup(state: Any) -> None:
    feed.install()  # phones learn about changes made by any writer
    csrf.exempt(bp)


class ApiError(DomainError):
    """A request the API refuses before any rule is asked (token, body, encoding, size)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code, status=status)


@bp.errorhandler(DomainError)
def _refused(exc: DomainError) -> Response:
    """Every refusal as JSON (fieldapp.web.errors); a bad token also says how to authenticate."""
    response = handle_domain_error(exc)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="fieldapp", error="invalid_token"'
    return response


def _bearer_device() -> Device:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    found = device_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise ApiError(401, "invalid_token",
                       "El teléfono no está registrado o su registro fue revocado. Regístrelo de nuevo.")
    g.device = found
    return found


def _json_body() -> Any:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Envíe JSON (Content-Type: application/json).")
    data = request.get_data(cache=False)
    encoding = (request.content_encoding or "identity").lower()
    if encoding == "gzip":
        data = _gunzip(data, MAX_JSON_BYTES)
    elif encoding != "identity":
        raise ApiError(415, "unsupported_encoding", "Sólo se admite Content-Encoding: gzip.")
    if len(data) > MAX_JSON_BYTES:
        raise ApiError(413, "too_large", "El lote es demasiado grande: envíe menos registros.")
    try:
        return loads(data)
    except (ValueError, CanonicalError):
        raise ApiError(400, "invalid_json", "El cuerpo no es JSON válido.") from None


def _gunzip(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise ApiError(400, "invalid_gzip", "El cuerpo comprimido está dañado.") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise ApiError(413, "too_large", "El lote descomprimido es demasiado grande.")
    if not inflater.eof:
        raise ApiError(400, "invalid_gzip", "El cuerpo comprimido está incompleto.")
    return out


def _json_response(payload: Any, status: int = 200) -> Response:
    """JSON, gzip-compressed when the client accepts it and it is worth it."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = Response(body, status=status, mimetype="application/json")
    response.vary.add("Accept-Encoding")
    if len(body) >= MIN_GZIP_BYTES and request.accept_encodings["gzip"] > 0:
        response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Cache-Control"] = "no-store"
    return response


def _string_members(body: Any, *names: str) -> list[str]:
    if not isinstance(body, dict) or not all(isinstance(body.get(n), str) for n in names):
        raise ApiError(422, "invalid_request", "Faltan datos: " + ", ".join(names) + " (texto).")
    values = [body[n] for n in names]
    if any("\x00" in v or len(v) > MAX_MEMBER_LENGTH for v in values):
        raise ApiError(422, "invalid_request", "Datos no válidos.")
    return values


def _enrolled(device_: Device, token: str) -> Response:
    user = device_.user
    return _json_response({"device_id": device_.id, "token": token, "device_name": device_.name,
                           "user": {"id": user.id, "username": user.username,
                                    "full_name": user.full_name, "role": user.role}}, 201)


@bp.post("/devices")
@public
def enroll_with_password() -> Response:
    username, password, name = _string_members(_json_body(), "username", "password", "device_name")
    if len(username.strip()) > USERNAME_LENGTH:  # no such user can exist (users.username)
        raise ApiError(401, "invalid_credentials", "Usuario o contraseña incorrectos.")
    # Throttled: LoginThrottled, a 429 with Retry-After (nothing was recorded).
    attempt = charge_login_attempt(username, request.remote_addr or "?")
    db.session.commit()  # kept whatever follows: the attempt counts before its password is checked
    result = check_login_attempt(attempt, password)
    db.session.commit()  # kept whatever follows: a failed attempt counts towards the throttle
    if result.user is None:
        raise ApiError(401, "invalid_credentials", "Usuario o contraseña incorrectos.")
    enrollment = enroll_device(result.user, name, via="password")
    return _enrolled(enrollment.device, enrollment.token)


@bp.post("/enrollments/<string:code>")
@public
def enroll_with_link(code: str) -> Response:
    (name,) = _string_members(_json_body(), "device_name")
    enrollment = redeem_enrollment_link(code, name)
    return _enrolled(enrollment.device, enrollment.token)


@bp.delete("/devices/current")
@device
def revoke_current() -> Response:
    """The phone gives up its own token (logout on a shared phone)."""
    me = _bearer_device()
    revoke_device(me, actor=me.user)
    return Response(status=204)


@bp.get("/pull")
@device
def pull() -> Response:
    me = _bearer_device()
    cursor = parse_cursor(request.args.get("cursor"))  # InvalidCursor: 400 invalid_cursor
    note_seen(me, request.remote_addr)
    # Deliberate, although a read: the phone's last contact is kept, and the snapshot below
    # must begin a fresh transaction.
    db.session.commit()
    begin_snapshot()
    payload = build_pull(me.user, cursor, request.args.get("pack"))
    # Deliberate: ends the read-only snapshot here (a session the caller shares, as in tests,
    # would otherwise stay in it); a failed pull is rolled back by the error handler.
    db.session.rollback()
    return _json_response(payload)


@bp.post("/push")
@device
def push() -> Response:
    me = _bearer_device()
    body = _json_body()
    received_at = utcnow()
    payload = push_batch(me, body, received_at)
    note_seen(me, request.remote_addr, received_at)
    return _json_response(payload)


@bp.put("/media/<string:sha256>")
@device
def put_media(sha256: str) -> Response:
    me = _bearer_device()
    if not SHA256_RE.match(sha256):
        raise ApiError(404, "not_found", "La dirección debe ser el SHA-256 del archivo en hexadecimal.")
    limit = max_bytes()
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "too_large", f"El archivo excede {limit:,} bytes.")
    expected = expected_media_type(sha256, me.user)
    if expected is None:
        raise ApiError(409, "media_not_referenced",
                       "Ningún registro enviado menciona este archivo: envíe primero el registro.")
    data = request.stream.read(limit + 1)
    blob, created = store_media(sha256, data, expected_type=expected, device_id=me.id)
    # Read before the commit (fieldapp/web/lifecycle.py): a committed row would be loaded again.
    answer = {"sha256": blob.sha256, "stored": created, "bytes": blob.bytes,
              "content_type": blob.content_type, "completed_records": media_arrived(sha256)}
    return _json_response(answer, 201 if created else 200)


@bp.get("/openapi.json")
@public
def openapi() -> Response:
    return jsonify(openapi_document())
