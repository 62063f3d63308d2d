from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from fieldapp.web.forms import AppForm


class LoginForm(AppForm):
    username = StringField("Usuario", validators=[DataRequired("Escriba su usuario."),
                                                  Length(max=60)])
    password = PasswordField("Contraseña", validators=[DataRequired("Escriba su contraseña.")])
