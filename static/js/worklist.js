// Sorts the worklist by distance when the phone shares its position.
(function () {
  "use strict";
  function init() {
    var button = document.getElementById("sort-by-distance");
    var form = document.getElementById("worklist-filters");
    var status = document.getElementById("position-status");
    if (!button || !form || button.dataset.bound) return;
    button.dataset.bound = "1";
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      status.textContent = "Obteniendo su posición…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.elements.lon.value = pos.coords.longitude.toFixed(6);
        status.textContent = "Ordenadas por distancia (precisión ±" + Math.round(pos.coords.accuracy) + " m).";
        form.dispatchEvent(new Event("change", { bubbles: true }));
        if (!window.htmx) form.submit();
      }, function () {
        status.textContent = "No se pudo obtener su posición. Revise el permiso de ubicación.";
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
