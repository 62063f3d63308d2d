// The map of one record's page (templates/review/diligence.html): where the phone took its GPS
// fix, with its accuracy circle, and the address on file when it has coordinates, joined by a
// line (the distance the page states). Data comes from the element's data attributes (the CSP
// allows no inline script); without tiles (no internet, a blocked server, or the page reached
// through htmx under the list's CSP) the marks still show over a blank map.
(function () {
  "use strict";

  function number(el, name) {
    var value = el.dataset[name];
    return value === undefined || value === "" ? null : Number(value);
  }

  function say(text) {
    var status = document.getElementById("record-map-status");
    if (status) status.textContent = text;
  }

  function start() {
    var el = document.getElementById("record-map");
    if (!el || el.dataset.ready || typeof L === "undefined") return;
    el.dataset.ready = "1";
    var fix = L.latLng(number(el, "fixLat"), number(el, "fixLon"));
    // A view from the start: a circle's bounds are computed on the map's pixels.
    var map = L.map(el, { zoomControl: true, scrollWheelZoom: false }).setView(fix, 17);
    var tiles = el.dataset.tileUrl;
    if (tiles) {
      var failed = 0;
      L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" })
        .on("tileerror", function () {
          failed += 1;
          if (failed === 1) say("No se pudo cargar el mapa de fondo; las posiciones se muestran igual.");
        })
        .addTo(map);
    }
    var marks = L.featureGroup().addTo(map);
    var accuracy = number(el, "accuracy");
    if (accuracy) {
      L.circle(fix, { radius: accuracy, weight: 1, color: "#1f5fa8", fillOpacity: 0.12,
        className: "record-map-accuracy" }).addTo(marks);
    }
    L.circleMarker(fix, { radius: 8, weight: 2, color: "#ffffff", fillColor: "#1f5fa8", fillOpacity: 0.95,
      className: "record-map-fix" }).bindTooltip("Posición GPS de la diligencia").addTo(marks);
    var lat = number(el, "addressLat");
    var lon = number(el, "addressLon");
    if (lat !== null && lon !== null) {
      var address = L.latLng(lat, lon);
      L.polyline([fix, address], { weight: 2, dashArray: "4 4", color: "#555" }).addTo(marks);
      L.circleMarker(address, { radius: 7, weight: 2, color: "#ffffff", fillColor: "#b35c00", fillOpacity: 0.95,
        className: "record-map-address" }).bindTooltip("Domicilio registrado").addTo(marks);
    }
    var bounds = marks.getBounds();
    // Leaflet measures its box once; the page's styles (Leaflet's own sheet is loaded with the
    // page's body) may size it after: measure again and refit whenever the box changes.
    var fit = function () {
      map.invalidateSize();
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18, animate: false });
    };
    fit();
    if ("ResizeObserver" in window) new ResizeObserver(fit).observe(el);
    el.dataset.marks = String(lat !== null && lon !== null ? 2 : 1);
  }

  // Loaded with Leaflet from the page's body (the page may arrive through htmx, which runs
  // its scripts as they load): wait for Leaflet when it is not there yet.
  if (typeof L !== "undefined") {
    start();
  } else {
    var leaflet = document.querySelector("script[data-leaflet]");
    if (leaflet) leaflet.addEventListener("load", start);
    document.addEventListener("DOMContentLoaded", start);
  }
})();
