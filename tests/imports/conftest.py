from __future__ import annotations

import pytest

from fieldapp.offices.models import Office
from tests.imports.helpers import OFFICE


@pytest.fixture
def office(factory) -> Office:  # type: ignore[no-untyped-def]
    office = factory.office(code=OFFICE, name="Subdelegación Guadalajara Centro")
    factory.sector(office, code="S02", name="Americana")
    return office
