#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dump.h"
#include "json.h"
#include "render.h"
#include "theme.h"
#include "unit_site.h"

/* A loaded, linked site and its theme, rendered into <site>/out-N. */
struct rendered {
	struct unit_site u;
	struct theme t;
	char *out;
	int pages;
};

static void load(struct rendered *r, const char *fixture, const char *const *files)
{
	unit_site_make(&r->u, fixture);
	for (; files && files[0]; files += 2)
		unit_site_write(&r->u, files[0], files[1]);
	char *diags = NULL;
	cr_assert_eq(unit_site_load(&r->u), 0, "%s", (diags = unit_site_diags(&r->u.d)));
	free(diags);
	memset(&r->t, 0, sizeof r->t);
	cr_assert_eq(theme_load(&r->t, &r->u.s, &r->u.d), 0, "%s", (diags = unit_site_diags(&r->u.d)));
	free(diags);
	r->out = NULL;
}

static int render_into(struct rendered *r, const char *name)
{
	free(r->out);
	r->out = fs_join(r->u.dir, name);
	cr_assert_eq(fs_mkdir_p(r->out), 0);
	r->pages = render_site(&r->u.s, &r->t, r->out, &r->u.d);
	return r->pages;
}

static void done(struct rendered *r)
{
	theme_free(&r->t);
	free(r->out);
	unit_site_free(&r->u);
}

static char *out_file(struct rendered *r, const char *rel)
{
	char *text = unit_read(r->out, rel, NULL);
	cr_assert_not_null(text, "%s was not written", rel);
	return text;
}

static void expect_in(struct rendered *r, const char *rel, const char *needle)
{
	char *text = out_file(r, rel);
	cr_expect(strstr(text, needle), "%s lacks: %s", rel, needle);
	free(text);
}

static void expect_not_in(struct rendered *r, const char *rel, const char *needle)
{
	char *text = out_file(r, rel);
	cr_expect(!strstr(text, needle), "%s holds: %s", rel, needle);
	free(text);
}

Test(render, basic_pages_carry_citations_ids_and_annotations)
{
	struct rendered r;
	load(&r, "basic", NULL);
	cr_assert_eq(render_into(&r, "out"), (int)r.u.s.npages, "one page written per page of the model");
	cr_expect_eq(r.u.d.errors, 0);
	/* The citation, rewritten from the source path to the output page. */
	expect_in(&r, "topics/costs.html", "href=\"../articles/example-source.html#p3\"");
	expect_in(&r, "topics/costs.html", "Example ¶3");
	expect_in(&r, "topics/costs.html", "class=\"entity\" href=\"../entities/meta.html\"");
	expect_in(&r, "topics/costs.html", "id=\"the-figure\"");
	expect_not_in(&r, "topics/costs.html", "example-source.txt");
	/* Every paragraph numbered; the boilerplate dropped; the annotation. */
	for (int i = 1; i <= 6; i++) {
		char id[32];
		snprintf(id, sizeof id, "id=\"p%d\"", i);
		expect_in(&r, "articles/example-source.html", id);
	}
	expect_not_in(&r, "articles/example-source.html", "id=\"p7\"");
	expect_not_in(&r, "articles/example-source.html", "Subscribe to our newsletter");
	expect_in(&r, "articles/example-source.html", "<mark class=\"annotation\" id=\"a1\"");
	expect_in(&r, "articles/example-source.html", "class=\"cited-by\"");
	/* Generated pages and files. */
	expect_in(&r, "entities/index.html", "href=\"meta.html\"");
	expect_in(&r, "atom.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	expect_in(&r, "annotations.jsonld", "\"exact\": \"spent only $5.6 million\"");
	expect_in(&r, "data/claims.json", "\"cost-figure\"");
	expect_in(&r, "style.css", "{");
	done(&r);
}

