"""The admin's office: its name, state and time zone (business hours are legal parameter
versions, /admin/parametros) and its sectors, each optionally drawn as a polygon on the map."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from fieldapp.auth.access import allow, signed_in_user
from fieldapp.auth.models import User
from fieldapp.extensions import db
from fieldapp.offices.forms import MEXICO_TIMEZONES, OfficeForm, SectorForm
from fieldapp.offices.models import Sector
from fieldapp.offices.services import OfficeError, save_sector, update_office
from fieldapp.web.loading import get_in_office_or_404
from fieldapp.web.security import csp_allowing_tiles_from

bp = Blueprint("offices", __name__, url_prefix="/admin/oficina")



@bp.route("/", methods=["GET", "POST"])
@allow("admin")
def office() -> Response | tuple[str, int]:
    me = signed_in_user()
    form = OfficeForm(obj=me.office)
    if me.office.timezone not in MEXICO_TIMEZONES:  # set elsewhere (CLI): keep it selectable
        form.timezone.choices = {me.office.timezone: me.office.timezone, **MEXICO_TIMEZONES}
    if form.validate_on_submit():
        with form.taking_refusals():
            update_office(me.office, name=form.name.data or "", state=form.state.data or "",
                          timezone=form.timezone.data or "", actor=me)
        if not form.refused:
            flash("Datos de la oficina guardados.", "success")
            return redirect(url_for("offices.office"))
    sectors = list(db.session.scalars(select(Sector).where(Sector.office_id == me.office_id)
                                      .order_by(Sector.code)))
    people = dict(db.session.execute(
        select(User.sector_id, func.count(User.id)).where(User.office_id == me.office_id,
                                                          User.active.is_(True))
        .group_by(User.sector_id)).all())
    status = 422 if form.is_submitted() else 200
    return render_template("offices/office.html", form=form, sectors=sectors, people=people), status


def _sector_page(form: SectorForm, sector: Sector | None, status: int = 200) -> Response:
    tile_url = current_app.config.get("MAP_TILE_URL") or ""
    others = [{"code": s.code, "boundary": s.boundary} for s in db.session.scalars(
        select(Sector).where(Sector.office_id == signed_in_user().office_id, Sector.boundary.is_not(None)))
        if sector is None or s.id != sector.id]
    response = make_response(render_template(
        "offices/sector.html", form=form, sector=sector, tile_url=tile_url,
        tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", ""),
        others=json.dumps(others)), status)
    response.headers["Content-Security-Policy"] = csp_allowing_tiles_from(tile_url)
    return response


def _boundary(form: SectorForm) -> dict[str, Any] | None:
    raw = (form.boundary.data or "").strip()
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        raise OfficeError("El polígono del sector no es válido.") from None
    return value if isinstance(value, dict) else {"type": None}


def _save(form: SectorForm, sector: Sector | None) -> Response:
    if form.validate_on_submit():
        me = signed_in_user()
        with form.taking_refusals():
            saved = save_sector(me.office, code=form.code.data or "", name=form.name.data or "",
                                kind=form.kind.data or "", boundary=_boundary(form), sector=sector,
                                actor=me)
        if not form.refused:
            flash(f"Sector {saved.code} guardado.", "success")
            return redirect(url_for("offices.office"))
    return _sector_page(form, sector, 422 if form.is_submitted() else 200)


@bp.route("/sectores/nuevo", methods=["GET", "POST"])
@allow("admin")
def new_sector() -> Response:
    return _save(SectorForm(), None)


@bp.route("/sectores/<int:sector_id>", methods=["GET", "POST"])
@allow("admin")
def sector(sector_id: int) -> Response:
    existing = get_in_office_or_404(Sector, sector_id)
    form = SectorForm(obj=existing)
    if not form.is_submitted():
        form.boundary.data = json.dumps(existing.boundary) if existing.boundary else ""
    return _save(form, existing)
