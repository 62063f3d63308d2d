"""The one family of domain errors (base layer: every feature raises them, no feature defines
how they reach people).

A service refuses an operation by raising a ``DomainError`` subclass with a stable ``code``
(for the API and the logs), a Spanish ``message`` (for people), the HTTP ``status`` it means
and, where one input is at fault, its ``field``. A view that does not handle it lets it go:
fieldapp/web/errors.py turns it into JSON for the API, a message fragment for htmx or a page,
and fieldapp/web/lifecycle.py rolls the request's transaction back.

The subclasses keep their names (``SealError``, ``UserError``…) so a reader sees which rules
refused; they are still ``ValueError``s, as they were before the family existed.
"""

from __future__ import annotations


class DomainError(ValueError):
    """An operation the rules refuse; the message is for people (Spanish)."""

    code = "unprocessable"
    status = 422
    # Seconds after which the same request may succeed (a throttle), sent as Retry-After.
    retry_after: int | None = None

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 field: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        if retry_after is not None:
            self.retry_after = retry_after
        self.field = field
