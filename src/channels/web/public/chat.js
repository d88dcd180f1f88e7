/* global window, document, navigator, location, localStorage, parent, crypto, fetch, WebSocket, URLSearchParams, setTimeout, clearTimeout */
/* Shopdesk web chat: the connection. Every message gets a clientMessageId before it is sent and
   stays "pending" until the server acks it (after storing it); pending messages are resent with
   the same id after a reconnect, and the server deduplicates them. */
(function () {
  'use strict';
  var UI = window.ShopdeskChatUI;
  var MAX_CHARS = 20000;
  var lang = UI.pickLang(navigator.language);
  var t = UI.STRINGS[lang];
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  UI.applyStrings(t);

  var params = new URLSearchParams(location.search);
  var embed = params.get('embed') === '1';
  var customerToken = params.get('token') || '';
  var meta = function (name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.getAttribute('content') : ''; };
  var uploadMax = Number(meta('sd-upload-max')) || 5 * 1024 * 1024;
  var visitor = resolveVisitor();

  var log = document.getElementById('log');
  var input = document.getElementById('input');
  var form = document.getElementById('composer');
  var typing = document.getElementById('typing');
  var errorBox = document.getElementById('error');
  var statusBox = document.getElementById('status');
  var uploadInput = document.getElementById('upload');

  var ws = null;
  var attempt = 0;
  var pending = new Map(); // clientMessageId -> { frame, bubble }
  var seen = new Set(); // 'in:<id>' / 'out:<id>' already on screen
  var typingTimer = 0;

  if (embed) {
    document.body.classList.add('embed');
    var closeBtn = document.getElementById('close');
    closeBtn.hidden = false;
    closeBtn.addEventListener('click', function () { parent.postMessage({ type: 'shopdesk:close' }, '*'); });
  }
  log.appendChild(UI.el('div', 'msg msg-bot intro', t.intro));

  /* In a third-party iframe the browser may withhold our cookie: then the page is handed a new
     visitor and we prefer the signed id this browser stored earlier (the server checks it). */
  function resolveVisitor() {
    var fromPage = meta('sd-visitor');
    try {
      var stored = localStorage.getItem('sd_vid');
      if (meta('sd-visitor-new') === '1' && stored) return stored;
      localStorage.setItem('sd_vid', fromPage);
    } catch { /* storage blocked: the cookie still works first-party */ }
    return fromPage;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }
  function setTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { typing.hidden = true; }, 20000);
    scrollDown();
  }
  function setStatus(text) { statusBox.textContent = text; }

  function appendUser(text, imageUrl) {
    var b = UI.renderUser(text, imageUrl);
    log.appendChild(b);
    UI.disableAnsweredChoices(log);
    scrollDown();
    return b;
  }

  function appendBot(message) {
    log.appendChild(UI.renderBot(message, onChoose, uploadSrc));
    scrollDown();
  }

  function onChoose(choice) {
    sendContent({ type: 'postback', payload: choice.payload, label: choice.label }, appendUser(choice.label));
  }

  function sendContent(frame, bubble) {
    frame.clientMessageId = newId();
    bubble.classList.add('pending');
    pending.set(frame.clientMessageId, { frame: frame, bubble: bubble });
    transmit(frame);
  }

  function transmit(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function uploadSrc(url) { return url + (url.indexOf('?') < 0 ? '?' : '&') + 'vid=' + encodeURIComponent(visitor); }

  function renderHistory(items) {
    items.forEach(function (item) {
      var key = item.direction + ':' + item.id;
      if (seen.has(key)) return;
      seen.add(key);
      if (item.direction === 'out') appendBot(item.message);
      else appendUser(item.message.text || '');
    });
    UI.disableAnsweredChoices(log);
    scrollDown();
  }

  function onFrame(f) {
    if (f.type === 'history') renderHistory(f.items || []);
    else if (f.type === 'reply') {
      setTyping(false);
      if (seen.has('out:' + f.id)) return;
      seen.add('out:' + f.id);
      appendBot(f.message);
    } else if (f.type === 'typing') setTyping(!!f.on);
    else if (f.type === 'ack') {
      var p = pending.get(f.clientMessageId);
      if (!p) return;
      pending.delete(f.clientMessageId);
      p.bubble.classList.remove('pending');
      // already on screen from history (stored, but the first ack was lost): drop the copy
      if (seen.has('in:' + f.messageId)) p.bubble.remove();
      seen.add('in:' + f.messageId);
    } else if (f.type === 'error') onError(f);
  }

  function onError(f) {
    var p = f.clientMessageId ? pending.get(f.clientMessageId) : null;
    if (p && f.code === 'not_saved') {
      setTimeout(function () { transmit(p.frame); }, 2000);
      return;
    }
    if (p) {
      pending.delete(f.clientMessageId);
      p.bubble.classList.remove('pending');
      p.bubble.classList.add('failed');
    }
    if (f.code === 'customer_token_rejected') return; // chatting as a guest is fine
    var msg = f.code === 'text_too_long' ? t.tooLong : f.message;
    showError(p ? t.failed + msg : msg);
  }

  function connect() {
    setStatus(t.connecting);
    var q = new URLSearchParams({ vid: visitor, locale: navigator.language || '' });
    if (customerToken) q.set('token', customerToken);
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/chat?' + q.toString());
    ws.onopen = function () {
      attempt = 0;
      setStatus(t.online);
      pending.forEach(function (p) { ws.send(JSON.stringify(p.frame)); });
    };
    ws.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch { return; }
      onFrame(f);
    };
    ws.onclose = function () {
      setStatus(t.offline);
      setTyping(false);
      // exponential backoff with jitter, so a restarted server is not stormed
      var delay = Math.min(15000, 500 * Math.pow(2, attempt++)) * (0.75 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    if (Array.from(text).length > MAX_CHARS) { showError(t.tooLong); return; }
    showError('');
    input.value = '';
    input.style.height = '';
    sendContent({ type: 'message', text: text }, appendUser(text));
    input.focus();
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', function () {
    input.style.height = '';
    input.style.height = Math.min(input.scrollHeight, 120) + 'px';
  });

  uploadInput.addEventListener('change', function () {
    var file = uploadInput.files && uploadInput.files[0];
    uploadInput.value = '';
    if (!file) return;
    if (!/^image\//.test(file.type)) { showError(t.notImage); return; }
    if (file.size > uploadMax) { showError(t.tooLarge.replace('{mb}', (uploadMax / 1048576).toFixed(1))); return; }
    showError('');
    fetch('/api/webchat/uploads', { method: 'POST', headers: { 'Content-Type': file.type, 'X-Shopdesk-Visitor': visitor }, body: file, credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) throw new Error((r.body && r.body.error && r.body.error.message) || 'upload failed');
        sendContent({ type: 'attachment', uploadId: r.body.uploadId }, appendUser(t.image, uploadSrc(r.body.url)));
      })
      .catch(function (err) { showError(t.uploadFailed + err.message); });
  });

  connect();
})();