Test(render, sitemap_only_with_a_base_url)
{
	struct rendered r;
	load(&r, "basic", NULL);
	render_into(&r, "out");
	char *sitemap = unit_read(r.out, "sitemap.xml", NULL);
	cr_expect_null(sitemap, "no sitemap: its URLs must be absolute");
	free(sitemap);
	done(&r);
	static const char *const files[] = {
		"site.toml", "title = \"T\"\nbase_url = \"https://example.org/sub\"\n[history]\nenabled = false\n",
		NULL
	};
	load(&r, "basic", files);
	render_into(&r, "out");
	expect_in(&r, "sitemap.xml", "<loc>https://example.org/sub/topics/costs.html</loc>");
	expect_not_in(&r, "sitemap.xml", "404.html");
	done(&r);
}

Test(render, redirects_point_at_the_new_page_relatively)
{
	static const char *const files[] = {
		"content/topics/moved.md",
		"+++\ntitle = \"Moved <here>\"\nredirect_from = [\"old/place.html\", \"older/x/index.html\"]\n+++\nText.\n",
		NULL,
	};
	struct rendered r;
	load(&r, "basic", files);
	char *diags = NULL;
	cr_assert_geq(render_into(&r, "out"), 0, "%s", (diags = unit_site_diags(&r.u.d)));
	free(diags);
	expect_in(&r, "old/place.html", "<meta http-equiv=\"refresh\" content=\"0; url=../topics/moved.html\">");
	expect_in(&r, "old/place.html", "<title>Moved &lt;here&gt;</title>");
	expect_in(&r, "older/x/index.html", "url=../../topics/moved.html\"");
	done(&r);
}

Test(render, a_redirect_over_a_page_is_an_error)
{
	static const char *const files[] = {
		"content/topics/moved.md", "+++\ntitle = \"M\"\nredirect_from = [\"topics/costs.html\"]\n+++\n",
		NULL
	};
	struct rendered r;
	load(&r, "basic", files);
	cr_expect_eq(render_into(&r, "out"), -1);
	char *diags = unit_site_diags(&r.u.d);
	cr_expect(strstr(diags, "content/topics/moved.md:3:18: error: redirect_from 'topics/costs.html' must be a "
				"relative path inside the site that no page uses (no '..', no name over 255 bytes)\n"),
		  "%s", diags);
	free(diags);
	/* The page it would have replaced is intact. */
	expect_in(&r, "topics/costs.html", "id=\"the-figure\"");
	done(&r);
}

/* Render only reads the model: the dump is the same before and after,
 * and two renders write the same bytes. */
Test(render, reads_the_model_only_and_is_deterministic)
{
	struct rendered r;
	load(&r, "relations", NULL);
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct value *v = model_dump(&r.u.s);
	json_write(&before, v, 0);
	value_free(v);
	cr_assert_geq(render_into(&r, "one"), 0);
	char *one = xstrdup(r.out);
	cr_assert_geq(render_into(&r, "two"), 0);
	v = model_dump(&r.u.s);
	json_write(&after, v, 0);
	value_free(v);
	cr_expect_str_eq(after.ptr, before.ptr, "render changed the model");
	struct strbuf cmd = STRBUF_INIT;
	sb_printf(&cmd, "diff -r '%s' '%s' >/dev/null", one, r.out);
	cr_expect_eq(system(cmd.ptr), 0, "two renders of one model differ");
	sb_free(&cmd);
	free(one);
	sb_free(&before);
	sb_free(&after);
	done(&r);
}

Test(render, a_write_that_fails_is_reported_and_fails_the_render)
{
	struct rendered r;
	load(&r, "basic", NULL);
	/* "topics" exists as a file where the folder must go. */
	char *out = fs_join(r.u.dir, "out");
	char *blocker = fs_join(out, "topics");
	cr_assert_eq(fs_mkdir_p(out), 0);
	cr_assert_eq(fs_write_file(blocker, "x", 1), 0);
	free(r.out);
	r.out = out;
	r.pages = render_site(&r.u.s, &r.t, r.out, &r.u.d);
	cr_expect_eq(r.pages, -1);
	cr_expect_gt(r.u.d.errors, 0);
	char *diags = unit_site_diags(&r.u.d);
	cr_expect(strstr(diags, "/out/topics/costs.html: error: "), "%s", diags);
	free(diags);
	/* Everything else was still attempted. */
	expect_in(&r, "articles/example-source.html", "id=\"p1\"");
	free(blocker);
	done(&r);
}

