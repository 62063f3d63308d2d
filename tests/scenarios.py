"""Building blocks of the tests' worlds, shared by every folder: evidence images, a field user's
phone enrolled on the sync API, an office with its people and work, and diligences pushed the
way phones push them. Plain functions and classes; each folder's conftest wraps them in the
fixtures that say what is special about its world."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from PIL import Image, ImageDraw

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.devices.services import enroll_device
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector
from fieldapp.portfolio.models import Document
from tests.factories import Factory
from tests.sync.helpers import API, batch, bearer, decode

# --- Evidence images -------------------------------------------------------------------------


def jpeg_bytes(seed: int = 0, size: tuple[int, int] = (96, 64), quality: int = 80) -> bytes:
    """A small real JPEG, different for each seed: what API tests send and hash."""
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    for x in range(0, size[0], 8):
        image.putpixel((x, (x + seed) % size[1]), (255, 255, 255))
    out = BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def captioned_photo(seed: int, label: str, fmt: str = "JPEG",
                    size: tuple[int, int] = (640, 480)) -> bytes:
    """A photo-like image (a gradient with a caption), different for each seed: what an acta
    prints and a person reads on its screenshots, where a flat colour would say nothing."""
    w, h = size
    image = Image.new("RGB", size)
    pixels = image.load()
    assert pixels is not None
    for y in range(h):
        for x in range(0, w, 4):
            shade = (int(120 + 80 * math.sin((x + seed * 40) / 90)), int(110 + 60 * y / h),
                     int(90 + 100 * x / w))
            for dx in range(4):
                pixels[x + dx, y] = shade
    draw = ImageDraw.Draw(image)
    draw.rectangle((w // 5, h // 3, 4 * w // 5, h - 20), outline=(250, 250, 250), width=6)
    draw.text((w // 5 + 12, h // 3 + 12), f"{label} {seed}", fill=(255, 255, 255))
    out = BytesIO()
    image.save(out, fmt, quality=80)
    return out.getvalue()


PAD = (480, 160)  # the phone's signature pad, in pixels


def signature_png(seed: int = 0, size: tuple[int, int] = (40, 20)) -> bytes:
    """A signature as the phone's pad sends it: a black stroke on a transparent PNG, different
    for each seed. Small by default (API tests); an acta that prints it asks for ``PAD``."""
    w, h = size
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(w * (20 + i * 11) // 480, h * (90 + int(40 * math.sin(i / 2.5 + seed))) // 160)
              for i in range(40)]
    draw.line(points, fill=(0, 0, 0, 255), width=max(1, 5 * h // 160))
    image.putpixel((seed % w, 0), (0, 0, 0, 255))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def camera_jpeg(path: Path, size: tuple[int, int] = (4000, 3000), orientation: int | None = None,
                colour: tuple[int, int, int] = (120, 140, 90)) -> Path:
    """A camera-sized JPEG file for a browser's file chooser, with a red band on its top edge (as
    stored) and an optional EXIF orientation tag (6: the phone was held upright, the pixels lie
    on their side)."""
    image = Image.new("RGB", size, colour)
    image.paste((200, 30, 30), (0, 0, size[0], size[1] // 10))
    exif = Image.Exif()
    exif[0x010F] = "Cámara de prueba"
    if orientation is not None:
        exif[0x0112] = orientation
    image.save(path, "JPEG", quality=85, exif=exif.tobytes())
    return path


def noisy_jpeg(path: Path, seed: int) -> Path:
    """A photo file that stays big after the phone downscales it (noise does not compress):
    ~1 MB at 1600 px, for uploads long enough to be cut."""
    image = Image.effect_noise((4000, 3000), 80 + seed).convert("RGB")
    image.save(path, "JPEG", quality=90)
    return path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# A file the phone sends: its bytes, its role in the record and its content type.
File = tuple[bytes, str, str]


def media_item(data: bytes, role: str = "facade", kind: str = "image/jpeg") -> dict[str, Any]:
    """What a record's ``media`` says of a file."""
    return {"sha256": sha256(data), "bytes": len(data), "type": kind, "role": role}


def media_items(files: list[File]) -> list[dict[str, Any]]:
    return [media_item(data, role, kind) for data, role, kind in files]


def evidence_files(seed: int, signature: bool = True, items: int = 0) -> list[File]:
    """A façade photo and (unless told not to) a signature, as a clean record carries them
    (R-NOT-7, R-NOT-8), plus ``items`` photos of seized goods."""
    files: list[File] = [(jpeg_bytes(seed), "facade", "image/jpeg")]
    if signature:
        files.append((signature_png(seed), "signature", "image/png"))
    files += [(jpeg_bytes(seed + 100 * n), "item", "image/jpeg") for n in range(1, items + 1)]
    return files


