"""`fieldapp create-user`."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from fieldapp.auth.models import ROLES
from fieldapp.auth.services import UserError, create_user
from fieldapp.extensions import db
from fieldapp.offices.models import Office


@click.command("create-user")
@click.argument("username")
@click.option("--office", "office_code", required=True, help="Office code (subdelegación).")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", "full_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--credential-number")
@click.option("--credential-issued-on", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--credential-valid-until", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--credential-issuer")
@with_appcontext
def create_user_command(
    username: str, office_code: str, role: str, full_name: str, password: str,
    credential_number: str | None, credential_issued_on, credential_valid_until,  # type: ignore[no-untyped-def]
    credential_issuer: str | None,
) -> None:
    """Create a user of an office."""
    office = db.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        raise click.ClickException(f"No existe la subdelegación con clave {office_code}.")
    try:
        user = create_user(
            office=office, username=username, full_name=full_name, role=role, password=password,
            credential_number=credential_number,
            credential_issued_on=_as_date(credential_issued_on),
            credential_valid_until=_as_date(credential_valid_until),
            credential_issuer=credential_issuer,
        )
    except UserError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Usuario {user.username} ({user.role}) creado en {office.name}.")


def _as_date(value) -> date | None:  # type: ignore[no-untyped-def]
    return value.date() if value is not None else None
