#include "data.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "fsutil.h"
#include "html.h"
#include "json.h"
#include "markdown.h"
#include "value.h"
#include "xalloc.h"

#define SCHEMA_ORG "https://schema.org"
#define ANNO_CONTEXT "http://www.w3.org/ns/anno.jsonld"

static bool is_unknown(const char *s)
{
	return !s || !*s || !strcmp(s, "unknown");
}

/* A header string the text establishes, or NULL. */
static const char *known(const struct page *p, const char *key)
{
	const char *v = value_get_str(p->fm, key, NULL);
	return is_unknown(v) ? NULL : v;
}

/* The URL of output file `to` (with `#frag` when given) as seen from
 * output file `from`: absolute with a base_url; else relative to `from`,
 * or to the site root when `from` is NULL. */
static void url_put(struct strbuf *sb, const struct site *s, const char *from, const char *to,
		    const char *frag)
{
	struct strbuf raw = STRBUF_INIT;
	const char *base = s->cfg.base_url;
	if (*base) {
		/* base_url is checked to be an http(s) URL; only the path is ours */
		sb_puts(sb, base);
		if (base[strlen(base) - 1] != '/')
			sb_putc(sb, '/');
		sb_puts(&raw, to);
	} else if (from) {
		char *rel = fs_relurl(from, to);
		sb_puts(&raw, rel);
		free(rel);
	} else {
		sb_puts(&raw, to);
	}
	url_escape_path(sb, raw.ptr, raw.size);
	if (frag)
		sb_printf(sb, "#%s", frag);
	sb_free(&raw);
}

static struct value *url_value(const struct site *s, const char *from, const char *to,
			       const char *frag)
{
	struct strbuf sb = STRBUF_INIT;
	url_put(&sb, s, from, to, frag);
	size_t n = sb.size;
	return value_new_string_take(sb_detach(&sb), n);
}

static void set(struct value *t, const char *key, struct value *v)
{
	value_table_set(t, key, v);
}

static struct value *typed(const char *type)
{
	struct value *t = value_new_table();
	value_set_str(t, "@type", type);
	return t;
}

static struct value *with_context(const char *ctx)
{
	struct value *t = value_new_table();
	value_set_str(t, "@context", ctx);
	return t;
}

/* --- schema.org -------------------------------------------------------------- */

