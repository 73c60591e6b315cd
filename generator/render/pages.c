/*
 * pages: one page of the model into its HTML file (render/context.h).
 *
 * Owns the `page` context of the templates (themes/README.md): kind flags,
 * body HTML, table of contents, breadcrumbs, previous/next, cited-by,
 * article metadata and annotations, and the parts other files build
 * (entity, claims, history), and the article paragraph scripts
 * (articles/x.paragraphs.js) citation previews load.
 */
#include "context.h"

#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "context.h"
#include "data.h"
#include "fsutil.h"
#include "html.h"
#include "independence.h"
#include "json.h"
#include "markdown.h"
#include "xalloc.h"

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
		anchor_annotation(&id, a->number, ANCHOR_MARK);
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
		anchor_annotation(&id, a->number, ANCHOR_MARK);
		value_set_str(v, "url", id.ptr);
		sb_clear(&id);
		sb_putc(&id, '#');
		anchor_annotation(&id, a->number, ANCHOR_NOTE);
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
		/* A heading without text would be a nameless link (link.c warns). */
		if (h->level < 2 || h->level > 3 || h->blank)
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

size_t section_files(const struct page *p)
{
	if (p->kind != PAGE_SECTION || p->nchildren <= SECTION_PAGE_SIZE)
		return 1;
	return (p->nchildren + SECTION_PAGE_SIZE - 1) / SECTION_PAGE_SIZE;
}

void section_file_out(const struct page *p, size_t k, struct strbuf *out)
{
	sb_clear(out);
	sb_puts(out, p->out);
	if (k <= 1)
		return;
	if (!strcmp(fs_extension(out->ptr), ".html"))
		sb_truncate(out, out->size - 5);
	sb_printf(out, "-%zu.html", k);
}

/* Which file of a section's list is rendered: `first` is the section page
 * itself for file k >= 2 (`p` is then a copy of it at that file's path),
 * NULL for file 1. */
struct list_file {
	size_t k;
	const struct page *first;
};

static struct value *children_ctx(const struct page *p, size_t from, size_t to)
{
	struct value *list = value_new_array();
	for (size_t i = from; i < to && i < p->nchildren; i++)
		value_array_push(list, page_summary(p, p->children[i]));
	return list;
}

/* File k of a section's list: the pages it shows and a link to every file
 * (page.pagination), as entity pages page their mentions. */
static struct value *list_pagination(const struct page *p, const struct page *sec, size_t k,
				     size_t first, size_t end)
{
	size_t files = section_files(sec);
	struct value *v = value_new_table();
	value_set_int(v, "number", (int64_t)k);
	value_set_int(v, "files", (int64_t)files);
	value_set_int(v, "total", (int64_t)sec->nchildren);
	value_set_int(v, "first", (int64_t)(first + 1));
	value_set_int(v, "last", (int64_t)end);
	value_set_bool(v, "paged", files > 1);
	value_set_bool(v, "later", k > 1);
	value_set_bool(v, "has_prev", k > 1);
	value_set_bool(v, "has_next", k < files);
	struct value *list = value_table_set(v, "files", value_new_array());
	struct strbuf out = STRBUF_INIT;
	if (k > 1) {
		section_file_out(sec, k - 1, &out);
		set_url(v, "prev_url", p, out.ptr, NULL);
	}
	if (k < files) {
		section_file_out(sec, k + 1, &out);
		set_url(v, "next_url", p, out.ptr, NULL);
	}
	for (size_t i = 1; files > 1 && i <= files; i++) {
		struct value *f = push_table(list);
		value_set_int(f, "number", (int64_t)i);
		value_set_bool(f, "current", i == k);
		value_set_str(f, "rel", i + 1 == k ? "prev" : i == k + 1 ? "next"
									 : "");
		section_file_out(sec, i, &out);
		set_url(f, "url", p, out.ptr, NULL);
	}
	sb_free(&out);
	return v;
}

static struct value *breadcrumbs_ctx(const struct site *s, const struct page *p,
				     const struct list_file *lf)
{
	struct value *list = value_new_array();
	const struct page *home = site_find_out(s, "index.html");
	if (home && home != p)
		value_array_push(list, link_item(p, home));
	if (p->parent && p->parent != p)
		value_array_push(list, link_item(p, p->parent));
	if (entity_later_file(p))
		value_array_push(list, link_item(p, p->entity->page));
	if (lf->first)
		value_array_push(list, link_item(p, lf->first));
	return list;
}

