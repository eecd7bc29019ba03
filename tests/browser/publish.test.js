// What the portal's inspections and readers check on the published site: an axe-core audit in
// normal and high-contrast modes, the 大字/高对比度 switches (keyboard, kept across pages from
// file://), a strict Content-Security-Policy, phone width, the print stylesheet, and page weight.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { REPO, tempDir, buildSite, serve, launch, openPage, fileUrl } = require('./lib.js');

// The fixture plus what only this file needs: a wide table with aligned columns (must scroll in
// its box, not the page) and a print PDF named in issue.toml.
const content = tempDir('gongbao-publish-content-');
fs.cpSync(path.join(REPO, 'tests', 'fixtures', 'site'), content, { recursive: true });
const wideRow = (n) => `| ${n} | 惠农区${'数字供销综合服务中心建设'.repeat(3)} | ${'区工业信息化和商务局、农业农村和水务局、发展和改革局'.repeat(2)} | 每季1报 | ${1000 * n} |`;
fs.writeFileSync(path.join(content, '2022', '02', 'p050.md'), [
  '+++', 'title = "惠农区数字供销工作任务分工表"', 'number = "惠政办发〔2022〕30号"', 'issuer = "惠农区人民政府办公室"',
  'date = "2022-05-10"', 'section = "惠农区人民政府办公室文件"', 'page = 50', '+++',
  '## 工作任务分工表 {#fengong}', '', '| 序号 | 工作任务 | 责任单位 | 进度填报周期 | 资金（元） |', '|:---:|---|---|:---:|---:|',
  wideRow(1), wideRow(2), '', '惠农区人民政府办公室', '', '2022年5月10日', '',
].join('\n'));
// Top-level keys must come before issue.toml's [[masthead]] tables.
const issueToml = path.join(content, '2022', '02', 'issue.toml');
fs.writeFileSync(issueToml, 'pdf = "公报2022年第2期.pdf"\n' + fs.readFileSync(issueToml, 'utf8'));
fs.writeFileSync(path.join(content, '2022', '02', '公报2022年第2期.pdf'), '%PDF-1.4\n% gongbao test\n' + 'x'.repeat(5000) + '\n%%EOF\n');

