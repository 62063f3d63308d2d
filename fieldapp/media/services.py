"""Receiving evidence files: the hash must match, the bytes must decode as a real JPEG, PNG or
WebP under a pixel cap (decompression bombs refused), and only then is anything stored. The
original bytes are kept untouched as evidence; the office screens' thumbnail is made the first
time one is asked for (most evidence is never looked at as a thumbnail: making it on receipt
cost every upload a resize and a JPEG encode)."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from fieldapp.db_types import utcnow
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.media import storage
from fieldapp.media.models import MediaBlob
from fieldapp.transactions import begin_write_transaction

DEFAULT_MAX_BYTES = 15 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000  # a 4000×3000 camera photo is 12 MP; phones send ≤ 2048 px
THUMBNAIL_EDGE = 320
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class MediaError(DomainError):
    """A file refused; ``status`` is the HTTP status, ``code`` stable, ``message`` Spanish."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code, status=status)


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


def max_bytes() -> int:
    return int(current_app.config.get("MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(current_app.config.get("MEDIA_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inspect_image(data: bytes, pixel_cap: int) -> ImageInfo:
    """Decodes the whole image (a header alone proves nothing). Raises MediaError for anything
    that is not a complete JPEG/PNG/WebP within the cap."""
    too_large = MediaError(422, "image_too_large",
                           f"La imagen excede el máximo de {pixel_cap:,} píxeles.")
    with warnings.catch_warnings():
        # Pillow warns before it errors on huge images; here both are a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=tuple(FORMATS)) as image:
                content_type = FORMATS[image.format or ""]
                width, height = image.size
                if width * height > pixel_cap or width <= 0 or height <= 0:
                    raise too_large
                if image.format == "JPEG":
                    # Decoding at the smallest scale (1/8) still reads every byte of the
                    # scan, so a truncated or corrupt file fails just the same, faster.
                    image.draft("RGB", (1, 1))
                image.load()
        except UnidentifiedImageError:
            raise MediaError(415, "not_an_image",
                             "El archivo no es una imagen JPEG, PNG o WebP.") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_large from None
        except MediaError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError, KeyError, IndexError,
                MemoryError) as exc:
            raise MediaError(422, "corrupt_image",
                             f"La imagen está incompleta o dañada ({type(exc).__name__}).") from None
    return ImageInfo(content_type, width, height)


def thumbnail_of(sha256: str) -> Path:
    """The thumbnail file of a stored file, made from the original the first time it is asked
    for (atomically: two requests at once write the same bytes)."""
    path = storage.thumbnail_path(sha256)
    if not path.exists():
        with Image.open(storage.original_path(sha256)) as image:
            if image.format == "JPEG":
                # Both sides at least half the thumbnail's edge: 1600×1200 decodes at 400×300.
                image.draft("RGB", (THUMBNAIL_EDGE // 2, THUMBNAIL_EDGE // 2))
            image.load()
            storage.write_atomically(path, _thumbnail(image), durable=False)
    return path


def _thumbnail(image: Image.Image) -> bytes:
    thumb = ImageOps.exif_transpose(image)
    thumb.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    if thumb.mode not in ("RGB", "L"):
        background = Image.new("RGB", thumb.size, "white")
        background.paste(thumb.convert("RGBA"), mask=thumb.convert("RGBA").getchannel("A"))
        thumb = background
    out = BytesIO()
    thumb.save(out, "JPEG", quality=70)
    return out.getvalue()


def find_blob(sha256: str) -> MediaBlob | None:
    return db.session.get(MediaBlob, sha256)


def present(shas: Iterable[str]) -> set[str]:
    wanted = sorted(set(shas))
    if not wanted:
        return set()
    return set(db.session.scalars(select(MediaBlob.sha256).where(MediaBlob.sha256.in_(wanted))))


@cache
def _insert_blob(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the row, built once per dialect. Core, on the
    session's connection: the ORM's bulk insert machinery cost more CPU than the statement."""
    table = MediaBlob.__table__
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    columns = ("sha256", "content_type", "bytes", "width", "height", "device_id", "stored_at")
    return (insert.values({name: bindparam(name) for name in columns})
            .on_conflict_do_nothing(index_elements=["sha256"]).returning(*table.c))


def store_media(sha256: str, data: bytes, *, expected_type: str | None = None,
                device_id: str | None = None) -> tuple[MediaBlob, bool]:
    """Stores a file named by its hash; returns (blob, created). Sending a file already stored
    is a harmless success. Nothing is written unless every check passes."""
    if len(data) > max_bytes():
        raise MediaError(413, "too_large", f"El archivo excede {max_bytes():,} bytes.")
    if not data:
        raise MediaError(400, "empty_body", "El cuerpo de la solicitud está vacío.")
    if sha256_hex(data) != sha256:
        raise MediaError(422, "hash_mismatch",
                         "El SHA-256 de los bytes recibidos no es el de la dirección: el envío se "
                         "cortó o el archivo cambió. Vuelva a enviarlo.")
    # No look-up first: a file already stored (a phone that never got the answer) is checked
    # and written again, identical, and the insert below finds its row. Rare, and it spares
    # every other upload a round trip.
    info = inspect_image(data, max_pixels())
    if expected_type is not None and info.content_type != expected_type:
        raise MediaError(415, "type_mismatch",
                         f"El registro declaró {expected_type}, pero el archivo es {info.content_type}.")
    # Files first, row last: a crash in between leaves an unlisted file that the next upload
    # of the same bytes overwrites with identical content, never a row without its file.
    storage.write_atomically(storage.original_path(sha256), data)
    begin_write_transaction()
    connection = db.session.connection()
    stored = connection.execute(_insert_blob(connection.dialect.name), {
        "sha256": sha256, "content_type": info.content_type, "bytes": len(data),
        "width": info.width, "height": info.height, "device_id": device_id, "stored_at": utcnow(),
    }).first()
    if stored is not None:
        # The row as inserted (not loaded into the session: nothing in this request reads it
        # again, and db.session.get would load it from the database if it did).
        return MediaBlob(**stored._mapping), True
    # Nothing inserted: the same file arrived at the same moment through another request.
    blob = find_blob(sha256)
    assert blob is not None
    return blob, False
