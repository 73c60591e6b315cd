/*
 * annotate: quote-anchored annotations. See annotate.h for the rules.
 *
 * The document is flattened once into its normalised text, every byte of
 * which remembers the TEXT/CODE node and byte range it came from, and
 * every node the range of flat text it covers (a hash from node to span).
 * Every annotation's quote, and the quote joined to its prefix and suffix
 * with each separator the rules allow between them, is searched in that
 * text in one Aho-Corasick pass that counts each pattern's occurrences and
 * finds the first one. Marks change the tree but never its text, so these
 * answers hold for every annotation in turn.
 *
 * Then the TEXT nodes are split at the ends of every match at once and the
 * document flattened again, so no mark ever splits a node. Each match is
 * wrapped by walking down from its top-level block only through the nodes
 * it covers (starting at the child that holds its first byte); each new
 * mark and reference gets its span, so later annotations see them. The
 * cost is linear in the article plus the quotes, selectors and marks.
 */
#include "annotate.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
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
	cmark_node *last_aside; /* top-level blocks: the last note after it */
};

struct flat {
	struct strbuf text; /* '\0' separates top-level blocks */
	struct origin *orig;
	size_t ocap;
	struct span *spans;
	size_t nspans, scap;
	size_t *stack; /* open containers' span indexes */
	size_t depth, stcap;
	size_t *index; /* node -> span index + 1, open addressing */
	size_t icap;
};

/* ---- normalisation ------------------------------------------------------ */

