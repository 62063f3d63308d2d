from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from fieldapp.web.forms import AppForm


class EnrollmentLinkForm(AppForm):
    user_id = SelectField("Persona", coerce=int, validators=[DataRequired("Elija a quién.")])


class RevokeForm(AppForm):
    """Only the CSRF token: revoking needs no other data."""


class EnrollDeviceForm(AppForm):
    device_name = StringField(
        "Nombre de este teléfono",
        validators=[DataRequired("Escriba un nombre, p. ej. «Motorola de la oficina»."),
                    Length(max=80, message="A lo más 80 caracteres.")])
