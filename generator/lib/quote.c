/*
 * quote: quotations followed by citations. See quote.h.
 *
 * Each block whose children are inlines (paragraph, heading, table cell)
 * is flattened into one string: text as written, breaks as spaces, each
 * citation link as the byte 0x01 (its label is not prose), code spans as
 * one placeholder byte. A left-to-right scan of that string pairs the
 * quotation marks and binds the last quotation to the citation run after
 * it; the segments kept beside the string map a byte back to its text
 * node, for the diagnostic's position.
 */
#include "quote.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define CITE_BYTE '\x01'
#define CODE_BYTE '\x02'

static const char OPEN_Q[] = "\xe2\x80\x9c", CLOSE_Q[] = "\xe2\x80\x9d";

struct seg {
	size_t off; /* where the node's literal starts in the flat string */
	size_t len;
	cmark_node *node;
};

struct flat {
	struct strbuf s;
	struct seg *segs;
	size_t nsegs, capsegs;
	cmark_node **cites; /* in order of their CITE_BYTE */
	size_t ncites, capcites;
	quote_is_citation is_citation;
	void *ctx;
	bool soft; /* a "\n" in a text is a soft line break: a space */
};

static void flatten(struct flat *f, cmark_node *node)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT: {
			const char *lit = cmark_node_get_literal(c);
			size_t len = lit ? strlen(lit) : 0;
			f->segs = xgrow(f->segs, &f->capsegs, f->nsegs + 1, sizeof(*f->segs));
			f->segs[f->nsegs++] = (struct seg){ .off = f->s.size, .len = len, .node = c };
			/* The marker bytes may not come from the text itself
			 * (content is untrusted); byte for byte, so offsets hold. */
			size_t at = f->s.size;
			if (len)
				sb_put(&f->s, lit, len);
			for (char *q = f->s.ptr + at, *end = f->s.ptr + f->s.size; q < end; q++)
				if (*q == CITE_BYTE || *q == CODE_BYTE || (f->soft && *q == '\n'))
					*q = ' ';
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			sb_putc(&f->s, ' ');
			break;
		case CMARK_NODE_CODE:
			sb_putc(&f->s, CODE_BYTE);
			break;
		case CMARK_NODE_LINK:
			if (f->is_citation(c, f->ctx)) {
				f->cites = xgrow(f->cites, &f->capcites, f->ncites + 1, sizeof(*f->cites));
				f->cites[f->ncites++] = c;
				sb_putc(&f->s, CITE_BYTE);
			} else {
				flatten(f, c);
			}
			break;
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_IMAGE:
			break;
		default:
			flatten(f, c);
			break;
		}
	}
}

static bool is_upper_start(const char *s)
{
	return (*s >= 'A' && *s <= 'Z') || !strncmp(s, OPEN_Q, 3) || *s == '"';
}

/* A sentence ends at s[i] ('.', '!' or '?'): a space, then a capital or
 * an opening quote, and the word before is no abbreviation. */
static bool sentence_end(const char *s, size_t i)
{
	if (s[i] != '.' && s[i] != '!' && s[i] != '?')
		return false;
	size_t j = i + 1;
	if (s[j] != ' ')
		return false;
	while (s[j] == ' ')
		j++;
	if (!is_upper_start(s + j))
		return false;
	if (s[i] != '.')
		return true;
	size_t w = i;
	while (w > 0 && s[w - 1] != ' ')
		w--;
	static const char *const abbrev[] = { "e.g", "i.e", "Mr", "Mrs", "Ms", "Dr", "St", "vs",
					      "Corp", "Inc", "Co", "Ltd", "Jr", "No", NULL };
	for (size_t k = 0; abbrev[k]; k++)
		if (strlen(abbrev[k]) == i - w && !memcmp(s + w, abbrev[k], i - w))
			return false;
	/* "U.S." and single initials. */
	return !(i - w == 1 || memchr(s + w, '.', i - w));
}

/* A semicolon or a dash (— or –) starts another clause: a quotation
 * before it is not what the citation after it supports. */
static bool clause_break(const char *s, size_t i)
{
	return s[i] == ';' || !strncmp(s + i, "\xe2\x80\x94", 3) || !strncmp(s + i, "\xe2\x80\x93", 3);
}

