// Search that forgives and scales (issue 15), from file://.
//
// 1. The generator (libstemmer, through build/search-terms) and search.js
//    make the same terms of every word of the dossier and of the bench
//    corpus: same words, same stop words, same Snowball English stems.
// 2. Queries on the dossier with results checked against the pages' own
//    text (not against the index): a misspelling, a plural, a curly
//    apostrophe, a phrase, OR-ranking with all-words matches first, non-ASCII.
// 3. The search box in every page's header, "/" to focus it.
// 4. At 10,000 pages (tests/bench/gen_corpus.c) the index is at most 15 MB,
//    a query loads at most 2 MB, and positions only for a phrase.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUBLIC, ROOT, assertNone, fileUrl, launch, note, openPage, test, walk } from './lib.mjs';

const require = createRequire(import.meta.url);
const SEARCH_JS = path.join(ROOT, 'themes/dossier/static/search.js');
const TERMS = path.join(ROOT, 'build/search-terms');
const GEN = path.join(ROOT, 'build/gen-corpus');
const DOSSIER = path.join(ROOT, 'build/dossier');

// ---- 1. the same terms in C and in JS ----------------------------------------

// Compares the generator's terms of `files` with search.js's, word by word.
function compareTerms(files) {
  const S = require(SEARCH_JS);
  const r = spawnSync(TERMS, files, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${TERMS} failed: ${r.stderr}`);
  const c = r.stdout.split('\n');
  c.pop();
  const memo = new Map();
  const bad = [];
  let i = 0;
  for (const f of files) {
    for (const w of S.words(S.fold(fs.readFileSync(f, 'utf8')))) {
      let t = memo.get(w.w);
      if (t === undefined) memo.set(w.w, (t = S.isStop(w.w) ? '-' : S.stem(w.w)));
      const line = `${w.w}\t${t}`;
      if (c[i] !== line && bad.length < 20) bad.push(`${path.basename(f)}: search.js '${line}', generator '${c[i]}'`);
      i++;
    }
  }
  if (c.length !== i) bad.push(`the generator found ${c.length} words, search.js ${i}`);
  const stems = new Set([...memo.values()]).size;
  return { words: i, distinct: memo.size, stems, bad };
}

// The bench corpus (gen_corpus: 10,000 pages, 1,000 entities), generated and
// built once for the tests that need it.
let corpus = null;
function benchCorpus() {
  if (corpus) return corpus;
  for (const bin of [GEN, DOSSIER]) if (!fs.existsSync(bin)) throw new Error(`${bin} is missing (make browser builds it)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-search-bench-'));
  const gen = spawnSync(GEN, [dir, '10000', '1000'], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`gen-corpus failed: ${gen.stderr}`);
  fs.cpSync(path.join(ROOT, 'themes'), path.join(dir, 'themes'), { recursive: true });
  const b = spawnSync('nice', [DOSSIER, 'build', '-C', dir, '-q'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (b.status !== 0) throw new Error(`dossier build of the bench corpus failed: ${b.stderr.split('\n').filter((l) => /error/.test(l)).slice(0, 5).join('\n')}`);
  corpus = { dir, public: path.join(dir, 'public') };
  return corpus;
}

function stemsTest() {
  const files = [
    ...walk(path.join(ROOT, 'content')).map((f) => path.join(ROOT, 'content', f)),
    ...walk(path.join(PUBLIC, 'search')).filter((f) => /^d-/.test(f)).map((f) => path.join(PUBLIC, 'search', f)),
  ];
  const d = compareTerms(files);
  note(`dossier: ${d.words} words, ${d.distinct} distinct, ${d.stems} stems`);
  const { dir } = benchCorpus();
  const bench = walk(path.join(dir, 'content')).map((f) => path.join(dir, 'content', f));
  const b = compareTerms(bench);
  note(`bench corpus: ${b.words} words, ${b.distinct} distinct, ${b.stems} stems`);
  assertNone([...d.bad, ...b.bad], 'words where search.js and libstemmer differ');
}

// ---- 2. queries -----------------------------------------------------------------

// The pages' whole texts, independent of the sharded index (whose page
// records keep only the start of a text): the same content built with the
// plain theme, whose search-index.js holds every page's text.
function pageTexts() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-search-texts-'));
  try {
    const toml = path.join(dir, 'site.toml');
    fs.writeFileSync(toml, fs.readFileSync(path.join(ROOT, 'site.toml'), 'utf8').replace(/^theme = .*$/m, 'theme = "plain"'));
    const b = spawnSync(DOSSIER, ['build', '-C', ROOT, '--config', toml, '-o', path.join(dir, 'out'), '-q'], { encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`the plain-theme build failed: ${b.stderr}`);
    const ctx = {};
    new Function('window', fs.readFileSync(path.join(dir, 'out', 'search-index.js'), 'utf8'))(ctx);
    const out = new Map();
    for (const p of ctx.DOSSIER_INDEX.pages) {
      const parts = [p.t, p.d, ...(p.n || []), ...(p.h || []).map((h) => h[1]), ...(p.p || []),
        ...(Array.isArray(p.b) ? p.b.map((x) => x[1]) : [p.b || '']), ...(p.a || []).flat()];
      out.set(p.u, parts.join('\n'));
    }
    if (out.size < 20) throw new Error(`search-index.js holds only ${out.size} pages`);
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runQuery(page, q, base = null) {
  const url = base ? pathToFileURL(path.join(base, 'search.html')).href : fileUrl('search.html');
  await page.goto(`${url}?q=${encodeURIComponent(q)}`);
  await page.waitForFunction((qq) => (window.DOSSIER_SEARCH_LAST && window.DOSSIER_SEARCH_LAST.query === qq) ||
    /^No results/.test(document.getElementById('ds-search-status').textContent), q, { timeout: 15000 });
  return page.evaluate(() => ({
    status: document.getElementById('ds-search-status').textContent,
    urls: [...document.querySelectorAll('#ds-search-results > li > a.result-title')].map((a) => a.getAttribute('href')),
    titles: [...document.querySelectorAll('#ds-search-results > li > a.result-title')].map((a) => a.textContent),
    marks: [...document.querySelectorAll('#ds-search-results mark')].map((m) => m.textContent),
    total: Number((/^(\d+) result/.exec(document.getElementById('ds-search-status').textContent) || [0, 0])[1]),
  }));
}

const norm = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').toLowerCase();

async function queriesTest(ctx) {
  const page = await openPage(ctx);
  const texts = pageTexts();
  const problems = [];
  const check = (cond, msg) => { if (!cond) problems.push(msg); };

  // Misspellings: one letter off finds the name.
  for (const [q, want] of [['Zuckerburg', 'Mark Zuckerberg'], ['Marc Andreesen', 'Marc Andreessen'], ['Zschaepits', 'Holger Zschaepitz']]) {
    const r = await runQuery(page, q);
    check(r.titles[0] === want, `'${q}': first result '${r.titles[0]}', not '${want}'`);
    check(r.marks.some((m) => norm(m).startsWith(norm(want.split(' ').pop()).slice(0, 6))), `'${q}': the matched name is not highlighted`);
  }
  // A plural finds the singular: every page with "Sputnik moment" comes first.
  {
    const r = await runQuery(page, 'Sputnik moments');
    const have = [...texts].filter(([, t]) => /sputnik/.test(norm(t)) && /\bmoments?\b/.test(norm(t))).map(([u]) => u);
    check(have.length > 0, 'no page says "Sputnik moment"');
    const top = r.urls.slice(0, have.length);
    const missing = have.filter((u) => !top.includes(u));
    check(missing.length === 0 || r.urls.length >= 20, `'Sputnik moments': pages with both words not first: ${missing.join(', ')}`);
    check(r.titles.includes('Sputnik moment'), `'Sputnik moments' does not find the entity 'Sputnik moment'`);
  }
  // Curly and straight apostrophes are one.
  {
    const a = await runQuery(page, 'DeepSeek’s'), b = await runQuery(page, "DeepSeek's");
    check(a.total >= 20, `'DeepSeek’s' finds ${a.total}`);
    check(a.total === b.total && JSON.stringify(a.urls) === JSON.stringify(b.urls), `'DeepSeek’s' (${a.total}) and "DeepSeek's" (${b.total}) differ`);
  }
  // A phrase: exactly the pages whose text has it (stop words inside count).
  {
    const q = '"fraction of the cost"';
    const r = await runQuery(page, q);
    const have = [...texts].filter(([, t]) => /\bfractions? of the costs?\b/.test(norm(t))).map(([u]) => u).sort();
    const words = await runQuery(page, 'fraction cost');
    check(have.length >= 2, `the oracle finds the phrase in only ${have.length} pages`);
    check(JSON.stringify([...r.urls].sort()) === JSON.stringify(have), `${q}: results ${r.urls.join(', ')}; pages with the phrase ${have.join(', ')}`);
    check(words.total > r.total, `the words alone find ${words.total}, the phrase ${r.total}`);
  }
  // OR with ranking: no page has every word, yet there are results, and a
  // page with more of the words never comes after one with fewer.
  {
    const q = 'stock market crash';
    const r = await runQuery(page, q);
    check(r.total > 0, `'${q}' finds nothing`);
    const count = (u) => ['stock', 'market', 'crash'].filter((w) => new RegExp(`\\b${w}(s|ed|es|ing)?\\b`).test(norm(texts.get(u) || ''))).length;
    const c = r.urls.map(count);
    for (let i = 1; i < c.length; i++) if (c[i] > c[i - 1]) { check(false, `'${q}': ${r.urls[i]} (${c[i]} words) ranks after ${r.urls[i - 1]} (${c[i - 1]})`); break; }
    const all = await runQuery(page, 'Nvidia shares fell');
    const ca = all.urls.map((u) => ['nvidia', 'shares', 'fell'].filter((w) => new RegExp(`\\b${w.replace(/s$/, '')}`).test(norm(texts.get(u) || ''))).length);
    check(ca[0] === 3, `'Nvidia shares fell': the first result has ${ca[0]} of the 3 words`);
  }
  // Non-ASCII: a query with diacritics finds the page spelled without.
  for (const q of ['Zschäpitz', 'ZSCHAEPITZ']) {
    const r = await runQuery(page, q);
    check(r.titles[0] === 'Holger Zschaepitz', `'${q}': first result '${r.titles[0]}'`);
  }
  // Stop words only: nothing to search, no error.
  assertNone(page.problems(), 'script errors or failed loads');
  await page.close();
  assertNone(problems, 'queries with unexpected results');
}

// ---- 3. the header box --------------------------------------------------------------

async function headerBoxTest(ctx) {
  const page = await openPage(ctx);
  const article = walk(path.join(PUBLIC, 'articles')).find((f) => f !== 'index.html' && f.endsWith('.html'));
  await page.goto(fileUrl(`articles/${article}`));
  const box = page.locator('header #ds-site-q');
  assert.equal(await box.count(), 1, 'no search box in the page header');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'ds-site-q', '"/" does not focus the header search box');
  await page.keyboard.type('Zuckerburg');
  await Promise.all([page.waitForURL(/search\.html\?q=Zuckerburg/), page.keyboard.press('Enter')]);
  await page.waitForFunction(() => window.DOSSIER_SEARCH_LAST, null, { timeout: 10000 });
  const first = await page.locator('#ds-search-results a.result-title').first().textContent();
  assert.equal(first, 'Mark Zuckerberg', `the header search leads to '${first}'`);
  // "/" typed into a field stays text.
  await page.locator('#ds-q').fill('');
  await page.locator('#ds-q').type('a/b');
  assert.equal(await page.locator('#ds-q').inputValue(), 'a/b', '"/" in the search field is swallowed');
  const missing = [];
  for (const f of walk(PUBLIC).filter((x) => x.endsWith('.html') && !x.startsWith('revisions/'))) {
    const html = fs.readFileSync(path.join(PUBLIC, f), 'utf8');
    if (/class="kind-/.test(html) && !html.includes('id="ds-site-q"')) missing.push(f);
  }
  assertNone(missing, 'pages without the header search box');
  await page.close();
}

// ---- 4. scale ---------------------------------------------------------------------------

async function scaleTest(ctx) {
  const { public: pub } = benchCorpus();
  const page = await ctx.newPage();
  const loaded = new Map();
  page.on('requestfinished', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'file:') return;
    const f = decodeURIComponent(u.pathname);
    if (fs.existsSync(f)) loaded.set(f, fs.statSync(f).size);
  });
  const problems = [];
  // The commonest words of the corpus: the largest shards.
  for (const q of ['investors', 'market shares investors', 'company compute metadata', 'Page 9999', '"open source" model']) {
    loaded.clear();
    const r = await runQuery(page, q, pub);
    const bytes = [...loaded.values()].reduce((a, b) => a + b, 0);
    const index = [...loaded].filter(([f]) => f.includes(`${path.sep}search${path.sep}`));
    const positions = index.filter(([f]) => /^p-/.test(path.basename(f))).length;
    const ms = await page.evaluate(() => window.DOSSIER_SEARCH_LAST && window.DOSSIER_SEARCH_LAST.ms);
    note(`'${q}': ${r.total} results, ${loaded.size} files, ${(bytes / 1e6).toFixed(2)} MB loaded (index ${(index.reduce((a, [, n]) => a + n, 0) / 1e3).toFixed(0)} KB), ${ms} ms`);
    if (r.total === 0) problems.push(`'${q}' finds nothing in the bench corpus`);
    if (r.urls.length < Math.min(20, r.total)) problems.push(`'${q}' shows ${r.urls.length} of ${r.total} results`);
    if (bytes > 2e6) problems.push(`'${q}' loads ${(bytes / 1e6).toFixed(2)} MB`);
    // Positions are loaded for a phrase's words only.
    if (q.includes('"') ? positions === 0 : positions > 0) problems.push(`'${q}' loads ${positions} position shards`);
  }
  const all = walk(path.join(pub, 'search')).reduce((n, f) => n + fs.statSync(path.join(pub, 'search', f)).size, 0);
  note(`the whole index: ${(all / 1e6).toFixed(1)} MB in ${walk(path.join(pub, 'search')).length} files`);
  if (all > 15e6) problems.push(`the whole index is ${(all / 1e6).toFixed(1)} MB (at most 15 MB at 10,000 pages)`);
  await page.close();
  assertNone(problems, 'queries over budget');
}

export async function run() {
  await test('search: search.js and libstemmer make the same terms of every word of the dossier and the bench corpus', () => stemsTest());
  let b = null;
  try {
    b = await launch();
  } catch (err) {
    await test('search: Chromium starts', () => { throw err; });
    return;
  }
  try {
    const { ctx } = b;
    await test('search: misspelling, plural, curly apostrophe, phrase, OR-ranking and non-ASCII queries', () => queriesTest(ctx));
    await test('search: every page has a header search box; "/" focuses it; it leads to the results', () => headerBoxTest(ctx));
    await test('search: at 10,000 pages the index is at most 15 MB and a query loads at most 2 MB, positions for phrases only (bench corpus)', () => scaleTest(ctx));
  } finally {
    await b.close();
    if (corpus) fs.rmSync(corpus.dir, { recursive: true, force: true });
  }
}
