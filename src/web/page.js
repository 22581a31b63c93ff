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

  function label(r) {
    if (r.status === 'controlled' && r.eccn) return r.eccn;
    return r.status === 'not_controlled' ? 'not controlled' : 'indeterminate';
  }
  function verdictClass(l) {
    if (l === '3A090.a' || l === '4A090.a') return 'v-a';
    if (l === '3A090.b' || l === '4A090.b') return 'v-b';
    if (l === '3A090.c') return 'v-c';
    return l === 'not controlled' ? 'v-no' : 'v-ind';
  }
  // As the command line's `why` column.
  function why(r) {
    if (r.status === 'indeterminate') return 'missing ' + r.missing.join(', ');
    var parts = [];
    if (r.matched.length) parts.push('meets ' + r.matched.join(', '));
    if (r.excluded_by.length) parts.push('excluded by ' + r.excluded_by.join(', '));
    return parts.length ? parts.join('; ') : 'no clause met';
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function fixed(x, d) { return x === null || x === undefined ? 'unknown' : x.toFixed(d); }
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
    Promise.all([post('/api/classify', body), post('/api/chart', body)]).then(function (replies) {
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

  // ---- table --------------------------------------------------------------------------------
  var sortValue = {
    part: function (r) { return r.part; },
    name: function (r) { return r.name; },
    kind: function (r) { return r.kind; },
    verdict: function (r) { return label(r); },
    tpp: function (r) { return r.metrics.tpp; },
    pd: function (r) { return r.metrics.performance_density; },
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
      td(tr, fixed(r.metrics.tpp, 0), 'n');
      td(tr, fixed(r.metrics.performance_density, 2), 'n');
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
}());
