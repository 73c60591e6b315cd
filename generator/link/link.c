#include "link.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "annotate.h"
#include "cooccur.h"
#include "snippet.h"
#include "external.h"
#include "fsutil.h"
#include "html.h"
#include "mentions.h"
#include "markdown.h"
#include "matcher.h"
#include "quote.h"
#include "relink.h"
#include "wording.h"
#include "workq.h"
#include "strbuf.h"
#include "theme.h"
#include "utf8.h"
#include "xalloc.h"

/* --- links and citations ---------------------------------------------- */

static bool fragment_exists(const struct page *p, const char *frag)
{
	if (page_find_heading(p, frag))
		return true;
	int n = anchor_block_number(frag);
	if (n > 0 && (size_t)n <= p->nblocks)
		return true;
	n = anchor_annotation_number(frag);
	if (n > 0 && page_find_annotation(p, n))
		return true;
	return page_find_claim(p, frag) != NULL;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether `rel` is a file of content/ that is not published (content.h). */
static bool is_withheld(const struct site *s, const char *rel)
{
	return s->nwithheld && bsearch(&rel, s->withheld, s->nwithheld, sizeof(*s->withheld), str_cmp);
}

/* The page a source path (relative to content/) names, as a forge resolves
 * it: the file, or for a folder its _index.md, its README.md, or the list
 * page generated for it. */
static struct page *find_target(const struct site *s, const char *rel)
{
	size_t n = strlen(rel);
	while (n && rel[n - 1] == '/')
		n--;
	struct strbuf sb = STRBUF_INIT;
	sb_put(&sb, rel, n);
	struct page *t = n && n == strlen(rel) ? site_find_src(s, sb.ptr) : NULL;
	static const char *const index_files[] = { "_index.md", "README.md" };
	for (size_t i = 0; !t && i < sizeof(index_files) / sizeof(*index_files); i++) {
		sb_truncate(&sb, n);
		sb_printf(&sb, "%s%s", n ? "/" : "", index_files[i]);
		t = site_find_src(s, sb.ptr);
	}
	if (!t) {
		sb_truncate(&sb, n);
		sb_printf(&sb, "%sindex.html", n ? "/" : "");
		t = site_find_out(s, sb.ptr);
	}
	sb_free(&sb);
	return t;
}

struct page *link_resolve(const struct site *s, const struct page *from,
			  const char *url, char **frag, int line, int col,
			  struct diag *d)
{
	/* Written as on a forge: percent-encoded, a query ignored. */
	const char *hash = strchr(url, '#');
	size_t plen = strcspn(url, "#?");
	*frag = hash ? url_decode(hash + 1, strlen(hash + 1)) : NULL;
	struct page *target = (struct page *)from;
	if (plen) {
		char *path = url_decode(url, plen);
		char *rel = fs_resolve(from->src ? from->src : from->out, path);
		target = rel ? find_target(s, rel) : NULL;
		if (!target && rel && is_withheld(s, rel))
			diag_error(d, from->file, line, col,
				   "link target '%.*s' is not published: content/%s could run markup or script on the site (its warning says more)",
				   (int)plen, url, rel);
		else if (!target)
			diag_error(d, from->file, line, col, "link target '%.*s' not found%s", (int)plen, url,
				   rel ? "" : " (it leaves content/)");
		free(rel);
		free(path);
		if (!target)
			goto fail;
	}
	if (*frag && **frag && !fragment_exists(target, *frag)) {
		int n = anchor_block_number(*frag);
		if (n > 0 && target->kind == PAGE_ARTICLE)
			diag_error(d, from->file, line, col,
				   "citation '%s': %s has %zu paragraphs, no paragraph %d", url,
				   target->file, target->nblocks, n);
		else
			diag_error(d, from->file, line, col, "link target '%s': no heading or anchor '%s' in %s",
				   url, *frag, target->file ? target->file : target->out);
		goto fail;
	}
	return target;
fail:
	free(*frag);
	*frag = NULL;
	return NULL;
}

static void add_cited_page(struct page *target, struct page *from)
{
	for (size_t i = 0; i < target->ncited_by_pages; i++)
		if (target->cited_by_pages[i] == from)
			return;
	target->cited_by_pages = xgrow(target->cited_by_pages, &target->capcited_by,
				       target->ncited_by_pages + 1, sizeof(*target->cited_by_pages));
	target->cited_by_pages[target->ncited_by_pages++] = from;
}

static void add_citation(struct page *target, int n, struct page *from,
			 const struct heading *under, int note)
{
	struct block *b = &target->blocks[n - 1];
	for (size_t i = 0; i < b->ncited; i++)
		if (b->cited_by[i].from == from && b->cited_by[i].under == under &&
		    b->cited_by[i].note == note)
			return;
	b->cited_by = xgrow(b->cited_by, &b->capcited, b->ncited + 1, sizeof(*b->cited_by));
	b->cited_by[b->ncited].from = from;
	b->cited_by[b->ncited].under = under;
	b->cited_by[b->ncited].note = note;
	b->ncited++;
	add_cited_page(target, from);
}

static const struct heading *heading_of(const struct page *p, cmark_node *node)
{
	for (size_t i = 0; i < p->nheadings; i++)
		if (p->headings[i].node == node)
			return &p->headings[i];
	return NULL;
}

static bool is_asset(const struct site *s, const char *rel)
{
	for (size_t i = 0; i < s->nassets; i++)
		if (!strcmp(s->assets[i], rel))
			return true;
	return false;
}

/* The link's URL as it points at `t` from `p`: the relative path to the
 * output page and the fragment, percent-encoded (cmark leaves '%' alone).
 * A link to the page itself keeps its "#" when the fragment is empty, as
 * cmark writes it: `[top](#)` goes to the top of the page, where an empty
 * href would reload it (found by tests/conformance/gfm_random.py). */
static void rewrite_url(const struct page *p, const struct page *t, const char *frag,
			cmark_node *node)
{
	struct strbuf out = STRBUF_INIT;
	if (t != p) {
		char *rel = fs_relurl(p->out, t->out);
		url_escape_path(&out, rel, strlen(rel));
		free(rel);
	}
	if (frag && (*frag || t == p)) {
		sb_putc(&out, '#');
		url_escape_path(&out, frag, strlen(frag));
	}
	cmark_node_set_url(node, out.ptr);
	sb_free(&out);
}

static void record_external(struct site *s, const struct page *p, const char *url, int line,
			    int col, struct diag *d)
{
	s->external = xgrow(s->external, &s->capexternal, s->nexternal + 1, sizeof(*s->external));
	s->external[s->nexternal++] = (struct external_link){
		.url = xstrdup(url),
		.file = p->file,
		.line = line,
		.col = col,
	};
	if (!strncmp(url, "http://", 7))
		diag_warning(d, p->file, line, col,
			     "external link '%s' uses http://; use https:// where the site supports it", url);
}

static bool links_asset(const struct site *s, const struct page *p, const char *url)
{
	if (url[0] == '#' || !p->src)
		return false;
	char *path = url_decode(url, strcspn(url, "#?"));
	char *rel = fs_resolve(p->src, path);
	bool asset = rel && is_asset(s, rel);
	free(rel);
	free(path);
	return asset;
}

/* Whether a link's text shows nothing: no child, or only text without a
 * visible character ("[ ](x.md)", utf8_has_visible) and line breaks. An
 * image, a code span or emphasis around a letter shows. */
static bool link_text_blank(cmark_node *node)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			continue;
		const char *lit = t == CMARK_NODE_TEXT ? cmark_node_get_literal(c) : NULL;
		if (t != CMARK_NODE_TEXT || (lit && utf8_has_visible(lit, strlen(lit))))
			return false;
	}
	return true;
}

/* Makes `label` a blank link's text. The blank text nodes stay (emptied):
 * a mark of the annotations may hang on one. */
static void set_link_text(cmark_node *node, const char *label)
{
	cmark_node *first = NULL;
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_TEXT) {
			cmark_node_set_literal(c, first ? "" : label);
			first = first ? first : c;
		}
	if (!first) {
		cmark_node *text = markdown_node_new(CMARK_NODE_TEXT, node);
		cmark_node_set_literal(text, label);
		cmark_node_append_child(node, text);
	}
}

/* An empty link reads as what it points at: "<short> ¶N" for a
 * paragraph, else the heading's or the page's title. */
static void fill_empty_link(const struct page *t, const char *frag, int n, cmark_node *node)
{
	if (!link_text_blank(node))
		return;
	struct strbuf label = STRBUF_INIT;
	if (n > 0 && t->kind == PAGE_ARTICLE) {
		sb_printf(&label, "%s ", t->short_title);
		anchor_block_label(&label, (size_t)n);
	} else {
		const struct heading *h = frag && *frag ? page_find_heading(t, frag) : NULL;
		sb_puts(&label, h && !h->blank ? h->text : t->title);
	}
	set_link_text(node, label.ptr);
	sb_free(&label);
}

/* A citation link of a page: the node and the paragraph it cites, kept
 * for the quotation check (sorted by node, for look-ups). */
struct cite_ref {
	cmark_node *node;
	const struct page *target;
	int block;
};

/* One link node: check, rewrite, record. A citation of an article
 * paragraph is described in *cite (target NULL otherwise). */
