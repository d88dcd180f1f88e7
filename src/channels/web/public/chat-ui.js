/* global window, document */
/* Shopdesk web chat: interface strings and message rendering. Message data is only ever put in
   the page with textContent / attributes, never innerHTML, so HTML in a message shows as text. */
(function () {
  'use strict';

  var STRINGS = {
    zh: {
      title: '在线客服', placeholder: '请输入消息…', send: '发送', upload: '发送图片', close: '关闭',
      intro: '您好！请问有什么可以帮您？可以问运费、退换货、订单状态等问题。',
      connecting: '连接中…', offline: '已断开，正在重连…', online: '在线',
      tooLong: '消息太长了（最多 20000 字）', tooLarge: '图片太大了（最多 {mb} MB）', notImage: '只能发送图片',
      uploadFailed: '图片发送失败：', failed: '发送失败：', image: '[图片]',
      tooLargeShort: '图片太大了', tooManyPixels: '图片尺寸太大了，请缩小后再发送'
    },
    en: {
      title: 'Customer service', placeholder: 'Type a message…', send: 'Send', upload: 'Send an image', close: 'Close',
      intro: 'Hi! How can we help? Ask about shipping, returns, your order status and more.',
      connecting: 'Connecting…', offline: 'Disconnected, reconnecting…', online: 'Online',
      tooLong: 'The message is too long (at most 20,000 characters)', tooLarge: 'The image is too large (at most {mb} MB)', notImage: 'Only images can be sent',
      uploadFailed: 'The image could not be sent: ', failed: 'Not sent: ', image: '[image]',
      tooLargeShort: 'the file is too large', tooManyPixels: 'the picture is too big; please make it smaller'
    }
  };

  function pickLang(language) {
    return /^zh/i.test(language || '') ? 'zh' : 'en';
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /** Only our own uploads, data: images and http(s) images may be shown. */
  function safeImageUrl(url) {
    return typeof url === 'string' && /^(https?:\/\/|\/(?!\/)|data:image\/)/i.test(url) ? url : null;
  }

  function applyStrings(t) {
    document.title = t.title;
    document.querySelectorAll('[data-i18n]').forEach(function (n) { n.textContent = t[n.getAttribute('data-i18n')]; });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (n) { n.setAttribute('placeholder', t[n.getAttribute('data-i18n-placeholder')]); });
    document.querySelectorAll('[data-i18n-label]').forEach(function (n) {
      n.setAttribute('aria-label', t[n.getAttribute('data-i18n-label')]);
      n.setAttribute('title', t[n.getAttribute('data-i18n-label')]);
    });
  }

  /** Text with **bold** spans (the knowledge base is Markdown), built from text nodes only. */
  function richText(className, text) {
    var box = el('div', className);
    String(text).split(/(\*\*[^*\n]+\*\*)/).forEach(function (part) {
      if (/^\*\*[^*\n]+\*\*$/.test(part)) box.appendChild(el('strong', null, part.slice(2, -2)));
      else if (part) box.appendChild(document.createTextNode(part));
    });
    return box;
  }

  function renderChoices(choices, onChoose) {
    var box = el('div', 'choices');
    choices.forEach(function (c) {
      var b = el('button', 'quick-reply', c.label);
      b.type = 'button';
      b.setAttribute('data-testid', 'quick-reply');
      b.addEventListener('click', function () {
        box.querySelectorAll('button').forEach(function (x) { x.disabled = true; });
        b.classList.add('chosen');
        onChoose(c);
      });
      box.appendChild(b);
    });
    return box;
  }

  function renderCard(m, bubble) {
    bubble.classList.add('card');
    var img = safeImageUrl(m.imageUrl);
    if (img) {
      var i = el('img', 'card-img');
      i.alt = '';
      i.src = img;
      bubble.appendChild(i);
    }
    bubble.appendChild(el('div', 'card-title', m.title));
    if (m.body) bubble.appendChild(richText('card-body', m.body));
    if (m.fields && m.fields.length) {
      var table = el('table', 'card-fields');
      var body = el('tbody');
      m.fields.forEach(function (f) {
        var tr = el('tr');
        tr.appendChild(el('th', null, f.label));
        tr.appendChild(el('td', null, f.value));
        body.appendChild(tr);
      });
      table.appendChild(body);
      bubble.appendChild(table);
    }
  }

  /** A bot (or staff) bubble for an OutboundMessage (text | choices | card | image). */
  function renderBot(message, onChoose, imageSrc) {
    var staff = message.author && message.author.kind === 'staff';
    var bubble = el('div', 'msg msg-bot' + (staff ? ' msg-staff' : ''));
    bubble.setAttribute('data-testid', staff ? 'chat-message-staff' : 'chat-message-bot');
    bubble.setAttribute('data-type', message.type);
    // the customer sees who is answering: the staff member's display name
    if (staff) bubble.appendChild(el('div', 'msg-author', message.author.name));
    if (message.type === 'card') renderCard(message, bubble);
    else if (message.type === 'image') {
      var src = safeImageUrl(imageSrc ? imageSrc(message.url) : message.url);
      if (src) {
        var img = el('img', 'upload-img');
        img.alt = message.caption || '';
        img.src = src;
        bubble.appendChild(img);
      }
      if (message.caption) bubble.appendChild(richText('msg-text', message.caption));
    } else bubble.appendChild(richText('msg-text', message.text));
    if ((message.type === 'choices' || message.type === 'card') && message.choices && message.choices.length) {
      bubble.appendChild(renderChoices(message.choices, function (c) { onChoose(c, bubble); }));
    }
    return bubble;
  }

  /** A customer bubble: text, or an image when imageUrl is given. */
  function renderUser(text, imageUrl) {
    var bubble = el('div', 'msg msg-user');
    bubble.setAttribute('data-testid', 'chat-message-user');
    var img = safeImageUrl(imageUrl);
    if (img) {
      var i = el('img', 'upload-img');
      i.alt = text || '';
      i.src = img;
      bubble.appendChild(i);
    } else {
      bubble.appendChild(el('div', 'msg-text', text));
    }
    return bubble;
  }

  /** Disables the quick replies of every bot bubble that the customer has answered since. */
  function disableAnsweredChoices(log) {
    var answered = false;
    var nodes = log.querySelectorAll('.msg');
    for (var k = nodes.length - 1; k >= 0; k--) {
      if (nodes[k].classList.contains('msg-user')) answered = true;
      else if (answered) nodes[k].querySelectorAll('.quick-reply').forEach(function (b) { b.disabled = true; });
    }
  }

  window.ShopdeskChatUI = {
    STRINGS: STRINGS, pickLang: pickLang, applyStrings: applyStrings, el: el,
    renderBot: renderBot, renderUser: renderUser, disableAnsweredChoices: disableAnsweredChoices
  };
})();
