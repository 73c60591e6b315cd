// The site on a static host (issue 15): a loopback server that serves the
// output under a sub-path and answers every missing address with 404.html
// and status 404, as GitHub Pages, Netlify and S3 do. At a nested missing
// URL the 404 page must be styled and every link on it must lead to a page,
// with base_url (absolute URLs, no script needed) and without it (the
// inline script finds the site root; without script the page still reads).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PUBLIC, ROOT, assertNone, launch, note, openPage, test } from './lib.mjs';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.xml': 'application/xml' };
const PREFIX = '/host/sub/';

// Serves `dir` at PREFIX on 127.0.0.1 (`port` 0: any free one); resolves
// to { port, close, hits }.
export function serveStatic(dir, port = 0) {
  const hits = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    hits.push(url.pathname);
    let rel = url.pathname.startsWith(PREFIX) ? decodeURIComponent(url.pathname.slice(PREFIX.length)) : null;
    if (rel !== null && (rel === '' || rel.endsWith('/'))) rel += 'index.html';
    const file = rel !== null && !rel.split('/').includes('..') ? path.join(dir, rel) : null;
    if (file && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(fs.readFileSync(file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(fs.readFileSync(path.join(dir, '404.html')));
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({
      port: server.address().port,
      hits,
      close: () => new Promise((r) => server.close(r)),
    }));
  });
}

// What a reader of the 404 page gets: the stylesheet applied, and the
// status of every link's target.
async function inspect404(page, port) {
  const facts = await page.evaluate(() => ({
    title: document.querySelector('h1')?.textContent.trim(),
    styled: [...document.styleSheets].some((s) => s.href && /style\.css$/.test(s.href) && s.cssRules.length > 20),
    // In-page links (the skip link) are not addresses.
    links: [...document.querySelectorAll('a[href]:not([href^="#"])')].map((a) => ({ raw: a.getAttribute('href'), abs: a.href })),
  }));
  const bad = [];
  for (const l of facts.links) {
    const u = new URL(l.abs);
    if (u.origin !== `http://127.0.0.1:${port}`) continue; // not ours (none expected)
    const r = await fetch(u.href.replace(/#.*$/, ''));
    if (r.status !== 200) bad.push(`${l.raw} → ${u.pathname}: ${r.status}`);
  }
  return { ...facts, bad };
}

async function nested404(ctx, dir, { js, absolute, port = 0 }) {
  const srv = await serveStatic(dir, port);
  try {
    const browser = ctx.browser();
    const c = await browser.newContext({ javaScriptEnabled: js });
    try {
      const page = await c.newPage();
      const url = `http://127.0.0.1:${srv.port}${PREFIX}no/such/deep/page.html`;
      const resp = await page.goto(url);
      assert.equal(resp.status(), 404, 'the server does not answer 404');
      await page.waitForLoadState('load');
      if (js) await page.waitForFunction(() => document.querySelector('a[href]') && [...document.styleSheets].some((s) => s.href && /style\.css$/.test(s.href)), null, { timeout: 5000 }).catch(() => {});
      const f = await inspect404(page, srv.port);
      assert.equal(f.title, 'Page not found', 'not the 404 page');
      assert.ok(f.links.length >= 5, `only ${f.links.length} links on the 404 page`);
      if (absolute) {
        const base = `http://127.0.0.1:${srv.port}${PREFIX}`;
        const rel = f.links.filter((l) => !l.raw.startsWith(base));
        assertNone(rel.map((l) => l.raw), `links on the 404 page not absolute under ${base}`);
      }
      if (js || absolute) {
        assert.ok(f.styled, 'the theme stylesheet is not applied');
        assertNone(f.bad, 'links on the 404 page that do not lead to a page');
      } else {
        // Readable without script: the inline fallback style lays it out.
        const w = await page.evaluate(() => getComputedStyle(document.querySelector('main')).maxWidth);
        assert.notEqual(w, 'none', 'without script and stylesheet the page has no readable measure');
      }
      note(`${url} (${js ? 'script' : 'no script'}${absolute ? ', base_url' : ''}): ${f.links.length} links, ${f.bad.length} broken, styled: ${f.styled}`);
      await page.close();
    } finally {
      await c.close();
    }
  } finally {
    await srv.close();
  }
}

function buildWithBase(port) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-base-url-'));
  const r = spawnSync(path.join(ROOT, 'build/dossier'), ['build', '-C', ROOT, '-q', '-o', out, '--base-url', `http://127.0.0.1:${port}${PREFIX}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dossier build --base-url failed: ${r.stderr}`);
  return out;
}

export async function run() {
  let b = null;
  try {
    b = await launch();
  } catch (err) {
    await test('host: Chromium starts', () => { throw err; });
    return;
  }
  try {
    const { ctx } = b;
    await test('host: 404 at a nested URL without base_url: the script finds the root, styles and links work', () =>
      nested404(ctx, PUBLIC, { js: true, absolute: false }));
    await test('host: 404 at a nested URL without base_url and without script still reads', () =>
      nested404(ctx, PUBLIC, { js: false, absolute: false }));
    await test('host: 404 at a nested URL with base_url: absolute URLs, styled, links work without script', async () => {
      // The port must be known before the build: take a free one, build for it, serve there.
      const probe = await serveStatic(PUBLIC);
      const port = probe.port;
      await probe.close();
      const out = buildWithBase(port);
      try {
        await nested404(ctx, out, { js: false, absolute: true, port });
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  } finally {
    await b.close();
  }
}
