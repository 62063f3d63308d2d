"""Reports for office heads and admins at /oficina/informes/: each a page whose filters
update the results by htmx (the same URL returns the fragment alone), and a CSV download with
the same parameters. Everything is scoped to the user's office."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, make_response, render_template, request, url_for
from werkzeug.wrappers import Response

from fieldapp.audit.services import record
from fieldapp.auth.access import allow, signed_in_user
from fieldapp.diligences.models import DILIGENCE_KINDS, REVIEW_STATES
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import CREDIT_STATUSES
from fieldapp.reports import services
from fieldapp.reports.services import (
    OUTCOMES,
    PRESCRIPTION_WINDOWS,
    STATUS_EXPORT_COLUMNS,
    Period,
    ReportError,
)
from fieldapp.web.errors import error_response
from fieldapp.web.htmx import render_page_or_fragment

bp = Blueprint("reports", __name__, url_prefix="/oficina/informes")

NEXT_SINCE_HEADER = "X-Fieldapp-Next-Since"



def _csv(text: str, filename: str, *, for_spreadsheets: bool = True, **details: Any) -> Response:
    """A download. Personal data (debtors, RFCs, staff) leaves the app: who took which report
    with which parameters goes to the audit log (committed with the answer, web/lifecycle.py)."""
    me = signed_in_user()
    record("report_exported", actor=me, office_id=me.office_id, object_type="reports",
           object_id=request.endpoint, params=request.args.to_dict(), **details)
    # Reports are opened in spreadsheets, which need the BOM to read UTF-8 accents; the
    # machine export goes without it (docs/status-export.md).
    body = ("\ufeff" + text if for_spreadsheets else text).encode("utf-8")
    response = make_response(body)
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page(page: str, fragment: str, build: Callable[[], dict[str, Any]],
          **context: Any) -> Response:
    """Renders a report page or its fragment; a parameter error is answered 422 in the page."""
    try:
        results = build()
        status, error = 200, None
    except ReportError as exc:
        results, status, error = {}, 422, str(exc)
    return render_page_or_fragment(page, fragment, status, error=error, kinds=DILIGENCE_KINDS,
                                   outcomes=OUTCOMES, review_states=REVIEW_STATES,
                                   statuses=CREDIT_STATUSES, **context, **results)


def _csv_or_400(build: Callable[[], Response]) -> Response:
    try:
        return build()
    except ReportError as exc:
        return error_response(400, "bad_report_parameter", str(exc))


@bp.route("/")
@allow("supervisor", "admin")
def index() -> str:
    me = signed_in_user()
    today = office_today(me.office)
    return render_template("reports/index.html", today=today, columns=STATUS_EXPORT_COLUMNS)


# Visits ------------------------------------------------------------------------------------------

def _period() -> Period:
    return Period.parse(request.args.get("desde"), request.args.get("hasta"),
                        office_today(signed_in_user().office))


def _period_args() -> dict[str, str]:
    return {k: v for k in ("desde", "hasta") if (v := request.args.get(k, "").strip())}


@bp.route("/productividad")
@allow("supervisor", "admin")
def productivity() -> Response:
    me = signed_in_user()

    def build() -> dict[str, Any]:
        period = _period()
        return {"period": period, "report": services.productivity(me.office, period)}

    return _page("reports/productivity.html", "reports/_productivity.html", build,
                 args=_period_args())


@bp.route("/productividad.csv")
@allow("supervisor", "admin")
def productivity_csv() -> Response:
    me = signed_in_user()

    def build() -> Response:
        period = _period()
        return _csv(services.productivity_csv(services.productivity(me.office, period)),
                    f"productividad-{me.office.code}-{period.start}-{period.end}.csv")

    return _csv_or_400(build)


@bp.route("/sectores")
@allow("supervisor", "admin")
def sectors() -> Response:
    me = signed_in_user()

    def build() -> dict[str, Any]:
        period = _period()
        return {"period": period, "report": services.outcomes_by_sector(me.office, period)}

    return _page("reports/sectors.html", "reports/_sectors.html", build, args=_period_args())


@bp.route("/sectores.csv")
@allow("supervisor", "admin")
def sectors_csv() -> Response:
    me = signed_in_user()

    def build() -> Response:
        period = _period()
        return _csv(services.sectors_csv(services.outcomes_by_sector(me.office, period)),
                    f"resultados-por-sector-{me.office.code}-{period.start}-{period.end}.csv")

    return _csv_or_400(build)


# Recovery (manual function 000-12) -------------------------------------------------------------------

def _recovery_period() -> Period:
    return services.recovery_period(request.args.get("mes"), request.args.get("desde"),
                                    request.args.get("hasta"), office_today(signed_in_user().office))


@bp.route("/recuperacion")
@allow("supervisor", "admin")
def recovery() -> Response:
    me = signed_in_user()

    def build() -> dict[str, Any]:
        period = _recovery_period()
        return {"period": period, "report": services.recovery(me.office, period)}

    return _page("reports/recovery.html", "reports/_recovery.html", build,
                 args=request.args.to_dict(), lookback_days=services.RECOVERY_LOOKBACK_DAYS)


@bp.route("/recuperacion.csv")
@allow("supervisor", "admin")
def recovery_csv() -> Response:
    me = signed_in_user()

    def build() -> Response:
        period = _recovery_period()
        return _csv(services.recovery_csv(services.recovery(me.office, period)),
                    f"recuperacion-{me.office.code}-{period.start}-{period.end}.csv")

    return _csv_or_400(build)


# Assignments and deadlines --------------------------------------------------------------------------

@bp.route("/vencidas")
@allow("supervisor", "admin")
def overdue() -> Response:
    me = signed_in_user()
    today = office_today(me.office)
    return _page("reports/overdue.html", "reports/_overdue.html",
                 lambda: {"rows": services.overdue_rows(me.office, today)}, today=today)


@bp.route("/vencidas.csv")
@allow("supervisor", "admin")
def overdue_csv() -> Response:
    me = signed_in_user()
    today = office_today(me.office)
    return _csv(services.overdue_csv(services.overdue_rows(me.office, today)),
                f"asignaciones-vencidas-{me.office.code}-{today}.csv")


@bp.route("/plazos")
@allow("supervisor", "admin")
def deadlines() -> Response:
    me = signed_in_user()
    today = office_today(me.office)

    def build() -> dict[str, Any]:
        near_days = services.parse_near_days(request.args.get("dias"))
        return {"near_days": near_days,
                "rows": services.payment_deadline_report(me.office, today, near_days)}

    return _page("reports/deadlines.html", "reports/_deadlines.html", build, today=today,
                 dias=request.args.get("dias", str(services.DEFAULT_NEAR_DAYS)))


@bp.route("/plazos.csv")
@allow("supervisor", "admin")
def deadlines_csv() -> Response:
    me = signed_in_user()
    today = office_today(me.office)

    def build() -> Response:
        near_days = services.parse_near_days(request.args.get("dias"))
        return _csv(services.deadlines_csv(services.payment_deadline_report(me.office, today,
                                                                            near_days)),
                    f"plazos-de-pago-{me.office.code}-{today}.csv")

    return _csv_or_400(build)


@bp.route("/prescripcion")
@allow("supervisor", "admin")
def prescription() -> Response:
    me = signed_in_user()
    today = office_today(me.office)

    def build() -> dict[str, Any]:
        months = services.parse_prescription_months(request.args.get("meses"))
        return {"months": months, "rows": services.prescription_report(me.office, today, months)}

    return _page("reports/prescription.html", "reports/_prescription.html", build, today=today,
                 windows=PRESCRIPTION_WINDOWS,
                 meses=request.args.get("meses", str(services.DEFAULT_PRESCRIPTION_MONTHS)))


@bp.route("/prescripcion.csv")
@allow("supervisor", "admin")
def prescription_csv() -> Response:
    me = signed_in_user()
    today = office_today(me.office)

    def build() -> Response:
        months = services.parse_prescription_months(request.args.get("meses"))
        return _csv(services.prescription_csv(services.prescription_report(me.office, today, months)),
                    f"prescripcion-{me.office.code}-{today}.csv")

    return _csv_or_400(build)


# Export for the institutional systems ---------------------------------------------------------------

@bp.route("/cambios-de-estado.csv")
@allow("supervisor", "admin")
def status_changes_csv() -> Response:
    """Status changes with desde <= at < hasta (docs/status-export.md). The response says, in
    a header, the exact bound to pass as the next ``desde``."""
    me = signed_in_user()

    def build() -> Response:
        since_text = request.args.get("desde", "").strip()
        if not since_text:
            raise ReportError("Indique «desde» (AAAA-MM-DD o fecha y hora ISO 8601).")
        since = services.parse_moment(since_text, me.office, "desde")
        until_text = request.args.get("hasta", "").strip()
        until = services.parse_moment(until_text, me.office, "hasta") if until_text else None
        window = services.export_window(since, until)
        rows = services.status_changes(me.office, window)
        response = _csv(services.status_changes_csv(me.office, rows),
                        f"cambios-de-estado-{me.office.code}.csv", for_spreadsheets=False,
                        since=services.format_cursor(window.since),
                        until=services.format_cursor(window.until), rows=len(rows))
        response.headers[NEXT_SINCE_HEADER] = services.format_cursor(window.until)
        response.headers["Link"] = (
            f'<{url_for("reports.status_changes_csv", desde=services.format_cursor(window.until))}>;'
            ' rel="next"')
        return response

    return _csv_or_400(build)
