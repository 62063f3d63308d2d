"""The change feed: which assignments and diligences changed for which field user, in an order
a phone can follow with one number (its pull cursor) without ever skipping a change.

The classic hazard: a sequence value handed out when a row changes is not commit order. A
transaction that took value 7 may commit after another one took 8 and committed; a phone that
pulled in between saw 8, moved its cursor to 8, and never sees 7.

Here the value is taken at the very end of the transaction, in ``before_commit``, by bumping
the single row of ``feed_clock`` (``UPDATE … SET value = value + 1 RETURNING value``). The row
lock that UPDATE takes is held until the transaction commits, so a second writer waits for the
first to commit before it gets the next value: values become visible in the order they were
handed out. Whoever reads ``feed_clock.value = v`` in a snapshot therefore also sees every change
stamped ≤ v, and the pull returns exactly the marks in (cursor, v] and hands back v. The lock is
held only for the stamping statements and the commit itself, not for the work before them. On
SQLite, writers are serialised by the database lock anyway and the same reasoning holds.

Marks are collected from ORM flushes of Assignment and Diligence rows, and of the Document,
Credit, Address and Debtor rows an assignment shows, so every writer (web views, sync,
imports, CLI) feeds the phones without having to remember to. ORM bulk ``UPDATE`` statements
(``session.execute(update(Credit)…)``), which flush nothing, are seen too: before one runs, the
rows its WHERE selects are read and marked the same way (``_collect_bulk_update``). A hot path
that knows its rows (the media PUT's UPDATE … RETURNING) may skip that read with the execution
option ``feed_marked=True`` and call ``touch_diligences`` / ``touch_assignments`` itself; so must
raw SQL on a connection, which the feed never sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from fieldapp.assignments.models import Assignment
from fieldapp.devices.models import FeedClock, FeedMark
from fieldapp.diligences.models import Diligence
from fieldapp.portfolio.models import Address, Credit, Debtor, Document, document_credits

PENDING = "fieldapp.feed.pending"
CHUNK = 500


@dataclass
class Pending:
    """What this transaction changed so far (ids only)."""

    marks: set[tuple[str, str, int]] = field(default_factory=set)  # (entity, id, user_id)
    documents: set[int] = field(default_factory=set)
    credits: set[int] = field(default_factory=set)
    addresses: set[int] = field(default_factory=set)
    debtors: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.marks or self.documents or self.credits or self.addresses or self.debtors)


def install() -> None:
    """Registers the listeners once per process (every Session, whichever app made it)."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "before_commit", _stamp)
        event.listen(Session, "after_transaction_end", _forget)
        event.listen(Session, "do_orm_execute", _collect_bulk_update)


def _pending(session: Session) -> Pending:
    return session.info.setdefault(PENDING, Pending())  # type: ignore[no-any-return]


def _old_values(obj: Any, attribute: str) -> list[Any]:
    return list(inspect(obj).attrs[attribute].history.deleted or ())


def _collect(session: Session, flush_context: Any) -> None:
    pending: Pending | None = None
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Assignment | Diligence | Document | Credit | Address | Debtor):
            pending = pending or _pending(session)
        else:
            continue
        if isinstance(obj, Assignment):
            entity = "assignment"
        elif isinstance(obj, Diligence):
            entity = "diligence"
        else:
            bucket = {Document: pending.documents, Credit: pending.credits,
                      Address: pending.addresses, Debtor: pending.debtors}[type(obj)]
            if obj.id is not None:
                bucket.add(obj.id)
            continue
        for user_id in {obj.user_id, *_old_values(obj, "user_id")}:
            if user_id is not None and obj.id is not None:
                pending.marks.add((entity, str(obj.id), user_id))


def _collect_bulk_update(state: ORMExecuteState) -> None:
    """An ORM bulk UPDATE of a row a phone shows (sweeps moving thousands of credits, a file
    completing its records) changes it without a flush: read which rows its WHERE selects,
    before it runs, and mark them as a flush would."""
    if not state.is_update or state.bind_mapper is None:
        return
    if state.execution_options.get("feed_marked"):
        return  # the writer marks its rows itself (it knows them from RETURNING)
    model = state.bind_mapper.class_
    if model not in (Assignment, Diligence, Document, Credit, Address, Debtor):
        return
    where = state.statement.whereclause
    pending = _pending(state.session)
    if model in (Assignment, Diligence):
        entity = "assignment" if model is Assignment else "diligence"
        query = select(model.id, model.user_id)
        for row_id, user_id in state.session.execute(query if where is None else query.where(where)):
            if user_id is not None:
                pending.marks.add((entity, str(row_id), user_id))
        return
    bucket = {Document: pending.documents, Credit: pending.credits,
              Address: pending.addresses, Debtor: pending.debtors}[model]
    query = select(model.id)
    bucket.update(state.session.scalars(query if where is None else query.where(where)))


