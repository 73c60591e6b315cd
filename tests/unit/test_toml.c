#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "json.h"
#include "strbuf.h"
#include "toml.h"
#include "value.h"

/* Parses `len` bytes; returns the tree and, in *errs, every diagnostic as
 * printed, one a line (owned, "" when none). */
static struct value *parse_n(const char *src, size_t len, char **errs)
{
	struct diag d;
	struct strbuf sb = STRBUF_INIT;
	diag_init(&d);
	struct value *v = toml_parse(src, len, "t.toml", &d);
	for (size_t i = 0; i < d.n; i++) {
		char *s;
		diag_format(&d.items[i], &s);
		sb_printf(&sb, "%s\n", s);
		free(s);
	}
	cr_assert_eq(v == NULL, d.errors > 0, "NULL exactly when there are errors");
	diag_free(&d);
	*errs = sb_detach(&sb);
	return v;
}

static struct value *parse(const char *src, char **errs)
{
	return parse_n(src, strlen(src), errs);
}

static struct value *parse_ok(const char *src)
{
	char *errs;
	struct value *v = parse(src, &errs);
	cr_assert_not_null(v, "rejected: %s\n%s", src, errs);
	free(errs);
	return v;
}

/* `src` must be rejected with exactly the diagnostics `want`. */
static void reject_n(const char *src, size_t len, const char *want)
{
	char *errs;
	struct value *v = parse_n(src, len, &errs);
	cr_assert_null(v, "accepted: %s", src);
	cr_assert_str_eq(errs, want, "for input: %s", src);
	free(errs);
}

static void reject(const char *src, const char *want)
{
	reject_n(src, strlen(src), want);
}

/* The tree as compact tagged JSON, for whole-document expectations. */
static void expect_json(const char *src, const char *want)
{
	struct value *v = parse_ok(src);
	struct strbuf sb = STRBUF_INIT;
	json_write(&sb, v, JSON_TOML_TAGGED);
	cr_assert_str_eq(sb.ptr, want, "for input: %s", src);
	sb_free(&sb);
	value_free(v);
}

static struct value *get(struct value *t, const char *key)
{
	struct value *v = value_table_get(t, key);
	cr_assert_not_null(v, "no key %s", key);
	return v;
}

Test(toml, scalars)
{
	struct value *v = parse_ok("i = -0\nb = 0b1010\no = 0o777\nh = 0xDEAD_beef\n"
				   "d = +1_000\nmin = -9223372036854775808\n"
				   "max = 9223372036854775807\nf = 6.626e-34\n"
				   "g = 1_2.5_0E+0_2\nt = true\nn = -nan\nin = -inf\n");
	cr_assert_eq(get(v, "b")->u.i, 10);
	cr_assert_eq(get(v, "o")->u.i, 0777);
	cr_assert_eq(get(v, "h")->u.i, 0xDEADBEEF);
	cr_assert_eq(get(v, "d")->u.i, 1000);
	cr_assert_eq(get(v, "min")->u.i, INT64_MIN);
	cr_assert_eq(get(v, "max")->u.i, INT64_MAX);
	cr_assert_eq(get(v, "f")->type, VALUE_FLOAT);
	cr_assert_eq(get(v, "f")->u.f, 6.626e-34);
	cr_assert_eq(get(v, "g")->u.f, 1250.0);
	cr_assert(get(v, "t")->u.b);
	cr_assert(isnan(get(v, "n")->u.f));
	cr_assert(isinf(get(v, "in")->u.f) && get(v, "in")->u.f < 0);
	value_free(v);
}

Test(toml, strings)
{
	struct value *v = parse_ok(
		"a = \"tab\\t \\\"q\\\" \\u00E9 \\U0001F600 \\\\ \\b\\f\\r\"\n"
		"b = 'C:\\path\\'\n"
		"c = \"\"\"\nline1\r\nline2 \\\n    \t\n   joined\"\"\"\n"
		"d = '''\n'quoted' \"\"\"'''\n"
		"e = \"\"\"\"\"q\"\"\"\"\"\n"
		"f = \"nul\\u0000!\"\n");
	cr_assert_str_eq(get(v, "a")->u.s.p,
			 "tab\t \"q\" \xc3\xa9 \xf0\x9f\x98\x80 \\ \b\f\r");
	cr_assert_str_eq(get(v, "b")->u.s.p, "C:\\path\\");
	cr_assert_str_eq(get(v, "c")->u.s.p, "line1\nline2 joined");
	cr_assert_str_eq(get(v, "d")->u.s.p, "'quoted' \"\"\"");
	cr_assert_str_eq(get(v, "e")->u.s.p, "\"\"q\"\"");
	cr_assert_eq(get(v, "f")->u.s.n, 5);
	cr_assert(memcmp(get(v, "f")->u.s.p, "nul\0!", 5) == 0);
	value_free(v);
}

