// Search in headless Chromium on the built seed issue, from file:// (a USB stick) and from a
// local web server: result sets equal the documents whose source contains the query (found
// here by plain token search over content/*.md with search.js's own tokenizer), matches are
// <mark>ed, filters narrow, a miss says so.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { REPO, BIN, tempDir, buildSite, serve, launch, openPage, fileUrl } = require('./lib.js');
const { tokenize } = require('../../themes/default/static/search.js');

const CONTENT = process.env.GONGBAO_CONTENT || path.join(REPO, 'content');
const site = buildSite(CONTENT);

// Every document of content/: its URL, number and the tokens of all its fields.
const docs = [];
for (const year of fs.readdirSync(CONTENT).filter((d) => /^\d{4}$/.test(d))) {
  for (const issue of fs.readdirSync(path.join(CONTENT, year))) {
    for (const f of fs.readdirSync(path.join(CONTENT, year, issue)).filter((n) => n.endsWith('.md'))) {
      const src = fs.readFileSync(path.join(CONTENT, year, issue, f), 'utf8');
      const m = /^\+\+\+\n([\s\S]*?)\n\+\+\+\n([\s\S]*)$/.exec(src);
      const field = (k) => ((new RegExp(`^${k}\\s*=\\s*"(.*)"`, 'm').exec(m[1]) || [])[1] || '');
      docs.push({ url: `${year}/${issue}/${f.replace(/\.md$/, '.html')}`, title: field('title'), number: field('number'),
        fields: [field('number'), field('title'), field('issuer'), m[2]].map((t) => tokenize(t).map((x) => x.t)) });
    }
  }
}
const contains = (toks, q) => toks.some((_, i) => q.every((t, j) => toks[i + j] === t));
function expected(query) {
  const terms = query.split(/\s+/).filter(Boolean).map((t) => tokenize(t).map((x) => x.t));
  return docs.filter((d) => terms.every((q) => d.fields.some((f) => contains(f, q)))).map((d) => d.url).sort();
}

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

async function results(base, query, extra = '') {
  const page = await openPage(browser, base(`search.html?q=${encodeURIComponent(query)}${extra}`));
  await page.waitForSelector('#search[data-state="done"]');
  const links = await page.$$eval('#results li a', (as) => as.map((a) => a.getAttribute('href').split('?')[0]));
  const count = await page.textContent('#result-count');
  const marks = await page.$$eval('#results mark', (ms) => ms.map((m) => m.textContent));
  // Chromium fetches /favicon.ico from the server root by itself and logs its 404 to the
  // console without a URL; requests the page makes are still caught by lib.js's 'HTTP 404: url'
  // and 'request failed' entries, so only that console line is dropped.
  const problems = page.problems.filter((p) => !/^console error: Failed to load resource: .*404 \(Not Found\)$/.test(p));
  await page.close();
  return { links, count, marks, problems };
}

async function checkQueries(base, label) {
  for (const q of ['医疗保障', '联席会议', '自建房屋', '惠政办发[2022]31号', '2022年5月']) {
    const want = expected(q);
    assert.ok(want.length > 0, `${q}: the seed issue contains it`);
    const r = await results(base, q);
    assert.deepEqual(r.problems, [], `${label} ${q}`);
    if (want.length <= 10) assert.deepEqual(r.links.slice().sort(), want, `${label} ${q}`);
    else for (const link of r.links) assert.ok(want.includes(link), `${label} ${q}: ${link}`);
    assert.equal(r.links.length, Math.min(10, want.length), `${label} ${q}`);
    assert.match(r.count, new RegExp(`找到 ${want.length} 篇`), `${label} ${q}`);
    assert.ok(r.marks.length > 0, `${label} ${q}: excerpts are marked`);
    for (const link of r.links) assert.ok(!/^(\/|[a-z]+:)/.test(link) && link.endsWith('.html'), link);
    // documents matching in their title come before those matching only in the body
    const inTitle = r.links.map((u) => docs.find((d) => d.url === u)).map((d) => contains(d.fields[0], tokenize(q).map((x) => x.t)) || contains(d.fields[1], tokenize(q).map((x) => x.t)));
    assert.deepEqual(inTitle, inTitle.slice().sort((a, b) => b - a), `${label} ${q}: title matches first`);
  }
  const number = await results(base, '惠政办发[2022]31号');
  const owner = docs.find((d) => d.number.replace(/\s/g, '') === '惠政办发〔2022〕31号');
  if (owner) assert.equal(number.links[0], owner.url, `${label}: the numbered document first`);

  const all = await results(base, '通知');
  const narrowed = await results(base, '通知', '&section=' + encodeURIComponent('惠农区大事记'));
  assert.ok(narrowed.links.length < all.links.length || /找到 0 篇/.test(narrowed.count), `${label}: a filter narrows`);

  const none = await results(base, '量子计算机');
  assert.deepEqual(none.links, []);
  assert.match(none.count, /找到 0 篇文件。本库没有包含“量子计算机”的文件/);
}

