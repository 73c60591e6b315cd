#include <criterion/criterion.h>
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
	 * 5 indexed words; doc 1: no, crash, here = 3. */
	cr_assert(strstr(man, "\"docs\":8,\"n\":2,\"avgdl\":4.000,") != NULL, "%s", man);
	cr_assert(strstr(man, "\"dl\":[5,3]") != NULL, "%s", man);
	cr_assert(strstr(man, "\"shards\":[\"c\",\"h\",\"m\",\"n\",\"w\"]") != NULL, "%s", man);
	const char *c = file(&f, "t-63.js");
	cr_assert_not_null(c, "no shard for 'c'");
	/* The second field starts at 2 + SEARCH_FIELD_GAP = 10 ("the"), so
	 * crash: doc 0, tf 4 (title) + 1, positions 1 and 12 (deltas 1, b in
	 * base 36); doc 1 (delta 1), tf 1, position 1. */
	cr_assert(strstr(c, "\"crash\":\"0,5,1,b;1,1,1\"") != NULL, "%s", c);
	const char *m = file(&f, "t-6d.js");
	cr_assert(strstr(m, "\"market\":\"0,5,0,b\"") != NULL, "%s", m);
	cr_assert_null(file(&f, "t-74.js"), "stop words are not indexed");
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
