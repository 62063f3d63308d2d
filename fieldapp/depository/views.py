"""The depository for office heads and admins: receive goods by scanning their seals, each
good's custody history, and periodic inventories with their report of missing and unexpected
seals."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from fieldapp.auth.access import allow, signed_in_user
from fieldapp.depository.forms import CODES_HINT, ConfirmForm, CustodyStepForm, ReceiveForm, ScanForm
from fieldapp.depository.models import CUSTODY_STATES, CustodyItem, InventoryCount
from fieldapp.depository.services import (
    advance,
    close_inventory,
    custody_items_of,
    inventories_of,
    inventory_report,
    receive,
    scan,
    start_inventory,
)
from fieldapp.web.htmx import redirect_for_htmx, render_page_or_fragment, wants_fragment
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("depository", __name__, url_prefix="/oficina/deposito")



@bp.route("/")
@allow("supervisor", "admin")
def index() -> str:
    me = signed_in_user()
    state = request.args.get("estado") or None
    if state not in CUSTODY_STATES:
        state = None
    return render_template("depository/index.html", form=ReceiveForm(), hint=CODES_HINT,
                           items=custody_items_of(me.office_id, state), state=state,
                           states=CUSTODY_STATES)


@bp.route("/recibir", methods=["POST"])
@allow("supervisor", "admin")
def receive_goods() -> Response:
    me = signed_in_user()
    form = ReceiveForm()
    outcomes, error = [], None
    if form.validate_on_submit():
        outcomes = receive(me.office_id, form.codes.data or "", actor=me,
                           location=form.location.data)
    else:
        error = form.first_error()
    return render_page_or_fragment("depository/received.html", "depository/_receive_result.html",
                                   status=422 if error else 200, outcomes=outcomes, error=error,
                                   form=ReceiveForm(formdata=None), hint=CODES_HINT)


@bp.route("/bienes/<int:item_id>")
@allow("supervisor", "admin")
def item(item_id: int) -> str:
    item = get_in_office_or_404(CustodyItem, item_id)
    return render_template("depository/item.html", item=item, form=CustodyStepForm(), error=None)


@bp.route("/bienes/<int:item_id>/custodia", methods=["POST"])
@allow("supervisor", "admin")
def custody_step(item_id: int) -> Response:
    me = signed_in_user()
    item = get_in_office_or_404(CustodyItem, item_id)
    form = CustodyStepForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            advance(item, form.state.data or "", actor=me, location=form.location.data,
                    note=form.note.data)
    error = form.error()
    return render_page_or_fragment("depository/item.html", "depository/_custody.html",
                                   status=422 if error else 200, item=item, form=form,
                                   error=error)


@bp.route("/inventarios")
@allow("supervisor", "admin")
def inventories() -> str:
    me = signed_in_user()
    return render_template("depository/inventories.html", counts=inventories_of(me.office_id),
                           form=ConfirmForm())


@bp.route("/inventarios", methods=["POST"])
@allow("supervisor", "admin")
def start() -> Response:
    me = signed_in_user()
    count = start_inventory(me.office_id, actor=me)
    location = url_for("depository.inventory", count_id=count.id)
    if wants_fragment():
        return redirect_for_htmx(Response(status=201), location)
    return redirect(location, 303)


def _inventory_page(count: InventoryCount, status: int = 200, **context: object) -> Response:
    context.setdefault("scanned", None)
    context.setdefault("error", None)
    return render_page_or_fragment(
        "depository/inventory.html", "depository/_inventory_report.html", status=status,
        count=count, report=inventory_report(count), form=ScanForm(formdata=None),
        close_form=ConfirmForm(), hint=CODES_HINT, **context)


@bp.route("/inventarios/<int:count_id>")
@allow("supervisor", "admin")
def inventory(count_id: int) -> Response:
    return _inventory_page(get_in_office_or_404(InventoryCount, count_id))


@bp.route("/inventarios/<int:count_id>/lecturas", methods=["POST"])
@allow("supervisor", "admin")
def scan_codes(count_id: int) -> Response:
    me = signed_in_user()
    count = get_in_office_or_404(InventoryCount, count_id)
    form = ScanForm()
    if not form.validate_on_submit():
        return _inventory_page(count, 422, error=form.first_error())
    with form.taking_refusals():
        scanned = scan(count, form.codes.data or "", actor=me)
    if form.refused:
        return _inventory_page(count, 422, error=form.refusal)
    return _inventory_page(count, scanned=scanned)


@bp.route("/inventarios/<int:count_id>/cerrar", methods=["POST"])
@allow("supervisor", "admin")
def close(count_id: int) -> Response:
    me = signed_in_user()
    count = get_in_office_or_404(InventoryCount, count_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _inventory_page(count, 400, error="La solicitud no es válida: recargue la página.")
    with form.taking_refusals():
        close_inventory(count, actor=me)
    return _inventory_page(count, 422 if form.refused else 200, error=form.refusal)
