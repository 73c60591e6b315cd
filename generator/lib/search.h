/*
 * search: the full-text search index, built at build time.
 *
 * Owns how text becomes search terms — folding (ASCII case, the Latin-1 and
 * Latin Extended-A letters to their base letters, combining marks dropped,
 * curly quotes and apostrophes straight), words (runs of letters and digits,
 * with apostrophes inside a word), English stop words, and Snowball English
 * (Porter2) stems from Debian's libstemmer — and the index files: postings
 * with positions, weighted term frequencies and document lengths for BM25,
 * split into shards by the terms' first letters (one, or more where that
 * shard would be large) so that a query loads only the shards of its terms. themes/dossier/static/search.js does the same
 * folding, splitting and stemming in the browser; a browser test checks that
 * both give the same terms for every word of the dossier and of the bench
 * corpus. The format is documented in themes/README.md.
 *
 * Documents are numbered 0, 1, … in the order they are added. Each is a
 * sequence of fields (title, headings, paragraphs, …); positions run
 * through a document, with a gap between fields so that a phrase never
 * spans two.
 */
#ifndef DOSSIER_SEARCH_H
#define DOSSIER_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Words longer than this (bytes, folded) are not indexed. */
#define SEARCH_WORD_MAX 60
/* A term shard above this many bytes is split by one more letter of its
 * terms' prefix, up to SEARCH_KEY_MAX letters of shard key. */
#define SEARCH_SHARD_MAX 32768
#define SEARCH_KEY_MAX 4
/* Positions left between two fields of a document. */
#define SEARCH_FIELD_GAP 8

/* Appends the folded form of UTF-8 text s[0, n) to out. */
void search_fold(const char *s, size_t n, struct strbuf *out);

/* The words of folded text: calls fn for each, in order. */
void search_words(const char *folded, size_t n,
		  void (*fn)(const char *w, size_t len, void *ctx), void *ctx);

/* Is the folded word an English stop word (not indexed)? */
bool search_is_stop(const char *w, size_t n);

struct search_index;

/* A new, empty index with its stemmer; NULL when libstemmer has no
 * English stemmer (reported by the caller). */
struct search_index *search_new(void);
void search_free(struct search_index *ix);

/* The Snowball English stem of a folded word, into out (cleared first). */
void search_stem(struct search_index *ix, const char *w, size_t n, struct strbuf *out);

/* Starts document number search_doc_count() (the previous one ends). */
size_t search_doc_begin(struct search_index *ix);
/* Adds a field of the current document; `weight` multiplies its term
 * frequencies (title 4, headings and names 2, text 1). */
void search_doc_field(struct search_index *ix, const char *text, size_t n, int weight);
size_t search_doc_count(const struct search_index *ix);

/* Writes the index: `fn(name, data, len, ctx)` for every file, named
 * relative to the index folder: "index.js" (the manifest: document count,
 * lengths, shard keys) and one "t-<hex of the key>.js" per shard; a
 * term is in the shard whose key is its longest prefix among the keys. `extra`
 * is appended inside the manifest object (e.g. "\"docs\":20,"); it may be
 * "". Returns the first non-zero return of fn, else 0. */
int search_write(struct search_index *ix, const char *extra,
		 int (*fn)(const char *name, const char *data, size_t len, void *ctx), void *ctx);
/* search_write, returning -2 before it is done when stop(stop_arg) says
 * so (asked every few thousand terms; fn may also return -2). */
int search_write_until(struct search_index *ix, const char *extra,
		       int (*fn)(const char *name, const char *data, size_t len, void *ctx),
		       void *ctx, bool (*stop)(void *), void *stop_arg);

#endif
