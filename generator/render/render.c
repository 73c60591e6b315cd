#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "anchor.h"
#include "archive.h"
#include "data.h"
#include "fsutil.h"
#include "history.h"
#include "wdiff.h"
#include "html.h"
#include "independence.h"
#include "json.h"
#include "markdown.h"
#include "mustache.h"
#include "print.h"
#include "search.h"
#include "strbuf.h"
#include "theme.h"
#include "xalloc.h"

/* The site's base_url while the 404 page renders, else NULL: a host
 * serves 404.html at any missing address, where relative URLs break, so
 * that page alone gets absolute URLs when the site knows its address. */
static const char *absolute_base;

/* "base/" + `out`: the absolute URL of an output file. */
static void absolute_url(struct strbuf *sb, const char *base, const char *out)
{
	sb_puts(sb, base);
	if (!*base || base[strlen(base) - 1] != '/')
		sb_putc(sb, '/');
	sb_puts(sb, out);
}

/* Context helpers: every URL is made relative to the page rendered, and
 * percent-encoded (path and fragment; file names may hold ' ', '#', '?'). */
static void set_url(struct value *t, const char *key, const struct page *from,
		    const char *to_out, const char *frag)
{
	char *rel = fs_relurl(from->out, to_out);
	struct strbuf sb = STRBUF_INIT;
	if (absolute_base && from->kind == PAGE_404) {
		sb_puts(&sb, absolute_base);
		if (!*absolute_base || absolute_base[strlen(absolute_base) - 1] != '/')
			sb_putc(&sb, '/');
		url_escape_path(&sb, to_out, strlen(to_out));
	} else {
		url_escape_path(&sb, rel, strlen(rel));
	}
	if (frag && *frag) {
		sb_putc(&sb, '#');
		url_escape_path(&sb, frag, strlen(frag));
	}
	value_set_str(t, key, sb.ptr);
	sb_free(&sb);
	free(rel);
}

/* A page's URL from the output root, for the scripts' indexes. */
static void set_root_url(struct value *t, const char *key, const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	url_escape_path(&sb, out, strlen(out));
	value_set_str(t, key, sb.ptr);
	sb_free(&sb);
}

static struct value *link_item(const struct page *from, const struct page *to)
{
	struct value *v = value_new_table();
	value_set_str(v, "title", to->title);
	set_url(v, "url", from, to->out, NULL);
	return v;
}

static struct value *push_table(struct value *arr)
{
	return value_array_push(arr, value_new_table());
}

static void set_list(struct value *t, const char *key, struct value *list,
		     const char *has_key)
{
	if (has_key)
		value_set_bool(t, has_key, list->u.a.n > 0);
	value_table_set(t, key, list);
}

static struct value *site_ctx(const struct site *s)
{
	struct value *v = value_new_table();
	value_set_str(v, "title", s->cfg.title);
	value_set_str(v, "description", s->cfg.description);
	value_set_str(v, "base_url", s->cfg.base_url);
	value_set_bool(v, "has_repo", *s->cfg.repo_url != '\0');
	value_set_str(v, "repo_url", s->cfg.repo_url);
	value_table_set(v, "params", s->cfg.params ? value_copy(s->cfg.params) : value_new_table());
	return v;
}

static struct value *menu_ctx(const struct site *s, const struct page *p)
{
	/* Every menu target has a fixed output path: a binary search each. */
	static const struct {
		const char *out, *section, *title;
	} items[] = {
		{ "index.html", NULL, "Home" },
		{ "topics/index.html", "topics", "Topics" },
		{ "articles/index.html", "articles", "Articles" },
		{ "entities/index.html", "entities", "Entities" },
		{ "claims.html", NULL, "Claims" },
		{ "changes.html", NULL, "Changes" },
		{ "search.html", NULL, "Search" },
	};
	struct value *menu = value_new_array();
	for (size_t i = 0; i < sizeof(items) / sizeof(*items); i++) {
		const struct page *t = site_find_out(s, items[i].out);
		if (!t)
			continue;
		struct value *it = push_table(menu);
		value_set_str(it, "title", items[i].title);
		set_url(it, "url", p, t->out, NULL);
		bool active = t == p || (items[i].section && !strcmp(p->section, items[i].section));
		value_set_bool(it, "active", active);
	}
	return menu;
}

static bool is_unknown(const char *s)
{
	return !s || !*s || !strcmp(s, "unknown");
}

static struct value *article_meta(const struct page *p)
{
	static const char *const keys[][2] = {
		{ "publisher", "Publisher" }, { "published", "Published" }, { "author", "Author" },
		{ "url", "Original URL" }, { "seed", "Seed file" },
	};
	struct value *meta = value_new_array();
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		const struct value *v = value_table_get(p->fm, keys[i][0]);
		const char *s = v && v->type == VALUE_STRING ? v->u.s.p : NULL;
		struct value *m = push_table(meta);
		value_set_str(m, "key", keys[i][0]);
		value_set_str(m, "label", keys[i][1]);
		value_set_str(m, "value", is_unknown(s) ? "unknown" : s);
		value_set_bool(m, "unknown", is_unknown(s));
	}
	return meta;
}

static struct value *article_ctx(const struct page *p)
{
	struct value *a = value_new_table();
	static const char *const keys[] = { "publisher", "published", "url", "author", "seed" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		const struct value *v = value_table_get(p->fm, keys[i]);
		value_set_str(a, keys[i], v && v->type == VALUE_STRING ? v->u.s.p : "unknown");
	}
	value_set_str(a, "short", p->short_title ? p->short_title : p->title);
	value_set_bool(a, "title_from_editor",
		       !strcmp(value_get_str(p->fm, "title_source", ""), "editor"));
	value_table_set(a, "meta", article_meta(p));
	return a;
}

static struct value *annotations_ctx(const struct page *p, bool unsafe)
{
	struct value *list = value_new_array();
	for (size_t i = 0; i < p->nannotations; i++) {
		const struct annotation_entry *a = &p->annotations[i];
		struct value *v = push_table(list);
		struct strbuf id = STRBUF_INIT;
		anchor_annotation(&id, a->number, NULL);
		value_set_int(v, "number", a->number);
		value_set_str(v, "id", id.ptr);
		value_set_str(v, "quote", a->quote);
		value_set_int(v, "block", a->block);
		/* The note as rendered in its aside: links rewritten, entities
		 * linked. Each child is rendered alone, without the aside. */
		struct strbuf note = STRBUF_INIT;
		for (cmark_node *c = a->aside ? cmark_node_first_child(a->aside) : NULL; c;
		     c = cmark_node_next(c)) {
			char *h = markdown_render(c, unsafe);
			sb_puts(&note, h);
			free(h);
		}
		value_set_str(v, "note", note.ptr);
		sb_free(&note);
		sb_clear(&id);
		sb_putc(&id, '#');
		anchor_annotation(&id, a->number, NULL);
		value_set_str(v, "url", id.ptr);
		sb_clear(&id);
		sb_putc(&id, '#');
		anchor_annotation(&id, a->number, "-note");
		value_set_str(v, "note_url", id.ptr);
		sb_free(&id);
	}
	return list;
}

