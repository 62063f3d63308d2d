"""One request lifecycle: the one place a request's database work is committed or rolled back.

A request that changes something (POST, PUT, PATCH, DELETE) is committed once, after its view
answered with a success (1xx–3xx), and rolled back when it answered with an error (4xx, 5xx) —
a refused form, a ``DomainError`` let go by the view, an unexpected exception. A refusal
(``discard_this_request``: the error handlers, ``AppForm.taking_refusals``) is undone at once, so
the page or message drawn next shows what is saved, and nothing of the request is committed
afterwards even when its answer is a success (a redirect back to the page with the message).
Views and services therefore never commit or roll back on their own; the few that must keep
something of a failed request (a failed login attempt counts towards the throttle) commit it
themselves and say why.

A read (GET, HEAD) commits nothing, with one exception: a read of personal data writes an audit
event (fieldapp/audit/services.py ``record`` calls ``keep_this_read``), and that read is then
committed like a write — once, after a success answer — so the event is kept; a read that
failed (404, 403, an exception) showed nothing and keeps nothing. Whatever else a read touched
is dropped when the session is removed at the end of the request.

A commit that fails (a constraint the database enforces) raises here, before the response
leaves: the client gets the error page or JSON with the request id, never a success for work
that was not saved.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from werkzeug.wrappers import Response

from fieldapp.extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Kept in the WSGI environ, like the request id (fieldapp/web/errors.py): ``g`` lives as long as
# the app context, which a test or a CLI command may share between requests.
_KEEP_READ = "fieldapp.keep_this_read"
_DISCARDED = "fieldapp.discarded"


def keep_this_read() -> None:
    """This request's work is committed even if it is a read, provided it answers with a success
    (an audit event of a read of personal data). Outside a request (CLI, tests' setup) the
    caller commits, and this does nothing."""
    if has_request_context():
        request.environ[_KEEP_READ] = True


def discard_this_request() -> None:
    """Undoes at once what this request changed (a refusal, an error), and makes sure nothing of
    it is committed later, whatever the answer. The session can be used again right away: the
    page drawn next reads what is saved (on PostgreSQL a failed statement leaves the transaction
    unusable until it is rolled back)."""
    db.session.rollback()
    request.environ[_DISCARDED] = True


def commit_or_roll_back(response: Response) -> Response:
    if request.method not in WRITE_METHODS and not request.environ.get(_KEEP_READ):
        return response
    if response.status_code < 400 and not request.environ.get(_DISCARDED):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    # Registered first, so it runs last among the after-request hooks (Flask runs them in
    # reverse): every other hook's work on the session is part of the same commit.
    app.after_request_funcs.setdefault(None, []).insert(0, commit_or_roll_back)