def evidence(seed: int = 0, signature: bool = True, items: int = 0) -> list[dict[str, Any]]:
    """The ``media`` of :func:`evidence_files`."""
    return media_items(evidence_files(seed, signature, items))


# --- The phone, on the sync API --------------------------------------------------------------


def enroll(user: User, name: str = "Teléfono de prueba") -> tuple[str, str]:
    """Enrolls a device for ``user``: its token and device id."""
    enrollment = enroll_device(user, name, via="password")
    db.session.commit()
    return enrollment.token, enrollment.device.id


@dataclass
class ApiPhone:
    """A field user's enrolled phone, talking to the sync API through the Flask test client
    (the browser phone of the capture tests is tests/capture/conftest.py's ``Phone``)."""

    client: FlaskClient
    token: str
    device_id: str
    user: User

    @classmethod
    def enroll(cls, client: FlaskClient, user: User, name: str = "Teléfono de prueba") -> ApiPhone:
        return cls(client, *enroll(user, name), user)

    def push(self, records: list[dict[str, Any]], **kw: Any) -> Any:
        return self.client.post(f"{API}/push", json=batch(records, **kw), headers=bearer(self.token))

    def push_ok(self, records: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
        response = self.push(records, **kw)
        assert response.status_code == 200, response.get_data(as_text=True)
        return decode(response)  # type: ignore[no-any-return]

    def put_media(self, data: bytes, sha: str | None = None, content_type: str = "image/jpeg") -> Any:
        return self.client.put(f"{API}/media/{sha or sha256(data)}", data=data,
                               headers={**bearer(self.token), "Content-Type": content_type})

    def pull(self, cursor: str | None = None, **params: str) -> dict[str, Any]:
        query = {**({"cursor": cursor} if cursor is not None else {}), **params}
        response = self.client.get(f"{API}/pull", query_string=query,
                                   headers={**bearer(self.token), "Accept-Encoding": "gzip"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return decode(response)  # type: ignore[no-any-return]

    def push_diligence(self, record: dict[str, Any], files: list[File] = (),  # type: ignore[assignment]
                       upload: bool = True) -> Diligence:
        """Pushes one sealed record, which must be accepted, then uploads its ``files`` (unless
        ``upload`` is false: an incomplete record); returns the diligence as stored."""
        (result,) = self.push_ok([record])["results"]
        assert result["status"] == "accepted", result
        for data, _role, content_type in files if upload else ():
            response = self.put_media(data, content_type=content_type)
            assert response.status_code in (200, 201), response.get_data(as_text=True)
        db.session.expire_all()
        diligence = db.session.get(Diligence, record["id"])
        assert diligence is not None
        return diligence


# --- Offices, people and their work ----------------------------------------------------------


def staff(factory: Factory, office: Office,
          people: dict[str, tuple[str, str | None, str | None]]) -> dict[str, User]:
    """The office's users by name: ``{name: (role, username, full_name)}``; a username or full
    name left as None is the factory's."""
    users = {}
    for name, (role, username, full_name) in people.items():
        extra = {"full_name": full_name} if full_name is not None else {}
        users[name] = factory.user(office, role, username, **extra)
    return users


def assignments_of(document: Document, *, live: bool = False) -> list[Assignment]:
    """Every assignment of ``document`` in the order they were made; ``live``: only those not
    withdrawn (a reassignment withdraws the previous one)."""
    query = db.session.query(Assignment).filter(Assignment.document_id == document.id)
    if live:
        query = query.filter(Assignment.status != "withdrawn")
    return query.order_by(Assignment.id).all()


def assignment_of(document: Document, *, live: bool = False) -> Assignment:
    """The one assignment of ``document`` (``live``: the one not withdrawn); fails if there are
    none or several."""
    (assignment,) = assignments_of(document, live=live)
    return assignment


def work_item(factory: Factory, office: Office, user: User | None = None, *,
              sector: Sector | None = None, due_on: date | None = None,
              **credit: Any) -> Document:
    """A debtor with an address (in ``sector``) and one credit (``credit``: its fields), the
    document that carries it, assigned to ``user`` when given."""
    debtor = factory.debtor(office)
    document = factory.document(debtor, factory.address(debtor, sector=sector),
                                credits=[factory.credit(debtor, **credit)])
    if user is not None:
        factory.assignment(document, user, **({"due_on": due_on} if due_on is not None else {}))
    return document
