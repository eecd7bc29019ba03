// Shared harness for the browser tests: build a site with the real gongbao binary, serve it
// from 127.0.0.1 (optionally under a sub-path, as a government portal would), and drive
// Debian's headless Chromium with playwright-core.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = process.env.GONGBAO_BIN || path.join(REPO, 'target', 'release', 'gongbao');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** A fresh temp folder, removed when the test process exits. */
function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Builds `content` into a fresh temp folder and returns the folder. */
function buildSite(content = process.env.GONGBAO_CONTENT || path.join(REPO, 'content'), extraArgs = []) {
  const out = tempDir('gongbao-site-');
  const output = path.join(out, 'public');
  execFileSync(BIN, ['build', '--content', content, '--output', output, ...extraArgs], { stdio: 'pipe' });
  return output;
}

// Scripts are declared UTF-8, as many servers do: the search index's UTF-16 files must still be
// read as UTF-16 (their byte order mark decides before the header does).
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml' };

/** Serves `dir` at http://127.0.0.1:<port><prefix>; folders are not listed (links name files). */
function serve(dir, prefix = '/', headers = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(prefix)) { res.writeHead(404); res.end('not under prefix'); return; }
    rel = rel.slice(prefix.length);
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404); res.end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', ...headers });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => new Promise((r) => server.close(r)) });
  }));
}

// Playwright gives each launch a fresh temporary profile and removes it on close.
async function launch() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--allow-file-access-from-files'],
  });
  return browser;
}

/** A new page that records console errors, uncaught exceptions and failed requests. */
async function openPage(browser, url) {
  const page = await browser.newPage();
  page.problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') page.problems.push(`console ${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (err) => page.problems.push(`exception: ${err.message}`));
  page.on('requestfailed', (req) => page.problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => { if (res.status() >= 400) page.problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

function fileUrl(dir, rel) {
  return 'file://' + path.join(dir, rel);
}

module.exports = { REPO, BIN, tempDir, buildSite, serve, launch, openPage, fileUrl };
