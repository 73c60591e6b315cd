#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

static struct page *add(struct site *s, const char *src, const char *out)
{
	struct page *p = site_add_page(s);
	p->src = src ? xstrdup(src) : NULL;
	p->file = src ? xstrdup(src) : NULL;
	p->out = xstrdup(out);
	p->fm = value_new_table();
	return p;
}

Test(site, sort_orders_by_output_and_indexes_by_source)
{
	struct site s;
	struct diag d;
	site_init(&s);
	diag_init(&d);
	cr_expect_str_eq(s.dir, ".");
	cr_expect_str_eq(s.config_file, "site.toml");
	/* Output order and source order differ: b.md writes a.html. */
	add(&s, "b.md", "a.html");
	add(&s, "a.md", "z.html");
	add(&s, NULL, "claims.html");
	add(&s, "c/x.md", "c/x.html");
	site_sort(&s, &d);
	cr_expect_eq(d.n, 0);
	cr_assert_eq(s.npages, 4);
	const char *outs[] = { "a.html", "c/x.html", "claims.html", "z.html" };
	for (size_t i = 0; i < 4; i++)
		cr_expect_str_eq(s.pages[i]->out, outs[i]);
	cr_assert_eq(s.nby_src, 3, "generated pages have no source");
	cr_expect_str_eq(s.by_src[0]->src, "a.md");
	cr_expect_str_eq(s.by_src[1]->src, "b.md");
	cr_expect_str_eq(s.by_src[2]->src, "c/x.md");
	cr_expect_str_eq(site_find_src(&s, "b.md")->out, "a.html");
	cr_expect_str_eq(site_find_src(&s, "a.md")->out, "z.html");
	cr_expect_str_eq(site_find_out(&s, "claims.html")->out, "claims.html");
	cr_expect_null(site_find_src(&s, "claims.html"));
	cr_expect_null(site_find_src(&s, "c"));
	cr_expect_null(site_find_src(&s, ""));
	cr_expect_null(site_find_out(&s, "a.md"));
	cr_expect_null(site_find_out(&s, "zz.html"));
	site_free(&s);
	diag_free(&d);
}

Test(site, two_pages_writing_one_file_is_an_error_naming_both)
{
	struct site s;
	struct diag d;
	site_init(&s);
	diag_init(&d);
	add(&s, "topics/a.md", "topics/same.html");
	add(&s, "topics/b.md", "topics/same.html");
	add(&s, NULL, "claims.html");
	add(&s, "claims.md", "claims.html");
	add(&s, "topics/c.md", "topics/c.html");
	site_sort(&s, &d);
	cr_assert_eq(d.errors, 2);
	cr_expect_eq(s.npages, 3, "one page of each pair is dropped");
	char *m[2];
	diag_format(&d.items[0], &m[0]);
	diag_format(&d.items[1], &m[1]);
	/* qsort is not stable: either of a pair may be the one kept. */
	cr_expect(!strcmp(m[0], "claims.md:1:1: error: 'claims.html' is also written by a generated page; "
				"give one of them another slug") ||
			  !strcmp(m[0], "claims.html:1:1: error: 'claims.html' is also written by claims.md; give one "
					"of them another slug"),
		  "%s", m[0]);
	cr_expect(!strcmp(m[1], "topics/b.md:1:1: error: 'topics/same.html' is also written by topics/a.md; "
				"give one of them another slug") ||
			  !strcmp(m[1], "topics/a.md:1:1: error: 'topics/same.html' is also written by topics/b.md; "
					"give one of them another slug"),
		  "%s", m[1]);
	free(m[0]);
	free(m[1]);
	/* The index still finds what was kept, and only that. */
	for (size_t i = 1; i < s.npages; i++)
		cr_expect_lt(strcmp(s.pages[i - 1]->out, s.pages[i]->out), 0);
	cr_expect_not_null(site_find_out(&s, "topics/same.html"));
	cr_expect_not_null(site_find_src(&s, "topics/c.md"));
	cr_expect_eq(!!site_find_src(&s, "topics/a.md") + !!site_find_src(&s, "topics/b.md"), 1);
	site_free(&s);
	diag_free(&d);
}

Test(site, sort_of_an_empty_site)
{
	struct site s;
	struct diag d;
	site_init(&s);
	diag_init(&d);
	site_sort(&s, &d);
	cr_expect_eq(s.npages, 0);
	cr_expect_null(site_find_src(&s, "a.md"));
	cr_expect_null(site_find_out(&s, "index.html"));
	site_free(&s);
	diag_free(&d);
}
