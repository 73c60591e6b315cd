#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "json.h"
#include "strbuf.h"
#include "value.h"

/* Parses `src`; on failure returns NULL and stores the first diagnostic. */
static struct value *parse(const char *src, char **err)
{
	struct diag d;
	diag_init(&d);
	struct value *v = json_parse(src, strlen(src), "t.json", &d);
	*err = NULL;
	if (d.n > 0)
		diag_format(&d.items[0], err);
	diag_free(&d);
	return v;
}

static void expect_error(const char *src, const char *msg)
{
	char *err;
	struct value *v = parse(src, &err);
	cr_assert_null(v, "accepted: %s", src);
	cr_assert_not_null(err);
	cr_assert_str_eq(err, msg);
	free(err);
}

static char *write(const struct value *v, unsigned flags)
{
	struct strbuf sb = STRBUF_INIT;
	json_write(&sb, v, flags);
	return sb_detach(&sb);
}

/* Parses and writes back compactly. */
static void expect_roundtrip(const char *src, const char *out)
{
	char *err;
	struct value *v = parse(src, &err);
	cr_assert_not_null(v, "%s: %s", src, err ? err : "");
	char *s = write(v, 0);
	cr_assert_str_eq(s, out);
	free(s);
	value_free(v);
}

Test(json, scalars_and_types)
{
	char *err;
	struct value *v = parse("[1, -0, 1.5, 9223372036854775807, "
				"9223372036854775808, 1e2, true, false, null, \"s\"]",
				&err);
	cr_assert_not_null(v);
	cr_assert_eq(v->type, VALUE_ARRAY);
	cr_assert_eq(v->u.a.n, 10);
	struct value **it = v->u.a.items;
	cr_assert_eq(it[0]->type, VALUE_INT);
	cr_assert_eq(it[0]->u.i, 1);
	cr_assert_eq(it[1]->type, VALUE_INT);
	cr_assert_eq(it[2]->type, VALUE_FLOAT);
	cr_assert_float_eq(it[2]->u.f, 1.5, 0);
	cr_assert_eq(it[3]->type, VALUE_INT);
	cr_assert_eq(it[3]->u.i, INT64_MAX);
	cr_assert_eq(it[4]->type, VALUE_FLOAT, "too big for int64 is a float");
	cr_assert_eq(it[5]->type, VALUE_FLOAT);
	cr_assert_eq(it[6]->type, VALUE_BOOL);
	cr_assert(it[6]->u.b);
	cr_assert_eq(it[7]->type, VALUE_BOOL);
	cr_assert_not(it[7]->u.b);
	cr_assert_eq(it[8]->type, VALUE_NULL);
	cr_assert_eq(it[9]->type, VALUE_STRING);
	cr_assert_str_eq(it[9]->u.s.p, "s");
	value_free(v);
}

Test(json, string_escapes)
{
	char *err;
	struct value *v = parse("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\u0000z\"",
				&err);
	cr_assert_not_null(v, "%s", err);
	const char want[] = "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\0z";
	cr_assert_eq(v->u.s.n, sizeof(want) - 1);
	cr_assert(memcmp(v->u.s.p, want, sizeof(want) - 1) == 0);
	value_free(v);
}

Test(json, object_order_and_positions)
{
	char *err;
	struct value *v = parse("{\n  \"b\": 1,\n  \"a\": [true,\n  {}]\n}", &err);
	cr_assert_not_null(v, "%s", err);
	cr_assert_eq(v->type, VALUE_TABLE);
	cr_assert_eq(v->line, 1);
	cr_assert_eq(v->col, 1);
	cr_assert_eq(v->u.t.n, 2);
	cr_assert_str_eq(v->u.t.items[0].key, "b");
	cr_assert_eq(v->u.t.items[0].line, 2);
	cr_assert_eq(v->u.t.items[0].col, 3);
	cr_assert_eq(v->u.t.items[0].val->col, 8);
	cr_assert_str_eq(v->u.t.items[1].key, "a");
	struct value *a = v->u.t.items[1].val;
	cr_assert_eq(a->line, 3);
	cr_assert_eq(a->col, 8);
	cr_assert_eq(a->u.a.items[1]->line, 4);
	cr_assert_eq(a->u.a.items[1]->col, 3);
	value_free(v);
}

