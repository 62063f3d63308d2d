"""Backing up and restoring a whole install: the database and the media folder, in one archive
whose manifest lists every file with its SHA-256 and size.

Why the archive is consistent while the app keeps serving: the database is copied from one
snapshot (see databases.py) and the media folder is read *after* it. Media files are
content-addressed and written before any row refers to them, so every file the snapshot refers
to already exists when the folder is read; files that arrive later are harmless extras. Files
whose name starts with a dot are uploads still being written (they are renamed into place when
complete) and are left out.

Restoring verifies every hash before it writes anything outside a private staging folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

from alembic import command as alembic_command
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from flask import current_app

from fieldapp.backup import databases
from fieldapp.backup.archive import (
    MEDIA_DIR,
    ArchiveRejected,
    ArchiveWriter,
    BackupError,
    Manifest,
    extract_to_staging,
    sha256_of,
    verify,
)
from fieldapp.db_types import utcnow
from fieldapp.extensions import db, migrate

ARCHIVE_PREFIX = "fieldapp-backup-"
ARCHIVE_SUFFIX = ".tar.gz"


class TargetNotEmpty(BackupError):
    """The install to restore into already holds data and --force was not given."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    media_written: int
    media_already_present: int
    upgraded_to: str | None  # the code's head revision when the archive was older


# --- backup -----------------------------------------------------------------------------------

def create_backup(output: str | Path) -> BackupResult:
    """Writes the archive into `output` (an existing folder, or a name ending in '/': a
    timestamped name inside it) or as `output` (a file name)."""
    created = utcnow()
    destination = archive_destination(output, created)
    media_root = Path(current_app.config["MEDIA_ROOT"])
    with tempfile.TemporaryDirectory(prefix="fieldapp-backup-") as staging:
        snapshot = databases.snapshot(db.engine, Path(staging))  # first: see the module docstring
        writer = ArchiveWriter(destination)
        try:
            writer.add_file(snapshot.file, snapshot.member_name)
            for path, relative in media_files(media_root):
                try:
                    writer.add_file(path, f"{MEDIA_DIR}/{relative}")
                except FileNotFoundError:
                    continue  # removed since listed: neither the snapshot nor anyone needs it
            manifest = Manifest(
                created_at=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                app_version=app_version(),
                alembic_revision=snapshot.alembic_revision,
                database_backend=snapshot.backend,
                database_file=snapshot.member_name,
                record_counts=snapshot.record_counts,
                files=tuple(writer.entries),
            )
            # Last, because it records the hashes of what was actually written.
            writer.add_manifest(manifest.to_json(), created.timestamp())
            path = writer.commit()
        except BaseException:
            writer.abort()
            raise
    return BackupResult(path, manifest)


def archive_destination(output: str | Path, created: datetime) -> Path:
    name = f"{ARCHIVE_PREFIX}{created:%Y%m%dT%H%M%SZ}{ARCHIVE_SUFFIX}"
    wants_folder = str(output).endswith(("/", os.sep))
    output = Path(output)
    if wants_folder or output.is_dir():
        output.mkdir(parents=True, exist_ok=True)
        candidate, n = output / name, 2
        while candidate.exists() or candidate.with_name(candidate.name + ".partial").exists():
            candidate = output / name.replace(ARCHIVE_SUFFIX, f"-{n}{ARCHIVE_SUFFIX}")
            n += 1
        return candidate
    if output.exists():
        raise BackupError(f"Ya existe {output}; no se sobrescribe un respaldo.")
    if not output.parent.is_dir():
        raise BackupError(f"No existe la carpeta {output.parent}.")
    return output


