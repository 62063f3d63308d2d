from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.factories import Factory
from tests.seals.embargo import Enforcement, enforcement_setup


@pytest.fixture
def enforcement(factory: Factory, client: FlaskClient) -> Enforcement:
    return enforcement_setup(factory, client)