static void link_one(struct site *s, struct page *p, cmark_node *node,
		     const struct heading *under, int note, struct cite_ref *cite, struct diag *d)
{
	cite->node = node;
	cite->target = NULL;
	const char *url = cmark_node_get_url(node);
	int line = markdown_line(p, node), col = markdown_col(p, node);
	if (!url || !*url)
		return;
	if (url_has_scheme(url)) {
		record_external(s, p, url, line, col, d);
		/* "[](https://…)" is an empty, invisible link. It is written as
		 * GitHub writes it (the page stays GFM's), and said. */
		if (link_text_blank(node))
			diag_warning(d, p->file, line, col,
				     "link to '%s' has no text: readers cannot see it; write its text, or <%s>", url,
				     url);
		return;
	}
	if (url[0] == '/') {
		diag_error(d, p->file, line, col,
			   "link '%s' is absolute; write a path relative to this file so the site works offline", url);
		return;
	}
	if (links_asset(s, p, url))
		return;
	/* frag is owned: the node's URL (which it was cut from) is replaced. */
	char *frag = NULL;
	struct page *t = link_resolve(s, p, url, &frag, line, col, d);
	if (!t)
		return;
	rewrite_url(p, t, frag, node);
	int n = frag ? anchor_block_number(frag) : 0;
	if (n > 0 && t->kind == PAGE_ARTICLE) {
		cite->target = t;
		cite->block = n;
		if (t != p)
			add_citation(t, n, p, under, note);
	} else if (t != p) {
		add_cited_page(t, p);
	}
	fill_empty_link(t, frag, n, node);
	free(frag);
}

/* --- quotations (issue 16) ------------------------------------------- */

static int cite_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct cite_ref *)a)->node;
	uintptr_t y = (uintptr_t)((const struct cite_ref *)b)->node;
	return x < y ? -1 : x > y;
}

struct cite_set {
	const struct cite_ref *v;
	size_t n;
};

static const struct cite_ref *find_cite(const struct cite_set *cs, cmark_node *node)
{
	struct cite_ref key = { .node = node };
	return bsearch(&key, cs->v, cs->n, sizeof(*cs->v), cite_cmp);
}

static bool is_citation(cmark_node *link, void *ctx)
{
	return find_cite(ctx, link) != NULL;
}

static void block_text(const struct page *t, int block, struct strbuf *out)
{
	sb_clear(out);
	markdown_source_text(t, t->blocks[block - 1].node, out);
}

/* Appends "<file> ¶<block>": a paragraph as diagnostics name it. */
static void put_paragraph(struct strbuf *out, const char *file, int block)
{
	sb_printf(out, "%s ", file);
	anchor_block_label(out, (size_t)block);
}

/* The cited paragraphs of one quotation, as "A ¶1, B ¶2". */
static void cite_list(const struct cite_set *cs, const struct quote_use *u, struct strbuf *out)
{
	for (size_t k = 0; k < u->nlinks; k++) {
		const struct cite_ref *c = find_cite(cs, u->links[k]);
		if (k)
			sb_puts(out, ", ");
		put_paragraph(out, c->target->file, c->block);
	}
}

static void check_quote(const struct page *p, const struct cite_set *cs,
			const struct quote_use *u, struct diag *d)
{
	struct strbuf text = STRBUF_INIT, near = STRBUF_INIT, best = STRBUF_INIT,
		      where = STRBUF_INIT;
	bool found = false, folded = false;
	size_t best_score = 0;
	for (size_t k = 0; k < u->nlinks && !found; k++) {
		const struct cite_ref *c = find_cite(cs, u->links[k]);
		block_text(c->target, c->block, &text);
		found = quote_occurs(text.ptr, u->text);
		folded |= quote_occurs_folded(text.ptr, u->text);
	}
	/* The nearest text only for the error: a quotation found costs the
	 * search for it alone. */
	for (size_t k = 0; k < u->nlinks && !found; k++) {
		const struct cite_ref *c = find_cite(cs, u->links[k]);
		block_text(c->target, c->block, &text);
		sb_clear(&near);
		size_t score = quote_nearest(text.ptr, u->text, &near);
		if (k == 0 || score > best_score) {
			best_score = score;
			sb_clear(&best);
			sb_put(&best, near.ptr, near.size);
		}
	}
	if (!found) {
		cite_list(cs, u, &where);
		int line, col;
		markdown_pos(p, u->node, u->offset, &line, &col);
		if (folded)
			diag_error(d, p->file, line, col,
				   "quotation “%s” is written differently in %s (case, quotes or apostrophes); the text there: “%s”",
				   u->text, where.ptr, best.ptr);
		else
			diag_error(d, p->file, line, col,
				   "quotation “%s” is not in %s; nearest text: “%s”", u->text, where.ptr,
				   best.ptr);
	}
	sb_free(&text);
	sb_free(&near);
	sb_free(&best);
	sb_free(&where);
}

/* Every quotation followed by a citation must be in the cited paragraph. */
static void check_quotes(const struct page *p, struct cite_ref *cites, size_t n, struct diag *d)
{
	if (n)
		qsort(cites, n, sizeof(*cites), cite_cmp);
	struct cite_set cs = { cites, n };
	struct quote_use *u = NULL;
	size_t nu = quote_collect(p->doc, markdown_lines_joined(p->doc), is_citation, &cs, &u);
	for (size_t i = 0; i < nu; i++)
		check_quote(p, &cs, &u[i], d);
	quote_uses_free(u, nu);
}

/* One walk, carrying down where it is: the top-level block, the innermost
 * numbered block (a stack, since list items nest), the heading above and
 * whether a link, code or heading encloses it (linear in the tree, however
 * deep: issue 11). */
struct walk {
	const struct page *p;
	size_t next_heading;
	int *open; /* numbered blocks entered and not yet left */
	size_t nopen, capopen;
	int depth; /* inside link, image or heading */
	const struct heading *under;
	cmark_node *top;
};

/* Headings are met in the order collect_headings recorded them. */
static const struct heading *walk_heading(struct walk *w, cmark_node *node)
{
	const struct page *p = w->p;
	if (w->next_heading < p->nheadings && p->headings[w->next_heading].node == node)
		return &p->headings[w->next_heading++];
	return heading_of(p, node);
}

static void walk_enter(struct walk *w, cmark_node *node)
{
	const struct page *p = w->p;
	if (cmark_node_parent(node) == p->doc)
		w->top = node;
	/* A block without children gets no EXIT event if it is a leaf
	 * (code, rule) and holds no text either way. */
	int b = markdown_block_number(node);
	if (b && cmark_node_first_child(node)) {
		w->open = xgrow(w->open, &w->capopen, w->nopen + 1, sizeof(*w->open));
		w->open[w->nopen++] = b;
	}
}

static void walk_exit(struct walk *w, cmark_node *node)
{
	if (w->nopen && w->p->blocks[w->open[w->nopen - 1] - 1].node == node)
		w->nopen--;
}

/* A page's link and image nodes in document order, each with the heading
 * above it and the annotation whose aside holds it (0: none). Collected
 * from the page's own tree, which nothing changes between the preparation
 * and the link pass: on the preparation's threads. */
struct page_links {
	cmark_node **links;
	const struct heading **unders;
	int *notes;
	size_t n;
};

static void collect_links(const struct page *p, struct page_links *pl)
{
	size_t cap = 0, cap2 = 0, cap3 = 0;
	const struct heading *under = NULL;
	struct walk w = { .p = p };
	int note = 0; /* inside the aside of annotation `note` */
	memset(pl, 0, sizeof(*pl));
	cmark_iter *it = cmark_iter_new(p->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (t == CMARK_NODE_CUSTOM_BLOCK && p->nannotations) {
			/* Asides are top-level, so they do not nest. */
			int k = markdown_note_number(node);
			if (k)
				note = ev == CMARK_EVENT_ENTER ? k : 0;
		}
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_HEADING) {
			const struct heading *h = walk_heading(&w, node);
			if (cmark_node_get_heading_level(node) <= 3)
				under = h;
		}
		if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
			pl->links = xgrow(pl->links, &cap, pl->n + 1, sizeof(*pl->links));
			pl->unders = xgrow(pl->unders, &cap2, pl->n + 1, sizeof(*pl->unders));
			pl->notes = xgrow(pl->notes, &cap3, pl->n + 1, sizeof(*pl->notes));
			pl->links[pl->n] = node;
			pl->notes[pl->n] = note;
			pl->unders[pl->n++] = under;
		}
	}
	cmark_iter_free(it);
}

static void page_links_free(struct page_links *pl)
{
	free(pl->links);
	free(pl->unders);
	free(pl->notes);
	memset(pl, 0, sizeof(*pl));
}

/* Checks, rewrites and records a page's links (collect_links), then its
 * quotations: in page order, since a citation writes to the page cited. */
static void link_collected(struct site *s, struct page *p, const struct page_links *pl,
			   struct diag *d)
{
	/* A heading without text is a nameless entry in the table of contents
	 * (which leaves it out) and an id nobody can guess. */
	for (size_t i = 0; i < p->nheadings; i++) {
		const struct heading *h = &p->headings[i];
		if (h->blank)
			diag_warning(d, p->file, h->line, markdown_col(p, h->node),
				     "heading has no text (it is left out of the table of contents); "
				     "give it one or remove it");
	}
	struct cite_ref *cites = xcalloc(pl->n + 1, sizeof(*cites));
	size_t nc = 0;
	for (size_t i = 0; i < pl->n; i++) {
		link_one(s, p, pl->links[i], pl->unders[i], pl->notes[i], &cites[nc], d);
		if (cites[nc].target)
			nc++;
	}
	if (nc)
		check_quotes(p, cites, nc, d);
	free(cites);
}

static void link_page(struct site *s, struct page *p, struct diag *d)
{
	struct page_links pl;
	collect_links(p, &pl);
	link_collected(s, p, &pl, d);
	page_links_free(&pl);
}

