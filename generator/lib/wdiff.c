#include "wdiff.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "xalloc.h"

/* A line or a word: a view into the text, with a hash to compare quickly. */
struct item {
	const char *p;
	size_t n;
	uint64_t h;
};

struct seq {
	struct item *v;
	long n;
	const char *end; /* end of the text */
	bool *chg;       /* chg[i]: item i is deleted (old) or inserted (new) */
};

/* --- splitting ----------------------------------------------------------- */

static void push(struct seq *s, size_t *cap, const char *p, size_t n)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211u;
	s->v = xgrow(s->v, cap, (size_t)s->n + 1, sizeof(*s->v));
	s->v[s->n++] = (struct item){ p, n, h };
}

static void split_lines(struct seq *s, const char *t, size_t n)
{
	size_t cap = 0;
	s->end = t + n;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - t) + 1 : n;
		push(s, &cap, t + i, end - i);
		i = end;
	}
}

enum cls {
	C_WORD,
	C_BLANK,
	C_NEWLINE,
	C_PUNCT
};

static enum cls classify(unsigned char c)
{
	if (c == '\n')
		return C_NEWLINE;
	if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
		return C_BLANK;
	if (c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		return C_WORD;
	return C_PUNCT;
}

/* Words and blanks are runs; a newline and each punctuation byte stand
 * alone, so "[Reuters ¶4](x.txt#p4)" diffs piece by piece. */
static void split_words(struct seq *s, const char *t, size_t n)
{
	size_t cap = 0;
	s->end = t + n;
	for (size_t i = 0; i < n;) {
		enum cls c = classify((unsigned char)t[i]);
		size_t j = i + 1;
		if (c == C_WORD || c == C_BLANK)
			while (j < n && classify((unsigned char)t[j]) == c)
				j++;
		push(s, &cap, t + i, j - i);
		i = j;
	}
}

/* --- Myers' O(ND) diff, linear space (as GNU diff's diffseq.h) ---------- */

struct ctx {
	const struct seq *a, *b;
	long *fd, *bd; /* furthest x per diagonal k = x - y, forward/backward */
};

/* Rounds of the middle-snake search before settling for a good split
 * instead of the best one: bounds the cost on rewritten texts. */
#define MAX_ROUNDS 256

static bool eq(const struct ctx *c, long x, long y)
{
	const struct item *p = &c->a->v[x], *q = &c->b->v[y];
	return p->h == q->h && p->n == q->n && !memcmp(p->p, q->p, p->n);
}

/* The furthest-reaching forward point, used past MAX_ROUNDS. */
static void best_forward(const struct ctx *c, long fmin, long fmax, long xlim, long ylim,
			 long *xm, long *ym)
{
	long best = -1;
	for (long d = fmax; d >= fmin; d -= 2) {
		long x = c->fd[d] < xlim ? c->fd[d] : xlim, y = x - d;
		if (y > ylim)
			x = ylim + d, y = ylim;
		if (x + y > best)
			best = x + y, *xm = x, *ym = y;
	}
}

/* A point (xm, ym) on an optimal (or, past MAX_ROUNDS, a good) path from
 * (xoff, yoff) to (xlim, ylim). */
static void midsnake(const struct ctx *c, long xoff, long xlim, long yoff, long ylim, long *xm,
		     long *ym)
{
	long *fd = c->fd, *bd = c->bd;
	long dmin = xoff - ylim, dmax = xlim - yoff, fmid = xoff - yoff, bmid = xlim - ylim;
	long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	bool odd = (fmid - bmid) & 1;
	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (int round = 1;; round++) {
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			--fmax;
		for (long d = fmax; d >= fmin; d -= 2) {
			long lo = fd[d - 1], hi = fd[d + 1], x = lo >= hi ? lo + 1 : hi, y = x - d;
			while (x < xlim && y < ylim && eq(c, x, y))
				x++, y++;
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				*xm = x, *ym = y;
				return;
			}
		}
		if (bmin > dmin)
			bd[--bmin - 1] = LONG_MAX;
		else
			++bmin;
		if (bmax < dmax)
			bd[++bmax + 1] = LONG_MAX;
		else
			--bmax;
		for (long d = bmax; d >= bmin; d -= 2) {
			long lo = bd[d - 1], hi = bd[d + 1], x = lo < hi ? lo : hi - 1, y = x - d;
			while (x > xoff && y > yoff && eq(c, x - 1, y - 1))
				x--, y--;
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				*xm = x, *ym = y;
				return;
			}
		}
		if (round >= MAX_ROUNDS) {
			best_forward(c, fmin, fmax, xlim, ylim, xm, ym);
			return;
		}
	}
}

