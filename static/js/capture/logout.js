// Logout on a shared phone: the user's local data (worklist, drafts, outbox, photos, token)
// is wiped, but only when everything has been sent, or after the user confirms, having read
// exactly what would be lost. Then the server session is closed.

import { forgetUser } from "./db.js";
import { revokeDevice } from "./sync.js";
import { counted, forgetCachedPages, formatBytes, pendingSummary, startApp } from "./ui.js";

// Nothing leaves before the phone has counted what would be lost.
document.getElementById("logout-go").disabled = true;
const app = await startApp();
const { ctx, db } = app;
const $ = (id) => document.getElementById(id);
let summary = null;

function losses(s) {
  const lines = [];
  if (s.records) lines.push(counted(s.records, "diligencia finalizada sin enviar", "diligencias finalizadas sin enviar"));
  if (s.files) lines.push(`${counted(s.files, "foto o firma sin enviar", "fotos o firmas sin enviar")} (${formatBytes(s.bytes)})`);
  if (s.drafts) lines.push(counted(s.drafts, "borrador sin finalizar", "borradores sin finalizar"));
  if (s.refused) lines.push(counted(s.refused, "diligencia rechazada por el servidor", "diligencias rechazadas por el servidor"));
  return lines;
}

async function render() {
  summary = await pendingSummary(db);
  const lines = losses(summary);
  $("logout-safe").hidden = lines.length > 0;
  $("logout-risk").hidden = lines.length === 0;
  $("logout-losses").replaceChildren(...lines.map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
  $("logout-go").disabled = lines.length > 0 && !$("logout-confirm").checked;
}

$("logout-confirm").addEventListener("change", render);
$("logout-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await render();
  if ($("logout-go").disabled) return;
  if (navigator.onLine) await revokeDevice(ctx.user.id);
  await forgetUser(ctx.user.id);
  // The cached field pages carry this user's name and worklist: they go too.
  await forgetCachedPages();
  if (navigator.onLine) event.target.submit();
  else window.location.replace(ctx.urls.login);
});

app.onChange(render);
await render();
app.sync(true);