Test(toml, datetimes)
{
	struct value *v = parse_ok("odt = 1979-05-27 07:32:00.999999z\n"
				   "off = 1979-05-27t07:32:00-07:00\n"
				   "ldt = 1979-05-27T07:32:00\n"
				   "ld = 2000-02-29\n"
				   "lt = 23:59:60.5\n");
	struct {
		const char *key, *text;
		int subtype;
	} want[] = {
		{ "odt", "1979-05-27T07:32:00.999999Z", VALUE_STR_DATETIME },
		{ "off", "1979-05-27T07:32:00-07:00", VALUE_STR_DATETIME },
		{ "ldt", "1979-05-27T07:32:00", VALUE_STR_DATETIME_LOCAL },
		{ "ld", "2000-02-29", VALUE_STR_DATE_LOCAL },
		{ "lt", "23:59:60.5", VALUE_STR_TIME_LOCAL },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct value *s = get(v, want[i].key);
		cr_assert_eq(s->type, VALUE_STRING);
		cr_assert_eq(s->subtype, want[i].subtype, "%s", want[i].key);
		cr_assert_str_eq(s->u.s.p, want[i].text);
	}
	value_free(v);
}

Test(toml, tables_and_arrays)
{
	expect_json("x.y = 1\nx.z = {a = [1, {b = 2}]}\n"
		    "[t.u]\nv = 1\n[t]\nw = 2\n"
		    "[[arr]]\n[arr.sub]\nk = 1\n[[arr]]\n[[arr.list]]\n",
		    "{\"x\":{\"y\":{\"type\":\"integer\",\"value\":\"1\"},"
		    "\"z\":{\"a\":[{\"type\":\"integer\",\"value\":\"1\"},"
		    "{\"b\":{\"type\":\"integer\",\"value\":\"2\"}}]}},"
		    "\"t\":{\"u\":{\"v\":{\"type\":\"integer\",\"value\":\"1\"}},"
		    "\"w\":{\"type\":\"integer\",\"value\":\"2\"}},"
		    "\"arr\":[{\"sub\":{\"k\":{\"type\":\"integer\",\"value\":\"1\"}}},"
		    "{\"list\":[{}]}]}");
	/* Quoted keys, empty keys, whitespace around dots, BOM, CRLF. */
	expect_json("\xEF\xBB\xBF\"a.b\" . 'c d' = 1\r\n\"\" = 2\r\n[ q . \"\" ]\r\n",
		    "{\"a.b\":{\"c d\":{\"type\":\"integer\",\"value\":\"1\"}},"
		    "\"\":{\"type\":\"integer\",\"value\":\"2\"},\"q\":{\"\":{}}}");
	/* A table a dotted key made may get sub-tables from headers. */
	expect_json("[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n",
		    "{\"fruit\":{\"apple\":{\"color\":{\"type\":\"string\",\"value\":\"red\"},"
		    "\"texture\":{\"smooth\":{\"type\":\"bool\",\"value\":\"true\"}}}}}");
}