const site = buildSite(content, ['--base-url', 'https://www.huinong.gov.cn/gongbao/']);
const documents = JSON.parse(fs.readFileSync(path.join(site, 'data', 'documents.json'), 'utf8'));
const doc = documents.find((d) => d.url.endsWith('p001.html') && d.year === 2022).url;
const wideDoc = documents.find((d) => d.url.endsWith('p050.html')).url;
const issue = doc.replace(/[^/]+$/, 'index.html');
const AUDITED = ['index.html', issue, doc, wideDoc, 'search.html', 'about.html', 'wenhao.html', 'wenhao.html?n=' + encodeURIComponent('惠政办发[2022]999号')];
// The search page again with results (highlighted matches), for the axe audit.
const SEARCHED = 'search.html?q=' + encodeURIComponent('医疗保障');
const AXE = require.resolve('axe-core/axe.min.js');

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
}

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`).join('\n');
}

test('the axe audit harness reports a violation when there is one', async () => {
  // Guards the audits below against passing because axe did not run.
  const page = await openPage(browser, fileUrl(site, doc));
  await page.evaluate(() => { const b = document.createElement('button'); document.querySelector('main').append(b); });
  const result = await axe(page);
  assert.ok(result.violations.some((v) => v.id === 'button-name'), describe(result.violations));
  await page.close();
});

test('axe-core finds no violations on home, issue, document, search and about pages, in normal and high-contrast modes', async () => {
  const context = await browser.newContext();
  const audit = async (mode) => {
    for (const rel of [...AUDITED, SEARCHED]) {
      const page = await context.newPage();
      await page.goto(fileUrl(site, rel));
      if (rel === SEARCHED) await page.waitForSelector('.results mark');
      const contrastOn = await page.evaluate(() => document.documentElement.classList.contains('pref-contrast'));
      assert.equal(contrastOn, mode === 'contrast', `${rel}: mode ${mode} not in effect`);
      const result = await axe(page);
      assert.deepEqual(result.violations, [], `${mode} ${rel}:\n${describe(result.violations)}`);
      await page.close();
    }
  };
  await audit('normal');
  // Switch by keyboard on the home page; the choice carries to every page (localStorage on file://).
  const page = await context.newPage();
  await page.goto(fileUrl(site, 'index.html'));
  await page.focus('button[data-pref="contrast"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('button[data-pref="contrast"]', 'aria-pressed'), 'true');
  await page.close();
  await audit('contrast');
  await context.close();
});

test('大字 and 高对比度 switch by keyboard, say their state, and stay on across pages', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(fileUrl(site, doc));
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.doc-body')).fontSize));
  const before = await size();
  const large = 'button[data-pref="large"]';
  assert.equal(await page.isVisible(large), true, 'switches are shown when scripts run');
  // Reach the switch with Tab from the top of the page, as a keyboard user would.
  let reached = false;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-pref') === 'large');
  }
  assert.ok(reached, 'the 大字 switch is reachable by Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute(large, 'aria-pressed'), 'true');
  const after = await size();
  assert.ok(after >= before * 1.2, `大字 enlarges the text: ${before}px → ${after}px`);

  await page.click(`a[href="../../${issue}"] >> nth=0`);
  await page.waitForLoadState('load');
  assert.equal(await page.evaluate(() => document.documentElement.className), 'pref-large', 'kept on the next page');
  assert.equal(await page.getAttribute(large, 'aria-pressed'), 'true');
  await page.click(large);
  assert.equal(await page.evaluate(() => document.documentElement.className), '');
  await context.close();
});

test('a document page loads under Content-Security-Policy: default-src \'self\' with no violation report', async () => {
  const server = await serve(site, '/gongbao/', { 'content-security-policy': "default-src 'self'" });
  const context = await browser.newContext();
  try {
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    for (const rel of [doc, wideDoc, issue, 'index.html', 'about.html', 'wenhao.html', SEARCHED]) {
      const page = await context.newPage();
      const problems = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
      const response = await page.goto(server.url + rel);
      if (rel === SEARCHED) await page.waitForSelector('.results mark');
      assert.equal(response.headers()['content-security-policy'], "default-src 'self'");
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], rel);
      assert.deepEqual(problems, [], rel);
      // The stylesheet and script ran: the header is styled and the switches are shown.
      assert.equal(await page.isVisible('button[data-pref="contrast"]'), true, `${rel}: prefs.js did not run`);
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor), 'rgba(0, 0, 0, 0)');
      await page.close();
    }
  } finally {
    await context.close();
    await server.close();
  }
});

/** Width in pixels of a PNG, from its IHDR chunk. */
function pngWidth(png) {
  return png.readUInt32BE(16);
}

test('at 360 px, with normal and large text, a full-page screenshot is 360 px wide, the header leaves the screen to the page, and wide tables scroll in their box', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const large of [false, true]) {
    for (const rel of [...AUDITED, documents.find((d) => d.year === 2021).url]) {
      await page.goto(fileUrl(site, rel));
      const on = await page.evaluate(() => document.documentElement.classList.contains('pref-large'));
      if (on !== large) {
        await page.click('button[data-pref="large"]');
      }
      const shot = await page.screenshot({ fullPage: true });
      assert.equal(pngWidth(shot), 360, `${rel} (大字 ${large}) is wider than the screen`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${rel} scrolls sideways by ${overflow}px`);
      // the first screen is the page's: the site name on one line, the header within a third
      const header = await page.evaluate(() => {
        const name = document.querySelector('.site-name');
        return { height: document.querySelector('.site-header').getBoundingClientRect().height, name: name.getBoundingClientRect().height, line: parseFloat(getComputedStyle(name).fontSize) };
      });
      assert.ok(header.name < 2 * header.line, `${rel} (大字 ${large}): the site name wraps (${header.name}px for ${header.line}px text)`);
      assert.ok(header.height <= 740 / 3, `${rel} (大字 ${large}): the header takes ${header.height}px of 740`);
      // links a finger taps are 24 px high at least (WCAG 2.5.8)
      const small = await page.$$eval('.site-nav a, .breadcrumb a, .year-nav a', (as) => as.map((a) => a.getBoundingClientRect().height).filter((h) => h < 24));
      assert.deepEqual(small, [], `${rel} (大字 ${large}): links under 24 px high`);
    }
  }
  await page.goto(fileUrl(site, wideDoc));
  const box = await page.evaluate(() => {
    const wrap = document.querySelector('.table-wrap');
    return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
  });
  assert.ok(box.scroll > box.client, `the wide table scrolls inside its box (${box.scroll} > ${box.client})`);
  await context.close();
});

