from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from werkzeug.wrappers import Response

from fieldapp.assignments.models import ASSIGNMENT_STATUSES, OPEN_STATUSES, Assignment
from fieldapp.assignments.services import worklist_of
from fieldapp.auth.access import allow, current_user
from fieldapp.web.assets import compressed_page
from fieldapp.web.htmx import render_page_or_fragment
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("field", __name__, url_prefix="/campo")

STATUS_FILTERS = {
    "abiertas": OPEN_STATUSES,
    "pendientes": ("pending",),
    "en_proceso": ("in_progress",),
    "devueltas": ("returned",),
    "concluidas": ("done",),
}


def _position_from_query() -> tuple[float, float] | None:
    try:
        lat, lon = float(request.args["lat"]), float(request.args["lon"])
    except (KeyError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


@bp.route("/")
@allow("notifier", "executor")
@compressed_page
def worklist() -> Response:
    user = current_user()
    assert user is not None
    status_key = request.args.get("estado", "abiertas")
    statuses = STATUS_FILTERS.get(status_key, OPEN_STATUSES)
    sector_id = request.args.get("sector", type=int)
    position = _position_from_query()
    all_open = worklist_of(user)
    items = worklist_of(user, statuses=statuses, sector_id=sector_id, position=position)
    sectors = sorted(
        {i.assignment.visit_address.sector for i in all_open if i.assignment.visit_address.sector},
        key=lambda s: s.code,
    )
    return render_page_or_fragment(
        "field/worklist.html",
        "field/_worklist_items.html",
        items=items,
        sectors=sectors,
        status_key=status_key,
        status_filters=STATUS_FILTERS,
        sector_id=sector_id,
        position=position,
    )


@bp.route("/asignaciones/<int:assignment_id>")
@allow("notifier", "executor")
def assignment_detail(assignment_id: int) -> str:
    assignment = get_in_office_or_404(Assignment, assignment_id)
    user = current_user()
    if user is None or assignment.user_id != user.id:
        abort(404)
    return render_template(
        "field/assignment.html", assignment=assignment, statuses=ASSIGNMENT_STATUSES
    )
