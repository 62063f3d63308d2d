"""Restore trusts nothing in the archive: every hash is verified and every member name checked
before anything is written outside a private staging folder."""

from __future__ import annotations

import gzip
import os
import tarfile
import tempfile
import uuid
from pathlib import Path

import pytest

from fieldapp.backup.archive import ArchiveRejected, safe_member_name
from fieldapp.backup.services import check_archive, restore_backup
from tests.backup.helpers import read_members, rehash, rewrite_manifest, write_members
from tests.conftest import BACKEND


def _staging_folders() -> set[str]:
    return {p for p in os.listdir(tempfile.gettempdir()) if p.startswith("fieldapp-restore-")}


@pytest.fixture
def restore_into_new_install(new_install, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Restores in-process into a brand-new install and returns (install, outcome), where the
    outcome is the exception raised, if any; checks the staging folder was cleaned up."""
    # A temporary folder of this test's own: another suite on the machine restores too.
    private_temp = tmp_path / "temp"
    private_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))

    def restore(archive: Path):  # type: ignore[no-untyped-def]
        target = new_install()
        app = target.app(tmp_path)
        before = _staging_folders()
        with app.app_context():
            try:
                restore_backup(archive)
                outcome = None
            except ArchiveRejected as exc:
                outcome = exc
            finally:
                from fieldapp.extensions import db

                db.engine.dispose()
        assert _staging_folders() == before
        return target, outcome

    return restore


def _assert_untouched(target) -> None:  # type: ignore[no-untyped-def]
    assert target.table_names() == []
    assert not target.media_root.exists()
    if BACKEND == "sqlite":
        assert not Path(target.url.removeprefix("sqlite:///")).exists()


def _flip_one_byte(data: bytes) -> bytes:
    return data[:10] + bytes([data[10] ^ 0x01]) + data[11:]


def test_the_untampered_archive_restores(small_archive, restore_into_new_install):
    target, outcome = restore_into_new_install(small_archive)
    assert outcome is None
    assert len(list(target.media_root.rglob("*/*"))) == 3


@pytest.mark.parametrize("member", ["media", "database"])
def test_one_changed_byte_is_refused_before_anything_is_written(small_archive, restore_into_new_install,
                                                                tmp_path, member):
    members = read_members(small_archive)
    [name] = [i.name for i, _ in members if i.name.startswith(member + "/")][:1]
    tampered = write_members(tmp_path / "alterado.tar.gz", [
        (info, _flip_one_byte(data) if info.name == name else data) for info, data in members])

    target, outcome = restore_into_new_install(tampered)

    assert isinstance(outcome, ArchiveRejected)
    assert f"{name} no coincide con su huella SHA-256" in str(outcome)
    assert "No se restauró nada" in str(outcome)
    _assert_untouched(target)
    with pytest.raises(ArchiveRejected):
        check_archive(tampered)


def test_a_missing_and_an_unlisted_file_are_refused(small_archive, restore_into_new_install, tmp_path):
    members = read_members(small_archive)
    media = [i.name for i, _ in members if i.name.startswith("media/")]
    kept = [(i, d) for i, d in members if i.name != media[0]]
    extra = tarfile.TarInfo("media/zz/intruso")
    archive = write_members(tmp_path / "incompleto.tar.gz", [(extra, b"no listado"), *kept])

    target, outcome = restore_into_new_install(archive)

    assert isinstance(outcome, ArchiveRejected)
    assert f"falta {media[0]}" in str(outcome)
    assert "media/zz/intruso no está en el manifiesto" in str(outcome)
    _assert_untouched(target)


@pytest.mark.parametrize("evil", ["../escape-{tag}.txt", "/tmp/escape-{tag}.txt",
                                  "media/../../escape-{tag}.txt", "media/ab/../../../escape-{tag}.txt",
                                  "./media/escape-{tag}", "otra/escape-{tag}"])
def test_path_traversal_members_are_refused(small_archive, restore_into_new_install, tmp_path, evil):
    tag = uuid.uuid4().hex[:8]
    name = evil.format(tag=tag)
    payload = b"escaped"
    # Forged with care: the manifest lists the member with its true hash.
    members = rewrite_manifest(read_members(small_archive), lambda m: (
        m["files"].append({"path": name, "sha256": "0" * 64, "size": 0}), rehash(m, name, payload)))
    archive = write_members(tmp_path / "traversal.tar.gz", [(tarfile.TarInfo(name), payload), *members])

    target, outcome = restore_into_new_install(archive)

    assert isinstance(outcome, ArchiveRejected)
    _assert_untouched(target)
    # Where each name would land if resolved against the staging folder or the media folder.
    escaped = [p for p in (Path(tempfile.gettempdir()), Path("/tmp"), tmp_path, tmp_path.parent)
               if list(p.glob(f"escape-{tag}*")) or list(p.glob(f"*/escape-{tag}*"))]
    assert escaped == []


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_links_are_refused(small_archive, restore_into_new_install, tmp_path, kind):
    link = tarfile.TarInfo("media/ab/enlace")
    link.type, link.linkname = kind, "/etc/passwd" if kind == tarfile.SYMTYPE else "manifest.json"
    archive = write_members(tmp_path / "enlace.tar.gz", [(link, b""), *read_members(small_archive)])

    target, outcome = restore_into_new_install(archive)

    assert isinstance(outcome, ArchiveRejected)
    assert "enlace" in str(outcome)
    _assert_untouched(target)


def test_a_traversal_path_in_the_manifest_is_refused(small_archive, restore_into_new_install, tmp_path):
    members = rewrite_manifest(read_members(small_archive), lambda m: m["files"].append(
        {"path": "media/../../fuera", "sha256": "0" * 64, "size": 1}))
    target, outcome = restore_into_new_install(write_members(tmp_path / "m.tar.gz", members))
    assert isinstance(outcome, ArchiveRejected)
    assert "ruta no permitida" in str(outcome)
    _assert_untouched(target)


@pytest.mark.skipif(BACKEND != "sqlite", reason="only an SQLite copy can be read before restoring")
def test_a_manifest_that_lies_about_the_database_is_refused(small_archive, restore_into_new_install,
                                                            tmp_path):
    members = rewrite_manifest(read_members(small_archive),
                               lambda m: m["record_counts"].update(debtors=999))
    target, outcome = restore_into_new_install(write_members(tmp_path / "m.tar.gz", members))
    assert isinstance(outcome, ArchiveRejected)
    assert "El manifiesto no corresponde a la base de datos" in str(outcome)
    _assert_untouched(target)


@pytest.mark.parametrize("content", [b"esto no es un respaldo", gzip.compress(b"ni esto tampoco")])
def test_a_file_that_is_not_an_archive_is_refused(restore_into_new_install, tmp_path, content):
    path = tmp_path / "falso.tar.gz"
    path.write_bytes(content)
    target, outcome = restore_into_new_install(path)
    assert isinstance(outcome, ArchiveRejected)
    assert "No se restauró nada" in str(outcome)
    _assert_untouched(target)


@pytest.mark.parametrize("name", ["manifest.json", "database/fieldapp.sqlite3", "media/ab/abcdef",
                                  "media/thumbs/ab/abcdef.jpg"])
def test_safe_member_names_are_accepted(name):
    assert str(safe_member_name(name)) == name


@pytest.mark.parametrize("name", ["", "/etc/passwd", "../x", "media/../x", "media/./x", "media//x",
                                  "media\\..\\x", "media", "notes.txt", "other/x", "media/x\x00y"])
def test_unsafe_member_names_are_refused(name):
    with pytest.raises(ArchiveRejected):
        safe_member_name(name)
