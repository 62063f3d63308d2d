// The embargo step's rules (static/js/capture/seizure-model.js) under node: sufficiency of the
// goods against the amount secured (R-PAE-3, R-PAE-7), the phone's history of the assignment,
// seal reuse (R-PAE-8) and what keeps a good or the diligence from going on (R-PAE-6, R-PAE-9).

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  addItem, catalogue, categoryNote, cents, decimalOf, dropItem, editorFromItem, editorProblem,
  extensionSource, formatMoney, itemCard, newItemFields, pendingPhotos, pendingProblem,
  phoneHistory, previousPrefill, readItems, realEstateTerm, scannedProblem, sealVerdict, seizedBy,
  sufficiency,
} from "../../static/js/capture/seizure-model.js";
import { CATEGORIES, makeDraft, makePack, makeRecord, makeSetting, seal } from "./fixtures.js";

const NOW = "2026-03-12T18:00:00Z";

/** A draft whose inventory holds `goods` (fields of seizure.items.N). */
function withGoods(goods, options = {}) {
  const values = { ...(options.values || {}) };
  goods.forEach((fields, n) => {
    for (const [field, value] of Object.entries(fields)) values[`seizure.items.${n}.${field}`] = value;
  });
  return makeDraft({ ...options, values });
}

const vehicle = (value, extra = {}) => ({ id: `v-${value}`, category: "vehicle", description: "Camioneta", value, ...extra });

describe("money in whole cents", () => {
  test("decimal text and cents convert both ways, keeping every cent", () => {
    assert.equal(cents("1234.5"), 123450n);
    assert.equal(cents(" 7 "), 700n);
    assert.equal(cents("-0.05"), -5n);
    assert.equal(cents("12,000"), null);
    assert.equal(cents(undefined), null);
    assert.equal(decimalOf(123450n), "1234.50");
    assert.equal(decimalOf(-5n), "-0.05");
  });

  test("amounts are shown in Mexican pesos", () => {
    assert.equal(formatMoney(1063000n), "$10,630.00");
    assert.equal(formatMoney(99999999999999n), "$999,999,999,999.99");
  });
});