static void compareseq(const struct ctx *c, long xoff, long xlim, long yoff, long ylim)
{
	while (xoff < xlim && yoff < ylim && eq(c, xoff, yoff))
		xoff++, yoff++;
	while (xlim > xoff && ylim > yoff && eq(c, xlim - 1, ylim - 1))
		xlim--, ylim--;
	if (xoff == xlim || yoff == ylim) {
		for (long x = xoff; x < xlim; x++)
			c->a->chg[x] = true;
		for (long y = yoff; y < ylim; y++)
			c->b->chg[y] = true;
		return;
	}
	long xm = xoff, ym = yoff;
	midsnake(c, xoff, xlim, yoff, ylim, &xm, &ym);
	if ((xm == xoff && ym == yoff) || (xm == xlim && ym == ylim) || xm < xoff || ym < yoff) {
		/* No progress (only possible past MAX_ROUNDS): all changed. */
		for (long x = xoff; x < xlim; x++)
			c->a->chg[x] = true;
		for (long y = yoff; y < ylim; y++)
			c->b->chg[y] = true;
		return;
	}
	compareseq(c, xoff, xm, yoff, ym);
	compareseq(c, xm, xlim, ym, ylim);
}

static void diff_seqs(struct seq *a, struct seq *b)
{
	long size = a->n + b->n + 3;
	long *buf = xmalloc(2 * (size_t)size * sizeof(*buf));
	struct ctx c = { a, b, buf + b->n + 1, buf + size + b->n + 1 };
	a->chg = xcalloc((size_t)a->n + 1, sizeof(*a->chg));
	b->chg = xcalloc((size_t)b->n + 1, sizeof(*b->chg));
	compareseq(&c, 0, a->n, 0, b->n);
	free(buf);
}

static void seq_free(struct seq *s)
{
	free(s->v);
	free(s->chg);
}

/* --- segments: alternating unchanged runs and changes --------------------- */

struct seg {
	bool same;
	long a0, a1, b0, b1;
};

static size_t segments(const struct seq *a, const struct seq *b, struct seg **out)
{
	struct seg *v = NULL;
	size_t n = 0, cap = 0;
	long i = 0, j = 0;
	while (i < a->n || j < b->n) {
		struct seg s = { .a0 = i, .b0 = j };
		s.same = i < a->n && j < b->n && !a->chg[i] && !b->chg[j];
		if (s.same) {
			while (i < a->n && j < b->n && !a->chg[i] && !b->chg[j])
				i++, j++;
		} else {
			while (i < a->n && a->chg[i])
				i++;
			while (j < b->n && b->chg[j])
				j++;
		}
		s.a1 = i, s.b1 = j;
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = s;
	}
	*out = v;
	return n;
}

/* --- runs: the diff as data ------------------------------------------------ */

static void push_run(struct wdiff *w, struct wdiff_run r)
{
	w->runs = xgrow(w->runs, &w->caprun, w->n + 1, sizeof(*w->runs));
	w->runs[w->n++] = r;
}

/* A run of text (n > 0), its bytes copied. */
static void emit(struct wdiff *w, enum wdiff_kind kind, const char *p, size_t n)
{
	if (w->ntext + n + 1 > w->captext) {
		w->captext = (w->ntext + n + 1) * 3 / 2;
		w->text = xrealloc(w->text, w->captext);
	}
	push_run(w, (struct wdiff_run){ .kind = kind, .off = w->ntext, .len = n });
	memcpy(w->text + w->ntext, p, n);
	w->ntext += n;
	w->text[w->ntext] = '\0';
}

static void put_items(struct wdiff *w, enum wdiff_kind kind, const struct seq *s, long from,
		      long to)
{
	if (from < to)
		emit(w, kind, s->v[from].p, (size_t)(s->v[to - 1].p + s->v[to - 1].n - s->v[from].p));
}

