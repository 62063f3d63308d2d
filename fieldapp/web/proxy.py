"""The client's address behind a trusted reverse proxy.

Every limit (login throttle, enrollment, the /v verification rate limit), the audit log and the
devices' last address read ``request.remote_addr``. Behind a proxy that is the proxy's address,
so one guesser would lock out the whole office. With ``TRUSTED_PROXIES`` = N (environment
``FIELDAPP_TRUSTED_PROXIES``) werkzeug's ProxyFix takes the client from the last N entries of
X-Forwarded-For (and the scheme from X-Forwarded-Proto); with 0 the headers are ignored, since
anyone may send them."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
