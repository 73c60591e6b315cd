#include "anchor.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "utf8.h"
#include "xalloc.h"

/* github.com keeps what Ruby's \p{Word} matches (letters, marks, numbers,
 * connector punctuation such as '_') and '-', after lower-casing. */
static bool slug_keeps(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_PC:
		return true;
	default:
		return c == '-';
	}
}

void anchor_slug(const char *text, size_t n, struct strbuf *out)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(text + i, n - i, &cp);
		if (len == 0) {
			i++;
			continue;
		}
		i += len;
		if (cp == ' ') {
			sb_putc(out, '-');
			continue;
		}
		utf8proc_int32_t c = utf8proc_tolower((utf8proc_int32_t)cp);
		if (slug_keeps(c))
			utf8_put(out, (uint32_t)c);
	}
}

/* --- the set of ids of a page: open addressing, FNV-1a ---------------- */

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct anchor_slot *slot_of(const struct anchor_set *set, const char *id)
{
	size_t mask = set->cap - 1;
	for (size_t i = hash(id) & mask;; i = (i + 1) & mask)
		if (!set->slots[i].id || !strcmp(set->slots[i].id, id))
			return &set->slots[i];
}

static struct anchor_slot *find(const struct anchor_set *set, const char *id)
{
	if (!set->cap)
		return NULL;
	struct anchor_slot *s = slot_of(set, id);
	return s->id ? s : NULL;
}

static void insert(struct anchor_set *set, const char *id)
{
	if (2 * (set->n + 1) > set->cap) {
		struct anchor_set bigger = { xcalloc(set->cap ? 2 * set->cap : 16, sizeof(*set->slots)),
					     set->cap ? 2 * set->cap : 16, set->n };
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i].id)
				*slot_of(&bigger, set->slots[i].id) = set->slots[i];
		free(set->slots);
		*set = bigger;
	}
	struct anchor_slot *s = slot_of(set, id);
	if (!s->id) {
		s->id = xstrdup(id);
		s->count = 0;
		set->n++;
	}
}

void anchor_reserve(struct anchor_set *set, const char *id)
{
	insert(set, id);
}

void anchor_unique(struct anchor_set *set, struct strbuf *id)
{
	/* github-slugger: while taken, bump the base's counter and try
	 * "base-counter"; the result is recorded as taken too. */
	size_t base = id->size;
	struct anchor_slot *b;
	while ((b = find(set, id->ptr))) {
		char *orig = xstrndup(id->ptr, base);
		struct anchor_slot *o = find(set, orig);
		int k = ++o->count;
		sb_truncate(id, base);
		sb_printf(id, "-%d", k);
		free(orig);
	}
	insert(set, id->ptr);
}

void anchor_set_free(struct anchor_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i].id);
	free(set->slots);
	set->slots = NULL;
	set->cap = set->n = 0;
}

bool anchor_is_theme(const char *id)
{
	return !strncmp(id, ANCHOR_THEME_PREFIX, strlen(ANCHOR_THEME_PREFIX));
}

bool anchor_claim_id_ok(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 64 || anchor_is_theme(id))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_'))
			return false;
	}
	return true;
}

/* --- block and annotation ids ----------------------------------------- */

void anchor_block(struct strbuf *out, size_t n)
{
	sb_printf(out, "p%zu", n);
}

/* The number after `letter` in "<letter><n>" (no sign, no leading zero),
 * or 0. */
static int number_after(const char *frag, char letter)
{
	if (frag[0] != letter || !frag[1] || frag[1] == '0')
		return 0;
	int n = 0;
	for (const char *q = frag + 1; *q; q++) {
		if (*q < '0' || *q > '9' || n > 100000000)
			return 0;
		n = n * 10 + (*q - '0');
	}
	return n;
}

int anchor_block_number(const char *frag)
{
	return number_after(frag, 'p');
}

int anchor_annotation_number(const char *frag)
{
	return number_after(frag, 'a');
}

void anchor_block_label(struct strbuf *out, size_t n)
{
	sb_printf(out, "¶%zu", n);
}

void anchor_annotation(struct strbuf *out, int n, enum anchor_part part)
{
	static const char *const suffix[ANCHOR_NPARTS] = { "", "-note", "-ref" };
	sb_printf(out, "a%d%s", n, suffix[part]);
}
