"""PUT /api/sync/v1/media/{sha256}: only real, whole images within the limits are kept, as
evidence, content-addressed; anything else is a clear 4xx and leaves nothing behind."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.media.models import MediaBlob
from fieldapp.media.services import thumbnail_of
from tests.scenarios import ApiPhone, jpeg_bytes, media_item, sha256, signature_png
from tests.sync.helpers import make_record


def stored_files(app) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def blob_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MediaBlob)) or 0


def announce(phone: ApiPhone, field, items: list[dict]) -> dict:
    """Pushes a record listing the files, as the protocol requires before their upload."""
    record = make_record(field.assignment.id, media=items)
    answer = phone.push_ok([record])
    return answer["results"][0]


def assert_nothing_stored(app) -> None:
    assert blob_count() == 0
    assert stored_files(app) == []


def test_a_photo_is_kept_byte_for_byte_under_its_hash_with_a_thumbnail(app, phone, field):
    photo = jpeg_bytes(7, size=(800, 600))
    signature = signature_png(3)
    result = announce(phone, field, [media_item(photo), media_item(signature, "signature", "image/png")])
    response = phone.put_media(photo)
    assert response.status_code == 201
    assert response.get_json() == {"sha256": sha256(photo), "stored": True, "bytes": len(photo),
                                   "content_type": "image/jpeg", "completed_records": []}
    root = Path(app.config["MEDIA_ROOT"])
    assert (root / sha256(photo)[:2] / sha256(photo)).read_bytes() == photo
    thumbnail = root / "thumbs" / sha256(photo)[:2] / f"{sha256(photo)}.jpg"
    assert not thumbnail.exists()  # made the first time an office screen asks for it
    assert thumbnail_of(sha256(photo)) == thumbnail
    with Image.open(thumbnail) as thumb:
        assert max(thumb.size) == 320
    # The last file completes the record.
    response = phone.put_media(signature, content_type="image/png")
    assert response.status_code == 201
    assert response.get_json()["completed_records"] == [result["id"]]
    assert db.session.get(Diligence, result["id"]).complete


def test_sending_a_stored_photo_again_is_a_harmless_success(app, phone, field):
    photo = jpeg_bytes(1)
    announce(phone, field, [media_item(photo)])
    assert phone.put_media(photo).status_code == 201
    again = phone.put_media(photo)
    assert again.status_code == 200 and again.get_json()["stored"] is False
    assert blob_count() == 1
    assert len([p for p in stored_files(app) if "thumbs" not in p.parts]) == 1


def test_a_webp_is_accepted(phone, field):
    out = BytesIO()
    Image.new("RGB", (50, 40), "red").save(out, "WEBP")
    webp = out.getvalue()
    announce(phone, field, [media_item(webp, "evidence", "image/webp")])
    assert phone.put_media(webp, content_type="image/webp").status_code == 201


def test_a_file_no_record_lists_is_refused(app, phone):
    response = phone.put_media(jpeg_bytes(2))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "media_not_referenced"
    assert_nothing_stored(app)


def test_another_users_file_is_not_theirs_to_upload(app, client, phone, field, factory):
    photo = jpeg_bytes(4)
    announce(phone, field, [media_item(photo)])
    stranger = factory.user(field.office, "notifier")
    other = ApiPhone.enroll(client, stranger)
    assert other.put_media(photo).status_code == 409
    assert_nothing_stored(app)


def test_a_truncated_jpeg_is_refused(app, phone, field):
    photo = jpeg_bytes(5, size=(300, 200))
    cut = photo[: len(photo) // 2]
    announce(phone, field, [media_item(cut)])
    response = phone.put_media(cut)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "corrupt_image"
    assert_nothing_stored(app)


def test_a_decompression_bomb_is_refused_before_decoding(app, phone, field):
    out = BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # 144 MP of nothing, ~20 KB
    bomb = out.getvalue()
    assert len(bomb) < 100_000
    announce(phone, field, [media_item(bomb, "evidence", "image/png")])
    response = phone.put_media(bomb, content_type="image/png")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "image_too_large"
    assert_nothing_stored(app)


def test_pillows_own_bomb_guard_is_a_refusal_too(app, phone, field):
    app.config["MEDIA_MAX_PIXELS"] = 10**12  # past our cap: Pillow's guard still stands
    out = BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")
    bomb = out.getvalue()
    announce(phone, field, [media_item(bomb, "evidence", "image/png")])
    response = phone.put_media(bomb, content_type="image/png")
    assert response.status_code == 422
    assert_nothing_stored(app)


def test_a_png_that_is_really_html_is_refused(app, phone, field):
    fake = b"\x89PNG\r\n\x1a\n<html><script>alert('x')</script></html>"
    announce(phone, field, [media_item(fake, "evidence", "image/png")])
    response = phone.put_media(fake, content_type="image/png")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "not_an_image"
    plain_html = b"<!doctype html><script>alert(1)</script>"
    announce(phone, field, [media_item(plain_html, "evidence", "image/png")])
    assert phone.put_media(plain_html, content_type="image/png").status_code == 415
    assert_nothing_stored(app)


def test_bytes_that_do_not_match_the_hash_are_refused(app, phone, field):
    photo = jpeg_bytes(8)
    announce(phone, field, [media_item(photo)])
    response = phone.put_media(jpeg_bytes(9), sha=sha256(photo))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "hash_mismatch"
    assert_nothing_stored(app)


def test_a_body_over_the_limit_is_refused(app, phone, field):
    app.config["MEDIA_MAX_BYTES"] = 2_000
    photo = jpeg_bytes(10, size=(400, 400), quality=95)
    assert len(photo) > 2_000
    announce(phone, field, [media_item(photo)])
    response = phone.put_media(photo)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert_nothing_stored(app)


def test_a_file_of_another_type_than_declared_is_refused(app, phone, field):
    photo = jpeg_bytes(11)
    announce(phone, field, [media_item(photo, "signature", "image/png")])
    response = phone.put_media(photo, content_type="image/png")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "type_mismatch"
    assert_nothing_stored(app)


@pytest.mark.parametrize("path", ["/api/sync/v1/media/XYZ", "/api/sync/v1/media/" + "A" * 64])
def test_a_path_that_is_not_a_sha256_is_not_found(phone, path):
    response = phone.client.put(path, data=b"x", headers={"Authorization": f"Bearer {phone.token}"})
    assert response.status_code == 404


def test_without_a_token_nothing_is_read(app, client, phone, field):
    photo = jpeg_bytes(12)
    announce(phone, field, [media_item(photo)])
    response = client.put(f"/api/sync/v1/media/{sha256(photo)}", data=photo)
    assert response.status_code == 401
    assert_nothing_stored(app)


# The office screens ----------------------------------------------------------------------------

def test_the_office_head_sees_the_evidence_and_another_office_does_not(auth, client, phone, field,
                                                                        factory):
    photo = jpeg_bytes(13)
    announce(phone, field, [media_item(photo)])
    phone.put_media(photo)
    auth.login(field.supervisor.username)
    with client.get(f"/evidencias/{sha256(photo)}/miniatura") as thumb:
        assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    with client.get(f"/evidencias/{sha256(photo)}") as original:
        assert original.status_code == 200 and original.get_data() == photo
        assert original.headers["X-Content-Type-Options"] == "nosniff"
    auth.logout()
    other_office = factory.office()
    auth.login(factory.user(other_office, "supervisor").username)
    assert client.get(f"/evidencias/{sha256(photo)}").status_code == 404
