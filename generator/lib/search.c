#include "search.h"

#include <assert.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "json.h"
#include "utf8.h"
#include "xalloc.h"

/* ---- folding ------------------------------------------------------------ */

/* U+00C0 … U+017F, one entry per code point, space-separated: its folded
 * form, or "-" for "unchanged" (× ÷). The same table is in search.js. */
static const char latin_table[] =
	"a a a a a a ae c e e e e i i i i d n o o o o o - o u u u u y th ss "
	"a a a a a a ae c e e e e i i i i d n o o o o o - o u u u u y th y "
	"a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g "
	"g g g g h h h h i i i i i i i i i i ij ij j j k k k l l l l l l "
	"l l l l n n n n n n n n n o o o o o o oe oe r r r r r r s s s s "
	"s s s s t t t t t t u u u u u u u u u u u u w w y y y z z z z z z s";

static const char *latin[0x180 - 0xc0];
static size_t latin_len[0x180 - 0xc0];

static void latin_fill(void)
{
	const char *p = latin_table;
	for (size_t i = 0; i < sizeof(latin) / sizeof(*latin); i++) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		latin[i] = p;
		latin_len[i] = n;
		p += n + (e ? 1 : 0);
	}
}

/* Filled once, whichever thread folds first. */
static void latin_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, latin_fill);
}

/* The code point at s[*i], advancing *i past it; a byte that does not
 * start a well-formed sequence is one U+FFFD (no letter: search_fold copies
 * it unchanged, search_words ends a word there). Content is valid UTF-8, so
 * only text from elsewhere has such bytes. */
static uint32_t utf8_next(const char *s, size_t n, size_t *i)
{
	if ((unsigned char)s[*i] < 0x80)
		return (unsigned char)s[(*i)++];
	uint32_t cp;
	size_t len = utf8_decode(s + *i, n - *i, &cp);
	if (len == 0) {
		len = 1;
		cp = 0xFFFD;
	}
	*i += len;
	return cp;
}

void search_fold(const char *s, size_t n, struct strbuf *out)
{
	latin_init();
	/* The folded form is never longer: ASCII stays one byte, the table's
	 * two-byte letters become at most two, the quotes one. */
	sb_grow(out, n);
	size_t i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			out->ptr[out->size++] = (char)(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
			i++;
			continue;
		}
		size_t at = i;
		uint32_t c = utf8_next(s, n, &i);
		if (c >= 'A' && c <= 'Z')
			sb_putc(out, (int)(c - 'A' + 'a'));
		else if (c == 0x2018 || c == 0x2019 || c == 0x201b || c == 0x02bc || c == 0x2032)
			sb_putc(out, '\'');
		else if (c == 0x201c || c == 0x201d || c == 0x201e || c == 0x2033)
			sb_putc(out, '"');
		else if (c >= 0x300 && c <= 0x36f)
			; /* combining marks: "e" + U+0301 is "e" */
		else if (c >= 0xc0 && c < 0x180 && latin[c - 0xc0][0] != '-')
			sb_put(out, latin[c - 0xc0], latin_len[c - 0xc0]);
		else
			sb_put(out, s + at, i - at);
	}
	out->ptr[out->size] = '\0';
}

/* ---- words ---------------------------------------------------------------- */

/* Letters and digits: ASCII a-z 0-9 (text is folded) and the code points
 * of the Basic Multilingual Plane outside the punctuation and symbol
 * blocks. */
static bool word_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
	if (c <= 0xbf || c == 0xd7 || c == 0xf7)
		return false;
	if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
	    (c >= 0xd800 && c <= 0xdfff) || (c >= 0xfe00 && c <= 0xfe6f) ||
	    (c >= 0xff00 && c <= 0xff20) || c >= 0xfff0)
		return false;
	return true;
}

void search_words(const char *s, size_t n, void (*fn)(const char *w, size_t len, void *ctx),
		  void *ctx)
{
	size_t i = 0, start = 0;
	bool in = false;
	while (i < n) {
		size_t at = i;
		uint32_t c = utf8_next(s, n, &i);
		bool w = word_cp(c);
		if (!w && c == '\'' && in && i < n) {
			/* An apostrophe inside a word ("deepseek's") belongs to it. */
			size_t j = i;
			w = word_cp(utf8_next(s, n, &j));
		}
		if (w && !in) {
			start = at;
			in = true;
		} else if (!w && in) {
			if (at - start <= SEARCH_WORD_MAX)
				fn(s + start, at - start, ctx);
			in = false;
		}
	}
	if (in && n - start <= SEARCH_WORD_MAX)
		fn(s + start, n - start, ctx);
}