Test(toml, positions)
{
	struct value *v = parse_ok("# c\ntitle = \"x\"\n\n[server]\n  port.n = [ 80,\n  443 ]\n"
				   "[[p]]\nq = { r = 1979-05-27 }\n");
	cr_assert_eq(v->line, 1);
	cr_assert_eq(v->col, 1);
	const struct value_kv *kv = value_table_getkv(v, "title");
	cr_assert_eq(kv->line, 2);
	cr_assert_eq(kv->col, 1);
	cr_assert_eq(kv->val->line, 2);
	cr_assert_eq(kv->val->col, 9);
	kv = value_table_getkv(v, "server");
	cr_assert_eq(kv->line, 4);
	cr_assert_eq(kv->col, 2, "the key inside the brackets");
	cr_assert_eq(kv->val->line, 4);
	cr_assert_eq(kv->val->col, 1, "the table starts at its '['");
	const struct value_kv *port = value_table_getkv(kv->val, "port");
	cr_assert_eq(port->line, 5);
	cr_assert_eq(port->col, 3);
	cr_assert_eq(port->val->line, 5, "a dotted key's table starts at the key");
	cr_assert_eq(port->val->col, 3);
	const struct value_kv *n = value_table_getkv(port->val, "n");
	cr_assert_eq(n->col, 8);
	cr_assert_eq(n->val->col, 12);
	cr_assert_eq(n->val->u.a.items[1]->line, 6);
	cr_assert_eq(n->val->u.a.items[1]->col, 3);
	struct value *p = get(v, "p");
	cr_assert_eq(p->u.a.items[0]->line, 7);
	struct value *q = get(p->u.a.items[0], "q");
	cr_assert_eq(q->line, 8);
	cr_assert_eq(q->col, 5);
	const struct value_kv *r = value_table_getkv(q, "r");
	cr_assert_eq(r->col, 7);
	cr_assert_eq(r->val->col, 11);
	cr_assert_eq(q->flags, 0, "table state is cleared");
	cr_assert_eq(p->flags, 0);
	value_free(v);
}

Test(toml, implicit_table_position_moves_to_its_definition)
{
	struct value *v = parse_ok("[a.b]\n[x]\n[ a ]\n");
	const struct value_kv *a = value_table_getkv(v, "a");
	cr_assert_eq(a->line, 3);
	cr_assert_eq(a->col, 3);
	cr_assert_eq(a->val->line, 3);
	cr_assert_eq(a->val->col, 1);
	value_free(v);
}

Test(toml, duplicate_keys)
{
	reject("a = 1\na = 2\n",
	       "t.toml:2:1: error: duplicate key 'a' (first defined at 1:1)\n");
	reject("x = 1\n\"x\" = 2\n'x' = 3\n",
	       "t.toml:2:1: error: duplicate key 'x' (first defined at 1:1)\n"
	       "t.toml:3:1: error: duplicate key 'x' (first defined at 1:1)\n");
	reject("t = { a = 1, a = 2 }\n",
	       "t.toml:1:14: error: duplicate key 'a' (first defined at 1:7)\n");
	reject("a.b = 1\na.b = 2\n",
	       "t.toml:2:3: error: duplicate key 'a.b' (first defined at 1:3)\n");
	reject("\"a\\tb\" = 1\n\"a\\u0009b\" = 2\n",
	       "t.toml:2:1: error: duplicate key '\"a\\u0009b\"' (first defined at 1:1)\n");
}

Test(toml, table_redefinition)
{
	reject("[a]\nx = 1\n[a]\ny = 2\n",
	       "t.toml:3:2: error: duplicate table 'a' (first defined at 1:2)\n");
	reject("[a]\nb = 1\n[a.b]\n",
	       "t.toml:3:4: error: cannot define table 'a.b': 'a.b' is an integer "
	       "defined at 2:1\n");
	reject("[fruit]\napple.color = 'red'\n[fruit.apple]\n",
	       "t.toml:3:8: error: cannot define table 'fruit.apple': 'fruit.apple' is "
	       "a table already defined by dotted keys at 2:1\n");
	reject("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n",
	       "t.toml:4:3: error: cannot define key 'b.c.t': 'b.c' is a table already "
	       "defined at 1:6\n");
	reject("[[a]]\n[a]\n",
	       "t.toml:2:2: error: cannot define table 'a': 'a' is an array of tables "
	       "defined at 1:3\n");
	reject("a = []\n[[a]]\n",
	       "t.toml:2:3: error: cannot define array of tables 'a': 'a' is an array "
	       "defined at 1:1\n");
	reject("[a]\n[[a]]\n",
	       "t.toml:2:3: error: cannot define array of tables 'a': 'a' is a table "
	       "already defined at 1:2\n");
	reject("[[t.arr]]\n[t]\narr.v = 1\n",
	       "t.toml:3:1: error: cannot define key 'arr.v': 'arr' is an array of "
	       "tables defined at 1:5\n");
}

