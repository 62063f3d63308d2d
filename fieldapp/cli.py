"""The `fieldapp` console script: every Flask command (db upgrade, …) plus our own."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from fieldapp import create_app


def _make_app():  # type: ignore[no-untyped-def]
    return create_app()


@click.group(cls=FlaskGroup, create_app=_make_app, add_default_commands=True)
def main() -> None:
    """Field app of the IMSS collections department."""


def _register_commands() -> None:
    from fieldapp.auth.commands import create_user_command, user_command
    from fieldapp.backup.commands import backup_command, restore_command
    from fieldapp.credits.commands import import_situations_command
    from fieldapp.demo.commands import demo_command, serve_command
    from fieldapp.imports.commands import import_credits_command
    from fieldapp.legal.commands import institute_days_command, sweep_enforceable_command
    from fieldapp.media.commands import sweep_media_temporaries_command
    from fieldapp.offices.commands import office_command
    from fieldapp.reports.commands import export_status_changes_command

    main.add_command(create_user_command)
    main.add_command(user_command)
    main.add_command(office_command)
    main.add_command(backup_command)
    main.add_command(restore_command)
    main.add_command(import_credits_command)
    main.add_command(import_situations_command)
    main.add_command(demo_command)
    main.add_command(serve_command)
    main.add_command(sweep_enforceable_command)
    main.add_command(institute_days_command)
    main.add_command(export_status_changes_command)
    main.add_command(sweep_media_temporaries_command)


_register_commands()