/* --- entities --------------------------------------------------------- */

static int entity_cmp(const void *a, const void *b)
{
	return strcmp((*(struct entity *const *)a)->slug, (*(struct entity *const *)b)->slug);
}

static void add_name(struct site *s, struct entity *e, const struct value *v,
		     const char *name, struct diag *d)
{
	int other = -1;
	if (matcher_add(s->matcher, name, strlen(name), (int)e->index, e->case_sensitive, &other) == 0) {
		s->names = xgrow(s->names, &s->capnames, s->nnames + 1, sizeof(*s->names));
		s->names[s->nnames].entity = e->index;
		s->names[s->nnames].v = v;
		s->names[s->nnames++].used = false;
	} else if (other < 0) {
		diag_error(d, e->page->file, v ? v->line : 1, v ? v->col : 1, "empty entity name");
	} else {
		const struct entity *o = s->entities[other];
		if (o == e)
			return; /* an alias repeating the title: harmless */
		diag_error(d, e->page->file, v ? v->line : 1, v ? v->col : 1,
			   "name '%s' is also claimed by %s:%d", name, o->page->file,
			   value_table_getkv(o->page->fm, "title") ? value_table_getkv(o->page->fm, "title")->line : 1);
	}
}

static void build_registry(struct site *s, struct diag *d)
{
	size_t n = 0;
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->entity)
			n++;
	s->entities = xcalloc(n + 1, sizeof(*s->entities));
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->entity)
			s->entities[s->nentities++] = s->pages[i]->entity;
	if (s->nentities)
		qsort(s->entities, s->nentities, sizeof(*s->entities), entity_cmp);
	s->matcher = matcher_new();
	for (size_t i = 0; i < s->nentities; i++)
		s->entities[i]->index = i;
	for (size_t i = 0; i < s->nentities; i++) {
		struct entity *e = s->entities[i];
		add_name(s, e, value_table_get(e->page->fm, "title"), e->page->title, d);
		const struct value *al = value_table_get(e->page->fm, "aliases");
		for (size_t j = 0; al && al->type == VALUE_ARRAY && j < al->u.a.n; j++)
			if (al->u.a.items[j]->type == VALUE_STRING)
				add_name(s, e, al->u.a.items[j], al->u.a.items[j]->u.s.p, d);
	}
	matcher_build(s->matcher);
}

/* Where a node sits: its numbered block (articles) and the nearest
 * preceding heading, for mention anchors. */
struct text_site {
	cmark_node *node;
	int block;
	const struct heading *under;
	bool linkable;   /* not inside a link, code or heading */
	cmark_node *top; /* top-level block, for co-occurrence */
};

static size_t collect_text(const struct page *p, struct text_site **out)
{
	struct text_site *v = NULL;
	size_t n = 0, cap = 0;
	struct walk w = { .p = p };
	cmark_iter *it = cmark_iter_new(p->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		bool blocker = t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE || t == CMARK_NODE_HEADING ||
			       markdown_is_link(node);
		if (ev == CMARK_EVENT_EXIT) {
			walk_exit(&w, node);
			w.depth -= blocker;
			continue;
		}
		walk_enter(&w, node);
		if (t == CMARK_NODE_HEADING)
			w.under = walk_heading(&w, node);
		w.depth += blocker;
		if (t != CMARK_NODE_TEXT)
			continue;
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n].node = node;
		v[n].block = w.nopen ? w.open[w.nopen - 1] : 0;
		v[n].top = w.top;
		v[n].under = w.under;
		v[n].linkable = w.depth == 0;
		n++;
	}
	cmark_iter_free(it);
	free(w.open);
	*out = v;
	return n;
}

static bool excluded(const struct page *p, const struct entity *e)
{
	if (p->entity == e)
		return true;
	for (size_t i = 0; i < p->nexclude; i++)
		if (!strcmp(p->exclude[i], e->slug))
			return true;
	return false;
}

/* The paragraph a mention's snippet is cut from: its numbered block
 * (articles) or its top-level block. */
static cmark_node *snippet_unit(const struct page *p, const struct text_site *ts)
{
	return ts->block ? p->blocks[ts->block - 1].node : ts->top;
}

/* The text of `unit` (as markdown_text makes it) into `out`, and the offset
 * in it of each of texts[i..] that lies in the unit, in `offs`. Returns the
 * index past the last of them (texts of a unit are consecutive). */
static size_t unit_text(cmark_node *unit, const struct text_site *texts, size_t i, size_t n,
			struct strbuf *out, size_t *offs)
{
	sb_clear(out);
	cmark_iter *it = cmark_iter_new(unit);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(node);
		if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && out->size &&
		    out->ptr[out->size - 1] != ' ')
			sb_putc(out, ' ');
		if (t == CMARK_NODE_TEXT && i < n && texts[i].node == node)
			offs[i++] = out->size;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			sb_puts(out, cmark_node_get_literal(node));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			sb_putc(out, ' ');
	}
	cmark_iter_free(it);
	return i;
}

/* Where a mention's snippet is cut from (struct mention): its unit, or
 * with `literal` its TEXT node, and the match in that text. */
struct snippet_src {
	cmark_node *unit;
	uint32_t a, b;
	bool literal;
};

static void record_mention(struct page *p, struct entity *e, const struct text_site *ts,
			   const struct snippet_src *src)
{
	if (!e->nmentions || e->mentions[e->nmentions - 1].page != p)
		e->npages++;
	e->mentions = xgrow(e->mentions, &e->capmentions, e->nmentions + 1, sizeof(*e->mentions));
	struct mention *m = &e->mentions[e->nmentions++];
	m->page = p;
	m->block = ts->block;
	m->anchor = ts->block ? NULL : (ts->under ? ts->under->id : NULL);
	m->snippet_html = NULL;
	m->unit = src->unit;
	m->a = src->a;
	m->b = src->b;
	m->literal = src->literal;
	p->mention_total++;
}

/* The mentions of e whose snippets its page shows, appended to v: an
 * entity page shows a page's mentions in block order, then document
 * order (render/entities.c), and the snippets of the first
 * ENTITY_SNIPPETS_MAX of them; only those are cut. */
static void select_snippets(struct entity *e, struct mention ***v, size_t *n, size_t *cap)
{
	size_t nruns = 0, top = 0;
	struct mention_run *runs = mention_list(e, &nruns, &top);
	for (size_t i = 0; i < nruns; i++) {
		if (!entity_run_shows_snippets(nruns, top, i))
			continue;
		struct mention *run = e->mentions + (runs[i].first - e->mentions);
		size_t pick[ENTITY_SNIPPETS_MAX], np = 0;
		for (size_t k = 0; k < runs[i].count; k++) {
			if (np == ENTITY_SNIPPETS_MAX && run[k].block >= run[pick[np - 1]].block)
				continue;
			size_t j = np < ENTITY_SNIPPETS_MAX ? np++ : np - 1;
			while (j > 0 && run[pick[j - 1]].block > run[k].block) {
				pick[j] = pick[j - 1];
				j--;
			}
			pick[j] = k;
		}
		for (size_t j = 0; j < np; j++) {
			if (run[pick[j]].snippet_html)
				continue;
			*v = xgrow(*v, cap, *n + 1, sizeof(**v));
			(*v)[(*n)++] = &run[pick[j]];
		}
	}
	free(runs);
}

static int by_unit(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)(*(struct mention *const *)x)->unit;
	uintptr_t b = (uintptr_t)(*(struct mention *const *)y)->unit;
	return (a > b) - (a < b);
}

/* Cuts the snippets of v[0, n), which share one unit, from the text they
 * were found in (the trees are not changed after the mention pass: links
 * are data on the TEXT nodes, markdown.h), made once for all of them: a
 * paragraph naming many entities cost its length for each. */
static void cut_unit(struct mention **v, size_t n, struct strbuf *text)
{
	const char *t;
	size_t len;
	if (v[0]->literal) {
		t = cmark_node_get_literal(v[0]->unit);
		len = strlen(t);
	} else {
		(void)unit_text(v[0]->unit, NULL, 0, 0, text, NULL);
		t = text->ptr;
		len = text->size;
	}
	for (size_t i = 0; i < n; i++)
		v[i]->snippet_html = snippet_html(t, len, v[i]->a, v[i]->b);
}

/* The units' groups of the sorted v: group g is v[at[g], at[g + 1]). */
struct snippet_cuts {
	struct mention **v;
	size_t *at;
	size_t ngroups;
};

static size_t group_cuts(struct snippet_cuts *c, size_t n)
{
	if (n) /* qsort's array may not be NULL, even empty */
		qsort(c->v, n, sizeof(*c->v), by_unit);
	c->at = xmalloc((n + 1) * sizeof(*c->at));
	c->ngroups = 0;
	for (size_t i = 0; i < n; i++)
		if (!i || c->v[i]->unit != c->v[i - 1]->unit)
			c->at[c->ngroups++] = i;
	c->at[c->ngroups] = n;
	return c->ngroups;
}

void link_entity_snippets(struct entity *e)
{
	struct snippet_cuts c = { NULL, NULL, 0 };
	size_t n = 0, cap = 0;
	struct strbuf text = STRBUF_INIT;
	select_snippets(e, &c.v, &n, &cap);
	for (size_t g = 0, ng = group_cuts(&c, n); g < ng; g++)
		cut_unit(c.v + c.at[g], c.at[g + 1] - c.at[g], &text);
	sb_free(&text);
	free(c.at);
	free(c.v);
}

/* One entity's selection, on the -j threads. */
struct snippet_select {
	struct site *s;
	struct mention ***v;
	size_t *n;
};

