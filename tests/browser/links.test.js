// Linking from notices: the 文号 resolver finds a document however its brackets are typed,
// from a USB stick (file://) as on the web, and says so when the archive lacks it.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { buildSite, launch, openPage, fileUrl } = require('./lib.js');

const site = buildSite();
const documents = JSON.parse(fs.readFileSync(path.join(site, 'data', 'documents.json'), 'utf8'));
const target = documents.find((d) => d.number === '惠政办发〔2022〕31号');

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

test('wenhao.html resolves 惠政办发〔2022〕31号 written with any brackets, from file://', async () => {
  assert.ok(target, 'the seed issue holds 惠政办发〔2022〕31号');
  for (const written of ['惠政办发〔2022〕31号', '惠政办发[2022]31号', '惠政办发【2022】31号', '惠政办发(2022)31号', '惠政办发（２０２２）３１号',
    '惠政办发﹝2022﹞31号', '惠政办发〔2022〕031号', '惠政办发〔2022〕31', '惠政办发〔2022〕第31号',
    // copied from running text, with a full stop or 书名号
    '惠政办发〔2022〕31号。', '《惠政办发〔2022〕31号》', '“惠政办发〔2022〕31号”，']) {
    const page = await browser.newPage();
    await page.goto(fileUrl(site, 'wenhao.html') + '?n=' + encodeURIComponent(written));
    await page.waitForURL((url) => url.href.endsWith(target.url), { timeout: 5000 });
    assert.equal(await page.textContent('h1'), target.title, written);
    await page.close();
  }
});

test('a link by number to a clause or an attachment opens the document there, and one to a clause it lacks says so', async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(site, 'wenhao.html') + '?n=' + encodeURIComponent('惠政办发[2022]31号') + '#wenben');
  await page.waitForURL((url) => url.href.endsWith(target.url + '#wenben'), { timeout: 5000 });
  assert.ok(await page.evaluate(() => document.getElementById('wenben').getBoundingClientRect().top < 50), 'scrolled to the enclosed document');
  await page.close();
  // a clause the document does not have is said to be missing, not silently the top
  const missing = await openPage(browser, fileUrl(site, target.url) + '#' + encodeURIComponent('第一百二十条之二'));
  assert.equal((await missing.textContent('.hl-note')).trim(), '本文中没有“第一百二十条之二”，以下从全文开头显示。');
  assert.deepEqual(missing.problems, []);
  await missing.close();
  const present = await openPage(browser, fileUrl(site, target.url) + '#wenben');
  assert.equal(await present.locator('.hl-note').count(), 0, 'no note for a place the document has');
  await present.close();
});

test('an unknown number says it is not in the archive and offers search', async () => {
  const page = await openPage(browser, fileUrl(site, 'wenhao.html') + '?n=' + encodeURIComponent('惠政办发[2022]999号'));
  const message = await page.textContent('#wenhao-result');
  assert.match(message, /本库未收录发文字号「惠政办发\[2022\]999号」/);
  assert.equal(await page.getAttribute('#wenhao-result a', 'href'), 'search.html?q=' + encodeURIComponent('惠政办发[2022]999号'));
  assert.deepEqual(page.problems, []);
  await page.close();
  // an issuer's code alone leads to its group of numbers
  const code = await openPage(browser, fileUrl(site, 'wenhao.html') + '?n=' + encodeURIComponent('惠政办发'));
  assert.match(await code.textContent('#wenhao-result'), /这是发文机关代字，不是完整的发文字号：本库中该代字的文号见下面的「惠政办发」一组/);
  const group = await code.getAttribute('#wenhao-result a', 'href');
  assert.equal(await code.textContent(group), '惠政办发');
  assert.deepEqual(code.problems, []);
  await code.close();
});

test('a ¶ link to a clause shows on keyboard focus', async () => {
  const page = await openPage(browser, fileUrl(site, target.url));
  const anchor = page.locator('.doc-body p[id] > a.anchor').first();
  assert.equal(await anchor.evaluate((a) => getComputedStyle(a).opacity), '0');
  await anchor.focus();
  assert.equal(await anchor.evaluate((a) => getComputedStyle(a).opacity), '1');
  await page.close();
});

test('an alias page sends the reader on to the document, the clause and the marked words, from file://', async () => {
  const { REPO, tempDir } = require('./lib.js');
  const content = tempDir('gongbao-alias-');
  fs.cpSync(path.join(REPO, 'content'), content, { recursive: true });
  const file = path.join(content, target.url.replace(/\.html$/, '.md'));
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\npage = /, '\naliases = ["old/hzbf-2022-31.html"]\npage = '));
  const aliased = buildSite(content);
  const page = await browser.newPage();
  await page.goto(fileUrl(aliased, 'old/hzbf-2022-31.html'));
  await page.waitForURL((url) => url.href.endsWith(target.url), { timeout: 5000 });
  assert.equal(await page.textContent('h1'), target.title);
  // a citation of a clause under the old address lands on the clause, with the words to mark
  await page.goto(fileUrl(aliased, 'old/hzbf-2022-31.html') + '?hl=' + encodeURIComponent('通知') + '#p2');
  await page.waitForURL((url) => url.pathname.endsWith(target.url), { timeout: 5000 });
  const landed = new URL(page.url());
  assert.equal(landed.hash, '#p2');
  assert.equal(landed.searchParams.get('hl'), '通知');
  await page.close();
});
