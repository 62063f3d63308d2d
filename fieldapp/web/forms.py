"""The base of every form: Flask-WTF's CSRF protection with WTForms' own Spanish messages
("Opción inválida.", "Este campo es obligatorio.") where a field has no message of ours."""

from __future__ import annotations

from flask_wtf import FlaskForm


class AppForm(FlaskForm):
    class Meta:
        # WTForms ships these catalogues; Flask-WTF would look for Flask-Babel instead, which
        # the app does not use (WTF_I18N_ENABLED is off in config.py).
        locales = ("es_MX", "es")
