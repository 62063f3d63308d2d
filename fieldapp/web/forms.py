"""The base of every form: Flask-WTF's CSRF protection with WTForms' own Spanish messages
("Opción inválida.", "Este campo es obligatorio.") where a field has no message of ours."""

from __future__ import annotations

from flask_wtf import FlaskForm


class AppForm(FlaskForm):
    class Meta:
        # WTForms ships these catalogues; Flask-WTF would look for Flask-Babel instead, which
        # the app does not use (WTF_I18N_ENABLED is off in config.py).
        locales = ("es_MX", "es")

    def error_messages(self) -> list[str]:
        """Every validation message, field by field, for the one line a fragment shows."""
        return [message for messages in self.errors.values() for message in messages]

    def first_error(self) -> str:
        return next(iter(self.error_messages()), "Revise los datos.")