def media_files(media_root: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under the media folder, in a stable order, as (path, relative posix name).
    Dot-files (uploads being written) and symbolic links are skipped."""
    if not media_root.is_dir():
        return
    for folder, subfolders, files in os.walk(media_root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(media_root).as_posix()


def app_version() -> str:
    try:
        return metadata.version("fieldapp")
    except metadata.PackageNotFoundError:
        return "desconocida"


# --- restore ----------------------------------------------------------------------------------

def check_archive(archive: Path) -> Manifest:
    """Verifies an archive without touching the install: hashes, and whether this code can
    restore it (backend and revision)."""
    with tempfile.TemporaryDirectory(prefix="fieldapp-check-") as staging:
        manifest = _staged_and_verified(archive, Path(staging))
        _needs_upgrade(manifest.alembic_revision)
    return manifest


def restore_backup(archive: Path, *, force: bool = False) -> RestoreResult:
    with tempfile.TemporaryDirectory(prefix="fieldapp-restore-") as tmp:
        staging = Path(tmp)
        # Nothing outside `staging` is written until every check below has passed.
        manifest = _staged_and_verified(archive, staging)
        upgrade = _needs_upgrade(manifest.alembic_revision)
        media_root = Path(current_app.config["MEDIA_ROOT"])
        if not force:
            _ensure_empty(media_root)

        db.session.remove()
        # Media first: a row must never refer to a file that is not there yet.
        written, present = _restore_media(staging, manifest, media_root)
        databases.load(db.engine, staging / manifest.database_file)
        restored = databases.record_counts(db.engine)
        if restored != manifest.record_counts:
            raise BackupError(
                "La base restaurada no tiene los registros que indica el manifiesto "
                f"(esperados {manifest.total_records}, encontrados {sum(restored.values())})."
            )
        upgraded_to = None
        if upgrade:
            alembic_command.upgrade(migrate.get_config(), "heads")
            upgraded_to = ",".join(sorted(_script().get_heads()))
    return RestoreResult(manifest, written, present, upgraded_to)


def _staged_and_verified(archive: Path, staging: Path) -> Manifest:
    """Every hash checked, and the archive restorable here (same database backend)."""
    manifest, found = extract_to_staging(archive, staging)
    verify(manifest, found)
    _check_backend(manifest)
    if manifest.database_backend == "sqlite":
        # The manifest could have been edited along with nothing else: check it against the
        # database it describes before trusting its revision and counts.
        revision, counts = databases.sqlite_file_facts(staging / manifest.database_file)
        if (revision, counts) != (manifest.alembic_revision, manifest.record_counts):
            raise ArchiveRejected(
                "El manifiesto no corresponde a la base de datos del respaldo. No se restauró nada."
            )
    return manifest


def _check_backend(manifest: Manifest) -> None:
    backend = databases.backend_of(db.engine)
    if manifest.database_backend != backend:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"El respaldo es de una base {names.get(manifest.database_backend, manifest.database_backend)} "
            f"y esta instalación usa {names[backend]}: no se restaura entre motores distintos. "
            "Restáurelo en una instalación del mismo motor."
        )


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.get_config())


def _needs_upgrade(archive_revision: str) -> bool:
    """False when the archive is at the code's head, True when older; refuses a revision the
    code does not know (the archive comes from a newer fieldapp)."""
    script = _script()
    revisions = set(archive_revision.split(","))
    for revision in revisions:
        try:
            known = script.get_revision(revision) is not None
        except (RevisionError, CommandError):
            known = False
        if not known:
            raise BackupError(
                f"El respaldo viene de una versión más nueva de fieldapp (revisión {revision} de la base "
                "de datos, desconocida para este código). Actualice fieldapp y vuelva a intentarlo."
            )
    return revisions != set(script.get_heads())


def _ensure_empty(media_root: Path) -> None:
    counts = databases.record_counts(db.engine)
    if any(counts.values()):
        # A migrated install is still empty: rows the migrations themselves insert (the change
        # feed's clock, for one) are not data anybody could lose.
        seeded = rows_of_a_fresh_install()
        counts = {table: count for table, count in counts.items() if count > seeded.get(table, 0)}
    busy = [table for table, count in counts.items() if count]
    media = sum(1 for _ in media_files(media_root))
    if busy or media:
        parts = []
        if busy:
            parts.append(f"{sum(counts[t] for t in busy)} registros en {', '.join(busy)}")
        if media:
            parts.append(f"{media} archivos en {media_root}")
        raise TargetNotEmpty(
            f"La instalación destino ya tiene datos ({'; '.join(parts)}). No se restauró nada. "
            "Use --force para reemplazarlos."
        )


def rows_of_a_fresh_install() -> dict[str, int]:
    """Rows per table right after `fieldapp db upgrade` on an empty database, found by
    migrating a scratch SQLite file (the migrations insert the same rows on both backends)."""
    from fieldapp import create_app  # late: the factory imports every feature

    with tempfile.TemporaryDirectory(prefix="fieldapp-fresh-") as scratch:
        app = create_app({
            "FIELDAPP_ENV": current_app.config["FIELDAPP_ENV"],
            "SECRET_KEY": current_app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(scratch) / 'fresh.sqlite3'}",
            "MEDIA_ROOT": str(Path(scratch) / "media"),
        })
        with app.app_context():
            try:
                alembic_command.upgrade(migrate.get_config(), "heads")
                return databases.record_counts(db.engine)
            finally:
                db.engine.dispose()


def _restore_media(staging: Path, manifest: Manifest, media_root: Path) -> tuple[int, int]:
    written = present = 0
    root = media_root.resolve()
    for entry in manifest.media_files:
        relative = entry.path[len(MEDIA_DIR) + 1:]
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(root):  # a symlinked folder in the target
            raise BackupError(f"La carpeta de medios destino sale de {media_root}: {target.parent}.")
        if target.is_file() and sha256_of(target) == entry.sha256:
            present += 1
            continue
        # Written under a dot-name and renamed: never a half file under the real name.
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(staging / entry.path, partial)
        os.replace(partial, target)
        written += 1
    return written, present