Test(toml, inline_tables_are_immutable)
{
	reject("a = {b = 1}\na.c = 2\n",
	       "t.toml:2:1: error: cannot define key 'a.c': 'a' is an inline table "
	       "defined at 1:1\n");
	reject("a = {b = {}}\n[a.b]\n",
	       "t.toml:2:2: error: cannot define table 'a.b': 'a' is an inline table "
	       "defined at 1:1\n");
	reject("a = {b = {c = 1}, b.d = 2}\n",
	       "t.toml:1:19: error: cannot define key 'b.d': 'b' is an inline table "
	       "defined at 1:6\n");
	reject("a = [{b = 1}]\n[[a]]\n",
	       "t.toml:2:3: error: cannot define array of tables 'a': 'a' is an array "
	       "defined at 1:1\n");
}

Test(toml, errors_keep_going_when_in_sync)
{
	/* Semantic errors and bad tokens are reported and skipped, so one run
	 * lists them all; the keys after a rejected header go nowhere. */
	reject("a = 1\na = 2\n[t]\n[t]\nx = 1\nx = 2\nn = 012\nd = 2021-02-30\n",
	       "t.toml:2:1: error: duplicate key 'a' (first defined at 1:1)\n"
	       "t.toml:4:2: error: duplicate table 't' (first defined at 3:2)\n"
	       "t.toml:6:1: error: duplicate key 'x' (first defined at 5:1)\n"
	       "t.toml:7:5: error: leading zeros are not allowed in '012'\n"
	       "t.toml:8:5: error: invalid date '2021-02-30'\n");
	/* A syntax error ends the parse. */
	reject("a = \"x\n\nb = 1\nb = 2\n", "t.toml:1:5: error: unterminated string\n");
}

Test(toml, string_errors)
{
	reject("a = \"abc\nb = 1\n", "t.toml:1:5: error: unterminated string\n");
	reject("a = 'abc", "t.toml:1:5: error: unterminated string\n");
	reject("\n a = \"\"\"abc\n\n", "t.toml:2:6: error: unterminated multi-line string\n");
	reject("a = '''abc''", "t.toml:1:5: error: unterminated multi-line string\n");
	reject("a = \"a\\qb\"\n", "t.toml:1:7: error: invalid escape sequence '\\q'\n");
	reject("a = \"a\\ b\"\n",
	       "t.toml:1:7: error: invalid escape sequence: '\\' followed by space\n");
	reject("a = \"\\x41\"\n", "t.toml:1:6: error: invalid escape sequence '\\x'\n");
	reject("a = \"\\u12\"\n",
	       "t.toml:1:6: error: invalid escape sequence: '\\u' needs 4 hex digits\n");
	reject("a = \"\\uD800\"\n",
	       "t.toml:1:6: error: escape '\\uD800' is not a Unicode scalar value\n");
	reject("a = \"\\U00110000\"\n",
	       "t.toml:1:6: error: escape '\\U00110000' is not a Unicode scalar value\n");
	reject("a = \"\"\"x\\ y\"\"\"\n",
	       "t.toml:1:9: error: invalid escape sequence: '\\' followed by space\n");
	reject("a = \"a\x01\"\n", "t.toml:1:7: error: control character 0x01 in string\n");
	reject("a = '''a\x7f'''\n", "t.toml:1:9: error: control character 0x7f in string\n");
	reject("a = \"\"\"a\rb\"\"\"\n", "t.toml:1:9: error: control character 0x0d in string\n");
	reject("a = \"\"\"\"\"\"\"\"\"\n", "t.toml:1:13: error: expected a newline but found '\"'\n");
	reject("\"\"\"k\"\"\" = 1\n", "t.toml:1:1: error: a key cannot be a multi-line string\n");
}

Test(toml, utf8_and_control_errors)
{
	reject("a = \"\xff\"\n", "t.toml:1:6: error: invalid UTF-8 byte 0xff\n");
	reject("# ok\n# \xc0\xaf\n", "t.toml:2:3: error: invalid UTF-8 byte 0xc0\n");
	reject("a = '\xed\xa0\x80'\n", "t.toml:1:6: error: invalid UTF-8 byte 0xed\n");
	reject("a = 1 # \x01\n", "t.toml:1:9: error: control character 0x01 in comment\n");
	reject_n("a = 1\0\n", 7, "t.toml:1:6: error: expected a newline but found 0x00\n");
	reject("a = 1\rb = 2\n",
	       "t.toml:1:6: error: expected a newline but found carriage return\n");
	reject("\xc3\xa9 = 1\n", "t.toml:1:1: error: expected a key but found '\xc3\xa9'\n");
}

