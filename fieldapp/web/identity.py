"""Who is making this request, as every layer may ask it. The auth feature decides it (the
session row, fieldapp.auth.access.load_user_from_session) and puts the user in `g`; web's own
helpers (office scoping, the user's time zone) read it here, so web depends on no feature."""

from __future__ import annotations

from typing import Any

from flask import g


def current_user() -> Any:
    """The signed-in user (fieldapp.auth.models.User) or None."""
    return g.get("user")
