// Figures for tests/bench/search.sh: per query, files and bytes loaded (in
// all, and in KB by kind: the manifest, postings t-, positions p-, page
// records d-) and the milliseconds from the query being typed (input event)
// to its results on screen, as dossier.js reports them
// (window.DOSSIER_SEARCH_LAST.ms).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from '../browser/lib.mjs';

const pub = path.resolve(process.argv[2]);
const queries = ['investors', 'Tovipur', 'market shares investors', 'company compute metadata', '"open source" model', 'Page 9999', 'analysts rival'];
const b = await launch();
const page = await b.ctx.newPage();
const loaded = new Map();
page.on('requestfinished', (r) => {
  const f = decodeURIComponent(new URL(r.url()).pathname);
  if (fs.existsSync(f)) loaded.set(f, fs.statSync(f).size);
});
console.log('query                          files    MB  index     t     p     d   cold ms  typed ms');
for (const q of queries) {
  loaded.clear();
  await page.goto(`${pathToFileURL(path.join(pub, 'search.html')).href}?q=${encodeURIComponent(q)}`);
  const done = (qq) => page.waitForFunction((x) => window.DOSSIER_SEARCH_LAST && window.DOSSIER_SEARCH_LAST.query === x, qq, { timeout: 30000 });
  await done(q);
  const cold = await page.evaluate(() => window.DOSSIER_SEARCH_LAST.ms);
  const bytes = [...loaded.values()].reduce((a, n) => a + n, 0);
  const files = loaded.size;
  const kb = (re) => String(Math.round([...loaded].filter(([f]) => re.test(path.basename(f))).reduce((a, [, n]) => a + n, 0) / 1000)).padStart(5);
  const kinds = `${kb(/^index\.js$/)} ${kb(/^t-/)} ${kb(/^p-/)} ${kb(/^d-/)}`;
  // Typed on the loaded page: dossier.js measures from its input handler.
  const typed = `${q} week`;
  await page.fill('#ds-q', typed);
  await done(typed);
  const warm = await page.evaluate(() => window.DOSSIER_SEARCH_LAST.ms);
  console.log(`${q.padEnd(30)} ${String(files).padStart(5)} ${(bytes / 1e6).toFixed(2).padStart(5)}  ${kinds} ${String(cold).padStart(9)} ${String(warm).padStart(9)}`);
}
await b.close();
