// Shared helpers of the browser tests (issue 8): a tiny harness printing
// "ok - name" / "FAIL - name" and a closing "N passed, N failed", the
// generated site's files by page kind, and the Chromium launcher.
//
// Page kinds are read from the generated HTML itself (<body class="kind-K">,
// see themes/dossier/templates/base.mustache), so the tests do not depend
// on the output file names of the section pages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const PUBLIC = path.resolve(process.env.DOSSIER_PUBLIC || path.join(ROOT, 'public'));
export const ARTIFACTS = path.join(HERE, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// ---- harness -----------------------------------------------------------

const counts = { passed: 0, failed: 0, skipped: 0 };
const only = process.env.BROWSER_TEST_FILTER ? new RegExp(process.env.BROWSER_TEST_FILTER, 'i') : null;

export async function test(name, fn) {
  if (only && !only.test(name)) return;
  try {
    await fn();
    counts.passed++;
    console.log(`ok   - ${name}`);
  } catch (err) {
    counts.failed++;
    const msg = (err && (err.stack && process.env.BROWSER_TEST_STACK ? err.stack : err.message)) || String(err);
    console.log(`FAIL - ${name}\n${indent(msg)}`);
  }
}

// A detail line under the current test (what it visited, what it saw).
export function note(text) {
  console.log(`    # ${text}`);
}

export function skip(name, why) {
  if (only && !only.test(name)) return;
  counts.skipped++;
  console.log(`SKIP - ${name}: ${why}`);
}

export function summary() {
  const s = counts.skipped ? `, ${counts.skipped} skipped` : '';
  console.log(`${counts.passed} passed, ${counts.failed} failed${s}`);
  return counts.failed === 0;
}

export function indent(text, prefix = '    ') {
  return String(text).split('\n').map((l) => prefix + l).join('\n');
}

// Fails with a message listing at most `max` of `problems`.
export function assertNone(problems, what, max = 40) {
  if (problems.length === 0) return;
  const shown = problems.slice(0, max).join('\n');
  const more = problems.length > max ? `\n… and ${problems.length - max} more` : '';
  throw new Error(`${problems.length} ${what}:\n${shown}${more}`);
}

// ---- the generated site -----------------------------------------------

export function walk(dir, base = dir) {
  const out = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name))) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...walk(full, base));
    else if (ent.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

export function htmlFiles() {
  return walk(PUBLIC).filter((f) => /\.html?$/i.test(f));
}

export function kindOf(html) {
  const body = /<body\b[^>]*\bclass\s*=\s*["']([^"']*)["']/i.exec(html);
  const k = body && /(?:^|\s)kind-([a-z0-9_-]+)/.exec(body[1]);
  return k ? k[1] : null;
}

let kindCache = null;
// kind -> sorted list of output paths ("topics/cost-claims.html").
export function pagesByKind() {
  if (kindCache) return kindCache;
  kindCache = new Map();
  for (const f of htmlFiles()) {
    const kind = kindOf(fs.readFileSync(path.join(PUBLIC, f), 'utf8'));
    if (!kind) continue;
    if (!kindCache.has(kind)) kindCache.set(kind, []);
    kindCache.get(kind).push(f);
  }
  return kindCache;
}

// The first page of a kind whose HTML matches `re` (a RegExp or a
// predicate on the HTML text), if given.
export function pageOfKind(kind, re) {
  const list = pagesByKind().get(kind) || [];
  if (!re) return list[0] || null;
  const ok = typeof re === 'function' ? re : (html) => re.test(html);
  return list.find((f) => ok(fs.readFileSync(path.join(PUBLIC, f), 'utf8'))) || null;
}

export function requirePage(kind, re) {
  const p = pageOfKind(kind, re);
  if (!p) {
    const kinds = [...pagesByKind().keys()].join(', ') || 'none';
    throw new Error(`no page of kind '${kind}'${re ? ` matching ${re.name || re}` : ''} in ${PUBLIC} (kinds found: ${kinds})`);
  }
  return p;
}

export function fileUrl(rel, suffix = '') {
  return pathToFileURL(path.join(PUBLIC, rel)).href + suffix;
}

// Output path ("articles/x.html") of a file:// URL, without query or hash.
export function relOf(url) {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  return path.relative(PUBLIC, fileURLToPath(u)).split(path.sep).join('/');
}

// ---- the browser ----------------------------------------------------------

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A persistent context on a fresh, temporary user-data-dir (removed by
// close()), so no profile state leaks between runs.
export async function launch() {
  const { chromium } = await import('playwright-core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    timeout: 60000,
  });
  ctx.setDefaultTimeout(10000);
  return {
    ctx,
    async close() {
      await ctx.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A new page that records script errors and failed loads; `page.problems()`
// lists them.
export async function openPage(ctx, { width = 1280, height = 800, colorScheme = 'light' } = {}) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    // A failed load is reported by 'requestfailed' with its URL.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  // ERR_ABORTED is a load cut short by the walk's own navigation, not a missing file.
  page.on('requestfailed', (r) => { const e = r.failure()?.errorText; if (e !== 'net::ERR_ABORTED') problems.push(`failed to load ${r.url()}: ${e}`); });
  page.problems = () => problems.slice();
  return page;
}

export async function bodyKind(page) {
  return page.evaluate(() => {
    const m = /(?:^|\s)kind-([a-z0-9_-]+)/.exec(document.body.className);
    return m ? m[1] : null;
  });
}

export async function expectKind(page, kind) {
  const k = await bodyKind(page);
  if (k !== kind) throw new Error(`expected a ${kind} page at ${page.url()}, got kind '${k}'`);
}

// True when the element's box is displayed and at least partly inside the
// viewport.
export async function inViewport(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return (
      r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' &&
      r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth
    );
  });
}

export function ensureArtifacts() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}
