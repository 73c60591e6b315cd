#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

static char *fold(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	search_fold(s, strlen(s), &sb);
	return sb_detach(&sb);
}

Test(search, fold_case_diacritics_quotes)
{
	char *f = fold("Zschäpitz’s ÉCOLE “naïve” Straße Łódź Œuvre e\xcc\x81t\xc3\xa9");
	cr_assert_str_eq(f, "zschapitz's ecole \"naive\" strasse lodz oeuvre ete");
	free(f);
	/* Outside the table: unchanged (× and ÷ are not letters). */
	f = fold("3×4÷2 株式 Ω");
	cr_assert_str_eq(f, "3×4÷2 株式 Ω");
	free(f);
}

struct collect {
	char buf[512];
};

static void add(const char *w, size_t n, void *ctx)
{
	struct collect *c = ctx;
	strncat(c->buf, w, n);
	strcat(c->buf, "|");
}

static const char *split(const char *folded)
{
	static struct collect c;
	c.buf[0] = '\0';
	search_words(folded, strlen(folded), add, &c);
	return c.buf;
}

Test(search, words)
{
	cr_assert_str_eq(split("deepseek's r1-model, 5.6 million 'quoted' rock'n'roll"),
			 "deepseek's|r1|model|5|6|million|quoted|rock'n'roll|");
	cr_assert_str_eq(split("株式 — émigré… end'"), "株式|émigré|end|");
	char longw[100];
	memset(longw, 'a', 70);
	strcpy(longw + 70, " ok");
	cr_assert_str_eq(split(longw), "ok|", "words over SEARCH_WORD_MAX bytes are skipped");
}

Test(search, stop_words)
{
	cr_assert(search_is_stop("the", 3));
	cr_assert(search_is_stop("with", 4));
	cr_assert(search_is_stop("a", 1));
	cr_assert(!search_is_stop("them", 4));
	cr_assert(!search_is_stop("th", 2));
	cr_assert(!search_is_stop("deepseek", 8));
}

Test(search, snowball_english_stems)
{
	/* Examples of the published algorithm (snowballstem.org). */
	static const char *const pairs[][2] = {
		{ "consign", "consign" },
		{ "consigned", "consign" },
		{ "consistency", "consist" },
		{ "knack", "knack" },
		{ "knackeries", "knackeri" },
		{ "kneeling", "kneel" },
		{ "generously", "generous" },
		{ "skies", "sky" },
		{ "dying", "die" },
		{ "news", "news" },
		{ "moments", "moment" },
		{ "deepseek's", "deepseek" },
		{ "crashes", "crash" },
		{ "hopping", "hop" },
		{ "hoping", "hope" },
		{ "cries", "cri" },
		{ "ties", "tie" },
		{ "gas", "gas" },
		{ "gaps", "gap" },
		{ "succeeded", "succeed" },
		{ "株式", "株式" },
	};
	struct search_index *ix = search_new();
	cr_assert_not_null(ix, "libstemmer has no English stemmer");
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		search_stem(ix, pairs[i][0], strlen(pairs[i][0]), &sb);
		cr_expect_str_eq(sb.ptr, pairs[i][1], "%s", pairs[i][0]);
	}
	sb_free(&sb);
	search_free(ix);
}

struct files {
	char *names[8192];
	char *data[8192];
	size_t n;
};

static int keep(const char *name, const char *data, size_t len, void *ctx)
{
	struct files *f = ctx;
	cr_assert_lt(f->n, 8192);
	f->names[f->n] = strdup(name);
	f->data[f->n] = strndup(data, len);
	f->n++;
	return 0;
}

static const char *file(const struct files *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->names[i], name))
			return f->data[i];
	return NULL;
}

static void files_free(struct files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		free(f->data[i]);
	}
}

/* A reader of the bit strings, written from the format in search.h. */
struct reader {
	const char *s;
	size_t n, i;
	unsigned acc;
	int bits;
};