static struct value *toc_ctx(const struct page *p)
{
	struct value *list = value_new_array();
	for (size_t i = 0; i < p->nheadings; i++) {
		const struct heading *h = &p->headings[i];
		if (h->level < 2 || h->level > 3)
			continue;
		struct value *v = push_table(list);
		value_set_str(v, "id", h->id);
		value_set_str(v, "title", h->text);
		value_set_int(v, "level", h->level);
		value_set_bool(v, "sub", h->level == 3);
		struct strbuf u = STRBUF_INIT;
		sb_printf(&u, "#%s", h->id);
		value_set_str(v, "url", u.ptr);
		sb_free(&u);
	}
	return list;
}

static struct value *page_summary(const struct page *from, const struct page *p)
{
	struct value *v = link_item(from, p);
	value_set_str(v, "description", p->description);
	value_set_str(v, "date", p->date);
	value_set_str(v, "kind", p->entity ? p->entity->kind : page_kind_name(p->kind));
	if (p->kind == PAGE_ARTICLE) {
		value_table_set(v, "meta", article_meta(p));
		value_set_str(v, "short", p->short_title ? p->short_title : p->title);
	}
	value_set_int(v, "count", p->entity ? (int64_t)p->entity->nmentions : (int64_t)p->nchildren);
	value_set_int(v, "annotations", (int64_t)p->nannotations);
	value_set_int(v, "cited_by", (int64_t)p->ncited_by_pages);
	return v;
}

static struct value *children_ctx(const struct page *p)
{
	struct value *list = value_new_array();
	for (size_t i = 0; i < p->nchildren; i++)
		value_array_push(list, page_summary(p, p->children[i]));
	return list;
}

static struct value *breadcrumbs_ctx(const struct site *s, const struct page *p)
{
	struct value *list = value_new_array();
	const struct page *home = site_find_out(s, "index.html");
	if (home && home != p)
		value_array_push(list, link_item(p, home));
	if (p->parent && p->parent != p)
		value_array_push(list, link_item(p, p->parent));
	return list;
}

static void prev_next(struct value *ctx, const struct page *p)
{
	const struct page *sec = p->parent;
	for (size_t i = 0; sec && i < sec->nchildren; i++) {
		if (sec->children[i] != p)
			continue;
		if (i > 0)
			value_table_set(ctx, "prev", link_item(p, sec->children[i - 1]));
		if (i + 1 < sec->nchildren)
			value_table_set(ctx, "next", link_item(p, sec->children[i + 1]));
	}
}

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

static struct value *entity_ctx(const struct site *s, const struct page *p)
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

static const char *status_label(const char *status)
{
	if (!strcmp(status, "consistent"))
		return "Consistent across sources";
	if (!strcmp(status, "disputed"))
		return "Disputed";
	if (!strcmp(status, "unsupported"))
		return "Unsupported";
	return "Reported only";
}

static struct value *claim_ctx(const struct page *from, const struct claim *c)
{
	struct value *v = value_new_table();
	value_set_str(v, "id", c->id);
	value_set_str(v, "claim", c->text);
	value_set_str(v, "status", c->status);
	value_set_str(v, "status_label", status_label(c->status));
	value_set_str(v, "topic", c->topic->title);
	set_url(v, "topic_url", from, c->topic->out, c->id);
	set_url(v, "section_url", from, c->topic->out, *c->section ? c->section : c->id);
	struct value *srcs = value_new_array();
	for (size_t i = 0; i < c->nsources; i++) {
		const struct claim_source *cs = &c->sources[i];
		if (!cs->target)
			continue;
		struct value *sv = push_table(srcs);
		struct strbuf frag = STRBUF_INIT, label = STRBUF_INIT;
		anchor_block(&frag, (size_t)cs->block);
		sb_printf(&label, "%s ", cs->target->short_title);
		anchor_block_label(&label, (size_t)cs->block);
		value_set_str(sv, "title", label.ptr);
		set_url(sv, "url", from, cs->target->out, frag.ptr);
		sb_free(&frag);
		sb_free(&label);
		value_set_str(sv, "wording", cs->wording);
	}
	independence_claim(from, c, v, srcs);
	set_list(v, "sources", srcs, "has_sources");
	return v;
}

static struct value *claims_ctx(const struct page *p)
{
	struct value *list = value_new_array();
	for (size_t i = 0; i < p->nclaims; i++)
		value_array_push(list, claim_ctx(p, &p->claims[i]));
	return list;
}

/* The claims page: every claim, grouped by status, then topic order. */
static struct value *claim_groups(const struct site *s, const struct page *p)
{
	static const char *const statuses[] = { "disputed", "unsupported", "reported", "consistent" };
	struct value *groups = value_new_array();
	for (size_t k = 0; k < 4; k++) {
		struct value *items = value_new_array();
		for (size_t i = 0; i < s->nclaims; i++)
			if (!strcmp(s->claims[i]->status, statuses[k]))
				value_array_push(items, claim_ctx(p, s->claims[i]));
		if (!items->u.a.n) {
			value_free(items);
			continue;
		}
		struct value *g = push_table(groups);
		value_set_str(g, "title", status_label(statuses[k]));
		value_set_str(g, "status", statuses[k]);
		value_table_set(g, "items", items);
	}
	return groups;
}

