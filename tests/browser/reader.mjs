// The reader's experience in Chromium (issue 8), all from file://: the walk
// home → topic → cited paragraph → annotation → entity → back, offline
// search, keyboard-only notes and previews, screenshots, mobile width, and
// axe-core on one page of every kind.
//
// Selectors follow the design note's generated HTML (a.annotation-ref,
// aside.annotation-note, a.entity, #pN) and the theme's templates
// (body.kind-K, #ds-q, #ds-search-results); where the theme's script
// decides the markup (note pop-ups, entity preview cards) the tests accept
// any visible element that is a tooltip, dialog, popover or "preview".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  HERE, PUBLIC, assertNone, ensureArtifacts, expectKind, fileUrl, inViewport, launch, openPage,
  note, pageOfKind, pagesByKind, relOf, requirePage, test,
} from './lib.mjs';

const AXE = path.join(HERE, 'node_modules/axe-core/axe.min.js');
const SEARCH_TERM = process.env.SEARCH_TERM || 'Zschaepitz';
const KINDS = ['home', 'article', 'topic', 'entity', 'entities', 'section', 'page', 'claims', 'changes', 'search', 'revision', '404', 'print'];
const POPUPS = [
  '[role=tooltip]', '[role=dialog]', 'dialog[open]', '[popover]', '[class*=preview]', '[class*=popover]',
  '[class*=popup]', '[class*=tooltip]',
].join(',');

// Runs `fn`, prefixing a failure with the step it happened in.
async function step(desc, fn) {
  try {
    return await fn();
  } catch (err) {
    err.message = `${desc}: ${err.message}`;
    throw err;
  }
}

async function clickAndWait(page, locator, urlTest) {
  await locator.scrollIntoViewIfNeeded();
  await Promise.all([page.waitForURL(urlTest, { timeout: 10000 }), locator.click()]);
  await page.waitForLoadState('load');
}

// Texts of the visible pop-up-like elements (note pop-ups, preview cards).
async function visiblePopups(page) {
  return page.evaluate((sel) => {
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      if (r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0.05)
        out.push(el.textContent.replace(/\s+/g, ' ').trim());
    }
    return out;
  }, POPUPS);
}

function newPopups(before, after) {
  const seen = new Set(before);
  return after.filter((t) => t && !seen.has(t));
}

// The note an annotation ref points at (its href "#aN-note") is on screen:
// the aside itself, or a pop-up holding the note's text.
async function noteOnScreen(page, href) {
  const id = href.replace(/^.*#/, '');
  const aside = page.locator(`[id="${id}"]`);
  if ((await aside.count()) && (await inViewport(aside))) return true;
  const text = ((await aside.count()) ? await aside.textContent() : '').replace(/\s+/g, ' ').trim();
  const words = text.replace(/^\d+\s*/, '').slice(0, 30);
  return (await visiblePopups(page)).some((t) => words && t.includes(words));
}

async function poll(fn, tries = 20, ms = 100) {
  for (let i = 0; i < tries; i++) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, ms));
  }
  return false;
}

async function tabTo(page, selector, max = 800) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return;
  }
  throw new Error(`no element matching ${selector} reached with ${max} Tab presses`);
}

async function focusRing(page) {
  return page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  });
}

// ---- the walk ---------------------------------------------------------------

