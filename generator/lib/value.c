#include "value.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* --- arenas ------------------------------------------------------------ */

/* A block of an arena; data is bump-allocated, 16-byte aligned. */
struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *block; /* the one allocated from; the others follow it */
	char **owned;        /* heap strings handed over (value_new_string_take) */
	size_t nowned, capowned;
};

enum { BLOCK_SIZE = 64 * 1024,
       BLOCK_BIG = BLOCK_SIZE / 4 };

/* The thread's open arena: one at a time (an inner begin/end pair only
 * counts, its values live in the outer arena, so no value of an outer
 * arena ever holds memory of an inner one). Values are made in it unless
 * suspended; an arena container grows from it even then. */
static _Thread_local struct arena *open_arena;
static _Thread_local unsigned depth;
static _Thread_local bool suspended;

/* The arena new values come from, or NULL. */
static struct arena *making(void)
{
	return suspended ? NULL : open_arena;
}

static struct block *block_new(size_t size)
{
	struct block *b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

static void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n >= BLOCK_BIG) {
		/* A big one gets a block of its own, behind the current one. */
		struct block *b = block_new(n);
		b->used = n;
		b->next = a->block->next;
		a->block->next = b;
		return b->data;
	}
	if (a->block->size - a->block->used < n) {
		struct block *b = block_new(BLOCK_SIZE);
		b->next = a->block;
		a->block = b;
	}
	void *p = a->block->data + a->block->used;
	a->block->used += n;
	return p;
}

static char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* xgrow's policy for an array of the arena: the old items stay where they
 * were (the arena frees them with the rest). */
static void *arena_grow(struct arena *a, void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t c = xgrow_cap(*cap, need);
	void *q = arena_alloc(a, c * size);
	if (*cap)
		memcpy(q, p, *cap * size);
	*cap = c;
	return q;
}

void value_arena_begin(void)
{
	if (depth++)
		return;
	struct arena *a = xcalloc(1, sizeof(*a));
	a->block = block_new(BLOCK_SIZE);
	open_arena = a;
}

