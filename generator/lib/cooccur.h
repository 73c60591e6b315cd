/*
 * cooccur: a count per other item, for an item that meets a few of many
 * (the entities an entity shares top-level blocks with: model/page.h).
 *
 * Owns the table and its two layouts, whichever is smaller when it grows:
 * sparse, an open-addressing hash table (linear probing, at most 3/4
 * full) of (other index, count), 8 bytes a slot and at least 4/3 of a
 * slot an item met; or dense, one 4-byte count per index up to the
 * largest met. So its size is at most about twice the smaller of the two,
 * linear in what was counted and never in the number of possible others;
 * an entity of a large site that meets most of the others costs 4 bytes
 * an other, not 16 (at 10,000 pages and 1,000 entities, 9.6 MB less peak
 * RSS, issue 13). No mutable static state.
 */
#ifndef DOSSIER_COOCCUR_H
#define DOSSIER_COOCCUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One slot: `other` is the other's index + 1 (0: the slot is empty). */
struct cooccur_slot {
	uint32_t other;
	uint32_t count;
};

struct cooccur {
	struct cooccur_slot *slots; /* sparse: cap slots */
	uint32_t *counts;           /* dense (when not NULL): cap counts, by index */
	size_t n, cap;              /* n: the others met (count above 0 once) */
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
/* Counts one meeting fewer (relink takes a page's back); the other stays
 * met, with count 0, which readers skip. */
void cooccur_sub(struct cooccur *c, size_t other);
/* The count for `other` (0 when never met). */
size_t cooccur_get(const struct cooccur *c, size_t other);
/* The next count above 0 from position *pos on (start at 0): sets
 * *other and *count and returns true, or false at the end. The order is
 * the layout's, not the indexes'. */
bool cooccur_next(const struct cooccur *c, size_t *pos, size_t *other, size_t *count);
void cooccur_free(struct cooccur *c);

#endif
