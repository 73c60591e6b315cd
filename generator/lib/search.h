/*
 * search: the full-text search index, built at build time.
 *
 * Owns how text becomes search terms — folding (ASCII case, the Latin-1 and
 * Latin Extended-A letters to their base letters, combining marks dropped,
 * curly quotes and apostrophes straight), words (runs of letters and digits,
 * with apostrophes inside a word), English stop words, and Snowball English
 * (Porter2) stems from Debian's libstemmer — and the index files: per term
 * the documents and weighted term frequencies for BM25 ("t-" shards) and,
 * apart, the positions for phrases ("p-" shards, loaded only for a phrase),
 * split by the terms' first letters (one, or more where that shard would be
 * large) so that a query loads only the shards of its terms.
 * themes/dossier/static/search.js does the same folding, splitting and
 * stemming in the browser; a browser test checks that both give the same
 * terms for every word of the dossier and of the bench corpus. The format is
 * documented in themes/README.md.
 *
 * The numbers are bit strings, most significant bit first, written in
 * groups of 13 bits as two characters of SEARCH_DIGITS digits (the group
 * g is digit g % 92 then digit g / 92; the digits are the printable ASCII
 * characters but space, '"' and '\\', in ASCII order); at the end, 6 bits
 * or fewer are one digit, more a last group, padded with zeros. The codes:
 * Elias gamma (v >= 1: floor(log2 v) zeros, then v in binary) and Rice with
 * parameter k (v >> k ones, a zero, the k low bits of v; from
 * SEARCH_RICE_ESCAPE ones on, no zero but gamma(v - (SEARCH_RICE_ESCAPE <<
 * k) + 1)). A term's "t" string: gamma(df), gamma(kw + 1), then per
 * document Rice(gap, kd) and Rice(wtf - 1, kw), where the gap is the delta
 * from the previous document minus 1 (the first document's number itself)
 * and kd = search_rice_k(11 n, 16 df). Its "p" string, per document in the
 * same order: Rice(wtf - count, 0) (the weights beyond 1 of its fields),
 * then the positions as Rice(delta - 1, kp) (the first as Rice(position,
 * kp)) with kp = search_rice_k(dl, count). What the reader can derive is
 * not written.
 *
 * Documents are numbered 0, 1, … in the order they are added. Each is a
 * sequence of fields (title, headings, paragraphs, …); positions run
 * through a document, with a gap between fields so that a phrase never
 * spans two. Each distinct word is looked up, checked against the stop
 * words and stemmed once; occurrences are kept per term as varints.
 */
#ifndef DOSSIER_SEARCH_H
#define DOSSIER_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Words longer than this (bytes, folded) are not indexed. */
#define SEARCH_WORD_MAX 60
/* A term shard above this many bytes is split by one more letter of its
 * terms' prefix, up to SEARCH_KEY_MAX letters of shard key. */
#define SEARCH_SHARD_MAX 32768
#define SEARCH_KEY_MAX 4
/* Positions left between two fields of a document. */
#define SEARCH_FIELD_GAP 8

/* Rice codes: this many ones start an escape to a gamma code. */
#define SEARCH_RICE_ESCAPE 20
/* The digits of the bit strings. */
#define SEARCH_DIGITS 92

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
 * lengths, shard keys) and per shard one "t-<hex of the key>.js" and one
 * "p-<hex of the key>.js"; a
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

/* The bit strings (the codes above), appended to *sb. */
struct search_bits {
	struct strbuf *sb;
	uint64_t acc; /* the n bits not written yet */
	int n;
};
void search_bits_put(struct search_bits *b, uint64_t v, int n); /* v's n low bits, n <= 32 */
void search_bits_flush(struct search_bits *b);                  /* pads the last character */
void search_gamma(struct search_bits *b, uint64_t v);           /* 1 <= v < 2^32 */
void search_rice(struct search_bits *b, uint64_t v, int k);
/* The Rice parameter for values of mean about num / den: floor(log2(num /
 * den)), 0 below 2 (and for den 0), at most 24. */
int search_rice_k(uint64_t num, uint64_t den);

#endif
