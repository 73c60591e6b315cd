#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cooccur.h"
#include "mentions.h"
#include "strbuf.h"
#include "unit_site.h"

/* Draws `n` meetings from a few often met and many rarely, with indexes
 * `stride` apart, counted in the table and in `dense`. */
static void draw(struct cooccur *c, unsigned *dense, size_t range, size_t stride, int n)
{
	unsigned x = 12345;
	for (int i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		size_t other = (x >> 8) % (i % 7 ? 40 : range); /* a few often, many rarely */
		dense[other]++;
		cooccur_add(c, other * stride);
	}
}

/* What cooccur_next visits: each count above 0 once, and nothing else. */
static void expect_visits(const struct cooccur *c, const unsigned *dense, size_t range, size_t stride)
{
	size_t pos = 0, other, count, seen = 0, sum = 0, want = 0;
	while (cooccur_next(c, &pos, &other, &count)) {
		cr_assert_eq(other % stride, 0);
		cr_assert_lt(other / stride, range);
		cr_assert_eq(count, dense[other / stride], "entity %zu", other);
		seen++;
		sum += count;
	}
	for (size_t i = 0; i < range; i++)
		want += dense[i];
	cr_assert_eq(sum, want);
	size_t distinct = 0;
	for (size_t i = 0; i < range; i++)
		distinct += dense[i] != 0;
	cr_assert_eq(seen, distinct);
}

/* Indexes close together (an entity meeting most of the others): the
 * table turns dense, 4 bytes an index, and gives the counts a matrix
 * would. */
Test(mentions, cooccur_dense_equals_counts)
{
	enum { N = 300 };
	static unsigned dense[N];
	struct cooccur c = { 0 };
	draw(&c, dense, N, 1, 20000);
	cr_assert_not_null(c.counts, "close indexes are kept dense");
	cr_assert_null(c.slots);
	cr_assert_eq(c.cap, 512); /* the power of two above index 299 */
	size_t distinct = 0;
	for (size_t i = 0; i < N; i++) {
		cr_assert_eq(cooccur_get(&c, i), dense[i], "entity %zu", i);
		distinct += dense[i] != 0;
	}
	cr_assert_eq(c.n, distinct);
	cr_assert_eq(cooccur_get(&c, 100000), 0, "past the counts");
	expect_visits(&c, dense, N, 1);
	cooccur_free(&c);
	cr_assert_eq(cooccur_get(&c, 3), 0);
}

/* Indexes far apart (a few of many): the table stays sparse, at most
 * 3/4 full, its size set by what was met and not by the largest index. */
Test(mentions, cooccur_sparse_equals_counts)
{
	enum { N = 300,
	       STRIDE = 1000 };
	static unsigned dense[N];
	struct cooccur c = { 0 };
	draw(&c, dense, N, STRIDE, 20000);
	cr_assert_null(c.counts, "far-apart indexes are kept sparse");
	cr_assert_not_null(c.slots);
	size_t distinct = 0;
	for (size_t i = 0; i < N; i++) {
		cr_assert_eq(cooccur_get(&c, i * STRIDE), dense[i], "entity %zu", i * STRIDE);
		cr_assert_eq(cooccur_get(&c, i * STRIDE + 1), 0);
		distinct += dense[i] != 0;
	}
	cr_assert_eq(c.n, distinct);
	cr_assert(4 * c.n <= 3 * c.cap);
	cr_assert_leq(c.cap, 512);
	expect_visits(&c, dense, N, STRIDE);
	cooccur_free(&c);
}

/* Taken back (relink) and counted again, across a change of layout both
 * ways: the counts stay exact, and one taken back to 0 is not visited. */
