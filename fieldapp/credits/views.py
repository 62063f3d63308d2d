"""The credit's legal life for the office head: /oficina/creditos (search, open alerts) and
/oficina/creditos/<id> (dates, notifications valid and void, situations, alerts, history)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from fieldapp.assignments.models import Assignment
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.credits.forms import (
    CreditSearchForm,
    EndSituationForm,
    FlagDecisionForm,
    SituationForm,
)
from fieldapp.credits.models import CreditFlag, CreditSituation
from fieldapp.credits.services import flags_of, notifications_of, open_flags, resolve_flag
from fieldapp.credits.situations import (
    SituationIn,
    end_situation,
    record_situation,
    situations_of,
)
from fieldapp.extensions import db
from fieldapp.legal.services import enforcement_refusals
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import CREDIT_STATUSES, Credit, Debtor, Document, document_credits
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("credits", __name__, url_prefix="/oficina/creditos")
SEARCH_LIMIT = 50



@bp.route("/")
@allow("supervisor", "admin")
def index() -> str:
    me = signed_in_user()
    form = CreditSearchForm(request.args)
    found: list[Credit] = []
    q = (form.q.data or "").strip().upper() if form.validate() else ""
    if q:
        found = list(db.session.scalars(
            select(Credit).join(Credit.debtor)
            .where(Credit.office_id == me.office_id,
                   or_(Credit.credit_number == q, Debtor.rfc == q))
            .options(joinedload(Credit.debtor)).order_by(Credit.credit_number).limit(SEARCH_LIMIT)))
    flags = open_flags(me.office_id)
    return render_template("credits/index.html", form=form, q=q, found=found, flags=flags)


def _credit_page(credit: Credit, *, situation_form: SituationForm | None = None,
                 status: int = 200) -> tuple[str, int]:
    today = office_today(signed_in_user().office)
    documents = list(db.session.scalars(
        select(Document).join(document_credits, document_credits.c.document_id == Document.id)
        .where(document_credits.c.credit_id == credit.id).order_by(Document.issued_on, Document.id)))
    assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.document_id.in_([d.id for d in documents]))
        .options(joinedload(Assignment.user)).order_by(Assignment.assigned_at, Assignment.id)))
    return render_template(
        "credits/credit.html", credit=credit, today=today,
        refusals=enforcement_refusals(credit, today) if credit.status not in ("paid",) else [],
        notifications=notifications_of(credit), situations=situations_of(credit),
        flags=flags_of(credit), documents=documents, assignments=assignments,
        situation_form=situation_form or SituationForm(formdata=None),
        end_form=EndSituationForm(formdata=None), flag_form=FlagDecisionForm(formdata=None),
        statuses=CREDIT_STATUSES,
    ), status


@bp.route("/<int:credit_id>")
@allow("supervisor", "admin")
def credit(credit_id: int) -> tuple[str, int]:
    return _credit_page(get_in_office_or_404(Credit, credit_id))


@bp.route("/<int:credit_id>/situaciones", methods=["POST"])
@allow("supervisor", "admin")
def add_situation(credit_id: int) -> Response | tuple[str, int]:
    me = signed_in_user()
    credit = get_in_office_or_404(Credit, credit_id)
    form = SituationForm()
    if form.validate_on_submit():
        kind, _, subkind = (form.kind.data or "").partition(":")
        with form.taking_refusals():
            situation = record_situation(credit, SituationIn(
                kind, subkind, form.starts_on.data or date.min, form.reference.data or "",
                form.source_document.data or "", amount=form.amount.data), actor=me)
        if not form.refused:
            flash(f"Registrado: {situation.subkind_label.lower()} ({situation.reference}).", "success")
            return redirect(url_for("credits.credit", credit_id=credit.id))
    return _credit_page(credit, situation_form=form, status=422)


@bp.route("/<int:credit_id>/situaciones/<int:situation_id>/fin", methods=["POST"])
@allow("supervisor", "admin")
def end(credit_id: int, situation_id: int) -> Response | tuple[str, int]:
    me = signed_in_user()
    credit = get_in_office_or_404(Credit, credit_id)
    situation = get_in_office_or_404(CreditSituation, situation_id)
    if situation.credit_id != credit.id:
        return redirect(url_for("credits.credit", credit_id=credit.id))
    form = EndSituationForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            end_situation(situation, form.ends_on.data or date.min, form.reason.data or "", actor=me)
        if not form.refused:
            flash(f"{situation.subkind_label}: termina el {situation.ends_on:%d/%m/%Y}.", "success")
            return redirect(url_for("credits.credit", credit_id=credit.id))
    flash(form.first_error(), "error")
    return redirect(url_for("credits.credit", credit_id=credit.id))


@bp.route("/<int:credit_id>/alertas/<int:flag_id>", methods=["POST"])
@allow("supervisor", "admin")
def decide_flag(credit_id: int, flag_id: int) -> Response:
    me = signed_in_user()
    credit = get_in_office_or_404(Credit, credit_id)
    flag = get_in_office_or_404(CreditFlag, flag_id)
    form = FlagDecisionForm()
    if flag.credit_id != credit.id or not form.validate_on_submit():
        flash(form.first_error(), "error")
        return redirect(url_for("credits.credit", credit_id=credit.id))
    with form.taking_refusals():
        resolve_flag(flag, action=form.action.data or "", reason=form.reason.data or "", actor=me)
    if form.refused:
        flash(form.first_error(), "error")
    else:
        flash("Alerta atendida.", "success")
    return redirect(url_for("credits.credit", credit_id=credit.id))