test('search works from file://', async () => {
  await checkQueries((rel) => fileUrl(site, rel), 'file://');
});

test('search works over http under a sub-path', async () => {
  const server = await serve(site, '/gongbao/');
  try {
    await checkQueries((rel) => server.url + rel, 'http');
  } finally {
    await server.close();
  }
});

/** A copy of the content to edit, built into a folder of its own; `build` builds it again. */
function builtCopy(prefix) {
  const content = tempDir('gongbao-content-');
  fs.cpSync(CONTENT, content, { recursive: true });
  const out = path.join(tempDir(prefix), 'public');
  const build = () => execFileSync(BIN, ['build', '--content', content, '--output', out], { stdio: 'pipe' });
  build();
  return { content, out, build };
}

// A browser that kept the index files of an earlier build (the server here lets it keep
// everything an hour, as many do for scripts) gets the rebuilt site's results: a word a
// correction added is found at once, and every index file is asked for under the new build's
// name (build.js itself anew on each page). A page left open across a rebuild finds it too.
test('after a rebuild, a browser keeping the earlier index files finds what changed', async () => {
  const { content, out, build } = builtCopy('gongbao-rebuilt-');
  const server = await serve(out, '/gongbao/', { 'cache-control': 'max-age=3600' });
  const context = await browser.newContext();
  const word = '鹤翔湖畔';
  async function search() {
    const page = await context.newPage();
    const asked = [];
    page.on('request', (r) => asked.push(r.url()));
    await page.goto(server.url + `search.html?q=${encodeURIComponent(word)}`);
    await page.waitForSelector('#search[data-state="done"]');
    const links = await page.$$eval('#results li a', (as) => as.map((a) => a.getAttribute('href').split('?')[0]));
    await page.close();
    return { links, index: asked.filter((u) => u.includes('/search/')) };
  }
  try {
    assert.deepEqual((await search()).links, [], 'not in the seed issue');
    const doc = docs[0];
    fs.appendFileSync(path.join(content, doc.url.replace(/\.html$/, '.md')), `\n\n本文件所称试点包括${word}社区。\n`);
    build();
    const after = await search();
    assert.deepEqual(after.links, [doc.url], 'the corrected document is found');
    const name = /^gongbaoSearch\.build\("([0-9a-f]{16})"\);$/m.exec(fs.readFileSync(path.join(out, 'search', 'build.js'), 'utf8'))[1];
    assert.ok(after.index.some((u) => /\/search\/build\.js\?t=\d+$/.test(u)), after.index.join('\n'));
    const named = after.index.filter((u) => !u.includes('/search/build.js'));
    assert.ok(named.some((u) => u.includes('/search/meta.js')) && named.some((u) => u.includes('/search/t/')), named.join('\n'));
    for (const u of named) assert.ok(u.endsWith(`?v=${name}`), u);

    // A page left open across a rebuild: its next search, at once, asks for build.js again
    // alongside, finds the name changed, drops what it held of the earlier index and searches
    // again under the new name.
    const later = '雁鸣湾畔';
    const page = await context.newPage();
    await page.goto(server.url + `search.html?q=${encodeURIComponent(later)}`);
    await page.waitForSelector('#search[data-state="done"]');
    assert.equal(await page.$$eval('#results li a', (as) => as.length), 0, 'not there yet');
    const other = docs[1];
    // the correction also names a 发文机关 the archive did not have: the page's filter menu,
    // filled from the earlier meta file, gains it
    const issuer = '惠农区雁鸣湾片区管理委员会';
    const file = path.join(content, other.url.replace(/\.html$/, '.md'));
    const source = fs.readFileSync(file, 'utf8');
    assert.match(source, /^issuer = ".*"$/m);
    fs.writeFileSync(file, source.replace(/^issuer = ".*"$/m, `issuer = "${issuer}"`) + `\n\n本文件所称试点还包括${later}社区。\n`);
    build();
    const issuers = () => page.$$eval('#f-issuer option', (os) => os.map((o) => o.value));
    assert.ok(!(await issuers()).includes(issuer));
    const again = [];
    page.on('request', (r) => { if (r.url().includes('/search/')) again.push(r.url()); });
    await page.evaluate(() => document.getElementById('search').removeAttribute('data-state'));
    await page.press('#search-q', 'Enter');
    await page.waitForSelector('#search[data-state="done"]');
    assert.deepEqual(await page.$$eval('#results li a', (as) => as.map((a) => a.getAttribute('href').split('?')[0])), [other.url], 'found in the open page');
    const rebuilt = /^gongbaoSearch\.build\("([0-9a-f]{16})"\);$/m.exec(fs.readFileSync(path.join(out, 'search', 'build.js'), 'utf8'))[1];
    assert.ok(again.some((u) => u.endsWith(`/search/meta.js?v=${rebuilt}`)), again.join('\n'));
    const menu = await issuers();
    assert.ok(menu.includes(issuer), menu.join('\n'));
    assert.equal(menu.length, new Set(menu).size, 'each 发文机关 once');
    await page.evaluate(() => document.getElementById('search').removeAttribute('data-state'));
    await page.selectOption('#f-issuer', issuer);
    await page.waitForSelector('#search[data-state="done"]');
    assert.deepEqual(await page.$$eval('#results li a', (as) => as.map((a) => a.getAttribute('href').split('?')[0])), [other.url], 'the new 发文机关 filters');
    await page.close();
  } finally {
    await context.close();
    await server.close();
  }
});

