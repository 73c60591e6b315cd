#include "search.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "json.h"
#include "utf8.h"
#include "value.h"
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
	size_t i = 0;
	while (i < n) {
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

/* A term's postings, compact while the index is built (a 10,000-page site
 * has some 10 million of them): a stream of varints, per document the mark
 * 0 and the document's delta from the previous one, then per occurrence
 * (position delta from the previous one, or from 0) * 8 + the field's
 * weight (1..7, so never 0). search_write decodes it once. */
struct term {
	char *text;
	size_t len;
	unsigned char *post;
	size_t npost, cappost; /* bytes */
	size_t last_doc, last_pos;
	bool any;
};

struct search_index {
	struct sb_stemmer *stemmer;
	struct term *terms;
	size_t nterms, capterms;
	size_t *slots; /* open addressing: term index + 1, 0 empty */
	size_t nslots;
	size_t *dl; /* document lengths in words */
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
	ix->nslots = 1024;
	ix->slots = xcalloc(ix->nslots, sizeof(*ix->slots));
	ix->fold = (struct strbuf)STRBUF_INIT;
	ix->stem = (struct strbuf)STRBUF_INIT;
	return ix;
}

void search_free(struct search_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nterms; i++) {
		free(ix->terms[i].post);
		free(ix->terms[i].text);
	}
	free(ix->terms);
	free(ix->slots);
	free(ix->dl);
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

static void grow_slots(struct search_index *ix)
{
	size_t n = ix->nslots * 2;
	size_t *slots = xcalloc(n, sizeof(*slots));
	for (size_t i = 0; i < ix->nterms; i++) {
		size_t h = (size_t)hash(ix->terms[i].text, ix->terms[i].len) & (n - 1);
		while (slots[h])
			h = (h + 1) & (n - 1);
		slots[h] = i + 1;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->nslots = n;
}

static struct term *term_get(struct search_index *ix, const char *s, size_t n)
{
	size_t h = (size_t)hash(s, n) & (ix->nslots - 1);
	while (ix->slots[h]) {
		struct term *t = &ix->terms[ix->slots[h] - 1];
		if (t->len == n && !memcmp(t->text, s, n))
			return t;
		h = (h + 1) & (ix->nslots - 1);
	}
	ix->terms = xgrow(ix->terms, &ix->capterms, ix->nterms + 1, sizeof(*ix->terms));
	struct term *t = &ix->terms[ix->nterms];
	memset(t, 0, sizeof(*t));
	t->text = xstrndup(s, n);
	t->len = n;
	ix->slots[h] = ++ix->nterms;
	if (ix->nterms * 2 > ix->nslots)
		grow_slots(ix);
	return &ix->terms[ix->nterms - 1];
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
	if (search_is_stop(w, n))
		return;
	search_stem(ix, w, n, &ix->stem);
	struct term *t = term_get(ix, ix->stem.ptr, ix->stem.size);
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

/* ---- writing ------------------------------------------------------------------ */

static void b36(struct strbuf *sb, size_t v)
{
	char buf[16];
	size_t n = 0;
	do {
		buf[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v);
	while (n)
		sb_putc(sb, buf[--n]);
}

/* A term's postings: "doc,wtf,pos,pos…;doc,…", doc and positions as
 * deltas, all base 36. */
static void encode(const struct term *t, struct strbuf *sb)
{
	size_t i = 0;
	struct strbuf pos = STRBUF_INIT;
	bool first = true;
	while (i < t->npost) {
		uint64_t mark = get_varint(t->post, &i);
		assert(mark == 0);
		(void)mark;
		uint64_t ddoc = get_varint(t->post, &i);
		int64_t wtf = 0;
		sb_clear(&pos);
		while (i < t->npost && t->post[i] != 0) {
			uint64_t v = get_varint(t->post, &i);
			wtf += (int64_t)(v & 7);
			sb_putc(&pos, ',');
			b36(&pos, (size_t)(v >> 3));
		}
		if (!first)
			sb_putc(sb, ';');
		first = false;
		b36(sb, (size_t)ddoc);
		sb_putc(sb, ',');
		b36(sb, (size_t)wtf);
		sb_put(sb, pos.ptr, pos.size);
	}
	sb_free(&pos);
}

static void json_str(struct strbuf *sb, const char *s, size_t n)
{
	struct value *v = value_new_string(s, n);
	json_write(sb, v, 0);
	value_free(v);
}

/* The byte length of the first `cps` code points of s[0, n). */
static size_t cp_len(const char *s, size_t n, size_t cps)
{
	size_t i = 0;
	for (size_t k = 0; k < cps && i < n; k++)
		utf8_next(s, n, &i);
	return i;
}

struct entry {
	const struct term *t;
	size_t size; /* encoded bytes */
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->t->len < y->t->len ? x->t->len : y->t->len;
	int c = memcmp(x->t->text, y->t->text, n);
	return c ? c : (x->t->len > y->t->len) - (x->t->len < y->t->len);
}

static bool same_prefix(const struct entry *x, const struct entry *y, size_t cps)
{
	size_t a = cp_len(x->t->text, x->t->len, cps), b = cp_len(y->t->text, y->t->len, cps);
	return a == b && !memcmp(x->t->text, y->t->text, a);
}

static void hex(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "%02x", (unsigned char)s[i]);
}

struct writer {
	const struct entry *e;
	struct strbuf sb, name, keys;
	size_t nshards;
	int (*fn)(const char *name, const char *data, size_t len, void *ctx);
	void *ctx;
};

/* One shard: the terms e[a, b), which share their first `cps` code points. */
static int write_shard(struct writer *w, size_t a, size_t b, size_t cps)
{
	const struct entry *e = w->e;
	size_t klen = cp_len(e[a].t->text, e[a].t->len, cps);
	sb_clear(&w->sb);
	sb_puts(&w->sb, "(window.DOSSIER_SEARCH_T = window.DOSSIER_SEARCH_T || {})[");
	json_str(&w->sb, e[a].t->text, klen);
	sb_puts(&w->sb, "] = {");
	for (size_t k = a; k < b; k++) {
		if (k > a)
			sb_putc(&w->sb, ',');
		sb_putc(&w->sb, '\n');
		json_str(&w->sb, e[k].t->text, e[k].t->len);
		sb_puts(&w->sb, ":\"");
		encode(e[k].t, &w->sb);
		sb_putc(&w->sb, '"');
	}
	sb_puts(&w->sb, "\n};\n");
	sb_clear(&w->name);
	sb_puts(&w->name, "t-");
	hex(&w->name, e[a].t->text, klen);
	sb_puts(&w->name, ".js");
	if (w->nshards++)
		sb_putc(&w->keys, ',');
	json_str(&w->keys, e[a].t->text, klen);
	return w->fn(w->name.ptr, w->sb.ptr, w->sb.size, w->ctx);
}

/* The terms e[a, b) sharing `cps` first code points: one shard, or, above
 * SEARCH_SHARD_MAX bytes, one range per next code point (up to
 * SEARCH_KEY_MAX code points of key). */
static int write_range(struct writer *w, size_t a, size_t b, size_t cps)
{
	size_t total = 0;
	for (size_t k = a; k < b; k++)
		total += w->e[k].size;
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
	struct writer w = { e, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0, fn, ctx };
	for (size_t i = 0; i < ix->nterms; i++) {
		if (stop && i % 4096 == 0 && stop(stop_arg)) {
			sb_free(&w.sb);
			free(e);
			return -2;
		}
		sb_clear(&w.sb);
		encode(&ix->terms[i], &w.sb);
		e[i].t = &ix->terms[i];
		e[i].size = w.sb.size + ix->terms[i].len + 6;
	}
	if (ix->nterms)
		qsort(e, ix->nterms, sizeof(*e), entry_cmp);
	int rc = 0;
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
		struct strbuf *sb = &w.sb;
		sb_clear(sb);
		sb_puts(sb, "window.DOSSIER_SEARCH = {\"v\":1,");
		sb_puts(sb, extra);
		sb_printf(sb, "\"n\":%zu,\"avgdl\":%.3f,\"terms\":%zu,\"keymax\":%d,\"dl\":[", ix->ndocs,
			  ix->ndocs ? (double)total / (double)ix->ndocs : 0.0, ix->nterms, SEARCH_KEY_MAX);
		for (size_t i = 0; i < ix->ndocs; i++)
			sb_printf(sb, "%s%zu", i ? "," : "", ix->dl[i]);
		sb_puts(sb, "],\"shards\":[");
		sb_put(sb, w.keys.ptr, w.keys.size);
		sb_puts(sb, "]};\n");
		rc = fn("index.js", sb->ptr, sb->size, ctx);
	}
	sb_free(&w.sb);
	sb_free(&w.name);
	sb_free(&w.keys);
	free(e);
	return rc;
}
