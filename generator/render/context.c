/*
 * context: what every output of the render phase shares (render/context.h).
 *
 * Owns URLs as pages see them (relative to the page rendered and
 * percent-encoded; absolute on the 404 page when the site has a base_url),
 * the template context every page gets (site, menu, assets, scripts), the
 * small summaries several outputs show (a link, a page card, an article's
 * metadata, a first sentence) and the one way a file is written into the
 * output folder (write_out) or rendered from a template (render_ctx).
 */
#include "context.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "fsutil.h"
#include "html.h"
#include "markdown.h"
#include "mustache.h"
#include "utf8.h"
#include "xalloc.h"

/* The site's base_url, or NULL: a host serves 404.html at any missing
 * address, where relative URLs break, so the 404 page alone gets absolute
 * URLs when the site knows its address. Set once by context_init before
 * anything renders, read-only afterwards (so any thread may render). */
static const char *absolute_base;

/* Each page's position among its parent's children, sorted by page
 * address (prev/next: a binary search instead of a walk over a section of
 * 8,000 pages), and the `page.is_<kind>` keys. Made by context_init. */
struct position {
	const struct page *p;
	size_t i;
};
static struct position *positions;
static size_t npositions;
static char is_kind[PAGE_KIND_COUNT][24];
/* print_doc_whole: the footers offer print.html only then. */
static bool print_whole;

static int position_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct position *)a)->p;
	uintptr_t y = (uintptr_t)((const struct position *)b)->p;
	return (x > y) - (x < y);
}

/* The shared contexts (common_ctx's values) of the pages rendered so far,
 * one per folder, menu entry in effect and 404-ness: what they hold
 * depends on nothing else of the page. Built on first use under the lock,
 * read-only afterwards; freed by context_done. */
enum { CHROME_BUCKETS = 1024,
       MENU_ITEMS = 7 };
struct chrome {
	char *key;
	size_t keylen;
	struct value *v;
	struct chrome *next;
};
static struct chrome *chrome_tab[CHROME_BUCKETS];
static pthread_mutex_t chrome_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct {
	const char *out, *section, *title;
} menu_items[MENU_ITEMS] = {
	{ "index.html", NULL, "Home" },
	{ "topics/index.html", "topics", "Topics" },
	{ "articles/index.html", "articles", "Articles" },
	{ "entities/index.html", "entities", "Entities" },
	{ "claims.html", NULL, "Claims" },
	{ "changes.html", NULL, "Changes" },
	{ "search.html", NULL, "Search" },
};

static bool menu_active(const struct page *t, const struct page *p, size_t i)
{
	return t == p || (menu_items[i].section && !strcmp(p->section, menu_items[i].section));
}

void context_init(const struct site *s, bool whole_print)
{
	absolute_base = *s->cfg.base_url ? s->cfg.base_url : NULL;
	print_whole = whole_print;
	for (int k = 0; k < PAGE_KIND_COUNT; k++)
		snprintf(is_kind[k], sizeof is_kind[k], "is_%s", page_kind_name((enum page_kind)k));
	context_done();
	free(positions);
	positions = NULL;
	npositions = 0;
	size_t cap = 0;
	for (size_t k = 0; k < s->npages; k++) {
		const struct page *sec = s->pages[k];
		for (size_t i = 0; i < sec->nchildren; i++) {
			if (sec->children[i]->parent != sec)
				continue;
			positions = xgrow(positions, &cap, npositions + 1, sizeof(*positions));
			positions[npositions++] = (struct position){ sec->children[i], i };
		}
	}
	if (npositions)
		qsort(positions, npositions, sizeof(*positions), position_cmp);
}

bool child_position(const struct page *p, size_t *i)
{
	struct position key = { p, 0 };
	const struct position *f =
		npositions ? bsearch(&key, positions, npositions, sizeof(*positions), position_cmp) : NULL;
	if (f)
		*i = f->i;
	return f != NULL;
}

const char *is_kind_key(enum page_kind k)
{
	return is_kind[k];
}

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
void set_url(struct value *t, const char *key, const struct page *from,
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
	size_t n = sb.size;
	value_table_set(t, key, value_new_string_take(sb_detach(&sb), n));
	free(rel);
}

/* A page's URL from the output root, for the scripts' indexes. */
void set_root_url(struct value *t, const char *key, const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	url_escape_path(&sb, out, strlen(out));
	value_set_str(t, key, sb.ptr);
	sb_free(&sb);
}

struct value *link_item(const struct page *from, const struct page *to)
{
	struct value *v = value_new_table();
	value_set_str(v, "title", to->title);
	set_url(v, "url", from, to->out, NULL);
	return v;
}

struct value *push_table(struct value *arr)
{
	return value_array_push(arr, value_new_table());
}

void set_list(struct value *t, const char *key, struct value *list,
	      const char *has_key)
{
	if (has_key)
		value_set_bool(t, has_key, list->u.a.n > 0);
	value_table_set(t, key, list);
}

const char *commit_email(const struct history_commit *c)
{
	return c->email && *c->email ? c->email : NULL;
}

void set_email(struct value *t, const struct history_commit *c)
{
	if (commit_email(c))
		value_set_str(t, "email", commit_email(c));
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
	struct value *menu = value_new_array();
	for (size_t i = 0; i < MENU_ITEMS; i++) {
		const struct page *t = site_find_out(s, menu_items[i].out);
		if (!t)
			continue;
		struct value *it = push_table(menu);
		value_set_str(it, "title", menu_items[i].title);
		set_url(it, "url", p, t->out, NULL);
		value_set_bool(it, "active", menu_active(t, p, i));
	}
	return menu;
}

