/*
 * cooccur: counts per other index, sparse or dense (cooccur.h).
 */
#include "cooccur.h"

#include <stdlib.h>

#include "xalloc.h"

static size_t slot_of(size_t other, size_t cap)
{
	return (size_t)(((uint64_t)other * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static struct cooccur_slot *find_slot(struct cooccur_slot *slots, size_t cap, size_t key)
{
	size_t i = slot_of(key, cap);
	while (slots[i].other && slots[i].other != key)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* One more than the largest index met (0 when none), in either layout. */
static size_t span(const struct cooccur *c)
{
	size_t top = 0;
	for (size_t i = 0; i < c->cap; i++)
		if (c->counts && c->counts[i])
			top = i + 1;
		else if (!c->counts && c->slots[i].other > top)
			top = c->slots[i].other;
	return top;
}

/* Moves the table to the smaller layout that holds n + 1 others with
 * `other` among them: sparse slots for them, or dense counts up to the
 * largest index (both rounded up to a power of two). */
static void regrow(struct cooccur *c, size_t other)
{
	size_t sparse = 16;
	while (4 * (c->n + 1) > 3 * sparse)
		sparse *= 2;
	size_t top = span(c);
	if (other + 1 > top)
		top = other + 1;
	size_t dense = 16;
	while (dense < top)
		dense *= 2;
	struct cooccur old = *c;
	if (dense * sizeof(*c->counts) <= sparse * sizeof(*c->slots)) {
		c->counts = xcalloc(dense, sizeof(*c->counts));
		c->slots = NULL;
		c->cap = dense;
	} else {
		c->slots = xcalloc(sparse, sizeof(*c->slots));
		c->counts = NULL;
		c->cap = sparse;
	}
	/* Every other met moves. One whose count went back to 0
	 * (cooccur_sub) stays a slot of its own, counted in n, but as a
	 * count it cannot be told from never met: dense, n is the counts
	 * above 0. */
	c->n = 0;
	for (size_t i = 0; i < old.cap; i++) {
		size_t o = old.counts ? i : (size_t)old.slots[i].other - 1;
		uint32_t k = old.counts ? old.counts[i] : old.slots[i].count;
		if (old.counts ? !k : !old.slots[i].other)
			continue;
		if (c->counts) {
			c->counts[o] = k;
			c->n += k != 0;
		} else {
			struct cooccur_slot *s = find_slot(c->slots, c->cap, o + 1);
			s->other = (uint32_t)(o + 1);
			s->count = k;
			c->n++;
		}
	}
	free(old.slots);
	free(old.counts);
}

void cooccur_add(struct cooccur *c, size_t other)
{
	if (c->counts && other < c->cap) {
		c->n += !c->counts[other];
		c->counts[other]++;
		return;
	}
	if (!c->counts && c->cap) {
		struct cooccur_slot *s = find_slot(c->slots, c->cap, other + 1);
		if (s->other) {
			s->count++;
			return;
		}
		if (4 * (c->n + 1) <= 3 * c->cap) {
			s->other = (uint32_t)(other + 1);
			s->count = 1;
			c->n++;
			return;
		}
	}
	regrow(c, other); /* now with room for `other` */
	cooccur_add(c, other);
}

void cooccur_sub(struct cooccur *c, size_t other)
{
	if (c->counts) {
		if (other < c->cap && c->counts[other]) {
			c->counts[other]--;
			c->n -= !c->counts[other];
		}
		return;
	}
	if (!c->cap)
		return;
	struct cooccur_slot *s = find_slot(c->slots, c->cap, other + 1);
	if (s->other && s->count)
		s->count--;
}

size_t cooccur_get(const struct cooccur *c, size_t other)
{
	if (c->counts)
		return other < c->cap ? c->counts[other] : 0;
	if (!c->cap)
		return 0;
	return find_slot(c->slots, c->cap, other + 1)->count;
}

bool cooccur_next(const struct cooccur *c, size_t *pos, size_t *other, size_t *count)
{
	for (; *pos < c->cap; (*pos)++) {
		size_t i = *pos;
		uint32_t k = c->counts ? c->counts[i] : c->slots[i].count;
		if (!k)
			continue;
		*other = c->counts ? i : (size_t)c->slots[i].other - 1;
		*count = k;
		(*pos)++;
		return true;
	}
	return false;
}

void cooccur_free(struct cooccur *c)
{
	free(c->slots);
	free(c->counts);
	c->slots = NULL;
	c->counts = NULL;
	c->n = c->cap = 0;
}
