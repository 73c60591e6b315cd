/*
 * annotate: quote-anchored annotations. See annotate.h for the rules.
 *
 * For each annotation the document is flattened into its normalised text,
 * every byte of which remembers the TEXT/CODE node and byte range it came
 * from, and every node the range of flat text it covers. The quote is
 * searched in the flat text; the match is then wrapped by walking the
 * top-level block that holds it, splitting the TEXT nodes where the match
 * starts and ends. The tree changes after each annotation, so the next one
 * flattens it again (articles are a few hundred nodes).
 */
#include "annotate.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "strbuf.h"
#include "xalloc.h"

/* Where one byte of the flat text came from; len 0 for a space standing for
 * a break or a block boundary. */
struct origin {
	cmark_node *node;
	size_t off;
	size_t len;
};

/* The flat text a node covers: [start, end). */
struct span {
	cmark_node *node;
	size_t start, end;
};

struct flat {
	struct strbuf text; /* '\0' separates top-level blocks */
	struct origin *orig;
	size_t ocap;
	struct span *spans;
	size_t nspans, scap;
	size_t *stack; /* open containers' span indexes */
	size_t depth, stcap;
};

/* ---- normalisation ------------------------------------------------------ */

static bool is_space(const char *p, size_t n, size_t *len)
{
	if (n >= 1 && strchr(" \t\n\r\v\f", p[0]) != NULL && p[0] != '\0') {
		*len = 1;
		return true;
	}
	if (n >= 2 && (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0) {
		*len = 2; /* no-break space */
		return true;
	}
	return false;
}

/* Curly quotes and apostrophes fold to straight ones: the byte they fold
 * to, or 0. */
static char fold_quote(const char *p, size_t n, size_t *len)
{
	unsigned char c;

	if (n < 3 || (unsigned char)p[0] != 0xe2 || (unsigned char)p[1] != 0x80)
		return 0;
	c = (unsigned char)p[2];
	*len = 3;
	if (c >= 0x98 && c <= 0x9b) /* ‘ ’ ‚ ‛ */
		return '\'';
	if (c >= 0x9c && c <= 0x9f) /* “ ” „ ‟ */
		return '"';
	return 0;
}

/* Normalises a selector string: white space runs to one space, trimmed,
 * quotes folded. */
static char *norm_str(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(s), i = 0, k;

	while (i < n) {
		char f;

		if (is_space(s + i, n - i, &k)) {
			if (sb.size > 0 && sb.ptr[sb.size - 1] != ' ')
				sb_putc(&sb, ' ');
			i += k;
		} else if ((f = fold_quote(s + i, n - i, &k)) != 0) {
			sb_putc(&sb, f);
			i += k;
		} else {
			sb_putc(&sb, s[i++]);
		}
	}
	if (sb.size > 0 && sb.ptr[sb.size - 1] == ' ')
		sb_truncate(&sb, sb.size - 1);
	return sb_detach(&sb);
}

/* ---- flattening --------------------------------------------------------- */

static void flat_put(struct flat *f, char c, cmark_node *node, size_t off,
		     size_t len)
{
	f->orig = xgrow(f->orig, &f->ocap, f->text.size + 1, sizeof(*f->orig));
	f->orig[f->text.size] = (struct origin){node, off, len};
	sb_putc(&f->text, c);
}

/* A space, unless the text is empty or already ends in a space or a
 * separator. */
static void flat_space(struct flat *f, cmark_node *node, size_t off,
		       size_t len)
{
	if (f->text.size > 0 && f->text.ptr[f->text.size - 1] != ' ' &&
	    f->text.ptr[f->text.size - 1] != '\0')
		flat_put(f, ' ', node, off, len);
}

static void flat_literal(struct flat *f, cmark_node *node)
{
	const char *s = cmark_node_get_literal(node);
	size_t n = s ? strlen(s) : 0, i = 0, k;

	while (i < n) {
		char q;

		if (is_space(s + i, n - i, &k)) {
			flat_space(f, node, i, k);
			i += k;
		} else if ((q = fold_quote(s + i, n - i, &k)) != 0) {
			flat_put(f, q, node, i, k);
			i += k;
		} else {
			flat_put(f, s[i], node, i, 1);
			i++;
		}
	}
}

static bool is_inline(cmark_node *node)
{
	return (cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) ==
	       CMARK_NODE_TYPE_INLINE;
}

/* A node that starts a unit of text: a top-level block, or an item of a
 * top-level list. */
static bool is_unit(cmark_node *node)
{
	cmark_node *parent = cmark_node_parent(node);

	if (!parent)
		return false;
	if (cmark_node_get_type(parent) == CMARK_NODE_DOCUMENT)
		return cmark_node_get_type(node) != CMARK_NODE_LIST;
	return cmark_node_get_type(node) == CMARK_NODE_ITEM &&
	       cmark_node_get_type(cmark_node_parent(parent)) ==
		       CMARK_NODE_DOCUMENT;
}

/* The separator a block adds before its text: '\0' before a unit, a space
 * before any other block. */
static void flat_separate(struct flat *f, cmark_node *node)
{
	if (is_unit(node)) {
		if (f->text.size > 0)
			flat_put(f, '\0', NULL, 0, 0);
	} else if (!is_inline(node)) {
		flat_space(f, NULL, 0, 0);
	}
}

static void flat_text(struct flat *f, cmark_node *node)
{
	cmark_node_type t = cmark_node_get_type(node);

	if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
		flat_literal(f, node);
	else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
		flat_space(f, node, 0, 0);
}

/* Every node's span starts after its separator and ends after its text;
 * a container's end is moved to after its children on EXIT. (Which nodes
 * get an EXIT event is the iterator's business: leaves are left on the
 * stack and skipped when their container exits.) */
static void flat_span_enter(struct flat *f, cmark_node *node)
{
	size_t start = f->text.size;

	flat_text(f, node);
	f->spans = xgrow(f->spans, &f->scap, f->nspans + 1, sizeof(*f->spans));
	f->spans[f->nspans] = (struct span){node, start, f->text.size};
	f->stack = xgrow(f->stack, &f->stcap, f->depth + 1, sizeof(*f->stack));
	f->stack[f->depth++] = f->nspans++;
}

static void flat_span_exit(struct flat *f, cmark_node *node)
{
	while (f->depth > 0) {
		struct span *sp = &f->spans[f->stack[--f->depth]];

		if (sp->node == node) {
			sp->end = f->text.size;
			return;
		}
	}
}

static int span_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct span *)a)->node;
	uintptr_t y = (uintptr_t)((const struct span *)b)->node;

	return x < y ? -1 : x > y;
}

