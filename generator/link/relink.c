#include "relink.h"

#include <stdlib.h>
#include <string.h>

#include "cooccur.h"
#include "external.h"
#include "markdown.h"
#include "xalloc.h"

/* --- the trace of the full pass ---------------------------------------- */

struct page_slot {
	const struct page *p;
	size_t index; /* in s->pages */
};

struct link_trace {
	size_t npages;
	struct page_slot *by_addr; /* sorted by address, for index_of */
	size_t *links_pages;       /* per page: cited_by_pages entries from links */
	size_t **links_blocks;     /* per page and block: cited_by entries from links */
	size_t **cooc;             /* per page: its co-occurrence groups */
	size_t *ncooc;
};

static int slot_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct page_slot *)a)->p;
	uintptr_t y = (uintptr_t)((const struct page_slot *)b)->p;
	return x < y ? -1 : x > y;
}

static size_t index_of(const struct link_trace *tr, const struct page *p)
{
	struct page_slot key = { .p = p };
	const struct page_slot *s = bsearch(&key, tr->by_addr, tr->npages, sizeof(key), slot_cmp);
	return s ? s->index : SIZE_MAX;
}

struct link_trace *link_trace_new(const struct site *s)
{
	struct link_trace *tr = xcalloc(1, sizeof(*tr));
	size_t n = s->npages;
	tr->npages = n;
	tr->by_addr = xcalloc(n + 1, sizeof(*tr->by_addr));
	for (size_t i = 0; i < n; i++)
		tr->by_addr[i] = (struct page_slot){ s->pages[i], i };
	if (n)
		qsort(tr->by_addr, n, sizeof(*tr->by_addr), slot_cmp);
	tr->links_pages = xcalloc(n + 1, sizeof(*tr->links_pages));
	tr->links_blocks = xcalloc(n + 1, sizeof(*tr->links_blocks));
	tr->cooc = xcalloc(n + 1, sizeof(*tr->cooc));
	tr->ncooc = xcalloc(n + 1, sizeof(*tr->ncooc));
	return tr;
}

void link_trace_free(struct link_trace *tr)
{
	if (!tr)
		return;
	for (size_t i = 0; i < tr->npages; i++) {
		free(tr->links_blocks[i]);
		free(tr->cooc[i]);
	}
	free(tr->by_addr);
	free(tr->links_pages);
	free(tr->links_blocks);
	free(tr->cooc);
	free(tr->ncooc);
	free(tr);
}

void link_trace_links_done(struct link_trace *tr, const struct site *s)
{
	for (size_t i = 0; i < s->npages && i < tr->npages; i++) {
		const struct page *p = s->pages[i];
		tr->links_pages[i] = p->ncited_by_pages;
		free(tr->links_blocks[i]);
		tr->links_blocks[i] = xcalloc(p->nblocks + 1, sizeof(**tr->links_blocks));
		for (size_t b = 0; b < p->nblocks; b++)
			tr->links_blocks[i][b] = p->blocks[b].ncited;
	}
}

void link_trace_set_cooc(struct link_trace *tr, const struct page *p, size_t *groups, size_t n)
{
	size_t i = index_of(tr, p);
	if (i == SIZE_MAX) {
		free(groups);
		return;
	}
	free(tr->cooc[i]);
	tr->cooc[i] = groups;
	tr->ncooc[i] = n;
}

/* --- effects ----------------------------------------------------------- */

void relink_effects_add(struct relink_effects *fx, const struct page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < fx->npages; i++)
		if (fx->pages[i] == p)
			return;
	fx->pages = xgrow(fx->pages, &fx->cap, fx->npages + 1, sizeof(*fx->pages));
	fx->pages[fx->npages++] = p;
}

void relink_effects_free(struct relink_effects *fx)
{
	free(fx->pages);
	*fx = (struct relink_effects){ 0 };
}

static void add_kind(struct relink_effects *fx, const struct site *s, enum page_kind kind)
{
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == kind)
			relink_effects_add(fx, s->pages[i]);
}

const char *relink_eligible(const struct page *p)
{
	if (!p->src || !p->doc)
		return "it is a generated page";
	if (p->kind == PAGE_ARTICLE)
		return "it is an article";
	if (p->kind == PAGE_ENTITY)
		return "it is an entity page";
	if (p->kind != PAGE_TOPIC && p->kind != PAGE_PLAIN && p->kind != PAGE_SECTION &&
	    p->kind != PAGE_HOME)
		return "its kind is not relinked";
	if (p->nclaims)
		return "it has claims";
	return NULL;
}

