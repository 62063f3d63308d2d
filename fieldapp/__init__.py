"""fieldapp: the field app of an IMSS subdelegación's collections department."""

from __future__ import annotations

from typing import Any

from flask import Flask

from fieldapp.config import load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.update(load_config(app.instance_path, config))
    _ensure_instance_folder(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_web_hooks(app)
    return app


def _ensure_instance_folder(app: Flask) -> None:
    import os

    os.makedirs(app.instance_path, exist_ok=True)


def _init_extensions(app: Flask) -> None:
    from pathlib import Path

    from fieldapp import models  # noqa: F401  (every model registered before use)
    from fieldapp.extensions import csrf, db, htmx, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from fieldapp.actas.views import bp as actas_bp
    from fieldapp.admin.views import bp as admin_bp
    from fieldapp.auth.views import bp as auth_bp
    from fieldapp.capture.views import bp as capture_bp
    from fieldapp.depository.views import bp as depository_bp
    from fieldapp.field.views import bp as field_bp
    from fieldapp.health.views import bp as health_bp
    from fieldapp.imports.views import bp as imports_bp
    from fieldapp.legal.views import bp as legal_bp
    from fieldapp.office_home.views import bp as office_home_bp
    from fieldapp.reports.views import bp as reports_bp
    from fieldapp.review.diligence_views import bp as diligences_bp
    from fieldapp.review.views import bp as review_bp
    from fieldapp.seals.views import bp as seals_bp

    for bp in (auth_bp, field_bp, capture_bp, office_home_bp, review_bp, admin_bp, health_bp,
               imports_bp, legal_bp):
        app.register_blueprint(bp)
    from fieldapp.credits.views import bp as credits_bp  # the credit's legal life (issue 12)

    app.register_blueprint(credits_bp)
    from fieldapp.credits.estrados_views import bp as estrados_bp  # CFF 134 III, 139 (issue 12)

    app.register_blueprint(estrados_bp)
    from fieldapp.credits.domicile_views import bp as domicile_bp  # cambio de domicilio (R-NOT-10)

    app.register_blueprint(domicile_bp)
    for bp in (seals_bp, depository_bp):  # R-PAE-8: seal labels and custody of seized goods
        app.register_blueprint(bp)
    app.register_blueprint(diligences_bp)  # the office head's review of diligences
    app.register_blueprint(reports_bp)
    app.register_blueprint(actas_bp)  # printable actas and their public verification page
    from fieldapp.audit.views import bp as audit_bp  # the audit viewer; audits reads of personal data

    app.register_blueprint(audit_bp)
    from fieldapp.offices.views import bp as offices_bp  # the admin's office and its sectors

    app.register_blueprint(offices_bp)
    _register_device_blueprints(app)


def _register_device_blueprints(app: Flask) -> None:
    # Phones, their evidence files, and the device API (top-level sync package: fieldapp
    # imports only its blueprint, and only here).
    from fieldapp.devices.views import bp as devices_bp
    from fieldapp.media.views import bp as media_bp
    from sync.views import bp as sync_bp

    for bp in (devices_bp, media_bp, sync_bp):
        app.register_blueprint(bp)


def _register_web_hooks(app: Flask) -> None:
    from fieldapp.auth import access
    from fieldapp.web import assets, errors, lifecycle, proxy, security, templating

    lifecycle.init_app(app)
    assets.init_app(app)
    proxy.init_app(app)
    access.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
