"""The audit viewer: office heads and admins read their office's log, filter it by who, what,
when and which record, and export it as CSV. Reading it is itself an audit event."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, make_response, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from fieldapp.audit.labels import ACTION_LABELS, action_label, object_label
from fieldapp.audit.reads import audit_read
from fieldapp.audit.services import AuditFilter, actions_recorded, audit_page, audit_rows, record
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.auth.models import User
from fieldapp.extensions import db
from fieldapp.reports.services import csv_text
from fieldapp.web.htmx import render_page_or_fragment

bp = Blueprint("audit", __name__, url_prefix="/auditoria")
bp.after_app_request(audit_read)

CSV_HEADER = ["fecha_hora_local", "usuario", "nombre", "accion", "objeto", "id_objeto",
              "direccion_ip", "detalles"]



def _day(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"La fecha «{raw}» no es válida (use AAAA-MM-DD).")


def _filter() -> AuditFilter:
    actor = request.args.get("usuario", "").strip()
    if actor and not actor.isdigit():
        abort(400, description="El usuario del filtro no es válido.")
    action = request.args.get("accion", "").strip() or None
    if action is not None and action not in ACTION_LABELS:
        abort(400, description="La acción del filtro no es válida.")
    return AuditFilter(actor_id=int(actor) if actor else None, action=action,
                       since=_day("desde"), until=_day("hasta"),
                       object_id=request.args.get("registro", "").strip() or None)


def _office_users(office_id: int) -> dict[int, User]:
    return {u.id: u for u in db.session.scalars(
        select(User).where(User.office_id == office_id).order_by(User.full_name))}


@bp.route("/")
@allow("supervisor", "admin")
def events() -> str:
    me = signed_in_user()
    tz = ZoneInfo(me.office.timezone)
    f = _filter()
    before = request.args.get("antes", "")
    rows, next_before = audit_page(me.office_id, f, tz,
                                   before_id=int(before) if before.isdigit() else None)
    actions = {a: action_label(a) for a in actions_recorded(me.office_id)}
    next_url = (url_for("audit.events", **{**request.args.to_dict(), "antes": next_before})
                if next_before is not None else None)
    return render_page_or_fragment(
        "audit/events.html", "audit/_event_rows.html", events=rows, next_url=next_url,
        users=_office_users(me.office_id), actions=actions, f=f, tz=tz,
        action_label=action_label, object_label=object_label)


@bp.route("/export.csv")
@allow("supervisor", "admin")
def export_csv() -> Response:
    me = signed_in_user()
    tz = ZoneInfo(me.office.timezone)
    f = _filter()
    record("audit_exported", actor=me, object_type=None, params=request.args.to_dict())
    users = _office_users(me.office_id)
    rows = ([e.at.astimezone(tz).isoformat(timespec="seconds"),
             users[e.actor_id].username if e.actor_id in users else "",
             users[e.actor_id].full_name if e.actor_id in users else "",
             action_label(e.action), object_label(e.object_type), e.object_id or "",
             e.ip_address or "", _details(e.details)]
            for e in audit_rows(me.office_id, f, tz))
    response = make_response(("\ufeff" + csv_text(CSV_HEADER, rows)).encode("utf-8"))
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=bitacora.csv"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _details(details: dict) -> str:  # type: ignore[type-arg]
    return "; ".join(f"{k}={v}" for k, v in sorted((details or {}).items()))
