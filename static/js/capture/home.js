// The capture home: device activation, storage persistence, drafts, the worklist pulled to
// the phone, and every finalized diligence with its state (sent, complete, returned…).

import { agenda, choicesOf, formatDistance, mapsUrl, todayIn, worklist } from "./assignments.js";
import { getAll, getMeta } from "./db.js";
import { enrollSignedIn } from "./sync.js";
import {
  KIND_LABELS, attentionRank, attentionText, counted, formatDateTime, fromTemplate, pendingSummary, recordStatus,
  startApp, workOf,
} from "./ui.js";

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
  const button = event.currentTarget.querySelector("button");
  const error = document.getElementById("enroll-error");
  error.hidden = true;
  button.disabled = true;
  try {
    await enrollSignedIn(ctx.user.id, ctx.urls.api, ctx.urls.enroll, ctx.csrf_token, deviceName());
    await app.sync(true);
  } catch (e) {
    error.textContent = e.status === 400 || e.status === 401 || e.status === 403
      ? "Su sesión venció: vuelva a entrar y active el teléfono."
      : (e.body && e.body.error && e.body.error.message) || "No se pudo activar: revise su conexión e intente de nuevo.";
    error.hidden = false;
  }
  button.disabled = false;
  await showEnrollment();
});

// ---- the worklist's search, filters and sort ----------------------------------------------

const tools = document.getElementById("worklist-tools");
let fix = null; // the phone's position, when the user sorts by distance

function query() {
  const f = tools.elements;
  return { text: f.text.value, kind: f.kind.value, sector: f.sector.value, overdue: f.overdue.checked,
    returned: f.returned.checked, sort: f.sort.value };
}

function renderChoices(assignments) {
  const { kinds, sectors } = choicesOf(assignments);
  for (const [select, options] of [[tools.elements.kind, kinds], [tools.elements.sector, sectors]]) {
    const chosen = select.value;
    select.replaceChildren(new Option("Todos", ""), ...options.map(([value, label]) => new Option(label, value)));
    select.value = options.some(([value]) => value === chosen) ? chosen : "";
  }
}