Test(mentions, cooccur_sub_across_layouts)
{
	struct cooccur c = { 0 };
	cooccur_add(&c, 5);
	cooccur_add(&c, 5);
	cooccur_add(&c, 9);
	cr_assert_not_null(c.counts, "small indexes start dense");
	cooccur_sub(&c, 9);
	cooccur_sub(&c, 9);  /* below 0: stays 0 */
	cooccur_sub(&c, 77); /* never met */
	cr_assert_eq(cooccur_get(&c, 9), 0);
	cr_assert_eq(c.n, 1);
	cooccur_add(&c, 1000000); /* far: sparse is smaller */
	cr_assert_null(c.counts);
	cr_assert_eq(cooccur_get(&c, 5), 2);
	cr_assert_eq(cooccur_get(&c, 1000000), 1);
	cr_assert_eq(cooccur_get(&c, 9), 0);
	cooccur_sub(&c, 5);
	for (size_t i = 0; i < 600; i++) /* many, but one is far: still sparse */
		cooccur_add(&c, i);
	cr_assert_null(c.counts, "one index of 1,000,000 keeps it sparse");
	cr_assert_eq(cooccur_get(&c, 5), 2);
	cr_assert_eq(cooccur_get(&c, 1000000), 1);
	cr_assert_eq(cooccur_get(&c, 599), 1);
	size_t pos = 0, other, count, seen = 0;
	while (cooccur_next(&c, &pos, &other, &count))
		seen++;
	cr_assert_eq(seen, 601);
	cooccur_free(&c);

	/* A few spread out (sparse), one taken back to 0, then most of
	 * 0..999 (dense): the one at 0 stays 0 and is not visited. */
	for (size_t i = 0; i <= 1000; i += 100)
		cooccur_add(&c, i);
	cooccur_sub(&c, 700);
	cr_assert_null(c.counts);
	for (size_t i = 0; i < 1000; i++)
		if (i != 700)
			cooccur_add(&c, i);
	cr_assert_not_null(c.counts, "most of 0..1000 met: dense");
	cr_assert_eq(c.cap, 1024);
	cr_assert_eq(c.n, 1000);
	cr_assert_eq(cooccur_get(&c, 300), 2);
	cr_assert_eq(cooccur_get(&c, 301), 1);
	cr_assert_eq(cooccur_get(&c, 700), 0);
	cr_assert_eq(cooccur_get(&c, 1000), 1);
	pos = 0;
	seen = 0;
	while (cooccur_next(&c, &pos, &other, &count)) {
		cr_assert_neq(other, 700);
		seen++;
	}
	cr_assert_eq(seen, 1000);
	cooccur_free(&c);
}

static struct page *add(struct site *s, const char *out, struct entity *e)
{
	struct page *p = site_add_page(s);
	p->out = strdup(out);
	p->src = NULL;
	p->entity = e;
	if (e)
		e->page = p;
	return p;
}

Test(mentions, files_and_their_paths)
{
	struct site s;
	site_init(&s);
	struct entity *e = calloc(1, sizeof(*e)), *f = calloc(1, sizeof(*f));
	add(&s, "entities/acme.html", e);
	add(&s, "entities/bolt.html", f);
	add(&s, "notes/page-2.html", NULL);
	struct diag d;
	diag_init(&d);
	site_sort(&s, &d);
	e->npages = 2 * ENTITY_PAGE_SIZE + 50;
	f->npages = ENTITY_PAGE_SIZE;
	cr_assert_eq(entity_files(e), 3);
	cr_assert_eq(entity_files(f), 1);
	f->npages = ENTITY_PAGE_SIZE + 1;
	cr_assert_eq(entity_files(f), 2);
	f->npages = 0;
	cr_assert_eq(entity_files(f), 1, "an entity nobody mentions still has its page");
	f->npages = ENTITY_PAGE_SIZE + 1;
	struct strbuf out = STRBUF_INIT;
	entity_file_out(e, 1, &out);
	cr_assert_str_eq(out.ptr, "entities/acme.html");
	entity_file_out(e, 3, &out);
	cr_assert_str_eq(out.ptr, "entities/acme/page-3.html");
	size_t k = 0;
	cr_assert_eq(entity_file_owner(&s, "entities/acme/page-3.html", &k), e);
	cr_assert_eq(k, 3);
	cr_assert_eq(entity_file_owner(&s, "entities/bolt/page-2.html", &k), f);
	cr_assert_null(entity_file_owner(&s, "entities/acme/page-4.html", &k));
	cr_assert_null(entity_file_owner(&s, "entities/acme/page-1.html", &k));
	cr_assert_null(entity_file_owner(&s, "entities/acme/page-03.html", &k));
	cr_assert_null(entity_file_owner(&s, "entities/acme/page-2.htm", &k));
	cr_assert_null(entity_file_owner(&s, "notes/page-2.html", &k));
	cr_assert_null(entity_file_owner(&s, "page-2.html", &k));
	sb_free(&out);
	for (size_t i = 0; i < s.npages; i++)
		s.pages[i]->entity = NULL;
	free(e);
	free(f);
	site_free(&s);
	diag_free(&d);
}

/* The rule render shows snippets by and link cuts them by: every page
 * while few mention the entity, else only the top, which mention it most. */
