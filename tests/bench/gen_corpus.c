/*
 * gen_corpus: a generated dossier for the entity benchmark (issue 4).
 *
 *     gen_corpus DIR PAGES ENTITIES
 *
 * writes DIR/site.toml (title = "bench"), DIR/content/entities/e0001.md ...
 * (+++ TOML front matter: title, kind, aliases; a short description that
 * mentions other entities) and DIR/content/pages/p00001.md ... (pages of
 * generated prose, about 2.5 kB each, that mention entities by name, alias,
 * possessive and plural). Refuses to write into an existing DIR/content.
 * Same arguments, same bytes.
 *
 * bench_matcher.c includes this file with GEN_CORPUS_NO_MAIN defined, so the
 * in-memory benchmark and the on-disk corpus use the same names and prose.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

struct rng {
	uint64_t s;
};

/* splitmix64: small, fast, and the same on every platform. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static size_t rng_below(struct rng *r, size_t n)
{
	return (size_t)(rng_next(r) % n);
}

enum { CORPUS_MAX_ALIASES = 2 };

struct corpus_entity {
	char *title;
	const char *kind;
	char *aliases[CORPUS_MAX_ALIASES];
	size_t naliases;
	bool case_sensitive;
};

static const char *const kinds[] = { "person", "organization", "model",
				     "product", "place", "market",
				     "concept" };

/* A capitalised made-up word, different for every i < 70 * 70 * 70 = 343000. */
static void corpus_word(size_t i, char *out)
{
	static const char cons[] = "bdfgklmnprstvz", vow[] = "aeiou";
	size_t n = 0;
	for (int syl = 0; syl < 3; syl++) {
		out[n++] = cons[i % 14];
		out[n++] = vow[i / 14 % 5];
		i /= 70;
	}
	out[n] = "nrlsk"[(size_t)out[1] % 5];
	out[n + 1] = '\0';
	out[0] = (char)(out[0] - 'a' + 'A');
}

static char *fmt(const char *f, const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, f, a, b);
	return sb_detach(&sb);
}

/* Entity i, the same whatever the number of entities. */
static void corpus_entity(size_t i, struct corpus_entity *e)
{
	static const char *const first[] = { "Ada", "Liang", "Marc", "Sam",
					     "Yann", "Keith", "Neal", "Mei",
					     "Ravi", "Olga", "Tomas", "Ines" };
	static const char *const org[] = { "Labs", "Capital", "Systems",
					   "Group", "Research", "Holdings" };
	struct rng r = { i * 7919 + 1 };
	char w[16], num[8];

	corpus_word((i * 104729 + 11) % 343000, w); /* a bijection */
	snprintf(num, sizeof(num), "%d", (int)(1 + rng_below(&r, 9)));
	memset(e, 0, sizeof(*e));
	e->kind = kinds[i % 7];
	e->case_sensitive = true;
	switch (i % 7) {
	case 0:
		e->title = fmt("%s %s", first[rng_below(&r, 12)], w);
		e->aliases[e->naliases++] = xstrdup(w);
		break;
	case 1:
		e->title = fmt("%s %s", w, org[rng_below(&r, 6)]);
		e->aliases[e->naliases++] = xstrdup(w);
		break;
	case 2:
		e->title = fmt("%s R%s", w, num);
		e->aliases[e->naliases++] = fmt("R%s-%s", num, w);
		break;
	case 3:
		e->title = fmt("%s %s", w, "App");
		break;
	case 4:
		e->title = xstrdup(w);
		break;
	case 5:
		e->title = fmt("%s %s00", w, num);
		e->aliases[e->naliases++] = fmt("%s %s00 index", w, num);
		break;
	default:
		e->title = fmt("%s %s", w, "effect");
		e->aliases[e->naliases++] = fmt("%s %s", w, "law");
		e->case_sensitive = false;
		break;
	}
}

static void corpus_entity_free(struct corpus_entity *e)
{
	free(e->title);
	for (size_t k = 0; k < e->naliases; k++)
		free(e->aliases[k]);
}

static const char *const filler[] = {
	"the", "a", "of", "and", "to", "in", "its", "that", "said", "model",
	"market", "shares", "investors", "cost", "training", "chips", "report",
	"analysts", "week", "open", "source", "claims", "new", "price", "fell",
	"rose", "billion", "percent", "company", "research", "release",
	"compute", "export", "rules", "startup", "data", "centre", "users",
	"app", "rank", "benchmark", "results", "reasoning", "engineers",
	"according", "to", "people", "familiar", "with", "plans", "while",
	"after", "before", "during", "quarter", "capital", "spending", "on",
	"for", "by", "as", "than", "more", "less", "cheaper", "faster",
	"efficient", "rival", "leading", "global", "tech", "stocks", "index",
	"trading", "session", "reaction", "debate", "questions", "answers",
	"metadata", "metaverse", "grouping", "labs", "systems", "effects"
};

/* One mention of a random entity, skewed towards the first ones. */
static void corpus_mention(struct rng *r, const struct corpus_entity *ents,
			   size_t n, struct strbuf *out)
{
	size_t a = rng_below(r, n), b = rng_below(r, n);
	const struct corpus_entity *e = &ents[a < b ? a : b];
	size_t form = rng_below(r, e->naliases + 1);
	sb_puts(out, form ? e->aliases[form - 1] : e->title);
	switch (rng_below(r, 8)) {
	case 0:
		sb_puts(out, "\u2019s");
		break;
	case 1:
		sb_puts(out, "'s");
		break;
	case 2:
		if (!strcmp(e->kind, "product") || !strcmp(e->kind, "model"))
			sb_putc(out, 's');
		break;
	default:
		break;
	}
}

