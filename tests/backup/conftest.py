"""Fixtures for backup and restore: brand-new empty installs to restore into, the install the
`app` fixture runs on, and a small archive of it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from tests.backup.helpers import Install, put_media
from tests.conftest import BACKEND, PG_SERVER_URL, _admin_engine


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
