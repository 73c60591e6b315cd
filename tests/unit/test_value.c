#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "value.h"

Test(value, tables_keep_insertion_order_and_replace_in_place)
{
	struct value *t = value_new_table();
	value_set_str(t, "b", "1");
	value_set_int(t, "a", 2);
	value_set_bool(t, "c", true);
	value_set_str(t, "b", "3"); /* replaced where it was, not appended */
	cr_assert_eq(t->u.t.n, 3);
	cr_expect_str_eq(t->u.t.items[0].key, "b");
	cr_expect_str_eq(t->u.t.items[1].key, "a");
	cr_expect_str_eq(t->u.t.items[2].key, "c");
	cr_expect_str_eq(value_get_str(t, "b", NULL), "3");
	cr_expect_eq(value_get_int(t, "a", 0), 2);
	cr_expect(value_get_bool(t, "c", false));
	value_free(t);
}

Test(value, typed_getters_fall_back_on_a_wrong_type)
{
	struct value *t = value_new_table();
	value_set_str(t, "s", "x");
	value_set_int(t, "i", 7);
	cr_expect_eq(value_get_int(t, "s", -1), -1);
	cr_expect_str_eq(value_get_str(t, "i", "def"), "def");
	cr_expect_eq(value_get_bool(t, "i", true), true);
	cr_expect_str_eq(value_get_str(t, "missing", "def"), "def");
	/* Not a table: absent, never a crash. */
	struct value *a = value_new_array();
	cr_expect_null(value_table_get(a, "s"));
	cr_expect_null(value_table_get(NULL, "s"));
	cr_expect_str_eq(value_get_str(a, "s", "d"), "d");
	value_set_str(t, "null", NULL);
	cr_expect_eq(value_table_get(t, "null")->type, VALUE_NULL);
	value_free(a);
	value_free(t);
}

Test(value, keys_and_strings_may_hold_nul)
{
	struct value *t = value_new_table();
	value_table_setn(t, "a\0b", 3, value_new_string("x\0y", 3));
	value_table_setn(t, "a", 1, value_new_int(1));
	cr_assert_eq(t->u.t.n, 2, "'a' and 'a\\0b' are two keys");
	struct value *v = value_table_getn(t, "a\0b", 3);
	cr_assert_not_null(v);
	cr_expect_eq(v->u.s.n, 3);
	cr_expect_eq(memcmp(v->u.s.p, "x\0y", 4), 0, "NUL-terminated after its length too");
	cr_expect_eq(value_table_get(t, "a")->u.i, 1);
	value_free(t);
}

Test(value, take_removes_and_keeps_the_rest_in_order)
{
	struct value *t = value_new_table();
	value_set_int(t, "a", 1);
	value_set_int(t, "b", 2);
	value_set_int(t, "c", 3);
	struct value *b = value_table_take(t, "b");
	cr_assert_not_null(b);
	cr_expect_eq(b->u.i, 2);
	cr_assert_eq(t->u.t.n, 2);
	cr_expect_str_eq(t->u.t.items[0].key, "a");
	cr_expect_str_eq(t->u.t.items[1].key, "c");
	cr_expect_null(value_table_get(t, "b"));
	cr_expect_null(value_table_take(t, "b"));
	value_free(b);
	value_free(t);
}

Test(value, copy_is_deep_and_keeps_positions)
{
	struct value *t = value_new_table();
	struct value *a = value_table_set(t, "list", value_new_array());
	struct value *s = value_array_push(a, value_new_cstr("one"));
	s->line = 4;
	s->col = 9;
	s->subtype = VALUE_STR_DATE_LOCAL;
	t->u.t.items[0].line = 3;
	value_array_push(a, value_new_float(0.5));
	struct value *c = value_copy(t);
	/* Changing the original leaves the copy alone. */
	s->u.s.p[0] = 'X';
	value_set_int(t, "more", 1);
	struct value *ca = value_table_get(c, "list");
	cr_assert_not_null(ca);
	cr_assert_eq(ca->u.a.n, 2);
	cr_expect_str_eq(ca->u.a.items[0]->u.s.p, "one");
	cr_expect_eq(ca->u.a.items[0]->line, 4);
	cr_expect_eq(ca->u.a.items[0]->col, 9);
	cr_expect_eq(ca->u.a.items[0]->subtype, VALUE_STR_DATE_LOCAL);
	cr_expect_eq(ca->u.a.items[1]->u.f, 0.5);
	cr_expect_eq(c->u.t.items[0].line, 3, "a key's position is copied");
	cr_expect_eq(c->u.t.n, 1);
	value_free(t);
	value_free(c);
}

Test(value, truthiness_is_mustaches)
{
	struct value *v[] = {
		value_new_null(), value_new_bool(false), value_new_cstr(""), value_new_array(),
		value_new_bool(true), value_new_cstr("0"), value_new_int(0), value_new_float(0.0),
		value_new_table()
	};
	bool want[] = { false, false, false, false, true, true, true, true, true };
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		cr_expect_eq(value_truthy(v[i]), want[i], "value %zu (%s)", i, value_type_name(v[i]->type));
		value_free(v[i]);
	}
	cr_expect(!value_truthy(NULL));
}

Test(value, type_names)
{
	cr_expect_str_eq(value_type_name(VALUE_NULL), "null");
	cr_expect_str_eq(value_type_name(VALUE_INT), "integer");
	cr_expect_str_eq(value_type_name(VALUE_TABLE), "table");
}