static void select_task(size_t i, void *arg)
{
	struct snippet_select *x = arg;
	size_t cap = 0;
	select_snippets(x->s->entities[i], &x->v[i], &x->n[i], &cap);
}

static void cut_task(size_t g, void *arg)
{
	struct snippet_cuts *c = arg;
	struct strbuf text = STRBUF_INIT;
	cut_unit(c->v + c->at[g], c->at[g + 1] - c->at[g], &text);
	sb_free(&text);
}

/* The snippets entity pages show, once every entity's mentions are known:
 * each entity's picked on the -j threads, then all of them grouped by
 * the unit they are cut from, one unit per task, so each unit's text is
 * made once and each task writes only its own mentions. */
static void cut_snippets(struct site *s)
{
	struct snippet_select x = { s, xcalloc(s->nentities + 1, sizeof(*x.v)),
				    xcalloc(s->nentities + 1, sizeof(*x.n)) };
	workq_run(s->nentities, s->jobs, select_task, &x);
	size_t n = 0;
	for (size_t i = 0; i < s->nentities; i++)
		n += x.n[i];
	struct snippet_cuts c = { xmalloc((n + 1) * sizeof(*c.v)), NULL, 0 };
	n = 0;
	for (size_t i = 0; i < s->nentities; i++) {
		if (x.n[i])
			memcpy(c.v + n, x.v[i], x.n[i] * sizeof(*c.v));
		n += x.n[i];
		free(x.v[i]);
	}
	free(x.v);
	free(x.n);
	workq_run(group_cuts(&c, n), s->jobs, cut_task, &c);
	free(c.at);
	free(c.v);
}

/* Gives back what the mention lists grew beyond their length (a sixth of
 * them at 10,000 pages); a relink grows them again as it needs. */
static void fit_mentions(struct site *s)
{
	for (size_t i = 0; i < s->nentities; i++) {
		struct entity *e = s->entities[i];
		if (e->nmentions && e->capmentions > e->nmentions) {
			e->mentions = xrealloc(e->mentions, e->nmentions * sizeof(*e->mentions));
			e->capmentions = e->nmentions;
		}
	}
}

/* The hits of a TEXT node to link (`link[i]`) become the node's entity
 * links, kept as data on it (markdown.h). */
static void wrap_hits(const struct site *s, const struct page *p, cmark_node *node,
		      const struct matcher_hit *hits, const bool *link, size_t n)
{
	struct markdown_mention *v = xcalloc(n + 1, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (link[i])
			v[k++] = (struct markdown_mention){ (uint32_t)hits[i].start, (uint32_t)hits[i].end,
							    s->entities[hits[i].id] };
	/* A table cell may hold no link: the names stay plain text (they
	 * are still counted). */
	(void)markdown_link_mentions(node, p, v, k);
	free(v);
}

struct cooc {
	cmark_node *top;
	size_t entity;
};

static int cooc_cmp(const void *a, const void *b)
{
	const struct cooc *x = a, *y = b;
	if (x->top != y->top)
		return (uintptr_t)x->top < (uintptr_t)y->top ? -1 : 1;
	return x->entity < y->entity ? -1 : x->entity > y->entity;
}

/* Sorts a page's (top-level block, entity) pairs and drops repeats;
 * returns how many are left. */
static size_t cooc_unique(struct cooc *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cooc_cmp);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (!w || cooc_cmp(&v[w - 1], &v[i]))
			v[w++] = v[i];
	return w;
}

/* Entities mentioned in the same top-level block are related (v: a
 * page's pairs, made unique by cooc_unique): the page's groups are kept
 * in the trace, if any, so relink can take them back, and counted. */
static void trace_cooccurrence(struct link_trace *tr, const struct page *p, const struct cooc *v,
			       size_t n)
{
	if (!tr)
		return;
	size_t *g = xcalloc(2 * n + 1, sizeof(*g)), ng = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && v[i].top != v[i - 1].top)
			g[ng++] = LINK_TRACE_GROUP_END;
		g[ng++] = v[i].entity;
	}
	link_trace_set_cooc(tr, p, g, ng);
}

static void count_cooccurrence(struct site *s, const struct cooc *v, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v[j].top == v[i].top)
			j++;
		for (size_t a = i; a < j && j - i <= COOCCUR_GROUP_MAX; a++)
			for (size_t b = a + 1; b < j; b++) {
				cooccur_add(&s->entities[v[a].entity]->cooccur, v[b].entity);
				cooccur_add(&s->entities[v[b].entity]->cooccur, v[a].entity);
			}
		i = j;
	}
}

/* A page's TEXT nodes, the entity names in each and what becomes of every
 * hit, found before the mention pass. This reads only the built matcher,
 * the entities' names and flags and the page's own tree, so pages are
 * scanned on s->jobs threads (mention_pages); mention_page then takes the
 * pages in order and records the mentions, links and counts, so they are a
 * serial run's. A text's hits are those of its literal before any is split
 * into links, and the snippets are cut from the paragraphs' text before
 * that too: mention_page splits text i only after using its hits, and never
 * changes another text's literal. */
struct page_scan {
	struct text_site *texts;
	size_t nt;
	struct matcher_hit *hits; /* every text's hits, in text order */
	size_t *first;            /* text i's: hits[first[i]] .. hits[first[i + 1] - 1] */
	bool *keep;               /* per hit: a mention (the page does not exclude it) */
	bool *link;               /* per hit: becomes an entity link */
	struct snippet_src *src;  /* per hit: where its snippet would be cut from */
	struct cooc *co;          /* the page's (top-level block, entity) pairs, unique */
	size_t nco;
};

/* What becomes of each hit of a scanned page: mention or not, link or
 * not, its snippet, and the co-occurrence pairs. */
static void judge_hits(const struct site *s, const struct page *p, struct page_scan *ps)
{
	const struct text_site *texts = ps->texts;
	size_t nt = ps->nt, nhits = ps->first[nt];
	ps->keep = xcalloc(nhits + 1, sizeof(*ps->keep));
	ps->link = xcalloc(nhits + 1, sizeof(*ps->link));
	ps->src = xcalloc(nhits + 1, sizeof(*ps->src));
	if (!nhits)
		return;
	bool *linked = xcalloc(s->nentities + 1, sizeof(*linked));
	size_t capco = 0;
	/* Snippets are cut from the whole paragraph, after the mention pass
	 * (cut_snippets): here only where each match lies in its text. */
	struct strbuf para = STRBUF_INIT;
	size_t *offs = xcalloc(nt + 1, sizeof(*offs));
	size_t unit_end = 0;
	cmark_node *unit = NULL;
	for (size_t i = 0; i < nt; i++) {
		if (i >= unit_end) {
			unit = snippet_unit(p, &texts[i]);
			unit_end = unit_text(unit, texts, i, nt, &para, offs);
			assert(para.size < UINT32_MAX);
		}
		size_t h0 = ps->first[i], nh = ps->first[i + 1] - h0;
		if (!nh)
			continue;
		/* A text its paragraph walk did not meet: its own literal. */
		size_t at = offs[i];
		bool literal = false;
		if (i >= unit_end) {
			at = 0;
			literal = true;
			assert(strlen(cmark_node_get_literal(texts[i].node)) < UINT32_MAX);
		}
		for (size_t k = h0; k < h0 + nh; k++) {
			const struct matcher_hit *h = &ps->hits[k];
			const struct entity *e = s->entities[h->id];
			if (excluded(p, e))
				continue;
			ps->keep[k] = true;
			ps->src[k] = (struct snippet_src){ literal ? texts[i].node : unit,
							   (uint32_t)(at + h->start), (uint32_t)(at + h->end),
							   literal };
			ps->co = xgrow(ps->co, &capco, ps->nco + 1, sizeof(*ps->co));
			ps->co[ps->nco].top = texts[i].top;
			ps->co[ps->nco++].entity = e->index;
			if (!texts[i].linkable || !e->link || s->cfg.entity_links == LINK_NONE)
				continue;
			if (s->cfg.entity_links == LINK_FIRST && linked[e->index])
				continue;
			linked[e->index] = true;
			ps->link[k] = true;
		}
	}
	ps->nco = cooc_unique(ps->co, ps->nco);
	sb_free(&para);
	free(offs);
	free(linked);
}

static void scan_page(const struct site *s, const struct page *p, struct page_scan *ps)
{
	ps->nt = collect_text(p, &ps->texts);
	ps->first = xcalloc(ps->nt + 1, sizeof(*ps->first));
	struct matcher_hit *buf = NULL;
	size_t bufcap = 0, n = 0, cap = 0;
	for (size_t i = 0; i < ps->nt; i++) {
		ps->first[i] = n;
		const char *lit = cmark_node_get_literal(ps->texts[i].node);
		size_t nh = matcher_scan(s->matcher, lit, strlen(lit), &buf, &bufcap);
		if (!nh)
			continue;
		ps->hits = xgrow(ps->hits, &cap, n + nh, sizeof(*ps->hits));
		memcpy(ps->hits + n, buf, nh * sizeof(*buf));
		n += nh;
	}
	ps->first[ps->nt] = n;
	free(buf);
	judge_hits(s, p, ps);
}

static void page_scan_free(struct page_scan *ps)
{
	free(ps->texts);
	free(ps->hits);
	free(ps->first);
	free(ps->keep);
	free(ps->link);
	free(ps->src);
	free(ps->co);
	memset(ps, 0, sizeof(*ps));
}

/* Records a scanned page's mentions (where their snippets would be cut), links and
 * its co-occurrence groups in the trace: the serial half of the mention
 * pass, with count_cooccurrence. */
