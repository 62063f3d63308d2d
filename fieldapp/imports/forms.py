from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired

from fieldapp.web.forms import AppForm


class CreditImportForm(AppForm):
    file = FileField("Archivo CSV de la emisión", validators=[
        FileRequired("Elija el archivo CSV."),
        FileAllowed(["csv", "txt"], "El archivo debe ser CSV (.csv)."),
    ])
