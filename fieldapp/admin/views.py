from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from fieldapp.admin.forms import UserForm
from fieldapp.auth.access import allow, current_user
from fieldapp.auth.models import User
from fieldapp.auth.services import UserError, create_user
from fieldapp.extensions import db
from fieldapp.portfolio.models import Credit, Debtor, Document

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _me() -> User:
    user = current_user()
    assert user is not None
    return user


@bp.route("/")
@allow("admin")
def home() -> str:
    office_id = _me().office_id
    counts = {
        "debtors": db.session.scalar(select(func.count(Debtor.id)).where(Debtor.office_id == office_id)),
        "credits": db.session.scalar(select(func.count(Credit.id)).where(Credit.office_id == office_id)),
        "documents": db.session.scalar(
            select(func.count(Document.id)).where(Document.office_id == office_id)),
        "users": db.session.scalar(select(func.count(User.id)).where(User.office_id == office_id)),
    }
    return render_template("admin/home.html", counts=counts)


@bp.route("/usuarios")
@allow("admin")
def users() -> str:
    rows = db.session.scalars(
        select(User).where(User.office_id == _me().office_id).order_by(User.role, User.username))
    return render_template("admin/users.html", users=list(rows))


@bp.route("/usuarios/nuevo", methods=["GET", "POST"])
@allow("admin")
def new_user() -> Response | str | tuple[str, int]:
    me = _me()
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                office=me.office, username=form.username.data or "",
                full_name=form.full_name.data or "", role=form.role.data or "",
                password=form.password.data or "", actor=me,
                credential_number=form.credential_number.data or None,
                credential_issued_on=form.credential_issued_on.data,
                credential_valid_until=form.credential_valid_until.data,
                credential_issuer=form.credential_issuer.data or None,
            )
        except UserError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            return render_template("admin/user_form.html", form=form), 422
        db.session.commit()
        flash(f"Usuario {user.username} creado.", "success")
        return redirect(url_for("admin.users"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form), status
