"""Console command of the media store: the daily sweep of temporary files."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from fieldapp.media.storage import STALE_TMP_SECONDS, sweep_stale_temporaries


@click.command("sweep-media-temporaries")
@with_appcontext
def sweep_media_temporaries_command() -> None:
    """Removes the temporary files of uploads a killed process left behind (older than an hour;
    an upload in progress is never touched). Meant for the daily cron job, like the backup."""
    removed = sweep_stale_temporaries()
    click.echo(f"{removed} temporary file(s) older than {STALE_TMP_SECONDS // 60} min removed.")
