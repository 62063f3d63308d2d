"""The printable acta of a diligence (office heads and admins of its office; the field user
who captured it, read-only, once synced) and the public verification page its QR code opens."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request, url_for
from werkzeug.wrappers import Response

from fieldapp.actas.limits import verification_limiter, verifications_per_minute
from fieldapp.actas.pdf import acta_pdf as render_acta_pdf
from fieldapp.actas.services import build_acta, verification
from fieldapp.audit.services import record
from fieldapp.auth.access import allow, current_user, public
from fieldapp.diligences.models import Diligence
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("actas", __name__)


FIELD_ROLES = ("notifier", "executor")


def _readable_acta_or_404(diligence_id: str) -> Diligence:
    """The diligence, for an office head or admin of its office, or for the field user who
    captured it (their copy of their own act, R-PAE-2: a copy goes to the attendee); anyone
    else gets the same 404 as for an id that does not exist."""
    me = current_user()
    diligence = get_in_office_or_404(Diligence, diligence_id)
    if me is not None and me.role in FIELD_ROLES and diligence.user_id != me.id:
        abort(404)
    return diligence


@bp.route("/diligencias/<string:diligence_id>/acta.pdf")
@allow("supervisor", "admin", *FIELD_ROLES)
def acta_pdf(diligence_id: str) -> Response:
    me = current_user()
    diligence = _readable_acta_or_404(diligence_id)
    acta = build_acta(diligence)  # ActaError (409) when the stored facts no longer read
    url = url_for("actas.verify", diligence_id=diligence.id, h=acta.hash_prefix, _external=True)
    pdf = render_acta_pdf(acta, url)
    # Every view of personal data by office staff is auditable (workflows.md, Evidence).
    record("diligence_acta_viewed", actor=me, obj=diligence, kind=diligence.kind,
           version=diligence.version, record_matches=acta.record_matches)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="acta-{diligence.kind}-{diligence.id[:8]}.pdf"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/v/<string:diligence_id>")
@public
def verify(diligence_id: str) -> Response:
    client = request.remote_addr or "?"
    limiter = verification_limiter()
    if not limiter.hit(client, verifications_per_minute()):
        response = make_response(render_template("actas/too_many.html"), 429)
        response.headers["Retry-After"] = str(limiter.retry_after(client))
        return _private(response)
    result, diligence = verification(diligence_id, request.args.get("h"))
    if diligence is not None:
        # Who checked which acta, and what they were told; the page shows the debtor's name.
        record("acta_verified", obj=diligence, matches=result.matches)
    response = make_response(render_template("actas/verify.html", v=result),
                             200 if result.found else 404)
    return _private(response)


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