static void mention_page(struct site *s, struct page *p, struct page_scan *ps,
			 struct link_trace *tr)
{
	for (size_t i = 0; i < ps->nt; i++) {
		size_t h0 = ps->first[i], nh = ps->first[i + 1] - h0;
		if (!nh)
			continue; /* (a page with no hit at all has no ps->hits) */
		const struct matcher_hit *hits = ps->hits + h0;
		bool any = false;
		for (size_t k = h0; k < h0 + nh; k++) {
			if (!ps->keep[k])
				continue;
			record_mention(p, s->entities[ps->hits[k].id], &ps->texts[i], &ps->src[k]);
			if (ps->hits[k].name_index < s->nnames)
				s->names[ps->hits[k].name_index].used = true;
			any |= ps->link[k];
		}
		if (any)
			wrap_hits(s, p, ps->texts[i].node, hits, ps->link + h0, nh);
	}
	trace_cooccurrence(tr, p, ps->co, ps->nco);
}

/* One batch of the mention pass: task 0 records the previous batch's
 * scanned pages in order and task 1 counts their co-occurrences in order,
 * while the other tasks join the lines of this batch's pages (markdown.h)
 * and scan them, so the serial halves run beside the threaded one. They
 * touch different pages, and different members of the entities: what a
 * scan reads (names, flags, index), neither serial task writes, and the
 * counts (cooccur) are not the mentions. */
struct mention_job {
	struct site *s;
	struct link_trace *tr;
	struct page *const *pages, *const *prev;
	struct page_scan *scans, *prev_scans;
	size_t nprev;
};

static void mention_task(size_t i, void *arg)
{
	struct mention_job *j = arg;
	if (i == 0) {
		for (size_t k = 0; k < j->nprev; k++)
			if (j->prev[k]->doc)
				mention_page(j->s, j->prev[k], &j->prev_scans[k], j->tr);
	} else if (i == 1) {
		for (size_t k = 0; k < j->nprev; k++)
			count_cooccurrence(j->s, j->prev_scans[k].co, j->prev_scans[k].nco);
	} else if (j->pages[i - 2]->doc) {
		markdown_join_lines(j->pages[i - 2]->doc);
		scan_page(j->s, j->pages[i - 2], &j->scans[i - 2]);
	}
}

/* Every page's mentions, scanned in batches (so the hits of only two
 * batches are held at once) on s->jobs threads, recorded in page order. */
static void mention_pages(struct site *s, struct link_trace *tr)
{
	enum { BATCH = 256 };
	struct page_scan *scans[2] = { xcalloc(BATCH, sizeof(**scans)), xcalloc(BATCH, sizeof(**scans)) };
	struct mention_job j = { .s = s, .tr = tr };
	for (size_t at = 0, b = 0;; at += BATCH, b ^= 1) {
		size_t n = at < s->npages ? s->npages - at : 0;
		if (n > BATCH)
			n = BATCH;
		if (!n && !j.nprev)
			break;
		j.pages = s->pages + (n ? at : 0);
		j.scans = scans[b];
		workq_run(n + 2, s->jobs, mention_task, &j);
		for (size_t k = 0; k < j.nprev; k++)
			page_scan_free(&j.prev_scans[k]);
		j.prev = j.pages;
		j.prev_scans = j.scans;
		j.nprev = n;
	}
	free(scans[0]);
	free(scans[1]);
}

static void warn_unused_aliases(const struct site *s, struct diag *d)
{
	for (size_t i = 0; i < s->nnames; i++) {
		const struct name_ref *r = &s->names[i];
		const struct entity *e = s->entities[r->entity];
		if (!r->used && r->v && r->v != value_table_get(e->page->fm, "title"))
			diag_warning(d, e->page->file, r->v->line, r->v->col,
				     "alias '%s' occurs nowhere in the site", r->v->u.s.p);
	}
	for (size_t i = 0; i < s->nentities; i++) {
		const struct entity *e = s->entities[i];
		if (!e->nmentions)
			diag_warning(d, e->page->file, 1, 1, "entity '%s' is never mentioned", e->page->title);
	}
}

/* A long mention list is written as several files (mentions.h); a page or
 * a file of content/ with one of their paths would be overwritten. */
static void check_mention_files(const struct site *s, struct diag *d)
{
	size_t k = 0;
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		const struct entity *e = entity_file_owner(s, p->out, &k);
		if (e)
			diag_error(d, p->file ? p->file : p->out, 1, 1,
				   "this page writes '%s', which is page %zu of the mentions of entity '%s' (%s); rename one of them",
				   p->out, k, e->page->title, e->page->file);
	}
	for (size_t i = 0; i < s->nassets; i++) {
		const struct entity *e = entity_file_owner(s, s->assets[i], &k);
		if (e) {
			char *file = fs_join("content", s->assets[i]);
			diag_error(d, file, 1, 1,
				   "this file is published as '%s', which is page %zu of the mentions of entity '%s' (%s); rename one of them",
				   s->assets[i], k, e->page->title, e->page->file);
			free(file);
		}
	}
}

/* The names the pages, the files of content/ and a theme's files are
 * published under: a file may not take a page's (it would replace the
 * page: a pull request's content/index.html the home page), and no two may
 * differ only in letter case or Unicode normalization (utf8_fold_name),
 * which are one file where readers unpack the site offline (macOS,
 * Windows) and where contributors check it out. Ranked by whom a
 * collision is blamed on: a file of content/ (written last, it is the one
 * refused at write time too), a theme's file, a page's source. */
enum out_kind { OUT_GENERATED,
		OUT_PAGE,
		OUT_THEME,
		OUT_ASSET };

struct out_name {
	char *key;
	const char *out, *file; /* file: the source, or NULL when generated */
	enum out_kind kind;
};

static int out_name_cmp(const void *a, const void *b)
{
	const struct out_name *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->out, y->out);
}

/* The pages and the files of content/, folded, in v (n + extra slots);
 * the joined content paths in *files. Returns the count filled. */
static size_t site_out_names(const struct site *s, size_t extra, struct out_name **v, char ***files)
{
	size_t n = s->npages + s->nassets;
	*v = xcalloc(n + extra ? n + extra : 1, sizeof(**v));
	*files = xcalloc(s->nassets ? s->nassets : 1, sizeof(**files));
	for (size_t i = 0; i < s->npages; i++)
		(*v)[i] = (struct out_name){ utf8_fold_name(s->pages[i]->out), s->pages[i]->out, s->pages[i]->file,
					     s->pages[i]->file ? OUT_PAGE : OUT_GENERATED };
	for (size_t i = 0; i < s->nassets; i++) {
		(*files)[i] = fs_join("content", s->assets[i]);
		(*v)[s->npages + i] = (struct out_name){ utf8_fold_name(s->assets[i]), s->assets[i], (*files)[i],
							 OUT_ASSET };
	}
	return n;
}

/* Sorts v and reports each collision; with `theme_only`, only those a
 * theme's file takes part in (link_site has reported the others). */
static void report_out_names(struct out_name *v, size_t n, bool theme_only, struct diag *d)
{
	qsort(v, n, sizeof(*v), out_name_cmp);
	for (size_t i = 1; i < n; i++) {
		const struct out_name *a = &v[i - 1], *b = &v[i];
		if (strcmp(a->key, b->key) || (theme_only && a->kind != OUT_THEME && b->kind != OUT_THEME))
			continue;
		/* Of two of a kind, the first page (as before) or the second file. */
		bool second = a->kind != b->kind ? b->kind > a->kind : b->kind != OUT_PAGE;
		const struct out_name *x = second ? b : a, *y = second ? a : b;
		const char *other = y->file ? y->file : "a page the build makes";
		const char *at = x->file ? x->file : x->out; /* two generated pages */
		bool file = x->kind == OUT_ASSET || x->kind == OUT_THEME;
		if (!strcmp(a->out, b->out))
			diag_error(d, at, 0, 0, "this file would be published as '%s', replacing %s%s; rename or move it",
				   x->out, y->kind == OUT_PAGE ? "the page of " : "", other);
		else
			diag_error(d, at, file ? 0 : 1, file ? 0 : 1,
				   "published as '%s', which differs from '%s' (%s) only in letter case or Unicode "
				   "normalization: on macOS and Windows, where the site is read offline, one would "
				   "replace the other; rename one of them",
				   x->out, y->out, other);
	}
}

static void free_out_names(struct out_name *v, size_t n, char **files, size_t nfiles)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(v);
}

static void check_output_names(const struct site *s, struct diag *d)
{
	struct out_name *v;
	char **files;
	size_t n = site_out_names(s, 0, &v, &files);
	report_out_names(v, n, false, d);
	free_out_names(v, n, files, s->nassets);
}

/* Whether the first component of `rel` folds to one of `reserved`. */
static bool is_reserved(const char *rel, const char *const *reserved)
{
	const char *slash = strchr(rel, '/');
	char *top = slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup(rel), *key = utf8_fold_name(top);
	bool yes = false;
	for (size_t i = 0; reserved && reserved[i] && !yes; i++) {
		char *r = utf8_fold_name(reserved[i]);
		yes = !strcmp(key, r);
		free(r);
	}
	free(key);
	free(top);
	return yes;
}

