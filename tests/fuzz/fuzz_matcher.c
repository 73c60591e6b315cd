/*
 * libFuzzer target for matcher_scan() over a fixed list of names.
 *
 * The first input byte selects the options (bit 0: every name
 * case-insensitive); the rest is the text. Besides ASan/UBSan, it checks
 * the hits' invariants: in bounds, in order, not overlapping, and each hit,
 * scanned on its own, is one hit of the same name covering all of it (the
 * boundaries around it and the choice of the longest name hold locally).
 * The same names built with no DFA row but the root's (every other state
 * on the sparse path, matcher_set_dense_limit 0) must give the same hits.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher.h"

static const char *const names[] = {
	"Meta", "Meta Platforms", "DeepSeek", "DeepSeek R1",
	"S&P 500", "U.S.", ".NET", "Moody\u2019s",
	"GPU", "GPUs", "Z\u00fcrich", "\u0391\u0398\u0397\u039d\u0391",
	"a", "a a", "a a a a b", "Bus",
	"Andreessen", "Andreessen Horowitz", "Marc Andreessen", "x-y",
	"GPT-4", "GPT-4.5", "Nasdaq 100", "1,000"
};

static struct matcher *matchers[2][2];

static struct matcher *get(bool ci, bool sparse)
{
	if (!matchers[ci][sparse]) {
		struct matcher *m = matcher_new();
		if (sparse)
			matcher_set_dense_limit(m, 0);
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (matcher_add(m, names[i], strlen(names[i]), (int)i,
					!ci || i % 2, NULL) != 0)
				abort();
		}
		matcher_build(m);
		matchers[ci][sparse] = m;
	}
	return matchers[ci][sparse];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct matcher_hit *hits = NULL, *one = NULL, *twin = NULL;
	size_t cap = 0, cap1 = 0, cap2 = 0, n, prev_end = 0;
	const struct matcher *m;
	const char *text = (const char *)data + 1;

	if (size < 1)
		return 0;
	m = get(data[0] & 1, false);
	n = matcher_scan(m, text, size - 1, &hits, &cap);
	if (matcher_scan(get(data[0] & 1, true), text, size - 1, &twin, &cap2) != n)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (twin[i].start != hits[i].start || twin[i].end != hits[i].end ||
		    twin[i].id != hits[i].id || twin[i].name_index != hits[i].name_index)
			abort();
	}
	for (size_t i = 0; i < n; i++) {
		const struct matcher_hit *h = &hits[i];
		if (h->start >= h->end || h->end > size - 1 || h->start < prev_end)
			abort();
		prev_end = h->end;
		if (matcher_scan(m, text + h->start, h->end - h->start, &one,
				 &cap1) != 1 ||
		    one[0].start != 0 || one[0].end != h->end - h->start ||
		    one[0].name_index != h->name_index || one[0].id != h->id)
			abort();
	}
	free(hits);
	free(one);
	free(twin);
	return 0;
}
