"""One error handler. JSON clients (the sync API) get {"error": {"code", "message"}} with a
stable code; people get a page in Spanish.

Every request carries an id (``X-Request-Id``: the reverse proxy's when it sends a sane one,
else a new one), returned in the response header. An unexpected exception is logged with its
traceback and that id, and the 500 page (or JSON) shows the id, so a user's "it failed at
10:42, código 3f9c…" finds the traceback in the log.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, jsonify, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from fieldapp.errors import DomainError
from fieldapp.web.htmx import message_fragment, wants_fragment
from fieldapp.web.lifecycle import discard_this_request

MESSAGES = {
    400: ("bad_request", "La solicitud no es válida."),
    401: ("unauthorized", "Necesita iniciar sesión."),
    403: ("forbidden", "No tiene permiso para ver esta página."),
    404: ("not_found", "No encontramos lo que busca."),
    405: ("method_not_allowed", "Método no permitido."),
    409: ("conflict", "Hay un conflicto con lo que ya está guardado."),
    413: ("too_large", "El archivo es demasiado grande."),
    415: ("unsupported_media_type", "Tipo de contenido no admitido."),
    422: ("unprocessable", "Los datos no son válidos."),
    429: ("too_many_requests", "Demasiadas solicitudes. Espere un momento."),
    500: ("internal_error", "Ocurrió un error interno. Intente de nuevo."),
}


REQUEST_ID_HEADER = "X-Request-Id"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_ENVIRON_KEY = "fieldapp.request_id"


def request_id() -> str:
    """This request's id, made on first use and kept in the WSGI environ (``g`` lives as long
    as the app context, which a test or a CLI command may share between requests)."""
    rid = request.environ.get(_ENVIRON_KEY)
    if rid is None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        rid = request.environ[_ENVIRON_KEY] = (given if _SANE_ID.fullmatch(given)
                                               else uuid.uuid4().hex[:16])
    return str(rid)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str | None = None, message: str | None = None,
                   field: str | None = None) -> Response:
    default_code, default_message = MESSAGES.get(status, ("error", "Error."))
    code, message = code or default_code, message or default_message
    rid = request_id() if status >= 500 else None
    if wants_json():
        body = {"code": code, "message": message, **({"field": field} if field else {}),
                **({"request_id": rid} if rid else {})}
        response = jsonify(error=body)
    elif wants_fragment():
        return message_fragment(status, render_template(
            "errors/_message.html", status=status, message=message, request_id=rid))
    else:
        response = Response(
            render_template("errors/error.html", status=status, message=message, request_id=rid),
            mimetype="text/html",
        )
    response.status_code = status
    return response


def _with_retry_after(response: Response, exc: DomainError) -> Response:
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def handle_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    if isinstance(exc, CSRFError):
        return error_response(400, "csrf_failed",
                              "El formulario expiró o no es válido. Recargue la página.")
    return error_response(status)


def handle_domain_error(exc: DomainError) -> Response:
    """A refusal a view let go, undone at once: JSON with its status and code for the API, a
    message for htmx; a button pressed on a page goes back to that page with the message on
    top (post/redirect/get); anything else gets an error page with the message. Nothing of the
    request is kept, the redirect's success status notwithstanding (web/lifecycle.py)."""
    discard_this_request()
    back = _same_site_referrer()
    if back and request.method == "POST" and not wants_json() and not wants_fragment():
        flash(exc.message, "error")
        return redirect(back, 303)
    return _with_retry_after(error_response(exc.status, exc.code, exc.message, exc.field), exc)


def _same_site_referrer() -> str | None:
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.scheme not in ("http", "https"):
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def handle_unexpected(exc: Exception) -> Response:
    discard_this_request()  # nothing of a failed request is half-written; the page can be drawn
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    current_app.logger.error("Unexpected error, request %s: %s %s", request_id(), request.method,
                             request.path, exc_info=exc)
    return error_response(500, message="Ocurrió un error interno y quedó registrado. Intente de "
                                       "nuevo; si vuelve a ocurrir, indique el código de la solicitud.")


def _send_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.after_request(_send_request_id)
    # Tests see a view's exception as raised (with its traceback), unless they ask for the
    # production behaviour.
    if not app.testing or app.config.get("HANDLE_UNEXPECTED_ERRORS"):
        app.register_error_handler(Exception, handle_unexpected)