void link_check_theme(const struct site *s, const struct theme *t, const char *const *reserved,
		      struct diag *d)
{
	struct out_name *v;
	char **files;
	size_t n = site_out_names(s, t->nstatics, &v, &files);
	char *dir = fs_join(t->shown, "static");
	char **theme_files = xcalloc(t->nstatics ? t->nstatics : 1, sizeof(*theme_files));
	size_t k = 0;
	const struct entity *e;
	for (size_t i = 0; i < t->nstatics; i++) {
		const char *rel = t->statics[i];
		theme_files[i] = fs_join(dir, rel);
		if (is_reserved(rel, reserved)) {
			if (!strchr(rel, '/'))
				diag_error(d, theme_files[i], 0, 0,
					   "'%s' is a name the build keeps for a file of its own in the output folder; "
					   "rename it",
					   rel);
		} else if ((e = entity_file_owner(s, rel, &k))) {
			diag_error(d, theme_files[i], 0, 0,
				   "this file is published as '%s', which is page %zu of the mentions of entity '%s' "
				   "(%s); rename one of them",
				   rel, k, e->page->title, e->page->file);
		} else if (!t->static_dir[i]) {
			v[n++] = (struct out_name){ utf8_fold_name(rel), rel, theme_files[i], OUT_THEME };
		}
	}
	report_out_names(v, n, true, d);
	free_out_names(v, n, files, s->nassets);
	for (size_t i = 0; i < t->nstatics; i++)
		free(theme_files[i]);
	free(theme_files);
	free(dir);
}

/* --- articles: annotations and blocks --------------------------------- */

static int annotation_cmp(const void *a, const void *b)
{
	const struct annotation_entry *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

static void prepare_article(struct page *p, struct diag *d)
{
	struct annotation *a = xcalloc(p->nannotations + 1, sizeof(*a));
	for (size_t i = 0; i < p->nannotations; i++) {
		const struct annotation_entry *e = &p->annotations[i];
		a[i].quote = e->quote;
		a[i].prefix = e->prefix;
		a[i].suffix = e->suffix;
		a[i].note = e->note;
		a[i].file = p->file;
		a[i].line = e->line;
		a[i].col = e->col;
		a[i].number = e->number;
	}
	if (p->nannotations)
		annotate_apply(p->doc, a, p->nannotations, d);
	markdown_number_blocks(p);
	for (size_t i = 0; i < p->nannotations; i++) {
		p->annotations[i].number = a[i].number;
		p->annotations[i].aside = a[i].aside_out;
		/* The numbered block is the innermost one holding the quote. */
		for (cmark_node *n = a[i].leaf_out ? a[i].leaf_out : a[i].block_out;
		     n && !p->annotations[i].block; n = cmark_node_parent(n))
			p->annotations[i].block = markdown_block_number(n);
	}
	free(a);
	/* Entry i is annotation i + 1 from here on (lists, search index). */
	if (p->nannotations)
		qsort(p->annotations, p->nannotations, sizeof(*p->annotations), annotation_cmp);
}

/* --- claims ----------------------------------------------------------- */

/* Lowercase-free comparison that folds whitespace runs and treats curly
 * and straight quotes alike: is `needle` in `hay`? */
static void normalise(const char *s, struct strbuf *out)
{
	bool space = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			space = true;
			continue;
		}
		if (space && out->size)
			sb_putc(out, ' ');
		space = false;
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) {
			sb_putc(out, '\'');
			p += 2;
		} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x9c || p[2] == 0x9d)) {
			sb_putc(out, '"');
			p += 2;
		} else {
			sb_putc(out, *p);
		}
	}
}

static bool wording_found(const struct page *t, int n, const char *wording)
{
	struct strbuf text = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	markdown_source_text(t, t->blocks[n - 1].node, &text);
	normalise(text.ptr, &a);
	normalise(wording, &b);
	bool ok = strstr(a.ptr, b.ptr) != NULL;
	sb_free(&text);
	sb_free(&a);
	sb_free(&b);
	return ok;
}

/* Two claims of a page with one id were two elements with one id, and a
 * link or a `contradicts` to it named either: the later ones are errors
 * (sorted, so a page of many claims costs n log n). */
static void check_claim_ids(const struct page *p, struct diag *d)
{
	const struct claim *const *v = p->claim_order;
	for (size_t i = 1; i < p->nclaims; i++)
		if (!strcmp(v[i]->id, v[i - 1]->id))
			diag_error(d, p->file, v[i]->line, v[i]->col,
				   "claim id '%s' is also the id of the claim on line %d; ids must be unique on a page",
				   v[i]->id, v[i - 1]->line);
}

static void link_claims(struct site *s, struct page *p, struct diag *d)
{
	check_claim_ids(p, d);
	for (size_t i = 0; i < p->nclaims; i++) {
		struct claim *c = &p->claims[i];
		/* The claims table's rows carry the claim ids: one id, one
		 * element (a heading's slug would be duplicated). */
		const struct heading *same = page_find_heading(p, c->id);
		if (same)
			diag_error(d, p->file, c->line, c->col,
				   "claim id '%s' is also the id of the heading on line %d; ids must be unique on a page",
				   c->id, same->line);
		if (*c->section && !page_find_heading(p, c->section))
			diag_error(d, p->file, c->line, c->col, "claim '%s': no heading '%s' in this page",
				   c->id, c->section);
		for (size_t j = 0; j < c->nsources; j++) {
			struct claim_source *cs = &c->sources[j];
			char *frag = NULL;
			cs->target = link_resolve(s, p, cs->cite, &frag, cs->line, cs->col, d);
			if (!cs->target)
				continue;
			cs->block = frag ? anchor_block_number(frag) : 0;
			free(frag);
			if (cs->target->kind != PAGE_ARTICLE || cs->block <= 0) {
				diag_error(d, p->file, cs->line, cs->col,
					   "claim source '%s' must cite an article paragraph (…/articles/<slug>.txt#pN)",
					   cs->cite);
				cs->target = NULL;
				continue;
			}
			if (*cs->wording && !wording_found(cs->target, cs->block, cs->wording)) {
				struct strbuf where = STRBUF_INIT;
				put_paragraph(&where, cs->target->file, cs->block);
				diag_error(d, p->file, cs->wline, cs->wcol,
					   "claim '%s': wording not found in %s (quote the article exactly)",
					   c->id, where.ptr);
				sb_free(&where);
			}
			add_citation(cs->target, cs->block, p, c->section && *c->section ? page_find_heading(p, c->section) : NULL, 0);
		}
		s->claims = xrealloc(s->claims, (s->nclaims + 1) * sizeof(*s->claims));
		s->claims[s->nclaims++] = c;
	}
}

/* --- relations and independence (issue 16) ---------------------------- */

/* Union-find over articles linked by `follows`: the root is the member
 * with the smallest source path, so groups do not depend on link order. */
static struct page *group_root(struct page *p)
{
	struct page *r = p;
	while (r->source_parent)
		r = r->source_parent;
	while (p->source_parent && p->source_parent != r) {
		struct page *next = p->source_parent;
		p->source_parent = r;
		p = next;
	}
	return r;
}

static void group_union(struct page *a, struct page *b)
{
	a = group_root(a);
	b = group_root(b);
	if (a == b)
		return;
	if (strcmp(a->src, b->src) < 0)
		b->source_parent = a;
	else
		a->source_parent = b;
}

/* A paragraph citation of an evidence pair: resolved like a link written
 * in the article; it must name a paragraph of `want`. */
static int evidence_block(struct site *s, struct page *p, const char *url, const struct page *want,
			  int line, int col, struct diag *d)
{
	char *frag = NULL;
	struct page *t = link_resolve(s, p, url, &frag, line, col, d);
	if (!t)
		return 0;
	int n = frag ? anchor_block_number(frag) : 0;
	free(frag);
	if (t == want && n > 0)
		return n;
	if (want == p)
		diag_error(d, p->file, line, col,
			   "relation evidence '%s' must cite a paragraph of this article (#pN)", url);
	else
		diag_error(d, p->file, line, col,
			   "relation evidence '%s' must cite a paragraph of %s (…#pN)", url, want->file);
	return 0;
}

static void link_relations(struct site *s, struct page *p, struct diag *d)
{
	for (size_t i = 0; i < p->nrelations; i++) {
		struct relation *r = &p->relations[i];
		char *frag = NULL;
		struct page *t = link_resolve(s, p, r->article, &frag, r->line, r->col, d);
		if (!t)
			continue;
		bool has_frag = frag && *frag;
		free(frag);
		if (t->kind != PAGE_ARTICLE || t == p || has_frag) {
			diag_error(d, p->file, r->line, r->col,
				   "relation article '%s' must be another article (<slug>.txt, no #fragment)",
				   r->article);
			continue;
		}
		r->target = t;
		for (size_t j = 0; j < r->nevidence; j++) {
			struct relation_evidence *e = &r->evidence[j];
			e->here_block = evidence_block(s, p, e->here, p, e->line, e->col, d);
			e->there_block = evidence_block(s, p, e->there, t, e->tline, e->tcol, d);
		}
		t->related_by = xgrow(t->related_by, &t->caprelated_by, t->nrelated_by + 1,
				      sizeof(*t->related_by));
		t->related_by[t->nrelated_by++] = r;
		if (r->kind == RELATION_FOLLOWS)
			group_union(p, t);
	}
}