Test(toml, number_errors)
{
	reject("a = 9223372036854775808\n",
	       "t.toml:1:5: error: integer '9223372036854775808' out of range (64 bits)\n");
	reject("a = -9223372036854775809\n",
	       "t.toml:1:5: error: integer '-9223372036854775809' out of range (64 bits)\n");
	reject("a = 0x8000000000000000\n",
	       "t.toml:1:5: error: integer '0x8000000000000000' out of range (64 bits)\n");
	reject("a = 00\n", "t.toml:1:5: error: leading zeros are not allowed in '00'\n");
	reject("a = -01.5\n", "t.toml:1:5: error: leading zeros are not allowed in '-01.5'\n");
	reject("a = 1__0\n", "t.toml:1:5: error: invalid number '1__0'\n");
	reject("a = 1_\n", "t.toml:1:5: error: invalid number '1_'\n");
	reject("a = _1\n", "t.toml:1:5: error: invalid value '_1'\n");
	reject("a = 1.\n", "t.toml:1:5: error: invalid number '1.'\n");
	reject("a = .5\n", "t.toml:1:5: error: invalid value '.5'\n");
	reject("a = 1e\n", "t.toml:1:5: error: invalid number '1e'\n");
	reject("a = 1.e5\n", "t.toml:1:5: error: invalid number '1.e5'\n");
	reject("a = 0xG\n", "t.toml:1:5: error: invalid hexadecimal '0xG'\n");
	reject("a = 0o8\n", "t.toml:1:5: error: invalid octal '0o8'\n");
	reject("a = 0b_1\n", "t.toml:1:5: error: invalid binary '0b_1'\n");
	reject("a = +0x1\n",
	       "t.toml:1:5: error: a hexadecimal, octal or binary integer cannot have a sign\n");
	reject("a = 1e400\n", "t.toml:1:5: error: float '1e400' out of range\n");
	reject("a = Inf\n", "t.toml:1:5: error: invalid value 'Inf'\n");
	reject("a = True\n", "t.toml:1:5: error: invalid value 'True'\n");
}

Test(toml, datetime_errors)
{
	reject("a = 2021-02-29\n", "t.toml:1:5: error: invalid date '2021-02-29'\n");
	reject("a = 1900-02-29\n", "t.toml:1:5: error: invalid date '1900-02-29'\n");
	reject("a = 2021-1-01\n", "t.toml:1:5: error: invalid date '2021-1-01'\n");
	reject("a = 2021-01-01 07:32\n", "t.toml:1:5: error: invalid date-time '2021-01-01 07:32'\n");
	reject("a = 2021-01-01T24:00:00\n",
	       "t.toml:1:5: error: invalid date-time '2021-01-01T24:00:00'\n");
	reject("a = 2021-01-01T07:32:00+1:00\n",
	       "t.toml:1:5: error: invalid date-time '2021-01-01T07:32:00+1:00'\n");
	reject("a = 2021-01-01T07:32:00.\n",
	       "t.toml:1:5: error: invalid date-time '2021-01-01T07:32:00.'\n");
	reject("a = 07:32\n", "t.toml:1:5: error: invalid time '07:32'\n");
	reject("a = 07:60:00\n", "t.toml:1:5: error: invalid time '07:60:00'\n");
	reject("a = 07:32:00Z\n", "t.toml:1:5: error: invalid time '07:32:00Z'\n");
}

