"""Helpers for the backup tests: an install (database + media folder) driven through the real
`fieldapp` console script, writers that keep writing, and archive surgery."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, inspect, text

from tests.conftest import PASSWORD, make_test_app

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





class Writer(threading.Thread):
    """Keeps writing until stopped; counts its writes so the test can wait for progress."""

    def __init__(self, write: Callable[[int], None]) -> None:
        super().__init__(daemon=True)
        self._write = write
        self.stop = threading.Event()
        self.count = 0
        self.error: BaseException | None = None
        self._progress = threading.Condition()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self._write(self.count)
                with self._progress:
                    self.count += 1
                    self._progress.notify_all()
        except BaseException as exc:  # reported by the test, never swallowed
            self.error = exc
            with self._progress:
                self._progress.notify_all()

    def wait_for(self, count: int) -> None:
        with self._progress:
            assert self._progress.wait_for(lambda: self.count >= count or self.error, timeout=60)
        assert self.error is None, self.error


def http_logins(base_url: str, username: str, password: str = PASSWORD) -> Callable[[int], None]:
    """Each successful login writes a login attempt and an audit event in one transaction."""
    body = urllib.parse.urlencode({"username": username, "password": password}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def login(_: int) -> None:
        try:
            opener.open(f"{base_url}/entrar", data=body, timeout=30)
        except urllib.error.HTTPError as exc:
            assert exc.code == 302, exc.code  # logged in and sent home

    return login


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
