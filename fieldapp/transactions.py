"""Making SQLite transactions behave for the write paths that use savepoints (base layer: every
feature that writes with savepoints uses it — diligences, media, seals, sessions, the sync API).

Python's sqlite3 module (legacy transaction control) sends BEGIN only before the first INSERT,
UPDATE or DELETE. A SAVEPOINT sent before that starts the transaction itself, and releasing it
commits: a record meant to be atomic inside its batch would be committed on its own. Taking the
write lock up front (BEGIN IMMEDIATE) also makes concurrent writers queue on SQLite's busy
timeout instead of failing with "database is locked" when two readers both try to upgrade.

PostgreSQL needs nothing: every statement already runs inside the session's transaction.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fieldapp.extensions import db


def begin_write_transaction(session: Session | None = None) -> None:
    """Makes sure a real write transaction is open before savepoints are used (idempotent)."""
    session = session or db.session  # type: ignore[assignment]
    assert session is not None
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")
