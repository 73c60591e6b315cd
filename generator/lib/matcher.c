#include "matcher.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/*
 * How it works. Names and text go through the same lexer, which turns them
 * into a stream of byte symbols: each character's UTF-8 bytes (case-folded
 * for the automaton, raw for checking case-sensitive names), one ' ' for a
 * run of whitespace, one '\'' for any apostrophe, and two zero-width
 * markers in the gap before each character:
 *
 *   R  if the character after the gap is not a word character (or the text
 *      ends there): a name may end here;
 *   L  if the character before the gap is not a word character (or the text
 *      starts there): a name may start here.
 *
 * A name is encoded as L, its symbols, R. So "Meta" is L M e t a R, which
 * occurs in "Meta's" (L M e t a R ' L s R) but not in "metadata" or
 * "Metaverse": whole-word matching is a plain substring search over the
 * symbols, and one Aho-Corasick DFA finds all names at once. A plural is
 * one more pattern (L M e t a s R). The DFA runs on folded symbols; a
 * case-sensitive name found there is then compared with the raw symbols.
 *
 * Leftmost-longest selection stays linear: every symbol is kept for a while
 * in a ring buffer, and a candidate match is recorded on the slot of its
 * start (an L marker), a later and so longer one replacing an earlier one.
 * Once the automaton's current state no longer reaches back to a slot, no
 * match can start there any more: the slot is final, and the hits are taken
 * greedily from the final slots in text order. While no slot holds a match
 * (most of the time) there is nothing to take, and the scan loop only
 * steps the DFA, whose entries flag the states where some pattern ends.
 *
 * Memory. A full DFA row per state costs 4 bytes for each symbol class
 * (up to 256 with non-ASCII names): 1 KB a state, so 10,000 aliases of 60
 * Greek letters made 647 MB (issue 13). Only the states near the root,
 * where a scan spends nearly all its steps, get a row: whole levels of the
 * trie in breadth-first order, as many as fit in MATCHER_DENSE_BYTES
 * (matcher_set_dense_limit). A deeper state keeps just its trie edges (its
 * children, numbered consecutively in that order, each with its class)
 * and its failure link: its transition on a class is the child with that
 * class, else its failure state's transition. Failure links lead to
 * shallower states and end at a state with a row, so a scan still takes
 * amortised constant time a symbol (the depth it climbs by failing it
 * gained one symbol at a time), and a deep state costs 25 bytes.
 */

enum {
	SYM_BAD = 0xFD, /* an invalid UTF-8 byte (0xFD-0xFF never occur in UTF-8) */
	SYM_L = 0xFE,
	SYM_R = 0xFF,
};

#define NO_PAT UINT32_MAX
#define RING_STACK 128

enum ch_kind {
	CH_WORD,
	CH_PUNCT,
	CH_SPACE
};
enum plural {
	PLURAL_NONE,
	PLURAL_S,
	PLURAL_ES
};

/* One character (or run of whitespace) of input. */
struct lexchar {
	enum ch_kind kind;
	size_t n; /* bytes consumed */
	int nsym;
	unsigned char raw[4], fold[4];
};

/* What the lexer remembers of the previous character. */
struct lexstate {
	bool word;  /* a word character; false at the start */
	bool digit; /* an ASCII digit */
};

/* The symbols of one gap and the character after it. */
struct symbuf {
	int n;
	unsigned char raw[6], fold[6];
};

struct mname {
	unsigned char *fold, *raw; /* symbols, L first and R last */
	size_t nsym;
	int id;
	bool cs;
	enum plural plural;
};

struct pattern {
	uint32_t name;
	uint32_t next; /* next pattern on the same node, in priority order */
	enum plural variant;
};

struct node {
	uint32_t depth; /* symbols from the root */
	uint32_t pat;   /* first pattern ending here, or NO_PAT */
	uint32_t out;   /* first node with patterns on the suffix chain, self
			   included; 0 if none (the root never has one) */
	uint32_t dict;  /* the same for the proper suffixes */
};

struct matcher {
	struct mname *names;
	size_t nnames, cap_names;
	uint32_t *hash; /* open addressing: name index + 1, 0 is empty */
	size_t hash_cap;
	bool built;
	size_t dense_limit;     /* bytes of rows at most (MATCHER_DENSE_BYTES) */
	unsigned char cls[256]; /* folded symbol -> class; 0: in no pattern */
	size_t nclass;
	unsigned shift; /* a row of delta is 1 << shift >= nclass wide */
	/* States are numbered breadth-first, children in class order. The
	 * first ndense have a row in delta, and the scan knows a state by
	 * its key: a dense state's row offset (u << shift), a sparse one's
	 * dense_end + 2 (u - ndense), where dense_end = ndense << shift (so
	 * keys are even; key_of, state_of). A row holds, for each class, the
	 * target's key plus 1 if the target has patterns on its suffix chain
	 * (node.out != 0). Every state has its children at
	 * [first[u], first[u + 1]), the class each is reached by in
	 * edge_cls, and its failure state in fail. */
	uint32_t *delta;
	size_t ndense;
	uint32_t dense_end;
	uint32_t *first;
	unsigned char *edge_cls;
	uint32_t *fail;
	struct node *nodes;
	size_t nnodes;
	struct pattern *pats;
	size_t npats;
	size_t ring_size; /* a power of two above the longest pattern */
};

/* --- lexer ---------------------------------------------------------------- */

#define CP_BAD UINT32_MAX

static bool is_unicode_space(uint32_t cp)
{
	return cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Non-ASCII code points that end a word: punctuation, symbols, emoji. */
static const struct {
	uint32_t lo, hi;
} punct_ranges[] = {
	{ 0x80, 0xA9 },
	{ 0xAB, 0xB1 },
	{ 0xB4, 0xB4 },
	{ 0xB6, 0xB8 },
	{ 0xBB, 0xBB },
	{ 0xBF, 0xBF },
	{ 0xD7, 0xD7 },
	{ 0xF7, 0xF7 },
	{ 0x2000, 0x206F },
	{ 0x20A0, 0x20CF },
	{ 0x2100, 0x214F },
	{ 0x2190, 0x2BFF },
	{ 0x2E00, 0x2E7F },
	{ 0x3000, 0x303F },
	{ 0xFE00, 0xFE1F },
	{ 0xFE30, 0xFE6F },
	{ 0xFEFF, 0xFEFF },
	{ 0xFF00, 0xFF0F },
	{ 0xFF1A, 0xFF20 },
	{ 0xFF3B, 0xFF40 },
	{ 0xFF5B, 0xFF65 },
	{ 0x1F000, 0x1FAFF },
	{ 0xE0000, 0xE007F },
};

static inline enum ch_kind classify(uint32_t cp)
{
	if (cp < 0x80) {
		if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
			return CH_SPACE;
		if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			return CH_WORD;
		return (cp >= '0' && cp <= '9') || cp == '_' ? CH_WORD
							     : CH_PUNCT;
	}
	if (cp == CP_BAD)
		return CH_WORD;
	if (is_unicode_space(cp))
		return CH_SPACE;
	for (size_t i = 0; i < sizeof(punct_ranges) / sizeof(punct_ranges[0]);
	     i++) {
		if (cp >= punct_ranges[i].lo && cp <= punct_ranges[i].hi)
			return CH_PUNCT;
	}
	return CH_WORD;
}

/* Latin Extended-A, U+0100-U+017F: mostly upper/lower pairs. */
static uint32_t fold_latin_ext_a(uint32_t cp)
{
	if (cp <= 0x12F || (cp >= 0x132 && cp <= 0x137) ||
	    (cp >= 0x14A && cp <= 0x177))
		return cp | 1;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return (cp & 1) ? cp + 1 : cp;
	if (cp == 0x178)
		return 0xFF;
	return cp;
}

/* Simple one-to-one case folding; the result has the same UTF-8 length. */
static uint32_t fold_cp(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp >= 0x100 && cp <= 0x17F)
		return fold_latin_ext_a(cp);
	if ((cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) ||
	    (cp >= 0x410 && cp <= 0x42F))
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

/* Characters written in several ways that mean the same (issue 4). */
static uint32_t unify_cp(uint32_t cp)
{
	if (cp == 0x2019 || cp == 0x02BC)
		return '\'';
	if (cp == 0x2010 || cp == 0x2011)
		return '-';
	return cp;
}

static void lex_char_utf8(const unsigned char *s, size_t len, size_t i,
			  struct lexchar *c)
{
	uint32_t cp;

	c->n = utf8_decode((const char *)s + i, len - i, &cp);
	if (c->n == 0) {
		c->n = 1; /* a bad byte is one symbol of its own */
		cp = CP_BAD;
	} else {
		cp = unify_cp(cp);
	}
	c->kind = classify(cp);
	c->nsym = 1;
	if (c->kind == CH_SPACE) {
		c->raw[0] = c->fold[0] = ' ';
		return;
	}
	if (cp == CP_BAD) {
		c->raw[0] = c->fold[0] = SYM_BAD;
		return;
	}
	if (cp < 0x80) {
		c->raw[0] = (unsigned char)cp;
		c->fold[0] = (unsigned char)fold_cp(cp);
		return;
	}
	c->nsym = (int)utf8_encode(cp, (char *)c->raw);
	size_t nf = utf8_encode(fold_cp(cp), (char *)c->fold);
	assert(nf == (size_t)c->nsym);
	(void)nf;
}

/* Reads one character at s[i] (i < len); ASCII without a call. */
static inline void lex_char(const unsigned char *s, size_t len, size_t i,
			    struct lexchar *c)
{
	unsigned char b = s[i];

	if (b >= 0x80) {
		lex_char_utf8(s, len, i, c);
		return;
	}
	c->n = 1;
	c->nsym = 1;
	c->kind = classify(b);
	c->raw[0] = c->kind == CH_SPACE ? ' ' : b;
	c->fold[0] = b >= 'A' && b <= 'Z' ? b + 32 : c->raw[0];
}

static inline void sym_push(struct symbuf *sb, unsigned char fold, unsigned char raw)
{
	sb->fold[sb->n] = fold;
	sb->raw[sb->n] = raw;
	sb->n++;
}

static inline bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Reads the gap before the character at *i and that character (a whole run
 * of whitespace counts as one) into sb; at the end of the text, the closing
 * gap. Advances *i and updates *st.
 */
static inline void lex_step(const unsigned char *s, size_t len, size_t *i,
			    struct lexstate *st, struct symbuf *sb)
{
	struct lexchar c;

	sb->n = 0;
	if (*i == len) {
		sym_push(sb, SYM_R, SYM_R);
		return;
	}
	lex_char(s, len, *i, &c);
	if (c.kind == CH_SPACE) {
		struct lexchar more;
		while (*i + c.n < len) {
			lex_char(s, len, *i + c.n, &more);
			if (more.kind != CH_SPACE)
				break;
			c.n += more.n;
		}
	}
	/* A '.' or ',' between digits belongs to the number: "GPT-4" is not
	 * in "GPT-4.5", nor "Nasdaq 100" in "Nasdaq 100,000". */
	if (st->digit && (c.raw[0] == '.' || c.raw[0] == ',') &&
	    *i + 1 < len && is_digit(s[*i + 1]))
		c.kind = CH_WORD;
	if (*i > 0 && c.kind != CH_WORD)
		sym_push(sb, SYM_R, SYM_R);
	if (!st->word)
		sym_push(sb, SYM_L, SYM_L);
	for (int k = 0; k < c.nsym; k++)
		sym_push(sb, c.fold[k], c.raw[k]);
	st->word = c.kind == CH_WORD;
	st->digit = is_digit(c.raw[0]);
	*i += c.n;
}

/* --- names ---------------------------------------------------------------- */

/* The byte range [*a, *b) of s without leading and trailing whitespace. */
static void name_trim(const unsigned char *s, size_t len, size_t *a, size_t *b)
{
	struct lexchar c;
	size_t i = 0;

	*a = *b = len;
	while (i < len) {
		lex_char(s, len, i, &c);
		if (c.kind != CH_SPACE) {
			if (*a == len)
				*a = i;
			*b = i + c.n;
		}
		i += c.n;
	}
	if (*a == len)
		*a = *b = 0;
}

static enum plural name_plural(const struct mname *nm, bool last_word)
{
	const unsigned char *f = nm->fold;
	size_t n = nm->nsym - 1; /* f[n - 1] is the last byte before R */

	if (!last_word)
		return PLURAL_NONE;
	if (f[n - 1] == 's' || f[n - 1] == 'x' || f[n - 1] == 'z')
		return PLURAL_ES;
	if (f[n - 1] == 'h' && n >= 3 && (f[n - 2] == 'c' || f[n - 2] == 's'))
		return PLURAL_ES;
	return PLURAL_S;
}

/* Encodes a name into symbols; -1 if it is empty. */
static int name_encode(const char *name, size_t len, struct mname *nm)
{
	const unsigned char *s;
	size_t a, b, i = 0, n = 0;
	struct lexstate st = { false, false };
	struct symbuf sb;

	name_trim((const unsigned char *)name, len, &a, &b);
	if (a == b)
		return -1;
	s = (const unsigned char *)name + a;
	len = b - a;
	/* Each byte gives at most itself and two markers; one R closes. */
	nm->fold = xmalloc(3 * len + 1);
	nm->raw = xmalloc(3 * len + 1);
	while (i < len) {
		lex_step(s, len, &i, &st, &sb);
		memcpy(nm->fold + n, sb.fold, (size_t)sb.n);
		memcpy(nm->raw + n, sb.raw, (size_t)sb.n);
		n += (size_t)sb.n;
	}
	nm->fold[n] = nm->raw[n] = SYM_R;
	nm->nsym = n + 1;
	nm->plural = name_plural(nm, st.word);
	return 0;
}

static uint32_t hash_syms(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static bool names_clash(const struct mname *a, const struct mname *b)
{
	if (a->nsym != b->nsym || memcmp(a->fold, b->fold, a->nsym) != 0)
		return false;
	return !a->cs || !b->cs || memcmp(a->raw, b->raw, a->nsym) == 0;
}

/* The index of a registered name that clashes with nm, or -1. */
static long names_find(const struct matcher *m, const struct mname *nm)
{
	if (!m->hash_cap)
		return -1;
	size_t mask = m->hash_cap - 1;
	for (size_t h = hash_syms(nm->fold, nm->nsym) & mask; m->hash[h];
	     h = (h + 1) & mask) {
		const struct mname *other = &m->names[m->hash[h] - 1];
		if (names_clash(nm, other))
			return (long)(m->hash[h] - 1);
	}
	return -1;
}

static void hash_put(uint32_t *hash, size_t cap, const struct mname *nm,
		     uint32_t idx)
{
	size_t h = hash_syms(nm->fold, nm->nsym) & (cap - 1);
	while (hash[h])
		h = (h + 1) & (cap - 1);
	hash[h] = idx + 1;
}

static void names_append(struct matcher *m, const struct mname *nm)
{
	if (2 * (m->nnames + 1) > m->hash_cap) {
		size_t cap = m->hash_cap ? 2 * m->hash_cap : 64;
		free(m->hash);
		m->hash = xcalloc(cap, sizeof(*m->hash));
		m->hash_cap = cap;
		for (size_t i = 0; i < m->nnames; i++)
			hash_put(m->hash, cap, &m->names[i], (uint32_t)i);
	}
	m->names = xgrow(m->names, &m->cap_names, m->nnames + 1,
			 sizeof(*m->names));
	m->names[m->nnames] = *nm;
	hash_put(m->hash, m->hash_cap, nm, (uint32_t)m->nnames);
	m->nnames++;
}

/* --- public: names ----------------------------------------------------------- */

struct matcher *matcher_new(void)
{
	struct matcher *m = xcalloc(1, sizeof(struct matcher));
	m->dense_limit = MATCHER_DENSE_BYTES;
	return m;
}

void matcher_set_dense_limit(struct matcher *m, size_t bytes)
{
	assert(!m->built);
	m->dense_limit = bytes;
}

void matcher_free(struct matcher *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nnames; i++) {
		free(m->names[i].fold);
		free(m->names[i].raw);
	}
	free(m->names);
	free(m->hash);
	free(m->delta);
	free(m->first);
	free(m->edge_cls);
	free(m->fail);
	free(m->nodes);
	free(m->pats);
	free(m);
}

int matcher_add(struct matcher *m, const char *name, size_t len, int id,
		bool case_sensitive, int *other_id)
{
	struct mname nm = { .id = id, .cs = case_sensitive };
	long other;

	assert(!m->built);
	if (other_id)
		*other_id = -1;
	if (name_encode(name, len, &nm) < 0)
		return -1;
	other = names_find(m, &nm);
	if (other >= 0) {
		if (other_id)
			*other_id = m->names[other].id;
		free(nm.fold);
		free(nm.raw);
		return -1;
	}
	assert(m->nnames < UINT32_MAX / 4);
	names_append(m, &nm);
	return 0;
}

size_t matcher_name_count(const struct matcher *m)
{
	return m->nnames;
}

size_t matcher_state_count(const struct matcher *m)
{
	return m->nnodes;
}

/* --- automaton ------------------------------------------------------------ */

static const char *const plural_suffix[] = { "", "s", "es" };

/* Numbers the folded symbols that occur in some pattern, from 1. */
static void build_classes(struct matcher *m)
{
	bool used[256] = { false };

	used[SYM_L] = used[SYM_R] = true;
	used['s'] = used['e'] = true;
	for (size_t i = 0; i < m->nnames; i++) {
		for (size_t k = 0; k < m->names[i].nsym; k++)
			used[m->names[i].fold[k]] = true;
	}
	m->nclass = 1;
	for (int c = 0; c < 256; c++)
		m->cls[c] = used[c] ? (unsigned char)m->nclass++ : 0;
	/* Uppercase ASCII, raw whitespace and bytes no UTF-8 holds never
	 * occur folded, so the classes fit in a byte. */
	assert(m->nclass <= 256);
	for (m->shift = 1; ((size_t)1 << m->shift) < m->nclass; m->shift++)
		;
}

/* The trie while it is built, numbered in insertion order: each node's
 * parent and the class of the edge from it, and a hash table of the
 * edges, (parent, class) -> child, which holds the child alone (its
 * parent and class are the key). */
struct trie {
	struct node *nodes;
	uint32_t *parent;
	unsigned char *cls;
	size_t n, cap;
	uint32_t *edges; /* child + 1; 0 is empty */
	size_t edges_cap;
};

static size_t edge_hash(uint32_t u, unsigned char c, size_t cap)
{
	uint64_t key = (uint64_t)u << 8 | c;
	return (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & (cap - 1);
}

/* The slot of the edge (u, c): its child's, or the empty one to fill. */
static size_t edge_slot(const struct trie *t, uint32_t u, unsigned char c)
{
	size_t h = edge_hash(u, c, t->edges_cap);
	for (uint32_t e; (e = t->edges[h]); h = (h + 1) & (t->edges_cap - 1)) {
		if (t->parent[e - 1] == u && t->cls[e - 1] == c)
			break;
	}
	return h;
}

static void trie_grow_edges(struct trie *t)
{
	uint32_t *old = t->edges;
	size_t n = t->edges_cap;
	t->edges_cap = n ? 2 * n : 1024;
	t->edges = xcalloc(t->edges_cap, sizeof(*t->edges));
	for (size_t i = 0; i < n; i++) {
		uint32_t e = old[i];
		if (e)
			t->edges[edge_slot(t, t->parent[e - 1], t->cls[e - 1])] = e;
	}
	free(old);
}

static uint32_t trie_child(struct trie *t, uint32_t u, unsigned char c)
{
	size_t h = edge_slot(t, u, c);
	if (t->edges[h])
		return t->edges[h] - 1;
	/* States are stored times 2 in delta. */
	assert(t->n < UINT32_MAX / 2);
	uint32_t v = (uint32_t)t->n++;
	if (t->n > t->cap) {
		t->cap = xgrow_cap(t->cap, t->n);
		t->nodes = xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
		t->parent = xrealloc(t->parent, t->cap * sizeof(*t->parent));
		t->cls = xrealloc(t->cls, t->cap);
	}
	t->nodes[v] = (struct node){ .depth = t->nodes[u].depth + 1, .pat = NO_PAT };
	t->parent[v] = u;
	t->cls[v] = c;
	t->edges[h] = v + 1;
	if (2 * t->n > t->edges_cap)
		trie_grow_edges(t);
	return v;
}

static void trie_insert(struct matcher *m, struct trie *t, uint32_t name, enum plural variant)
{
	const struct mname *nm = &m->names[name];
	const char *suffix = plural_suffix[variant];
	uint32_t u = 0, p = (uint32_t)m->npats++;
	uint32_t *link;

	for (size_t k = 0; k + 1 < nm->nsym; k++)
		u = trie_child(t, u, m->cls[nm->fold[k]]);
	for (size_t k = 0; suffix[k]; k++)
		u = trie_child(t, u, m->cls[(unsigned char)suffix[k]]);
	u = trie_child(t, u, m->cls[SYM_R]);
	m->pats[p] = (struct pattern){ .name = name, .next = NO_PAT, .variant = variant };
	/* Append: patterns are inserted in priority order. */
	for (link = &t->nodes[u].pat; *link != NO_PAT; link = &m->pats[*link].next)
		;
	*link = p;
}

/* The trie's nodes renumbered breadth-first, children in class order,
 * into m: nodes, first, edge_cls. */
static void build_order(struct matcher *m, struct trie *t)
{
	size_t n = t->n;
	uint32_t *byclass = xmalloc(n * sizeof(*byclass));
	uint32_t *sorted = xmalloc(n * sizeof(*sorted));
	uint32_t *start = xcalloc(n + 1 > 257 ? n + 1 : 257, sizeof(*start));
	uint32_t *queue = xmalloc(n * sizeof(*queue));

	/* Counting sorts: the non-root nodes by class, then, stably, by
	 * parent: each node's children, in class order, at start[u]. */
	for (size_t v = 1; v < n; v++)
		start[t->cls[v] + 1]++;
	for (size_t c = 1; c < 257; c++)
		start[c] += start[c - 1];
	for (size_t v = 1; v < n; v++)
		byclass[start[t->cls[v]]++] = (uint32_t)v;
	memset(start, 0, (n + 1) * sizeof(*start));
	for (size_t v = 1; v < n; v++)
		start[t->parent[v] + 1]++;
	for (size_t u = 1; u <= n; u++)
		start[u] += start[u - 1];
	for (size_t i = 0; i + 1 < n; i++) {
		uint32_t v = byclass[i];
		sorted[start[t->parent[v]]++] = v;
	}
	/* start[u] is now the end of u's children: their start is the end
	 * of u - 1's. */
	m->nodes = xmalloc(n * sizeof(*m->nodes));
	m->first = xmalloc((n + 1) * sizeof(*m->first));
	m->edge_cls = xmalloc(n);
	size_t tail = 0;
	queue[tail++] = 0;
	for (size_t h = 0; h < n; h++) {
		uint32_t u = queue[h];
		m->nodes[h] = t->nodes[u];
		m->edge_cls[h] = h ? t->cls[u] : 0;
		m->first[h] = (uint32_t)tail;
		for (uint32_t i = u ? start[u - 1] : 0; i < start[u]; i++)
			queue[tail++] = sorted[i];
	}
	assert(tail == n);
	m->first[n] = (uint32_t)n;
	m->nnodes = n;
	free(queue);
	free(start);
	free(sorted);
	free(byclass);
}

static inline uint32_t key_of(const struct matcher *m, uint32_t u)
{
	return u < m->ndense ? u << m->shift : m->dense_end + 2 * (u - (uint32_t)m->ndense);
}

static inline uint32_t state_of(const struct matcher *m, uint32_t key)
{
	return key < m->dense_end ? key >> m->shift
				  : (uint32_t)m->ndense + ((key - m->dense_end) >> 1);
}

/* State v's key with its flag, as a row holds it. */
static inline uint32_t entry_of(const struct matcher *m, uint32_t v)
{
	return key_of(m, v) | (m->nodes[v].out != 0);
}

/* State u's child by class c, as entry_of gives it; 0 if none. */
static uint32_t child_by_class(const struct matcher *m, uint32_t u, unsigned c)
{
	uint32_t lo = m->first[u], end = m->first[u + 1], hi = end;
	/* The first child whose class is not below c lies in [lo, hi]. */
	while (hi - lo > 8) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (m->edge_cls[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < end && m->edge_cls[lo] <= c; lo++) {
		if (m->edge_cls[lo] == c)
			return entry_of(m, lo);
	}
	return 0;
}

/* The DFA's transition from state u by class c, as a row holds it: from
 * u's row if it has one, else u's child by c or, failing that, its
 * failure state's transition. A symbol in no pattern (class 0) leads
 * back to the root from anywhere. */
static uint32_t transition(const struct matcher *m, uint32_t u, unsigned c)
{
	while (u >= m->ndense) {
		if (!c)
			return 0;
		uint32_t v = child_by_class(m, u, c);
		if (v)
			return v;
		u = m->fail[u];
	}
	return m->delta[((size_t)u << m->shift) + c];
}

/* How many states, whole levels from the root, get a row (the root
 * always does). */
static size_t dense_states(const struct matcher *m)
{
	size_t row = ((size_t)1 << m->shift) * sizeof(*m->delta);
	size_t fit = m->dense_limit / row, n = 1;
	for (size_t u = 1; u <= m->nnodes; u++) {
		if (u == m->nnodes || m->nodes[u].depth != m->nodes[u - 1].depth) {
			if (u > fit)
				break;
			n = u;
		}
	}
	return n;
}

/* Breadth-first: failure links, dictionary links, and the rows. A
 * state's failure state is shallower, so it is done before the state
 * needs it. */
static void build_links(struct matcher *m)
{
	size_t nc = m->nclass;

	m->fail = xcalloc(m->nnodes, sizeof(*m->fail));
	m->ndense = dense_states(m);
	/* Keys fit in 32 bits: ndense rows fit in dense_limit, and 2 (nnodes
	 * - ndense) < UINT32_MAX (trie_child). */
	assert(m->ndense << m->shift <= UINT32_MAX / 2);
	m->dense_end = (uint32_t)(m->ndense << m->shift);
	m->delta = xcalloc(m->ndense << m->shift, sizeof(*m->delta));
	for (uint32_t u = 0; u < m->nnodes; u++) {
		for (uint32_t v = m->first[u]; v < m->first[u + 1]; v++) {
			uint32_t f = u ? state_of(m, transition(m, m->fail[u], m->edge_cls[v]) & ~1u) : 0;
			m->fail[v] = f;
			m->nodes[v].dict = m->nodes[f].out;
			m->nodes[v].out = m->nodes[v].pat != NO_PAT ? v : m->nodes[v].dict;
		}
		if (u >= m->ndense)
			continue;
		uint32_t *row = &m->delta[(size_t)u << m->shift];
		uint32_t v = m->first[u];
		for (unsigned c = 1; c < nc; c++) {
			if (v < m->first[u + 1] && m->edge_cls[v] == c) {
				row[c] = entry_of(m, v);
				v++;
			} else {
				row[c] = u ? transition(m, m->fail[u], c) : 0;
			}
		}
	}
}

void matcher_build(struct matcher *m)
{
	size_t longest = 0;
	struct trie t = { 0 };

	assert(!m->built);
	m->built = true;
	build_classes(m);
	for (size_t i = 0; i < m->nnames; i++) {
		if (m->names[i].nsym + 2 > longest)
			longest = m->names[i].nsym + 2;
	}
	m->pats = xmalloc((2 * m->nnames + 1) * sizeof(*m->pats));
	trie_grow_edges(&t);
	t.nodes = xmalloc(sizeof(*t.nodes));
	t.parent = xmalloc(sizeof(*t.parent));
	t.cls = xmalloc(1);
	t.cap = t.n = 1;
	t.nodes[0] = (struct node){ .pat = NO_PAT };
	t.parent[0] = 0;
	t.cls[0] = 0;
	for (size_t i = 0; i < m->nnames; i++)
		trie_insert(m, &t, (uint32_t)i, PLURAL_NONE);
	/* Plurals after all exact names: an exact name wins a tie. */
	for (size_t i = 0; i < m->nnames; i++) {
		if (m->names[i].plural != PLURAL_NONE)
			trie_insert(m, &t, (uint32_t)i, m->names[i].plural);
	}
	free(t.edges);
	build_order(m, &t);
	free(t.nodes);
	free(t.parent);
	free(t.cls);
	build_links(m);
	for (m->ring_size = 2; m->ring_size <= longest; m->ring_size *= 2)
		;
}

/* --- scanning ------------------------------------------------------------- */

struct slot {
	size_t off;   /* byte offset of the symbol in the text */
	size_t end;   /* if pat != NO_PAT: end of the longest match from here */
	uint32_t pat; /* the pattern of that match, or NO_PAT */
	unsigned char raw;
};

struct scan {
	const struct matcher *m;
	struct slot *ring;
	size_t mask;
	size_t k;          /* index of the next symbol */
	size_t next_final; /* first slot not yet final */
	size_t cursor;     /* end of the last hit */
	size_t pending;    /* slots past next_final with a match */
	uint32_t key;      /* the automaton's current state, as key_of gives it */
	struct matcher_hit **hits;
	size_t *cap, n;
};

/* Whether pattern p, found from symbol `start` on, matches the raw text
 * (always, if its name is case-insensitive). */
static bool scan_verify(const struct scan *sc, const struct pattern *p,
			size_t start)
{
	const struct mname *nm = &sc->m->names[p->name];
	const char *suffix = plural_suffix[p->variant];
	size_t body = nm->nsym - 1, i;

	if (!nm->cs)
		return true;
	for (i = 0; i < body; i++) {
		if (sc->ring[(start + i) & sc->mask].raw != nm->raw[i])
			return false;
	}
	for (size_t k = 0; suffix[k]; k++, i++) {
		if (sc->ring[(start + i) & sc->mask].raw != (unsigned char)suffix[k])
			return false;
	}
	return true;
}

/* Records the best pattern of node t that ends at symbol k, if any. */
static void scan_record(struct scan *sc, uint32_t t, size_t k)
{
	const struct matcher *m = sc->m;
	size_t start = k + 1 - m->nodes[t].depth;

	for (uint32_t p = m->nodes[t].pat; p != NO_PAT; p = m->pats[p].next) {
		if (scan_verify(sc, &m->pats[p], start)) {
			struct slot *sl = &sc->ring[start & sc->mask];
			if (sl->pat == NO_PAT)
				sc->pending++;
			sl->pat = p;
			sl->end = sc->ring[k & sc->mask].off;
			return;
		}
	}
}

/*
 * Takes the hits from the slots before `upto`, which are final. Only called
 * while some slot has a match: until then next_final may lag behind, and
 * scan_feed moves it up to the first slot that may still get one.
 */
static void scan_finalize(struct scan *sc, size_t upto)
{
	for (; sc->next_final < upto; sc->next_final++) {
		const struct slot *sl = &sc->ring[sc->next_final & sc->mask];
		if (sl->pat == NO_PAT)
			continue;
		sc->pending--;
		if (sl->off < sc->cursor)
			continue;
		const struct pattern *p = &sc->m->pats[sl->pat];
		*sc->hits = xgrow(*sc->hits, sc->cap, sc->n + 1,
				  sizeof(**sc->hits));
		(*sc->hits)[sc->n++] = (struct matcher_hit){
			.start = sl->off,
			.end = sl->end,
			.id = sc->m->names[p->name].id,
			.name_index = p->name,
		};
		sc->cursor = sl->end;
	}
}

/* After symbol k, if a pattern ends there or some slot has a match. */
static void scan_matches(struct scan *sc, size_t k)
{
	const struct matcher *m = sc->m;
	const struct node *nd = &m->nodes[state_of(m, sc->key)];

	if (nd->out && !sc->pending) /* the slots before are final, empty */
		sc->next_final = k + 1 - nd->depth;
	for (uint32_t t = nd->out; t; t = m->nodes[t].dict)
		scan_record(sc, t, k);
	if (sc->pending && sc->next_final + nd->depth <= k)
		scan_finalize(sc, k + 1 - nd->depth);
}

static inline void scan_feed(struct scan *sc, unsigned char fold,
			     unsigned char raw, size_t off)
{
	const struct matcher *m = sc->m;
	size_t k = sc->k++;
	struct slot *sl = &sc->ring[k & sc->mask];
	unsigned c = m->cls[fold];
	uint32_t next = sc->key < m->dense_end ? m->delta[sc->key + c]
					       : transition(m, state_of(m, sc->key), c);

	sl->off = off;
	sl->raw = raw;
	sl->pat = NO_PAT;
	sc->key = next & ~(uint32_t)1;
	if ((next & 1) || sc->pending)
		scan_matches(sc, k);
}

size_t matcher_scan(const struct matcher *m, const char *text, size_t len,
		    struct matcher_hit **hits, size_t *cap)
{
	struct slot stack_ring[RING_STACK];
	struct scan sc = { .m = m, .hits = hits, .cap = cap };
	const unsigned char *s = (const unsigned char *)text;
	struct symbuf sb;
	size_t i = 0;
	struct lexstate st = { false, false };

	assert(m->built);
	if (m->npats == 0)
		return 0;
	sc.ring = m->ring_size <= RING_STACK
			  ? stack_ring
			  : xmalloc(m->ring_size * sizeof(*sc.ring));
	sc.mask = m->ring_size - 1;
	for (;;) {
		size_t at = i;
		/* Fast path of lex_step: an ASCII word character inside a
		 * word has no gap markers and folds by itself. */
		if (st.word && i < len && s[i] < 0x80 &&
		    classify(s[i]) == CH_WORD) {
			unsigned char b = s[i++];
			st.digit = is_digit(b);
			scan_feed(&sc, b >= 'A' && b <= 'Z' ? b + 32 : b, b, at);
			continue;
		}
		lex_step(s, len, &i, &st, &sb);
		for (int j = 0; j < sb.n; j++)
			scan_feed(&sc, sb.fold[j], sb.raw[j], at);
		if (at == len)
			break;
	}
	if (sc.pending)
		scan_finalize(&sc, sc.k);
	if (sc.ring != stack_ring)
		free(sc.ring);
	return sc.n;
}
