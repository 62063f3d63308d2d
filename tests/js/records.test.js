// From a draft to the facts of the acta (static/js/capture/records.js buildFacts) under node:
// only the answers of the parts on screen, the derived facts, the field user's credential, money
// as decimals, the citatorio's appointment (R-NOT-3), signatures and the media of the record.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { buildFacts, draftFromPayload, isoToLocalInput } from "../../static/js/capture/records.js";
import { makePack } from "./fixtures.js";

const SHA = (c) => c.repeat(64);

const assignment = {
  document: {
    debtor: { person_type: "company" },
    address: { one_line: "Av. Juárez 100, Centro", origin: "fiscal" },
  },
};
const fieldUser = {
  name: "Juan Pérez", credential_number: "NOT-0042", issued_on: "2026-01-05", valid_until: "2026-12-31",
  issuer: "Titular", legal_basis: "Art. 137 CFF", password_hash: "never in a record",
};

function draft(values, extra = {}) {
  return {
    id: "d1", assignment_id: 7, assignment, values, entered_at: {}, arrived_at: "2026-03-10T15:55:00Z",
    started_at: "2026-03-10T16:00:00Z", gps: null, photos: [], warning_reasons: {}, replaces: null,
    created_at: "2026-03-10T15:55:00Z", updated_at: "2026-03-10T16:10:00Z", ...extra,
  };
}

function build(d, relevantNames, options = {}) {
  return buildFacts(d, {
    assignment, fieldUser, pack: makePack(), relevant: new Set(relevantNames), finishedAt: "2026-03-10T16:20:00Z", ...options,
  });
}

describe("buildFacts", () => {
  test("a notification keeps the answers on screen and derives the rest", () => {
    const d = draft({
      situation: "notification",
      attendee: { name: "x" }, // an object answer goes in as it is
      "attendee.capacity": "legal_representative",
      "hidden.answer": "stale",
      "ui.note": "never in the acta",
      "ui.credential_shown": true,
      "address.text": "Av. Juárez 100, Col. Centro",
      "field_user.legal_basis": "Art. 134 CFF",
      "empty.answer": "",
    }, {
      entered_at: {
        "attendee.capacity": "2026-03-10T16:05:00Z", "hidden.answer": "2026-03-10T16:06:00Z",
        "ui.note": "2026-03-10T16:07:00Z", "empty.answer": "2026-03-10T16:08:00Z",
      },
      photos: [
        { role: "facade", sha256: SHA("a"), bytes: 10, type: "image/jpeg" },
        { role: "document", sha256: SHA("b"), bytes: 10, type: "image/jpeg" },
      ],
    });
    const facts = build(d, ["attendee.capacity", "ui.credential_shown", "address.text", "field_user.legal_basis",
      "empty.answer", "media.facade", "situation", "ui.note"]);
    assert.deepEqual(facts, {
      attendee: { capacity: "legal_representative" },
      address: { text: "Av. Juárez 100, Col. Centro", origin: "fiscal" },
      field_user: {
        name: "Juan Pérez", credential_number: "NOT-0042", issued_on: "2026-01-05", valid_until: "2026-12-31",
        issuer: "Titular", legal_basis: "Art. 134 CFF", has_photo: true, has_signature: true,
      },
      kind: "notification",
      arrived_at: "2026-03-10T15:55:00Z",
      started_at: "2026-03-10T16:00:00Z",
      finished_at: "2026-03-10T16:20:00Z",
      addressee_type: "company",
      entered_at: { "attendee.capacity": "2026-03-10T16:05:00Z" },
      media: [{ role: "facade", id: SHA("a") }],
    });
  });

  test("the address on file stands in when none is typed; a person is addressed as one", () => {
    const person = { document: { debtor: { person_type: "person" }, address: { one_line: "Calle 1" } } };
    const facts = build(draft({ situation: "not_located" }), [], { assignment: person, fieldUser: {} });
    assert.deepEqual(facts.address, { text: "Calle 1" });
    assert.equal(facts.addressee_type, "person");
    assert.equal("field_user" in facts, false);
    assert.equal("entered_at" in facts, false);
  });

  test("a correction keeps when the corrected diligence ended", () => {
    const facts = build(draft({ situation: "notification" }, { finished_at: "2026-03-10T16:15:00Z" }), []);
    assert.equal(facts.finished_at, "2026-03-10T16:15:00Z");
  });

  test("money is written as decimals", () => {
    const facts = build(draft({ situation: "payment_demand", "payment.cheque.amount": "$ 12,345.5", "payment.outcome": "paid" }),
      ["payment.cheque.amount", "payment.outcome"]);
    assert.deepEqual(facts.payment, { cheque: { amount: "12345.5" }, outcome: "paid" });
  });

  test("an ampliación's value seized before says when the phone prefilled it", () => {
    const values = {
      situation: "seizure_extension", "seizure.previously_seized_value": "8,500.00", "ui.previous_prefilled": "8500.00",
      "seizure.items.0.category": "vehicle", "seizure.items.0.photos": [SHA("c")], "seizure.items.2.category": "cash",
    };
    const photos = [
      { role: "item", sha256: SHA("c"), bytes: 1, type: "image/jpeg" },
      { role: "item", sha256: SHA("d"), bytes: 1, type: "image/jpeg" }, // of a good half captured
    ];
    const relevant = ["seizure.previously_seized_value", "seizure.items.0.category", "seizure.items.0.photos",
      "seizure.items.2.category", "media.item"];
    const facts = build(draft(values, { photos }), relevant);
    assert.equal(facts.seizure.previously_seized_value, "8500.00");
    assert.deepEqual(facts.prefilled, ["seizure.previously_seized_value"]);
    assert.deepEqual(facts.seizure.items, [{ category: "vehicle", photos: [SHA("c")] }, { category: "cash" }],
      "a sparse list closes up");
    assert.deepEqual(facts.media, [{ role: "item", id: SHA("c") }]);
    const typed = build(draft({ ...values, "seizure.previously_seized_value": "9000" }, { photos }), relevant);
    assert.equal("prefilled" in typed, false);
  });

  test("a citatorio proposes its appointment and states when it was left (R-NOT-3)", () => {
    const values = {
      situation: "citatorio", "ui.citatorio_delivery": "person", "ui.appointment_time": "09:00",
      "ui.citatorio_issued": "2026-03-10T10:00", "ui.citatorio_appointed": "",
    };
    const facts = build(draft(values), ["ui.citatorio_issued"]);
    assert.equal(facts.kind, "citatorio");
    assert.equal(facts.appointment_at, "2026-03-11T09:00:00-06:00");
    assert.equal(facts.citatorio.issued_at, new Date("2026-03-10T10:00").toISOString());
    assert.equal("appointed_at" in facts.citatorio, false);
    assert.equal("posting_reason" in facts, false);
  });

  test("a citatorio nobody receives is a constancia de fijación with its reason (R-NOT-4)", () => {
    const facts = build(draft({ situation: "citatorio", "ui.citatorio_delivery": "nobody_present" }), []);
    assert.equal(facts.kind, "posting_record");
    assert.equal(facts.posting_reason, "nobody_present");
    assert.equal(facts.appointment_at, "2026-03-11T10:00:00-06:00");
    assert.equal("appointment_at" in build(draft({ situation: "citatorio" }), [], { pack: null }), false);
    assert.equal("appointment_at" in build(draft({ situation: "citatorio" }, { started_at: null }), []), false);
  });

  test("witnesses' and the custodian's drawn signatures are named by their files", () => {
    const photos = [
      { role: "signature", sha256: SHA("e"), bytes: 1, type: "image/png", signer: "seizure.witnesses.0", taken_at: "2026-03-10T16:12:00Z" },
      { role: "signature", sha256: SHA("f"), bytes: 1, type: "image/png", signer: "seizure.custodian", taken_at: "2026-03-10T16:13:00Z" },
      { role: "signature", sha256: SHA("9"), bytes: 1, type: "image/png", signer: "seizure.witnesses.1", taken_at: "2026-03-10T16:14:00Z" },
    ];
    const facts = build(draft({ situation: "seizure", "seizure.witnesses.0.name": "Ana" }, { photos }),
      ["media.signature", "seizure.witnesses.0.name", "seizure.witnesses.0.signature", "seizure.custodian.signature"]);
    assert.deepEqual(facts.seizure, {
      witnesses: [{ name: "Ana", signature: SHA("e"), signed: true }],
      custodian: { signature: SHA("f") },
    });
    assert.deepEqual(facts.entered_at, {
      "seizure.witnesses.0.signature": "2026-03-10T16:12:00Z", "seizure.custodian.signature": "2026-03-10T16:13:00Z",
    });
    assert.deepEqual(facts.media, [{ role: "signature", id: SHA("e") }, { role: "signature", id: SHA("f") }]);
  });
});

