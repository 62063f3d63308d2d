"""Legal configuration for admins (/admin/calendario, /admin/parametros) and the payment
deadlines of the office's credits for the office head (/oficina/plazos)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from fieldapp.auth.access import allow, signed_in_user
from fieldapp.legal.calendar import statutory_non_business_days
from fieldapp.legal.costs import CostBracket
from fieldapp.legal.forms import (
    HoursEnablementForm,
    NonBusinessDayForm,
    ParameterSetForm,
    PhotoSizeForm,
    RemoveDayForm,
    SweepForm,
)
from fieldapp.legal.models import NonBusinessDay
from fieldapp.legal.services import (
    COST_BASE_NOTE,
    DEFAULT_NEAR_DAYS,
    FRIDAY_RULE_NOTE,
    MAX_NEAR_DAYS,
    SAT_DAYS_NOTE,
    STATUS_GROUPS,
    WINDOWS,
    LegalParameters,
    add_non_business_days,
    deadline_row,
    deadline_rows,
    hours_enablements_of,
    make_enforceable,
    non_business_days_of_year,
    parameter_versions,
    parameters_for,
    record_hours_enablement,
    remove_non_business_day,
    save_parameter_version,
    set_photo_long_edge,
    sweep_enforceable,
)
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Credit
from fieldapp.web.htmx import render_page_or_fragment
from fieldapp.web.loading import get_in_office_or_404

bp = Blueprint("legal", __name__)

MIN_YEAR, MAX_YEAR = 2020, 2100



# Habilitaciones de días y horas inhábiles (R-CAL-3, CFF 13) ---------------------------------


def _enablements_page(form: HoursEnablementForm, status: int = 200) -> tuple[str, int]:
    me = signed_in_user()
    return render_template("legal/enablements.html", form=form,
                           params=parameters_for(me.office, office_today(me.office)),
                           enablements=hours_enablements_of(me.office)), status


@bp.route("/oficina/habilitaciones")
@allow("supervisor", "admin")
def enablements() -> tuple[str, int]:
    today = office_today(signed_in_user().office)
    return _enablements_page(HoursEnablementForm(formdata=None, data={
        "issued_on": today, "first_day": today, "last_day": today}))


@bp.route("/oficina/habilitaciones", methods=["POST"])
@allow("supervisor", "admin")
def add_enablement() -> Response | tuple[str, int]:
    me = signed_in_user()
    form = HoursEnablementForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            row = record_hours_enablement(
                me.office, folio=form.folio.data or "", signer=form.signer.data or "",
                issued_on=form.issued_on.data,  # type: ignore[arg-type]
                first_day=form.first_day.data,  # type: ignore[arg-type]
                last_day=form.last_day.data,  # type: ignore[arg-type]
                hours_from=form.hours_from.data,  # type: ignore[arg-type]
                hours_to=form.hours_to.data,  # type: ignore[arg-type]
                reason=form.reason.data or "", actor=me)
        if not form.refused:
            flash(f"Habilitación {row.folio} registrada. Los teléfonos la reciben en su siguiente "
                  "sincronización.", "success")
            return redirect(url_for("legal.enablements"))
    return _enablements_page(form, 422)


# Institutional non-business days (R-CAL-2) ---------------------------------------------------


def _year_arg(default: int) -> int:
    year = request.args.get("anio", type=int)
    return year if year is not None and MIN_YEAR <= year <= MAX_YEAR else default


def _calendar_page(form: NonBusinessDayForm, year: int, status: int = 200) -> tuple[str, int]:
    me = signed_in_user()
    rows = non_business_days_of_year(me.office, year, include_removed=True)
    return render_template(
        "legal/calendar.html",
        form=form,
        remove_form=RemoveDayForm(formdata=None),
        year=year,
        live=[r for r in rows if r.is_live],
        removed=[r for r in rows if not r.is_live],
        statutory=sorted(statutory_non_business_days(year).items()),
        sat_note=SAT_DAYS_NOTE,
    ), status


@bp.route("/admin/calendario")
@allow("admin")
def calendar() -> tuple[str, int]:
    year = _year_arg(office_today(signed_in_user().office).year)
    return _calendar_page(NonBusinessDayForm(formdata=None), year)


@bp.route("/admin/calendario", methods=["POST"])
@allow("admin")
def add_day() -> Response | tuple[str, int]:
    me = signed_in_user()
    form = NonBusinessDayForm()
    if form.validate_on_submit():
        start = form.start.data
        assert start is not None
        with form.taking_refusals():
            added = add_non_business_days(me.office, start, form.end.data,
                                          form.description.data or "", actor=me)
        if not form.refused:
            flash(f"{len(added)} día(s) inhábil(es) agregado(s). Se aplican desde ahora a todos "
                  "los cálculos de plazos.", "success")
            return redirect(url_for("legal.calendar", anio=start.year))
    year = form.start.data.year if form.start.data else office_today(me.office).year
    return _calendar_page(form, year, 422)


@bp.route("/admin/calendario/<int:day_id>/retirar", methods=["POST"])
@allow("admin")
def remove_day(day_id: int) -> Response:
    me = signed_in_user()
    # Institute-wide days (office_id NULL) are not any office's to remove: 404 here too.
    row = get_in_office_or_404(NonBusinessDay, day_id)
    form = RemoveDayForm()
    if not form.validate_on_submit():
        flash("Escriba por qué se retira el día.", "error")
        return redirect(url_for("legal.calendar", anio=row.day.year))
    with form.taking_refusals():
        remove_non_business_day(row, actor=me, reason=form.reason.data or "")
    if form.refused:
        flash(form.refusal, "error")
    else:
        flash(f"El {row.day:%d/%m/%Y} vuelve a ser día hábil para los cálculos de plazos.",
              "success")
    return redirect(url_for("legal.calendar", anio=row.day.year))


# Legal parameters (R-CAL-3, R-CAL-6, R-NOT-5, R-PAE-3) ---------------------------------------


def _prefilled(params: LegalParameters, today: date) -> ParameterSetForm:
    form = ParameterSetForm(formdata=None, data={
        "valid_from": today,
        "friday_rule": params.friday_rule,
        "follow_up_tolerance_minutes": params.follow_up_tolerance_minutes,
        "business_hours_start": params.business_hours_start,
        "business_hours_end": params.business_hours_end,
        "cost_base": params.cost_base,
        "gps_warn_distance_m": params.gps_warn_distance_m,
        "gps_max_accuracy_m": params.gps_max_accuracy_m,
        "brackets": [
            {"valid_from": b.valid_from, "valid_to": b.valid_to, "minimum": b.minimum,
             "maximum": b.maximum, "rate_percent": b.rate * 100, "note": b.note}
            for b in params.cost_table
        ] + [{}],  # one blank row to add a period
    })
    return form


def _parameters_page(form: ParameterSetForm | None = None, photo_form: PhotoSizeForm | None = None,
                     status: int = 200) -> tuple[str, int]:
    me = signed_in_user()
    today = office_today(me.office)
    params = parameters_for(me.office, today)
    versions = parameter_versions(me.office)
    return render_template(
        "legal/parameters.html",
        params=params,
        today=today,
        scheduled=[v for v in versions if v.valid_from > today],
        versions=versions,
        form=form or _prefilled(params, today),
        photo_form=photo_form or PhotoSizeForm(formdata=None,
                                               data={"photo_long_edge": me.office.photo_long_edge}),
        friday_note=FRIDAY_RULE_NOTE,
        cost_base_note=COST_BASE_NOTE,
    ), status


@bp.route("/admin/parametros")
@allow("admin")
def parameters() -> tuple[str, int]:
    return _parameters_page()


def _brackets_of(form: ParameterSetForm) -> list[CostBracket]:
    brackets = []
    for entry in form.brackets:
        sub = entry.form
        if sub.is_blank:
            continue
        brackets.append(CostBracket(
            valid_from=sub.valid_from.data, valid_to=sub.valid_to.data,
            minimum=Decimal(sub.minimum.data), maximum=Decimal(sub.maximum.data),
            rate=Decimal(sub.rate_percent.data) / 100, note=(sub.note.data or "").strip()))
    return brackets


@bp.route("/admin/parametros", methods=["POST"])
@allow("admin")
def save_parameters() -> Response | tuple[str, int]:
    me = signed_in_user()
    form = ParameterSetForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            version = save_parameter_version(
                me.office,
                valid_from=form.valid_from.data,  # type: ignore[arg-type]
                today=office_today(me.office),
                friday_rule=bool(form.friday_rule.data),
                follow_up_tolerance_minutes=int(form.follow_up_tolerance_minutes.data or 0),
                business_hours_start=form.business_hours_start.data,  # type: ignore[arg-type]
                business_hours_end=form.business_hours_end.data,  # type: ignore[arg-type]
                cost_base=form.cost_base.data or "",
                cost_table=_brackets_of(form),
                note=form.note.data or "",
                actor=me,
                gps_warn_distance_m=form.gps_warn_distance_m.data,
                gps_max_accuracy_m=form.gps_max_accuracy_m.data,
            )
        if not form.refused:
            flash(f"Nueva versión de parámetros guardada; rige desde el "
                  f"{version.valid_from:%d/%m/%Y}.", "success")
            return redirect(url_for("legal.parameters"))
    return _parameters_page(form=form, status=422)


@bp.route("/admin/parametros/fotos", methods=["POST"])
@allow("admin")
def save_photo_size() -> Response | tuple[str, int]:
    me = signed_in_user()
    form = PhotoSizeForm()
    if form.validate_on_submit():
        with form.taking_refusals():
            set_photo_long_edge(me.office, form.photo_long_edge.data, actor=me)  # type: ignore[arg-type]
        if not form.refused:
            flash("Tamaño de fotos guardado: los teléfonos lo toman en su próxima sincronización.",
                  "success")
            return redirect(url_for("legal.parameters"))
    return _parameters_page(photo_form=form, status=422)


# Payment deadlines (R-DL-1, R-DL-2) -----------------------------------------------------------


def _after_arg() -> tuple[date, int] | None:
    raw = request.args.get("despues", "")
    day, _, credit_id = raw.partition(".")
    try:
        return date.fromisoformat(day), int(credit_id)
    except ValueError:
        return None


@bp.route("/oficina/plazos")
@allow("supervisor", "admin")
def deadlines() -> Response:
    me = signed_in_user()
    today = office_today(me.office)
    window = request.args.get("ventana", "atencion")
    window = window if window in WINDOWS else "atencion"
    status_group = request.args.get("estado", "por_exigir")
    status_group = status_group if status_group in STATUS_GROUPS else "por_exigir"
    near_days = request.args.get("dias", DEFAULT_NEAR_DAYS, type=int)
    near_days = min(max(near_days, 0), MAX_NEAR_DAYS)
    rows, next_key = deadline_rows(me.office, today, window=window, near_days=near_days,
                                   status_group=status_group, after=_after_arg())
    return render_page_or_fragment(
        "legal/deadlines.html",
        "legal/_deadline_rows.html",
        rows=rows,
        today=today,
        window=window,
        windows=WINDOWS,
        status_group=status_group,
        status_groups=STATUS_GROUPS,
        near_days=near_days,
        max_near_days=MAX_NEAR_DAYS,
        next_after=f"{next_key[0].isoformat()}.{next_key[1]}" if next_key else None,
        sweep_form=SweepForm(),
    )


@bp.route("/oficina/plazos/<int:credit_id>/exigible", methods=["POST"])
@allow("supervisor", "admin")
def enforce_credit(credit_id: int) -> Response:
    me = signed_in_user()
    credit = get_in_office_or_404(Credit, credit_id)
    today = office_today(me.office)
    refusals = make_enforceable(credit, today, actor=me)  # refused: nothing changed
    # A refusal is an answer, not a client error: 200, so htmx swaps the row with its reasons.
    return render_page_or_fragment(
        "legal/enforce_result.html",
        "legal/_deadline_row.html",
        row=deadline_row(credit, today),
        refusals=refusals,
        today=today,
        sweep_form=SweepForm(),
    )


@bp.route("/oficina/plazos/revisar", methods=["POST"])
@allow("supervisor", "admin")
def sweep() -> Response:
    me = signed_in_user()
    form = SweepForm()
    if not form.validate_on_submit():
        flash("El formulario expiró. Intente de nuevo.", "error")
        return redirect(url_for("legal.deadlines"))
    result = sweep_enforceable(me.office, office_today(me.office), actor=me)
    flash(f"{len(result.made_enforceable)} crédito(s) declarado(s) exigible(s); "
          f"{len(result.refused)} con plazo vencido siguen detenidos por la regla R-DL-2.",
          "success")
    return redirect(url_for("legal.deadlines", ventana="vencidos"))
