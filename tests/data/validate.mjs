// Validates the data a built site publishes, with the tools of each format's
// ecosystem: every JSON-LD block and .jsonld file is expanded by a JSON-LD
// processor (npm jsonld; its document loader answers the schema.org and W3C
// annotation contexts from contexts/, so no network is used) and must expand
// to the expected types with no term dropped; data/*.json validate against
// the JSON Schemas in doc/schema/ (ajv). Usage: node validate.mjs SITE_OUT
// ROOT. Prints ok/FAIL lines and "N passed, N failed".
import jsonld from "jsonld";
import Ajv2020 from "ajv/dist/2020.js";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const [out, root] = process.argv.slice(2);
const here = join(root, "tests/data");
let pass = 0, fail = 0;
const check = (name, ok, detail) => {
  if (ok) pass++;
  else { fail++; console.log(`FAIL - ${name}${detail ? "\n    " + String(detail).slice(0, 600) : ""}`); }
};

const contexts = {
  "schema": JSON.parse(readFileSync(join(here, "contexts/schema.org.jsonld"), "utf8")),
  "anno": JSON.parse(readFileSync(join(here, "contexts/anno.jsonld"), "utf8")),
};
const urls = {
  "https://schema.org": "schema", "https://schema.org/": "schema", "http://schema.org": "schema",
  "http://schema.org/": "schema", "http://www.w3.org/ns/anno.jsonld": "anno",
  "https://www.w3.org/ns/anno.jsonld": "anno",
};
const documentLoader = async (url) => {
  if (!(url in urls)) throw new Error(`no local copy of ${url}: the test refuses the network`);
  return { contextUrl: null, documentUrl: url, document: contexts[urls[url]] };
};

// The schema.org terms the dossier writes (from schema.org's vocabulary):
// an expanded property outside this list is a typo that @vocab would hide.
const SDO = "http://schema.org/";
const schemaTerms = new Set(["headline", "description", "url", "datePublished", "publisher", "author", "name",
  "mainEntityOfPage", "claimReviewed", "reviewRating", "ratingValue", "bestRating", "worstRating",
  "alternateName", "itemReviewed", "appearance", "sameAs"].map(t => SDO + t));
const schemaTypes = new Set(["NewsArticle", "Article", "ClaimReview", "Claim", "Rating", "Organization", "Person",
  "SoftwareApplication", "Product", "Place", "Thing"].map(t => SDO + t));

// Property keys (not keywords, not the id/type aliases) in a compact tree.
const compactKeys = (v) => {
  if (Array.isArray(v)) return v.reduce((n, x) => n + compactKeys(x), 0);
  if (!v || typeof v !== "object") return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (k === "@context") continue;
    if (!k.startsWith("@") && k !== "id" && k !== "type") n++;
    n += compactKeys(x);
  }
  return n;
};
// Property IRIs in an expanded tree (with the node they sit in).
const expandedProps = (v, acc = []) => {
  if (Array.isArray(v)) { v.forEach(x => expandedProps(x, acc)); return acc; }
  if (!v || typeof v !== "object") return acc;
  for (const [k, x] of Object.entries(v)) {
    if (!k.startsWith("@")) acc.push(k);
    expandedProps(x, acc);
  }
  return acc;
};
const expandedTypes = (v, acc = []) => {
  if (Array.isArray(v)) { v.forEach(x => expandedTypes(x, acc)); return acc; }
  if (!v || typeof v !== "object") return acc;
  for (const [k, x] of Object.entries(v)) {
    if (k === "@type") acc.push(...[].concat(x));
    else expandedTypes(x, acc);
  }
  return acc;
};

async function expandChecked(name, doc, base, wantTypes, vocab) {
  let expanded;
  try {
    expanded = await jsonld.expand(doc, { documentLoader, base, safe: true });
  } catch (e) {
    check(`${name}: expands`, false, e.message + (e.details ? " " + JSON.stringify(e.details) : ""));
    return null;
  }
  check(`${name}: expands`, true);
  const props = expandedProps(expanded);
  check(`${name}: no term dropped`, props.length === compactKeys(doc),
        `${compactKeys(doc)} terms written, ${props.length} kept after expansion`);
  if (vocab) {
    const unknown = props.filter(p => !vocab.has(p));
    check(`${name}: every term is in the vocabulary`, unknown.length === 0, unknown.join(", "));
  }
  const types = expandedTypes(expanded);
  for (const t of wantTypes)
    check(`${name}: has type ${t}`, types.includes(t), types.join(", "));
  return expanded;
}

