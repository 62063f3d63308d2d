from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from fieldapp.admin.forms import CredentialForm, EditUserForm, ResetPasswordForm, UserForm
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.auth.models import User
from fieldapp.auth.services import (
    clear_login_throttle,
    create_user,
    credential_history,
    credentials_expiring,
    is_throttled_for,
    renew_credential,
    reset_password,
    set_active,
    update_user,
)
from fieldapp.devices.services import devices_of_office
from fieldapp.extensions import db
from fieldapp.offices.models import Sector
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Credit, Debtor, Document
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("admin", __name__, url_prefix="/admin")



@bp.route("/")
@allow("admin")
def home() -> str:
    office_id = signed_in_user().office_id
    counts = {
        "debtors": db.session.scalar(select(func.count(Debtor.id)).where(Debtor.office_id == office_id)),
        "credits": db.session.scalar(select(func.count(Credit.id)).where(Credit.office_id == office_id)),
        "documents": db.session.scalar(
            select(func.count(Document.id)).where(Document.office_id == office_id)),
        "users": db.session.scalar(select(func.count(User.id)).where(User.office_id == office_id)),
    }
    return render_template("admin/home.html", counts=counts)


@bp.route("/usuarios")
@bp.route("/usuarios/")
@allow("admin")
def users() -> str:
    me = signed_in_user()
    rows = db.session.scalars(
        select(User).where(User.office_id == me.office_id).order_by(User.role, User.username))
    expiring = credentials_expiring(me.office_id, office_today(me.office))
    return render_template("admin/users.html", users=list(rows), expiring=expiring,
                           today=office_today(me.office))


def _user_page(user: User, status: int = 200, **forms: Any) -> tuple[str, int]:
    me = signed_in_user()
    edit = forms.get("edit") or EditUserForm(formdata=None, data={
        "full_name": user.full_name, "role": user.role, "sector": str(user.sector_id or "")})
    _sector_choices(edit, me)
    credential = forms.get("credential") or CredentialForm(formdata=None)
    reset = forms.get("reset") or ResetPasswordForm(formdata=None)
    return render_template(
        "admin/user.html", user=user, edit=edit, credential=credential, reset=reset,
        history=credential_history(user), locked=is_throttled_for(user),
        devices=[d for d in devices_of_office(me.office_id) if d.user_id == user.id and d.is_active],
        today=office_today(me.office)), status


def _sector_choices(form: EditUserForm, me: User) -> None:
    sectors = db.session.scalars(select(Sector).where(Sector.office_id == me.office_id)
                                 .order_by(Sector.code))
    form.sector.choices = {"": "Sin sector", **{str(s.id): s.label for s in sectors}}


@bp.route("/usuarios/<int:user_id>", methods=["GET", "POST"])
@allow("admin")
def user(user_id: int) -> Response | tuple[str, int]:
    """One user: edit name, role and sector; the credential and its history; sessions, lock,
    password and activation."""
    target = get_in_office_or_404(User, user_id)
    if request.method == "GET":
        return _user_page(target)
    form = EditUserForm()
    _sector_choices(form, signed_in_user())
    if not form.validate_on_submit():
        return _user_page(target, 422, edit=form)
    sector = db.session.get(Sector, int(form.sector.data)) if form.sector.data else None
    with form.taking_refusals():
        update_user(target, full_name=form.full_name.data or "", role=form.role.data or "",
                    sector=sector, actor=signed_in_user())
    if form.refused:
        return _user_page(target, 422, edit=form)
    flash(f"Datos de {target.username} guardados.", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/usuarios/<int:user_id>/credencial", methods=["POST"])
@allow("admin")
def renew_user_credential(user_id: int) -> Response | tuple[str, int]:
    target = get_in_office_or_404(User, user_id)
    form = CredentialForm()
    if not form.validate_on_submit():
        return _user_page(target, 422, credential=form)
    with form.taking_refusals():
        renew_credential(target, number=form.number.data or "", issued_on=form.issued_on.data,
                         valid_until=form.valid_until.data, issuer=form.issuer.data or "",
                         legal_basis=form.legal_basis.data, actor=signed_in_user())
    if form.refused:
        return _user_page(target, 422, credential=form)
    flash(f"Credencial {target.credential_number} registrada. Los teléfonos de "
          f"{target.username} la reciben en su próxima sincronización.", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/usuarios/<int:user_id>/activo", methods=["POST"])
@allow("admin")
def set_user_active(user_id: int) -> Response | tuple[str, int]:
    target = get_in_office_or_404(User, user_id)
    active = request.form.get("active") == "1"
    set_active(target, active, actor=signed_in_user())  # a refusal comes back to the page
    flash(f"{target.username} reactivado." if active else
          f"{target.username} desactivado: sus sesiones y teléfonos dejan de funcionar.", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/usuarios/<int:user_id>/contrasena", methods=["POST"])
@allow("admin")
def reset_user_password(user_id: int) -> Response | tuple[str, int]:
    target = get_in_office_or_404(User, user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return _user_page(target, 422, reset=form)
    with form.taking_refusals():
        reset_password(target, form.password.data or "", actor=signed_in_user())
    if form.refused:
        return _user_page(target, 422, reset=form)
    flash(f"Contraseña de {target.username} restablecida: deberá cambiarla al entrar.", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/usuarios/<int:user_id>/desbloquear", methods=["POST"])
@allow("admin")
def unlock_user(user_id: int) -> Response:
    target = get_in_office_or_404(User, user_id)
    clear_login_throttle(target, actor=signed_in_user())
    flash(f"{target.username} puede volver a intentar entrar.", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/usuarios/nuevo", methods=["GET", "POST"])
@allow("admin")
def new_user() -> Response | str | tuple[str, int]:
    me = signed_in_user()
    form = UserForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            user = create_user(
                office=me.office, username=form.username.data or "",
                full_name=form.full_name.data or "", role=form.role.data or "",
                password=form.password.data or "", actor=me,
                credential_number=form.credential_number.data or None,
                credential_issued_on=form.credential_issued_on.data,
                credential_valid_until=form.credential_valid_until.data,
                credential_issuer=form.credential_issuer.data or None,
                credential_legal_basis=form.credential_legal_basis.data or None,
            )
        if form.refused:
            return render_template("admin/user_form.html", form=form), 422
        flash(f"Usuario {user.username} creado.", "success")
        return redirect(url_for("admin.users"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form), status
