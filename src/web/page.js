// tppcalc scenario explorer: re-classifies through the JSON API when a threshold changes,
// sorts the verdict table, checks a datasheet, compares rule sets. Plain JavaScript, no
// library; every value from the server is inserted as text, never as markup (the chart's SVG,
// drawn by this server from its own catalog, is the one exception).
(function () {
  'use strict';
  var state = JSON.parse(document.getElementById('state').textContent);
  var rulesId = state.rules;
  var rows = state.rows;
  var baseline = {};
  rows.forEach(function (r) { baseline[r.part] = label(r); });
  var sortKey = 'part';
  var sortAsc = true;
  var seq = 0;
  var timer = null;
  var statusEl = document.getElementById('status');
  var chartEl = document.getElementById('chart');
  var tbody = document.querySelector('#verdict-table tbody');

  // The engine names each verdict and its reason (`label`, `why` in every JSON row); the page
  // shows them as they come and never works them out again.
  function label(r) { return r.label; }
  function verdictClass(l) {
    if (l === '3A090.a' || l === '4A090.a') return 'v-a';
    if (l === '3A090.b' || l === '4A090.b') return 'v-b';
    if (l === '3A090.c') return 'v-c';
    return l === 'not controlled' ? 'v-no' : 'v-ind';
  }
  function why(r) { return r.why; }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  // Figures as the tables of the CLI write them: at most 6 significant digits, the whole-number
  // part in full, trailing zeros removed (the server renders the first table the same way).
  function figure(x) {
    if (x === null || x === undefined) return 'unknown';
    var a = Math.abs(x);
    if (a !== 0 && (a < 1e-6 || a >= 1e15)) return String(Number(x.toPrecision(6))).replace('e+', 'e');
    var places = a === 0 ? 0 : Math.max(0, 5 - Math.floor(Math.log10(a)));
    return String(Number(x.toFixed(places)));
  }
  function say(text, isError) {
    statusEl.textContent = text;
    statusEl.className = isError ? 'error' : '';
  }
  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.text().then(function (text) { return { ok: res.ok, status: res.status, text: text }; });
    });
  }
  function errorsOf(reply) {
    try {
      var e = JSON.parse(reply.text);
      return e.errors && e.errors.length ? e.errors : [{ text: e.error }];
    } catch (x) {
      return [{ text: 'HTTP ' + reply.status + ': ' + reply.text }];
    }
  }

  // ---- thresholds -------------------------------------------------------------------------
  var inputs = Array.prototype.slice.call(document.querySelectorAll('input.num'));
  // The changed thresholds as `set`, or null when a field holds no number.
  function overrides() {
    var set = {};
    for (var i = 0; i < inputs.length; i++) {
      var inp = inputs[i];
      var v = inp.value.trim();
      if (v === '' || isNaN(Number(v))) return null;
      if (Number(v) !== Number(inp.dataset.default)) {
        set[inp.dataset.key] = inp.dataset.unit ? v + ' ' + inp.dataset.unit : v;
      }
    }
    return set;
  }
  function decimals(step) {
    var s = String(step);
    return s.indexOf('.') < 0 ? 0 : s.length - s.indexOf('.') - 1;
  }
  function markChanged() {
    inputs.forEach(function (inp) {
      var changed = inp.value.trim() !== '' && Number(inp.value) !== Number(inp.dataset.default);
      inp.closest('.threshold').classList.toggle('changed', changed);
    });
  }
  document.querySelectorAll('input.range').forEach(function (range) {
    var num = document.getElementById(range.dataset.for);
    range.addEventListener('input', function () {
      num.value = Number(range.value).toFixed(decimals(range.step));
      markChanged();
      schedule();
    });
    num.addEventListener('input', function () {
      if (num.value !== '') range.value = num.value;
      markChanged();
      schedule();
    });
  });
  document.getElementById('reset').addEventListener('click', function () {
    inputs.forEach(function (inp) {
      inp.value = inp.dataset.default;
      document.querySelector('input.range[data-for="' + inp.id + '"]').value = inp.dataset.default;
    });
    markChanged();
    refresh();
  });
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }
  function refresh() {
    var set = overrides();
    if (set === null) { say('Enter a number in every threshold field.', true); return; }
    var mine = ++seq;
    var body = { rules: rulesId, set: set };
    say('Classifying…');
    var chartBody = { rules: rulesId, set: set };
    if (view) chartBody.view = view;
    Promise.all([post('/api/classify', body), post('/api/chart', chartBody)]).then(function (replies) {
      if (mine !== seq) return;
      if (!replies[0].ok) {
        say(errorsOf(replies[0]).map(function (e) { return e.text; }).join('; '), true);
        return;
      }
      rows = JSON.parse(replies[0].text);
      renderTable();
      renderChanges();
      if (replies[1].ok) chartEl.innerHTML = replies[1].text;
      var n = Object.keys(set).length;
      var changed = rows.filter(function (r) { return baseline[r.part] !== label(r); }).length;
      say(n === 0 ? 'Thresholds as published in ' + rulesId + '.'
        : n + ' threshold' + (n > 1 ? 's' : '') + ' changed: ' + changed + ' of ' + rows.length +
          ' parts change verdict.');
    }).catch(function (e) {
      if (mine === seq) say('Cannot reach the server: ' + e.message, true);
    });
  }

  // ---- chart: tooltip, explanation on click, zoom -------------------------------------------
  var view = null;  // the window shown, { tpp: [a, b], pd: [c, d] }; null = every part
  var tip = document.getElementById('tip');
  var zoomReset = document.getElementById('zoom-reset');
  function partOf(target) {
    return target && target.closest ? target.closest('g.part') : null;
  }
  function fmt(x) {
    var n = Number(x);
    return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
  function showTip(g, x, y) {
    var d = g.dataset;
    tip.replaceChildren();
    tip.appendChild(el('strong', d.name));
    tip.appendChild(el('div', 'TPP ' + fmt(d.tpp) + ' · performance density ' + fmt(d.pd)));
    var v = el('div');
    v.appendChild(el('span', d.verdict, 'label ' + verdictClass(d.verdict)));
    v.appendChild(el('span', ' ' + d.why));
    tip.appendChild(v);
    if (d.datacenter !== 'yes') {
      tip.appendChild(el('div', d.datacenter === 'no' ? 'not designed or marketed for datacenters'
        : 'datacenter use not stated', 'small'));
    }
    tip.appendChild(el('div', 'click for the explanation', 'small'));
    var box = chartEl.getBoundingClientRect();
    tip.style.left = Math.min(x - box.left + 14, box.width - 260) + 'px';
    tip.style.top = (y - box.top + 14) + 'px';
    tip.hidden = false;
  }
  chartEl.addEventListener('mousemove', function (ev) {
    if (drag) return;
    var g = partOf(ev.target);
    if (g) showTip(g, ev.clientX, ev.clientY); else tip.hidden = true;
  });
  chartEl.addEventListener('mouseleave', function () { tip.hidden = true; });
  chartEl.addEventListener('focusin', function (ev) {
    var g = partOf(ev.target);
    if (!g) return;
    var r = g.getBoundingClientRect();
    showTip(g, r.right, r.bottom);
  });
  chartEl.addEventListener('focusout', function () { tip.hidden = true; });
  function explainPart(id, name) {
    var panel = document.getElementById('part-explain');
    var text = document.getElementById('part-explain-text');
    document.getElementById('part-explain-h').textContent = 'Explanation: ' + name;
    text.textContent = 'Explaining…';
    panel.hidden = false;
    var set = overrides() || {};
    post('/api/explain', { rules: rulesId, set: set, part: id, format: 'text' }).then(function (reply) {
      text.textContent = reply.ok ? reply.text : errorsOf(reply).map(function (e) { return e.text; }).join('\n');
      panel.scrollIntoView({ block: 'nearest' });
    }).catch(function (e) { text.textContent = 'Cannot reach the server: ' + e.message; });
  }
  chartEl.addEventListener('click', function (ev) {
    var g = partOf(ev.target);
    if (g && !dragged) explainPart(g.dataset.part, g.dataset.name);
  });
  chartEl.addEventListener('keydown', function (ev) {
    var g = partOf(ev.target);
    if (g && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); explainPart(g.dataset.part, g.dataset.name); }
  });
  // Pixel <-> data: the plot's box and window are on the chart's `#parts` group.
  function geometry() {
    var svg = chartEl.querySelector('svg');
    var parts = svg && svg.getElementById('parts');
    if (!parts) return null;
    var p = parts.dataset.plot.split(' ').map(Number);
    var v = parts.dataset.view.split(' ').map(Number);
    var vb = svg.viewBox.baseVal;
    var box = svg.getBoundingClientRect();
    var k = box.width / vb.width;
    return {
      toData: function (cx, cy) {
        var x = (cx - box.left) / k, y = (cy - box.top) / k;
        var fx = Math.min(Math.max((x - p[0]) / p[2], 0), 1), fy = Math.min(Math.max((y - p[1]) / p[3], 0), 1);
        return [Math.exp(Math.log(v[0]) + fx * (Math.log(v[1]) - Math.log(v[0]))),
                Math.exp(Math.log(v[3]) - fy * (Math.log(v[3]) - Math.log(v[2])))];
      }
    };
  }
  var drag = null, dragged = false, band = null;
  chartEl.addEventListener('mousedown', function (ev) {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY };
    dragged = false;
  });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 6) return;
    dragged = true;
    tip.hidden = true;
    var box = chartEl.getBoundingClientRect();
    if (!band) { band = el('div', undefined, 'zoom-band'); chartEl.appendChild(band); }
    band.style.left = (Math.min(ev.clientX, drag.x) - box.left) + 'px';
    band.style.top = (Math.min(ev.clientY, drag.y) - box.top) + 'px';
    band.style.width = Math.abs(dx) + 'px';
    band.style.height = Math.abs(dy) + 'px';
    ev.preventDefault();
  });
  window.addEventListener('mouseup', function (ev) {
    if (!drag) return;
    var start = drag;
    drag = null;
    if (band) { band.remove(); band = null; }
    if (!dragged) return;
    var g = geometry();
    if (!g) return;
    var a = g.toData(start.x, start.y), b = g.toData(ev.clientX, ev.clientY);
    var w = { tpp: [Math.min(a[0], b[0]), Math.max(a[0], b[0])], pd: [Math.min(a[1], b[1]), Math.max(a[1], b[1])] };
    if (w.tpp[1] / w.tpp[0] < 1.05 || w.pd[1] / w.pd[0] < 1.05) return;
    zoomTo(w);
  });
  function zoomTo(w) {
    view = w;
    zoomReset.disabled = w === null;
    refresh();
  }
  zoomReset.addEventListener('click', function () { zoomTo(null); });
  // The dense cluster: the middle 80% of the parts that have both figures.
  document.getElementById('zoom-cluster').addEventListener('click', function () {
    var pts = rows.filter(function (r) { return r.metrics.tpp > 0 && r.metrics.performance_density > 0; });
    if (pts.length < 2) return;
    function span(values) {
      values.sort(function (a, b) { return a - b; });
      var lo = values[Math.floor(values.length * 0.1)], hi = values[Math.ceil(values.length * 0.9) - 1];
      return [lo / 1.4, hi * 1.4];
    }
    zoomTo({ tpp: span(pts.map(function (r) { return r.metrics.tpp; })),
             pd: span(pts.map(function (r) { return r.metrics.performance_density; })) });
  });

  // ---- matrix: every part across the rule versions -------------------------------------------
  var matrixLoaded = false;
  function selectTab(matrix) {
    document.getElementById('tab-table').setAttribute('aria-selected', matrix ? 'false' : 'true');
    document.getElementById('tab-matrix').setAttribute('aria-selected', matrix ? 'true' : 'false');
    document.getElementById('table-view').hidden = matrix;
    document.getElementById('matrix-view').hidden = !matrix;
    if (matrix && !matrixLoaded) loadMatrix();
  }
  function matrixNote(text, cls) {
    var tr = el('tr');
    tr.appendChild(el('td', text, cls));
    document.getElementById('matrix-table').tBodies[0].replaceChildren(tr);
  }
  function loadMatrix() {
    var table = document.getElementById('matrix-table');
    matrixNote('Classifying under every rule set…');
    post('/api/matrix', {}).then(function (reply) {
      if (!reply.ok) {
        matrixNote(errorsOf(reply)[0].text, 'error');
        return;
      }
      var m = JSON.parse(reply.text);
      var head = el('tr');
      head.appendChild(el('th', 'part'));
      head.appendChild(el('th', ''));
      m.columns.forEach(function (c) { head.appendChild(el('th', c.rules)); });
      table.tHead.replaceChildren(head);
      var frag = document.createDocumentFragment();
      m.rows.forEach(function (r) {
        var tr = el('tr', undefined, r.differs ? 'differs' : '');
        tr.dataset.part = r.part;
        td(tr, r.part);
        td(tr, r.differs ? '*' : '');
        r.cells.forEach(function (c) {
          var cell = td(tr, '');
          var l = c.text === '-' ? 'not controlled' : (c.text === '?' ? 'indeterminate' : c.text);
          cell.appendChild(el('span', c.text, 'label ' + verdictClass(l)));
        });
        frag.appendChild(tr);
      });
      table.tBodies[0].replaceChildren(frag);
      matrixLoaded = true;
    }).catch(function (e) {
      matrixNote('Cannot reach the server: ' + e.message, 'error');
    });
  }
  document.getElementById('tab-table').addEventListener('click', function () { selectTab(false); });
  document.getElementById('tab-matrix').addEventListener('click', function () { selectTab(true); });

  // ---- table --------------------------------------------------------------------------------
  var sortValue = {
    part: function (r) { return r.part; },
    name: function (r) { return r.name; },
    kind: function (r) { return r.kind; },
    verdict: function (r) { return label(r); },
    tpp: function (r) { return r.metrics.tpp; },
    pd: function (r) { return r.metrics.performance_density; },
    bwd: function (r) { return r.metrics.memory_bandwidth_density; },
    why: function (r) { return why(r); }
  };
  function compare(a, b) {
    var x = sortValue[sortKey](a);
    var y = sortValue[sortKey](b);
    // Unknown figures sort last either way.
    if (x === null || x === undefined) return (y === null || y === undefined) ? a.part.localeCompare(b.part) : 1;
    if (y === null || y === undefined) return -1;
    var c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
    if (c === 0) c = a.part.localeCompare(b.part);
    return sortAsc ? c : -c;
  }
  function td(tr, text, cls) {
    var cell = document.createElement('td');
    cell.textContent = text;
    if (cls) cell.className = cls;
    tr.appendChild(cell);
    return cell;
  }
  // The parts whose verdict differs from the published rule set, as a list under the chart.
  var changesList = document.getElementById('changes-list');
  var changesNone = document.getElementById('changes-none');
  function renderChanges() {
    var frag = document.createDocumentFragment();
    rows.slice().sort(function (a, b) { return a.part.localeCompare(b.part); }).forEach(function (r) {
      var l = label(r);
      var was = baseline[r.part];
      if (was === undefined || was === l) return;
      var li = document.createElement('li');
      li.appendChild(el('strong', r.part));
      li.appendChild(document.createTextNode(': ' + was + ' \u2192 '));
      li.appendChild(el('span', l, 'label ' + verdictClass(l)));
      frag.appendChild(li);
    });
    changesNone.hidden = frag.childNodes.length > 0;
    changesList.replaceChildren(frag);
  }
  function renderTable() {
    var frag = document.createDocumentFragment();
    rows.slice().sort(compare).forEach(function (r) {
      var tr = document.createElement('tr');
      tr.dataset.part = r.part;
      var l = label(r);
      var was = baseline[r.part];
      td(tr, r.part);
      td(tr, r.name);
      td(tr, r.kind);
      var v = td(tr, '', 'verdict');
      var span = document.createElement('span');
      span.className = 'label ' + verdictClass(l);
      span.textContent = l;
      v.appendChild(span);
      if (was !== undefined && was !== l) {
        tr.className = 'changed';
        var w = document.createElement('span');
        w.className = 'was';
        w.textContent = ' (was ' + was + ')';
        v.appendChild(w);
      }
      td(tr, figure(r.metrics.tpp), 'n');
      td(tr, figure(r.metrics.performance_density), 'n');
      td(tr, figure(r.metrics.memory_bandwidth_density), 'n');
      td(tr, why(r));
      frag.appendChild(tr);
    });
    tbody.replaceChildren(frag);
  }
  document.querySelectorAll('#verdict-table th button').forEach(function (btn) {
    btn.addEventListener('click', function () {
      var key = btn.dataset.sort;
      sortAsc = key === sortKey ? !sortAsc : true;
      sortKey = key;
      document.querySelectorAll('#verdict-table th').forEach(function (th) { th.removeAttribute('aria-sort'); });
      btn.parentElement.setAttribute('aria-sort', sortAsc ? 'ascending' : 'descending');
      renderTable();
    });
  });

  // ---- check a datasheet --------------------------------------------------------------------
  var ds = document.getElementById('datasheet');
  var out = document.getElementById('check-out');
  function goToLine(line) {
    var lines = ds.value.split('\n');
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    var end = start + (lines[line - 1] || '').length;
    ds.focus();
    ds.setSelectionRange(start, end);
  }
  function showErrors(reply) {
    out.appendChild(el('h3', 'Errors'));
    var list = el('ul', undefined, 'errors');
    errorsOf(reply).forEach(function (e) {
      var li = el('li', e.text, 'error');
      if (e.line) {
        var b = el('button', 'go to line ' + e.line);
        b.type = 'button';
        b.addEventListener('click', function () { goToLine(e.line); });
        li.appendChild(b);
      }
      list.appendChild(li);
    });
    out.appendChild(list);
  }
  document.getElementById('check-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var set = overrides() || {};
    var body = { rules: rulesId, set: set, datasheet: ds.value };
    var text = { rules: rulesId, set: set, datasheet: ds.value, format: 'text' };
    out.replaceChildren(el('p', 'Checking…'));
    Promise.all([post('/api/classify', body), post('/api/explain', text), post('/api/headroom', text)])
      .then(function (replies) {
        out.replaceChildren();
        if (!replies[0].ok) { showErrors(replies[0]); return; }
        var r = JSON.parse(replies[0].text)[0];
        var l = label(r);
        var p = el('p');
        p.appendChild(el('strong', r.part + ' under ' + r.rules + ': '));
        p.appendChild(el('span', l, 'label ' + verdictClass(l)));
        p.appendChild(el('span', ' — ' + why(r)));
        p.id = 'check-verdict';
        out.appendChild(p);
        [['Explanation', replies[1]], ['Headroom', replies[2]]].forEach(function (pair) {
          out.appendChild(el('h3', pair[0]));
          var pre = el('pre', pair[1].ok ? pair[1].text : errorsOf(pair[1])[0].text);
          pre.tabIndex = 0;  // scrollable with the keyboard
          pre.setAttribute('aria-label', pair[0]);
          out.appendChild(pre);
        });
      })
      .catch(function (e) { out.replaceChildren(el('p', 'Cannot reach the server: ' + e.message, 'error')); });
  });

  // ---- compare two rule sets ----------------------------------------------------------------
  var diffOut = document.getElementById('diff-out');
  document.getElementById('diff-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = {
      rules: document.getElementById('diff-a').value,
      rules_b: document.getElementById('diff-b').value,
      format: 'text'
    };
    if (document.getElementById('diff-set').checked) {
      var set = overrides();
      if (set === null) { diffOut.textContent = 'Enter a number in every threshold field.'; return; }
      // Threshold keys are those of the rule set shown; B must have the same clauses.
      body.set = set;
    }
    diffOut.textContent = 'Comparing…';
    post('/api/diff', body).then(function (reply) {
      diffOut.textContent = reply.ok ? reply.text : errorsOf(reply).map(function (e) { return e.text; }).join('\n');
    }).catch(function (e) { diffOut.textContent = 'Cannot reach the server: ' + e.message; });
  });

  // ---- foundry presumption ------------------------------------------------------------------
  var foundryOut = document.getElementById('foundry-out');
  function presumptionClass(p) {
    if (p === 'applies') return 'v-a';
    if (p === 'indeterminate') return 'v-ind';
    return 'v-no';
  }
  function facts(rowsOf) {
    var dl = el('dl', undefined, 'facts');
    rowsOf.forEach(function (pair) {
      dl.appendChild(el('dt', pair[0]));
      dl.appendChild(el('dd', pair[1]));
    });
    return dl;
  }
  function list(items) {
    var ul = el('ul');
    items.forEach(function (t) { ul.appendChild(el('li', t)); });
    return ul;
  }
  function count(n) { return n === null || n === undefined ? 'unknown' : Number(n).toLocaleString('en-US'); }
  function yesNo(b) { return b === null || b === undefined ? 'unknown' : (b ? 'yes' : 'no'); }
  function errorList(reply) {
    var ul = el('ul', undefined, 'errors');
    errorsOf(reply).forEach(function (e) { ul.appendChild(el('li', e.text, 'error')); });
    return ul;
  }
  document.getElementById('foundry-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = {
      rules: rulesId,
      set: overrides() || {},
      part: document.getElementById('foundry-part').value,
      completed: document.getElementById('foundry-completed').value.trim()
    };
    var by = document.getElementById('foundry-by').value;
    var where = document.getElementById('foundry-in').value.trim();
    var designer = document.getElementById('foundry-designer').value;
    if (by) body.packaged_by = by;
    if (where) body.packaged_in = where;
    if (designer) body.designer = designer;
    foundryOut.replaceChildren(el('p', 'Asking…'));
    post('/api/foundry', body).then(function (reply) {
      foundryOut.replaceChildren();
      if (!reply.ok) { foundryOut.appendChild(errorList(reply)); return; }
      var a = JSON.parse(reply.text);
      var p = el('p', undefined, 'answer');
      p.id = 'foundry-verdict';
      p.appendChild(el('strong', a.part + ', completed ' + a.completed + ': presumption '));
      p.appendChild(el('span', a.presumption.replace('_', ' '), 'label ' + presumptionClass(a.presumption)));
      if (a.route) p.appendChild(el('span', ' by the ' + a.route.replace('_', ' ') + ' route'));
      foundryOut.appendChild(p);
      var basis = a.count_basis ? ' (' + a.count_basis + ')' : '';
      foundryOut.appendChild(facts([
        ['applicable advanced logic IC', a.advanced_logic],
        ['aggregated transistor count', count(a.aggregated_transistor_count) + basis],
        ['threshold', a.threshold === null ? 'none' : 'below ' + count(a.threshold)],
        ['HBM in the package', yesNo(a.hbm)],
        ['year rule', a.year_rule],
        ['rule set', a.rules]
      ]));
      foundryOut.appendChild(el('h3', 'Routes'));
      foundryOut.appendChild(list(a.routes.map(function (r) {
        return r.route + ': ' + r.result.replace(/_/g, ' ') + ' \u2014 ' + r.reason;
      })));
      foundryOut.appendChild(el('h3', 'Why'));
      foundryOut.appendChild(list(a.reasons));
      var d = el('details');
      d.appendChild(el('summary', 'Open points and source'));
      d.appendChild(list(a.open_points.concat([a.citation, a.source])));
      foundryOut.appendChild(d);
    }).catch(function (e) { foundryOut.replaceChildren(el('p', 'Cannot reach the server: ' + e.message, 'error')); });
  });

  // ---- cluster: is it a supercomputer? -------------------------------------------------------
  var rackBody = document.querySelector('#rack-table tbody');
  var clusterOut = document.getElementById('cluster-out');
  var template = rackBody.querySelector('tr.rack').cloneNode(true);
  function renumber() {
    var trs = rackBody.querySelectorAll('tr.rack');
    trs.forEach(function (tr, i) {
      tr.querySelectorAll('[aria-label]').forEach(function (c) {
        c.setAttribute('aria-label', c.getAttribute('aria-label').replace(/row \d+$/, 'row ' + (i + 1)));
      });
      tr.querySelector('.rack-remove').disabled = trs.length === 1;
    });
  }
  function wireRow(tr) {
    tr.querySelector('.rack-remove').addEventListener('click', function () {
      if (rackBody.querySelectorAll('tr.rack').length > 1) tr.remove();
      renumber();
    });
  }
  rackBody.querySelectorAll('tr.rack').forEach(wireRow);
  renumber();
  document.getElementById('rack-add').addEventListener('click', function () {
    var tr = template.cloneNode(true);
    tr.querySelector('.rack-per').value = '1';
    tr.querySelector('.rack-count').value = '1';
    rackBody.appendChild(tr);
    wireRow(tr);
    renumber();
    tr.querySelector('.rack-part').focus();
  });
  // A YAML scalar: a whole number as written, anything else quoted (JSON is YAML), so a typed
  // value can never add a key; the server reports what it cannot read, by row.
  function scalar(v, whole) {
    return whole && /^-?[0-9]+$/.test(v) ? v : JSON.stringify(v);
  }
  function clusterText() {
    var lines = ['kind: cluster', 'id: page-cluster', 'name: Installation from the page', 'racks:'];
    rackBody.querySelectorAll('tr.rack').forEach(function (tr, i) {
      var part = tr.querySelector('.rack-part').value;
      var per = tr.querySelector('.rack-per').value.trim();
      var n = tr.querySelector('.rack-count').value.trim();
      var vol = tr.querySelector('.rack-vol').value.trim() + ' ' + tr.querySelector('.rack-unit').value;
      lines.push('  - name: ' + JSON.stringify('row ' + (i + 1)));
      lines.push('    contains: [{ part: ' + JSON.stringify(part) + ', count: ' + scalar(per, true) + ' }]');
      lines.push('    count: ' + scalar(n, true));
      lines.push('    volume: ' + JSON.stringify(vol));
    });
    return lines.join('\n') + '\n';
  }
  function pf(x) {
    return x === null || x === undefined ? 'unknown' : Number(x).toLocaleString('en-US', { maximumFractionDigits: 3 }) + ' PFLOPS';
  }
  function ft3(x) { return Number(x).toLocaleString('en-US', { maximumFractionDigits: 1 }) + ' ft\u00b3'; }
  function superClass(s) { return s === 'yes' ? 'v-a' : (s === 'no' ? 'v-no' : 'v-ind'); }
  document.getElementById('cluster-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = clusterText();
    var body = {
      cluster: text,
      fp64_reading: document.getElementById('cluster-fp64').value,
      fp32_reading: document.getElementById('cluster-fp32').value
    };
    rackBody.querySelectorAll('tr.rack').forEach(function (tr) { tr.classList.remove('invalid'); });
    clusterOut.replaceChildren(el('p', 'Assessing…'));
    post('/api/cluster', body).then(function (reply) {
      clusterOut.replaceChildren();
      if (!reply.ok) {
        // Errors name `racks[i]...`: mark that row and say which it is.
        var trs = rackBody.querySelectorAll('tr.rack');
        var ul = el('ul', undefined, 'errors');
        errorsOf(reply).forEach(function (e) {
          var m = /^racks\[(\d+)\]/.exec(e.field || '');
          var row = m ? Number(m[1]) : -1;
          if (row >= 0 && trs[row]) trs[row].classList.add('invalid');
          ul.appendChild(el('li', (row >= 0 ? 'row ' + (row + 1) + ': ' : '') + (e.message || e.text), 'error'));
        });
        clusterOut.appendChild(ul);
        return;
      }
      var a = JSON.parse(reply.text);
      var p = el('p', undefined, 'answer');
      p.id = 'cluster-verdict';
      p.appendChild(el('strong', 'Supercomputer: '));
      p.appendChild(el('span', a.supercomputer, 'label ' + superClass(a.supercomputer)));
      clusterOut.appendChild(p);
      var t = el('table', undefined, 'sums');
      t.id = 'cluster-sums';
      var head = el('tr');
      ['', 'racks', 'volume', 'FP64', 'FP32'].forEach(function (h) { var th = el('th', h); th.scope = 'col'; head.appendChild(th); });
      var thead = el('thead');
      thead.appendChild(head);
      t.appendChild(thead);
      var tb = el('tbody');
      var total = 0;
      rackBody.querySelectorAll('tr.rack').forEach(function (tr) { total += Number(tr.querySelector('.rack-count').value); });
      [['installation', total, a.volume_ft3, a.fp64_pflops, a.fp32_pflops],
       ['envelope', a.envelope.racks, a.envelope.volume_ft3, a.envelope.fp64_pflops, a.envelope.fp32_pflops],
       ['threshold', '', '\u2264 ' + ft3(a.thresholds.envelope_ft3), '\u2265 ' + pf(a.thresholds.fp64_pflops), '\u2265 ' + pf(a.thresholds.fp32_pflops)]
      ].forEach(function (r, i) {
        var tr = el('tr');
        var th = el('th', r[0]);
        th.scope = 'row';
        tr.appendChild(th);
        td(tr, i === 2 ? '' : count(r[1]), 'n');
        td(tr, i === 2 ? r[2] : ft3(r[2]), 'n');
        td(tr, i === 2 ? r[3] : pf(r[3]), 'n');
        td(tr, i === 2 ? r[4] : pf(r[4]), 'n');
        tb.appendChild(tr);
      });
      t.appendChild(tb);
      var wrap = el('div', undefined, 'table-wrap');
      wrap.appendChild(t);
      clusterOut.appendChild(wrap);
      clusterOut.appendChild(el('p', 'Racks in the envelope, by row: ' + a.envelope.rack_counts.map(function (k, i) {
        return 'row ' + (i + 1) + ': ' + k;
      }).join(', '), 'small'));
      if (a.missing.length) {
        clusterOut.appendChild(el('h3', 'Missing figures'));
        clusterOut.appendChild(list(a.missing));
      }
      clusterOut.appendChild(el('h3', 'Why'));
      clusterOut.appendChild(list(a.reasons));
      var d = el('details');
      d.appendChild(el('summary', 'The definition' + (a.verbatim ? '' : ' (not verbatim)') + ' and open points'));
      d.appendChild(list([a.wording, a.citation, a.source].concat(a.open_points)));
      clusterOut.appendChild(d);
      var f = el('details');
      f.appendChild(el('summary', 'As a cluster file, for tppcalc cluster'));
      var pre = el('pre', text);
      pre.tabIndex = 0;
      pre.setAttribute('aria-label', 'Cluster file');
      f.appendChild(pre);
      clusterOut.appendChild(f);
    }).catch(function (e) { clusterOut.replaceChildren(el('p', 'Cannot reach the server: ' + e.message, 'error')); });
  });
}());
