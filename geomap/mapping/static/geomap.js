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
      mark.bindPopup(r[2], gm.POPUP);
      mark.bindTooltip(r[3]);
      mark.geomapDate = layer.geomapDate = r[4];
      st.entries.push({ layer: layer, mark: mark, group: target, date: r[4], shown: true, type: data.type,
                        kind: r[5], on: group, background: !!data.background });
    }
    if (cluster) { cluster.addLayers(pins); } else { pins.forEach(function (p) { group.addLayer(p); }); }
  };

  /* Entries whose layer group is on the map and which pass the date filter. */
  gm.visible = function (map) {
    return state(map).entries.filter(function (e) { return e.shown && map.hasLayer(e.on); });
  };

  /* Maps under COMPACT_HEIGHT px tall or COMPACT_WIDTH px wide (report embeds, iframes) get
     slim controls: the class geomap-compact, the layer list and the legend folded (one click
     opens them). Decided from the container's own size at load and on every resize, so it works
     the same in a page, a fragment and an iframe. */
  gm.COMPACT_HEIGHT = 600;
  gm.COMPACT_WIDTH = 700;
  /* Popups open clear of the title (top) and the time control (bottom). */
  gm.POPUP = { maxWidth: 380, minWidth: 220, autoPanPaddingTopLeft: [12, 56], autoPanPaddingBottomRight: [12, 24] };
  gm.layout = function (map) {
    var c = map.getContainer(), w = c.clientWidth, h = c.clientHeight;
    var compact = w > 0 && h > 0 && (h < gm.COMPACT_HEIGHT || w < gm.COMPACT_WIDTH);
    if (compact === state(map).compact) { return compact; }
    state(map).compact = compact;
    L.DomUtil[compact ? 'addClass' : 'removeClass'](c, 'geomap-compact');
    Array.prototype.forEach.call(c.querySelectorAll('.leaflet-control-layers'), function (lc) {
      if (compact) {
        lc.classList.remove('leaflet-control-layers-expanded');
        if (!lc.geomapFold) {  // open on click or hover, fold again when the pointer leaves
          lc.geomapFold = true;
          var open = function (e) { if (state(map).compact) { lc.classList.add('leaflet-control-layers-expanded'); if (e) { e.preventDefault(); } } };
          lc.querySelector('.leaflet-control-layers-toggle').addEventListener('click', open);
          lc.addEventListener('mouseenter', function () { open(); });
          lc.addEventListener('mouseleave', function () { if (state(map).compact) { lc.classList.remove('leaflet-control-layers-expanded'); } });
        }
      } else if (lc.geomapFold) {
        lc.classList.add('leaflet-control-layers-expanded');
      }
    });
    Array.prototype.forEach.call(c.querySelectorAll('.geomap-legend details'), function (d) { d.open = !compact; });
    return compact;
  };

  /* Fit the first view to the event sites, keeping them clear of the controls
     in the map's corners (each side's padding is at most a third of the map). */
  function fitNow(map) {
    var st = state(map), bounds = st.fitTo[0], maxZoom = st.fitTo[1];
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
    st.fitPadding = pad;
    st.fitted = true;
  }

  /* A map that loads hidden (display:none div, a tab, an iframe loaded out of view) has no
     size, so nothing can be fitted then: watch the container and, once it has a size and is
     in view, tell Leaflet its size and fit the events. Until the reader moves the map, a
     resize fits them again (and re-decides the compact layout). */
  function watchSize(map) {
    var st = state(map), c = map.getContainer();
    ['pointerdown', 'wheel', 'keydown', 'touchstart'].forEach(function (name) {
      c.addEventListener(name, function () { st.touched = true; }, { passive: true });
    });
    function check() {
      if (!c.clientWidth || !c.clientHeight) { return; }  // still hidden
      var before = map.getSize();
      map.invalidateSize({ animate: false, pan: false });
      var after = map.getSize();
      gm.layout(map);
      if (st.fitTo && (!st.fitted || (!st.touched && !after.equals(before)))) { fitNow(map); }
    }
    st.checkSize = check;
    if (window.ResizeObserver) { new ResizeObserver(check).observe(c); }
    if (window.IntersectionObserver) {
      new IntersectionObserver(function (seen) {
        if (seen.some(function (e) { return e.isIntersecting; })) { check(); }
      }).observe(c);
    }
  }

  gm.fit = function (map, bounds, maxZoom) {
    var st = state(map);
    st.fitTo = bounds ? [bounds, maxZoom] : null;
    gm.layout(map);
    var names = st.labels;
    if (names && names.redraw) {  // the marks exist now: keep names clear of them (again once settled)
      names.redraw();
      window.addEventListener('load', function () { setTimeout(names.redraw, 50); });
    }
    if (!st.layoutWatched) {
      st.layoutWatched = true;
      map.on('resize', function () { gm.layout(map); });
      map.on('popupopen', function (e) {  // a compact map gets a narrower popup that scrolls
        var o = e.popup.options, small = st.compact;
        var want = small ? Math.max(120, Math.round(map.getSize().y * 0.5)) : undefined;
        if (o.maxHeight !== want) {
          o.maxHeight = want;
          o.maxWidth = small ? 300 : gm.POPUP.maxWidth;
          e.popup.update();
        }
      });
      watchSize(map);
    }
    var c = map.getContainer();
    if (bounds && c.clientWidth && c.clientHeight) { fitNow(map); }  // else: once it has a size
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
    (st.hooks || []).forEach(function (hook) { hook(test); });
    if (st.labels && st.labels.redraw) { st.labels.redraw(); }  // names follow the marks shown  // e.g. the aggregated view of a big map
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

  /* Names over the offline outlines: [lat, lon, name, minZoom, kind] (0 country, 1 city,
     2 capital), most important first. Redrawn after each move: a label is drawn when the zoom
     reaches its minZoom and it overlaps no label drawn before it, so names never pile up. */
  gm.labelLayer = function (map, labels) {
    var pane = 'geomapLabels';
    if (!map.getPane(pane)) {
      var el = map.createPane(pane);
      el.style.zIndex = 390;  // over the outlines and tiles, under every overlay and marker
      el.style.pointerEvents = 'none';
    }
    var layer = L.layerGroup([], { pane: pane }), box = null;
    function draw() {
      if (!box) { return; }
      box.innerHTML = '';
      var zoom = map.getZoom(), size = map.getSize(), taken = [];
      L.DomUtil.setPosition(box, map.containerPointToLayerPoint([0, 0]));
      // names keep clear of the event marks drawn: each icon's box from its anchor and size
      // (a clustered pin counts as its cluster's icon), in container pixels
      var seen = new Set();
      gm.visible(map).slice(0, 3000).forEach(function (e) {
        var m = e.mark;
        if (e.group && e.group.getVisibleParent) { m = e.group.getVisibleParent(e.mark) || m; }
        if (seen.has(m) || !m.getLatLng) { return; }
        seen.add(m);
        var q = map.latLngToContainerPoint(m.getLatLng()), o = m.options.icon ? m.options.icon.options : null;
        var size = o && o.iconSize ? L.point(o.iconSize) : L.point(44, 44), anchor = o && o.iconAnchor ? L.point(o.iconAnchor) : size.divideBy(2);
        if (!o) { size = L.point(12, 12); anchor = L.point(6, 6); }
        taken.push([q.x - anchor.x - 2, q.y - anchor.y - 2, q.x - anchor.x + size.x + 2, q.y - anchor.y + size.y + 2]);
      });
      var reserved = taken.length;
      for (var i = 0; i < labels.length && taken.length - reserved < 250; i++) {
        var l = labels[i];
        if (zoom < l[3]) { continue; }
        var p = map.latLngToContainerPoint([l[0], l[1]]);
        if (p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20) { continue; }
        var country = l[4] === 0, w = l[2].length * (country ? 7.2 : 6.2) + (country ? 4 : 10), h = 14;
        var r = country ? [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2] : [p.x - 4, p.y - h / 2, p.x - 4 + w, p.y + h / 2];
        var clash = taken.some(function (t) { return r[0] < t[2] + 4 && r[2] + 4 > t[0] && r[1] < t[3] + 2 && r[3] + 2 > t[1]; });
        if (clash) { continue; }
        taken.push(r);
        var span = L.DomUtil.create('span', 'geomap-label ' + (country ? 'gm-country' : l[4] === 2 ? 'gm-city gm-capital' : 'gm-city'), box);
        span.textContent = l[2];
        span.style.left = Math.round(r[0]) + 'px';
        span.style.top = Math.round(r[1]) + 'px';
      }
    }
    var queued = false;
    function later() {  // after the cluster layers have laid their icons out for the new view
      if (queued) { return; }
      queued = true;
      requestAnimationFrame(function () { queued = false; draw(); });
    }
    layer.redraw = later;
    layer.onAdd = function (m) {
      box = L.DomUtil.create('div', 'geomap-labels', m.getPane(pane));
      m.on('zoomend moveend resize overlayadd overlayremove', later);
      draw();
    };
    layer.onRemove = function (m) {
      m.off('zoomend moveend resize overlayadd overlayremove', later);
      if (box) { box.remove(); box = null; }
    };
    return layer;
  };

  gm.outlines = function (map, data, labels) {
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
    var names = labels && labels.length ? gm.labelLayer(map, labels) : null;
    layer.on('add', function () {
      L.DomUtil.addClass(map.getContainer(), 'geomap-sea');
      if (names && !map.hasLayer(names)) { names.addTo(map); }  // tiles carry their own names
    });
    layer.on('remove', function () {
      L.DomUtil.removeClass(map.getContainer(), 'geomap-sea');
      if (names) { map.removeLayer(names); }
    });
    state(map).labels = names;
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
