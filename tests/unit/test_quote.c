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

/* The window and score quote_nearest finds, by the definition in quote.h
 * checked the slow way (every window, every pair of words): the words
 * here have no case, punctuation or Unicode to fold, so a word's key is
 * the word, and a word of ASCII punctuation alone (";") has none. */
static size_t nearest_by_definition(char **tw, size_t nt, char **qw, size_t nq, size_t *at)
{
	size_t m = nq < nt ? nq : nt, best = 0, best_score = 0;
	bool used[64];
	for (size_t i = 0; m && i + m <= nt; i++) {
		size_t score = 0;
		memset(used, 0, sizeof used);
		for (size_t k = 0; k < m; k++) {
			if (!strcmp(qw[k], ";"))
				continue;
			score += !strcmp(tw[i + k], qw[k]);
			for (size_t j = 0; j < m; j++)
				if (!used[j] && !strcmp(tw[i + j], qw[k])) {
					used[j] = true;
					score += 2;
					break;
				}
		}
		if (score > best_score)
			best = i, best_score = score;
	}
	*at = best;
	return best_score;
}

/* quote_nearest counts a window's words as it slides; on 4,000 random
 * pairs of short texts over a few words it finds what the definition
 * finds: the same score and the same first best window. */
Test(quote, nearest_is_the_definition_on_random_texts)
{
	static char *vocab[] = { "a", "b", "c", "d", ";" };
	srand(13);
	for (int round = 0; round < 4000; round++) {
		char *tw[40], *qw[40];
		size_t nt = 1 + (size_t)rand() % 30, nq = 1 + (size_t)rand() % 12;
		struct strbuf text = STRBUF_INIT, quote = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
		for (size_t i = 0; i < nt; i++) {
			tw[i] = vocab[rand() % 5];
			sb_printf(&text, "%s%s", i ? " " : "", tw[i]);
		}
		for (size_t i = 0; i < nq; i++) {
			qw[i] = vocab[rand() % 5];
			sb_printf(&quote, "%s%s", i ? " " : "", qw[i]);
		}
		size_t at;
		size_t score = nearest_by_definition(tw, nt, qw, nq, &at);
		size_t m = nq < nt ? nq : nt;
		for (size_t i = at; i < at + m; i++)
			sb_printf(&want, "%s%s", i > at ? " " : "", tw[i]);
		cr_assert_eq(quote_nearest(text.ptr, quote.ptr, &got), score, "score of “%s” in “%s”",
			     quote.ptr, text.ptr);
		cr_assert_str_eq(got.ptr, want.ptr, "window of “%s” in “%s”", quote.ptr, text.ptr);
		sb_free(&text);
		sb_free(&quote);
		sb_free(&want);
		sb_free(&got);
	}
}

/* A quotation of 3,000 words against a paragraph of 6,000 (issue 13: 45 s
 * before, each window compared word by word): the window holding all of
 * it, found with the same-place points left out (NEAREST_PLACE_BUDGET). */
Test(quote, nearest_in_a_long_paragraph)
{
	struct strbuf text = STRBUF_INIT, quote = STRBUF_INIT, got = STRBUF_INIT;
	for (int i = 0; i < 6000; i++)
		sb_printf(&text, "%sw%d", i ? " " : "", i);
	for (int i = 2000; i < 5000; i++)
		sb_printf(&quote, "%sw%d", i > 2000 ? " " : "", i);
	cr_assert_eq(quote_nearest(text.ptr, quote.ptr, &got), 2 * 3000);
	cr_assert_str_eq(got.ptr, quote.ptr);
	sb_free(&text);
	sb_free(&quote);
	sb_free(&got);
}

Test(quote, only_blocks_with_a_citation_are_read)
{
	/* Quotations in blocks without a citation bind to nothing, however
	 * the block nests (a link that is no citation is prose); the one
	 * before a citation inside emphasis does. */
	COLLECT("> “nested, uncited” [x](a.md)\n\n- “in a list”\n\n“the cited one” *see [](a.md#p1)*\n",
		"the cited one@5:1>a.md#p1");
}
