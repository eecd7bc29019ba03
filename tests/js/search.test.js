// The search client's logic in node, against an index built by the Rust code from
// tests/fixtures/search-site. Expected result sets come from the Rust side's plain token
// search over each document (truth.json), not from the index.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { buildFixture, client, REPO } = require('./client.js');
// values made in the vm context have that realm's prototypes: compare them as plain data
const same = (actual, expected, message) => assert.deepEqual(JSON.parse(JSON.stringify(actual)), expected, message);

const QUERIES = ['医疗保障', '联席会议', '自建房屋', '惠政办发[2022]31号', '惠政办发（２０２２）３１号', '2022年5月',
  '31号', '131号', '医疗 保障', '联 席', '不存在的词', '医', '推进', '第150项工作', '区政府办公室', '落', '防汛抗旱', '上报数据',
  '惠政办发〔2022〕031号', '第0150项'];
const fx = buildFixture(path.join(REPO, 'tests', 'fixtures', 'search-site'), QUERIES);

test('tokens agree with the Rust tokeniser', () => {
  const c = client(fx.publicDir);
  for (const [sample, expected] of Object.entries(fx.tokens)) {
    same(c.api.tokenize(sample).map((t) => t.t), expected, sample);
  }
});

test('every query returns exactly the documents that contain it', async () => {
  for (const q of QUERIES) {
    const c = client(fx.publicDir);
    const { result } = await c.query(q);
    const urls = (await c.allUrls(result)).slice().sort();
    same(urls, fx.truth[q], q);
  }
  assert.equal(fx.truth['医疗保障'].length, 3, 'fixture sanity: a doc with 医疗保险 + 治疗保障 is not a match');
  // a number's leading zeros do not count, on either side
  assert.ok(fx.truth['惠政办发〔2022〕031号'].length > 0);
  same(fx.truth['惠政办发〔2022〕031号'], fx.truth['惠政办发[2022]31号']);
  same(fx.truth['第0150项'], fx.truth['第150项工作']);
});

test('a phrase runs across a wrapped source line but not from one paragraph into the next', async () => {
  // p005: "做好防汛⏎抗旱工作" is one paragraph wrapped in the source; "汇总上报" ends a paragraph
  // and "数据统计表" begins the next
  same(fx.truth['防汛抗旱'], ['2022/02/p005.html']);
  same(fx.truth['上报数据'], []);
  const c = client(fx.publicDir);
  const r = await c.query('防汛抗旱');
  const segs = c.api.excerpt(r.items[0].text, r.result.terms, r.items[0].focus);
  same(segs.filter((s) => s.mark).map((s) => s.text), ['防汛 抗旱']);
  same(c.api.matchRanges('汇总上报\n数据统计', c.api.parseQuery('上报数据')).ranges, []);
});

test('the rarest characters, coded by code point past the table, read back in excerpts', async () => {
  const fs = require('node:fs');
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'gongbao-rare-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO, 'tests', 'fixtures', 'search-site'), dir, { recursive: true });
  // 3,200 characters of CJK Extension A, once each: more than the excerpt code's table holds
  let table = '';
  for (let c = 0x3400; c < 0x3400 + 3200; c++) table += String.fromCodePoint(c);
  fs.writeFileSync(path.join(dir, '2022', '02', 'p099.md'), '+++\ntitle = "字表"\nissuer = "测试区人民政府办公室"\ndate = "2022-05-20"\n' +
    'section = "区政府办公室文件"\npage = 99\n+++\n\n字表：' + table + '\n\n人名：𠀀𠀁。\n');
  const rx = buildFixture(dir, ['𠀀𠀁']);
  same(rx.truth['𠀀𠀁'], ['2022/02/p099.html']);
  const c = client(rx.publicDir);
  const r = await c.query('𠀀𠀁');
  same(r.urls, ['2022/02/p099.html']);
  assert.ok(Array.from(c.api.data.meta.chars).length <= 3072, 'the table stops at the last class');
  const segs = c.api.excerpt(r.items[0].text, r.result.terms, r.items[0].focus);
  same(segs.filter((s) => s.mark).map((s) => s.text), ['𠀀𠀁']);
  // the match's chunk (positions from 2,048) holds the table's later characters too
  assert.ok(r.items[0].text.includes(String.fromCodePoint(0x3400 + 3000)), 'a rare character of the table');
});

test('phrase check rejects documents that only hold the bigrams apart', async () => {
  // p005 has 医疗 (医疗保险), 疗保 (治疗保障) and 保障, but never 医疗保障
  const c = client(fx.publicDir);
  const { result } = await c.query('医疗保障');
  const urls = await c.allUrls(result);
  assert.ok(!urls.includes('2022/02/p005.html'));
});