static void flat_build(struct flat *f, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);

		if (node == doc)
			continue;
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(node) == CMARK_NODE_CUSTOM_BLOCK) {
			/* Generated blocks (earlier annotations' notes) are
			 * not the article's text. */
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			continue;
		}
		if (ev == CMARK_EVENT_ENTER) {
			flat_separate(f, node);
			flat_span_enter(f, node);
		} else {
			flat_span_exit(f, node);
		}
	}
	cmark_iter_free(it);
	if (f->nspans > 0)
		qsort(f->spans, f->nspans, sizeof(*f->spans), span_cmp);
}

static void flat_free(struct flat *f)
{
	sb_free(&f->text);
	free(f->orig);
	free(f->spans);
	free(f->stack);
}

static const struct span *flat_span(const struct flat *f, cmark_node *node)
{
	struct span key = {.node = node};

	if (f->nspans == 0)
		return NULL;
	return bsearch(&key, f->spans, f->nspans, sizeof(*f->spans), span_cmp);
}

/* ---- matching ----------------------------------------------------------- */

/* The prefix ends right before `at` (one space or block boundary between
 * them ignored). */
static bool prefix_ok(const struct flat *f, size_t at, const char *pre)
{
	size_t n = strlen(pre);

	if (at > 0 && (f->text.ptr[at - 1] == ' ' || f->text.ptr[at - 1] == '\0'))
		at--;
	return n == 0 || (at >= n && memcmp(f->text.ptr + at - n, pre, n) == 0);
}

static bool suffix_ok(const struct flat *f, size_t at, const char *suf)
{
	size_t n = strlen(suf);

	if (at < f->text.size &&
	    (f->text.ptr[at] == ' ' || f->text.ptr[at] == '\0'))
		at++;
	return n == 0 || (at + n <= f->text.size &&
			  memcmp(f->text.ptr + at, suf, n) == 0);
}

struct matches {
	size_t all;    /* occurrences of the quote */
	size_t picked; /* of those, with the prefix and suffix */
	size_t first;  /* flat offset of the first picked one */
};