void value_arena_end(void)
{
	if (!depth || --depth)
		return;
	struct arena *a = open_arena;
	open_arena = NULL;
	for (size_t i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	for (struct block *b = a->block, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

bool value_arena_suspend(void)
{
	bool was = suspended;
	suspended = true;
	return was;
}

void value_arena_resume(bool was)
{
	suspended = was;
}

static struct value *value_alloc(enum value_type type)
{
	struct value *v;
	struct arena *a = making();
	if (a) {
		v = arena_alloc(a, sizeof(*v));
		memset(v, 0, sizeof(*v));
		v->arena = 1;
	} else {
		v = xcalloc(1, sizeof(*v));
	}
	v->type = type;
	return v;
}

/* Items and keys of a container: from its arena, or the heap. */
static void *grow_items(const struct value *c, void *p, size_t *cap, size_t need, size_t size)
{
	return c->arena ? arena_grow(open_arena, p, cap, need, size) : xgrow(p, cap, need, size);
}

struct value *value_new_null(void)
{
	return value_alloc(VALUE_NULL);
}

struct value *value_new_bool(bool b)
{
	struct value *v = value_alloc(VALUE_BOOL);
	v->u.b = b;
	return v;
}

struct value *value_new_int(int64_t i)
{
	struct value *v = value_alloc(VALUE_INT);
	v->u.i = i;
	return v;
}

struct value *value_new_float(double f)
{
	struct value *v = value_alloc(VALUE_FLOAT);
	v->u.f = f;
	return v;
}

struct value *value_new_string_take(char *s, size_t n)
{
	struct value *v = value_alloc(VALUE_STRING);
	v->u.s.p = s;
	v->u.s.n = n;
	if (v->arena) {
		/* The arena frees it when it ends. */
		struct arena *a = open_arena;
		a->owned = xgrow(a->owned, &a->capowned, a->nowned + 1, sizeof(*a->owned));
		a->owned[a->nowned++] = s;
	}
	return v;
}

struct value *value_new_string(const char *s, size_t n)
{
	if (making()) {
		struct value *v = value_alloc(VALUE_STRING);
		v->u.s.p = arena_strndup(open_arena, s, n);
		v->u.s.n = n;
		return v;
	}
	return value_new_string_take(xstrndup(s, n), n);
}

struct value *value_new_cstr(const char *s)
{
	return value_new_string(s, strlen(s));
}

struct value *value_new_array(void)
{
	return value_alloc(VALUE_ARRAY);
}

struct value *value_new_table(void)
{
	return value_alloc(VALUE_TABLE);
}

void value_free(struct value *v)
{
	if (!v)
		return;
	if (v->arena) {
		/* Its memory is the arena's; a child from outside is not. */
		if (v->type == VALUE_ARRAY)
			for (size_t i = 0; i < v->u.a.n; i++)
				value_free(v->u.a.items[i]);
		else if (v->type == VALUE_TABLE)
			for (size_t i = 0; i < v->u.t.n; i++)
				value_free(v->u.t.items[i].val);
		return;
	}
	switch (v->type) {
	case VALUE_STRING:
		free(v->u.s.p);
		break;
	case VALUE_ARRAY:
		for (size_t i = 0; i < v->u.a.n; i++)
			value_free(v->u.a.items[i]);
		free(v->u.a.items);
		break;
	case VALUE_TABLE:
		for (size_t i = 0; i < v->u.t.n; i++) {
			free(v->u.t.items[i].key);
			value_free(v->u.t.items[i].val);
		}
		free(v->u.t.items);
		free(v->u.t.index);
		break;
	default:
		break;
	}
	free(v);
}

struct value *value_copy(const struct value *v)
{
	struct value *c;
	switch (v->type) {
	case VALUE_STRING:
		c = value_new_string(v->u.s.p, v->u.s.n);
		break;
	case VALUE_ARRAY:
		c = value_new_array();
		for (size_t i = 0; i < v->u.a.n; i++)
			value_array_push(c, value_copy(v->u.a.items[i]));
		break;
	case VALUE_TABLE:
		c = value_new_table();
		for (size_t i = 0; i < v->u.t.n; i++) {
			const struct value_kv *kv = &v->u.t.items[i];
			value_table_setn(c, kv->key, kv->keylen, value_copy(kv->val));
			c->u.t.items[i].line = kv->line;
			c->u.t.items[i].col = kv->col;
		}
		break;
	default:
		c = value_alloc(v->type);
		c->u = v->u;
		break;
	}
	c->subtype = v->subtype;
	c->flags = v->flags;
	c->line = v->line;
	c->col = v->col;
	return c;
}

struct value *value_array_push(struct value *a, struct value *item)
{
	a->u.a.items = grow_items(a, a->u.a.items, &a->u.a.cap, a->u.a.n + 1, sizeof(*a->u.a.items));
	a->u.a.items[a->u.a.n++] = item;
	return item;
}

/* --- the keys' index --------------------------------------------------------
 *
 * A table of VALUE_INDEX_MIN keys or more has a hash index: open
 * addressing, linear probing, item index + 1 (0 is empty), twice as many
 * slots as the items have room for, rebuilt when that room grows (or a
 * key is taken out). Below that, keys are compared one by one, which is
 * what the many small tables (config sections, template contexts) want;
 * without the index a table of n keys from untrusted TOML or YAML, or
 * the site's entities by slug, cost n^2 / 2 comparisons to make. */
enum { VALUE_INDEX_MIN = 16 };

static size_t key_hash(const char *key, size_t keylen)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (size_t i = 0; i < keylen; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211u;
	return (size_t)(h ^ (h >> 32));
}

static size_t index_slots(const struct value *t)
{
	size_t n = 2 * (size_t)t->u.t.cap, c = 32;
	while (c < n)
		c *= 2;
	return c;
}

static void index_put(const struct value *t, uint32_t i)
{
	size_t mask = index_slots(t) - 1;
	const struct value_kv *kv = &t->u.t.items[i];
	size_t h = key_hash(kv->key, kv->keylen) & mask;
	while (t->u.t.index[h])
		h = (h + 1) & mask;
	t->u.t.index[h] = i + 1;
}

static void index_build(struct value *t)
{
	if (!t->arena)
		free(t->u.t.index);
	t->u.t.index = NULL;
	if (t->u.t.n < VALUE_INDEX_MIN)
		return;
	size_t slots = index_slots(t);
	if (t->arena) {
		t->u.t.index = arena_alloc(open_arena, slots * sizeof(*t->u.t.index));
		memset(t->u.t.index, 0, slots * sizeof(*t->u.t.index));
	} else {
		t->u.t.index = xcalloc(slots, sizeof(*t->u.t.index));
	}
	for (uint32_t i = 0; i < t->u.t.n; i++)
		index_put(t, i);
}

static struct value_kv *find_kv(const struct value *t, const char *key,
				size_t keylen)
{
	if (!t || t->type != VALUE_TABLE)
		return NULL;
	if (t->u.t.index) {
		size_t mask = index_slots(t) - 1;
		for (size_t h = key_hash(key, keylen) & mask; t->u.t.index[h]; h = (h + 1) & mask) {
			struct value_kv *kv = &t->u.t.items[t->u.t.index[h] - 1];
			if (kv->keylen == keylen && memcmp(kv->key, key, keylen) == 0)
				return kv;
		}
		return NULL;
	}
	for (size_t i = 0; i < t->u.t.n; i++) {
		struct value_kv *kv = &t->u.t.items[i];
		if (kv->keylen == keylen && memcmp(kv->key, key, keylen) == 0)
			return kv;
	}
	return NULL;
}

struct value_kv *value_table_findn(const struct value *t, const char *key, size_t keylen)
{
	return find_kv(t, key, keylen);
}

struct value *value_table_setn(struct value *t, const char *key, size_t keylen,
			       struct value *v)
{
	struct value_kv *kv = find_kv(t, key, keylen);
	if (kv) {
		value_free(kv->val);
		kv->val = v;
		return v;
	}
	assert(t->u.t.n < UINT32_MAX);
	size_t cap = t->u.t.cap;
	t->u.t.items = grow_items(t, t->u.t.items, &cap, (size_t)t->u.t.n + 1, sizeof(*t->u.t.items));
	bool grown = cap != t->u.t.cap;
	assert(cap <= UINT32_MAX);
	t->u.t.cap = (uint32_t)cap;
	kv = &t->u.t.items[t->u.t.n++];
	kv->key = t->arena ? arena_strndup(open_arena, key, keylen) : xstrndup(key, keylen);
	kv->keylen = keylen;
	kv->val = v;
	kv->line = v ? v->line : 0;
	kv->col = v ? v->col : 0;
	if (grown || t->u.t.n == VALUE_INDEX_MIN)
		index_build(t);
	else if (t->u.t.index)
		index_put(t, t->u.t.n - 1);
	return v;
}

struct value *value_table_set(struct value *t, const char *key, struct value *v)
{
	return value_table_setn(t, key, strlen(key), v);
}

struct value *value_table_getn(const struct value *t, const char *key,
			       size_t keylen)
{
	struct value_kv *kv = find_kv(t, key, keylen);
	return kv ? kv->val : NULL;
}

struct value *value_table_get(const struct value *t, const char *key)
{
	return value_table_getn(t, key, strlen(key));
}

const struct value_kv *value_table_getkv(const struct value *t, const char *key)
{
	return find_kv(t, key, strlen(key));
}

struct value *value_table_take(struct value *t, const char *key)
{
	struct value_kv *kv = find_kv(t, key, strlen(key));
	if (!kv)
		return NULL;
	struct value *v = kv->val;
	if (!t->arena)
		free(kv->key);
	size_t i = (size_t)(kv - t->u.t.items);
	memmove(kv, kv + 1, (t->u.t.n - i - 1) * sizeof(*kv));
	t->u.t.n--;
	if (t->u.t.index)
		index_build(t);
	return v;
}

void value_set_str(struct value *t, const char *key, const char *s)
{
	value_table_set(t, key, s ? value_new_cstr(s) : value_new_null());
}

void value_set_int(struct value *t, const char *key, int64_t i)
{
	value_table_set(t, key, value_new_int(i));
}

void value_set_bool(struct value *t, const char *key, bool b)
{
	value_table_set(t, key, value_new_bool(b));
}

const char *value_get_str(const struct value *t, const char *key, const char *def)
{
	const struct value *v = value_table_get(t, key);
	return v && v->type == VALUE_STRING ? v->u.s.p : def;
}

int64_t value_get_int(const struct value *t, const char *key, int64_t def)
{
	const struct value *v = value_table_get(t, key);
	return v && v->type == VALUE_INT ? v->u.i : def;
}

bool value_get_bool(const struct value *t, const char *key, bool def)
{
	const struct value *v = value_table_get(t, key);
	return v && v->type == VALUE_BOOL ? v->u.b : def;
}

bool value_truthy(const struct value *v)
{
	if (!v)
		return false;
	switch (v->type) {
	case VALUE_NULL:
		return false;
	case VALUE_BOOL:
		return v->u.b;
	case VALUE_STRING:
		return v->u.s.n > 0;
	case VALUE_ARRAY:
		return v->u.a.n > 0;
	default:
		return true;
	}
}

const char *value_type_name(enum value_type t)
{
	static const char *const names[] = {
		"null", "bool", "integer", "float", "string", "array", "table"
	};
	return names[t];
}

bool value_equal(const struct value *a, const struct value *b)
{
	if (!a || !b)
		return a == b;
	if (a->type != b->type || a->subtype != b->subtype || a->line != b->line || a->col != b->col)
		return false;
	switch (a->type) {
	case VALUE_NULL:
		return true;
	case VALUE_BOOL:
		return a->u.b == b->u.b;
	case VALUE_INT:
		return a->u.i == b->u.i;
	case VALUE_FLOAT:
		return memcmp(&a->u.f, &b->u.f, sizeof(a->u.f)) == 0;
	case VALUE_STRING:
		return a->u.s.n == b->u.s.n && !memcmp(a->u.s.p, b->u.s.p, a->u.s.n);
	case VALUE_ARRAY:
		if (a->u.a.n != b->u.a.n)
			return false;
		for (size_t i = 0; i < a->u.a.n; i++)
			if (!value_equal(a->u.a.items[i], b->u.a.items[i]))
				return false;
		return true;
	case VALUE_TABLE:
		if (a->u.t.n != b->u.t.n)
			return false;
		for (size_t i = 0; i < a->u.t.n; i++) {
			const struct value_kv *x = &a->u.t.items[i], *y = &b->u.t.items[i];
			if (x->keylen != y->keylen || memcmp(x->key, y->key, x->keylen) ||
			    x->line != y->line || x->col != y->col || !value_equal(x->val, y->val))
				return false;
		}
		return true;
	}
	return false;
}
