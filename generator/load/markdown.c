#include "markdown.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "anchor.h"
#include "fsutil.h"
#include "html.h"
#include "xalloc.h"

#define PARSE_OPTIONS (CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8)
#define RENDER_OPTIONS (CMARK_OPT_FOOTNOTES | CMARK_OPT_GITHUB_PRE_LANG)

static const char *const extension_names[] = {
	"table", "strikethrough", "autolink", "tagfilter", "tasklist",
};

/* cmark-gfm's extension registry is process-global; so is this list of the
 * extensions every page is parsed and rendered with. */
static cmark_llist *extensions(void)
{
	static cmark_llist *list;
	if (!list) {
		cmark_gfm_core_extensions_ensure_registered();
		cmark_mem *mem = cmark_get_default_mem_allocator();
		for (size_t i = 0; i < sizeof(extension_names) / sizeof(*extension_names); i++) {
			cmark_syntax_extension *e = cmark_find_syntax_extension(extension_names[i]);
			if (e)
				list = cmark_llist_append(mem, list, e);
		}
	}
	return list;
}

cmark_node *markdown_parse(const char *md, size_t len)
{
	cmark_parser *parser = cmark_parser_new(PARSE_OPTIONS);
	for (cmark_llist *l = extensions(); l; l = l->next)
		cmark_parser_attach_syntax_extension(parser, l->data);
	cmark_parser_feed(parser, md, len);
	cmark_node *doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return doc;
}

char *markdown_render(cmark_node *doc, bool unsafe)
{
	int opts = RENDER_OPTIONS | (unsafe ? CMARK_OPT_UNSAFE : 0);
	return cmark_render_html(doc, opts, extensions());
}

/* The nodes of `doc` whose type is `a` or `b`, in document order. They are
 * collected first because cmark's iterator allows no edits on the way. */
static size_t collect(cmark_node *doc, cmark_node_type a, cmark_node_type b, cmark_node ***out)
{
	cmark_node **v = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_ENTER && (t == a || t == b)) {
			v = xgrow(v, &cap, n + 1, sizeof(*v));
			v[n++] = node;
		}
	}
	cmark_iter_free(it);
	*out = v;
	return n;
}

void markdown_join_lines(cmark_node *doc)
{
	cmark_node **breaks = NULL;
	size_t n = collect(doc, CMARK_NODE_SOFTBREAK, CMARK_NODE_SOFTBREAK, &breaks);
	for (size_t i = 0; i < n; i++) {
		cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(text, "\n");
		cmark_node_replace(breaks[i], text);
		cmark_node_free(breaks[i]);
	}
	free(breaks);
	cmark_consolidate_text_nodes(doc);
}

/* A short quotation of what was dropped, for a diagnostic: the first line,
 * at most 60 bytes, cut on a character boundary. */
static void quote_of(const char *s, struct strbuf *out)
{
	s += strspn(s, " \t");
	size_t n = strcspn(s, "\r\n");
	if (n > 60) {
		n = 60;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		sb_put(out, s, n);
		sb_puts(out, "…");
	} else {
		sb_put(out, s, n);
	}
}

void markdown_sanitize(cmark_node *doc, bool unsafe, const struct page *p,
		       int line, int col, struct diag *d)
{
	if (unsafe)
		return;
	cmark_node **doomed = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		const char *what = NULL, *lit = NULL;
		if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
			doomed = xgrow(doomed, &cap, n + 1, sizeof(*doomed));
			doomed[n++] = node;
			what = t == CMARK_NODE_HTML_BLOCK ? "raw HTML block" : "raw HTML";
			lit = cmark_node_get_literal(node);
		} else if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
			   url_is_dangerous(cmark_node_get_url(node))) {
			/* cmark's renderer writes such a URL as "" in safe
			 * mode; the node stays, so its text does too. */
			what = t == CMARK_NODE_LINK ? "link URL" : "image URL";
			lit = cmark_node_get_url(node);
		}
		if (!what)
			continue;
		struct strbuf q = STRBUF_INIT;
		quote_of(lit ? lit : "", &q);
		diag_warning(d, p->file, line > 0 ? line : markdown_line(p, node),
			     line > 0 ? col : markdown_col(p, node),
			     "%s '%s' dropped (to keep it, set [markdown] unsafe = true)", what, q.ptr);
		sb_free(&q);
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < n; i++)
		cmark_node_free(doomed[i]);
	free(doomed);
}

