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

/* A group (a top-level block) of more than COOCCUR_GROUP_MAX distinct
 * items (entities) relates none of them: so many at once are a list or
 * an index of them, not a relation, and counting every pair would cost
 * the square of the group's size (10,000 entities named in one paragraph
 * took 7.2 s and 1.3 GB). So the pairs counted are at most
 * COOCCUR_GROUP_MAX - 1 a member, linear in what is mentioned. */
#define COOCCUR_GROUP_MAX 50

/* Counts one more meeting with index `other`. */
void cooccur_add(struct cooccur *c, size_t other);
/* Counts one meeting fewer (relink takes a page's back); the slot stays,
 * with count 0, which readers skip. */
void cooccur_sub(struct cooccur *c, size_t other);
/* The count for `other` (0 when never met). */
size_t cooccur_get(const struct cooccur *c, size_t other);
void cooccur_free(struct cooccur *c);

#endif