/* A paragraph of sentences, lines wrapped at about 100 bytes. */
static void corpus_paragraph(struct rng *r, const struct corpus_entity *ents,
			     size_t n, struct strbuf *out)
{
	size_t sentences = 3 + rng_below(r, 4), line = out->size;
	for (size_t s = 0; s < sentences; s++) {
		size_t words = 8 + rng_below(r, 13);
		for (size_t w = 0; w < words; w++) {
			if (w || s)
				sb_putc(out, out->size - line > 100 ? '\n' : ' ');
			if (out->ptr[out->size - 1] == '\n')
				line = out->size;
			if (n && rng_below(r, 10) == 0) {
				corpus_mention(r, ents, n, out);
				continue;
			}
			const char *f = filler[rng_below(r, sizeof(filler) / sizeof(filler[0]))];
			sb_putc(out, w ? f[0] : f[0] - 'a' + 'A');
			sb_puts(out, f + 1);
		}
		sb_putc(out, rng_below(r, 6) ? '.' : ',');
	}
	sb_puts(out, "\n\n");
}

/* Page-sized Markdown: paragraphs and a heading, about `size` bytes. */
static void corpus_page(struct rng *r, const struct corpus_entity *ents,
			size_t n, size_t size, struct strbuf *out)
{
	size_t start = out->size;
	while (out->size - start < size) {
		if (rng_below(r, 5) == 0)
			sb_printf(out, "## Section %zu\n\n", rng_below(r, 100));
		corpus_paragraph(r, ents, n, out);
	}
}

#ifndef GEN_CORPUS_NO_MAIN

#include <errno.h>

#include "fsutil.h"

static int write_file(const char *dir, const char *rel, struct strbuf *sb)
{
	char *path = fs_join(dir, rel);
	int rc = fs_mkdir_parent(path);
	if (rc == 0)
		rc = fs_write_file(path, sb->ptr, sb->size);
	if (rc != 0)
		fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
	free(path);
	sb_clear(sb);
	return rc;
}

static void toml_string(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}

static int write_entity(const char *dir, size_t i,
			const struct corpus_entity *ents, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct rng r = { i + 1000003 };
	const struct corpus_entity *e = &ents[i];
	char rel[64];

	sb_puts(&sb, "+++\ntitle = ");
	toml_string(&sb, e->title);
	sb_printf(&sb, "\nkind = \"%s\"\naliases = [", e->kind);
	for (size_t k = 0; k < e->naliases; k++) {
		sb_puts(&sb, k ? ", " : "");
		toml_string(&sb, e->aliases[k]);
	}
	sb_puts(&sb, "]\n");
	if (!e->case_sensitive)
		sb_puts(&sb, "case_sensitive = false\n");
	sb_puts(&sb, "+++\n");
	corpus_paragraph(&r, ents, n, &sb);
	snprintf(rel, sizeof(rel), "content/entities/e%04zu.md", i + 1);
	int rc = write_file(dir, rel, &sb);
	sb_free(&sb);
	return rc;
}

static int write_pages(const char *dir, size_t pages,
		       const struct corpus_entity *ents, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct rng r = { 42 };
	char rel[64];
	int rc = 0;

	for (size_t p = 0; p < pages && rc == 0; p++) {
		sb_printf(&sb, "+++\ntitle = \"Page %zu\"\n+++\n", p + 1);
		corpus_page(&r, ents, n, 2500, &sb);
		snprintf(rel, sizeof(rel), "content/pages/p%05zu.md", p + 1);
		rc = write_file(dir, rel, &sb);
	}
	sb_free(&sb);
	return rc;
}

static int write_site(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	sb_puts(&sb, "title = \"bench\"\n");
	rc = write_file(dir, "site.toml", &sb);
	sb_puts(&sb, "+++\ntitle = \"bench\"\n+++\nA generated corpus.\n");
	if (rc == 0)
		rc = write_file(dir, "content/_index.md", &sb);
	sb_free(&sb);
	return rc;
}

int main(int argc, char **argv)
{
	struct corpus_entity *ents;
	size_t pages, n;
	int rc = 0;

	if (argc != 4 || atol(argv[2]) < 1 || atol(argv[3]) < 1) {
		fprintf(stderr, "usage: gen_corpus DIR PAGES ENTITIES\n");
		return 2;
	}
	pages = (size_t)atol(argv[2]);
	n = (size_t)atol(argv[3]);
	char *content = fs_join(argv[1], "content");
	if (fs_exists(content)) {
		fprintf(stderr, "gen_corpus: %s exists; not overwriting it\n",
			content);
		free(content);
		return 1;
	}
	free(content);
	ents = xcalloc(n, sizeof(*ents));
	for (size_t i = 0; i < n; i++)
		corpus_entity(i, &ents[i]);
	rc = write_site(argv[1]);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = write_entity(argv[1], i, ents, n);
	if (rc == 0)
		rc = write_pages(argv[1], pages, ents, n);
	for (size_t i = 0; i < n; i++)
		corpus_entity_free(&ents[i]);
	free(ents);
	return rc == 0 ? 0 : 1;
}

#endif
