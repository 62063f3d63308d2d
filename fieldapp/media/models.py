from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.db_types import UTCDateTime, utcnow
from fieldapp.extensions import db

MEDIA_TYPE_LABELS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}


class MediaBlob(db.Model):
    """A photo or signature received, named by the SHA-256 of its bytes. The bytes live on disk
    (MEDIA_ROOT/<sha[:2]>/<sha>), never in the database; this row says they arrived whole and
    were checked to be a real image."""

    __tablename__ = "media_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(20))
    bytes: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.id"))

    def __repr__(self) -> str:
        return f"<MediaBlob {self.sha256[:12]} {self.content_type} {self.width}x{self.height}>"
