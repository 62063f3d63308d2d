"""The real app served by a real server thread on 127.0.0.1 (a secure context, so service
workers run without TLS), stoppable and restartable on the same port (the only reliable dead
network across a browser restart, see ../shared/recipes/browser-tests.md), with a switch that
cuts photo uploads halfway, and a log of every request it served; and where browser tests leave
their screenshots and, when a test fails, its screenshots and server log (`failure_folder`)."""

from __future__ import annotations

import io
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from flask import Flask
from playwright.sync_api import Page
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# One folder per database, so the SQLite and PostgreSQL runs side by side never mix their files.
FAILURES = ARTIFACTS / "failures" / os.environ.get("FIELDAPP_TEST_DATABASE", "sqlite")


def failure_folder(nodeid: str) -> Path:
    """Where a failed test leaves what it saw: screenshots of its pages and its server's log."""
    folder = FAILURES / re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class ServerLog:
    """A live server's log: each request, what the phone's pages printed, the app's errors with
    their tracebacks. Written to a file (not to pytest's captured output): kept on failure."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._file = open(path, "a", encoding="utf-8") if path is not None else None  # noqa: SIM115
        self._app_handler: logging.Handler | None = None

    def info(self, message: str, *args: Any) -> None:
        self._write("INFO", message % args if args else message)

    def error(self, message: str, *args: Any) -> None:
        self._write("ERROR", message % args if args else message)

    def _write(self, level: str, text: str) -> None:
        if self._file is None:
            return
        stamp = datetime.now().strftime("%H:%M:%S.%f")[:-3]
        with self._lock:
            self._file.write(f"{stamp} {threading.current_thread().name} {level} {text}\n")
            self._file.flush()

    def follow(self, app: Flask) -> None:
        """Also keeps the app's own log records (errors with their tracebacks)."""
        if self.path is None:
            return
        self._app_handler = logging.FileHandler(self.path, encoding="utf-8")
        self._app_handler.setFormatter(logging.Formatter(
            "%(asctime)s.%(msecs)03d %(threadName)s %(levelname)s %(name)s %(message)s", "%H:%M:%S"))
        app.logger.addHandler(self._app_handler)
        self._app = app

    def close(self) -> None:
        if self._app_handler is not None:
            self._app.logger.removeHandler(self._app_handler)
            self._app_handler.close()
            self._app_handler = None
        if self._file is not None:
            self._file.close()
            self._file = None


class _LoggingHandler(WSGIRequestHandler):
    """Writes each request to the server's log (not to stderr): a failure keeps it as evidence."""

    def log(self, type: str, message: str, *args: Any) -> None:
        log: ServerLog | None = getattr(self.server, "request_log", None)
        if log is not None:
            (log.error if type == "error" else log.info)("%s %s", self.address_string(), message % args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.log("info", '"%s" %s %s', self.requestline, code, size)  # no terminal colours


class UploadCutter:
    """WSGI middleware: while `cutting`, every photo upload (PUT /api/sync/v1/media/…) has half
    of its body read and then its TCP connection torn down, as a dropping 3G link does. The
    app still sees the truncated request and must store nothing."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.cutting = False
        self.cut = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if (self.cutting and environ["REQUEST_METHOD"] == "PUT"
                and environ["PATH_INFO"].startswith("/api/sync/v1/media/")):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            half = environ["wsgi.input"].read(length // 2)
            environ["wsgi.input"] = io.BytesIO(half)  # the app gets what arrived, then EOF
            sock: socket.socket = environ["werkzeug.socket"]
            sock.shutdown(socket.SHUT_RDWR)
            with self.lock:
                self.cut += 1
        return self.app(environ, start_response)


class InFlight:
    """WSGI middleware counting the requests the app is handling, so that stopping the server can
    wait for them: a request thread still holding a database connection when the test disposes
    of the engine leaves that connection to the garbage collector, whose ResourceWarning then
    fails whichever test happens to be running (filterwarnings = error)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.idle:
            self.count += 1
        try:
            # Flask pops its app context (and gives back its connection) before returning.
            return self.app(environ, start_response)
        finally:
            with self.idle:
                self.count -= 1
                self.idle.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.count == 0, timeout)


class LiveServer:
    def __init__(self, app: Flask, log_path: Path | None = None) -> None:
        self.app = app
        self.cutter = UploadCutter(app)
        self.in_flight = InFlight(self.cutter)
        self.port = 0
        self.server: BaseWSGIServer | None = None
        self.thread: threading.Thread | None = None
        self.log = ServerLog(log_path)
        self.log.follow(app)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # Same port on a restart (HTTPServer sets SO_REUSEADDR): the phone's origin is the same.
        self.server = make_server("127.0.0.1", self.port, self.in_flight, threaded=True,
                                  request_handler=_LoggingHandler)
        self.server.request_log = self.log  # type: ignore[attr-defined]
        self.port = self.server.server_port
        self.log.info("serving on %s", self.url)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            assert self.thread is not None
            self.thread.join(10)
            self.server = None
            if not self.in_flight.wait_until_idle(30):
                self.log.error("stopped with %d request(s) still running", self.in_flight.count)
            self.log.info("stopped")

    def close_log(self) -> None:
        self.log.close()


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Serves ``directory`` as plain files on 127.0.0.1 (JS run in the browser without the app)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietFileHandler, directory=directory))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietFileHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def wait_for_async(page: Page, script: str, arg: Any = None, timeout: float = 30.0) -> Any:
    """Evaluates the async function `script` until it returns something truthy, and returns it.
    For conditions only an async browser API can answer (IndexedDB, Cache Storage): Playwright's
    wait_for_function does not await a promise, so it would take the promise itself for true."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:.0f} s: {script}")
        time.sleep(0.1)


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """Polls a server-side `condition` (seen from the test process) until it is truthy, while the
    browser works on its own: for facts only the server knows, such as an upload it received."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {timeout:.0f} s: {what}")
        time.sleep(0.1)
    return value


def login(page: Page, url: str, username: str, password: str) -> None:
    """Logs in through the real form of the live server at ``url``."""
    page.goto(url + "/entrar")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
