#include "markdown.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

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

void markdown_sanitize(cmark_node *doc, bool unsafe)
{
	if (unsafe)
		return;
	cmark_node **doomed = NULL;
	size_t n = collect(doc, CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE, &doomed);
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

void markdown_slugify(const char *text, struct strbuf *out)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p >= 0x80 || isalnum(*p) || *p == '_' || *p == '-')
			sb_putc(out, *p >= 0x80 ? *p : tolower(*p));
		else if (*p == ' ')
			sb_putc(out, '-');
	}
}

cmark_node *markdown_custom(cmark_node_type type, const char *enter,
			    const char *exit)
{
	cmark_node *n = cmark_node_new(type);
	cmark_node_set_on_enter(n, enter);
	cmark_node_set_on_exit(n, exit);
	return n;
}

int markdown_line(const struct page *p, cmark_node *node)
{
	int line = cmark_node_get_start_line(node);
	if (p->line_map && line >= 1 && (size_t)line <= p->nline_map)
		line = p->line_map[line - 1];
	return line + p->body_line - 1;
}

int markdown_col(const struct page *p, cmark_node *node)
{
	return p->line_map ? 1 : cmark_node_get_start_column(node);
}

static void add_block(struct page *p, cmark_node *node, size_t *cap)
{
	p->blocks = xgrow(p->blocks, cap, p->nblocks + 1, sizeof(*p->blocks));
	memset(&p->blocks[p->nblocks], 0, sizeof(*p->blocks));
	p->blocks[p->nblocks++].node = node;
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
			for (cmark_node *it = cmark_node_first_child(b); it; it = cmark_node_next(it))
				add_block(p, it, &cap);
		} else {
			add_block(p, b, &cap);
		}
	}
}

static int block_of(const struct page *p, cmark_node *node)
{
	for (size_t i = 0; i < p->nblocks; i++)
		if (p->blocks[i].node == node)
			return (int)i + 1;
	return 0;
}

