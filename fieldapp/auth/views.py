from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from fieldapp.audit.services import record
from fieldapp.auth.access import current_user, public
from fieldapp.auth.forms import LoginForm
from fieldapp.auth.services import HOME_ENDPOINTS, LoginThrottled, authenticate
from fieldapp.extensions import db

bp = Blueprint("auth", __name__)


def home_url_for(role: str) -> str:
    return url_for(HOME_ENDPOINTS[role])


def _safe_next(target: str | None) -> str | None:
    # Only same-site paths: never bounce a fresh login to another host.
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    return target if not urlsplit(target).netloc else None


@bp.route("/")
@public
def index() -> Response:
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return redirect(home_url_for(user.role))


@bp.route("/entrar", methods=["GET", "POST"])
@public
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        try:
            result = authenticate(form.username.data or "", form.password.data or "",
                                  request.remote_addr or "?")
        except LoginThrottled:
            db.session.commit()
            form.form_errors.append(
                "Demasiados intentos fallidos. Espere 15 minutos antes de volver a intentar."
            )
            return render_template("auth/login.html", form=form), 429
        db.session.commit()
        if result.ok and result.user is not None:
            session.clear()
            session.permanent = True
            session["user_id"] = result.user.id
            session["pw"] = result.user.password_hash[-16:]
            return redirect(_safe_next(request.args.get("next")) or home_url_for(result.user.role))
        form.form_errors.append("Usuario o contraseña incorrectos.")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.route("/salir", methods=["POST"])
@public
def logout() -> Response:
    user = current_user()
    if user is not None:
        record("logout", actor=user, object_type="users", object_id=user.id)
        db.session.commit()
    session.clear()
    flash("Sesión cerrada.", "info")
    return redirect(url_for("auth.login"))
