"""`fieldapp office create|edit` and `fieldapp office add-sector`: what a new installation
needs before its first `create-user` (docs/deploy.md)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.offices.models import SECTOR_KINDS, Office
from fieldapp.offices.services import OfficeError, create_office, save_sector, update_office


@click.group("office")
def office_command() -> None:
    """Create and edit offices (subdelegaciones) and their sectors."""


def _office(code: str) -> Office:
    office = db.session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise click.ClickException(f"No existe la subdelegación con clave {code}.")
    return office


def _commit_or_fail(change) -> None:  # type: ignore[no-untyped-def]
    try:
        change()
    except OfficeError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()


@office_command.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--state", required=True, help="Entidad federativa.")
@click.option("--timezone", default="America/Mexico_City", show_default=True)
@with_appcontext
def create_office_command(code: str, name: str, state: str, timezone: str) -> None:
    """Create an office; its business hours are the defaults until /admin/parametros saves a
    version."""
    _commit_or_fail(lambda: create_office(code=code, name=name, state=state, timezone=timezone))
    click.echo(f"Oficina {code} · {name} creada.")


@office_command.command("edit")
@click.argument("code")
@click.option("--name")
@click.option("--state")
@click.option("--timezone")
@with_appcontext
def edit_office_command(code: str, name: str | None, state: str | None, timezone: str | None) -> None:
    office = _office(code)
    _commit_or_fail(lambda: update_office(office, name=name or office.name,
                                          state=state or office.state,
                                          timezone=timezone or office.timezone))
    click.echo(f"Oficina {code} guardada.")


@office_command.command("add-sector")
@click.argument("office_code")
@click.argument("code")
@click.argument("name")
@click.option("--kind", type=click.Choice(list(SECTOR_KINDS)), default="regular", show_default=True)
@with_appcontext
def add_sector_command(office_code: str, code: str, name: str, kind: str) -> None:
    office = _office(office_code)
    _commit_or_fail(lambda: save_sector(office, code=code, name=name, kind=kind, boundary=None))
    click.echo(f"Sector {code.upper()} agregado a la oficina {office_code}.")
