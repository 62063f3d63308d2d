"""The demo's field work: records stored through the sync write path, photos through the media
service, review states through ``decide``, so the office head sees real content at once."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from geopy.distance import geodesic
from PIL import Image
from sqlalchemy import func, select

from fieldapp.credits.models import EstradosCase
from fieldapp.demo.commands import demo_command
from fieldapp.demo.evidence import facade_photo, signature_png
from fieldapp.demo.services import seed_demo
from fieldapp.devices.models import Device
from fieldapp.diligences.models import Diligence, DiligenceMedia, ReviewEvent
from fieldapp.diligences.records import content_hash
from fieldapp.diligences.services import missing_media, stored_record_matches
from fieldapp.extensions import db
from fieldapp.legal.services import calendar_for
from fieldapp.media import storage
from fieldapp.media.models import MediaBlob
from fieldapp.media.services import thumbnail_of
from fieldapp.offices.models import Office
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import CreditStatusChange


@pytest.fixture
def demo_via_command(app, database_url, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("MEDIA_ROOT", app.config["MEDIA_ROOT"])
    result = CliRunner().invoke(demo_command, ["--no-serve"])
    assert result.exit_code == 0, result.output
    assert "diligencias de los últimos días hábiles" in result.output
    db.session.expire_all()
    return result


def diligences() -> list[Diligence]:
    return list(db.session.scalars(select(Diligence).order_by(Diligence.captured_at)))


def test_the_demo_holds_diligences_in_every_review_state(demo_via_command):
    records = diligences()
    states = Counter(d.review_state for d in records)
    assert set(states) == {"received", "approved", "returned", "rejected"}, states
    kinds = Counter(d.kind for d in records)
    assert {"citatorio", "posting_record", "notification", "not_located", "payment_demand"} <= set(kinds)
    # Notifications of both kinds: first visits and follow-ups after a citatorio (R-NOT-5).
    assert any(d.kind == "notification" and "citatorio" in d.facts for d in records)
    assert any(d.kind == "notification" and "citatorio" not in d.facts for d in records)
    # Decisions keep who and why (workflows.md: Review).
    rejected = [d for d in records if d.review_state == "rejected"]
    assert all(e.reason for d in rejected for e in d.review_events if e.action == "rejected")
    returned = [d for d in records if d.review_state == "returned"]
    assert all(e.observations for d in returned for e in d.review_events if e.action == "returned")
    assert {e.actor.username for e in db.session.scalars(select(ReviewEvent))} == {"jefe1"}


def test_every_stored_record_matches_its_hash_and_chain(demo_via_command):
    records = diligences()
    assert len(records) >= 25
    for d in records:
        assert stored_record_matches(d), d
        assert d.content_hash == content_hash(d.content)
        assert d.chain_status == "ok" and not d.clock_drift
    # One chain per demo phone: each record names the previous record of the same phone.
    for device in db.session.scalars(select(Device)):
        mine = sorted((d for d in records if d.device_id == device.id), key=lambda d: d.received_at)
        assert mine and mine[0].previous_hash is None
        hashes = {d.content_hash for d in mine}
        assert all(d.previous_hash in hashes for d in mine[1:])
        assert len({d.previous_hash for d in mine}) == len(mine)  # no fork
        assert {d.user_id for d in mine} == {device.user_id}


def test_photos_and_signatures_are_on_disk_and_one_never_arrived(demo_via_command):
    records = diligences()
    blobs = {b.sha256: b for b in db.session.scalars(select(MediaBlob))}
    assert len(blobs) >= 50
    for blob in blobs.values():
        data = storage.original_path(blob.sha256).read_bytes()
        assert len(data) == blob.bytes <= 300_000
        assert thumbnail_of(blob.sha256).exists()
        with Image.open(BytesIO(data)) as image:
            assert image.format == {"image/jpeg": "JPEG", "image/png": "PNG"}[blob.content_type]
    roles = Counter(m.role for m in db.session.scalars(select(DiligenceMedia)))
    assert {"facade", "signature", "posting", "evidence", "document"} <= set(roles)
    incomplete = [d for d in records if not d.complete]
    assert incomplete and all("incomplete" in d.flags for d in incomplete)
    for d in incomplete:
        lost = missing_media(d)
        assert lost and not any(storage.original_path(sha).exists() for sha in lost)
    assert sum(d.complete for d in records) > len(records) - 3


def test_some_records_carry_findings_a_warning_with_its_reason_and_a_block(demo_via_command):
    records = diligences()
    warnings = [f for d in records for f in d.findings if f["severity"] == "warn"]
    assert warnings and all(f.get("reason") for f in warnings)  # the phone asks for a reason
    blocked = [d for d in records if d.has_block_findings]
    assert len(blocked) == 1
    assert [f["rule_id"] for f in blocked[0].findings if f["severity"] == "block"] == ["R-NOT-5"]
    assert any(not d.findings for d in records)


def test_a_returned_record_came_back_corrected_as_a_new_version(demo_via_command):
    corrections = [d for d in diligences() if d.replaces_id is not None]
    assert len(corrections) == 1
    correction = corrections[0]
    old = db.session.get(Diligence, correction.replaces_id)
    assert old.review_state == "returned" and old.superseded_by_id == correction.id
    assert correction.version == 2 and correction.root_id == old.id
    assert correction.review_state == "received" and correction.assignment_id == old.assignment_id
    returned_at = next(e.at for e in old.review_events if e.action == "returned")
    assert correction.received_at >= returned_at
    assert correction.media_count == old.media_count + 1  # the photo the office head asked for


def test_gps_fixes_lie_near_the_address_some_far_or_imprecise(demo_via_command):
    distances = []
    for d in diligences():
        address = d.document.address
        distances.append((geodesic((d.gps_latitude, d.gps_longitude),
                                   (address.latitude, address.longitude)).m, d.gps_accuracy_m))
    assert sum(m < 60 and acc < 20 for m, acc in distances) > len(distances) // 2
    assert any(m > 1000 for m, _ in distances)  # R-GPS-1 fired, with the field user's reason
    assert any(d.far_from_address for d in diligences())
    # Imprecise, but within R-GPS-2's limit: a worse fix could not have been finalized.
    assert any(50 < acc <= 100 for _, acc in distances)
    assert all(acc <= 100 for _, acc in distances)


def test_the_visits_happen_on_business_days_before_today_within_business_hours(demo_via_command):
    office = db.session.scalar(select(Office))
    zone = ZoneInfo(office.timezone)
    calendar = calendar_for(office)
    today = office_today(office)
    days = set()
    for d in diligences():
        started = datetime.fromisoformat(d.facts["started_at"]).astimezone(zone)
        days.add(started.date())
        assert calendar.is_business_day(started.date()) and started.date() < today
        assert 7 <= started.hour < 18
    assert len(days) >= 3 and min(days) >= today - timedelta(days=14)


def test_field_work_moved_assignments_and_credits_through_the_write_path(demo_via_command):
    from_diligences = list(db.session.scalars(
        select(CreditStatusChange).where(CreditStatusChange.source == "diligence")))
    assert {c.to_status for c in from_diligences} == {"notified", "demanded"}
    assert db.session.scalar(select(func.count(Device.id))) == 3


def test_seeding_twice_seeds_no_more_field_work(app):
    assert seed_demo() is not None
    db.session.commit()
    before = db.session.scalar(select(func.count(Diligence.id)))
    assert before >= 25
    assert seed_demo() is None
    db.session.commit()
    assert db.session.scalar(select(func.count(Diligence.id))) == before


def test_demo_images_are_deterministic_and_small():
    first = facade_photo(7, "Textiles Minerva SA de CV", "1200", "20.676712, -103.347512 ±8 m")
    assert first == facade_photo(7, "Textiles Minerva SA de CV", "1200", "20.676712, -103.347512 ±8 m")
    assert first != facade_photo(8, "Textiles Minerva SA de CV", "1200", "20.676712, -103.347512 ±8 m")
    assert 10_000 < len(first) < 300_000
    with Image.open(BytesIO(first)) as image:
        assert image.format == "JPEG" and image.size == (960, 720)
    signature = signature_png(3)
    assert signature == signature_png(3)
    with Image.open(BytesIO(signature)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
        assert image.getchannel("A").getbbox() is not None  # something was drawn


def test_the_demo_has_estrados_cases_in_more_than_one_state(demo_via_command):
    cases = list(db.session.scalars(select(EstradosCase).order_by(EstradosCase.id)))
    assert {c.reason for c in cases} == {"refused", "not_located"}
    assert {c.state for c in cases} == {"queued", "published"}
    published = next(c for c in cases if c.state == "published")
    assert published.agreement_number and published.notification_on > published.published_on
    assert all(c.diligence.review_state == "approved" for c in cases)