static int digit(char c)
{
	static const char d[] = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`"
				"abcdefghijklmnopqrstuvwxyz{|}~";
	const char *p = strchr(d, c);
	cr_assert(c && p, "'%c' is not a digit", c);
	return (int)(p - d);
}

static unsigned bit(struct reader *r)
{
	if (!r->bits) {
		cr_assert_lt(r->i, r->n, "the bit string ends early");
		if (r->i + 1 < r->n) {
			r->acc = (unsigned)(digit(r->s[r->i]) + 92 * digit(r->s[r->i + 1]));
			r->bits = 13;
			r->i += 2;
		} else {
			r->acc = (unsigned)digit(r->s[r->i++]);
			r->bits = 6;
		}
	}
	return (r->acc >> --r->bits) & 1;
}

static uint64_t gamma_read(struct reader *r)
{
	int z = 0;
	while (!bit(r))
		z++;
	uint64_t v = 1;
	while (z--)
		v = v * 2 + bit(r);
	return v;
}

static uint64_t rice_read(struct reader *r, int k)
{
	uint64_t q = 0;
	while (q < SEARCH_RICE_ESCAPE && bit(r))
		q++;
	if (q == SEARCH_RICE_ESCAPE)
		return gamma_read(r) - 1 + ((uint64_t)SEARCH_RICE_ESCAPE << k);
	uint64_t v = 0;
	for (int i = 0; i < k; i++)
		v = v * 2 + bit(r);
	return (q << k) + v;
}

/* Only padding is left: fewer than 13 bits, all zero. */
static void expect_end(struct reader *r)
{
	cr_expect(r->i == r->n, "%zu digits left", r->n - r->i);
	cr_expect_eq(r->acc & ((1u << r->bits) - 1), 0u, "padding is zeros");
}

Test(search, gamma_and_rice_codes_round_trip)
{
	static const uint64_t vals[] = { 0, 1, 2, 3, 7, 8, 100, 1000, 4095, 65536, 1u << 30 };
	struct strbuf sb = STRBUF_INIT;
	for (int len = 1; len <= 40; len++) {
		sb_clear(&sb);
		struct search_bits b = { &sb, 0, 0 };
		for (int i = 0; i < len; i++) {
			uint64_t v = vals[i % 11];
			search_gamma(&b, v + 1);
			search_rice(&b, v, i % 5); /* small k: the escape too */
		}
		search_bits_flush(&b);
		cr_assert(!strchr(sb.ptr, '"') && !strchr(sb.ptr, '\\') && !strchr(sb.ptr, ' '));
		struct reader r = { sb.ptr, sb.size, 0, 0, 0 };
		for (int i = 0; i < len; i++) {
			uint64_t v = vals[i % 11];
			cr_assert_eq(gamma_read(&r), v + 1, "value %d of %d", i, len);
			cr_assert_eq(rice_read(&r, i % 5), v, "value %d of %d", i, len);
		}
		expect_end(&r);
	}
	sb_free(&sb);
	cr_expect_eq(search_rice_k(11 * 100, 16 * 1), 6, "mean 68.75: k 6");
	cr_expect_eq(search_rice_k(1, 16), 0);
	cr_expect_eq(search_rice_k(5, 0), 0);
}

/* The bit string of term `t` in a shard file. */
static struct reader entry(const char *file, const char *t)
{
	char key[64];
	snprintf(key, sizeof key, "\n\"%s\":\"", t);
	const char *p = strstr(file, key);
	cr_assert_not_null(p, "no '%s' in %s", t, file);
	p += strlen(key);
	return (struct reader){ p, (size_t)(strchr(p, '"') - p), 0, 0, 0 };
}

/* A term's postings as "doc:wtf:pos,pos;…" (n documents, lengths dl). */
static char *postings(const char *tfile, const char *pfile, const char *t, size_t n, const size_t *dl)
{
	struct reader rt = entry(tfile, t), rp = entry(pfile, t);
	struct strbuf sb = STRBUF_INIT;
	uint64_t df = gamma_read(&rt);
	int kw = (int)gamma_read(&rt) - 1, kd = search_rice_k(11 * n, 16 * df);
	uint64_t doc = (uint64_t)-1;
	for (uint64_t i = 0; i < df; i++) {
		doc += 1 + rice_read(&rt, kd);
		uint64_t wtf = 1 + rice_read(&rt, kw);
		uint64_t count = wtf - rice_read(&rp, 0);
		int kp = search_rice_k(dl[doc], count);
		sb_printf(&sb, "%s%llu:%llu:", i ? ";" : "", (unsigned long long)doc,
			  (unsigned long long)wtf);
		uint64_t at = (uint64_t)-1;
		for (uint64_t k = 0; k < count; k++) {
			at += 1 + rice_read(&rp, kp);
			sb_printf(&sb, "%s%llu", k ? "," : "", (unsigned long long)at);
		}
	}
	expect_end(&rt);
	expect_end(&rp);
	return sb_detach(&sb);
}

Test(search, postings_positions_and_manifest)
{
	struct search_index *ix = search_new();
	cr_assert_eq(search_doc_begin(ix), 0);
	search_doc_field(ix, "Market crash", 12, 4);
	search_doc_field(ix, "The markets crashed in the week.", 32, 1);
	cr_assert_eq(search_doc_begin(ix), 1);
	search_doc_field(ix, "No crash here", 13, 1);
	cr_assert_eq(search_doc_count(ix), 2);
	static struct files f;
	memset(&f, 0, sizeof f);
	cr_assert_eq(search_write(ix, "\"docs\":8,", keep, &f), 0);
	const char *man = file(&f, "index.js");
	cr_assert_not_null(man);
	/* Doc 0: market, crash | the(stop) markets crashed in(stop) the(stop) week:
	 * 5 indexed words; doc 1: no, crash, here = 3. avgdl 4: dlk 1
	 * (4 * 11 / 16 = 2), so 5 is Rice "110" "1", 3 is "10" "1": 1101101 as
	 * one 7-bit group padded to 13: 1101101000000 = 6976 = 75 * 92 + 76, digits
	 * 76 "o" and 75 "n". */
	cr_assert(strstr(man, "\"v\":2,\"docs\":8,\"n\":2,\"avgdl\":4.000,") != NULL, "%s", man);
	cr_assert(strstr(man, "\"dlk\":1,\"dl\":\"on\"") != NULL, "%s", man);
	cr_assert(strstr(man, "\"shards\":[\"c\",\"h\",\"m\",\"n\",\"w\"]") != NULL, "%s", man);
	const char *c = file(&f, "t-63.js"), *cp = file(&f, "p-63.js");
	cr_assert_not_null(c, "no shard for 'c'");
	cr_assert_not_null(cp, "no positions for 'c'");
	cr_assert(strstr(c, "(window.DOSSIER_SEARCH_T = window.DOSSIER_SEARCH_T || {})[\"c\"] = {") == c);
	cr_assert(strstr(cp, "(window.DOSSIER_SEARCH_P = window.DOSSIER_SEARCH_P || {})[\"c\"] = {") == cp);
	/* The second field starts at 2 + SEARCH_FIELD_GAP = 10 ("the"), so
	 * crash: doc 0, tf 4 (title) + 1, positions 1 and 12; doc 1, tf 1,
	 * position 1. */
	const size_t dl[] = { 5, 3 };
	char *crash = postings(c, cp, "crash", 2, dl);
	cr_expect_str_eq(crash, "0:5:1,12;1:1:1");
	free(crash);
	char *market = postings(file(&f, "t-6d.js"), file(&f, "p-6d.js"), "market", 2, dl);
	cr_expect_str_eq(market, "0:5:0,11");
	free(market);
	char *week = postings(file(&f, "t-77.js"), file(&f, "p-77.js"), "week", 2, dl);
	cr_expect_str_eq(week, "0:1:15");
	free(week);
	cr_assert_null(file(&f, "t-74.js"), "stop words are not indexed");
	files_free(&f);
	search_free(ix);
}

Test(search, a_word_seen_again_gives_the_same_term)
{
	/* Words are stemmed once and remembered: the second document's
	 * "crashes" and "the" (a stop word, remembered as one) count as the
	 * first's. */
	struct search_index *ix = search_new();
	search_doc_begin(ix);
	search_doc_field(ix, "crashes the crashing", 20, 1);
	search_doc_begin(ix);
	search_doc_field(ix, "the crashes", 11, 2);
	static struct files f;
	memset(&f, 0, sizeof f);
	cr_assert_eq(search_write(ix, "", keep, &f), 0);
	const size_t dl[] = { 2, 1 };
	char *crash = postings(file(&f, "t-63.js"), file(&f, "p-63.js"), "crash", 2, dl);
	cr_expect_str_eq(crash, "0:2:0,2;1:2:1");
	free(crash);
	cr_assert(strstr(file(&f, "index.js"), "\"terms\":1,") != NULL);
	files_free(&f);
	search_free(ix);
}

Test(search, large_shards_split_by_longer_prefixes)
{
	struct search_index *ix = search_new();
	search_doc_begin(ix);
	/* Many distinct "b…" words: more than SEARCH_SHARD_MAX bytes of "b". */
	struct strbuf text = STRBUF_INIT;
	for (int i = 0; i < 6000; i++)
		sb_printf(&text, "b%c%cx%d ", 'a' + i % 26, 'a' + (i / 26) % 26, i);
	sb_puts(&text, "b zebra");
	search_doc_field(ix, text.ptr, text.size, 1);
	static struct files f;
	memset(&f, 0, sizeof f);
	cr_assert_eq(search_write(ix, "", keep, &f), 0);
	const char *man = file(&f, "index.js");
	cr_assert(strstr(man, "\"z\"") != NULL, "the small letter keeps one shard");
	cr_assert(strstr(man, "\"ba\"") != NULL || strstr(man, "\"baa\"") != NULL, "'b' is split: %.300s", strstr(man, "shards"));
	cr_assert_not_null(file(&f, "t-62.js"), "the one-letter term 'b' keeps a shard of its own");
	cr_assert(strstr(file(&f, "t-62.js"), "\"b\":") != NULL);
	for (size_t i = 0; i < f.n; i++)
		if (!strncmp(f.names[i], "t-", 2))
			cr_assert_leq(strlen(f.data[i]), SEARCH_SHARD_MAX + 4096, "%s is %zu bytes", f.names[i], strlen(f.data[i]));
	sb_free(&text);
	files_free(&f);
	search_free(ix);
}
