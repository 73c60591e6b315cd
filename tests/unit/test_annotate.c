#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "annotate.h"
#include "diag.h"
#include "strbuf.h"

#define MARK(n) "<mark class=\"annotation\" id=\"a" #n "\" data-note=\"a" #n "-note\">"
#define MARKC(n) "<mark class=\"annotation\" data-note=\"a" #n "-note\">"
#define REF(n)                                                         \
	"<a class=\"annotation-ref\" href=\"#a" #n "-note\" id=\"a" #n \
	"-ref\" aria-describedby=\"a" #n "-note\">" #n "</a>"
#define ASIDE(n, html)                                    \
	"<aside class=\"annotation-note\" id=\"a" #n      \
	"-note\" aria-label=\"Annotation " #n "\"><span " \
	"class=\"annotation-num\">" #n "</span>\n" html "</aside>\n"

static cmark_node *parse(const char *md)
{
	return cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
}

static struct annotation ann(const char *quote, const char *prefix,
			     const char *suffix, int number)
{
	return (struct annotation){
		.quote = quote,
		.prefix = prefix,
		.suffix = suffix,
		.note = parse("Note."),
		.file = "content/articles/a.txt",
		.line = 20,
		.col = 1,
		.number = number,
	};
}

struct run {
	int rc;
	char *html;
	char *err; /* the first diagnostic, or NULL */
	int errors;
};

/* Applies `n` annotations to `md` and renders the document (default, safe
 * options); frees the notes. */
static struct run run(const char *md, struct annotation *a, size_t n)
{
	struct run r = { 0 };
	struct diag d;
	cmark_node *doc = parse(md);

	diag_init(&d);
	r.rc = annotate_apply(doc, a, n, &d);
	r.html = cmark_render_html(doc, CMARK_OPT_DEFAULT, NULL);
	r.errors = d.errors;
	if (d.n > 0)
		diag_format(&d.items[0], &r.err);
	for (size_t i = 0; i < n; i++)
		cmark_node_free(a[i].note);
	cmark_node_free(doc);
	diag_free(&d);
	return r;
}

static void run_free(struct run *r)
{
	free(r->html);
	free(r->err);
}

static void expect_html(const char *md, struct annotation *a, size_t n,
			const char *want)
{
	struct run r = run(md, a, n);

	cr_assert_eq(r.rc, 0, "%s", r.err ? r.err : "");
	cr_assert_str_eq(r.html, want);
	run_free(&r);
}

static void expect_error(const char *md, struct annotation a, const char *msg)
{
	struct run r = run(md, &a, 1);
	cmark_node *doc = parse(md);
	char *plain = cmark_render_html(doc, CMARK_OPT_DEFAULT, NULL);

	cr_assert_eq(r.rc, -1);
	cr_assert_eq(r.errors, 1);
	cr_assert_str_eq(r.err, msg);
	cr_assert_str_eq(r.html, plain, "a failed annotation changed the text");
	free(plain);
	cmark_node_free(doc);
	run_free(&r);
}

/* The expected HTML below is string literals around macros (MARK, REF, ASIDE), broken
 * where it reads best; clang-format would join each into one line. */
/* clang-format off */
Test(annotate, unique_match)
{
	struct annotation a = ann("beta", NULL, NULL, 1);
	struct run r;
	cmark_node *doc = parse("Alpha beta gamma.\n\nDelta.\n");
	struct diag d;

	diag_init(&d);
	cr_assert_eq(annotate_apply(doc, &a, 1, &d), 0);
	cr_assert_eq(a.block_out, cmark_node_first_child(doc));
	cr_assert_eq(a.leaf_out, a.block_out);
	cr_assert_eq(a.aside_out, cmark_node_next(a.block_out));
	cr_assert_eq(cmark_node_get_type(cmark_node_first_child(a.aside_out)),
		     CMARK_NODE_PARAGRAPH);
	cr_assert_null(cmark_node_first_child(a.note), "note children not moved");
	cmark_node_free(a.note);
	cmark_node_free(doc);
	diag_free(&d);

	a = ann("beta", NULL, NULL, 1);
	r = run("Alpha beta gamma.\n\nDelta.\n", &a, 1);
	cr_assert_str_eq(r.html, "<p>Alpha " MARK(1) "beta</mark>" REF(1)
				 " gamma.</p>\n" ASIDE(1, "<p>Note.</p>\n")
				 "<p>Delta.</p>\n");
	run_free(&r);
}

