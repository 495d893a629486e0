/* geomap map runtime: builds event markers from one data blob per layer,
   the date slider, panels and the tile-error notice. Defined once per page so
   several embedded maps can share it; per-map state is keyed by Leaflet id. */
(function () {
  if (window.geomap) { return; }
  var gm = window.geomap = { maps: {} };

  function state(map) {
    var id = L.stamp(map);
    if (!gm.maps[id]) { gm.maps[id] = { entries: [], panels: [], map: map, badgeSlots: {} }; }
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

  /* data: {type, color, text, glyph, rows, areas}; rows:
     [lat, lon, popupHtml, tooltipHtml, isoDate, kind, areaKey] with kind
     0 = pin (the event's site), 1 = badge (only the region or country is known;
     with the country's dashed outline when areas[areaKey] exists), 2 = faint
     mark (a place that is not the event's site). HTML strings were escaped in
     Python; one loop and one addLayers call keep 10,000 events fast. */
  gm.addEvents = function (map, group, cluster, data) {
    var st = state(map), pins = [];
    var face = 'background:' + data.color + ';color:' + data.text;
    var icon = L.divIcon({
      className: 'geomap-pin',
      html: '<span style="' + face + '"><b class="geomap-glyph">' + data.glyph + '</b></span>',
      iconSize: [26, 26], iconAnchor: [13, 26], popupAnchor: [0, -24], tooltipAnchor: [10, -14]
    });
    var badge = L.divIcon({
      className: 'geomap-badge',
      html: '<span style="' + face + '">' + data.glyph + '</span>',
      iconSize: [24, 20], iconAnchor: [12, 10], popupAnchor: [0, -8], tooltipAnchor: [10, 0]
    });
    for (var i = 0; i < data.rows.length; i++) {
      var r = data.rows[i], layer, mark, target = group;
      if (r[5] === 1) {
        // badges at one point (several events in one country) sit side by side
        var key = r[0] + ',' + r[1], slot = st.badgeSlots[key] = (st.badgeSlots[key] || 0) + 1;
        var icon1 = slot === 1 ? badge : L.divIcon(L.extend({}, badge.options, {
          // 2nd to the right, 3rd to the left, 4th further right, ...
          iconAnchor: [12 - 26 * Math.ceil((slot - 1) / 2) * (slot % 2 ? -1 : 1), 10]
        }));
        layer = mark = L.marker([r[0], r[1]], { icon: icon1, riseOnHover: true });
        var area = r[6] && data.areas[r[6]];
        if (area) {
          // the area as a thin dashed line, never a fill that hides the map
          layer = L.layerGroup([L.geoJSON(area, {
            interactive: false, className: 'geomap-area',
            style: { color: data.color, weight: 1.5, opacity: 0.8, dashArray: '5 4', fill: false }
          }), mark]);
        }
        group.addLayer(layer);
      } else if (r[5] === 2) {
        layer = mark = L.circleMarker([r[0], r[1]], {
          radius: 5, color: data.color, weight: 1.5, opacity: 0.7, dashArray: '2 2',
          fillColor: data.color, fillOpacity: 0.2, className: 'geomap-faint'
        });
        group.addLayer(layer);
      } else {
        layer = mark = L.marker([r[0], r[1]], { icon: icon, riseOnHover: true });
        target = cluster || group;
        pins.push(layer);
      }
      mark.bindPopup(r[2], { maxWidth: 380, minWidth: 220 });
      mark.bindTooltip(r[3]);
      mark.geomapDate = layer.geomapDate = r[4];
      st.entries.push({ layer: layer, mark: mark, group: target, date: r[4], shown: true, type: data.type,
                        kind: r[5], on: group });
    }
    if (cluster) { cluster.addLayers(pins); } else { pins.forEach(function (p) { group.addLayer(p); }); }
  };

  /* Entries whose layer group is on the map and which pass the date filter. */
  gm.visible = function (map) {
    return state(map).entries.filter(function (e) { return e.shown && map.hasLayer(e.on); });
  };

  /* Fit the first view to the event sites, keeping them clear of the controls
     in the map's corners (each side's padding is at most a third of the map). */
  gm.fit = function (map, bounds, maxZoom) {
    var c = map.getContainer(), size = map.getSize();
    function corner(name, dim) {  // widest control, or stacked height, in one corner
      var el = c.querySelector('.leaflet-control-container .leaflet-' + name.split(' ').join('.leaflet-'));
      var n = 0;
      Array.prototype.forEach.call(el ? el.children : [], function (k) {
        n = dim === 'w' ? Math.max(n, k.offsetWidth + 10) : n + k.offsetHeight + 10;
      });
      return n;
    }
    function cap(v, total) { return Math.min(v + 12, Math.round(total / 3)); }
    var title = c.querySelector('.geomap-title');
    var pad = {
      left: cap(corner('top left', 'w'), size.x),
      right: cap(Math.max(corner('top right', 'w'), corner('bottom right', 'w')), size.x),
      top: cap(title ? title.offsetHeight + 10 : 0, size.y),
      bottom: cap(corner('bottom left', 'h'), size.y)
    };
    map.fitBounds(bounds, { paddingTopLeft: [pad.left, pad.top], paddingBottomRight: [pad.right, pad.bottom],
                            maxZoom: maxZoom, animate: false });
    state(map).fitPadding = pad;
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
    var sites = state(map).entries.filter(function (e) { return e.kind !== 2; });
    function apply() {
      var i = +input.value, cur = dates[i], only = mode.value === 'on';
      gm.filter(map, function (d) {
        if (!d) { return !only && i === last; }
        return only ? d === cur : d <= cur;
      });
      var n = sites.filter(function (e) { return e.shown; }).length;
      label.textContent = labels[i] + ' \u00b7 ' + n + ' of ' + sites.length + ' shown';
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
