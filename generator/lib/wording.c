/*
 * wording: shared passages by hashed shingles. See wording.h.
 *
 * Three steps: tokenise every block into folded words (each with its byte
 * range and a 64-bit hash of its folded form, quoted words marked); hash
 * every window of `min` unquoted words inside one block and sort the
 * hashes (radix: linear, in memory order), so a window's occurrences are
 * adjacent; then, per run of one hash, pair the occurrences of different
 * documents, and merge
 * the pairs that continue each other (same diagonal, next word) into
 * passages.
 */
#include "wording.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* 32 bytes: a token per word of every article is held at once. */
struct token {
	uint32_t doc, block;
	uint32_t start, end; /* bytes in the block's text */
	uint64_t hash;       /* of the folded word */
	bool quoted, stop;
};

struct tokens {
	struct token *v;
	size_t n, cap;
};

/* --- folding ------------------------------------------------------------ */

/* The kind of the character at p: a letter or digit (part of a word), an
 * apostrophe, a double quote that opens, closes or toggles, or a break. */
enum ch {
	CH_WORD,
	CH_APOS,
	CH_OPEN,
	CH_CLOSE,
	CH_TOGGLE,
	CH_BREAK
};

static enum ch char_kind(const unsigned char *p, size_t left, size_t *len)
{
	*len = 1;
	if ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') ||
	    (p[0] >= '0' && p[0] <= '9'))
		return CH_WORD;
	if (p[0] == '\'')
		return CH_APOS;
	if (p[0] == '"')
		return CH_TOGGLE;
	if (p[0] < 0x80)
		return CH_BREAK;
	uint32_t cp = 0xFFFD; /* a bad byte: one of a word, as a letter is */
	size_t n = utf8_decode((const char *)p, left, &cp);
	*len = n ? n : 1;
	if (cp == 0x2018 || cp == 0x2019) /* ‘ ’ */
		return CH_APOS;
	if (cp == 0x201C) /* “ */
		return CH_OPEN;
	if (cp == 0x201D) /* ” */
		return CH_CLOSE;
	if (cp >= 0x2000 && cp <= 0x203F)
		return CH_BREAK; /* dashes, ellipsis, other punctuation */
	if (cp >= 0x80 && cp <= 0xBF)
		return CH_BREAK; /* no-break space, «, », ¶, § ... */
	return CH_WORD;
}

static uint64_t fnv_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * 1099511628211ULL;
}

#define FNV_BASIS 14695981039346656037ULL

static const char *const stop_words[] = {
	"a", "about", "after", "all", "also", "an", "and", "any", "are", "as",
	"at", "be", "been", "but", "by", "can", "could", "did", "do", "for",
	"from", "had", "has", "have", "he", "her", "his", "how", "i", "if",
	"in", "into", "is", "it", "it's", "its", "may", "more", "most", "no",
	"not", "of", "on", "one", "or", "other", "our", "out", "over", "s",
	"said", "she", "so", "some", "such", "than", "that", "the", "their", "them",
	"then", "there", "these", "they", "this", "those", "to", "up", "was", "we",
	"were", "what", "when", "which", "who", "will", "with", "would", "you", NULL
};

