"""Applying a pushed batch: every record through the one write path, each atomically, one
failing record never blocking the others; the answer names each record's fate and the files the
server still needs."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from fieldapp.devices.models import Device
from fieldapp.diligences.services import Receipt, RecordResult, record_diligences
from fieldapp.extensions import db
from fieldapp.transactions import begin_write_transaction
from sync.protocol import (
    RecordIn,
    RecordInvalid,
    format_timestamp,
    parse_batch,
    parse_record,
    record_id_of,
)

DEFAULT_MAX_BATCH_RECORDS = 100


def max_batch_records() -> int:
    return int(current_app.config.get("SYNC_MAX_BATCH_RECORDS", DEFAULT_MAX_BATCH_RECORDS))


def _test_pause() -> Callable[[], None] | None:
    """In tests only (SYNC_TEST_DELAY_PER_RECORD): write each record, uncommitted, then wait,
    so a test can kill the server in the middle of a batch."""
    delay = float(current_app.config.get("SYNC_TEST_DELAY_PER_RECORD") or 0.0)
    if current_app.config.get("FIELDAPP_ENV") != "test" or delay <= 0:
        return None

    def pause() -> None:
        db.session.flush()
        time.sleep(delay)

    return pause


def push_batch(device: Device, body: Any, received_at: datetime) -> dict[str, Any]:
    """Applies a batch for ``device`` (the caller commits once). Raises BatchInvalid when the
    envelope itself is wrong; problems of single records are answered per record."""
    batch = parse_batch(body, max_batch_records())
    begin_write_transaction()
    # One phone pushes one stream: its batches are applied one after the other, so the hash
    # chain is judged in a stable order even when a retry races the original request.
    db.session.execute(select(Device.id).where(Device.id == device.id).with_for_update())
    offset = round((batch.device_time - received_at).total_seconds())
    receipt = Receipt(user=device.user, device=device, received_at=received_at,
                      clock_offset_seconds=offset)
    parsed: list[RecordIn | RecordInvalid] = []
    for raw in batch.records:
        try:
            parsed.append(parse_record(raw))
        except RecordInvalid as exc:
            parsed.append(exc)
    valid = [r for r in parsed if isinstance(r, RecordIn)]
    outcomes = iter(record_diligences(valid, receipt, after_each=_test_pause()))
    results: list[dict[str, Any]] = []
    missing: dict[str, None] = {}
    for raw, rec in zip(batch.records, parsed, strict=True):
        if isinstance(rec, RecordInvalid):
            results.append({"id": record_id_of(raw), "status": "rejected",
                            "errors": [e.to_dict() for e in rec.errors]})
            continue
        outcome = next(outcomes)
        results.append(result_dict(rec.id, outcome))
        missing.update(dict.fromkeys(outcome.missing_media))
    return {
        "received_at": format_timestamp(received_at),
        "clock_offset_seconds": offset,
        "results": results,
        "missing_media": list(missing),
    }


def result_dict(record_id: str, outcome: RecordResult) -> dict[str, Any]:
    item: dict[str, Any] = {"id": record_id, "status": outcome.status}
    if outcome.status == "conflict":
        item["error"] = {"code": outcome.code, "message": outcome.message, "http_status": 409}
        return item
    if outcome.status == "rejected":
        item["errors"] = [e.to_dict() for e in outcome.errors]
        return item
    d = outcome.diligence
    assert d is not None
    item.update({
        "version": d.version,
        "replaces": d.replaces_id,
        "complete": d.complete,
        "missing_media": list(outcome.missing_media),
        "review_state": d.review_state,
        "chain_status": d.chain_status,
        "flags": d.flags,
        "findings": d.findings,
    })
    seal_problems = (d.server_notes or {}).get("seals")
    if seal_problems:  # only when there are some: older phones never see the member
        item["seal_problems"] = seal_problems
    return item
