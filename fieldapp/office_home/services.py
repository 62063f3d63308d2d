"""What the office home counts (the review list's capped counts come from fieldapp.review)."""

from __future__ import annotations

from sqlalchemy import func, select

from fieldapp.assignments.models import Assignment
from fieldapp.extensions import db


def assignment_counts(office_id: int) -> dict[str, int]:
    """How many of the office's assignments are in each status."""
    return {status: count for status, count in db.session.execute(
        select(Assignment.status, func.count(Assignment.id))
        .where(Assignment.office_id == office_id)
        .group_by(Assignment.status))}
