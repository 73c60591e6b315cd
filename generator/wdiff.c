#include "wdiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "xalloc.h"

struct tok {
	const char *p;
	size_t n;
};

static size_t tokenize(const char *s, size_t n, struct tok **out)
{
	struct tok *v = NULL;
	size_t cnt = 0, cap = 0, i = 0;
	while (i < n) {
		size_t j = i;
		int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
		while (j < n && (s[j] == ' ' || s[j] == '\n' || s[j] == '\t') == space)
			j++;
		v = xgrow(v, &cap, cnt + 1, sizeof(*v));
		v[cnt].p = s + i;
		v[cnt++].n = j - i;
		i = j;
	}
	*out = v;
	return cnt;
}

static int tok_eq(const struct tok *a, const struct tok *b)
{
	return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

/* Unchanged text; a long stretch keeps 30 tokens of context each side. */
static void same(struct strbuf *out, const struct tok *t, size_t n, int first, int last)
{
	size_t keep = 30;
	for (size_t i = 0; i < n; i++) {
		if (n > 2 * keep + 1 && i == (first ? 0 : keep)) {
			sb_puts(out, "<span class=\"diff-skip\">…</span>");
			i = n - (last ? 0 : keep);
			if (i >= n)
				break;
		}
		html_escape_text(out, t[i].p, t[i].n);
	}
}

static void mark(struct strbuf *out, const char *tag, const struct tok *t, size_t from, size_t to)
{
	if (from >= to)
		return;
	sb_printf(out, "<%s>", tag);
	for (size_t i = from; i < to; i++)
		html_escape_text(out, t[i].p, t[i].n);
	sb_printf(out, "</%s>", tag);
}

void wdiff_html(struct strbuf *out, const char *a, size_t an, const char *b, size_t bn)
{
	struct tok *x = NULL, *y = NULL;
	size_t n = tokenize(a, an, &x), m = tokenize(b, bn, &y);
	size_t pre = 0, suf = 0;
	while (pre < n && pre < m && tok_eq(&x[pre], &y[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && tok_eq(&x[n - 1 - suf], &y[m - 1 - suf]))
		suf++;
	same(out, x, pre, 1, pre == n && pre == m);
	size_t xn = n - pre - suf, yn = m - pre - suf;
	const struct tok *xs = x + pre, *ys = y + pre;
	/* LCS table over the changed middle (uint32 lengths). */
	uint32_t *L = xcalloc((xn + 1) * (yn + 1), sizeof(*L));
	for (size_t i = xn; i-- > 0;)
		for (size_t j = yn; j-- > 0;)
			L[i * (yn + 1) + j] = tok_eq(&xs[i], &ys[j]) ? L[(i + 1) * (yn + 1) + j + 1] + 1
				: (L[(i + 1) * (yn + 1) + j] > L[i * (yn + 1) + j + 1] ? L[(i + 1) * (yn + 1) + j]
										       : L[i * (yn + 1) + j + 1]);
	size_t i = 0, j = 0, di = 0, dj = 0;
	while (i < xn || j < yn) {
		if (i < xn && j < yn && tok_eq(&xs[i], &ys[j])) {
			mark(out, "del", xs, di, i);
			mark(out, "ins", ys, dj, j);
			html_escape_text(out, xs[i].p, xs[i].n);
			di = ++i;
			dj = ++j;
		} else if (j < yn && (i == xn || L[i * (yn + 1) + j + 1] >= L[(i + 1) * (yn + 1) + j])) {
			j++;
		} else {
			i++;
		}
	}
	mark(out, "del", xs, di, xn);
	mark(out, "ins", ys, dj, yn);
	same(out, x + n - suf, suf, 0, 1);
	free(L);
	free(x);
	free(y);
}
