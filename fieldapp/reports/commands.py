"""`fieldapp export-status-changes`: the credit status changes of one office as CSV, for the
institutional systems (docs/status-export.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from fieldapp.audit.services import record
from fieldapp.extensions import db
from fieldapp.offices.models import Office
from fieldapp.reports.services import (
    ReportError,
    export_window,
    format_cursor,
    parse_moment,
    status_changes,
    status_changes_csv,
)


@click.command("export-status-changes")
@click.option("--office", "office_code", required=True, help="Code of the office (subdelegación).")
@click.option("--since", "since_text", required=True,
              help="Start, included: YYYY-MM-DD (the office's midnight) or an ISO 8601 timestamp "
                   "with zone, e.g. the cursor the previous export printed.")
@click.option("--until", "until_text", help="End, excluded (default and latest: now minus the settle "
                                            "time, STATUS_EXPORT_SETTLE_SECONDS).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the CSV to this file (default: standard output).")
@with_appcontext
def export_status_changes_command(office_code: str, since_text: str, until_text: str | None,
                                  output: Path | None) -> None:
    """Export the status changes of one office's credits with since <= at < until, ordered by
    (at, id). The next export's --since is printed on standard error: exporting from it repeats
    nothing and skips nothing."""
    office = db.session.scalar(select(Office).where(Office.code == office_code))
    if office is None:
        raise click.ClickException(f"No office with code {office_code!r}.")
    try:
        since = parse_moment(since_text, office, "since")
        until = parse_moment(until_text, office, "until") if until_text else None
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    window = export_window(since, until)
    rows = status_changes(office, window)
    text = status_changes_csv(office, rows)
    record("report_exported", office_id=office.id, object_type="reports",
           object_id="export-status-changes", since=format_cursor(window.since),
           until=format_cursor(window.until), rows=len(rows), via="cli")
    db.session.commit()
    if output is None:
        click.echo(text, nl=False)
    else:
        tmp = output.with_name(output.name + ".partial")
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(output)  # a reader never sees half a file
    click.echo(f"{office.code}: {len(rows)} status changes from {format_cursor(window.since)} "
               f"to {format_cursor(window.until)} (excluded).", err=True)
    click.echo(f"next --since {format_cursor(window.until)}", err=True)
