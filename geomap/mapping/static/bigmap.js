/* geomap aggregated view for big maps: all event sites as columns, drawn on one canvas.
   Zoomed out, the sites in view are counted per grid cell (a circle per cell, sized by its
   count, coloured by its commonest type; a click zooms in). Zoomed in, or when few sites are
   in view, each site is a circle (its type's lettered pin when very few are in view) whose
   popup is built from text nodes. A site told by several sources (data.ns) is larger, its area
   growing with their number, and its popup lists every source (data.more). data.ring rings
   chosen sites (a store's last update). The date range filters through geomap.filter's hooks. */
(function () {
  if (!window.geomap || window.geomap.aggregated) { return; }
  var gm = window.geomap;
  var CELL = 56, DETAIL = 1500, DETAIL_ZOOM = 9, PINS = 300;

  function el(tag, cls, text, parent) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function popupNode(data, i) {
    var ty = data.types[data.t[i]], name = data.names[data.n[i]], date = data.d[i] >= 0 ? data.dates[data.d[i]] : null;
    var root = el('div', 'geomap-popup'), head = el('div', 'gm-head', null, root);
    var badge = el('span', 'gm-type', ty.type, head);
    badge.style.background = ty.color;
    head.appendChild(document.createTextNode(' '));
    el('span', 'gm-date', date ? date[1] : 'date unknown', head);
    if (data.inf[i]) { head.appendChild(document.createTextNode(' ')); el('span', 'gm-inferred', 'date inferred', head); }
    var place = el('div', 'gm-place', null, root), nm = el('span', 'gm-name', name[0], place);
    if (name[1]) { nm.title = name[1]; }
    if (data.conf[i] >= 0) {
      var meta = el('div', 'gm-meta', null, place);
      el('span', 'gm-conf', 'confidence ' + data.conf[i] + '%', meta);
      if (data.conf[i] < data.check) { meta.appendChild(document.createTextNode(' ')); el('span', 'gm-check', 'check this', meta); }
    }
    var more = data.more && data.more[i] >= 0 ? data.lists[data.more[i]] : null;
    if (more) { sourceList(data, i, more, name[2], root); return root; }
    quote(data.sentences[data.s[i]], name[2], root, 'blockquote');
    sourceLine(data.sources[data.src[i]], el('div', 'gm-source', null, root), 'link');
    return root;
  }

  /* The sentence in quotes, the place's name in it marked. */
  function quote(sentence, place, parent, tag) {
    if (!sentence) { return; }
    var q = el(tag, 'gm-quote', null, parent), at = place ? sentence.indexOf(place) : -1;
    q.appendChild(document.createTextNode('\u201c' + (at < 0 ? sentence : sentence.slice(0, at))));
    if (at >= 0) {
      el('mark', null, place, q);
      q.appendChild(document.createTextNode(sentence.slice(at + place.length)));
    }
    q.appendChild(document.createTextNode('\u201d'));
  }

  /* [title, published, url]: the title (linked when it has an http(s) URL, checked in Python,
     as `label` when the title is shown apart) and the date. */
  function sourceLine(src, line, label) {
    if (src[0] && !(label === null && src[2])) { el('span', 'gm-title', src[0], line); }
    if (src[2]) {
      if (label) { line.appendChild(document.createTextNode(' \u00b7 ')); }
      var a = el('a', null, label || src[0] || 'source', line);
      a.href = src[2]; a.target = '_blank'; a.rel = 'noopener noreferrer';
    }
    if (src[1]) { line.appendChild(document.createTextNode((label ? ' \u00b7 ' : ' (') + src[1] + (label ? '' : ')'))); }
  }

  /* Every source of a site told several times: how many, the first and last report, and each
     source's title, date and sentence. */
  function sourceList(data, i, pairs, place, root) {
    var box = el('div', 'gm-sources', null, root), days = [];
    for (var j = 0; j < pairs.length; j += 2) { var day = data.sources[pairs[j]][1]; if (day) { days.push(day); } }
    days.sort();
    var n = data.ns[i];
    el('div', 'gm-muted', n + ' sources' + (days.length ? ', first report ' + days[0] + ', last ' + days[days.length - 1] : ''), box);
    var list = el('ol', null, null, box);
    for (var k = 0; k < pairs.length; k += 2) {
      var item = el('li', null, null, list);
      sourceLine(data.sources[pairs[k]], item, null);
      quote(data.sentences[pairs[k + 1]], place, item, 'div');
    }
  }

  gm.aggregated = function (map, group, data) {
    var st = gm.state(map), n = data.lat.length, renderer = L.canvas({ padding: 0.2 });
    var shown = new Uint8Array(n).fill(1), marks = L.layerGroup().addTo(group);
    var px = new Float64Array(n), py = new Float64Array(n);
    for (var i = 0; i < n; i++) {  // projected once at zoom 0; other zooms scale by 2^z
      var p = map.project([data.lat[i], data.lon[i]], 0);
      px[i] = p.x; py[i] = p.y;
    }
    var drawn = { mode: '', count: 0 };
    st.big = { data: data, shown: shown, drawn: drawn };
    st.count = function () {
      var s = 0, dated = 0;
      for (var k = 0; k < n; k++) { if (data.d[k] >= 0) { dated++; if (shown[k]) { s++; } } }
      return { shown: s, dated: dated };
    };
    var noun = data.noun || ['event', 'events'], ring = data.ring || null;
    /* One site: a circle on the canvas, or its type's lettered pin (`pin`); larger for more
       sources, ringed when data.ring says so; the popup is built when it opens. */
    function site(k, pin) {
      var ty = data.types[data.t[k]], told = data.ns ? data.ns[k] : 1, ringed = ring && ring.on[k];
      var r = 5 + 5 * Math.sqrt(told - 1), mark;
      if (pin) {
        var d = Math.round(2 * r + 12), style = 'background:' + ty.color + ';color:' + ty.text +
          ';width:' + d + 'px;height:' + d + 'px;line-height:' + d + 'px' + (ringed ? ';box-shadow:0 0 0 3px ' + ring.color : '');
        mark = L.marker([data.lat[k], data.lon[k]], { riseOnHover: true, icon: L.divIcon({
          className: 'geomap-site', iconSize: [d, d], html: '<span style="' + style + '"></span>'
        }) });
        mark.on('add', function () { var e = mark.getElement(); if (e) { e.firstChild.textContent = ty.glyph; } });
      } else {
        mark = L.circleMarker([data.lat[k], data.lon[k]], {
          renderer: renderer, radius: r, color: ringed ? ring.color : '#fff', weight: ringed ? 3 : 1,
          fillColor: ty.color, fillOpacity: told > 1 ? 0.6 : 0.9
        });
      }
      var tip = ty.type + (told > 1 ? ', ' + told + ' sources' : '') + (ringed ? ', ' + ring.label : '');
      mark.geomapIndex = k;
      return mark.bindPopup(function () { return popupNode(data, k); }, gm.POPUP).bindTooltip(el('span', null, tip));
    }
    function draw() {
      marks.clearLayers();
      if (!map.hasLayer(group)) { drawn.mode = 'off'; drawn.count = 0; return; }
      var z = map.getZoom(), scale = Math.pow(2, z), origin = map.getPixelBounds(), inView = [];
      var x0 = origin.min.x, y0 = origin.min.y, x1 = origin.max.x, y1 = origin.max.y;
      for (var k = 0; k < n; k++) {
        if (!shown[k]) { continue; }
        var x = px[k] * scale, y = py[k] * scale;
        if (x >= x0 && x <= x1 && y >= y0 && y <= y1) { inView.push(k); }
      }
      if (inView.length <= DETAIL || z >= DETAIL_ZOOM) {
        drawn.mode = inView.length <= PINS ? 'pins' : 'detail';
        var some = inView.slice(0, 20000);
        if (data.ns) { some.sort(function (a, b) { return data.ns[b] - data.ns[a]; }); }  // small ones on top
        some.forEach(function (k) { site(k, drawn.mode === 'pins').addTo(marks); });
        drawn.count = some.length;
        return;
      }
      var cells = new Map();
      inView.forEach(function (k) {
        var key = Math.floor(px[k] * scale / CELL) + ':' + Math.floor(py[k] * scale / CELL);
        var c = cells.get(key);
        if (!c) { c = { n: 0, told: 0, x: 0, y: 0, types: {} }; cells.set(key, c); }
        c.n++; c.told += data.ns ? data.ns[k] : 1; c.x += px[k] * scale; c.y += py[k] * scale;
        c.types[data.t[k]] = (c.types[data.t[k]] || 0) + 1;
      });
      drawn.mode = 'grid'; drawn.count = cells.size;
      cells.forEach(function (c) {
        var top = 0, best = 0;
        Object.keys(c.types).forEach(function (t) { if (c.types[t] > best) { best = c.types[t]; top = +t; } });
        var at = map.unproject([c.x / c.n, c.y / c.n], z), ty = data.types[top];
        var size = Math.round(Math.min(26 + 4 * Math.log2(c.n), 56));
        var circle = L.marker(at, { icon: L.divIcon({
          className: 'geomap-cluster geomap-cell', iconSize: [size, size],
          html: '<div style="border-color:' + ty.color + '"><span>' + (c.n >= 10000 ? Math.round(c.n / 1000) + 'k' : c.n) + '</span></div>'
        }) }).bindTooltip(el('span', null, c.n + ' ' + noun[c.n === 1 ? 0 : 1] +
                          (data.ns ? ' (' + c.told + ' sources)' : '') + ', most of them ' + ty.type +
                          ': click to zoom in'), { direction: 'top' });  // a text node: the type is the data's
        circle.geomapCount = c.n;
        circle.on('click', function () { map.setView(at, Math.min(z + 2, DETAIL_ZOOM)); });
        circle.addTo(marks);
      });
    }
    st.hooks = st.hooks || [];
    st.hooks.push(function (test) {
      for (var k = 0; k < n; k++) { shown[k] = test(data.d[k] >= 0 ? data.dates[data.d[k]][0] : '') ? 1 : 0; }
      draw();
    });
    map.on('moveend zoomend', draw);
    group.on('add remove', function () { setTimeout(draw, 0); });
    map.whenReady(draw);
  };
})();
