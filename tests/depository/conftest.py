from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from tests.factories import Factory
from tests.seals.embargo import Enforcement, enforcement_setup, seizure_record


@dataclass
class Seized:
    """An embargo of four sealed goods pushed by the executor's phone."""

    enforcement: Enforcement
    record: dict
    codes: list[str]


@pytest.fixture
def seized(factory: Factory, client: FlaskClient) -> Seized:
    enforcement = enforcement_setup(factory, client)
    codes = enforcement.codes[:4]
    record = seizure_record(enforcement.assignments[0].id, *codes)
    answer = enforcement.phones[0].push_ok([record])
    assert answer["results"][0]["status"] == "accepted"
    return Seized(enforcement, record, codes)