function locate() {
  const out = document.getElementById("worklist-position");
  if (!("geolocation" in navigator)) {
    out.textContent = "Este teléfono no da su posición: se ordena por fecha límite.";
    return;
  }
  out.textContent = "Obteniendo su posición…";
  navigator.geolocation.getCurrentPosition((position) => {
    fix = { latitude: position.coords.latitude, longitude: position.coords.longitude };
    out.textContent = `Ordenadas por distancia a su posición (±${Math.round(position.coords.accuracy)} m).`;
    render();
  }, () => {
    out.textContent = "No se pudo obtener su posición: revise el permiso de ubicación.";
  }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
}

tools.addEventListener("submit", (event) => event.preventDefault());
tools.addEventListener("input", () => render());
tools.elements.sort.addEventListener("change", () => {
  if (tools.elements.sort.value === "distance") locate();
  else document.getElementById("worklist-position").textContent = "";
});

// Whether the service worker holds every file this user's offline screens load (ui.js
// prepareOffline): null while it is being asked. The list is "descargada" only then, so the
// phone never looks ready to go offline while, say, the executor's embargo step is missing.
let offlineReady = null;
app.offline.then((ready) => {
  offlineReady = ready;
  render();
});

function assignmentsNote(pulledAt) {
  if (!pulledAt) return "Aún no se ha descargado su lista de trabajo: conéctese y active este teléfono.";
  if (offlineReady === null) return "Preparando este teléfono para trabajar sin conexión…";
  const pulled = "Lista descargada el " + formatDateTime(pulledAt, tz) + ".";
  return offlineReady ? pulled
    : pulled + " Faltan archivos para trabajar sin conexión: abra esta página de nuevo con señal.";
}

async function render() {
  const [assignments, drafts, records, summary] = await Promise.all([
    getAll(db, "assignments"), getAll(db, "drafts"), getAll(db, "records"), pendingSummary(db)]);
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
  renderChoices(assignments);
  const returnedIds = new Set(records.filter((r) => attentionRank(r) === 0).map((r) => r.assignment_id));
  const rows = worklist(assignments, query(), { today: todayIn(tz), fix, returnedIds });
  const total = assignments.filter((a) => a.status !== "withdrawn").length;
  document.getElementById("worklist-count").textContent = rows.length === total
    ? counted(total, "asignación", "asignaciones")
    : `${rows.length} de ${counted(total, "asignación", "asignaciones")}`;
  document.getElementById("assignments").replaceChildren(...rows.map(({ assignment: a, km, overdue, returned }) => {
    const item = fromTemplate("tpl-assignment", {
      link: (el) => { el.href = diligenceUrl({ asignacion: a.id }); },
      debtor: a.document.debtor.legal_name,
      distance: (el) => { el.textContent = km === null ? "" : `a ${formatDistance(km)}`; el.hidden = km === null; },
      address: a.document.address.one_line,
      document: `${workOf(a)}${a.document.kind_label} ${a.document.folio}`,
      due: formatDateTime(`${a.due_on}T12:00:00Z`, "UTC", { dateStyle: "medium" }),
      overdue: (el) => { el.textContent = overdue ? "· Vencida" : ""; el.hidden = !overdue; },
      state: returned ? "Devuelta para corrección"
        : recordsOf.has(a.id) ? counted(recordsOf.get(a.id).length, "diligencia capturada", "diligencias capturadas")
          : a.status_label,
      maps: (el) => { el.href = mapsUrl(a.document.address, a.document.debtor.legal_name); },
    });
    item.dataset.assignmentId = a.id;
    if (overdue) item.classList.add("overdue");
    if (returned) item.dataset.state = "returned";
    return item;
  }));
  document.getElementById("assignments-empty").hidden = rows.length > 0;
  if (total > 0 && rows.length === 0) {
    document.getElementById("assignments-empty").hidden = false;
    document.getElementById("assignments-empty").textContent = "Ninguna asignación coincide con la búsqueda.";
  } else {
    document.getElementById("assignments-empty").textContent = "No tiene asignaciones abiertas en este teléfono.";
  }

  // Taken back by the office (credit paid, suspended, reassigned…): said once here, with why.
  const withdrawn = assignments.filter((a) => a.status === "withdrawn" && a.withdrawal_reason);
  document.getElementById("withdrawn-section").hidden = withdrawn.length === 0;
  document.getElementById("withdrawn").replaceChildren(...withdrawn.map((a) => {
    const item = fromTemplate("tpl-withdrawn", {
      debtor: a.document.debtor.legal_name,
      document: `${a.document.kind_label} ${a.document.folio}`,
      reason: a.withdrawal_reason,
    });
    item.dataset.assignmentId = a.id;
    return item;
  }));

  const upcoming = agenda(assignments, records);
  document.getElementById("agenda-section").hidden = upcoming.length === 0;
  document.getElementById("agenda").replaceChildren(...upcoming.map((entry) => {
    const a = entry.assignment;
    const item = fromTemplate("tpl-agenda", {
      link: (el) => { el.href = diligenceUrl({ asignacion: a.id }); },
      when: `${formatDateTime(entry.at, tz, { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" })} · Seguimiento del citatorio`,
      debtor: a.document.debtor.legal_name,
      address: a.document.address.one_line,
    });
    item.dataset.assignmentId = a.id;
    return item;
  }));
  const pulledAt = await getMeta(db, "pulled_at");
  document.getElementById("assignments-note").textContent = assignmentsNote(pulledAt);

  // Returned and rejected records first (what the office asks back), then the newest.
  const rank = (r) => attentionRank(r) ?? 9;
  const sorted = [...records].sort((a, b) => rank(a) - rank(b) || b.finalized_at.localeCompare(a.finalized_at));
  document.getElementById("records-empty").hidden = sorted.length > 0;
  const urgent = sorted.filter((r) => attentionRank(r) !== null);
  document.getElementById("attention").hidden = urgent.length === 0;
  document.getElementById("attention-title").textContent = attentionText(urgent)
    || counted(urgent.length, "diligencia requiere atención", "diligencias requieren atención");
  document.getElementById("attention-list").replaceChildren(...urgent.map((r) => {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = diligenceUrl({ registro: r.id });
    link.textContent = `${KIND_LABELS[r.kind] || r.kind} · ${debtorOf(r)} · ${recordStatus(r, summary).text}`;
    li.append(link);
    return li;
  }));
  document.getElementById("records").replaceChildren(...sorted.map((r) => {
    const item = fromTemplate("tpl-record", {
      link: (a) => { a.href = diligenceUrl({ registro: r.id }); },
      title: KIND_LABELS[r.kind] || r.kind,
      debtor: debtorOf(r),
      when: `Finalizada ${formatDateTime(r.finalized_at, tz)}${r.replaced_by ? " · corregida por una nueva versión" : ""}`,
      state: recordStatus(r, summary).text,
    });
    item.dataset.state = recordStatus(r, summary).key;
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