// A page left open across a rebuild that renumbers every document (a new oldest one takes
// id 0): a new query asks for shards, which the server gives from the new build while the page
// holds the earlier meta file. Its results wait for build.js (slowed down here), which tells
// the site changed, and the page shows only the search made again on the new build: no result
// list or error mixed from two builds appears, even for a moment.
test('a page left open across a rebuild never shows results mixed from two builds', async () => {
  const { content, out, build } = builtCopy('gongbao-renumbered-');
  const server = await serve(out, '/gongbao/');
  const page = await openPage(browser, server.url + `search.html?q=${encodeURIComponent('鹤翔湖畔')}`);
  try {
    await page.waitForSelector('#search[data-state="done"]');
    fs.writeFileSync(path.join(content, '2022/02/p900.md'), '+++\ntitle = "惠农区人民政府办公室关于测试的通知"\nissuer = "惠农区人民政府办公室"\n'
      + 'date = "1990-01-01"\nsection = "惠农区人民政府办公室文件"\npage = 900\n+++\n本文件仅供测试。\n');
    build();
    await page.route('**/search/build.js*', async (route) => { await new Promise((r) => setTimeout(r, 500)); await route.continue(); });
    await page.evaluate(() => {
      window.shownStates = [];
      const record = () => window.shownStates.push({
        count: document.getElementById('result-count').textContent,
        links: Array.from(document.querySelectorAll('#results li a'), (a) => a.getAttribute('href').split('?')[0]),
      });
      new MutationObserver(record).observe(document.getElementById('search'), { childList: true, subtree: true, characterData: true });
      document.getElementById('search').removeAttribute('data-state');
    });
    const query = '联席会议';
    await page.fill('#search-q', query);
    await page.press('#search-q', 'Enter');
    await page.waitForSelector('#search[data-state="done"]', { timeout: 20000 });
    const final = await page.$$eval('#results li a', (as) => as.map((a) => a.getAttribute('href').split('?')[0]));
    assert.deepEqual(final.slice().sort(), expected(query).slice(0, 10).sort(), 'the search on the new build');
    const states = await page.evaluate(() => window.shownStates);
    for (const s of states) {
      assert.ok(!s.count.includes('检索出错'), `an error was shown: ${s.count}`);
      if (s.links.length) assert.deepEqual(s.links, final, `results shown before the final ones:\n${s.links.join('\n')}`);
    }
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
    await server.close();
  }
});

