// Static checks of public/ that need no browser: every relative href/src in
// the HTML (and url() in the CSS) names a file that exists, and its
// #fragment, when it points into an HTML page, names an id on that page.
// Root-relative URLs ("/x") are errors too: they break file:// and sub-path
// hosting, and the design makes every URL relative.
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC, assertNone, htmlFiles, test, walk } from './lib.mjs';

const ATTR_RE = /<([a-z][a-z0-9-]*)\b[^>]*?>/gis;
const URL_ATTR_RE = /\s(href|src|poster|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const ID_RE = /\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;

function decodeEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// Drops <script>…</script> and comments, whose text is not markup.
function markupOnly(html) {
  return html.replace(/<!--[\s\S]*?-->/g, '').replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, (m) => m.replace(/>[\s\S]*<\/script>/i, '></script>'));
}

export function urlsInHtml(html) {
  const out = [];
  for (const tag of markupOnly(html).matchAll(ATTR_RE)) {
    for (const a of tag[0].matchAll(URL_ATTR_RE)) {
      out.push({ tag: tag[1].toLowerCase(), attr: a[1].toLowerCase(), url: decodeEntities(a[2] ?? a[3] ?? a[4]) });
    }
  }
  return out;
}

const idCache = new Map();
function idsOf(file) {
  if (!idCache.has(file)) {
    const ids = new Set();
    const html = markupOnly(fs.readFileSync(file, 'utf8'));
    for (const tag of html.matchAll(ATTR_RE)) for (const m of tag[0].matchAll(ID_RE)) ids.add(decodeEntities(m[1] ?? m[2] ?? m[3]));
    idCache.set(file, ids);
  }
  return idCache.get(file);
}

// null when fine, else what is wrong with `url` found in output file `from`.
export function checkUrl(from, url) {
  const u = url.trim();
  if (u === '' || /^[a-z][a-z0-9+.-]*:/i.test(u)) return null; // absolute (https:, mailto:, data:)
  if (u.startsWith('//')) return null; // protocol-relative: external
  if (u.startsWith('/')) return `root-relative URL '${u}' (breaks file:// and sub-paths)`;
  const hashAt = u.indexOf('#');
  const frag = hashAt >= 0 ? u.slice(hashAt + 1) : null;
  let p = (hashAt >= 0 ? u.slice(0, hashAt) : u).replace(/\?.*$/, '');
  let target;
  try {
    target = p === '' ? path.join(PUBLIC, from) : path.resolve(path.dirname(path.join(PUBLIC, from)), decodeURIComponent(p));
  } catch {
    return `bad percent-encoding in '${u}'`;
  }
  if (target !== PUBLIC && !target.startsWith(PUBLIC + path.sep)) return `'${u}' leaves the site`;
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    if (p !== '' && !p.endsWith('/')) return `'${u}' names a folder`;
    target = path.join(target, 'index.html');
  }
  if (!fs.existsSync(target)) return `'${u}': no file ${path.relative(PUBLIC, target)}`;
  if (frag && /\.html?$/i.test(target)) {
    let id;
    try {
      id = decodeURIComponent(frag);
    } catch {
      id = frag;
    }
    if (!idsOf(target).has(id)) return `'${u}': no id '${id}' in ${path.relative(PUBLIC, target)}`;
  }
  return null;
}

export async function run() {
  await test('links: public/ has HTML pages', () => {
    if (!fs.existsSync(PUBLIC)) throw new Error(`${PUBLIC} does not exist`);
    if (htmlFiles().length === 0) throw new Error(`no HTML file in ${PUBLIC}`);
  });
  if (!fs.existsSync(PUBLIC)) return;
  const files = htmlFiles();
  let n = 0;
  const problems = [];
  for (const f of files) {
    for (const { tag, attr, url } of urlsInHtml(fs.readFileSync(path.join(PUBLIC, f), 'utf8'))) {
      n++;
      const why = checkUrl(f, url);
      if (why) problems.push(`${f}: <${tag} ${attr}>: ${why}`);
    }
  }
  await test(`links: every relative href/src resolves (${n} URLs in ${files.length} HTML files)`, () => assertNone(problems, 'broken links'));

  const css = walk(PUBLIC).filter((f) => f.endsWith('.css'));
  const cssProblems = [];
  for (const f of css) {
    const text = fs.readFileSync(path.join(PUBLIC, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of text.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*))\s*\)/g)) {
      const why = checkUrl(f, (m[1] ?? m[2] ?? m[3]).trim());
      if (why) cssProblems.push(`${f}: url(): ${why}`);
    }
  }
  await test(`links: every url() in the CSS resolves (${css.length} files)`, () => assertNone(cssProblems, 'broken url()s'));
}