test('printing looks like the gazette: centred title and 发文字号, 仿宋 body, signature on the right, no navigation', async () => {
  const page = await openPage(browser, fileUrl(site, wideDoc));
  let printed = 0;
  await page.exposeFunction('__printed', () => { printed += 1; });
  await page.evaluate(() => { window.print = () => window.__printed(); });
  await page.click('button[data-action="print"]');
  await page.waitForFunction(() => true);
  assert.equal(printed, 1, 'the 打印 button prints');

  await page.emulateMedia({ media: 'print' });
  const style = await page.evaluate(() => {
    const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
    return {
      header: css('.site-header', 'display'),
      footer: css('.site-footer', 'display'),
      breadcrumb: css('.breadcrumb', 'display'),
      tools: css('.doc-tools', 'display'),
      title: css('.doc-title', 'textAlign'),
      number: css('.doc-number', 'textAlign'),
      numberBelowTitle: document.querySelector('.doc-number').getBoundingClientRect().top > document.querySelector('.doc-title').getBoundingClientRect().bottom - 1,
      body: css('.doc-body p', 'fontFamily'),
      signature: css('.doc-body .signature', 'textAlign'),
      row: css('.doc-body tr', 'breakInside'),
      source: css('.print-link', 'display'),
    };
  });
  assert.deepEqual(style, {
    header: 'none', footer: 'none', breadcrumb: 'none', tools: 'none', title: 'center', number: 'center',
    numberBelowTitle: true, body: style.body, signature: 'right', row: 'avoid', source: 'flex',
  });
  // a printed copy says where it comes from, as it can be cited
  const source = await page.textContent('.print-link');
  assert.match(source, /出处：《石嘴山市惠农区人民政府公报》2022年第2期，第\d+页/);
  assert.match(source, /本文网址：https:\/\/www\.huinong\.gov\.cn\/gongbao\/2022\/02\/p0\d+\.html/);
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.isVisible('.print-link'), false, 'on paper only');
  assert.match(style.body, /^FangSong, 仿宋/, 'body in a 仿宋 stack');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('pages have one h1 and headings that never skip a level', async () => {
  for (const rel of AUDITED) {
    const page = await openPage(browser, fileUrl(site, rel));
    const levels = await page.$$eval('h1, h2, h3, h4, h5, h6', (hs) => hs.map((h) => Number(h.tagName[1])));
    assert.equal(levels.filter((l) => l === 1).length, 1, `${rel}: ${levels}`);
    assert.equal(levels[0], 1, `${rel}: first heading ${levels}`);
    for (let i = 1; i < levels.length; i++) {
      assert.ok(levels[i] <= levels[i - 1] + 1, `${rel}: h${levels[i - 1]} → h${levels[i]} in ${levels}`);
    }
    await page.close();
  }
});

test('the issue page offers the print PDF with its size, and the file is there', async () => {
  const page = await openPage(browser, fileUrl(site, issue));
  const link = page.locator('a[type="application/pdf"]');
  assert.match(await link.textContent(), /^下载2022年第2期印刷版（PDF，\d+ KB）$/);
  const href = await link.getAttribute('href');
  const bytes = fs.readFileSync(path.join(site, path.dirname(issue), href));
  assert.ok(bytes.subarray(0, 5).toString() === '%PDF-', 'the copied file is the PDF');
  await page.close();
});

test('a document page needs under 40 KB of HTML, CSS and JS beyond its own text', async () => {
  const server = await serve(site, '/gongbao/');
  const page = await browser.newPage();
  try {
    const sizes = [];
    page.on('response', async (res) => {
      const type = res.request().resourceType();
      if (['document', 'stylesheet', 'script'].includes(type)) sizes.push(res.body().then((b) => [type, res.url(), b.length]));
    });
    for (const rel of [doc, wideDoc]) {
      sizes.length = 0;
      await page.goto(server.url + rel, { waitUntil: 'load' });
      const loaded = await Promise.all(sizes);
      const ownText = await page.evaluate(() => {
        // The document itself: title, 发文字号, metadata values and body, as UTF-8 bytes.
        const own = [...document.querySelectorAll('.doc-title, .doc-number, .doc-meta td, .doc-body')].map((e) => e.outerHTML).join('');
        return new TextEncoder().encode(own).length;
      });
      const total = loaded.reduce((sum, [, , n]) => sum + n, 0);
      const overhead = total - ownText;
      const detail = loaded.map(([t, u, n]) => `${t} ${u.replace(server.url, '')} ${n} B`).join(', ');
      test.diagnostic?.(`${rel}: ${overhead} B beyond its text (${detail}; own text ${ownText} B)`);
      console.log(`# page weight ${rel}: ${overhead} B beyond its own text (${detail}; own text ${ownText} B)`);
      assert.ok(loaded.some(([t]) => t === 'stylesheet') && loaded.some(([t]) => t === 'script'), detail);
      assert.ok(overhead < 40 * 1024, `${rel}: ${overhead} B beyond its text (${detail})`);
    }
  } finally {
    await page.close();
    await server.close();
  }
});
