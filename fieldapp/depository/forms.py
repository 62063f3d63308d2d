from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from fieldapp.depository.models import CUSTODY_STATES
from fieldapp.depository.services import MANUAL_STATES
from fieldapp.web.forms import AppForm

CODES_HINT = ("Escanee las etiquetas con el lector (cada lectura termina en una línea nueva) o "
              "escriba los códigos separados por espacios, comas o saltos de línea.")


class ReceiveForm(AppForm):
    codes = TextAreaField("Códigos de sello", validators=[
        DataRequired("Escanee o escriba al menos un código de sello."),
        Length(max=20000, message="Demasiados códigos de una vez.")])
    location = StringField("Ubicación en la depositaría", validators=[
        Optional(), Length(max=200, message="A lo más 200 caracteres.")])


class CustodyStepForm(AppForm):
    state = SelectField("Nuevo estado",
                        choices={s: CUSTODY_STATES[s] for s in MANUAL_STATES},
                        validators=[DataRequired("Elija el nuevo estado.")])
    location = StringField("Ubicación", validators=[
        Optional(), Length(max=200, message="A lo más 200 caracteres.")])
    note = StringField("Observación", validators=[
        Optional(), Length(max=500, message="A lo más 500 caracteres.")])


class ScanForm(AppForm):
    codes = TextAreaField("Códigos leídos", validators=[
        DataRequired("Escanee o escriba al menos un código de sello."),
        Length(max=20000, message="Demasiados códigos de una vez.")])


class ConfirmForm(AppForm):
    """Only the CSRF token."""