/* The entities index: grouped by kind, in the registry's kind order. */
static struct value *entity_groups(const struct site *s, const struct page *p)
{
	static const char *const kinds[][2] = {
		{ "person", "People" }, { "organization", "Organizations" }, { "model", "Models" },
		{ "product", "Products" }, { "place", "Places" }, { "market", "Markets" },
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

static void revision_out(const struct page *p, const struct history_commit *c, struct strbuf *out)
{
	if (*p->section)
		sb_printf(out, "revisions/%s/%s-%s.html", p->section, p->slug, c->short_hash);
	else
		sb_printf(out, "revisions/%s-%s.html", *p->slug ? p->slug : "index", c->short_hash);
}

static struct value *history_ctx(const struct site *s, const struct page *p)
{
	struct value *h = value_new_table();
	struct value *entries = value_new_array();
	bool available = s->history && history_available(s->history);
	value_set_bool(h, "unavailable", !available);
	const struct history_file *f = available ? p->history : NULL;
	for (size_t i = 0; f && i < f->n; i++) {
		const struct history_change *c = &f->changes[i];
		const struct history_commit *cm = c->commit;
		struct value *e = push_table(entries);
		char date[32], datetime[40];
		history_format_date(cm, date, sizeof date, datetime, sizeof datetime);
		value_set_str(e, "hash", cm->hash);
		value_set_str(e, "short", cm->short_hash);
		value_set_str(e, "date", date);
		value_set_str(e, "datetime", datetime);
		value_set_str(e, "author", cm->author);
		value_set_str(e, "subject", cm->subject);
		if (*s->cfg.repo_url) {
			struct strbuf u = STRBUF_INIT;
			sb_printf(&u, "%s/commit/%s", s->cfg.repo_url, cm->hash);
			value_set_str(e, "commit_url", u.ptr);
			sb_free(&u);
		}
		if ((int)i < s->cfg.history_diffs) {
			struct strbuf out = STRBUF_INIT;
			revision_out(p, cm, &out);
			set_url(e, "diff_url", p, out.ptr, NULL);
			sb_free(&out);
		}
	}
	if (f) {
		char date[32], datetime[40];
		if (f->added) {
			history_format_date(f->added, date, sizeof date, datetime, sizeof datetime);
			value_set_str(h, "added", date);
		}
		if (f->updated) {
			history_format_date(f->updated, date, sizeof date, datetime, sizeof datetime);
			value_set_str(h, "updated", date);
		}
		value_set_bool(h, "truncated", f->truncated);
		value_set_bool(h, "uncommitted", f->uncommitted);
	}
	set_list(h, "entries", entries, "has_entries");
	return h;
}

static void source_links(const struct site *s, const struct page *p, struct value *v)
{
	if (!*s->cfg.repo_url || !p->src)
		return;
	struct strbuf u = STRBUF_INIT;
	sb_printf(&u, "%s/blob/%s/%s%scontent/%s", s->cfg.repo_url, s->cfg.repo_branch,
		  s->content_prefix ? s->content_prefix : "", "", p->src);
	value_set_str(v, "source_url", u.ptr);
	sb_clear(&u);
	sb_printf(&u, "%s/edit/%s/%scontent/%s", s->cfg.repo_url, s->cfg.repo_branch,
		  s->content_prefix ? s->content_prefix : "", p->src);
	value_set_str(v, "edit_url", u.ptr);
	sb_free(&u);
}

static struct value *page_ctx(const struct site *s, const struct page *p, const char *html)
{
	struct value *v = value_new_table();
	value_set_str(v, "kind", page_kind_name(p->kind));
	for (int k = 0; k < PAGE_KIND_COUNT; k++) {
		char key[32];
		snprintf(key, sizeof key, "is_%s", page_kind_name((enum page_kind)k));
		value_set_bool(v, key, p->kind == (enum page_kind)k);
	}
	value_set_str(v, "title", p->title);
	value_set_str(v, "description", p->description);
	value_set_str(v, "date", p->date);
	struct strbuf u = STRBUF_INIT;
	url_escape_path(&u, fs_basename(p->out), strlen(fs_basename(p->out)));
	value_set_str(v, "url", u.ptr);
	if (*s->cfg.base_url) {
		sb_clear(&u);
		sb_printf(&u, "%s%s", s->cfg.base_url,
			  s->cfg.base_url[strlen(s->cfg.base_url) - 1] == '/' ? "" : "/");
		url_escape_path(&u, p->out, strlen(p->out));
		value_set_str(v, "permalink", u.ptr);
		sb_free(&u);
	} else {
		sb_free(&u);
		value_set_str(v, "permalink", "");
	}
	value_set_str(v, "content", html ? html : "");
	/* OpenGraph's type and the page's schema.org data (data.h). */
	value_set_str(v, "og_type", p->kind == PAGE_ARTICLE || p->kind == PAGE_TOPIC ? "article" : "website");
	struct strbuf ld = STRBUF_INIT;
	data_page_jsonld(s, p, &ld);
	value_set_str(v, "jsonld", ld.ptr);
	sb_free(&ld);
	struct value *toc = toc_ctx(p);
	value_set_bool(v, "has_toc", toc->u.a.n >= 3);
	value_table_set(v, "toc", toc);
	set_list(v, "breadcrumbs", breadcrumbs_ctx(s, p), "has_breadcrumbs");
	prev_next(v, p);
	value_table_set(v, "history", history_ctx(s, p));
	source_links(s, p, v);
	struct value *cited = value_new_array();
	for (size_t i = 0; i < p->ncited_by_pages; i++)
		value_array_push(cited, link_item(p, p->cited_by_pages[i]));
	set_list(v, "cited_by", cited, "has_cited_by");
	if (p->kind == PAGE_ARTICLE) {
		value_table_set(v, "article", article_ctx(p));
		set_list(v, "annotations", annotations_ctx(p, s->cfg.unsafe), "has_annotations");
		independence_article(p, v);
	}
	if (p->kind == PAGE_HOME || p->kind == PAGE_CLAIMS ||
	    (p->kind == PAGE_SECTION && !strcmp(p->section, "articles")))
		value_table_set(v, "sources", independence_site(s, p));
	if (p->entity)
		value_table_set(v, "entity", entity_ctx(s, p));
	if (p->nclaims)
		set_list(v, "claims", claims_ctx(p), "has_claims");
	if (p->nchildren)
		set_list(v, "pages", children_ctx(p), "has_pages");
	if (p->kind == PAGE_ENTITIES)
		set_list(v, "groups", entity_groups(s, p), "has_groups");
	if (p->kind == PAGE_CLAIMS)
		set_list(v, "groups", claim_groups(s, p), "has_groups");
	return v;
}

/* The page a change belongs to: its file's current path, relative to
 * content/ like a page's source. */
static const struct page *page_of_change(const struct site *s, const struct history_change *c)
{
	return c->file ? site_find_src(s, c->file->path) : NULL;
}

/* The changes page: the commits that touched content/, newest first, by
 * day; one entry per commit with the pages it touched. */
static void render_changes_ctx(const struct site *s, const struct page *p, struct value *pc)
{
	struct value *days = value_new_array();
	const struct history_change *const *all = NULL;
	size_t n = s->history && history_available(s->history) ? history_all(s->history, &all) : 0;
	struct value *day = NULL, *commits = NULL, *pages = NULL;
	const struct history_commit *cur = NULL;
	size_t ncommits = 0;
	for (size_t i = 0; i < n && i < 500; i++) {
		const struct history_change *c = all[i];
		const struct page *target = page_of_change(s, c);
		char date[32], datetime[40];
		history_format_date(c->commit, date, sizeof date, datetime, sizeof datetime);
		if (!day || strcmp(value_get_str(day, "date", ""), date)) {
			day = push_table(days);
			value_set_str(day, "date", date);
			commits = value_table_set(day, "commits", value_new_array());
			cur = NULL;
		}
		if (c->commit != cur) {
			cur = c->commit;
			ncommits++;
			struct value *e = push_table(commits);
			value_set_str(e, "time", datetime + 11);
			value_set_str(e, "datetime", datetime);
			value_set_str(e, "subject", c->commit->subject);
			value_set_str(e, "author", c->commit->author);
			value_set_str(e, "short", c->commit->short_hash);
			value_set_str(e, "hash", c->commit->hash);
			if (*s->cfg.repo_url) {
				struct strbuf u = STRBUF_INIT;
				sb_printf(&u, "%s/commit/%s", s->cfg.repo_url, c->commit->hash);
				value_set_str(e, "commit_url", u.ptr);
				sb_free(&u);
			}
			pages = value_table_set(e, "pages", value_new_array());
		}
		struct value *pg = push_table(pages);
		value_set_str(pg, "title", target ? target->title : fs_basename(c->path));
		if (target) {
			set_url(pg, "url", p, target->out, NULL);
			const struct history_file *f = target->history;
			for (size_t k = 0; f && k < f->n && (int)k < s->cfg.history_diffs; k++)
				if (f->changes[k].commit == c->commit) {
					struct strbuf out = STRBUF_INIT;
					revision_out(target, c->commit, &out);
					set_url(pg, "diff_url", p, out.ptr, NULL);
					sb_free(&out);
				}
		}
		char st[2] = { c->status, 0 };
		value_set_str(pg, "status", st);
		value_set_str(pg, "status_label", c->status == 'A' ? "added" : c->status == 'D' ? "deleted"
						 : c->status == 'R' ? "renamed" : "changed");
	}
	value_set_int(pc, "commit_count", (int64_t)ncommits);
	set_list(pc, "changes", days, "has_changes");
}

/* print.html: `page.parts`, the home page and then one part per section
 * (topics, articles, entities), each page's HTML relocated into the one
 * document (print.h). */
static void print_ctx(const struct site *s, struct value *pc)
{
	struct print_doc pd;
	print_doc_init(&pd, s);
	struct value *parts = value_new_array();
	struct value *part = NULL, *pages = NULL;
	const char *cur = NULL;
	for (size_t i = 0; i < pd.n; i++) {
		const struct page *q = pd.pages[i];
		if (!cur || strcmp(cur, q->section)) {
			cur = q->section;
			part = push_table(parts);
			struct strbuf sec = STRBUF_INIT;
			sb_printf(&sec, "%s/index.html", q->section);
			const struct page *sp = *q->section ? site_find_out(s, sec.ptr) : NULL;
			value_set_str(part, "title", sp ? sp->title : "");
			value_set_bool(part, "has_title", sp != NULL);
			sb_clear(&sec);
			sb_printf(&sec, "part-%s", *q->section ? q->section : "home");
			value_set_str(part, "id", sec.ptr);
			sb_free(&sec);
			pages = value_table_set(part, "pages", value_new_array());
		}
		struct value *v = push_table(pages);
		struct strbuf id = STRBUF_INIT, body = STRBUF_INIT;
		print_page_id(q, &id);
		value_set_str(v, "id", id.ptr);
		struct strbuf url = STRBUF_INIT;
		sb_printf(&url, "#%s", id.ptr);
		value_set_str(v, "url", url.ptr);
		sb_free(&url);
		value_set_str(v, "title", q->title);
		value_set_str(v, "description", q->description);
		value_set_str(v, "kind", q->entity ? q->entity->kind : page_kind_name(q->kind));
		value_set_bool(v, "is_article", q->kind == PAGE_ARTICLE);
		if (q->kind == PAGE_ARTICLE) {
			value_table_set(v, "meta", article_meta(q));
			value_set_str(v, "short", q->short_title ? q->short_title : q->title);
		}
		char *html = q->doc ? markdown_render(q->doc, s->cfg.unsafe) : NULL;
		if (html)
			print_relocate(s, &pd, q, html, &body);
		value_set_str(v, "content", body.ptr ? body.ptr : "");
		free(html);
		sb_free(&id);
		sb_free(&body);
	}
	value_set_int(pc, "page_count", (int64_t)pd.n);
	set_list(pc, "parts", parts, "has_parts");
	print_doc_free(&pd);
}

#define SEARCH_LIST_MAX 500

/* Values every page's context shares, relative to page `p`. */
static void common_ctx(const struct site *s, const struct theme *t,
		       const struct page *p, struct value *ctx)
{
	char *root = fs_root_of(p->out);
	if (absolute_base && p->kind == PAGE_404) {
		struct strbuf abs = STRBUF_INIT;
		absolute_url(&abs, absolute_base, "");
		value_set_str(ctx, "root", abs.ptr);
		sb_free(&abs);
	} else {
		value_set_str(ctx, "root", root);
	}
	free(root);
	value_set_bool(ctx, "absolute_urls", absolute_base && p->kind == PAGE_404);
	set_url(ctx, "root_probe_url", p, "dossier-root.js", NULL);
	value_set_str(ctx, "lang", s->cfg.language);
	value_set_str(ctx, "generator", "dossier " DOSSIER_VERSION);
	value_table_set(ctx, "site", site_ctx(s));
	value_table_set(ctx, "menu", menu_ctx(s, p));
	struct value *css = value_new_array();
	for (size_t i = 0; i < t->ncss; i++)
		set_url(push_table(css), "url", p, t->css[i], NULL);
	value_table_set(ctx, "css", css);
	if (t->has_js)
		set_url(ctx, "js_url", p, "dossier.js", NULL);
	set_url(ctx, "search_index_url", p, "search-index.js", NULL);
	set_url(ctx, "search_url", p, "search/index.js", NULL);
	set_url(ctx, "search_js_url", p, "search.js", NULL);
	if (site_find_out(s, "search.html"))
		set_url(ctx, "search_page_url", p, "search.html", NULL);
	set_url(ctx, "entities_url", p, "entities.js", NULL);
	set_url(ctx, "feed_url", p, "atom.xml", NULL);
	if (site_find_out(s, "print.html"))
		set_url(ctx, "print_url", p, "print.html", NULL);
}

static int write_out(const char *out_dir, const char *rel, const char *data, size_t len,
		     struct diag *d)
{
	if (!fs_rel_is_safe(rel)) {
		diag_error(d, rel, 0, 0, "refusing to write outside the output folder");
		return -1;
	}
	char *path = fs_join(out_dir, rel);
	int rc = fs_mkdir_parent(path);
	if (rc == 0)
		rc = fs_write_file(path, data, len);
	if (rc < 0)
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

static int render_ctx(const struct theme *t, const char *tmpl, const struct value *ctx,
		      const char *out_dir, const char *out, struct diag *d)
{
	struct strbuf html = STRBUF_INIT;
	const char *name = mustache_set_has(t->templates, tmpl) ? tmpl : "page";
	int rc = mustache_render(t->templates, name, ctx, MUSTACHE_STRICT, &html, d);
	if (rc == 0)
		rc = write_out(out_dir, out, html.ptr, html.size, d);
	sb_free(&html);
	return rc;
}

/* `download` (bytes, or 0): the home page links the offline archive. */
static int render_page(const struct site *s, const struct theme *t, const struct page *p,
		       const char *out_dir, long download, struct diag *d)
{
	char *html = p->doc ? markdown_render(p->doc, s->cfg.unsafe) : NULL;
	struct value *ctx = value_new_table();
	common_ctx(s, t, p, ctx);
	struct value *pc = value_table_set(ctx, "page", page_ctx(s, p, html));
	if (download > 0) {
		char size[32];
		snprintf(size, sizeof size, "%.1f MB", (double)download / 1e6);
		set_url(pc, "download_url", p, s->archive, NULL);
		value_set_str(pc, "download_size", size);
	}
	/* The search page lists every page for readers without script, up to
	 * SEARCH_LIST_MAX pages (beyond, its size would be the site's: the
	 * menu's section lists remain). */
	if (p->kind == PAGE_SEARCH || p->kind == PAGE_404) {
		struct value *all = value_new_array();
		for (size_t i = 0; i < s->npages && s->npages <= SEARCH_LIST_MAX; i++)
			if (s->pages[i]->src)
				value_array_push(all, page_summary(p, s->pages[i]));
		set_list(pc, "pages", all, "has_pages");
	}
	if (p->kind == PAGE_CHANGES)
		render_changes_ctx(s, p, pc);
	if (p->kind == PAGE_PRINT)
		print_ctx(s, pc);
	int rc = render_ctx(t, page_kind_name(p->kind), ctx, out_dir, p->out, d);
	value_free(ctx);
	free(html);
	return rc;
}

static int render_revisions(const struct site *s, const struct theme *t, const struct page *p,
			    const char *out_dir, struct diag *d)
{
	const struct history_file *f = p->history;
	int rc = 0;
	for (size_t i = 0; f && i < f->n && (int)i < s->cfg.history_diffs; i++) {
		const struct history_change *c = &f->changes[i];
		char *old = NULL, *new = NULL;
		size_t on = 0, nn = 0;
		if (history_blobs(s->history, c, &old, &on, &new, &nn, d) < 0)
			continue;
		struct strbuf diff = STRBUF_INIT, out = STRBUF_INIT, title = STRBUF_INIT;
		wdiff_html(&diff, old, on, new, nn);
		revision_out(p, c->commit, &out);
		sb_printf(&title, "%s — revision %s", p->title, c->commit->short_hash);
		struct page rp;
		memset(&rp, 0, sizeof rp);
		rp.kind = PAGE_REVISION;
		rp.out = out.ptr;
		rp.section = (char *)"";
		rp.title = title.ptr;
		rp.description = "";
		rp.date = "";
		rp.fm = value_new_table();
		struct value *ctx = value_new_table();
		common_ctx(s, t, &rp, ctx);
		struct value *pc = value_table_set(ctx, "page", page_ctx(s, &rp, NULL));
		struct value *rv = value_table_set(pc, "revision", value_new_table());
		char date[32], datetime[40];
		history_format_date(c->commit, date, sizeof date, datetime, sizeof datetime);
		value_set_str(rv, "hash", c->commit->hash);
		value_set_str(rv, "short", c->commit->short_hash);
		value_set_str(rv, "date", date);
		value_set_str(rv, "datetime", datetime);
		value_set_str(rv, "author", c->commit->author);
		value_set_str(rv, "subject", c->commit->subject);
		value_set_str(rv, "page_title", p->title);
		set_url(rv, "page_url", &rp, p->out, NULL);
		value_set_str(rv, "diff", diff.ptr);
		if (render_ctx(t, "revision", ctx, out_dir, out.ptr, d) < 0)
			rc = -1;
		value_free(ctx);
		value_free(rp.fm);
		sb_free(&diff);
		sb_free(&out);
		sb_free(&title);
		free(old);
		free(new);
	}
	return rc;
}

/* A page's first sentence (at most ~200 bytes), for cards and lists. */
static const char *first_sentence(const struct page *p, struct strbuf *sb)
{
	sb_clear(sb);
	cmark_node *para = p->doc ? cmark_node_first_child(p->doc) : NULL;
	if (!para)
		return "";
	markdown_text(para, sb);
	const char *end = strstr(sb->ptr, ". ");
	size_t n = end ? (size_t)(end - sb->ptr) + 1 : sb->size;
	if (n > 200) {
		n = 200;
		while (n > 0 && sb->ptr[n] != ' ')
			n--;
	}
	sb_truncate(sb, n);
	return sb->ptr;
}

/* Every entity: title, kind, a one-line description, its page (from the
 * output root) and how often it is mentioned. Shared by the search index
 * and entities.js, which hover cards load instead of the whole index. */
static struct value *entities_table(const struct site *s)
{
	struct value *ents = value_new_table();
	struct strbuf lead = STRBUF_INIT;
	for (size_t i = 0; i < s->nentities; i++) {
		const struct entity *e = s->entities[i];
		struct value *v = value_table_set(ents, e->slug, value_new_table());
		value_set_str(v, "t", e->page->title);
		value_set_str(v, "k", e->kind);
		value_set_str(v, "d", *e->page->description ? e->page->description
							   : first_sentence(e->page, &lead));
		set_root_url(v, "u", e->page->out);
		value_set_int(v, "n", (int64_t)e->nmentions);
	}
	sb_free(&lead);
	return ents;
}

/* search-index.js: a script (a fetch of JSON fails on file://) defining
 * window.DOSSIER_INDEX; the contract is in themes/README.md. */
/* The text of a page without numbered blocks as [heading id, text]
 * segments: the text before the first heading, then each heading's. */
static struct value *page_segments(const struct page *p)
{
	struct value *segs = value_new_array();
	struct strbuf txt = STRBUF_INIT;
	const char *id = "";
	for (cmark_node *c = cmark_node_first_child(p->doc);; c = cmark_node_next(c)) {
		const struct heading *h = NULL;
		for (size_t k = 0; c && k < p->nheadings && !h; k++)
			if (p->headings[k].node == c)
				h = &p->headings[k];
		if (!c || h) {
			if (txt.size) {
				struct value *pair = value_array_push(segs, value_new_array());
				value_array_push(pair, value_new_cstr(id));
				value_array_push(pair, value_new_string(txt.ptr, txt.size));
			}
			if (!c)
				break;
			sb_clear(&txt);
			id = h->id;
			continue;
		}
		markdown_text(c, &txt);
		if (txt.size && txt.ptr[txt.size - 1] != ' ')
			sb_putc(&txt, ' ');
	}
	sb_free(&txt);
	return segs;
}

/* A page as the search index holds it (themes/README.md): t, u, k, d, h,
 * p (articles' blocks) or b (segments), a (annotations). */
static struct value *search_page(const struct page *p)
{
	struct value *v = value_new_table();
	value_set_str(v, "t", p->title);
	set_root_url(v, "u", p->out);
	value_set_str(v, "k", p->entity ? p->entity->kind : page_kind_name(p->kind));
	value_set_str(v, "d", p->description);
	struct value *hs = value_table_set(v, "h", value_new_array());
	for (size_t k = 0; k < p->nheadings; k++) {
		struct value *pair = value_array_push(hs, value_new_array());
		value_array_push(pair, value_new_cstr(p->headings[k].id));
		value_array_push(pair, value_new_cstr(p->headings[k].text));
	}
	if (p->nblocks) {
		struct value *bs = value_table_set(v, "p", value_new_array());
		for (size_t k = 0; k < p->nblocks; k++) {
			struct strbuf txt = STRBUF_INIT;
			markdown_text(p->blocks[k].node, &txt);
			value_array_push(bs, value_new_string(txt.ptr, txt.size));
			sb_free(&txt);
		}
	} else {
		value_table_set(v, "b", page_segments(p));
	}
	/* Annotations as [quote, note text]: #aN and #aN-note. */
	struct value *an = value_table_set(v, "a", value_new_array());
	for (size_t k = 0; k < p->nannotations; k++) {
		struct value *pair = value_array_push(an, value_new_array());
		struct strbuf note = STRBUF_INIT;
		cmark_node *aside = p->annotations[k].aside;
		for (cmark_node *c = aside ? cmark_node_first_child(aside) : NULL; c;
		     c = cmark_node_next(c))
			markdown_text(c, &note);
		value_array_push(pair, value_new_cstr(p->annotations[k].quote));
		value_array_push(pair, value_new_string(note.ptr, note.size));
		sb_free(&note);
	}
	if (p->entity) {
		const struct value *al = value_table_get(p->fm, "aliases");
		struct value *names = value_table_set(v, "n", value_new_array());
		for (size_t k = 0; al && al->type == VALUE_ARRAY && k < al->u.a.n; k++)
			if (al->u.a.items[k]->type == VALUE_STRING)
				value_array_push(names, value_new_cstr(al->u.a.items[k]->u.s.p));
	}
	return v;
}

static void search_index(const struct site *s, struct strbuf *out)
{
	struct value *idx = value_new_table();
	struct value *pages = value_table_set(idx, "pages", value_new_array());
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->doc)
			value_array_push(pages, search_page(s->pages[i]));
	value_table_set(idx, "entities", entities_table(s));
	sb_puts(out, "window.DOSSIER_INDEX = ");
	json_write(out, idx, 0);
	sb_puts(out, ";\n");
	value_free(idx);
}

/* Adds every string of a search_page value's field to the index. */
static void index_strings(struct search_index *ix, const struct value *v, int weight)
{
	if (!v)
		return;
	if (v->type == VALUE_STRING)
		search_doc_field(ix, v->u.s.p, v->u.s.n, weight);
	else if (v->type == VALUE_ARRAY)
		for (size_t i = 0; i < v->u.a.n; i++)
			index_strings(ix, v->u.a.items[i], weight);
}

struct search_out {
	const char *out_dir;
	struct diag *d;
};

static int write_search_file(const char *name, const char *data, size_t len, void *ctx)
{
	struct search_out *so = ctx;
	struct strbuf rel = STRBUF_INIT;
	sb_printf(&rel, "search/%s", name);
	int rc = write_out(so->out_dir, rel.ptr, data, len, so->d);
	sb_free(&rel);
	return rc;
}

/* search/: the sharded index (search.h) and the pages' texts in shards of
 * SEARCH_DOCS, for results' titles and snippets. Document i of the index is
 * entry i % SEARCH_DOCS of search/d-<i / SEARCH_DOCS>.js. */
#define SEARCH_DOCS 8
static int search_files(const struct site *s, const char *out_dir, struct diag *d)
{
	struct search_index *ix = search_new();
	if (!ix) {
		diag_error(d, "search", 0, 0, "libstemmer has no English stemmer");
		return -1;
	}
	struct search_out so = { out_dir, d };
	struct strbuf sb = STRBUF_INIT, name = STRBUF_INIT;
	struct value *chunk = value_new_array();
	int rc = 0;
	size_t last = 0; /* the last page with a text */
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->doc)
			last = i;
	for (size_t i = 0; i < s->npages && !rc; i++) {
		const struct page *p = s->pages[i];
		if (!p->doc)
			continue;
		size_t doc = search_doc_begin(ix);
		struct value *v = value_array_push(chunk, search_page(p));
		/* Fields: title, names and headings weigh more than the text;
		 * headings come again in the text, where they stand. */
		index_strings(ix, value_table_get(v, "t"), 4);
		index_strings(ix, value_table_get(v, "n"), 3);
		index_strings(ix, value_table_get(v, "d"), 2);
		const struct value *hs = value_table_get(v, "h");
		for (size_t k = 0; hs && k < hs->u.a.n; k++)
			index_strings(ix, hs->u.a.items[k]->u.a.items[1], 2);
		index_strings(ix, value_table_get(v, "p"), 1);
		const struct value *b = value_table_get(v, "b");
		for (size_t k = 0; b && k < b->u.a.n; k++)
			index_strings(ix, b->u.a.items[k]->u.a.items[1], 1);
		index_strings(ix, value_table_get(v, "a"), 1);
		if ((doc + 1) % SEARCH_DOCS == 0 || i == last) {
			sb_clear(&sb);
			sb_printf(&sb, "(window.DOSSIER_SEARCH_D = window.DOSSIER_SEARCH_D || {})[%zu] = ",
				  doc / SEARCH_DOCS);
			json_write(&sb, chunk, 0);
			sb_puts(&sb, ";\n");
			sb_clear(&name);
			sb_printf(&name, "d-%zu.js", doc / SEARCH_DOCS);
			rc = write_search_file(name.ptr, sb.ptr, sb.size, &so);
			value_free(chunk);
			chunk = value_new_array();
		}
	}
	value_free(chunk);
	if (!rc) {
		char extra[64];
		snprintf(extra, sizeof extra, "\"docs\":%d,", SEARCH_DOCS);
		rc = search_write(ix, extra, write_search_file, &so);
	}
	sb_free(&sb);
	sb_free(&name);
	search_free(ix);
	return rc;
}

static void xml_text(struct strbuf *sb, const char *s)
{
	html_escape_text(sb, s, strlen(s));
}

static void sitemap(const struct site *s, struct strbuf *out)
{
	const char *base = s->cfg.base_url;
	const char *sep = base[strlen(base) - 1] == '/' ? "" : "/";
	sb_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < s->npages; i++) {
		if (s->pages[i]->kind == PAGE_404)
			continue;
		sb_puts(out, "  <url><loc>");
		xml_text(out, base);
		sb_puts(out, sep);
		url_escape_path(out, s->pages[i]->out, strlen(s->pages[i]->out));
		sb_puts(out, "</loc></url>\n");
	}
	sb_puts(out, "</urlset>\n");
}