Test(toml, syntax_errors)
{
	reject("a\n", "t.toml:1:2: error: expected '=' after the key but found newline\n");
	reject("a =\n", "t.toml:1:4: error: expected a value but found newline\n");
	reject("= 1\n", "t.toml:1:1: error: expected a key but found '='\n");
	reject("a = 1 b = 2\n", "t.toml:1:7: error: expected a newline but found 'b'\n");
	reject("a.= 1\n", "t.toml:1:3: error: expected a key but found '='\n");
	reject("[a\nb = 1\n", "t.toml:1:3: error: expected ']' after the table name but found newline\n");
	reject("[[a]\n", "t.toml:1:4: error: expected ']]' after the table name but found ']'\n");
	reject("[]\n", "t.toml:1:2: error: expected a key but found ']'\n");
	reject("[a] b = 1\n", "t.toml:1:5: error: expected a newline but found 'b'\n");
	reject("a = [1 2]\n", "t.toml:1:8: error: expected ',' or ']' in array but found '2'\n");
	reject("a = [1,,2]\n", "t.toml:1:8: error: expected a value but found ','\n");
	reject("a = [1,\n", "t.toml:1:5: error: unterminated array\n");
	reject("a = {b = 1,}\n", "t.toml:1:11: error: trailing comma in inline table\n");
	reject("a = {b = 1\n}\n",
	       "t.toml:1:11: error: expected ',' or '}' in inline table but found newline\n");
	reject("a = {b = 1", "t.toml:1:5: error: unterminated inline table\n");
	reject("a = {\n}\n", "t.toml:1:6: error: expected a key but found newline\n");
}

Test(toml, nesting_limits)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "a = ");
	for (int i = 0; i <= TOML_MAX_DEPTH; i++)
		sb_putc(&sb, '[');
	reject(sb.ptr, "t.toml:1:261: error: arrays and inline tables nested deeper "
		       "than 256 levels\n");
	sb_clear(&sb);
	for (int i = 0; i <= TOML_MAX_DEPTH; i++)
		sb_puts(&sb, "a.");
	sb_puts(&sb, "a = 1\n");
	reject(sb.ptr, "t.toml:1:513: error: key has more than 256 parts\n");
	sb_free(&sb);
}

Test(toml, tagged_json_roundtrip)
{
	/* TOML → tagged JSON → json_parse → JSON again is stable. */
	const char *src = "s = \"\\u0001 \\\" \xe2\x82\xac\"\nf = [0.1, -0.0, inf, nan, 1e100]\n"
			  "i = -42\n[t]\nd = 1979-05-27\n";
	struct value *v = parse_ok(src);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	json_write(&a, v, JSON_TOML_TAGGED);
	struct diag d;
	diag_init(&d);
	struct value *back = json_parse(a.ptr, a.size, "a.json", &d);
	cr_assert_not_null(back);
	json_write(&b, back, 0);
	cr_assert_str_eq(a.ptr, b.ptr);
	cr_assert_str_eq(a.ptr,
			 "{\"s\":{\"type\":\"string\",\"value\":\"\\u0001 \\\" \xe2\x82\xac\"},"
			 "\"f\":[{\"type\":\"float\",\"value\":\"0.1\"},"
			 "{\"type\":\"float\",\"value\":\"-0.0\"},"
			 "{\"type\":\"float\",\"value\":\"inf\"},"
			 "{\"type\":\"float\",\"value\":\"nan\"},"
			 "{\"type\":\"float\",\"value\":\"1e+100\"}],"
			 "\"i\":{\"type\":\"integer\",\"value\":\"-42\"},"
			 "\"t\":{\"d\":{\"type\":\"date-local\",\"value\":\"1979-05-27\"}}}");
	value_free(back);
	diag_free(&d);
	sb_free(&a);
	sb_free(&b);
	value_free(v);
}

Test(toml, empty_documents)
{
	const char *docs[] = { "", "\n", "\r\n", " \t", "# only a comment", "\xEF\xBB\xBF" };
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct value *v = parse_ok(docs[i]);
		cr_assert_eq(v->type, VALUE_TABLE);
		cr_assert_eq(v->u.t.n, 0);
		value_free(v);
	}
}

/* toml_write: what it writes reads back to the same tree, for every valid
 * document of toml-test (compared through the tagged JSON of the suite). */
#include <dirent.h>
#include <stdio.h>

#include "fsutil.h"

static int kv_cmp(const void *a, const void *b)
{
	const struct value_kv *x = a, *y = b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c = memcmp(x->key, y->key, n);
	return c ? c : (x->keylen > y->keylen) - (x->keylen < y->keylen);
}

/* TOML tables are unordered: sort every table's keys before comparing. */
static void sort_keys(struct value *v)
{
	if (v->type == VALUE_TABLE) {
		if (v->u.t.n)
			qsort(v->u.t.items, v->u.t.n, sizeof(*v->u.t.items), kv_cmp);
		for (size_t i = 0; i < v->u.t.n; i++)
			sort_keys(v->u.t.items[i].val);
	} else if (v->type == VALUE_ARRAY) {
		for (size_t i = 0; i < v->u.a.n; i++)
			sort_keys(v->u.a.items[i]);
	}
}

