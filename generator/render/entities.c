/*
 * entities: entity pages' contexts (the pages that mention the entity, in
 * files of ENTITY_PAGE_SIZE: with snippets when few, else the top with
 * snippets and compact rows, mentions.h; related entities by
 * co-occurrence), the entities index grouped by kind, and entities.js, the
 * table hover cards load (render/context.h).
 */
#include "context.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "context.h"
#include "html.h"
#include "json.h"
#include "mentions.h"
#include "xalloc.h"

/* The URL of `to` from `from` (both output paths), as set_url writes it,
 * into sb (cleared): no allocation per row. */
static void page_url(struct strbuf *sb, const char *from, const char *to)
{
	size_t common = 0;
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	sb_clear(sb);
	for (const char *p = from + common; *p; p++)
		if (*p == '/')
			sb_puts(sb, "../");
	url_escape_path(sb, to + common, strlen(to + common));
}

/* A page's mentions with snippets (link cuts those of its first
 * ENTITY_SNIPPETS_MAX in block order where entity_run_shows_snippets,
 * mentions.h), in that order: block,
 * then document order. Returns how many, at most ENTITY_SNIPPETS_MAX. */
static size_t snippet_mentions(const struct mention_run *r, const struct mention **m)
{
	size_t n = 0;
	for (size_t i = 0; i < r->count && n < ENTITY_SNIPPETS_MAX; i++) {
		const struct mention *x = &r->first[i];
		if (!x->snippet_html)
			continue;
		size_t j = n++;
		while (j > 0 && m[j - 1]->block > x->block) {
			m[j] = m[j - 1];
			j--;
		}
		m[j] = x;
	}
	return n;
}

/* One mentioning page with its snippets: its link, how often it mentions
 * the entity, the snippets of its first mentions, and how many more it
 * holds. */
static struct value *snippet_row(const struct page *from, const struct mention_run *r, struct strbuf *url)
{
	const struct page *p = r->first->page;
	struct value *pg = link_item(from, p);
	value_set_int(pg, "count", (int64_t)r->count);
	const struct mention *m[ENTITY_SNIPPETS_MAX];
	size_t shown = snippet_mentions(r, m);
	struct value *snips = value_table_set(pg, "snippets", value_new_array());
	for (size_t i = 0; i < shown; i++) {
		struct value *sn = push_table(snips);
		value_set_str(sn, "html", m[i]->snippet_html);
		page_url(url, from->out, p->out);
		const char *frag = m[i]->anchor;
		if (m[i]->block) {
			sb_putc(url, '#');
			anchor_block(url, (size_t)m[i]->block);
		} else if (frag && *frag) {
			sb_putc(url, '#');
			url_escape_path(url, frag, strlen(frag));
		}
		value_set_str(sn, "url", url->ptr);
	}
	value_set_int(pg, "more", (int64_t)(r->count - shown));
	value_set_bool(pg, "has_more", r->count > shown);
	return pg;
}

/* One mentioning page as a compact row: its link, and how often it
 * mentions the entity. */
static struct value *compact_row(const struct page *from, const struct mention_run *r, struct strbuf *url)
{
	const struct page *p = r->first->page;
	struct value *pg = value_new_table();
	value_set_str(pg, "title", p->title);
	page_url(url, from->out, p->out);
	value_table_set(pg, "url", value_new_string(url->ptr, url->size));
	value_set_int(pg, "count", (int64_t)r->count);
	value_set_bool(pg, "many", r->count > 1);
	return pg;
}

/* Entries [first, end) of the list but its top, by section; compact rows
 * unless every page of the list has its snippets. */
static struct value *mentions_ctx(const struct page *from, const struct mention_run *runs, size_t first,
				  size_t end, bool compact, struct strbuf *url)
{
	struct value *groups = value_new_array();
	struct value *pages = NULL;
	const char *cur = NULL;
	for (size_t i = first; i < end; i++) {
		const struct page *p = runs[i].first->page;
		const char *label = *p->section ? p->section : "pages";
		if (!cur || strcmp(cur, label)) {
			struct value *g = push_table(groups);
			value_set_str(g, "section", label);
			value_set_bool(g, "compact", compact);
			pages = value_table_set(g, "pages", value_new_array());
			cur = label;
		}
		value_array_push(pages, compact ? compact_row(from, &runs[i], url) : snippet_row(from, &runs[i], url));
	}
	return groups;
}

