// Keeps the device credentials handed over by the enrollment page (docs/sync-protocol.md,
// "Enrollment by QR") where the field app finds them: localStorage "fieldapp.enrollment".
// The token is a bearer credential for this phone and this person only.
const section = document.getElementById("enrolled");
const status = document.getElementById("enroll-status");
if (section) {
  const d = section.dataset;
  const enrollment = {
    device_id: d.deviceId, token: d.token, device_name: d.deviceName,
    user: { id: Number(d.userId), username: d.username, full_name: d.fullName, role: d.role },
    enrolled_at: new Date().toISOString(),
  };
  try {
    localStorage.setItem("fieldapp.enrollment", JSON.stringify(enrollment));
    window.dispatchEvent(new CustomEvent("fieldapp:enrolled", { detail: enrollment }));
    status.textContent = "Listo: este teléfono ya puede sincronizar.";
  } catch (error) {
    status.textContent = "No se pudo guardar el registro en este teléfono: " + error.message;
  }
  section.removeAttribute("data-token");
}
