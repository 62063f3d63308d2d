"""Weak networks resend everything: the same push replayed 100 times in a row and 20 times at
once, over real HTTP against a real server, leaves exactly one record and one copy of each
photo."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from sqlalchemy import func, select

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.media.models import MediaBlob
from tests.scenarios import enroll, jpeg_bytes, media_item, signature_png
from tests.sync.helpers import API, batch, bearer, chain, make_record


def evidence_set(seed: int) -> dict[str, tuple[bytes, str]]:
    files = [(jpeg_bytes(seed, size=(640, 480)), "image/jpeg"), (signature_png(seed), "image/png")]
    return {media_item(data)["sha256"]: (data, kind) for data, kind in files}


def records_for(assignment_id: int, files: dict[str, tuple[bytes, str]], seeds: range) -> list[dict]:
    items = [{"sha256": sha, "bytes": len(data), "type": kind,
              "role": "signature" if kind == "image/png" else "facade"}
             for sha, (data, kind) in files.items()]
    return chain([make_record(assignment_id, media=items) for _ in seeds])


def sync_once(base: str, token: str, body: dict, files: dict[str, tuple[bytes, str]],
              upload_all: bool = False) -> list[str]:
    """One phone sync: push the batch, then upload what the server says is missing (or, to
    stress the server, every file)."""
    with requests.Session() as http:
        response = http.post(f"{base}{API}/push", json=body, headers=bearer(token), timeout=60)
        assert response.status_code == 200, response.text
        answer = response.json()
        for sha in (files if upload_all else answer["missing_media"]):
            data, kind = files[sha]
            put = http.put(f"{base}{API}/media/{sha}", data=data,
                           headers={**bearer(token), "Content-Type": kind}, timeout=60)
            assert put.status_code in (200, 201), put.text
    return [r["status"] for r in answer["results"]]


def originals(app) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"])
    return sorted(p for p in root.glob("??/*") if p.is_file())


def leftovers(app) -> list[Path]:
    return [p for p in Path(app.config["MEDIA_ROOT"]).rglob(".incoming-*")]


def counts() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count(Diligence.id))) or 0,
            db.session.scalar(select(func.count()).select_from(MediaBlob)) or 0)


def test_a_push_replayed_100_times_in_a_row_is_stored_once(app, live_server, phone, field):
    files = evidence_set(1)
    body = batch(records_for(field.assignment.id, files, range(3)))
    first = sync_once(live_server, phone.token, body, files)
    assert first == ["accepted"] * 3
    for _ in range(99):
        assert sync_once(live_server, phone.token, body, files, upload_all=True) == ["duplicate"] * 3
    assert counts() == (3, 2)
    assert len(originals(app)) == 2 and leftovers(app) == []
    assert all(d.complete for d in db.session.scalars(select(Diligence)))


def test_a_push_sent_20_times_at_once_is_stored_once(app, live_server, phone, field):
    files = evidence_set(2)
    body = batch(records_for(field.assignment.id, files, range(4)))
    start = threading.Barrier(20)

    def phone_retry(_: int) -> list[str]:
        start.wait(timeout=30)
        return sync_once(live_server, phone.token, body, files, upload_all=True)

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(phone_retry, range(20)))
    per_record = list(zip(*outcomes, strict=True))
    for statuses in per_record:
        assert sorted(statuses) == ["accepted"] + ["duplicate"] * 19
    assert counts() == (4, 2)
    assert len(originals(app)) == 2 and leftovers(app) == []
    for path in originals(app):
        assert path.read_bytes() == files[path.name][0]
    stored = list(db.session.scalars(select(Diligence)))
    assert {d.chain_status for d in stored} == {"ok"}
    assert all(d.complete for d in stored)


def test_two_phones_of_one_user_racing_with_the_same_batch_store_it_once(app, live_server, phone,
                                                                          field):
    """Different devices are not serialised by the device lock: on PostgreSQL the second
    request meets the first one's rows at the unique index, rolls its fast path back and
    applies the batch record by record, answering duplicates."""
    second_token, _ = enroll(field.notifier, "Otro teléfono")
    files = evidence_set(3)
    body = batch(records_for(field.assignment.id, files, range(5)))
    app.config["SYNC_TEST_DELAY_PER_RECORD"] = 0.05  # both requests in flight together
    start = threading.Barrier(2)

    def send(token: str) -> list[str]:
        start.wait(timeout=30)
        return sync_once(live_server, token, body, files)

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(send, [phone.token, second_token])
    for statuses in zip(first, second, strict=True):
        assert sorted(statuses) == ["accepted", "duplicate"]
    assert counts() == (5, 2)
