#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher.h"
#include "strbuf.h"

struct name {
	const char *name;
	int id;
	bool cs;
};

/*
 * Every matcher a test makes with make() has a twin built from the same
 * names with no row but the root's (matcher_set_dense_limit 0), so every
 * state beyond it takes the sparse path; scan() checks that the twin finds
 * exactly the same hits. drop() frees both.
 */
static struct {
	const struct matcher *m;
	struct matcher *twin;
} twins[8];

static struct matcher *build(const struct name *names, size_t n, size_t limit)
{
	struct matcher *m = matcher_new();
	matcher_set_dense_limit(m, limit);
	for (size_t i = 0; i < n; i++) {
		int other = 0;
		int rc = matcher_add(m, names[i].name, strlen(names[i].name),
				     names[i].id, names[i].cs, &other);
		cr_assert_eq(rc, 0, "add '%s' failed (other %d)", names[i].name,
			     other);
	}
	matcher_build(m);
	return m;
}

static struct matcher *make(const struct name *names, size_t n)
{
	struct matcher *m = build(names, n, MATCHER_DENSE_BYTES);
	size_t i = 0;
	while (i < 8 && twins[i].m)
		i++;
	cr_assert_lt(i, 8, "more than 8 matchers alive");
	twins[i].m = m;
	twins[i].twin = build(names, n, 0);
	return m;
}

static void drop(struct matcher *m)
{
	for (size_t i = 0; i < 8; i++) {
		if (twins[i].m == m && m) {
			matcher_free(twins[i].twin);
			twins[i].m = NULL;
			twins[i].twin = NULL;
		}
	}
	matcher_free(m);
}

static char *scan_one(const struct matcher *m, const char *text);

/* The hits as "text=id" separated by '|', e.g. "Meta=1|GPUs=2"; the
 * same from m's twin, if it has one. */
static char *scan(const struct matcher *m, const char *text)
{
	char *got = scan_one(m, text);
	for (size_t i = 0; i < 8; i++) {
		if (twins[i].m == m) {
			char *sparse = scan_one(twins[i].twin, text);
			cr_assert_str_eq(sparse, got, "sparse twin on \"%s\"", text);
			free(sparse);
		}
	}
	return got;
}

static char *scan_one(const struct matcher *m, const char *text)
{
	struct matcher_hit *hits = NULL;
	size_t cap = 0, n = matcher_scan(m, text, strlen(text), &hits, &cap);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		cr_assert_lt(hits[i].start, hits[i].end);
		if (i)
			cr_assert_geq(hits[i].start, hits[i - 1].end);
		sb_printf(&sb, "%s%.*s=%d", i ? "|" : "",
			  (int)(hits[i].end - hits[i].start), text + hits[i].start,
			  hits[i].id);
	}
	free(hits);
	return sb_detach(&sb);
}

#define NAMES(...) ((const struct name[]){ __VA_ARGS__ })
#define COUNT(...) (sizeof(NAMES(__VA_ARGS__)) / sizeof(struct name))
#define MATCHER(...) make(NAMES(__VA_ARGS__), COUNT(__VA_ARGS__))

static void expect(const struct matcher *m, const char *text, const char *want)
{
	char *got = scan(m, text);
	cr_expect_str_eq(got, want, "text: \"%s\"", text);
	free(got);
}

Test(matcher, longest_match)
{
	struct matcher *m = MATCHER({ "Andreessen", 1, true },
				    { "Andreessen Horowitz", 2, true },
				    { "DeepSeek", 3, true },
				    { "DeepSeek R1", 4, true });
	expect(m, "Andreessen Horowitz backed it", "Andreessen Horowitz=2");
	expect(m, "Marc Andreessen said", "Andreessen=1");
	expect(m, "DeepSeek R1 beat DeepSeek V3", "DeepSeek R1=4|DeepSeek=3");
	expect(m, "DeepSeek R10", "DeepSeek=3");
	drop(m);
}

Test(matcher, overlaps_leftmost_wins)
{
	struct matcher *m = MATCHER({ "Marc Andreessen", 1, true },
				    { "Andreessen Horowitz", 2, true },
				    { "New York", 3, true },
				    { "York Times", 4, true });
	expect(m, "Marc Andreessen Horowitz", "Marc Andreessen=1");
	expect(m, "the New York Times", "New York=3");
	expect(m, "a York Times story", "York Times=4");
	drop(m);
}

