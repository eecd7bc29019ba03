// 检索词标示：a document opened from the search results (p001.html?hl=医疗保障&hl=联席会议) marks
// each of those words in its text and scrolls to the first in the body, so that the reader of
// a long law need not look for why it matched. The results page passes the words as the
// document prints them (the text its excerpts marked), so they are found here as they are.
// And an address naming a place the document does not have (p001.html#第三条 where it has no
// 第三条, a citation of 第一百二十条之二 made before the article was inserted) says so, where
// the browser would silently show the top of the page.
// A classic script: it works from file:// as on the web.
(function () {
  'use strict';
  var article = document.querySelector('article.document');
  if (!article) return;
  var header = article.querySelector('.doc-header');

  function note(text) {
    var p = document.createElement('p');
    p.className = 'hl-note';
    p.setAttribute('role', 'status');
    p.appendChild(document.createTextNode(text));
    header.parentNode.insertBefore(p, header.nextSibling);
    return p;
  }

  var place = '';
  try {
    place = decodeURIComponent(window.location.hash.slice(1));
  } catch (e) {
    place = window.location.hash.slice(1);
  }
  if (place && !document.getElementById(place)) {
    note('本文中没有“' + place + '”，以下从全文开头显示。');
  }

  var words = new URLSearchParams(window.location.search).getAll('hl').filter(function (w) { return w.trim(); });
  if (!words.length) return;
  // the longest first, so that a word holding another is marked whole
  words.sort(function (a, b) { return b.length - a.length; });

  var found = [];
  var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: function (n) {
      // not what the screen does not show (a hidden heading, the source printed on paper only),
      // nor what is marked already
      return n.parentNode.closest('.visually-hidden, .print-link, mark, script') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
  });
  var nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  nodes.forEach(function (node) {
    var text = node.nodeValue, at = 0, parts = [];
    while (at < text.length) {
      var best = -1, word = '';
      words.forEach(function (w) {
        var i = text.indexOf(w, at);
        if (i >= 0 && (best < 0 || i < best)) { best = i; word = w; }
      });
      if (best < 0) break;
      parts.push(text.slice(at, best), word);
      at = best + word.length;
    }
    if (!parts.length) return;
    parts.push(text.slice(at));
    var frag = document.createDocumentFragment();
    parts.forEach(function (p, i) {
      if (i % 2) {
        var mark = document.createElement('mark');
        mark.className = 'hl';
        mark.textContent = p;
        frag.appendChild(mark);
        found.push(mark);
      } else if (p) {
        frag.appendChild(document.createTextNode(p));
      }
    });
    node.parentNode.replaceChild(frag, node);
  });
  if (!found.length) return;

  // What was marked, a way from one place to the next, and the way back to the plain text.
  // The note stays at the top of the screen as the reader goes through the text (style.css):
  // a law's 102 places are not found by scrolling.
  var file = window.location.pathname.replace(/^.*\//, '');
  var shown = note('已标示检索词“' + words.join('”“') + '”，共 ' + found.length + ' 处');
  var at = document.createElement('span');
  at.className = 'hl-at';
  shown.appendChild(at);
  shown.appendChild(document.createTextNode('。'));
  var current = -1;
  function go(i) {
    if (current >= 0) found[current].classList.remove('current');
    current = (i + found.length) % found.length;
    found[current].classList.add('current');
    at.textContent = '，第 ' + (current + 1) + ' 处';
    found[current].scrollIntoView({ block: 'center' });
  }
  if (found.length > 1) {
    [['上一处', -1], ['下一处', 1]].forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = b[0];
      button.addEventListener('click', function () { go(current < 0 ? 0 : current + b[1]); });
      shown.appendChild(button);
    });
  }
  var plain = document.createElement('a');
  plain.href = file + window.location.hash;
  plain.textContent = '取消标示';
  shown.appendChild(plain);

  // A clause's ¶ link is an address to share: without the words this reader searched for.
  article.querySelectorAll('a.anchor[href^="#"]').forEach(function (a) { a.setAttribute('href', file + a.getAttribute('href')); });

  // to the first in the body, unless the address names a place of its own
  var body = article.querySelector('.doc-body');
  var first = found.filter(function (m) { return body && body.contains(m); })[0];
  if (first && !window.location.hash) go(found.indexOf(first));
})();