/* A `contradicts` entry: "id" on the same page, or "page.md#id". */
static struct claim *resolve_claim_ref(struct site *s, struct claim *c, struct claim_ref *r,
				       struct diag *d)
{
	struct page *p = c->topic;
	char *frag = NULL;
	struct page *t = p;
	if (strchr(r->ref, '#') || strchr(r->ref, '/') || strstr(r->ref, ".md")) {
		/* link_resolve reports a missing page or a fragment that is no
		 * anchor of it (a claim id is one). */
		t = link_resolve(s, p, r->ref, &frag, r->line, r->col, d);
		if (!t)
			return NULL;
	} else {
		frag = xstrdup(r->ref);
	}
	for (size_t i = 0; frag && i < t->nclaims; i++)
		if (!strcmp(t->claims[i].id, frag) && &t->claims[i] != c) {
			free(frag);
			return &t->claims[i];
		}
	free(frag);
	diag_error(d, p->file, r->line, r->col, "claim '%s' contradicts '%s': no such claim%s%s",
		   c->id, r->ref, t != p ? " in " : " on this page", t != p ? t->file : "");
	return NULL;
}

/* The distinct articles a claim cites and how many independent groups
 * agree (sources marked disagrees are the other side). */
static void claim_groups_of(struct claim *c)
{
	c->articles = xcalloc(c->nsources + 1, sizeof(*c->articles));
	struct page **roots = xcalloc(c->nsources + 1, sizeof(*roots));
	bool *agree = xcalloc(c->nsources + 1, sizeof(*agree));
	size_t nroots = 0;
	for (size_t i = 0; i < c->nsources; i++) {
		const struct claim_source *cs = &c->sources[i];
		if (!cs->target)
			continue;
		size_t k = 0;
		while (k < c->narticles && c->articles[k].article != cs->target)
			k++;
		if (k == c->narticles) {
			struct page *root = group_root(cs->target);
			size_t g = 0;
			while (g < nroots && roots[g] != root)
				g++;
			if (g == nroots)
				roots[nroots++] = root;
			c->articles[c->narticles++] = (struct claim_article){
				.article = cs->target,
				.group = g,
				.disagrees = true,
			};
		}
		if (!cs->disagrees) {
			c->articles[k].disagrees = false;
			agree[c->articles[k].group] = true;
		}
	}
	for (size_t g = 0; g < nroots; g++)
		c->nindependent += agree[g];
	c->ngroups = nroots;
	for (size_t k = 0; k < c->narticles; k++)
		c->ndisagreeing += c->articles[k].disagrees;
	free(agree);
	free(roots);
}

static bool any_disagrees(const struct claim *c)
{
	for (size_t i = 0; i < c->nsources; i++)
		if (c->sources[i].disagrees && c->sources[i].target)
			return true;
	return false;
}

/* Why a claim's sources are fewer than its articles: "B follows A". */
static void dependence_note(const struct claim *c, struct strbuf *out)
{
	for (size_t i = 0; i < c->narticles; i++) {
		const struct page *a = c->articles[i].article;
		for (size_t j = 0; j < a->nrelations; j++) {
			const struct relation *r = &a->relations[j];
			if (r->kind != RELATION_FOLLOWS || !r->target)
				continue;
			for (size_t k = 0; k < c->narticles; k++)
				if (c->articles[k].article == r->target)
					sb_printf(out, "%s%s follows %s", out->size ? "; " : " (",
						  a->short_title, r->target->short_title);
		}
	}
	if (out->size)
		sb_putc(out, ')');
}

/* The status rules (issue 16): a status the data does not support is an
 * error at the claim's status. */
static void check_status(const struct claim *c, struct diag *d)
{
	const char *file = c->topic->file;
	bool disputed = !strcmp(c->status, "disputed");
	bool contra = c->ncontradicted_by > 0;
	const char *other = c->ncontradicted_by ? c->contradicted_by[0]->id : NULL;
	for (size_t i = 0; i < c->ncontradicts && !contra; i++)
		if (c->contradicts[i].target) {
			contra = true;
			other = c->contradicts[i].target->id;
		}
	bool disagree = any_disagrees(c);
	if (disputed && !disagree && !contra) {
		diag_error(d, file, c->sline, c->scol,
			   "claim '%s' is 'disputed', but no source is marked disagrees = true and it contradicts no claim",
			   c->id);
		return;
	}
	if (!disputed && (disagree || contra)) {
		if (disagree)
			diag_error(d, file, c->sline, c->scol,
				   "claim '%s' is '%s', but a source is marked disagrees = true: its status must be 'disputed'",
				   c->id, c->status);
		else
			diag_error(d, file, c->sline, c->scol,
				   "claim '%s' is '%s', but it contradicts claim '%s': its status must be 'disputed'",
				   c->id, c->status, other);
		return;
	}
	struct strbuf why = STRBUF_INIT;
	dependence_note(c, &why);
	if (!strcmp(c->status, "consistent") && c->nindependent < 2)
		diag_error(d, file, c->sline, c->scol,
			   "claim '%s' is 'consistent', but it has %zu independent source%s%s; 'consistent' needs at least 2 agreeing",
			   c->id, c->nindependent, c->nindependent == 1 ? "" : "s", why.ptr);
	else if (!strcmp(c->status, "reported") && c->nindependent != 1)
		diag_error(d, file, c->sline, c->scol,
			   "claim '%s' is 'reported', but it has %zu independent sources; 'reported' means exactly one",
			   c->id, c->nindependent);
	sb_free(&why);
}

static void link_claim_status(struct site *s, struct diag *d)
{
	for (size_t i = 0; i < s->nclaims; i++) {
		struct claim *c = s->claims[i];
		for (size_t j = 0; j < c->ncontradicts; j++) {
			struct claim *t = resolve_claim_ref(s, c, &c->contradicts[j], d);
			c->contradicts[j].target = t;
			if (!t)
				continue;
			t->contradicted_by = xgrow(t->contradicted_by, &t->capcontradicted_by,
						   t->ncontradicted_by + 1, sizeof(*t->contradicted_by));
			t->contradicted_by[t->ncontradicted_by++] = c;
		}
	}
	for (size_t i = 0; i < s->nclaims; i++)
		claim_groups_of(s->claims[i]);
	for (size_t i = 0; i < s->nclaims; i++)
		check_status(s->claims[i], d);
	/* Every article's parent is its group's root from here on. */
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_ARTICLE)
			group_root(s->pages[i]);
}

/* --- shared wording (issue 16) ----------------------------------------- */

static int shared_cmp(const void *a, const void *b)
{
	const struct shared_passage *x = a, *y = b;
	int c = strcmp(x->other->src, y->other->src);
	if (c)
		return c;
	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	if (x->other_block != y->other_block)
		return x->other_block < y->other_block ? -1 : 1;
	return strcmp(x->text, y->text);
}

static void add_shared(struct page *p, struct page *other, int block, int other_block,
		       size_t words, const char *text, size_t n, const char *otext, size_t on)
{
	p->shared = xgrow(p->shared, &p->capshared, p->nshared + 1, sizeof(*p->shared));
	p->shared[p->nshared++] = (struct shared_passage){
		.other = other,
		.block = block,
		.other_block = other_block,
		.words = words,
		.text = xstrndup(text, n),
		.other_text = xstrndup(otext, on),
	};
}

/* The verbose note on a passage of pa's block ba shared with pb's bb. */
static void note_shared(const struct page *pa, int ba, const struct page *pb, int bb, size_t words,
			const char *text, size_t len, struct diag *d)
{
	struct strbuf other = STRBUF_INIT, here = STRBUF_INIT;
	put_paragraph(&other, pb->file, bb);
	anchor_block_label(&here, (size_t)ba);
	diag_note(d, pa->file, markdown_line(pa, pa->blocks[ba - 1].node), 1,
		  "wording shared with %s (%zu words, %s here): “%.*s”", other.ptr, words, here.ptr,
		  (int)len, text);
	sb_free(&other);
	sb_free(&here);
}

/* The articles' paragraph texts (read from the trees before the mention
 * pass splits their text nodes) and the passages wording_find found in
 * them: found on a thread of its own beside the mention pass, which
 * neither reads nor writes any of this. */
struct wording_job {
	struct page **arts;
	struct wording_doc *docs;
	struct strbuf *texts;
	struct wording_block *blocks;
	size_t *first; /* article a's texts and blocks: [first[a], first[a] + its nblocks) */
	size_t na, ntexts;
	struct wording_passage *ps;
	size_t np;
	struct workq_task *task;
};

static void wording_task(void *arg)
{
	struct wording_job *w = arg;
	w->np = wording_find(w->docs, w->na, WORDING_MIN_WORDS, &w->ps);
}

/* Article a's paragraph texts (on s->jobs threads). */
static void wording_texts(size_t a, void *arg)
{
	struct wording_job *w = arg;
	const struct page *p = w->arts[a];
	struct strbuf *texts = &w->texts[w->first[a]];
	struct wording_block *blocks = &w->blocks[w->first[a]];
	for (size_t b = 0; b < p->nblocks; b++) {
		cmark_node *node = p->blocks[b].node;
		texts[b] = (struct strbuf)STRBUF_INIT;
		markdown_source_text(p, node, &texts[b]);
		/* A quoted post is somebody else's wording. */
		blocks[b] = (struct wording_block){
			.text = texts[b].ptr,
			.len = texts[b].size,
			.skip = cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE,
		};
	}
}

static void wording_start(struct site *s, struct wording_job *w)
{
	memset(w, 0, sizeof(*w));
	w->arts = xcalloc(s->npages + 1, sizeof(*w->arts));
	w->docs = xcalloc(s->npages + 1, sizeof(*w->docs));
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_ARTICLE && s->pages[i]->nblocks) {
			w->arts[w->na++] = s->pages[i];
			w->ntexts += s->pages[i]->nblocks;
		}
	w->texts = xcalloc(w->ntexts + 1, sizeof(*w->texts));
	w->blocks = xcalloc(w->ntexts + 1, sizeof(*w->blocks));
	w->first = xcalloc(w->na + 1, sizeof(*w->first));
	for (size_t a = 0, t = 0; a < w->na; t += w->arts[a++]->nblocks) {
		w->first[a] = t;
		w->docs[a].blocks = &w->blocks[t];
		w->docs[a].nblocks = w->arts[a]->nblocks;
	}
	workq_run(w->na, s->jobs, wording_texts, w);
	w->task = workq_start(s->jobs, wording_task, w);
}