/* A longer candidate that fails must not hide the matches inside it. */
Test(matcher, failed_longer_candidate)
{
	struct matcher *m = MATCHER({ "Meta", 1, true },
				    { "Meta Platforms Inc", 2, true },
				    { "Platforms", 3, true },
				    { "ab", 4, true },
				    { "cd", 5, true },
				    { "ab cd ef gh", 6, true });
	expect(m, "Meta Platforms said", "Meta=1|Platforms=3");
	expect(m, "Meta Platforms Incorporated", "Meta=1|Platforms=3");
	expect(m, "Meta Platforms Inc.", "Meta Platforms Inc=2");
	expect(m, "ab cd ef xx", "ab=4|cd=5");
	expect(m, "ab cd ef", "ab=4|cd=5");
	expect(m, "x ab cd ef gh", "ab cd ef gh=6");
	drop(m);
}

Test(matcher, word_boundaries)
{
	struct matcher *m = MATCHER({ "Meta", 1, true }, { "R1", 2, true });
	expect(m, "metadata Metaverse MetaMeta aMeta Meta2 Meta_x", "");
	expect(m, "éMeta Metaé Meta\u0301", "");
	expect(m, "R10 R1x xR1 R1.5 R1.", "R1=2");
	expect(m, "(Meta) Meta. Meta, Meta-owned -Meta- [Meta]",
	       "Meta=1|Meta=1|Meta=1|Meta=1|Meta=1|Meta=1");
	drop(m);
}

Test(matcher, decimal_numbers)
{
	struct matcher *m = MATCHER({ "GPT-4", 1, true },
				    { "Nasdaq 100", 2, true },
				    { "Llama 3.1", 3, true });
	expect(m, "GPT-4.5 and GPT-4o, not GPT-4.", "GPT-4=1");
	expect(m, "GPT-4, GPT-4,5 GPT-4.x", "GPT-4=1|GPT-4=1");
	expect(m, "the Nasdaq 100,000 and the Nasdaq 100, down",
	       "Nasdaq 100=2");
	expect(m, "Llama 3.1. Llama 3.10 Llama 3", "Llama 3.1=3");
	drop(m);
}

Test(matcher, unicode_punctuation)
{
	struct matcher *m = MATCHER({ "Meta", 1, true }, { "Llama", 2, true });
	expect(m, "Meta\u2014Llama", "Meta=1|Llama=2");
	expect(m, "Meta\u2013Llama", "Meta=1|Llama=2");
	expect(m, "\u201cMeta\u201d \u2018Llama\u2019", "Meta=1|Llama=2");
	expect(m, "Meta\u2026 \u00abLlama\u00bb", "Meta=1|Llama=2");
	expect(m, "Meta\u00a0Llama\u3002", "Meta=1|Llama=2");
	expect(m, "\u300cMeta\u300d\u3001Llama\uff0c", "Meta=1|Llama=2");
	expect(m, "Meta\u2122 Llama\u00ae", "Meta=1|Llama=2");
	drop(m);
}

Test(matcher, emoji_adjacent)
{
	struct matcher *m = MATCHER({ "Meta", 1, true }, { "Nvidia", 2, true });
	expect(m, "\U0001F680Meta\U0001F680", "Meta=1");
	expect(m, "Meta\U0001F44D\U0001F3FD Nvidia\u2764\ufe0f", "Meta=1|Nvidia=2");
	expect(m, "\U0001F468\u200D\U0001F4BBNvidia", "Nvidia=2");
	drop(m);
}

Test(matcher, text_start_and_end)
{
	struct matcher *m = MATCHER({ "Meta", 1, true },
				    { "Llama 3", 2, true });
	expect(m, "Meta", "Meta=1");
	expect(m, "Meta is", "Meta=1");
	expect(m, "is Meta", "Meta=1");
	expect(m, "Llama 3", "Llama 3=2");
	expect(m, " Meta ", "Meta=1");
	expect(m, "Llama", "");
	expect(m, "Llama 3", "Llama 3=2");
	drop(m);
}

Test(matcher, case_sensitivity)
{
	struct matcher *m = MATCHER({ "Meta", 1, true },
				    { "deepseek", 2, false },
				    { "Zürich", 3, false },
				    { "ΑΘΗΝΑ", 4, false },
				    { "Apple", 5, true },
				    { "APPLE", 6, true });
	expect(m, "meta META Meta", "Meta=1");
	expect(m, "DeepSeek DEEPSEEK deepseek", "DeepSeek=2|DEEPSEEK=2|deepseek=2");
	expect(m, "ZÜRICH zürich", "ZÜRICH=3|zürich=3");
	expect(m, "Αθηνα", "Αθηνα=4");
	expect(m, "Apple APPLE apple", "Apple=5|APPLE=6");
	drop(m);
}

