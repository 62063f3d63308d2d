// Drawing a sector's polygon on the admin's sector page (templates/offices/sector.html) with the
// vendored Leaflet: each tap adds a vertex; the hidden field holds a GeoJSON Polygon (longitude
// first, closed ring) or nothing. Other sectors of the office are drawn in grey for reference.
// No inline script (CSP): everything comes from the page's data attributes.
(function () {
  "use strict";

  var MEXICO = [23.6, -102.5];

  function say(text) {
    document.getElementById("sector-map-status").textContent = text;
  }

  function ringOf(geometry) {
    // GeoJSON [lon, lat] → Leaflet [lat, lon], without the closing point.
    var ring = geometry.coordinates[0].map(function (p) { return [p[1], p[0]]; });
    ring.pop();
    return ring;
  }

  function start() {
    var el = document.getElementById("sector-map");
    var input = document.getElementById("sector-boundary");
    if (!el || el.dataset.ready || typeof L === "undefined") return;
    el.dataset.ready = "1";
    var map = L.map(el).setView(MEXICO, 5);
    if (el.dataset.tileUrl) {
      var failed = 0;
      L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" })
        .on("tileerror", function () {
          failed += 1;
          if (failed === 1) say("No se pudo cargar el mapa de fondo; puede dibujar igual.");
        })
        .addTo(map);
    }
    var reference = L.featureGroup().addTo(map);
    JSON.parse(el.dataset.others || "[]").forEach(function (other) {
      L.polygon(ringOf(other.boundary), { color: "#777", weight: 1, fillOpacity: 0.08 })
        .bindTooltip(other.code).addTo(reference);
    });
    var points = input.value ? ringOf(JSON.parse(input.value)) : [];
    var shape = L.polygon(points, { color: "#0b5d3b", weight: 3, className: "sector-shape" }).addTo(map);
    var markers = L.layerGroup().addTo(map);

    function update() {
      shape.setLatLngs(points);
      markers.clearLayers();
      points.forEach(function (p) { L.circleMarker(p, { radius: 5, className: "sector-vertex" }).addTo(markers); });
      el.dataset.vertices = String(points.length);
      if (points.length >= 3) {
        var ring = points.map(function (p) { return [Number(p[1].toFixed(6)), Number(p[0].toFixed(6))]; });
        ring.push(ring[0]);
        input.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
        say("Polígono de " + points.length + " puntos.");
      } else {
        input.value = "";
        say(points.length ? "Faltan " + (3 - points.length) + " punto(s) para cerrar el polígono."
          : "Sin polígono.");
      }
    }

    map.on("click", function (event) {
      points.push([event.latlng.lat, event.latlng.lng]);
      update();
    });
    document.getElementById("sector-undo").addEventListener("click", function () {
      points.pop();
      update();
    });
    document.getElementById("sector-clear").addEventListener("click", function () {
      points = [];
      update();
    });
    if (points.length) map.fitBounds(shape.getBounds(), { padding: [24, 24] });
    else if (reference.getLayers().length) map.fitBounds(reference.getBounds(), { padding: [24, 24] });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
