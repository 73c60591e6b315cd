/*
 * value: the one value type of the project.
 *
 * A tree of null / bool / int / float / string / array / table values. It is
 * what the TOML parser produces (site.toml, front matter), what templates
 * are rendered from, and what the JSON writer prints. Tables keep their keys
 * in insertion order (TOML documents and template contexts are read in the
 * order they were written; output that must be sorted sorts explicitly).
 *
 * Ownership: a container owns its children; value_free() frees a whole tree.
 * Arenas (value_arena_begin/end) make every value of a short-lived tree —
 * a template context, alive for one output file — from one growing block,
 * released at once: no allocation per value, key or string.
 * Strings are byte strings with a length (TOML strings may hold NUL) and are
 * always NUL-terminated too. Every value may carry the source position it
 * came from (line/col, 0 when made in code); the file is known by the caller.
 *
 * TOML date-times are strings whose `subtype` says which of the four kinds
 * they are, so the type stays one of the seven above.
 */
#ifndef DOSSIER_VALUE_H
#define DOSSIER_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum value_type {
	VALUE_NULL,
	VALUE_BOOL,
	VALUE_INT,
	VALUE_FLOAT,
	VALUE_STRING,
	VALUE_ARRAY,
	VALUE_TABLE,
};

/* Only for VALUE_STRING. */
enum value_subtype {
	VALUE_STR_PLAIN,
	VALUE_STR_DATETIME,       /* offset date-time */
	VALUE_STR_DATETIME_LOCAL, /* local date-time */
	VALUE_STR_DATE_LOCAL,     /* local date */
	VALUE_STR_TIME_LOCAL,     /* local time */
};

struct value;

struct value_kv {
	char *key;
	size_t keylen;
	struct value *val;
	int line, col; /* where the key was written, 0 if unknown */
};

struct value {
	enum value_type type;
	unsigned char subtype;
	unsigned char arena; /* made in an arena (below): value_free leaves it to the arena */
	unsigned flags;      /* free for the producer's use (e.g. TOML's table state) */
	int line, col;
	union {
		bool b;
		int64_t i;
		double f;
		struct {
			char *p;
			size_t n;
		} s;
		struct {
			struct value **items;
			size_t n, cap;
		} a;
		struct {
			struct value_kv *items;
			uint32_t n, cap;
			/* From VALUE_INDEX_MIN keys on, a hash index of the
			 * keys (value.c), so a lookup does not read them all. */
			uint32_t *index;
		} t;
	} u;
};

struct value *value_new_null(void);
struct value *value_new_bool(bool b);
struct value *value_new_int(int64_t i);
struct value *value_new_float(double f);
struct value *value_new_string(const char *s, size_t n);
struct value *value_new_cstr(const char *s);
/* Takes ownership of `s` (malloc'd, NUL-terminated, length n). */
struct value *value_new_string_take(char *s, size_t n);
struct value *value_new_array(void);
struct value *value_new_table(void);
void value_free(struct value *v);
struct value *value_copy(const struct value *v);
/* Same types, values, keys in the same order and the same positions. */
bool value_equal(const struct value *a, const struct value *b);

/* Appends `item` (taken) to array `a`; returns item. */
struct value *value_array_push(struct value *a, struct value *item);

/* Sets `key` in table `t` to `v` (taken), replacing and freeing an old
 * value; returns v. */
struct value *value_table_set(struct value *t, const char *key, struct value *v);
struct value *value_table_setn(struct value *t, const char *key, size_t keylen,
			       struct value *v);
/* Borrowed lookups; NULL when absent or when `t` is not a table. */
struct value *value_table_get(const struct value *t, const char *key);
struct value *value_table_getn(const struct value *t, const char *key,
			       size_t keylen);
const struct value_kv *value_table_getkv(const struct value *t, const char *key);
/* The entry of `key` (keylen bytes), for its producer to amend, or NULL. */
struct value_kv *value_table_findn(const struct value *t, const char *key, size_t keylen);
/* Removes and returns the value of `key` (now owned by the caller). */
struct value *value_table_take(struct value *t, const char *key);

/* Convenience setters for building template contexts. */
void value_set_str(struct value *t, const char *key, const char *s);
void value_set_int(struct value *t, const char *key, int64_t i);
void value_set_bool(struct value *t, const char *key, bool b);

/* Typed getters: the value if `key` exists with that type, else `def`. */
const char *value_get_str(const struct value *t, const char *key, const char *def);
int64_t value_get_int(const struct value *t, const char *key, int64_t def);
bool value_get_bool(const struct value *t, const char *key, bool def);

/* Mustache truthiness: false for null, false, empty array, empty string. */
bool value_truthy(const struct value *v);

/* Arenas. Between value_arena_begin() and the matching value_arena_end()
 * on a thread, the values that thread makes (with their strings, keys and
 * item arrays) come from an arena of that thread; value_free() of such a
 * value frees only what it holds from outside the arena (a value made
 * before, or during value_arena_suspend); value_arena_end() releases the
 * arena's memory at once, freed or not. A value made in an arena must not outlive it:
 * caches filled while one is open are made under value_arena_suspend().
 * Arenas nest: an inner pair only counts, its values live in the outer
 * arena. */
void value_arena_begin(void);
void value_arena_end(void);
/* Until value_arena_resume(returned), values made on this thread are
 * ordinary heap values (containers of the open arena still grow in it). */
bool value_arena_suspend(void);
void value_arena_resume(bool was_suspended);
const char *value_type_name(enum value_type t);

#endif