Test(matcher, possessives)
{
	struct matcher *m = MATCHER({ "Meta", 1, true }, { "GPU", 2, true },
				    { "Jones", 3, true });
	struct matcher_hit *hits = NULL;
	size_t cap = 0;
	const char *text = "Meta\u2019s";

	expect(m, "Meta's model", "Meta=1");
	expect(m, "Meta\u2019s model", "Meta=1");
	expect(m, "Meta\u02BCs model", "Meta=1");
	expect(m, "the GPUs' speed, the GPU's price", "GPUs=2|GPU=2");
	expect(m, "Jones' book, Jones\u2019s book", "Jones=3|Jones=3");
	cr_assert_eq(matcher_scan(m, text, strlen(text), &hits, &cap), 1);
	cr_expect_eq(hits[0].start, 0);
	cr_expect_eq(hits[0].end, 4);
	free(hits);
	drop(m);
}

Test(matcher, plurals)
{
	struct matcher *m = MATCHER({ "R1", 1, true }, { "GPU", 2, true },
				    { "Bus", 3, false }, { "Match", 4, false },
				    { "Nvidia", 5, true }, { "U.S.", 6, true });
	expect(m, "two R1s and GPUs", "R1s=1|GPUs=2");
	expect(m, "buses Busses matches", "buses=3|matches=4");
	expect(m, "Nvidias Nvidiaes GPUS GPUes", "Nvidias=5");
	expect(m, "U.S.s", "");
	drop(m);
}

Test(matcher, exact_name_beats_plural)
{
	struct matcher *m = MATCHER({ "GPU", 1, true }, { "GPUs", 2, true },
				    { "Mae", 3, true }, { "Ma", 4, true });
	expect(m, "GPUs GPU", "GPUs=2|GPU=1");
	expect(m, "GPUss", "");
	expect(m, "Maes Ma Mas", "Maes=3|Ma=4|Mas=4");
	drop(m);
}

Test(matcher, whitespace_normalised)
{
	struct matcher *m = MATCHER({ "DeepSeek R1", 1, true },
				    { "  S&P   500 ", 2, true });
	expect(m, "DeepSeek\nR1", "DeepSeek\nR1=1");
	expect(m, "DeepSeek \t\r\n  R1", "DeepSeek \t\r\n  R1=1");
	expect(m, "DeepSeek\u00a0R1 DeepSeek\u2009R1",
	       "DeepSeek\u00a0R1=1|DeepSeek\u2009R1=1");
	expect(m, "the S&P 500's fall", "S&P 500=2");
	expect(m, "the S&P500", "");
	drop(m);
}

Test(matcher, names_with_apostrophes)
{
	struct matcher *m = MATCHER({ "Moody's", 1, true },
				    { "O\u2019Brien", 2, true });
	expect(m, "Moody's and Moody\u2019s", "Moody's=1|Moody\u2019s=1");
	expect(m, "O'Brien and O\u2019Brien", "O'Brien=2|O\u2019Brien=2");
	expect(m, "Moody", "");
	drop(m);
}

Test(matcher, name_ending_in_punctuation)
{
	struct matcher *m = MATCHER({ "U.S.", 1, true }, { ".NET", 2, true },
				    { "S&P 500", 3, true });
	expect(m, "the U.S. economy", "U.S.=1");
	expect(m, "U.S., and U.S.", "U.S.=1|U.S.=1");
	expect(m, "U.S.A", "");
	expect(m, "use .NET now, not ASP.NET", ".NET=2");
	expect(m, "S&P 5000 S&P 500x", "");
	drop(m);
}