bool search_is_stop(const char *w, size_t n)
{
	/* Sorted; the same list is in search.js. */
	static const char *const stop[] = {
		"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has",
		"have", "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or",
		"she", "that", "the", "their", "they", "this", "to", "was", "were", "which",
		"will", "with"
	};
	size_t lo = 0, hi = sizeof(stop) / sizeof(*stop);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(stop[mid], w, n);
		if (!c)
			c = stop[mid][n] ? 1 : 0;
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* ---- the index -------------------------------------------------------------- */

/* A term's occurrences, compact while the index is built (a 10,000-page
 * site has some 7 million): a stream of varints, per document the mark 0
 * and the document's delta from the previous one, then per occurrence
 * (position delta from the previous one, or from 0) * 8 + the field's
 * weight (1..7, so never 0). search_write decodes it once. */
struct term {
	size_t off, len; /* the text, in ix->text */
	unsigned char *post;
	size_t npost, cappost; /* bytes */
	size_t last_doc, last_pos;
	bool any;
};

/* A folded word seen before: its term (index + 1), 0 for a stop word. Each
 * distinct word is checked and stemmed once. */
struct word {
	size_t off, len; /* in ix->text */
	size_t term;
};

/* Open addressing over indices + 1 (0 empty), a power of two in size. */
struct table {
	size_t *slots;
	size_t nslots;
};

_Static_assert(offsetof(struct term, off) == 0 && offsetof(struct term, len) == sizeof(size_t),
	       "a term starts with its text's offset and length");
_Static_assert(offsetof(struct word, off) == 0 && offsetof(struct word, len) == sizeof(size_t),
	       "a word starts with its text's offset and length");

struct search_index {
	struct sb_stemmer *stemmer;
	struct strbuf text; /* the terms' and words' texts, end to end */
	struct term *terms;
	size_t nterms, capterms;
	struct word *words;
	size_t nwords, capwords;
	struct table term_tab, word_tab;
	size_t *dl; /* document lengths in indexed words */
	size_t ndocs, capdocs;
	size_t pos; /* next position in the current document */
	struct strbuf fold, stem;
	int weight;
};

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

struct search_index *search_new(void)
{
	struct sb_stemmer *st = sb_stemmer_new("english", "UTF_8");
	if (!st)
		return NULL;
	struct search_index *ix = xcalloc(1, sizeof(*ix));
	ix->stemmer = st;
	ix->term_tab.nslots = ix->word_tab.nslots = 1024;
	ix->term_tab.slots = xcalloc(1024, sizeof(size_t));
	ix->word_tab.slots = xcalloc(1024, sizeof(size_t));
	ix->text = (struct strbuf)STRBUF_INIT;
	ix->fold = (struct strbuf)STRBUF_INIT;
	ix->stem = (struct strbuf)STRBUF_INIT;
	return ix;
}

void search_free(struct search_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nterms; i++)
		free(ix->terms[i].post);
	free(ix->terms);
	free(ix->words);
	free(ix->term_tab.slots);
	free(ix->word_tab.slots);
	free(ix->dl);
	sb_free(&ix->text);
	sb_free(&ix->fold);
	sb_free(&ix->stem);
	sb_stemmer_delete(ix->stemmer);
	free(ix);
}

void search_stem(struct search_index *ix, const char *w, size_t n, struct strbuf *out)
{
	sb_clear(out);
	const sb_symbol *r = sb_stemmer_stem(ix->stemmer, (const sb_symbol *)w, (int)n);
	if (!r) {
		sb_put(out, w, n); /* out of memory in libstemmer: the word itself */
		return;
	}
	sb_put(out, (const char *)r, (size_t)sb_stemmer_length(ix->stemmer));
}

/* The slot of text s[0, n) in tab: holding its entry, or empty. Entry i
 * of `arr` (elements of `stride` bytes, starting with their text's offset
 * in `base` and its length) is slot value i + 1. */