Test(annotate, missing_quote)
{
	expect_error("Alpha beta.\n", ann("zeta", NULL, NULL, 1),
		     "content/articles/a.txt:20:1: error: annotation quote 'zeta' "
		     "matches nothing");
	expect_error("Alpha beta.\n", ann("  ", NULL, NULL, 1),
		     "content/articles/a.txt:20:1: error: annotation quote is empty");
}

Test(annotate, ambiguous_quote)
{
	expect_error("Beta one. Beta two.\n\nAnd Beta three.\n",
		     ann("Beta", NULL, NULL, 1),
		     "content/articles/a.txt:20:1: error: annotation quote 'Beta' "
		     "matches 3 times; add a prefix or suffix to pick one");
}

Test(annotate, prefix_picks_one)
{
	struct annotation a = ann("Beta", "one.", NULL, 1);

	expect_html("Beta one. Beta two.\n", &a, 1,
		    "<p>Beta one. " MARK(1) "Beta</mark>" REF(1) " two.</p>\n" ASIDE(
			    1, "<p>Note.</p>\n"));
}

Test(annotate, suffix_picks_one)
{
	struct annotation a = ann("Beta", NULL, " one", 1);

	expect_html("Beta one. Beta two.\n", &a, 1,
		    "<p>" MARK(1) "Beta</mark>" REF(1) " one. Beta two.</p>\n" ASIDE(
			    1, "<p>Note.</p>\n"));
}

Test(annotate, prefix_across_paragraphs)
{
	struct annotation a = ann("Beta", "First.", NULL, 1);

	expect_html("First.\n\nBeta.\n\nBeta.\n", &a, 1,
		    "<p>First.</p>\n<p>" MARK(1) "Beta</mark>" REF(1) ".</p>\n" ASIDE(
			    1, "<p>Note.</p>\n") "<p>Beta.</p>\n");
}

Test(annotate, prefix_matches_none)
{
	expect_error("Beta one. Beta two.\n", ann("Beta", "three", NULL, 1),
		     "content/articles/a.txt:20:1: error: annotation quote 'Beta' "
		     "matches 2 times, but none has the given prefix/suffix");
}

Test(annotate, still_ambiguous_with_prefix)
{
	expect_error("A Beta. A Beta.\n", ann("Beta", "A", NULL, 1),
		     "content/articles/a.txt:20:1: error: annotation quote 'Beta' "
		     "matches 2 times with the given prefix/suffix; make them longer");
}

Test(annotate, across_emphasis_whole)
{
	struct annotation a = ann("big world", NULL, NULL, 1);

	expect_html("Hello *big* world.\n", &a, 1,
		    "<p>Hello " MARK(1) "<em>big</em> world</mark>" REF(1) ".</p>\n" ASIDE(
			    1, "<p>Note.</p>\n"));
}

Test(annotate, across_emphasis_partial)
{
	struct annotation a = ann("lo bi", NULL, NULL, 1);

	expect_html("Hello **big** world.\n", &a, 1,
		    "<p>Hel" MARK(1) "lo </mark><strong>" MARKC(1) "bi</mark>" REF(1)
		    "g</strong> world.</p>\n" ASIDE(1, "<p>Note.</p>\n"));
}

Test(annotate, across_link_whole)
{
	struct annotation a = ann("the docs now", NULL, NULL, 1);

	expect_html("See [the docs](http://x.org) now.\n", &a, 1,
		    "<p>See " MARK(1) "<a href=\"http://x.org\">the docs</a> "
		    "now</mark>" REF(1) ".</p>\n" ASIDE(1, "<p>Note.</p>\n"));
}

Test(annotate, across_link_partial_ref_outside_link)
{
	struct annotation a = ann("See the", NULL, NULL, 1);

	expect_html("See [the docs](http://x.org) now.\n", &a, 1,
		    "<p>" MARK(1) "See </mark><a href=\"http://x.org\">" MARKC(1)
		    "the</mark> docs</a>" REF(1) " now.</p>\n" ASIDE(
			    1, "<p>Note.</p>\n"));
}

Test(annotate, inline_code_wrapped_whole)
{
	struct annotation a = ann("ke all no", NULL, NULL, 1);

	expect_html("Run `make all` now.\n", &a, 1,
		    "<p>Run " MARK(1) "<code>make all</code> no</mark>" REF(1)
		    "w.</p>\n" ASIDE(1, "<p>Note.</p>\n"));
}

