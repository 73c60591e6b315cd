/*
 * libFuzzer target for wording_find() (issue 16).
 *
 * The input is split into documents at '#' and into blocks at '|'; a block
 * starting with '>' is skipped. The first byte sets the minimum passage
 * length (2 + byte % 6). Besides ASan/UBSan, it checks the passages'
 * invariants: sorted, a.doc < b.doc, byte ranges inside their blocks, at
 * least the minimum number of words, and both sides fold to the same words.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wording.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp(const struct wording_passage *a, const struct wording_passage *b)
{
	const size_t ka[] = { a->a.doc, a->b.doc, a->a.block, a->a.start, a->b.block, a->b.start };
	const size_t kb[] = { b->a.doc, b->b.doc, b->a.block, b->a.start, b->b.block, b->b.start };
	for (size_t i = 0; i < 6; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 16)
		return 0;
	size_t min = 2 + data[0] % 6;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct wording_block *blocks = calloc(len + 1, sizeof(*blocks));
	struct wording_doc *docs = calloc(len + 1, sizeof(*docs));
	size_t nb = 0, nd = 0, start = 0;
	docs[0].blocks = blocks;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '|' && text[i] != '#')
			continue;
		blocks[nb] = (struct wording_block){ text + start, i - start, i > start && text[start] == '>' };
		nb++;
		docs[nd].nblocks++;
		if (i < len && text[i] == '#') {
			nd++;
			docs[nd].blocks = &blocks[nb];
		}
		start = i + 1;
	}
	nd++;
	struct wording_passage *p = NULL;
	size_t n = wording_find(docs, nd, min, &p);
	for (size_t i = 0; i < n; i++) {
		const struct wording_span *s[2] = { &p[i].a, &p[i].b };
		if (p[i].a.doc >= p[i].b.doc || p[i].words < min || (i && cmp(&p[i - 1], &p[i]) > 0))
			abort();
		char *w[2];
		for (int k = 0; k < 2; k++) {
			const struct wording_block *b = &docs[s[k]->doc].blocks[s[k]->block];
			if (s[k]->block >= docs[s[k]->doc].nblocks || s[k]->start >= s[k]->end ||
			    s[k]->end > b->len || b->skip)
				abort();
			wording_words(b->text + s[k]->start, s[k]->end - s[k]->start, &w[k]);
		}
		if (strcmp(w[0], w[1]))
			abort();
		free(w[0]);
		free(w[1]);
	}
	free(p);
	free(docs);
	free(blocks);
	return 0;
}