static void put_change(struct wdiff *w, const struct seq *a, long a0, long a1,
		       const struct seq *b, long b0, long b1)
{
	put_items(w, WDIFF_DEL, a, a0, a1);
	put_items(w, WDIFF_INS, b, b0, b1);
}

static bool all_blank(const struct seq *s, long from, long to)
{
	for (long i = from; i < to; i++)
		if (classify((unsigned char)s->v[i].p[0]) != C_BLANK)
			return false;
	return true;
}

/* How many of the words (blanks left out) of `b` are also words of `a`,
 * each word of `a` matching once: a multiset intersection through one
 * open-addressing table of a's word hashes, in linear time. *na, *nb get
 * the words of each side. */
static long common_words(const struct seq *a, const struct seq *b, long *na, long *nb)
{
	size_t cap = 16;
	while (cap < (size_t)a->n * 2 + 2)
		cap *= 2;
	struct slotw {
		uint64_t h;
		long count;
	} *t = xcalloc(cap, sizeof(*t));
	long common = 0;
	*na = *nb = 0;
	for (long i = 0; i < a->n; i++) {
		if (classify((unsigned char)a->v[i].p[0]) == C_BLANK)
			continue;
		uint64_t h = a->v[i].h | 1; /* 0 marks an empty slot */
		size_t k = (size_t)h & (cap - 1);
		while (t[k].h && t[k].h != h)
			k = (k + 1) & (cap - 1);
		t[k].h = h;
		t[k].count++;
		++*na;
	}
	for (long i = 0; i < b->n; i++) {
		if (classify((unsigned char)b->v[i].p[0]) == C_BLANK)
			continue;
		uint64_t h = b->v[i].h | 1;
		size_t k = (size_t)h & (cap - 1);
		while (t[k].h && t[k].h != h)
			k = (k + 1) & (cap - 1);
		if (t[k].h && t[k].count > 0) {
			t[k].count--;
			common++;
		}
		++*nb;
	}
	free(t);
	return common;
}

/* Words of a block of changed lines. A blank between two changes joins
 * them, so "<del>a b</del><ins>c d</ins>" rather than four fragments. A
 * block whose two sides share less than half their words was rewritten,
 * not edited: it is shown as the old text deleted and the new inserted
 * (as wiki diffs show a paragraph replaced), which reads better than
 * fragments of common words, and costs linear time where the word-by-word
 * diff of unrelated texts costs the most. */
static void put_words(struct wdiff *w, const char *a, size_t an, const char *b, size_t bn)
{
	struct seq wa = { 0 }, wb = { 0 };
	struct seg *v = NULL;
	split_words(&wa, a, an);
	split_words(&wb, b, bn);
	long na, nb, common = common_words(&wa, &wb, &na, &nb);
	if (na && nb && common * 4 < (na + nb)) {
		/* What the two sides start and end with stays (the newline). */
		const struct ctx c = { &wa, &wb, NULL, NULL };
		long pre = 0, suf = 0;
		while (pre < wa.n && pre < wb.n && eq(&c, pre, pre))
			pre++;
		while (suf < wa.n - pre && suf < wb.n - pre && eq(&c, wa.n - 1 - suf, wb.n - 1 - suf))
			suf++;
		put_items(w, WDIFF_SAME, &wa, 0, pre);
		put_change(w, &wa, pre, wa.n - suf, &wb, pre, wb.n - suf);
		put_items(w, WDIFF_SAME, &wa, wa.n - suf, wa.n);
		seq_free(&wa);
		seq_free(&wb);
		return;
	}
	diff_seqs(&wa, &wb);
	size_t n = segments(&wa, &wb, &v);
	for (size_t k = 0; k < n;) {
		if (v[k].same) {
			put_items(w, WDIFF_SAME, &wa, v[k].a0, v[k].a1);
			k++;
			continue;
		}
		size_t e = k;
		while (e + 2 < n && v[e + 1].same && !v[e + 2].same &&
		       all_blank(&wa, v[e + 1].a0, v[e + 1].a1))
			e += 2;
		put_change(w, &wa, v[k].a0, v[e].a1, &wb, v[k].b0, v[e].b1);
		k = e + 1;
	}
	free(v);
	seq_free(&wa);
	seq_free(&wb);
}

