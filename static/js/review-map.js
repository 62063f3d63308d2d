// The office head's map of diligences (templates/review/diligence_map.html).
// Data comes from the page's data attributes and a GeoJSON endpoint (the CSP allows no inline
// script). Markers are SVG circles drawn by Leaflet over an optional tile layer: when the tiles
// cannot be reached (no internet, blocked server) the markers still show over a blank map.
// Marker colours are read from the legend, so the CSS is their one source.
(function () {
  "use strict";

  var MEXICO = [23.6, -102.5];

  function say(text) {
    var status = document.getElementById("map-status");
    if (status) status.textContent = text;
  }

  function colourOf(state) {
    var dot = document.querySelector(".map-legend .state-" + state);
    return dot ? getComputedStyle(dot).backgroundColor : "#555";
  }

  function popup(props) {
    // Built with DOM nodes: names come from the field and the import, never parsed as HTML.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.kind_label + " · " + props.outcome_label;
    var strong = document.createElement("strong");
    strong.appendChild(link);
    box.appendChild(strong);
    [props.debtor, props.folio + " · " + props.captured_at.replace("T", " ").slice(0, 16),
     props.user, props.review_state_label].forEach(function (line) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }

  function draw(map, data, el) {
    var layer = L.featureGroup().addTo(map);
    var colours = {};
    var drawn = 0;
    data.features.forEach(function (feature) {
      if (!feature.geometry) return;
      var c = feature.geometry.coordinates;
      var state = feature.properties.review_state;
      if (!colours[state]) colours[state] = colourOf(state);
      L.circleMarker([c[1], c[0]], {
        radius: 8, weight: 2, color: "#ffffff", fillColor: colours[state], fillOpacity: 0.9,
        className: "diligence-marker state-" + state,
      }).bindPopup(popup(feature.properties)).addTo(layer);
      drawn += 1;
    });
    el.dataset.markers = String(drawn);
    var count = document.getElementById("map-count");
    if (count) {
      count.textContent = (data.truncated
        ? "Se muestran las " + drawn + " diligencias más recientes con posición GPS; hay más: acote el filtro."
        : drawn + (drawn === 1 ? " diligencia" : " diligencias") + " con posición GPS.")
        + " Las que no tienen posición están en la lista.";
    }
    if (drawn === 0) {
      map.setView(MEXICO, 5);
      say("Ninguna diligencia de este filtro tiene posición GPS.");
      return;
    }
    map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17 });
  }

  function start() {
    var el = document.getElementById("review-map");
    if (!el || el.dataset.ready || typeof L === "undefined") return;
    el.dataset.ready = "1";
    var map = L.map(el, { zoomControl: true });
    map.setView(MEXICO, 5);
    var tiles = el.dataset.tileUrl;
    if (tiles) {
      var failed = 0;
      L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" })
        .on("tileerror", function () {
          failed += 1;
          if (failed === 1) say("No se pudo cargar el mapa de fondo; las diligencias se muestran igual.");
        })
        .addTo(map);
    }
    fetch(el.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { draw(map, data, el); })
      .catch(function () { say("No se pudieron cargar las diligencias del mapa. Recargue la página."); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
