/* global window, document, location, localStorage, crypto, setInterval, setTimeout, clearTimeout, Notification, AudioContext, confirm */
/* Shopdesk staff desk: the app — sign-in, lists, the open conversation, actions, live updates. */
(function () {
  'use strict';
  var I = window.DeskI18n, t = I.t, api = window.DeskApi, R = window.DeskRender, el = R.el;
  var $ = function (id) { return document.getElementById(id); };
  var S = { me: null, shop: null, view: 'waiting', q: '', list: [], counts: {}, detail: null, id: null, mode: 'reply', staff: {}, seen: {}, sound: true, live: null, pendingSend: null };

  function show(id) { ['login-view', 'password-view', 'app'].forEach(function (v) { $(v).hidden = v !== id; }); }
  function banner(text, kind) {
    var b = $('banner');
    b.textContent = text || '';
    b.className = 'banner' + (kind ? ' ' + kind : '');
    b.hidden = !text;
    if (text && kind !== 'sticky') setTimeout(function () { if (b.textContent === text) b.hidden = true; }, 6000);
  }
  function newId() { return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2); }
  function staffName(id) { return S.staff[id] || (id ? '#' + id : ''); }

  /* ---------- sign-in ---------- */
  // mid-session: say why (expired, signed out by an admin); on first load just show the form
  api.onUnauthorised(function (e) { var was = !!S.me; if (S.live) S.live.close(); S.live = null; S.me = null; showLogin(was ? e.message : ''); });
  function showLogin(message) {
    show('login-view');
    $('login-error').textContent = message || '';
    $('login-error').hidden = !message;
    $('login-name').focus();
  }
  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = e.target;
    api.post('/desk/api/login', { name: f.name.value, password: f.password.value }).then(function (r) {
      f.password.value = '';
      api.setCsrf(r.csrfToken);
      return boot();
    }).catch(function (err) { showLogin(err.message); });
  });
  $('password-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = e.target, box = $('password-error');
    if (f.next.value !== f.repeat.value) { box.textContent = t('passwordsDiffer'); box.hidden = false; return; }
    api.post('/desk/api/password', { current: f.current.value, next: f.next.value }).then(function () { f.reset(); return boot(); })
      .catch(function (err) { box.textContent = err.message; box.hidden = false; });
  });
  document.querySelectorAll('.lang-switch').forEach(function (b) {
    b.addEventListener('click', function () { I.setLang(I.lang() === 'zh' ? 'en' : 'zh'); if (S.me) { header(); renderList(); if (S.detail) renderDetail(); } });
  });

  function boot() {
    return api.get('/desk/api/me').then(function (me) {
      api.setCsrf(me.csrfToken);
      S.me = me.staff;
      S.shop = me.shop;
      if (me.mustChangePassword) { show('password-view'); return; }
      show('app');
      header();
      loadStaff();
      refreshList();
      if (!S.live) S.live = window.DeskLive.connect(onLive, function (up) { if (up) { banner(''); refreshList(); } else banner(t('connectionLost'), 'warn'); });
      route();
    }).catch(function (err) { if (err.status !== 401) showLogin(err.message); });
  }

  /* ---------- header ---------- */
  function header() {
    $('shop-name').textContent = S.shop.name;
    var hours = S.shop.serviceHours[I.lang()];
    $('hours').textContent = t(S.shop.open ? 'hoursOpen' : 'hoursClosed', { hours: hours });
    $('hours').className = 'hours ' + (S.shop.open ? 'open' : 'closed');
    $('me').textContent = S.me.name;
    $('presence').textContent = '● ' + t(S.me.presence === 'online' ? 'online' : 'away');
    $('presence').className = 'presence ' + S.me.presence;
    $('sound-btn').textContent = t(S.sound ? 'soundOn' : 'soundOff');
    $('admin-btn').hidden = S.me.role !== 'admin';
    $('notify-btn').hidden = !('Notification' in window) || Notification.permission !== 'default';
    document.querySelectorAll('#tabs button').forEach(function (b) { b.classList.toggle('on', !S.q && b.getAttribute('data-view') === S.view); });
  }
  $('presence').addEventListener('click', function () {
    var next = S.me.presence === 'online' ? 'away' : 'online';
    api.post('/desk/api/presence', { presence: next }).then(function () { S.me.presence = next; header(); }).catch(function (e) { banner(e.message, 'error'); });
  });
  try { S.sound = localStorage.getItem('sd_desk_sound') !== 'off'; } catch { S.sound = true; }
  $('sound-btn').addEventListener('click', function () {
    S.sound = !S.sound;
    try { localStorage.setItem('sd_desk_sound', S.sound ? 'on' : 'off'); } catch { /* storage blocked */ }
    if (S.sound) beep();
    header();
  });
  $('notify-btn').addEventListener('click', function () { Notification.requestPermission().then(header); });
  $('logout-btn').addEventListener('click', function () {
    api.post('/desk/api/logout').finally(function () { if (S.live) S.live.close(); S.live = null; S.me = null; showLogin(''); });
  });

  /* ---------- list ---------- */
  var listTimer = 0;
  function refreshList() {
    clearTimeout(listTimer);
    listTimer = setTimeout(function () {
      var path = S.q ? '/desk/api/conversations?q=' + api.q(S.q) : '/desk/api/conversations?view=' + S.view;
      api.get(path).then(function (r) { S.list = r.items; S.counts = r.counts; renderList(); }).catch(function (e) { banner(e.message, 'error'); });
    }, 80);
  }
  function renderList() {
    var ul = $('conv-list'), now = Date.now();
    ul.textContent = '';
    S.list.forEach(function (c) { ul.appendChild(R.listItem(c, S.me.staffId, now, c.id === S.id)); });
    var empty = $('list-empty');
    empty.hidden = S.list.length > 0;
    empty.textContent = S.q ? t('emptySearch') : t('empty' + S.view.charAt(0).toUpperCase() + S.view.slice(1));
    document.querySelectorAll('#tabs button').forEach(function (b) {
      var n = S.counts[b.getAttribute('data-view')];
      b.querySelector('.count').textContent = n ? String(n) : '';
      b.classList.toggle('on', !S.q && b.getAttribute('data-view') === S.view);
    });
    document.title = (S.counts.waiting ? '(' + S.counts.waiting + ') ' : '') + t('loginTitle') + ' · ' + (S.shop ? S.shop.name : 'shopdesk');
  }
  $('tabs').addEventListener('click', function (e) {
    var b = e.target.closest('button');
    if (!b) return;
    S.view = b.getAttribute('data-view');
    S.q = '';
    $('search').value = '';
    header();
    refreshList();
  });
  $('search-form').addEventListener('submit', function (e) { e.preventDefault(); S.q = $('search').value.trim(); header(); refreshList(); });
  $('search').addEventListener('input', function () { if (!$('search').value) { S.q = ''; header(); refreshList(); } });
  $('conv-list').addEventListener('click', function (e) { var li = e.target.closest('li[data-id]'); if (li) location.hash = '#/c/' + li.getAttribute('data-id'); });
  $('conv-list').addEventListener('keydown', function (e) { var li = e.target.closest('li[data-id]'); if (li && e.key === 'Enter') location.hash = '#/c/' + li.getAttribute('data-id'); });
  setInterval(function () { if (S.me) renderList(); }, 30000);

  /* ---------- the open conversation ---------- */
  function route() {
    var m = /^#\/c\/(\d+)$/.exec(location.hash);
    if (m && S.me) openConversation(Number(m[1]));
  }
  window.addEventListener('hashchange', route);

  var detailTimer = 0;
  function openConversation(id, quiet) {
    if (id !== S.id) { S.mode = 'reply'; $('composer-input').value = ''; }
    S.id = id;
    clearTimeout(detailTimer);
    return api.get('/desk/api/conversations/' + id).then(function (d) {
      if (S.id !== id) return;
      S.detail = d;
      renderDetail(quiet);
      renderList();
    }).catch(function (e) { banner(e.message, 'error'); });
  }
  function refreshDetail() { clearTimeout(detailTimer); detailTimer = setTimeout(function () { if (S.id) openConversation(S.id, true); }, 120); }

  function renderDetail(keepScroll) {
    var d = S.detail, c = d.conversation, mine = c.assignee && c.assignee.id === S.me.staffId, manager = S.me.role !== 'agent';
    $('placeholder').hidden = true;
    $('conv').hidden = false;
    $('conv-customer').textContent = d.customer ? R.customerName(d.customer) : '#' + c.id;
    var meta = [R.channelText(c.channel), c.status === 'resolved' ? t('statusResolved') : t('mode' + c.mode.charAt(0).toUpperCase() + c.mode.slice(1))];
    if (c.handoffReason && c.mode !== 'bot') meta.push(R.reasonText(c.handoffReason));
    if (c.assignee) meta.push(mine ? t('yourConversation') : t('ownedBy', { name: c.assignee.name }));
    $('conv-meta').textContent = meta.join(' · ');
    $('claim-btn').hidden = c.mode === 'human';
    $('transfer-btn').hidden = c.mode === 'bot' || (c.mode === 'human' && !mine && !manager);
    $('release-btn').hidden = c.mode === 'bot' || (c.mode === 'human' && !mine && !manager);
    $('resolve-btn').hidden = c.status === 'resolved' || (c.mode === 'human' && !mine && !manager);
    var notice = $('conv-notice'), left = d.tickets.filter(function (x) { return x.details && x.details.leaveMessage && x.status === 'open'; })[0];
    notice.textContent = c.channel === 'rest' ? t('channelNoPush') : left ? t('leftMessage', { ticket: left.number }) : '';
    notice.hidden = !notice.textContent;
    var box = $('transcript'), atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.textContent = '';
    box.appendChild(R.transcript(d, staffName));
    if (!keepScroll || atBottom) box.scrollTop = box.scrollHeight;
    $('profile').textContent = '';
    $('profile').appendChild(R.profile(d, S.shop.currency));
    composerState();
  }

  /* ---------- actions ---------- */
  function act(name, body) {
    return api.post('/desk/api/conversations/' + S.id + '/' + name, body).then(function () { refreshDetail(); refreshList(); })
      .catch(function (e) { banner(e.message, 'error'); refreshDetail(); refreshList(); });
  }
  $('claim-btn').addEventListener('click', function () { act('claim').then(function () { $('composer-input').focus(); }); });
  $('release-btn').addEventListener('click', function () { if (confirm(t('confirmRelease'))) act('release'); });
  $('resolve-btn').addEventListener('click', function () { if (confirm(t('confirmResolve'))) act('resolve'); });
  $('transfer-btn').addEventListener('click', function () {
    api.get('/desk/api/staff').then(function (r) {
      var ul = $('transfer-list');
      ul.textContent = '';
      r.items.filter(function (s) { return s.id !== S.me.staffId; }).forEach(function (s) {
        var b = el('button', 'pick', s.name + ' · ' + s.role + ' · ' + (s.online ? t('online') : t('offline')) + ' · ' + s.load + '/' + s.cap);
        b.type = 'button';
        b.setAttribute('data-testid', 'transfer-pick');
        b.addEventListener('click', function () { $('transfer-dialog').close(); act('transfer', { staffId: s.id }); });
        var li = el('li');
        li.appendChild(b);
        ul.appendChild(li);
      });
      $('transfer-dialog').showModal();
    }).catch(function (e) { banner(e.message, 'error'); });
  });
  function loadStaff() {
    return api.get('/desk/api/staff').then(function (r) { r.items.forEach(function (s) { S.staff[s.id] = s.name; }); });
  }

  /* ---------- composer ---------- */
  function composerState() {
    var c = S.detail && S.detail.conversation, mine = c && c.assignee && c.assignee.id === S.me.staffId;
    var canReply = S.mode === 'note' || mine;
    document.querySelectorAll('.composer-tabs button').forEach(function (b) { b.classList.toggle('on', b.getAttribute('data-mode') === S.mode); });
    var input = $('composer-input');
    input.placeholder = S.mode === 'note' ? t('notePlaceholder') : t('replyPlaceholder');
    input.disabled = !canReply;
    $('send-btn').disabled = !canReply;
    $('canned-btn').disabled = S.mode !== 'reply' || !mine;
    $('image-input').disabled = S.mode !== 'reply' || !mine;
    $('composer-hint').textContent = canReply ? '' : t('claimToReply');
    $('composer').classList.toggle('note-mode', S.mode === 'note');
  }
  document.querySelector('.composer-tabs').addEventListener('click', function (e) {
    var b = e.target.closest('button[data-mode]');
    if (!b) return;
    S.mode = b.getAttribute('data-mode');
    composerState();
    $('composer-input').focus();
  });
  $('composer').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = $('composer-input'), text = input.value.trim();
    if (!text || !S.id) return;
    // a resend after a network error keeps its id, so the server stores it once
    var key = S.mode + ':' + S.id + ':' + text;
    if (!S.pendingSend || S.pendingSend.key !== key) S.pendingSend = { key: key, clientId: newId() };
    var req = S.mode === 'note' ? api.post('/desk/api/conversations/' + S.id + '/notes', { text: text }) : api.post('/desk/api/conversations/' + S.id + '/messages', { text: text, clientId: S.pendingSend.clientId });
    $('send-btn').disabled = true;
    $('composer-error').textContent = '';
    req.then(function () { input.value = ''; S.pendingSend = null; refreshDetail(); refreshList(); })
      .catch(function (err) { $('composer-error').textContent = err.message; if (err.status && err.status !== 0) refreshDetail(); })
      .finally(function () { composerState(); input.focus(); });
  });
  $('composer-input').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); $('composer').requestSubmit(); }
  });
  $('image-input').addEventListener('change', function () {
    var f = $('image-input').files && $('image-input').files[0];
    $('image-input').value = '';
    if (!f || !S.id) return;
    api.upload('/desk/api/conversations/' + S.id + '/images?clientId=' + newId(), f).then(refreshDetail).catch(function (err) { $('composer-error').textContent = err.message; });
  });
  window.DeskCanned.bind({ button: $('canned-btn'), pop: $('canned-pop'), input: $('composer-input'), banner: banner, lang: function () { return S.detail ? S.detail.conversation.lang : I.lang(); } });

  /* ---------- live ---------- */
  var audio = null;
  function beep() {
    if (!S.sound) return;
    try {
      audio = audio || new AudioContext();
      [660, 880].forEach(function (f, i) {
        var o = audio.createOscillator(), g = audio.createGain(), at = audio.currentTime + i * 0.18;
        o.frequency.value = f;
        g.gain.setValueAtTime(0.0001, at);
        g.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
        g.gain.exponentialRampToValueAtTime(0.0001, at + 0.16);
        o.connect(g).connect(audio.destination);
        o.start(at);
        o.stop(at + 0.17);
      });
    } catch { /* no audio device: the visual list still updates */ }
  }
  function alertStaff(title, body, id) {
    beep();
    if ('Notification' in window && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
      var n = new Notification(title, { body: body || '', tag: 'shopdesk-' + id });
      n.onclick = function () { window.focus(); if (id) location.hash = '#/c/' + id; };
    }
    window.DeskAlerts = (window.DeskAlerts || 0) + 1;
  }
  function onLive(f) {
    if (f.type !== 'notification' || S.seen[f.id]) return;
    S.seen[f.id] = true;
    refreshList();
    if (f.conversationId === S.id) refreshDetail();
    var online = S.me && S.me.presence === 'online', name = f.customerName;
    if (f.kind === 'handoff' && online) alertStaff(t('newHandoff', { name: name }), f.preview, f.conversationId);
    else if (f.kind === 'reminder' && online) alertStaff(t('reminderTitle', { name: name }), f.preview, f.conversationId);
    else if (f.kind === 'escalation' && S.me.role !== 'agent') alertStaff(t('escalationTitle', { name: name }), f.preview, f.conversationId);
    else if ((f.kind === 'claim' || f.kind === 'transfer') && f.staffId === S.me.staffId && f.actorName !== S.me.name) alertStaff(t('assignedToYou', { name: name }), f.preview, f.conversationId);
    else if (f.kind === 'customer_message' && isMine(f.conversationId) && (f.conversationId !== S.id || document.visibilityState !== 'visible')) alertStaff(t('newMessage', { name: name }), f.preview, f.conversationId);
  }
  function isMine(id) { return S.list.some(function (c) { return c.id === id && c.assignee && c.assignee.id === S.me.staffId; }) || (S.detail && S.detail.conversation.id === id && S.detail.conversation.assignee && S.detail.conversation.assignee.id === S.me.staffId); }

  window.DeskApp = { state: S, banner: banner, refreshList: refreshList };
  I.apply();
  boot();
})();