// A record returned for correction becomes a draft again (draftFromPayload): the form must
// open in the same situation with the same on-screen answers, the credential from the phone.
describe("draftFromPayload", () => {
  const payloadOf = (facts, kind) => ({
    id: "r1", assignment_id: 7, kind, facts, media: [], gps: null, replaces: null,
    captured_at: "2026-03-10T16:20:00Z",
  });

  test("a constancia de fijación opens as a citatorio left with nobody, at its hour", () => {
    const facts = build(draft({ situation: "citatorio", "ui.citatorio_delivery": "nobody_present" }), []);
    const again = draftFromPayload(payloadOf(facts, facts.kind), assignment);
    assert.equal(again.values.situation, "citatorio");
    assert.equal(again.values["ui.citatorio_delivery"], "nobody_present");
    assert.equal(again.values["ui.appointment_time"], "10:00");
    assert.equal("ui.after_citatorio" in again.values, false);
  });

  test("a notification on a citatorio opens as its follow-up; the credential is not copied", () => {
    const facts = {
      kind: "notification", citatorio: { issued_at: "2026-03-09T16:00:00.000Z", appointed_at: "2026-03-10T16:00:00.000Z" },
      field_user: { credential_number: "OLD-1", legal_basis: "Art. 137 CFF", has_photo: true },
      address: { text: "Av. Juárez 100" }, recipient: { name: "Ana" },
    };
    const again = draftFromPayload(payloadOf(facts, "notification"), assignment);
    assert.equal(again.values.situation, "follow_up");
    assert.equal(again.values["ui.after_citatorio"], false);
    assert.equal(again.values["ui.citatorio_issued"], isoToLocalInput("2026-03-09T16:00:00.000Z"));
    assert.equal(again.values["field_user.legal_basis"], "Art. 137 CFF");
    assert.equal("field_user.credential_number" in again.values, false);
    assert.equal(again.values["ui.credential_shown"], true);
    assert.equal(again.values["address.text"], "Av. Juárez 100");
    assert.equal(again.values["recipient.name"], "Ana");
  });
});