/* stop_words is in strcmp order: a binary search. */
static bool is_stop(const char *w, size_t n)
{
	if (n > 5) /* no stop word is longer */
		return false;
	size_t lo = 0, hi = sizeof(stop_words) / sizeof(*stop_words) - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *sw = stop_words[mid];
		int c = strncmp(sw, w, n);
		if (!c)
			c = sw[n] ? 1 : 0;
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Appends the words of one block; `fold` receives each folded word when
 * not NULL (for wording_words). */
static void tokenise(struct tokens *t, const char *text, size_t len, size_t doc, size_t block,
		     struct strbuf *fold_out)
{
	const unsigned char *s = (const unsigned char *)text;
	bool quoted = false;
	struct strbuf w = STRBUF_INIT;
	size_t i = 0;
	while (i < len) {
		size_t n;
		enum ch k = char_kind(s + i, len - i, &n);
		if (k == CH_OPEN || (k == CH_TOGGLE && !quoted)) {
			quoted = true;
			i += n;
			continue;
		}
		if (k == CH_CLOSE || k == CH_TOGGLE) {
			quoted = false;
			i += n;
			continue;
		}
		if (k != CH_WORD) {
			i += n;
			continue;
		}
		/* A word: letters and digits, with apostrophes inside it. */
		size_t start = i, end = i;
		sb_clear(&w);
		for (;;) {
			size_t m;
			enum ch c = i < len ? char_kind(s + i, len - i, &m) : CH_BREAK;
			if (c == CH_WORD) {
				for (size_t j = 0; j < m; j++)
					sb_putc(&w, s[i + j] >= 'A' && s[i + j] <= 'Z' ? s[i + j] + 32 : s[i + j]);
				i += m;
				end = i;
			} else if (c == CH_APOS && i + m < len &&
				   char_kind(s + i + m, len - i - m, &n) == CH_WORD) {
				sb_putc(&w, '\'');
				i += m;
			} else {
				break;
			}
		}
		uint64_t h = FNV_BASIS;
		for (size_t j = 0; j < w.size; j++)
			h = fnv_byte(h, (unsigned char)w.ptr[j]);
		t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof(*t->v));
		t->v[t->n++] = (struct token){
			.doc = (uint32_t)doc,
			.block = (uint32_t)block,
			.start = (uint32_t)start,
			.end = (uint32_t)end,
			.hash = h,
			.quoted = quoted,
			.stop = is_stop(w.ptr, w.size),
		};
		if (fold_out) {
			if (quoted)
				sb_putc(fold_out, '"');
			sb_put(fold_out, w.ptr, w.size);
			sb_putc(fold_out, '\n');
		}
	}
	sb_free(&w);
}

void wording_words(const char *text, size_t len, char **out)
{
	struct tokens t = { 0 };
	struct strbuf sb = STRBUF_INIT;
	tokenise(&t, text, len, 0, 0, &sb);
	free(t.v);
	*out = sb_detach(&sb);
}

/* --- shingles ------------------------------------------------------------ */

static bool shingle_at(const struct tokens *t, size_t i, size_t min, uint64_t *hash)
{
	if (i + min > t->n)
		return false;
	const struct token *a = &t->v[i];
	uint64_t h = FNV_BASIS;
	bool content = false;
	for (size_t k = 0; k < min; k++) {
		const struct token *b = &t->v[i + k];
		if (b->doc != a->doc || b->block != a->block || b->quoted)
			return false;
		content |= !b->stop;
		for (int byte = 0; byte < 8; byte++)
			h = fnv_byte(h, (unsigned char)(b->hash >> (8 * byte)));
	}
	*hash = h;
	return content;
}

static bool same_words(const struct tokens *t, size_t i, size_t j, size_t min)
{
	for (size_t k = 0; k < min; k++)
		if (t->v[i + k].hash != t->v[j + k].hash)
			return false;
	return true;
}

struct match {
	size_t i, j;       /* token indices: i in the lower document */
	size_t doci, docj; /* their documents, for the sort */
};