static void set_file_url(struct value *t, const char *key, const struct page *from,
			 const struct entity *e, size_t k)
{
	struct strbuf out = STRBUF_INIT;
	entity_file_out(e, k, &out);
	set_url(t, key, from, out.ptr, NULL);
	sb_free(&out);
}

/* File k of the entity's mention list: which pages it shows and the links
 * to the files before and after it. */
static struct value *pagination_ctx(const struct page *from, const struct entity *e, size_t k,
				    size_t first, size_t end)
{
	size_t files = entity_files(e);
	struct value *v = value_new_table();
	value_set_int(v, "number", (int64_t)k);
	value_set_int(v, "files", (int64_t)files);
	value_set_int(v, "first", (int64_t)(end > first ? first + 1 : 0));
	value_set_int(v, "last", (int64_t)end);
	value_set_bool(v, "paged", files > 1);
	value_set_bool(v, "later", k > 1);
	value_set_bool(v, "has_prev", k > 1);
	value_set_bool(v, "has_next", k < files);
	if (k > 1)
		set_file_url(v, "prev_url", from, e, k - 1);
	if (k < files)
		set_file_url(v, "next_url", from, e, k + 1);
	set_file_url(v, "first_url", from, e, 1);
	return v;
}

struct related {
	size_t count, index;
};

/* Most shared paragraphs first, then the registry's (slug) order. */
static int related_cmp(const void *a, const void *b)
{
	const struct related *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Related entities shown on an entity page. */
#define RELATED_MAX 12

/* The RELATED_MAX entities sharing most paragraphs with e, by
 * related_cmp: picked in one pass over its table (no sort of the whole
 * table, which holds most entities on a large site). */
static struct value *related_ctx(const struct site *s, const struct page *from,
				 const struct entity *e)
{
	const struct cooccur *c = &e->cooccur;
	struct related best[RELATED_MAX];
	size_t n = 0;
	size_t other, count;
	for (size_t pos = 0; cooccur_next(c, &pos, &other, &count);) {
		if (other == e->index)
			continue;
		struct related r = { count, other };
		if (n == RELATED_MAX && related_cmp(&r, &best[n - 1]) >= 0)
			continue;
		size_t j = n < RELATED_MAX ? n++ : n - 1;
		while (j > 0 && related_cmp(&r, &best[j - 1]) < 0) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = r;
	}
	struct value *list = value_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct entity *o = s->entities[best[i].index];
		struct value *it = value_array_push(list, link_item(from, o->page));
		value_set_int(it, "count", (int64_t)best[i].count);
		value_set_str(it, "kind", o->kind);
	}
	return list;
}

bool entity_later_file(const struct page *p)
{
	return p->entity && p != p->entity->page;
}

/* `p` is the entity page, or for file k >= 2 of its mention list a copy
 * of it whose `out` is that file (render_entity_files). */
struct value *entity_ctx(const struct site *s, const struct page *p)
{
	const struct entity *e = p->entity;
	size_t k = 1;
	if (entity_later_file(p) && !entity_file_owner(s, p->out, &k))
		assert(!"a later file of a mention list at a path mentions.h does not give");
	struct value *v = value_new_table();
	value_set_str(v, "kind", e->kind);
	struct value *al = value_new_array();
	const struct value *src = value_table_get(p->fm, "aliases");
	for (size_t i = 0; src && src->type == VALUE_ARRAY && i < src->u.a.n; i++)
		if (src->u.a.items[i]->type == VALUE_STRING)
			value_array_push(al, value_new_cstr(src->u.a.items[i]->u.s.p));
	set_list(v, "aliases", al, "has_aliases");
	value_set_int(v, "mention_count", (int64_t)e->nmentions);
	value_set_int(v, "mention_pages", (int64_t)e->npages);
	size_t nruns = 0, top = 0;
	struct mention_run *runs = mention_list(e, &nruns, &top);
	size_t first = (k - 1) * ENTITY_PAGE_SIZE;
	size_t end = first + ENTITY_PAGE_SIZE < nruns ? first + ENTITY_PAGE_SIZE : nruns;
	struct strbuf url = STRBUF_INIT;
	struct value *best = value_new_array();
	size_t from = first;
	for (; from < top && from < end; from++)
		value_array_push(best, snippet_row(p, &runs[from], &url));
	set_list(v, "top", best, "has_top");
	set_list(v, "mentions", mentions_ctx(p, runs, from, end, !entity_run_shows_snippets(nruns, top, from), &url),
		 "has_mentions");
	sb_free(&url);
	free(runs);
	value_table_set(v, "pagination", pagination_ctx(p, e, k, first, end));
	set_list(v, "related", k == 1 ? related_ctx(s, p, e) : value_new_array(), "has_related");
	return v;
}