Test(json, errors_with_positions)
{
	expect_error("", "t.json:1:1: error: expected a value but found end of input");
	expect_error("[1,]", "t.json:1:4: error: expected a value but found ']'");
	expect_error("{\"a\" 1}", "t.json:1:6: error: expected ':' but found '1'");
	expect_error("{\"a\":1,\n \"a\":2}",
		     "t.json:2:2: error: duplicate object key \"a\"");
	expect_error("{a:1}",
		     "t.json:1:2: error: expected a string as object key but found 'a'");
	expect_error("[1 2]", "t.json:1:4: error: expected ',' or ']' but found '2'");
	expect_error("\n  \"abc", "t.json:2:3: error: unterminated string");
	expect_error("\"a\\x\"",
		     "t.json:1:3: error: invalid escape '\\' followed by 'x'");
	expect_error("\"\\ud800\"",
		     "t.json:1:2: error: lone high surrogate in \\u escape");
	expect_error("\"\\udc00\"", "t.json:1:2: error: lone low surrogate in \\u escape");
	expect_error("\"\\u12G4\"", "t.json:1:2: error: invalid \\u escape");
	expect_error("\"a\tb\"", "t.json:1:3: error: control character 0x09 in string");
	expect_error("\"\xff\"", "t.json:1:2: error: invalid UTF-8 byte 0xff");
	expect_error("\"\xc0\xaf\"", "t.json:1:2: error: invalid UTF-8 byte 0xc0");
	expect_error("01", "t.json:1:2: error: unexpected '1' after the JSON value");
	expect_error("-", "t.json:1:1: error: invalid number");
	expect_error("1.", "t.json:1:1: error: invalid number");
	expect_error("1e+", "t.json:1:1: error: invalid number");
	expect_error("tru", "t.json:1:1: error: expected a value but found 't'");
	expect_error("[] x", "t.json:1:4: error: unexpected 'x' after the JSON value");
}

Test(json, nesting_limit)
{
	size_t n = JSON_MAX_DEPTH + 1;
	char *s = malloc(2 * n + 1);
	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	expect_error(s, "t.json:1:513: error: nesting deeper than 512 levels");
	s[0] = ' ';
	s[2 * n - 1] = ' ';
	char *err;
	struct value *v = parse(s, &err);
	cr_assert_not_null(v, "%s", err ? err : "");
	value_free(v);
	free(s);
}

Test(json, roundtrip_compact)
{
	expect_roundtrip("{ \"a\" : [ 1 , 2.5 , -0.0 , 1e300 , 0.1 ] , \"b\" : { } }",
			 "{\"a\":[1,2.5,-0.0,1e+300,0.1],\"b\":{}}");
	expect_roundtrip("[1.0, 100.0, 123456789012.0, 1.7976931348623157e308]",
			 "[1.0,100.0,123456789012.0,1.7976931348623157e+308]");
	expect_roundtrip("\"\\u0001\\u001f\\u007f\\\"\\\\/\\n\\t\\b\\f\\r\"",
			 "\"\\u0001\\u001f\\u007f\\\"\\\\/\\n\\t\\b\\f\\r\"");
	expect_roundtrip("\"\xe2\x82\xac \\u00e9\"", "\"\xe2\x82\xac \xc3\xa9\"");
	expect_roundtrip("[true,false,null,[],[[]]]", "[true,false,null,[],[[]]]");
}

Test(json, roundtrip_values)
{
	/* write → parse gives the same tree (types included). */
	struct value *t = value_new_table();
	value_set_int(t, "i", -42);
	value_table_set(t, "f", value_new_float(3.0));
	value_table_set(t, "g", value_new_float(0.1 + 0.2));
	value_table_set(t, "s", value_new_string("a\0b\x01", 4));
	value_table_set(t, "arr", value_new_array());
	for (int flags = 0; flags <= JSON_PRETTY; flags++) {
		char *s = write(t, (unsigned)flags);
		char *err;
		struct value *back = parse(s, &err);
		cr_assert_not_null(back, "%s: %s", s, err);
		cr_assert_eq(value_table_get(back, "i")->u.i, -42);
		cr_assert_eq(value_table_get(back, "f")->type, VALUE_FLOAT);
		cr_assert_eq(value_table_get(back, "g")->u.f, 0.1 + 0.2);
		struct value *str = value_table_get(back, "s");
		cr_assert_eq(str->u.s.n, 4);
		cr_assert(memcmp(str->u.s.p, "a\0b\x01", 4) == 0);
		cr_assert_eq(value_table_get(back, "arr")->type, VALUE_ARRAY);
		value_free(back);
		free(s);
	}
	value_free(t);
}

