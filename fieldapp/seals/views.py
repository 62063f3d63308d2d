"""Seal sheets for office heads and admins: issue, assign to an executor, print the QR labels,
look up a seal and void one lost before use."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request
from werkzeug.wrappers import Response

from fieldapp.auth.access import allow, signed_in_user
from fieldapp.auth.models import User
from fieldapp.seals.forms import NO_EXECUTOR, AssignSheetForm, IssueSheetForm, VoidSealForm
from fieldapp.seals.models import SEAL_STATUSES, Seal, SealSheet
from fieldapp.seals.pdf import seal_sheet_pdf
from fieldapp.seals.services import (
    assign_sheet,
    executors_of,
    find_seal,
    issue_sheet,
    seals_of,
    sheets_of,
    status_counts,
    void_seal,
)
from fieldapp.web.htmx import render_page_or_fragment
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("seals", __name__, url_prefix="/oficina/sellos")



def _executor_choices(office_id: int) -> dict[str, str]:
    # A dict: WTForms 3.3 deprecates tuple choices.
    return {str(u.id): u.full_name for u in executors_of(office_id)}


def _issue_form(me: User) -> IssueSheetForm:
    form = IssueSheetForm()
    form.executor_id.choices = {str(NO_EXECUTOR): "Sin asignar por ahora",
                                **_executor_choices(me.office_id)}
    return form


def _assign_form(me: User, sheet: SealSheet | None = None) -> AssignSheetForm:
    form = AssignSheetForm()
    form.executor_id.choices = _executor_choices(me.office_id)
    if sheet is not None and sheet.assigned_to_id and not form.is_submitted():
        form.executor_id.data = sheet.assigned_to_id
    return form


@bp.route("/")
@allow("supervisor", "admin")
def index() -> str:
    me = signed_in_user()
    status = request.args.get("estado") or None
    if status not in SEAL_STATUSES:
        status = None
    sheets = sheets_of(me.office_id)
    return render_template("seals/index.html", sheets=sheets,
                           counts=status_counts([s.id for s in sheets]),
                           seals=seals_of(me.office_id, status), status=status,
                           statuses=SEAL_STATUSES, form=_issue_form(me))


@bp.route("/hojas", methods=["POST"])
@allow("supervisor", "admin")
def issue() -> Response:
    me = signed_in_user()
    form = _issue_form(me)
    sheet = None
    if form.validate_on_submit():
        executor = None
        if form.executor_id.data != NO_EXECUTOR:
            executor = get_in_office_or_404(User, form.executor_id.data)
        with form.taking_refusals():
            sheet = issue_sheet(me.office, form.count.data or 0, actor=me, executor=executor)
    error = form.error()
    sheets = sheets_of(me.office_id) if sheet is not None else []
    return render_page_or_fragment("seals/issued.html", "seals/_issue_result.html",
                                   status=201 if sheet else 422, sheet=sheet, error=error,
                                   form=form, sheets=sheets, oob=True, statuses=SEAL_STATUSES,
                                   counts=status_counts([s.id for s in sheets]))


@bp.route("/hojas/<int:sheet_id>")
@allow("supervisor", "admin")
def sheet(sheet_id: int) -> str:
    me = signed_in_user()
    sheet = get_in_office_or_404(SealSheet, sheet_id)
    return render_template("seals/sheet.html", sheet=sheet, assign_form=_assign_form(me, sheet),
                           error=None, assigned=None)


@bp.route("/hojas/<int:sheet_id>/asignar", methods=["POST"])
@allow("supervisor", "admin")
def assign(sheet_id: int) -> Response:
    me = signed_in_user()
    sheet = get_in_office_or_404(SealSheet, sheet_id)
    form = _assign_form(me)
    assigned = None
    if form.validate_on_submit():
        executor = get_in_office_or_404(User, form.executor_id.data)
        with form.taking_refusals():
            assigned = assign_sheet(sheet, executor, actor=me)
        error = form.error()
    else:
        error = "Elija al ejecutor."
    return render_page_or_fragment("seals/sheet.html", "seals/_assignment.html",
                                   status=422 if error else 200, sheet=sheet, assign_form=form,
                                   error=error, assigned=assigned)


@bp.route("/hojas/<int:sheet_id>/etiquetas.pdf")
@allow("supervisor", "admin")
def sheet_pdf(sheet_id: int) -> Response:
    sheet = get_in_office_or_404(SealSheet, sheet_id)
    title = f"Hoja de sellos {sheet.id}"
    pdf = seal_sheet_pdf([s.code for s in sheet.seals], office_name=sheet.office.name,
                         title=title)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="sellos-hoja-{sheet.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _seal_or_404(code: str) -> Seal:
    seal = find_seal(signed_in_user().office_id, code)
    if seal is None:
        abort(404)
    return seal


@bp.route("/sello/<string:code>")
@allow("supervisor", "admin")
def seal(code: str) -> str:
    return render_template("seals/seal.html", seal=_seal_or_404(code), void_form=VoidSealForm(),
                           error=None)


@bp.route("/sello/<string:code>/anular", methods=["POST"])
@allow("supervisor", "admin")
def void(code: str) -> Response:
    me = signed_in_user()
    seal = _seal_or_404(code)
    form = VoidSealForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            void_seal(seal, actor=me, reason=form.reason.data or "")
    error = form.error()
    return render_page_or_fragment("seals/seal.html", "seals/_seal_status.html",
                                   status=422 if error else 200, seal=seal, void_form=form,
                                   error=error)
