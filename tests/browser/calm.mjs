// Calm article pages (issue 15), from file://: cited-by trails folded to
// one line that opens to the citing pages, markers numbered in reading
// order, 24×24 px touch targets, a tapped note right under its line, and
// what an article prints.
//
// The VentureBeat article is the issue's example (834 words, 118 chips in
// 12 trails before): it is found by its short label, so the test follows
// the content, not a file name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC, assertNone, fileUrl, launch, note, openPage, pagesByKind, test } from './lib.mjs';

const PHONE = { width: 375, height: 740 };

function articleByShort(short) {
  for (const rel of pagesByKind().get('article') || []) {
    const html = fs.readFileSync(path.join(PUBLIC, rel), 'utf8');
    if (html.includes(`data-short="${short}"`)) return rel;
  }
  return null;
}

function venturebeat() {
  const rel = articleByShort('VentureBeat') || (pagesByKind().get('article') || []).find((f) => /venturebeat/.test(f));
  if (!rel) throw new Error('no VentureBeat article in public/ (by data-short or file name)');
  return rel;
}

// Geometry of the trails and of everything a finger must hit.
async function trailFacts(page) {
  return page.evaluate(() => {
    // checkVisibility: the content of a closed <details> keeps a layout box.
    const vis = (el) => el.checkVisibility({ visibilityProperty: true }) && el.getBoundingClientRect().height > 0;
    const trails = [...document.querySelectorAll('main details.cited-by')];
    const lineHeight = (el) => {
      const s = getComputedStyle(el.querySelector('summary') || el);
      return parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5;
    };
    return {
      height: document.documentElement.scrollHeight,
      trails: trails.map((d) => ({
        open: d.open,
        height: d.getBoundingClientRect().height,
        line: Math.max(24, lineHeight(d)),
        visibleLinks: [...d.querySelectorAll('a')].filter(vis).length,
        text: d.querySelector('summary').textContent.trim(),
      })),
      chips: [...document.querySelectorAll('main .chip, main .cited-by a')].filter(vis).length,
    };
  });
}

async function calmTrailsTest(ctx) {
  const rel = venturebeat();
  const page = await openPage(ctx, PHONE);
  await page.goto(fileUrl(rel));
  const f = await trailFacts(page);
  assert.ok(f.trails.length >= 5, `expected the VentureBeat article to have cited paragraphs, found ${f.trails.length} trails`);
  const tall = f.trails.filter((t) => t.open || t.height > t.line * 1.5 + 1);
  assertNone(tall.map((t) => `'${t.text}' is ${Math.round(t.height)} px tall (one line is ${t.line} px)${t.open ? ', open' : ''}`),
    'trails taller than one line by default');
  assert.equal(f.chips, 0, `${f.chips} cited-by links or chips are visible before any trail is opened`);
  for (const t of f.trails) assert.match(t.text, /^Cited in \d+ pages?\b/, `trail summary '${t.text}'`);
  // The trails cost one line each: the page is no taller than the page
  // without them plus one 32 px line per trail.
  const bare = await page.evaluate(() => {
    const clone = [...document.querySelectorAll('main details.cited-by')];
    clone.forEach((d) => { d.style.display = 'none'; });
    const h = document.documentElement.scrollHeight;
    clone.forEach((d) => { d.style.display = ''; });
    return h;
  });
  const budget = bare + f.trails.length * 32;
  note(`${rel} at 375 px: ${f.height} px tall, ${bare} px without trails, ${f.trails.length} trails, 0 chips`);
  assert.ok(f.height <= budget, `page is ${f.height} px tall, more than ${budget} (${bare} without trails + 32 per trail)`);
  assertNone(page.problems(), 'script errors or failed loads');
  await page.close();
}

