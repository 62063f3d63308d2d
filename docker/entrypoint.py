#!/usr/bin/env python3
"""Container entrypoint.

`serve` (the default): check the settings, wait for the database, run the migrations, then
replace this process with gunicorn (so gunicorn is PID 1 and receives the container's signals).
Anything else is run as given, so one-off commands work in the same image:

    docker run --rm --env-file prod.env -v fieldapp-data:/data IMAGE fieldapp backup -o /data/respaldos/

Settings come from the environment only (fieldapp/config.py): DATABASE_URL, SECRET_KEY,
MEDIA_ROOT, FIELDAPP_ENV; here also PORT (8000), HOST (0.0.0.0) and DB_WAIT_SECONDS (60).
gunicorn reads WEB_CONCURRENCY (workers) and FORWARDED_ALLOW_IPS itself.
"""

from __future__ import annotations

import os
import sys
import time

EX_CONFIG = 78  # sysexits.h: configuration error
EX_UNAVAILABLE = 69


def fail(message: str, code: int) -> int:
    print(f"fieldapp: {message}", file=sys.stderr, flush=True)
    return code


def main(argv: list[str]) -> int:
    if argv and argv[0] != "serve":
        os.execvp(argv[0], argv)

    from fieldapp import create_app
    from fieldapp.config import ConfigError
    from fieldapp.web.assets import precompress_static

    try:
        app = create_app()
    except ConfigError as exc:
        return fail(
            f"configuración inválida, no se inicia el servidor: {exc}.\n"
            "  Defina SECRET_KEY en el entorno (genere una con: "
            "python -c 'import secrets; print(secrets.token_hex(32))').\n"
            "  Solo FIELDAPP_ENV=demo, development o test funcionan sin ella.",
            EX_CONFIG,
        )

    with app.app_context():
        status = run_migrations(float(os.environ.get("DB_WAIT_SECONDS", "60")))
    if status:
        return status

    # The build made the compressed static files; this only fills what it could not (a no-op).
    precompress_static(app)

    bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
    print(f"fieldapp: migraciones al día; sirviendo en {bind}", file=sys.stderr, flush=True)
    os.execv(sys.executable, [
        sys.executable, "-m", "gunicorn",
        "--bind", bind,
        "--access-logfile", "-",
        "--error-logfile", "-",
        "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
        *optional_gunicorn_flags(),
        "fieldapp:create_app()",
    ])
    return 0  # not reached


def optional_gunicorn_flags() -> list[str]:
    from gunicorn.config import KNOWN_SETTINGS

    names = {setting.name for setting in KNOWN_SETTINGS}
    # Recent gunicorn opens a control socket under $HOME, which the unprivileged user cannot
    # write (and nobody uses here): switch it off where the setting exists.
    return ["--no-control-socket"] if "control_socket_disable" in names else []


def run_migrations(wait_seconds: float) -> int:
    """`fieldapp db upgrade`, once the database answers. On PostgreSQL an advisory lock makes
    containers started together migrate one after the other."""
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from fieldapp.extensions import db, migrate

    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            connection = db.engine.connect()
            break
        except OperationalError as exc:
            if time.monotonic() >= deadline:
                return fail(f"la base de datos no responde: {exc.orig}", EX_UNAVAILABLE)
            time.sleep(1)
    with connection:
        postgresql = db.engine.dialect.name == "postgresql"
        if postgresql:
            connection.execute(text("SELECT pg_advisory_lock(4242001)"))
            connection.commit()
        try:
            command.upgrade(migrate.get_config(), "heads")
        finally:
            if postgresql:
                connection.execute(text("SELECT pg_advisory_unlock(4242001)"))
                connection.commit()
    db.engine.dispose()  # gunicorn's workers open their own connections
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
