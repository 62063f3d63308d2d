"""Console commands of the legal engine: the daily enforcement sweep (R-DL-2) and the
institutional non-business days that apply to every office (R-CAL-2)."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.legal.models import NonBusinessDay
from fieldapp.legal.services import (
    LegalConfigError,
    add_non_business_days,
    remove_non_business_day,
    sweep_enforceable,
)
from fieldapp.offices.models import Office
from fieldapp.offices.services import office_today

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _date(value: datetime | None) -> date | None:
    return None if value is None else value.date()


@click.command("sweep-enforceable")
@click.option("--office", "office_code", help="Code of one office (default: every office).")
@click.option("--today", "today_text", type=DATE, help="Judge as of this date, YYYY-MM-DD (default: each "
              "office's local today).")
@with_appcontext
def sweep_enforceable_command(office_code: str | None, today_text: datetime | None) -> None:
    """Make enforceable every notified credit that passes the gate of R-DL-2."""
    stmt = select(Office).order_by(Office.code)
    if office_code:
        stmt = stmt.where(Office.code == office_code)
    offices = list(db.session.scalars(stmt))
    if not offices:
        raise click.ClickException(f"No office with code {office_code!r}.")
    for office in offices:
        today = _date(today_text) or office_today(office)
        result = sweep_enforceable(office, today)
        click.echo(f"{office.code}: {len(result.made_enforceable)} made enforceable, "
                   f"{len(result.refused)} past their deadline still held by R-DL-2 "
                   f"(as of {today.isoformat()}).")
    db.session.commit()


@click.group("institute-days")
def institute_days_command() -> None:
    """Institutional non-business days of every office (R-CAL-2). Each office's own days are
    edited by its admins at /admin/calendario."""


@institute_days_command.command("add")
@click.argument("start", type=DATE)
@click.argument("description")
@click.option("--until", "end_text", type=DATE, help="Last day of a period, YYYY-MM-DD.")
@with_appcontext
def add_institute_days(start: datetime, description: str, end_text: datetime | None) -> None:
    """Declare START (YYYY-MM-DD), or the weekdays from START to --until, non-business."""
    first = _date(start)
    assert first is not None
    try:
        added = add_non_business_days(None, first, _date(end_text), description, actor=None)
    except LegalConfigError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Added {len(added)} institute-wide non-business day(s).")


@institute_days_command.command("remove")
@click.argument("day", type=DATE)
@click.option("--reason", required=True, help="Why the day is business again (kept in history).")
@with_appcontext
def remove_institute_day(day: datetime, reason: str) -> None:
    """Make DAY (YYYY-MM-DD) a business day again for every office."""
    row = db.session.scalar(select(NonBusinessDay).where(
        NonBusinessDay.office_id.is_(None), NonBusinessDay.day == _date(day),
        NonBusinessDay.removed_at.is_(None)))
    if row is None:
        raise click.ClickException(f"{day:%Y-%m-%d} is not an institute-wide non-business day.")
    try:
        remove_non_business_day(row, actor=None, reason=reason)
    except LegalConfigError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{day:%Y-%m-%d} is a business day again.")


@institute_days_command.command("list")
@click.option("--year", type=int, help="Only this year.")
@with_appcontext
def list_institute_days(year: int | None) -> None:
    """List the live institute-wide non-business days."""
    stmt = (select(NonBusinessDay)
            .where(NonBusinessDay.office_id.is_(None), NonBusinessDay.removed_at.is_(None))
            .order_by(NonBusinessDay.day))
    for row in db.session.scalars(stmt):
        if year is None or row.day.year == year:
            click.echo(f"{row.day.isoformat()}  {row.description}")