Test(value, string_take_owns_without_copying)
{
	char *p = strdup("abc");
	struct value *v = value_new_string_take(p, 3);
	cr_expect_eq(v->u.s.p, p);
	cr_expect_eq(v->u.s.n, 3);
	value_free(v);
	value_free(NULL);
}

/* Arenas: a context made in one is the same tree, with every value marked;
 * the ASan build of these tests (make asan) fails on any leak or use
 * after the arena ends, so these also check what is freed and when. */
Test(value, arena_values_are_the_same_tree_and_marked)
{
	value_arena_begin();
	struct value *t = value_new_table();
	struct value *a = value_table_set(t, "items", value_new_array());
	char big[40000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int i = 0; i < 100; i++) {
		struct value *row = value_array_push(a, value_new_table());
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		value_set_int(row, key, i);
		value_set_str(row, "s", i == 50 ? big : "small");
	}
	cr_expect(t->arena && a->arena && a->u.a.items[99]->arena);
	cr_expect_eq(a->u.a.n, 100);
	cr_expect_eq(value_get_int(a->u.a.items[42], "k42", -1), 42);
	cr_expect_eq(strlen(value_get_str(a->u.a.items[50], "s", "")), sizeof big - 1);
	cr_expect_str_eq(value_get_str(a->u.a.items[99], "s", ""), "small");
	/* A replaced or taken value of the arena is left to it. */
	value_set_int(t, "n", 1);
	value_set_int(t, "n", 2);
	cr_expect_eq(value_get_int(t, "n", 0), 2);
	struct value *n = value_table_take(t, "n");
	cr_expect_eq(n->u.i, 2);
	value_free(n);
	value_free(t);
	value_arena_end();
}

Test(value, arena_frees_taken_strings_and_outside_children)
{
	struct value *outside = value_new_cstr("made before the arena");
	value_arena_begin();
	struct value *t = value_new_table();
	value_table_set(t, "taken", value_new_string_take(strdup("heap"), 4));
	value_table_set(t, "outside", outside);
	cr_expect(!outside->arena);
	value_free(t); /* frees `outside`; "heap" goes with the arena */
	value_arena_end();
}

Test(value, arena_suspended_values_outlive_it)
{
	value_arena_begin();
	struct value *t = value_new_table();
	bool was = value_arena_suspend();
	struct value *cache = value_new_table();
	value_set_str(cache, "kept", "yes");
	value_arena_resume(was);
	/* An arena container still grows in its arena while suspended. */
	was = value_arena_suspend();
	value_set_str(t, "late", "in the arena");
	value_arena_resume(was);
	cr_expect(!cache->arena && t->arena);
	cr_expect(!value_table_get(t, "late")->arena);
	value_free(t);
	value_arena_end();
	cr_expect_str_eq(value_get_str(cache, "kept", ""), "yes");
	value_free(cache);
}

Test(value, arena_nested_pair_only_counts)
{
	value_arena_begin();
	struct value *outer = value_new_array();
	value_arena_begin();
	struct value *inner = value_array_push(outer, value_new_cstr("inner"));
	value_arena_end();
	/* The inner end released nothing: the outer tree is whole. */
	cr_expect(inner->arena);
	cr_expect_str_eq(outer->u.a.items[0]->u.s.p, "inner");
	value_free(outer);
	value_arena_end();
	/* After the last end, values are ordinary again. */
	struct value *v = value_new_null();
	cr_expect(!v->arena);
	value_free(v);
	value_arena_end(); /* unmatched: nothing happens */
}

/* A large table (hash-indexed from 16 keys on) and a small one behave the
 * same: every key found, a replaced key keeps its place, a taken one is
 * gone and the rest are still found, in order; in an arena too. */
static void many_keys(size_t n)
{
	struct value *t = value_new_table();
	char key[32];
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		value_set_int(t, key, (int64_t)i);
	}
	cr_assert_eq(t->u.t.n, n);
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		cr_assert_eq(value_get_int(t, key, -1), (int64_t)i, "%s", key);
	}
	cr_expect_null(value_table_get(t, "k"));
	snprintf(key, sizeof(key), "k%zu", n / 2);
	value_set_int(t, key, -5); /* replaced in place */
	cr_expect_eq(t->u.t.n, n);
	cr_expect_str_eq(t->u.t.items[n / 2].key, key);
	cr_expect_eq(value_get_int(t, key, 0), -5);
	value_free(value_table_take(t, "k0"));
	cr_expect_eq(t->u.t.n, n - 1);
	cr_expect_null(value_table_get(t, "k0"));
	for (size_t i = 1; i < n; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		cr_assert_not_null(value_table_get(t, key), "%s after a take", key);
		cr_assert_str_eq(t->u.t.items[i - 1].key, key);
	}
	struct value *c = value_copy(t);
	snprintf(key, sizeof(key), "k%zu", n - 1);
	cr_expect_eq(value_get_int(c, key, -1), n - 1 == n / 2 ? -5 : (int64_t)(n - 1));
	value_set_int(c, "k0", 7); /* back, at the end */
	cr_expect_str_eq(c->u.t.items[n - 1].key, "k0");
	cr_expect_eq(value_get_int(c, "k0", 0), 7);
	value_free(c);
	value_free(t);
}

Test(value, tables_of_many_keys_are_tables)
{
	for (size_t n = 2; n <= 40; n++)
		many_keys(n);
	many_keys(10000);
	value_arena_begin();
	many_keys(1000);
	value_arena_end();
}