static bool is_unknown(const char *s)
{
	return !s || !*s || !strcmp(s, "unknown");
}

struct value *article_meta(const struct page *p)
{
	static const char *const keys[][2] = {
		{ "publisher", "Publisher" },
		{ "published", "Published" },
		{ "author", "Author" },
		{ "url", "Original URL" },
		{ "seed", "Seed file" },
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

struct value *page_summary(const struct page *from, const struct page *p)
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

/* Values every page's context shares, relative to page `p`. */
void common_ctx(const struct site *s, const struct theme *t,
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
	if (print_whole && site_find_out(s, "print.html"))
		set_url(ctx, "print_url", p, "print.html", NULL);
}

void context_done(void)
{
	for (size_t b = 0; b < CHROME_BUCKETS; b++) {
		while (chrome_tab[b]) {
			struct chrome *c = chrome_tab[b];
			chrome_tab[b] = c->next;
			free(c->key);
			value_free(c->v);
			free(c);
		}
	}
}

const struct value *shared_ctx(const struct site *s, const struct theme *t, const struct page *p)
{
	struct strbuf key = STRBUF_INIT;
	const char *slash = strrchr(p->out, '/');
	sb_put(&key, p->out, slash ? (size_t)(slash - p->out) + 1 : 0);
	sb_putc(&key, '\0');
	for (size_t i = 0; i < MENU_ITEMS; i++) {
		const struct page *m = site_find_out(s, menu_items[i].out);
		sb_putc(&key, m && menu_active(m, p, i) ? '1' : '0');
	}
	sb_putc(&key, p->kind == PAGE_404 ? '4' : '-');
	size_t h = 5381;
	for (size_t i = 0; i < key.size; i++)
		h = h * 33 + (unsigned char)key.ptr[i];
	h %= CHROME_BUCKETS;
	pthread_mutex_lock(&chrome_lock);
	struct chrome *c = chrome_tab[h];
	while (c && (c->keylen != key.size || memcmp(c->key, key.ptr, key.size)))
		c = c->next;
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		c->keylen = key.size;
		c->key = sb_detach(&key);
		/* Shared by every file of the folder: not of the file's arena. */
		bool was = value_arena_suspend();
		c->v = value_new_table();
		common_ctx(s, t, p, c->v);
		value_arena_resume(was);
		c->next = chrome_tab[h];
		chrome_tab[h] = c;
	}
	pthread_mutex_unlock(&chrome_lock);
	sb_free(&key);
	return c->v;
}

/* One file under out_dir: `from` copied, or data; `fresh`: only if it does
 * not exist yet (1 when it does). A copy's `rel` is a file of content/ as
 * the walk found it, published under its own name (a '\\' included); any
 * other `rel` must pass fs_rel_is_safe. */
static int put_out(const char *out_dir, const char *rel, const char *from, const char *data,
		   size_t len, bool fresh, struct diag *d)
{
	if (!from && !fs_rel_is_safe(rel)) {
		diag_error(d, rel, 0, 0, "refusing to write outside the output folder, or a file name over %d bytes",
			   FS_NAME_MAX);
		return -1;
	}
	char *path = fs_join(out_dir, rel);
	/* The folder exists but for the first file written into it: one
	 * open and one write, and the folders made only when it is missing
	 * (any other error is the write's). */
	for (int tries = 0; tries < 2; tries++) {
		int rc = from ? (fresh ? fs_copy_new(from, path) : fs_copy_file(from, path))
			      : (fresh ? fs_write_new(path, data, len) : fs_write_file(path, data, len));
		if (rc == 0 || (fresh && errno == EEXIST)) {
			free(path);
			return rc == 0 ? 0 : 1;
		}
		if (errno != ENOENT || tries || fs_mkdir_parent(path) < 0)
			break;
	}
	if (from)
		diag_error(d, from, 0, 0, "cannot copy to %s: %s", path, strerror(errno));
	else
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return -1;
}

int write_out(const char *out_dir, const char *rel, const char *data, size_t len,
	      struct diag *d)
{
	return put_out(out_dir, rel, NULL, data, len, false, d);
}

int write_out_new(const char *out_dir, const char *rel, const char *from, const char *data,
		  size_t len, struct diag *d)
{
	return put_out(out_dir, rel, from, data, len, true, d);
}

int render_ctx(const struct theme *t, const char *tmpl, const struct value *ctx,
	       const char *out_dir, const char *out, struct diag *d)
{
	return render_shared(t, tmpl, NULL, ctx, out_dir, out, d);
}

int render_shared(const struct theme *t, const char *tmpl, const struct value *shared,
		  const struct value *ctx, const char *out_dir, const char *out, struct diag *d)
{
	struct strbuf html = STRBUF_INIT;
	const char *name = mustache_set_has(t->templates, tmpl) ? tmpl : "page";
	const struct value *stack[2] = { shared, ctx };
	int rc = mustache_render_stack(t->templates, name, shared ? stack : stack + 1,
				       shared ? 2 : 1, MUSTACHE_STRICT, &html, d);
	if (rc == 0)
		rc = write_out(out_dir, out, html.ptr, html.size, d);
	sb_free(&html);
	return rc;
}

/* A page's first sentence (at most ~200 bytes), for cards and lists. */
const char *first_sentence(const struct page *p, struct strbuf *sb)
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

void xml_text(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s), from = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = 0;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len && utf8_is_xml_char(cp)) {
			i += len;
			continue;
		}
		html_escape_text(sb, s + from, i - from);
		utf8_put(sb, 0xFFFD);
		i += len ? len : 1;
		from = i;
	}
	html_escape_text(sb, s + from, n - from);
}
