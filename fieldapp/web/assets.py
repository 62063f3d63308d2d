"""Static files as served: content-versioned URLs, cached for a year, compressed with brotli or gzip.

``url_for("static", filename=...)`` builds ``/static/<digest>/<filename>``, where ``digest`` is a
digest of every file under static/. Such a URL never changes meaning, so it is served with
``Cache-Control: public, max-age=31536000, immutable``: a repeat visit loads no JS or CSS at
all, and any change to any static file gives every static URL a new digest (the next page load
fetches the new files; the service worker precaches the new URLs).

One digest for the whole tree, not one per file: the phone's ES modules import each other by
relative URL (``./db.js``, ``new URL("../../vendor/…", import.meta.url)``), so they must all live
under one prefix — per-file digests would need the imports rewritten, or two URLs of one module
would run as two instances. A deploy that changes one file thus re-downloads the others
(about 80 KB compressed for the whole phone shell).

Text files (JS, CSS, SVG, JSON) are sent brotli- (quality 11) or gzip-compressed (level 9),
whichever the browser prefers of those it accepts. The compressed bodies are made once, before
any request, by fieldapp/web/precompress.py (the Docker build, ``fieldapp serve``, the image's
entrypoint) into a folder addressed by the SHA-256 of each file's content, so a copy can never be
stale; a file without a copy (one edited since, a development checkout) is compressed by the
process on its first request and kept in memory. A digest that is not the current one (a page
rendered before a deploy, a rolling restart) still gets the current file, with ``no-cache``; the
unversioned ``/static/<filename>`` also still works, with ``no-cache``, for the previous service
worker.

Why not WhiteNoise: it serves the compressed siblings its own command writes into static/ itself
(they would change the tree's digest, and go stale after every edit in development or a test)
and, mounted in front of Flask, it would see only one digest prefix, leaving old digests,
unversioned URLs and the headers every answer carries (fieldapp/web/security.py, errors.py) to
this module anyway. What it would add — compressed files made at build time, far-future caching
— is the few lines here.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any

import brotli
from flask import Flask, abort, current_app, has_request_context, make_response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.routing import BaseConverter
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from fieldapp.web.precompress import (
    COMPRESSIBLE_SUFFIXES,
    compress,
    copy_path,
    default_folder,
    precompress,
    served_body,
    served_key,
)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ENVIRON_KEY = "fieldapp.static_digest"
ENCODINGS = ("br", "gzip")  # in order of preference when the browser accepts both


@dataclass(frozen=True)
class Encoded:
    body: bytes
    encoding: str | None  # None: identity


@dataclass
class StaticTree:
    """The digest of the static folder and the compressed bodies served from it."""

    folder: Path
    compressed_folder: Path | None = None  # precompressed copies (fieldapp/web/precompress.py)
    stamp: tuple[tuple[str, int, int], ...] = ()
    digest: str = ""
    sha256_by_path: dict[str, str] = field(default_factory=dict)
    # (served_key, encoding) → what is sent
    bodies: dict[tuple[str, str | None], Encoded] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def current_digest(self) -> str:
        stamp = _stamp_of(self.folder)
        if stamp != self.stamp:
            with self.lock:
                if stamp != self.stamp:
                    self.digest, self.sha256_by_path = _digest_of(self.folder, stamp)
                    self.stamp = stamp
        return self.digest

    def encoded(self, path: Path, accepted: frozenset[str]) -> Encoded:
        """The file's bytes in the best encoding the client accepts: the precompressed copy of
        its content when there is one, else compressed here once and kept."""
        encoding = next((e for e in ENCODINGS if e in accepted), None)
        if path.suffix not in COMPRESSIBLE_SUFFIXES:
            return Encoded(path.read_bytes(), None)
        self.current_digest()
        sha = self.sha256_by_path.get(str(path))
        key = served_key(self.folder, path, sha) if sha else None
        found = self.bodies.get((key, encoding)) if key else None
        if found is None:
            body = self._precompressed(key, encoding) if key and encoding else None
            if body is None:  # no copy made yet (an edited file, a checkout): make it here
                original = path.read_bytes()
                key = served_key(self.folder, path, hashlib.sha256(original).hexdigest())
                body = compress(served_body(self.folder, path, original), encoding)
            found = Encoded(body, encoding)
            with self.lock:
                self.bodies[(key, encoding)] = found
        return found

    def _precompressed(self, key: str, encoding: str) -> bytes | None:
        if self.compressed_folder is None:
            return None
        try:
            return copy_path(self.compressed_folder, key, encoding).read_bytes()
        except OSError:
            return None


def _stamp_of(folder: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            stat = os.stat(os.path.join(root, name))
            entries.append((os.path.join(root, name), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def _digest_of(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> tuple[str, dict[str, str]]:
    """The tree's digest, and each file's SHA-256 (the key of its precompressed copies)."""
    digest = hashlib.sha256()
    by_path = {}
    for name, _mtime, _size in stamp:
        body = Path(name).read_bytes()
        by_path[name] = hashlib.sha256(body).hexdigest()
        digest.update(os.path.relpath(name, folder).encode() + b"\0")
        digest.update(body + b"\0")
    return digest.hexdigest()[:12], by_path


def _accepted_encodings() -> frozenset[str]:
    return frozenset(
        part.split(";")[0].strip().lower()
        for part in request.headers.get("Accept-Encoding", "").split(",")
        if part.strip() and not part.replace(" ", "").endswith(";q=0")
    )


def _tree_of(app: Flask) -> StaticTree:
    folder = Path(app.static_folder or "static")
    compressed = app.config.get("STATIC_COMPRESSED_FOLDER") or default_folder(folder)
    return StaticTree(folder=folder, compressed_folder=Path(compressed))


def precompress_static(app: Flask) -> None:
    """Makes the missing compressed copies before the workers start (``fieldapp serve``, the
    image's entrypoint). A folder this process may not write (the image's, made by the build)
    is left as it is: what lacks a copy is then compressed by each worker on first request."""
    tree = static_tree(app)
    if tree.compressed_folder is None:
        return
    try:
        outcome = precompress(tree.folder, tree.compressed_folder)
    except OSError as exc:
        app.logger.warning("static files not precompressed into %s: %s", tree.compressed_folder, exc)
        return
    app.logger.info("static files precompressed: %s made, %s kept", outcome.made, outcome.kept)


def static_tree(app: Flask) -> StaticTree:
    """The tree of the app's static folder (which a test may point elsewhere at run time)."""
    tree: StaticTree = app.extensions["static_tree"]
    if app.static_folder is not None and tree.folder != Path(app.static_folder):
        tree = app.extensions["static_tree"] = _tree_of(app)
    return tree


