"""The office head's review of diligences: the filtered list (keyset pages, counts per review
state), its map and exports, one record's page with its evidence, and the decisions.

A second blueprint of the review feature: these pages live under /diligencias (the address
printed on actas and linked from the demo), the office screens under /oficina.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from fieldapp.audit.services import record
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.auth.models import User
from fieldapp.diligences.models import DILIGENCE_KINDS, FLAG_LABELS, REVIEW_STATES, Diligence
from fieldapp.diligences.services import decide, decisions_open, versions_of
from fieldapp.extensions import db
from fieldapp.legal.labels import MEDIA_ROLES
from fieldapp.media.services import present
from fieldapp.review import exports
from fieldapp.review.forms import DecisionForm
from fieldapp.review.presenters import (
    FLAG_SHORT,
    evidence_of,
    facts_sections,
    seconds_text,
)
from fieldapp.review.services import (
    DEFAULT_PAGE_SIZE,
    FINDINGS,
    MAP_LIMIT,
    OUTCOMES,
    Cursor,
    DiligenceFilter,
    FilterError,
    configured_count_cap,
    field_people,
    iter_filtered,
    outcome_of,
    page_of,
    points_for_map,
    sectors_of,
)
from fieldapp.web.htmx import render_page_or_fragment, wants_fragment
from fieldapp.web.loading import get_in_office_or_404
from fieldapp.web.security import csp_allowing_tiles_from

bp = Blueprint("diligences", __name__, url_prefix="/diligencias")

ACTA_ENDPOINT = "actas.acta_pdf"  # built in fieldapp/actas; linked only once it exists


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"flag_short": FLAG_SHORT, "flag_labels": FLAG_LABELS}



def _tz(user: User) -> ZoneInfo:
    return ZoneInfo(user.office.timezone)


def _filter_context(flt: DiligenceFilter, errors: list[str]) -> dict[str, Any]:
    me = signed_in_user()
    return {"flt": flt, "filter_errors": errors, "people": field_people(me.office),
            "sectors": sectors_of(me.office), "kinds": DILIGENCE_KINDS, "outcomes": OUTCOMES,
            "states": REVIEW_STATES, "findings_choices": FINDINGS}


def _parse_filter() -> tuple[DiligenceFilter, list[str]]:
    return DiligenceFilter.from_args(request.args)


def _url_of(d: Diligence) -> str:
    return url_for("diligences.detail", diligence_id=d.id)


# The list --------------------------------------------------------------------------------

@bp.route("/")
@allow("supervisor", "admin")
def index() -> Response:
    me = signed_in_user()
    flt, errors = _parse_filter()
    after = None
    raw_after = request.args.get("despues")
    if raw_after:
        try:
            after = Cursor.decode(raw_after)
        except FilterError as exc:
            errors.append(str(exc))
    page = None
    if not errors:
        size = int(current_app.config.get("REVIEW_PAGE_SIZE", DEFAULT_PAGE_SIZE))
        page = page_of(me.office, flt, after, size, count_cap=configured_count_cap())
    return render_page_or_fragment(
        "review/diligences.html", "review/_diligence_rows.html", status=400 if errors else 200,
        results=page, after=after, outcome_of=outcome_of, **_filter_context(flt, errors))


# The map ---------------------------------------------------------------------------------

@bp.route("/mapa")
@allow("supervisor", "admin")
def map_page() -> Response:
    flt, errors = _parse_filter()
    tile_url = current_app.config.get("MAP_TILE_URL") or ""
    # A full page only (links to it are not boosted): Leaflet and its script load in <head>,
    # and the points come from mapa.geojson.
    response = make_response(render_template(
        "review/diligence_map.html",
        tile_url=tile_url, tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", ""),
        map_limit=_map_limit(), **_filter_context(flt, errors)), 400 if errors else 200)
    response.headers["Content-Security-Policy"] = csp_allowing_tiles_from(tile_url)
    return response


def _map_limit() -> int:
    return int(current_app.config.get("REVIEW_MAP_LIMIT", MAP_LIMIT))


@bp.route("/mapa.geojson")
@allow("supervisor", "admin")
def map_points() -> Response:
    me = signed_in_user()
    flt, errors = _parse_filter()
    if errors:
        return _bad_filter(errors)
    points = points_for_map(me.office, flt, limit=_map_limit())
    # One url_for for the whole map (2,000 of them cost more than the query); a record id is
    # the phone's UUID (sync/protocol.py), which needs no quoting in a path.
    detail_url = url_for("diligences.detail", diligence_id="-")[:-1]
    body = exports.feature_collection(points, _tz(me), lambda p: detail_url + p.id,
                                      lambda: {"truncated": points.truncated})
    response = Response(body, mimetype="application/geo+json")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Exports ---------------------------------------------------------------------------------

def _bad_filter(errors: list[str]) -> Response:
    response = jsonify(error={"code": "bad_filter", "message": " ".join(errors)})
    response.status_code = 400
    return response


def _export(kind: str, mimetype: str, body) -> Response:  # type: ignore[no-untyped-def]
    me = signed_in_user()
    flt, errors = _parse_filter()
    if errors:
        return Response(" ".join(errors) + "\n", status=400, mimetype="text/plain")
    # Personal data leaving the app: who exported which filter, committed before the first
    # byte (the request's commit runs before the streamed body, web/lifecycle.py).
    record(f"diligences_exported_{kind}", actor=me, office_id=me.office_id,
           object_type="diligences", filter=flt.to_args())
    tz = _tz(me)
    stamp = f"{me.office.code}-{flt.date_from.isoformat() if flt.date_from else 'todas'}"
    response = Response(stream_with_context(body(iter_filtered(me.office, flt), tz)),
                        mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="diligencias-{stamp}.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/export.csv")
@allow("supervisor", "admin")
def export_csv() -> Response:
    return _export("csv", "text/csv", exports.csv_lines)


@bp.route("/export.geojson")
@allow("supervisor", "admin")
def export_geojson() -> Response:
    return _export("geojson", "application/geo+json",
                   lambda rows, tz: exports.geojson_chunks(rows, tz, _url_of))


# One diligence -----------------------------------------------------------------------------

def _acta_url(diligence: Diligence) -> str | None:
    if ACTA_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(ACTA_ENDPOINT, diligence_id=diligence.id)


def _panel_context(diligence: Diligence, form: DecisionForm | None = None,
                   error: str | None = None) -> dict[str, Any]:
    return {"diligence": diligence, "form": form or DecisionForm(formdata=None),
            "error": error, "decisions": decisions_open(diligence)}


def _detail_page(diligence: Diligence, status: int = 200, **panel: Any) -> Response:
    me = signed_in_user()
    sections, facts_problem = facts_sections(diligence, me.office)
    shas = [m.sha256 for m in diligence.media]
    tile_url = current_app.config.get("MAP_TILE_URL") or ""
    response = make_response(render_template(
        "review/diligence.html",
        tile_url=tile_url, tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", ""),
        evidence=evidence_of(diligence), sections=sections, facts_problem=facts_problem,
        versions=versions_of(diligence), acta_url=_acta_url(diligence),
        present=present(shas) if shas else set(), media_roles=MEDIA_ROLES,
        outcome_label=OUTCOMES[outcome_of(diligence)], seconds_text=seconds_text,
        **{**_panel_context(diligence), **panel}), status)
    response.headers["Cache-Control"] = "private, no-store"
    # The record's map shows tiles (when the page is loaded as a page, not through htmx).
    response.headers["Content-Security-Policy"] = csp_allowing_tiles_from(tile_url)
    return response


@bp.route("/<string:diligence_id>")
@allow("supervisor", "admin")
def detail(diligence_id: str) -> Response:
    diligence = get_in_office_or_404(Diligence, diligence_id)
    # Every view of a record's personal data is audited (workflows.md, Evidence). A refused
    # decision draws this page again for the record just opened here; its answer is an error
    # and keeps nothing.
    record("diligence_viewed", actor=signed_in_user(), obj=diligence)
    return _detail_page(diligence)


def _locked_in_office_or_404(diligence_id: str) -> Diligence:
    """The record, row-locked until the commit (PostgreSQL): two office heads deciding at
    once are served one after the other, and the second sees the first's decision."""
    me = signed_in_user()
    diligence = db.session.scalar(
        select(Diligence).where(Diligence.id == diligence_id)
        .options(selectinload(Diligence.review_events)).with_for_update(of=Diligence))
    if diligence is None or diligence.office_id != me.office_id:
        abort(404)
    return diligence


