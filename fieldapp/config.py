"""Settings, read from the environment in one place.

`FIELDAPP_ENV` is one of production (default), demo, development, test. Only demo, development
and test may run without a SECRET_KEY; production refuses to start without one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("production", "demo", "development", "test")
INSECURE_ENVIRONMENTS = ("demo", "development", "test")
DEFAULT_MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_MAP_TILE_ATTRIBUTION = "© colaboradores de OpenStreetMap"


class ConfigError(RuntimeError):
    """Raised when the app cannot start safely with the given settings."""


def sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "fieldapp.sqlite3")


def normalise_database_url(url: str) -> str:
    # Heroku-style URLs say postgres://, which SQLAlchemy 2 no longer accepts.
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    overrides = dict(overrides or {})
    env = overrides.get("FIELDAPP_ENV") or os.environ.get("FIELDAPP_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"FIELDAPP_ENV must be one of {ENVIRONMENTS}, not {env!r}")

    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if env not in INSECURE_ENVIRONMENTS:
            raise ConfigError("SECRET_KEY is not set: refusing to start in production without it")
        secret = secrets.token_hex(32)

    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    config: dict[str, Any] = {
        "FIELDAPP_ENV": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url)
        if database_url
        else sqlite_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(Path(instance_path) / "media")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 20 * 1024 * 1024)),
        # Session cookies: HttpOnly and SameSite always; Secure wherever TLS is expected.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "SESSION_COOKIE_NAME": "fieldapp_session",
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_I18N_ENABLED": False,  # Spanish messages come from WTForms itself (web/forms.py)
        "LOGIN_MAX_FAILURES_PER_USER": 5,
        "LOGIN_MAX_FAILURES_PER_IP": 20,
        "LOGIN_THROTTLE_WINDOW_SECONDS": 15 * 60,
        # How many reverse proxies in front of the app append to X-Forwarded-For / -Proto.
        # 0 (default): the headers are ignored and the client is the TCP peer, because a
        # client could write them itself (docs/deploy.md).
        "TRUSTED_PROXIES": _trusted_proxies(),
        "TESTING": env == "test",
        # Background tiles of the review map (empty: no tiles, markers on a blank map). The
        # map page's CSP admits images from this URL's origin.
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", DEFAULT_MAP_TILE_URL),
        "MAP_TILE_ATTRIBUTION": os.environ.get("MAP_TILE_ATTRIBUTION", DEFAULT_MAP_TILE_ATTRIBUTION),
        # Brotli/gzip copies of the static files (fieldapp/web/precompress.py); unset: build/
        # beside static/, where the Docker build writes them.
        "STATIC_COMPRESSED_FOLDER": os.environ.get("STATIC_COMPRESSED_FOLDER") or None,
    }
    config.update(_integer_settings_from_environment())
    config.update(overrides)
    return config


def _trusted_proxies() -> int:
    raw = os.environ.get("FIELDAPP_TRUSTED_PROXIES", "").strip() or "0"
    if not raw.isdigit():
        raise ConfigError(f"FIELDAPP_TRUSTED_PROXIES must be a whole number (0 or more), not {raw!r}")
    return int(raw)


# Limits whose defaults live beside the code that applies them (media, sync, diligences); an
# operator may change them through the environment.
INTEGER_SETTINGS = ("MEDIA_MAX_BYTES", "MEDIA_MAX_PIXELS", "SYNC_MAX_BATCH_RECORDS",
                    "SYNC_MAX_CLOCK_DRIFT_SECONDS", "ACTA_VERIFICATIONS_PER_MINUTE",
                    "STATUS_EXPORT_SETTLE_SECONDS")


def _integer_settings_from_environment() -> dict[str, int]:
    found: dict[str, int] = {}
    for name in INTEGER_SETTINGS:
        raw = os.environ.get(name)
        if raw is None or raw.strip() == "":
            continue
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
        if value <= 0:
            raise ConfigError(f"{name} must be greater than zero, not {value}")
        found[name] = value
    return found