Test(matcher, duplicate_names)
{
	struct matcher *m = matcher_new();
	int other = 0;

	cr_assert_eq(matcher_add(m, "Meta", 4, 1, true, &other), 0);
	cr_assert_eq(matcher_add(m, "Meta", 4, 2, true, &other), -1);
	cr_expect_eq(other, 1);
	other = 0;
	cr_assert_eq(matcher_add(m, "META", 4, 3, false, &other), -1);
	cr_expect_eq(other, 1);
	cr_assert_eq(matcher_add(m, "META", 4, 3, true, &other), 0);
	cr_assert_eq(matcher_add(m, "deep seek", 9, 4, false, &other), 0);
	cr_assert_eq(matcher_add(m, " Deep \n Seek", 12, 5, true, &other), -1);
	cr_expect_eq(other, 4);
	cr_assert_eq(matcher_add(m, "O'Brien", 7, 6, true, &other), 0);
	cr_assert_eq(matcher_add(m, "O\u2019Brien", 9, 7, true, &other), -1);
	cr_expect_eq(other, 6);
	cr_assert_eq(matcher_add(m, "  \n", 3, 8, true, &other), -1);
	cr_expect_eq(other, -1);
	cr_assert_eq(matcher_add(m, "", 0, 8, true, NULL), -1);
	cr_assert_eq(matcher_name_count(m), 4);
	matcher_build(m);
	expect(m, "Meta META meta O\u2019Brien", "Meta=1|META=3|O\u2019Brien=6");
	drop(m);
}

Test(matcher, name_index)
{
	struct matcher *m = matcher_new();
	struct matcher_hit *hits = NULL;
	size_t cap = 0;
	const char *text = "Zuck met Zuckerberg";

	cr_assert_eq(matcher_add(m, "Mark Zuckerberg", 15, 7, true, NULL), 0);
	cr_assert_eq(matcher_add(m, "Mark Zuckerberg", 15, 7, true, NULL), -1);
	cr_assert_eq(matcher_add(m, "Zuckerberg", 10, 7, true, NULL), 0);
	cr_assert_eq(matcher_add(m, "Zuck", 4, 7, true, NULL), 0);
	matcher_build(m);
	cr_assert_eq(matcher_scan(m, text, strlen(text), &hits, &cap), 2);
	cr_expect_eq(hits[0].name_index, 2);
	cr_expect_eq(hits[1].name_index, 1);
	cr_expect_eq(hits[1].start, 9);
	cr_expect_eq(hits[1].end, 19);
	/* The array is reused; hits start again at index 0. */
	cr_assert_eq(matcher_scan(m, "Mark Zuckerberg", 15, &hits, &cap), 1);
	cr_expect_eq(hits[0].name_index, 0);
	cr_expect_eq(hits[0].id, 7);
	free(hits);
	drop(m);
}

Test(matcher, empty_input)
{
	struct matcher *m = MATCHER({ "Meta", 1, true });
	struct matcher *none = matcher_new();
	struct matcher_hit *hits = NULL;
	size_t cap = 0;

	cr_expect_eq(matcher_scan(m, "", 0, &hits, &cap), 0);
	cr_expect_eq(matcher_scan(m, "Meta", 0, &hits, &cap), 0);
	cr_expect_eq(matcher_scan(m, " \n\t", 3, &hits, &cap), 0);
	matcher_build(none);
	cr_expect_eq(matcher_scan(none, "Meta", 4, &hits, &cap), 0);
	cr_expect_eq(matcher_state_count(none), 1);
	free(hits);
	drop(none);
	drop(m);
	drop(NULL);
}

Test(matcher, invalid_utf8)
{
	struct matcher *m = MATCHER({ "Meta", 1, true });
	expect(m, "\xffMeta \xc3Meta Meta\x80 \xe2\x80Meta", "");
	expect(m, "\xff Meta \xc3", "Meta=1");
	drop(m);
}

/* Names longer than the scanner's stack ring buffer. */
Test(matcher, long_name)
{
	char name[400], text[500];
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	for (size_t i = 10; i < sizeof(name) - 1; i += 11)
		name[i] = ' ';
	snprintf(text, sizeof(text), "x %s y", name);
	struct matcher *m = matcher_new();
	cr_assert_eq(matcher_add(m, name, strlen(name), 1, true, NULL), 0);
	cr_assert_eq(matcher_add(m, "aaaaaaaaaa", 10, 2, true, NULL), 0);
	matcher_build(m);
	struct matcher_hit *hits = NULL;
	size_t cap = 0;
	cr_assert_eq(matcher_scan(m, text, strlen(text), &hits, &cap), 1);
	cr_expect_eq(hits[0].start, 2);
	cr_expect_eq(hits[0].end, 2 + strlen(name));
	text[strlen(text) - 3] = 'b'; /* the long name no longer matches */
	cr_assert_gt(matcher_scan(m, text, strlen(text), &hits, &cap), 30);
	cr_expect_eq(hits[0].id, 2);
	free(hits);
	drop(m);
}