// Opening a trail, by mouse and by keyboard, shows the citing pages, each
// with its headings (or notes) under it; nothing stands alone as a chip.
async function openTrailTest(ctx) {
  const rel = venturebeat();
  const page = await openPage(ctx, PHONE);
  await page.goto(fileUrl(rel));
  const trail = page.locator('main details.cited-by').first();
  const summary = trail.locator('summary');
  await summary.scrollIntoViewIfNeeded();
  await summary.focus();
  await page.keyboard.press('Enter');
  assert.equal(await trail.evaluate((d) => d.open), true, 'Enter on the summary does not open the trail');
  const groups = await trail.evaluate((d) => [...d.querySelectorAll(':scope > ul > li')].map((li) => ({
    page: li.querySelector(':scope > a')?.textContent.trim() || '',
    subs: [...li.querySelectorAll(':scope > ul > li > a')].map((a) => a.getAttribute('href')),
    visible: li.getBoundingClientRect().height > 0,
  })));
  const n = Number(/Cited in (\d+)/.exec(await summary.textContent())[1]);
  assert.equal(groups.length, n, `'Cited in ${n}' opens to ${groups.length} pages`);
  assertNone(groups.filter((g) => !g.page || !g.visible).map((g) => JSON.stringify(g)), 'page entries without a visible page link');
  const seen = new Set(groups.map((g) => g.page));
  assert.equal(seen.size, groups.length, 'a page is listed twice: the list is not grouped by page');
  await page.keyboard.press('Enter');
  assert.equal(await trail.evaluate((d) => d.open), false, 'Enter again does not close the trail');
  await page.close();
}

// Markers are numbered in reading order on every article: 1, 2, 3 … down
// the page, and the notes' list follows the same order.
async function readingOrderTest(ctx) {
  const problems = [];
  let total = 0;
  for (const rel of pagesByKind().get('article') || []) {
    const page = await openPage(ctx);
    await page.goto(fileUrl(rel));
    const r = await page.evaluate(() => ({
      refs: [...document.querySelectorAll('.article-body a.annotation-ref')].map((a) => Number(a.textContent.trim())),
      tops: [...document.querySelectorAll('.article-body a.annotation-ref')].map((a) => a.getBoundingClientRect().top + scrollY),
      list: [...document.querySelectorAll('.annotation-list > li')].map((li) => Number(li.value)),
    }));
    total += r.refs.length;
    const want = r.refs.map((_, i) => i + 1);
    if (JSON.stringify(r.refs) !== JSON.stringify(want)) problems.push(`${rel}: markers read ${r.refs.join(',')}`);
    for (let i = 1; i < r.tops.length; i++)
      if (r.tops[i] < r.tops[i - 1] - 30) problems.push(`${rel}: marker ${r.refs[i]} stands above marker ${r.refs[i - 1]}`);
    if (JSON.stringify(r.list) !== JSON.stringify(want)) problems.push(`${rel}: the notes list reads ${r.list.join(',')}`);
    await page.close();
  }
  assert.ok(total > 0, 'no annotation markers on any article');
  note(`${total} markers checked`);
  assertNone(problems, 'articles out of reading order');
}

// WCAG 2.2 target size: markers, ¶ links and trail summaries are at least
// 24×24 px on every article at phone width.
async function targetSizeTest(ctx) {
  const problems = [];
  let n = 0;
  for (const rel of pagesByKind().get('article') || []) {
    const page = await openPage(ctx, PHONE);
    await page.goto(fileUrl(rel));
    const small = await page.evaluate(() => [...document.querySelectorAll('a.annotation-ref, a.para-link, details.cited-by > summary')]
      .map((el) => { const r = el.getBoundingClientRect(); return { c: el.className || el.tagName, w: r.width, h: r.height }; }));
    n += small.length;
    for (const s of small) if (s.w < 23.5 || s.h < 23.5) problems.push(`${rel}: ${s.c} is ${s.w.toFixed(1)}×${s.h.toFixed(1)} px`);
    await page.close();
  }
  note(`${n} targets measured`);
  assertNone(problems, 'targets smaller than 24×24 px');
}