static bool run_gap(char c)
{
	return c == ' ' || c == ',' || c == ';' || c == '(' || c == ')';
}

static void emit(struct flat *f, size_t mark, size_t from, size_t to, size_t *cite,
		 size_t at, struct quote_use **out, size_t *n, size_t *cap)
{
	struct quote_use u = { 0 };
	struct strbuf t = STRBUF_INIT;
	for (size_t i = from; i < to; i++)
		if (f->s.ptr[i] != CITE_BYTE)
			sb_putc(&t, f->s.ptr[i] == CODE_BYTE ? ' ' : f->s.ptr[i]);
	u.text = sb_detach(&t);
	for (size_t k = 0; k < f->nsegs; k++)
		if (f->segs[k].off <= mark && mark < f->segs[k].off + f->segs[k].len) {
			u.node = f->segs[k].node;
			u.offset = mark - f->segs[k].off;
		}
	/* The run: citations separated by spaces and punctuation only. */
	size_t i = at;
	for (;;) {
		u.links = xrealloc(u.links, (u.nlinks + 1) * sizeof(*u.links));
		u.links[u.nlinks++] = f->cites[(*cite)++];
		size_t j = i + 1;
		while (j < f->s.size && run_gap(f->s.ptr[j]))
			j++;
		if (j >= f->s.size || f->s.ptr[j] != CITE_BYTE)
			break;
		i = j;
	}
	*out = xgrow(*out, cap, *n + 1, sizeof(**out));
	(*out)[(*n)++] = u;
}

/* Scans one flattened block. */
static void scan(struct flat *f, struct quote_use **out, size_t *n, size_t *cap)
{
	const char *s = f->s.ptr;
	size_t open = SIZE_MAX, mark = 0, qfrom = 0, qto = 0, qmark = 0, cite = 0;
	bool straight = false, pending = false;
	for (size_t i = 0; i < f->s.size; i++) {
		if (s[i] == CITE_BYTE) {
			if (open == SIZE_MAX && pending) {
				size_t before = *n;
				emit(f, qmark, qfrom, qto, &cite, i, out, n, cap);
				/* Skip the rest of the run. */
				for (size_t k = 1; k < (*out)[before].nlinks; k++)
					i = (size_t)(strchr(s + i + 1, CITE_BYTE) - s);
				pending = false;
			} else {
				cite++;
			}
			continue;
		}
		if (!strncmp(s + i, OPEN_Q, 3) && open == SIZE_MAX) {
			open = i + 3, mark = i, straight = false;
		} else if (!strncmp(s + i, CLOSE_Q, 3) && open != SIZE_MAX && !straight) {
			qfrom = open, qto = i, qmark = mark, pending = true, open = SIZE_MAX;
		} else if (s[i] == '"' && open == SIZE_MAX) {
			open = i + 1, mark = i, straight = true;
		} else if (s[i] == '"' && straight) {
			qfrom = open, qto = i, qmark = mark, pending = true, open = SIZE_MAX;
		} else if (pending && open == SIZE_MAX && (sentence_end(s, i) || clause_break(s, i))) {
			pending = false;
		}
	}
}

/* Whether a citation link is among the inlines under `node` (as flatten
 * meets them): a block without one holds no quotation to check. */
static bool has_citation(cmark_node *node, quote_is_citation is_citation, void *ctx)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_LINK && is_citation(c, ctx))
			return true;
		if (t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE && t != CMARK_NODE_HTML_INLINE &&
		    t != CMARK_NODE_IMAGE && cmark_node_first_child(c) && has_citation(c, is_citation, ctx))
			return true;
	}
	return false;
}

static void quote_block(cmark_node *block, bool soft, quote_is_citation is_citation, void *ctx,
			struct quote_use **out, size_t *n, size_t *cap)
{
	if (!has_citation(block, is_citation, ctx))
		return;
	struct flat f = { .s = STRBUF_INIT, .is_citation = is_citation, .ctx = ctx, .soft = soft };
	flatten(&f, block);
	if (f.ncites && (strstr(f.s.ptr, OPEN_Q) || strchr(f.s.ptr, '"')))
		scan(&f, out, n, cap);
	sb_free(&f.s);
	free(f.segs);
	free(f.cites);
}

