"""/oficina/: the office head's home (office heads and admins, their office only)."""

from __future__ import annotations

from flask import Blueprint, render_template

from fieldapp.assignments.models import ASSIGNMENT_STATUSES
from fieldapp.assignments.services import overdue
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.office_home.services import assignment_counts
from fieldapp.offices.services import office_today
from fieldapp.review.services import office_state_counts

bp = Blueprint("office_home", __name__, url_prefix="/oficina")

OVERDUE_SHOWN = 10  # the rest are one link away, on the overdue assignments page


@bp.route("/")
@allow("supervisor", "admin")
def index() -> str:
    me = signed_in_user()
    late = overdue(me.office_id, office_today(me.office))
    return render_template(
        "office_home/index.html", counts=assignment_counts(me.office_id),
        statuses=ASSIGNMENT_STATUSES, overdue=late[:OVERDUE_SHOWN], overdue_count=len(late),
        to_review=office_state_counts(me.office))  # capped, as on the review list
