/*
 * entities: entity pages' contexts (mentions by section and page, related
 * entities by co-occurrence), the entities index grouped by kind, and
 * entities.js, the table hover cards load (render/context.h).
 */
#include "context.h"

#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "context.h"
#include "json.h"
#include "xalloc.h"

/* Mentions by section, page and block; pointers into the entity's array
 * keep arrival (document) order within a block. */
static int mention_cmp(const void *a, const void *b)
{
	const struct mention *x = *(const struct mention *const *)a;
	const struct mention *y = *(const struct mention *const *)b;
	int c = strcmp(x->page->section, y->page->section);
	if (!c)
		c = strcmp(x->page->out, y->page->out);
	if (!c)
		c = (x->block > y->block) - (x->block < y->block);
	return c ? c : (x > y) - (x < y);
}

static struct value *mentions_ctx(const struct page *from, const struct entity *e)
{
	const struct mention **m = xmalloc((e->nmentions + 1) * sizeof(*m));
	for (size_t i = 0; i < e->nmentions; i++)
		m[i] = &e->mentions[i];
	if (e->nmentions)
		qsort(m, e->nmentions, sizeof(*m), mention_cmp);
	struct value *groups = value_new_array();
	struct value *g = NULL, *pages = NULL, *pg = NULL, *snips = NULL;
	const struct page *cur = NULL;
	for (size_t i = 0; i < e->nmentions; i++) {
		const struct page *p = m[i]->page;
		const char *label = *p->section ? p->section : "pages";
		if (!g || strcmp(value_get_str(g, "section", ""), label)) {
			g = push_table(groups);
			value_set_str(g, "section", label);
			pages = value_table_set(g, "pages", value_new_array());
			cur = NULL;
		}
		if (p != cur) {
			pg = value_array_push(pages, link_item(from, p));
			snips = value_table_set(pg, "snippets", value_new_array());
			value_set_int(pg, "count", 0);
			cur = p;
		}
		value_table_get(pg, "count")->u.i++;
		struct value *sn = push_table(snips);
		value_set_str(sn, "html", m[i]->snippet_html);
		struct strbuf frag = STRBUF_INIT;
		if (m[i]->block)
			anchor_block(&frag, (size_t)m[i]->block);
		set_url(sn, "url", from, p->out, m[i]->block ? frag.ptr : m[i]->anchor);
		sb_free(&frag);
	}
	free(m);
	return groups;
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

static struct value *related_ctx(const struct site *s, const struct page *from,
				 const struct entity *e)
{
	struct related *v = xmalloc((s->nentities + 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < s->nentities; i++)
		if (e->cooccur[i] && i != e->index)
			v[n++] = (struct related){ e->cooccur[i], i };
	if (n)
		qsort(v, n, sizeof(*v), related_cmp);
	struct value *list = value_new_array();
	for (size_t i = 0; i < n && i < 12; i++) {
		const struct entity *o = s->entities[v[i].index];
		struct value *it = value_array_push(list, link_item(from, o->page));
		value_set_int(it, "count", (int64_t)v[i].count);
		value_set_str(it, "kind", o->kind);
	}
	free(v);
	return list;
}

struct value *entity_ctx(const struct site *s, const struct page *p)
{
	const struct entity *e = p->entity;
	struct value *v = value_new_table();
	value_set_str(v, "kind", e->kind);
	struct value *al = value_new_array();
	const struct value *src = value_table_get(p->fm, "aliases");
	for (size_t i = 0; src && src->type == VALUE_ARRAY && i < src->u.a.n; i++)
		if (src->u.a.items[i]->type == VALUE_STRING)
			value_array_push(al, value_new_cstr(src->u.a.items[i]->u.s.p));
	set_list(v, "aliases", al, "has_aliases");
	value_set_int(v, "mention_count", (int64_t)e->nmentions);
	set_list(v, "mentions", mentions_ctx(p, e), "has_mentions");
	set_list(v, "related", related_ctx(s, p, e), "has_related");
	return v;
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