const walk = (dir) => readdirSync(dir).flatMap(f => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
const files = walk(out).sort();
const base = (f) => "https://dossier.invalid/" + relative(out, f);

// 1. JSON-LD in pages.
let blocks = 0;
const kinds = { article: 0, topic: 0, entity: 0 };
for (const f of files.filter(f => f.endsWith(".html"))) {
  const html = readFileSync(f, "utf8");
  const kind = (html.match(/<body class="kind-([a-z0-9]+)/) || [])[1];
  const scripts = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
  for (const m of scripts) {
    blocks++;
    const name = relative(out, f);
    let doc;
    try { doc = JSON.parse(m[1]); } catch (e) { check(`${name}: JSON-LD parses`, false, e.message); continue; }
    const want = kind === "article" ? [] : kind === "topic" ? [SDO + "ClaimReview", SDO + "Claim", SDO + "Rating"] : [];
    const exp = await expandChecked(name, doc, base(f), want, schemaTerms);
    if (!exp) continue;
    const types = expandedTypes(exp);
    check(`${name}: only schema.org types`, types.every(t => schemaTypes.has(t)), types.join(", "));
    if (kind in kinds) kinds[kind]++;
    if (kind === "article") {
      check(`${name}: a NewsArticle or Article`, types.includes(SDO + "NewsArticle") || types.includes(SDO + "Article"));
      check(`${name}: "unknown" is never published`, !m[1].includes('"unknown"'));
    }
    if (kind === "topic")
      check(`${name}: each ClaimReview rates with an alternateName`,
            [].concat(doc).every(r => r.reviewRating && typeof r.reviewRating.alternateName === "string" &&
              r.reviewRating.ratingValue >= r.reviewRating.worstRating && r.reviewRating.ratingValue <= r.reviewRating.bestRating));
  }
  if (kind === "article" || kind === "entity")
    check(`${relative(out, f)}: has JSON-LD`, scripts.length === 1);
}
check("JSON-LD found on article, topic and entity pages", kinds.article > 0 && kinds.topic > 0 && kinds.entity > 0,
      JSON.stringify(kinds));

// 2. Web Annotations.
const annoFiles = files.filter(f => f.endsWith(".jsonld"));
check("annotations.jsonld exists", annoFiles.some(f => relative(out, f) === "annotations.jsonld"));
const OA = "http://www.w3.org/ns/oa#";
let perArticle = 0;
for (const f of annoFiles) {
  const name = relative(out, f);
  const doc = JSON.parse(readFileSync(f, "utf8"));
  const exp = await expandChecked(name, doc, base(f), [], null);
  if (!exp) continue;
  const items = doc.first.items;
  const types = expandedTypes(exp);
  check(`${name}: an AnnotationCollection`, types.includes("http://www.w3.org/ns/activitystreams#OrderedCollection"));
  check(`${name}: total counts the items`, doc.total === items.length);
  check(`${name}: one oa:Annotation per item`, types.filter(t => t === OA + "Annotation").length === items.length);
  check(`${name}: each target has a TextQuoteSelector with exact`,
        types.filter(t => t === OA + "TextQuoteSelector").length === items.length && items.every(a => a.target.selector.exact));
  check(`${name}: each body is an HTML TextualBody`, items.every(a => a.body.type === "TextualBody" && a.body.format === "text/html"));
  if (name !== "annotations.jsonld") perArticle += items.length;
}
const all = annoFiles.find(f => relative(out, f) === "annotations.jsonld");
if (all)
  check("annotations.jsonld holds every article's annotations", JSON.parse(readFileSync(all, "utf8")).total === perArticle);

// 3. Open data files against their schemas.
const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const n of ["claims", "entities", "citations"]) {
  const schema = JSON.parse(readFileSync(join(root, `doc/schema/${n}.schema.json`), "utf8"));
  const f = join(out, `data/${n}.json`);
  check(`data/${n}.json exists`, existsSync(f));
  if (!existsSync(f)) continue;
  const data = JSON.parse(readFileSync(f, "utf8"));
  const validate = ajv.compile(schema);
  check(`data/${n}.json validates against doc/schema/${n}.schema.json`, validate(data), ajv.errorsText(validate.errors));
  check(`data/${n}.json is not empty`, data[n].length > 0);
}
// What the entities schema cannot say: mentioned_in indexes pages, ascending,
// with a count for each, and every page listed is mentioned.
{
  const f = join(out, "data/entities.json");
  if (existsSync(f)) {
    const { pages, entities } = JSON.parse(readFileSync(f, "utf8"));
    const used = new Set();
    const bad = entities.filter(e => e.mention_counts.length !== e.mentioned_in.length ||
      e.mentioned_in.some((i, k) => i >= pages.length || (k && i <= e.mentioned_in[k - 1]) || !used.add(i)) ||
      e.mention_counts.reduce((a, b) => a + b, 0) > e.mentions);
    check("data/entities.json: mentioned_in indexes pages, ascending, a count each", bad.length === 0, bad.map(e => e.slug).join(" "));
    check("data/entities.json: every page in pages mentions an entity", used.size === pages.length);
  }
}
// A document that breaks a schema is rejected, so the validator is live.
const claimsSchema = ajv.getSchema("claims.schema.json");
check("schemas reject a bad document", !claimsSchema({ claims: [{ id: "x", claim: "y", status: "true", topic: "t", url: "u", sources: [] }] }));
// A planted term outside the annotation context is seen as dropped, and a
// schema.org typo as outside the vocabulary, so the checks above are live.
{
  const planted = { "@context": "http://www.w3.org/ns/anno.jsonld", type: "Annotation", colour: "red",
                    body: { type: "TextualBody", value: "x" } };
  const exp = await jsonld.expand(planted, { documentLoader });
  check("a dropped term is detected", expandedProps(exp).length === compactKeys(planted) - 1);
  const typo = await jsonld.expand({ "@context": "https://schema.org", "@type": "Article", headlne: "x" }, { documentLoader });
  check("a schema.org typo is detected", expandedProps(typo).some(p => !schemaTerms.has(p)));
}
console.log(`data: ${blocks} JSON-LD blocks, ${annoFiles.length} annotation files`);
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