async function walkTest(ctx) {
  const page = await openPage(ctx);
  const trail = [];
  const here = () => trail.push(relOf(page.url()) + new URL(page.url()).hash);
  const home = requirePage('home');
  await step('home', async () => {
    await page.goto(fileUrl(home));
    await expectKind(page, 'home');
    const h1 = (await page.locator('h1').first().textContent()).trim();
    assert.ok(h1.length > 0, 'home has an empty h1');
    const nav = (await page.locator('header nav a, nav.site-nav a').allTextContents()).map((t) => t.trim().toLowerCase());
    for (const item of ['topics', 'articles', 'entities', 'claims', 'changes', 'search'])
      assert.ok(nav.some((t) => t.includes(item)), `site menu lacks '${item}' (has: ${nav.join(', ')})`);
  });

  const topicLink = await step('home → a topic', async () => {
    let link = page.locator('main a[href*="topics/"]:not([href$="index.html"]):not([href$="topics/"])').first();
    if (!(await link.count())) {
      await clickAndWait(page, page.locator('nav a[href*="topics/"]').first(), (u) => /topics\//.test(u.href));
      link = page.locator('main a[href*="topics/"]:not([href$="index.html"])').first();
    }
    assert.ok(await link.count(), 'no link to a topic page');
    const text = (await link.textContent()).trim();
    await clickAndWait(page, link, (u) => /topics\/[^/]+\.html$/.test(u.pathname) && !/index\.html$/.test(u.pathname));
    here();
    await expectKind(page, 'topic');
    const h1 = (await page.locator('h1').first().textContent()).trim();
    assert.ok(h1.length > 0, 'topic has an empty h1');
    assert.ok(text.includes(h1) || h1.includes(text), `link '${text}' led to a topic titled '${h1}'`);
    return text;
  });

  const cited = await step(`topic '${topicLink}' → a cited article paragraph`, async () => {
    let cite = page.locator('main .prose a[href*="articles/"][href*="#p"]').first();
    if (!(await cite.count())) cite = page.locator('main a[href*="articles/"][href*="#p"]').first();
    assert.ok(await cite.count(), 'the topic cites no article paragraph (a[href*="articles/"][href*="#p"])');
    const href = await cite.getAttribute('href');
    const text = (await cite.textContent()).trim();
    const para = /#(p\d+)$/.exec(href);
    assert.ok(para, `citation href '${href}' does not end in #pN`);
    const n = para[1].slice(1);
    if (text.includes('¶')) assert.ok(text.endsWith(`¶${n}`), `citation text '${text}' does not match ${para[1]}`);
    const articleRel = href.replace(/#.*$/, '').replace(/^.*\//, '');
    await clickAndWait(page, cite, (u) => u.pathname.endsWith(`/${articleRel}`) && u.hash === `#${para[1]}`);
    here();
    await expectKind(page, 'article');
    const target = page.locator(`[id="${para[1]}"]`);
    assert.equal(await target.count(), 1, `article has no element #${para[1]}`);
    assert.ok(await target.isVisible(), `#${para[1]} is not visible`);
    assert.ok(await inViewport(target), `#${para[1]} is not scrolled into view`);
    assert.equal(await page.evaluate(() => document.querySelector(':target')?.id), para[1], ':target is not the paragraph');
    return { para: para[1], url: page.url() };
  });

  await step('article → open an annotation note', async () => {
    let ref = page.locator(`[id="${cited.para}"] a.annotation-ref`).first();
    if (!(await ref.count())) ref = page.locator('a.annotation-ref').first();
    assert.ok(await ref.count(), 'the article has no annotation (a.annotation-ref)');
    const num = (await ref.textContent()).trim();
    const href = await ref.getAttribute('href');
    await ref.scrollIntoViewIfNeeded();
    await ref.click();
    assert.ok(await poll(() => noteOnScreen(page, href)), `annotation ${num}: its note is not shown after a click`);
    trail.push(`note ${num}`);
  });

  const entity = await step('article → an entity page', async () => {
    const link = page.locator('main a.entity').first();
    assert.ok(await link.count(), 'the article links no entity (a.entity)');
    const slug = decodeURIComponent(path.basename(await link.getAttribute('href'), '.html'));
    const text = (await link.textContent()).trim();
    const from = relOf(page.url());
    await clickAndWait(page, link, (u) => u.pathname.endsWith(`/entities/${slug}.html`));
    here();
    await expectKind(page, 'entity');
    const shown = (await page.locator('main').textContent()).toLowerCase();
    assert.ok(shown.includes(text.toLowerCase()), `entity page does not show the mention's text '${text}'`);
    const back = page.locator(`main a[href*="${path.basename(from)}"]`);
    assert.ok(await back.count(), `entity page lists no mention in ${from}`);
    return { slug, from };
  });

  await step(`entity '${entity.slug}' → history.back()`, async () => {
    await Promise.all([page.waitForURL((u) => u.pathname.endsWith(`/${entity.from}`)), page.evaluate(() => {
      // Deferred, so that evaluate returns before the page goes away.
      setTimeout(() => history.back(), 0);
    })]);
    await expectKind(page, 'article');
    trail.push(`back: ${relOf(page.url())}`);
  });
  note(`${home} → ${trail.join(' → ')}`);
  assertNone(page.problems(), 'script errors or failed loads during the walk');
  await page.close();
}

// ---- search -------------------------------------------------------------------

async function searchResults(page) {
  const results = page.locator('#ds-search-results a, .search-results a');
  await results.first().waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
  return results;
}

async function searchTest(ctx) {
  const page = await openPage(ctx);
  const search = requirePage('search');
  await step('type the query and submit', async () => {
    await page.goto(fileUrl(search));
    await expectKind(page, 'search');
    const box = page.locator('#ds-q, input[type=search]').first();
    await box.fill(SEARCH_TERM);
    await box.press('Enter');
    await page.waitForLoadState('load');
  });
  const first = await step(`results for '${SEARCH_TERM}'`, async () => {
    const results = await searchResults(page);
    assert.ok((await results.count()) > 0, `no result for '${SEARCH_TERM}'`);
    const list = (await page.locator('#ds-search-results, .search-results').first().textContent()).toLowerCase();
    assert.ok(list.includes(SEARCH_TERM.toLowerCase()), 'the results do not show the term');
    return results.first();
  });
  await step('follow the first result', async () => {
    const href = await first.getAttribute('href');
    await first.click();
    await page.waitForURL((u) => !/[?&]q=/.test(u.search), { timeout: 10000 });
    await page.waitForLoadState('load');
    const text = (await page.locator('main').textContent()).toLowerCase();
    assert.ok(text.includes(SEARCH_TERM.toLowerCase()), `result ${href} leads to a page without '${SEARCH_TERM}'`);
    const hash = new URL(page.url()).hash.slice(1);
    if (hash) {
      const target = page.locator(`[id="${decodeURIComponent(hash)}"]`);
      assert.equal(await target.count(), 1, `result ${href}: no element #${hash}`);
      assert.ok(await inViewport(target), `result ${href}: #${hash} is not in view`);
    }
  });
  await step('a linked search (?q=) shows results without typing', async () => {
    await page.goto(fileUrl(search, `?q=${encodeURIComponent(SEARCH_TERM)}`));
    const results = await searchResults(page);
    assert.ok((await results.count()) > 0, 'no results from ?q=');
    assert.equal(await page.locator('#ds-q, input[type=search]').first().inputValue(), SEARCH_TERM, 'the box does not show the query');
  });
  assertNone(page.problems(), 'script errors or failed loads on the search page');
  await page.close();
}

async function noScriptSearchTest(ctx) {
  const browser = ctx.browser();
  assert.ok(browser, 'no browser handle for a second context');
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await noJs.newPage();
    await page.goto(fileUrl(requirePage('search')));
    const links = page.locator('main a[href$=".html"]');
    assert.ok((await links.count()) >= 5, 'without JavaScript the search page lists fewer than 5 pages');
    assert.ok(await links.first().isVisible(), 'without JavaScript the page list is hidden');
  } finally {
    await noJs.close();
  }
}

// ---- keyboard -------------------------------------------------------------------

async function asideVisible(page, href) {
  const aside = page.locator(`[id="${href.replace(/^.*#/, '')}"]`);
  return (await aside.count()) > 0 && (await aside.isVisible());
}

// At `width`: Tab to an annotation ref, Enter shows its note, Escape hides
// it again when it was hidden before (collapsed notes on narrow screens,
// pop-ups); then Tab on to an entity link, whose focus shows a preview that
// Escape closes.
async function keyboardTest(ctx, width) {
  const page = await openPage(ctx, { width, height: width > 500 ? 800 : 740 });
  const both = (html) => html.includes('class="annotation-ref"') && /class="entity"/.test(html);
  const article = requirePage('article', both);
  await page.goto(fileUrl(article));
  await page.evaluate(() => window.scrollTo(0, 0));

  await step('Tab to an annotation ref, Enter shows the note, Escape closes it', async () => {
    await tabTo(page, 'a.annotation-ref');
    const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
    assert.ok(await focusRing(page), 'the focused annotation ref has no visible focus indicator');
    const hiddenBefore = !(await asideVisible(page, href));
    const before = await visiblePopups(page);
    await page.keyboard.press('Enter');
    assert.ok(await poll(() => noteOnScreen(page, href)), `Enter does not show the note ${href}`);
    const opened = newPopups(before, await visiblePopups(page));
    await page.keyboard.press('Escape');
    if (opened.length) {
      const closed = await poll(async () => newPopups(before, await visiblePopups(page)).length === 0);
      assert.ok(closed, 'Escape does not close the note pop-up');
    }
    if (hiddenBefore) {
      const closed = await poll(async () => !(await asideVisible(page, href)));
      assert.ok(closed, `the note ${href} was hidden before Enter, and Escape does not hide it again`);
    }
  });

  await step('Tab to an entity link, focus shows its preview, Escape closes it', async () => {
    const before = await visiblePopups(page);
    await tabTo(page, 'a.entity');
    assert.ok(await focusRing(page), 'the focused entity link has no visible focus indicator');
    const shown = await poll(async () => newPopups(before, await visiblePopups(page)).length > 0);
    assert.ok(shown, 'focusing an entity link shows no preview (tooltip / popover / [class*=preview])');
    await page.keyboard.press('Escape');
    const closed = await poll(async () => newPopups(before, await visiblePopups(page)).length === 0);
    assert.ok(closed, 'Escape does not close the entity preview');
  });
  assertNone(page.problems(), 'script errors or failed loads');
  await page.close();
}

async function hoverPreviewTest(ctx) {
  const page = await openPage(ctx);
  await page.goto(fileUrl(requirePage('article', /class="entity"/)));
  const link = page.locator('main a.entity').first();
  await link.scrollIntoViewIfNeeded();
  const before = await visiblePopups(page);
  await link.hover();
  const shown = await poll(async () => newPopups(before, await visiblePopups(page)).length > 0);
  assert.ok(shown, 'hovering an entity link shows no preview');
  await page.close();
}

// ---- looks: screenshots, dark mode, phone width ----------------------------------------

const SHOT_KINDS = ['home', 'topic', 'article', 'entity', 'search', 'changes', 'print', 'section'];

async function screenshotTest(ctx) {
  const dir = ensureArtifacts();
  const missing = [];
  for (const kind of SHOT_KINDS) {
    const rel = pageOfKind(kind);
    if (!rel) {
      missing.push(kind);
      continue;
    }
    for (const width of [1280, 375]) {
      for (const colorScheme of ['light', 'dark']) {
        const page = await openPage(ctx, { width, height: width > 500 ? 800 : 740, colorScheme });
        await page.goto(fileUrl(rel, kind === 'search' ? `?q=${SEARCH_TERM}` : ''));
        if (kind === 'search') await page.waitForFunction(() => window.DOSSIER_SEARCH_LAST, null, { timeout: 10000 }).catch(() => {});
        const file = path.join(dir, `${kind}-${width}-${colorScheme}.png`);
        // print.html is the whole dossier: its first screen is enough.
        await page.screenshot({ path: file, fullPage: kind !== 'print' });
        assert.ok(fs.statSync(file).size > 1000, `${file} is (nearly) empty`);
        await page.close();
      }
    }
  }
  assertNone(missing, 'kinds without a page to photograph');
}

async function darkModeTest(ctx) {
  const rel = requirePage('home');
  const bg = {};
  for (const colorScheme of ['light', 'dark']) {
    const page = await openPage(ctx, { colorScheme });
    await page.goto(fileUrl(rel));
    bg[colorScheme] = await page.evaluate(() => {
      const b = getComputedStyle(document.body).backgroundColor;
      return b === 'rgba(0, 0, 0, 0)' ? getComputedStyle(document.documentElement).backgroundColor : b;
    });
    await page.close();
  }
  assert.notEqual(bg.dark, bg.light, `dark mode keeps the light background ${bg.light}`);
}

async function phoneWidthTest(ctx) {
  const problems = [];
  for (const kind of KINDS) {
    const rel = pageOfKind(kind);
    if (!rel) continue;
    const page = await openPage(ctx, { width: 375, height: 740 });
    await page.goto(fileUrl(rel));
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 376) problems.push(`${rel} (${kind}): ${w} px wide at 375 px`);
    await page.close();
  }
  assertNone(problems, 'pages scroll sideways on a phone');
}

