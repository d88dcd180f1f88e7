/* global window, document, navigator, location, URLSearchParams */
/* Shopdesk chat widget. On a shop page:
     <script src="https://help.example.com/widget.js"></script>
     <script>window.ShopdeskChat.init({ customerToken: '<token signed by the shop, optional>' })</script>
   A floating button opens the chat (/chat?embed=1) in an iframe; the chat runs on the desk's
   origin, so nothing on the shop page can read the conversation. */
(function () {
  'use strict';
  if (window.ShopdeskChat && window.ShopdeskChat.__loaded) return;
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src).origin : location.origin;
  var zh = /^zh/i.test(navigator.language || '');
  var options = { customerToken: '' };
  var button = null;
  var frame = null;

  function chatUrl() {
    var q = new URLSearchParams({ embed: '1' });
    if (options.customerToken) q.set('token', options.customerToken);
    return origin + '/chat?' + q.toString();
  }

  function ensureButton() {
    if (button || !document.body) return;
    button = document.createElement('button');
    button.type = 'button';
    button.textContent = zh ? '在线客服' : 'Chat with us';
    button.setAttribute('aria-label', button.textContent);
    button.setAttribute('data-testid', 'shopdesk-launcher');
    button.style.cssText = 'position:fixed;right:16px;bottom:16px;z-index:2147483000;min-height:48px;padding:0 20px;border:0;border-radius:24px;' +
      'background:#1e6fd9;color:#fff;font:600 15px/48px sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer';
    button.addEventListener('click', function () { if (frame && frame.style.display !== 'none') close(); else open(); });
    document.body.appendChild(button);
  }

  function open() {
    ensureButton();
    if (!frame) {
      frame = document.createElement('iframe');
      frame.title = zh ? '在线客服' : 'Customer service chat';
      frame.src = chatUrl();
      frame.allow = 'clipboard-write';
      var small = window.matchMedia('(max-width: 480px)').matches;
      frame.style.cssText = 'position:fixed;z-index:2147483001;border:0;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3);' +
        (small ? 'inset:0;width:100%;height:100%;' : 'right:16px;bottom:76px;width:380px;height:600px;max-height:calc(100vh - 96px);border-radius:12px;');
      document.body.appendChild(frame);
    }
    frame.style.display = 'block';
  }

  function close() {
    if (frame) frame.style.display = 'none';
  }

  window.addEventListener('message', function (e) {
    if (e.origin === origin && e.data && e.data.type === 'shopdesk:close') close();
  });

  window.ShopdeskChat = {
    __loaded: true,
    /** Options: { customerToken?: string } — call before the chat is first opened. */
    init: function (opts) {
      if (opts && typeof opts.customerToken === 'string') options.customerToken = opts.customerToken;
      if (frame) frame.src = chatUrl();
      ensureButton();
    },
    open: open,
    close: close
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ensureButton);
  else ensureButton();
})();
