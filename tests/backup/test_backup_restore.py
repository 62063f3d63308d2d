"""A backup taken while the app is serving and writing restores into an empty install with the
same records and media; an older archive is migrated after restore."""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from werkzeug.serving import make_server

from fieldapp.audit.models import AuditEvent
from fieldapp.auth.models import LoginAttempt
from fieldapp.extensions import db
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import Debtor
from tests.backup.helpers import Install, Writer, http_logins, put_media, table_rows
from tests.conftest import PASSWORD
from tests.factories import Factory


def _seed(factory: Factory, media_root: Path) -> tuple[str, set[str]]:
    """A few hundred rows and some media; returns a supervisor's user name and the media's
    paths relative to the media folder."""
    office = factory.office(name="Subdelegación Guadalajara Reforma")
    sectors = [factory.sector(office) for _ in range(3)]
    field_users = [factory.user(office, role=role) for role in ("notifier", "notifier", "executor")]
    factory.user(office, role="supervisor", username="jefe-respaldo")
    for n in range(60):  # 7 rows each: debtor, registration, address, credit, document, link, assignment
        factory.portfolio_item(office, user=field_users[n % 3], sector=sectors[n % 3])
    shas = [put_media(media_root, os.urandom(1024 + n * 97)) for n in range(25)]
    media = {f"{sha[:2]}/{sha}" for sha in shas}
    thumb = put_media(media_root / "thumbs", b"thumbnail bytes")  # nested folders are kept too
    return "jefe-respaldo", media | {f"thumbs/{thumb[:2]}/{thumb}"}


def _direct_debtors(app: Flask, office_id: int) -> Callable[[int], None]:
    """A debtor and its employer registration per transaction, plus a new media file."""
    factory = Factory(password=PASSWORD)

    def write(n: int) -> None:
        with app.app_context():
            office = db.session.get(Office, office_id)
            factory.debtor(office, legal_name=f"Alta concurrente {n} SA de CV")
            db.session.remove()
        put_media(Path(app.config["MEDIA_ROOT"]), f"evidencia concurrente {n}".encode() * 50)

    return write


def test_a_backup_taken_while_serving_restores_into_an_empty_install(
        app, factory, source: Install, new_install, tmp_path):
    username, seeded_media = _seed(factory, source.media_root)
    office_id = db.session.scalar(select(Debtor.office_id).limit(1))
    before = table_rows(source.url)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    writers = [Writer(http_logins(f"http://127.0.0.1:{server.server_port}", username)),
               Writer(_direct_debtors(app, office_id))]
    try:
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.wait_for(3)
        backup = source.fieldapp("backup", "--output", str(tmp_path / "respaldos") + "/")
        counts_at_backup_end = [w.count for w in writers]
        for writer, count in zip(writers, counts_at_backup_end, strict=True):
            writer.wait_for(count + 3)  # still writing after the backup finished
    finally:
        for writer in writers:
            writer.stop.set()
        for writer in writers:
            writer.join(timeout=60)
        server.shutdown()
        serving.join(timeout=10)
    assert all(w.error is None for w in writers), [w.error for w in writers]
    assert backup.returncode == 0, backup.stderr
    assert "Respaldo creado:" in backup.stdout
    [archive] = (tmp_path / "respaldos").glob("fieldapp-backup-*.tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600  # personal data: owner only
    after = table_rows(source.url)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]

    target = new_install()
    restore = target.fieldapp("restore", str(archive))
    assert restore.returncode == 0, restore.stderr
    restored = table_rows(target.url)

    # Same tables and, per table, exactly the row count the manifest says was captured.
    assert set(restored) == set(before)
    assert {t: len(rows) for t, rows in restored.items() if t != "alembic_version"} == \
        manifest["record_counts"]
    # Every row is one the source really had: nothing before the backup is lost, nothing
    # altered, and the archive holds a moment in between (writes kept coming after it).
    for table in restored:
        assert before[table] <= restored[table] <= after[table], table
    assert len(restored["login_attempts"]) >= 3 and len(restored["debtors"]) >= len(before["debtors"]) + 3
    assert len(after["login_attempts"]) > len(restored["login_attempts"])
    assert len(after["debtors"]) > len(restored["debtors"])
    assert sum(manifest["record_counts"].values()) > 400

    # Transactions were captured whole: each login wrote an attempt and an audit event, each
    # concurrent debtor its registration, in one commit.
    engine = create_engine(target.url)
    with engine.connect() as conn:
        logins = conn.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.succeeded))
        login_events = conn.scalar(select(func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.action == "login"))
        orphans = conn.scalar(text("SELECT count(*) FROM debtors d WHERE NOT EXISTS "
                                   "(SELECT 1 FROM employer_registrations r WHERE r.debtor_id = d.id)"))
        revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    engine.dispose()
    assert logins == login_events >= 3
    assert orphans == 0
    assert revision == manifest["alembic_revision"]

    # Media: every file the manifest lists is restored with its hash; content addressing holds.
    listed = {e["path"].removeprefix("media/"): e
              for e in manifest["files"] if e["path"].startswith("media/")}
    restored_media = {p.relative_to(target.media_root).as_posix(): p
                      for p in target.media_root.rglob("*") if p.is_file()}
    assert set(restored_media) == set(listed)
    for relative, path in restored_media.items():
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == listed[relative]["sha256"]
        assert len(data) == listed[relative]["size"]
        if not relative.startswith("thumbs/"):
            assert path.name == listed[relative]["sha256"]
    assert seeded_media <= set(listed)
    assert not any(Path(p).name.startswith(".") for p in listed)  # uploads in flight are left out


def test_an_older_archive_is_migrated_after_restore(app, new_install, tmp_path):
    from alembic import command
    from alembic.script import ScriptDirectory

    from fieldapp.extensions import migrate

    script = ScriptDirectory.from_config(migrate.get_config())
    [head] = script.get_heads()
    previous = script.get_revision(head).down_revision
    if previous is None:
        pytest.skip("only one migration exists: no older revision to restore from")
    older = new_install()
    with older.app(tmp_path).app_context():
        command.upgrade(migrate.get_config(), previous)
        db.engine.dispose()
    put_media(older.media_root, b"foto de una diligencia")
    backup = older.fieldapp("backup", "--output", str(tmp_path / "viejo.tar.gz"))
    assert backup.returncode == 0, backup.stderr

    target = new_install()
    restore = target.fieldapp("restore", str(tmp_path / "viejo.tar.gz"))
    assert restore.returncode == 0, restore.stderr
    assert f"migrada a la revisión {head}" in restore.stdout
    engine = create_engine(target.url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head
    engine.dispose()
    assert set(target.table_names()) >= set(db.metadata.tables)