const char *data_entity_type(const char *kind)
{
	static const char *const map[][2] = {
		{ "person", "Person" },
		{ "organization", "Organization" },
		{ "model", "SoftwareApplication" },
		{ "product", "Product" },
		{ "place", "Place" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (!strcmp(map[i][0], kind))
			return map[i][1];
	return "Thing";
}

/* The site as the author of reviews. */
static struct value *site_org(const struct site *s, const char *from)
{
	struct value *o = typed("Organization");
	value_set_str(o, "name", s->cfg.title);
	if (*s->cfg.base_url)
		set(o, "url", url_value(s, from, "index.html", NULL));
	return o;
}

/* An article as a claim's appearance: its original URL when known. */
static struct value *article_ref(const struct site *s, const struct page *from, const struct page *a,
				 int block)
{
	struct value *t = typed(known(a, "publisher") ? "NewsArticle" : "Article");
	bool editor = !strcmp(value_get_str(a->fm, "title_source", ""), "editor");
	value_set_str(t, editor ? "name" : "headline", a->title);
	const char *url = known(a, "url");
	if (url) {
		value_set_str(t, "url", url);
	} else {
		struct strbuf frag = STRBUF_INIT;
		anchor_block(&frag, (size_t)block);
		set(t, "url", url_value(s, from->out, a->out, block ? frag.ptr : NULL));
		sb_free(&frag);
	}
	if (known(a, "publisher")) {
		struct value *pub = value_table_set(t, "publisher", typed("Organization"));
		value_set_str(pub, "name", known(a, "publisher"));
	}
	if (known(a, "published"))
		value_set_str(t, "datePublished", known(a, "published"));
	return t;
}

static struct value *article_ld(const struct site *s, const struct page *p)
{
	struct value *t = with_context(SCHEMA_ORG);
	value_set_str(t, "@type", known(p, "publisher") ? "NewsArticle" : "Article");
	/* A title the editors wrote is the dossier's name for the text, not
	 * the article's headline. */
	bool editor = !strcmp(value_get_str(p->fm, "title_source", ""), "editor");
	value_set_str(t, editor ? "name" : "headline", p->title);
	if (*p->description)
		value_set_str(t, "description", p->description);
	if (known(p, "url"))
		value_set_str(t, "url", known(p, "url"));
	if (known(p, "published"))
		value_set_str(t, "datePublished", known(p, "published"));
	if (known(p, "publisher")) {
		struct value *pub = value_table_set(t, "publisher", typed("Organization"));
		value_set_str(pub, "name", known(p, "publisher"));
	}
	if (known(p, "author")) {
		struct value *au = value_table_set(t, "author", typed("Person"));
		value_set_str(au, "name", known(p, "author"));
	}
	set(t, "mainEntityOfPage", url_value(s, p->out, p->out, NULL));
	return t;
}

/* Status -> a rating fact-check tools read: 4 best ... 1 worst. */
static void rating(struct value *r, const char *status)
{
	static const struct {
		const char *status, *name;
		int value;
	} map[] = {
		{ "consistent", "Consistent across sources", 4 },
		{ "reported", "Reported by one source only", 3 },
		{ "disputed", "Disputed between sources", 2 },
		{ "unsupported", "Unsupported by the sources", 1 },
	};
	size_t i = 0;
	while (i + 1 < sizeof(map) / sizeof(*map) && strcmp(map[i].status, status))
		i++;
	value_set_int(r, "ratingValue", map[i].value);
	value_set_int(r, "bestRating", 4);
	value_set_int(r, "worstRating", 1);
	value_set_str(r, "alternateName", map[i].name);
}

static struct value *claims_ld(const struct site *s, const struct page *p)
{
	struct value *list = value_new_array();
	for (size_t i = 0; i < p->nclaims; i++) {
		const struct claim *c = &p->claims[i];
		struct value *t = value_array_push(list, with_context(SCHEMA_ORG));
		value_set_str(t, "@type", "ClaimReview");
		set(t, "url", url_value(s, p->out, p->out, *c->section ? c->section : c->id));
		value_set_str(t, "claimReviewed", c->text);
		set(t, "author", site_org(s, p->out));
		rating(value_table_set(t, "reviewRating", typed("Rating")), c->status);
		struct value *claim = value_table_set(t, "itemReviewed", typed("Claim"));
		struct value *app = value_table_set(claim, "appearance", value_new_array());
		for (size_t k = 0; k < c->nsources; k++)
			if (c->sources[k].target)
				value_array_push(app, article_ref(s, p, c->sources[k].target, c->sources[k].block));
	}
	return list;
}

static struct value *entity_ld(const struct site *s, const struct page *p)
{
	struct value *t = with_context(SCHEMA_ORG);
	value_set_str(t, "@type", data_entity_type(p->entity->kind));
	value_set_str(t, "name", p->title);
	if (*p->description)
		value_set_str(t, "description", p->description);
	const struct value *al = value_table_get(p->fm, "aliases");
	if (al && al->type == VALUE_ARRAY && al->u.a.n) {
		struct value *names = value_table_set(t, "alternateName", value_new_array());
		for (size_t i = 0; i < al->u.a.n; i++)
			if (al->u.a.items[i]->type == VALUE_STRING)
				value_array_push(names, value_copy(al->u.a.items[i]));
	}
	set(t, "url", url_value(s, p->out, p->out, NULL));
	struct value *same = value_new_array();
	const char *wd = value_get_str(p->fm, "wikidata", NULL);
	if (wd) {
		struct strbuf u = STRBUF_INIT;
		sb_printf(&u, "https://www.wikidata.org/wiki/%s", wd);
		size_t n = u.size;
		value_array_push(same, value_new_string_take(sb_detach(&u), n));
	}
	const struct value *links = value_table_get(p->fm, "links");
	for (size_t i = 0; links && links->type == VALUE_ARRAY && i < links->u.a.n; i++)
		if (links->u.a.items[i]->type == VALUE_STRING)
			value_array_push(same, value_copy(links->u.a.items[i]));
	if (same->u.a.n)
		set(t, "sameAs", same);
	else
		value_free(same);
	return t;
}

/* JSON that can stand inside <script>: '<', '>' and '&' occur only in
 * strings, where \u escapes mean the same. */
static void script_safe(struct strbuf *out, const struct strbuf *json)
{
	for (size_t i = 0; i < json->size; i++) {
		char c = json->ptr[i];
		if (c == '<' || c == '>' || c == '&')
			sb_printf(out, "\\u%04x", (unsigned)c);
		else
			sb_putc(out, c);
	}
}

void data_page_jsonld(const struct site *s, const struct page *p, struct strbuf *out)
{
	struct value *v = NULL;
	if (p->kind == PAGE_ARTICLE)
		v = article_ld(s, p);
	else if (p->nclaims)
		v = claims_ld(s, p);
	else if (p->entity)
		v = entity_ld(s, p);
	if (!v)
		return;
	struct strbuf json = STRBUF_INIT;
	json_write(&json, v, 0);
	script_safe(out, &json);
	sb_free(&json);
	value_free(v);
}

/* --- W3C Web Annotations --------------------------------------------------- */

/* A file that shows a page's markup elsewhere: the note links of page `p`
 * (relative to p's page) as file `from` needs them. */
struct note_place {
	const struct site *s;
	const char *from;
	const struct page *p;
};

/* A relative reference of p's page (path, then '?' or '#' and on) as seen
 * from `from`: resolved against the page (a bare "#p1" is the page's
 * paragraph), then made as url_value makes every URL of the file. A URL
 * with a scheme, from the host's root ("/x", "//host") or above the site
 * root stays as it is. */
static char *note_url(const char *url, void *arg)
{
	const struct note_place *at = arg;
	if (!*url || url_has_scheme(url) || url[0] == '/')
		return NULL;
	size_t n = strcspn(url, "?#");
	char *path = url_decode(url, n);
	char *to = n ? fs_resolve(at->p->out, path) : xstrdup(at->p->out);
	free(path);
	if (!to)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	url_put(&sb, at->s, at->from, *to ? to : "./", NULL);
	sb_puts(&sb, url + n);
	free(to);
	return sb_detach(&sb);
}

/* The note as its page renders it, its links made for file `from`. */
static char *note_html(const struct site *s, const char *from, const struct page *p,
		       const struct annotation_entry *a)
{
	struct note_place at = { s, from, p };
	struct strbuf sb = STRBUF_INIT;
	for (cmark_node *c = a->aside ? cmark_node_first_child(a->aside) : NULL; c; c = cmark_node_next(c)) {
		char *h = markdown_render_urls(c, false, note_url, &at);
		sb_puts(&sb, h);
		free(h);
	}
	return sb_detach(&sb);
}

/* One annotation, its URLs seen from output file `from`. */
static struct value *annotation(const struct site *s, const char *from, const struct page *p,
				const struct annotation_entry *a)
{
	struct strbuf frag = STRBUF_INIT;
	anchor_annotation(&frag, a->number, ANCHOR_MARK);
	struct value *t = value_new_table();
	set(t, "id", url_value(s, from, p->out, frag.ptr));
	sb_free(&frag);
	value_set_str(t, "type", "Annotation");
	value_set_str(t, "motivation", "commenting");
	struct value *body = value_table_set(t, "body", value_new_table());
	value_set_str(body, "type", "TextualBody");
	char *html = note_html(s, from, p, a);
	value_set_str(body, "value", html);
	free(html);
	value_set_str(body, "format", "text/html");
	value_set_str(body, "language", s->cfg.language);
	struct value *target = value_table_set(t, "target", value_new_table());
	const char *orig = known(p, "url");
	if (orig)
		value_set_str(target, "source", orig);
	else
		set(target, "source", url_value(s, from, p->out, NULL));
	struct value *sel = value_table_set(target, "selector", value_new_table());
	value_set_str(sel, "type", "TextQuoteSelector");
	value_set_str(sel, "exact", a->quote);
	if (a->prefix)
		value_set_str(sel, "prefix", a->prefix);
	if (a->suffix)
		value_set_str(sel, "suffix", a->suffix);
	return t;
}

/* An AnnotationCollection of the annotations of `only` (or of every
 * article when NULL), seen from output file `from`. */
static struct value *collection(const struct site *s, const char *from, const struct page *only,
				const char *label)
{
	struct value *c = with_context(ANNO_CONTEXT);
	value_set_str(c, "type", "AnnotationCollection");
	value_set_str(c, "label", label);
	struct value *page = value_table_set(c, "first", value_new_table());
	value_set_str(page, "type", "AnnotationPage");
	struct value *items = value_table_set(page, "items", value_new_array());
	size_t total = 0;
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		if (p->kind != PAGE_ARTICLE || (only && p != only))
			continue;
		for (size_t k = 0; k < p->nannotations; k++, total++)
			value_array_push(items, annotation(s, from, p, &p->annotations[k]));
	}
	value_set_int(c, "total", (int64_t)total);
	return c;
}

/* --- the data files (data/claims.json, …) ------------------------------------------------------- */

static struct value *data_claims(const struct site *s)
{
	struct value *root = value_new_table();
	struct value *list = value_table_set(root, "claims", value_new_array());
	for (size_t i = 0; i < s->nclaims; i++) {
		const struct claim *c = s->claims[i];
		struct value *t = value_array_push(list, value_new_table());
		value_set_str(t, "id", c->id);
		value_set_str(t, "claim", c->text);
		value_set_str(t, "status", c->status);
		value_set_str(t, "topic", c->topic->src);
		set(t, "url", url_value(s, NULL, c->topic->out, *c->section ? c->section : c->id));
		struct value *srcs = value_table_set(t, "sources", value_new_array());
		for (size_t k = 0; k < c->nsources; k++) {
			const struct claim_source *cs = &c->sources[k];
			if (!cs->target)
				continue;
			struct strbuf frag = STRBUF_INIT;
			anchor_block(&frag, (size_t)cs->block);
			struct value *sv = value_array_push(srcs, value_new_table());
			value_set_str(sv, "article", cs->target->src);
			value_set_int(sv, "paragraph", cs->block);
			set(sv, "url", url_value(s, NULL, cs->target->out, frag.ptr));
			sb_free(&frag);
			value_set_str(sv, "wording", cs->wording);
		}
	}
	return root;
}

/* A page and its place in data/entities.json's "pages". */
struct page_slot {
	const struct page *p;
	size_t index;
};

static int slot_cmp(const void *a, const void *b)
{
	const struct page_slot *x = a, *y = b;
	return ((uintptr_t)x->p > (uintptr_t)y->p) - ((uintptr_t)x->p < (uintptr_t)y->p);
}

/* One mentioning page of an entity: its index in "pages", its count. */
struct mention_ref {
	size_t index, count;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct mention_ref *x = a, *y = b;
	return (x->index > y->index) - (x->index < y->index);
}

/* `n` in decimal, after `sep` unless it is NUL (no printf per index). */
static void put_index(struct strbuf *out, char sep, size_t n)
{
	char digits[24];
	size_t k = sizeof digits;
	do
		digits[--k] = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	if (sep)
		sb_putc(out, sep);
	sb_put(out, digits + k, sizeof digits - k);
}

/* An entity's fields but its mentions, as compact JSON without the
 * closing brace. */
static void entity_head(const struct site *s, const struct entity *e, struct strbuf *out)
{
	const struct page *p = e->page;
	struct value *t = value_new_table();
	value_set_str(t, "slug", e->slug);
	value_set_str(t, "name", p->title);
	value_set_str(t, "kind", e->kind);
	value_set_str(t, "type", data_entity_type(e->kind));
	value_set_str(t, "description", p->description);
	struct value *al = value_table_set(t, "aliases", value_new_array());
	const struct value *fa = value_table_get(p->fm, "aliases");
	for (size_t k = 0; fa && fa->type == VALUE_ARRAY && k < fa->u.a.n; k++)
		if (fa->u.a.items[k]->type == VALUE_STRING)
			value_array_push(al, value_copy(fa->u.a.items[k]));
	set(t, "url", url_value(s, NULL, p->out, NULL));
	const char *wd = value_get_str(p->fm, "wikidata", NULL);
	if (wd)
		value_set_str(t, "wikidata", wd);
	size_t at = out->size;
	json_write(out, t, 0);
	value_free(t);
	assert(out->size > at && out->ptr[out->size - 1] == '}');
	sb_truncate(out, out->size - 1);
}

/* data/entities.json: "pages", the source of every page that mentions an
 * entity, in site order, once; then one entity a line, its mentioning
 * pages as indexes into "pages" with how often each mentions it (a page
 * is named once in the file, not once per entity it mentions). */
static void data_entities(const struct site *s, struct strbuf *out)
{
	struct page_slot *slots = xmalloc((s->npages + 1) * sizeof(*slots));
	size_t n = 0;
	sb_puts(out, "{\n  \"pages\": [");
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		if (!p->src || !p->mention_total)
			continue;
		sb_puts(out, n ? ",\n    " : "\n    ");
		struct value *v = value_new_cstr(p->src);
		json_write(out, v, 0);
		value_free(v);
		slots[n] = (struct page_slot){ p, n };
		n++;
	}
	sb_puts(out, n ? "\n  ],\n  \"entities\": [" : "],\n  \"entities\": [");
	if (n)
		qsort(slots, n, sizeof(*slots), slot_cmp);
	struct mention_ref *refs = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < s->nentities; i++) {
		const struct entity *e = s->entities[i];
		sb_puts(out, i ? ",\n    " : "\n    ");
		entity_head(s, e, out);
		/* A page's mentions are consecutive (page.h). */
		size_t m = 0;
		bool sorted = true;
		for (size_t k = 0; k < e->nmentions; k++) {
			const struct page *p = e->mentions[k].page;
			if (m && p == e->mentions[k - 1].page) {
				refs[m - 1].count++;
				continue;
			}
			struct page_slot key = { p, 0 };
			const struct page_slot *hit = n ? bsearch(&key, slots, n, sizeof(*slots), slot_cmp) : NULL;
			if (!hit)
				continue; /* no source: a generated page */
			refs = xgrow(refs, &cap, m + 1, sizeof(*refs));
			refs[m] = (struct mention_ref){ hit->index, 1 };
			sorted = sorted && (!m || refs[m - 1].index < hit->index);
			m++;
		}
		if (!sorted)
			qsort(refs, m, sizeof(*refs), ref_cmp);
		sb_puts(out, ",\"mentioned_in\":[");
		for (size_t k = 0; k < m; k++)
			put_index(out, k ? ',' : 0, refs[k].index);
		sb_puts(out, "],\"mention_counts\":[");
		for (size_t k = 0; k < m; k++)
			put_index(out, k ? ',' : 0, refs[k].count);
		sb_printf(out, "],\"mentions\":%zu}", e->nmentions);
	}
	sb_puts(out, s->nentities ? "\n  ]\n}\n" : "]\n}\n");
	free(refs);
	free(slots);
}