static size_t *table_find(struct table *tab, const char *base, const char *s, size_t n,
			  const void *arr, size_t stride)
{
	size_t h = (size_t)hash(s, n) & (tab->nslots - 1);
	while (tab->slots[h]) {
		const size_t *e = (const size_t *)((const char *)arr + (tab->slots[h] - 1) * stride);
		if (e[1] == n && !memcmp(base + e[0], s, n))
			break;
		h = (h + 1) & (tab->nslots - 1);
	}
	return &tab->slots[h];
}

/* Doubles tab once it is half full (count entries). */
static void table_grow(struct table *tab, size_t count, const char *base, const void *arr,
		       size_t stride)
{
	if (count * 2 <= tab->nslots)
		return;
	size_t n = tab->nslots * 2;
	size_t *slots = xcalloc(n, sizeof(*slots));
	for (size_t i = 0; i < count; i++) {
		const size_t *e = (const size_t *)((const char *)arr + i * stride);
		size_t h = (size_t)hash(base + e[0], e[1]) & (n - 1);
		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = i + 1;
	}
	free(tab->slots);
	tab->slots = slots;
	tab->nslots = n;
}

/* The index of term s[0, n), added when new. */
static size_t term_get(struct search_index *ix, const char *s, size_t n)
{
	size_t *slot = table_find(&ix->term_tab, ix->text.ptr, s, n, ix->terms,
				  sizeof(struct term));
	if (*slot)
		return *slot - 1;
	ix->terms = xgrow(ix->terms, &ix->capterms, ix->nterms + 1, sizeof(*ix->terms));
	struct term *t = &ix->terms[ix->nterms];
	memset(t, 0, sizeof(*t));
	t->off = ix->text.size;
	t->len = n;
	sb_put(&ix->text, s, n);
	*slot = ++ix->nterms;
	table_grow(&ix->term_tab, ix->nterms, ix->text.ptr, ix->terms, sizeof(struct term));
	return ix->nterms - 1;
}

/* A folded word's term + 1, 0 for a stop word. */
static size_t word_term(struct search_index *ix, const char *w, size_t n)
{
	size_t *slot = table_find(&ix->word_tab, ix->text.ptr, w, n, ix->words,
				  sizeof(struct word));
	if (*slot)
		return ix->words[*slot - 1].term;
	size_t term = 0;
	if (!search_is_stop(w, n)) {
		search_stem(ix, w, n, &ix->stem);
		term = term_get(ix, ix->stem.ptr, ix->stem.size) + 1;
	}
	ix->words = xgrow(ix->words, &ix->capwords, ix->nwords + 1, sizeof(*ix->words));
	ix->words[ix->nwords] = (struct word){ ix->text.size, n, term };
	sb_put(&ix->text, w, n);
	*slot = ++ix->nwords;
	table_grow(&ix->word_tab, ix->nwords, ix->text.ptr, ix->words, sizeof(struct word));
	return term;
}

size_t search_doc_begin(struct search_index *ix)
{
	ix->dl = xgrow(ix->dl, &ix->capdocs, ix->ndocs + 1, sizeof(*ix->dl));
	ix->dl[ix->ndocs] = 0;
	ix->pos = 0;
	return ix->ndocs++;
}

size_t search_doc_count(const struct search_index *ix)
{
	return ix->ndocs;
}

static void put_varint(struct term *t, uint64_t v)
{
	if (t->npost + 10 > t->cappost)
		t->post = xgrow(t->post, &t->cappost, t->npost + 10, 1);
	do {
		unsigned char b = v & 0x7f;
		v >>= 7;
		t->post[t->npost++] = (unsigned char)(b | (v ? 0x80 : 0));
	} while (v);
}