Test(annotate, curly_and_straight_quotes_equal)
{
	struct annotation a = ann("said \"hello\" and it's", NULL, NULL, 1);
	struct annotation b = ann("‘open’ “source”", NULL, NULL, 1);

	expect_html("He said “hello” and it’s fine.\n", &a, 1,
		    "<p>He " MARK(1) "said “hello” and it’s</mark>" REF(1)
		    " fine.</p>\n" ASIDE(1, "<p>Note.</p>\n"));
	expect_html("It is 'open' \"source\".\n", &b, 1,
		    "<p>It is " MARK(1) "'open' &quot;source&quot;</mark>" REF(1)
		    ".</p>\n" ASIDE(1, "<p>Note.</p>\n"));
}

Test(annotate, whitespace_differences)
{
	struct annotation a = ann("  Alpha \n beta\tgamma ", NULL, NULL, 1);

	expect_html("Alpha\nbeta   gamma delta\n", &a, 1,
		    "<p>" MARK(1) "Alpha\nbeta   gamma</mark>" REF(1) " delta</p>\n" ASIDE(
			    1, "<p>Note.</p>\n"));
}

Test(annotate, across_paragraphs_of_one_quote)
{
	struct annotation a = ann("wrong. The correct", NULL, NULL, 1);

	expect_html("> You are reading this wrong.\n>\n> The correct reading.\n\n"
		    "After.\n",
		    &a, 1,
		    "<blockquote>\n<p>You are reading this " MARK(1) "wrong.</mark></p>\n"
		    "<p>" MARKC(1) "The correct</mark>" REF(1) " reading.</p>\n"
		    "</blockquote>\n" ASIDE(1, "<p>Note.</p>\n") "<p>After.</p>\n");
}

Test(annotate, never_across_top_level_blocks)
{
	expect_error("One end.\n\nTwo start.\n", ann("end. Two", NULL, NULL, 1),
		     "content/articles/a.txt:20:1: error: annotation quote 'end. "
		     "Two' matches nothing");
	expect_error("- One end.\n- Two start.\n", ann("end. Two", NULL, NULL, 1),
		     "content/articles/a.txt:20:1: error: annotation quote 'end. "
		     "Two' matches nothing");
}

Test(annotate, in_list_item_note_after_list)
{
	struct annotation a = ann("Two", NULL, NULL, 1);
	cmark_node *doc = parse("- One.\n- Two.\n\nAfter.\n");
	struct diag d;
	char *html;

	diag_init(&d);
	cr_assert_eq(annotate_apply(doc, &a, 1, &d), 0);
	cr_assert_eq(cmark_node_get_type(a.block_out), CMARK_NODE_LIST);
	cr_assert_eq(cmark_node_get_type(a.leaf_out), CMARK_NODE_PARAGRAPH);
	cr_assert_eq(cmark_node_parent(a.leaf_out),
		     cmark_node_last_child(a.block_out), "not in the second item");
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT, NULL);
	cr_assert_str_eq(html, "<ul>\n<li>One.</li>\n<li>" MARK(1) "Two</mark>" REF(1)
			       ".</li>\n</ul>\n" ASIDE(1, "<p>Note.</p>\n")
			       "<p>After.</p>\n");
	free(html);
	cmark_node_free(a.note);
	cmark_node_free(doc);
	diag_free(&d);
}

Test(annotate, in_heading)
{
	struct annotation a = ann("Impact", NULL, NULL, 3);

	expect_html("## Market Impact\n\nText.\n", &a, 1,
		    "<h2>Market " MARK(1) "Impact</mark>" REF(1) "</h2>\n" ASIDE(
			    1, "<p>Note.</p>\n") "<p>Text.</p>\n");
	cr_assert_eq(a.number, 1, "the caller's number is replaced by the reading order");
}

Test(annotate, notes_in_order_after_one_block)
{
	struct annotation a[] = {ann("Alpha", NULL, NULL, 1),
				 ann("gamma", NULL, NULL, 2)};

	cmark_node_free(a[1].note);
	a[1].note = parse("Second *note*.\n\nTwo paragraphs.");
	expect_html("Alpha beta gamma.\n\nDelta.\n", a, 2,
		    "<p>" MARK(1) "Alpha</mark>" REF(1) " beta " MARK(2)
		    "gamma</mark>" REF(2) ".</p>\n" ASIDE(1, "<p>Note.</p>\n")
			    ASIDE(2, "<p>Second <em>note</em>.</p>\n<p>Two "
				     "paragraphs.</p>\n") "<p>Delta.</p>\n");
}