void markdown_collect_headings(struct page *p)
{
	size_t cap = 0;
	cmark_iter *it = cmark_iter_new(p->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		struct strbuf text = STRBUF_INIT, id = STRBUF_INIT;
		markdown_text(n, &text);
		int blk = p->blocks ? block_of(p, n) : 0;
		if (blk) {
			sb_printf(&id, "p%d", blk);
		} else {
			markdown_slugify(text.ptr, &id);
			if (!id.size)
				sb_puts(&id, "section");
			/* De-duplicate as GitHub does: x, x-1, x-2, ... */
			size_t base = id.size;
			for (int k = 1; page_find_heading(p, id.ptr); k++) {
				sb_truncate(&id, base);
				sb_printf(&id, "-%d", k);
			}
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
}

/* Moves every child of `from` to the end of `to`. */
static void move_children(cmark_node *from, cmark_node *to)
{
	cmark_node *c;
	while ((c = cmark_node_first_child(from)))
		cmark_node_append_child(to, c);
}

/* Replaces `node` by a custom block with the given markup around its
 * children; returns the new node. */
static cmark_node *wrap_block(cmark_node *node, const char *enter, const char *exit)
{
	cmark_node *c = markdown_custom(CMARK_NODE_CUSTOM_BLOCK, enter, exit);
	move_children(node, c);
	cmark_node_replace(node, c);
	cmark_node_free(node);
	return c;
}

static cmark_node *finalize_heading(const struct heading *h)
{
	struct strbuf enter = STRBUF_INIT, exit = STRBUF_INIT;
	sb_printf(&enter, "<h%d id=\"", h->level);
	html_escape_attr(&enter, h->id, strlen(h->id));
	sb_puts(&enter, "\"><a class=\"anchor\" href=\"#");
	url_escape_path(&enter, h->id, strlen(h->id));
	sb_puts(&enter, "\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
	sb_printf(&exit, "</h%d>\n", h->level);
	cmark_node *n = wrap_block(h->node, enter.ptr, exit.ptr);
	sb_free(&enter);
	sb_free(&exit);
	return n;
}

/* The paragraph link of block `num`, as inline markup. */
static void block_trail(size_t num, struct strbuf *sb)
{
	sb_printf(sb, " <a class=\"para-link\" href=\"#p%zu\" aria-label=\"Link to paragraph %zu\">¶%zu</a>",
		  num, num, num);
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
	struct strbuf trail = STRBUF_INIT, enter = STRBUF_INIT, cited = STRBUF_INIT;
	block_trail(num, &trail);
	cited_by_block(p, num, &cited);
	cmark_node_type type = cmark_node_get_type(node);
	const char *tag = type == CMARK_NODE_PARAGRAPH ? "p"
			  : type == CMARK_NODE_ITEM      ? "li"
			  : type == CMARK_NODE_BLOCK_QUOTE ? "blockquote" : NULL;
	switch (type) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_BLOCK_QUOTE: {
		/* The trail is flow content: after a paragraph, inside the
		 * end of an item or a quote. */
		struct strbuf exit = STRBUF_INIT;
		sb_printf(&enter, "<%s id=\"p%zu\">%s", tag, num, type == CMARK_NODE_BLOCK_QUOTE ? "\n" : "");
		if (type == CMARK_NODE_PARAGRAPH)
			sb_printf(&exit, "</%s>\n%s", tag, cited.ptr);
		else
			sb_printf(&exit, "%s</%s>\n", cited.ptr, tag);
		append_trail(node, trail.ptr);
		p->blocks[num - 1].node = wrap_block(node, enter.ptr, exit.ptr);
		sb_free(&exit);
		break;
	}
	case CMARK_NODE_HEADING:
		/* The heading keeps its own markup; the link joins its text,
		 * the trail follows it. */
		cmark_node_append_child(node, markdown_custom(CMARK_NODE_CUSTOM_INLINE,
							      trail.ptr, ""));
		if (cited.size)
			cmark_node_insert_after(node, markdown_custom(CMARK_NODE_CUSTOM_BLOCK,
								      cited.ptr, ""));
		break;
	default: {
		sb_printf(&enter, "<div class=\"block\" id=\"p%zu\">\n", num);
		cmark_node *div = markdown_custom(CMARK_NODE_CUSTOM_BLOCK, enter.ptr, "</div>\n");
		cmark_node_insert_before(node, div);
		cmark_node_append_child(div, node);
		append_trail(div, trail.ptr);
		if (cited.size)
			cmark_node_append_child(div, markdown_custom(CMARK_NODE_CUSTOM_BLOCK,
								     cited.ptr, ""));
		break;
	}
	}
	sb_free(&trail);
	sb_free(&enter);
	sb_free(&cited);
}

/* Lists whose items were numbered become custom blocks, so the items (now
 * custom blocks too) may live in them. */
static void finalize_lists(struct page *p)
{
	cmark_node *b = cmark_node_first_child(p->doc);
	while (b) {
		cmark_node *next = cmark_node_next(b);
		if (cmark_node_get_type(b) == CMARK_NODE_LIST) {
			bool ordered = cmark_node_get_list_type(b) == CMARK_ORDERED_LIST;
			char enter[48];
			int start = cmark_node_get_list_start(b);
			if (!ordered)
				snprintf(enter, sizeof enter, "<ul>\n");
			else if (start > 1)
				snprintf(enter, sizeof enter, "<ol start=\"%d\">\n", start);
			else
				snprintf(enter, sizeof enter, "<ol>\n");
			wrap_block(b, enter, ordered ? "</ol>\n" : "</ul>\n");
		}
		b = next;
	}
}

void markdown_finalize(struct page *p, const struct site *s)
{
	(void)s;
	/* Order matters: cmark only lets a node move where its type may live.
	 * Numbered headings get their trail before headings are wrapped; lists
	 * become custom blocks before their items do (a LIST may only hold
	 * ITEMs). Each node is replaced once and never touched again. */
	bool *is_heading = xcalloc(p->nblocks + 1, sizeof(*is_heading));
	for (size_t i = 1; i <= p->nblocks; i++) {
		is_heading[i] = cmark_node_get_type(p->blocks[i - 1].node) == CMARK_NODE_HEADING;
		if (is_heading[i])
			finalize_block(p, i);
	}
	if (p->nblocks)
		finalize_lists(p);
	for (size_t i = 1; i <= p->nblocks; i++)
		if (!is_heading[i])
			finalize_block(p, i);
	for (size_t i = 0; i < p->nheadings; i++) {
		cmark_node *old = p->headings[i].node;
		cmark_node *now = finalize_heading(&p->headings[i]);
		p->headings[i].node = now;
		for (size_t k = 0; k < p->nblocks; k++)
			if (p->blocks[k].node == old)
				p->blocks[k].node = now;
	}
	free(is_heading);
}