static bool holds_inlines(cmark_node *node)
{
	cmark_node *c = cmark_node_first_child(node);
	return c && (cmark_node_get_type(c) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

size_t quote_collect(cmark_node *doc, bool soft, quote_is_citation is_citation, void *ctx,
		     struct quote_use **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    (cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK &&
		    holds_inlines(node))
			quote_block(node, soft, is_citation, ctx, out, &n, &cap);
	}
	cmark_iter_free(it);
	return n;
}

void quote_uses_free(struct quote_use *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(u[i].text);
		free(u[i].links);
	}
	free(u);
}

/* --- comparison ------------------------------------------------------------ */

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* White space runs as one space, trimmed; `fold` also folds ASCII case and
 * curly quotes and apostrophes to straight ones. */
static void normalise(const char *s, size_t n, bool fold, struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	bool space = false;
	for (; p < end; p++) {
		if (is_space(*p)) {
			space = out->size > 0;
			continue;
		}
		if (space)
			sb_putc(out, ' ');
		space = false;
		if (fold && end - p >= 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x98 && p[2] <= 0x9d) {
			sb_putc(out, p[2] <= 0x9b ? '\'' : '"');
			p += 2;
		} else {
			sb_putc(out, fold && *p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		}
	}
}

/* The length of a gap marker at s: "…", "...", or a bracketed insertion. */
static size_t gap_at(const char *s)
{
	if (!strncmp(s, "\xe2\x80\xa6", 3))
		return 3;
	if (!strncmp(s, "...", 3))
		return 3;
	if (*s == '[') {
		const char *e = strchr(s, ']');
		if (e)
			return (size_t)(e - s) + 1;
	}
	return 0;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The first occurrence of `needle` in `hay` that does not start or end
 * inside a word ("cheap" is not in "cheaply"). */
static const char *find_words(const char *hay, const char *start, const char *needle, size_t n)
{
	for (const char *h = strstr(start, needle); h; h = strstr(h + 1, needle)) {
		bool left = !is_alnum(needle[0]) || h == hay || !is_alnum(h[-1]);
		bool right = !is_alnum(needle[n - 1]) || !is_alnum(h[n]);
		if (left && right)
			return h;
	}
	return NULL;
}

static bool occurs(const char *text, const char *quote, bool fold)
{
	struct strbuf t = STRBUF_INIT, piece = STRBUF_INIT;
	normalise(text, strlen(text), fold, &t);
	const char *from = t.ptr, *q = quote;
	bool ok = true, any = false;
	while (ok && *q) {
		size_t len = 0, g;
		while (q[len] && !(g = gap_at(q + len)))
			len++;
		sb_clear(&piece);
		normalise(q, len, fold, &piece);
		q += len;
		bool last = !*q;
		if (*q)
			q += gap_at(q);
		if (!piece.size)
			continue;
		any = true;
		const char *hit = find_words(t.ptr, from, piece.ptr, piece.size);
		/* A closing comma or full stop may be the dossier's. */
		while (!hit && last && piece.size > 1 &&
		       (piece.ptr[piece.size - 1] == ',' || piece.ptr[piece.size - 1] == '.')) {
			sb_truncate(&piece, piece.size - 1);
			hit = find_words(t.ptr, from, piece.ptr, piece.size);
		}
		if (hit)
			from = hit + piece.size;
		ok = hit != NULL;
	}
	sb_free(&t);
	sb_free(&piece);
	return ok && any;
}

bool quote_occurs(const char *text, const char *quote)
{
	return occurs(text, quote, false);
}

bool quote_occurs_folded(const char *text, const char *quote)
{
	return occurs(text, quote, true);
}

struct word {
	size_t start, end; /* bytes of the raw text */
	char *key;         /* folded, ASCII punctuation stripped */
};

static size_t words_of(const char *s, struct word **out)
{
	struct word *v = NULL;
	size_t n = 0, cap = 0, i = 0, len = strlen(s);
	while (i < len) {
		while (i < len && is_space((unsigned char)s[i]))
			i++;
		if (i >= len)
			break;
		size_t start = i;
		while (i < len && !is_space((unsigned char)s[i]))
			i++;
		struct strbuf k = STRBUF_INIT, f = STRBUF_INIT;
		normalise(s + start, i - start, true, &f);
		for (size_t j = 0; j < f.size; j++)
			if ((unsigned char)f.ptr[j] >= 0x80 || (f.ptr[j] >= '0' && f.ptr[j] <= '9') ||
			    (f.ptr[j] >= 'a' && f.ptr[j] <= 'z'))
				sb_putc(&k, f.ptr[j]);
		sb_free(&f);
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = (struct word){ .start = start, .end = i, .key = sb_detach(&k) };
	}
	*out = v;
	return n;
}

static void words_free(struct word *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

struct keyed {
	const char *key;
	size_t index;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Words with one key get one id: ids[i] for keys[i] of n, -1 for an empty
 * key (no word to share). Returns the number of ids. */
static size_t intern(const char *const *keys, size_t n, long *ids)
{
	struct keyed *v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = (struct keyed){ keys[i], i };
	if (n)
		qsort(v, n, sizeof(*v), keyed_cmp);
	size_t nids = 0;
	for (size_t i = 0; i < n; i++) {
		if (!*v[i].key) {
			ids[v[i].index] = -1;
			continue;
		}
		if (i && *v[i - 1].key && !strcmp(v[i - 1].key, v[i].key))
			ids[v[i].index] = ids[v[i - 1].index];
		else
			ids[v[i].index] = (long)nids++;
	}
	free(v);
	return nids;
}

/* Above this many word comparisons the same-place points are left out:
 * only the tie-break among windows holding as many of the quotation's
 * words, in a pair of texts far longer than a quotation (issue 13: a
 * 3,000-word quotation of a 6,000-word paragraph took 45 s). */
#define NEAREST_PLACE_BUDGET ((size_t)1 << 20)

size_t quote_nearest(const char *text, const char *quote, struct strbuf *out)
{
	struct word *tw = NULL, *qw = NULL;
	size_t nt = words_of(text, &tw), nq = words_of(quote, &qw);
	size_t m = nq < nt ? nq : nt, best = 0, best_score = 0;
	/* Score: the quotation's first m words that the window of m words
	 * holds (a multiset: each of its words used once), twice, plus the
	 * words in the same place, as a tie-break. The window slides one
	 * word at a time, keeping its count of each word: linear, not the
	 * window's square per place. */
	const char **keys = xcalloc(nt + m + 1, sizeof(*keys));
	long *ids = xcalloc(nt + m + 1, sizeof(*ids));
	for (size_t i = 0; i < nt; i++)
		keys[i] = tw[i].key;
	for (size_t k = 0; k < m; k++)
		keys[nt + k] = qw[k].key;
	size_t nids = intern(keys, nt + m, ids);
	const long *tid = ids, *qid = ids + nt;
	size_t *need = xcalloc(nids + 1, sizeof(*need)), *have = xcalloc(nids + 1, sizeof(*have));
	for (size_t k = 0; k < m; k++)
		if (qid[k] >= 0)
			need[qid[k]]++;
	bool place = m && nt * m <= NEAREST_PLACE_BUDGET;
	size_t shared = 0;
	for (size_t i = 0; m && i + m <= nt; i++) {
		if (i == 0) {
			for (size_t j = 0; j < m; j++)
				if (tid[j] >= 0 && have[tid[j]]++ < need[tid[j]])
					shared++;
		} else {
			long out_id = tid[i - 1], in_id = tid[i + m - 1];
			if (out_id >= 0 && --have[out_id] < need[out_id])
				shared--;
			if (in_id >= 0 && have[in_id]++ < need[in_id])
				shared++;
		}
		size_t score = 2 * shared;
		if (place)
			for (size_t k = 0; k < m; k++)
				score += qid[k] >= 0 && tid[i + k] == qid[k];
		if (score > best_score)
			best = i, best_score = score;
	}
	free(need);
	free(have);
	free(keys);
	free(ids);
	if (m) {
		struct strbuf raw = STRBUF_INIT;
		normalise(text + tw[best].start, tw[best + m - 1].end - tw[best].start, false, &raw);
		sb_put(out, raw.ptr, raw.size);
		sb_free(&raw);
	}
	words_free(tw, nt);
	words_free(qw, nq);
	return best_score;
}
