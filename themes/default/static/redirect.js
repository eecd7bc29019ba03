// 网址变更：an old address of a document (an alias) forwards to the new one. The page's meta
// refresh names the new address and forwards without scripts, but drops what follows the old
// one: the clause a citation links to (#第三条, #p3) and the search words to mark (?hl=). So
// this classic script, run in <head> before the refresh fires, forwards with them.
(function () {
  'use strict';
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  var match = refresh && /url=(.*)$/i.exec(refresh.getAttribute('content') || '');
  if (!match) {
    return;
  }
  var target = new URL(match[1], window.location.href);
  if (window.location.search && !target.search) {
    target.search = window.location.search;
  }
  if (window.location.hash && !target.hash) {
    target.hash = window.location.hash;
  }
  window.location.replace(target.href);
})();