void markdown_text(cmark_node *node, struct strbuf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		/* Blocks are separated by a space, so "else." and "Editorial"
		 * of two paragraphs do not run together. */
		if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && out->size &&
		    out->ptr[out->size - 1] != ' ')
			sb_putc(out, ' ');
		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			sb_puts(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			sb_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

cmark_node *markdown_custom(cmark_node_type type, const char *enter,
			    const char *exit)
{
	cmark_node *n = cmark_node_new(type);
	cmark_node_set_on_enter(n, enter);
	cmark_node_set_on_exit(n, exit);
	return n;
}

/* The annotation whose note (an aside at the top level of an article)
 * holds `node`, or NULL: a note's positions are those of its TOML string. */
static const struct annotation_entry *note_of(const struct page *p, cmark_node *node)
{
	if (!p->nannotations || !p->doc)
		return NULL;
	cmark_node *top = node;
	while (cmark_node_parent(top) && cmark_node_parent(top) != p->doc)
		top = cmark_node_parent(top);
	for (size_t i = 0; i < p->nannotations; i++)
		if (p->annotations[i].aside && p->annotations[i].aside == top)
			return &p->annotations[i];
	return NULL;
}

int markdown_line(const struct page *p, cmark_node *node)
{
	int line = cmark_node_get_start_line(node);
	const struct annotation_entry *a = note_of(p, node);
	if (a)
		return a->note_line + (line > 0 ? line - 1 : 0);
	if (p->line_map && line >= 1 && (size_t)line <= p->nline_map)
		line = p->line_map[line - 1];
	return line + p->body_line - 1;
}

int markdown_col(const struct page *p, cmark_node *node)
{
	const struct annotation_entry *a = note_of(p, node);
	if (a)
		return cmark_node_get_start_line(node) <= 1
			       ? a->note_col + cmark_node_get_start_column(node) - 1
			       : cmark_node_get_start_column(node);
	return p->line_map ? 1 : cmark_node_get_start_column(node);
}

/* --- block numbering and heading ids ----------------------------------- */

/* A node's id, in its user data (this module is the only one to set a
 * node's user data): numbered blocks get theirs when numbered, so any walk
 * finds a node's block number in O(1); headings get theirs when the page
 * is finalized. */
struct mark {
	int number; /* the block number, or 0 */
	int task;   /* list items: -1 not a task, 0 open, 1 done */
	char id[];
};

static void free_mark(cmark_mem *mem, void *m)
{
	(void)mem;
	free(m);
}

static struct mark *mark_attach(cmark_node *node, const char *id, int number)
{
	size_t n = strlen(id);
	struct mark *m = xmalloc(sizeof(*m) + n + 1);
	memcpy(m->id, id, n + 1);
	m->number = number;
	m->task = -1;
	assert(!cmark_node_get_user_data(node));
	cmark_node_set_user_data(node, m);
	cmark_node_set_user_data_free_func(node, free_mark);
	return m;
}

int markdown_block_number(cmark_node *node)
{
	const struct mark *m = cmark_node_get_user_data(node);
	return m ? m->number : 0;
}

static void add_block(struct page *p, cmark_node *node, size_t *cap)
{
	p->blocks = xgrow(p->blocks, cap, p->nblocks + 1, sizeof(*p->blocks));
	memset(&p->blocks[p->nblocks], 0, sizeof(*p->blocks));
	p->blocks[p->nblocks++].node = node;
	struct strbuf id = STRBUF_INIT;
	anchor_block(&id, p->nblocks);
	mark_attach(node, id.ptr, (int)p->nblocks);
	sb_free(&id);
}

/* A top-level list with the lists nested in its items, at any depth: the
 * items in document order (issue 14: each list item at every depth is a
 * block of its own) and the lists outer first. Iterative, so nesting depth
 * costs no stack. */
struct list_tree {
	cmark_node **items, **lists;
	size_t nitems, ilcap, nlists, llcap;
};

static cmark_node *next_list(cmark_node *n)
{
	while (n && cmark_node_get_type(n) != CMARK_NODE_LIST)
		n = cmark_node_next(n);
	return n;
}

static void list_tree_collect(cmark_node *top, struct list_tree *lt)
{
	lt->lists = xgrow(lt->lists, &lt->llcap, lt->nlists + 1, sizeof(*lt->lists));
	lt->lists[lt->nlists++] = top;
	cmark_node *it = cmark_node_first_child(top);
	while (it) {
		lt->items = xgrow(lt->items, &lt->ilcap, lt->nitems + 1, sizeof(*lt->items));
		lt->items[lt->nitems++] = it;
		cmark_node *sub = next_list(cmark_node_first_child(it));
		if (sub && cmark_node_first_child(sub)) {
			lt->lists = xgrow(lt->lists, &lt->llcap, lt->nlists + 1, sizeof(*lt->lists));
			lt->lists[lt->nlists++] = sub;
			it = cmark_node_first_child(sub);
			continue;
		}
		/* Next item: a sibling, else the next list of the enclosing
		 * item, else climb to that item and try again. */
		for (;;) {
			if (cmark_node_next(it)) {
				it = cmark_node_next(it);
				break;
			}
			cmark_node *list = cmark_node_parent(it);
			if (list == top) {
				it = NULL;
				break;
			}
			cmark_node *more = next_list(cmark_node_next(list));
			if (more && cmark_node_first_child(more)) {
				lt->lists = xgrow(lt->lists, &lt->llcap, lt->nlists + 1, sizeof(*lt->lists));
				lt->lists[lt->nlists++] = more;
				it = cmark_node_first_child(more);
				break;
			}
			it = cmark_node_parent(list);
		}
	}
}

static void list_tree_free(struct list_tree *lt)
{
	free(lt->items);
	free(lt->lists);
}

void markdown_number_blocks(struct page *p)
{
	size_t cap = 0;
	for (cmark_node *b = cmark_node_first_child(p->doc); b; b = cmark_node_next(b)) {
		cmark_node_type t = cmark_node_get_type(b);
		/* Annotation notes and footnotes are not part of the source text. */
		if (t == CMARK_NODE_CUSTOM_BLOCK || t == CMARK_NODE_FOOTNOTE_DEFINITION)
			continue;
		if (t == CMARK_NODE_LIST) {
			struct list_tree lt = { 0 };
			list_tree_collect(b, &lt);
			for (size_t i = 0; i < lt.nitems; i++)
				add_block(p, lt.items[i], &cap);
			list_tree_free(&lt);
		} else {
			add_block(p, b, &cap);
		}
	}
}

/* Ids a heading slug must not take on this page: the block and annotation
 * anchors. */
static void reserve_ids(const struct page *p, struct anchor_set *ids)
{
	struct strbuf id = STRBUF_INIT;
	for (size_t i = 1; i <= p->nblocks; i++) {
		sb_clear(&id);
		anchor_block(&id, i);
		anchor_reserve(ids, id.ptr);
	}
	static const char *const suffixes[] = { "", "-note", "-ref" };
	for (size_t i = 0; i < p->nannotations; i++)
		for (size_t k = 0; k < sizeof(suffixes) / sizeof(*suffixes); k++) {
			sb_clear(&id);
			anchor_annotation(&id, p->annotations[i].number, suffixes[k]);
			anchor_reserve(ids, id.ptr);
		}
	sb_free(&id);
}

void markdown_collect_headings(struct page *p)
{
	size_t cap = 0;
	struct anchor_set ids = ANCHOR_SET_INIT;
	reserve_ids(p, &ids);
	cmark_iter *it = cmark_iter_new(p->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		struct strbuf text = STRBUF_INIT, id = STRBUF_INIT;
		markdown_text(n, &text);
		int numbered = markdown_block_number(n);
		if (numbered) {
			anchor_block(&id, (size_t)numbered);
		} else {
			anchor_slug(text.ptr, text.size, &id);
			if (!id.size)
				sb_puts(&id, "section");
			anchor_unique(&ids, &id);
		}
		p->headings = xgrow(p->headings, &cap, p->nheadings + 1, sizeof(*p->headings));
		struct heading *h = &p->headings[p->nheadings++];
		h->id = sb_detach(&id);
		h->text = sb_detach(&text);
		h->level = cmark_node_get_heading_level(n);
		h->line = markdown_line(p, n);
		h->node = n;
	}
	cmark_iter_free(it);
	anchor_set_free(&ids);
}

/* --- id-carrying blocks ------------------------------------------------- */

/* Headings and numbered blocks keep their cmark nodes, so cmark's renderer
 * decides everything it decides for any page (tight lists, task items,
 * list start numbers). They are handed to a private syntax extension whose
 * only job is to write the element's opening tag with its id; the id rides
 * in the node's user data. cmark-gfm calls an extension's render function
 * with its HTML renderer, whose first member is the output buffer; the
 * struct is not in the installed headers, so that member is all this
 * module reads, and the buffer is written through cmark's exported
 * cmark_strbuf functions. */
struct cmark_strbuf;
struct cmark_html_renderer {
	struct cmark_strbuf *html;
};
void cmark_strbuf_puts(struct cmark_strbuf *buf, const char *string);
bufsize_t cmark_strbuf_len(const struct cmark_strbuf *buf);
bufsize_t cmark_strbuf_strrchr(const struct cmark_strbuf *buf, int c, bufsize_t pos);


/* cmark's cr(): a newline unless the output is empty or ends in one. */
static void render_cr(struct cmark_strbuf *html)
{
	bufsize_t n = cmark_strbuf_len(html);
	if (n > 0 && cmark_strbuf_strrchr(html, '\n', n - 1) != n - 1)
		cmark_strbuf_puts(html, "\n");
}

/* "<tag" [data-sourcepos] " id=\"ID\">" */
static void open_tag(struct strbuf *sb, const char *tag, cmark_node *node,
		     const struct mark *m, int options)
{
	sb_printf(sb, "<%s", tag);
	if (options & CMARK_OPT_SOURCEPOS)
		sb_printf(sb, " data-sourcepos=\"%d:%d-%d:%d\"", cmark_node_get_start_line(node),
			  cmark_node_get_start_column(node), cmark_node_get_end_line(node),
			  cmark_node_get_end_column(node));
	sb_puts(sb, " id=\"");
	html_escape_attr(sb, m->id, strlen(m->id));
	sb_puts(sb, "\">");
}

static bool is_tight(cmark_node *paragraph)
{
	cmark_node *gp = cmark_node_parent(cmark_node_parent(paragraph));
	return gp && cmark_node_get_type(gp) == CMARK_NODE_LIST && cmark_node_get_list_tight(gp);
}

/* What cmark (or its tasklist extension, for a task item) writes for the
 * node, plus the id. */
static void render_mark(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
			cmark_node *node, cmark_event_type ev, int options)
{
	(void)ext;
	const struct mark *m = cmark_node_get_user_data(node);
	bool enter = ev == CMARK_EVENT_ENTER;
	struct strbuf sb = STRBUF_INIT;
	char tag[4] = "h1";
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_HEADING:
		tag[1] = (char)('0' + cmark_node_get_heading_level(node));
		if (!enter) {
			sb_printf(&sb, "</%s>\n", tag);
			break;
		}
		render_cr(r->html);
		open_tag(&sb, tag, node, m, options);
		sb_puts(&sb, "<a class=\"anchor\" href=\"#");
		url_escape_path(&sb, m->id, strlen(m->id));
		sb_puts(&sb, "\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
		break;
	case CMARK_NODE_PARAGRAPH:
		/* Numbered paragraphs are top-level, never in a tight list. */
		if (is_tight(node))
			break;
		if (enter) {
			render_cr(r->html);
			open_tag(&sb, "p", node, m, options);
		} else {
			sb_puts(&sb, "</p>\n");
		}
		break;
	case CMARK_NODE_ITEM:
		if (!enter) {
			sb_puts(&sb, "</li>\n");
			break;
		}
		render_cr(r->html);
		open_tag(&sb, "li", node, m, options);
		if (m->task >= 0)
			sb_puts(&sb, m->task ? "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> "
					     : "<input type=\"checkbox\" disabled=\"\" /> ");
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		render_cr(r->html);
		if (enter) {
			open_tag(&sb, "blockquote", node, m, options);
			sb_putc(&sb, '\n');
		} else {
			sb_puts(&sb, "</blockquote>\n");
		}
		break;
	default:
		assert(!"a mark on a node type render_mark does not know");
	}
	cmark_strbuf_puts(r->html, sb.ptr);
	sb_free(&sb);
}

static cmark_syntax_extension *mark_extension(void)
{
	static cmark_syntax_extension *ext;
	if (!ext) {
		ext = cmark_syntax_extension_new("dossier-id");
		cmark_syntax_extension_set_html_render_func(ext, render_mark);
	}
	return ext;
}

/* Gives `node` its id in the HTML: a numbered block's pN, else `id`. */
static void mark(cmark_node *node, const char *id)
{
	struct mark *m = cmark_node_get_user_data(node);
	if (!m)
		m = mark_attach(node, id, 0);
	cmark_syntax_extension *tasklist = cmark_find_syntax_extension("tasklist");
	if (tasklist && cmark_node_get_syntax_extension(node) == tasklist)
		m->task = cmark_gfm_extensions_get_tasklist_item_checked(node);
	cmark_node_set_syntax_extension(node, mark_extension());
}

/* The paragraph link of block `num`, as inline markup. */
static void block_trail(size_t num, struct strbuf *sb)
{
	sb_puts(sb, " <a class=\"para-link\" href=\"#");
	anchor_block(sb, num);
	sb_printf(sb, "\" aria-label=\"Link to paragraph %zu\">", num);
	anchor_block_label(sb, num);
	sb_puts(sb, "</a>");
}

static void cite_link(struct strbuf *sb, const char *url, const char *frag, const char *text)
{
	sb_puts(sb, "<a href=\"");
	url_escape_path(sb, url, strlen(url));
	if (frag) {
		sb_putc(sb, '#');
		url_escape_path(sb, frag, strlen(frag));
	}
	sb_puts(sb, "\">");
	html_escape_text(sb, text, strlen(text));
	sb_puts(sb, "</a>");
}

/* Citations by citing page (its output path), then in arrival order. */
static int citation_cmp(const void *x, const void *y)
{
	const struct citation *a = *(const struct citation *const *)x;
	const struct citation *b = *(const struct citation *const *)y;
	int c = strcmp(a->from->out, b->from->out);
	return c ? c : (a > b) - (a < b);
}

/* The cited-by trail of block `num`: one line, "Cited in N pages", that
 * opens (a <details>, so keyboard and no-script work) to the citing pages,
 * each with the headings or notes it cites the block under. */
static void cited_by_block(const struct page *p, size_t num, struct strbuf *sb)
{
	const struct block *blk = &p->blocks[num - 1];
	if (!blk->ncited)
		return;
	const struct citation **v = xmalloc(blk->ncited * sizeof(*v));
	for (size_t i = 0; i < blk->ncited; i++)
		v[i] = &blk->cited_by[i];
	if (blk->ncited)
		qsort(v, blk->ncited, sizeof(*v), citation_cmp);
	size_t n = blk->ncited, pages = 0;
	for (size_t i = 0; i < n; i++)
		if (!i || v[i]->from != v[i - 1]->from)
			pages++;
	sb_printf(sb, "<details class=\"cited-by\"><summary>Cited in %zu page%s"
		      "<span class=\"visually-hidden\"> (paragraph %zu)</span></summary>\n<ul>\n",
		  pages, pages == 1 ? "" : "s", num);
	for (size_t i = 0; i < n;) {
		const struct page *from = v[i]->from;
		size_t j = i;
		while (j < n && v[j]->from == from)
			j++;
		char *url = fs_relurl(p->out, from->out);
		sb_puts(sb, "<li>");
		/* A lone citation under no heading and in no note is the page. */
		bool plain = j - i == 1 && !v[i]->under && !v[i]->note;
		cite_link(sb, url, NULL, from->title);
		if (!plain) {
			sb_puts(sb, "\n<ul>\n");
			for (size_t k = i; k < j; k++) {
				const struct citation *c = v[k];
				char frag[32], label[48];
				sb_puts(sb, "<li>");
				if (c->note) {
					snprintf(frag, sizeof frag, "a%d-note", c->note);
					snprintf(label, sizeof label, "Note %d", c->note);
					cite_link(sb, url, frag, label);
				} else if (c->under) {
					cite_link(sb, url, c->under->id, c->under->text);
				} else {
					cite_link(sb, url, NULL, "Introduction");
				}
				sb_puts(sb, "</li>\n");
			}
			sb_puts(sb, "</ul>\n");
		}
		sb_puts(sb, "</li>\n");
		free(url);
		i = j;
	}
	sb_puts(sb, "</ul>\n</details>\n");
	free(v);
}

/* Appends the trail to the last paragraph inside `container`, or as a
 * custom inline at its end. */
static void append_trail(cmark_node *container, const char *trail)
{
	cmark_node *target = container;
	cmark_node *last = cmark_node_last_child(container);
	cmark_node_type ct = cmark_node_get_type(container);
	/* Inline containers take the trail directly (a paragraph ending in an
	 * annotation ref must not get a block appended: cmark refuses it). */
	if (ct == CMARK_NODE_PARAGRAPH || ct == CMARK_NODE_HEADING) {
		cmark_node_append_child(container,
					markdown_custom(CMARK_NODE_CUSTOM_INLINE, trail, ""));
		return;
	}
	/* An item holding a nested list takes the trail in its own text. */
	if (ct == CMARK_NODE_ITEM)
		while (last && cmark_node_get_type(last) != CMARK_NODE_PARAGRAPH)
			last = cmark_node_previous(last);
	if (last && cmark_node_get_type(last) == CMARK_NODE_PARAGRAPH)
		target = last;
	cmark_node *t = markdown_custom(CMARK_NODE_CUSTOM_INLINE, trail, "");
	if (target == container) {
		cmark_node *para = markdown_custom(CMARK_NODE_CUSTOM_BLOCK, "", "");
		cmark_node_append_child(para, t);
		cmark_node_append_child(container, para);
	} else {
		cmark_node_append_child(target, t);
	}
}

static void finalize_block(struct page *p, size_t num)
{
	cmark_node *node = p->blocks[num - 1].node;
	struct strbuf trail = STRBUF_INIT, id = STRBUF_INIT, cited = STRBUF_INIT;
	block_trail(num, &trail);
	cited_by_block(p, num, &cited);
	anchor_block(&id, num);
	cmark_node_type type = cmark_node_get_type(node);
	/* The cited-by trail is flow content: after a paragraph or heading,
	 * at the end of an item or a quote, inside a wrapper. */
	switch (type) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_BLOCK_QUOTE:
		if (cited.size && type == CMARK_NODE_PARAGRAPH)
			cmark_node_insert_after(node, markdown_custom(CMARK_NODE_CUSTOM_BLOCK, cited.ptr, ""));
		else if (cited.size)
			cmark_node_append_child(node, markdown_custom(CMARK_NODE_CUSTOM_BLOCK, cited.ptr, ""));
		append_trail(node, trail.ptr);
		mark(node, id.ptr);
		break;
	case CMARK_NODE_HEADING:
		/* Marked with the other headings (its id is its pN). */
		append_trail(node, trail.ptr);
		if (cited.size)
			cmark_node_insert_after(node, markdown_custom(CMARK_NODE_CUSTOM_BLOCK, cited.ptr, ""));
		break;
	default: {
		/* Code, tables, rules, raw HTML: a wrapper carries the id. */
		struct strbuf enter = STRBUF_INIT;
		sb_puts(&enter, "<div class=\"block\" id=\"");
		sb_puts(&enter, id.ptr);
		sb_puts(&enter, "\">\n");
		cmark_node *div = markdown_custom(CMARK_NODE_CUSTOM_BLOCK, enter.ptr, "</div>\n");
		cmark_node_insert_before(node, div);
		cmark_node_append_child(div, node);
		append_trail(div, trail.ptr);
		if (cited.size)
			cmark_node_append_child(div, markdown_custom(CMARK_NODE_CUSTOM_BLOCK, cited.ptr, ""));
		sb_free(&enter);
		break;
	}
	}
	sb_free(&trail);
	sb_free(&id);
	sb_free(&cited);
}

void markdown_finalize(struct page *p)
{
	for (size_t i = 1; i <= p->nblocks; i++)
		finalize_block(p, i);
	for (size_t i = 0; i < p->nheadings; i++)
		mark(p->headings[i].node, p->headings[i].id);
}
