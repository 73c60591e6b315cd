/*
 * cooccur: a count per other item, for an item that meets a few of many
 * (the entities an entity shares top-level blocks with: model/page.h).
 *
 * Owns an open-addressing hash table (linear probing, at most 3/4 full)
 * of (other index, count), so its size is linear in what was counted,
 * never the number of possible others. No mutable static state.
 */
#ifndef DOSSIER_COOCCUR_H
#define DOSSIER_COOCCUR_H

#include <stddef.h>
#include <stdint.h>

/* One slot: `other` is the other's index + 1 (0: the slot is empty). */
struct cooccur_slot {
	uint32_t other;
	uint32_t count;
};

struct cooccur {
	struct cooccur_slot *slots;
	size_t n, cap;
};

/* Counts one more meeting with index `other`. */
void cooccur_add(struct cooccur *c, size_t other);
/* Counts one meeting fewer (relink takes a page's back); the slot stays,
 * with count 0, which readers skip. */
void cooccur_sub(struct cooccur *c, size_t other);
/* The count for `other` (0 when never met). */
size_t cooccur_get(const struct cooccur *c, size_t other);
void cooccur_free(struct cooccur *c);

#endif