// A new query, a filter and the pager run in the page (no reload: a marker set on window
// survives), the URL follows, and Back/Forward restore the earlier searches.
async function checkInPage(base, label) {
  const page = await openPage(browser, base(`search.html?q=${encodeURIComponent('医疗保障')}`));
  const settled = (q) => page.waitForFunction((want) => document.getElementById('search').getAttribute('data-state') === 'done'
    && document.getElementById('search-q').value === want, q);
  const links = () => page.$$eval('#results li a', (as) => as.map((a) => a.getAttribute('href').split('?')[0]));
  await settled('医疗保障');
  const first = await links();
  assert.deepEqual(first.slice().sort(), expected('医疗保障'), label);
  await page.evaluate(() => { window.notReloaded = true; });

  await page.fill('#search-q', '联席会议');
  await page.press('#search-q', 'Enter');
  await settled('联席会议');
  assert.deepEqual((await links()).slice().sort(), expected('联席会议').slice(0, 10).sort(), `${label}: new query`);
  assert.equal(new URL(page.url()).searchParams.get('q'), '联席会议', `${label}: the URL follows`);
  assert.equal(await page.evaluate(() => window.notReloaded), true, `${label}: no reload`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'result-count', `${label}: focus moves to the count`);

  // Paging with the keyboard: the 下一页 link, focused and activated with Enter.
  await page.fill('#search-q', '通知');
  await page.press('#search-q', 'Enter');
  await settled('通知');
  const want = expected('通知');
  assert.ok(want.length > 10, 'the seed issue has more than 10 通知');
  const page1 = await links();
  // the pages by number too, this one marked
  assert.deepEqual(await page.$$eval('#pager .pages > *', (es) => es.map((e) => e.tagName + ' ' + e.textContent + ' ' + (e.getAttribute('aria-current') || ''))), ['SPAN 1 page', 'A 2 ']);
  await page.focus('#pager a.next');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('page') === '2'
    && document.getElementById('search').getAttribute('data-state') === 'done');
  const page2 = await links();
  assert.equal(page2.length, want.length - 10, `${label}: second page`);
  assert.deepEqual(page1.concat(page2).sort(), want, `${label}: two pages hold every result once`);
  assert.equal(await page.evaluate(() => window.notReloaded), true, `${label}: paging without reload`);

  // A filter applies at once.
  await page.selectOption('#f-section', '惠农区大事记');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('section') === '惠农区大事记'
    && document.getElementById('search').getAttribute('data-state') === 'done');
  assert.ok((await links()).length < 10, `${label}: the filter narrows`);

  await page.goBack(); // → 通知, page 2
  await page.waitForFunction(() => !new URL(location.href).searchParams.get('section')
    && document.getElementById('search').getAttribute('data-state') === 'done');
  assert.deepEqual(await links(), page2, `${label}: Back restores page 2`);
  assert.equal(await page.inputValue('#f-section'), '', `${label}: Back restores the filter menu`);
  await page.goBack(); // → 通知, page 1
  await page.goBack(); // → 联席会议
  await page.goBack(); // → 医疗保障
  await settled('医疗保障');
  assert.deepEqual(await links(), first, `${label}: Back restores the first search`);
  await page.goForward();
  await settled('联席会议');
  assert.equal(await page.evaluate(() => window.notReloaded), true, `${label}: history moves without reload`);
  assert.deepEqual(page.problems, [], label);
  await page.close();
}