/* --- citations --------------------------------------------------------- */

/* A page whose cited-by list `p` was in (or is now), and its count
 * before the relink (page summaries show it). */
struct touched {
	struct page *t;
	size_t before;
};

struct relink_run {
	struct link_trace *tr;
	struct site *s;
	struct page *p;
	size_t ip;
	struct touched *touched;
	size_t ntouched, captouched;
	/* entity pairs whose co-occurrence count moved: (a, b, ±1) */
	long *pairs;
	size_t npairs, cappairs;
	struct mention **old_runs; /* per entity: p's mentions before */
	size_t *nold_runs;
};

static void touch(struct relink_run *r, struct page *t, size_t before)
{
	for (size_t i = 0; i < r->ntouched; i++)
		if (r->touched[i].t == t)
			return;
	r->touched = xgrow(r->touched, &r->captouched, r->ntouched + 1, sizeof(*r->touched));
	r->touched[r->ntouched++] = (struct touched){ t, before };
}

/* Removes every entry of `p` from t's cited-by lists. */
static void uncite(struct relink_run *r, struct page *t, size_t it)
{
	const struct page *p = r->p;
	size_t lim = r->tr->links_pages[it], w = 0;
	for (size_t k = 0; k < t->ncited_by_pages; k++) {
		if (t->cited_by_pages[k] == p) {
			r->tr->links_pages[it] -= k < lim;
			continue;
		}
		t->cited_by_pages[w++] = t->cited_by_pages[k];
	}
	t->ncited_by_pages = w;
	for (size_t b = 0; b < t->nblocks; b++) {
		struct block *blk = &t->blocks[b];
		size_t *links = &r->tr->links_blocks[it][b], blim = *links;
		w = 0;
		for (size_t k = 0; k < blk->ncited; k++) {
			if (blk->cited_by[k].from == p) {
				*links -= k < blim;
				continue;
			}
			blk->cited_by[w++] = blk->cited_by[k];
		}
		blk->ncited = w;
	}
}

/* Moves the last `m` of `n` elements of `v` (each `size` bytes) to `pos`. */
static void rotate_tail(void *v, size_t n, size_t m, size_t pos, size_t size)
{
	if (!m || pos >= n - m)
		return;
	char *base = v, *tmp = xmalloc(m * size);
	memcpy(tmp, base + (n - m) * size, m * size);
	memmove(base + (pos + m) * size, base + pos * size, (n - m - pos) * size);
	memcpy(base + pos * size, tmp, m * size);
	free(tmp);
}

/* The first of v[0, lim) whose page comes after p (v ordered by page). */
static size_t pages_after(const struct relink_run *r, struct page *const *v, size_t lim)
{
	size_t k = 0;
	while (k < lim && index_of(r->tr, v[k]) < r->ip)
		k++;
	return k;
}

static size_t citations_after(const struct relink_run *r, const struct citation *v, size_t lim)
{
	size_t k = 0;
	while (k < lim && index_of(r->tr, v[k].from) < r->ip)
		k++;
	return k;
}

/* p's new entries were appended to t's lists: put them where the pass
 * over the pages in order would have. */
static void place_citations(struct relink_run *r, struct page *t, size_t it)
{
	struct link_trace *tr = r->tr;
	size_t pos = pages_after(r, t->cited_by_pages, tr->links_pages[it]);
	rotate_tail(t->cited_by_pages, t->ncited_by_pages, 1, pos, sizeof(*t->cited_by_pages));
	tr->links_pages[it]++;
	for (size_t b = 0; b < t->nblocks; b++) {
		struct block *blk = &t->blocks[b];
		size_t m = 0;
		while (m < blk->ncited && blk->cited_by[blk->ncited - 1 - m].from == r->p)
			m++;
		if (!m)
			continue;
		pos = citations_after(r, blk->cited_by, tr->links_blocks[it][b]);
		rotate_tail(blk->cited_by, blk->ncited, m, pos, sizeof(*blk->cited_by));
		tr->links_blocks[it][b] += m;
	}
}

