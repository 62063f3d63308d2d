"""A server process killed (SIGKILL) in the middle of applying a batch leaves no half-written
record; replaying the batch after the restart completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from sqlalchemy import func, select

from fieldapp.devices.models import FeedMark
from fieldapp.diligences.models import Diligence, DiligenceMedia
from fieldapp.extensions import db
from tests.scenarios import jpeg_bytes, media_item, signature_png
from tests.sync.helpers import API, batch, bearer, chain, make_record

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 8
DELAY = 0.5  # seconds after each record, only in the killed server


def start_server(database_url: str, media_root: Path, tmp_path: Path,
                 delay: float) -> tuple[subprocess.Popen, str]:
    port_file = tmp_path / f"port-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.serve_app", database_url, str(media_root), str(port_file),
         str(delay)],
        cwd=ROOT, env={**os.environ, "FIELDAPP_ENV": "test"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not port_file.exists():
        assert process.poll() is None, "the server process died at start"
        assert time.monotonic() < deadline, "the server process did not start"
        time.sleep(0.05)
    return process, f"http://127.0.0.1:{port_file.read_text()}"


def stored() -> tuple[int, int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count(Diligence.id))) or 0,
            db.session.scalar(select(func.count(DiligenceMedia.id))) or 0,
            db.session.scalar(select(func.count()).select_from(FeedMark)
                              .where(FeedMark.entity == "diligence")) or 0)


def test_a_server_killed_mid_batch_leaves_nothing_half_written(app, database_url, tmp_path, phone, field):
    items = [media_item(jpeg_bytes(1)), media_item(signature_png(1), "signature", "image/png")]
    body = batch(chain([make_record(field.assignment.id, media=items) for _ in range(RECORDS)]))
    media_root = tmp_path / "served-media"
    process, base = start_server(database_url, media_root, tmp_path, DELAY)
    failures: list[BaseException] = []

    def push() -> None:
        try:
            requests.post(f"{base}{API}/push", json=body, headers=bearer(phone.token), timeout=60)
        except requests.ConnectionError as exc:  # the server dies under it
            failures.append(exc)

    sender = threading.Thread(target=push)
    sender.start()
    time.sleep(DELAY * RECORDS / 2)  # about half the records applied, none committed
    assert process.poll() is None, "the batch finished before the kill: make DELAY longer"
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    sender.join(30)
    assert failures, "the phone should have seen the connection drop"
    assert stored() == (0, 0, 0)
    assert db.session.get(type(field.assignment), field.assignment.id).status == "pending"

    process, base = start_server(database_url, media_root, tmp_path, 0)
    try:
        response = requests.post(f"{base}{API}/push", json=body, headers=bearer(phone.token), timeout=60)
        assert [r["status"] for r in response.json()["results"]] == ["accepted"] * RECORDS
        again = requests.post(f"{base}{API}/push", json=body, headers=bearer(phone.token), timeout=60)
        assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * RECORDS
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert stored() == (RECORDS, 2 * RECORDS, RECORDS)
    assert {d.chain_status for d in db.session.scalars(select(Diligence))} == {"ok"}
