"""Who may call which endpoint. Deny by default: an endpoint without a declared policy is
refused for everyone, so a route can never be left open by forgetting a decorator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, request, session, url_for

from fieldapp.auth.models import ROLES, User
from fieldapp.auth.services import credentials_expiring, session_user
from fieldapp.offices.services import office_today
from fieldapp.web.htmx import navigate, page_path
from fieldapp.web.identity import current_user

__all__ = ["allow", "public", "device", "current_user", "signed_in_user", "policy_of", "PUBLIC", "DEVICE"]

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


def signed_in_user() -> User:
    """The user of a request the access policy let through: every role-guarded view has one
    (enforce_policy sent everyone else to the login), so views need no check of their own."""
    user = current_user()
    if user is None:
        abort(401)
    return user


def policy_of(endpoint: str | None) -> Any:
    if endpoint is None:
        return None
    if endpoint == "static":
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_policy", None)


SESSION_KEY = "sid"
# Where a user whose password an admin reset may go before choosing a new one.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.logout", "static"})


def load_user_from_session() -> None:
    g.user = None
    if request.endpoint == "static":
        return  # public files: no cookie to read, no session row to load
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        return  # not logged in (the session may still hold a CSRF token)
    user = session_user(token)
    if user is None:
        # Logged out, password changed, or deactivated since: the session row says so, so
        # every copy of the cookie is dead at once.
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
        return navigate(url_for("auth.login", next=page_path()))
    if user.role not in policy:
        abort(403)
    if user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return navigate(url_for("auth.change_password"))
    return None


def init_app(app: Flask) -> None:
    app.before_request(load_user_from_session)
    app.before_request(enforce_policy)

    @app.context_processor
    def inject_user() -> dict[str, Any]:
        return {"current_user": current_user()}

    @app.template_global()
    def credentials_expiring_here() -> list[User]:
        """The signed-in office's field users whose credential ends within 30 days."""
        user = current_user()
        if user is None:
            return []
        return credentials_expiring(user.office_id, office_today(user.office))
