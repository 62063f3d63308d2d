"""All htmx knowledge lives here: whether a request wants a fragment, and response helpers.
No other module reads or writes HX- headers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import make_response, redirect, render_template, request
from werkzeug.wrappers import Response

# Where an htmx request's failure message goes: a live region every page has (base.html), so a
# 403 or an expired form never lands inside a table row as a whole page.
MESSAGE_TARGET = "#htmx-messages"


def wants_fragment() -> bool:
    """An htmx request that is not a boosted navigation wants only the fragment."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context: Any) -> Response:
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def redirect_for_htmx(response: Response, location: str) -> Response:
    """Tell htmx to navigate (a plain 302 would be followed inside the fragment)."""
    response.headers["HX-Location"] = location
    return response


def is_htmx() -> bool:
    return bool(getattr(request, "htmx", None))


def page_path() -> str:
    """The page the user is on: the request's own path for a navigation, the page that sent an
    htmx fragment request otherwise (HX-Current-URL, same origin only)."""
    if not wants_fragment():
        return request.full_path.rstrip("?")
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.netloc and current.netloc != request.host:
        return "/"
    path = current.path or "/"
    return f"{path}?{current.query}" if current.query else path


def navigate(location: str) -> Response:
    """A full-page redirect whatever asked for it: htmx follows a plain 302 inside the request
    and would swap the login page into a fragment, so it gets HX-Redirect instead."""
    if not is_htmx():
        return redirect(location)
    response = make_response("", 401 if location.startswith("/entrar") else 200)
    response.headers["HX-Redirect"] = location
    response.vary.add("HX-Request")
    return response


def message_fragment(status: int, body: str) -> Response:
    """An error for an htmx fragment request: a short message retargeted to the page's message
    area, replacing any earlier one."""
    response = make_response(body, status)
    response.headers["HX-Retarget"] = MESSAGE_TARGET
    response.headers["HX-Reswap"] = "innerHTML"
    response.vary.add("HX-Request")
    return response