/* Atom feed of the changes; ids are stable (commit hash + path). */
static void feed(const struct site *s, struct strbuf *out)
{
	const struct history_change *const *all = NULL;
	size_t n = s->history && history_available(s->history) ? history_all(s->history, &all) : 0;
	const char *base = s->cfg.base_url;
	const char *sep = *base && base[strlen(base) - 1] == '/' ? "" : "/";
	char date[32], updated[40] = "1970-01-01T00:00:00+00:00";
	if (n)
		history_format_date(all[0]->commit, date, sizeof date, updated, sizeof updated);
	sb_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>");
	xml_text(out, s->cfg.title);
	sb_puts(out, " — changes</title>\n  <id>");
	if (*base) {
		xml_text(out, base);
		sb_printf(out, "%schanges.html", sep);
	} else {
		sb_puts(out, "urn:dossier:changes:");
		url_escape_path(out, s->cfg.title, strlen(s->cfg.title));
	}
	sb_printf(out, "</id>\n  <updated>%s</updated>\n", updated);
	if (*base) {
		sb_puts(out, "  <link rel=\"alternate\" href=\"");
		xml_text(out, base);
		sb_printf(out, "%schanges.html\"/>\n  <link rel=\"self\" href=\"", sep);
		xml_text(out, base);
		sb_printf(out, "%satom.xml\"/>\n", sep);
	}
	for (size_t i = 0; i < n && i < 50; i++) {
		const struct history_change *c = all[i];
		const struct page *p = page_of_change(s, c);
		char dt[40];
		history_format_date(c->commit, date, sizeof date, dt, sizeof dt);
		sb_puts(out, "  <entry>\n    <title>");
		xml_text(out, p ? p->title : c->path);
		sb_puts(out, ": ");
		xml_text(out, c->commit->subject);
		sb_printf(out, "</title>\n    <id>urn:sha1:%s:", c->commit->hash);
		url_escape_path(out, c->path, strlen(c->path));
		sb_printf(out, "</id>\n    <updated>%s</updated>\n    <author><name>", dt);
		xml_text(out, c->commit->author);
		sb_puts(out, "</name></author>\n");
		if (p && *base) {
			sb_puts(out, "    <link href=\"");
			xml_text(out, base);
			sb_puts(out, sep);
			url_escape_path(out, p->out, strlen(p->out));
			sb_puts(out, "\"/>\n");
		}
		/* An entry needs content or an alternate link (RFC 4287
		 * 4.1.2); without base_url there is no absolute link. */
		sb_puts(out, "    <content type=\"text\">");
		xml_text(out, c->commit->subject);
		sb_puts(out, "</content>\n  </entry>\n");
	}
	sb_puts(out, "</feed>\n");
}

