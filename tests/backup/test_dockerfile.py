"""The Docker image, checked without a Docker engine (none runs here): the Dockerfile is parsed
for the essentials, and its entrypoint script is run for real against a fresh database."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from fnmatch import fnmatch
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from fieldapp import create_app

REPO = Path(__file__).resolve().parents[2]
ENTRYPOINT = REPO / "docker" / "entrypoint.py"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for line in (REPO / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        pending += " " + stripped.removesuffix("\\")
        if not stripped.endswith("\\"):
            keyword, _, args = pending.strip().partition(" ")
            result.append((keyword.upper(), args.strip()))
            pending = ""
    return result


def of(keyword: str) -> list[str]:
    return [args for kw, args in instructions() if kw == keyword]


def exec_form(args: str) -> list[str]:
    return json.loads(args) if args.startswith("[") else shlex.split(args)


def test_base_image_is_python_311_slim():
    assert instructions()[0] == ("FROM", "python:3.11-slim")
    assert len(of("FROM")) == 1


def test_the_app_runs_as_an_unprivileged_user():
    kinds = [kw for kw, _ in instructions()]
    [user] = of("USER")
    assert user not in ("root", "0") and not user.startswith(("root:", "0:"))
    assert any("useradd" in run and user in run for run in of("RUN"))
    last_run = max(i for i, kw in enumerate(kinds) if kw == "RUN")
    assert kinds.index("USER") > last_run  # nothing after it runs as root
    assert kinds.index("USER") < kinds.index("ENTRYPOINT")


def test_entrypoint_migrates_then_serves_with_gunicorn():
    [entrypoint] = of("ENTRYPOINT")
    assert exec_form(entrypoint) == ["python", "/app/docker/entrypoint.py"]
    assert exec_form(of("CMD")[0]) == ["serve"]
    source = ENTRYPOINT.read_text()
    # Migrations run before the process becomes gunicorn (exec: gunicorn is PID 1).
    assert source.index("run_migrations(") < source.index('"-m", "gunicorn"')
    assert "os.execv(sys.executable" in source and '"fieldapp:create_app()"' in source


def test_secrets_come_from_the_environment_not_the_image():
    env = " ".join(of("ENV")) + " " + " ".join(of("ARG"))
    assert "SECRET_KEY" not in env and "DATABASE_URL" not in env
    assert "FIELDAPP_ENV=production" in env  # so a missing SECRET_KEY refuses to start


def test_media_live_on_a_volume_and_a_healthcheck_calls_salud():
    [volume] = of("VOLUME")
    volumes = exec_form(volume)
    media = next(a for a in " ".join(of("ENV")).split() if a.startswith("MEDIA_ROOT="))
    assert any(media.removeprefix("MEDIA_ROOT=").startswith(v.rstrip("/") + "/") for v in volumes)
    [healthcheck] = of("HEALTHCHECK")
    assert "/salud" in healthcheck
    assert "postgresql-client" in " ".join(of("RUN"))  # pg_dump for `fieldapp backup`


def test_templates_and_static_reach_the_image_next_to_the_package():
    """create_app() looks for ../templates and ../static beside fieldapp/: the image copies the
    whole tree to /app and installs it in place, so they are where it looks."""
    app = create_app({"FIELDAPP_ENV": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert Path(app.root_path, app.template_folder).resolve() == REPO / "templates"
    assert Path(app.root_path, app.static_folder).resolve() == REPO / "static"
    assert "/app" in of("WORKDIR")
    assert ". /app" in of("COPY")
    assert any("pip install" in run and "-e ." in run for run in of("RUN"))
    # The static JS/CSS are compressed once, by the build (docs/deploy.md, "Static files"); a
    # local build/ folder is not copied in, so the image's copies match its own files.
    assert any("python -m fieldapp.web.precompress /app/static /app/build/static-compressed" in run
               for run in of("RUN"))
    ignored = [p.strip() for p in (REPO / ".dockerignore").read_text().splitlines()
               if p.strip() and not p.startswith("#")]
    for needed in ("fieldapp", "templates", "static", "sync", "docker", "pyproject.toml",
                   "fieldapp/migrations/versions", "docker/entrypoint.py"):
        assert not any(fnmatch(needed, pattern) for pattern in ignored), needed
    for unwanted in (".venv", ".git", "instance", "media", "fieldapp.sqlite3", "build"):
        assert any(fnmatch(unwanted, pattern) for pattern in ignored), unwanted


# --- the entrypoint, run for real -------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(install, **extra: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FIELDAPP_ENV")}
    env.update(DATABASE_URL=install.url, MEDIA_ROOT=str(install.media_root), DB_WAIT_SECONDS="5",
               HOST="127.0.0.1", WEB_CONCURRENCY="1",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    env.update(extra)
    return env


def test_entrypoint_refuses_to_start_without_a_secret(new_install):
    install = new_install()
    result = subprocess.run([sys.executable, str(ENTRYPOINT)], env=_environment(install),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 78
    assert "configuración inválida" in result.stderr and "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert install.table_names() == []  # refused before migrating anything


def test_entrypoint_migrates_and_starts_gunicorn(new_install):
    from alembic.script import ScriptDirectory

    from fieldapp.extensions import migrate

    install = new_install()
    port = _free_port()
    process = subprocess.Popen([sys.executable, str(ENTRYPOINT)],
                               env=_environment(install, SECRET_KEY="s3cr3t-de-prueba", PORT=str(port)),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = _wait_for_health(f"http://127.0.0.1:{port}/salud", process)
        assert body == {"status": "ok"}
        app = create_app({"FIELDAPP_ENV": "test", "SQLALCHEMY_DATABASE_URI": install.url})
        with app.app_context():
            heads = set(ScriptDirectory.from_config(migrate.get_config()).get_heads())
        engine = create_engine(install.url)
        with engine.connect() as conn:
            assert set(conn.scalars(text("SELECT version_num FROM alembic_version"))) == heads
        engine.dispose()
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Running upgrade" in output and "Starting gunicorn" in output
    assert output.index("Running upgrade") < output.index("Starting gunicorn")


def test_entrypoint_runs_other_commands_as_given(new_install):
    result = subprocess.run([sys.executable, str(ENTRYPOINT), "fieldapp", "restore", "--help"],
                            env=_environment(new_install(), SECRET_KEY="x"),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "--force" in result.stdout


def _wait_for_health(url: str, process: subprocess.Popen) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the entrypoint exited with {process.returncode}: {process.stdout.read()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                assert response.status == 200
                return json.loads(response.read())
        except OSError:
            time.sleep(0.3)
    pytest.fail("gunicorn did not answer /salud within 60 s")