static int match_cmp(const void *x, const void *y)
{
	const struct match *a = x, *b = y;
	/* Tokens are numbered in document and block order, so comparing the
	 * documents, then the diagonal (j - i), then i groups each run. */
	if (a->doci != b->doci)
		return a->doci < b->doci ? -1 : 1;
	if (a->docj != b->docj)
		return a->docj < b->docj ? -1 : 1;
	size_t da = a->j - a->i, db = b->j - b->i;
	if (da != db)
		return da < db ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* A shingle's hash and its first token. */
struct shingle {
	uint64_t hash;
	size_t i;
};

/* Sorts by hash, stably (LSD radix, 16 bits a pass): equal hashes end up
 * together and in token order. Linear, and it reads and writes memory in
 * order, where a hash table's probes miss the cache at every shingle. */
static void sort_shingles(struct shingle *v, size_t n)
{
	struct shingle *tmp = xcalloc(n + 1, sizeof(*tmp));
	size_t *count = xcalloc(65536, sizeof(*count));
	struct shingle *from = v, *to = tmp;
	for (int shift = 0; shift < 64; shift += 16) {
		memset(count, 0, 65536 * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(from[i].hash >> shift) & 0xFFFF]++;
		size_t sum = 0;
		for (size_t d = 0; d < 65536; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[(from[i].hash >> shift) & 0xFFFF]++] = from[i];
		struct shingle *t = from;
		from = to;
		to = t;
	}
	/* Four passes: the result is back in v. */
	free(count);
	free(tmp);
}

/* Collects every pair of occurrences of a shingle in two different
 * documents: the shingles sorted by hash, each run of one hash (at most
 * WORDING_MAX_OCCURRENCES long) paired within itself. */
static size_t collect_matches(const struct tokens *t, size_t min, struct match **out)
{
	struct shingle *v = xcalloc(t->n + 1, sizeof(*v));
	size_t nv = 0;
	uint64_t h;
	for (size_t i = 0; i < t->n; i++)
		if (shingle_at(t, i, min, &h))
			v[nv++] = (struct shingle){ h, i };
	sort_shingles(v, nv);
	struct match *m = NULL;
	size_t n = 0, cap = 0;
	for (size_t r = 0; r < nv;) {
		size_t e = r + 1;
		while (e < nv && v[e].hash == v[r].hash)
			e++;
		if (e - r >= 2 && e - r <= WORDING_MAX_OCCURRENCES)
			for (size_t x = r; x < e; x++)
				for (size_t y = x + 1; y < e; y++) {
					size_t i = v[x].i, j = v[y].i;
					if (t->v[j].doc == t->v[i].doc || !same_words(t, i, j, min))
						continue;
					m = xgrow(m, &cap, n + 1, sizeof(*m));
					m[n++] = (struct match){ .i = i, .j = j, .doci = t->v[i].doc, .docj = t->v[j].doc };
				}
		r = e;
	}
	free(v);
	*out = m;
	return n;
}

static int passage_cmp(const void *x, const void *y)
{
	const struct wording_passage *a = x, *b = y;
	const size_t ka[] = { a->a.doc, a->b.doc, a->a.block, a->a.start, a->b.block, a->b.start };
	const size_t kb[] = { b->a.doc, b->b.doc, b->a.block, b->a.start, b->b.block, b->b.start };
	for (size_t i = 0; i < sizeof(ka) / sizeof(*ka); i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return 0;
}

static struct wording_span span_of(const struct tokens *t, size_t first, size_t last)
{
	return (struct wording_span){
		.doc = t->v[first].doc,
		.block = t->v[first].block,
		.start = t->v[first].start,
		.end = t->v[last].end,
	};
}

/* Merges the sorted matches into passages: a match continues the run
 * before it when it is the next word on the same diagonal. */
static size_t merge(const struct tokens *t, const struct match *m, size_t n, size_t min,
		    struct wording_passage **out)
{
	struct wording_passage *p = NULL;
	size_t np = 0, cap = 0;
	for (size_t r = 0; r < n;) {
		size_t e = r + 1;
		while (e < n && m[e].i == m[e - 1].i + 1 && m[e].j == m[e - 1].j + 1 &&
		       t->v[m[e].i].block == t->v[m[r].i].block &&
		       t->v[m[e].j].block == t->v[m[r].j].block)
			e++;
		size_t last = m[e - 1].i + min - 1, lastj = m[e - 1].j + min - 1;
		p = xgrow(p, &cap, np + 1, sizeof(*p));
		p[np++] = (struct wording_passage){
			.a = span_of(t, m[r].i, last),
			.b = span_of(t, m[r].j, lastj),
			.words = last - m[r].i + 1,
		};
		r = e;
	}
	if (np)
		qsort(p, np, sizeof(*p), passage_cmp);
	*out = p;
	return np;
}

size_t wording_find(const struct wording_doc *docs, size_t ndocs, size_t min_words,
		    struct wording_passage **out)
{
	struct tokens t = { 0 };
	*out = NULL;
	if (min_words < 2)
		min_words = 2;
	for (size_t d = 0; d < ndocs; d++)
		for (size_t b = 0; b < docs[d].nblocks; b++)
			if (!docs[d].blocks[b].skip)
				tokenise(&t, docs[d].blocks[b].text, docs[d].blocks[b].len, d, b, NULL);
	struct match *m = NULL;
	size_t nm = collect_matches(&t, min_words, &m), np = 0;
	if (nm) {
		qsort(m, nm, sizeof(*m), match_cmp);
		np = merge(&t, m, nm, min_words, out);
	}
	free(m);
	free(t.v);
	return np;
}
