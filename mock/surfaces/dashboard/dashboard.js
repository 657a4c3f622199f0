// The key dashboard of cortex-edr-mock (keys, usage, fault rules, conduct, requests). Plain script, no dependencies, served by the mock
// itself. It talks only to this mock's control API, at a URL relative to this page (so it
// works under any mount), and keeps nothing: no storage, no secret in a URL. A new secret
// is shown once, in a dialog, and dropped from the page when it closes.
'use strict';

(function () {
  var control = new URL('../_mock/', window.location.href);
  var token = null; // the control token, when the mock needs one: in this page's memory only
  var view = { clock: null, keys: [], usage: null, journal: [], faults: [], conduct: [] };
  // The request a Conduct link chose: its row in Requests is shown, marked and focused.
  var selected = null;
  // GET /_mock/usage is paged (the mock keeps up to max_accounts accounts): the page shows
  // as many pages as asked for, one more per "Show more accounts".
  var USAGE_PAGE = 100;
  var usagePages = 1;
  var DAY = 86400000;

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === 'text') node.textContent = attrs[name];
      else if (name === 'className') node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function say(text) { $('status').textContent = text; }

  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers['X-Mock-Control-Token'] = token;
    return fetch(new URL(path, control), { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer' })
      .then(function (res) {
        return res.text().then(function (text) {
          var data = text ? JSON.parse(text) : null;
          if (res.ok) return data;
          var error = (data && data.error) || { message: 'HTTP ' + res.status, details: {} };
          if (res.status === 403 && error.details && error.details.reason === 'control_token') $('token-panel').hidden = false;
          var err = new Error(error.message);
          err.status = res.status;
          throw err;
        });
      });
  }

  var pad = function (n) { return String(n).padStart(2, '0'); };
  function when(iso) {
    if (!iso) return null;
    var d = new Date(iso);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds());
  }
  function day(iso) { return iso ? iso.slice(0, 10) : null; }

  // ---- clock ----
  function renderClock() {
    var c = view.clock;
    if (!c) return;
    $('clock-now').textContent = when(c.now) + ' UTC';
    $('clock-now').setAttribute('datetime', c.now);
    $('clock-state').textContent = c.frozen ? 'frozen' : 'running';
    $('clock-state').className = 'badge ' + (c.frozen ? 'frozen' : 'running');
    $('clock-freeze').disabled = c.frozen;
    $('clock-run').disabled = !c.frozen;
  }

  document.querySelectorAll('[data-advance]').forEach(function (button) {
    button.addEventListener('click', function () {
      api('POST', 'clock/advance', { seconds: Number(button.getAttribute('data-advance')) })
        .then(function () { say('The clock moved ' + button.textContent + '.'); return refresh(); })
        .catch(function (err) { say(err.message); });
    });
  });
  function setRunning(running) {
    return api('GET', 'clock').then(function (c) { return api('PUT', 'clock', { now: c.now, frozen: !running }); })
      .then(function () { say(running ? 'The clock runs.' : 'The clock is frozen.'); return refresh(); })
      .catch(function (err) { say(err.message); });
  }
  $('clock-freeze').addEventListener('click', function () { setRunning(false); });
  $('clock-run').addEventListener('click', function () { setRunning(true); });

  // ---- keys ----
  function permissionsText(p) {
    if (p.indexOf('admin') !== -1) return 'admin (read, write)';
    return p.length ? p.join(', ') : 'none';
  }

  function renderKeys() {
    var now = view.clock ? view.clock.epoch_ms : Date.now();
    var body = $('keys').tBodies[0];
    body.textContent = '';
    view.keys.forEach(function (k) {
      var nameId = 'key-name-' + k.id;
      var stale = k.state === 'active' && now - Date.parse(k.created_at) > 90 * DAY;
      var stateCell = el('td', {}, [el('span', { className: 'badge state-' + k.state, text: k.state })]);
      if (stale) stateCell.appendChild(el('span', { className: 'badge advice', text: 'older than 90 days: rotate it' }));
      var rotate = el('button', { type: 'button', 'aria-describedby': nameId, text: 'Rotate' });
      var revoke = el('button', { type: 'button', 'aria-describedby': nameId, className: 'danger', text: 'Revoke' });
      rotate.disabled = k.state !== 'active';
      revoke.disabled = k.state === 'revoked';
      rotate.addEventListener('click', function () { openRotate(k); });
      revoke.addEventListener('click', function () { openRevoke(k); });
      var row = el('tr', { className: 'key state-' + k.state, 'data-key-id': k.id }, [
        el('th', { scope: 'row', id: nameId, text: k.name }),
        el('td', {}, [el('code', { text: k.masked })]),
        el('td', { text: permissionsText(k.permissions) }),
        el('td', { text: k.mode }),
        stateCell,
        el('td', { text: k.expires_at ? when(k.expires_at) : 'Never' }),
        el('td', { text: day(k.created_at) }),
        el('td', { text: k.last_used_at ? when(k.last_used_at) : 'Never' }),
        el('td', { text: k.account_id + ' (' + k.plan + ')' }),
        el('td', { className: 'actions' }, [rotate, revoke]),
      ]);
      body.appendChild(row);
    });
  }

  // ---- create ----
  var perm = { read: $('perm-read'), write: $('perm-write'), admin: $('perm-admin') };
  perm.admin.addEventListener('change', function () {
    // Admin implies Read and Write, and the form shows it.
    [perm.read, perm.write].forEach(function (box) {
      if (perm.admin.checked) box.checked = true;
      box.disabled = perm.admin.checked;
    });
  });
  // A date means it expires; "Never" clears the date.
  $('create-never').addEventListener('change', function () {
    if ($('create-never').checked) $('create-expires').value = '';
  });
  $('create-expires').addEventListener('input', function () {
    if ($('create-expires').value) $('create-never').checked = false;
  });
  $('create-open').addEventListener('click', function () {
    $('create-form').reset();
    $('create-signing-key-row').hidden = true;
    $('create-signing-key').required = false;
    perm.read.disabled = perm.write.disabled = false;
    $('create-error').textContent = '';
    var accounts = $('create-account');
    accounts.textContent = '';
    (view.usage ? view.usage.data : []).forEach(function (a) {
      accounts.appendChild(el('option', { value: a.account_id, text: a.name + ' (' + a.plan + ')' }));
    });
    $('create-dialog').showModal();
    $('create-name').focus();
  });
  $('create-cancel').addEventListener('click', function () { $('create-dialog').close(); });
  $('create-signing').addEventListener('change', function () {
    var row = $('create-signing-key-row');
    row.hidden = !$('create-signing').value;
    $('create-signing-key').required = !row.hidden;
  });
  $('create-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var permissions = perm.admin.checked ? ['admin'] : ['read', 'write'].filter(function (p) { return perm[p].checked; });
    var expires = $('create-never').checked || !$('create-expires').value ? null : $('create-expires').value + 'T00:00:00Z';
    var name = $('create-name').value.trim();
    var body = { account_id: $('create-account').value, name: name, permissions: permissions, expires_at: expires };
    var alg = $('create-signing').value;
    if (alg) body.signing = alg === 'ed25519' ? { alg: alg, public_key: $('create-signing-key').value.trim() } : { alg: alg, secret: $('create-signing-key').value.trim() };
    api('POST', 'keys', body)
      .then(function (key) {
        $('create-dialog').close();
        showSecret(key.key, 'Key "' + name + '" created.');
        return refresh();
      })
      .catch(function (err) { $('create-error').textContent = err.message; });
  });

  // ---- the secret, once ----
  function showSecret(secret, message) {
    $('secret-value').value = secret;
    say(message + ' Copy its secret now: it will not be shown again.');
    $('secret-dialog').showModal();
    $('secret-copy').focus();
  }
  $('secret-copy').addEventListener('click', function () {
    var input = $('secret-value');
    var done = function () { say('Copied to the clipboard.'); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, function () { input.select(); document.execCommand('copy'); done(); });
    else { input.select(); document.execCommand('copy'); done(); }
  });
  $('secret-dialog').addEventListener('close', function () { $('secret-value').value = ''; });
  $('secret-done').addEventListener('click', function () { $('secret-dialog').close(); });

  // ---- rotate and revoke: a dialog each, which sends its request for the chosen key ----
  function keyDialog(name, describe, focus, send) {
    var target = null;
    $(name + '-cancel').addEventListener('click', function () { $(name + '-dialog').close(); });
    $(name + '-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var k = target;
      // `send` resolves with what to do once its dialog has closed.
      send(k).then(function (after) { $(name + '-dialog').close(); after(); return refresh(); })
        .catch(function (err) { $(name + '-error').textContent = err.message; });
    });
    return function open(k) {
      target = k;
      $(name + '-what').textContent = describe(k);
      $(name + '-error').textContent = '';
      $(name + '-dialog').showModal();
      $(focus).focus();
    };
  }
  var keyPath = function (k, action) { return 'keys/' + encodeURIComponent(k.id) + '/' + action; };
  var openRotate = keyDialog('rotate', function (k) { return 'Give "' + k.name + '" (' + k.masked + ') a new secret.'; }, 'rotate-grace', function (k) {
    return api('POST', keyPath(k, 'rotate'), { grace_seconds: Number($('rotate-grace').value) })
      .then(function (key) { return function () { showSecret(key.key, 'Key "' + k.name + '" rotated.'); }; });
  });
  var openRevoke = keyDialog('revoke', function (k) { return 'Requests with "' + k.name + '" (' + k.masked + ') will get 401 revoked. This cannot be undone.'; }, 'revoke-cancel', function (k) {
    return api('POST', keyPath(k, 'revoke'), {}).then(function () { return function () { say('Key "' + k.name + '" revoked.'); }; });
  });

  // ---- usage ----
  var SVG = 'http://www.w3.org/2000/svg';
  function chart(account) {
    var w = 240, h = 64, n = account.windows.length, gap = 2, bw = (w - gap * (n - 1)) / n;
    var top = Math.max(account.limit, 1, Math.max.apply(null, account.windows.map(function (x) { return x.requests; })));
    var limited = account.windows.filter(function (x) { return x.limited > 0; });
    var label = 'Requests per ' + account.window_seconds + ' s window, the last ' + n + ': ' + account.windows.map(function (x) { return x.requests; }).join(', ') +
      (limited.length ? '. 429s in ' + limited.length + ' of them: ' + limited.map(function (x) { return x.limited; }).join(', ') : '. No 429s') + '.';
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + (h + 12));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    svg.setAttribute('class', 'chart');
    var limitY = h - (account.limit / top) * h;
    var line = document.createElementNS(SVG, 'line');
    [['x1', 0], ['x2', w], ['y1', limitY], ['y2', limitY], ['class', 'limit']].forEach(function (a) { line.setAttribute(a[0], a[1]); });
    svg.appendChild(line);
    account.windows.forEach(function (x, i) {
      var ok = x.requests - x.limited;
      var okH = (ok / top) * h, limH = (x.limited / top) * h, left = i * (bw + gap);
      var bar = document.createElementNS(SVG, 'rect');
      [['x', left], ['y', h - okH], ['width', bw], ['height', okH], ['class', 'ok']].forEach(function (a) { bar.setAttribute(a[0], a[1]); });
      svg.appendChild(bar);
      if (x.limited) {
        var red = document.createElementNS(SVG, 'rect');
        [['x', left], ['y', h - okH - limH], ['width', bw], ['height', limH], ['class', 'limited']].forEach(function (a) { red.setAttribute(a[0], a[1]); });
        svg.appendChild(red);
        var mark = document.createElementNS(SVG, 'text');
        [['x', left + bw / 2], ['y', h + 10], ['class', 'mark'], ['text-anchor', 'middle']].forEach(function (a) { mark.setAttribute(a[0], a[1]); });
        mark.textContent = '429';
        svg.appendChild(mark);
      }
    });
    return svg;
  }

  function usage() {
    var data = [];
    function page(cursor, left) {
      return api('GET', 'usage?limit=' + USAGE_PAGE + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '')).then(function (r) {
        data = data.concat(r.data);
        if (r.has_more && left > 1) return page(r.next_cursor, left - 1);
        return { now: r.now, data: data, has_more: r.has_more };
      });
    }
    return page(null, usagePages);
  }
  $('usage-more').addEventListener('click', function () {
    usagePages++;
    refresh();
  });

  function renderUsage() {
    var box = $('usage');
    box.textContent = '';
    if (!view.usage || !view.clock) return;
    $('usage-more-row').hidden = !view.usage.has_more;
    $('usage-shown').textContent = view.usage.has_more ? 'Showing the first ' + view.usage.data.length + ' accounts.' : '';
    var now = view.clock.epoch_ms;
    view.usage.data.forEach(function (a) {
      var resetIn = Math.max(0, Math.round(a.reset - now / 1000));
      var limited = a.windows.reduce(function (sum, x) { return sum + x.limited; }, 0);
      var card = el('article', { className: 'card' + (a.remaining === 0 ? ' exhausted' : ''), 'aria-labelledby': 'usage-' + a.account_id, 'data-account-id': a.account_id }, [
        el('h3', { id: 'usage-' + a.account_id, text: a.name }),
        el('dl', {}, [
          el('dt', { text: 'Plan' }), el('dd', { text: a.plan }),
          el('dt', { text: 'Limit' }), el('dd', { text: a.limit + ' per ' + a.window_seconds + ' s' }),
          el('dt', { text: 'Remaining' }), el('dd', { className: 'remaining', text: String(a.remaining) }),
          el('dt', { text: 'Resets in' }), el('dd', { text: resetIn + ' s' }),
          el('dt', { text: '429s (recent windows)' }), el('dd', { className: 'limited-count' + (limited ? ' has-429' : ''), text: String(limited) }),
        ]),
      ]);
      card.appendChild(chart(a));
      box.appendChild(card);
    });
  }

  // ---- fault rules (GET /_mock/faults; control.yaml FaultRule) ----
  function matchText(m) {
    var parts = ['operation', 'method', 'path', 'key_id', 'account_id'].filter(function (f) { return m && m[f] !== undefined; })
      .map(function (f) { return f + ' ' + m[f]; });
    return parts.length ? parts.join(', ') : 'every request';
  }
  function whenText(w) {
    var text = w.first !== undefined ? 'the first ' + w.first
      : w.after !== undefined ? 'after the first ' + w.after
      : w.every !== undefined ? 'one in every ' + w.every
      : 'with probability ' + w.probability;
    if (w.times !== undefined) text += ', at most ' + w.times + ' times';
    if (w.between) text += ', from ' + when(w.between.from) + ' to ' + when(w.between.to) + ' UTC';
    return text;
  }
  function faultText(f) {
    switch (f.kind) {
      case 'status': return f.status + (f.retry_after !== undefined ? ', Retry-After ' + f.retry_after + ' s' : '');
      case 'rate_limit': return '429' + (f.retry_after !== undefined ? ', Retry-After ' + f.retry_after + ' s' : '');
      case 'latency': return f.ms !== undefined ? f.ms + ' ms' : f.min_ms !== undefined ? f.min_ms + '-' + f.max_ms + ' ms' : 'median ' + f.median_ms + ' ms, sigma ' + f.sigma;
      case 'hang': return 'up to ' + (f.ms !== undefined ? f.ms : 30000) + ' ms';
      case 'truncate': return f.bytes !== undefined ? 'after ' + f.bytes + ' bytes' : 'after ' + Math.round((f.fraction !== undefined ? f.fraction : 0.5) * 100) + '% of the body';
      case 'slow_body': return f.bytes_per_second + ' bytes/s';
      default: return '';
    }
  }

  function renderFaults() {
    var body = $('faults').tBodies[0];
    body.textContent = '';
    $('faults').hidden = view.faults.length === 0;
    $('faults-none').hidden = view.faults.length > 0;
    view.faults.forEach(function (r) {
      var idCell = 'fault-' + r.id;
      var remove = el('button', { type: 'button', 'aria-describedby': idCell, className: 'danger', text: 'Delete' });
      remove.addEventListener('click', function () {
        remove.disabled = true;
        api('DELETE', 'faults/' + encodeURIComponent(r.id))
          .then(function () { say('Fault rule ' + r.id + ' deleted.'); return refresh(); })
          .catch(function (err) { remove.disabled = false; say(err.message); });
      });
      var details = faultText(r.fault);
      body.appendChild(el('tr', { 'data-fault-id': r.id }, [
        el('th', { scope: 'row', id: idCell, text: r.id }),
        el('td', { text: matchText(r.match) }),
        el('td', { text: whenText(r.when) }),
        el('td', {}, [el('span', { className: 'badge kind', text: r.fault.kind }), details ? document.createTextNode(' ' + details) : null]),
        el('td', { className: 'count seen', text: String(r.seen) }),
        el('td', { className: 'count fired', text: String(r.fired) }),
        el('td', {}, [el('code', { text: String(r.seed) })]),
        el('td', { text: r.source }),
        el('td', { className: 'actions' }, [remove]),
      ]));
    });
  }

  // ---- conduct (GET /_mock/conduct; control.yaml ConductReport) ----
  // Each finding is a row; each of its request ids a link to the request's row in Requests.
  // Key names and messages are the clients' text: set as textContent, never as markup.
  function clientText(id) {
    var key = view.keys.filter(function (k) { return k.id === id; })[0];
    return key ? key.name + ' (' + id + ')' : id;
  }
  function renderConduct() {
    var body = $('conduct').tBodies[0];
    body.textContent = '';
    var rows = [];
    view.conduct.forEach(function (c) {
      c.findings.forEach(function (f) { rows.push({ client: c.key_id, finding: f }); });
    });
    $('conduct').hidden = rows.length === 0;
    $('conduct-none').hidden = rows.length > 0;
    rows.forEach(function (r) {
      var f = r.finding;
      var links = el('td', { className: 'request-ids' }, f.request_ids.map(function (id) {
        var link = el('a', { href: '#request-' + id, 'data-request-id': id, text: id });
        link.addEventListener('click', function (event) {
          event.preventDefault();
          selectRequest(id, r.client);
        });
        return link;
      }));
      // The count goes on past the ids the report keeps (x-cortex-conduct-limits).
      if (f.count > f.request_ids.length) links.appendChild(el('span', { className: 'muted', text: '(+' + (f.count - f.request_ids.length) + ' more)' }));
      body.appendChild(el('tr', { className: 'severity-' + f.severity, 'data-client': r.client, 'data-rule': f.rule }, [
        el('th', { scope: 'row', text: clientText(r.client) }),
        el('td', {}, [el('code', { text: f.rule })]),
        el('td', {}, [el('span', { className: 'badge severity-' + f.severity, text: f.severity })]),
        el('td', { text: f.practice }),
        el('td', { className: 'count', text: String(f.count) }),
        el('td', { className: 'message', text: f.message }),
        links,
      ]));
    });
  }

  /** Shows request `id` in Requests: the filters set to show it (the client's key when it is one), its row marked, scrolled to and focused. */
  function selectRequest(id, client) {
    selected = id;
    $('filter-status').value = '';
    $('filter-key').value = view.keys.some(function (k) { return k.id === client; }) ? client : '';
    renderRequests();
    var row = $('request-' + id);
    if (!row) {
      say('Request ' + id + ' is no longer in the journal the page reads.');
      return;
    }
    row.scrollIntoView({ block: 'center' });
    row.focus();
    say('Request ' + id + ' is selected in Requests.');
  }

  // ---- requests ----
  function renderRequests() {
    var status = $('filter-status').value;
    var key = $('filter-key').value;
    var keySelect = $('filter-key');
    var known = {};
    Array.prototype.forEach.call(keySelect.options, function (o) { known[o.value] = true; });
    view.keys.forEach(function (k) {
      if (!known[k.id]) keySelect.appendChild(el('option', { value: k.id, text: k.name + ' (' + k.id + ')' }));
    });
    var body = $('requests').tBodies[0];
    // A re-render (every refresh) keeps the focus on the selected row.
    var focused = document.activeElement && document.activeElement.id === 'request-' + selected;
    body.textContent = '';
    var shown = view.journal.slice().reverse().filter(function (e) {
      if (key && e.key_id !== key) return false;
      if (status === 'fault') return !!e.fault;
      if (status === '429') return e.status === 429;
      if (status) return String(e.status).charAt(0) === status;
      return true;
    });
    var first = shown.slice(0, 200);
    // The selected request is shown even past the first 200.
    var pick = shown.filter(function (e) { return e.id === selected; })[0];
    if (pick && first.indexOf(pick) === -1) first.push(pick);
    first.forEach(function (e) {
      // A request a fault rule shaped says which rule and what it did (the journal's `fault`).
      var classes = [e.status === 429 ? 'limited' : e.status >= 400 ? 'failed' : '', e.fault ? 'faulted' : '', e.id === selected ? 'selected' : ''].filter(Boolean).join(' ');
      var attrs = { className: classes, id: 'request-' + e.id, 'data-request-id': e.id, tabindex: '-1' };
      if (e.id === selected) attrs['aria-current'] = 'true';
      body.appendChild(el('tr', attrs, [
        el('td', {}, [el('code', { text: e.id })]),
        el('td', { text: when(e.at) }),
        el('td', { text: e.method }),
        el('td', {}, [el('code', { text: e.path })]),
        el('td', { className: 'status-code', text: String(e.status) }),
        el('td', { text: e.key_id || '-' }),
        el('td', { text: e.error_code || '-' }),
        el('td', { className: 'fault', text: e.fault ? e.fault.kind + ' (' + e.fault.rule_id + ')' : '-' }),
      ]));
    });
    if (focused && $('request-' + selected)) $('request-' + selected).focus({ preventScroll: true });
  }
  $('filter-status').addEventListener('change', renderRequests);
  $('filter-key').addEventListener('change', renderRequests);

  // ---- token ----
  $('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    token = $('token-input').value;
    $('token-input').value = '';
    $('token-panel').hidden = true;
    refresh();
  });

  // ---- refresh ----
  var busy = false;
  function refresh() {
    if (busy) return Promise.resolve();
    busy = true;
    return Promise.all([api('GET', 'clock'), api('GET', 'keys'), usage(), api('GET', 'journal?limit=500'), api('GET', 'faults'), api('GET', 'conduct')])
      .then(function (r) {
        view.clock = r[0]; view.keys = r[1].data; view.usage = r[2]; view.journal = r[3].data; view.faults = r[4].data; view.conduct = r[5].clients;
        renderClock(); renderKeys(); renderUsage(); renderFaults(); renderConduct(); renderRequests();
        document.body.setAttribute('data-loaded', 'true');
      })
      .catch(function (err) { if (err.status !== 403) say(err.message); })
      .then(function () { busy = false; });
  }
  setInterval(function () { if ($('live').checked && !document.querySelector('dialog[open]')) refresh(); }, 2000);
  refresh();
})();
