/*
 * libFuzzer target for the co-occurrence table (cooccur.c), in both its
 * layouts and across the changes between them.
 *
 * Input: operations of 3 bytes each: the first byte's low bit says add or
 * take back (cooccur_sub), its next two bits how far apart the indexes
 * lie (x1, x37, x1000 or x65536: close indexes make the table dense, far
 * ones keep it sparse), then a 16-bit index. Invariants, after every
 * operation: cooccur_get gives the count a plain model gives (taking back
 * from 0 leaves 0); a sparse table is at most 3/4 full; a dense one has a
 * count for every index met; and at the end cooccur_next visits each
 * count above 0 exactly once and nothing else.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cooccur.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAXOPS = 1024 };

/* The model: the distinct indexes met, with their counts, in a hash
 * table of their own (linear probing, at most a quarter full). */
enum { MODEL_CAP = 4 * MAXOPS };
struct model {
	size_t other[MODEL_CAP];
	size_t count[MODEL_CAP];
	bool used[MODEL_CAP];
	size_t list[MAXOPS]; /* the used slots, to visit and to clear */
	size_t n;
};

static size_t *model_slot(struct model *m, size_t other, bool add)
{
	size_t i = (size_t)((other * 0x9E3779B97F4A7C15ull) >> 40) % MODEL_CAP;
	while (m->used[i] && m->other[i] != other)
		i = (i + 1) % MODEL_CAP;
	if (m->used[i])
		return &m->count[i];
	if (!add)
		return NULL;
	m->used[i] = true;
	m->other[i] = other;
	m->count[i] = 0;
	m->list[m->n++] = i;
	return &m->count[i];
}

static void fail(const char *what, size_t other)
{
	fprintf(stderr, "fuzz_cooccur: %s (index %zu)\n", what, other);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t scale[] = { 1, 37, 1000, 65536 };
	static struct model m;
	for (size_t i = 0; i < m.n; i++)
		m.used[m.list[i]] = false;
	m.n = 0;
	struct cooccur c = { 0 };
	size_t nops = size / 3 < MAXOPS ? size / 3 : MAXOPS;
	for (size_t k = 0; k < nops; k++) {
		const uint8_t *op = data + 3 * k;
		size_t other = ((size_t)op[1] << 8 | op[2]) * scale[(op[0] >> 1) & 3];
		if (op[0] & 1) {
			cooccur_sub(&c, other);
			size_t *s = model_slot(&m, other, false);
			if (s && *s)
				(*s)--;
		} else {
			cooccur_add(&c, other);
			(*model_slot(&m, other, true))++;
		}
		if (cooccur_get(&c, other) != *model_slot(&m, other, true))
			fail("count differs from the model's", other);
		if (!c.counts && c.cap && 4 * c.n > 3 * c.cap)
			fail("sparse table over 3/4 full", other);
		if ((c.counts != NULL) == (c.slots != NULL) && c.cap)
			fail("neither or both layouts", other);
		if (c.counts && other >= c.cap && cooccur_get(&c, other))
			fail("dense table without room for an index met", other);
	}
	for (size_t i = 0; i < m.n; i++)
		if (cooccur_get(&c, m.other[m.list[i]]) != m.count[m.list[i]])
			fail("count differs at the end", m.other[m.list[i]]);
	size_t pos = 0, other, count, want = 0;
	while (cooccur_next(&c, &pos, &other, &count)) {
		size_t *s = model_slot(&m, other, false);
		if (!s || *s != count || !count)
			fail("cooccur_next visits a wrong count", other);
		*s = 0; /* visited: a second visit fails */
	}
	for (size_t i = 0; i < m.n; i++)
		want += m.count[m.list[i]] != 0;
	if (want)
		fail("cooccur_next misses a count", 0);
	cooccur_free(&c);
	return 0;
}