describe("sufficiency (R-PAE-3, R-PAE-7)", () => {
  test("an embargo with nothing seized asks for goods worth the debt plus one charge", () => {
    const s = sufficiency(makeDraft(), makeSetting(), NOW);
    // 2 % of 10,000.00 is 200.00, below the 2026 minimum of 630.00.
    assert.deepEqual(s.slots, {
      debt: "$10,000.00", seized: "$0.00", charges: "(1 cobro)",
      charges_note: "Un solo cobro de gastos: requerimiento y embargo en la misma diligencia (R-PAE-3).",
      previous_line: "", costs: "$630.00", secured: "$10,630.00",
    });
    assert.equal(s.state, "short");
    assert.equal(s.verdict, "Embargue bienes por al menos $10,630.00.");
    assert.equal(s.amountSecured, "10630.00");
    assert.equal(s.bar, "Embargado $0.00 de $10,630.00 · faltan $10,630.00");
  });

  test("goods short of the amount secured say how much is missing", () => {
    const s = sufficiency(withGoods([vehicle("5000.00"), { category: "shares", description: "Acciones" }]), makeSetting(), NOW);
    assert.equal(s.state, "short");
    assert.equal(s.verdict, "Lo embargado no cubre el interés fiscal: faltan $5,630.00. Embargue más bienes o anote el "
      + "motivo al finalizar (R-PAE-7). Un bien no tiene valor estimado.");
  });

  test("goods covering the amount secured say what is left over", () => {
    const draft = withGoods([vehicle("11000.00")], { values: { "seizure.amount_secured": "10630.00" } });
    const s = sufficiency(draft, makeSetting(), NOW);
    assert.equal(s.state, "covered");
    assert.equal(s.verdict, "Lo embargado cubre el interés fiscal (sobran $370.00).");
    assert.equal(s.bar, "Embargado $11,000.00 de $10,630.00 · cubierto");
    assert.equal(s.amountSecured, null, "an unchanged amount is not saved again");
  });

  test("exempt and claimed goods are not counted; the whole business makes its machinery seizable", () => {
    const goods = [
      { category: "bed_and_clothing", description: "Cama", value: "3000.00" },
      vehicle("4000.00", { "third_party_claim.claimant": "Ana Ruiz" }),
      { category: "business_machinery", description: "Torno", value: "2000.00" },
    ];
    assert.equal(sufficiency(withGoods(goods), makeSetting(), NOW).slots.seized, "$0.00");
    const whole = withGoods(goods, { values: { "seizure.whole_business": true } });
    assert.equal(sufficiency(whole, makeSetting(), NOW).slots.seized, "$2,000.00");
  });

  test("a requerimiento made apart is a second charge", () => {
    const setting = makeSetting({ history: { ...makeSetting().history, priorDemand: true } });
    const s = sufficiency(makeDraft(), setting, NOW);
    assert.equal(s.slots.charges, "(2 cobros)");
    assert.equal(s.slots.costs, "$1,260.00");
    assert.match(s.slots.charges_note, /^Dos cobros de gastos/);
  });

  test("an ampliación adds what was seized before and one charge per earlier embargo", () => {
    const draft = withGoods([vehicle("1000.00")], {
      values: { situation: "seizure_extension", "seizure.previously_seized_value": "9,000.00" },
    });
    const setting = makeSetting({ history: { ...makeSetting().history, earlierCount: 2 } });
    const s = sufficiency(draft, setting, NOW);
    assert.equal(s.slots.charges, "(3 cobros)");
    assert.equal(s.slots.seized, "$10,000.00");
    assert.equal(s.slots.previous_line, "Embargado antes $9,000.00 + en esta ampliación $1,000.00.");
    assert.equal(s.slots.charges_note, "3 cobros de gastos: 2 de las diligencias anteriores (requerimiento, embargo y "
      + "ampliaciones) y el de esta ampliación (CFF 150, R-PAE-3).");
    assert.equal(s.slots.secured, "$11,890.00");
  });

  test("an ampliación whose earlier embargo is unknown here still charges for one", () => {
    const draft = makeDraft({ values: { situation: "seizure_extension" } });
    assert.equal(sufficiency(draft, makeSetting(), NOW).slots.charges, "(2 cobros)");
  });

  test("a finalized record shows the amount it was finalized with", () => {
    const draft = withGoods([vehicle("500.00")], { values: { "seizure.amount_secured": "9999.99" } });
    const s = sufficiency(draft, makeSetting({ readOnly: true }), NOW);
    assert.equal(s.slots.secured, "$9,999.99");
    assert.equal(s.amountSecured, null);
    assert.equal(s.verdict, "Lo embargado no cubre el interés fiscal: faltan $9,499.99.");
    assert.equal(sufficiency(makeDraft(), makeSetting({ readOnly: true }), NOW).verdict, "Sin bienes embargados.");
  });

  test("the office's cost base may be the principal", () => {
    const draft = makeDraft({ totals: ["100000.00"] });
    draft.assignment.document.credits[0].principal = "40000.00";
    const s = sufficiency(draft, makeSetting({ pack: makePack({ cost_base: "principal" }) }), NOW);
    assert.equal(s.slots.costs, "$800.00"); // 2 % of the principal
    assert.equal(s.slots.secured, "$100,800.00");
  });

  test("without a cost bracket in force the amount secured is not computed", () => {
    const draft = makeDraft({ started_at: "2025-12-31T16:00:00Z" });
    const s = sufficiency(draft, makeSetting(), NOW);
    assert.equal(s.verdict, "No hay tabla de gastos de ejecución vigente el 2025-12-31: sincronice con conexión.");
    assert.equal(s.slots.costs, "—");
    assert.equal(s.slots.secured, "—");
    assert.equal(s.state, "short");
    assert.equal(s.amountSecured, null);
    assert.equal(s.bar, "Embargado $0.00; interés fiscal sin calcular");
  });

  test("a diligence not started yet is judged on today's date in the office's zone", () => {
    const draft = makeDraft({ started_at: null });
    // 2026-01-01T03:00Z is still 31 December 2025 in Mexico City: no bracket then.
    assert.match(sufficiency(draft, makeSetting(), "2026-01-01T03:00:00Z").verdict, /vigente el 2025-12-31/);
  });
});