/* redirect_from: a small page at each old path pointing at the new one. */
static int redirects(const struct site *s, const char *out_dir, struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		const struct value *rf = value_table_get(p->fm, "redirect_from");
		for (size_t k = 0; rf && rf->type == VALUE_ARRAY && k < rf->u.a.n; k++) {
			const struct value *v = rf->u.a.items[k];
			if (v->type != VALUE_STRING)
				continue;
			struct strbuf old = STRBUF_INIT, html = STRBUF_INIT;
			sb_puts(&old, v->u.s.p);
			if (!strcmp(fs_extension(old.ptr), ".md") || !strcmp(fs_extension(old.ptr), ".txt")) {
				sb_truncate(&old, old.size - strlen(fs_extension(old.ptr)));
				sb_puts(&old, ".html");
			}
			if (!fs_rel_is_safe(old.ptr) || site_find_out(s, old.ptr)) {
				diag_error(d, p->file, v->line, v->col,
					   "redirect_from '%s' must be a relative path inside the site that no page uses",
					   v->u.s.p);
				rc = -1;
			} else {
				char *url = fs_relurl(old.ptr, p->out);
				sb_puts(&html, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
				html_escape_text(&html, p->title, strlen(p->title));
				sb_puts(&html, "</title><meta http-equiv=\"refresh\" content=\"0; url=");
				url_escape_path(&html, url, strlen(url));
				sb_puts(&html, "\"><link rel=\"canonical\" href=\"");
				/* Canonical is the page's absolute address when the
				 * site has one (as Hugo's alias pages do). */
				if (*s->cfg.base_url) {
					const char *b = s->cfg.base_url;
					html_escape_attr(&html, b, strlen(b));
					if (b[strlen(b) - 1] != '/')
						sb_putc(&html, '/');
					url_escape_path(&html, p->out, strlen(p->out));
				} else {
					url_escape_path(&html, url, strlen(url));
				}
				sb_puts(&html, "\"></head><body><p>This page has moved to <a href=\"");
				url_escape_path(&html, url, strlen(url));
				sb_puts(&html, "\">");
				html_escape_text(&html, p->title, strlen(p->title));
				sb_puts(&html, "</a>.</p></body></html>\n");
				if (write_out(out_dir, old.ptr, html.ptr, html.size, d) < 0)
					rc = -1;
				free(url);
			}
			sb_free(&old);
			sb_free(&html);
		}
	}
	return rc;
}

