"""Who may call which endpoint. Deny by default: an endpoint without a declared policy is
refused for everyone, so a route can never be left open by forgetting a decorator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, redirect, request, session, url_for

from fieldapp.auth.models import ROLES, User
from fieldapp.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
DEVICE = "device"  # bearer-token endpoints of the sync API; they authenticate themselves


def allow(*roles: str) -> Callable[[F], F]:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view: F) -> F:
        view.access_policy = frozenset(roles)  # type: ignore[attr-defined]
        return view

    return decorate


def public(view: F) -> F:
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def device(view: F) -> F:
    view.access_policy = DEVICE  # type: ignore[attr-defined]
    return view


def policy_of(endpoint: str | None) -> Any:
    if endpoint is None:
        return None
    if endpoint == "static":
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_policy", None)


def current_user() -> User | None:
    return g.get("user")


def load_user_from_session() -> None:
    g.user = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    user = db.session.get(User, user_id)
    if user is None or not user.active or session.get("pw") != user.password_hash[-16:]:
        # Deactivated, deleted or password changed since login: the session is dead.
        session.clear()
        return
    g.user = user


def enforce_policy() -> Any:
    if request.endpoint is None:
        return None  # 404 handled by Flask
    policy = policy_of(request.endpoint)
    if policy in (PUBLIC, DEVICE):
        return None
    if policy is None:
        current_app.logger.error("endpoint %s declares no access policy", request.endpoint)
        abort(403)
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if user.role not in policy:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.before_request(load_user_from_session)
    app.before_request(enforce_policy)

    @app.context_processor
    def inject_user() -> dict[str, Any]:
        return {"current_user": current_user()}