describe("the phone's history of the assignment", () => {
  const records = [
    makeRecord({ id: "other-office", assignmentId: 8, kind: "seizure", items: [{ category: "vehicle", seal: seal(3) }] }),
    makeRecord({ id: "demand", kind: "payment_demand" }),
    makeRecord({ id: "first", items: [{ category: "vehicle", value: "5000.00", seal: seal(1).toLowerCase() }] }),
    makeRecord({ id: "extension", kind: "seizure_extension", startedAt: "2026-03-08T16:00:00Z", items: [{ category: "cash", value: "100.00" }] }),
    makeRecord({ id: "replaced", replaced_by: "first", items: [{ category: "vehicle", seal: seal(4) }] }),
    makeRecord({ id: "rejected", review: { status: "rejected" } }),
    makeRecord({ id: "draft-1", items: [{ category: "vehicle", seal: seal(5) }] }),
  ];

  test("earlier embargos of the assignment, oldest first, and the seals they used", () => {
    const history = phoneHistory(makeDraft(), records);
    assert.deepEqual(history.earlier.map((r) => r.id), ["first", "extension"]);
    assert.equal(history.earlierCount, 2);
    assert.equal(history.priorDemand, true);
    assert.deepEqual([...history.earlierSeals.keys()], [seal(1)]);
    assert.equal(history.earlierSeals.get(seal(1)).n, 0);
    // Seals of every other record on the phone, of any assignment, are used elsewhere.
    assert.deepEqual([...history.usedElsewhere.keys()].sort(), [seal(1), seal(3), seal(4)].sort());
    assert.equal(history.usedElsewhere.has(seal(5)), false, "a record shown read-only is not its own history");
  });

  test("a correction keeps the seals of the version it replaces", () => {
    const history = phoneHistory(makeDraft({ replaces: "first" }), records);
    assert.deepEqual([...history.correctedSeals], [seal(1)]);
    assert.equal(history.usedElsewhere.has(seal(1)), false);
    assert.deepEqual(history.earlier.map((r) => r.id), ["extension"]);
  });

  test("visits the server knows count as earlier embargos and requerimientos", () => {
    const visits = [
      { id: "v1", kind: "seizure", review_state: "approved" },
      { id: "v2", kind: "seizure", review_state: "rejected" },
      { id: "first", kind: "seizure", review_state: "approved" }, // known here too: counted once
      { id: "v3", kind: "payment_demand" },
    ];
    const history = phoneHistory(makeDraft({ visits }), []);
    assert.equal(history.earlierCount, 2, "every embargo of the assignment but a rejected one");
    assert.equal(history.priorDemand, true);
    assert.equal(phoneHistory(makeDraft({ visits }), records).earlierCount, 3);
    const correcting = phoneHistory(makeDraft({ visits, replaces: "v3" }), []);
    assert.equal(correcting.priorDemand, false, "the requerimiento a correction replaces is not an earlier one");
  });

  test("what an embargo seized counts neither exempt nor claimed goods, plus what it carried", () => {
    const record = makeRecord({
      id: "x",
      items: [
        { category: "vehicle", value: "1000.00" },
        { category: "vehicle", value: "500.00", third_party_claim: { claimant: "Ana" } },
        { category: "bed_and_clothing", value: "300.00" },
        { category: "unknown", value: "200.00" },
      ],
      seizure: { previously_seized_value: "50.00" },
    });
    assert.equal(seizedBy(record, CATEGORIES), 105000n);
  });
});

