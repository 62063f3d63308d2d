"""Fixtures for backup and restore: fresh empty installs to restore into, the real `fieldapp`
console script, and helpers that take archives apart and put them back together."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text

from tests.conftest import BACKEND, PG_SERVER_URL, _admin_engine, make_test_app

FIELDAPP = str(Path(sys.executable).with_name("fieldapp"))


@dataclass(frozen=True)
class Install:
    """Where an install keeps its data: a database URL and a media folder."""

    url: str
    media_root: Path

    def app(self, tmp_path: Path) -> Flask:
        return make_test_app(self.url, tmp_path, MEDIA_ROOT=str(self.media_root))

    def env(self) -> dict[str, str]:
        return {**os.environ, "FIELDAPP_ENV": "test", "SECRET_KEY": "test-secret",
                "DATABASE_URL": self.url, "MEDIA_ROOT": str(self.media_root)}

    def fieldapp(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Runs the real console script against this install, as an operator would."""
        return subprocess.run([FIELDAPP, *args], env=self.env(), cwd=cwd, capture_output=True,
                              text=True, timeout=300, check=False)

    def table_names(self) -> list[str]:
        if self.url.startswith("sqlite") and not Path(self.url.removeprefix("sqlite:///")).exists():
            return []
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return inspect(conn).get_table_names()
        finally:
            engine.dispose()


@pytest.fixture
def new_install(tmp_path: Path) -> Iterator[Callable[[], Install]]:
    """Makes brand-new empty installs: a new SQLite file that does not exist yet, or a new
    PostgreSQL database with no tables; and an empty media folder that does not exist yet."""
    created: list[str] = []

    def make() -> Install:
        tag = uuid.uuid4().hex[:8]
        media = tmp_path / f"install-{tag}" / "media"
        if BACKEND == "sqlite":
            media.parent.mkdir()  # the instance folder, as create_app makes it
            return Install(f"sqlite:///{media.parent / 'fieldapp.sqlite3'}", media)
        name = f"fieldapp_restore_{os.getpid()}_{tag}"
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        created.append(name)
        return Install(f"{PG_SERVER_URL}/{name}", media)

    yield make
    if created:
        admin = _admin_engine()
        with admin.connect() as conn:
            for name in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def source(app: Flask, database_url: str) -> Install:
    """The install the `app` fixture runs on."""
    return Install(database_url, Path(app.config["MEDIA_ROOT"]))


def put_media(media_root: Path, content: bytes) -> str:
    """Stores a content-addressed file the way the app does (media/<sha[:2]>/<sha>), written
    under a dot-name and renamed, and returns its hash."""
    sha = hashlib.sha256(content).hexdigest()
    folder = media_root / sha[:2]
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{sha}.{uuid.uuid4().hex[:6]}"
    partial.write_bytes(content)
    os.replace(partial, folder / sha)
    return sha


def read_members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive, "r:gz") as tar:
        return [(m, tar.extractfile(m).read() if m.isreg() else b"") for m in tar]  # type: ignore[union-attr]


def write_members(archive: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(archive, "w:gz") as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return archive


def rewrite_manifest(members: list[tuple[tarfile.TarInfo, bytes]],
                     change: Callable[[dict], None]) -> list[tuple[tarfile.TarInfo, bytes]]:
    out = []
    for info, data in members:
        if info.name == "manifest.json":
            manifest = json.loads(data)
            change(manifest)
            data = json.dumps(manifest).encode()
        out.append((info, data))
    return out


def rehash(manifest: dict, path: str, data: bytes) -> None:
    """Makes the manifest agree with new content for `path` (an archive forged with care)."""
    for entry in manifest["files"]:
        if entry["path"] == path:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["size"] = len(data)


def table_rows(url: str) -> dict[str, set[str]]:
    """Every row of every table (Alembic's included), as JSON text so rows can be compared."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            quote = conn.dialect.identifier_preparer.quote
            return {
                table: {
                    json.dumps(list(row), default=str)
                    for row in conn.execute(text(f"SELECT * FROM {quote(table)}"))
                }
                for table in inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()


@pytest.fixture
def small_archive(app: Flask, factory, source: Install, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """An archive of an install with a few rows and three media files (made in-process)."""
    from fieldapp.backup.services import create_backup

    office = factory.office()
    user = factory.user(office)
    for _ in range(2):
        factory.portfolio_item(office, user=user)
    for n in range(3):
        put_media(source.media_root, f"foto {n}".encode() * 200)
    return create_backup(tmp_path / "respaldo.tar.gz").path
