from __future__ import annotations

from wtforms import DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from fieldapp.auth.models import ROLE_LABELS
from fieldapp.web.forms import AppForm


class UserForm(AppForm):
    username = StringField("Usuario", validators=[
        DataRequired("Escriba el usuario."), Length(max=60),
        Regexp(r"^[a-zA-Z0-9._-]+$", message="Sólo letras, números, punto, guion y guion bajo.")])
    full_name = StringField("Nombre completo", validators=[DataRequired("Escriba el nombre."),
                                                           Length(max=160)])
    role = SelectField("Rol", choices=dict(ROLE_LABELS))  # a dict: WTForms 3.3 deprecates tuple choices
    password = PasswordField("Contraseña inicial", validators=[
        DataRequired("Escriba una contraseña."), Length(min=8, message="Mínimo 8 caracteres.")])
    credential_number = StringField("Número de credencial", validators=[Optional(), Length(max=40)])
    credential_issued_on = DateField("Fecha de expedición", validators=[Optional()])
    credential_valid_until = DateField("Vigente hasta", validators=[Optional()])
    credential_issuer = StringField("Funcionario que la expidió", validators=[Optional(),
                                                                           Length(max=160)])
    credential_legal_basis = TextAreaField("Fundamento legal de la credencial", validators=[
        Optional(), Length(max=300)])


class EditUserForm(AppForm):
    """Name, role and sector; the sector choices are the office's (filled by the view)."""

    full_name = StringField("Nombre completo", validators=[DataRequired("Escriba el nombre."),
                                                           Length(max=160)])
    role = SelectField("Rol", choices=dict(ROLE_LABELS))
    sector = SelectField("Sector", choices={"": "Sin sector"}, validate_choice=True)


class CredentialForm(AppForm):
    """A new field credential (R-NOT-8, R-PAE-2): every field the acta prints."""

    number = StringField("Número de credencial", validators=[
        DataRequired("Escriba el número de credencial."), Length(max=40)])
    issued_on = DateField("Fecha de expedición", validators=[
        DataRequired("Escriba la fecha de expedición.")])
    valid_until = DateField("Vigente hasta", validators=[DataRequired("Escriba la vigencia.")])
    issuer = StringField("Funcionario que la expidió", validators=[
        DataRequired("Escriba quién la expidió."), Length(max=160)])
    legal_basis = TextAreaField("Fundamento legal de la credencial", validators=[
        Optional(), Length(max=300)])


class ResetPasswordForm(AppForm):
    password = PasswordField("Contraseña temporal", validators=[
        DataRequired("Escriba una contraseña temporal."),
        Length(min=8, message="Mínimo 8 caracteres.")])