Test(annotate, overlapping_annotations)
{
	struct annotation a[] = {ann("beta", NULL, NULL, 1),
				 ann("Alpha beta", NULL, NULL, 2)};

	/* "Alpha beta" starts first, so it is note 1 and is applied first. */
	expect_html("Alpha beta gamma.\n", a, 2,
		    "<p>" MARK(1) "Alpha " MARK(2) "beta</mark>" REF(2) "</mark>" REF(1)
		    " gamma.</p>\n" ASIDE(1, "<p>Note.</p>\n")
			    ASIDE(2, "<p>Note.</p>\n"));
	cr_assert_eq(a[0].number, 2);
	cr_assert_eq(a[1].number, 1);
}

/* Numbers follow the text, not the header: ③④②① becomes ①②③④. */
Test(annotate, numbered_in_reading_order)
{
	struct annotation a[] = {ann("delta", NULL, NULL, 1), ann("gamma", NULL, NULL, 2),
				 ann("Alpha", NULL, NULL, 3), ann("epsilon", NULL, NULL, 4)};

	expect_html("Alpha beta gamma.\n\ndelta epsilon.\n", a, 4,
		    "<p>" MARK(1) "Alpha</mark>" REF(1) " beta " MARK(2) "gamma</mark>" REF(2)
		    ".</p>\n" ASIDE(1, "<p>Note.</p>\n") ASIDE(2, "<p>Note.</p>\n")
		    "<p>" MARK(3) "delta</mark>" REF(3) " " MARK(4) "epsilon</mark>" REF(4)
		    ".</p>\n" ASIDE(3, "<p>Note.</p>\n") ASIDE(4, "<p>Note.</p>\n"));
	cr_assert_eq(a[0].number, 3);
	cr_assert_eq(a[1].number, 2);
	cr_assert_eq(a[2].number, 1);
	cr_assert_eq(a[3].number, 4);
}

Test(annotate, failed_ones_reported_others_applied)
{
	struct annotation a[] = {ann("zeta", NULL, NULL, 1),
				 ann("beta", NULL, NULL, 2)};
	struct run r = run("Alpha beta.\n", a, 2);

	cr_assert_eq(r.rc, -1);
	cr_assert_eq(r.errors, 1);
	cr_assert_null(a[0].block_out);
	cr_assert_null(a[0].leaf_out);
	cr_assert_null(a[0].aside_out);
	cr_assert_not_null(a[1].block_out);
	/* The one that failed is numbered after those that match. */
	cr_assert_eq(a[0].number, 2);
	cr_assert_str_eq(r.html, "<p>Alpha " MARK(1) "beta</mark>" REF(1) ".</p>\n" ASIDE(
					 1, "<p>Note.</p>\n"));
	run_free(&r);
}

/* An article as the converter makes it, through cmark-gfm's extensions. */
Test(annotate, gfm_article_tree)
{
	struct annotation a = ann("Hang Seng Tech Index climbed", NULL, NULL, 1);
	cmark_parser *p;
	cmark_node *doc;
	struct diag d;
	char *html;
	const char *md = "## Market Impact\n\n- **Mixed Asian Reactions:** "
			 "Markets rallied.\n  - The Hang Seng Tech Index climbed "
			 "2%.\n";

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
	cmark_parser_attach_syntax_extension(
		p, cmark_find_syntax_extension("strikethrough"));
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	diag_init(&d);
	cr_assert_eq(annotate_apply(doc, &a, 1, &d), 0);
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT, NULL);
	cr_assert_str_eq(html, "<h2>Market Impact</h2>\n<ul>\n<li><strong>Mixed Asian "
			       "Reactions:</strong> Markets rallied.\n<ul>\n<li>The " MARK(
				       1) "Hang Seng Tech Index climbed</mark>" REF(1)
			       " 2%.</li>\n</ul>\n</li>\n</ul>\n" ASIDE(1, "<p>Note.</p>\n"));
	free(html);
	cmark_node_free(a.note);
	cmark_node_free(doc);
	cmark_parser_free(p);
	diag_free(&d);
}

Test(annotate, notes_are_not_article_text)
{
	struct annotation a[] = {ann("Alpha", NULL, NULL, 1),
				 ann("Note", NULL, NULL, 2)};
	struct run r = run("Alpha beta.\n", a, 2);

	cr_assert_eq(r.rc, -1);
	cr_assert_str_eq(r.err, "content/articles/a.txt:20:1: error: annotation "
				"quote 'Note' matches nothing");
	run_free(&r);
}

