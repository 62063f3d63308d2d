from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from fieldapp.web.forms import AppForm


class LoginForm(AppForm):
    username = StringField("Usuario", validators=[DataRequired("Escriba su usuario."),
                                                  Length(max=60)])
    password = PasswordField("Contraseña", validators=[DataRequired("Escriba su contraseña.")])


class ChangePasswordForm(AppForm):
    current_password = PasswordField("Contraseña actual", validators=[
        DataRequired("Escriba su contraseña actual.")])
    new_password = PasswordField("Contraseña nueva", validators=[
        DataRequired("Escriba la contraseña nueva."), Length(min=8, message="Mínimo 8 caracteres.")])
    confirm = PasswordField("Repita la contraseña nueva", validators=[
        DataRequired("Repita la contraseña nueva."),
        EqualTo("new_password", message="Las dos contraseñas nuevas no coinciden.")])
