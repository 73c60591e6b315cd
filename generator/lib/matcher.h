/*
 * matcher: finds every entity name in a text in one pass (issue 4).
 *
 * Owns a set of names (UTF-8), each tagged with the caller's entity id, and
 * the Aho-Corasick automaton built from them. It knows nothing of pages,
 * Markdown or HTML: the link pass walks the cmark tree and hands it the text
 * of each TEXT node; what to do with a hit (link it, count it, skip it on the
 * entity's own page) is the caller's business.
 *
 * Matching rules:
 * - Whole words: the character before a hit and the one after it (if any)
 *   are not word characters. Word characters are ASCII letters, digits and
 *   '_', and every non-ASCII code point except spaces, punctuation and
 *   symbols (Latin-1 punctuation, U+2000-U+206F such as dashes and curly
 *   quotes, arrows and symbols, CJK punctuation, emoji). Invalid UTF-8 bytes
 *   count as word characters, and so does a '.' or ',' between two ASCII
 *   digits: "GPT-4" is not in "GPT-4.5", nor "Nasdaq 100" in "100,000".
 * - Leftmost-longest and non-overlapping: of the hits that start first, the
 *   longest is taken ("Andreessen Horowitz" over "Andreessen"), and the
 *   scan goes on after it.
 * - A run of whitespace (including newlines, U+00A0 and the Unicode spaces)
 *   matches any run of whitespace, so "DeepSeek\n  R1" is "DeepSeek R1".
 *   U+2019 and U+02BC are the same as the apostrophe ', and U+2010 and
 *   U+2011 the same as '-', both in names and in the text.
 * - Plurals: a name ending in a word character also matches with "s" added,
 *   or with "es" if it ends in s, x, z, ch or sh ("GPUs", "R1s"); the hit
 *   includes the suffix. An exact name beats another name's plural.
 * - Possessives need no rule: an apostrophe is not a word character, so
 *   "Meta's" and "Meta’s" give a hit for "Meta" that ends before it.
 * - Case: a case-insensitive name folds ASCII letters and the simple
 *   one-to-one pairs of Latin-1, Latin Extended-A, Greek and Cyrillic; a
 *   case-sensitive name (and its plural suffix) must match byte for byte.
 *
 * Invariants: names are added, then matcher_build() is called once, then
 * matcher_scan() may be called any number of times (it does not modify the
 * matcher, so concurrent scans are safe). matcher_scan() is linear in the
 * text length plus the candidate matches, which are at most the number of
 * words of the longest name per word of text.
 */
#ifndef DOSSIER_MATCHER_H
#define DOSSIER_MATCHER_H

#include <stdbool.h>
#include <stddef.h>

struct matcher;

struct matcher_hit {
	size_t start, end; /* byte range in the text: end excludes a
			      possessive suffix, includes a plural s/es */
	int id;            /* the entity id given to matcher_add() */
	size_t name_index; /* which name matched: 0 for the first name
			      matcher_add() accepted, 1 for the second, ... */
};

struct matcher *matcher_new(void);
/* Frees the matcher; NULL is a no-op. */
void matcher_free(struct matcher *m);
/*
 * Adds `name` (len bytes, UTF-8; leading and trailing whitespace ignored) for
 * entity `id`. Returns 0, or -1 without adding anything when:
 * - the name is already registered: *other_id is set to the id that holds
 *   it (which may be `id` itself, e.g. an alias equal to the title). "The
 *   same" means equal after normalising whitespace and apostrophes and, if
 *   either of the two names is case-insensitive, after folding case; two
 *   case-sensitive names that differ in case are different names.
 * - the name is empty or all whitespace: *other_id is set to -1.
 * other_id may be NULL. Must not be called after matcher_build().
 */
int matcher_add(struct matcher *m, const char *name, size_t len, int id,
		bool case_sensitive, int *other_id);
/*
 * The automaton's memory: the states nearest the root get a full DFA row
 * (4 bytes for each class of symbol the names use), as many whole levels
 * as fit in `bytes` (the root always has one); the others keep their trie
 * edges and failure link, 25 bytes a state, and take a few more steps a
 * symbol. MATCHER_DENSE_BYTES unless set; the hits never depend on it.
 * Must be called before matcher_build().
 */
#define MATCHER_DENSE_BYTES ((size_t)4 << 20)
void matcher_set_dense_limit(struct matcher *m, size_t bytes);
/* Builds the automaton; call once, after the last matcher_add(). */
void matcher_build(struct matcher *m);
/*
 * Scans `text` (len bytes, need not be NUL-terminated) and stores the hits,
 * in text order, at (*hits)[0], (*hits)[1], ..., growing *hits with xgrow
 * (*cap is its capacity in elements; start with NULL and 0, reuse across
 * calls, free() it when done). Returns the number of hits stored.
 */
size_t matcher_scan(const struct matcher *m, const char *text, size_t len,
		    struct matcher_hit **hits, size_t *cap);
/* The number of names accepted so far. */
size_t matcher_name_count(const struct matcher *m);
/* The number of automaton states (for the benchmark); 0 before build. */
size_t matcher_state_count(const struct matcher *m);

#endif
