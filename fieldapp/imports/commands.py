"""`fieldapp import-credits FILE.csv`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from fieldapp.extensions import db
from fieldapp.imports.services import ImportCollided, ImportRejected, import_credit_file


@click.command("import-credits")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only check the file; write nothing.")
@with_appcontext
def import_credits_command(file: Path, dry_run: bool) -> None:
    """Import the emisión (issued credits) from a CSV file: every row or none.

    The columns are described in docs/import-format.md. Rows may belong to any existing office.
    Exit status 1 when the file has problems (each is listed with its line)."""
    try:
        summary = import_credit_file(file.read_bytes(), actor=None, source="cli", filename=file.name)
    except ImportCollided as collided:  # another import saved the same credits meanwhile
        db.session.rollback()
        raise click.ClickException(collided.message) from None
    except ImportRejected as rejected:
        db.session.rollback()
        for problem in rejected.problems:
            click.echo(f"línea {problem.line}: {problem.message}", err=True)
        raise click.ClickException(rejected.message) from None
    if dry_run:
        db.session.rollback()
        click.echo(f"Revisión correcta, no se guardó nada (--dry-run). {summary.describe()}")
        return
    db.session.commit()
    click.echo(f"Importación terminada. {summary.describe()}")
