"""One error handler. JSON clients (the sync API) get {"error": {"code", "message"}} with a
stable code; people get a page in Spanish."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

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


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str | None = None, message: str | None = None) -> Response:
    default_code, default_message = MESSAGES.get(status, ("error", "Error."))
    code, message = code or default_code, message or default_message
    if wants_json():
        response = jsonify(error={"code": code, "message": message})
    else:
        response = Response(
            render_template("errors/error.html", status=status, message=message),
            mimetype="text/html",
        )
    response.status_code = status
    return response


def handle_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    if isinstance(exc, CSRFError):
        return error_response(400, "csrf_failed",
                              "El formulario expiró o no es válido. Recargue la página.")
    return error_response(status)


def handle_unexpected(exc: Exception) -> Response:
    from fieldapp.extensions import db

    db.session.rollback()
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    return error_response(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