Test(render, claims_page_groups_by_status_with_independent_counts)
{
	struct rendered r;
	load(&r, "relations", NULL);
	cr_assert_geq(render_into(&r, "out"), 0);
	char *claims = out_file(&r, "claims.html");
	/* Each claim has one card, linking to its id on its topic. */
	static const char *const ids[] = { "released", "trained-quickly", "cheap", "figure-doubted" };
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		char href[96];
		snprintf(href, sizeof href, "class=\"claim-line\"><a href=\"topics/claims.html#%s\"", ids[i]);
		const char *at = strstr(claims, href);
		cr_expect(at, "%s", href);
		cr_expect(!at || !strstr(at + 1, href), "%s twice", href);
	}
	cr_expect(strstr(claims, "class=\"status status-consistent\""), "the consistent group");
	cr_expect(strstr(claims, "class=\"status status-disputed\""), "the disputed group");
	/* 'released' has two independent sources; the rewrite counts with its original. */
	cr_expect(strstr(claims, "2 independent"), "%s", claims);
	cr_expect(strstr(claims, "Contradicts <a class=\"contradicts\" href=\"topics/claims.html#figure-doubted\">"),
		  "%s", claims);
	free(claims);
	expect_in(&r, "topics/claims.html", "id=\"released\"");
	done(&r);
}

Test(render, entity_pages_link_each_mention_in_context)
{
	struct rendered r;
	load(&r, "basic", NULL);
	cr_assert_geq(render_into(&r, "out"), 0);
	expect_in(&r, "entities/meta.html", "href=\"../articles/example-source.html#p3\"");
	expect_in(&r, "entities/meta.html", "href=\"../topics/costs.html#the-figure\"");
	expect_in(&r, "entities/meta.html", "<mark>Meta</mark>");
	expect_in(&r, "entities.js", "meta");
	done(&r);
}

Test(render, the_search_index_holds_stemmed_terms_of_every_page)
{
	struct rendered r;
	load(&r, "basic", NULL);
	cr_assert_geq(render_into(&r, "out"), 0);
	expect_in(&r, "search/index.js", "window.DOSSIER_SEARCH = {\"v\":2,");
	/* "million" is in the article: its shard holds it. */
	expect_in(&r, "search/t-6d.js", "\"million\":");
	expect_not_in(&r, "search/t-6d.js", "\"Million\"");
	/* Its positions, for phrases, are in a shard of their own. */
	expect_in(&r, "search/p-6d.js", "\"million\":");
	done(&r);
}

/* A section of more than SECTION_PAGE_SIZE pages is listed in files of at
 * most that many (pages/index.html, pages/index-2.html, ...), each linking
 * every other by number; files 2.. carry the section in their trail. */
Test(render, a_long_section_list_is_split_into_files)
{
	struct rendered r;
	unit_site_make(&r.u, "basic");
	unit_sh(r.u.dir, "mkdir -p content/notes && for i in $(seq -w 1 450); do "
			 "printf '+++\\ntitle = \"Note %s\"\\n+++\\nText %s.\\n' $i $i "
			 "> content/notes/n$i.md; done");
	char *diags = NULL;
	cr_assert_eq(unit_site_load(&r.u), 0, "%s", (diags = unit_site_diags(&r.u.d)));
	free(diags);
	memset(&r.t, 0, sizeof r.t);
	cr_assert_eq(theme_load(&r.t, &r.u.s, &r.u.d), 0);
	r.out = NULL;
	cr_assert_geq(render_into(&r, "out"), 0);
	expect_in(&r, "notes/index.html", "450 pages, showing 1–200.");
	expect_in(&r, "notes/index.html", "href=\"n200.html\"");
	expect_not_in(&r, "notes/index.html", "href=\"n201.html\"");
	expect_in(&r, "notes/index.html", "<span aria-current=\"page\">1</span>");
	expect_in(&r, "notes/index.html", "<a href=\"index-2.html\" rel=\"next\">2</a>");
	expect_in(&r, "notes/index.html", "<a href=\"index-3.html\">3</a>");
	expect_in(&r, "notes/index-2.html", "<title>Notes: 201–400 · ");
	expect_in(&r, "notes/index-2.html", "href=\"n201.html\"");
	expect_in(&r, "notes/index-2.html", "<a href=\"index.html\" rel=\"prev\">1</a>");
	expect_in(&r, "notes/index-2.html", "<li><a href=\"index.html\">Notes</a></li>");
	expect_in(&r, "notes/index-3.html", "450 pages, showing 401–450.");
	expect_in(&r, "notes/index-3.html", "href=\"n450.html\"");
	char *none = unit_read(r.out, "notes/index-4.html", NULL);
	cr_expect_null(none, "a fourth file for 450 pages");
	free(none);
	done(&r);
}

