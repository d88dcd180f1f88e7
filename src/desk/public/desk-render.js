/* global window, document */
/* Shopdesk staff desk: rendering. Every piece of data goes into the page with textContent or an
   attribute — never innerHTML — so what a customer typed shows as text and never runs. */
(function () {
  'use strict';
  var I = window.DeskI18n;
  var t = I.t;

  /** A status or type in the interface language; the raw value (underscores as spaces) when there is no label. */
  function label(prefix, value) {
    var key = prefix + value;
    var s = t(key);
    return s === key ? String(value).replace(/_/g, ' ') : s;
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function time(iso) {
    var d = new Date(iso);
    return d.toLocaleTimeString(I.lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
  }

  function dateTime(iso) {
    var d = new Date(iso);
    return d.toLocaleString(I.lang() === 'zh' ? 'zh-CN' : 'en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  function ago(iso, now) {
    var min = Math.floor((now - new Date(iso).getTime()) / 60000);
    if (min < 1) return t('justNow');
    if (min < 60) return t('minAgo', { min: min });
    return t('hourAgo', { h: Math.floor(min / 60) });
  }

  function money(cents, currency) {
    try {
      return new Intl.NumberFormat(I.lang() === 'zh' ? 'zh-CN' : 'en-US', { style: 'currency', currency: currency || 'CNY' }).format((cents || 0) / 100);
    } catch {
      return (cents / 100).toFixed(2);
    }
  }

  /** Images of a conversation are fetched through the desk (staff only), never from the customer's URL. */
  function mediaSrc(url) {
    return '/desk/api/media?url=' + window.DeskApi.q(url);
  }

  function initials(name) {
    var s = String(name || '?').trim();
    return (s.match(/[\u4e00-\u9fff]/) ? s.slice(-1) : s.charAt(0)).toUpperCase();
  }

  /** Guests have a placeholder name ("web visitor"): show them as 访客 #id / Guest #id. */
  function customerName(c) {
    return /^[a-z_]+ visitor$/.test(c.name || '') ? t('guest', { id: c.id }) : c.name;
  }

  function reasonText(reason) {
    return reason ? t('reason_' + reason) : '';
  }

  function channelText(ch) {
    var k = 'channel_' + ch;
    var v = t(k);
    return v === k ? ch : v;
  }

  /** One row of the conversation list. */
  function listItem(c, me, now, selected) {
    var li = el('li', 'conv-item' + (selected ? ' selected' : '') + (c.mode === 'waiting' ? ' is-waiting' : ''));
    li.setAttribute('data-id', String(c.id));
    li.setAttribute('data-testid', 'conversation-item');
    li.tabIndex = 0;
    var name = customerName(c.customer);
    li.appendChild(el('div', 'avatar', initials(name)));
    var body = el('div', 'conv-body');
    var top = el('div', 'conv-top');
    top.appendChild(el('span', 'conv-name', name));
    top.appendChild(el('span', 'chip', channelText(c.channel)));
    var when = c.mode === 'waiting' && c.waitingSince ? t('waitingFor', { min: Math.max(0, Math.floor((now - new Date(c.waitingSince).getTime()) / 60000)) }) : ago(c.lastActivityAt, now);
    top.appendChild(el('span', 'conv-when' + (c.mode === 'waiting' ? ' urgent' : ''), when));
    body.appendChild(top);
    var mid = el('div', 'conv-sub');
    if (c.mode === 'waiting' && c.handoffReason) mid.appendChild(el('span', 'reason', reasonText(c.handoffReason)));
    if (c.leftMessage) mid.appendChild(el('span', 'reason', t('tabLeft')));
    if (c.assignee) mid.appendChild(el('span', 'owner' + (c.assignee.id === me ? ' mine' : ''), c.assignee.id === me ? t('yourConversation') : c.assignee.name));
    if (mid.childNodes.length) body.appendChild(mid);
    if (c.lastMessage) body.appendChild(el('div', 'conv-preview', (c.lastMessage.direction === 'in' ? '' : '↩ ') + c.lastMessage.text));
    li.appendChild(body);
    return li;
  }

  function contentNode(item) {
    var c = item.content || {};
    var box = el('div', 'bubble-body');
    if (c.type === 'attachment' && c.kind === 'image' && c.url) {
      var img = el('img', 'bubble-img');
      img.alt = t('image');
      img.src = mediaSrc(c.url);
      img.setAttribute('data-testid', 'transcript-image');
      box.appendChild(img);
      if (c.caption) box.appendChild(el('div', 'bubble-text', c.caption));
      return box;
    }
    if (c.type === 'image' && c.url) {
      var simg = el('img', 'bubble-img');
      simg.alt = c.caption || t('image');
      simg.src = mediaSrc(c.url);
      box.appendChild(simg);
      if (c.caption) box.appendChild(el('div', 'bubble-text', c.caption));
      return box;
    }
    if (c.type === 'card') {
      box.appendChild(el('div', 'card-title', c.title));
      if (c.body) box.appendChild(el('div', 'bubble-text', c.body));
      (c.fields || []).forEach(function (f) { box.appendChild(el('div', 'card-field', f.label + ': ' + f.value)); });
      return box;
    }
    var text = c.type === 'choices' || c.type === 'text' ? c.text : item.text;
    box.appendChild(el('div', 'bubble-text', text));
    if (c.type === 'choices' && c.choices) {
      var chips = el('div', 'choice-chips');
      c.choices.forEach(function (ch) { chips.appendChild(el('span', 'choice-chip', ch.label)); });
      box.appendChild(chips);
    }
    return box;
  }

  function eventText(e, staffName) {
    var d = e.detail || {};
    var actor = /^staff:/.test(e.actor) ? staffName(Number(e.actor.slice(6))) : e.actor === 'system' ? t('actorSystem') : e.actor === 'bot' ? t('actorBot') : t('actorCustomer');
    if (e.type === 'claim' && e.actor === 'system') return t('actorSystem') + ' → ' + staffName(d.staffId);
    return t('ev_' + e.type, { actor: actor, reason: reasonText(d.reason), to: staffName(d.staffId) });
  }

  /** The transcript: messages, notes and events in time order. */
  function transcript(detail, staffName) {
    var frag = document.createDocumentFragment();
    if (detail.olderMessages) frag.appendChild(el('div', 'sys-line', t('olderMessages', { n: detail.olderMessages })));
    var items = [];
    detail.messages.forEach(function (m) { items.push({ at: m.at, kind: 'msg', m: m }); });
    detail.notes.forEach(function (n) { items.push({ at: n.at, kind: 'note', n: n }); });
    detail.events.forEach(function (e) { items.push({ at: e.at, kind: 'event', e: e }); });
    // at the same instant an event comes before the messages it caused ("claimed", then "hello")
    var rank = { event: 0, msg: 1, note: 2 };
    items.sort(function (a, b) { return new Date(a.at).getTime() - new Date(b.at).getTime() || rank[a.kind] - rank[b.kind]; });
    items.forEach(function (it) {
      if (it.kind === 'event') {
        frag.appendChild(el('div', 'sys-line', eventText(it.e, staffName) + ' · ' + time(it.at)));
        return;
      }
      if (it.kind === 'note') {
        var note = el('div', 'note');
        note.setAttribute('data-testid', 'transcript-note');
        note.appendChild(el('div', 'who', t('from_note') + ' · ' + (it.n.staff ? it.n.staff.name : t('from_system') + ' (' + it.n.system + ')') + ' · ' + time(it.at)));
        note.appendChild(el('div', 'bubble-text', it.n.text));
        frag.appendChild(note);
        return;
      }
      var m = it.m;
      var row = el('div', 'msg from-' + m.from);
      row.setAttribute('data-testid', 'transcript-' + m.from);
      var who = m.from === 'staff' ? (m.content && m.content.author ? m.content.author.name : staffName(m.staffId)) : t('from_' + m.from);
      var meta = who + ' · ' + time(m.at);
      if (m.direction === 'out' && m.from === 'staff' && m.status) meta += ' · ' + t('status_' + m.status);
      row.appendChild(el('div', 'who', meta));
      var bubble = el('div', 'bubble');
      bubble.appendChild(contentNode(m));
      row.appendChild(bubble);
      frag.appendChild(row);
    });
    return frag;
  }

  function section(title) {
    var s = el('section', 'p-section');
    s.appendChild(el('h4', null, title));
    return s;
  }

  /** The customer beside the transcript: who, segment, value, orders, open tickets. */
  function profile(detail, currency) {
    var frag = document.createDocumentFragment();
    var c = detail.customer;
    if (!c) return frag;
    var head = el('div', 'p-head');
    head.appendChild(el('div', 'avatar big', initials(customerName(c))));
    var who = el('div');
    who.appendChild(el('div', 'p-name', customerName(c)));
    who.appendChild(el('div', 'p-contact', [c.phone, c.email].filter(Boolean).join(' · ') || '—'));
    if (c.city) who.appendChild(el('div', 'p-contact', c.city));
    head.appendChild(who);
    frag.appendChild(head);

    var facts = el('dl', 'facts');
    function fact(k, v, testid) {
      facts.appendChild(el('dt', null, k));
      var dd = el('dd', null, v);
      if (testid) dd.setAttribute('data-testid', testid);
      facts.appendChild(dd);
    }
    fact(t('segment'), c.segmentLabel ? c.segmentLabel[I.lang()] : '—', 'profile-segment');
    fact(t('lifetimeValue'), money(c.lifetimeValueCents, currency) + ' · ' + t('ordersCount', { n: c.paidOrders }), 'profile-ltv');
    fact(t('lifecycle'), c.lifecycleStage);
    if (c.feedback && c.feedback.length) fact(t('satisfaction'), c.feedback.map(function (f) { return f.score + '★'; }).join(' '));
    frag.appendChild(facts);

    var orders = section(t('orders'));
    if (!c.orders.length) orders.appendChild(el('p', 'muted', t('noOrders')));
    c.orders.slice(0, 6).forEach(function (o) {
      var row = el('div', 'p-row');
      row.setAttribute('data-testid', 'profile-order');
      row.appendChild(el('span', 'mono', o.orderNumber));
      row.appendChild(el('span', 'status s-' + o.status, label('os_', o.status)));
      row.appendChild(el('span', 'num', money(o.totalCents, currency)));
      orders.appendChild(row);
    });
    frag.appendChild(orders);

    var tickets = section(t('openTickets'));
    if (!c.openTickets.length) tickets.appendChild(el('p', 'muted', t('noTickets')));
    c.openTickets.forEach(function (tk) {
      var row = el('div', 'p-row');
      row.setAttribute('data-testid', 'profile-ticket');
      row.appendChild(el('span', 'mono', 'T' + String(tk.id).padStart(6, '0')));
      row.appendChild(el('span', 'status', label('tt_', tk.type) + ' · ' + label('ts_', tk.status)));
      row.appendChild(el('div', 'p-subject', tk.subject));
      // asked for by a guest who proved only the phone digits: staff check with the owner first
      if (tk.unverifiedRequester && !tk.approvedAt) row.appendChild(el('div', 'p-subject warn', t('unverifiedGuest')));
      tickets.appendChild(row);
    });
    frag.appendChild(tickets);

    if (c.identities && c.identities.length) {
      var ids = section(t('identities'));
      ids.appendChild(el('p', 'muted small', c.identities.map(function (i) { return i.channel; }).join(', ')));
      frag.appendChild(ids);
    }
    return frag;
  }

  window.DeskRender = {
    el: el, time: time, dateTime: dateTime, ago: ago, money: money, listItem: listItem, transcript: transcript, profile: profile,
    reasonText: reasonText, channelText: channelText, initials: initials, customerName: customerName
  };
})();