/* Turns i into a pronounceable capitalised word, distinct for each i. */
static void word_for(size_t i, char *out)
{
	static const char cons[] = "bdfgklmnprstvz", vow[] = "aeiou";
	size_t n = 0;
	out[n++] = 'Q';
	do {
		out[n++] = cons[i % 14];
		i /= 14;
		out[n++] = vow[i % 5];
		i /= 5;
	} while (i);
	out[n] = '\0';
}

/* The dense rows' budget: the default; none but the root's; a few rows
 * (a level or two past the root). The hits must not depend on it. */
static const size_t limits[] = { MATCHER_DENSE_BYTES, 0, 4096 };
#define NLIMITS (sizeof(limits) / sizeof(limits[0]))

Test(matcher, thousand_names)
{
	for (size_t l = 0; l < NLIMITS; l++) {
		struct matcher *m = matcher_new();
		matcher_set_dense_limit(m, limits[l]);
		struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;
		char w[32], name[80];

		for (size_t i = 0; i < 1000; i++) {
			word_for(i, w);
			snprintf(name, sizeof(name), i % 3 ? "%s" : "%s Corp", w);
			cr_assert_eq(matcher_add(m, name, strlen(name), (int)i, i % 2,
						 NULL),
				     0);
		}
		matcher_build(m);
		for (size_t j = 0; j < 1000; j++) {
			size_t i = (j * 379) % 1000; /* every name, shuffled */
			word_for(i, w);
			snprintf(name, sizeof(name), i % 3 ? "%s" : "%s Corp", w);
			sb_printf(&text, "%s the %s, ", j ? " and" : "", name);
			sb_printf(&want, "%s%s=%zu", j ? "|" : "", name, i);
		}
		expect(m, text.ptr, want.ptr);
		sb_free(&text);
		sb_free(&want);
		drop(m);
	}
}

/*
 * A slow, obviously correct matcher for ASCII text and case-insensitive
 * names, to compare against: at each word start, try every name.
 */
static bool ref_word(int c)
{
	return isalnum(c) || c == '_';
}

/* With the decimal rule: '.' or ',' between digits is part of a word. */
static bool ref_word_at(const char *t, size_t len, size_t i)
{
	if ((t[i] == '.' || t[i] == ',') && i > 0 && i + 1 < len &&
	    isdigit((unsigned char)t[i - 1]) && isdigit((unsigned char)t[i + 1]))
		return true;
	return ref_word((unsigned char)t[i]);
}

static size_t ref_match_at(const char *t, size_t len, size_t s, const char *name,
			   const char *suffix)
{
	size_t i = s;
	for (const char *p = name; *p; p++) {
		if (*p == ' ') {
			if (i == len || !isspace((unsigned char)t[i]))
				return 0;
			while (i < len && isspace((unsigned char)t[i]))
				i++;
		} else if (i < len && tolower((unsigned char)t[i]) == *p) {
			i++;
		} else {
			return 0;
		}
	}
	for (const char *p = suffix; *p; p++, i++) {
		if (i == len || tolower((unsigned char)t[i]) != *p)
			return 0;
	}
	return i == len || !ref_word_at(t, len, i) ? i : 0;
}

static const char *ref_suffix(const char *name)
{
	size_t n = strlen(name);
	char c = name[n - 1];
	if (!ref_word((unsigned char)c))
		return NULL;
	if (c == 's' || c == 'x' || c == 'z' ||
	    (c == 'h' && n > 1 && (name[n - 2] == 'c' || name[n - 2] == 's')))
		return "es";
	return "s";
}

static char *ref_scan(const char *const *names, size_t nnames, const char *t)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(t), s = 0, nhits = 0;
	while (s < len) {
		size_t best = 0, who = 0;
		bool exact = false;
		if (s > 0 && ref_word_at(t, len, s - 1)) {
			s++;
			continue;
		}
		for (size_t k = 0; k < nnames; k++) {
			const char *suf = ref_suffix(names[k]);
			size_t e = ref_match_at(t, len, s, names[k], "");
			size_t e2 = suf ? ref_match_at(t, len, s, names[k], suf) : 0;
			/* Longest first; an exact name beats an equally long
			 * plural; then the first name added. */
			if (e && (e > best || (e == best && !exact))) {
				best = e, who = k, exact = true;
			} else if (e2 > best) {
				best = e2, who = k, exact = false;
			}
		}
		if (!best) {
			s++;
			continue;
		}
		sb_printf(&sb, "%s%.*s=%zu", nhits++ ? "|" : "", (int)(best - s),
			  t + s, who);
		s = best;
	}
	return sb_detach(&sb);
}