test('ranking: 发文字号 first, then title, then body; document numbers in any bracket style', async () => {
  const c = client(fx.publicDir);
  let r = await c.query('医疗保障');
  // titles of p001 and p002 contain it; p002 (2021) has it twice in the body too, p001 three times
  same(r.urls, ['2022/02/p001.html', '2021/12/p002.html', '2022/02/p009.html']);
  r = await c.query('131号');
  // p002 carries 惠政发〔2021〕131号 as its number; p009 only mentions it
  same(r.urls, ['2021/12/p002.html', '2022/02/p009.html']);
  for (const spelling of ['惠政办发[2022]31号', '惠政办发【2022】31号', '惠政办发(2022)31号', '惠政办发〔2022〕31号', '惠政办发﹝2022﹞31号', '惠政办发〘2022〙31号',
    '惠政办发〔2022〕第31号', '惠政办发（２０２２）第 31 号', '"惠政办发[2022]31号"']) {
    r = await c.query(spelling);
    same(r.urls, ['2022/02/p005.html'], spelling);
  }
});

test('ties are broken by date, newest first', async () => {
  const c = client(fx.publicDir);
  // 人民政府 once in the body of each of p001 (2022-04-01) p005 (2022-05-10), p002 (2021-12-20),
  // and each document's issuer contains it too: equal scores except the date
  const r = await c.query('各乡镇人民政府');
  same(r.urls, ['2022/02/p005.html', '2022/02/p001.html', '2021/12/p002.html']);
});

test('excerpts mark every occurrence and come from the chunk of the first body match', async () => {
  const c = client(fx.publicDir);
  const r = await c.query('第150项工作');
  assert.equal(r.items.length, 1);
  const segs = c.api.excerpt(r.items[0].text, r.result.terms, r.items[0].focus);
  const marked = segs.filter((s) => s.mark).map((s) => s.text);
  assert.ok(marked.includes('第150项工作'), JSON.stringify(segs));
  // the match lies beyond the first 2,048 body tokens: a later chunk was loaded
  const id = r.result.ids[0];
  assert.ok(c.api.chunkOf(id, r.result.hits[id]) >= 1, 'chunk of the match');
  assert.ok(c.loaded.some((f) => f.path.startsWith('search/p/')), 'a pack of later chunks was loaded');
  assert.ok(!r.items[0].text.startsWith(c.api.data.heads[id].slice(0, 20)), 'not the beginning of the text');
  // a match near the start is shown from the heads file alone
  const early = client(fx.publicDir);
  const r3 = await early.query('联席会议');
  assert.ok(r3.items[0].focus >= 0 && r3.items[0].focus < early.api.data.meta.head.use, 'an early body match');
  assert.ok(early.loaded.every((f) => !f.path.startsWith('search/p/')), JSON.stringify(early.loaded));
  const r2 = await c.query('联席会议');
  const segs2 = c.api.excerpt(r2.items[0].text, r2.result.terms, r2.items[0].focus);
  assert.ok(segs2.filter((s) => s.mark).length >= 2, 'both body occurrences marked');
  assert.ok(segs2.filter((s) => s.mark).every((s) => s.text === '联席会议'));
  // spaced-out text in the source is still marked as the whole phrase it matched
  const ms = c.api.matchRanges('联 席 会 议由', c.api.parseQuery('联席会议'));
  same(ms.ranges.map((x) => [x.start, x.end]), [[0, 7]]);
});

