"""`/salud`: public, answers only whether the app can reach its database (no data, no
version), so an orchestrator can restart a container that lost it."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from fieldapp.auth.access import public
from fieldapp.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/salud")
@public
def health() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:  # a read: the request's session is dropped with it
        current_app.logger.exception("health check: the database does not answer")
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200
