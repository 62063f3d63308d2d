"""`fieldapp demo` and `fieldapp serve` really serve: each is started as its own process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from click.testing import CliRunner

from fieldapp.demo.commands import serve_command

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fieldapp() -> list[str]:
    script = shutil.which("fieldapp", path=os.path.dirname(sys.executable))
    assert script is not None, "the fieldapp console script is installed with the package"
    return [script]


def _stop(process: subprocess.Popen[str]) -> str:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    return process.communicate(timeout=20)[0]


@contextmanager
def running(args: list[str], env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = _free_port()
    # The code under test, whichever checkout it is in, not only the installed one.
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    process = subprocess.Popen([*_fieldapp(), *args, "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        yield port, process
    finally:
        _stop(process)


def _get(port: int, path: str, process: subprocess.Popen[str], timeout: float = 60.0) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"the server stopped:\n{_stop(process)}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_demo_serves_on_the_port_it_prints(app, database_url):
    # The demo seeds photos: into the test's media folder, not the checkout's instance/.
    env = {"DATABASE_URL": database_url, "MEDIA_ROOT": app.config["MEDIA_ROOT"]}
    with running(["demo"], env) as (port, process):
        status, page = _get(port, "/entrar", process)
        assert status == 200 and 'name="username"' in page
        output = _stop(process)
    assert f"Abra http://127.0.0.1:{port}/" in output
    assert "notificador1" in output and "contraseña de todos: demo-1234" in output


def test_serve_runs_gunicorn_with_the_environments_settings(app, database_url):
    env = {"DATABASE_URL": database_url, "FIELDAPP_ENV": "production", "SECRET_KEY": "s" * 32}
    with running(["serve", "--workers", "1", "--threads", "2"], env) as (port, process):
        status, page = _get(port, "/entrar", process)
        assert status == 200 and 'name="password"' in page
        output = _stop(process)
    assert "Booting worker" in output  # gunicorn's, not werkzeug's development server


def test_serve_refuses_production_without_a_secret(monkeypatch):
    monkeypatch.setenv("FIELDAPP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    result = CliRunner().invoke(serve_command, ["--port", str(_free_port())])
    assert result.exit_code != 0
    assert "SECRET_KEY is not set" in str(result.exception)
