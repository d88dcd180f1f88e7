/* global window, fetch, location, WebSocket, setTimeout, clearTimeout */
/* Shopdesk staff desk: the JSON API (CSRF token on every state-changing request) and the live socket. */
(function () {
  'use strict';
  var csrf = '';
  var onUnauthorised = function () {};

  function ApiError(status, code, message) {
    var e = new Error(message);
    e.status = status;
    e.code = code;
    return e;
  }

  function request(method, path, body, opts) {
    var headers = { Accept: 'application/json' };
    var payload;
    if (opts && opts.raw) {
      headers['Content-Type'] = opts.contentType;
      payload = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
    return fetch(path, { method: method, headers: headers, body: payload, credentials: 'same-origin' }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch { data = null; }
        if (res.ok) return data;
        var err = (data && data.error) || {};
        var e = ApiError(res.status, err.code || 'HTTP_' + res.status, err.message || res.statusText || 'Request failed');
        if (res.status === 401 && path !== '/desk/api/login') onUnauthorised(e);
        throw e;
      });
    }, function () {
      throw ApiError(0, 'NETWORK', 'The server cannot be reached; check the connection');
    });
  }

  var api = {
    setCsrf: function (token) { csrf = token || ''; },
    onUnauthorised: function (fn) { onUnauthorised = fn; },
    get: function (path) { return request('GET', path); },
    post: function (path, body) { return request('POST', path, body === undefined ? {} : body); },
    patch: function (path, body) { return request('PATCH', path, body); },
    del: function (path) { return request('DELETE', path); },
    upload: function (path, file) { return request('POST', path, file, { raw: true, contentType: file.type }); },
    q: function (s) { return encodeURIComponent(s); }
  };

  /** The live socket: reconnects with backoff; `onEvent` gets each notification, `onState` the connection state. */
  function connectLive(onEvent, onState) {
    var attempt = 0;
    var ws = null;
    var stopped = false;
    var timer = 0;
    function open() {
      ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/desk');
      ws.onopen = function () { attempt = 0; onState(true); };
      ws.onmessage = function (ev) {
        var f;
        try { f = JSON.parse(ev.data); } catch { return; }
        onEvent(f);
      };
      ws.onclose = function (ev) {
        onState(false, ev.code);
        if (stopped || ev.code === 4401) return;
        var delay = Math.min(15000, 500 * Math.pow(2, attempt++)) * (0.75 + Math.random() / 2);
        timer = setTimeout(open, delay);
      };
    }
    open();
    return { close: function () { stopped = true; clearTimeout(timer); if (ws) ws.close(); } };
  }

  window.DeskApi = api;
  window.DeskLive = { connect: connectLive };
  window.DeskPromise = Promise;
})();