Test(matcher, random_against_reference)
{
	static const char *const vocab[] = { "a", "b", "s", "e", "as", "es",
					     "ab", "bes", "sh", "a.", "-a",
					     "1", "2.5", "1," };
	static const char *const seps[] = { " ", " ", " ", "  ", "\n", "-",
					    "'s ", ". ", "", "x", ".", "," };
	unsigned seed = 12345;
#define RAND(n) ((seed = seed * 1103515245u + 12345u) >> 16) % (n)
	for (int round = 0; round < 300; round++) {
		char names[12][16];
		const char *np[12];
		size_t nn = 0;
		struct matcher *m = matcher_new();
		for (int k = 0; k < 12; k++) {
			char *p = names[nn];
			int words = 1 + (int)RAND(3);
			p[0] = '\0';
			for (int w = 0; w < words; w++) {
				strcat(p, w ? " " : "");
				strcat(p, vocab[RAND(14)]);
			}
			if (matcher_add(m, p, strlen(p), (int)nn, false, NULL) == 0)
				np[nn] = names[nn], nn++;
		}
		matcher_build(m);
		struct strbuf text = STRBUF_INIT;
		for (int w = 0; w < 40; w++) {
			const char *v = vocab[RAND(14)];
			for (const char *c = v; *c; c++)
				sb_putc(&text, RAND(4) ? *c : toupper(*c));
			sb_puts(&text, seps[RAND(12)]);
		}
		char *want = ref_scan(np, nn, text.ptr);
		char *got = scan(m, text.ptr);
		/* The same names with less room for rows: the same hits. */
		for (size_t l = 1; l < NLIMITS; l++) {
			struct matcher *m2 = matcher_new();
			matcher_set_dense_limit(m2, limits[l]);
			for (size_t k = 0; k < nn; k++)
				cr_assert_eq(matcher_add(m2, np[k], strlen(np[k]), (int)k, false, NULL), 0);
			matcher_build(m2);
			char *got2 = scan(m2, text.ptr);
			cr_assert_str_eq(got2, got, "round %d, limit %zu, text \"%s\"", round,
					 limits[l], text.ptr);
			free(got2);
			matcher_free(m2);
		}
		/* scan() prints ids; ids are the indices into np here. */
		cr_assert_str_eq(got, want, "round %d\ntext \"%s\"\ngot  %s\nwant %s",
				 round, text.ptr, got, want);
		free(want);
		free(got);
		sb_free(&text);
		drop(m);
	}
#undef RAND
}

/* Issue 11 finding 12: an entity with 10,000 aliases (one id, as one
 * entity page's `aliases`) is built once and every alias is found, each
 * as its own name_index, in a text naming every seventh of them. */
Test(matcher, ten_thousand_aliases)
{
	enum { N = 10000 };
	for (size_t l = 0; l < NLIMITS; l++) {
		struct matcher *m = matcher_new();
		matcher_set_dense_limit(m, limits[l]);
		struct matcher_hit *hits = NULL;
		struct strbuf text = STRBUF_INIT;
		size_t cap = 0, n;
		char name[48];

		for (size_t i = 0; i < N; i++) {
			int len = snprintf(name, sizeof(name), "Alias%05zu %s", i,
					   i % 2 ? "Corp" : "\u039b\u03c4\u03b4");
			cr_assert_eq(matcher_add(m, name, (size_t)len, 42, i % 3 == 0, NULL), 0);
		}
		cr_assert_eq(matcher_name_count(m), N);
		matcher_build(m);
		for (size_t i = 0; i < N; i += 7)
			sb_printf(&text, "On %s, alias%05zu %s. ", i % 2 ? "x" : "y", i,
				  i % 2 ? "corp" : "\u03bb\u03a4\u0394"); /* other case */
		n = matcher_scan(m, text.ptr, text.size, &hits, &cap);
		/* Names added case-sensitively (i % 3 == 0) do not match. */
		size_t expected = 0;
		for (size_t i = 0; i < N; i += 7)
			expected += i % 3 != 0;
		cr_assert_eq(n, expected, "%zu hits of %zu", n, expected);
		for (size_t k = 0, i = 0; i < N; i += 7) {
			if (i % 3 == 0)
				continue;
			cr_assert_eq(hits[k].name_index, i);
			cr_assert_eq(hits[k].id, 42);
			k++;
		}
		free(hits);
		sb_free(&text);
		drop(m);
	}
}