describe("seal reuse (R-PAE-8)", () => {
  const earlier = makeRecord({ id: "first", items: [{ category: "vehicle", seal: seal(2) }] });

  function verdict(code, { draft = makeDraft(), setting = {}, ownIndex = null } = {}) {
    return sealVerdict(code, draft, makeSetting({ history: phoneHistory(draft, [earlier]), ...setting }), ownIndex);
  }

  test("no code, no verdict", () => {
    assert.equal(verdict("  "), null);
  });

  test("a wrong check character is refused", () => {
    assert.deepEqual(verdict("SE-GDL-000001-X"), {
      level: "refuse", text: "«SE-GDL-000001-X» no es un código de sello válido: revise el carácter de control (el último).",
    });
  });

  test("a seal already on another good of this embargo is refused, not on the good itself", () => {
    const draft = withGoods([vehicle("1.00", { seal: seal(1) })]);
    assert.equal(verdict(seal(1), { draft }).text, `El sello ${seal(1)} ya está en el bien 1 de este embargo: use otro (R-PAE-8).`);
    assert.equal(verdict(seal(1), { draft, ownIndex: 0 }).level, "ok");
  });

  test("a seal of an earlier embargo of the assignment is refused, naming when", () => {
    assert.deepEqual(verdict(seal(2).toLowerCase()), {
      level: "refuse",
      text: `El sello ${seal(2)} ya está en el bien 1 del embargo del 05/03/26 de esta asignación: use otro (R-PAE-8).`,
    });
  });

  test("the version a correction replaces keeps its seals", () => {
    assert.equal(verdict(seal(2), { draft: makeDraft({ replaces: "first" }) }).text, `Sello ${seal(2)} de la versión que corrige.`);
  });

  test("a seal used by another diligence of this phone is doubtful", () => {
    const other = makeRecord({ id: "elsewhere", assignmentId: 9, items: [{ category: "vehicle", seal: seal(3) }] });
    const draft = makeDraft();
    const result = sealVerdict(seal(3), draft, makeSetting({ history: phoneHistory(draft, [other]) }));
    assert.equal(result.level, "warn");
    assert.match(result.text, /ya se usó en otra diligencia de este teléfono/);
  });

  test("without the pulled list, or not on it, the office reviews the seal", () => {
    assert.equal(verdict(seal(1), { setting: { pulledSeals: null } }).text,
      "El teléfono aún no tiene la lista de sus sellos: sincronice con conexión para verificarlo.");
    assert.equal(verdict(seal(9)).text, `El sello ${seal(9)} no está entre los sellos sin usar asignados a usted: la oficina lo revisará.`);
    assert.deepEqual(verdict(` ${seal(1)} `), { level: "ok", text: `Sello ${seal(1)} válido y asignado a usted.` });
  });

  test("a scanned code that is no seal is refused with what was read", () => {
    assert.equal(scannedProblem(seal(1)), null);
    assert.equal(scannedProblem("https://example.invalid"), "El código leído («https://example.invalid») no es un sello válido; apunte a otra etiqueta.");
  });
});

