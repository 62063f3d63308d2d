from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from fieldapp.seals.services import MAX_SHEET
from fieldapp.web.forms import AppForm

NO_EXECUTOR = 0


class IssueSheetForm(AppForm):
    count = IntegerField(
        "Número de sellos", default=24,
        validators=[InputRequired("Escriba cuántos sellos."),
                    NumberRange(1, MAX_SHEET, f"De 1 a {MAX_SHEET} sellos por hoja.")])
    executor_id = SelectField("Asignar a", coerce=int, default=NO_EXECUTOR)


class AssignSheetForm(AppForm):
    executor_id = SelectField("Ejecutor", coerce=int,
                              validators=[DataRequired("Elija al ejecutor.")])


class VoidSealForm(AppForm):
    reason = StringField("Motivo", validators=[
        DataRequired("Escriba el motivo de la anulación."),
        Length(max=200, message="A lo más 200 caracteres.")])