static int copy_assets(const struct site *s, const char *out_dir, struct diag *d)
{
	int rc = 0;
	char *cdir = fs_join(s->dir, "content");
	for (size_t i = 0; i < s->nassets; i++) {
		char *from = fs_join(cdir, s->assets[i]);
		char *to = fs_join(out_dir, s->assets[i]);
		if (fs_mkdir_parent(to) < 0 || fs_copy_file(from, to) < 0) {
			diag_error(d, from, 0, 0, "cannot copy asset: %s", strerror(errno));
			rc = -1;
		}
		free(from);
		free(to);
	}
	free(cdir);
	return rc;
}

/* Where an article's paragraph script goes: "articles/x.html" ->
 * "articles/x.paragraphs.js". */
static void paragraphs_out(const struct page *p, struct strbuf *out)
{
	sb_puts(out, p->out);
	if (!strcmp(fs_extension(out->ptr), ".html"))
		sb_truncate(out, out->size - 5);
	sb_puts(out, ".paragraphs.js");
}

/* An article's paragraph texts, for citation previews: a script (fetch
 * fails on file://) adding the article to window.DOSSIER_PARAGRAPHS under
 * its output path. Only pages that cite it load it, on first hover. */
static void paragraphs_script(const struct page *p, struct strbuf *out)
{
	struct value *v = value_new_table();
	value_set_str(v, "t", p->title);
	value_set_str(v, "s", p->short_title ? p->short_title : p->title);
	struct value *ps = value_table_set(v, "p", value_new_array());
	struct strbuf txt = STRBUF_INIT;
	for (size_t k = 0; k < p->nblocks; k++) {
		sb_clear(&txt);
		markdown_text(p->blocks[k].node, &txt);
		value_array_push(ps, value_new_string(txt.ptr, txt.size));
	}
	sb_free(&txt);
	sb_puts(out, "(window.DOSSIER_PARAGRAPHS = window.DOSSIER_PARAGRAPHS || {})[");
	struct value *key = value_new_cstr(p->out);
	json_write(out, key, 0);
	value_free(key);
	sb_puts(out, "] = ");
	json_write(out, v, 0);
	sb_puts(out, ";\n");
	value_free(v);
}