test('an excerpt shows every term of a query that its text holds', () => {
  const { api } = client(fx.publicDir);
  const pad = (n) => '这是一段与检索无关的文字。'.repeat(n);
  const marked = (segs) => segs.filter((x) => x.mark).map((x) => x.text);
  // one term: as before, the window opens at the focused (here, first) match
  const one = api.excerpt(pad(1) + '营商环境' + pad(30), api.parseQuery('营商环境'), -1);
  same(marked(one), ['营商环境']);
  assert.equal(one[0].text, pad(1), 'the text before the match');
  // two terms far apart: the window at the first, and a short one of its own for the other
  const text = pad(1) + '营商环境' + pad(30) + '罚款' + pad(30);
  const both = api.excerpt(text, api.parseQuery('营商环境 罚款'), -1);
  same(marked(both), ['营商环境', '罚款']);
  assert.ok(both.map((x) => x.text).join('').length < 140 + 50 + 10, 'bounded');
  same(both.filter((x) => x.text === '…').length, 2, 'a gap between the windows, and the rest of the text');
  // two terms near each other after an earlier lone one: the window that holds both
  const near = pad(1) + '营商环境' + pad(20) + '营商环境，依法罚款' + pad(20);
  same(marked(api.excerpt(near, api.parseQuery('营商环境 罚款'), -1)), ['营商环境', '罚款']);
  same(api.excerpt(near, api.parseQuery('营商环境 罚款'), -1).filter((x) => x.text === '…').length, 2, 'one window');
  // a term the text lacks is passed over
  same(marked(api.excerpt(text, api.parseQuery('营商环境 不在其中'), -1)), ['营商环境']);
  // a match the window cuts is marked as far as it shows, but the document page is not asked
  // to mark that part of it everywhere
  const terms = api.parseQuery('营商环境');
  const cut = api.excerpt('营商环境' + '文'.repeat(134) + '营商环境' + pad(10), terms, -1);
  same(marked(cut), ['营商环境', '营商'], 'the second match cut at the window');
  same(api.highlightQuery(terms, cut), '?hl=' + encodeURIComponent('营商环境'));
});

test('a one-character query first found deep in the body is excerpted from that chunk', async () => {
  // One-token keys store where a character first occurs (field, head or chunk), not its
  // positions: 落 first occurs near the end of the long p009, in its third chunk.
  const c = client(fx.publicDir);
  const r = await c.query('落');
  const j = r.items.findIndex((it) => it.doc.u === '2022/02/p009.html');
  assert.ok(j >= 0, JSON.stringify(r.items.map((it) => it.doc.u)));
  const id = r.result.ids[j];
  assert.ok(c.api.chunkOf(id, r.result.hits[id]) >= 1, 'chunk of the first occurrence');
  const segs = c.api.excerpt(r.items[j].text, r.result.terms, r.items[j].focus);
  assert.ok(segs.some((s) => s.mark && s.text === '落'), JSON.stringify(segs));
  assert.ok(c.loaded.some((f) => f.path.startsWith('search/p/')), 'a pack of later chunks was loaded');
  same(r.result.ids.length, fx.truth['落'].length);
});

test('filters narrow the results', async () => {
  const c = client(fx.publicDir);
  const all = await c.query('医疗保障');
  assert.equal(all.result.ids.length, 3);
  const y2021 = await c.query('医疗保障', { year: '2021' });
  same(y2021.urls, ['2021/12/p002.html']);
  const section = await c.query('医疗保障', { section: '大事记' });
  same(section.urls, ['2022/02/p009.html']);
  const issuer = await c.query('医疗保障', { issuer: '测试区人民政府办公室', issue: '2022年第2期' });
  same(issuer.urls, ['2022/02/p001.html', '2022/02/p009.html']);
});

test('no match, empty query and unknown keys load little and return nothing', async () => {
  const c = client(fx.publicDir);
  const r = await c.query('不存在的词');
  assert.equal(r.result.ids.length, 0);
  assert.equal((await c.api.search('   ')).ids.length, 0);
  assert.ok(c.loaded.every((f) => !f.path.startsWith('search/p/') && !f.path.startsWith('search/h/')));
});

test('query parsing: AND terms, duplicates once, number runs whole', () => {
  const { api } = client(fx.publicDir);
  same(api.parseQuery(' 医疗  保障 医疗 ').map((t) => t.tokens.join('|')), ['医|疗', '保|障']);
  // quotation marks round a term are not part of it, nor the 书名号 round a title copied from a
  // citation (titles are indexed without them); inside, and other brackets, they are
  same(api.parseQuery('"医疗" “保障” \'基金\' 「监管」 《条例》 a"b 《条例》第三条 (一)').map((t) => t.tokens.join('|')),
    ['医|疗', '保|障', '基|金', '监|管', '条|例', 'a|"|b', '条|例|》|第|三|条', '〔|一|〕']);
  same(api.parseQuery('""').length, 0);
  // a document number is searched with and without 第 before its serial; elsewhere 第 is text
  same(api.parseQuery('〔2022〕第8号 〔2022〕 8号 第8号 令第5号 国务院令735号 命令第一条').map((t) => t.forms.map((f) => f.join('|'))),
    [['〔|2022|〕|第|8|号', '〔|2022|〕|8|号'], ['〔|2022|〕|8|号', '〔|2022|〕|第|8|号'], ['第|8|号'], ['令|第|5|号', '令|5|号'],
      ['国|务|院|令|735|号', '国|务|院|令|第|735|号'], ['命|令|第|一|条']]);
  // so a number is found as printed, typed either way
  const printed = '准印号：石新出管字〔2022〕第0093号；依照惠政办发〔2022〕8号、国务院令第735号。';
  for (const typed of ['石新出管字[2022]第0093号', '石新出管字〔2022〕93号', '惠政办发〔2022〕第8号', '惠政办发(2022)8号', '国务院令735号', '国务院令第735号']) {
    same(api.matchRanges(printed, api.parseQuery(typed)).ranges.length, 1, typed);
  }
  same(api.termKeys(['惠', '政', '办', '发', '〔', '2022', '〕', '31', '号']),
    ['惠 政', '办 发', '〔 2022', '〕 31', '31 号']);
  same(api.coverOffsets(2), [0]);
  same(api.coverOffsets(3), [0, 1]);
  same(api.coverOffsets(4), [0, 2]);
});

