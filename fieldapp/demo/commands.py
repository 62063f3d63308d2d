"""`fieldapp demo` (seed a fictional office and serve it) and `fieldapp serve`."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from fieldapp import create_app
from fieldapp.auth.models import ROLE_LABELS
from fieldapp.demo.data import DEMO_PASSWORD, USERS
from fieldapp.demo.services import seed_demo
from fieldapp.extensions import db
from fieldapp.web.assets import precompress_static

DEMO_PORT = 5000


def _database_label(app: Flask) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)


def build_demo_app(overrides: dict[str, Any] | None = None) -> Flask:
    """The demo always runs with demo settings (no SECRET_KEY needed, cookies without the
    Secure flag so plain http://127.0.0.1 works), whatever FIELDAPP_ENV says."""
    return create_app({"FIELDAPP_ENV": "demo", **(overrides or {})})


def prepare_demo(app: Flask) -> str:
    """Migrates the database and seeds it when empty; returns what happened, in Spanish."""
    with app.app_context():
        upgrade()
        seeded = seed_demo()
        db.session.commit()
        if seeded is None:
            outcome = "La base de datos ya tenía datos: se usa tal como está (no se volvió a sembrar)."
        else:
            outcome = (f"Se sembró la {seeded.office.name} (clave {seeded.office.code}, Guadalajara, "
                       f"Jalisco) con datos ficticios: {seeded.credits} créditos, {seeded.documents} "
                       f"documentos ({seeded.execution_orders} mandamientos de ejecución), "
                       f"{seeded.assignments} asignaciones y {seeded.diligences} diligencias de "
                       f"los últimos días hábiles con {seeded.photos} fotografías y firmas.")
        # Close the connections of the setup; serving opens its own.
        db.session.remove()
        db.engine.dispose()
    return outcome


def _logins() -> str:
    width = max(len(u.username) for u in USERS)
    lines = [f"  {u.username:<{width}}  {ROLE_LABELS[u.role]:<20} {u.full_name}" for u in USERS]
    return "\n".join(lines)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=DEMO_PORT, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-serve", is_flag=True, help="Only create, migrate and seed the database.")
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Create the demo database (SQLite in the instance folder, or DATABASE_URL), migrate it,
    seed a fictional office when it is empty, and serve it."""
    app = build_demo_app()
    click.echo(prepare_demo(app))
    click.echo(f"Base de datos: {_database_label(app)}")
    if no_serve:
        return
    click.echo(f"\nAbra http://{host}:{port}/ y entre con cualquiera de estos usuarios "
               f"(contraseña de todos: {DEMO_PASSWORD}):\n{_logins()}\n\nCtrl+C para detener.\n")
    precompress_static(app)
    _serve_with_werkzeug(app, host, port)


def _serve_with_werkzeug(app: Flask, host: str, port: int) -> None:
    # app.run() refuses to start under the `fieldapp` command (FLASK_RUN_FROM_CLI); run_simple
    # is the same development server, called directly.
    from werkzeug.serving import run_simple

    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; 0.0.0.0 inside a container.")
@click.option("--port", default=8000, show_default=True, type=int, envvar="PORT")
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes.")
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker.")
@click.option("--migrate", "run_migrations", is_flag=True, help="Run `db upgrade` before serving.")
@click.option("--dev", is_flag=True, help="Use werkzeug's development server instead of gunicorn.")
def serve_command(host: str, port: int, workers: int, threads: int, run_migrations: bool,
                  dev: bool) -> None:
    """Serve the app with the settings from the environment (FIELDAPP_ENV, SECRET_KEY,
    DATABASE_URL): gunicorn where it is installed, werkzeug's server otherwise."""
    app = create_app()  # fails here, before binding, when production settings are missing
    precompress_static(app)  # once, before the workers fork (fieldapp/web/assets.py)
    if run_migrations:
        with app.app_context():
            upgrade()
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:  # gunicorn does not run on Windows
        BaseApplication = None  # noqa: N806
    if dev or BaseApplication is None:
        if not dev:
            click.echo("gunicorn no está disponible: se usa el servidor de desarrollo de werkzeug.",
                       err=True)
        _serve_with_werkzeug(app, host, port)
        return

    class Gunicorn(BaseApplication):  # type: ignore[misc, valid-type]
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "accesslog": "-", "errorlog": "-"}.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            # Each worker builds its own app after the fork: no database connection is shared.
            return create_app()

    Gunicorn().run()