static struct matches match_find(const struct flat *f, const char *q,
				 const char *pre, const char *suf)
{
	struct matches m = {0};
	size_t qn = strlen(q);

	for (size_t i = 0; qn > 0 && i + qn <= f->text.size; i++) {
		if (memcmp(f->text.ptr + i, q, qn) != 0)
			continue;
		m.all++;
		if (prefix_ok(f, i, pre) && suffix_ok(f, i + qn, suf)) {
			if (m.picked++ == 0)
				m.first = i;
		}
	}
	return m;
}

static bool match_report(const struct annotation *a, const struct matches *m,
			 bool selectors, struct diag *d)
{
	if (m->all == 0)
		diag_error(d, a->file, a->line, a->col,
			   "annotation quote '%s' matches nothing", a->quote);
	else if (m->picked == 0)
		diag_error(d, a->file, a->line, a->col,
			   "annotation quote '%s' matches %zu times, but none "
			   "has the given prefix/suffix",
			   a->quote, m->all);
	else if (m->picked > 1 && selectors)
		diag_error(d, a->file, a->line, a->col,
			   "annotation quote '%s' matches %zu times with the "
			   "given prefix/suffix; make them longer",
			   a->quote, m->picked);
	else if (m->picked > 1)
		diag_error(d, a->file, a->line, a->col,
			   "annotation quote '%s' matches %zu times; add a "
			   "prefix or suffix to pick one",
			   a->quote, m->picked);
	return m->picked == 1;
}

/* ---- markup ------------------------------------------------------------- */

static cmark_node *custom_new(cmark_node_type type, const char *enter,
			      const char *exit)
{
	cmark_node *node = cmark_node_new(type);

	cmark_node_set_on_enter(node, enter);
	cmark_node_set_on_exit(node, exit);
	return node;
}

static cmark_node *mark_new(int number, bool first)
{
	struct strbuf sb = STRBUF_INIT, id = STRBUF_INIT;
	cmark_node *node;

	sb_printf(&id, "a%d", number);
	sb_puts(&sb, "<mark class=\"annotation\"");
	if (first) {
		sb_puts(&sb, " id=\"");
		html_escape_attr(&sb, id.ptr, id.size);
		sb_putc(&sb, '"');
	}
	sb_puts(&sb, " data-note=\"");
	html_escape_attr(&sb, id.ptr, id.size);
	sb_puts(&sb, "-note\">");
	node = custom_new(CMARK_NODE_CUSTOM_INLINE, sb.ptr, "</mark>");
	sb_free(&sb);
	sb_free(&id);
	return node;
}

static cmark_node *ref_new(int number)
{
	struct strbuf sb = STRBUF_INIT, id = STRBUF_INIT, num = STRBUF_INIT;
	cmark_node *node;

	sb_printf(&id, "a%d", number);
	sb_printf(&num, "%d", number);
	sb_puts(&sb, "<a class=\"annotation-ref\" href=\"#");
	html_escape_attr(&sb, id.ptr, id.size);
	sb_puts(&sb, "-note\" id=\"");
	html_escape_attr(&sb, id.ptr, id.size);
	sb_puts(&sb, "-ref\" aria-describedby=\"");
	html_escape_attr(&sb, id.ptr, id.size);
	sb_puts(&sb, "-note\">");
	html_escape_text(&sb, num.ptr, num.size);
	sb_puts(&sb, "</a>");
	node = custom_new(CMARK_NODE_CUSTOM_INLINE, sb.ptr, "");
	sb_free(&sb);
	sb_free(&id);
	sb_free(&num);
	return node;
}

static cmark_node *aside_new(int number)
{
	struct strbuf sb = STRBUF_INIT, id = STRBUF_INIT, num = STRBUF_INIT;
	cmark_node *node;

	sb_printf(&id, "a%d-note", number);
	sb_printf(&num, "%d", number);
	sb_puts(&sb, "<aside class=\"annotation-note\" id=\"");
	html_escape_attr(&sb, id.ptr, id.size);
	sb_puts(&sb, "\" aria-label=\"Annotation ");
	html_escape_attr(&sb, num.ptr, num.size);
	sb_puts(&sb, "\"><span class=\"annotation-num\">");
	html_escape_text(&sb, num.ptr, num.size);
	sb_puts(&sb, "</span>");
	node = custom_new(CMARK_NODE_CUSTOM_BLOCK, sb.ptr, "</aside>");
	sb_free(&sb);
	sb_free(&id);
	sb_free(&num);
	return node;
}

/* ---- wrapping ----------------------------------------------------------- */