@bp.route("/<string:diligence_id>/decision", methods=["POST"])
@allow("supervisor", "admin")
def decision(diligence_id: str) -> Response:
    me = signed_in_user()
    diligence = _locked_in_office_or_404(diligence_id)
    form = DecisionForm()
    if form.validate_on_submit():
        action, text = form.action.data, (form.text.data or "")
        with form.taking_refusals():
            decide(diligence, action, actor=me,
                   reason=text if action == "rejected" else None,
                   observations=None if action == "rejected" else text)
    error = " ".join(form.error_messages()) or None
    if error is not None:
        db.session.refresh(diligence)
        if wants_fragment():
            return render_page_or_fragment("review/_decision_panel.html",
                                           "review/_decision_panel.html", status=422,
                                           **_panel_context(diligence, form, error))
        return _detail_page(diligence, status=422, form=form, error=error)
    done = {"approved": "Diligencia aprobada.", "returned": "Diligencia devuelta para corrección.",
            "rejected": "Diligencia rechazada.", "comment": "Comentario guardado."}[form.action.data]
    if wants_fragment():
        return render_page_or_fragment("review/_decision_panel.html",
                                       "review/_decision_panel.html", notice=done, oob=True,
                                       versions=versions_of(diligence), **_panel_context(diligence))
    flash(done, "success")
    return redirect(url_for("diligences.detail", diligence_id=diligence.id))