static uint64_t get_varint(const unsigned char *p, size_t *i)
{
	uint64_t v = 0;
	for (int shift = 0;; shift += 7) {
		unsigned char b = p[(*i)++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

static void add_word(const char *w, size_t n, void *ctx)
{
	struct search_index *ix = ctx;
	size_t pos = ix->pos++;
	size_t ti = word_term(ix, w, n);
	if (!ti)
		return;
	struct term *t = &ix->terms[ti - 1];
	size_t doc = ix->ndocs - 1;
	if (!t->any || t->last_doc != doc) {
		put_varint(t, 0);
		put_varint(t, t->any ? doc - t->last_doc : doc);
		t->any = true;
		t->last_doc = doc;
		t->last_pos = 0;
	}
	put_varint(t, (uint64_t)(pos - t->last_pos) * 8 + (uint64_t)ix->weight);
	t->last_pos = pos;
	ix->dl[doc]++;
}

void search_doc_field(struct search_index *ix, const char *text, size_t n, int weight)
{
	if (!ix->ndocs || !n)
		return;
	sb_clear(&ix->fold);
	search_fold(text, n, &ix->fold);
	assert(weight >= 1 && weight <= 7);
	ix->weight = weight;
	search_words(ix->fold.ptr, ix->fold.size, add_word, ix);
	ix->pos += SEARCH_FIELD_GAP;
}

/* ---- the codes ------------------------------------------------------------------ */

/* The digits: printable ASCII but space, '"' and '\\', so that a bit
 * string is a JSON string as it is. */
static const char digits[] = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`"
			     "abcdefghijklmnopqrstuvwxyz{|}~";
_Static_assert(sizeof(digits) - 1 == SEARCH_DIGITS, "92 digits");

void search_bits_put(struct search_bits *b, uint64_t v, int n)
{
	assert(n >= 0 && n <= 32);
	b->acc = (b->acc << n) | (v & ((1ull << n) - 1));
	b->n += n;
	while (b->n >= 13) {
		b->n -= 13;
		unsigned g = (unsigned)(b->acc >> b->n) & 8191;
		sb_putc(b->sb, digits[g % SEARCH_DIGITS]);
		sb_putc(b->sb, digits[g / SEARCH_DIGITS]);
	}
	b->acc &= (1ull << b->n) - 1;
}

void search_bits_flush(struct search_bits *b)
{
	if (b->n > 6)
		search_bits_put(b, 0, 13 - b->n);
	else if (b->n)
		sb_putc(b->sb, digits[(b->acc << (6 - b->n)) & 63]);
	b->acc = 0;
	b->n = 0;
}

void search_gamma(struct search_bits *b, uint64_t v)
{
	assert(v >= 1 && v < (1ull << 32));
	int n = 0;
	while (n < 32 && (v >> (n + 1)))
		n++;
	search_bits_put(b, 0, n);
	search_bits_put(b, v, n + 1);
}

void search_rice(struct search_bits *b, uint64_t v, int k)
{
	uint64_t q = v >> k;
	if (q < SEARCH_RICE_ESCAPE) {
		search_bits_put(b, ((1ull << q) - 1) << 1, (int)q + 1);
		search_bits_put(b, v, k);
	} else {
		search_bits_put(b, (1ull << SEARCH_RICE_ESCAPE) - 1, SEARCH_RICE_ESCAPE);
		search_gamma(b, v - ((uint64_t)SEARCH_RICE_ESCAPE << k) + 1);
	}
}

int search_rice_k(uint64_t num, uint64_t den)
{
	uint64_t m = den ? num / den : 0;
	int k = 0;
	while (k < 24 && (m >> (k + 1)))
		k++;
	return k;
}

/* ---- writing ------------------------------------------------------------------ */

/* The byte length of the first `cps` code points of s[0, n). */
static size_t cp_len(const char *s, size_t n, size_t cps)
{
	size_t i = 0;
	for (size_t k = 0; k < cps && i < n; k++)
		utf8_next(s, n, &i);
	return i;
}

/* A term's encoded postings: bytes [t, t + tlen) of the writer's tbuf and
 * [p, p + plen) of its pbuf. */
struct entry {
	const char *text;
	size_t len;
	size_t t, tlen, p, plen;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->text, y->text, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static bool same_prefix(const struct entry *x, const struct entry *y, size_t cps)
{
	size_t a = cp_len(x->text, x->len, cps), b = cp_len(y->text, y->len, cps);
	return a == b && !memcmp(x->text, y->text, a);
}

static void hex(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "%02x", (unsigned char)s[i]);
}

/* A term's postings, decoded from its varints and encoded as two bit
 * strings (the format is in search.h), appended to tb and pb. The
 * varints are freed. */
struct occ {
	size_t doc, wtf, n; /* n positions from pos[first] */
	size_t first;
};

static void encode(struct search_index *ix, struct term *t, struct strbuf *tb, struct strbuf *pb,
		   struct occ **occ, size_t *capocc, size_t **pos, size_t *cappos)
{
	size_t ndocs = 0, npos = 0, wsum = 0;
	for (size_t i = 0; i < t->npost;) {
		uint64_t mark = get_varint(t->post, &i);
		assert(mark == 0);
		(void)mark;
		uint64_t ddoc = get_varint(t->post, &i);
		*occ = xgrow(*occ, capocc, ndocs + 1, sizeof(**occ));
		struct occ *o = &(*occ)[ndocs];
		o->doc = (ndocs ? (*occ)[ndocs - 1].doc : 0) + (size_t)ddoc;
		o->wtf = 0;
		o->n = 0;
		o->first = npos;
		size_t p = 0;
		while (i < t->npost && t->post[i] != 0) {
			uint64_t v = get_varint(t->post, &i);
			o->wtf += (size_t)(v & 7);
			p += (size_t)(v >> 3);
			*pos = xgrow(*pos, cappos, npos + 1, sizeof(**pos));
			(*pos)[npos++] = p;
			o->n++;
		}
		wsum += o->wtf;
		ndocs++;
	}
	free(t->post);
	t->post = NULL;
	t->npost = t->cappost = 0;

	struct search_bits b = { tb, 0, 0 };
	int kd = search_rice_k((uint64_t)ix->ndocs * 11, (uint64_t)ndocs * 16);
	int kw = search_rice_k((uint64_t)(wsum - ndocs) * 11, (uint64_t)ndocs * 16);
	search_gamma(&b, ndocs);
	search_gamma(&b, (uint64_t)kw + 1);
	for (size_t d = 0; d < ndocs; d++) {
		const struct occ *o = &(*occ)[d];
		search_rice(&b, d ? o->doc - (*occ)[d - 1].doc - 1 : o->doc, kd);
		search_rice(&b, o->wtf - 1, kw);
	}
	search_bits_flush(&b);

	b = (struct search_bits){ pb, 0, 0 };
	for (size_t d = 0; d < ndocs; d++) {
		const struct occ *o = &(*occ)[d];
		int kp = search_rice_k(ix->dl[o->doc], o->n);
		search_rice(&b, o->wtf - o->n, 0);
		for (size_t k = 0; k < o->n; k++) {
			size_t at = (*pos)[o->first + k];
			search_rice(&b, k ? at - (*pos)[o->first + k - 1] - 1 : at, kp);
		}
	}
	search_bits_flush(&b);
}

struct writer {
	const struct entry *e;
	const struct strbuf *tb, *pb;
	struct strbuf sb, name, keys;
	size_t nshards;
	int (*fn)(const char *name, const char *data, size_t len, void *ctx);
	void *ctx;
};

/* One shard file of kind 't' or 'p': the terms e[a, b), whose key is
 * their first klen bytes. */
static int write_file(struct writer *w, size_t a, size_t b, size_t klen, char kind)
{
	const struct entry *e = w->e;
	sb_clear(&w->sb);
	if (kind == 't')
		sb_puts(&w->sb, "(window.DOSSIER_SEARCH_T = window.DOSSIER_SEARCH_T || {})[");
	else
		sb_puts(&w->sb, "(window.DOSSIER_SEARCH_P = window.DOSSIER_SEARCH_P || {})[");
	json_write_string(&w->sb, e[a].text, klen);
	sb_puts(&w->sb, "] = {");
	for (size_t k = a; k < b; k++) {
		if (k > a)
			sb_putc(&w->sb, ',');
		sb_putc(&w->sb, '\n');
		json_write_string(&w->sb, e[k].text, e[k].len);
		sb_puts(&w->sb, ":\"");
		if (kind == 't')
			sb_put(&w->sb, w->tb->ptr + e[k].t, e[k].tlen);
		else
			sb_put(&w->sb, w->pb->ptr + e[k].p, e[k].plen);
		sb_putc(&w->sb, '"');
	}
	sb_puts(&w->sb, "\n};\n");
	sb_clear(&w->name);
	sb_putc(&w->name, kind);
	sb_putc(&w->name, '-');
	hex(&w->name, e[a].text, klen);
	sb_puts(&w->name, ".js");
	return w->fn(w->name.ptr, w->sb.ptr, w->sb.size, w->ctx);
}

/* One shard: the terms e[a, b), which share their first `cps` code points. */
static int write_shard(struct writer *w, size_t a, size_t b, size_t cps)
{
	size_t klen = cp_len(w->e[a].text, w->e[a].len, cps);
	if (w->nshards++)
		sb_putc(&w->keys, ',');
	json_write_string(&w->keys, w->e[a].text, klen);
	int rc = write_file(w, a, b, klen, 't');
	return rc ? rc : write_file(w, a, b, klen, 'p');
}

/* The terms e[a, b) sharing `cps` first code points: one shard, or, above
 * SEARCH_SHARD_MAX bytes of postings, one range per next code point (up
 * to SEARCH_KEY_MAX code points of key). */
static int write_range(struct writer *w, size_t a, size_t b, size_t cps)
{
	size_t total = 0;
	for (size_t k = a; k < b; k++)
		total += w->e[k].tlen + w->e[k].len + 6;
	if (total <= SEARCH_SHARD_MAX || cps >= SEARCH_KEY_MAX)
		return write_shard(w, a, b, cps);
	int rc = 0;
	for (size_t i = a; i < b && !rc;) {
		size_t j = i;
		while (j < b && same_prefix(&w->e[j], &w->e[i], cps + 1))
			j++;
		rc = write_range(w, i, j, cps + 1);
		i = j;
	}
	return rc;
}

int search_write(struct search_index *ix, const char *extra,
		 int (*fn)(const char *name, const char *data, size_t len, void *ctx), void *ctx)
{
	return search_write_until(ix, extra, fn, ctx, NULL, NULL);
}

int search_write_until(struct search_index *ix, const char *extra,
		       int (*fn)(const char *name, const char *data, size_t len, void *ctx),
		       void *ctx, bool (*stop)(void *), void *stop_arg)
{
	struct entry *e = xcalloc(ix->nterms + 1, sizeof(*e));
	struct strbuf tb = STRBUF_INIT, pb = STRBUF_INIT;
	struct occ *occ = NULL;
	size_t *pos = NULL, capocc = 0, cappos = 0;
	int rc = 0;
	for (size_t i = 0; i < ix->nterms; i++) {
		if (stop && i % 4096 == 0 && stop(stop_arg)) {
			rc = -2;
			break;
		}
		struct term *t = &ix->terms[i];
		e[i] = (struct entry){ ix->text.ptr + t->off, t->len, tb.size, 0, pb.size, 0 };
		encode(ix, t, &tb, &pb, &occ, &capocc, &pos, &cappos);
		e[i].tlen = tb.size - e[i].t;
		e[i].plen = pb.size - e[i].p;
	}
	free(occ);
	free(pos);
	struct writer w = { e, &tb, &pb, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0, fn, ctx };
	if (!rc && ix->nterms)
		qsort(e, ix->nterms, sizeof(*e), entry_cmp);
	for (size_t i = 0; i < ix->nterms && !rc;) {
		size_t j = i;
		while (j < ix->nterms && same_prefix(&e[j], &e[i], 1))
			j++;
		rc = write_range(&w, i, j, 1);
		i = j;
	}
	if (!rc) {
		size_t total = 0;
		for (size_t i = 0; i < ix->ndocs; i++)
			total += ix->dl[i];
		int kl = search_rice_k((uint64_t)total * 11, (uint64_t)(ix->ndocs ? ix->ndocs : 1) * 16);
		struct strbuf *sb = &w.sb;
		sb_clear(sb);
		sb_puts(sb, "window.DOSSIER_SEARCH = {\"v\":2,");
		sb_puts(sb, extra);
		sb_printf(sb, "\"n\":%zu,\"avgdl\":%.3f,\"terms\":%zu,\"keymax\":%d,\"dlk\":%d,\"dl\":\"",
			  ix->ndocs, ix->ndocs ? (double)total / (double)ix->ndocs : 0.0, ix->nterms,
			  SEARCH_KEY_MAX, kl);
		struct search_bits b = { sb, 0, 0 };
		for (size_t i = 0; i < ix->ndocs; i++)
			search_rice(&b, ix->dl[i], kl);
		search_bits_flush(&b);
		sb_puts(sb, "\",\"shards\":[");
		sb_put(sb, w.keys.ptr, w.keys.size);
		sb_puts(sb, "]};\n");
		rc = fn("index.js", sb->ptr, sb->size, ctx);
	}
	sb_free(&w.sb);
	sb_free(&w.name);
	sb_free(&w.keys);
	sb_free(&tb);
	sb_free(&pb);
	free(e);
	return rc;
}
