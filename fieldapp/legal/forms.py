from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields import FieldList
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from fieldapp.legal.models import COST_BASES
from fieldapp.offices.models import PHOTO_LONG_EDGES
from fieldapp.web.forms import AppForm


class NonBusinessDayForm(AppForm):
    start = DateField("Fecha", validators=[DataRequired("Indique la fecha.")])
    end = DateField("Hasta (opcional, para un periodo)", validators=[Optional()])
    description = StringField("Motivo", validators=[
        DataRequired("Escriba el motivo (p. ej. «Jueves Santo», «Periodo vacacional»)."),
        Length(max=200)])


class HoursEnablementForm(AppForm):
    """R-CAL-3 (CFF 13): a habilitación de días y horas inhábiles the office records."""

    folio = StringField("Folio del documento que habilita", validators=[
        DataRequired("Escriba el folio del documento (p. ej. «HAB-7/2026»)."), Length(max=40)])
    signer = StringField("Firma", validators=[
        DataRequired("Escriba quién firma la habilitación."), Length(max=120)])
    issued_on = DateField("Fecha del documento", validators=[DataRequired("Indique la fecha del documento.")])
    first_day = DateField("Primer día habilitado", validators=[DataRequired("Indique el primer día.")])
    last_day = DateField("Último día habilitado", validators=[DataRequired("Indique el último día.")])
    hours_from = TimeField("Desde la hora", validators=[DataRequired("Indique la hora de inicio.")])
    hours_to = TimeField("Hasta la hora", validators=[DataRequired("Indique la hora de fin.")])
    reason = StringField("Motivo", validators=[
        DataRequired("Escriba el motivo (p. ej. «Operativo nocturno de embargo»)."), Length(max=300)])


class RemoveDayForm(AppForm):
    reason = StringField("Motivo del retiro", validators=[
        DataRequired("Escriba por qué se retira el día."), Length(max=200)])


class BracketForm(Form):
    """One period of the enforcement cost table (R-PAE-3). A row left blank is ignored."""

    valid_from = DateField("Desde", validators=[Optional()])
    valid_to = DateField("Hasta", validators=[Optional()])
    minimum = DecimalField("Mínimo ($)", places=2, validators=[Optional(), NumberRange(min=0)])
    maximum = DecimalField("Máximo ($)", places=2, validators=[Optional(), NumberRange(min=0)])
    rate_percent = DecimalField("Tasa (%)", places=2, validators=[
        Optional(), NumberRange(min=0.01, max=100)])
    note = StringField("Nota", validators=[Optional(), Length(max=300)])

    @property
    def is_blank(self) -> bool:
        return all(f.data in (None, "") for f in (self.valid_from, self.valid_to, self.minimum,
                                                   self.maximum, self.rate_percent))

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        # Optional() stops each field's own chain when empty, so completeness is checked here:
        # a row is either blank (ignored) or has its start, minimum, maximum and rate.
        valid = super().validate(extra_validators)
        if self.is_blank:
            return valid
        required = ((self.valid_from, "Indique desde cuándo rige el periodo."),
                    (self.minimum, "Indique el mínimo."), (self.maximum, "Indique el máximo."),
                    (self.rate_percent, "Indique la tasa."))
        for f, message in required:
            if f.data is None and not f.errors:
                f.errors = [*f.errors, message]
                valid = False
        # What a cost bracket itself refuses (legal/costs.py), said here in Spanish.
        start, end = self.valid_from.data, self.valid_to.data
        if start is not None and end is not None and end < start and not self.valid_to.errors:
            self.valid_to.errors = [*self.valid_to.errors, "Es anterior al inicio del periodo."]
            valid = False
        low, high = self.minimum.data, self.maximum.data
        if low is not None and high is not None and low > high and not self.maximum.errors:
            self.maximum.errors = [*self.maximum.errors, "Es menor que el mínimo."]
            valid = False
        return valid


class ParameterSetForm(AppForm):
    valid_from = DateField("Entra en vigor el", validators=[DataRequired("Indique la fecha.")])
    friday_rule = BooleanField("Regla del viernes: un plazo que vence en viernes se recorre al "
                               "siguiente día hábil (RACERF 3)")
    follow_up_tolerance_minutes = IntegerField(
        "Tolerancia de la diligencia posterior al citatorio (minutos)",
        validators=[InputRequired("Indique la tolerancia en minutos."),
                    NumberRange(min=0, max=120, message="Entre 0 y 120 minutos.")])
    business_hours_start = TimeField("Inicio del horario hábil", validators=[
        DataRequired("Indique la hora de inicio.")])
    business_hours_end = TimeField("Fin del horario hábil", validators=[
        DataRequired("Indique la hora de fin.")])
    cost_base = SelectField("Base de los gastos de ejecución", choices=dict(COST_BASES))
    gps_warn_distance_m = IntegerField(
        "Distancia al domicilio registrado que pide explicar la posición GPS (metros, R-GPS-1)",
        # Blank keeps the value in force (save_parameter_version).
        validators=[Optional(), NumberRange(min=1, max=50_000, message="Entre 1 y 50,000 metros.")])
    gps_max_accuracy_m = IntegerField(
        "Precisión GPS mínima para finalizar (metros, R-GPS-2)",
        validators=[Optional(), NumberRange(min=1, max=1_000, message="Entre 1 y 1,000 metros.")])
    brackets = FieldList(FormField(BracketForm), min_entries=1)
    note = TextAreaField("Motivo o fundamento del cambio", validators=[
        DataRequired("Escriba el motivo o fundamento del cambio."), Length(max=300)])


class PhotoSizeForm(AppForm):
    photo_long_edge = SelectField(
        "Lado mayor de las fotos (píxeles)", coerce=int,
        choices={str(n): f"{n} px" for n in PHOTO_LONG_EDGES})


class SweepForm(AppForm):
    """Only the CSRF token: "apply the gate to every notified credit now"."""
