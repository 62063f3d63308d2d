"""The protocol's pure parts: the canonical form and hash of a record, and the form checks."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from sync.protocol import (
    CanonicalError,
    RecordInvalid,
    canonical_json,
    content_hash,
    js_number,
    loads,
    parse_batch,
    parse_record,
)
from tests.sync.helpers import make_record, seal

# Numbers as JavaScript's Number.prototype.toString prints them (ECMA-262 Number::toString).
JS_NUMBERS = [
    (1.0, "1"), (100.0, "100"), (-0.0, "0"), (0.5, "0.5"), (0.1 + 0.2, "0.30000000000000004"),
    (1e21, "1e+21"), (1e20, "100000000000000000000"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"),
    (0.000001, "0.000001"), (123456789.125, "123456789.125"), (-103.347512, "-103.347512"),
    (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (2.0**53, "9007199254740992"),
]


@pytest.mark.parametrize(("number", "text"), JS_NUMBERS)
def test_numbers_are_written_as_javascript_writes_them(number, text):
    assert js_number(number) == text


def test_the_canonical_form_sorts_keys_by_utf16_and_keeps_text_as_is():
    value = {"ñandú": 1, "b": [True, None, 2.50], "a": {"z": "é\n\"", "\U0001f600": 1, "\uffff": 2},
             "A": "Pérez Gómez"}
    assert canonical_json(value) == (
        '{"A":"Pérez Gómez","a":{"z":"é\\n\\"","\U0001f600":1,"\uffff":2},"b":[true,null,2.5],'
        '"ñandú":1}')


def test_control_characters_are_escaped_like_json_stringify():
    assert canonical_json("\x00\x1f\x7f\b\t") == '"\\u0000\\u001f\x7f\\b\\t"'


@pytest.mark.parametrize("bad", [math.nan, math.inf, 2**53, -(2**53), 2.0**53, 1e20, "\ud800", {1: "x"},
                                 {"a": object()}])
def test_values_without_a_canonical_form_are_refused(bad):
    with pytest.raises(CanonicalError):
        canonical_json(bad)


def test_nesting_is_bounded():
    deep: list = []
    for _ in range(40):
        deep = [deep]
    with pytest.raises(CanonicalError):
        canonical_json(deep)
    with pytest.raises(CanonicalError):
        loads("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CanonicalError):
        loads('{"a": NaN}')


def test_the_hash_covers_everything_but_itself_including_the_photo_hashes():
    record = make_record(1, media=[{"sha256": "a" * 64, "bytes": 10, "type": "image/jpeg",
                                    "role": "facade"}])
    assert content_hash(record) == record["content_hash"]
    other_photo = {**record, "media": [{**record["media"][0], "sha256": "b" * 64}]}
    assert content_hash(other_photo) != record["content_hash"]
    assert content_hash({**record, "content_hash": "x"}) == record["content_hash"]


def test_key_order_and_number_spelling_do_not_change_the_hash():
    record = make_record(1)
    shuffled = json.loads(json.dumps(dict(reversed(list(record.items())))).replace("8.5", "8.50"))
    assert content_hash(shuffled) == record["content_hash"]


def test_a_well_formed_record_parses():
    record = make_record(7, warning_reasons={"R-NOT-2": "Único domicilio conocido."})
    parsed = parse_record(seal(record))
    assert parsed.assignment_id == 7 and parsed.gps.accuracy_m == 8.5
    assert parsed.captured_at.isoformat() == "2026-03-10T18:41:00+00:00"
    assert parsed.warning_reasons == {"R-NOT-2": "Único domicilio conocido."}


@pytest.mark.parametrize(("change", "field"), [
    ({"id": "NOT-A-UUID"}, "id"),
    ({"id": "6F9619FF-8B86-D011-B42D-00C04FC964FF"}, "id"),
    ({"captured_at": "2026-03-10T12:41:00-06:00"}, "captured_at"),
    ({"assignment_id": True}, "assignment_id"),
    ({"gps": {"latitude": 91, "longitude": 0, "accuracy_m": 1, "fix_at": "2026-03-10T18:41:00.000Z"}},
     "gps.latitude"),
    ({"media": [{"sha256": "A" * 64, "bytes": 1, "type": "image/jpeg", "role": "facade"}]},
     "media[0].sha256"),
    ({"media": [{"sha256": "a" * 64, "bytes": 1, "type": "image/gif", "role": "facade"}]}, "media[0].type"),
    ({"previous_hash": "abc"}, "previous_hash"),
    ({"warning_reasons": {"R-NOT-2": ""}}, "warning_reasons.R-NOT-2"),
    ({"facts": []}, "facts"),
])
def test_form_errors_name_the_member(change, field):
    with pytest.raises(RecordInvalid) as caught:
        parse_record(seal({**make_record(1), **change}))
    assert field in [e.field for e in caught.value.errors]


def test_a_batch_has_a_device_time_and_a_bounded_list():
    assert len(parse_batch({"device_time": "2026-03-10T18:41:00.000Z", "records": [{}]}, 5).records) == 1
    for bad in ({"records": []}, {"device_time": "2026-03-10T18:41:00.000Z", "records": {}},
                {"device_time": "2026-03-10T18:41:00.000Z", "records": [1] * 6},
                {"device_time": "2026-03-10T18:41:00.000Z", "records": [], "extra": 1}, []):
        with pytest.raises(ValueError):
            parse_batch(bad, 5)


def test_the_worked_example_of_the_protocol_document():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "sync-protocol.md").read_text()
    example = json.loads(re.search(r"Worked example.*?```json\n(.*?)```", doc, re.S).group(1))
    canonical = re.search(r"canonical form:\n\n```\n(.*?)\n```", doc, re.S).group(1)
    expected = re.search(r"`content_hash` = `([0-9a-f]{64})`", doc).group(1)
    assert canonical_json(example) == canonical
    assert content_hash(example) == expected
