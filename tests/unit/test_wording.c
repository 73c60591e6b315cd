#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "wording.h"

/* Documents of one block each unless a text holds '|', which separates
 * blocks. The passages as "a.doc:a.block[a-text] b.doc:b.block[b-text] n"
 * joined by " ; ". */
static char *find(const char *const *texts, size_t n, size_t min)
{
	struct wording_doc *docs = calloc(n, sizeof(*docs));
	size_t nb = 0;
	for (size_t d = 0; d < n; d++)
		for (const char *p = texts[d]; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
			nb++;
	struct wording_block *blocks = calloc(nb, sizeof(*blocks));
	nb = 0;
	for (size_t d = 0; d < n; d++) {
		docs[d].blocks = &blocks[nb];
		const char *p = texts[d];
		for (;;) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			blocks[nb].text = p;
			blocks[nb].len = len;
			blocks[nb].skip = len && p[0] == '>';
			nb++;
			docs[d].nblocks++;
			if (!bar)
				break;
			p = bar + 1;
		}
	}
	struct wording_passage *ps = NULL;
	size_t np = wording_find(docs, n, min, &ps);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < np; i++) {
		const struct wording_passage *w = &ps[i];
		const char *ta = docs[w->a.doc].blocks[w->a.block].text;
		const char *tb = docs[w->b.doc].blocks[w->b.block].text;
		sb_printf(&sb, "%s%zu:%zu[%.*s] %zu:%zu[%.*s] %zu", i ? " ; " : "", w->a.doc, w->a.block,
			  (int)(w->a.end - w->a.start), ta + w->a.start, w->b.doc, w->b.block,
			  (int)(w->b.end - w->b.start), tb + w->b.start, w->words);
	}
	free(ps);
	free(blocks);
	free(docs);
	return sb_detach(&sb);
}

#define EXPECT(texts, min, want)                                              \
	do {                                                                  \
		char *got = find(texts, sizeof(texts) / sizeof(*texts), min); \
		cr_assert_str_eq(got, want);                                  \
		free(got);                                                    \
	} while (0)

Test(wording, folds_case_punctuation_and_apostrophes)
{
	char *w = NULL;
	const char *t = "DeepSeek’s open-source R1, it's “quoted words” here";
	wording_words(t, strlen(t), &w);
	cr_assert_str_eq(w, "deepseek's\nopen\nsource\nr1\nit's\n\"quoted\n\"words\nhere\n");
	free(w);
}

Test(wording, straight_quotes_toggle_and_edges_drop_apostrophes)
{
	char *w = NULL;
	const char *t = "'Tis a \"big\" deal' ok";
	wording_words(t, strlen(t), &w);
	cr_assert_str_eq(w, "tis\na\n\"big\ndeal\nok\n");
	free(w);
}

Test(wording, six_shared_words_make_one_passage)
{
	const char *texts[] = {
		"The firm released an open source large reasoning model on Monday.",
		"Critics say it is an Open-Source large reasoning model, on Monday, they add.",
	};
	EXPECT(texts, 6,
	       "0:0[an open source large reasoning model on Monday] "
	       "1:0[an Open-Source large reasoning model, on Monday] 8");
}

Test(wording, five_words_are_not_enough)
{
	const char *texts[] = {
		"alpha beta gamma delta epsilon zeta",
		"x alpha beta gamma delta epsilon y",
	};
	EXPECT(texts, 6, "");
}

Test(wording, quotations_are_left_out)
{
	const char *texts[] = {
		"He wrote “one of the most amazing breakthroughs I have ever seen” on X.",
		"Andreessen called R1 \"one of the most amazing breakthroughs I have ever seen\" again.",
	};
	EXPECT(texts, 6, "");
}

Test(wording, stop_word_runs_match_nothing)
{
	const char *texts[] = {
		"and it was one of the most of them",
		"but it was one of the most of them too",
	};
	EXPECT(texts, 6, "");
}

Test(wording, skipped_blocks_and_block_boundaries)
{
	/* The shared words of block 1 of the first document are in a block
	 * quote (skipped); a run split over two blocks is no passage. */
	const char *texts[] = {
		"intro text|>Nvidia Alphabet Meta shares fell sharply today",
		"Nvidia Alphabet Meta shares fell sharply today|Nvidia Alphabet Meta|shares fell sharply today",
		"x Nvidia Alphabet Meta shares fell sharply today y",
	};
	EXPECT(texts, 6,
	       "1:0[Nvidia Alphabet Meta shares fell sharply today] "
	       "2:0[Nvidia Alphabet Meta shares fell sharply today] 7");
}

Test(wording, each_pair_of_documents_and_sorted_order)
{
	const char *texts[] = {
		"zero one two three four five six|a b c d e f g h",
		"a b c d e f g h|zero one two three four five six",
		"zero one two three four five six",
	};
	EXPECT(texts, 6,
	       "0:0[zero one two three four five six] 1:1[zero one two three four five six] 7 ; "
	       "0:1[a b c d e f g h] 1:0[a b c d e f g h] 8 ; "
	       "0:0[zero one two three four five six] 2:0[zero one two three four five six] 7 ; "
	       "1:1[zero one two three four five six] 2:0[zero one two three four five six] 7");
}

Test(wording, two_passages_of_one_pair_stay_apart)
{
	const char *texts[] = {
		"red green blue cyan magenta yellow STOP black white grey brown pink purple",
		"red green blue cyan magenta yellow and then black white grey brown pink purple",
	};
	EXPECT(texts, 6,
	       "0:0[red green blue cyan magenta yellow] 1:0[red green blue cyan magenta yellow] 6 ; "
	       "0:0[black white grey brown pink purple] 1:0[black white grey brown pink purple] 6");
}

Test(wording, boilerplate_repeated_everywhere_is_ignored)
{
	const char *t = "join our daily newsletter for updates now";
	const char *texts[WORDING_MAX_OCCURRENCES + 1];
	for (size_t i = 0; i < WORDING_MAX_OCCURRENCES + 1; i++)
		texts[i] = t;
	EXPECT(texts, 6, "");
}

Test(wording, empty_input)
{
	struct wording_passage *p = (void *)1;
	cr_assert_eq(wording_find(NULL, 0, 6, &p), 0);
	cr_assert_null(p);
}

Test(wording, stop_words_are_whole_words)
{
	/* Every window of these is stop words only ... */
	const char *stop[] = {
		"the a it's its of i s you which",
		"the a it's its of i s you which",
	};
	EXPECT(stop, 6, "");
	/* ... but a word that only starts or ends like one is not. */
	const char *near[] = {
		"the a its whic of i",
		"the a its whic of i",
	};
	EXPECT(near, 6, "0:0[the a its whic of i] 1:0[the a its whic of i] 6");
}

Test(wording, many_documents_one_shared_passage)
{
	/* 300 documents of their own words: only the first and the last
	 * share a passage (the shingles of all of them sorted together). */
	enum { N = 300 };
	char *texts[N];
	for (size_t d = 0; d < N; d++) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t w = 0; w < 20; w++)
			sb_printf(&sb, "w%zux%zu ", d, w);
		if (d == 0 || d == N - 1)
			sb_puts(&sb, "copper zinc tin lead iron nickel");
		texts[d] = sb_detach(&sb);
	}
	char *got = find((const char *const *)texts, N, 6);
	cr_assert_str_eq(got, "0:0[copper zinc tin lead iron nickel] 299:0[copper zinc tin lead iron nickel] 6");
	free(got);
	for (size_t d = 0; d < N; d++)
		free(texts[d]);
}
