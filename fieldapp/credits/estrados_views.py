"""Estrados for the office head: /oficina/estrados (the queue by state) and
/oficina/estrados/<id> (the case: evidence, acuerdo and its PDF, publication, retiro and the
notification date of R-NOT-12). An office sees only its own cases (404 otherwise)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from fieldapp.audit.services import record
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.credits.estrados import (
    QUEUE_TABS,
    diligence_day,
    issue_agreement,
    last_publication_day,
    queue,
    queue_counts,
    record_publication,
    record_retirement,
    retirements_due,
)
from fieldapp.credits.estrados_pdf import agreement_of, agreement_pdf
from fieldapp.credits.forms import (
    EstradosAgreementForm,
    EstradosPublicationForm,
    EstradosRetirementForm,
)
from fieldapp.credits.models import EstradosCase
from fieldapp.legal.services import calendar_for
from fieldapp.offices.services import office_today
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("estrados", __name__, url_prefix="/oficina/estrados")
DEFAULT_TAB = "por-acordar"


@bp.route("/")
@allow("supervisor", "admin")
def index() -> str:
    office = signed_in_user().office
    tab = request.args.get("estado", DEFAULT_TAB)
    if tab not in QUEUE_TABS:
        tab = DEFAULT_TAB
    today = office_today(office)
    return render_template("credits/estrados_index.html", tabs=QUEUE_TABS, tab=tab,
                           counts=queue_counts(office), rows=queue(office, tab, today),
                           due=retirements_due(office, today))


def _case_page(case: EstradosCase, *, agreement_form: EstradosAgreementForm | None = None,
               publication_form: EstradosPublicationForm | None = None,
               retirement_form: EstradosRetirementForm | None = None,
               status: int = 200) -> tuple[str, int]:
    office = signed_in_user().office
    return render_template(
        "credits/estrados_case.html", case=case, failed_on=diligence_day(case),
        notification_on=case.notification_on, last_day=_last_day(case),
        agreement_form=agreement_form or EstradosAgreementForm(formdata=None),
        publication_form=publication_form or EstradosPublicationForm(formdata=None),
        retirement_form=retirement_form or EstradosRetirementForm(formdata=None),
        today=office_today(office),
    ), status


def _last_day(case: EstradosCase) -> date | None:
    if case.posted_on is None or case.published_on is None:
        return None
    return last_publication_day(case, calendar_for(signed_in_user().office, case.published_on))


@bp.route("/<int:case_id>")
@allow("supervisor", "admin")
def case(case_id: int) -> tuple[str, int]:
    # Every view of a case's personal data is audited (workflows.md, Evidence): by the hook of
    # fieldapp/audit/reads.py, as estrados_case_viewed.
    return _case_page(get_in_office_or_404(EstradosCase, case_id))


@bp.route("/<int:case_id>/acuerdo", methods=["POST"])
@allow("supervisor", "admin")
def agreement(case_id: int) -> Response | tuple[str, int]:
    me = signed_in_user()
    case = get_in_office_or_404(EstradosCase, case_id)
    form = EstradosAgreementForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            issue_agreement(case, form.number.data or "", form.agreed_on.data or date.min,
                            actor=me, today=office_today(me.office))
        if not form.refused:
            flash(f"Acuerdo {case.agreement_number} emitido.", "success")
            return redirect(url_for("estrados.case", case_id=case.id))
    return _case_page(case, agreement_form=form, status=422)


@bp.route("/<int:case_id>/publicacion", methods=["POST"])
@allow("supervisor", "admin")
def publication(case_id: int) -> Response | tuple[str, int]:
    me = signed_in_user()
    case = get_in_office_or_404(EstradosCase, case_id)
    form = EstradosPublicationForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            record_publication(case, form.posted_on.data or date.min,
                               form.published_on.data or date.min, actor=me,
                               today=office_today(me.office))
        if not form.refused:
            flash("Publicación registrada.", "success")
            return redirect(url_for("estrados.case", case_id=case.id))
    return _case_page(case, publication_form=form, status=422)


@bp.route("/<int:case_id>/retiro", methods=["POST"])
@allow("supervisor", "admin")
def retirement(case_id: int) -> Response | tuple[str, int]:
    me = signed_in_user()
    case = get_in_office_or_404(EstradosCase, case_id)
    form = EstradosRetirementForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            record_retirement(case, form.retired_on.data or date.min, actor=me,
                              today=office_today(me.office))
        if not form.refused:
            flash("Retiro registrado: la notificación por estrados quedó asentada en los "
                  "créditos.", "success")
            return redirect(url_for("estrados.case", case_id=case.id))
    return _case_page(case, retirement_form=form, status=422)


@bp.route("/<int:case_id>/acuerdo.pdf")
@allow("supervisor", "admin")
def agreement_pdf_file(case_id: int) -> Response:
    me = signed_in_user()
    case = get_in_office_or_404(EstradosCase, case_id)
    if case.agreement_number is None:
        flash("El caso aún no tiene acuerdo.", "error")
        return redirect(url_for("estrados.case", case_id=case.id))
    pdf = agreement_pdf(agreement_of(case, me.office))
    record("estrados_agreement_printed", actor=me, obj=case, office_id=case.office_id,
           agreement_number=case.agreement_number)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    safe_number = "".join(ch if ch.isalnum() else "-" for ch in case.agreement_number)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="acuerdo-estrados-{safe_number}.pdf"')
    response.headers["Cache-Control"] = "no-store"
    return response

