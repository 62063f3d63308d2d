"""Brotli and gzip copies of the static text files, made once, before any request.

The copies live in a content-addressed folder, one pair per distinct file content:
``<folder>/<sha256 of the original>.br`` and ``….gz``. The server looks a file up by the hash of
its current bytes (fieldapp/web/assets.py), so a copy can never be stale: an edited file simply
has no copy yet (the server then compresses it itself, once per process) until the next run.

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

COMPRESSIBLE_SUFFIXES = frozenset({".js", ".mjs", ".css", ".svg", ".json", ".webmanifest", ".txt", ".map"})
# Highest ratio: paid once per file content, not per request.
SUFFIX_BY_ENCODING = {"br": ".br", "gzip": ".gz"}


def compress(body: bytes, encoding: str | None) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=11)
    if encoding == "gzip":
        return gzip.compress(body, 9, mtime=0)
    return body


def default_folder(static_folder: Path) -> Path:
    """Beside static/, in build/ (ignored by git and by the Docker context)."""
    return static_folder.parent / "build" / "static-compressed"


def copy_path(folder: Path, sha256: str, encoding: str) -> Path:
    return folder / f"{sha256}{SUFFIX_BY_ENCODING[encoding]}"


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
            sha = hashlib.sha256(body).hexdigest()
            for encoding in SUFFIX_BY_ENCODING:
                target = copy_path(folder, sha, encoding)
                wanted.add(target.name)
                if target.exists():
                    kept += 1
                    continue
                handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
                with os.fdopen(handle, "wb") as out:
                    out.write(compress(body, encoding))
                os.chmod(temporary, 0o644)
                os.replace(temporary, target)
                made += 1
    removed = 0
    for stale in folder.iterdir():
        if stale.name not in wanted and stale.suffix in (".br", ".gz"):
            stale.unlink()
            removed += 1
    return Outcome(made, kept, removed)


def main(argv: list[str]) -> int:
    static_folder = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "static"
    folder = Path(argv[1]) if len(argv) > 1 else default_folder(static_folder)
    outcome = precompress(static_folder, folder)
    print(f"static files compressed into {folder}: {outcome.made} made, {outcome.kept} kept, "
          f"{outcome.removed} removed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
