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

  // Diligences captured at one address stack on one point (a phone's fix repeats within a
  // few metres): markers closer than GROUP_PX on screen are drawn as one numbered group,
  // regrouped at every zoom. A click on a group zooms in on it, or, when its points cannot
  // come apart (the same spot, or the deepest zoom), lists them in its popup.
  var GROUP_PX = 18;
  var MAX_ZOOM = 19;

  function groupsAt(map, points) {
    var groups = [];
    points.forEach(function (point) {
      var at = map.latLngToLayerPoint(point.latlng);
      for (var i = 0; i < groups.length; i += 1) {
        if (groups[i].at.distanceTo(at) <= GROUP_PX) {
          groups[i].points.push(point);
          return;
        }
      }
      groups.push({ at: at, points: [point] });
    });
    return groups;
  }

  function singleMarker(point, colours) {
    var state = point.props.review_state;
    if (!colours[state]) colours[state] = colourOf(state);
    return L.circleMarker(point.latlng, {
      radius: 8, weight: 2, color: "#ffffff", fillColor: colours[state], fillOpacity: 0.9,
      className: "diligence-marker state-" + state,
    }).bindPopup(popup(point.props));
  }

  function groupPopup(points) {
    var box = document.createElement("div");
    box.className = "map-group-list";
    var title = document.createElement("p");
    title.textContent = points.length + " diligencias en este punto:";
    box.appendChild(title);
    points.forEach(function (point) { box.appendChild(popup(point.props)); });
    return box;
  }

  function groupMarker(map, points) {
    var bounds = L.latLngBounds(points.map(function (p) { return p.latlng; }));
    var label = points.length + " diligencias en este punto";
    var marker = L.marker(bounds.getCenter(), {
      title: label, alt: label, keyboard: true,
      icon: L.divIcon({ className: "diligence-group", html: String(points.length), iconSize: [34, 34] }),
    });
    var apart = !bounds.getNorthEast().equals(bounds.getSouthWest());
    if (apart && map.getZoom() < MAX_ZOOM) {
      marker.on("click", function () { map.fitBounds(bounds, { padding: [40, 40], maxZoom: MAX_ZOOM }); });
    } else {
      marker.bindPopup(groupPopup(points), { maxHeight: 320 });
    }
    return marker;
  }

  function drawGroups(map, layer, points, el) {
    var colours = {};
    layer.clearLayers();
    var groups = groupsAt(map, points);
    groups.forEach(function (group) {
      layer.addLayer(group.points.length === 1 ? singleMarker(group.points[0], colours)
        : groupMarker(map, group.points));
    });
    el.dataset.groups = String(groups.filter(function (g) { return g.points.length > 1; }).length);
    el.dataset.zoom = String(map.getZoom());
  }

  function draw(map, data, el) {
    var layer = L.featureGroup().addTo(map);
    var points = data.features.filter(function (f) { return f.geometry; }).map(function (f) {
      var c = f.geometry.coordinates;
      return { latlng: L.latLng(c[1], c[0]), props: f.properties };
    });
    var drawn = points.length;
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
    map.fitBounds(L.latLngBounds(points.map(function (p) { return p.latlng; })),
      { padding: [24, 24], maxZoom: 17 });
    drawGroups(map, layer, points, el);
    map.on("zoomend", function () { drawGroups(map, layer, points, el); });
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