/* A content page at the path of a later file of a section list is
 * reported, and keeps its path. */
Test(render, a_page_at_a_section_files_path_is_an_error)
{
	struct rendered r;
	unit_site_make(&r.u, "basic");
	unit_sh(r.u.dir, "mkdir -p content/notes && for i in $(seq -w 1 210); do "
			 "printf '+++\\ntitle = \"Note %s\"\\n+++\\nText.\\n' $i > content/notes/n$i.md; "
			 "done && printf '+++\\ntitle = \"Mine\"\\n+++\\nMine.\\n' > content/notes/index-2.md");
	char *diags = NULL;
	cr_assert_eq(unit_site_load(&r.u), 0, "%s", (diags = unit_site_diags(&r.u.d)));
	free(diags);
	memset(&r.t, 0, sizeof r.t);
	cr_assert_eq(theme_load(&r.t, &r.u.s, &r.u.d), 0);
	r.out = NULL;
	cr_assert_lt(render_into(&r, "out"), 0);
	diags = unit_site_diags(&r.u.d);
	cr_expect(strstr(diags, "notes/index-2.html: error: the list of notes/index.html continues "
				"in this file"),
		  "%s", diags);
	free(diags);
	expect_in(&r, "notes/index-2.html", "<title>Mine · ");
	done(&r);
}

/* Past PRINT_MAX_PAGES pages, print.html is the contents alone, linking to
 * each page's file, and the footers do not offer it. */
Test(render, print_html_of_a_large_dossier_is_its_contents)
{
	struct rendered r;
	unit_site_make(&r.u, "basic");
	unit_sh(r.u.dir, "for i in $(seq -w 1 1000); do "
			 "printf '+++\\ntitle = \"Topic %s\"\\n+++\\nText.\\n' $i > content/topics/t$i.md; "
			 "done");
	char *diags = NULL;
	cr_assert_eq(unit_site_load(&r.u), 0, "%s", (diags = unit_site_diags(&r.u.d)));
	free(diags);
	memset(&r.t, 0, sizeof r.t);
	cr_assert_eq(theme_load(&r.t, &r.u.s, &r.u.d), 0);
	r.out = NULL;
	cr_assert_geq(render_into(&r, "out"), 0);
	expect_in(&r, "print.html", "more than one document can hold for printing (at most 1000)");
	expect_in(&r, "print.html", "<li><a href=\"topics/t0001.html\">Topic 0001</a></li>");
	expect_not_in(&r, "print.html", "<article class=\"print-page");
	expect_not_in(&r, "topics/t0001.html", "print.html");
	done(&r);
}

/* A small dossier's print.html holds every page, and every footer links it. */
Test(render, print_html_of_a_small_dossier_holds_every_page)
{
	struct rendered r;
	load(&r, "basic", NULL);
	cr_assert_geq(render_into(&r, "out"), 0);
	expect_in(&r, "print.html", "<article class=\"print-page print-topic\" id=\"pg-topics-costs-html\"");
	expect_in(&r, "print.html", "href=\"#pg-topics-costs-html\"");
	expect_in(&r, "topics/costs.html", "<a href=\"../print.html\">");
	done(&r);
}

