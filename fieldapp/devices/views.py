"""Phones of the office: office heads and admins list and revoke them, and make one-time QR
enrollment links; the phone opens the link (no login needed: the link is the credential)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, render_template, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from fieldapp.assignments.services import field_users
from fieldapp.auth.access import allow, public, signed_in_user
from fieldapp.auth.models import User
from fieldapp.devices.forms import EnrollDeviceForm, EnrollmentLinkForm, RevokeForm
from fieldapp.devices.models import Device
from fieldapp.devices.services import (
    ENROLLMENT_LINK_MINUTES,
    create_enrollment_link,
    devices_of_office,
    find_enrollment_link,
    link_problem,
    redeem_enrollment_link,
    revoke_device,
)
from fieldapp.web.htmx import render_page_or_fragment
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("devices", __name__, url_prefix="/dispositivos")

LINK_STATUS = {"link_unknown": 404, "link_used": 410, "link_expired": 410}



def _link_form(me: User) -> EnrollmentLinkForm:
    form = EnrollmentLinkForm()
    form.user_id.choices = [(u.id, f"{u.full_name} ({u.role_label})") for u in field_users(me.office_id)]
    return form


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def qr_svg(data: str) -> Markup:
    """The QR code as inline SVG (no inline style, so the CSP holds)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return Markup(image.to_string(encoding="unicode"))  # noqa: S704  (qrcode's own markup)


@bp.route("/")
@allow("supervisor", "admin")
def index() -> str:
    me = signed_in_user()
    return render_template("devices/index.html", devices=devices_of_office(me.office_id),
                           form=_link_form(me), revoke_form=RevokeForm(),
                           minutes=ENROLLMENT_LINK_MINUTES)


@bp.route("/<string:device_id>/revocar", methods=["POST"])
@allow("supervisor", "admin")
def revoke(device_id: str) -> Response:
    me = signed_in_user()
    device = get_in_office_or_404(Device, device_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    revoke_device(device, actor=me)
    return render_page_or_fragment("devices/revoked.html", "devices/_device_row.html",
                                   device=device, revoke_form=form)


@bp.route("/enlaces", methods=["POST"])
@allow("supervisor", "admin")
def create_link() -> Response:
    me = signed_in_user()
    form = _link_form(me)
    if not form.validate_on_submit():
        return render_page_or_fragment("devices/enrollment_link.html", "devices/_enrollment_link.html",
                                       status=422, form=form, error="Elija a la persona.", link=None)
    user = get_in_office_or_404(User, form.user_id.data)
    with form.taking_refusals():
        link, token = create_enrollment_link(user, actor=me)
    if form.refused:
        return render_page_or_fragment("devices/enrollment_link.html", "devices/_enrollment_link.html",
                                       status=422, form=form, error=form.refusal, link=None)
    url = url_for("devices.enroll", token=token, _external=True)
    return _no_store(render_page_or_fragment(
        "devices/enrollment_link.html", "devices/_enrollment_link.html", status=201, form=form,
        error=None, link=link, url=url, qr=qr_svg(url), minutes=ENROLLMENT_LINK_MINUTES))


@bp.route("/registrar/<string:token>", methods=["GET", "POST"])
@public
def enroll(token: str) -> Response | tuple[str, int]:
    """The page the QR code opens on the phone."""
    link = find_enrollment_link(token)
    problem = link_problem(link)
    if problem is not None:
        return render_template("devices/enroll_refused.html", message=problem.message), \
            LINK_STATUS[problem.code]
    assert link is not None
    form = EnrollDeviceForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            enrollment = redeem_enrollment_link(token, form.device_name.data or "")
        refusal = form.refused_by
        if refusal is not None and refusal.code in LINK_STATUS:  # used or expired meanwhile
            return render_template("devices/enroll_refused.html", message=refusal.message), \
                LINK_STATUS[refusal.code]
        if refusal is not None:
            return render_template("devices/enroll.html", form=form, link=link), 422
        return _no_store(Response(render_template(
            "devices/enrolled.html", device=enrollment.device, token=enrollment.token), status=201))
    status = 422 if form.is_submitted() else 200
    return render_template("devices/enroll.html", form=form, link=link), status