// ---- axe-core ---------------------------------------------------------------------

async function axeRun(ctx, rel, opts) {
  const page = await openPage(ctx, opts);
  await page.goto(fileUrl(rel));
  await page.addScriptTag({ path: AXE });
  // target-size (WCAG 2.2 AA) is checked too, whatever axe's default.
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } }));
  await page.close();
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
      return `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×: ${where})`;
    });
}

async function axeTests(ctx) {
  for (const kind of KINDS) {
    await test(`axe: ${kind} page has no serious or critical violations (light, dark, 375 px)`, async () => {
      const rel = requirePage(kind);
      const problems = [];
      for (const opts of [{ colorScheme: 'light' }, { colorScheme: 'dark' }, { width: 375, height: 740 }]) {
        const label = opts.width ? '375px' : opts.colorScheme;
        for (const v of await axeRun(ctx, rel, opts)) problems.push(`${rel} [${label}] ${v}`);
      }
      assertNone(problems, 'violations');
    });
  }
}

async function consoleCleanTest(ctx) {
  const problems = [];
  for (const [kind, list] of pagesByKind()) {
    const page = await openPage(ctx);
    await page.goto(fileUrl(list[0]));
    await page.waitForTimeout(200);
    for (const p of page.problems()) problems.push(`${list[0]} (${kind}): ${p}`);
    await page.close();
  }
  assertNone(problems, 'script errors or failed loads');
}