static void relink_citations(struct relink_run *r, struct diag *d)
{
	struct site *s = r->s;
	for (size_t i = 0; i < s->npages; i++) {
		struct page *t = s->pages[i];
		for (size_t k = 0; k < t->ncited_by_pages; k++)
			if (t->cited_by_pages[k] == r->p) {
				touch(r, t, t->ncited_by_pages);
				uncite(r, t, i);
				break;
			}
	}
	/* External links are listed again (order within s->external is
	 * read only by --external, which serve never runs). */
	size_t w = 0;
	for (size_t k = 0; k < s->nexternal; k++) {
		if (s->external[k].file == r->p->file) {
			free(s->external[k].url);
			continue;
		}
		s->external[w++] = s->external[k];
	}
	s->nexternal = w;
	link_page_links(s, r->p, d);
	for (size_t i = 0; i < s->npages; i++) {
		struct page *t = s->pages[i];
		if (!t->ncited_by_pages || t->cited_by_pages[t->ncited_by_pages - 1] != r->p)
			continue;
		touch(r, t, t->ncited_by_pages - 1);
		place_citations(r, t, i);
	}
}

/* --- mentions ---------------------------------------------------------- */

static void add_pairs(struct relink_run *r, const size_t *g, size_t n, long sign)
{
	struct entity **es = r->s->entities;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && g[j] != LINK_TRACE_GROUP_END)
			j++;
		for (size_t a = i; a < j && j - i <= COOCCUR_GROUP_MAX; a++)
			for (size_t b = a + 1; b < j; b++) {
				if (sign < 0) {
					cooccur_sub(&es[g[a]]->cooccur, g[b]);
					cooccur_sub(&es[g[b]]->cooccur, g[a]);
				}
				r->pairs = xgrow(r->pairs, &r->cappairs, r->npairs + 3, sizeof(*r->pairs));
				r->pairs[r->npairs++] = (long)g[a];
				r->pairs[r->npairs++] = (long)g[b];
				r->pairs[r->npairs++] = sign;
			}
		i = j + 1;
	}
}

static size_t mentions_after(const struct relink_run *r, const struct mention *v, size_t lim);

static void take_mentions(struct relink_run *r)
{
	struct site *s = r->s;
	for (size_t j = 0; j < s->nentities; j++) {
		struct entity *e = s->entities[j];
		/* Mentions are in page order: p's run starts where pages
		 * before it end. */
		size_t a = mentions_after(r, e->mentions, e->nmentions);
		size_t b = a;
		while (b < e->nmentions && e->mentions[b].page == r->p)
			b++;
		if (a == b)
			continue;
		r->nold_runs[j] = b - a;
		r->old_runs[j] = xmalloc((b - a) * sizeof(**r->old_runs));
		memcpy(r->old_runs[j], &e->mentions[a], (b - a) * sizeof(**r->old_runs));
		memmove(&e->mentions[a], &e->mentions[b], (e->nmentions - b) * sizeof(*e->mentions));
		e->nmentions -= b - a;
	}
	r->p->mention_total = 0;
	add_pairs(r, r->tr->cooc[r->ip], r->tr->ncooc[r->ip], -1);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_run(const struct mention *a, size_t na, const struct mention *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].block != b[i].block || !same_str(a[i].anchor, b[i].anchor) ||
		    !same_str(a[i].snippet_html, b[i].snippet_html))
			return false;
	return true;
}

