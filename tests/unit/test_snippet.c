#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "snippet.h"

/* The excerpt of `text` around the first occurrence of `word`. */
static char *around(const char *text, const char *word)
{
	const char *at = strstr(text, word);
	cr_assert_not_null(at, "'%s' not in the test text", word);
	size_t a = (size_t)(at - text);
	return snippet_html(text, strlen(text), a, a + strlen(word));
}

static void expect(const char *text, const char *word, const char *want)
{
	char *got = around(text, word);
	cr_assert_str_eq(got, want);
	free(got);
}

Test(snippet, whole_sentence_of_the_paragraph)
{
	expect("DeepSeek released R1. Shares of Nvidia fell 17%, the most in a day. Analysts were surprised.",
	       "Nvidia", "Shares of <mark>Nvidia</mark> fell 17%, the most in a day.");
}

Test(snippet, first_and_last_sentence)
{
	expect("Meta said so. Others did not.", "Meta", "<mark>Meta</mark> said so.");
	expect("Others did not. Then Meta spoke", "Meta", "Then <mark>Meta</mark> spoke");
}

Test(snippet, never_starts_with_punctuation)
{
	/* A text node that began with ", " made 18.6% of snippets start so. */
	expect("Nvidia fell. , and Meta rose.", "Meta", "and <mark>Meta</mark> rose.");
	expect("Nvidia fell. — Meta rose.", "Meta", "<mark>Meta</mark> rose.");
	expect("Nvidia fell.\n\n. Meta rose.", "Meta", "<mark>Meta</mark> rose.");
}

Test(snippet, closing_quotes_end_the_sentence)
{
	expect("He said “it is over.” Then Meta fell.", "Meta", "Then <mark>Meta</mark> fell.");
	expect("He said \"stop!\" Meta fell.", "Meta", "<mark>Meta</mark> fell.");
}

Test(snippet, initials_and_abbreviations_do_not_end_sentences)
{
	expect("The U.S. market and Meta fell.", "Meta", "The U.S. market and <mark>Meta</mark> fell.");
	expect("Costs fell, e.g. at Meta and Google.", "Meta", "Costs fell, e.g. at <mark>Meta</mark> and Google.");
	expect("It says so. Open source, \"e.g. PyTorch from Meta\" helped.", "Meta",
	       "Open source, &quot;e.g. PyTorch from <mark>Meta</mark>&quot; helped.");
	expect("Ask Dr. Smith of Meta. Done.", "Meta", "Ask Dr. Smith of <mark>Meta</mark>.");
}

Test(snippet, white_space_and_escaping)
{
	expect("A <b> &\nbroken   line about Meta.", "Meta", "A &lt;b&gt; &amp; broken line about <mark>Meta</mark>.");
}

Test(snippet, long_sentence_cut_at_clauses)
{
	const char *text =
		"In a week that began with a record drop in chip stocks, that saw the Nasdaq shed three percent, "
		"that ended with analysts rewriting their forecasts for the whole sector, and that nobody had "
		"predicted, Meta announced a capex plan of sixty billion dollars for the coming year, which is far "
		"more than anyone expected, according to the filing made on Friday evening after markets closed.";
	char *got = around(text, "Meta");
	cr_assert_lt(strlen(got), SNIPPET_MAX + 40, "%s", got);
	cr_assert(strstr(got, "<mark>Meta</mark>") != NULL, "%s", got);
	cr_assert(!strncmp(got, "… ", strlen("… ")), "cut text is marked: %s", got);
	/* Starts at a clause: right after a comma of the sentence. */
	const char *start = got + strlen("… ");
	char first[32];
	snprintf(first, sizeof first, "%.20s", start);
	char probe[40];
	snprintf(probe, sizeof probe, ", %s", first);
	cr_assert(strstr(text, probe) != NULL, "'%s' does not start a clause", first);
	free(got);
}

Test(snippet, one_long_clause_cut_at_words)
{
	char text[2048] = "";
	for (int i = 0; i < 60; i++)
		strcat(text, "word ");
	strcat(text, "Meta ");
	for (int i = 0; i < 60; i++)
		strcat(text, "word ");
	strcat(text, "end.");
	char *got = around(text, "Meta");
	cr_assert_lt(strlen(got), SNIPPET_MAX + 40, "%s", got);
	cr_assert(!strncmp(got, "… word", strlen("… word")), "%s", got);
	size_t n = strlen(got);
	cr_assert(n > 8 && !strcmp(got + n - strlen(" …"), " …"), "%s", got);
	cr_assert(strstr(got, " word <mark>Meta</mark> word ") != NULL, "%s", got);
	free(got);
}

Test(snippet, utf8_is_never_split)
{
	char text[4096] = "";
	for (int i = 0; i < 80; i++)
		strcat(text, "ééé ");
	strcat(text, "Meta");
	for (int i = 0; i < 80; i++)
		strcat(text, " ééé");
	char *got = around(text, "Meta");
	for (const unsigned char *p = (const unsigned char *)got; *p; p++)
		if (*p == 0xc3)
			cr_assert_eq(p[1], 0xa9, "split UTF-8 sequence in %s", got);
	cr_assert(strstr(got, "ééé <mark>Meta</mark> ééé") != NULL, "%s", got);
	free(got);
}

/* A sentence far longer than SNIPPET_WINDOW is cut to words around the
 * span, and what lies beyond the window (here a sentence end and the
 * paragraph's first sentence) does not change the excerpt. */
Test(snippet, text_beyond_the_window_does_not_matter)
{
	struct {
		char *p;
		size_t n;
	} t[2] = { { NULL, 0 }, { NULL, 0 } };
	FILE *f0 = open_memstream(&t[0].p, &t[0].n), *f1 = open_memstream(&t[1].p, &t[1].n);
	fputs("Start here. ", f1);
	for (int i = 0; i < 300; i++) {
		fputs("alpha ", f0);
		fputs("alpha ", f1);
	}
	fputs("Nvidia", f0);
	fputs("Nvidia", f1);
	for (int i = 0; i < 300; i++) {
		fputs(" beta", f0);
		fputs(" beta", f1);
	}
	fputs(" end. More text.", f1);
	fclose(f0);
	fclose(f1);
	cr_assert_gt(strstr(t[1].p, "Nvidia") - t[1].p, SNIPPET_WINDOW);
	char *a = around(t[0].p, "Nvidia"), *b = around(t[1].p, "Nvidia");
	cr_expect_str_eq(a, b);
	cr_expect(!strncmp(b, "… alpha ", strlen("… alpha ")), "%s", b);
	cr_expect(strstr(b, "alpha <mark>Nvidia</mark> beta"), "%s", b);
	size_t n = strlen(b);
	cr_expect(n > 4 && !strcmp(b + n - 4, " …"), "%s", b);
	cr_expect_leq(n, SNIPPET_MAX + strlen("… <mark></mark> …"));
	free(a);
	free(b);
	free(t[0].p);
	free(t[1].p);
}
