#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"

/* A site of four pages: home, a topics section with one topic, one article,
 * and claims.html (not part of print.html). Pages sorted by output path. */
static struct page home, topics, topic, article, claims;
static struct page *pages[5];
static struct page *kids[1];
static struct site site;

static void page(struct page *p, const char *out, const char *section, enum page_kind k)
{
	memset(p, 0, sizeof *p);
	p->out = (char *)out;
	p->section = (char *)section;
	p->kind = k;
	p->title = out;
}

static void setup(void)
{
	page(&article, "articles/a.html", "articles", PAGE_ARTICLE);
	page(&claims, "claims.html", "", PAGE_CLAIMS);
	page(&home, "index.html", "", PAGE_HOME);
	page(&topics, "topics/index.html", "topics", PAGE_SECTION);
	page(&topic, "topics/t.html", "topics", PAGE_TOPIC);
	kids[0] = &topic;
	topics.children = kids;
	topics.nchildren = 1;
	pages[0] = &article;
	pages[1] = &claims;
	pages[2] = &home;
	pages[3] = &topics;
	pages[4] = &topic;
	memset(&site, 0, sizeof site);
	site.pages = pages;
	site.npages = 5;
}

static char *relocate(const struct page *p, const char *html)
{
	struct print_doc pd;
	struct strbuf out = STRBUF_INIT;
	print_doc_init(&pd, &site);
	print_relocate(&site, &pd, p, html, &out);
	print_doc_free(&pd);
	return sb_detach(&out);
}

static void expect(const struct page *p, const char *html, const char *want)
{
	char *got = relocate(p, html);
	cr_assert_str_eq(got, want);
	free(got);
}

Test(print, reading_order_and_membership, .init = setup)
{
	struct print_doc pd;
	print_doc_init(&pd, &site);
	/* Home, then the topics section's children; no articles section page
	 * here, so the article is not in it; claims never are. */
	cr_assert_eq(pd.n, 2);
	cr_assert_eq(pd.pages[0], &home);
	cr_assert_eq(pd.pages[1], &topic);
	cr_assert(print_doc_has(&pd, &topic));
	cr_assert(!print_doc_has(&pd, &claims));
	cr_assert(!print_doc_has(&pd, &article));
	/* Counted without the list, and far below the limit of a whole document. */
	cr_assert_eq(print_doc_count(&site), pd.n);
	cr_assert(print_doc_whole(&site));
	print_doc_free(&pd);
}

/* Past PRINT_MAX_PAGES pages the document is not whole. */
Test(print, a_large_dossier_is_not_one_document, .init = setup)
{
	topics.nchildren = PRINT_MAX_PAGES; /* home and PRINT_MAX_PAGES topics */
	cr_assert_eq(print_doc_count(&site), PRINT_MAX_PAGES + 1);
	cr_assert(!print_doc_whole(&site));
	topics.nchildren = PRINT_MAX_PAGES - 1;
	cr_assert(print_doc_whole(&site));
	topics.nchildren = 1;
}

Test(print, page_ids, .init = setup)
{
	struct strbuf id = STRBUF_INIT;
	print_page_id(&topic, &id);
	cr_assert_str_eq(id.ptr, "pg-topics-t-html");
	sb_free(&id);
}

Test(print, ids_and_references_get_the_prefix, .init = setup)
{
	expect(&topic, "<h2 id=\"costs\"><a class=\"anchor\" href=\"#costs\">#</a>Costs</h2>",
	       "<h2 id=\"pg-topics-t-html--costs\"><a class=\"anchor\" href=\"#pg-topics-t-html--costs\">#</a>Costs</h2>");
	expect(&topic, "<a class=\"annotation-ref\" href=\"#a1-note\" aria-describedby=\"a1-note x\">1</a>",
	       "<a class=\"annotation-ref\" href=\"#pg-topics-t-html--a1-note\" "
	       "aria-describedby=\"pg-topics-t-html--a1-note pg-topics-t-html--x\">1</a>");
	expect(&topic, "<mark class=\"annotation\" data-note=\"a2-note\">q</mark>",
	       "<mark class=\"annotation\" data-note=\"pg-topics-t-html--a2-note\">q</mark>");
}

Test(print, links_into_the_document_become_fragments, .init = setup)
{
	expect(&topic, "<a href=\"../index.html\">home</a> <a href=\"t.html#x\">self</a>",
	       "<a href=\"#pg-index-html\">home</a> <a href=\"#pg-topics-t-html--x\">self</a>");
	expect(&home, "<a href='topics/t.html#p3'>t</a>", "<a href='#pg-topics-t-html--p3'>t</a>");
}

Test(print, other_links_are_from_the_root, .init = setup)
{
	expect(&topic, "<a href=\"../claims.html#c1\">claims</a><img src=\"../img/x.png\" alt=\"\">",
	       "<a href=\"claims.html#c1\">claims</a><img src=\"img/x.png\" alt=\"\">");
	expect(&topic, "<a href=\"https://example.org/a.html\">x</a><a href=\"mailto:a@b\">m</a>",
	       "<a href=\"https://example.org/a.html\">x</a><a href=\"mailto:a@b\">m</a>");
}

Test(print, text_and_comments_are_copied, .init = setup)
{
	expect(&topic, "<p>a id=\"x\" href=\"t.html\" &lt;b id=\"y\"&gt;</p><!-- <a id=\"z\"> -->",
	       "<p>a id=\"x\" href=\"t.html\" &lt;b id=\"y\"&gt;</p><!-- <a id=\"z\"> -->");
}
