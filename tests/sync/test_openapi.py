"""The OpenAPI document describes the device API, and schemathesis, generating ≥ 500 cases from
it (valid and invalid), finds no server error against a live server."""

from __future__ import annotations

import contextlib

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, select

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.legal.facts import NOTIFIER_KINDS
from sync.openapi import openapi_document
from sync.protocol import CanonicalError, content_hash
from tests.scenarios import enroll
from tests.sync.helpers import API, bearer

# Examples per operation and generation mode; the sum is what the test promises (≥ 500).
# (The document itself, GET openapi.json, takes no input: schemathesis has nothing to vary.)
BUDGET = {
    "POST /api/sync/v1/push": (80, 60),
    "GET /api/sync/v1/pull": (60, 60),
    "PUT /api/sync/v1/media/{sha256}": (60, 60),
    "POST /api/sync/v1/devices": (40, 40),
    "POST /api/sync/v1/enrollments/{code}": (40, 40),
    "DELETE /api/sync/v1/devices/current": (10, 10),
}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def test_the_document_is_served_and_lists_every_endpoint(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document == openapi_document()
    assert set(document["paths"]) == {
        "/api/sync/v1/devices", "/api/sync/v1/enrollments/{code}", "/api/sync/v1/devices/current",
        "/api/sync/v1/pull", "/api/sync/v1/push", "/api/sync/v1/media/{sha256}",
        "/api/sync/v1/openapi.json"}


def reseal(body: object, assignment_id: int) -> None:
    """Gives generated records a real assignment and a matching hash, so they reach the
    storage code instead of stopping at the hash check."""
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        return
    for i, record in enumerate(body["records"]):
        if not isinstance(record, dict):
            continue
        if i % 2 == 0:
            record["assignment_id"] = assignment_id
            if record.get("kind") not in NOTIFIER_KINDS:
                record["kind"] = "citatorio"
            if isinstance(record.get("facts"), dict):
                record["facts"]["kind"] = record["kind"]
            record.pop("warning_reasons", None)
        with contextlib.suppress(CanonicalError):
            record["content_hash"] = content_hash(record)


def fuzz(operation, mode: GenerationMode, examples: int, *, base_url: str, token: str,
         http: requests.Session, assignment_id: int) -> int:
    """Runs ``examples`` generated cases of one operation; returns how many ran."""
    ran = 0
    checks = CHECKS if mode is GenerationMode.POSITIVE else [not_a_server_error]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        nonlocal ran
        ran += 1
        # Schemathesis makes up bearer tokens; the point is what a real phone may send.
        case.headers = {**(case.headers or {}), **bearer(token)}
        if mode is GenerationMode.POSITIVE and operation.path.endswith("/push"):
            reseal(case.body, assignment_id)
        response = case.call(base_url=base_url, session=http)
        case.validate_response(response, checks=checks)

    run()
    return ran


def test_schemathesis_finds_no_server_error(live_server, phone, field):
    schema = schemathesis.openapi.from_url(f"{live_server}{API}/openapi.json")
    revocable_token, _ = enroll(field.notifier, "Para revocar")
    ran: dict[str, int] = {}
    operations = sorted((op for op in (r.ok() for r in schema.get_all_operations())
                         if f"{op.method.upper()} {op.path}" in BUDGET),
                        key=lambda op: list(BUDGET).index(f"{op.method.upper()} {op.path}"))
    with requests.Session() as http:
        for operation in operations:  # the token revocation last
            label = f"{operation.method.upper()} {operation.path}"
            token = revocable_token if operation.method == "delete" else phone.token
            for mode, examples in zip((GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
                                      BUDGET[label], strict=True):
                ran[label] = ran.get(label, 0) + fuzz(operation, mode, examples, base_url=live_server,
                                                      token=token, http=http,
                                                      assignment_id=field.assignment.id)
    assert set(ran) == set(BUDGET)
    assert sum(ran.values()) >= 500, ran
    # Generated records got past the protocol checks and were stored (with their findings).
    assert db.session.scalar(select(func.count(Diligence.id))) > 0
