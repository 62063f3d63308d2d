"""`fieldapp create-user` and `fieldapp user …` (edit, deactivate, reset-password, …)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from fieldapp.auth.models import ROLES, User
from fieldapp.auth.services import (
    UserError,
    clear_login_throttle,
    create_user,
    renew_credential,
    reset_password,
    set_active,
    update_user,
)
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector


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


@click.group("user")
def user_command() -> None:
    """Change an existing user (the same rules and audit events as /admin/usuarios)."""


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"No existe el usuario «{username}».")
    return user


def _commit_or_fail(change) -> None:  # type: ignore[no-untyped-def]
    try:
        change()
    except UserError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()


@user_command.command("edit")
@click.argument("username")
@click.option("--name", "full_name")
@click.option("--role", type=click.Choice(ROLES))
@click.option("--sector", "sector_code", help="Sector code of the user's office; '' for none.")
@with_appcontext
def edit_user_command(username: str, full_name: str | None, role: str | None,
                      sector_code: str | None) -> None:
    """Change a user's name, role or sector."""
    user = _user(username)
    sector = user.sector
    if sector_code is not None:
        sector = None if sector_code == "" else db.session.scalar(
            select(Sector).where(Sector.office_id == user.office_id, Sector.code == sector_code))
        if sector_code and sector is None:
            raise click.ClickException(f"La oficina no tiene el sector {sector_code}.")
    _commit_or_fail(lambda: update_user(user, full_name=full_name or user.full_name,
                                        role=role or user.role, sector=sector, actor=None))
    click.echo(f"Usuario {user.username} guardado.")


@user_command.command("deactivate")
@click.argument("username")
@with_appcontext
def deactivate_user_command(username: str) -> None:
    """Deactivate a user: their sessions end, their phones are refused."""
    user = _user(username)
    _commit_or_fail(lambda: set_active(user, False, actor=None))
    click.echo(f"Usuario {user.username} desactivado.")


@user_command.command("reactivate")
@click.argument("username")
@with_appcontext
def reactivate_user_command(username: str) -> None:
    user = _user(username)
    _commit_or_fail(lambda: set_active(user, True, actor=None))
    click.echo(f"Usuario {user.username} reactivado.")


@user_command.command("reset-password")
@click.argument("username")
@click.option("--password", prompt="Contraseña temporal", hide_input=True, confirmation_prompt=True)
@with_appcontext
def reset_password_command(username: str, password: str) -> None:
    """Give a temporary password; the user must choose a new one at the next login."""
    user = _user(username)
    _commit_or_fail(lambda: reset_password(user, password, actor=None))
    click.echo(f"Contraseña de {user.username} restablecida; deberá cambiarla al entrar.")


@user_command.command("unlock")
@click.argument("username")
@with_appcontext
def unlock_user_command(username: str) -> None:
    """Let a user locked out by failed logins try again."""
    user = _user(username)
    _commit_or_fail(lambda: clear_login_throttle(user, actor=None))
    click.echo(f"Usuario {user.username} desbloqueado.")


@user_command.command("renew-credential")
@click.argument("username")
@click.option("--number", required=True)
@click.option("--issued-on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--valid-until", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--issuer", required=True)
@click.option("--legal-basis")
@with_appcontext
def renew_credential_command(username: str, number: str, issued_on, valid_until,  # type: ignore[no-untyped-def]
                             issuer: str, legal_basis: str | None) -> None:
    """Record a new field credential (R-NOT-8, R-PAE-2); the old ones stay in its history."""
    user = _user(username)
    _commit_or_fail(lambda: renew_credential(
        user, number=number, issued_on=issued_on.date(), valid_until=valid_until.date(),
        issuer=issuer, legal_basis=legal_basis, actor=None))
    click.echo(f"Credencial {number} de {user.username} registrada, vigente hasta "
               f"{valid_until:%d/%m/%Y}.")
