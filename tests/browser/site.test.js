// The built archive opens in a real browser, from disk (a USB stick) and from a web server
// under a sub-path, with no console errors, and shows the issue's 目录 in print order.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { REPO, buildSite, serve, launch, openPage, fileUrl } = require('./lib.js');

const site = buildSite();
const documents = JSON.parse(fs.readFileSync(path.join(site, 'data', 'documents.json'), 'utf8'));
const firstIssue = documents[0].url.replace(/[^/]+$/, 'index.html');

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

async function checkPages(base, label) {
  for (const rel of ['index.html', firstIssue, documents[0].url, 'about.html', 'search.html', '404.html']) {
    const page = await openPage(browser, base(rel));
    assert.deepEqual(page.problems, [], `${label} ${rel}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
    assert.notEqual(bg, 'rgba(0, 0, 0, 0)', `${label} ${rel}: stylesheet not applied`);
    await page.close();
  }
}

test('home, issue, document, about and search pages open from file:// without errors', async () => {
  await checkPages((rel) => fileUrl(site, rel), 'file://');
});

test('the same output works served under a sub-path', async () => {
  const server = await serve(site, '/gongbao/');
  try {
    await checkPages((rel) => server.url + rel, 'http');
  } finally {
    await server.close();
  }
});

test('the issue page shows the 目录 in print order, and its links lead to the documents', async () => {
  const page = await openPage(browser, fileUrl(site, firstIssue));
  const inIssue = documents.filter((d) => d.url.startsWith(firstIssue.replace('index.html', '')));
  const titles = await page.$$eval('.issue-toc .toc-title', (els) => els.map((e) => e.textContent));
  assert.deepEqual(titles, inIssue.map((d) => d.title));
  const pages = await page.$$eval('.issue-toc .toc-page', (els) => els.map((e) => Number(e.textContent.replace(/\D/g, ''))));
  assert.deepEqual(pages, inIssue.map((d) => d.page));
  // Follow the last entry like a reader would, from disk.
  await page.locator('.issue-toc li a').last().click();
  await page.waitForLoadState('load');
  assert.equal(await page.textContent('h1'), inIssue[inIssue.length - 1].title);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a phone-width screen has no horizontal page scroll, and no table column a character or two wide', async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  for (const rel of ['index.html', firstIssue, ...documents.map((d) => d.url)]) {
    await page.goto(fileUrl(site, rel));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${rel} scrolls sideways by ${overflow}px at 360px`);
  }
  // a table whose first column is text (p017: 1.考生准考证重号。), with 大字: no column one or
  // two characters wide; the table scrolls in its box instead
  await page.goto(fileUrl(site, documents.find((d) => d.url.endsWith('p017.html')).url));
  await page.click('button[data-pref="large"]');
  const narrowest = await page.evaluate(() => {
    const cells = [...document.querySelectorAll('.doc-body .table-wrap td')];
    return Math.min(...cells.map((c) => c.getBoundingClientRect().width / parseFloat(getComputedStyle(c).fontSize)));
  });
  assert.ok(narrowest >= 6, `the narrowest cell is ${narrowest.toFixed(1)} characters wide`);
  await page.click('button[data-pref="large"]');
  await page.close();
});