/* Links and headings that would print as nothing: "[ ](x.md)" was an
 * invisible link, and a heading without text a nameless link in the table
 * of contents. A link inside the site reads as its target's title, as
 * "[](x.md)" does; one out of it stays as GitHub writes it, with a
 * warning; a blank heading is warned of and left out of the contents. */
Test(render, blank_links_and_headings_read_as_something)
{
	static const char *const files[] = {
		"content/topics/odd.md",
		"+++\ntitle = \"Odd\"\n+++\n## \n\n## Real\n\n### Also\n\n## Last\n\n"
		"See [](https://example.com/a), [ ](https://example.org), [*x*](https://example.net),\n"
		"[ ](costs.md#the-figure) and [](#section).\n",
		NULL,
	};
	struct rendered r;
	load(&r, "basic", files);
	char *diags = unit_site_diags(&r.u.d);
	cr_expect(strstr(diags, "content/topics/odd.md:4:1: warning: heading has no text (it is left out of the table "
				"of contents); give it one or remove it\n"
				"content/topics/odd.md:12:5: warning: link to 'https://example.com/a' has no text: "
				"readers cannot see it; write its text, or <https://example.com/a>\n"
				"content/topics/odd.md:12:32: warning: link to 'https://example.org' has no text: "
				"readers cannot see it; write its text, or <https://example.org>\n"),
		  "%s", diags);
	free(diags);
	cr_assert_geq(render_into(&r, "out"), 0);
	expect_in(&r, "topics/odd.html", "<a href=\"https://example.com/a\"></a>");
	expect_in(&r, "topics/odd.html", "<a href=\"https://example.org\"> </a>");
	expect_in(&r, "topics/odd.html", "<a href=\"https://example.net\"><em>x</em></a>");
	expect_in(&r, "topics/odd.html", "<a href=\"costs.html#the-figure\">The figure</a>");
	expect_in(&r, "topics/odd.html", "<a href=\"#section\">Odd</a>");
	expect_in(&r, "topics/odd.html", "<li><a href=\"#real\">Real</a></li>");
	expect_not_in(&r, "topics/odd.html", "<li><a href=\"#section\">");
	done(&r);
}

/* Ids the generator gives out never meet the theme's ("ds-"): a heading
 * "Ds title" was a second id="ds-title" beside the page's <h1>. And two
 * claims of a page with one id were two rows with one id: an error. */
Test(render, generated_ids_stay_apart_from_the_theme_and_each_other)
{
	static const char *const files[] = {
		"content/topics/ds.md",
		"+++\ntitle = \"DS\"\n\n[[claims]]\nid = \"twice\"\nclaim = \"One\"\nstatus = \"reported\"\n"
		"[[claims.sources]]\ncite = \"../articles/example-source.txt#p3\"\nwording = \"spent only\"\n\n"
		"[[claims]]\nid = \"twice\"\nclaim = \"Two\"\nstatus = \"reported\"\n"
		"[[claims.sources]]\ncite = \"../articles/example-source.txt#p3\"\nwording = \"spent only\"\n"
		"+++\n## Ds title\n\n## Ds title\n\nSee [the first](#ds-title-1).\n",
		NULL,
	};
	struct rendered r;
	load(&r, "basic", files);
	char *diags = unit_site_diags(&r.u.d);
	cr_expect(strstr(diags, "content/topics/ds.md:12:1: error: claim id 'twice' is also the id of the claim on line "
				"4; ids must be unique on a page\n"),
		  "%s", diags);
	free(diags);
	cr_assert_geq(render_into(&r, "out"), 0);
	char *html = out_file(&r, "topics/ds.html");
	cr_expect_eq(strstr(html, "id=\"ds-title\"") ? strstr(strstr(html, "id=\"ds-title\"") + 1, "id=\"ds-title\"") : html,
		     NULL, "one element with id=\"ds-title\", the theme's");
	cr_expect(strstr(html, "<h2 id=\"ds-title-1\">"));
	cr_expect(strstr(html, "<h2 id=\"ds-title-2\">"));
	free(html);
	done(&r);
}