def _stamp(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the marks wait for the real commit
    session.flush()  # commit's own flush comes after this hook: collect the last changes now
    pending: Pending | None = session.info.pop(PENDING, None)
    if not pending:
        return
    marks = pending.marks | set(_assignments_shown(session, pending))
    if marks:
        write_marks(session, sorted(marks))


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i:i + CHUNK]


def _assignments_shown(session: Session, pending: Pending) -> Iterator[tuple[str, str, int]]:
    """Live assignments whose document, credits, address or debtor changed."""
    documents = set(pending.documents)
    for ids in _chunks(pending.credits):
        documents |= set(session.scalars(select(document_credits.c.document_id)
                                         .where(document_credits.c.credit_id.in_(ids))))
    for ids in _chunks(pending.addresses):
        documents |= set(session.scalars(select(Document.id).where(Document.address_id.in_(ids))))
    for ids in _chunks(pending.debtors):
        documents |= set(session.scalars(select(Document.id).where(Document.debtor_id.in_(ids))))
    for ids in _chunks(documents):
        rows = session.execute(select(Assignment.id, Assignment.user_id).where(
            Assignment.document_id.in_(ids), Assignment.status != "withdrawn"))
        for assignment_id, user_id in rows:
            yield ("assignment", str(assignment_id), user_id)


# The clock and the marks are written with Core statements built once per dialect, on the
# session's connection: the ORM's bulk machinery (and this module's own do_orm_execute hook)
# cost more CPU than the two statements themselves, and every phone's push and most file PUTs
# end with them.
_BUMP_CLOCK = (update(FeedClock.__table__).where(FeedClock.__table__.c.id == 1)
               .values(value=FeedClock.__table__.c.value + 1)
               .returning(FeedClock.__table__.c.value))


@cache
def _dialect_statements(dialect: str) -> tuple[Any, Any]:
    """(create the clock's row if missing, upsert marks) for ``dialect``."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    create_clock = insert(FeedClock.__table__).values(id=1, value=0).on_conflict_do_nothing()
    marks = insert(FeedMark.__table__)
    upsert_marks = marks.on_conflict_do_update(
        index_elements=["entity", "entity_id", "user_id"], set_={"seq": marks.excluded.seq})
    return create_clock, upsert_marks


def next_seq(session: Session) -> int:
    """Bumps the feed clock; the row lock is held until this transaction ends."""
    connection = session.connection()
    seq = connection.execute(_BUMP_CLOCK).scalar_one_or_none()
    if seq is None:  # a fresh or truncated database: create the row, whoever comes first
        connection.execute(_dialect_statements(connection.dialect.name)[0])
        seq = connection.execute(_BUMP_CLOCK).scalar_one()
    return int(seq)


def write_marks(session: Session, marks: Sequence[tuple[str, str, int]]) -> int:
    seq = next_seq(session)
    connection = session.connection()
    connection.execute(_dialect_statements(connection.dialect.name)[1],
                       [{"entity": e, "entity_id": i, "user_id": u, "seq": seq}
                        for e, i, u in marks])
    return seq


def touch_assignments(session: Session, assignments: Iterable[Assignment]) -> None:
    """For writers that change assignments without the ORM unit of work."""
    pending = _pending(session)
    for a in assignments:
        pending.marks.add(("assignment", str(a.id), a.user_id))


def touch_diligences(session: Session, diligences: Iterable[tuple[str, int]]) -> None:
    """For writers that change diligences without the ORM unit of work: (id, user_id) pairs."""
    pending = _pending(session)
    for diligence_id, user_id in diligences:
        pending.marks.add(("diligence", diligence_id, user_id))


def current_seq(session: Session) -> int:
    return int(session.scalar(select(FeedClock.value).where(FeedClock.id == 1)) or 0)
