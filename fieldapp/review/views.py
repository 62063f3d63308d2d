from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from fieldapp.assignments.services import (
    assign,
    assign_sector,
    field_users,
    live_assignments_by_document,
    overdue,
)
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.auth.models import User
from fieldapp.extensions import db
from fieldapp.offices.models import Sector
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Address, Document
from fieldapp.review.forms import AssignForm, SectorAssignForm
from fieldapp.web.htmx import render_page_or_fragment
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("review", __name__, url_prefix="/oficina")

PAGE_SIZE = 50



DEFAULT_DAYS_TO_DUE = 7


def _with_choices(form: AssignForm, me: User) -> AssignForm:
    form.user_id.choices = [
        (u.id, f"{u.full_name} ({u.role_label})") for u in field_users(me.office_id)
    ]
    if form.due_on.data is None:
        form.due_on.data = office_today(me.office) + timedelta(days=DEFAULT_DAYS_TO_DUE)
    return form


def _assign_form(me: User) -> AssignForm:
    return _with_choices(AssignForm(), me)


def _sector_form(me: User) -> SectorAssignForm:
    form = SectorAssignForm()
    form.sector_id.choices = [(s.id, s.label) for s in _sectors(me.office_id)]
    _with_choices(form, me)
    return form


def _sectors(office_id: int) -> list[Sector]:
    return list(db.session.scalars(
        select(Sector).where(Sector.office_id == office_id).order_by(Sector.code)))


@bp.route("/vencidas")
@allow("supervisor", "admin")
def overdue_assignments() -> str:
    me = signed_in_user()
    late = overdue(me.office_id, office_today(me.office))
    return render_template("review/overdue.html", assignments=late)


def _documents_query(office_id: int, sector_id: int | None, after_folio: str | None):  # type: ignore[no-untyped-def]
    stmt = (
        select(Document)
        .join(Document.address)
        .where(Document.office_id == office_id)
        .options(joinedload(Document.debtor), joinedload(Document.address).joinedload(Address.sector),
                 selectinload(Document.credits))
        .order_by(Document.folio)
        .limit(PAGE_SIZE + 1)
    )
    if sector_id is not None:
        stmt = stmt.where(Address.sector_id == sector_id)
    if after_folio:
        stmt = stmt.where(Document.folio > after_folio)  # keyset pagination
    return stmt


@bp.route("/documentos")
@allow("supervisor", "admin")
def documents() -> Response:
    me = signed_in_user()
    sector_id = request.args.get("sector", type=int)
    after = request.args.get("despues")
    rows = list(db.session.scalars(_documents_query(me.office_id, sector_id, after)).unique())
    next_after = rows[PAGE_SIZE - 1].folio if len(rows) > PAGE_SIZE else None
    rows = rows[:PAGE_SIZE]
    return render_page_or_fragment(
        "review/documents.html",
        "review/_document_rows.html",
        documents=rows,
        live=live_assignments_by_document(rows),
        sectors=_sectors(me.office_id),
        sector_id=sector_id,
        next_after=next_after,
        form=_assign_form(me),
        sector_form=_sector_form(me),
    )


@bp.route("/documentos/<int:document_id>/asignar", methods=["POST"])
@allow("supervisor", "admin")
def assign_document(document_id: int) -> Response:
    me = signed_in_user()
    document = get_in_office_or_404(Document, document_id)
    form = _assign_form(me)
    if form.validate_on_submit():
        user = get_in_office_or_404(User, form.user_id.data)
        with form.taking_refusals():
            assign(document, user, form.due_on.data, actor=me,  # type: ignore[arg-type]
                   kind=form.kind.data or "diligence")
    error = "; ".join(form.error_messages()) or None
    status = 200 if error is None else 422
    if error is None:
        flash(f"Documento {document.folio} asignado.", "success")
    return render_page_or_fragment(
        "review/document_assigned.html",
        "review/_document_row.html",
        status=status,
        document=document,
        live=live_assignments_by_document([document]),
        form=form,
        error=error,
    )


@bp.route("/sectores/asignar", methods=["POST"])
@allow("supervisor", "admin")
def assign_by_sector() -> Response:
    me = signed_in_user()
    form = _sector_form(me)
    if not form.validate_on_submit():
        for message in form.error_messages():
            flash(message, "error")
        return redirect(url_for("review.documents"))
    sector = get_in_office_or_404(Sector, form.sector_id.data)
    user = get_in_office_or_404(User, form.user_id.data)
    with form.taking_refusals():
        made = assign_sector(me.office_id, sector.id, user, form.due_on.data, actor=me,  # type: ignore[arg-type]
                             only_unassigned=not form.include_assigned.data)
    if form.refused:
        flash(f"No se asignó nada: {form.refusal}", "error")
        # A success answer, yet nothing is kept: taking_refusals discarded the request.
        return redirect(url_for("review.documents", sector=sector.id))
    flash(f"{len(made)} documentos del sector {sector.label} asignados a {user.full_name}.",
          "success")
    return redirect(url_for("review.documents", sector=sector.id))
