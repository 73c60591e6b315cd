/*
 * cooccur: counts per other index in an open-addressing table (cooccur.h).
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

static void rehash(struct cooccur *c)
{
	size_t cap = c->cap ? c->cap * 2 : 16;
	struct cooccur_slot *slots = xcalloc(cap, sizeof(*slots));
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].other)
			*find_slot(slots, cap, c->slots[i].other) = c->slots[i];
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
}

void cooccur_add(struct cooccur *c, size_t other)
{
	if (4 * (c->n + 1) > 3 * c->cap)
		rehash(c);
	struct cooccur_slot *s = find_slot(c->slots, c->cap, other + 1);
	if (!s->other) {
		s->other = (uint32_t)(other + 1);
		c->n++;
	}
	s->count++;
}

void cooccur_sub(struct cooccur *c, size_t other)
{
	if (!c->cap)
		return;
	struct cooccur_slot *s = find_slot(c->slots, c->cap, other + 1);
	if (s->other && s->count)
		s->count--;
}

size_t cooccur_get(const struct cooccur *c, size_t other)
{
	if (!c->cap)
		return 0;
	return find_slot(c->slots, c->cap, other + 1)->count;
}

void cooccur_free(struct cooccur *c)
{
	free(c->slots);
	c->slots = NULL;
	c->n = c->cap = 0;
}