test('an excerpt comes from the part of a long text that holds the most of the terms', async () => {
  const fs = require('node:fs');
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'gongbao-chunk-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO, 'tests', 'fixtures', 'search-site'), dir, { recursive: true });
  // 营商环境 at the start; 罚款 only some 2,500 positions on, beside 营商环境 again
  const filler = Array.from({ length: 80 }, (_, i) => `第${i + 1}段与检索无关的文字，用来把后文推到正文的第二个摘要块之中。`).join('\n\n');
  fs.writeFileSync(path.join(dir, '2022', '02', 'p098.md'),
    `+++\ntitle = "长文"\nissuer = "测试区人民政府办公室"\ndate = "2022-05-28"\nsection = "区政府办公室文件"\npage = 98\n+++\n\n优化营商环境。\n\n${filler}\n\n违反营商环境规定的，依法罚款。\n`);
  const rx = buildFixture(dir, ['营商环境 罚款']);
  const c = client(rx.publicDir);
  const r = await c.query('营商环境 罚款');
  const it = r.items.find((i) => i.doc.u === '2022/02/p098.html');
  assert.ok(it, JSON.stringify(r.urls));
  const marked = c.api.excerpt(it.text, r.result.terms, it.focus).filter((x) => x.mark).map((x) => x.text);
  assert.ok(marked.includes('营商环境') && marked.includes('罚款'), marked.join('|'));
});

test('a query that is a whole title, or a national law\'s short name, finds that document first, before titles that only hold it', async () => {
  const fs = require('node:fs');
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'gongbao-exact-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO, 'tests', 'fixtures', 'search-site'), dir, { recursive: true });
  const doc = (name, title, page, body) => fs.writeFileSync(path.join(dir, '2022', '02', name),
    `+++\ntitle = "${title}"\nissuer = "测试区人民政府办公室"\ndate = "2022-05-2${page % 10}"\nsection = "区政府办公室文件"\npage = ${page}\n+++\n\n${body}\n`);
  // the exact title names it once; the others, newer and holding it in their titles, three times
  doc('p095.md', '森林防火条例', 95, '第一条 为了有效预防和扑救森林火灾，制定本条例。');
  doc('p096.md', '河南省森林防火条例', 96, '根据《森林防火条例》，结合本省实际。执行森林防火条例。违反森林防火条例的，依法处理。');
  doc('p097.md', '森林防火条例实施细则', 97, '根据《森林防火条例》制定本细则。森林防火条例规定的。森林防火条例第五条。');
  // a national law's short name: the law itself before the texts that say it more often
  doc('p098.md', '中华人民共和国森林法', 98, '第一条 为了践行绿水青山就是金山银山理念，制定本法。');
  doc('p099.md', '森林法律责任规定', 99, '依照森林法。森林法规定的。森林法第五条。森林法第六条。');
  doc('p100.md', '关于适用森林法的解释', 100, '森林法第一条。森林法第二条。森林法第三条。');
  const rx = buildFixture(dir, ['森林防火条例', '森林法']);
  const c = client(rx.publicDir);
  same((await c.query('森林法')).urls[0], '2022/02/p098.html', '中华人民共和国森林法 first');
  same((await c.query('《森林法》')).urls[0], '2022/02/p098.html', 'as cited');
  const r = await c.query('森林防火条例');
  same(r.urls.slice().sort(), rx.truth['森林防火条例']);
  same(r.urls, ['2022/02/p095.html', '2022/02/p097.html', '2022/02/p096.html'],
    'the whole title, then the title that begins with it, then the one that holds it');
  // spaces and full-width forms in the query do not stop it being the whole title
  same((await c.query('森林防火 条例')).urls[0], '2022/02/p095.html');
});