struct cite_row {
	const struct page *from, *to;
	const struct heading *under;
	int paragraph;
};

static int row_cmp(const void *a, const void *b)
{
	const struct cite_row *x = a, *y = b;
	int c = strcmp(x->from->src ? x->from->src : x->from->out, y->from->src ? y->from->src : y->from->out);
	if (!c)
		c = (x->under ? x->under->line : 0) - (y->under ? y->under->line : 0);
	if (!c)
		c = strcmp(x->to->src, y->to->src);
	if (!c)
		c = x->paragraph - y->paragraph;
	return c;
}

static struct value *data_citations(const struct site *s)
{
	struct cite_row *rows = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		for (size_t b = 0; p->kind == PAGE_ARTICLE && b < p->nblocks; b++)
			for (size_t k = 0; k < p->blocks[b].ncited; k++) {
				rows = xgrow(rows, &cap, n + 1, sizeof(*rows));
				rows[n++] = (struct cite_row){ p->blocks[b].cited_by[k].from, p,
							       p->blocks[b].cited_by[k].under, (int)b + 1 };
			}
	}
	if (n)
		qsort(rows, n, sizeof(*rows), row_cmp);
	struct value *root = value_new_table();
	struct value *list = value_table_set(root, "citations", value_new_array());
	for (size_t i = 0; i < n; i++) {
		const struct cite_row *r = &rows[i];
		struct value *t = value_array_push(list, value_new_table());
		struct value *from = value_table_set(t, "from", value_new_table());
		value_set_str(from, "page", r->from->src ? r->from->src : r->from->out);
		value_set_str(from, "title", r->from->title);
		if (r->under) {
			value_set_str(from, "heading", r->under->id);
			value_set_str(from, "heading_text", r->under->text);
		} else {
			value_table_set(from, "heading", value_new_null());
			value_table_set(from, "heading_text", value_new_null());
		}
		set(from, "url", url_value(s, NULL, r->from->out, r->under ? r->under->id : NULL));
		struct value *to = value_table_set(t, "to", value_new_table());
		struct strbuf frag = STRBUF_INIT;
		anchor_block(&frag, (size_t)r->paragraph);
		value_set_str(to, "article", r->to->src);
		value_set_int(to, "paragraph", r->paragraph);
		set(to, "url", url_value(s, NULL, r->to->out, frag.ptr));
		sb_free(&frag);
	}
	free(rows);
	return root;
}