// At 375 px a tapped marker opens its note directly under the marker's
// line, on screen.
async function tappedNoteTest(ctx) {
  const rel = venturebeat();
  const page = await openPage(ctx, PHONE);
  await page.goto(fileUrl(rel));
  const refs = page.locator('.article-body a.annotation-ref');
  const count = await refs.count();
  assert.ok(count > 0, 'no markers');
  const problems = [];
  for (let i = 0; i < count; i++) {
    const ref = refs.nth(i);
    await ref.scrollIntoViewIfNeeded();
    await ref.click();
    const g = await ref.evaluate((a) => {
      const n = document.getElementById(a.getAttribute('href').slice(1));
      const ra = a.getBoundingClientRect(), rn = n.getBoundingClientRect();
      return { gap: rn.top - ra.bottom, shown: rn.height > 0 && rn.top < innerHeight, expanded: a.getAttribute('aria-expanded') };
    });
    if (!g.shown || g.gap < -1 || g.gap > 8) problems.push(`marker ${i + 1}: note ${g.shown ? `${g.gap.toFixed(1)} px under the marker's line` : 'not on screen'}`);
    if (g.expanded !== 'true') problems.push(`marker ${i + 1}: aria-expanded is ${g.expanded}`);
    await ref.click();
  }
  note(`${count} markers tapped on ${rel}`);
  assertNone(problems, 'notes not directly under their line');
  await page.close();
}

// Printed, an article has its notes once (the endnotes), no trails, no
// navigation.
async function printArticleTest(ctx) {
  const rel = venturebeat();
  const page = await openPage(ctx);
  await page.goto(fileUrl(rel));
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(() => {
    const shown = (sel) => [...document.querySelectorAll(sel)].filter((el) => el.getClientRects().length > 0).length;
    const text = document.body.innerText;
    const notes = [...document.querySelectorAll('aside.annotation-note')].map((a) =>
      a.textContent.replace(/^\s*\d+\s*/, '').replace(/\s+/g, ' ').trim().slice(0, 40));
    return {
      trails: shown('details.cited-by, .cited-by-pages'),
      nav: shown('.site-nav, .breadcrumbs, .pager, .toc, .skip-link'),
      counts: notes.map((n) => text.replace(/\s+/g, ' ').split(n).length - 1),
    };
  });
  assert.equal(r.trails, 0, `${r.trails} cited-by trails print`);
  assert.equal(r.nav, 0, `${r.nav} navigation elements print`);
  assert.ok(r.counts.length > 0, 'no notes on the article');
  assertNone(r.counts.map((c, i) => (c === 1 ? null : `note ${i + 1} prints ${c} times`)).filter(Boolean), 'notes not printed once');
  const pdf = await page.pdf({ format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  note(`${rel} prints on ${pages} A4 pages`);
  await page.close();
}

// Entity snippets: cut from the whole paragraph at sentence or clause
// boundaries, the mention in <mark>, never opening with punctuation.
function snippetTest() {
  const problems = [];
  let n = 0, cut = 0;
  const decode = (h) => h.replace(/<[^>]*>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const rel of pagesByKind().get('entity') || []) {
    const html = fs.readFileSync(path.join(PUBLIC, rel), 'utf8');
    for (const m of html.matchAll(/<span class="snippet">([\s\S]*?)<\/span> <a class="snippet-link"/g)) {
      n++;
      const marks = (m[1].match(/<mark>/g) || []).length;
      const text = decode(m[1]);
      const body = text.replace(/^… /, '');
      if (text.startsWith('… ')) cut++;
      if (marks !== 1) problems.push(`${rel}: ${marks} marks in '${text}'`);
      if (/^[\s,.;:!?)\]}\-–—’”…]/.test(body)) problems.push(`${rel}: starts with punctuation: '${text.slice(0, 60)}'`);
      // A whole sentence starts with a word, a number or an opening quote ("o1 is …").
      if (!text.startsWith('… ') && !/^[\p{L}\p{N}"“‘'(\[*]/u.test(body)) problems.push(`${rel}: not a sentence start: '${text.slice(0, 60)}'`);
      if (body.length > 320) problems.push(`${rel}: ${body.length} characters: '${text.slice(0, 60)}…'`);
    }
  }
  assert.ok(n > 0, 'no snippets on any entity page');
  note(`${n} snippets, ${cut} cut inside their sentence`);
  assertNone(problems, 'bad snippets');
}

// The cited paragraph's text as the article page shows it (without its
// ¶ link, markers and trail).
async function paragraphText(ctx, articleRel, id) {
  const page = await openPage(ctx);
  await page.goto(fileUrl(articleRel));
  const t = await page.evaluate((pid) => {
    const el = document.getElementById(pid).cloneNode(true);
    el.querySelectorAll('.para-link, .annotation-ref, details, aside').forEach((x) => x.remove());
    return el.textContent.replace(/\s+/g, ' ').trim();
  }, id);
  await page.close();
  return t;
}

// Hover, then keyboard focus, on a citation in a topic: a card with the
// cited paragraph's text; Escape closes it.
async function citePreviewTest(ctx) {
  const topic = (pagesByKind().get('topic') || [])[0];
  assert.ok(topic, 'no topic page');
  const page = await openPage(ctx);
  await page.goto(fileUrl(topic));
  const cite = page.locator('main .prose a[href*="articles/"][href*="#p"]').first();
  assert.ok(await cite.count(), 'the topic cites no paragraph');
  const href = await cite.getAttribute('href');
  const [, file, id] = /([^/]+\.html)#(p\d+)$/.exec(href);
  const want = (await paragraphText(ctx, `articles/${file}`, id)).slice(0, 60);
  const card = page.locator('[role=tooltip]:visible');
  const cardText = async () => ((await card.count()) ? (await card.first().textContent()).replace(/\s+/g, ' ') : '');
  await cite.scrollIntoViewIfNeeded();
  await cite.hover();
  await card.first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  assert.ok((await cardText()).includes(want), `hovering ${href} shows '${await cardText()}', not the paragraph ('${want}…')`);
  const label = (await cite.textContent()).trim();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  assert.equal(await card.count(), 0, 'the preview stays after the mouse leaves');
  await cite.focus();
  await card.first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  assert.ok((await cardText()).includes(want), `focusing ${href} does not show the paragraph`);
  const described = await cite.getAttribute('aria-describedby');
  assert.ok(described && (await page.locator(`[id="${described}"]`).count()), 'the focused citation is not described by its preview');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(100);
  assert.equal(await card.count(), 0, 'Escape does not close the preview');
  note(`${topic}: '${label}' → ${want.slice(0, 40)}…`);
  assertNone(page.problems(), 'script errors or failed loads');
  await page.close();
}

// Short labels: an article page and the articles index say how the
// article is cited ("VentureBeat ¶N").
function shortLabelTest() {
  const problems = [];
  const index = fs.readFileSync(path.join(PUBLIC, 'articles/index.html'), 'utf8');
  for (const rel of pagesByKind().get('article') || []) {
    const html = fs.readFileSync(path.join(PUBLIC, rel), 'utf8');
    const m = /data-short="([^"]+)"/.exec(html);
    if (!m) { problems.push(`${rel}: no short label`); continue; }
    if (!html.includes(`${m[1]} ¶N`)) problems.push(`${rel}: the label '${m[1]} ¶N' is not shown`);
    if (!index.includes(`${m[1]} ¶N`)) problems.push(`articles/index.html: no '${m[1]} ¶N'`);
  }
  assertNone(problems, 'missing short labels');
}

