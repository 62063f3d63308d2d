"""All htmx knowledge lives here: whether a request wants a fragment, and response helpers.
No other module reads or writes HX- headers."""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template, request
from werkzeug.wrappers import Response


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
