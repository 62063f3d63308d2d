"""`fieldapp backup` and `fieldapp restore`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from fieldapp.backup.archive import BackupError, Manifest
from fieldapp.backup.services import check_archive, create_backup, restore_backup


@click.command("backup")
@click.option("--output", "-o", type=click.Path(), default=".", show_default=True,
              help="Folder to write a timestamped archive into (an existing folder, or a name ending "
                   "in '/'), or the archive's file name.")
@with_appcontext
def backup_command(output: str) -> None:
    """Write a consistent archive of the database and the media folder."""
    try:
        result = create_backup(output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(f"No se pudo leer la base de datos: {exc}") from exc
    click.echo(f"Respaldo creado: {result.path} ({_megabytes(result.path)})")
    _describe(result.manifest)


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an install that already holds data.")
@click.option("--check", "check_only", is_flag=True, help="Only verify the archive; change nothing.")
@with_appcontext
def restore_command(archive: Path, force: bool, check_only: bool) -> None:
    """Restore an archive made by `fieldapp backup` (hashes are verified first)."""
    try:
        if check_only:
            manifest = check_archive(archive)
            click.echo(f"Respaldo íntegro: {archive}")
            _describe(manifest)
            return
        result = restore_backup(archive, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(f"No se pudo usar la base de datos destino: {exc}") from exc
    click.echo(f"Respaldo restaurado: {archive}")
    _describe(result.manifest)
    click.echo(f"  Medios: {result.media_written} escritos, {result.media_already_present} ya presentes")
    if result.upgraded_to:
        click.echo(f"  Base de datos migrada a la revisión {result.upgraded_to}")


def _describe(manifest: Manifest) -> None:
    click.echo(f"  Creado: {manifest.created_at}, fieldapp {manifest.app_version}")
    click.echo(f"  Base de datos: {manifest.database_backend}, revisión {manifest.alembic_revision}, "
               f"{manifest.total_records} registros en {len(manifest.record_counts)} tablas")
    click.echo(f"  Archivos de medios: {len(manifest.media_files)}")


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1_048_576:.1f} MB"