struct wrap {
	const struct flat *f;
	size_t s, e; /* the match in the flat text */
	int number;
	cmark_node *run_first, *run_last; /* siblings waiting for a mark */
	cmark_node *last_mark;
};

enum cover { COVER_NONE, COVER_PART, COVER_FULL };

static enum cover cover_of(const struct wrap *w, const struct span *sp)
{
	if (!sp)
		return COVER_NONE;
	if (sp->start == sp->end) /* breaks, refs: only strictly inside */
		return sp->start > w->s && sp->start < w->e ? COVER_FULL
							    : COVER_NONE;
	if (sp->end <= w->s || sp->start >= w->e)
		return COVER_NONE;
	if (sp->start >= w->s && sp->end <= w->e)
		return COVER_FULL;
	return COVER_PART;
}

/* Wraps the waiting run of siblings in one mark. */
static void run_flush(struct wrap *w)
{
	cmark_node *mark, *node, *next, *stop;

	if (!w->run_first)
		return;
	mark = mark_new(w->number, w->last_mark == NULL);
	stop = cmark_node_next(w->run_last);
	cmark_node_insert_before(w->run_first, mark);
	for (node = w->run_first; node != stop; node = next) {
		next = cmark_node_next(node);
		cmark_node_append_child(mark, node);
	}
	w->last_mark = mark;
	w->run_first = w->run_last = NULL;
}

static void run_add(struct wrap *w, cmark_node *node)
{
	if (!w->run_first)
		w->run_first = node;
	w->run_last = node;
}

static cmark_node *text_new(const char *s, size_t n)
{
	cmark_node *node = cmark_node_new(CMARK_NODE_TEXT);
	char *lit = xstrndup(s, n);

	cmark_node_set_literal(node, lit);
	free(lit);
	return node;
}

/* Splits a TEXT node the match starts or ends in; returns the node holding
 * the matched part (`node` itself, shortened). */
static cmark_node *text_split(struct wrap *w, cmark_node *node,
			      const struct span *sp)
{
	size_t a = sp->start > w->s ? sp->start : w->s;
	size_t b = sp->end < w->e ? sp->end : w->e;
	size_t from = w->f->orig[a].off;
	size_t to = w->f->orig[b - 1].off + w->f->orig[b - 1].len;
	char *lit = xstrdup(cmark_node_get_literal(node));
	size_t n = strlen(lit);

	if (to < n)
		cmark_node_insert_after(node, text_new(lit + to, n - to));
	if (from > 0)
		cmark_node_insert_before(node, text_new(lit, from));
	lit[to] = '\0';
	cmark_node_set_literal(node, lit + from);
	free(lit);
	return node;
}

static void wrap_children(struct wrap *w, cmark_node *parent);

/* One child of a node the match runs through. */
static void wrap_node(struct wrap *w, cmark_node *node)
{
	const struct span *sp = flat_span(w->f, node);
	enum cover c = cover_of(w, sp);
	cmark_node_type t = cmark_node_get_type(node);

	if (c == COVER_NONE) {
		run_flush(w);
	} else if (!is_inline(node)) {
		run_flush(w);
		wrap_children(w, node);
	} else if (c == COVER_FULL || t == CMARK_NODE_CODE) {
		run_add(w, node);
	} else if (t == CMARK_NODE_TEXT) {
		run_add(w, text_split(w, node, sp));
	} else {
		run_flush(w);
		wrap_children(w, node);
	}
}

static void wrap_children(struct wrap *w, cmark_node *parent)
{
	cmark_node *node = cmark_node_first_child(parent), *next;

	for (; node; node = next) {
		next = cmark_node_next(node);
		wrap_node(w, node);
	}
	run_flush(w);
}

/* Where the reference goes: right after the last mark, but outside any
 * link around it (a link may not hold another). */
static cmark_node *ref_anchor(cmark_node *mark)
{
	cmark_node *at = mark;

	for (cmark_node *n = cmark_node_parent(mark); n && is_inline(n);
	     n = cmark_node_parent(n))
		if (cmark_node_get_type(n) == CMARK_NODE_LINK ||
		    cmark_node_get_type(n) == CMARK_NODE_IMAGE)
			at = n;
	return at;
}

static cmark_node *leaf_block(cmark_node *node)
{
	while (node && is_inline(node))
		node = cmark_node_parent(node);
	return node;
}

