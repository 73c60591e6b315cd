#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cooccur.h"
#include "mentions.h"

/* The sparse table gives the counts a dense matrix would. */
Test(mentions, cooccur_equals_dense_counts)
{
	enum { N = 300 };
	static unsigned dense[N];
	struct cooccur c = { 0 };
	unsigned x = 12345;
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		size_t other = (x >> 8) % (i % 7 ? 40 : N); /* a few often, many rarely */
		dense[other]++;
		cooccur_add(&c, other);
	}
	size_t distinct = 0;
	for (size_t i = 0; i < N; i++) {
		cr_assert_eq(cooccur_get(&c, i), dense[i], "entity %zu", i);
		distinct += dense[i] != 0;
	}
	cr_assert_eq(c.n, distinct);
	cr_assert(4 * c.n <= 3 * c.cap);
	cooccur_free(&c);
	cr_assert_eq(cooccur_get(&c, 3), 0);
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
