"""Serves the app from a process of its own, for tests that kill the server (SIGKILL).

    python -m tests.sync.serve_app DATABASE_URL MEDIA_ROOT PORT_FILE [DELAY_PER_RECORD]

Writes the port it listens on to PORT_FILE once it accepts connections."""

from __future__ import annotations

import sys
from pathlib import Path

from werkzeug.serving import make_server

from fieldapp import create_app


def main(database_url: str, media_root: str, port_file: str, delay: str = "0") -> None:
    app = create_app({
        "FIELDAPP_ENV": "test", "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_ROOT": media_root, "WTF_CSRF_ENABLED": False,
        "SYNC_TEST_DELAY_PER_RECORD": float(delay),
    })
    server = make_server("127.0.0.1", 0, app, threaded=True)
    tmp = Path(port_file + ".tmp")
    tmp.write_text(str(server.server_port))
    tmp.rename(port_file)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