/* `-v` lists each shared passage once, but a wording that many pairs of
 * articles share (a stock phrase of a newswire) only for its first
 * WORDING_NOTES_SAME pairs and then says how many more there are (when
 * that is more than one), as a compiler summarises repeated warnings;
 * `-v -v` lists every pair. */
#define WORDING_NOTES_SAME 3

static const char *passage_text(const struct wording_job *w, const struct wording_passage *p,
				size_t *len)
{
	*len = p->a.end - p->a.start;
	return w->docs[p->a.doc].blocks[p->a.block].text + p->a.start;
}

struct passage_ref {
	const char *text;
	size_t len, index;
};

static int passage_ref_cmp(const void *a, const void *b)
{
	const struct passage_ref *x = a, *y = b;
	int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
	if (!c && x->len != y->len)
		c = x->len < y->len ? -1 : 1;
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* more[i]: SIZE_MAX to leave passage i's note out, else the number of
 * pairs left out after it (its wording's first note carries the count). */
static size_t *wording_notes(const struct wording_job *w, int verbose)
{
	size_t *more = xcalloc(w->np + 1, sizeof(*more));
	if (verbose > 1)
		return more;
	struct passage_ref *v = xcalloc(w->np + 1, sizeof(*v));
	for (size_t i = 0; i < w->np; i++) {
		v[i].text = passage_text(w, &w->ps[i], &v[i].len);
		v[i].index = i;
	}
	if (w->np)
		qsort(v, w->np, sizeof(*v), passage_ref_cmp);
	for (size_t r = 0; r < w->np;) {
		size_t e = r + 1;
		while (e < w->np && v[e].len == v[r].len && !memcmp(v[e].text, v[r].text, v[r].len))
			e++;
		if (e - r > WORDING_NOTES_SAME + 1) {
			more[v[r].index] = e - r - WORDING_NOTES_SAME;
			for (size_t k = r + WORDING_NOTES_SAME; k < e; k++)
				more[v[k].index] = SIZE_MAX;
		}
		r = e;
	}
	free(v);
	return more;
}

/* Records the passages two articles share on both; `-v` lists them
 * (wording_notes). */
static void wording_finish(struct site *s, struct wording_job *w, struct diag *d)
{
	workq_join(w->task);
	struct page **arts = w->arts;
	const struct wording_doc *docs = w->docs;
	size_t *more = s->verbose ? wording_notes(w, s->verbose) : NULL;
	for (size_t i = 0; i < w->np; i++) {
		const struct wording_passage *p = &w->ps[i];
		struct page *pa = arts[p->a.doc], *pb = arts[p->b.doc];
		const char *ta = docs[p->a.doc].blocks[p->a.block].text + p->a.start;
		const char *tb = docs[p->b.doc].blocks[p->b.block].text + p->b.start;
		size_t la = p->a.end - p->a.start, lb = p->b.end - p->b.start;
		int ba = (int)p->a.block + 1, bb = (int)p->b.block + 1;
		add_shared(pa, pb, ba, bb, p->words, ta, la, tb, lb);
		add_shared(pb, pa, bb, ba, p->words, tb, lb, ta, la);
		if (!s->verbose || more[i] == SIZE_MAX)
			continue;
		note_shared(pa, ba, pb, bb, p->words, ta, la, d);
		if (more[i])
			diag_note(d, pa->file, markdown_line(pa, pa->blocks[ba - 1].node), 1,
				  "the same wording is shared by %zu more pair%s of articles (-v -v lists them): “%.*s”",
				  more[i], more[i] == 1 ? "" : "s", (int)la, ta);
	}
	free(more);
	for (size_t a = 0; a < w->na; a++)
		if (arts[a]->nshared > 1)
			qsort(arts[a]->shared, arts[a]->nshared, sizeof(*arts[a]->shared), shared_cmp);
	free(w->ps);
	for (size_t i = 0; i < w->ntexts; i++)
		sb_free(&w->texts[i]);
	free(w->texts);
	free(w->blocks);
	free(w->first);
	free(w->docs);
	free(w->arts);
}

/* --- sections --------------------------------------------------------- */

/* Hugo's default order: weight, then newest date first, then title; the
 * output path breaks the remaining ties so the order is total. */
static int member_cmp(const void *a, const void *b)
{
	const struct page *x = *(struct page *const *)a, *y = *(struct page *const *)b;
	bool xw = x->weight != 0, yw = y->weight != 0;
	if (xw != yw)
		return xw ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	int c = strcmp(y->date, x->date);
	if (c)
		return c;
	c = strcmp(x->title, y->title);
	return c ? c : strcmp(x->out, y->out);
}

static bool is_list(const struct page *p)
{
	return p->kind == PAGE_SECTION || p->kind == PAGE_ENTITIES;
}

static void link_sections(struct site *s)
{
	struct page *home = NULL;
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_HOME)
			home = s->pages[i];
	for (size_t i = 0; i < s->npages; i++) {
		struct page *sec = s->pages[i];
		if (!is_list(sec) && sec != home)
			continue;
		size_t n = 0;
		sec->children = xcalloc(s->npages + 1, sizeof(*sec->children));
		for (size_t j = 0; j < s->npages; j++) {
			struct page *p = s->pages[j];
			bool member = sec == home ? (!*p->section && p->kind == PAGE_PLAIN) || is_list(p)
						  : (!strcmp(p->section, sec->section) && p != sec);
			if (!member || p->kind == PAGE_404)
				continue;
			sec->children[n++] = p;
			/* The home page is written by hand, not a list: a
			 * top-level page is reached by a link to it. */
			if (sec != home) {
				p->linked_from_list = true;
				p->parent = sec;
			}
		}
		sec->nchildren = n;
		if (n)
			qsort(sec->children, n, sizeof(*sec->children), member_cmp);
	}
}

/* A page no list holds and no other page links to can only be found by
 * search: tell the contributor (issue 7). */
static void warn_unreachable(const struct site *s, struct diag *d)
{
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		if (!p->src || p->kind == PAGE_HOME || is_list(p) || p->linked_from_list ||
		    p->ncited_by_pages)
			continue;
		diag_warning(d, p->file, 1, 1,
			     "page is not in any list and no page links to it; readers can only find it by search");
	}
}

/* Each page's tree made ready for linking (text nodes merged, an article's
 * annotations placed and blocks numbered, headings and links collected): page-local
 * work, on s->jobs threads, each page reporting into a diag of its own,
 * merged in page order. */
struct prepare_job {
	struct site *s;
	struct diag *d;
	struct page_links *links;
};

static void prepare_task(size_t i, void *arg)
{
	struct prepare_job *j = arg;
	struct page *p = j->s->pages[i];
	diag_init(&j->d[i]);
	if (!p->doc)
		return;
	cmark_consolidate_text_nodes(p->doc);
	if (p->kind == PAGE_ARTICLE)
		prepare_article(p, &j->d[i]);
	markdown_collect_headings(p);
	collect_links(p, &j->links[i]);
}

/* Returns each page's links (collect_links), for the link pass. */
static struct page_links *prepare_pages(struct site *s, struct diag *d)
{
	struct prepare_job j = { s, xcalloc(s->npages + 1, sizeof(*j.d)),
				 xcalloc(s->npages + 1, sizeof(*j.links)) };
	workq_run(s->npages, s->jobs, prepare_task, &j);
	for (size_t i = 0; i < s->npages; i++)
		diag_merge(d, &j.d[i]);
	free(j.d);
	return j.links;
}

int link_site(struct site *s, struct diag *d)
{
	return link_site_traced(s, d, NULL);
}

int link_site_traced(struct site *s, struct diag *d, struct link_trace *tr)
{
	struct page_links *links = prepare_pages(s, d);
	for (size_t i = 0; i < s->npages; i++) {
		if (s->pages[i]->doc)
			link_collected(s, s->pages[i], &links[i], d);
		page_links_free(&links[i]);
	}
	free(links);
	if (tr)
		link_trace_links_done(tr, s);
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_TOPIC)
			link_claims(s, s->pages[i], d);
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_ARTICLE)
			link_relations(s, s->pages[i], d);
	link_claim_status(s, d);
	struct wording_job wording;
	wording_start(s, &wording);
	build_registry(s, d);
	mention_pages(s, tr);
	cut_snippets(s);
	fit_mentions(s);
	wording_finish(s, &wording, d);
	warn_unused_aliases(s, d);
	check_mention_files(s, d);
	check_output_names(s, d);
	link_sections(s);
	warn_unreachable(s, d);
	return 0;
}

/* --- one page again (relink.h) ---------------------------------------- */

void link_page_prepare(struct page *p)
{
	cmark_consolidate_text_nodes(p->doc);
	markdown_collect_headings(p);
}

void link_page_links(struct site *s, struct page *p, struct diag *d)
{
	link_page(s, p, d);
}

void link_page_mentions(struct site *s, struct page *p, struct link_trace *tr)
{
	markdown_join_lines(p->doc);
	struct page_scan ps = { 0 };
	scan_page(s, p, &ps);
	mention_page(s, p, &ps, tr);
	count_cooccurrence(s, ps.co, ps.nco);
	page_scan_free(&ps);
}