Test(json, pretty)
{
	char *err;
	struct value *v = parse("{\"a\":[1,{\"b\":null}],\"c\":{},\"d\":[]}", &err);
	char *s = write(v, JSON_PRETTY);
	cr_assert_str_eq(s, "{\n"
			    "  \"a\": [\n"
			    "    1,\n"
			    "    {\n"
			    "      \"b\": null\n"
			    "    }\n"
			    "  ],\n"
			    "  \"c\": {},\n"
			    "  \"d\": []\n"
			    "}");
	free(s);
	value_free(v);
}

Test(json, special_floats_and_bad_utf8)
{
	struct value *a = value_new_array();
	value_array_push(a, value_new_float(INFINITY));
	value_array_push(a, value_new_float(-INFINITY));
	value_array_push(a, value_new_float(NAN));
	value_array_push(a, value_new_string("a\xff"
					     "b\xc3",
					     4));
	char *s = write(a, 0);
	cr_assert_str_eq(s, "[null,null,null,\"a\\ufffdb\\ufffd\"]");
	free(s);
	s = write(a, JSON_TOML_TAGGED);
	cr_assert_str_eq(s, "[{\"type\":\"float\",\"value\":\"inf\"},"
			    "{\"type\":\"float\",\"value\":\"-inf\"},"
			    "{\"type\":\"float\",\"value\":\"nan\"},"
			    "{\"type\":\"string\",\"value\":\"a\\ufffdb\\ufffd\"}]");
	free(s);
	value_free(a);
}

Test(json, tagged)
{
	struct value *t = value_new_table();
	value_set_int(t, "i", 7);
	value_set_bool(t, "b", true);
	value_table_set(t, "f", value_new_float(-0.0));
	const char *kinds[] = { "1979-05-27T07:32:00Z", "1979-05-27T07:32:00",
				"1979-05-27", "07:32:00" };
	for (int k = 0; k < 4; k++) {
		struct value *s = value_new_cstr(kinds[k]);
		s->subtype = (unsigned char)(VALUE_STR_DATETIME + k);
		char key[2] = { (char)('w' + k), '\0' };
		value_table_set(t, key, s);
	}
	char *s = write(t, JSON_TOML_TAGGED | JSON_PRETTY);
	cr_assert_str_eq(s,
			 "{\n"
			 "  \"i\": {\"type\": \"integer\", \"value\": \"7\"},\n"
			 "  \"b\": {\"type\": \"bool\", \"value\": \"true\"},\n"
			 "  \"f\": {\"type\": \"float\", \"value\": \"-0.0\"},\n"
			 "  \"w\": {\"type\": \"datetime\", \"value\": \"1979-05-27T07:32:00Z\"},\n"
			 "  \"x\": {\"type\": \"datetime-local\", \"value\": \"1979-05-27T07:32:00\"},\n"
			 "  \"y\": {\"type\": \"date-local\", \"value\": \"1979-05-27\"},\n"
			 "  \"z\": {\"type\": \"time-local\", \"value\": \"07:32:00\"}\n"
			 "}");
	free(s);
	value_free(t);
}

/* The writer copies runs of plain bytes and valid UTF-8 at once: every
 * kind of escape between, at the start and at the end of such runs. */
Test(json, writer_escapes_between_plain_runs)
{
	static const char src[] = "\"start\\\"q\\\\b\x01\x7f"
				  "caf\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xff"
				  "end\n";
	struct value *v = value_new_string(src, sizeof(src) - 1);
	char *s = write(v, 0);
	cr_assert_str_eq(s, "\"\\\"start\\\\\\\"q\\\\\\\\b\\u0001\\u007f"
			    "caf\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \\ufffdend\\n\"");
	free(s);
	value_free(v);
	struct value *n = value_new_int(-9223372036854775807 - 1);
	s = write(n, 0);
	cr_assert_str_eq(s, "-9223372036854775808");
	free(s);
	s = write(n, JSON_TOML_TAGGED);
	cr_assert_str_eq(s, "{\"type\":\"integer\",\"value\":\"-9223372036854775808\"}");
	free(s);
	value_free(n);
}
