/* CPS maps: draws the city's districts (tiles only if configured), lets the citizen pick a
   place on the report form, shows complaints on the home page and the public list, and
   suggests place names. Pages work without it; it only adds to them. */
(function () {
  "use strict";
  if (!window.L) { return; }
  document.documentElement.classList.add("js");

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function baseMap(el) {
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" })
        .addTo(map);
    }
    var ready = getJSON(el.dataset.districts).then(function (geo) {
      var layer = L.geoJSON(geo, {
        style: { color: "#0b5cad", weight: 1, fillColor: "#dfe9f5", fillOpacity: el.dataset.tiles ? 0.1 : 0.6 },
        onEachFeature: function (f, l) { l.bindTooltip(f.properties.name, { sticky: true }); }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      return layer;
    });
    map.setView([0, 0], 2);
    var details = el.closest("details");
    if (details) {  // a map drawn while folded away has no size: redraw it when shown
      details.addEventListener("toggle", function () {
        map.invalidateSize();
        ready.then(function (layer) { map.fitBounds(layer.getBounds()); });
      });
    }
    return { map: map, ready: ready };
  }

  function pickMap(el) {
    var m = baseMap(el), map = m.map, marker = null;
    var lat = document.getElementById("lat"), lon = document.getElementById("lon");
    var text = document.getElementById("location_text");
    var status = document.querySelector("[data-map-status]");
    function place(latlng, message) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      lat.value = latlng.lat.toFixed(6); lon.value = latlng.lng.toFixed(6);
      if (status) { status.textContent = message; }
    }
    m.ready.then(function () {
      if (lat.value && lon.value) {
        place(L.latLng(+lat.value, +lon.value), "");
        map.setView(marker.getLatLng(), 17);
      }
    });
    map.on("click", function (e) { place(e.latlng, status ? status.dataset.picked : ""); });
    if (text) {
      text.addEventListener("input", function () {
        // A typed place replaces the pin: the server uses coordinates first.
        if (marker) { map.removeLayer(marker); marker = null; }
        lat.value = ""; lon.value = "";
      });
    }
    var button = document.querySelector("[data-locate]");
    if (button && navigator.geolocation) {
      button.closest(".js-only").hidden = false;
      button.addEventListener("click", function () {
        if (status) { status.textContent = status.dataset.locating; }
        navigator.geolocation.getCurrentPosition(function (pos) {
          var latlng = L.latLng(pos.coords.latitude, pos.coords.longitude);
          place(latlng, status ? status.dataset.found : "");
          map.setView(latlng, 17);
        }, function () {
          if (status) { status.textContent = status.dataset.failed; }
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
  }

  function pointsMap(el) {
    var m = baseMap(el), map = m.map;
    Promise.all([m.ready, getJSON(el.dataset.points)]).then(function (both) {
      var layer = L.geoJSON(both[1], {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 7, weight: 2, color: "#fff",
            fillColor: f.properties.open ? "#a4000f" : "#2e7d32", fillOpacity: 0.9 });
        },
        onEachFeature: function (f, l) {
          var a = document.createElement("a");
          a.href = f.properties.url;
          a.textContent = f.properties.reference + " · " + f.properties.category + " · " + f.properties.state_title;
          l.bindPopup(a);
        }
      }).addTo(map);
      if (layer.getLayers().length === 1) { map.setView(layer.getLayers()[0].getLatLng(), 16); }
    }).catch(function () { /* the list below still shows everything */ });
  }

  function oneMap(el) {
    var m = baseMap(el), latlng = L.latLng(+el.dataset.lat, +el.dataset.lon);
    m.ready.then(function () { L.marker(latlng).addTo(m.map); m.map.setView(latlng, 16); });
  }

  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list")), timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { return; }
      timer = setTimeout(function () {
        getJSON(input.dataset.suggest + "?q=" + encodeURIComponent(q)).then(function (data) {
          list.textContent = "";
          data.places.forEach(function (p) {
            var option = document.createElement("option");
            option.value = p.name;
            if (p.district) { option.label = p.name + " (" + p.district + ")"; }
            list.appendChild(option);
          });
        }).catch(function () {});
      }, 250);
    });
  }

  var kinds = { pick: pickMap, points: pointsMap, one: oneMap };
  document.querySelectorAll("[data-map]").forEach(function (el) {
    var make = kinds[el.dataset.map];
    if (make) { el.classList.add("live"); make(el); }
  });
  document.querySelectorAll("[data-suggest]").forEach(suggest);
}());