def static_digest() -> str:
    """The current digest; checked once per request (a stat of each static file), so an edited
    file gets its new URL on the next page without a restart."""
    if not has_request_context():
        return static_tree(current_app).current_digest()
    # Kept in the request's environ, not in `g`: `g` belongs to the app context, which can
    # outlive one request (a test's, a CLI command's).
    environ = request.environ
    if ENVIRON_KEY not in environ:
        environ[ENVIRON_KEY] = static_tree(current_app).current_digest()
    return str(environ[ENVIRON_KEY])


def serve_static(filename: str, digest: str | None = None) -> Response:
    tree = static_tree(current_app)
    resolved = safe_join(str(tree.folder), filename)
    if resolved is None or not os.path.isfile(resolved):
        abort(404)
    path = Path(resolved)
    encoded = tree.encoded(path, _accepted_encodings())
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if mimetype.startswith("text/") or mimetype in ("application/javascript", "application/json"):
        mimetype += "; charset=utf-8"
    versioned = digest is not None and digest == tree.current_digest()
    response = Response(encoded.body, content_type=mimetype)
    response.headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
    if path.suffix in COMPRESSIBLE_SUFFIXES:
        response.headers["Vary"] = "Accept-Encoding"
    if encoded.encoding is not None:
        response.headers["Content-Encoding"] = encoded.encoding
    response.set_etag(f"{tree.current_digest()}-{hashlib.sha1(filename.encode()).hexdigest()[:8]}"
                      f"-{encoded.encoding or 'identity'}")
    return response.make_conditional(request)