static int write_json(const char *out_dir, const char *rel, struct value *v, data_write_fn write, void *arg,
		      struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	json_write(&sb, v, JSON_PRETTY);
	sb_putc(&sb, '\n');
	int rc = write(arg, out_dir, rel, sb.ptr, sb.size, d);
	sb_free(&sb);
	value_free(v);
	return rc;
}

/* data/citations.json: {"citations": [...]} with one citation a line, as
 * data/entities.json has one entity a line: as readable line by line as
 * the indented form, at two thirds of its size. */
static int write_citations(const char *out_dir, struct value *v, data_write_fn write, void *arg,
			   struct diag *d)
{
	const struct value *list = value_table_get(v, "citations");
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "{\n  \"citations\": [");
	for (size_t i = 0; i < list->u.a.n; i++) {
		sb_puts(&sb, i ? ",\n    " : "\n    ");
		json_write(&sb, list->u.a.items[i], 0);
	}
	sb_puts(&sb, list->u.a.n ? "\n  ]\n}\n" : "]\n}\n");
	int rc = write(arg, out_dir, "data/citations.json", sb.ptr, sb.size, d);
	sb_free(&sb);
	value_free(v);
	return rc;
}

int data_write_files(const struct site *s, const char *out_dir, data_write_fn write, void *arg, struct diag *d)
{
	int rc = 0;
	struct strbuf label = STRBUF_INIT;
	sb_printf(&label, "Annotations of %s", s->cfg.title);
	if (write_json(out_dir, "annotations.jsonld", collection(s, "annotations.jsonld", NULL, label.ptr),
		       write, arg, d) < 0)
		rc = -1;
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		if (p->kind != PAGE_ARTICLE)
			continue;
		struct strbuf rel = STRBUF_INIT;
		sb_put(&rel, p->out, strlen(p->out) - strlen(fs_extension(p->out)));
		sb_puts(&rel, ".annotations.jsonld");
		sb_clear(&label);
		sb_printf(&label, "Annotations of %s", p->title);
		if (write_json(out_dir, rel.ptr, collection(s, rel.ptr, p, label.ptr), write, arg, d) < 0)
			rc = -1;
		sb_free(&rel);
	}
	sb_free(&label);
	/* Every file is attempted, so one run reports every error. */
	if (write_json(out_dir, "data/claims.json", data_claims(s), write, arg, d) < 0)
		rc = -1;
	struct strbuf ents = STRBUF_INIT;
	data_entities(s, &ents);
	if (write(arg, out_dir, "data/entities.json", ents.ptr, ents.size, d) < 0)
		rc = -1;
	sb_free(&ents);
	if (write_citations(out_dir, data_citations(s), write, arg, d) < 0)
		rc = -1;
	return rc;
}
