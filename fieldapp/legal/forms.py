from __future__ import annotations

from flask_wtf import FlaskForm
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from fieldapp.legal.models import COST_BASES
from fieldapp.offices.models import PHOTO_LONG_EDGES


class NonBusinessDayForm(FlaskForm):
    start = DateField("Fecha", validators=[DataRequired("Indique la fecha.")])
    end = DateField("Hasta (opcional, para un periodo)", validators=[Optional()])
    description = StringField("Motivo", validators=[
        DataRequired("Escriba el motivo (p. ej. «Jueves Santo», «Periodo vacacional»)."),
        Length(max=200)])


class RemoveDayForm(FlaskForm):
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

    def validate_valid_from(self, field: DateField) -> None:
        if not self.is_blank and field.data is None:
            raise ValidationError("Indique desde cuándo rige el periodo.")

    def validate_minimum(self, field: DecimalField) -> None:
        if not self.is_blank and field.data is None:
            raise ValidationError("Indique el mínimo.")

    def validate_maximum(self, field: DecimalField) -> None:
        if not self.is_blank and field.data is None:
            raise ValidationError("Indique el máximo.")

    def validate_rate_percent(self, field: DecimalField) -> None:
        if not self.is_blank and field.data is None:
            raise ValidationError("Indique la tasa.")


class ParameterSetForm(FlaskForm):
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
    cost_base = SelectField("Base de los gastos de ejecución", choices=list(COST_BASES.items()))
    brackets = FieldList(FormField(BracketForm), min_entries=1)
    note = TextAreaField("Motivo o fundamento del cambio", validators=[
        DataRequired("Escriba el motivo o fundamento del cambio."), Length(max=300)])


class PhotoSizeForm(FlaskForm):
    photo_long_edge = SelectField(
        "Lado mayor de las fotos (píxeles)", coerce=int,
        choices=[(n, f"{n} px") for n in PHOTO_LONG_EDGES])


class SweepForm(FlaskForm):
    """Only the CSRF token: "apply the gate to every notified credit now"."""