/* Files 2.. of the entity's mention list: the entity page's context
 * (page_ctx leaves out what file 1 alone shows: the description's body,
 * table of contents, cited-by, history, data) at each file's path, titled
 * "<entity>: mentions 201–400". */
int render_entity_files(const struct site *s, const struct theme *t, const struct page *p,
			const char *out_dir, struct diag *d)
{
	if (!p->entity)
		return 0;
	int rc = 0;
	struct strbuf out = STRBUF_INIT, title = STRBUF_INIT;
	for (size_t k = 2; k <= entity_files(p->entity); k++) {
		entity_file_out(p->entity, k, &out);
		size_t last = k * ENTITY_PAGE_SIZE < p->entity->npages ? k * ENTITY_PAGE_SIZE
								       : p->entity->npages;
		sb_clear(&title);
		sb_printf(&title, "%s: mentions %zu–%zu", p->title, (k - 1) * ENTITY_PAGE_SIZE + 1, last);
		struct page view = *p;
		view.out = out.ptr;
		view.title = title.ptr;
		view.doc = NULL;
		if (render_page(s, t, &view, out_dir, 0, d) < 0)
			rc = -1;
	}
	sb_free(&out);
	sb_free(&title);
	return rc;
}

/* The entities index: grouped by kind, in the registry's kind order. */
struct value *entity_groups(const struct site *s, const struct page *p)
{
	static const char *const kinds[][2] = {
		{ "person", "People" },
		{ "organization", "Organizations" },
		{ "model", "Models" },
		{ "product", "Products" },
		{ "place", "Places" },
		{ "market", "Markets" },
		{ "concept", "Concepts" },
	};
	struct value *groups = value_new_array();
	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		struct value *items = value_new_array();
		for (size_t i = 0; i < s->nentities; i++)
			if (!strcmp(s->entities[i]->kind, kinds[k][0]))
				value_array_push(items, page_summary(p, s->entities[i]->page));
		if (!items->u.a.n) {
			value_free(items);
			continue;
		}
		struct value *g = push_table(groups);
		value_set_str(g, "title", kinds[k][1]);
		value_set_str(g, "kind", kinds[k][0]);
		value_table_set(g, "items", items);
	}
	return groups;
}

/* Every entity: title, kind, a one-line description, its page (from the
 * output root) and how often it is mentioned. Shared by the search index
 * and entities.js, which hover cards load instead of the whole index. */
struct value *entities_table(const struct site *s)
{
	struct value *ents = value_new_table();
	struct strbuf lead = STRBUF_INIT;
	for (size_t i = 0; i < s->nentities; i++) {
		const struct entity *e = s->entities[i];
		struct value *v = value_table_set(ents, e->slug, value_new_table());
		value_set_str(v, "t", e->page->title);
		value_set_str(v, "k", e->kind);
		value_set_str(v, "d", *e->page->description ? e->page->description : first_sentence(e->page, &lead));
		set_root_url(v, "u", e->page->out);
		value_set_int(v, "n", (int64_t)e->nmentions);
	}
	sb_free(&lead);
	return ents;
}

int render_entities_js(const struct site *s, const char *out_dir, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	struct value *ents = entities_table(s);
	sb_puts(&sb, "window.DOSSIER_ENTITIES = ");
	json_write(&sb, ents, 0);
	sb_puts(&sb, ";\n");
	value_free(ents);
	int rc = write_out(out_dir, "entities.js", sb.ptr, sb.size, d);
	sb_free(&sb);
	return rc;
}
