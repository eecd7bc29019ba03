// 文号查找：wenhao.html?n=惠政办发[2022]8号 goes to the document with that number, written with
// any brackets; wenhao.html?n=…#p3 to that clause of it. The numbers are the links of the page itself (data-key), so nothing is loaded:
// it works from file:// as on the web.
(function () {
  'use strict';
  var OPEN = '[【(（［〈〖{﹝﹙〘', CLOSE = ']】)）］〉〗}﹞﹚〙';
  // The same folding as number_key() in the Rust build.
  function numberKey(text) {
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i), code = text.charCodeAt(i);
      if (/\s/.test(c)) continue;
      if (OPEN.indexOf(c) >= 0) c = '〔';
      else if (CLOSE.indexOf(c) >= 0) c = '〕';
      else if (code >= 0xff10 && code <= 0xff19) c = String.fromCharCode(code - 0xff10 + 48);
      out += c;
    }
    // the serial number after the year: 〔2022〕08号 → 〔2022〕8号, 〔2022〕8 → 〔2022〕8号,
    // 〔2022〕第8号 → 〔2022〕8号
    var at = out.lastIndexOf('〕') + 1, serial = /^第?0*(\d+)号?$/.exec(out.slice(at));
    if (at > 0 && serial) out = out.slice(0, at) + (serial[1].replace(/^0+(?=\d)/, '')) + '号';
    return out;
  }
  if (typeof module !== 'undefined' && module.exports) { module.exports = { numberKey: numberKey }; return; }

  var asked = new URLSearchParams(window.location.search).get('n');
  if (!asked) return;
  var input = document.getElementById('wenhao-n');
  if (input) input.value = asked;
  // a number copied from running text brings its 书名号, quotation marks or full stop along
  var wanted = asked.replace(/^[\s《〈“"'「『]+|[\s》〉”"'」』。，、；：.,;:]+$/g, '') || asked;
  var key = numberKey(wanted);
  var links = document.querySelectorAll('a[data-key]');
  for (var i = 0; i < links.length; i++) {
    if (links[i].getAttribute('data-key') === key) {
      window.location.replace(links[i].href + window.location.hash);
      return;
    }
  }
  var result = document.getElementById('wenhao-result');
  // an issuer's code alone (惠政办发): its group of this page
  var groups = document.querySelectorAll('.wenhao-group h2');
  for (var g = 0; g < groups.length; g++) {
    if (numberKey(groups[g].textContent) === key) {
      var found = document.createElement('p');
      var to = document.createElement('a');
      to.href = '#' + groups[g].id;
      to.appendChild(document.createTextNode('「' + groups[g].textContent + '」'));
      found.appendChild(document.createTextNode('这是发文机关代字，不是完整的发文字号：本库中该代字的文号见下面的'));
      found.appendChild(to);
      found.appendChild(document.createTextNode('一组。'));
      result.appendChild(found);
      groups[g].scrollIntoView();
      return;
    }
  }
  var p = document.createElement('p');
  p.className = 'not-found';
  p.appendChild(document.createTextNode('本库未收录发文字号「' + wanted + '」的文件。可以试试'));
  var a = document.createElement('a');
  a.href = 'search.html?q=' + encodeURIComponent(wanted);
  a.appendChild(document.createTextNode('全文检索'));
  p.appendChild(a);
  p.appendChild(document.createTextNode('，或在下面的索引中查找。'));
  result.appendChild(p);
})();
