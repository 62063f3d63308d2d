// Every case of tests/legal/vectors.json against static/js/legal.js under node, in seconds: the
// expected findings, and exactly the findings Python gives (same order, same Spanish messages,
// same fields) from the same legal pack. tests/legal/test_vectors_browser.py checks the same in
// Chromium; the packs and Python's answers come from tests/legal/vectors_for_node.py, run with
// this project's Python ($PYTHON, else .venv/bin/python, else python3).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import * as legal from "../../static/js/legal.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PYTHON = process.env.PYTHON
  || (existsSync(`${ROOT}.venv/bin/python`) ? `${ROOT}.venv/bin/python` : "python3");
const vectors = JSON.parse(execFileSync(PYTHON, ["-m", "tests.legal.vectors_for_node"], {
  cwd: ROOT, encoding: "utf-8", maxBuffer: 64 * 1024 * 1024,
}));

/** legal.js's twin of each Python function a function case names. */
const CALL = {
  is_business_day: (a, p) => legal.isBusinessDay(a.d, p),
  next_business_day: (a, p) => legal.nextBusinessDay(a.d, p),
  add_business_days: (a, p) => legal.addBusinessDays(a.d, a.n, p),
  is_business_time: (a, p) => legal.isBusinessTime(a.dt, p),
  propose_citatorio_appointment: (a, p) => legal.proposeCitatorioAppointment(a.issued_at, p, a.preferred ?? null),
  enforcement_costs: (a, p) => legal.enforcementCosts(a.base, a.on, p),
};

/** Findings as sorted (rule_id, severity, field): the multiset a vector expects. */
function findingKeys(findings) {
  return findings.map((f) => [f.rule_id, f.severity, f.field]).sort((a, b) => (String(a) < String(b) ? -1 : 1));
}

/** A fresh copy of a pack, as each case gets in the browser (legal.js caches per pack object). */
function pack(name) {
  return structuredClone(vectors.packs[name]);
}

describe("facts vectors", () => {
  for (const c of vectors.facts) {
    test(c.id, () => {
      const findings = legal.checkDiligence(c.facts, pack(c.pack), c.now ?? null);
      assert.deepEqual(findingKeys(findings), findingKeys(c.expect), c.description);
      assert.deepEqual(findings, c.python, "legal.js and fieldapp.legal give the same findings");
    });
  }
});

describe("function vectors", () => {
  for (const c of vectors.functions) {
    test(c.id, () => {
      const run = () => CALL[c.fn](c.args, pack(c.pack));
      if (c.expect && typeof c.expect === "object" && c.expect.raises) {
        assert.throws(run, RangeError);
        assert.deepEqual(c.python, { raised: true });
        return;
      }
      const value = run();
      assert.deepEqual(value, c.expect, c.description);
      assert.deepEqual({ value }, c.python, "legal.js and fieldapp.legal give the same value");
    });
  }
});

test("every function legal.js shares with Python has its cases run", () => {
  assert.deepEqual(Object.keys(CALL).sort(), vectors.js_fns);
  assert.deepEqual([...new Set(vectors.functions.map((c) => c.fn))].sort(), vectors.js_fns);
  assert.ok(vectors.facts.length + vectors.functions.length >= 80);
});
