"""Where evidence files live on disk: MEDIA_ROOT/<sha[:2]>/<sha> for the original bytes and
MEDIA_ROOT/thumbs/<sha[:2]>/<sha>.jpg for the thumbnail. Writes are atomic (a temporary file in
the same folder, fsync, rename), so a crash never leaves a half-written file under a hash name."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from flask import current_app

TMP_PREFIX = ".incoming-"
STALE_TMP_SECONDS = 3600


def media_root() -> Path:
    return Path(current_app.config["MEDIA_ROOT"])


def original_path(sha256: str) -> Path:
    return media_root() / sha256[:2] / sha256


def thumbnail_path(sha256: str) -> Path:
    return media_root() / "thumbs" / sha256[:2] / f"{sha256}.jpg"


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Writes to a temporary file beside ``path`` and renames it. ``durable``: fsync the file
    and its folder first, so the bytes are on disk before the database says they arrived
    (evidence); a thumbnail, which can be made again, skips that."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_stale_temporaries(now: float | None = None) -> int:
    """Removes temporary files a killed process left behind (they never carry a hash name)."""
    root = media_root()
    if not root.exists():
        return 0
    limit = (now or time.time()) - STALE_TMP_SECONDS
    removed = 0
    for tmp in root.rglob(f"{TMP_PREFIX}*"):
        if tmp.stat().st_mtime < limit:
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def stored_files() -> list[Path]:
    """Every original file stored (thumbnails and temporaries aside), for checks and backups."""
    root = media_root()
    if not root.exists():
        return []
    return sorted(p for p in root.glob("??/*") if p.is_file() and not p.name.startswith(TMP_PREFIX))