static bool is_space(const char *p, size_t n, size_t *len)
{
	if (n >= 1 && (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r'))) {
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

/* Room for n more flat bytes. */
static void flat_reserve(struct flat *f, size_t n)
{
	if (f->text.size + n > f->ocap)
		f->orig = xgrow(f->orig, &f->ocap, f->text.size + n, sizeof(*f->orig));
	sb_grow(&f->text, n);
}

static void flat_put(struct flat *f, char c, cmark_node *node, size_t off,
		     size_t len)
{
	flat_reserve(f, 1);
	f->orig[f->text.size] = (struct origin){ node, off, len };
	sb_putc(&f->text, c);
}

/* The last flat byte so far, or -1. */
static int flat_last(const struct flat *f)
{
	return f->text.size > 0 ? (unsigned char)f->text.ptr[f->text.size - 1]
				: -1;
}

/* A space, unless the text is empty or already ends in a space or a
 * separator. */
static void flat_space(struct flat *f, cmark_node *node, size_t off,
		       size_t len)
{
	int last = flat_last(f);

	if (last != -1 && last != ' ' && last != '\0')
		flat_put(f, ' ', node, off, len);
}

/* A byte that is itself in the flat text: not white space (ASCII, or the
 * first byte of U+00A0) nor the first byte of a curly quote. */
static bool flat_plain(unsigned char c)
{
	return c > ' ' && c != 0xc2 && c != 0xe2;
}

static void flat_literal(struct flat *f, cmark_node *node)
{
	const char *s = cmark_node_get_literal(node);
	size_t n = s ? strlen(s) : 0, i = 0, k;

	flat_reserve(f, n);
	while (i < n) {
		char q;

		if (flat_plain((unsigned char)s[i])) {
			/* A run of bytes that stand for themselves, at once. */
			size_t j = i;
			while (j < n && flat_plain((unsigned char)s[j]))
				j++;
			struct origin *o = f->orig + f->text.size;
			for (size_t b = i; b < j; b++)
				*o++ = (struct origin){ node, b, 1 };
			sb_put(&f->text, s + i, j - i);
			i = j;
		} else if (is_space(s + i, n - i, &k)) {
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
		if (flat_last(f) != -1)
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
	f->spans[f->nspans] = (struct span){ node, start, f->text.size, NULL };
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

static size_t ptr_hash(const cmark_node *node, size_t cap)
{
	uint64_t x = (uint64_t)(uintptr_t)node * 0x9e3779b97f4a7c15ull;

	return (size_t)(x >> 20) & (cap - 1);
}

static void index_put(struct flat *f, size_t i)
{
	size_t h = ptr_hash(f->spans[i].node, f->icap);

	while (f->index[h])
		h = (h + 1) & (f->icap - 1);
	f->index[h] = i + 1;
}

/* Indexes the spans by node (rebuilt at most half full). */
static void index_grow(struct flat *f)
{
	size_t cap = 64;

	if (2 * f->nspans < f->icap)
		return;
	while (cap <= 2 * f->nspans)
		cap *= 2;
	free(f->index);
	f->index = xcalloc(cap, sizeof(*f->index));
	f->icap = cap;
	for (size_t i = 0; i < f->nspans; i++)
		index_put(f, i);
}

/* Records the span of a node made after flattening (a mark, a ref). */
static void flat_add_span(struct flat *f, cmark_node *node, size_t start,
			  size_t end)
{
	f->spans = xgrow(f->spans, &f->scap, f->nspans + 1, sizeof(*f->spans));
	f->spans[f->nspans++] = (struct span){ node, start, end, NULL };
	if (2 * f->nspans >= f->icap)
		index_grow(f);
	else
		index_put(f, f->nspans - 1);
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
	index_grow(f);
}

static void flat_free(struct flat *f)
{
	sb_free(&f->text);
	free(f->orig);
	free(f->spans);
	free(f->stack);
	free(f->index);
	memset(f, 0, sizeof(*f));
}

/* Empties f for another flat_build, keeping its buffers. */
static void flat_reset(struct flat *f)
{
	sb_clear(&f->text);
	f->nspans = 0;
	f->depth = 0;
	free(f->index);
	f->index = NULL;
	f->icap = 0;
}

static struct span *flat_span(const struct flat *f, cmark_node *node)
{
	if (!f->icap)
		return NULL;
	for (size_t h = ptr_hash(node, f->icap); f->index[h];
	     h = (h + 1) & (f->icap - 1))
		if (f->spans[f->index[h] - 1].node == node)
			return &f->spans[f->index[h] - 1];
	return NULL;
}

/* ---- matching ----------------------------------------------------------- */

/* Aho-Corasick over the patterns of every annotation (byte strings; a
 * pattern may hold the '\0' that separates blocks in the flat text). The
 * scan counts how often the automaton is in each state; a pattern occurs
 * once for each visit of a state whose suffix links lead to the
 * pattern's state, so counts (and the first end) are summed up the
 * suffix-link tree afterwards, in reverse breadth-first order. Linear in
 * the patterns plus the text. */
#define NO_STATE UINT32_MAX
#define NO_END SIZE_MAX

struct ac {
	uint32_t *fail, *child, *sibling; /* per state; child/sibling: trie */
	unsigned char *byte;              /* the byte leading to the state */
	size_t *count, *first_end;        /* visits, then occurrences */
	size_t n, cap;
	uint64_t *keys; /* goto table: state << 8 | byte -> state + 1 */
	uint32_t *vals;
	size_t hcap;
};

static size_t ac_hash(uint64_t key, size_t cap)
{
	key *= 0x9e3779b97f4a7c15ull;
	return (size_t)(key >> 17) & (cap - 1);
}

static uint32_t ac_goto(const struct ac *a, uint32_t state, unsigned char c)
{
	uint64_t key = (uint64_t)state << 8 | c;

	for (size_t i = ac_hash(key, a->hcap);; i = (i + 1) & (a->hcap - 1)) {
		if (a->vals[i] == 0)
			return NO_STATE;
		if (a->keys[i] == key)
			return a->vals[i] - 1;
	}
}

static void ac_put(struct ac *a, uint32_t state, unsigned char c, uint32_t to)
{
	uint64_t key = (uint64_t)state << 8 | c;
	size_t i = ac_hash(key, a->hcap);

	while (a->vals[i] != 0)
		i = (i + 1) & (a->hcap - 1);
	a->keys[i] = key;
	a->vals[i] = to + 1;
}

static uint32_t ac_state(struct ac *a)
{
	size_t n = a->n + 1, cap = a->cap;

	if (a->n >= NO_STATE - 1)
		abort(); /* 4 GB of quotes */
	a->fail = xgrow(a->fail, &cap, n, sizeof(*a->fail));
	cap = a->cap;
	a->child = xgrow(a->child, &cap, n, sizeof(*a->child));
	cap = a->cap;
	a->sibling = xgrow(a->sibling, &cap, n, sizeof(*a->sibling));
	cap = a->cap;
	a->byte = xgrow(a->byte, &cap, n, sizeof(*a->byte));
	cap = a->cap;
	a->count = xgrow(a->count, &cap, n, sizeof(*a->count));
	cap = a->cap;
	a->first_end = xgrow(a->first_end, &cap, n, sizeof(*a->first_end));
	a->cap = cap;
	a->fail[a->n] = 0;
	a->child[a->n] = a->sibling[a->n] = NO_STATE;
	a->byte[a->n] = 0;
	a->count[a->n] = 0;
	a->first_end[a->n] = NO_END;
	return (uint32_t)a->n++;
}

/* Room in the goto table for `more` transitions (at most half full). */
static void ac_reserve(struct ac *a, size_t more)
{
	size_t need = 2 * (a->n + more), cap = 16;

	if (need <= a->hcap)
		return;
	while (cap < need)
		cap *= 2;
	uint64_t *okeys = a->keys;
	uint32_t *ovals = a->vals;
	size_t ocap = a->hcap;
	a->keys = xcalloc(cap, sizeof(*a->keys));
	a->vals = xcalloc(cap, sizeof(*a->vals));
	a->hcap = cap;
	for (size_t i = 0; i < ocap; i++)
		if (ovals[i])
			ac_put(a, (uint32_t)(okeys[i] >> 8),
			       (unsigned char)(okeys[i] & 0xff), ovals[i] - 1);
	free(okeys);
	free(ovals);
}

/* Adds the pattern made of up to five pieces; returns its state. */
static uint32_t ac_add(struct ac *a, const char *const *pieces,
		       const size_t *lens, size_t npieces)
{
	uint32_t s = 0;
	size_t total = 0;

	for (size_t k = 0; k < npieces; k++)
		total += lens[k];
	ac_reserve(a, total);
	for (size_t k = 0; k < npieces; k++) {
		for (size_t i = 0; i < lens[k]; i++) {
			unsigned char c = (unsigned char)pieces[k][i];
			uint32_t t = ac_goto(a, s, c);

			if (t == NO_STATE) {
				t = ac_state(a);
				a->byte[t] = c;
				a->sibling[t] = a->child[s];
				a->child[s] = t;
				ac_put(a, s, c, t);
			}
			s = t;
		}
	}
	return s;
}

/* Suffix links, then the scan of `text`, then the sums; `order` is the
 * breadth-first order of the states. */
static void ac_run(struct ac *a, const char *text, size_t len)
{
	uint32_t *order = xcalloc(a->n, sizeof(*order));
	size_t head = 0, tail = 0;
	uint32_t s = 0;

	order[tail++] = 0;
	while (head < tail) {
		uint32_t u = order[head++];

		for (uint32_t v = a->child[u]; v != NO_STATE; v = a->sibling[v]) {
			uint32_t f = a->fail[u], t = NO_STATE;

			if (u != 0) {
				while ((t = ac_goto(a, f, a->byte[v])) == NO_STATE && f != 0)
					f = a->fail[f];
				if (t == NO_STATE)
					t = 0;
			} else {
				t = 0;
			}
			a->fail[v] = t;
			order[tail++] = v;
		}
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		uint32_t t;

		while ((t = ac_goto(a, s, c)) == NO_STATE && s != 0)
			s = a->fail[s];
		s = t == NO_STATE ? 0 : t;
		a->count[s]++;
		if (a->first_end[s] == NO_END)
			a->first_end[s] = i + 1;
	}
	for (size_t i = tail; i-- > 1;) {
		uint32_t v = order[i], f = a->fail[v];

		a->count[f] += a->count[v];
		if (a->first_end[v] < a->first_end[f])
			a->first_end[f] = a->first_end[v];
	}
	free(order);
}

static void ac_free(struct ac *a)
{
	free(a->fail);
	free(a->child);
	free(a->sibling);
	free(a->byte);
	free(a->count);
	free(a->first_end);
	free(a->keys);
	free(a->vals);
}

struct matches {
	size_t all;    /* occurrences of the quote */
	size_t picked; /* of those, with the prefix and suffix */
	size_t first;  /* flat offset of the first picked one */
};

/* One annotation's patterns: the quote alone, and when it has a prefix or
 * suffix, the quote joined to them: the prefix must end right before the
 * quote, or before one space or block boundary before it, and the suffix
 * likewise after it (variants of one quote never match at the same
 * place, as selectors neither start nor end in a space). */
struct query {
	const char *q, *pre, *suf;
	size_t qn, pn, sn;
	uint32_t all;
	uint32_t picked[9];
	size_t lead[9]; /* bytes of each variant before the quote */
	size_t nvar;
};

static void query_add(struct ac *a, struct query *qy)
{
	static const char seps[3] = { 0, ' ', '\0' };
	const char *pieces[5];
	size_t lens[5];

	pieces[0] = qy->q;
	lens[0] = qy->qn;
	qy->all = ac_add(a, pieces, lens, 1);
	qy->nvar = 0;
	if (qy->pn == 0 && qy->sn == 0)
		return;
	for (int i = 0; i < (qy->pn ? 3 : 1); i++) {
		for (int k = 0; k < (qy->sn ? 3 : 1); k++) {
			pieces[0] = qy->pre;
			lens[0] = qy->pn;
			pieces[1] = &seps[i];
			lens[1] = i > 0;
			pieces[2] = qy->q;
			lens[2] = qy->qn;
			pieces[3] = &seps[k];
			lens[3] = k > 0;
			pieces[4] = qy->suf;
			lens[4] = qy->sn;
			qy->lead[qy->nvar] = lens[0] + lens[1];
			qy->picked[qy->nvar++] = ac_add(a, pieces, lens, 5);
		}
	}
}

static struct matches query_result(const struct ac *a, const struct query *qy)
{
	struct matches m = { 0 };

	if (qy->qn == 0)
		return m;
	m.all = a->count[qy->all];
	if (qy->nvar == 0) {
		m.picked = m.all;
		if (m.all)
			m.first = a->first_end[qy->all] - qy->qn;
		return m;
	}
	m.first = NO_END;
	for (size_t v = 0; v < qy->nvar; v++) {
		uint32_t st = qy->picked[v];
		size_t len = qy->lead[v] + qy->qn + (qy->sn ? qy->sn + (v % 3 > 0) : 0);

		if (!a->count[st])
			continue;
		m.picked += a->count[st];
		if (a->first_end[st] - len + qy->lead[v] < m.first)
			m.first = a->first_end[st] - len + qy->lead[v];
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

/* ---- wrapping ----------------------------------------------------------- */

struct wrap {
	struct flat *f;
	size_t s, e;      /* the match in the flat text */
	cmark_node *leaf; /* the TEXT or CODE node the match starts in */
	int number;
	cmark_node *run_first, *run_last; /* siblings waiting for a mark */
	cmark_node *last_mark;
};

enum cover {
	COVER_NONE,
	COVER_PART,
	COVER_FULL
};

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

/* Wraps the waiting run of siblings in one mark, whose span is theirs. */
static void run_flush(struct wrap *w)
{
	cmark_node *mark, *node, *next, *stop;

	if (!w->run_first)
		return;
	mark = markdown_annotation_node(MARKDOWN_NOTE_MARK, w->number, w->last_mark == NULL, w->run_first);
	stop = cmark_node_next(w->run_last);
	cmark_node_insert_before(w->run_first, mark);
	flat_add_span(w->f, mark, flat_span(w->f, w->run_first)->start,
		      flat_span(w->f, w->run_last)->end);
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

static cmark_node *text_new(cmark_node *near, const char *s, size_t n)
{
	cmark_node *node = markdown_node_new(CMARK_NODE_TEXT, near);
	char *lit = xstrndup(s, n);

	cmark_node_set_literal(node, lit);
	free(lit);
	return node;
}

static void wrap_children(struct wrap *w, cmark_node *parent);

/* One child of a node the match runs through. TEXT nodes were split at
 * every match's ends beforehand, so none is covered only in part. */
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
	} else if (c == COVER_FULL || t == CMARK_NODE_CODE ||
		   t == CMARK_NODE_TEXT) {
		assert(c == COVER_FULL || t != CMARK_NODE_TEXT);
		run_add(w, node);
	} else {
		run_flush(w);
		wrap_children(w, node);
	}
}

/* The children of `parent` the match runs through: from the one that
 * holds the match's first byte (or the first child, when the match
 * starts before `parent`) to the last one starting before its end. */
static void wrap_children(struct wrap *w, cmark_node *parent)
{
	cmark_node *node = w->leaf, *next;

	while (node && cmark_node_parent(node) != parent)
		node = cmark_node_parent(node);
	if (!node)
		node = cmark_node_first_child(parent);
	for (; node; node = next) {
		const struct span *sp = flat_span(w->f, node);

		next = cmark_node_next(node);
		if (sp && sp->start >= w->e)
			break;
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

/* Puts the note after the block, after the notes already there (the
 * block's span remembers the last); returns it. */
static cmark_node *aside_insert(cmark_node *top, struct span *top_span,
				struct annotation *a)
{
	cmark_node *aside = markdown_annotation_node(MARKDOWN_NOTE, a->number, false, top), *child;
	cmark_node *at = top_span->last_aside ? top_span->last_aside : top;

	while (a->note && (child = cmark_node_first_child(a->note)) != NULL)
		cmark_node_append_child(aside, child);
	cmark_node_insert_after(at, aside);
	top_span->last_aside = aside;
	return aside;
}

/* Whether every block the flat range [s, e) runs through may hold a mark
 * (cmark-gfm's table cells take only their own inline types): a mark is
 * tried in each and taken out again. */
static bool marks_fit(const struct flat *f, size_t s, size_t e)
{
	cmark_node *probe = NULL, *last = NULL;
	bool ok = true;

	for (size_t i = s; i < e && ok; i++) {
		cmark_node *leaf = leaf_block(f->orig[i].node);

		if (!leaf || leaf == last)
			continue;
		last = leaf;
		if (!probe)
			probe = markdown_node_new(CMARK_NODE_CUSTOM_INLINE, leaf);
		ok = cmark_node_append_child(leaf, probe) != 0;
		cmark_node_unlink(probe);
	}
	if (probe)
		cmark_node_free(probe);
	return ok;
}

/* Where a match's TEXT nodes must be cut: a node and a byte offset in
 * its literal. */
struct cut {
	cmark_node *node;
	size_t off;
};

static int cut_cmp(const void *a, const void *b)
{
	const struct cut *x = a, *y = b;

	if (x->node != y->node)
		return (uintptr_t)x->node < (uintptr_t)y->node ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static void cut_add(struct cut **v, size_t *n, size_t *cap, const struct flat *f,
		    size_t at, bool end)
{
	const struct origin *o = &f->orig[at];

	if (!o->node || cmark_node_get_type(o->node) != CMARK_NODE_TEXT)
		return; /* CODE is marked whole */
	*v = xgrow(*v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = (struct cut){ o->node, end ? o->off + o->len : o->off };
}

/* Splits every TEXT node at its cuts, in one pass over each literal. */
static void split_all(struct cut *v, size_t n)
{
	if (n == 0)
		return;
	if (n)
		qsort(v, n, sizeof(*v), cut_cmp);
	for (size_t i = 0; i < n;) {
		cmark_node *node = v[i].node;
		char *lit = xstrdup(cmark_node_get_literal(node));
		size_t len = strlen(lit), from = 0;

		for (; i < n && v[i].node == node; i++) {
			if (v[i].off <= from || v[i].off >= len)
				continue;
			cmark_node_insert_before(node, text_new(node, lit + from, v[i].off - from));
			from = v[i].off;
		}
		if (from > 0) {
			cmark_node_set_literal(node, lit + from);
			markdown_forget_lines(node);
		}
		free(lit);
	}
}

/* Marks one matched annotation, at [s, e) of the flat text. */
static cmark_node *annotate_one(struct flat *f, struct annotation *a,
				size_t s, size_t e)
{
	struct wrap w = { .f = f, .s = s, .e = e, .number = a->number, .leaf = f->orig[s].node };
	struct span *top;
	cmark_node *ref, *at;

	a->block_out = top_block(w.leaf);
	a->leaf_out = leaf_block(w.leaf);
	top = flat_span(f, a->block_out);
	assert(top && top->start <= s && e <= top->end);
	wrap_children(&w, a->block_out);
	assert(w.last_mark != NULL);
	at = ref_anchor(w.last_mark);
	ref = markdown_annotation_node(MARKDOWN_NOTE_REF, a->number, false, at);
	cmark_node_insert_after(at, ref);
	flat_add_span(f, ref, flat_span(f, at)->end, flat_span(f, at)->end);
	/* flat_add_span may move the spans: look the block up again. */
	a->aside_out = aside_insert(a->block_out, flat_span(f, a->block_out), a);
	return a->aside_out;
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

int annotate_apply(cmark_node *doc, struct annotation *a, size_t n,
		   struct diag *d)
{
	struct flat f = { .text = STRBUF_INIT };
	struct query *qy = xcalloc(n ? n : 1, sizeof(*qy));
	size_t *first = xcalloc(n ? n : 1, sizeof(*first));
	bool *ok = xcalloc(n ? n : 1, sizeof(*ok));
	char **strs = xcalloc(3 * n + 1, sizeof(*strs));
	struct cut *cuts = NULL;
	size_t ncuts = 0, capcuts = 0;
	struct ac ac = { 0 };
	int rc = 0;

	flat_build(&f, doc);
	ac_state(&ac);
	ac_reserve(&ac, 0);
	for (size_t i = 0; i < n; i++) {
		strs[3 * i] = norm_str(a[i].quote ? a[i].quote : "");
		strs[3 * i + 1] = norm_str(a[i].prefix ? a[i].prefix : "");
		strs[3 * i + 2] = norm_str(a[i].suffix ? a[i].suffix : "");
		qy[i] = (struct query){
			.q = strs[3 * i],
			.pre = strs[3 * i + 1],
			.suf = strs[3 * i + 2],
			.qn = strlen(strs[3 * i]),
			.pn = strlen(strs[3 * i + 1]),
			.sn = strlen(strs[3 * i + 2]),
		};
		if (qy[i].qn)
			query_add(&ac, &qy[i]);
	}
	ac_run(&ac, f.text.ptr ? f.text.ptr : "", f.text.size);
	/* Which annotations apply, and the cuts they need. */
	for (size_t i = 0; i < n; i++) {
		struct matches m = query_result(&ac, &qy[i]);

		a[i].block_out = a[i].leaf_out = a[i].aside_out = NULL;
		if (qy[i].qn == 0) {
			diag_error(d, a[i].file, a[i].line, a[i].col,
				   "annotation quote is empty");
		} else if (match_report(&a[i], &m, qy[i].pn || qy[i].sn, d)) {
			if (marks_fit(&f, m.first, m.first + qy[i].qn)) {
				ok[i] = true;
				first[i] = m.first;
				cut_add(&cuts, &ncuts, &capcuts, &f, m.first, false);
				cut_add(&cuts, &ncuts, &capcuts, &f, m.first + qy[i].qn - 1, true);
			} else {
				diag_error(d, a[i].file, a[i].line, a[i].col,
					   "annotation quote '%s' lies in a table, which "
					   "cannot hold annotation marks",
					   a[i].quote);
			}
		}
		rc = ok[i] ? rc : -1;
	}
	ac_free(&ac);
	/* Cut, then flatten again: the text is the same, the nodes finer. */
	if (ncuts) {
		split_all(cuts, ncuts);
		flat_reset(&f);
		flat_build(&f, doc);
	}
	/* Reading order: by where each quote starts; those that failed come
	 * last in declaration order. The notes of one block follow it in
	 * that order too. */
	struct reading *r = xcalloc(n ? n : 1, sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r[i] = (struct reading){ ok[i] ? first[i] : (size_t)-1, i };
	if (n)
		qsort(r, n, sizeof(*r), reading_cmp);
	for (size_t k = 0; k < n; k++) {
		size_t i = r[k].index;
		a[i].number = (int)k + 1;
		if (ok[i])
			annotate_one(&f, &a[i], first[i], first[i] + qy[i].qn);
	}
	free(r);
	free(cuts);
	for (size_t i = 0; i < 3 * n; i++)
		free(strs[i]);
	free(strs);
	free(qy);
	free(first);
	free(ok);
	flat_free(&f);
	return rc;
}