static cmark_node *top_block(cmark_node *node)
{
	while (cmark_node_parent(node) &&
	       cmark_node_get_type(cmark_node_parent(node)) !=
		       CMARK_NODE_DOCUMENT)
		node = cmark_node_parent(node);
	return node;
}

static bool node_in(cmark_node *node, cmark_node *const *set, size_t n)
{
	for (size_t i = 0; node && i < n; i++)
		if (set[i] == node)
			return true;
	return false;
}

/* Puts the note after the block, after the notes already there; returns
 * it. */
static cmark_node *aside_insert(cmark_node *top, struct annotation *a,
				cmark_node *const *asides, size_t nasides)
{
	cmark_node *aside = aside_new(a->number), *at = top, *child;

	while (node_in(cmark_node_next(at), asides, nasides))
		at = cmark_node_next(at);
	while (a->note && (child = cmark_node_first_child(a->note)) != NULL)
		cmark_node_append_child(aside, child);
	cmark_node_insert_after(at, aside);
	return aside;
}

/* Finds and marks one annotation; returns its aside, or NULL. */
static cmark_node *annotate_one(cmark_node *doc, struct annotation *a,
				cmark_node *const *asides, size_t nasides,
				struct diag *d)
{
	struct flat f = {.text = STRBUF_INIT};
	char *q = norm_str(a->quote ? a->quote : "");
	char *pre = norm_str(a->prefix ? a->prefix : "");
	char *suf = norm_str(a->suffix ? a->suffix : "");
	struct wrap w = {.f = &f, .number = a->number};
	struct matches m;
	cmark_node *aside = NULL;

	a->block_out = a->leaf_out = a->aside_out = NULL;
	flat_build(&f, doc);
	m = match_find(&f, q, pre, suf);
	if (q[0] == '\0')
		diag_error(d, a->file, a->line, a->col, "annotation quote is empty");
	else if (match_report(a, &m, pre[0] || suf[0], d)) {
		w.s = m.first;
		w.e = m.first + strlen(q);
		a->leaf_out = leaf_block(f.orig[w.s].node);
		a->block_out = top_block(f.orig[w.s].node);
		wrap_children(&w, a->block_out);
		assert(w.last_mark != NULL);
		cmark_node_insert_after(ref_anchor(w.last_mark),
					ref_new(a->number));
		aside = aside_insert(a->block_out, a, asides, nasides);
		a->aside_out = aside;
	}
	flat_free(&f);
	free(q);
	free(pre);
	free(suf);
	return aside;
}

struct reading {
	size_t pos, index;
};

static int reading_cmp(const void *x, const void *y)
{
	const struct reading *a = x, *b = y;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

/* Numbers the annotations in reading order: by where their quote starts
 * in the untouched text (one flat build for all); those that match
 * nothing, or several times, come last in declaration order. */
static size_t *reading_order(cmark_node *doc, struct annotation *a, size_t n)
{
	struct flat f = {.text = STRBUF_INIT};
	struct reading *r = xcalloc(n ? n : 1, sizeof(*r));
	size_t *order = xcalloc(n ? n : 1, sizeof(*order));

	flat_build(&f, doc);
	for (size_t i = 0; i < n; i++) {
		char *q = norm_str(a[i].quote ? a[i].quote : "");
		char *pre = norm_str(a[i].prefix ? a[i].prefix : "");
		char *suf = norm_str(a[i].suffix ? a[i].suffix : "");
		struct matches m = q[0] ? match_find(&f, q, pre, suf) : (struct matches){0};

		r[i].pos = m.picked == 1 ? m.first : (size_t)-1;
		r[i].index = i;
		free(q);
		free(pre);
		free(suf);
	}
	flat_free(&f);
	qsort(r, n, sizeof(*r), reading_cmp);
	for (size_t k = 0; k < n; k++) {
		order[k] = r[k].index;
		a[r[k].index].number = (int)k + 1;
	}
	free(r);
	return order;
}

int annotate_apply(cmark_node *doc, struct annotation *a, size_t n,
		   struct diag *d)
{
	cmark_node **asides = xcalloc(n ? n : 1, sizeof(*asides));
	size_t nasides = 0;
	int rc = 0;
	size_t *order = reading_order(doc, a, n);

	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		cmark_node *aside = annotate_one(doc, &a[i], asides, nasides, d);

		if (aside)
			asides[nasides++] = aside;
		else
			rc = -1;
	}
	free(order);
	free(asides);
	return rc;
}
