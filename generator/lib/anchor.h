/*
 * anchor: every id the generator gives an element, and how a fragment
 * names one.
 *
 * Owns heading ids (github.com's algorithm, de-duplicated as GitHub does),
 * the block ids of articles ("p7"), annotation ids ("a3", "a3-note",
 * "a3-ref"), what a claim id may be, the theme's reserved prefix ("ds-")
 * and the paragraph label ("¶7"), and parsing a fragment back into a
 * block number. Ids are plain strings; callers escape them for the
 * context they write them into (html.h).
 */
#ifndef DOSSIER_ANCHOR_H
#define DOSSIER_ANCHOR_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Appends GitHub's slug of heading text: lower-cased; letters, marks and
 * numbers of every script, '_' and '-' kept; ' ' becomes '-'; everything
 * else (punctuation, symbols, emoji, other spaces) removed. Invalid UTF-8
 * bytes are removed too. */
void anchor_slug(const char *text, size_t n, struct strbuf *out);

/* The ids already used on one page, for de-duplication. */
struct anchor_set {
	struct anchor_slot {
		char *id;
		int count; /* how many "-N" variants of this base were handed out */
	} * slots;
	size_t cap, n;
};
/* clang-format would format the braces as a block. */
/* clang-format off */
#define ANCHOR_SET_INIT { NULL, 0, 0 }
/* clang-format on */

/* Makes `id` unique in the set as GitHub does ("x", "x-1", "x-2", ...; an
 * id that was itself generated counts as taken) and records it. */
void anchor_unique(struct anchor_set *set, struct strbuf *id);
/* Records `id` as taken (a block id such as "p3"). */
void anchor_reserve(struct anchor_set *set, const char *id);
void anchor_set_free(struct anchor_set *set);

/* Ids starting "ds-" are the theme's (themes/README.md): the generator
 * gives out none. A heading whose slug starts so is de-duplicated as if
 * the slug were taken ("ds-title-1"), and a claim id may not start so. */
#define ANCHOR_THEME_PREFIX "ds-"
bool anchor_is_theme(const char *id);
/* Whether `id` may be a claim's id, written as an element's id and as the
 * fragment of links to it: 1 to 64 ASCII letters, digits, '-' and '_', not
 * a theme id. */
bool anchor_claim_id_ok(const char *id);

/* Appends "p<n>": the id of block n of an article (1-based). */
void anchor_block(struct strbuf *out, size_t n);
/* The block number a fragment names ("p12" -> 12), or 0. */
int anchor_block_number(const char *frag);
/* Appends "¶<n>": the label of block n, as readers see it (in links,
 * diagnostics and claim lists). */
void anchor_block_label(struct strbuf *out, size_t n);

/* The three elements of annotation n: the highlighted quotation (the first
 * of its <mark>s carries the id), the note (an <aside>) and the numbered
 * reference to the note after the quotation. */
enum anchor_part {
	ANCHOR_MARK,
	ANCHOR_NOTE,
	ANCHOR_REF
};
#define ANCHOR_NPARTS 3
/* Appends "a<n>", "a<n>-note" or "a<n>-ref". */
void anchor_annotation(struct strbuf *out, int n, enum anchor_part part);
/* The annotation number a fragment names as anchor_annotation writes its
 * mark ("a12" -> 12), or 0. */
int anchor_annotation_number(const char *frag);

#endif
