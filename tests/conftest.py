"""Test fixtures. The same suite runs on SQLite (default) and PostgreSQL:

    FIELDAPP_TEST_DATABASE=postgresql pytest

Each test gets a freshly migrated database with real commits (so tests may use threads,
subprocesses and live servers): on SQLite a copy of a migrated template file, on PostgreSQL one
migrated database per session, truncated after each test.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from fieldapp import create_app
from fieldapp.extensions import db
from tests.factories import Factory
from tests.live import LiveServer, failure_folder

BACKEND = os.environ.get("FIELDAPP_TEST_DATABASE", "sqlite")
PG_SERVER_URL = os.environ.get("FIELDAPP_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432")
PASSWORD = "clave-segura-1"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def pytest_report_header(config: pytest.Config) -> str:
    return f"fieldapp test database: {BACKEND}"


FAILED = pytest.StashKey[bool]()
# Web-first assertions wait for what the user would see; on CI's loaded 2 cores a page may take
# more than Playwright's default 5 s to get there. A passing assertion returns as soon as it holds.
expect.set_options(timeout=15_000)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """A failed test leaves screenshots of every page it had open (while they are still open)
    and, at teardown, its live server's log under test-artifacts/failures/ (printed by .ci/run)."""
    report = yield
    if report.failed:
        item.stash[FAILED] = True
        if report.when == "call":
            _screenshot_open_pages(item)
    return report


def _screenshot_open_pages(item: pytest.Item) -> None:
    funcargs = getattr(item, "funcargs", {})
    contexts = [getattr(funcargs.get("page"), "context", None),
                getattr(funcargs.get("phone"), "context", None)]
    pages = [p for context in contexts if context is not None for p in context.pages]
    for number, page in enumerate(pages):
        try:
            page.screenshot(path=str(failure_folder(item.nodeid) / f"page-{number}.png"),
                            full_page=True, timeout=10_000)
            (failure_folder(item.nodeid) / f"page-{number}.url").write_text(page.url)
        except Exception as error:  # a crashed page must not hide the test's own failure
            (failure_folder(item.nodeid) / f"page-{number}.error").write_text(repr(error))


def _migrate(url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    app = create_app({"FIELDAPP_ENV": "test", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "test", "MEDIA_ROOT": str(instance / "media")})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(f"{PG_SERVER_URL}/postgres", isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite: path of a migrated template file. PostgreSQL: URL of a migrated database."""
    base = tmp_path_factory.mktemp("db")
    if BACKEND == "sqlite":
        template = base / "template.sqlite3"
        _migrate(f"sqlite:///{template}", base)
        yield str(template)
        return
    if BACKEND != "postgresql":
        raise pytest.UsageError("FIELDAPP_TEST_DATABASE must be sqlite or postgresql")
    name = f"fieldapp_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{PG_SERVER_URL}/{name}"
    _migrate(url, base)
    yield url
    _forget_cleaner(url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_cleaners: dict[str, tuple[object, str]] = {}


def _empty_all(url: str) -> None:
    """Empties every table and restarts the sequences a test used, as a fresh migrated database.
    DELETE rather than TRUNCATE: TRUNCATE of every table gives each a new file on disk, about a
    second per test on this machine, most of the PostgreSQL suite's time. The replica role skips
    the foreign keys' and the append-only triggers while the whole database is emptied at once;
    one round trip for all the tables."""
    if url not in _cleaners:
        engine = create_engine(url)
        with engine.connect() as conn:
            tables = conn.scalars(text(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'")).all()
        _cleaners[url] = (engine, "; ".join(f"DELETE FROM {t}" for t in tables))
    engine, delete_all = _cleaners[url]
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica; " + delete_all)
        used = conn.scalars(text(
            "SELECT quote_ident(sequencename) FROM pg_sequences "
            "WHERE schemaname = 'public' AND last_value IS NOT NULL")).all()
        if used:
            conn.exec_driver_sql("; ".join(f"ALTER SEQUENCE {s} RESTART" for s in used))


def _forget_cleaner(url: str) -> None:
    engine, _ = _cleaners.pop(url, (None, ""))
    if engine is not None:
        engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    if BACKEND == "sqlite":
        copy = tmp_path / "fieldapp.sqlite3"
        shutil.copyfile(migrated_database, copy)
        yield f"sqlite:///{copy}"
        return
    yield migrated_database
    _empty_all(migrated_database)


def make_test_app(database_url: str, tmp_path: Path, **overrides: object) -> Flask:
    config = {
        "FIELDAPP_ENV": "test",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_test_app(database_url, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def live_server(database_url: str, tmp_path: Path, app: Flask,
                request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The app behind a real HTTP server thread, CSRF on, for browsers and HTTP clients; its
    request log is kept when the test fails."""
    served = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    server = LiveServer(served, log_path=tmp_path / "server.log")
    server.start()
    yield server
    server.stop()
    server.close_log()
    if request.node.stash.get(FAILED, False):
        shutil.copyfile(tmp_path / "server.log", failure_folder(request.node.nodeid) / "server.log")
    with served.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(password=PASSWORD)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        return self._client.post("/entrar", data={"username": username, "password": password})

    def logout(self):  # type: ignore[no-untyped-def]
        return self._client.post("/salir")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture(scope="session")
def base_url() -> None:
    """pytest-base-url's own fixture trips pytest's deprecation of session fixtures defined as
    methods (an error under filterwarnings=error); tests build URLs from live_server.url."""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": CHROMIUM_ARGS}
