"""Evidence files for the office screens: thumbnails and originals, only to people of the office
whose diligences list the file (404 otherwise, so nothing leaks across offices)."""

from __future__ import annotations

from flask import Blueprint, abort, send_file
from sqlalchemy import select
from werkzeug.wrappers import Response

from fieldapp.auth.access import allow, current_user
from fieldapp.diligences.models import Diligence, DiligenceMedia
from fieldapp.extensions import db
from fieldapp.media import storage
from fieldapp.media.models import MediaBlob
from fieldapp.media.services import find_blob, thumbnail_of

bp = Blueprint("media", __name__, url_prefix="/evidencias")


def _visible_blob(sha256: str) -> MediaBlob:
    user = current_user()
    if user is None or len(sha256) != 64:
        abort(404)
    scope = [DiligenceMedia.sha256 == sha256, Diligence.office_id == user.office_id]
    if user.is_field_user:
        scope.append(Diligence.user_id == user.id)
    listed = db.session.scalar(select(DiligenceMedia.id).join(Diligence).where(*scope).limit(1))
    blob = find_blob(sha256) if listed is not None else None
    if blob is None:
        abort(404)
    return blob


def _send(path_: str, mimetype: str) -> Response:
    response = send_file(path_, mimetype=mimetype, max_age=3600, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/<string:sha256>")
@allow("supervisor", "admin", "notifier", "executor")
def original(sha256: str) -> Response:
    blob = _visible_blob(sha256)
    return _send(str(storage.original_path(blob.sha256)), blob.content_type)


@bp.route("/<string:sha256>/miniatura")
@allow("supervisor", "admin", "notifier", "executor")
def thumbnail(sha256: str) -> Response:
    blob = _visible_blob(sha256)
    return _send(str(thumbnail_of(blob.sha256)), "image/jpeg")
