/* geomap map runtime: builds event markers from one data blob per layer,
   the date slider, panels and the tile-error notice. Defined once per page so
   several embedded maps can share it; per-map state is keyed by Leaflet id. */
(function () {
  if (window.geomap) { return; }
  var gm = window.geomap = { maps: {} };

  function state(map) {
    var id = L.stamp(map);
    if (!gm.maps[id]) { gm.maps[id] = { entries: [], panels: [], map: map }; }
    return gm.maps[id];
  }
  gm.state = state;

  gm.clusterIcon = function (color) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 32 : n < 100 ? 38 : 44;
      return L.divIcon({
        html: '<div style="border-color:' + color + '"><span>' + n + '</span></div>',
        className: 'geomap-cluster', iconSize: L.point(size, size)
      });
    };
  };

  /* rows: [lat, lon, popupHtml, tooltipHtml, isoDate, approxRadiusMetres].
     HTML strings were escaped in Python; one loop and one addLayers call
     keep 10,000 events fast. */
  gm.addEvents = function (map, group, cluster, data) {
    var st = state(map), pins = [];
    var icon = L.divIcon({
      className: 'geomap-pin',
      html: '<span style="background:' + data.color + '"><b class="geomap-glyph">' + data.glyph + '</b></span>',
      iconSize: [26, 26], iconAnchor: [13, 26], popupAnchor: [0, -24], tooltipAnchor: [10, -14]
    });
    for (var i = 0; i < data.rows.length; i++) {
      var r = data.rows[i], layer, target;
      if (r[5] > 0) {
        // approximate place: an area ring, never a precise-looking pin
        layer = L.circle([r[0], r[1]], {
          radius: r[5], color: data.color, weight: 2, dashArray: '6 6',
          fillColor: data.color, fillOpacity: 0.12, className: 'geomap-area'
        });
        target = group;
        group.addLayer(layer);
      } else {
        layer = L.marker([r[0], r[1]], { icon: icon, riseOnHover: true });
        target = cluster || group;
        pins.push(layer);
      }
      layer.bindPopup(r[2], { maxWidth: 380, minWidth: 220 });
      layer.bindTooltip(r[3]);
      layer.geomapDate = r[4];
      st.entries.push({ layer: layer, group: target, date: r[4], shown: true });
    }
    if (cluster) { cluster.addLayers(pins); } else { pins.forEach(function (p) { group.addLayer(p); }); }
  };

  function bucket(m, key, value) {
    var list = m.get(key);
    if (!list) { list = []; m.set(key, list); }
    list.push(value);
  }

  /* Show only entries whose date passes test(date); returns how many are shown. */
  gm.filter = function (map, test) {
    var st = state(map), add = new Map(), rem = new Map(), shown = 0;
    st.entries.forEach(function (e) {
      var want = test(e.date);
      if (want) { shown++; }
      if (want === e.shown) { return; }
      e.shown = want;
      bucket(want ? add : rem, e.group, e.layer);
    });
    rem.forEach(function (layers, g) {
      if (g.removeLayers) { g.removeLayers(layers); } else { layers.forEach(function (l) { g.removeLayer(l); }); }
    });
    add.forEach(function (layers, g) {
      if (g.addLayers) { g.addLayers(layers); } else { layers.forEach(function (l) { g.addLayer(l); }); }
    });
    st.panels.forEach(function (panel) {
      panel.querySelectorAll('[data-date]').forEach(function (li) {
        li.hidden = !test(li.getAttribute('data-date'));
      });
    });
    return shown;
  };

  function control(map, position, className, html) {
    var c = L.control({ position: position });
    c.onAdd = function () {
      var div = L.DomUtil.create('div', className);
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    c.addTo(map);
    return c.getContainer();
  }
  gm.control = control;

  gm.panel = function (map, html) {
    var div = control(map, 'topright', 'geomap-box geomap-unplaced', html);
    state(map).panels.push(div);
    return div;
  };

  gm.title = function (map, html) {
    var div = L.DomUtil.create('div', 'geomap-title', map.getContainer());
    div.innerHTML = html;
    L.DomEvent.disableClickPropagation(div);
  };

  /* A range input over the sorted distinct dates; 'up to' shows everything
     until the chosen date, 'on' only that date. Undated events show only
     when the slider is at its end (all dates). */
  gm.slider = function (map, dates, labels) {
    var last = dates.length - 1;
    var div = control(map, 'bottomleft', 'geomap-box geomap-slider',
      '<div class="gm-slider-row"><button type="button" class="gm-play" title="Play">&#9654;</button>' +
      '<select class="gm-mode" aria-label="Date filter mode"><option value="upto">up to</option>' +
      '<option value="on">only on</option></select> <span class="gm-label"></span></div>' +
      '<input type="range" class="gm-range" min="0" max="' + last + '" step="1" value="' + last + '" aria-label="Event date">');
    var input = div.querySelector('.gm-range'), mode = div.querySelector('.gm-mode');
    var label = div.querySelector('.gm-label'), play = div.querySelector('.gm-play'), timer = null;
    var total = state(map).entries.length;
    function apply() {
      var i = +input.value, cur = dates[i], only = mode.value === 'on';
      var n = gm.filter(map, function (d) {
        if (!d) { return !only && i === last; }
        return only ? d === cur : d <= cur;
      });
      label.textContent = labels[i] + ' \u00b7 ' + n + ' of ' + total + ' shown';
      div.setAttribute('data-shown', n);
    }
    function stop() { clearInterval(timer); timer = null; play.innerHTML = '&#9654;'; }
    play.addEventListener('click', function () {
      if (timer) { stop(); return; }
      if (+input.value === last) { input.value = 0; apply(); }
      play.innerHTML = '&#10073;&#10073;';
      timer = setInterval(function () {
        if (+input.value >= last) { stop(); return; }
        input.value = +input.value + 1; apply();
      }, 800);
    });
    var pending = false;
    // dragging fires many input events; filter at most once per frame
    input.addEventListener('input', function () {
      if (pending) { return; }
      pending = true;
      requestAnimationFrame(function () { pending = false; apply(); });
    });
    mode.addEventListener('change', apply);
    apply();
    return div;
  };

  /* Offline base layer: country outlines on a canvas in a pane of their own,
     under the event layers; the map background becomes the sea while it is on. */
  gm.outlines = function (map, data) {
    var pane = 'geomapOutlines';
    if (!map.getPane(pane)) {
      var el = map.createPane(pane);
      el.style.zIndex = 150;  // below tiles (200) and every overlay and marker pane
      el.style.pointerEvents = 'none';
    }
    var layer = L.geoJSON(data, {
      pane: pane, interactive: false, renderer: L.canvas({ pane: pane, padding: 0.5 }),
      style: { color: '#a9a49b', weight: 0.7, opacity: 1, fillColor: '#f4f1ea', fillOpacity: 1 }
    });
    layer.on('add', function () { L.DomUtil.addClass(map.getContainer(), 'geomap-sea'); });
    layer.on('remove', function () { L.DomUtil.removeClass(map.getContainer(), 'geomap-sea'); });
    state(map).outlines = layer;
    return layer;
  };

  /* Base tiles need the network; say so once instead of showing a grey void,
     and switch to the offline outlines when a tile layer has loaded nothing. */
  gm.tileNotice = function (map, message, fallbackMessage) {
    var shown = false;
    function fallBack(failing) {
      var outlines = state(map).outlines;
      if (!outlines || failing.geomapLoaded || !map.hasLayer(failing)) { return false; }
      map.removeLayer(failing);  // the layer control follows: its radio moves too
      if (!map.hasLayer(outlines)) { map.addLayer(outlines); }
      return true;
    }
    function onError(e) {
      if (shown) { return; }
      shown = true;
      var switched = fallBack(e.target);
      var div = L.DomUtil.create('div', 'geomap-notice', map.getContainer());
      div.setAttribute('role', 'status');
      div.textContent = switched && fallbackMessage ? fallbackMessage : message;
      var close = L.DomUtil.create('button', 'gm-close', div);
      close.type = 'button';
      close.textContent = '\u00d7';
      close.addEventListener('click', function () { div.remove(); });
    }
    function watch(layer) {
      if (layer instanceof L.TileLayer && !layer.geomapWatched) {
        layer.geomapWatched = true;
        layer.on('tileload', function () { layer.geomapLoaded = true; });
        layer.on('tileerror', onError);
      }
    }
    map.eachLayer(watch);
    map.on('layeradd', function (e) { watch(e.layer); });
  };
})();
