// The capture home: device activation, storage persistence, drafts, the worklist pulled to
// the phone, and every finalized diligence with its state (sent, complete, returned…).

import { getAll, getMeta } from "./db.js";
import { enroll } from "./sync.js";
import { KIND_LABELS, counted, formatDateTime, fromTemplate, recordStatus, startApp } from "./ui.js";

const app = await startApp();
const { ctx, db } = app;
const tz = ctx.office.timezone;

function diligenceUrl(params) {
  return `${ctx.urls.diligence}?${new URLSearchParams(params)}`;
}

function deviceName() {
  const ua = navigator.userAgent;
  const system = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iPhone" : "navegador";
  return `Teléfono ${system} de ${ctx.user.username}`.slice(0, 80);
}

async function showStorage() {
  const out = document.getElementById("storage-status");
  if (!navigator.storage || !navigator.storage.persist) {
    out.textContent = "Este navegador no permite reservar almacenamiento: envíe sus diligencias pronto.";
    return;
  }
  const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  out.textContent = granted
    ? "Almacenamiento persistente: concedido. El navegador no borrará sus datos por falta de espacio."
    : "Almacenamiento persistente: no concedido. Si el teléfono se queda sin espacio el navegador podría "
      + "borrar lo no enviado: envíe en cuanto tenga señal.";
  out.dataset.persisted = granted ? "yes" : "no";
}

async function showEnrollment() {
  const device = await getMeta(db, "device");
  const section = document.getElementById("enroll");
  section.hidden = Boolean(device && !device.revoked);
}

document.getElementById("enroll-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const error = document.getElementById("enroll-error");
  error.hidden = true;
  try {
    await enroll(ctx.user.id, ctx.urls.api, ctx.user.username, form.elements.password.value, deviceName());
    form.reset();
    await app.sync(true);
  } catch (e) {
    error.textContent = e.status === 401 || e.status === 403
      ? "La contraseña no es correcta."
      : "No se pudo activar: revise su conexión e intente de nuevo.";
    error.hidden = false;
  }
  await showEnrollment();
});

async function render() {
  const [assignments, drafts, records] = await Promise.all([
    getAll(db, "assignments"), getAll(db, "drafts"), getAll(db, "records")]);
  const byId = new Map(assignments.map((a) => [a.id, a]));
  const debtorOf = (item) => {
    const a = byId.get(item.assignment_id) || (item.draft || item).assignment;
    return a ? a.document.debtor.legal_name : `Asignación ${item.assignment_id}`;
  };

  const draftList = document.getElementById("drafts");
  draftList.replaceChildren(...drafts.map((d) => fromTemplate("tpl-record", {
    link: (a) => { a.href = diligenceUrl({ borrador: d.id }); },
    title: d.values.situation ? "Borrador en captura" : "Borrador: llegada registrada",
    debtor: debtorOf(d),
    when: `Llegada ${formatDateTime(d.arrived_at, tz)}`,
    state: "Sin finalizar",
  })));
  document.getElementById("drafts-section").hidden = drafts.length === 0;

  const recordsOf = new Map();
  for (const r of records) recordsOf.set(r.assignment_id, [...(recordsOf.get(r.assignment_id) || []), r]);
  const open = assignments.filter((a) => a.status !== "withdrawn")
    .sort((a, b) => String(a.due_on).localeCompare(String(b.due_on)));
  document.getElementById("assignments").replaceChildren(...open.map((a) => fromTemplate("tpl-assignment", {
    link: (el) => { el.href = diligenceUrl({ asignacion: a.id }); },
    debtor: a.document.debtor.legal_name,
    address: a.document.address.one_line,
    document: `${a.document.kind_label} ${a.document.folio}`,
    due: formatDateTime(`${a.due_on}T12:00:00Z`, "UTC", { dateStyle: "medium" }),
    state: recordsOf.has(a.id) ? counted(recordsOf.get(a.id).length, "diligencia capturada", "diligencias capturadas")
      : a.status_label,
  })));
  document.getElementById("assignments-empty").hidden = open.length > 0;
  const pulledAt = await getMeta(db, "pulled_at");
  document.getElementById("assignments-note").textContent = pulledAt
    ? `Lista descargada el ${formatDateTime(pulledAt, tz)}.`
    : "Aún no se ha descargado su lista de trabajo: conéctese y active este teléfono.";

  const sorted = [...records].sort((a, b) => b.finalized_at.localeCompare(a.finalized_at));
  document.getElementById("records-empty").hidden = sorted.length > 0;
  document.getElementById("records").replaceChildren(...sorted.map((r) => {
    const item = fromTemplate("tpl-record", {
      link: (a) => { a.href = diligenceUrl({ registro: r.id }); },
      title: KIND_LABELS[r.kind] || r.kind,
      debtor: debtorOf(r),
      when: `Finalizada ${formatDateTime(r.finalized_at, tz)}${r.replaced_by ? " · corregida por una nueva versión" : ""}`,
      state: recordStatus(r).text,
      note: r.errors && r.errors.length ? r.errors.map((e) => e.message).join(" ") : "",
    });
    item.dataset.state = recordStatus(r).key;
    item.dataset.recordId = r.id;
    return item;
  }));
}

app.onChange(async () => {
  await showEnrollment();
  await render();
});
await Promise.all([showEnrollment(), showStorage(), render()]);
app.sync(true);
