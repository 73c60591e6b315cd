#include "site.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "external.h"
#include "revlog.h"
#include "matcher.h"
#include "page.h"
#include "xalloc.h"

void site_init(struct site *s)
{
	memset(s, 0, sizeof(*s));
	s->dir = ".";
	s->config_file = "site.toml";
}

void site_free(struct site *s)
{
	for (size_t i = 0; i < s->npages; i++)
		page_free(s->pages[i]);
	free(s->pages);
	free(s->entities);
	free(s->claims);
	for (size_t i = 0; i < s->nassets; i++)
		free(s->assets[i]);
	free(s->assets);
	for (size_t i = 0; i < s->nwithheld; i++)
		free(s->withheld[i]);
	free(s->withheld);
	for (size_t i = 0; i < s->nexternal; i++)
		free(s->external[i].url);
	free(s->external);
	history_free(s->history);
	matcher_free(s->matcher);
	config_free(&s->cfg);
	free(s->by_src);
	free(s->names);
	memset(s, 0, sizeof(*s));
}

void site_append_page(struct site *s, struct page *p)
{
	s->pages = xgrow(s->pages, &s->cappages, s->npages + 1, sizeof(*s->pages));
	s->pages[s->npages++] = p;
}

struct page *site_add_page(struct site *s)
{
	struct page *p = xcalloc(1, sizeof(*p));
	site_append_page(s, p);
	return p;
}

static int page_cmp(const void *a, const void *b)
{
	const struct page *x = *(struct page *const *)a, *y = *(struct page *const *)b;
	return strcmp(x->out, y->out);
}

static int src_cmp(const void *a, const void *b)
{
	const struct page *x = *(struct page *const *)a, *y = *(struct page *const *)b;
	return strcmp(x->src, y->src);
}

void site_sort(struct site *s, struct diag *d)
{
	if (s->npages) /* s->pages is NULL before the first page */
		qsort(s->pages, s->npages, sizeof(*s->pages), page_cmp);
	size_t w = 0;
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		if (w && !strcmp(s->pages[w - 1]->out, p->out)) {
			const struct page *q = s->pages[w - 1];
			diag_error(d, p->file ? p->file : p->out, 1, 1,
				   "'%s' is also written by %s; give one of them another slug",
				   p->out, q->file ? q->file : "a generated page");
			page_free(p);
			continue;
		}
		s->pages[w++] = p;
	}
	s->npages = w;
	free(s->by_src);
	free(s->names);
	s->by_src = xcalloc(s->npages + 1, sizeof(*s->by_src));
	s->nby_src = 0;
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->src)
			s->by_src[s->nby_src++] = s->pages[i];
	if (s->nby_src)
		qsort(s->by_src, s->nby_src, sizeof(*s->by_src), src_cmp);
}

/* Binary search of `v`, sorted by the string each page holds at `key`
 * (its source or its output path). */
static struct page *find_sorted(struct page *const *v, size_t n, const char *want,
				char *(*field)(const struct page *))
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(field(v[mid]), want);
		if (c == 0)
			return v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static char *src_of(const struct page *p)
{
	return p->src;
}

static char *out_of(const struct page *p)
{
	return p->out;
}

struct page *site_find_src(const struct site *s, const char *src)
{
	return find_sorted(s->by_src, s->nby_src, src, src_of);
}

struct page *site_find_out(const struct site *s, const char *out)
{
	return find_sorted(s->pages, s->npages, out, out_of);
}

void site_check(const struct site *s)
{
	for (size_t i = 1; i < s->npages; i++)
		assert(strcmp(s->pages[i - 1]->out, s->pages[i]->out) < 0);
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		assert(p->out && p->title && p->fm);
		assert(p->kind != PAGE_ENTITY || p->entity);
		/* Relations join articles; after link every article's parent
		 * is the root of its `follows` group. */
		for (size_t j = 0; j < p->nrelations; j++)
			assert(!p->relations[j].target || p->relations[j].target->kind == PAGE_ARTICLE);
		assert(!p->source_parent || !p->source_parent->source_parent);
		for (size_t j = 0; j < p->nclaims; j++) {
			const struct claim *c = &p->claims[j];
			assert(c->nindependent <= c->ngroups && c->ngroups <= c->narticles);
		}
	}
}