static size_t mentions_after(const struct relink_run *r, const struct mention *v, size_t lim)
{
	size_t lo = 0, hi = lim;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (index_of(r->tr, v[mid].page) < r->ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int pair_cmp(const void *x, const void *y)
{
	const long *a = x, *b = y;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

/* Entities whose co-occurrence with another one moved: both pages. */
static void pair_effects(struct relink_run *r, struct relink_effects *fx)
{
	size_t n = r->npairs / 3;
	for (size_t i = 0; i < n; i++)
		if (r->pairs[3 * i] > r->pairs[3 * i + 1]) {
			long t = r->pairs[3 * i];
			r->pairs[3 * i] = r->pairs[3 * i + 1];
			r->pairs[3 * i + 1] = t;
		}
	if (n)
		qsort(r->pairs, n, 3 * sizeof(*r->pairs), pair_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		long sum = 0;
		for (; j < n && !pair_cmp(&r->pairs[3 * i], &r->pairs[3 * j]); j++)
			sum += r->pairs[3 * j + 2];
		if (sum) {
			relink_effects_add(fx, r->s->entities[r->pairs[3 * i]]->page);
			relink_effects_add(fx, r->s->entities[r->pairs[3 * i + 1]]->page);
		}
		i = j;
	}
}

static void relink_mentions(struct relink_run *r, struct relink_effects *fx)
{
	struct site *s = r->s;
	link_page_mentions(s, r->p, r->tr);
	add_pairs(r, r->tr->cooc[r->ip], r->tr->ncooc[r->ip], +1);
	for (size_t j = 0; j < s->nentities; j++) {
		struct entity *e = s->entities[j];
		size_t m = 0;
		while (m < e->nmentions && e->mentions[e->nmentions - 1 - m].page == r->p)
			m++;
		size_t pos = mentions_after(r, e->mentions, e->nmentions - m);
		rotate_tail(e->mentions, e->nmentions, m, pos, sizeof(*e->mentions));
		/* Only a list the page is (or was) in changed: the others keep
		 * their snippets (this loop stays a few steps per entity, not
		 * a walk over every mention of the site). */
		if (m || r->nold_runs[j])
			link_entity_snippets(e);
		/* An entity no page mentions has no array (NULL + 0 is undefined;
		 * UBSan under tests/e2e/random_serve.py). */
		if (!same_run(r->old_runs[j], r->nold_runs[j], e->mentions ? e->mentions + pos : NULL, m))
			relink_effects_add(fx, e->page);
		if (m != r->nold_runs[j])
			fx->entities_changed = true;
	}
	pair_effects(r, fx);
}

/* --- the page ---------------------------------------------------------- */

static bool same_headings(const struct heading *a, size_t na, const struct heading *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].level != b[i].level || strcmp(a[i].id, b[i].id) || strcmp(a[i].text, b[i].text))
			return false;
	return true;
}

static void free_headings(struct heading *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].id);
		free(h[i].text);
	}
	free(h);
}

/* Lists showing a page's summary (its cited-by count) and the pages
 * whose context reads every page or entity. */
static void site_effects(struct relink_run *r, struct relink_effects *fx)
{
	struct site *s = r->s;
	for (size_t i = 0; i < r->ntouched; i++) {
		struct page *t = r->touched[i].t;
		relink_effects_add(fx, t);
		if (t->ncited_by_pages == r->touched[i].before)
			continue;
		relink_effects_add(fx, t->parent);
		relink_effects_add(fx, site_find_out(s, "index.html"));
		if (t->entity)
			add_kind(fx, s, PAGE_ENTITIES);
	}
	if (fx->entities_changed)
		add_kind(fx, s, PAGE_ENTITIES);
	add_kind(fx, s, PAGE_SEARCH);
	add_kind(fx, s, PAGE_404);
	add_kind(fx, s, PAGE_PRINT);
}

static void run_free(struct relink_run *r)
{
	for (size_t j = 0; j < r->s->nentities; j++) {
		for (size_t k = 0; k < r->nold_runs[j]; k++)
			free(r->old_runs[j][k].snippet_html);
		free(r->old_runs[j]);
	}
	free(r->old_runs);
	free(r->nold_runs);
	free(r->touched);
	free(r->pairs);
}

enum relink_result relink_page(struct site *s, struct link_trace *tr, struct page *p,
			       cmark_node *doc, struct relink_effects *fx, const char **why,
			       struct diag *d)
{
	struct relink_run r = {
		.tr = tr,
		.s = s,
		.p = p,
		.ip = index_of(tr, p),
		.old_runs = xcalloc(s->nentities + 1, sizeof(*r.old_runs)),
		.nold_runs = xcalloc(s->nentities + 1, sizeof(*r.nold_runs)),
	};
	relink_effects_add(fx, p);
	take_mentions(&r);
	struct heading *old_h = p->headings;
	size_t old_nh = p->nheadings;
	cmark_node *old_doc = p->doc;
	p->headings = NULL;
	p->nheadings = 0;
	p->doc = doc;
	link_page_prepare(p);
	relink_citations(&r, d);
	relink_mentions(&r, fx);
	enum relink_result rc = RELINK_DONE;
	if (p->ncited_by_pages && !same_headings(old_h, old_nh, p->headings, p->nheadings)) {
		*why = "the headings of a page other pages link to changed";
		rc = RELINK_FALLBACK;
	}
	site_effects(&r, fx);
	free_headings(old_h, old_nh);
	cmark_node_free(old_doc);
	run_free(&r);
	return rc;
}
