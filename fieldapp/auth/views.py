from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from fieldapp.audit.services import record
from fieldapp.auth.access import SESSION_KEY, allow, current_user, public
from fieldapp.auth.forms import ChangePasswordForm, LoginForm
from fieldapp.auth.models import ROLES
from fieldapp.auth.services import (
    HOME_ENDPOINTS,
    charge_login_attempt,
    check_login_attempt,
    end_session,
    start_session,
)
from fieldapp.auth.services import change_password as change_password_of
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
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    with form.taking_refusals():  # LoginThrottled (429): nothing was recorded
        attempt = charge_login_attempt(form.username.data or "", request.remote_addr or "?")
    if form.refused:
        return render_template("auth/login.html", form=form), form.refused_by.status  # type: ignore[union-attr]
    # Deliberate: the attempt counts for everybody else before its password is checked, and the
    # throttle's lock is not held through the slow hash; kept whatever this request answers.
    db.session.commit()
    result = check_login_attempt(attempt, form.password.data or "")
    if result.user is None:
        # Deliberate: a failed attempt counts towards the throttle although this answer (401)
        # rolls the request back.
        db.session.commit()
        form.form_errors.append("Usuario o contraseña incorrectos.")
        return render_template("auth/login.html", form=form), 401
    token = start_session(result.user, request.remote_addr)
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = token
    if result.user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return redirect(_safe_next(request.args.get("next")) or home_url_for(result.user.role))


@bp.route("/salir", methods=["POST"])
@public
def logout() -> Response:
    user = current_user()
    if user is not None:
        end_session(session[SESSION_KEY])  # every copy of this cookie ends with it
        record("logout", actor=user, object_type="users", object_id=user.id)
    session.clear()
    flash("Sesión cerrada.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/cuenta/contrasena", methods=["GET", "POST"])
@allow(*ROLES)
def change_password() -> Response | str | tuple[str, int]:
    """Any user changes their own password (and must, after an admin reset it). The user's
    other sessions end; this one goes on."""
    me = current_user()
    assert me is not None
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not me.check_password(form.current_password.data or ""):
            form.form_errors.append("La contraseña actual no es correcta.")
        elif form.new_password.data == form.current_password.data:
            form.form_errors.append("La contraseña nueva debe ser distinta de la actual.")
        else:
            with form.taking_refusals():
                change_password_of(me, form.new_password.data or "", actor=me,
                                   keep_session=session[SESSION_KEY])
            if not form.refused:
                flash("Contraseña cambiada. Sus otras sesiones se cerraron.", "success")
                return redirect(home_url_for(me.role))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/change_password.html", form=form), status
