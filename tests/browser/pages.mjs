// Site-wide pages of issue 15: the changes page grouped by commit, the
// `serve` error overlay's contrast in both schemes, and print.html (the
// whole dossier in reading order, with working internal links, as a PDF
// artifact).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PUBLIC, ROOT, assertNone, ensureArtifacts, fileUrl, launch, note, openPage, test } from './lib.mjs';

// ---- changes ------------------------------------------------------------------

function git(...args) {
  const r = spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

async function changesTest(ctx) {
  const log = git('log', '--no-merges', '--format=%H', '--', 'content');
  if (log === null) throw new Error('git log failed: the repository is needed to check the changes page');
  const want = log.split('\n').filter(Boolean).slice(0, 50);
  const page = await openPage(ctx);
  await page.goto(fileUrl('changes.html'));
  const r = await page.evaluate(() => [...document.querySelectorAll('main .day')].map((d) => ({
    date: d.querySelector('h2 time').getAttribute('datetime'),
    commits: [...d.querySelectorAll('li[data-commit]')].map((li) => ({
      hash: li.getAttribute('data-commit'),
      pages: li.querySelectorAll('.commit-pages > li').length,
    })),
  })));
  const listed = r.flatMap((d) => d.commits.map((c) => c.hash));
  assert.deepEqual(listed.slice(0, want.length), want, 'the page does not list each commit once, newest first (as git log --no-merges -- content: merges are never listed, history.h)');
  const dates = r.map((d) => d.date);
  assert.deepEqual(dates, [...new Set(dates)].sort().reverse(), 'days are not newest first, or one day appears twice');
  const problems = [];
  for (const d of r) for (const c of d.commits) {
    const files = git('show', '--format=', '--name-only', '--no-renames', c.hash, '--', 'content');
    const n = new Set(files.split('\n').filter(Boolean)).size;
    if (c.pages !== n) problems.push(`${c.hash.slice(0, 7)}: ${c.pages} pages listed, the commit touches ${n} files in content/`);
  }
  assertNone(problems, 'commits whose pages are not all listed');
  note(`${listed.length} commits on ${r.length} days (${r.reduce((n, d) => n + d.commits.reduce((m, c) => m + c.pages, 0), 0)} page changes)`);
  await page.close();
}

// ---- the serve overlay ------------------------------------------------------------

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

// WCAG relative luminance contrast of two CSS colours (rgb()/rgba() over
// an opaque backdrop).
function parseRgb(c) {
  const m = /rgba?\(([^)]+)\)/.exec(c);
  if (!m) throw new Error(`not an rgb colour: ${c}`);
  const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return { r, g, b, a };
}
function over(fg, bg) {
  return { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1 };
}
function lum({ r, g, b }) {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
export function contrast(fg, bg) {
  const a = lum(fg), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

async function overlayTest(ctx) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-overlay-'));
  const site = path.join(dir, 'site');
  // The dossier itself, so that the overlay sits over the real theme's styles.
  for (const f of ['site.toml', 'content', 'themes']) fs.cpSync(path.join(ROOT, f), path.join(site, f), { recursive: true });
  const port = await freePort();
  const proc = spawn(path.join(ROOT, 'build/dossier'), ['serve', '-C', site, '--port', String(port), '-o', path.join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (b) => { log += b; });
  proc.stderr.on('data', (b) => { log += b; });
  try {
    const base = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(base).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Break the build: a link to a page that does not exist.
    const md = fs.readdirSync(path.join(site, 'content/topics')).find((f) => f.endsWith('.md') && f !== '_index.md');
    assert.ok(md, 'the fixture has no topic to break');
    fs.appendFileSync(path.join(site, 'content/topics', md), '\n\nSee [nothing](no-such-page.md).\n');
    const problems = [];
    for (const colorScheme of ['light', 'dark']) {
      const page = await openPage(ctx, { colorScheme });
      await page.goto(base);
      const box = page.locator('#dossier-build-errors');
      await box.waitFor({ state: 'visible', timeout: 15000 });
      const pairs = await page.evaluate(() => {
        const out = [];
        const root = document.getElementById('dossier-build-errors');
        const backdrop = getComputedStyle(document.body).backgroundColor;
        for (const el of [root, ...root.querySelectorAll('*')]) {
          if (!el.textContent.trim() || [...el.children].some((c) => c.textContent.trim() === el.textContent.trim())) continue;
          // The nearest painted background.
          let bgEl = el, bg = 'rgba(0, 0, 0, 0)';
          while (bgEl && (bg = getComputedStyle(bgEl).backgroundColor) === 'rgba(0, 0, 0, 0)') bgEl = bgEl.parentElement;
          out.push({ text: el.textContent.trim().slice(0, 40), fg: getComputedStyle(el).color, bg, page: backdrop, rootBg: getComputedStyle(root).backgroundColor });
        }
        return out;
      });
      for (const p of pairs) {
        const pageBg = parseRgb(p.page === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : p.page);
        const rootBg = over(parseRgb(p.rootBg), { ...pageBg, a: 1 });
        const bg = over(parseRgb(p.bg), rootBg);
        const fg = over(parseRgb(p.fg), bg);
        const c = contrast(fg, bg);
        if (c < 4.5) problems.push(`${colorScheme}: '${p.text}' ${p.fg} on ${p.bg}: ${c.toFixed(2)}:1`);
      }
      await page.screenshot({ path: path.join(ensureArtifacts(), `serve-overlay-${colorScheme}.png`) });
      note(`${colorScheme}: ${pairs.length} text elements in the overlay: ${pairs.map((p) => `${p.fg} on ${p.bg}`).join('; ')}`);
      await page.close();
    }
    assertNone(problems, 'overlay texts below 4.5:1');
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- print.html ---------------------------------------------------------------

// Output paths of a section index's list, in its order.
function listOrder(rel) {
  const html = fs.readFileSync(path.join(PUBLIC, rel), 'utf8');
  const dir = path.posix.dirname(rel);
  return [...html.matchAll(/<a class="page-card-title" href="([^"]+)"/g)].map((m) => path.posix.normalize(path.posix.join(dir, m[1])));
}
const idOf = (out) => `pg-${out.replace(/[^A-Za-z0-9_-]/g, '-')}`;

async function printTest(ctx) {
  const file = path.join(PUBLIC, 'print.html');
  assert.ok(fs.existsSync(file), 'no print.html');
  const page = await openPage(ctx);
  await page.goto(fileUrl('print.html'));
  const r = await page.evaluate(() => ({
    parts: [...document.querySelectorAll('section.print-part')].map((s) => ({
      id: s.id,
      pages: [...s.querySelectorAll(':scope > article.print-page')].map((a) => a.id),
    })),
    outside: [...document.querySelectorAll('.print-part a[href]')].map((a) => a.getAttribute('href')).filter((h) => !h.startsWith('#') && !/^[a-z]+:/.test(h)),
    fragments: [...document.querySelectorAll('main a[href^="#"]')].map((a) => a.getAttribute('href').slice(1)),
  }));
  assert.deepEqual(r.parts.map((p) => p.id), ['part-home', 'part-topics', 'part-articles', 'part-entities'], 'parts are not home, topics, articles, entities');
  assert.deepEqual(r.parts[0].pages, [idOf('index.html')], 'the home page does not come first');
  assert.deepEqual(r.parts[1].pages, listOrder('topics/index.html').map(idOf), 'topics are not in their list order');
  assert.deepEqual(r.parts[2].pages, listOrder('articles/index.html').map(idOf), 'articles are not in their list order');
  const entities = (fs.readdirSync(path.join(PUBLIC, 'entities')).filter((f) => f.endsWith('.html') && f !== 'index.html')).map((f) => idOf(`entities/${f}`));
  assert.deepEqual([...r.parts[3].pages].sort(), entities.sort(), 'not every entity is in print.html');
  // Links to pages inside the document stay inside it.
  const included = new Set(r.parts.flatMap((p) => p.pages));
  const leaking = r.outside.filter((h) => included.has(idOf(h.replace(/#.*$/, ''))));
  assertNone(leaking, 'links that leave print.html for a page it holds');
  const ids = new Set(await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id)));
  assertNone([...new Set(r.fragments.filter((f) => !ids.has(decodeURIComponent(f))))], 'in-document links without a target');
  // A citation in a topic leads to the cited paragraph inside the document.
  const cite = page.locator('#part-topics a[href^="#pg-articles-"][href*="--p"]').first();
  assert.ok(await cite.count(), 'no citation in the topics points into the articles of print.html');
  const href = await cite.getAttribute('href');
  await cite.click();
  assert.equal(await page.evaluate(() => location.hash), href, 'following a citation does not land on its paragraph');
  // Printed: every note once, no trails, and a PDF with internal links.
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const text = document.body.innerText.replace(/\s+/g, ' ');
    const notes = [...document.querySelectorAll('aside.annotation-note')].map((a) => a.textContent.replace(/^\s*\d+\s*/, '').replace(/\s+/g, ' ').trim().slice(0, 100));
    return {
      trails: [...document.querySelectorAll('details.cited-by')].filter((d) => d.getClientRects().length).length,
      twice: notes.filter((n) => text.split(n).length - 1 !== 1),
      notes: notes.length,
    };
  });
  assert.equal(printed.trails, 0, 'cited-by trails print');
  assert.ok(printed.notes > 0, 'no notes in print.html');
  assertNone(printed.twice, 'notes not printed exactly once');
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  const out = path.join(ensureArtifacts(), 'print.pdf');
  fs.writeFileSync(out, pdf);
  const raw = pdf.toString('latin1');
  const sheets = (raw.match(/\/Type\s*\/Page[^s]/g) || []).length;
  const internal = (raw.match(/\/Dest\b/g) || []).length;
  assert.ok(internal > 50, `the PDF has ${internal} internal links`);
  note(`print.html: ${included.size} pages, ${r.fragments.length} in-document links; ${out}: ${sheets} A4 sheets, ${internal} internal link targets`);
  await page.close();
}

export async function run() {
  let b = null;
  try {
    b = await launch();
  } catch (err) {
    await test('pages: Chromium starts', () => { throw err; });
    return;
  }
  try {
    const { ctx } = b;
    await test('changes: one entry per commit (as git log -- content), by day, with every page it touched', () => changesTest(ctx));
    await test('print: print.html holds the dossier in reading order with working internal links; PDF artifact', () => printTest(ctx));
    await test('serve: the build-error overlay has contrast ≥ 4.5:1 in light and dark schemes', () => overlayTest(ctx));
  } finally {
    await b.close();
  }
}
