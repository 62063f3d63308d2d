"""Security headers on every response. The CSP allows no inline script: all JS is in files."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "worker-src 'self'",
        "manifest-src 'self'",
    ]
)


def _tile_origin(tile_url: str) -> str | None:
    """The origin a map's tiles come from, for the page's CSP (None: our own origin or no
    tiles). A ``{s}`` subdomain becomes a wildcard: ``https://*.tile.example.org``."""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc
    while "{" in host and "}" in host:
        start, end = host.index("{"), host.index("}")
        host = host[:start] + "*" + host[end + 1:]
    return f"{parts.scheme}://{host}"


def csp_allowing_tiles_from(tile_url: str) -> str:
    """The CSP of a map page (the review map, the sector editor): images also from the tile
    server's origin (MAP_TILE_URL)."""
    origin = _tile_origin(tile_url)
    if origin is None:
        return CSP
    directives = [f"{d} {origin}" if d.startswith("img-src ") else d for d in CSP.split("; ")]
    return "; ".join(directives)


# Headers that only mean something on a document: a script, style sheet or image does without
# them (about 450 bytes on each of the shell's few dozen files); nosniff stays on everything.
SUBRESOURCE_TYPES = ("text/javascript", "text/css", "image/png", "image/jpeg", "image/webp")


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    if request.endpoint == "static" and response.mimetype in SUBRESOURCE_TYPES:
        headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
