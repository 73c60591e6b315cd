#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "json.h"
#include "strbuf.h"
#include "value.h"
#include "yaml.h"

/* Parses `src` (its first line is file line 2, as after a "---" line);
 * returns the tree and, in *errs, every diagnostic as printed. */
static struct value *parse(const char *src, char **errs)
{
	struct diag d;
	struct strbuf sb = STRBUF_INIT;
	diag_init(&d);
	struct value *v = yaml_parse(src, strlen(src), "p.md", 2, &d);
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

static struct value *parse_ok(const char *src)
{
	char *errs;
	struct value *v = parse(src, &errs);
	cr_assert_str_eq(errs, "", "no diagnostics for %s", src);
	free(errs);
	return v;
}

static void expect_error(const char *src, const char *want)
{
	char *errs;
	struct value *v = parse(src, &errs);
	cr_assert_null(v);
	cr_assert(strstr(errs, want), "expected '%s' in:\n%s", want, errs);
	free(errs);
}

Test(yaml, hugo_front_matter_types)
{
	struct value *v = parse_ok("title: \"A page\"\n"
				   "date: 2025-01-27T10:00:00+08:00\n"
				   "day: 2025-01-27\n"
				   "local: 2025-01-27 10:00:00\n"
				   "draft: false\n"
				   "weight: 10\n"
				   "ratio: 1.5\n"
				   "hex: 0x1F\n"
				   "none: ~\n"
				   "empty:\n"
				   "plain: hello world\n"
				   "quoted_num: '42'\n"
				   "tagged: !!str 7\n"
				   "2025: a key that looks like a number\n");
	cr_assert_str_eq(value_get_str(v, "title", ""), "A page");
	struct value *date = value_table_get(v, "date");
	cr_assert_str_eq(date->u.s.p, "2025-01-27T10:00:00+08:00");
	cr_assert_eq(date->subtype, VALUE_STR_DATETIME);
	cr_assert_eq(value_table_get(v, "day")->subtype, VALUE_STR_DATE_LOCAL);
	struct value *local = value_table_get(v, "local");
	cr_assert_str_eq(local->u.s.p, "2025-01-27T10:00:00", "space separator spelt as TOML does");
	cr_assert_eq(local->subtype, VALUE_STR_DATETIME_LOCAL);
	cr_assert_eq(value_table_get(v, "draft")->type, VALUE_BOOL);
	cr_assert_eq(value_get_int(v, "weight", 0), 10);
	cr_assert_float_eq(value_table_get(v, "ratio")->u.f, 1.5, 1e-12);
	cr_assert_eq(value_get_int(v, "hex", 0), 31);
	cr_assert_eq(value_table_get(v, "none")->type, VALUE_NULL);
	cr_assert_eq(value_table_get(v, "empty")->type, VALUE_NULL);
	cr_assert_str_eq(value_get_str(v, "plain", ""), "hello world");
	cr_assert_str_eq(value_get_str(v, "quoted_num", ""), "42", "a quoted scalar stays a string");
	cr_assert_str_eq(value_get_str(v, "tagged", ""), "7");
	cr_assert_str_eq(value_get_str(v, "2025", ""), "a key that looks like a number");
	value_free(v);
}

Test(yaml, lists_tables_and_positions)
{
	struct value *v = parse_ok("aliases:\n  - /old/\n  - /older.html\n"
				   "params: {a: 1, b: [x, y]}\n"
				   "annotations:\n  - quote: q\n    note: n\n");
	struct value *al = value_table_get(v, "aliases");
	cr_assert_eq(al->type, VALUE_ARRAY);
	cr_assert_eq(al->u.a.n, 2);
	cr_assert_str_eq(al->u.a.items[1]->u.s.p, "/older.html");
	cr_assert_eq(al->u.a.items[1]->line, 4, "lines count from the file");
	cr_assert_eq(al->u.a.items[1]->col, 5);
	const struct value_kv *kv = value_table_getkv(v, "params");
	cr_assert_eq(kv->line, 5);
	cr_assert_eq(kv->col, 1);
	struct value *an = value_table_get(v, "annotations");
	cr_assert_eq(an->u.a.items[0]->type, VALUE_TABLE);
	cr_assert_str_eq(value_get_str(an->u.a.items[0], "note", ""), "n");
	struct strbuf sb = STRBUF_INIT;
	json_write(&sb, value_table_get(v, "params"), 0);
	cr_assert_str_eq(sb.ptr, "{\"a\":1,\"b\":[\"x\",\"y\"]}");
	sb_free(&sb);
	value_free(v);
}

Test(yaml, empty_header_is_an_empty_table)
{
	struct value *v = parse_ok("");
	cr_assert_eq(v->type, VALUE_TABLE);
	cr_assert_eq(v->u.t.n, 0);
	value_free(v);
}

Test(yaml, errors_point_into_the_file)
{
	expect_error("title: ok\ntitle: again\n", "p.md:3:1: error: duplicate key 'title'");
	expect_error("a: &x 1\nb: *x\n", "p.md:2:4: error: YAML anchors ('&x') are not supported");
	expect_error("a: 1\nb: *x\n", "error: YAML aliases ('*x') are not supported");
	expect_error("<<: {a: 1}\n", "YAML merge keys ('<<') are not supported");
	expect_error("- a\n- b\n", "p.md:2:1: error: front matter must be a mapping");
	expect_error("title: [unclosed\n", "p.md:3:1: error: YAML: did not find expected ',' or ']'");
	expect_error("a: !!python/object x\n", "unsupported YAML tag 'tag:yaml.org,2002:python/object'");
	expect_error("a: !!int abc\n", "'abc' does not match its tag");
	expect_error("n: 99999999999999999999\n", "does not fit in 64 bits");
	expect_error("? [a, b]\n: c\n", "keys must be plain strings");
	expect_error("---\na: 1\n---\nb: 2\n", "one YAML document");
}

Test(yaml, nesting_is_bounded)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "a: ");
	for (int i = 0; i < 100; i++)
		sb_putc(&sb, '[');
	for (int i = 0; i < 100; i++)
		sb_putc(&sb, ']');
	sb_putc(&sb, '\n');
	expect_error(sb.ptr, "nests deeper than 64 levels");
	sb_free(&sb);
}

/* One error for a document nested far past the limit, found without
 * reading it to its end: libyaml's scanner costs the square of the depth
 * (200,000 levels took 149 s and printed 199,937 errors). The mapping
 * is the first level, so the 64th "[" (column 67) is one too many. */
Test(yaml, nesting_past_the_limit_is_one_error)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "a: ");
	for (int i = 0; i < 200000; i++)
		sb_putc(&sb, '[');
	for (int i = 0; i < 200000; i++)
		sb_putc(&sb, ']');
	sb_putc(&sb, '\n');
	char *errs;
	struct value *v = parse(sb.ptr, &errs);
	cr_assert_null(v);
	cr_assert_str_eq(errs, "p.md:2:67: error: front matter nests deeper than 64 levels\n");
	free(errs);
	sb_free(&sb);
}