// A result opens its document with the words marked where the text prints them, scrolled to
// the first in the body; a 发文字号 typed with other brackets is marked as printed.
test('a result opens its document at the words searched, marked', async () => {
  const page = await openPage(browser, fileUrl(site, 'search.html?q=' + encodeURIComponent('惠政办发[2022]28号 应急处置')));
  await page.waitForSelector('#search[data-state="done"]');
  await page.click('#results li a >> nth=0');
  await page.waitForSelector('.hl-note');
  const url = new URL(page.url());
  assert.match(url.pathname, /\/2022\/02\/p017\.html$/);
  assert.deepEqual(url.searchParams.getAll('hl').sort(), ['惠政办发〔2022〕28号', '惠政办发[2022]28号', '应急处置'].sort());
  const marks = await page.$$eval('mark.hl', (ms) => ms.map((m) => m.textContent));
  assert.ok(marks.includes('惠政办发〔2022〕28号') && marks.filter((m) => m === '应急处置').length >= 3, marks.join(' '));
  assert.match(await page.textContent('.hl-note'), /^已标示检索词“.*”，共 (\d+) 处，第 \d+ 处。上一处下一处取消标示$/);
  const first = await page.$eval('.doc-body mark.hl', (m) => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && m.classList.contains('current'); });
  assert.ok(first, 'the first body match is in view');
  // 下一处 and 上一处 go through the places, the note staying in sight at the top
  const place = () => page.evaluate(() => {
    const marks = [...document.querySelectorAll('mark.hl')], current = document.querySelector('mark.hl.current'), r = current.getBoundingClientRect();
    const note = document.querySelector('.hl-note').getBoundingClientRect();
    return { index: marks.indexOf(current), seen: r.top >= note.bottom && r.bottom <= window.innerHeight, note: note.top >= 0 && note.top < 5, at: document.querySelector('.hl-at').textContent };
  });
  const start = await place();
  await page.click('.hl-note button >> text=下一处');
  await page.click('.hl-note button >> text=下一处');
  const later = await place();
  assert.equal(later.index, start.index + 2);
  assert.ok(later.seen && later.note, JSON.stringify(later));
  assert.equal(later.at, '，第 ' + (start.index + 3) + ' 处');
  await page.click('.hl-note button >> text=上一处');
  assert.equal((await place()).index, start.index + 1);
  // a clause's ¶ link, to copy and share, does not carry the words searched for
  const anchor = new URL(await page.$eval('.doc-body a.anchor', (a) => a.href));
  assert.equal(anchor.search, '');
  assert.match(anchor.hash, /^#./);
  // 取消标示: the same page without marks
  await page.click('.hl-note a >> text=取消标示');
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await page.$$eval('mark.hl', (ms) => ms.length), 0);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('search runs in the page from file://', async () => {
  await checkInPage((rel) => fileUrl(site, rel), 'file://');
});

test('search runs in the page over http', async () => {
  const server = await serve(site, '/gongbao/');
  try {
    await checkInPage((rel) => server.url + rel, 'http');
  } finally {
    await server.close();
  }
});

// The filter menus: a menu chosen from the keyboard keeps the focus (arrow keys go on through
// its options, WCAG 3.2.2), 期次 lists the chosen year's issues, a value no menu holds is left
// out and named rather than finding nothing, a filter without a query asks for one, the page
// title names the query, and a long unbroken query wraps at phone width.
test('filters keep the focus, follow the year, and say what they leave out', async () => {
  const fixture = buildSite(path.join(REPO, 'tests', 'fixtures', 'site'));
  const base = (rel) => fileUrl(fixture, rel);
  const page = await openPage(browser, base('search.html?q=' + encodeURIComponent('通知')));
  await page.waitForSelector('#search[data-state="done"]');
  assert.match(await page.title(), /^“通知”的检索结果 - /);
  const issues = () => page.$$eval('#f-issue option', (os) => os.slice(1).map((o) => o.value));
  assert.deepEqual(await issues(), ['2022年第2期', '2021年第4期']);
  await page.evaluate(() => document.getElementById('search').removeAttribute('data-state'));
  await page.focus('#f-year');
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('#search[data-state="done"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-year', 'the menu keeps the focus');
  assert.equal(await page.inputValue('#f-year'), '2022');
  assert.deepEqual(await issues(), ['2022年第2期'], '期次 follows 年份');
  assert.match(await page.textContent('#result-count'), /找到 2 篇/);
  // the address to share names the filters chosen, and only those
  assert.equal(new URL(page.url()).search, '?q=' + encodeURIComponent('通知') + '&year=2022');
  assert.deepEqual(page.problems, []);
  await page.close();

  const unknown = await openPage(browser, base('search.html?q=' + encodeURIComponent('通知') + '&issuer=NOPE&year=' + encodeURIComponent('<b>')));
  await unknown.waitForSelector('#search[data-state="done"]');
  const count = await unknown.textContent('#result-count');
  assert.match(count, /已忽略筛选条件：年份「<b>」本库中没有；发文机关「NOPE」本库中没有/);
  assert.match(count, /找到 3 篇/);
  assert.equal(await unknown.$$eval('#result-count b', (bs) => bs.length), 0, 'shown as text');
  await unknown.close();

  // a filter without a query lists that year's documents, newest first
  const bare = await openPage(browser, base('search.html?q=&year=2022'));
  await bare.waitForSelector('#search[data-state="done"]');
  assert.match(await bare.textContent('#result-count'), /符合筛选条件的文件共 3 篇，按成文日期从新到旧/);
  assert.deepEqual(await bare.$$eval('#results li a', (as) => as.map((a) => a.getAttribute('href').split('?')[0])), ['2022/02/p060.html', '2022/02/p003.html', '2022/02/p001.html']);
  assert.equal(await bare.$$eval('.result-excerpt', (ps) => ps.every((p) => p.textContent.length > 10)), true, 'each with the start of its text');
  assert.deepEqual(bare.problems, []);
  await bare.close();
  // an issue browsed leads to its 目录, which lists it in print order
  const issue = await openPage(browser, base('search.html?q=&issue=' + encodeURIComponent('2022年第2期')));
  await issue.waitForSelector('#search[data-state="done"]');
  assert.match(await issue.textContent('#result-count'), /按成文日期从新到旧。按印刷顺序查看本期目录$/);
  assert.equal(await issue.getAttribute('#result-count a', 'href'), '2022/02/index.html');
  await issue.close();
  const nothing = await openPage(browser, base('search.html?q=&issuer=NOPE'));
  await nothing.waitForSelector('#search[data-state="done"]');
  assert.match(await nothing.textContent('#result-count'), /已忽略筛选条件：发文机关「NOPE」本库中没有。请输入检索词，或选择筛选条件浏览文件/);
  // the ignored filter's menu shows 全部发文机关, not a blank
  assert.equal(await nothing.$eval('#f-issuer', (s) => s.selectedIndex), 0);
  await nothing.close();
  // an issue of another year than the one chosen is told as such
  const elsewhere = await openPage(browser, base('search.html?q=&year=2022&issue=' + encodeURIComponent('2021年第4期')));
  await elsewhere.waitForSelector('#search[data-state="done"]');
  assert.match(await elsewhere.textContent('#result-count'), /已忽略筛选条件：期次「2021年第4期」不属于2022年。符合筛选条件的文件共 3 篇/);
  await elsewhere.close();
  // words the archive holds, outside the filters chosen: the filters are why nothing is found
  const filteredOut = await openPage(browser, base('search.html?q=' + encodeURIComponent('惠政办发〔2022〕8号') + '&year=2021'));
  await filteredOut.waitForSelector('#search[data-state="done"]');
  assert.match(await filteredOut.textContent('#result-count'), /找到 0 篇文件。本库有 \d+ 篇文件包含“惠政办发〔2022〕8号”，但都不符合所选筛选条件/);
  await filteredOut.close();
  const absent = await openPage(browser, base('search.html?q=' + encodeURIComponent('不存在的词') + '&year=2021'));
  await absent.waitForSelector('#search[data-state="done"]');
  assert.match(await absent.textContent('#result-count'), /找到 0 篇文件。本库没有包含“不存在的词”的文件/);
  await absent.close();

  // A phone's first screen (360 × 640) shows the first result's title, in both text sizes: the
  // header has no second search box, and the filters are folded, their summary naming those chosen.
  const phone = await browser.newPage({ viewport: { width: 360, height: 640 } });
  for (const large of [false, true]) {
    await phone.goto(base('search.html?q=' + encodeURIComponent('通知') + '&year=2022'));
    if (large) await phone.click('button[data-pref="large"]');
    await phone.waitForSelector('#search[data-state="done"]');
    const shown = await phone.evaluate(() => ({
      title: document.querySelector('.result h2').getBoundingClientRect().bottom,
      boxes: document.querySelectorAll('input[type="search"]').length,
      open: document.getElementById('search-filters').open,
      summary: document.querySelector('#search-filters summary').textContent,
    }));
    assert.ok(shown.title <= 640, `${large ? '大字' : 'normal'}: the first title ends at ${shown.title}px`);
    assert.deepEqual([shown.boxes, shown.open, shown.summary], [1, false, '筛选：2022年']);
  }
  await phone.close();
  const wide = await openPage(browser, base('search.html?q=' + encodeURIComponent('通知')));
  await wide.waitForSelector('#search[data-state="done"]');
  assert.deepEqual(await wide.evaluate(() => [document.getElementById('search-filters').open, document.querySelector('#search-filters summary').textContent]), [true, '筛选']);
  await wide.close();

  const narrow = await browser.newPage({ viewport: { width: 375, height: 700 } });
  await narrow.goto(base('search.html?q=' + 'abcdefghij'.repeat(8)));
  await narrow.waitForSelector('#search[data-state="done"]');
  assert.ok(await narrow.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
  await narrow.click('#search-filters summary'); // unfolded
  // each filter's label stays on the line of its list, and the lists are large enough to tap
  const filters = await narrow.$$eval('.search-filters select', (selects) => selects.map((s) => {
    const box = s.getBoundingClientRect(), label = document.querySelector(`label[for="${s.id}"]`).getBoundingClientRect();
    return { id: s.id, sameLine: Math.abs((label.top + label.bottom) / 2 - (box.top + box.bottom) / 2) < 4, height: box.height };
  }));
  for (const f of filters) {
    assert.ok(f.sameLine, `${f.id}: label and list on one line`);
    assert.ok(f.height >= 24, `${f.id}: ${f.height}px tall`);
  }
  await narrow.close();
});
