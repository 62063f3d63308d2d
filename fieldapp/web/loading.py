"""Load an object of the current user's office or answer 404 — never 403, so an office never
learns what another office holds."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort

from fieldapp.extensions import db
from fieldapp.web.identity import current_user

M = TypeVar("M")


def get_in_office_or_404(model: type[M], object_id: Any) -> M:
    user = current_user()
    obj = db.session.get(model, object_id)
    if obj is None or user is None or obj.office_id != user.office_id:  # type: ignore[attr-defined]
        abort(404)
    return obj
