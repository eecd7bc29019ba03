// Time per query in headless Chromium, from file://, over a built site:
//
//     node benches/search_browser.js <public-dir> <query>…   → JSON rows on stdout
//
// Run by benches/search.rs over the corpus index. For each query, `search.html?q=…` is opened
// in a fresh browser context (nothing cached by the page: the first query after page load),
// then the same query is submitted again in that page, without a reload (the index files it
// needs already loaded: warm). The time
// is the page's own `data-ms`: from the start of the search script's work to the results
// rendered in #results (meta, shards, matching, the first page's documents and excerpts).
'use strict';
const path = require('node:path');
const { launch, fileUrl } = require('../tests/browser/lib.js');

async function done(page) {
  await page.waitForSelector('#search[data-state="done"]', { timeout: 60000 });
  const ms = Number(await page.getAttribute('#search', 'data-ms'));
  const results = await page.$$eval('#results li a.result-title', (as) => as.length);
  const count = await page.textContent('#result-count');
  return { ms, results, count };
}

async function run(dir, queries) {
  const browser = await launch();
  const rows = [];
  try {
    for (const q of queries) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const url = fileUrl(dir, `search.html?q=${encodeURIComponent(q)}`);
      // First query: the page opened at search.html?q=…, nothing loaded yet.
      await page.goto(url, { waitUntil: 'load' });
      const cold = await done(page);
      // Warm: the same query submitted again in the page (no reload); the index files it needs
      // are already in the page, so this is matching and rendering only.
      await page.evaluate((query) => {
        document.getElementById('search-q').value = query;
        document.getElementById('search-form').requestSubmit();
      }, q);
      const warm = await done(page);
      if (!Number.isFinite(cold.ms) || !Number.isFinite(warm.ms)) throw new Error(`${q}: no timing (${cold.count})`);
      if (warm.count !== cold.count || warm.results !== cold.results) throw new Error(`${q}: in-page search differs (${cold.count} / ${warm.count})`);
      rows.push({ q, coldMs: cold.ms, warmMs: warm.ms, shown: cold.results, count: cold.count });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return rows;
}

if (require.main === module) {
  const [dir, ...queries] = process.argv.slice(2);
  run(path.resolve(dir), queries).then((rows) => process.stdout.write(JSON.stringify(rows)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
