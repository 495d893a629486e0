/* geomap time range: a histogram of event sites per day/week/month with two handles.
   data: {unit, bins: [[startIso, endIso, stated, inferred, label], ...], undated, full, outside}.
   Sites dated inside [bins[lo].start, bins[hi].end) are shown; undated ones always are.
   The bins cover the news window (see plugins/timerange.py); when dates fall outside it,
   outside = {earlier, later, n_earlier, n_later, n} lists them and full holds the bins of every
   date, which a button (or switching on the background events' layer) puts in the control. */
(function () {
  if (!window.geomap || window.geomap.timeRange) { return; }
  var gm = window.geomap, SVG = 'http://www.w3.org/2000/svg';

  function note(outside) {
    var parts = [];
    function one(n, labels, word) {
      if (!n) { return; }
      parts.push(n + ' ' + word + ' date' + (n === 1 ? '' : 's') + ' not shown: ' + labels.join(', '));
    }
    one(outside.n_earlier, outside.earlier, 'earlier');
    one(outside.n_later, outside.later, 'later');
    return parts.join('; ');
  }

  gm.timeRange = function (map, data) {
    var div = gm.control(map, 'bottomleft', 'geomap-box geomap-timerange',
      '<svg class="gm-hist" preserveAspectRatio="none" aria-hidden="true"></svg>' +
      '<div class="gm-handles">' +
      '<input type="range" class="gm-lo" min="0" step="1" value="0" aria-label="From date">' +
      '<input type="range" class="gm-hi" min="0" step="1" aria-label="To date">' +
      '</div><div class="gm-range-label"></div>' +
      (data.outside && data.full ? '<div class="gm-outside"><span class="gm-outside-text"></span> ' +
        '<button type="button" class="gm-all"></button></div>' : ''));
    var svg = div.querySelector('.gm-hist'), lo = div.querySelector('.gm-lo'), hi = div.querySelector('.gm-hi');
    var label = div.querySelector('.gm-range-label'), outsideText = div.querySelector('.gm-outside-text');
    var allButton = div.querySelector('.gm-all');
    var sites = gm.state(map).entries.filter(function (e) { return e.kind !== 2; });
    var bins, last, bars, all = false;

    function draw(hist) {
      bins = hist.bins;
      last = bins.length - 1;
      var max = Math.max.apply(null, bins.map(function (b) { return b[2] + b[3]; }).concat([1]));
      while (svg.firstChild) { svg.removeChild(svg.firstChild); }
      svg.setAttribute('viewBox', '0 0 ' + bins.length + ' 100');
      [lo, hi].forEach(function (input) { input.max = last; });
      lo.value = 0;
      hi.value = last;
      bars = bins.map(function (b, i) {
        var g = document.createElementNS(SVG, 'g'), total = b[2] + b[3];
        var stated = document.createElementNS(SVG, 'rect'), inferred = document.createElementNS(SVG, 'rect');
        var h1 = 100 * b[2] / max, h2 = 100 * b[3] / max;
        [[stated, 100 - h1, h1, 'gm-bar'], [inferred, 100 - h1 - h2, h2, 'gm-bar gm-bar-inferred']].forEach(function (r) {
          r[0].setAttribute('x', i + 0.08); r[0].setAttribute('width', 0.84);
          r[0].setAttribute('y', r[1]); r[0].setAttribute('height', r[2]);
          r[0].setAttribute('class', r[3]);
          g.appendChild(r[0]);
        });
        var title = document.createElementNS(SVG, 'title');
        title.textContent = b[4] + ': ' + total + ' event' + (total === 1 ? '' : 's') +
          (b[3] ? ' (' + b[3] + ' with an inferred date)' : '');
        g.appendChild(title);
        g.setAttribute('data-count', total);
        g.setAttribute('data-inferred', b[3]);
        // a click on a bar narrows the range to it
        g.addEventListener('click', function () { lo.value = i; hi.value = i; apply(); });
        svg.appendChild(g);
        return g;
      });
      if (outsideText) {
        outsideText.textContent = all ? 'All dates shown' : note(data.outside);
        allButton.textContent = all ? 'news window only' : 'show all dates';
      }
      div.setAttribute('data-mode', all ? 'all' : 'window');
    }

    function apply() {
      var a = Math.min(+lo.value, +hi.value), b = Math.max(+lo.value, +hi.value);
      var from = bins[a][0], to = bins[b][1];
      gm.filter(map, function (d) { return !d || (d.slice(0, 10) >= from && d.slice(0, 10) < to); });
      bars.forEach(function (g, i) { g.classList.toggle('gm-out', i < a || i > b); });
      var counted = gm.state(map).count ? gm.state(map).count() : null;  // a big map counts its own sites
      var n = counted ? counted.shown : sites.filter(function (e) {
        return e.shown && e.date && map.hasLayer(e.on);
      }).length;
      var total = counted ? counted.dated : sites.filter(function (e) { return !!e.date && map.hasLayer(e.on); }).length;
      label.textContent = (a === b ? bins[a][4] : bins[a][4] + ' \u2013 ' + bins[b][4]) + ' \u00b7 ' + n + ' of ' +
        total + ' dated' + (data.undated ? ' \u00b7 +' + data.undated + ' undated' : '');
      div.setAttribute('data-shown', n);
      div.setAttribute('data-from', from);
      div.setAttribute('data-to', to);
    }

    function showAll(on) {
      if (!data.full || all === on) { return; }
      all = on;
      draw(on ? data.full : data);
      apply();
    }
    gm.state(map).timeRangeAll = showAll;

    var pending = false;
    function later() {  // dragging fires many input events: filter at most once per frame
      if (pending) { return; }
      pending = true;
      requestAnimationFrame(function () { pending = false; apply(); });
    }
    [lo, hi].forEach(function (input) {
      input.addEventListener('input', later);
      input.addEventListener('change', apply);
    });
    // a double click shows the whole axis again
    svg.addEventListener('dblclick', function () { lo.value = 0; hi.value = last; apply(); });
    if (allButton) { allButton.addEventListener('click', function () { showAll(!all); }); }
    // the background events' layer switched on: their dates come into range
    map.on('overlayadd overlayremove', function (e) {
      var recalled = sites.some(function (s) { return s.background && s.on === e.layer; });
      if (recalled && e.type === 'overlayadd' && !all) { showAll(true); } else { apply(); }  // counts follow the layers
    });
    draw(data);
    apply();
    return div;
  };
})();
