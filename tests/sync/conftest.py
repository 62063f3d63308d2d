from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import Document
from tests.factories import Factory
from tests.scenarios import ApiPhone, assignment_of


@dataclass
class Field:
    office: Office
    notifier: User
    supervisor: User
    document: Document
    assignment: Assignment


@pytest.fixture
def field(factory: Factory) -> Field:
    office = factory.office()
    notifier = factory.user(office, "notifier")
    supervisor = factory.user(office, "supervisor")
    document = factory.portfolio_item(office, notifier)
    return Field(office, notifier, supervisor, document, assignment_of(document))


@pytest.fixture
def phone(client: FlaskClient, field: Field) -> ApiPhone:
    return ApiPhone.enroll(client, field.notifier)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served by a real threaded HTTP server on 127.0.0.1 (port chosen by the OS)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