describe("the good being captured", () => {
  const editing = (values, options = {}) => makeDraft({ ...options, values: { ...values, ...(options.values || {}) } });
  const problem = (values, options) => editorProblem(editing(values, options), makeSetting());

  test("each missing answer is named in turn", () => {
    assert.equal(problem({}), "Elija la categoría del bien.");
    assert.equal(problem({ "ui.item.category": "bed_and_clothing" }),
      "Lecho cotidiano y vestidos es inembargable (CFF 157 I): no puede agregarse al embargo (R-PAE-6).");
    assert.equal(problem({ "ui.item.category": "vehicle" }), "Describa el bien.");
    const described = { "ui.item.category": "vehicle", "ui.item.description": "Camioneta roja" };
    assert.equal(problem({ ...described, "ui.item.value": "mucho" }), "Escriba el valor estimado en pesos, p. ej. 12500.00.");
    assert.equal(problem({ ...described, "ui.item.claimed": true, "ui.item.claimant": "Ana" }),
      "Anote quién reclama el bien y los documentos que exhibió (R-PAE-9).");
    assert.equal(problem(described), "Este bien lleva sello: escanéelo o escriba su código (R-PAE-8).");
    assert.match(problem({ ...described, "ui.item.seal": "SE-GDL-000001-X" }), /no es un código de sello válido/);
    assert.equal(problem({ ...described, "ui.item.seal": seal(1), "ui.item.value": "$ 12,500.5" }), null);
    assert.equal(problem({ ...described, "ui.item.claimed": true, "ui.item.claimant": "Ana", "ui.item.claim_documents": "Factura" }), null,
      "a claimed good needs no seal");
  });

  test("the input limits apply to the value, quantity and description", () => {
    const limits = {
      text_max: 10, long_text_max: 2000, long_text_fields: [], money_fields: ["value"], money_max: "999999999.99",
      quantity_fields: ["quantity"], quantity_max: "1000000",
    };
    const draft = editing({ "ui.item.category": "shares", "ui.item.description": "Acciones de la empresa" });
    assert.equal(editorProblem(draft, makeSetting({ limits })), "El texto pasa de 10 caracteres.");
    const priced = editing({ "ui.item.category": "shares", "ui.item.description": "Acciones", "ui.item.value": "0" });
    assert.equal(editorProblem(priced, makeSetting({ limits })), "El importe debe ser mayor que cero.");
  });

  test("the diligence is not finalized with a good half captured or an ampliación without its base", () => {
    const setting = makeSetting();
    assert.equal(pendingProblem(editing({}), setting), null);
    assert.equal(pendingProblem(editing({ "ui.item.description": "Algo" }), setting), "Hay un bien sin agregar al inventario: agréguelo o límpielo.");
    assert.equal(pendingProblem(editing({ "ui.item.category": "bed_and_clothing" }), setting),
      "El bien que captura es inembargable (CFF 157 I): límpielo para finalizar (R-PAE-6).");
    assert.equal(pendingProblem(editing({ situation: "seizure_extension" }), setting),
      "Anote el valor de lo ya embargado en el embargo anterior (ampliación, CFF 154).");
    assert.equal(pendingProblem(editing({ situation: "seizure_extension", "seizure.previously_seized_value": "x" }), setting),
      "Escriba el valor de lo ya embargado en pesos, p. ej. 11500.00.");
    const photo = { role: "item", sha256: "a".repeat(64), bytes: 1, type: "image/jpeg" };
    assert.match(pendingProblem(editing({}, { photos: [photo] }), setting), /sin agregar/);
    assert.equal(pendingProblem(editing({ "ui.item.description": "Algo" }), makeSetting({ readOnly: true })), null);
    assert.equal(pendingProblem(editing({ situation: "payment_demand", "ui.item.description": "Algo" }), setting), null);
  });

  test("the category note names the fraction, the seal and the deposit limit", () => {
    assert.deepEqual(categoryNote({ "ui.item.category": "bank_deposit" }, CATEGORIES), {
      kind: "ok-note",
      text: "Art. 155 CFF, fracción I (dinero, metales preciosos, depósitos) · sin sello (no es un bien que se etiquete) · "
        + "se embarga sólo hasta el interés fiscal (R-PAE-7)",
    });
    assert.deepEqual(categoryNote({ "ui.item.category": "business_machinery" }, CATEGORIES), {
      kind: "error", text: "Inembargable (CFF 157 IV): no se puede embargar (R-PAE-6). Sólo con la negociación completa.",
    });
    assert.deepEqual(categoryNote({ "ui.item.category": "nonsense" }, CATEGORIES), { text: "", kind: "" });
  });
});

