"""The real app served by a real server thread on 127.0.0.1 (a secure context, so service
workers run without TLS), stoppable and restartable on the same port (the only reliable dead
network across a browser restart, see ../shared/recipes/browser-tests.md), with a switch that
cuts photo uploads halfway; and where browser tests leave their screenshots."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from flask import Flask
from playwright.sync_api import Page
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


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


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.cutter = UploadCutter(app)
        self.port = 0
        self.server: BaseWSGIServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # Same port on a restart (HTTPServer sets SO_REUSEADDR): the phone's origin is the same.
        self.server = make_server("127.0.0.1", self.port, self.cutter, threaded=True,
                                  request_handler=_QuietHandler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            assert self.thread is not None
            self.thread.join(10)
            self.server = None


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
