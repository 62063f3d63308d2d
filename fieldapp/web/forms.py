"""The base of every form: Flask-WTF's CSRF protection with WTForms' own Spanish messages
("Opción inválida.", "Este campo es obligatorio.") where a field has no message of ours; and
the one way a view shows a service's refusal beside the form that asked for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_wtf import FlaskForm

from fieldapp.errors import DomainError
from fieldapp.web.lifecycle import discard_this_request


class AppForm(FlaskForm):
    class Meta:
        # WTForms ships these catalogues; Flask-WTF would look for Flask-Babel instead, which
        # the app does not use (WTF_I18N_ENABLED is off in config.py).
        locales = ("es_MX", "es")

    refusal: str | None = None
    refused_by: DomainError | None = None  # the refusal itself, for what it carries beyond text

    def error_messages(self) -> list[str]:
        """Every validation message, field by field, for the one line a fragment shows."""
        messages = [message for messages in self.errors.values() for message in messages]
        return messages + ([self.refusal] if self.refusal and self.refusal not in messages else [])

    def first_error(self) -> str:
        return next(iter(self.error_messages()), "Revise los datos.")

    def error(self) -> str | None:
        """The message to show after a submit (invalid or refused), or None when it went well."""
        return next(iter(self.error_messages()), None)

    @contextmanager
    def taking_refusals(self) -> Iterator[None]:
        """Runs the service calls of a submitted form: a ``DomainError`` they raise becomes the
        form's error (``refusal``, also among ``form_errors``), shown with the form instead of an
        error page. What the request changed is undone at once, so the page drawn next shows
        what is saved, and nothing of it is committed afterwards (web/lifecycle.py)."""
        try:
            yield
        except DomainError as exc:
            discard_this_request()
            self.refusal, self.refused_by = exc.message, exc
            self.form_errors.append(exc.message)

    @property
    def refused(self) -> bool:
        return self.refusal is not None
