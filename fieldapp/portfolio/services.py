"""Rules of the portfolio: a credit's status only moves forward (workflows.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.bulk import insert_rows
from fieldapp.extensions import db
from fieldapp.portfolio.models import CREDIT_STATUSES, Credit, CreditStatusChange

# issued → to_notify → notified → (paid | in_clarification | challenged) → enforceable →
# demanded → seized → (paid | cancelled). Equal ranks are alternatives, not steps.
STATUS_RANK = {
    "issued": 0,
    "to_notify": 1,
    "notified": 2,
    "in_clarification": 3,
    "challenged": 3,
    "enforceable": 4,
    "demanded": 5,
    "seized": 6,
    "paid": 9,
    "cancelled": 9,
}
FINAL_STATUSES = ("paid", "cancelled")
_IDS_PER_UPDATE = 500  # bound parameters per UPDATE, well under SQLite's limit


class UnknownStatus(ValueError):
    pass


def is_forward(current: str, new: str) -> bool:
    if current in FINAL_STATUSES:
        return False
    return STATUS_RANK[new] > STATUS_RANK[current]


def advance_credit_status(
    credit: Credit,
    new_status: str,
    *,
    source: str,
    actor: User | None = None,
    reason: str | None = None,
) -> bool:
    """Moves the credit to `new_status` if that is forward; otherwise leaves it as it is and
    returns False. A late-arriving older diligence must never move a credit back."""
    if new_status not in CREDIT_STATUSES:
        raise UnknownStatus(new_status)
    if not is_forward(credit.status, new_status):
        return False
    change = CreditStatusChange(
        credit=credit,
        from_status=credit.status,
        to_status=new_status,
        source=source,
        actor_id=actor.id if actor is not None else None,
        reason=reason,
    )
    db.session.add(change)
    credit.status = new_status
    db.session.flush()
    record("credit_status_changed", actor=actor, obj=credit, from_status=change.from_status,
           to_status=new_status, source=source)
    return True


@dataclass(frozen=True)
class CreditState:
    """What a bulk move needs of a credit, without loading it as an object."""

    id: int
    status: str
    office_id: int


def advance_credit_statuses(
    credits: Sequence[Credit],
    new_status: str,
    *,
    source: str,
    actor: User | None = None,
    reason: str | None = None,
) -> list[Credit]:
    """`advance_credit_status` for many loaded credits at once; returns those that moved."""
    by_id = {c.id: c for c in credits}
    db.session.flush()  # the credits' pending changes first, so the UPDATE sees them
    moved_ids = advance_credit_states([CreditState(c.id, c.status, c.office_id) for c in credits],
                                      new_status, source=source, actor=actor, reason=reason)
    for credit_id in moved_ids:
        set_committed_value(by_id[credit_id], "status", new_status)
    return [by_id[i] for i in moved_ids]


def advance_credit_states(
    credits: Sequence[CreditState],
    new_status: str,
    *,
    source: str,
    actor: User | None = None,
    reason: str | None = None,
) -> list[int]:
    """The bulk move (an import moves thousands): the same forward-only rule and the same
    history rows as `advance_credit_status`, one UPDATE per former status and chunk of ids
    instead of a flush per credit, and one audit event for the batch. Returns the moved ids."""
    if new_status not in CREDIT_STATUSES:
        raise UnknownStatus(new_status)
    moved = [c for c in credits if is_forward(c.status, new_status)]
    if not moved:
        return []
    actor_id = actor.id if actor is not None else None
    insert_rows(CreditStatusChange, [
        {"credit_id": c.id, "from_status": c.status, "to_status": new_status, "source": source,
         "actor_id": actor_id, "reason": reason} for c in moved
    ])
    by_former: dict[str, list[int]] = {}
    for credit in moved:
        by_former.setdefault(credit.status, []).append(credit.id)
    for former, ids in by_former.items():
        for start in range(0, len(ids), _IDS_PER_UPDATE):
            # The WHERE on the former status keeps the move forward only against a concurrent writer.
            db.session.execute(update(Credit)
                               .where(Credit.id.in_(ids[start:start + _IDS_PER_UPDATE]),
                                      Credit.status == former)
                               .values(status=new_status)
                               .execution_options(synchronize_session=False))
    office_ids = {c.office_id for c in moved}
    record("credit_statuses_changed", actor=actor,
           office_id=office_ids.pop() if len(office_ids) == 1 else None,
           object_type="credits", to_status=new_status, source=source, count=len(moved))
    return [c.id for c in moved]


def stops_field_work(credit: Credit) -> bool:
    return credit.status in FINAL_STATUSES


def revert_credit_status(
    credit: Credit,
    new_status: str,
    *,
    source: str,
    actor: User | None = None,
    reason: str,
) -> bool:
    """The one backward move: a credit whose only notification was voided (its diligence
    rejected or corrected) goes back to `new_status` ("por notificar"). Like a forward move it
    is a history row (exported to the institutional systems) and an audit event, with why."""
    if new_status not in CREDIT_STATUSES:
        raise UnknownStatus(new_status)
    if credit.status in FINAL_STATUSES or STATUS_RANK[new_status] >= STATUS_RANK[credit.status]:
        return False
    change = CreditStatusChange(credit=credit, from_status=credit.status, to_status=new_status,
                                source=source, actor_id=actor.id if actor is not None else None,
                                reason=reason)
    db.session.add(change)
    credit.status = new_status
    db.session.flush()
    record("credit_status_reverted", actor=actor, obj=credit, from_status=change.from_status,
           to_status=new_status, source=source, reason=reason)
    return True
