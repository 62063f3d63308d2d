"""Brotli and gzip copies of the static text files, made once, before any request.

Our own JavaScript (static/js/) is served without its comments and indentation (rJSmin: about
30 % fewer bytes after brotli, the phone's form page then fits its 50 KB budget); names are kept,
so an error on a phone still names the function. rJSmin is a regex minifier that does not
understand template literals nested in template literals: scripts/check_phone_code proves, for
every file, that the minified code parses to the same syntax tree as the source (acorn), so such
a construct fails the checks instead of reaching a phone. Vendored files are served as vendored
(they are minified once at vendoring time, static/vendor/*/VERSION).

The copies live in a content-addressed folder, one pair per distinct file content:
``<folder>/<sha256 of the original>[.rjsmin-<version>].br`` and ``….gz``. The server looks a
file up by the hash of its current bytes (fieldapp/web/assets.py), so a copy can never be
stale: an edited file simply has no copy yet (the server then compresses it itself, once per
process) until the next run.

Run by the Docker build (``python -m fieldapp.web.precompress``, into /app/build/static-compressed,
read-only at run time), by ``fieldapp serve`` and by the image's entrypoint before the workers
start; an existing copy is never redone, so a run over an unchanged tree costs one read and one
hash per file. Pure standard library plus brotli: no Flask, no app, no settings.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import brotli
import rjsmin

COMPRESSIBLE_SUFFIXES = frozenset({".js", ".mjs", ".css", ".svg", ".json", ".webmanifest", ".txt", ".map"})
MINIFIED_FOLDER = "js"  # our modules; static/vendor/ is minified at vendoring time
SUFFIX_BY_ENCODING = {"br": ".br", "gzip": ".gz"}


def minifiable(relative: str) -> bool:
    return relative.startswith(MINIFIED_FOLDER + "/") and relative.endswith((".js", ".mjs"))


def served_body(static_folder: Path, path: Path, body: bytes | None = None) -> bytes:
    """The bytes served for a file (before any Content-Encoding): our JS minified, the rest as is."""
    if body is None:
        body = path.read_bytes()
    if minifiable(path.relative_to(static_folder).as_posix()):
        return rjsmin.jsmin(body.decode("utf-8")).encode("utf-8")
    return body


def compress(body: bytes, encoding: str | None) -> bytes:
    # Highest ratio: paid once per file content, not per request.
    if encoding == "br":
        return brotli.compress(body, quality=11)
    if encoding == "gzip":
        return gzip.compress(body, 9, mtime=0)
    return body


def default_folder(static_folder: Path) -> Path:
    """Beside static/, in build/ (ignored by git and by the Docker context)."""
    return static_folder.parent / "build" / "static-compressed"


def served_key(static_folder: Path, path: Path, sha256: str) -> str:
    """Names what is served for a file: its content's hash, and the minifier's version when it is
    minified (a newer rJSmin may write other bytes)."""
    if minifiable(path.relative_to(static_folder).as_posix()):
        return f"{sha256}.rjsmin-{rjsmin.__version__}"
    return sha256


def copy_path(folder: Path, key: str, encoding: str) -> Path:
    return folder / f"{key}{SUFFIX_BY_ENCODING[encoding]}"


def compressible(path: Path) -> bool:
    return path.suffix in COMPRESSIBLE_SUFFIXES


@dataclass(frozen=True)
class Outcome:
    made: int  # copies written by this run
    kept: int  # copies already there
    removed: int  # copies of contents no longer in the tree


def precompress(static_folder: Path, folder: Path) -> Outcome:
    """Writes the missing copies of every compressible file under static_folder and removes the
    copies of contents no file has any more (a checkout's folder would otherwise grow with every
    edit). Each copy is written to a temporary file and renamed, so a concurrent reader (another
    worker starting) sees a whole copy or none."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted: set[str] = set()
    made = kept = 0
    for root, _dirs, files in os.walk(static_folder):
        for name in files:
            path = Path(root) / name
            if not compressible(path):
                continue
            body = path.read_bytes()
            key = served_key(static_folder, path, hashlib.sha256(body).hexdigest())
            served = None
            for encoding in SUFFIX_BY_ENCODING:
                target = copy_path(folder, key, encoding)
                wanted.add(target.name)
                if target.exists():
                    kept += 1
                    continue
                served = served or served_body(static_folder, path, body)
                handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
                with os.fdopen(handle, "wb") as out:
                    out.write(compress(served, encoding))
                os.chmod(temporary, 0o644)
                os.replace(temporary, target)
                made += 1
    removed = 0
    for stale in folder.iterdir():
        if stale.name not in wanted and stale.suffix in (".br", ".gz"):
            stale.unlink()
            removed += 1
    return Outcome(made, kept, removed)


def write_minified(static_folder: Path, into: Path) -> int:
    """Writes what is served for each minified file under `into`, by its relative path, for
    scripts/check_phone_code to compare with the source."""
    count = 0
    for path in sorted(static_folder.rglob("*")):
        relative = path.relative_to(static_folder).as_posix()
        if path.is_file() and minifiable(relative):
            target = into / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(served_body(static_folder, path))
            count += 1
    return count


def main(argv: list[str]) -> int:
    """``[STATIC [FOLDER]]``: make the copies; ``--minified-into DIR [STATIC]``: write the
    minified files for the check."""
    if argv[:1] == ["--minified-into"]:
        static_folder = Path(argv[2]) if len(argv) > 2 else default_static_folder()
        write_minified(static_folder, Path(argv[1]))
        return 0
    static_folder = Path(argv[0]) if argv else default_static_folder()
    folder = Path(argv[1]) if len(argv) > 1 else default_folder(static_folder)
    outcome = precompress(static_folder, folder)
    print(f"static files compressed into {folder}: {outcome.made} made, {outcome.kept} kept, "
          f"{outcome.removed} removed", file=sys.stderr)
    return 0


def default_static_folder() -> Path:
    return Path(__file__).resolve().parents[2] / "static"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