static const char *text_of(const struct seq *s, long i)
{
	return i < s->n ? s->v[i].p : s->end;
}

static void skip_note(struct wdiff *w, long lines)
{
	push_run(w, (struct wdiff_run){ .kind = WDIFF_SKIP, .off = w->ntext, .lines = lines });
}

/* An unchanged run of lines [a0, a1) of the old text: context next to the
 * changes around it, a note for the rest (unless it is a single line). */
static void put_same(struct wdiff *w, const struct seq *la, long a0, long a1, bool first, bool last)
{
	long n = a1 - a0, k = WDIFF_CONTEXT;
	long head = first ? 0 : (n < k ? n : k);
	long tail = last ? 0 : (n - head < k ? n - head : k);
	if (n - head - tail < 2)
		head = n, tail = 0;
	if (head)
		put_items(w, WDIFF_SAME, la, a0, a0 + head);
	if (n - head - tail > 0)
		skip_note(w, n - head - tail);
	if (tail)
		put_items(w, WDIFF_SAME, la, a1 - tail, a1);
}

void wdiff_compute(struct wdiff *w, const char *a, size_t an, const char *b, size_t bn)
{
	struct seq la = { 0 }, lb = { 0 };
	struct seg *v = NULL;
	memset(w, 0, sizeof(*w));
	split_lines(&la, a, an);
	split_lines(&lb, b, bn);
	diff_seqs(&la, &lb);
	size_t n = segments(&la, &lb, &v);
	if (n == 1 && v[0].same)
		n = 0;
	for (size_t k = 0; k < n; k++) {
		if (v[k].same) {
			put_same(w, &la, v[k].a0, v[k].a1, k == 0, k == n - 1);
			continue;
		}
		const char *pa = text_of(&la, v[k].a0), *pb = text_of(&lb, v[k].b0);
		put_words(w, pa, (size_t)(text_of(&la, v[k].a1) - pa), pb,
			  (size_t)(text_of(&lb, v[k].b1) - pb));
	}
	free(v);
	seq_free(&la);
	seq_free(&lb);
	/* Kept for the whole build (a revision page's diff): no slack. */
	if (w->n) {
		w->runs = xrealloc(w->runs, w->n * sizeof(*w->runs));
		w->caprun = w->n;
	}
	if (w->text) {
		w->text = xrealloc(w->text, w->ntext + 1);
		w->captext = w->ntext + 1;
	}
}

void wdiff_free(struct wdiff *w)
{
	free(w->text);
	free(w->runs);
	memset(w, 0, sizeof(*w));
}

/* --- HTML ------------------------------------------------------------------ */

void wdiff_format_html(struct strbuf *out, const struct wdiff *w)
{
	static const char *const tag[] = { [WDIFF_DEL] = "del", [WDIFF_INS] = "ins" };
	bool open = false; /* inside <pre> */
	if (!w->n)
		sb_puts(out, "<p class=\"wdiff-same\">No change to the text.</p>\n");
	for (size_t i = 0; i < w->n; i++) {
		const struct wdiff_run *r = &w->runs[i];
		if (r->kind == WDIFF_SKIP) {
			if (open)
				sb_puts(out, "</pre>\n");
			open = false;
			sb_printf(out, "<p class=\"wdiff-skip\">%ld unchanged line%s</p>\n", r->lines,
				  r->lines == 1 ? "" : "s");
			continue;
		}
		if (!open)
			sb_puts(out, "<pre class=\"wdiff\">");
		open = true;
		if (r->kind != WDIFF_SAME)
			sb_printf(out, "<%s>", tag[r->kind]);
		html_escape_text(out, w->text + r->off, r->len);
		if (r->kind != WDIFF_SAME)
			sb_printf(out, "</%s>", tag[r->kind]);
	}
	if (open)
		sb_puts(out, "</pre>\n");
}

void wdiff_html(struct strbuf *out, const char *a, size_t an, const char *b, size_t bn)
{
	struct wdiff w;
	wdiff_compute(&w, a, an, b, bn);
	wdiff_format_html(out, &w);
	wdiff_free(&w);
}
