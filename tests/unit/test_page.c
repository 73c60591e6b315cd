#include <criterion/criterion.h>
#include <string.h>

#include "page.h"
#include "value.h"
#include "xalloc.h"

Test(page, headings_and_kind_names)
{
	struct page p;
	memset(&p, 0, sizeof p);
	struct heading h[2] = { { .id = "intro", .level = 2 }, { .id = "intro-1", .level = 3 } };
	p.headings = h;
	p.nheadings = 2;
	page_index_headings(&p);
	cr_expect_eq(page_find_heading(&p, "intro-1"), &h[1]);
	cr_expect_eq(page_find_heading(&p, "intro"), &h[0]);
	cr_expect_null(page_find_heading(&p, "Intro"));
	cr_expect_str_eq(page_kind_name(PAGE_HOME), "home");
	cr_expect_str_eq(page_kind_name(PAGE_PLAIN), "page");
	cr_expect_str_eq(page_kind_name(PAGE_PRINT), "print");
	for (int k = 0; k < PAGE_KIND_COUNT; k++)
		cr_expect_not_null(page_kind_name((enum page_kind)k));
	free(p.heading_order);
}

/* The lookups find what a scan in page order finds: the first of two with
 * one id, nothing for an id no element has, in any order of the ids. */
Test(page, lookups_by_id_find_the_first_in_page_order)
{
	struct page p;
	memset(&p, 0, sizeof p);
	cr_expect_null(page_find_heading(&p, "x"));
	cr_expect_null(page_find_claim(&p, "x"));
	cr_expect_null(page_find_annotation(&p, 1));
	struct heading h[5] = { { .id = "zeta" }, { .id = "alpha" }, { .id = "mid" }, { .id = "alpha" }, { .id = "" } };
	p.headings = h;
	p.nheadings = 5;
	page_index_headings(&p);
	cr_expect_eq(page_find_heading(&p, "alpha"), &h[1]);
	cr_expect_eq(page_find_heading(&p, "zeta"), &h[0]);
	cr_expect_eq(page_find_heading(&p, "mid"), &h[2]);
	cr_expect_eq(page_find_heading(&p, ""), &h[4]);
	cr_expect_null(page_find_heading(&p, "alph"));
	cr_expect_null(page_find_heading(&p, "alphaa"));
	cr_expect_null(page_find_heading(&p, "zz"));
	struct claim c[3] = { { .id = "b" }, { .id = "a" }, { .id = "b" } };
	p.claims = c;
	p.nclaims = 3;
	page_index_claims(&p);
	cr_expect_eq(page_find_claim(&p, "b"), &c[0]);
	cr_expect_eq(page_find_claim(&p, "a"), &c[1]);
	cr_expect_null(page_find_claim(&p, "c"));
	struct annotation_entry a[3] = { { .number = 1 }, { .number = 2 }, { .number = 7 } };
	p.annotations = a;
	p.nannotations = 3;
	cr_expect_eq(page_find_annotation(&p, 7), &a[2]);
	cr_expect_eq(page_find_annotation(&p, 1), &a[0]);
	cr_expect_null(page_find_annotation(&p, 3));
	cr_expect_null(page_find_annotation(&p, 0));
	free(p.heading_order);
	free(p.claim_order);
}

Test(page, free_releases_what_a_page_owns)
{
	/* Under ASan (make asan) a leak of any of these fails the run. */
	struct page *p = xcalloc(1, sizeof *p);
	p->src = xstrdup("topics/a.md");
	p->file = xstrdup("content/topics/a.md");
	p->out = xstrdup("topics/a.html");
	p->section = xstrdup("topics");
	p->slug = xstrdup("a");
	p->fm = value_new_table();
	value_set_str(p->fm, "title", "A");
	p->title = value_get_str(p->fm, "title", NULL);
	p->doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	page_free(p);
	page_free(NULL);
}
