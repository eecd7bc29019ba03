// 适老化 reading settings: 大字 (larger text) and 高对比度 (high contrast), kept across pages in
// localStorage, which also works from file:// on a USB stick; and the 打印 buttons.
// A classic script loaded in <head>, so the saved classes are on <html> before the page is first
// drawn (no flash of the normal look). No inline code: the site runs under a strict CSP.
(function () {
  'use strict';
  var KEY = 'gongbao-prefs';
  var PREFS = ['large', 'contrast'];
  var root = document.documentElement;

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || '{}');
      return saved && typeof saved === 'object' ? saved : {};
    } catch (e) {
      return {}; // storage disabled or corrupt: plain defaults
    }
  }

  function save(prefs) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(prefs));
    } catch (e) {
      // Storage refused (private mode, some file:// setups): the switch still works on this page.
    }
  }

  function apply(prefs) {
    for (var i = 0; i < PREFS.length; i++) {
      root.classList.toggle('pref-' + PREFS[i], prefs[PREFS[i]] === true);
    }
  }

  var prefs = load();
  apply(prefs);

  function wire() {
    var group = document.querySelector('.prefs');
    if (group) {
      var buttons = group.querySelectorAll('button[data-pref]');
      for (var i = 0; i < buttons.length; i++) {
        var button = buttons[i];
        button.setAttribute('aria-pressed', String(prefs[button.getAttribute('data-pref')] === true));
        button.addEventListener('click', function (event) {
          var name = event.currentTarget.getAttribute('data-pref');
          prefs = load(); // another tab may have changed the other switch
          prefs[name] = prefs[name] !== true;
          save(prefs);
          apply(prefs);
          event.currentTarget.setAttribute('aria-pressed', String(prefs[name]));
        });
      }
      group.hidden = false;
    }
    var printers = document.querySelectorAll('[data-action="print"]');
    for (var j = 0; j < printers.length; j++) {
      printers[j].addEventListener('click', function () { window.print(); });
      // The button may sit in a container hidden for readers without scripts.
      printers[j].hidden = false;
      if (printers[j].parentNode.hidden) printers[j].parentNode.hidden = false;
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', wire);
  } else {
    wire();
  }
})();