def compress_public_response(response: Response) -> Response:
    """Compresses a generated answer that holds no secret (the service worker script) in the
    encoding the client accepts: brotli at a fast quality, else gzip."""
    response.vary.add("Accept-Encoding")
    return _compressed(response)


# Fetch metadata of requests only the app's own pages, its service worker or the user (typed
# address, bookmark, the installed app's icon) can make; never a request another site causes.
FIRST_PARTY_FETCH_SITES = frozenset({"same-origin", "none"})


def compressed_page(view: Callable[..., Any]) -> Callable[..., Response]:
    """Compresses a field page for a first-party request only (BREACH). The page carries
    secrets (the CSRF token, the user's data) and some text a request can influence (a flashed
    message, a query echoed back); compressed together, an attacker who makes the victim's
    browser fetch the page many times with chosen text and watches the sizes on the network
    could read a secret byte by byte. Every such request is made from the attacker's site and
    carries ``Sec-Fetch-Site: cross-site`` (or ``same-site``), so those, and browsers that send
    no fetch metadata, get the page uncompressed; the phone's own navigations and its service
    worker's precache (``same-origin``, ``none``) get it compressed."""

    @wraps(view)
    def compressing(*args: Any, **kwargs: Any) -> Response:
        response = make_response(view(*args, **kwargs))
        response.vary.add("Accept-Encoding")
        response.vary.add("Sec-Fetch-Site")
        if request.headers.get("Sec-Fetch-Site") not in FIRST_PARTY_FETCH_SITES:
            return response
        return _compressed(response)

    return compressing


def _compressed(response: Response) -> Response:
    encoding = next((e for e in ENCODINGS if e in _accepted_encodings()), None)
    if encoding is None or response.direct_passthrough or "Content-Encoding" in response.headers:
        return response
    body = response.get_data()
    fast = brotli.compress(body, quality=5) if encoding == "br" else gzip.compress(body, 6, mtime=0)
    response.set_data(fast)
    response.headers["Content-Encoding"] = encoding
    return response


class StaticAwareSessionInterface(SecureCookieSessionInterface):
    """A static response carries no session cookie: it may be cached by a shared proxy
    (``public``), and a cookie refreshed there would be handed to whoever asks next."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if has_request_context() and request.endpoint == "static":
            return False
        return super().should_set_cookie(app, session)


class DigestConverter(BaseConverter):
    """Exactly a digest, so `/static/js/…` can never be read as digest "js"."""

    regex = "[0-9a-f]{12}"


def _add_digest(endpoint: str | None, values: dict[str, Any]) -> None:
    if endpoint == "static" and "digest" not in values:
        values["digest"] = static_digest()


def init_app(app: Flask) -> None:
    """Serves static/ through `serve_static`: Flask's own static rule stays (unversioned, no-cache)
    and a versioned rule joins it under the same endpoint, which `url_for` prefers (it has more
    arguments) once `_add_digest` supplies the digest."""
    if app.static_folder is None:
        return
    app.extensions["static_tree"] = _tree_of(app)
    app.url_map.converters["digest"] = DigestConverter
    app.view_functions["static"] = serve_static
    app.add_url_rule(f"{app.static_url_path}/<digest:digest>/<path:filename>", endpoint="static",
                     view_func=serve_static)
    app.url_defaults(_add_digest)
    app.session_interface = StaticAwareSessionInterface()
