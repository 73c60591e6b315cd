/*
 * mentions: what the model derives from an entity's mentions, for link to
 * fill and render to read.
 *
 * Owns the co-occurrence table (how many top-level blocks an entity shares
 * with each other entity: a hash of (other, count) per entity, so its size
 * is linear in the mentions, never the square of the entity count) and the
 * paging of an entity's mention list (MediaWiki's "What links here"): at
 * most ENTITY_PAGE_SIZE mentioning pages per file, the first file being the
 * entity page itself ("entities/x.html"), the k-th (k >= 2)
 * "entities/x/page-k.html", and at most ENTITY_SNIPPETS_MAX snippets per
 * mentioning page. Does not own the mentions themselves (site.h) nor how
 * they are found (link) or shown (render). No mutable static state.
 */
#ifndef DOSSIER_MENTIONS_H
#define DOSSIER_MENTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct entity;
struct site;

/* Mentioning pages listed per file of an entity's mention list. */
#define ENTITY_PAGE_SIZE 200
/* Snippets shown per mentioning page; the others are counted. */
#define ENTITY_SNIPPETS_MAX 3

/* One slot of a co-occurrence table: `other` is the other entity's index
 * + 1 (0: the slot is empty). */
struct cooccur_slot {
	uint32_t other;
	uint32_t count;
};

/* Open addressing, linear probing, at most 3/4 full. */
struct cooccur {
	struct cooccur_slot *slots;
	size_t n, cap;
};

/* Adds one shared block with entity index `other`. */
void cooccur_add(struct cooccur *c, size_t other);
/* The count for `other` (0 when they share no block). */
size_t cooccur_get(const struct cooccur *c, size_t other);
void cooccur_free(struct cooccur *c);

/* Files of the entity's mention list: 1 when no more than
 * ENTITY_PAGE_SIZE pages mention it. */
size_t entity_files(const struct entity *e);
/* The output path of file k (1-based) of the entity's mention list. */
void entity_file_out(const struct entity *e, size_t k, struct strbuf *out);
/* The entity whose mention list has a file `k` >= 2 at output path
 * `out`, or NULL (so a content page, asset or redirect writing the same
 * file can be reported). */
const struct entity *entity_file_owner(const struct site *s, const char *out, size_t *k);

#endif
