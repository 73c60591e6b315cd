/*
 * bench_wording: shared-wording detection (issue 16) on generated text.
 *
 *     bench_wording [WORDS...]
 *
 * For each total size (default 100000 400000 1600000 words) makes 50
 * documents of 40-word paragraphs drawn from a 5,000-word vocabulary; in each
 * odd-numbered document every tenth paragraph copies the same paragraph of
 * the document before it, and times
 * wording_find() (CPU seconds, clock()). Prints figures only: the time
 * should grow in proportion to the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "strbuf.h"
#include "wording.h"
#include "xalloc.h"

static uint64_t state = 42;

static uint64_t next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void word(struct strbuf *sb)
{
	uint64_t w = next() % 5000;
	for (int k = 0; k < 3 + (int)(w % 6); k++)
		sb_putc(sb, 'a' + (int)((w >> (3 * k)) % 26));
}

static void run(size_t words)
{
	const size_t ndocs = 50, per_block = 40;
	size_t nblocks = words / per_block / ndocs;
	struct strbuf *texts = xcalloc(ndocs * nblocks, sizeof(*texts));
	struct wording_block *blocks = xcalloc(ndocs * nblocks, sizeof(*blocks));
	struct wording_doc *docs = xcalloc(ndocs, sizeof(*docs));
	for (size_t d = 0; d < ndocs; d++) {
		docs[d].blocks = &blocks[d * nblocks];
		docs[d].nblocks = nblocks;
		for (size_t b = 0; b < nblocks; b++) {
			struct strbuf *t = &texts[d * nblocks + b];
			*t = (struct strbuf)STRBUF_INIT;
			if (d % 2 == 1 && b % 10 == 0) {
				sb_puts(t, texts[(d - 1) * nblocks + b].ptr);
			} else {
				for (size_t w = 0; w < per_block; w++) {
					if (w)
						sb_putc(t, ' ');
					word(t);
				}
			}
			blocks[d * nblocks + b] = (struct wording_block){ t->ptr, t->size, 0 };
		}
	}
	struct wording_passage *ps = NULL;
	clock_t c0 = clock();
	size_t np = wording_find(docs, ndocs, WORDING_MIN_WORDS, &ps);
	double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
	printf("%9zu words  %6zu passages  %.3f s  %.1f ns/word\n", words, np, secs, secs * 1e9 / (double)words);
	free(ps);
	for (size_t i = 0; i < ndocs * nblocks; i++)
		sb_free(&texts[i]);
	free(texts);
	free(blocks);
	free(docs);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		for (int i = 1; i < argc; i++)
			run((size_t)strtoull(argv[i], NULL, 10));
	else
		for (size_t w = 100000; w <= 1600000; w *= 4)
			run(w);
	return 0;
}