// A citation from an annotation note on another article: its cited-by
// link goes to that note.
function citedFromNoteTest() {
  let n = 0;
  const problems = [];
  for (const rel of pagesByKind().get('article') || []) {
    const html = fs.readFileSync(path.join(PUBLIC, rel), 'utf8');
    for (const m of html.matchAll(/<a href="([^"#]+)#(a\d+-note)">Note (\d+)<\/a>/g)) {
      n++;
      const target = path.join(PUBLIC, path.dirname(rel), m[1]);
      const other = fs.readFileSync(target, 'utf8');
      const note = new RegExp(`<aside class="annotation-note" id="${m[2]}"[\\s\\S]*?</aside>`).exec(other);
      if (!note) { problems.push(`${rel}: ${m[1]}#${m[2]} has no such note`); continue; }
      const back = path.basename(rel);
      if (!note[0].includes(back)) problems.push(`${rel}: ${m[1]}#${m[2]} does not cite ${back}`);
    }
  }
  assert.ok(n > 0, 'no cited-by link to a note on any article');
  note(`${n} cited-by links to notes`);
  assertNone(problems, 'cited-by links to notes that do not cite the article');
}

export async function run() {
  await test('labels: article pages and the articles index show the short citation label', () => shortLabelTest());
  await test('cited-by: a citation from an annotation note links back to that note', () => citedFromNoteTest());
  await test('snippets: entity snippets are whole sentences or clauses with the mention marked, never opening with punctuation', () => snippetTest());
  let b = null;
  try {
    b = await launch();
  } catch (err) {
    await test('calm: Chromium starts', () => { throw err; });
    return;
  }
  try {
    const { ctx } = b;
    await test('calm: VentureBeat article at 375 px: each trail one line, no chips, page height within budget', () => calmTrailsTest(ctx));
    await test('calm: a trail opens with the keyboard to the citing pages, grouped by page', () => openTrailTest(ctx));
    await test('calm: annotation markers and notes are numbered in reading order', () => readingOrderTest(ctx));
    await test('calm: markers, ¶ links and trails are at least 24×24 px (375 px)', () => targetSizeTest(ctx));
    await test('calm: a tapped marker opens its note directly under its line (375 px)', () => tappedNoteTest(ctx));
    await test('preview: hovering or focusing a citation shows the cited paragraph; Escape closes it', () => citePreviewTest(ctx));
    await test('calm: a printed article has each note once, no trails, no navigation', () => printArticleTest(ctx));
  } finally {
    await b.close();
  }
}