Test(mentions, snippets_shown_for_few_pages_or_the_top)
{
	cr_assert(entity_run_shows_snippets(ENTITY_SNIPPET_PAGES, 0, ENTITY_SNIPPET_PAGES - 1));
	cr_assert(entity_run_shows_snippets(1, 0, 0));
	cr_assert(entity_run_shows_snippets(ENTITY_SNIPPET_PAGES + 1, ENTITY_TOP_PAGES, 0));
	cr_assert(entity_run_shows_snippets(ENTITY_SNIPPET_PAGES + 1, ENTITY_TOP_PAGES, ENTITY_TOP_PAGES - 1));
	cr_assert_not(entity_run_shows_snippets(ENTITY_SNIPPET_PAGES + 1, ENTITY_TOP_PAGES, ENTITY_TOP_PAGES));

	enum { NP = ENTITY_SNIPPET_PAGES + 10 };
	static struct page pages[NP];
	static char outs[NP][16];
	struct entity e = { 0 };
	size_t want = 0;
	for (size_t i = 0; i < NP; i++) {
		snprintf(outs[i], sizeof(outs[i]), "p/%03zu.html", i);
		pages[i].out = outs[i];
		pages[i].section = "";
		/* pages 7, 20, 33, 46, 59 mention it 4 times, the others once */
		size_t n = i % 13 == 7 ? 4 : 1;
		for (size_t k = 0; k < n; k++) {
			e.mentions = realloc(e.mentions, (e.nmentions + 1) * sizeof(*e.mentions));
			e.mentions[e.nmentions++] = (struct mention){ .page = &pages[i] };
		}
		e.npages++;
		want += n == 4;
	}
	cr_assert_eq(want, ENTITY_TOP_PAGES);
	size_t nruns = 0, top = 0;
	struct mention_run *runs = mention_list(&e, &nruns, &top);
	cr_assert_eq(nruns, NP);
	cr_assert_eq(top, ENTITY_TOP_PAGES);
	size_t shown = 0;
	for (size_t i = 0; i < nruns; i++) {
		bool s = entity_run_shows_snippets(nruns, top, i);
		shown += s;
		cr_assert_eq(s, runs[i].count == 4, "entry %zu (%s)", i, runs[i].first->page->out);
	}
	cr_assert_eq(shown, ENTITY_TOP_PAGES);
	free(runs);
	/* Few pages: every one shows its snippets, and there is no top. */
	e.npages = 0;
	e.nmentions = 0;
	for (size_t i = 0; i < ENTITY_SNIPPET_PAGES; i++) {
		e.mentions[e.nmentions++] = (struct mention){ .page = &pages[i] };
		e.npages++;
	}
	runs = mention_list(&e, &nruns, &top);
	cr_assert_eq(top, 0);
	for (size_t i = 0; i < nruns; i++)
		cr_assert(entity_run_shows_snippets(nruns, top, i));
	free(runs);
	free(e.mentions);
}

/* The entity of slug e<i> on site s. */
static const struct entity *entity_n(const struct site *s, size_t i)
{
	char slug[16];
	snprintf(slug, sizeof(slug), "e%02zu", i);
	for (size_t k = 0; k < s->nentities; k++)
		if (!strcmp(s->entities[k]->slug, slug))
			return s->entities[k];
	cr_assert_fail("no entity %s", slug);
	return NULL;
}

/* A paragraph naming more than COOCCUR_GROUP_MAX entities relates none
 * of them (counting its pairs would cost their square); one naming
 * COOCCUR_GROUP_MAX relates each pair once. Every entity is still a
 * mention of the page. */
Test(mentions, a_paragraph_of_too_many_entities_relates_none)
{
	enum { N = COOCCUR_GROUP_MAX + 1 };
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "site.toml", "title = \"T\"\ntheme = \"plain\"\n[history]\nenabled = false\n");
	struct strbuf all = STRBUF_INIT, most = STRBUF_INIT;
	for (size_t i = 0; i < N; i++) {
		char rel[64], text[128];
		snprintf(rel, sizeof(rel), "content/entities/e%02zu.md", i);
		snprintf(text, sizeof(text), "+++\ntitle = \"Entity%02zu\"\nkind = \"organization\"\n+++\nAn entity.\n", i);
		unit_site_write(&u, rel, text);
		sb_printf(&all, "%sEntity%02zu", i ? ", " : "", i);
		if (i >= 1)
			sb_printf(&most, "%sEntity%02zu", i > 1 ? ", " : "", i);
	}
	struct strbuf topic = STRBUF_INIT;
	sb_printf(&topic, "+++\ntitle = \"Topic\"\n+++\n%s.\n\n%s.\n", all.ptr, most.ptr);
	unit_site_write(&u, "content/topics/t.md", topic.ptr);
	char *diags = NULL;
	cr_assert_eq(unit_site_load(&u), 0, "%s", (diags = unit_site_diags(&u.d)));
	free(diags);
	/* Entity00 is only in the paragraph of N: related to none. */
	const struct entity *e0 = entity_n(&u.s, 0);
	cr_expect_eq(e0->nmentions, 1);
	for (size_t i = 1; i < N; i++)
		cr_expect_eq(cooccur_get(&e0->cooccur, entity_n(&u.s, i)->index), 0, "e00, e%02zu", i);
	/* The others share the second paragraph (COOCCUR_GROUP_MAX of them):
	 * once a pair, not twice. */
	for (size_t i = 1; i < N; i++) {
		const struct entity *e = entity_n(&u.s, i);
		cr_expect_eq(e->nmentions, 2);
		for (size_t j = 1; j < N; j++)
			if (j != i)
				cr_expect_eq(cooccur_get(&e->cooccur, entity_n(&u.s, j)->index), 1,
					     "e%02zu, e%02zu", i, j);
	}
	sb_free(&all);
	sb_free(&most);
	sb_free(&topic);
	unit_site_free(&u);
}