export async function run() {
  if (!fs.existsSync(AXE)) throw new Error(`${AXE} is missing: run npm install in tests/browser`);
  let b = null, launchError = null;
  try {
    b = await launch();
  } catch (err) {
    launchError = err;
  }
  await test('browser: Chromium starts (playwright-core, /usr/bin/chromium)', () => {
    if (launchError) throw launchError;
  });
  if (!b) return;
  try {
    const { ctx } = b;
    await test('pages: one page of every kind exists', () => {
      const have = pagesByKind();
      assertNone(KINDS.filter((k) => !have.has(k)), `kinds missing from ${PUBLIC} (found: ${[...have.keys()].join(', ')})`);
    });
    await test('pages: no script errors or failed loads on any kind of page', () => consoleCleanTest(ctx));
    await test('walk: home → topic → cited paragraph → annotation → entity → back (file://)', () => walkTest(ctx));
    await test(`search: '${SEARCH_TERM}' from file://, follow the result`, () => searchTest(ctx));
    await test('search: without JavaScript the page lists the site', () => noScriptSearchTest(ctx));
    for (const width of [1280, 375])
      await test(`keyboard (${width} px): annotation note and entity preview with Tab, Enter, Escape`, () => keyboardTest(ctx, width));
    await test('mouse: hovering an entity link shows its preview', () => hoverPreviewTest(ctx));
    await test('looks: screenshots at 1280 and 375 px, light and dark (tests/browser/artifacts/)', () => screenshotTest(ctx));
    await test('looks: dark mode changes the background', () => darkModeTest(ctx));
    await test('looks: no page scrolls sideways at 375 px', () => phoneWidthTest(ctx));
    await axeTests(ctx);
  } finally {
    await b.close();
  }
}