describe("the inventory", () => {
  const photo = (n, role = "item") => ({ role, sha256: String(n).repeat(64), bytes: 1, type: "image/jpeg" });

  test("adding a good stores it with its pending photos and empties the editor", () => {
    const draft = withGoods([vehicle("100.00", { photos: [photo(1).sha256] })], {
      photos: [photo(1), photo(2), photo(3, "facade")],
      values: {
        "ui.item.category": "cash", "ui.item.description": " Billetes ", "ui.item.value": "1,500",
        "ui.item.seal": " se-gdl-000001-l ", "ui.item.claimed": true, "ui.item.claimant": "Ana", "ui.item.claim_documents": "Recibo",
      },
    });
    assert.deepEqual(pendingPhotos(draft).map((p) => p.sha256), [photo(2).sha256]);
    const fields = newItemFields(draft, "item-2");
    assert.deepEqual(fields, {
      id: "item-2", category: "cash", description: "Billetes", value: "1500", seal: seal(1),
      "third_party_claim.claimant": "Ana", "third_party_claim.documents": "Recibo", photos: [photo(2).sha256],
    });
    addItem(draft, fields, NOW);
    const items = readItems(draft);
    assert.equal(items.length, 2);
    assert.deepEqual(items[1].fields, fields);
    assert.equal(draft.entered_at["seizure.items.1.seal"], NOW);
    assert.equal(draft.values["ui.item.description"], "");
    assert.equal(draft.values["ui.item.claimed"], false);
    assert.deepEqual(pendingPhotos(draft), []);
  });

  test("a good without photos carries none", () => {
    const draft = makeDraft({ values: { "ui.item.category": "shares", "ui.item.description": "Acciones" } });
    assert.equal("photos" in newItemFields(draft, "x"), false);
  });

  test("removing a good renumbers the rest and drops its photos; correcting it keeps them", () => {
    const goods = [vehicle("1.00", { photos: [photo(1).sha256] }), vehicle("2.00", { photos: [photo(2).sha256] }), vehicle("3.00")];
    const draft = withGoods(goods, { photos: [photo(1), photo(2)] });
    draft.entered_at["seizure.items.2.value"] = NOW;
    dropItem(draft, 0, { intoEditor: false, back: {}, photos: new Set([photo(1).sha256]) });
    assert.deepEqual(readItems(draft).map((i) => i.fields.value), ["2.00", "3.00"]);
    assert.equal(draft.entered_at["seizure.items.1.value"], NOW);
    assert.equal("seizure.items.2.value" in draft.values, false);
    assert.deepEqual(draft.photos, [photo(2)]);

    const item = readItems(draft)[0];
    const back = editorFromItem(item.fields);
    dropItem(draft, 0, { intoEditor: true, back, photos: new Set(item.fields.photos) });
    assert.deepEqual(draft.photos, [photo(2)], "its photos wait in the editor");
    assert.equal(draft.values["ui.item.value"], "2.00");
    assert.equal(draft.values["ui.item.seal"], "");
    assert.equal(draft.values["ui.item.claimed"], false);
    assert.deepEqual(pendingPhotos(draft), [photo(2)]);
  });

  test("a claimed good goes back to the editor claimed", () => {
    const back = editorFromItem({ category: "vehicle", "third_party_claim.documents": "Factura" });
    assert.equal(back["ui.item.claimed"], true);
    assert.equal(back["ui.item.claimant"], "");
    assert.equal(back["ui.item.claim_documents"], "Factura");
  });

  test("a card lists the good and what is wrong with it", () => {
    const draft = withGoods([
      vehicle("1500.00", { quantity: "1", condition: "bueno", brand: "Ford", model: "Ranger", serial_number: "ABC", seal: seal(9) }),
      { category: "bed_and_clothing", description: "Cama", "third_party_claim.claimant": "Ana" },
    ]);
    const setting = makeSetting();
    assert.deepEqual(itemCard(readItems(draft)[0].fields, 0, draft, setting), {
      title: "1. Vehículo",
      lines: ["Camioneta", "Cantidad: 1, estado bueno", "Ford · Ranger · serie ABC", "Art. 155 CFF, fracción III",
        "Valor estimado: $1,500.00", `Sello ${seal(9)}`],
      notes: [["warn", `El sello ${seal(9)} no está entre los sellos sin usar asignados a usted: la oficina lo revisará.`]],
    });
    assert.deepEqual(itemCard(readItems(draft)[1].fields, 1, draft, setting).notes, [
      ["error", "Inembargable (CFF 157 I): quítelo (R-PAE-6)."],
      ["warn", "Reclamado por Ana: no se embarga por ahora (R-PAE-9)."],
    ]);
    assert.deepEqual(itemCard(readItems(draft)[0].fields, 0, draft, makeSetting({ readOnly: true })).notes, [],
      "a finalized record's seals are not judged again");
  });

  test("the catalogue lists the fractions in the law's order, then the exempt goods", () => {
    const { groups, exempt, checklist } = catalogue(CATEGORIES);
    assert.deepEqual(groups.map((g) => [g.label.split(":")[0], g.options.map((o) => o.value)]), [
      ["Fracción I", ["cash", "bank_deposit"]], ["Fracción II", ["shares"]],
      ["Fracción III", ["vehicle"]], ["Fracción IV", ["real_estate"]],
    ]);
    assert.deepEqual(exempt.options.map((o) => o.label), ["Lecho cotidiano y vestidos (CFF 157 I)",
      "Maquinaria, enseres y semovientes de la negociación (CFF 157 IV)"]);
    assert.equal(checklist[1].label, " Maquinaria, enseres y semovientes de la negociación (CFF 157 IV; sí, con la negociación completa)");
  });
});

