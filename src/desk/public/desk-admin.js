/* global window, document, confirm */
/* Shopdesk staff desk: canned replies, and the admin's staff management. */
(function () {
  'use strict';
  var I = window.DeskI18n, t = I.t, api = window.DeskApi, el = window.DeskRender.el;
  var $ = function (id) { return document.getElementById(id); };

  /** The canned-reply popover: pick one to insert it, add your own, delete. */
  function bindCanned(o) {
    function render(items) {
      var pop = o.pop;
      pop.textContent = '';
      var list = el('ul', 'canned-list');
      if (!items.length) list.appendChild(el('li', 'muted', t('noCanned')));
      items.forEach(function (c) {
        var li = el('li');
        var pick = el('button', 'canned-pick');
        pick.type = 'button';
        pick.setAttribute('data-testid', 'canned-item');
        pick.appendChild(el('b', null, c.title));
        pick.appendChild(el('span', null, c.text));
        pick.addEventListener('click', function () {
          o.input.value = (o.input.value ? o.input.value.replace(/\s*$/, ' ') : '') + c.text;
          o.pop.hidden = true;
          o.input.focus();
        });
        var del = el('button', 'icon-btn', '×');
        del.type = 'button';
        del.title = t('delete');
        del.addEventListener('click', function () { api.del('/desk/api/canned/' + c.id).then(load).catch(function (e) { o.banner(e.message, 'error'); }); });
        li.appendChild(pick);
        li.appendChild(del);
        list.appendChild(li);
      });
      pop.appendChild(list);
      var form = el('form', 'canned-add');
      var title = el('input');
      title.placeholder = t('cannedTitle');
      title.required = true;
      title.maxLength = 60;
      var text = el('input');
      text.placeholder = t('cannedText');
      text.required = true;
      var save = el('button', null, t('save'));
      save.type = 'submit';
      form.appendChild(title);
      form.appendChild(text);
      form.appendChild(save);
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        api.post('/desk/api/canned', { title: title.value, text: text.value, lang: o.lang() }).then(load).catch(function (err) { o.banner(err.message, 'error'); });
      });
      pop.appendChild(form);
    }
    // the conversation's language first, then replies for any language, then the rest
    function load() {
      return api.get('/desk/api/canned').then(function (r) {
        var lang = o.lang();
        var rank = function (c) { return c.lang === lang ? 0 : c.lang ? 2 : 1; };
        render(r.items.slice().sort(function (a, b) { return rank(a) - rank(b); }));
      });
    }
    o.button.addEventListener('click', function () {
      if (!o.pop.hidden) { o.pop.hidden = true; return; }
      load().then(function () { o.pop.hidden = false; }).catch(function (e) { o.banner(e.message, 'error'); });
    });
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') o.pop.hidden = true; });
  }

  /* ---------- staff management (admins) ---------- */
  function secret(text) {
    var box = $('admin-secret');
    box.textContent = text;
    box.hidden = !text;
  }
  function loadStaff() {
    return api.get('/desk/api/admin/staff').then(function (r) {
      var body = $('staff-rows');
      body.textContent = '';
      r.items.forEach(function (s) {
        var tr = el('tr');
        tr.setAttribute('data-testid', 'admin-staff-row');
        var name = el('td');
        name.appendChild(el('div', null, s.displayName + (s.loginName && s.loginName !== s.displayName.toLowerCase() ? ' (' + s.loginName + ')' : '')));
        if (s.identities.length) name.appendChild(el('div', 'muted small', s.identities.map(function (i) { return i.channel + ':' + i.externalId; }).join(', ')));
        tr.appendChild(name);
        tr.appendChild(el('td', null, s.role));
        tr.appendChild(el('td', null, !s.active ? t('inactive') : s.online ? t('online') : s.presence === 'away' ? t('away') : t('offline')));
        tr.appendChild(el('td', null, s.load + ' / ' + s.cap));
        var ops = el('td', 'ops');
        function op(label, path, confirmText, after) {
          var b = el('button', 'small-btn', label);
          b.type = 'button';
          b.addEventListener('click', function () {
            if (confirmText && !confirm(confirmText)) return;
            api.post('/desk/api/admin/staff/' + s.id + '/' + path).then(function (res) { if (after) after(res); return loadStaff(); }).catch(function (e) { secret(e.message); });
          });
          ops.appendChild(b);
        }
        if (s.active) {
          op(t('resetPassword'), 'reset-password', null, function (res) { secret(t('oneTimePassword', { name: s.displayName, password: res.oneTimePassword })); });
          op(t('revokeSessions'), 'revoke-sessions', null, function (res) { secret(t('revoked', { name: s.displayName, n: res.revoked })); });
          var me = window.DeskApp && window.DeskApp.state.me;
          if (!me || me.staffId !== s.id) op(t('deactivate'), 'deactivate', t('confirmDeactivate', { name: s.displayName }));
        } else op(t('activate'), 'activate');
        tr.appendChild(ops);
        body.appendChild(tr);
      });
      return api.get('/desk/api/health');
    }).then(function (h) {
      var parts = h.outbox.map(function (o) { return o.target + ' ' + o.status + ' ' + o.count; });
      $('health').textContent = t('outboxLine', { summary: parts.join(' · ') || '—' });
    }).catch(function (e) { secret(e.message); });
  }
  $('admin-btn').addEventListener('click', function () { secret(''); $('admin-dialog').showModal(); loadStaff(); });
  $('admin-close').addEventListener('click', function () { $('admin-dialog').close(); });
  $('staff-add-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = e.target;
    var body = { name: f.name.value.trim(), role: f.role.value };
    if (f.displayName.value.trim()) body.displayName = f.displayName.value.trim();
    api.post('/desk/api/admin/staff', body).then(function (r) {
      f.reset();
      secret(t('oneTimePassword', { name: r.staff.displayName, password: r.oneTimePassword }));
      return loadStaff();
    }).catch(function (err) { secret(err.message); });
  });

  window.DeskCanned = { bind: bindCanned };
})();
