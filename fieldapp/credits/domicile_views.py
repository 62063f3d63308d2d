"""Cambio de domicilio for the office head: /oficina/domicilios lists the new addresses that
approved diligences reported (R-NOT-10) — accept one (new address of the debtor and an
assignment there) or dismiss it with a reason. An office sees only its own (404 otherwise).

Views in the request lifecycle's style: parse, load, authorise, call a service, render or
redirect; the lifecycle commits a success and rolls back an error (fieldapp/web/lifecycle.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from fieldapp.assignments.services import field_users
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.auth.models import User
from fieldapp.credits.domicile import accept, dismiss, proposal_counts, proposals
from fieldapp.credits.forms import AcceptProposalForm, DismissProposalForm
from fieldapp.credits.models import PROPOSAL_STATES, AddressProposal
from fieldapp.offices.services import office_today
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("domicile", __name__, url_prefix="/oficina/domicilios")
# Query-string values (Spanish: they are in the addresses users copy) → proposal states.
TABS = {"por-decidir": "proposed", "aceptados": "accepted", "descartados": "dismissed"}
DEFAULT_TAB = "por-decidir"
DEFAULT_DAYS_TO_DUE = 7


@bp.app_template_global("address_proposals_pending")
def address_proposals_pending() -> int:
    """Proposals awaiting the signed-in office head (the office home's card): a function the
    template calls, so no other page pays for the query."""
    return proposal_counts(signed_in_user().office)["proposed"]


def _accept_form(me: User, formdata: bool = True) -> AcceptProposalForm:
    form = AcceptProposalForm() if formdata else AcceptProposalForm(formdata=None)
    form.user_id.choices = [(u.id, f"{u.full_name} ({u.role_label})")
                            for u in field_users(me.office_id)]
    if form.due_on.data is None:
        form.due_on.data = office_today(me.office) + timedelta(days=DEFAULT_DAYS_TO_DUE)
    return form


def _page(tab: str, *, failed: AddressProposal | None = None,
          accept_form: AcceptProposalForm | None = None,
          dismiss_form: DismissProposalForm | None = None, status: int = 200
          ) -> tuple[str, int]:
    me = signed_in_user()
    return render_template(
        "credits/domicile_index.html", tabs=TABS, tab=tab, states=PROPOSAL_STATES,
        counts=proposal_counts(me.office), rows=proposals(me.office, TABS[tab]), failed=failed,
        accept_form=accept_form or _accept_form(me, formdata=False),
        dismiss_form=dismiss_form or DismissProposalForm(formdata=None),
        today=office_today(me.office)), status


@bp.route("/")
@allow("supervisor", "admin")
def index() -> tuple[str, int]:
    tab = request.args.get("estado", DEFAULT_TAB)
    return _page(tab if tab in TABS else DEFAULT_TAB)


@bp.route("/<int:proposal_id>/aceptar", methods=["POST"])
@allow("supervisor", "admin")
def accept_proposal(proposal_id: int) -> Response | tuple[str, int]:
    me = signed_in_user()
    proposal = get_in_office_or_404(AddressProposal, proposal_id)
    form = _accept_form(me)
    if form.validate_on_submit():
        user = get_in_office_or_404(User, form.user_id.data)
        with form.taking_refusals():
            assignment = accept(proposal, user, form.due_on.data or date.min, actor=me,
                                today=office_today(me.office))
        if not form.refused:
            flash(f"Domicilio aceptado: el documento {proposal.document.folio} quedó asignado "
                  f"a {assignment.user.full_name} en {proposal.one_line}.", "success")
            return redirect(url_for("domicile.index"))
    return _page(DEFAULT_TAB, failed=proposal, accept_form=form, status=422)


@bp.route("/<int:proposal_id>/descartar", methods=["POST"])
@allow("supervisor", "admin")
def dismiss_proposal(proposal_id: int) -> Response | tuple[str, int]:
    me = signed_in_user()
    proposal = get_in_office_or_404(AddressProposal, proposal_id)
    form = DismissProposalForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            dismiss(proposal, form.reason.data or "", actor=me)
        if not form.refused:
            flash(f"Domicilio descartado: {proposal.one_line}.", "success")
            return redirect(url_for("domicile.index"))
    return _page(DEFAULT_TAB, failed=proposal, dismiss_form=form, status=422)
