from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("Usuario", validators=[DataRequired("Escriba su usuario."),
                                                  Length(max=60)])
    password = PasswordField("Contraseña", validators=[DataRequired("Escriba su contraseña.")])
