/* global window, document */
/* Shopdesk staff desk: the Ask box — a question to the managers' assistant (POST /api/staff/ask), its text answer and chart. */
(function () {
  'use strict';
  var t = window.DeskI18n.t, api = window.DeskApi;
  var $ = function (id) { return document.getElementById(id); };

  function show(answer) {
    var out = $('ask-answer');
    out.textContent = answer.text || '';
    out.hidden = false;
    var img = $('ask-chart');
    // the chart comes inline as a base64 PNG (the desk CSP allows data: images)
    if (answer.chart && answer.chart.mimeType === 'image/png' && /^[A-Za-z0-9+/=]+$/.test(answer.chart.dataBase64)) {
      img.src = 'data:image/png;base64,' + answer.chart.dataBase64;
      img.alt = answer.chart.title || '';
      img.hidden = false;
    } else {
      img.hidden = true;
      img.removeAttribute('src');
    }
  }

  function ask(e) {
    e.preventDefault();
    var question = $('ask-input').value.trim();
    if (!question) return;
    var button = $('ask-submit');
    button.disabled = true;
    $('ask-error').hidden = true;
    $('ask-answer').hidden = false;
    $('ask-answer').textContent = t('askWorking');
    $('ask-chart').hidden = true;
    api.post('/api/staff/ask', { question: question }).then(show).catch(function (err) {
      $('ask-answer').hidden = true;
      $('ask-error').textContent = err.message;
      $('ask-error').hidden = false;
    }).then(function () { button.disabled = false; });
  }

  $('ask-btn').addEventListener('click', function () { $('ask-dialog').showModal(); $('ask-input').focus(); });
  $('ask-close').addEventListener('click', function () { $('ask-dialog').close(); });
  $('ask-form').addEventListener('submit', ask);
})();
