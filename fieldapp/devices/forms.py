from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class EnrollmentLinkForm(FlaskForm):
    user_id = SelectField("Persona", coerce=int, validators=[DataRequired("Elija a quién.")])


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking needs no other data."""


class EnrollDeviceForm(FlaskForm):
    device_name = StringField(
        "Nombre de este teléfono",
        validators=[DataRequired("Escriba un nombre, p. ej. «Motorola de la oficina»."),
                    Length(max=80, message="A lo más 80 caracteres.")])