describe("an ampliación (CFF 154)", () => {
  const first = makeRecord({
    id: "first",
    items: [{ category: "vehicle", value: "8000.00", seal: seal(2) }, { category: "cash", value: "500.00" }],
    seizure: { amount_secured: "10630.00" },
  });
  const extending = (values = {}) => makeDraft({ values: { situation: "seizure_extension", ...values } });
  const setting = (draft, records = [first]) => makeSetting({ history: phoneHistory(draft, records) });

  test("takes what this phone's latest embargo seized, once", () => {
    const draft = extending();
    assert.deepEqual(previousPrefill(draft, setting(draft)), {
      "seizure.previously_seized_value": "8500.00", "ui.previous_from": "first", "ui.previous_prefilled": "8500.00",
    });
    const prefilled = extending({ "ui.previous_from": "first" });
    assert.equal(previousPrefill(prefilled, setting(prefilled)), null);
    const typed = extending({ "seizure.previously_seized_value": "100" });
    assert.equal(previousPrefill(typed, setting(typed)), null, "a value typed before is kept");
    assert.equal(previousPrefill(makeDraft(), setting(makeDraft())), null, "an embargo is no ampliación");
  });

  test("says where the value comes from and which seals are taken", () => {
    const draft = extending({ "seizure.previously_seized_value": "8,500.00", "ui.previous_from": "first", "ui.previous_prefilled": "8500.00" });
    assert.deepEqual(extensionSource(draft, setting(draft)), {
      text: "Del embargo capturado en este teléfono el 05/03/26, 10:00: 2 bienes por $8,500.00, interés fiscal $10,630.00.",
      notice: true,
      sealed: [seal(2)],
    });
    const corrected = extending({ "seizure.previously_seized_value": "9000", "ui.previous_from": "first", "ui.previous_prefilled": "8500.00" });
    assert.equal(extensionSource(corrected, setting(corrected)).text,
      "Valor escrito a mano; el embargo capturado en este teléfono dice $8,500.00.");
  });

  test("without an earlier embargo on this phone the value is typed from its acta", () => {
    const alone = extending();
    assert.match(extensionSource(alone, setting(alone, [])).text, /^No hay un embargo anterior/);
    const elsewhere = makeDraft({ values: { situation: "seizure_extension" }, visits: [{ id: "v1", kind: "seizure" }] });
    assert.match(extensionSource(elsewhere, setting(elsewhere, [])).text, /^El embargo anterior se capturó en otro teléfono/);
  });
});

describe("real estate (R-PAE-5)", () => {
  test("the debtor's term is 15 business days, skipping the pack's non-business days", () => {
    const draft = withGoods([{ category: "real_estate", description: "Casa" }]);
    // Thursday 12 March 2026 + 15 business days, Monday 16 March being a holiday.
    assert.deepEqual(realEstateTerm(draft, makeSetting(), NOW), {
      shown: true,
      text: "El deudor tiene 15 días hábiles para acreditar lo manifestado: vence el viernes, 3 de abril de 2026 (R-PAE-5).",
    });
  });

  test("asked as soon as real estate is chosen, not before", () => {
    assert.deepEqual(realEstateTerm(makeDraft(), makeSetting(), NOW), { shown: false, text: null });
    const choosing = makeDraft({ values: { "ui.item.category": "real_estate" } });
    assert.equal(realEstateTerm(choosing, makeSetting(), NOW).shown, true);
    assert.deepEqual(realEstateTerm(choosing, makeSetting({ pack: null }), NOW), { shown: true, text: null });
  });
});
