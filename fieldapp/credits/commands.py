"""`fieldapp import-situations FILE.csv`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.credits.imports import import_situation_file
from fieldapp.extensions import db
from fieldapp.imports.services import ImportRejected


@click.command("import-situations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only check the file; write nothing.")
@with_appcontext
def import_situations_command(file: Path, dry_run: bool) -> None:
    """Import credit situations (payments, guarantees, suspensions, clarifications,
    cancellations) from the institute's CSV: every row or none (docs/import-format.md).
    Exit status 1 when the file has problems (each is listed with its line)."""
    try:
        summary = import_situation_file(file.read_bytes(), actor=None, filename=file.name)
    except ImportRejected as rejected:
        db.session.rollback()
        for problem in rejected.problems:
            click.echo(f"línea {problem.line}: {problem.message}", err=True)
        raise click.ClickException(
            f"El archivo no se importó: {rejected.bad_lines} filas con errores "
            f"({len(rejected.problems)} problemas). No se guardó nada.") from None
    if dry_run:
        db.session.rollback()
        click.echo(f"Revisión correcta, no se guardó nada (--dry-run). {summary.describe()}")
        return
    db.session.commit()
    click.echo(f"Importación terminada. {summary.describe()}")