/* dossier-root.js, at the output root: a script that says where it was
 * loaded from. A 404 page served at an unknown depth (without base_url)
 * finds the site's root by loading it from each parent folder in turn. */
static const char root_probe_js[] =
	"/* Written by dossier: the site root is the folder this script is loaded from. */\n"
	"window.DOSSIER_SITE_ROOT = document.currentScript ?\n"
	"  document.currentScript.src.replace(/[^/]*$/, '') : '';\n";

int render_site(const struct site *s, const struct theme *t, const char *out_dir,
		struct diag *d)
{
	int rc = theme_write(t, out_dir, d);
	absolute_base = *s->cfg.base_url ? s->cfg.base_url : NULL;
	if (write_out(out_dir, "dossier-root.js", root_probe_js, sizeof root_probe_js - 1, d) < 0)
		rc = -1;
	int pages = 0;
	for (size_t i = 0; i < s->npages; i++) {
		if (render_page(s, t, s->pages[i], out_dir, 0, d) < 0)
			rc = -1;
		else
			pages++;
		if (s->history && history_available(s->history) &&
		    render_revisions(s, t, s->pages[i], out_dir, d) < 0)
			rc = -1;
		if (s->pages[i]->kind == PAGE_ARTICLE && s->pages[i]->doc) {
			struct strbuf js = STRBUF_INIT, out = STRBUF_INIT;
			paragraphs_script(s->pages[i], &js);
			paragraphs_out(s->pages[i], &out);
			if (write_out(out_dir, out.ptr, js.ptr, js.size, d) < 0)
				rc = -1;
			sb_free(&js);
			sb_free(&out);
		}
	}
	struct strbuf sb = STRBUF_INIT;
	search_index(s, &sb);
	if (write_out(out_dir, "search-index.js", sb.ptr, sb.size, d) < 0)
		rc = -1;
	if (search_files(s, out_dir, d) < 0)
		rc = -1;
	sb_clear(&sb);
	struct value *ents = entities_table(s);
	sb_puts(&sb, "window.DOSSIER_ENTITIES = ");
	json_write(&sb, ents, 0);
	sb_puts(&sb, ";\n");
	value_free(ents);
	if (write_out(out_dir, "entities.js", sb.ptr, sb.size, d) < 0)
		rc = -1;
	sb_clear(&sb);
	feed(s, &sb);
	if (write_out(out_dir, "atom.xml", sb.ptr, sb.size, d) < 0)
		rc = -1;
	if (*s->cfg.base_url) {
		sb_clear(&sb);
		sitemap(s, &sb);
		if (write_out(out_dir, "sitemap.xml", sb.ptr, sb.size, d) < 0)
			rc = -1;
	}
	sb_free(&sb);
	absolute_base = NULL;
	if (redirects(s, out_dir, d) < 0 || copy_assets(s, out_dir, d) < 0)
		rc = -1;
	if (data_write_files(s, out_dir, write_out, d) < 0)
		rc = -1;
	/* The archive holds the site as rendered so far, so its own home
	 * page has no link to a file it cannot contain; then the published
	 * home page gets the link. */
	const struct page *home = s->archive && rc == 0 ? site_find_out(s, "index.html") : NULL;
	if (home) {
		static const char *const skip[] = { ".dossier-output", NULL };
		long bytes = archive_write(out_dir, s->archive, skip, d);
		if (bytes < 0 || render_page(s, t, home, out_dir, bytes, d) < 0)
			rc = -1;
	}
	return rc < 0 ? -1 : pages;
}