static void prev_next(struct value *ctx, const struct page *p)
{
	const struct page *sec = p->parent;
	size_t i = 0;
	if (!sec || !child_position(p, &i))
		return;
	if (i > 0)
		value_table_set(ctx, "prev", link_item(p, sec->children[i - 1]));
	if (i + 1 < sec->nchildren)
		value_table_set(ctx, "next", link_item(p, sec->children[i + 1]));
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

static struct value *page_ctx_file(const struct site *s, const struct page *p, const char *html,
				   const struct list_file *lf)
{
	struct value *v = value_new_table();
	value_set_str(v, "kind", page_kind_name(p->kind));
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
	/* A later file of an entity's mention list shows the list alone: what
	 * describes the entity stays on its page (file 1). */
	bool later = entity_later_file(p) || lf->first;
	struct strbuf ld = STRBUF_INIT;
	if (!later)
		data_page_jsonld(s, p, &ld);
	value_set_str(v, "jsonld", ld.ptr);
	sb_free(&ld);
	struct value *toc = later ? value_new_array() : toc_ctx(p);
	value_set_bool(v, "has_toc", toc->u.a.n >= 3);
	value_table_set(v, "toc", toc);
	set_list(v, "breadcrumbs", breadcrumbs_ctx(s, p, lf), "has_breadcrumbs");
	prev_next(v, p);
	if (later)
		value_set_bool(v, "history", false);
	else
		value_table_set(v, "history", history_ctx(s, p));
	source_links(s, p, v);
	struct value *cited = value_new_array();
	for (size_t i = 0; !later && i < p->ncited_by_pages; i++)
		value_array_push(cited, link_item(p, p->cited_by_pages[i]));
	set_list(v, "cited_by", cited, "has_cited_by");
	if (p->kind == PAGE_ARTICLE) {
		value_table_set(v, "article", article_ctx(p));
		set_list(v, "annotations", annotations_ctx(p, s->cfg.unsafe), "has_annotations");
		independence_article(p, v);
	}
	if (p->kind == PAGE_HOME || p->kind == PAGE_CLAIMS ||
	    (p->kind == PAGE_SECTION && !later && !strcmp(p->section, "articles")))
		value_table_set(v, "sources", independence_site(s, p));
	if (p->entity)
		value_table_set(v, "entity", entity_ctx(s, p));
	if (p->nclaims)
		set_list(v, "claims", claims_ctx(p), "has_claims");
	if (p->nchildren && section_files(p) > 1) {
		const struct page *sec = lf->first ? lf->first : p;
		size_t first = (lf->k - 1) * SECTION_PAGE_SIZE;
		size_t end = first + SECTION_PAGE_SIZE < p->nchildren ? first + SECTION_PAGE_SIZE
								      : p->nchildren;
		set_list(v, "pages", children_ctx(p, first, end), "has_pages");
		value_table_set(v, "pagination", list_pagination(p, sec, lf->k, first, end));
	} else if (p->nchildren) {
		set_list(v, "pages", children_ctx(p, 0, p->nchildren), "has_pages");
	}
	if (p->kind == PAGE_ENTITIES)
		set_list(v, "groups", entity_groups(s, p), "has_groups");
	if (p->kind == PAGE_CLAIMS)
		set_list(v, "groups", claim_groups(s, p), "has_groups");
	/* Last: the templates read them least. */
	for (int k = 0; k < PAGE_KIND_COUNT; k++)
		value_set_bool(v, is_kind_key((enum page_kind)k), p->kind == (enum page_kind)k);
	return v;
}

struct value *page_ctx(const struct site *s, const struct page *p, const char *html)
{
	const struct list_file lf = { 1, NULL };
	return page_ctx_file(s, p, html, &lf);
}

#define SEARCH_LIST_MAX 500

static int render_file(const struct site *s, const struct theme *t, const struct page *p,
		       const char *out_dir, long download, const struct list_file *lf,
		       struct diag *d);

/* Files 2.. of a long section list: the section's context at each file's
 * path, titled "<section>: 201–400", showing the list alone. A content
 * page at such a path is reported, and keeps its path. */
static int render_list_files(const struct site *s, const struct theme *t, const struct page *p,
			     const char *out_dir, struct diag *d)
{
	int rc = 0;
	struct strbuf out = STRBUF_INIT, title = STRBUF_INIT;
	for (size_t k = 2; k <= section_files(p); k++) {
		section_file_out(p, k, &out);
		if (site_find_out(s, out.ptr)) {
			diag_error(d, out.ptr, 0, 0,
				   "the list of %s continues in this file (%zu pages a file); "
				   "rename the page written here",
				   p->out, (size_t)SECTION_PAGE_SIZE);
			rc = -1;
			continue;
		}
		size_t last = k * SECTION_PAGE_SIZE < p->nchildren ? k * SECTION_PAGE_SIZE
								   : p->nchildren;
		sb_clear(&title);
		sb_printf(&title, "%s: %zu–%zu", p->title, (k - 1) * SECTION_PAGE_SIZE + 1, last);
		struct page view = *p;
		view.out = out.ptr;
		view.title = title.ptr;
		view.doc = NULL;
		view.src = NULL;
		const struct list_file lf = { k, p };
		if (render_file(s, t, &view, out_dir, 0, &lf, d) < 0)
			rc = -1;
	}
	sb_free(&out);
	sb_free(&title);
	return rc;
}

/* `download` (bytes, or 0): the home page links the offline archive. */
int render_page(const struct site *s, const struct theme *t, const struct page *p,
		const char *out_dir, long download, struct diag *d)
{
	const struct list_file lf = { 1, NULL };
	int rc = render_file(s, t, p, out_dir, download, &lf, d);
	if (section_files(p) > 1 && render_list_files(s, t, p, out_dir, d) < 0)
		rc = -1;
	return rc;
}

static int render_file(const struct site *s, const struct theme *t, const struct page *p,
		       const char *out_dir, long download, const struct list_file *lf,
		       struct diag *d)
{
	char *html = p->doc ? markdown_render(p->doc, s->cfg.unsafe) : NULL;
	/* The file's context lives until the file is written: one arena
	 * (value.h) instead of an allocation per value, key and string. */
	value_arena_begin();
	/* "page" first: the templates look it up most. The body is handed
	 * over, not copied. */
	struct value *ctx = value_new_table();
	struct value *pc = value_table_set(ctx, "page", page_ctx_file(s, p, NULL, lf));
	if (html) {
		value_table_set(pc, "content", value_new_string_take(html, strlen(html)));
		html = NULL;
	}
	const struct value *shared = shared_ctx(s, t, p);
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
		print_ctx(s, p, pc);
	int rc = render_shared(t, page_kind_name(p->kind), shared, ctx, out_dir, p->out, d);
	value_free(ctx);
	value_arena_end();
	free(html);
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

/* Which blocks other pages link (linked[k], 0-based): a citation, or a
 * passage another source shares (the shared-wording lists link both ends). */
static bool *blocks_linked(const struct page *p)
{
	bool *linked = xcalloc(p->nblocks + 1, sizeof(*linked));
	for (size_t k = 0; k < p->nblocks; k++)
		linked[k] = p->blocks[k].ncited > 0;
	for (size_t i = 0; i < p->nshared; i++)
		if (p->shared[i].block >= 1 && (size_t)p->shared[i].block <= p->nblocks)
			linked[p->shared[i].block - 1] = true;
	return linked;
}

/* An article's paragraph texts, for citation previews: a script (fetch
 * fails on file://) adding the article to window.DOSSIER_PARAGRAPHS under
 * its output path. Only pages that link its paragraphs load it, on first
 * hover, so a paragraph nothing cites and no other source shares wording
 * with is null (the article page shows its text). */
static void paragraphs_script(const struct page *p, struct strbuf *out)
{
	struct value *v = value_new_table();
	value_set_str(v, "t", p->title);
	value_set_str(v, "s", p->short_title ? p->short_title : p->title);
	struct value *ps = value_table_set(v, "p", value_new_array());
	struct strbuf txt = STRBUF_INIT;
	bool *linked = blocks_linked(p);
	for (size_t k = 0; k < p->nblocks; k++) {
		if (!linked[k]) {
			value_array_push(ps, value_new_null());
			continue;
		}
		sb_clear(&txt);
		markdown_text(p->blocks[k].node, &txt);
		value_array_push(ps, value_new_string(txt.ptr, txt.size));
	}
	free(linked);
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

int render_paragraphs(const struct page *p, const char *out_dir, struct diag *d)
{
	if (p->kind != PAGE_ARTICLE || !p->doc)
		return 0;
	struct strbuf js = STRBUF_INIT, out = STRBUF_INIT;
	paragraphs_script(p, &js);
	paragraphs_out(p, &out);
	int rc = write_out(out_dir, out.ptr, js.ptr, js.size, d);
	sb_free(&js);
	sb_free(&out);
	return rc;
}
