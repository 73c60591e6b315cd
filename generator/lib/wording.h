/*
 * wording: passages of wording shared between texts (issue 16).
 *
 * Owns cutting prose into folded words and finding the passages of at
 * least `min_words` consecutive words that two documents share. Words are
 * folded before they are compared: ASCII case, curly and straight
 * apostrophes alike, every other punctuation mark a word break (so
 * "open-source" and "open source" are the same two words). Text inside
 * double quotation marks (“…” or "…") is a quotation of somebody else and
 * is left out: two articles quoting the same post do not share wording.
 * A run of stop words only ("and that it was the") matches nothing.
 *
 * The cost is linear in the text: every window of `min_words` words (a
 * shingle) is hashed once and the hashes are radix-sorted, so the
 * occurrences of a shingle are adjacent; adjacent matches (the next word
 * of both texts also matches) are merged into one passage. A shingle that
 * occurs more than WORDING_MAX_OCCURRENCES times in all is boilerplate and
 * ignored, which bounds the pairs one shingle can produce. Only the sort of
 * the matches is n log n. It knows nothing of pages or articles: the
 * caller passes the paragraph texts and maps the byte ranges back.
 *
 * Output is deterministic: passages are sorted by (a.doc, b.doc, a.block,
 * a.start, b.block, b.start), and a.doc < b.doc always.
 */
#ifndef DOSSIER_WORDING_H
#define DOSSIER_WORDING_H

#include <stddef.h>

#define WORDING_MIN_WORDS 6
#define WORDING_MAX_OCCURRENCES 16

/* One paragraph of a document: UTF-8 text (borrowed), `skip` to leave it
 * out entirely (a block quote of somebody else's words). */
struct wording_block {
	const char *text;
	size_t len;
	int skip;
};

struct wording_doc {
	const struct wording_block *blocks;
	size_t nblocks;
};

/* A byte range [start, end) of a block's text: from the first byte of the
 * passage's first word to the last byte of its last word. */
struct wording_span {
	size_t doc, block;
	size_t start, end;
};

struct wording_passage {
	struct wording_span a, b;
	size_t words;
};

/* Finds the passages of at least `min_words` (>= 2) words shared by two
 * different documents. Returns their number; *out (free() it) holds them
 * in the order above, or NULL when there are none. */
size_t wording_find(const struct wording_doc *docs, size_t ndocs, size_t min_words,
		    struct wording_passage **out);

/* Folded words of `text` (for tests and diagnostics): each word folded
 * and followed by '\n', quoted words (inside double quotes) prefixed by
 * '"'. */
void wording_words(const char *text, size_t len, char **out);

#endif
