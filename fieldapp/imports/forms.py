from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class CreditImportForm(FlaskForm):
    file = FileField("Archivo CSV de la emisión", validators=[
        FileRequired("Elija el archivo CSV."),
        FileAllowed(["csv", "txt"], "El archivo debe ser CSV (.csv)."),
    ])
