/*
 * search-terms: the search terms the generator makes of text files, for the
 * browser test that compares them with search.js (issue 15).
 *
 *     search-terms FILE...
 *
 * prints, for every word of every file in order (generator/lib/search.c's
 * folding and splitting), "word\tterm\n": its Snowball English stem from
 * libstemmer, or "-" for a stop word.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "search.h"
#include "strbuf.h"

struct ctx {
	struct search_index *ix;
	struct strbuf stem;
	FILE *out;
};

static void word(const char *w, size_t n, void *arg)
{
	struct ctx *c = arg;
	fwrite(w, 1, n, c->out);
	if (search_is_stop(w, n)) {
		fputs("\t-\n", c->out);
		return;
	}
	search_stem(c->ix, w, n, &c->stem);
	fputc('\t', c->out);
	fwrite(c->stem.ptr, 1, c->stem.size, c->out);
	fputc('\n', c->out);
}

int main(int argc, char **argv)
{
	struct ctx c = { search_new(), STRBUF_INIT, stdout };
	if (!c.ix) {
		fprintf(stderr, "search-terms: libstemmer has no English stemmer\n");
		return 1;
	}
	struct strbuf folded = STRBUF_INIT;
	for (int i = 1; i < argc; i++) {
		char *data = NULL;
		size_t len = 0;
		if (fs_read_file(argv[i], &data, &len) < 0) {
			fprintf(stderr, "search-terms: cannot read %s\n", argv[i]);
			return 1;
		}
		sb_clear(&folded);
		search_fold(data, len, &folded);
		search_words(folded.ptr, folded.size, word, &c);
		free(data);
	}
	sb_free(&folded);
	sb_free(&c.stem);
	search_free(c.ix);
	return 0;
}
