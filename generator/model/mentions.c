/*
 * mentions: the files of an entity's mention list (mentions.h).
 */
#include "mentions.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "xalloc.h"

size_t entity_files(const struct entity *e)
{
	return e->npages <= ENTITY_PAGE_SIZE ? 1 : (e->npages + ENTITY_PAGE_SIZE - 1) / ENTITY_PAGE_SIZE;
}

/* "entities/x.html" -> "entities/x" */
static void file_dir(const char *page_out, struct strbuf *out)
{
	sb_puts(out, page_out);
	size_t ext = strlen(fs_extension(page_out));
	sb_truncate(out, out->size - ext);
}

void entity_file_out(const struct entity *e, size_t k, struct strbuf *out)
{
	sb_clear(out);
	if (k <= 1) {
		sb_puts(out, e->page->out);
		return;
	}
	file_dir(e->page->out, out);
	sb_printf(out, "/page-%zu.html", k);
}

const struct entity *entity_file_owner(const struct site *s, const char *out, size_t *k)
{
	const char *slash = strrchr(out, '/');
	if (!slash || strncmp(slash + 1, "page-", 5))
		return NULL;
	const char *d = slash + 6;
	size_t n = 0, digits = 0;
	for (; *d >= '0' && *d <= '9' && digits < 12; d++, digits++)
		n = n * 10 + (size_t)(*d - '0');
	if (!digits || d[-(long)digits] == '0' || strcmp(d, ".html") || n < 2)
		return NULL;
	struct strbuf page = STRBUF_INIT;
	sb_put(&page, out, (size_t)(slash - out));
	sb_puts(&page, ".html");
	const struct page *p = site_find_out(s, page.ptr);
	sb_free(&page);
	if (!p || !p->entity || n > entity_files(p->entity))
		return NULL;
	if (k)
		*k = n;
	return p->entity;
}

/* Mentioning pages by section, then output path. */
static int run_order(const struct mention_run *a, const struct mention_run *b)
{
	const struct page *x = a->first->page, *y = b->first->page;
	int c = x->section == y->section ? 0 : strcmp(x->section, y->section);
	return c ? c : strcmp(x->out, y->out);
}

static int run_cmp(const void *a, const void *b)
{
	return run_order(a, b);
}

/* Most mentions first, then the list's order. */
static bool ranks_before(const struct mention_run *a, const struct mention_run *b)
{
	return a->count != b->count ? a->count > b->count : run_order(a, b) < 0;
}

/* mentions.h */
struct mention_run *mention_list(const struct entity *e, size_t *n, size_t *top)
{
	struct mention_run *v = xmalloc((e->npages + 1) * sizeof(*v));
	size_t m = 0;
	bool sorted = true;
	for (size_t i = 0; i < e->nmentions; i++) {
		if (m && v[m - 1].first->page == e->mentions[i].page) {
			v[m - 1].count++;
			continue;
		}
		assert(m < e->npages);
		v[m] = (struct mention_run){ &e->mentions[i], 1 };
		if (m && sorted && run_order(&v[m - 1], &v[m]) > 0)
			sorted = false;
		m++;
	}
	if (!sorted)
		qsort(v, m, sizeof(*v), run_cmp);
	*n = m;
	*top = 0;
	if (m <= ENTITY_SNIPPET_PAGES)
		return v;
	/* The best ENTITY_TOP_PAGES, kept ranked in best[] by insertion. */
	size_t best[ENTITY_TOP_PAGES], nb = 0;
	for (size_t i = 0; i < m; i++) {
		if (nb == ENTITY_TOP_PAGES && !ranks_before(&v[i], &v[best[nb - 1]]))
			continue;
		size_t j = nb < ENTITY_TOP_PAGES ? nb++ : nb - 1;
		while (j > 0 && ranks_before(&v[i], &v[best[j - 1]])) {
			best[j] = best[j - 1];
			j--;
		}
		best[j] = i;
	}
	/* The top in front, the rest after them in their order. */
	struct mention_run *w = xmalloc((m + 1) * sizeof(*w));
	bool *taken = xcalloc(m, sizeof(*taken));
	for (size_t j = 0; j < nb; j++) {
		w[j] = v[best[j]];
		taken[best[j]] = true;
	}
	for (size_t i = 0, k = nb; i < m; i++)
		if (!taken[i])
			w[k++] = v[i];
	free(taken);
	free(v);
	*top = nb;
	return w;
}

bool entity_run_shows_snippets(size_t nruns, size_t top, size_t i)
{
	return nruns <= ENTITY_SNIPPET_PAGES || i < top;
}
