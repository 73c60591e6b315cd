#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "quote.h"
#include "strbuf.h"

/* A link is a citation when its URL ends in "#pN". */
static bool is_cite(cmark_node *link, void *ctx)
{
	(void)ctx;
	const char *u = cmark_node_get_url(link);
	const char *h = u ? strstr(u, "#p") : NULL;
	return h && h[2] >= '0' && h[2] <= '9';
}

/* The quotations found, each as "text@line:col>url,url" joined by " | ". */
static char *collect(const char *md)
{
	cmark_node *doc = markdown_parse(md, strlen(md));
	cmark_consolidate_text_nodes(doc);
	struct quote_use *u = NULL;
	size_t n = quote_collect(doc, markdown_lines_joined(doc), is_cite, NULL, &u);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		sb_printf(&sb, "%s%s@%d:%d>", i ? " | " : "", u[i].text,
			  cmark_node_get_start_line(u[i].node),
			  cmark_node_get_start_column(u[i].node) + (int)u[i].offset);
		for (size_t k = 0; k < u[i].nlinks; k++)
			sb_printf(&sb, "%s%s", k ? "," : "", cmark_node_get_url(u[i].links[k]));
	}
	quote_uses_free(u, n);
	cmark_node_free(doc);
	return sb_detach(&sb);
}

#define COLLECT(md, want)                    \
	do {                                 \
		char *got = collect(md);     \
		cr_assert_str_eq(got, want); \
		free(got);                   \
	} while (0)

Test(quote, curly_and_straight_quotations_before_a_citation)
{
	COLLECT("It said “a fraction of the cost” [](a.txt#p1), and \"billions\" in [x](b.txt#p2).\n",
		"a fraction of the cost@1:9>a.txt#p1 | billions@1:56>b.txt#p2");
}

Test(quote, only_the_last_quotation_before_the_citation)
{
	COLLECT("\"hundreds of millions\" here, \"billions\" in the report [](b.txt#p2).\n",
		"billions@1:30>b.txt#p2");
}

Test(quote, a_sentence_end_breaks_the_binding)
{
	COLLECT("It calls R1 “a gift”. The post is quoted [](a.txt#p5).\n", "");
	/* Nor does a quotation bind across a semicolon or a dash. */
	COLLECT("The cost \"to users\" is vague; the report says [](a.txt#p5).\n", "");
	COLLECT("stronger than “profited from” here — and the essay [](a.txt#p4)\n", "");
	/* Abbreviations do not end a sentence. */
	COLLECT("It calls “a gift” to U.S. firms [](a.txt#p5).\n", "a gift@1:10>a.txt#p5");
}

Test(quote, a_citation_run_and_links_that_are_not_citations)
{
	COLLECT("They say “cheap” [](a.txt#p1) [](b.txt#p2); “other” [a page](c.md).\n",
		"cheap@1:10>a.txt#p1,b.txt#p2");
}

Test(quote, quotations_across_inline_markup_and_lines)
{
	COLLECT("Note *the* “Sam\nAltman of *China*” ([](a.txt#p7))\n",
		"Sam Altman of China@1:12>a.txt#p7");
}

Test(quote, control_bytes_in_the_text_are_no_markers)
{
	/* Found by fuzz_quote: the flattened text marks citations with
	 * 0x01, which the text itself may hold. */
	COLLECT("A \x01 “x” \x01\x02 [](a.txt#p1)\n", "x@1:5>a.txt#p1");
}

Test(quote, no_citation_no_check)
{
	COLLECT("A “scare quote” and nothing else.\n\nAnother [](a.txt#p1) without quotes.\n", "");
}

Test(quote, occurs_exactly)
{
	const char *para = "He called it “one of the most amazing and impressive breakthroughs I’ve ever seen”.";
	cr_assert(quote_occurs(para, "one of the most amazing and impressive breakthroughs I’ve ever seen"));
	cr_assert(!quote_occurs(para, "one of the most amazing and impressive breakthroughs I've ever seen"));
	cr_assert(quote_occurs_folded(para, "One of the most amazing and impressive breakthroughs I've ever seen"));
	cr_assert(!quote_occurs(para, "One of the most amazing"));
	cr_assert(quote_occurs(para, "most  amazing\nand"));
	/* Whole words: a quotation does not start or end inside a word. */
	cr_assert(!quote_occurs("It was done cheaply.", "cheap"));
	cr_assert(!quote_occurs("It was unsafe.", "safe"));
	cr_assert(quote_occurs("DeepSeek’s model", "DeepSeek"));
}

Test(quote, gaps_and_closing_punctuation)
{
	const char *para = "His hedge fund, High-Flyer, focuses heavily on AI development.";
	cr_assert(quote_occurs(para, "His hedge fund … focuses heavily on AI"));
	cr_assert(quote_occurs(para, "His hedge fund, High-Flyer, focuses [heavily] on AI"));
	cr_assert(quote_occurs(para, "focuses heavily on AI development."));
	cr_assert(quote_occurs(para, "focuses heavily on AI,"));
	cr_assert(!quote_occurs(para, "on AI … His hedge fund"));
	cr_assert(!quote_occurs(para, "…"));
}

Test(quote, nearest_window)
{
	struct strbuf sb = STRBUF_INIT;
	size_t score = quote_nearest("Critics said the model was Sam Altman of China, in effect.",
				     "the Sam Altman of China", &sb);
	/* Four words in place (3 points each); "the" is not in the window. */
	cr_assert_str_eq(sb.ptr, "was Sam Altman of China,");
	cr_assert_eq(score, 4 * 3);
	sb_clear(&sb);
	/* Words shared in another order still count. */
	score = quote_nearest("Monday, at a fraction of the usual cost.", "at a tiny fraction of the cost", &sb);
	cr_assert_str_eq(sb.ptr, "at a fraction of the usual cost.");
	sb_free(&sb);
}

Test(quote, only_blocks_with_a_citation_are_read)
{
	/* Quotations in blocks without a citation bind to nothing, however
	 * the block nests (a link that is no citation is prose); the one
	 * before a citation inside emphasis does. */
	COLLECT("> “nested, uncited” [x](a.md)\n\n- “in a list”\n\n“the cited one” *see [](a.md#p1)*\n",
		"the cited one@5:1>a.md#p1");
}
