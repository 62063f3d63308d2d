"""static/js/sync-hash.js in Debian's Chromium computes the same canonical form and content hash
as the server (fieldapp.diligences.records), for Spanish text, emoji, awkward numbers and key
orders, and a record sealed in the browser is accepted by the real push endpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from sync.protocol import CanonicalError, canonical_json, content_hash, loads
from tests.sync.helpers import make_record

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page of the running app (127.0.0.1 is a secure context: crypto.subtle works)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/entrar")
    yield page
    context.close()

HASH_ALL = """
async (texts) => {
  const h = await import(new URL("/static/js/sync-hash.js", location.href).href);
  const out = [];
  for (const text of texts) {
    const value = JSON.parse(text);
    try {
      out.push({canonical: h.canonicalJSON(value), hash: await h.contentHash(value)});
    } catch (e) {
      out.push({error: e.constructor.name, message: String(e)});
    }
  }
  return out;
}
"""


def records() -> list[dict]:
    spanish = make_record(41, facts={
        "kind": "citatorio", "absence_reason": "Salió a la señora Muñoz; ¿regresa? ¡Mañana! ü",
        "attendee": {"name": "José Ángel Ñúñez Güemes", "relationship": "Cónyuge 👩‍👧"},
        "address": {"text": "Calle 5 de Mayo #12, Col. Niños Héroes, C.P. 44100", "origin": "fiscal"},
    })
    numbers = make_record(42, gps={"latitude": -0.0, "longitude": -103.34751234567891,
                                   "accuracy_m": 1e-7, "fix_at": "2026-03-10T17:56:02.250Z"})
    numbers["facts"]["entered_at"] = {}
    odd = {"z": 1, "a": [0.1, 0.2, 0.30000000000000004, 1e21, 1e22, 5e-324, 1.7976931348623157e308,
                         -1.5e-7, 123456789.125, 9007199254740991, -9007199254740991, 100.0],
           "\U0001f600": "emoji key", "\uffff": "last BMP key", "é": "e acute", "E": "upper",
           "ctl": "tab\there\nnew \x01 \x7f \u2028 \"q\" \\", "empty": {}, "list": [], "nil": None,
           "bools": [True, False]}
    return [spanish, numbers, odd]


def test_javascript_and_python_agree_on_the_canonical_form_and_hash(page: Page):
    values = records()
    texts = [json.dumps(v, ensure_ascii=False) for v in values]
    results = page.evaluate(HASH_ALL, texts)
    for text, result in zip(texts, results, strict=True):
        assert "error" not in result, result
        value = loads(text)
        body = {k: v for k, v in value.items() if k != "content_hash"}
        assert result["canonical"] == canonical_json(value)
        assert result["hash"] == content_hash(body)
    assert results[0]["hash"] == values[0]["content_hash"]
    assert "José Ángel Ñúñez Güemes" in results[0]["canonical"]


def test_both_sides_refuse_what_has_no_canonical_form(page: Page):
    bad = ['{"n": 9007199254740993}', '{"n": 1e20}', '{"s": "\\ud800"}', '[' * 30 + ']' * 30]
    results = page.evaluate(HASH_ALL, bad)
    assert [r.get("error") for r in results] == ["CanonicalError"] * 4
    for text in bad:
        with pytest.raises(CanonicalError):
            canonical_json(loads(text))


SEAL_AND_PUSH = """
async ({record, token}) => {
  const h = await import(new URL("/static/js/sync-hash.js", location.href).href);
  const sealed = await h.sealRecord(record);
  const response = await fetch("/api/sync/v1/push", {
    method: "POST",
    headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token},
    body: JSON.stringify({device_time: new Date().toISOString(), records: [sealed]}),
  });
  return {status: response.status, body: await response.json(), hash: sealed.content_hash};
}
"""


def test_a_record_sealed_in_the_browser_is_accepted_by_the_server(page: Page, phone, field):
    record = make_record(field.assignment.id)
    del record["content_hash"]
    record["facts"]["attendee"]["name"] = "Dña. María de la Luz Peña"
    outcome = page.evaluate(SEAL_AND_PUSH, {"record": record, "token": phone.token})
    assert outcome["status"] == 200
    assert outcome["body"]["results"][0]["status"] == "accepted"
    stored = db.session.get(Diligence, record["id"])
    assert stored.content_hash == outcome["hash"]