static char *tagged(struct value *v)
{
	struct strbuf sb = STRBUF_INIT;
	sort_keys(v);
	json_write(&sb, v, JSON_TOML_TAGGED);
	return sb_detach(&sb);
}

static int roundtrip_dir(const char *dir, int *failed)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = fs_join(dir, e->d_name);
		if (fs_is_dir(path)) {
			n += roundtrip_dir(path, failed);
		} else if (!strcmp(fs_extension(path), ".toml")) {
			char *src = NULL;
			size_t len = 0;
			struct diag d;
			diag_init(&d);
			if (fs_read_file(path, &src, &len) == 0) {
				struct value *v = toml_parse(src, len, path, &d);
				if (v) {
					struct strbuf out = STRBUF_INIT;
					toml_write(&out, v); /* before sorting: in the parser's order */
					struct value *back = toml_parse(out.ptr, out.size, "written", &d);
					char *a = tagged(v), *b = back ? tagged(back) : NULL;
					if (!b || strcmp(a, b)) {
						(*failed)++;
						cr_log_error("%s does not round-trip:\n%s", path, out.ptr);
					}
					n++;
					free(a);
					free(b);
					value_free(back);
					sb_free(&out);
					value_free(v);
				}
			}
			free(src);
			diag_free(&d);
		}
		free(path);
	}
	closedir(dp);
	return n;
}

Test(toml, write_round_trips_the_valid_suite)
{
	const char *dir = "../shared/conformance/toml-test/tests/valid";
	if (!fs_is_dir(dir))
		cr_skip_test("../shared/conformance/toml-test is absent");
	int failed = 0;
	int n = roundtrip_dir(dir, &failed);
	cr_assert_gt(n, 100, "read the valid documents (%d)", n);
	cr_assert_eq(failed, 0, "%d of %d documents do not round-trip", failed, n);
}

Test(toml, write_quotes_keys_and_escapes)
{
	struct value *v = value_new_table();
	value_set_str(v, "title", "A \"quoted\"\ttitle\x01");
	value_set_str(v, "a key", "x");
	struct value *arr = value_table_set(v, "claims", value_new_array());
	struct value *c = value_array_push(arr, value_new_table());
	value_set_str(c, "id", "one");
	struct strbuf sb = STRBUF_INIT;
	toml_write(&sb, v);
	cr_assert_str_eq(sb.ptr, "title = \"A \\\"quoted\\\"\\ttitle\\u0001\"\n\"a key\" = \"x\"\n\n[[claims]]\nid = \"one\"\n");
	sb_free(&sb);
	value_free(v);
}

/* value_equal (serve: is a page's front matter unchanged?): same values
 * at the same positions; a comment or blank line that moves nothing
 * leaves it equal. */
static bool toml_equal(const char *a, const char *b)
{
	char *ea, *eb;
	struct value *x = parse_n(a, strlen(a), &ea), *y = parse_n(b, strlen(b), &eb);
	bool same = value_equal(x, y);
	value_free(x);
	value_free(y);
	free(ea);
	free(eb);
	return same;
}

Test(toml, value_equal_compares_values_and_positions)
{
	const char *base = "title = \"A\"\ntags = [\"x\", 1]\n[t]\nk = 1.5\n";
	cr_assert(toml_equal(base, base));
	cr_assert(toml_equal(base, "title = \"A\"  # note\ntags = [\"x\", 1]\n[t]\nk = 1.5\n"));
	cr_assert_not(toml_equal(base, "title = \"B\"\ntags = [\"x\", 1]\n[t]\nk = 1.5\n"));
	cr_assert_not(toml_equal(base, "title = \"A\"\ntags = [\"x\", 2]\n[t]\nk = 1.5\n"));
	cr_assert_not(toml_equal(base, "title = \"A\"\ntags = [\"x\", 1]\n[t]\nk = 1.5\nj = 1\n"));
	/* Moved down a line: diagnostics would point elsewhere. */
	cr_assert_not(toml_equal(base, "\ntitle = \"A\"\ntags = [\"x\", 1]\n[t]\nk = 1.5\n"));
	cr_assert(value_equal(NULL, NULL));
}
