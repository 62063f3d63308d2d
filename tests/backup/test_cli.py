"""Exit codes and messages of the real `fieldapp backup` / `fieldapp restore` console script:
0 when done, 1 when refused (with the reason in Spanish), 2 for a wrong command line."""

from __future__ import annotations

import sqlite3
import tarfile

import pytest

from fieldapp.backup.archive import BackupError
from fieldapp.backup.databases import find_pg_tool
from tests.backup.helpers import read_members, rehash, rewrite_manifest, write_members
from tests.conftest import BACKEND


def test_backup_then_check_then_restore(source, small_archive, new_install, tmp_path):
    backup = source.fieldapp("backup", "--output", str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    [archive] = tmp_path.glob("fieldapp-backup-*.tar.gz")
    assert f"Respaldo creado: {archive}" in backup.stdout
    assert "Archivos de medios: 3" in backup.stdout

    check = source.fieldapp("restore", "--check", str(archive))
    assert check.returncode == 0, check.stderr
    assert "Respaldo íntegro" in check.stdout

    target = new_install()
    restore = target.fieldapp("restore", str(archive))
    assert restore.returncode == 0, restore.stderr
    assert "Medios: 3 escritos, 0 ya presentes" in restore.stdout


def test_restore_refuses_an_install_with_data_unless_forced(source, small_archive, new_install):
    target = new_install()
    assert target.fieldapp("restore", str(small_archive)).returncode == 0

    again = target.fieldapp("restore", str(small_archive))
    assert again.returncode == 1
    assert "La instalación destino ya tiene datos" in again.stderr
    assert "Use --force" in again.stderr

    forced = target.fieldapp("restore", "--force", str(small_archive))
    assert forced.returncode == 0, forced.stderr
    assert "Medios: 0 escritos, 3 ya presentes" in forced.stdout


def test_restore_into_a_migrated_empty_install_needs_no_force(source, small_archive, new_install):
    """What a container does on first start: migrate, then the operator restores."""
    target = new_install()
    assert target.fieldapp("db", "upgrade").returncode == 0
    restore = target.fieldapp("restore", str(small_archive))
    assert restore.returncode == 0, restore.stderr


def test_a_tampered_archive_exits_1_and_says_why(source, small_archive, new_install, tmp_path):
    members = read_members(small_archive)
    tampered = write_members(tmp_path / "alterado.tar.gz", [
        (info, data[:-1] + bytes([data[-1] ^ 0xFF]) if info.name.startswith("media/") else data)
        for info, data in members])
    target = new_install()
    for args in (["--check"], []):
        result = target.fieldapp("restore", *args, str(tampered))
        assert result.returncode == 1
        assert "El respaldo está dañado o fue alterado" in result.stderr
    assert target.table_names() == []


def test_an_archive_from_newer_code_is_refused(source, small_archive, new_install, tmp_path):
    newer = "ffffffffffff"
    members = read_members(small_archive)
    if BACKEND == "sqlite":  # the copy inside says so too, or the manifest would not match it
        [(info, data)] = [(i, d) for i, d in members if i.name.startswith("database/")]
        copy = tmp_path / "copia.sqlite3"
        copy.write_bytes(data)
        with sqlite3.connect(copy) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (newer,))
        conn.close()
        data = copy.read_bytes()
        members = [(i, data if i.name == info.name else d) for i, d in members]
        members = rewrite_manifest(members, lambda m: rehash(m, info.name, data))
    members = rewrite_manifest(members, lambda m: m.update(alembic_revision=newer))
    archive = write_members(tmp_path / "nuevo.tar.gz", members)

    result = new_install().fieldapp("restore", str(archive))

    assert result.returncode == 1
    assert "versión más nueva de fieldapp" in result.stderr
    assert newer in result.stderr


def test_an_archive_of_the_other_backend_is_refused(source, small_archive, new_install, tmp_path):
    other = "postgresql" if BACKEND == "sqlite" else "sqlite"
    members = rewrite_manifest(read_members(small_archive),
                               lambda m: m["database"].update(backend=other))
    archive = write_members(tmp_path / "otro.tar.gz", members)
    result = new_install().fieldapp("restore", str(archive))
    assert result.returncode == 1
    assert "no se restaura entre motores distintos" in result.stderr


def test_command_line_mistakes_exit_2(source, tmp_path):
    missing = source.fieldapp("restore", str(tmp_path / "no-existe.tar.gz"))
    assert missing.returncode == 2
    assert source.fieldapp("restore").returncode == 2


def test_backup_never_overwrites(source, small_archive):
    result = source.fieldapp("backup", "--output", str(small_archive))
    assert result.returncode == 1
    assert "Ya existe" in result.stderr


def test_two_backups_in_the_same_second_get_two_names(app, source, tmp_path):
    from datetime import UTC, datetime

    from fieldapp.backup.services import archive_destination

    moment = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    first = archive_destination(tmp_path, moment)
    first.write_bytes(b"")
    assert first.name == "fieldapp-backup-20261122T080000Z.tar.gz"
    assert archive_destination(tmp_path, moment).name == "fieldapp-backup-20261122T080000Z-2.tar.gz"
    assert archive_destination(str(tmp_path / "nueva") + "/", moment).parent == tmp_path / "nueva"


def test_a_missing_pg_dump_is_reported_clearly(tmp_path):
    with pytest.raises(BackupError, match="No se encontró pg_dump: instale el cliente de PostgreSQL"):
        find_pg_tool("pg_dump", search_path=str(tmp_path), fallback_glob=str(tmp_path / "*" / "bin"))
    newest = tmp_path / "16" / "bin" / "pg_dump"
    for version in ("9", "16"):
        tool = tmp_path / version / "bin" / "pg_dump"
        tool.parent.mkdir(parents=True)
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
    assert find_pg_tool("pg_dump", search_path="", fallback_glob=str(tmp_path / "*" / "bin")) == str(newest)


def test_the_archive_layout(small_archive):
    with tarfile.open(small_archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json"
    assert names[0] in ("database/fieldapp.sqlite3", "database/fieldapp.pgdump")
    assert all(n.startswith("media/") for n in names[1:-1]) and len(names) == 5
