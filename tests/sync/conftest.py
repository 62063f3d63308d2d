from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.devices.services import enroll_device
from fieldapp.extensions import db
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import Document
from tests.factories import Factory
from tests.sync.helpers import API, batch, bearer, decode


@dataclass
class Phone:
    """A field user's enrolled phone, talking to the app through the Flask test client."""

    client: FlaskClient
    token: str
    device_id: str
    user: User

    def push(self, records: list[dict[str, Any]], **kw: Any) -> Any:
        return self.client.post(f"{API}/push", json=batch(records, **kw), headers=bearer(self.token))

    def push_ok(self, records: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
        response = self.push(records, **kw)
        assert response.status_code == 200, response.get_data(as_text=True)
        return decode(response)  # type: ignore[no-any-return]

    def put_media(self, data: bytes, sha: str | None = None, content_type: str = "image/jpeg") -> Any:
        from tests.sync.helpers import sha256

        return self.client.put(f"{API}/media/{sha or sha256(data)}", data=data,
                               headers={**bearer(self.token), "Content-Type": content_type})

    def pull(self, cursor: str | None = None, **params: str) -> dict[str, Any]:
        query = {**({"cursor": cursor} if cursor is not None else {}), **params}
        response = self.client.get(f"{API}/pull", query_string=query,
                                   headers={**bearer(self.token), "Accept-Encoding": "gzip"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return decode(response)  # type: ignore[no-any-return]


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
    assignment = db.session.query(Assignment).filter_by(document_id=document.id).one()
    return Field(office, notifier, supervisor, document, assignment)


def enroll(user: User, name: str = "Teléfono de prueba") -> tuple[str, str]:
    enrollment = enroll_device(user, name, via="password")
    db.session.commit()
    return enrollment.token, enrollment.device.id


@pytest.fixture
def phone(client: FlaskClient, field: Field) -> Phone:
    token, device_id = enroll(field.notifier)
    return Phone(client, token, device_id, field.notifier)


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
