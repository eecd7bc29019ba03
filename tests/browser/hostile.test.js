// The hostile corpus (tests/fixtures/hostile: script tags in every disguise, event handlers,
// javascript: and data: links, SVG and MathML with script, broken HTML, markup in every front
// matter and site.toml field) builds into pages on which Chromium runs none of it: no dialog, no
// console message from injected code, no handler attribute, no script but the site's own —
// also after hovering, focusing and clicking every element, and on the search page showing the
// hostile titles as results.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { REPO, tempDir, buildSite, launch, fileUrl } = require('./lib.js');

const site = buildSite(path.join(REPO, 'tests', 'fixtures', 'hostile'));
const pages = [];
(function walk(dir) {
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.html')) pages.push(path.relative(site, full));
  }
})(site);

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

/** Opens `url` recording every sign of injected code running. */
async function open(url) {
  const page = await browser.newPage();
  const signs = [];
  page.on('dialog', async (d) => { signs.push(`dialog ${d.type()}: ${d.message()}`); await d.dismiss(); });
  page.on('console', (m) => { if (/XSS/.test(m.text())) signs.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => signs.push(`exception: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith('file://')) signs.push(`request: ${r.url()}`); });
  await page.goto(url, { waitUntil: 'load' });
  return { page, signs };
}

test('control: the harness does see injected code run (else the tests below prove nothing)', async () => {
  const control = path.join(tempDir('gongbao-control-'), 'control.html');
  fs.writeFileSync(control, `<!DOCTYPE html><p onmouseover="console.log('XSS-control-2')">x</p><img src=x onerror="alert('XSS-control-1')">`);
  const { page, signs } = await open('file://' + control);
  await page.waitForTimeout(100);
  await page.evaluate(() => document.querySelector('p').dispatchEvent(new Event('mouseover')));
  assert.deepEqual(signs.filter((s) => !s.startsWith('request')), ["dialog alert: XSS-control-1", 'console: XSS-control-2']);
  await page.close();
});

test('the corpus built into enough pages', () => {
  assert.ok(pages.length >= 8, pages.join(' '));
  assert.ok(pages.includes(path.join('2022', '01', 'p001.html')));
});

test('no page of the hostile site runs injected code, even when every element is used', async () => {
  for (const rel of pages) {
    const html = fs.readFileSync(path.join(site, rel), 'utf8');
    const refresh = /http-equiv="refresh" content="0; url=([^"]*)"/.exec(html);
    if (refresh) {
      // an alias page sends the reader on at once: its target must be a page of the site
      assert.match(refresh[1], /^(\.\.\/)*[\w/-]+\.html$/, rel);
      continue;
    }
    const { page, signs } = await open(fileUrl(site, rel));
    // The DOM as the browser built it: only the site's scripts, no handlers, no script URLs.
    const found = await page.evaluate(() => {
      const bad = [];
      for (const s of document.scripts) if (!/assets\/[\w.-]+\.js$/.test(s.getAttribute('src') || '')) bad.push(`script ${s.outerHTML.slice(0, 80)}`);
      for (const e of document.querySelectorAll('*')) {
        for (const a of e.attributes) {
          if (/^on/i.test(a.name)) bad.push(`<${e.localName} ${a.name}>`);
          if (/^(href|src|action|formaction|data|xlink:href)$/i.test(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value)) bad.push(`<${e.localName} ${a.name}=${a.value}>`);
          if (a.name === 'srcdoc') bad.push(`<${e.localName} srcdoc>`);
        }
        if (/^(iframe|object|embed|svg|math|base|meta)$/.test(e.localName) && e.closest('main') !== null) bad.push(`<${e.localName}> in main`);
      }
      return bad;
    });
    assert.deepEqual(found, [], rel);
    // Use every element of the main content: synthetic events fire any inline handler.
    await page.evaluate(() => {
      for (const e of document.querySelectorAll('main *')) {
        for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'load', 'error', 'toggle', 'animationstart']) {
          const ev = new Event(type, { bubbles: true, cancelable: true });
          if (type === 'click' && e.closest('a')) ev.preventDefault();
          e.dispatchEvent(ev);
        }
      }
    });
    await page.mouse.move(200, 300);
    await page.keyboard.press('Tab');
    await page.waitForTimeout(50);
    assert.deepEqual(signs, [], rel);
    await page.close();
  }
});

test('front matter markup shows as text, in pages and in search results', async () => {
  const { page, signs } = await open(fileUrl(site, '2022/01/p001.html'));
  assert.equal(await page.textContent('h1'), "关于<script>alert('XSS-title')</script>的通知");
  assert.ok((await page.title()).includes("<script>alert('XSS-title')</script>"));
  assert.equal(await page.locator('main td[rowspan="2"]').last().textContent(), '甲', 'allowed table markup kept');
  await page.close();

  const search = await open(fileUrl(site, 'search.html?q=' + encodeURIComponent('通知')));
  await search.page.waitForSelector('.result-title', { timeout: 10000 });
  const titles = await search.page.$$eval('.result-title', (els) => els.map((e) => e.textContent));
  assert.ok(titles.some((t) => t.includes("<script>alert('XSS-title')</script>")), titles.join(' | '));
  assert.equal(await search.page.locator('main img, main script, main svg').count(), 0);
  await search.page.close();
  assert.deepEqual([...signs, ...search.signs], []);
});