/* Found by fuzzing: a table cell takes no custom inline, so cmark refused
 * the mark, which then took the quoted text out of the tree (lost text and
 * a leak). Such a quote is now an error and the table is untouched. */
Test(annotate, quote_in_table_is_an_error)
{
	const char *md = "| Firm | Cost |\n|---|---|\n| Acme | $5.6 million |\n\n"
			 "Acme spent $5.6 million.\n";
	struct annotation a[] = {ann("Acme | $5.6", NULL, NULL, 1),
				 ann("$5.6 million", NULL, ".", 2)};
	cmark_parser *p;
	cmark_node *doc;
	struct diag d;
	char *err, *html, *before;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	before = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
	a[0].quote = "Acme $5.6 million";
	diag_init(&d);
	cr_assert_eq(annotate_apply(doc, a, 2, &d), -1);
	cr_assert_eq(d.errors, 1);
	diag_format(&d.items[0], &err);
	cr_assert_str_eq(err, "content/articles/a.txt:20:1: error: annotation quote "
			      "'Acme $5.6 million' lies in a table, which cannot hold "
			      "annotation marks");
	cr_assert_null(a[0].block_out);
	cr_assert_null(a[0].aside_out);
	cr_assert_not_null(a[1].aside_out, "the quote outside the table is applied");
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
	/* The table renders as before; the paragraph after it is marked. */
	cr_assert_eq(strncmp(html, before, strstr(before, "<p>") - before), 0, "%s", html);
	/* The one applied is note 1 in reading order; the failed one comes last. */
	cr_assert_not_null(strstr(html, "Acme spent " MARK(1) "$5.6 million</mark>" REF(1) ".</p>"), "%s", html);
	free(err);
	free(html);
	free(before);
	cmark_node_free(a[0].note);
	cmark_node_free(a[1].note);
	cmark_node_free(doc);
	cmark_parser_free(p);
	diag_free(&d);
}

/* Many annotations, one per paragraph and several on one paragraph (each
 * note after the notes before it), all applied in one call: the search
 * of all quotes at once must find each of them exactly where the quotes
 * searched one by one would. */
Test(annotate, many_annotations_one_pass)
{
	enum { N = 3000 };
	struct strbuf md = STRBUF_INIT;
	static struct annotation a[N + 3];
	static char quotes[N][32];
	struct diag d;

	for (int i = 0; i < N; i++) {
		sb_printf(&md, "Paragraph number %d says w%dx here.\n\n", i, i);
		snprintf(quotes[i], sizeof quotes[i], "w%dx", i);
		a[i] = ann(quotes[i], NULL, NULL, i + 1);
	}
	sb_puts(&md, "Last one, last two, last three.\n");
	a[N] = ann("last", "one,", NULL, N + 1);
	a[N + 1] = ann("last", NULL, "three", N + 2);
	a[N + 2] = ann("Last one", NULL, NULL, N + 3);
	cmark_node *doc = parse(md.ptr);
	diag_init(&d);
	cr_assert_eq(annotate_apply(doc, a, N + 3, &d), 0);
	cr_assert_eq(d.errors, 0);
	cmark_node *b = cmark_node_first_child(doc);
	for (int i = 0; i < N; i++) {
		cr_assert_eq(a[i].block_out, b, "annotation %d", i + 1);
		cr_assert_eq(a[i].aside_out, cmark_node_next(b), "annotation %d", i + 1);
		b = cmark_node_next(cmark_node_next(b));
	}
	cr_assert_eq(a[N].block_out, b);
	/* Reading order: "Last one" comes first, whatever the declaration. */
	cr_assert_eq(cmark_node_next(b), a[N + 2].aside_out);
	cr_assert_eq(cmark_node_next(a[N + 2].aside_out), a[N].aside_out);
	cr_assert_eq(cmark_node_next(a[N].aside_out), a[N + 1].aside_out);
	cr_assert_eq(a[N + 2].number, 3001);
	cr_assert_eq(a[N].number, 3002);
	cr_assert_eq(a[N + 1].number, 3003);
	char *html = cmark_render_html(b, CMARK_OPT_DEFAULT, NULL);
	cr_assert_str_eq(html, "<p>" MARK(3001) "Last one</mark>" REF(3001) ", " MARK(3002)
			       "last</mark>" REF(3002) " two, " MARK(3003) "last</mark>" REF(3003)
			       " three.</p>\n");
	free(html);
	for (int i = 0; i < N + 3; i++)
		cmark_node_free(a[i].note);
	cmark_node_free(doc);
	diag_free(&d);
	sb_free(&md);
}
/* clang-format on */
